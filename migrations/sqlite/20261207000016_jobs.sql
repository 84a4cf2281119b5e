-- The durable job queue and the schedules that feed it (src/jobs/).
--
-- A job is `queued` until its run_at, `running` while a worker holds its lease (lease_token
-- fences every write the worker makes: one whose lease expired and was taken over cannot
-- complete it), then `succeeded`, or `failed` (parked with its last error, for an admin to retry
-- or discard). tenant_id is NULL for jobs that sweep every tenant.
CREATE TABLE jobs (
    id           INTEGER PRIMARY KEY,
    tenant_id    INTEGER REFERENCES tenants (id),
    kind         TEXT    NOT NULL CHECK (length(kind) BETWEEN 1 AND 100),
    payload      TEXT    NOT NULL DEFAULT '{}',
    -- At most one job per key, ever (an occurrence of a schedule, a reminder for one task).
    dedup_key    TEXT,
    status       TEXT    NOT NULL DEFAULT 'queued'
                         CHECK (status IN ('queued', 'running', 'succeeded', 'failed')),
    run_at       TEXT    NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    max_attempts INTEGER NOT NULL CHECK (max_attempts >= 1),
    lease_token  TEXT,
    lease_until  TEXT,
    last_error   TEXT,
    created_at   TEXT    NOT NULL,
    updated_at   TEXT    NOT NULL,
    finished_at  TEXT
);
CREATE UNIQUE INDEX jobs_dedup_key_idx ON jobs (dedup_key);
-- What a worker claims next: due queued jobs, and running ones whose lease ran out.
CREATE INDEX jobs_due_idx ON jobs (status, run_at, id);
CREATE INDEX jobs_lease_idx ON jobs (status, lease_until);

-- A recurring job: a five-field cron expression read in `timezone`. next_run_at moves on by
-- compare-and-set, so of several instances exactly one enqueues each occurrence.
CREATE TABLE job_schedules (
    id          INTEGER PRIMARY KEY,
    tenant_id   INTEGER REFERENCES tenants (id),
    name        TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    kind        TEXT    NOT NULL,
    payload     TEXT    NOT NULL DEFAULT '{}',
    cron        TEXT    NOT NULL,
    timezone    TEXT    NOT NULL,
    next_run_at TEXT    NOT NULL,
    created_at  TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL
);
CREATE UNIQUE INDEX job_schedules_name_idx ON job_schedules (name);
CREATE INDEX job_schedules_due_idx ON job_schedules (next_run_at);
