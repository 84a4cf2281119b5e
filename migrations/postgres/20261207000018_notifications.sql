-- Notifications (src/notifications/): what a user is told, written in the transaction of the
-- change that causes it. `entity` and `entity_id` name the record it is about, so the inbox
-- hides it once the reader may no longer see that record. dedup_key makes a reminder or digest
-- that a job writes twice (a retried job) one row.
CREATE TABLE notifications (
    id         BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id  BIGINT  NOT NULL REFERENCES tenants (id),
    user_id    BIGINT  NOT NULL REFERENCES users (id),
    kind       TEXT    NOT NULL CHECK (length(kind) BETWEEN 1 AND 50),
    title      TEXT    NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
    body       TEXT    NOT NULL DEFAULT '',
    link       TEXT,
    entity     TEXT    CHECK (entity IN ('contact', 'deal', 'task', 'call')),
    entity_id  BIGINT,
    dedup_key  TEXT,
    created_at TIMESTAMPTZ NOT NULL,
    read_at    TIMESTAMPTZ
);
CREATE INDEX notifications_inbox_idx ON notifications (tenant_id, user_id, id);
CREATE UNIQUE INDEX notifications_dedup_idx ON notifications (user_id, dedup_key);

-- The kinds a user does not want to be told about.
CREATE TABLE notification_mutes (
    tenant_id BIGINT  NOT NULL REFERENCES tenants (id),
    user_id   BIGINT  NOT NULL REFERENCES users (id),
    kind      TEXT    NOT NULL,
    PRIMARY KEY (user_id, kind)
);

-- The reminder job looks for pending follow-ups due in the next minutes, in every tenant.
CREATE INDEX tasks_pending_due_idx ON tasks (status, due_at);
