-- Real delivery: SMS through a gateway, email over SMTP, web push to the devices a person has
-- subscribed. A message that cannot be delivered on its channel is retried with backoff, then
-- handed to the next channel in its chain; every message keeps its outcome.
ALTER TABLE notifications DROP CONSTRAINT notifications_channel_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_channel_check
    CHECK (channel IN ('sms', 'email', 'push'));
ALTER TABLE notifications
    -- where the notice leads (a grievance page, say): a push opens it, an email links to it
    ADD COLUMN link         text NOT NULL DEFAULT '',
    -- the channels still to try, best first: [{"channel": "email", "recipient": "…"}]
    ADD COLUMN fallbacks    jsonb NOT NULL DEFAULT '[]',
    -- the message this one stands in for, when that one could not be delivered
    ADD COLUMN fallback_of  uuid REFERENCES notifications(id),
    -- what the provider called the message (the gateway's id, the SMTP queue id, the push location)
    ADD COLUMN provider_ref text;
CREATE INDEX notifications_fallback_of ON notifications (fallback_of) WHERE fallback_of IS NOT NULL;

-- A browser's push subscription (RFC 8030 endpoint + RFC 8291 keys) for a signed-in person.
-- Subscriptions that the push service reports gone (404/410) are removed at delivery.
CREATE TABLE push_subscriptions (
    id            uuid PRIMARY KEY,
    account_id    uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    endpoint      text NOT NULL UNIQUE,
    p256dh        text NOT NULL,
    auth          text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_sent_at  timestamptz
);
CREATE INDEX push_subscriptions_account ON push_subscriptions (account_id);

-- Settings every instance must share, such as the VAPID key pair made on first start.
CREATE TABLE server_settings (
    name   text PRIMARY KEY,
    value  text NOT NULL
);
