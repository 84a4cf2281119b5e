-- Personal API tokens for the REST API. Only a SHA-256 of the secret is kept; the secret is shown
-- once, when the token is made. A token acts as its user, with the user's current role.

CREATE TABLE api_tokens (
    id           BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id    BIGINT      NOT NULL REFERENCES tenants (id),
    user_id      BIGINT      NOT NULL REFERENCES users (id),
    name         TEXT        NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    -- The first characters of the secret, so the user can tell tokens apart.
    prefix       TEXT        NOT NULL,
    token_hash   TEXT        NOT NULL UNIQUE,
    created_at   TIMESTAMPTZ NOT NULL,
    expires_at   TIMESTAMPTZ,
    last_used_at TIMESTAMPTZ,
    revoked_at   TIMESTAMPTZ
);
CREATE INDEX api_tokens_user_idx ON api_tokens (tenant_id, user_id);
