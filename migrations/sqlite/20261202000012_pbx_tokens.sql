-- The PBX's credential: a per-tenant bearer token that can do one thing, post call records to
-- /api/v1/pbx/cdr. Only its SHA-256 is stored. Rotating makes a new one and gives the one before
-- a day (expires_at) to be replaced on the PBX; revoking ends them all at once.
CREATE TABLE pbx_tokens (
    id           INTEGER PRIMARY KEY,
    tenant_id    INTEGER NOT NULL REFERENCES tenants (id),
    created_by   INTEGER NOT NULL REFERENCES users (id),
    -- The first characters of the secret, so an admin can tell which one the PBX has.
    prefix       TEXT    NOT NULL,
    token_hash   TEXT    NOT NULL UNIQUE,
    created_at   TEXT    NOT NULL,
    expires_at   TEXT,
    last_used_at TEXT
);
CREATE INDEX pbx_tokens_tenant_idx ON pbx_tokens (tenant_id);
