-- Retention: what is kept only as long as it is needed (`domain::retention`, swept hourly).
-- A message holding a secret (a one-time code) says until when it is needed; after that, once
-- sent or given up, its words are erased.
ALTER TABLE notifications ADD COLUMN secret_until timestamptz;
CREATE INDEX notifications_secret ON notifications (secret_until) WHERE secret_until IS NOT NULL;
CREATE INDEX sessions_ended ON sessions (expires_at);
CREATE INDEX pending_registrations_created ON pending_registrations (created_at);
CREATE INDEX one_time_codes_expires ON one_time_codes (expires_at);
CREATE INDEX sign_in_challenges_expires ON sign_in_challenges (expires_at);
-- An old message may go while the fallback sent for it stays a little longer.
ALTER TABLE notifications DROP CONSTRAINT notifications_fallback_of_fkey,
    ADD CONSTRAINT notifications_fallback_of_fkey FOREIGN KEY (fallback_of)
        REFERENCES notifications(id) ON DELETE SET NULL;
