-- Grievances: complaints from every channel, routed by category and ward to one official, climbing
-- an escalation ladder when their deadline passes, with an append-only, hash-chained history.

-- The city's wards (Bhubaneswar has 67); a grievance's place is a ward and a landmark at least.
CREATE TABLE wards (
    number   integer PRIMARY KEY CHECK (number > 0),
    name     text NOT NULL
);

-- What a grievance is about: a tree per department. Only leaves are filed against.
CREATE TABLE grievance_categories (
    id               uuid PRIMARY KEY,
    slug             text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9-]{2,64}$'),
    parent_id        uuid REFERENCES grievance_categories(id),
    department_id    uuid NOT NULL REFERENCES departments(id),
    name_en          text NOT NULL,
    name_or          text NOT NULL,
    name_hi          text NOT NULL,
    -- some complaints (illegal construction, noise) may be filed without a name
    allows_anonymous boolean NOT NULL DEFAULT false,
    -- the key an IVRS caller presses for this category (e.g. "12": menu 1, option 2)
    keypad           text UNIQUE,
    -- words that pick this category out of an SMS or email, in any of the three languages
    keywords         text NOT NULL DEFAULT '',
    position         integer NOT NULL DEFAULT 0
);
CREATE INDEX grievance_categories_parent ON grievance_categories (parent_id);

-- Who must act: per category, per ward (NULL ward = the rest of the city).
CREATE TABLE grievance_routes (
    id           uuid PRIMARY KEY,
    category_id  uuid NOT NULL REFERENCES grievance_categories(id) ON DELETE CASCADE,
    ward_number  integer REFERENCES wards(number),
    official_id  uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX grievance_routes_one ON grievance_routes (category_id, COALESCE(ward_number, 0));

-- The escalation ladder of a category: level 1 is the routed official, each later level names a
-- role (resolved to one person at escalation time) or a named official, with its own deadline.
CREATE TABLE escalation_levels (
    category_id  uuid NOT NULL REFERENCES grievance_categories(id) ON DELETE CASCADE,
    level        integer NOT NULL CHECK (level BETWEEN 1 AND 9),
    assignee     text NOT NULL CHECK (assignee IN ('routed', 'official', 'department_admin', 'city_admin')),
    official_id  uuid REFERENCES users(id) ON DELETE SET NULL,
    hours        integer NOT NULL CHECK (hours BETWEEN 1 AND 8760),
    -- warn the assignee when this share of the level's time has passed
    warn_percent integer NOT NULL DEFAULT 75 CHECK (warn_percent BETWEEN 1 AND 99),
    PRIMARY KEY (category_id, level),
    CHECK ((assignee = 'official') = (official_id IS NOT NULL))
);

CREATE SEQUENCE grievance_number_seq;

CREATE TABLE grievances (
    id               uuid PRIMARY KEY,
    -- what people read out on the phone: GR + year + serial + Verhoeff check digit
    number           text NOT NULL UNIQUE,
    channel          text NOT NULL CHECK (channel IN ('app', 'web', 'phone', 'sms', 'email', 'ivrs', 'kiosk', 'external')),
    category_id      uuid NOT NULL REFERENCES grievance_categories(id),
    department_id    uuid NOT NULL REFERENCES departments(id),
    ward_number      integer REFERENCES wards(number),
    landmark         text NOT NULL DEFAULT '',
    address          text NOT NULL DEFAULT '',
    latitude         double precision CHECK (latitude BETWEEN -90 AND 90),
    longitude        double precision CHECK (longitude BETWEEN -180 AND 180),
    description      text NOT NULL,
    -- an IVRS caller's recorded complaint, kept where the IVRS stored it
    recording_url    text,
    filer_id         uuid REFERENCES users(id),
    anonymous        boolean NOT NULL DEFAULT false,
    contact_name     text NOT NULL DEFAULT '',
    contact_mobile   text,
    contact_email    text,
    locale           text NOT NULL DEFAULT 'en' CHECK (locale IN ('en', 'or', 'hi')),
    status           text NOT NULL CHECK (status IN ('submitted', 'assigned', 'in_progress', 'resolved',
                        'closed_fixed', 'closed_not_fixed', 'rejected', 'reopened')),
    assignee_id      uuid REFERENCES users(id),
    level            integer NOT NULL DEFAULT 1,
    deadline_at      timestamptz,
    -- when to warn the assignee that the deadline nears (cleared once warned)
    warn_at          timestamptz,
    -- set when the last level's deadline passed too and nobody is left to escalate to
    overdue_since    timestamptz,
    reopen_count     integer NOT NULL DEFAULT 0,
    resolved_at      timestamptz,
    closed_at        timestamptz,
    rating           smallint CHECK (rating BETWEEN 1 AND 5),
    rating_comment   text,
    -- another system's own number for this complaint: a repeat never makes a second grievance
    external_system  text,
    external_ref     text,
    -- a client's key for one filing, so a retried or offline-queued filing lands once
    idempotency_key  text UNIQUE,
    -- the channel key (or agent) that brought it in
    intake_key_id    uuid,
    agent_id         uuid REFERENCES users(id),
    me_too_count     integer NOT NULL DEFAULT 0,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    -- the newest history entry: its number and hash (the chain's head)
    history_seq      integer NOT NULL DEFAULT 0,
    history_head     bytea,
    UNIQUE (external_system, external_ref)
);
CREATE INDEX grievances_assignee_queue ON grievances (assignee_id, deadline_at)
    WHERE status IN ('submitted', 'assigned', 'in_progress', 'reopened');
CREATE INDEX grievances_due ON grievances (deadline_at)
    WHERE status IN ('submitted', 'assigned', 'in_progress', 'reopened') AND overdue_since IS NULL;
CREATE INDEX grievances_warn_due ON grievances (warn_at)
    WHERE status IN ('submitted', 'assigned', 'in_progress', 'reopened') AND warn_at IS NOT NULL;
CREATE INDEX grievances_filer ON grievances (filer_id, created_at DESC);
CREATE INDEX grievances_department ON grievances (department_id, created_at DESC);
CREATE INDEX grievances_contact_mobile ON grievances (contact_mobile, created_at DESC);

-- Every step of a grievance: the citizen's timeline and the audit trail in one append-only table.
-- Each entry carries the SHA-256 of the one before, so a changed or removed entry breaks the chain.
CREATE TABLE grievance_history (
    grievance_id  uuid NOT NULL REFERENCES grievances(id),
    seq           integer NOT NULL CHECK (seq > 0),
    at            timestamptz NOT NULL,
    actor_id      uuid REFERENCES users(id),
    -- who acted, as the timeline names them: citizen, official, system, or a channel
    actor_kind    text NOT NULL,
    kind          text NOT NULL,
    status        text NOT NULL,
    assignee_id   uuid REFERENCES users(id),
    department_id uuid REFERENCES departments(id),
    level         integer NOT NULL,
    deadline_at   timestamptz,
    note          text NOT NULL DEFAULT '',
    -- what was filed (category, place, contact), on the first entry, so that it is covered too
    facts         text NOT NULL DEFAULT '',
    -- internal notes are for staff only
    public        boolean NOT NULL DEFAULT true,
    prev_hash     bytea NOT NULL,
    hash          bytea NOT NULL UNIQUE,
    PRIMARY KEY (grievance_id, seq)
);

CREATE FUNCTION grievance_history_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'grievance history is append-only';
END $$;
CREATE TRIGGER grievance_history_no_change BEFORE UPDATE OR DELETE ON grievance_history
    FOR EACH ROW EXECUTE FUNCTION grievance_history_append_only();

-- Keys for the intake API: one per gateway or external system, scoped to its channel, stored hashed.
CREATE TABLE intake_keys (
    id            uuid PRIMARY KEY,
    channel       text NOT NULL CHECK (channel IN ('sms', 'email', 'ivrs', 'external', 'open311')),
    label         text NOT NULL,
    key_hash      bytea NOT NULL UNIQUE,
    created_by    uuid REFERENCES users(id),
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_used_at  timestamptz,
    revoked_at    timestamptz
);
