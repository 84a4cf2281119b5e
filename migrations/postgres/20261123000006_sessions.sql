-- The session store's table (tower-sessions-sqlx-store's layout), created here rather than by the
-- store at start-up: migrations run under sqlx's advisory lock, so several instances starting
-- together never race to create it.
CREATE SCHEMA IF NOT EXISTS tower_sessions;
CREATE TABLE IF NOT EXISTS tower_sessions.session (
    id          TEXT PRIMARY KEY NOT NULL,
    data        BYTEA NOT NULL,
    expiry_date TIMESTAMPTZ NOT NULL
);
