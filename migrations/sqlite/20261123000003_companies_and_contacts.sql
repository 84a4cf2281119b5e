-- Companies and contacts. `sort_name` is the folded name lists sort by (so "José" sorts with
-- "Jose", not after "Jost"); `search_text` holds name, email, phone and notes folded by the
-- application (lower case, diacritics removed), so "José" finds "Jose" and "ZOE" finds "Zoë"
-- the same way on both backends. Deleted rows are kept (deleted_at) and can be restored.

CREATE TABLE companies (
    id          INTEGER PRIMARY KEY,
    tenant_id   INTEGER NOT NULL REFERENCES tenants (id),
    name        TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    domain      TEXT,
    phone       TEXT,
    address     TEXT,
    notes       TEXT    NOT NULL DEFAULT '',
    owner_id    INTEGER REFERENCES users (id),
    sort_name   TEXT    NOT NULL,
    search_text TEXT    NOT NULL,
    created_at  TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL,
    deleted_at  TEXT
);
CREATE INDEX companies_tenant_name_idx ON companies (tenant_id, sort_name, id);
CREATE INDEX companies_tenant_owner_idx ON companies (tenant_id, owner_id);

CREATE TABLE contacts (
    id                INTEGER PRIMARY KEY,
    tenant_id         INTEGER NOT NULL REFERENCES tenants (id),
    company_id        INTEGER REFERENCES companies (id),
    name              TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    email             TEXT,
    phone             TEXT,
    source            TEXT,
    notes             TEXT    NOT NULL DEFAULT '',
    status            TEXT    NOT NULL DEFAULT 'New' CHECK (status IN ('New', 'Active', 'Hot', 'Inactive', 'Cold')),
    score             TEXT    NOT NULL DEFAULT 'warm' CHECK (score IN ('hot', 'warm', 'cold')),
    owner_id          INTEGER REFERENCES users (id),
    last_contacted_at TEXT,
    next_followup_at  TEXT,
    sort_name         TEXT    NOT NULL,
    search_text       TEXT    NOT NULL,
    created_at        TEXT    NOT NULL,
    updated_at        TEXT    NOT NULL,
    deleted_at        TEXT
);
CREATE INDEX contacts_tenant_name_idx ON contacts (tenant_id, sort_name, id);
CREATE INDEX contacts_tenant_created_idx ON contacts (tenant_id, created_at, id);
CREATE INDEX contacts_tenant_owner_idx ON contacts (tenant_id, owner_id);
CREATE INDEX contacts_company_idx ON contacts (tenant_id, company_id);
-- One live contact per email within a tenant; deleted ones do not block a new one.
CREATE UNIQUE INDEX contacts_tenant_email_uniq ON contacts (tenant_id, email)
    WHERE email IS NOT NULL AND deleted_at IS NULL;
