-- The rows one filing writes (the grievance, its first history entry, the acknowledgement in the
-- outbox), as plain SQL in one transaction, against the same tables and indexes: the real limit
-- that intake is measured against. pgbench -D cat=… -D dept=… -D assignee=… -D post=…
\set r random(1, 2000000000)
BEGIN;
INSERT INTO grievances (id, number, channel, category_id, department_id, ward_number, landmark,
    address, description, contact_name, contact_mobile, locale, status, assignee_id, level,
    deadline_at, warn_at, external_system, external_ref, created_at, updated_at, history_seq,
    history_head, post_id)
VALUES (gen_random_uuid(), 'PB-' || nextval('grievance_number_seq'), 'external', ':cat'::uuid, ':dept'::uuid, 12,
    'near the bus stop', '', 'Pothole reported by the load test', 'Load Test', '9876543210', 'en',
    'assigned', ':assignee'::uuid, 1, now() + interval '72 hours', now() + interval '54 hours', 'pgbench',
    :client_id || '-' || :r, now(), now(), 1, sha256(random()::text::bytea), ':post'::uuid)
RETURNING id, number \gset
INSERT INTO history (subject, subject_id, seq, format, at, actor_id, actor_kind, kind, public, facts,
    note, personal, salt, digest, prev_hash, hash)
VALUES ('grievance', ':id'::uuid, 1, 2, now(), NULL, 'external', 'filed', true,
    '{"status": "assigned", "assignee": ":assignee", "department": ":dept", "level": "1", "channel": "external", "ward": "12", "external": "pgbench"}'::jsonb,
    'Pothole reported by the load test', '{"landmark": "near the bus stop", "contact_mobile": "9876543210"}'::jsonb,
    sha256(random()::text::bytea), sha256((':id' || random())::bytea),
    '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea,
    sha256((':id' || random())::bytea));
INSERT INTO notifications (id, channel, recipient, subject, body, link, fallbacks)
VALUES (gen_random_uuid(), 'sms', '9876543210', ':number',
    'Nagarik: your grievance ' || ':number' || ' is registered.', '/grievances/' || ':number', '[]');
COMMIT;
