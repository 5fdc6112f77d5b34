-- Posts: work is routed to a post (a role in a department with a jurisdiction: some wards, or
-- the whole city) that a person holds, as DIGIT does. When the holder is transferred, the
-- post's open work moves to their successor instead of staying with someone who left.
CREATE TABLE posts (
    id            uuid PRIMARY KEY,
    department_id uuid NOT NULL REFERENCES departments(id) ON DELETE CASCADE,
    title         text NOT NULL CHECK (length(title) BETWEEN 1 AND 120),
    -- the wards it serves; NULL: the whole city
    wards         integer[] CHECK (wards IS NULL OR cardinality(wards) BETWEEN 1 AND 500),
    -- who holds it now; NULL: vacant (its work waits with the department's admin)
    holder_id     uuid REFERENCES users(id) ON DELETE SET NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (department_id, title)
);
CREATE INDEX posts_holder ON posts (holder_id) WHERE holder_id IS NOT NULL;

-- Which grievance categories a post handles (a parent covers its children).
CREATE TABLE post_categories (
    post_id     uuid NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    category_id uuid NOT NULL REFERENCES grievance_categories(id) ON DELETE CASCADE,
    PRIMARY KEY (post_id, category_id)
);
CREATE INDEX post_categories_category ON post_categories (category_id);

-- Each route named a person for a category in a ward (or the city): it becomes a post that
-- person holds, one per person and ward, handling the route's categories.
INSERT INTO posts (id, department_id, title, wards, holder_id)
SELECT gen_random_uuid(), u.department_id,
       left(u.name, 80) || ' (' || right(u.citizen_id, 4) || ')'
           || CASE WHEN r.ward_number IS NULL THEN ' — city' ELSE ' — ward ' || r.ward_number END,
       CASE WHEN r.ward_number IS NULL THEN NULL ELSE ARRAY[r.ward_number] END,
       u.id
FROM (SELECT DISTINCT official_id, ward_number FROM grievance_routes) r
JOIN users u ON u.id = r.official_id AND u.department_id IS NOT NULL;
INSERT INTO post_categories (post_id, category_id)
SELECT p.id, r.category_id
FROM grievance_routes r
JOIN posts p ON p.holder_id = r.official_id
            AND p.wards IS NOT DISTINCT FROM CASE WHEN r.ward_number IS NULL THEN NULL ELSE ARRAY[r.ward_number] END
ON CONFLICT DO NOTHING;
DROP TABLE grievance_routes;

-- The post a grievance was routed to; kept while its first level lasts, so the post's successor
-- takes it over. Escalation leaves it (the level says who is answerable now); a hand-picked
-- reassignment clears it.
ALTER TABLE grievances ADD COLUMN post_id uuid REFERENCES posts(id) ON DELETE SET NULL;
UPDATE grievances g SET post_id = (
    SELECT p.id FROM posts p JOIN post_categories pc ON pc.post_id = p.id
    JOIN grievance_categories c ON c.id = g.category_id
    WHERE p.holder_id = g.assignee_id AND pc.category_id IN (c.id, c.parent_id)
      AND (p.wards IS NULL OR g.ward_number = ANY (p.wards))
    ORDER BY p.wards IS NULL LIMIT 1)
WHERE g.status IN ('submitted', 'assigned', 'in_progress', 'reopened') AND g.level = 1;
CREATE INDEX grievances_post_open ON grievances (post_id)
    WHERE post_id IS NOT NULL AND status IN ('submitted', 'assigned', 'in_progress', 'reopened');

-- The officials' work queue reads items of every kind through one view: each capability adds
-- its rows with UNION ALL (applications to decide, bookings to approve). `priority` is 0
-- (normal), 1 (high) or 2 (urgent); for grievances it is the "me too" rule
-- (`grievances::me_too::Priority`, whose unit and integration tests hold the two together).
CREATE VIEW work_items AS
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
JOIN grievance_categories c ON c.id = g.category_id;
