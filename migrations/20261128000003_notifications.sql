-- The notification outbox: every SMS and email goes through here and is delivered by a worker,
-- so a message is never lost with a crashed request nor sent twice by two instances.
CREATE TABLE notifications (
    id               uuid PRIMARY KEY,
    channel          text NOT NULL CHECK (channel IN ('sms', 'email')),
    recipient        text NOT NULL,
    subject          text NOT NULL DEFAULT '',
    body             text NOT NULL,
    status           text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'delivered', 'failed')),
    attempts         integer NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    last_error       text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    delivered_at     timestamptz
);
CREATE INDEX notifications_due ON notifications (next_attempt_at) WHERE status = 'queued';
CREATE INDEX notifications_recipient ON notifications (recipient, created_at DESC);
