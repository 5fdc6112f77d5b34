-- One queue for background work, claimed by whichever instance is free (FOR UPDATE SKIP LOCKED):
-- periodic jobs (the outbox's delivery, the grievance clock) are one row per slot that goes back
-- to the queue after each run; one-off jobs a row each, named by (kind, key) so the same work is
-- queued once. A claim is a lease: a runner that dies loses the job when `lease_until` passes.
CREATE TABLE jobs (
    id            uuid PRIMARY KEY,
    kind          text NOT NULL,
    key           text NOT NULL,
    payload       jsonb NOT NULL DEFAULT '{}',
    -- the period of a periodic job; NULL for a one-off
    every_ms      integer CHECK (every_ms > 0),
    -- a one-off job's tries before it waits, failed, for a city admin; periodic jobs never give up
    max_attempts  integer NOT NULL DEFAULT 5 CHECK (max_attempts > 0),
    state         text NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'running', 'done', 'failed')),
    run_at        timestamptz NOT NULL,
    -- failed tries in a row
    attempts      integer NOT NULL DEFAULT 0,
    started_at    timestamptz,
    lease_until   timestamptz,
    runner        text,
    last_error    text,
    last_ok_at    timestamptz,
    runs          bigint NOT NULL DEFAULT 0,
    UNIQUE (kind, key)
);
CREATE INDEX jobs_due ON jobs (run_at) WHERE state IN ('queued', 'running');
