-- A forgotten password is reset with a one-time code sent to the account's mobile number. A
-- reset for a number no account has is kept too (with no account), so that the answer reads
-- the same and does not tell a stranger which numbers are registered.
CREATE TABLE password_resets (
    id           uuid PRIMARY KEY,
    user_id      uuid REFERENCES users(id) ON DELETE CASCADE,
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    completed_at timestamptz
);
CREATE INDEX password_resets_user ON password_resets (user_id) WHERE user_id IS NOT NULL;

ALTER TABLE one_time_codes DROP CONSTRAINT one_time_codes_purpose_check;
ALTER TABLE one_time_codes ADD CONSTRAINT one_time_codes_purpose_check
    CHECK (purpose IN ('register', 'kiosk', 'reset'));
