-- The PBX's credential: a per-tenant bearer token that can do one thing, post call records to
-- /api/v1/pbx/cdr. Only its SHA-256 is stored. Rotating makes a new one and gives the one before
-- a day (expires_at) to be replaced on the PBX; revoking ends them all at once.
CREATE TABLE pbx_tokens (
    id           BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id    BIGINT      NOT NULL REFERENCES tenants (id),
    created_by   BIGINT      NOT NULL REFERENCES users (id),
    -- The first characters of the secret, so an admin can tell which one the PBX has.
    prefix       TEXT        NOT NULL,
    token_hash   TEXT        NOT NULL UNIQUE,
    created_at   TIMESTAMPTZ NOT NULL,
    expires_at   TIMESTAMPTZ,
    last_used_at TIMESTAMPTZ
);
CREATE INDEX pbx_tokens_tenant_idx ON pbx_tokens (tenant_id);
