-- Phone calls, from dial to wrap-up, and the PBX's call records (CDRs). Numbers are stored in
-- E.164, normalised with the tenant's default country. A CDR that matches no call is kept in
-- pbx_unmatched_cdrs rather than dropped, so it can be attached by hand later.

ALTER TABLE tenants ADD COLUMN default_country TEXT NOT NULL DEFAULT 'US' CHECK (length(default_country) = 2);

CREATE TABLE calls (
    id               INTEGER PRIMARY KEY,
    tenant_id        INTEGER NOT NULL REFERENCES tenants (id),
    user_id          INTEGER NOT NULL REFERENCES users (id),
    direction        TEXT    NOT NULL CHECK (direction IN ('outbound', 'inbound')),
    from_number      TEXT    NOT NULL,
    to_number        TEXT    NOT NULL,
    contact_id       INTEGER REFERENCES contacts (id),
    company_id       INTEGER REFERENCES companies (id),
    deal_id          INTEGER REFERENCES deals (id),
    state            TEXT    NOT NULL CHECK (state IN ('dialing', 'ringing', 'answered', 'ended', 'failed', 'interrupted', 'wrapped_up')),
    -- The click-to-call request that started it: a repeated request does not dial twice.
    request_id       TEXT,
    started_at       TEXT    NOT NULL,
    answered_at      TEXT,
    ended_at         TEXT,
    duration_seconds INTEGER CHECK (duration_seconds >= 0),
    disposition_id   INTEGER REFERENCES call_dispositions (id),
    wrapup_notes     TEXT    NOT NULL DEFAULT '',
    wrapped_up_at    TEXT,
    activity_id      INTEGER REFERENCES activities (id),
    pbx_call_id      TEXT,
    recording_url    TEXT,
    created_at       TEXT    NOT NULL,
    updated_at       TEXT    NOT NULL
);
CREATE UNIQUE INDEX calls_pbx_call_id_idx ON calls (tenant_id, pbx_call_id) WHERE pbx_call_id IS NOT NULL;
CREATE UNIQUE INDEX calls_request_idx ON calls (tenant_id, user_id, request_id) WHERE request_id IS NOT NULL;
-- At most one unfinished call per agent: the next one starts only after the wrap-up.
CREATE UNIQUE INDEX calls_one_unfinished_idx ON calls (tenant_id, user_id)
    WHERE state IN ('dialing', 'ringing', 'answered', 'ended', 'failed', 'interrupted');
CREATE INDEX calls_user_started_idx ON calls (tenant_id, user_id, started_at DESC, id DESC);
CREATE INDEX calls_started_idx ON calls (tenant_id, started_at DESC, id DESC);

CREATE TABLE pbx_unmatched_cdrs (
    id          INTEGER PRIMARY KEY,
    tenant_id   INTEGER NOT NULL REFERENCES tenants (id),
    pbx_call_id TEXT    NOT NULL CHECK (length(pbx_call_id) BETWEEN 1 AND 200),
    payload     TEXT    NOT NULL,
    received_at TEXT    NOT NULL,
    UNIQUE (tenant_id, pbx_call_id)
);
