-- Tenants and the people who sign in to them. The identity issue builds registration, login,
-- roles and permissions on these tables; the skeleton seeds a demo tenant into them.
-- Timestamps are RFC 3339 UTC text written by the application.

CREATE TABLE tenants (
    id               INTEGER PRIMARY KEY,
    name             TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    slug             TEXT    NOT NULL UNIQUE CHECK (length(slug) BETWEEN 1 AND 63),
    status           TEXT    NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended', 'closed')),
    timezone         TEXT    NOT NULL DEFAULT 'UTC',
    default_currency TEXT    NOT NULL DEFAULT 'EUR' CHECK (length(default_currency) = 3),
    created_at       TEXT    NOT NULL
);

CREATE TABLE teams (
    id         INTEGER PRIMARY KEY,
    tenant_id  INTEGER NOT NULL REFERENCES tenants (id),
    name       TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    created_at TEXT    NOT NULL,
    UNIQUE (tenant_id, name)
);

CREATE TABLE users (
    id                    INTEGER PRIMARY KEY,
    tenant_id             INTEGER NOT NULL REFERENCES tenants (id),
    team_id               INTEGER REFERENCES teams (id),
    name                  TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    -- Stored lower-cased; one account per address across the whole installation.
    email                 TEXT    NOT NULL UNIQUE,
    password_hash         TEXT    NOT NULL,
    role                  TEXT    NOT NULL CHECK (role IN ('tenant_admin', 'supervisor', 'sales_agent', 'support_agent', 'read_only')),
    is_active             BOOLEAN NOT NULL DEFAULT TRUE,
    failed_login_attempts INTEGER NOT NULL DEFAULT 0,
    locked_until          TEXT,
    last_login_at         TEXT,
    locale                TEXT    NOT NULL DEFAULT 'en',
    timezone              TEXT,
    created_at            TEXT    NOT NULL
);

CREATE INDEX users_tenant_idx ON users (tenant_id);
CREATE INDEX teams_tenant_idx ON teams (tenant_id);
