-- Follow-up tasks, assigned to a user and optionally linked to a contact and a deal.

CREATE TABLE tasks (
    id           BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id    BIGINT      NOT NULL REFERENCES tenants (id),
    title        TEXT        NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    notes        TEXT        NOT NULL DEFAULT '',
    due_at       TIMESTAMPTZ NOT NULL,
    priority     TEXT        NOT NULL DEFAULT 'normal' CHECK (priority IN ('low', 'normal', 'high')),
    status       TEXT        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'completed', 'cancelled')),
    assignee_id  BIGINT      NOT NULL REFERENCES users (id),
    created_by   BIGINT      NOT NULL REFERENCES users (id),
    completed_by BIGINT      REFERENCES users (id),
    completed_at TIMESTAMPTZ,
    contact_id   BIGINT      REFERENCES contacts (id),
    deal_id      BIGINT      REFERENCES deals (id),
    created_at   TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX tasks_assignee_due_idx ON tasks (tenant_id, assignee_id, status, due_at);
CREATE INDEX tasks_contact_idx ON tasks (tenant_id, contact_id, status, due_at);
