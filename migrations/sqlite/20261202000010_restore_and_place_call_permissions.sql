-- Restoring deleted records and placing calls get their own permissions. Existing tenants keep
-- what they could do: admins restore (it was hard-wired to them), and every role that could see
-- calls and write may place them (placing was checked with calls.view).
INSERT INTO role_permissions (tenant_id, role, permission)
SELECT id, 'tenant_admin', 'records.restore' FROM tenants WHERE TRUE -- WHERE: SQLite's upsert-after-SELECT rule
ON CONFLICT (tenant_id, role, permission) DO NOTHING;

INSERT INTO role_permissions (tenant_id, role, permission)
SELECT tenant_id, role, 'calls.place' FROM role_permissions
WHERE permission = 'calls.view' AND role <> 'read_only'
ON CONFLICT (tenant_id, role, permission) DO NOTHING;
