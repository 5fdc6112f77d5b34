-- A notice names what it is about (a subject of the shared history, and its id), not only the
-- page a tap on it opens: the officials' list of messages about a grievance reads it by subject,
-- and the next capabilities (applications, bookings, payments) list theirs the same way.
ALTER TABLE notifications ADD COLUMN about_kind text, ADD COLUMN about_id uuid;
UPDATE notifications n SET about_kind = 'grievance', about_id = g.id
FROM grievances g WHERE n.link = '/grievances/' || g.number;
DROP INDEX notifications_link;
CREATE INDEX notifications_about ON notifications (about_kind, about_id, created_at)
    WHERE about_id IS NOT NULL;
