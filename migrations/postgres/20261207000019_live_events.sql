-- The live events outbox (src/events/): one row per change an open page may want to show,
-- written in the transaction of the change. Streams send it on at once and replay from it when a
-- browser reconnects with Last-Event-ID. Rows name records by id only; who may see one is decided
-- per stream from owner_id (the record's owner) or user_id (one user's notification).
CREATE TABLE live_events (
    id         BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id  BIGINT  NOT NULL REFERENCES tenants (id),
    user_id    BIGINT  REFERENCES users (id),
    kind       TEXT    NOT NULL CHECK (kind IN ('notification', 'deal', 'timeline')),
    entity     TEXT    CHECK (entity IN ('contact', 'company', 'deal')),
    entity_id  BIGINT,
    owner_id   BIGINT,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX live_events_replay_idx ON live_events (tenant_id, id);
CREATE INDEX live_events_created_idx ON live_events (created_at);
