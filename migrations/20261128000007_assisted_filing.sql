-- Assisted filing: a kiosk files for someone without an account once a one-time code sent to
-- their mobile proves the number; a call-centre agent files for a caller (grievances.agent_id).
ALTER TABLE one_time_codes DROP CONSTRAINT one_time_codes_purpose_check;
ALTER TABLE one_time_codes ADD CONSTRAINT one_time_codes_purpose_check CHECK (purpose IN ('register', 'kiosk'));
-- What a code proves: a registration or a kiosk filing (registration_id stays for registrations).
ALTER TABLE one_time_codes ADD COLUMN subject_id uuid;
UPDATE one_time_codes SET subject_id = registration_id;
CREATE INDEX one_time_codes_subject ON one_time_codes (subject_id, created_at);

-- A kiosk filing waits here, as the form was filled, until its code is confirmed.
CREATE TABLE kiosk_filings (
    id            uuid PRIMARY KEY,
    mobile        text NOT NULL,
    -- the filing form as JSON, exactly as it will be filed
    form          text NOT NULL,
    locale        text NOT NULL DEFAULT 'en',
    created_at    timestamptz NOT NULL DEFAULT now(),
    grievance_id  uuid REFERENCES grievances(id)
);

-- A link to media that came with a grievance from another system (Open311's media_url).
ALTER TABLE grievances ADD COLUMN media_url text;
