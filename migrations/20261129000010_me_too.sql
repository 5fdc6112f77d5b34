-- "Me too": citizens who report a problem already open nearby join that grievance instead of
-- filing another. They are told of its updates like its filer, and their number raises its
-- priority in the officials' queues (grievances.me_too_count).
CREATE TABLE grievance_followers (
    grievance_id  uuid NOT NULL REFERENCES grievances(id) ON DELETE CASCADE,
    account_id    uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    joined_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (grievance_id, account_id)
);
CREATE INDEX grievance_followers_account ON grievance_followers (account_id, joined_at DESC);

-- Finding open grievances of a category in a ward, for the offer to join.
CREATE INDEX grievances_open_by_category_ward ON grievances (category_id, ward_number, created_at)
    WHERE status IN ('submitted', 'assigned', 'in_progress', 'reopened');
