-- The browsers a person has signed in from, each known by a long-lived random cookie whose
-- SHA-256 is kept here: a sign-in from a browser the account has not used before tells the
-- person, so a stolen password does not pass unseen. Kept 400 days after last use (a cookie's
-- longest life), erased with the account.
CREATE TABLE known_devices (
    user_id       uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    device_hash   bytea NOT NULL,
    -- what the browser called itself at the first sign-in, cut to 200 characters
    user_agent    text NOT NULL DEFAULT '',
    first_seen_at timestamptz NOT NULL DEFAULT now(),
    last_seen_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, device_hash)
);
CREATE INDEX known_devices_last_seen ON known_devices (last_seen_at);
