-- One history for every subject the city keeps: grievances today; applications, bookings,
-- payments and document access as they come. One chain per subject, its head on the subject's
-- own row (history_seq, history_head), one audit check over all of them.
--
-- `facts` are chained as they are: states and references, never personal data. What a person
-- wrote (`note`) and personal facts (`personal`: a contact, an address, a place) are chained by
-- `digest`, SHA-256 over `salt` and them; erasing them clears the salt too, and the chain still
-- verifies. `format` is how the hash was computed: 1 for the grievance history as first written
-- (every field in the clear, moved here as it was), 2 for today's.
CREATE TABLE history (
    subject     text NOT NULL,
    subject_id  uuid NOT NULL,
    seq         integer NOT NULL CHECK (seq > 0),
    format      smallint NOT NULL,
    at          timestamptz NOT NULL,
    -- no foreign key: a closed account does not rewrite anyone's history
    actor_id    uuid,
    actor_kind  text NOT NULL,
    kind        text NOT NULL,
    public      boolean NOT NULL DEFAULT true,
    facts       jsonb NOT NULL DEFAULT '{}',
    note        text,
    personal    jsonb,
    salt        bytea,
    digest      bytea,
    prev_hash   bytea NOT NULL,
    hash        bytea NOT NULL UNIQUE,
    PRIMARY KEY (subject, subject_id, seq)
);
CREATE INDEX history_actor ON history (actor_id) WHERE salt IS NOT NULL;

-- Nothing changes or leaves the history, except that a person's words may be erased (words and
-- salt cleared together, everything else as it was).
CREATE FUNCTION history_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.note IS NULL AND NEW.personal IS NULL AND NEW.salt IS NULL
       AND (NEW.subject, NEW.subject_id, NEW.seq, NEW.format, NEW.at, NEW.actor_id, NEW.actor_kind,
            NEW.kind, NEW.public, NEW.facts, NEW.digest, NEW.prev_hash, NEW.hash)
           IS NOT DISTINCT FROM
           (OLD.subject, OLD.subject_id, OLD.seq, OLD.format, OLD.at, OLD.actor_id, OLD.actor_kind,
            OLD.kind, OLD.public, OLD.facts, OLD.digest, OLD.prev_hash, OLD.hash)
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'history is append-only: only a person''s words may be erased';
END $$;
CREATE TRIGGER history_no_change BEFORE UPDATE OR DELETE ON history
    FOR EACH ROW EXECUTE FUNCTION history_append_only();

-- The grievance history as it was, in format 1: its hashes cover the fields below, which the
-- format-1 rules read back from these facts and words.
INSERT INTO history (subject, subject_id, seq, format, at, actor_id, actor_kind, kind, public,
                     facts, note, personal, prev_hash, hash)
SELECT 'grievance', grievance_id, seq, 1, at, actor_id, actor_kind, kind, public,
       jsonb_strip_nulls(jsonb_build_object(
           'status', NULLIF(status, ''),
           'assignee', assignee_id::text,
           'department', department_id::text,
           'level', level::text,
           'deadline', (extract(epoch FROM deadline_at) * 1000000)::bigint::text)),
       NULLIF(note, ''),
       CASE WHEN facts <> '' THEN jsonb_build_object('facts', facts) END,
       prev_hash, hash
FROM grievance_history;

DROP TABLE grievance_history;
DROP FUNCTION grievance_history_append_only();
