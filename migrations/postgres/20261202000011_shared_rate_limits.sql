-- Rate limits and the unknown-email lockout live in the database, so every instance of a
-- scaled-out deployment counts against the same numbers.

-- One generic cell rate (GCRA) state per bucket (e.g. 'login-ip:203.0.113.9', 'api-token:42'):
-- the theoretical arrival time, in Unix milliseconds, of the next request that fits.
CREATE TABLE rate_limits (
    bucket TEXT PRIMARY KEY,
    tat_ms BIGINT NOT NULL
);
CREATE INDEX rate_limits_by_tat ON rate_limits (tat_ms);

-- Failed sign-ins for emails without an account, so they lock exactly like real ones. Times are
-- Unix seconds.
CREATE TABLE unknown_email_failures (
    email        TEXT PRIMARY KEY,
    failures     BIGINT NOT NULL,
    locked_until BIGINT,
    updated_at   BIGINT NOT NULL
);
CREATE INDEX unknown_email_failures_by_update ON unknown_email_failures (updated_at);
