-- Follow-up tasks, assigned to a user and optionally linked to a contact and a deal.

CREATE TABLE tasks (
    id           INTEGER PRIMARY KEY,
    tenant_id    INTEGER NOT NULL REFERENCES tenants (id),
    title        TEXT    NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    notes        TEXT    NOT NULL DEFAULT '',
    due_at       TEXT    NOT NULL,
    priority     TEXT    NOT NULL DEFAULT 'normal' CHECK (priority IN ('low', 'normal', 'high')),
    status       TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'completed', 'cancelled')),
    assignee_id  INTEGER NOT NULL REFERENCES users (id),
    created_by   INTEGER NOT NULL REFERENCES users (id),
    completed_by INTEGER REFERENCES users (id),
    completed_at TEXT,
    contact_id   INTEGER REFERENCES contacts (id),
    deal_id      INTEGER REFERENCES deals (id),
    created_at   TEXT    NOT NULL,
    updated_at   TEXT    NOT NULL
);
CREATE INDEX tasks_assignee_due_idx ON tasks (tenant_id, assignee_id, status, due_at);
CREATE INDEX tasks_contact_idx ON tasks (tenant_id, contact_id, status, due_at);
