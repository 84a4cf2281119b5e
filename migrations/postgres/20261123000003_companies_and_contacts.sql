-- Companies and contacts. `sort_name` is the folded name lists sort by (so "José" sorts with
-- "Jose", not after "Jost"); `search_text` holds name, email, phone and notes folded by the
-- application (lower case, diacritics removed), so "José" finds "Jose" and "ZOE" finds "Zoë"
-- the same way on both backends; a trigram index makes the substring search fast here.
-- Deleted rows are kept (deleted_at) and can be restored.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE companies (
    id          BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id   BIGINT      NOT NULL REFERENCES tenants (id),
    name        TEXT        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    domain      TEXT,
    phone       TEXT,
    address     TEXT,
    notes       TEXT        NOT NULL DEFAULT '',
    owner_id    BIGINT      REFERENCES users (id),
    sort_name   TEXT        NOT NULL,
    search_text TEXT        NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL,
    deleted_at  TIMESTAMPTZ
);
CREATE INDEX companies_tenant_name_idx ON companies (tenant_id, sort_name, id);
CREATE INDEX companies_tenant_owner_idx ON companies (tenant_id, owner_id);
CREATE INDEX companies_search_idx ON companies USING gin (search_text gin_trgm_ops);

CREATE TABLE contacts (
    id                BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id         BIGINT      NOT NULL REFERENCES tenants (id),
    company_id        BIGINT      REFERENCES companies (id),
    name              TEXT        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    email             TEXT,
    phone             TEXT,
    source            TEXT,
    notes             TEXT        NOT NULL DEFAULT '',
    status            TEXT        NOT NULL DEFAULT 'New' CHECK (status IN ('New', 'Active', 'Hot', 'Inactive', 'Cold')),
    score             TEXT        NOT NULL DEFAULT 'warm' CHECK (score IN ('hot', 'warm', 'cold')),
    owner_id          BIGINT      REFERENCES users (id),
    last_contacted_at TIMESTAMPTZ,
    next_followup_at  TIMESTAMPTZ,
    sort_name         TEXT        NOT NULL,
    search_text       TEXT        NOT NULL,
    created_at        TIMESTAMPTZ NOT NULL,
    updated_at        TIMESTAMPTZ NOT NULL,
    deleted_at        TIMESTAMPTZ
);
CREATE INDEX contacts_tenant_name_idx ON contacts (tenant_id, sort_name, id);
CREATE INDEX contacts_tenant_created_idx ON contacts (tenant_id, created_at, id);
CREATE INDEX contacts_tenant_owner_idx ON contacts (tenant_id, owner_id);
CREATE INDEX contacts_company_idx ON contacts (tenant_id, company_id);
CREATE INDEX contacts_search_idx ON contacts USING gin (search_text gin_trgm_ops);
-- One live contact per email within a tenant; deleted ones do not block a new one.
CREATE UNIQUE INDEX contacts_tenant_email_uniq ON contacts (tenant_id, email)
    WHERE email IS NOT NULL AND deleted_at IS NULL;
