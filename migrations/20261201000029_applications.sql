-- Applications for services: filed with the version of the service's form they answer, numbered
-- like grievances ("AP-26-0000045-1"), with a time limit in working days (the due date; the clock
-- stands still while the department waits on the applicant), routed to a post that handles the
-- service, and a hash-chained history in `history` (subject 'application').
CREATE SEQUENCE application_number_seq;

CREATE TABLE applications (
    id            uuid PRIMARY KEY,
    number        text NOT NULL UNIQUE,
    service_id    uuid NOT NULL REFERENCES services (id),
    form_version  integer NOT NULL,
    department_id uuid NOT NULL REFERENCES departments (id),
    -- NULL once the applicant closed their account (the city keeps the record, not the person)
    applicant_id  uuid REFERENCES users (id) ON DELETE SET NULL,
    status        text NOT NULL CHECK (status IN ('submitted', 'verified', 'awaiting_citizen',
                                                  'approved', 'rejected', 'delivered')),
    -- the answers as JSON, sealed under the data key bound to the application (`domain::sealed`);
    -- NULL once erased at the applicant's request
    answers       bytea,
    locale        text NOT NULL CHECK (locale IN ('en', 'or', 'hi')),
    fee_paise     bigint NOT NULL CHECK (fee_paise >= 0),
    fee_status    text NOT NULL CHECK (fee_status IN ('none', 'due', 'paid')),
    -- the day it was filed and the day it must be decided by (IST), in working days
    filed_on      date NOT NULL,
    due_on        date NOT NULL,
    -- the day the department asked the applicant for more, while it waits (the clock stands still)
    waiting_since date,
    post_id       uuid REFERENCES posts (id) ON DELETE SET NULL,
    assignee_id   uuid REFERENCES users (id) ON DELETE SET NULL,
    -- the draft it was filed from: a second submit of the same draft finds this application
    draft_token   uuid NOT NULL UNIQUE,
    decided_at    timestamptz,
    history_seq   integer NOT NULL DEFAULT 0,
    history_head  bytea,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (service_id, form_version) REFERENCES service_forms (service_id, version),
    CHECK ((status = 'awaiting_citizen') = (waiting_since IS NOT NULL))
);
CREATE INDEX applications_applicant ON applications (applicant_id, created_at DESC);
CREATE INDEX applications_assignee_open ON applications (assignee_id)
    WHERE status NOT IN ('rejected', 'delivered');
CREATE INDEX applications_department_open ON applications (department_id)
    WHERE status NOT IN ('rejected', 'delivered');

-- What a citizen has typed into a service's form and not yet submitted: one draft per person and
-- service, sealed like the answers, kept as they type so nothing is lost.
CREATE TABLE application_drafts (
    applicant_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    service_id   uuid NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    form_version integer NOT NULL,
    answers      bytea NOT NULL,
    token        uuid NOT NULL UNIQUE,
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (applicant_id, service_id),
    FOREIGN KEY (service_id, form_version) REFERENCES service_forms (service_id, version)
);
CREATE INDEX application_drafts_updated ON application_drafts (updated_at);

-- Which services' applications a post decides (as `post_categories` says which grievances).
CREATE TABLE post_services (
    post_id    uuid NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    service_id uuid NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    PRIMARY KEY (post_id, service_id)
);
CREATE INDEX post_services_service ON post_services (service_id);

-- The work queue gains applications: due at the end of their due day in Bhubaneswar, with no
-- due time while the clock stands still.
CREATE OR REPLACE VIEW work_items AS
SELECT 'grievance'::text AS kind,
       g.id,
       g.number AS reference,
       g.status,
       g.status IN ('submitted', 'assigned', 'in_progress', 'reopened') AS open,
       g.department_id,
       g.assignee_id,
       g.post_id,
       g.ward_number,
       g.category_id AS topic_id,
       c.name_en AS title_en,
       c.name_or AS title_or,
       c.name_hi AS title_hi,
       g.landmark AS place,
       left(g.description, 140) AS summary,
       g.level,
       g.me_too_count AS supporters,
       CASE WHEN g.me_too_count >= 10 THEN 2 WHEN g.me_too_count >= 3 THEN 1 ELSE 0 END AS priority,
       g.deadline_at AS due_at,
       g.overdue_since,
       g.created_at
FROM grievances g
JOIN grievance_categories c ON c.id = g.category_id
UNION ALL
SELECT 'application'::text,
       a.id,
       a.number,
       a.status,
       a.status NOT IN ('rejected', 'delivered'),
       a.department_id,
       a.assignee_id,
       a.post_id,
       NULL::integer,
       a.service_id,
       se.name,
       coalesce(nullif(so.name, ''), se.name),
       coalesce(nullif(sh.name, ''), se.name),
       ''::text,
       coalesce(u.name, ''),
       1,
       0,
       0,
       CASE WHEN a.waiting_since IS NULL AND a.status NOT IN ('rejected', 'delivered')
            THEN (a.due_on + 1)::timestamp AT TIME ZONE 'Asia/Kolkata' END,
       CASE WHEN a.waiting_since IS NULL AND a.status NOT IN ('rejected', 'delivered')
                 AND (a.due_on + 1)::timestamp AT TIME ZONE 'Asia/Kolkata' <= now()
            THEN (a.due_on + 1)::timestamp AT TIME ZONE 'Asia/Kolkata' END,
       a.created_at
FROM applications a
JOIN service_translations se ON se.service_id = a.service_id AND se.locale = 'en'
LEFT JOIN service_translations so ON so.service_id = a.service_id AND so.locale = 'or'
LEFT JOIN service_translations sh ON sh.service_id = a.service_id AND sh.locale = 'hi'
LEFT JOIN users u ON u.id = a.applicant_id;
