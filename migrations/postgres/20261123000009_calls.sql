-- Phone calls, from dial to wrap-up, and the PBX's call records (CDRs). Numbers are stored in
-- E.164, normalised with the tenant's default country. A CDR that matches no call is kept in
-- pbx_unmatched_cdrs rather than dropped, so it can be attached by hand later.

ALTER TABLE tenants ADD COLUMN default_country TEXT NOT NULL DEFAULT 'US' CHECK (length(default_country) = 2);

CREATE TABLE calls (
    id               BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id        BIGINT  NOT NULL REFERENCES tenants (id),
    user_id          BIGINT  NOT NULL REFERENCES users (id),
    direction        TEXT    NOT NULL CHECK (direction IN ('outbound', 'inbound')),
    from_number      TEXT    NOT NULL,
    to_number        TEXT    NOT NULL,
    contact_id       BIGINT  REFERENCES contacts (id),
    company_id       BIGINT  REFERENCES companies (id),
    deal_id          BIGINT  REFERENCES deals (id),
    state            TEXT    NOT NULL CHECK (state IN ('dialing', 'ringing', 'answered', 'ended', 'failed', 'interrupted', 'wrapped_up')),
    -- The click-to-call request that started it: a repeated request does not dial twice.
    request_id       TEXT,
    started_at       TIMESTAMPTZ NOT NULL,
    answered_at      TIMESTAMPTZ,
    ended_at         TIMESTAMPTZ,
    duration_seconds BIGINT  CHECK (duration_seconds >= 0),
    disposition_id   BIGINT  REFERENCES call_dispositions (id),
    wrapup_notes     TEXT    NOT NULL DEFAULT '',
    wrapped_up_at    TIMESTAMPTZ,
    activity_id      BIGINT  REFERENCES activities (id),
    pbx_call_id      TEXT,
    recording_url    TEXT,
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX calls_pbx_call_id_idx ON calls (tenant_id, pbx_call_id) WHERE pbx_call_id IS NOT NULL;
CREATE UNIQUE INDEX calls_request_idx ON calls (tenant_id, user_id, request_id) WHERE request_id IS NOT NULL;
-- At most one unfinished call per agent: the next one starts only after the wrap-up.
CREATE UNIQUE INDEX calls_one_unfinished_idx ON calls (tenant_id, user_id)
    WHERE state IN ('dialing', 'ringing', 'answered', 'ended', 'failed', 'interrupted');
CREATE INDEX calls_user_started_idx ON calls (tenant_id, user_id, started_at DESC, id DESC);
CREATE INDEX calls_started_idx ON calls (tenant_id, started_at DESC, id DESC);

CREATE TABLE pbx_unmatched_cdrs (
    id          BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id   BIGINT  NOT NULL REFERENCES tenants (id),
    pbx_call_id TEXT    NOT NULL CHECK (length(pbx_call_id) BETWEEN 1 AND 200),
    payload     JSONB   NOT NULL,
    received_at TIMESTAMPTZ NOT NULL,
    UNIQUE (tenant_id, pbx_call_id)
);
