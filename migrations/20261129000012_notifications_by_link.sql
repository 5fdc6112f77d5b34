-- The messages sent about one grievance, for the officials working it: were the citizen and the
-- assignee told, on which channel, and did it arrive.
CREATE INDEX notifications_link ON notifications (link, created_at) WHERE link <> '';
