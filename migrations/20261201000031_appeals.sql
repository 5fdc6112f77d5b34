-- Appeals and revisions under the Odisha Right to Public Services Act: each department names
-- its appellate officer and its revision officer; an appeal is decided within 30 days, and may
-- order a penalty against the officer who failed.
ALTER TABLE departments
    ADD COLUMN appellate_officer_id uuid REFERENCES users (id) ON DELETE SET NULL,
    ADD COLUMN revision_officer_id uuid REFERENCES users (id) ON DELETE SET NULL;

CREATE TABLE appeals (
    id             uuid PRIMARY KEY,
    application_id uuid NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    -- 1: the appeal, 2: the revision
    level          smallint NOT NULL CHECK (level IN (1, 2)),
    ground         text NOT NULL CHECK (ground IN ('rejected', 'overdue')),
    -- who must decide it (the department's appellate or revision officer when it was filed)
    officer_id     uuid REFERENCES users (id) ON DELETE SET NULL,
    decision       text CHECK (decision IN ('allowed', 'dismissed')),
    filed_at       timestamptz NOT NULL,
    due_on         date NOT NULL,
    decided_at     timestamptz,
    decided_by     uuid REFERENCES users (id) ON DELETE SET NULL,
    -- a penalty ordered against the officer who failed (the application's assignee then)
    penalty_paise  bigint CHECK (penalty_paise > 0 AND penalty_paise <= 500000),
    penalised_id   uuid REFERENCES users (id) ON DELETE SET NULL,
    UNIQUE (application_id, level),
    CHECK ((decision IS NULL) = (decided_at IS NULL))
);
CREATE INDEX appeals_officer_pending ON appeals (officer_id) WHERE decision IS NULL;

-- Pending appeals wait on their officer in the work queue.
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
LEFT JOIN users u ON u.id = a.applicant_id
UNION ALL
SELECT 'appeal'::text,
       p.id,
       a.number,
       CASE WHEN p.decision IS NULL THEN 'pending' ELSE p.decision END,
       p.decision IS NULL,
       a.department_id,
       p.officer_id,
       NULL::uuid,
       NULL::integer,
       a.service_id,
       se.name,
       coalesce(nullif(so.name, ''), se.name),
       coalesce(nullif(sh.name, ''), se.name),
       ''::text,
       coalesce(u.name, ''),
       p.level::integer,
       0,
       1,
       CASE WHEN p.decision IS NULL THEN (p.due_on + 1)::timestamp AT TIME ZONE 'Asia/Kolkata' END,
       CASE WHEN p.decision IS NULL AND (p.due_on + 1)::timestamp AT TIME ZONE 'Asia/Kolkata' <= now()
            THEN (p.due_on + 1)::timestamp AT TIME ZONE 'Asia/Kolkata' END,
       p.filed_at
FROM appeals p
JOIN applications a ON a.id = p.application_id
JOIN service_translations se ON se.service_id = a.service_id AND se.locale = 'en'
LEFT JOIN service_translations so ON so.service_id = a.service_id AND so.locale = 'or'
LEFT JOIN service_translations sh ON sh.service_id = a.service_id AND sh.locale = 'hi'
LEFT JOIN users u ON u.id = a.applicant_id;
