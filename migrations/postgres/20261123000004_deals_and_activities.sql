-- Deals in pipeline stages, and the immutable activity timeline shared by contacts, companies
-- and deals. Amounts are integer minor units (cents) with an ISO 4217 currency.

CREATE TABLE deals (
    id                BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id         BIGINT      NOT NULL REFERENCES tenants (id),
    pipeline_id       BIGINT      NOT NULL REFERENCES pipelines (id),
    stage_id          BIGINT      NOT NULL REFERENCES pipeline_stages (id),
    contact_id        BIGINT      REFERENCES contacts (id),
    company_id        BIGINT      REFERENCES companies (id),
    title             TEXT        NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    amount_minor      BIGINT      NOT NULL DEFAULT 0 CHECK (amount_minor >= 0),
    currency          TEXT        NOT NULL CHECK (length(currency) = 3),
    owner_id          BIGINT      REFERENCES users (id),
    expected_close_on DATE,
    closed_at         TIMESTAMPTZ,
    position          INTEGER     NOT NULL DEFAULT 0,
    version           BIGINT      NOT NULL DEFAULT 1,
    stage_entered_at  TIMESTAMPTZ NOT NULL,
    created_at        TIMESTAMPTZ NOT NULL,
    updated_at        TIMESTAMPTZ NOT NULL,
    deleted_at        TIMESTAMPTZ
);
CREATE INDEX deals_board_idx ON deals (tenant_id, stage_id, position, id);
CREATE INDEX deals_owner_idx ON deals (tenant_id, owner_id);
CREATE INDEX deals_contact_idx ON deals (tenant_id, contact_id);

-- Immutable: no updated_at, and the schema refuses UPDATE and DELETE.
CREATE TABLE activities (
    id          BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id   BIGINT      NOT NULL REFERENCES tenants (id),
    kind        TEXT        NOT NULL CHECK (kind IN ('call', 'email', 'meeting', 'note', 'stage_change', 'followup', 'system')),
    body        TEXT        NOT NULL DEFAULT '',
    payload     JSONB       NOT NULL DEFAULT '{}',
    user_id     BIGINT      REFERENCES users (id),
    contact_id  BIGINT      REFERENCES contacts (id),
    company_id  BIGINT      REFERENCES companies (id),
    deal_id     BIGINT      REFERENCES deals (id),
    happened_at TIMESTAMPTZ NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX activities_deal_idx ON activities (tenant_id, deal_id, happened_at DESC, id DESC);
CREATE INDEX activities_contact_idx ON activities (tenant_id, contact_id, happened_at DESC, id DESC);
CREATE INDEX activities_company_idx ON activities (tenant_id, company_id, happened_at DESC, id DESC);

CREATE FUNCTION activities_are_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'activities are immutable';
END;
$$;
CREATE TRIGGER activities_no_update_or_delete BEFORE UPDATE OR DELETE ON activities
    FOR EACH ROW EXECUTE FUNCTION activities_are_immutable();
