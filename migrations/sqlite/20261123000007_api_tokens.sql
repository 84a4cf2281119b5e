-- Personal API tokens for the REST API. Only a SHA-256 of the secret is kept; the secret is shown
-- once, when the token is made. A token acts as its user, with the user's current role.

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    tenant_id    INTEGER NOT NULL REFERENCES tenants (id),
    user_id      INTEGER NOT NULL REFERENCES users (id),
    name         TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    -- The first characters of the secret, so the user can tell tokens apart.
    prefix       TEXT    NOT NULL,
    token_hash   TEXT    NOT NULL UNIQUE,
    created_at   TEXT    NOT NULL,
    expires_at   TEXT,
    last_used_at TEXT,
    revoked_at   TEXT
);
CREATE INDEX api_tokens_user_idx ON api_tokens (tenant_id, user_id);
