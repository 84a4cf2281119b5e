-- Deals in pipeline stages, and the immutable activity timeline shared by contacts, companies
-- and deals. Amounts are integer minor units (cents) with an ISO 4217 currency.

CREATE TABLE deals (
    id                INTEGER PRIMARY KEY,
    tenant_id         INTEGER NOT NULL REFERENCES tenants (id),
    pipeline_id       INTEGER NOT NULL REFERENCES pipelines (id),
    stage_id          INTEGER NOT NULL REFERENCES pipeline_stages (id),
    contact_id        INTEGER REFERENCES contacts (id),
    company_id        INTEGER REFERENCES companies (id),
    title             TEXT    NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    amount_minor      INTEGER NOT NULL DEFAULT 0 CHECK (amount_minor >= 0),
    currency          TEXT    NOT NULL CHECK (length(currency) = 3),
    owner_id          INTEGER REFERENCES users (id),
    expected_close_on TEXT,
    closed_at         TEXT,
    position          INTEGER NOT NULL DEFAULT 0,
    version           INTEGER NOT NULL DEFAULT 1,
    stage_entered_at  TEXT    NOT NULL,
    created_at        TEXT    NOT NULL,
    updated_at        TEXT    NOT NULL,
    deleted_at        TEXT
);
CREATE INDEX deals_board_idx ON deals (tenant_id, stage_id, position, id);
CREATE INDEX deals_owner_idx ON deals (tenant_id, owner_id);
CREATE INDEX deals_contact_idx ON deals (tenant_id, contact_id);

-- Immutable: no updated_at, and the schema refuses UPDATE and DELETE.
CREATE TABLE activities (
    id          INTEGER PRIMARY KEY,
    tenant_id   INTEGER NOT NULL REFERENCES tenants (id),
    kind        TEXT    NOT NULL CHECK (kind IN ('call', 'email', 'meeting', 'note', 'stage_change', 'followup', 'system')),
    body        TEXT    NOT NULL DEFAULT '',
    payload     TEXT    NOT NULL DEFAULT '{}',
    user_id     INTEGER REFERENCES users (id),
    contact_id  INTEGER REFERENCES contacts (id),
    company_id  INTEGER REFERENCES companies (id),
    deal_id     INTEGER REFERENCES deals (id),
    happened_at TEXT    NOT NULL,
    created_at  TEXT    NOT NULL
);
CREATE INDEX activities_deal_idx ON activities (tenant_id, deal_id, happened_at DESC, id DESC);
CREATE INDEX activities_contact_idx ON activities (tenant_id, contact_id, happened_at DESC, id DESC);
CREATE INDEX activities_company_idx ON activities (tenant_id, company_id, happened_at DESC, id DESC);

CREATE TRIGGER activities_no_update BEFORE UPDATE ON activities
BEGIN SELECT RAISE(ABORT, 'activities are immutable'); END;
CREATE TRIGGER activities_no_delete BEFORE DELETE ON activities
BEGIN SELECT RAISE(ABORT, 'activities are immutable'); END;
