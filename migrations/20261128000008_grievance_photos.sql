-- Photos of grievances: stored as re-encoded JPEGs (never as uploaded), each recorded by its
-- SHA-256 in the history entry it came with, so a swapped photo shows in the audit check.
CREATE TABLE grievance_photos (
    id            uuid PRIMARY KEY,
    grievance_id  uuid NOT NULL REFERENCES grievances(id),
    -- the history entry it came with (1: the filing)
    history_seq   integer NOT NULL,
    position      integer NOT NULL,
    content       bytea NOT NULL,
    sha256        bytea NOT NULL,
    width         integer NOT NULL,
    height        integer NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX grievance_photos_grievance ON grievance_photos (grievance_id, history_seq, position);
