-- What registration provisions for a new tenant (role permissions, a default pipeline with its
-- stages, call dispositions) and the immutable audit log.

CREATE TABLE role_permissions (
    tenant_id  BIGINT NOT NULL REFERENCES tenants (id),
    role       TEXT   NOT NULL CHECK (role IN ('tenant_admin', 'supervisor', 'sales_agent', 'support_agent', 'read_only')),
    permission TEXT   NOT NULL CHECK (length(permission) BETWEEN 1 AND 100),
    PRIMARY KEY (tenant_id, role, permission)
);

CREATE TABLE pipelines (
    id         BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id  BIGINT      NOT NULL REFERENCES tenants (id),
    name       TEXT        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    is_default BOOLEAN     NOT NULL DEFAULT FALSE,
    sort_order INTEGER     NOT NULL DEFAULT 0,
    created_at TIMESTAMPTZ NOT NULL,
    UNIQUE (tenant_id, name)
);
CREATE INDEX pipelines_tenant_idx ON pipelines (tenant_id);

CREATE TABLE pipeline_stages (
    id                     BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id              BIGINT  NOT NULL REFERENCES tenants (id),
    pipeline_id            BIGINT  NOT NULL REFERENCES pipelines (id),
    name                   TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    color                  TEXT    NOT NULL DEFAULT '#6b7280',
    sort_order             INTEGER NOT NULL,
    probability            INTEGER NOT NULL DEFAULT 0 CHECK (probability BETWEEN 0 AND 100),
    is_default             BOOLEAN NOT NULL DEFAULT FALSE,
    is_won                 BOOLEAN NOT NULL DEFAULT FALSE,
    is_lost                BOOLEAN NOT NULL DEFAULT FALSE,
    requires_note          BOOLEAN NOT NULL DEFAULT FALSE,
    requires_followup_date BOOLEAN NOT NULL DEFAULT FALSE,
    CHECK (NOT (is_won AND is_lost))
);
CREATE INDEX pipeline_stages_pipeline_idx ON pipeline_stages (tenant_id, pipeline_id, sort_order);

CREATE TABLE call_dispositions (
    id            BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id     BIGINT  NOT NULL REFERENCES tenants (id),
    name          TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    sort_order    INTEGER NOT NULL,
    is_default    BOOLEAN NOT NULL DEFAULT FALSE,
    requires_note BOOLEAN NOT NULL DEFAULT FALSE,
    UNIQUE (tenant_id, name)
);

-- Immutable: the application only ever inserts. tenant_id is NULL for platform-level events
-- (e.g. a failed login for an unknown email).
CREATE TABLE audit_log (
    id          BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id   BIGINT      REFERENCES tenants (id),
    actor_id    BIGINT      REFERENCES users (id),
    action      TEXT        NOT NULL,
    entity_type TEXT        NOT NULL,
    entity_id   BIGINT,
    changes     JSONB       NOT NULL DEFAULT '{}',
    ip          TEXT,
    user_agent  TEXT,
    at          TIMESTAMPTZ NOT NULL
);
CREATE INDEX audit_log_tenant_at_idx ON audit_log (tenant_id, at DESC, id DESC);

CREATE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
CREATE TRIGGER audit_log_no_update_or_delete BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_is_append_only();
