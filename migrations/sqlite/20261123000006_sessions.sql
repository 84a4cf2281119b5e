-- The session store's table (tower-sessions-sqlx-store's layout), created here rather than by the
-- store at start-up so several instances starting together never race to create it.
CREATE TABLE IF NOT EXISTS tower_sessions (
    id          TEXT PRIMARY KEY NOT NULL,
    data        BLOB NOT NULL,
    expiry_date INTEGER NOT NULL
);
