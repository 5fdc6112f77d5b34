-- What "me too" offered a citizen while they filed: only an offered grievance can be joined, so a
-- grievance number (sequential, and listed by Open311) is not a way to follow someone else's
-- complaint and read its photos, place and replies. Offers lapse after an hour (checked on join).
CREATE TABLE me_too_offers (
    account_id    uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    grievance_id  uuid NOT NULL REFERENCES grievances(id),
    offered_at    timestamptz NOT NULL,
    PRIMARY KEY (account_id, grievance_id)
);
