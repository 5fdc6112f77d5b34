-- The service catalogue: services of every department, browsed by category and life event, and
-- searched with typo tolerance (trigrams) and synonyms in three languages.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE categories (
    id    uuid PRIMARY KEY,
    slug  text NOT NULL UNIQUE,
    icon  text NOT NULL DEFAULT '',
    position integer NOT NULL DEFAULT 0
);
CREATE TABLE category_translations (
    category_id uuid NOT NULL REFERENCES categories(id) ON DELETE CASCADE,
    locale      text NOT NULL CHECK (locale IN ('en', 'or', 'hi')),
    name        text NOT NULL,
    PRIMARY KEY (category_id, locale)
);

CREATE TABLE life_events (
    id    uuid PRIMARY KEY,
    slug  text NOT NULL UNIQUE,
    icon  text NOT NULL DEFAULT '',
    position integer NOT NULL DEFAULT 0
);
CREATE TABLE life_event_translations (
    life_event_id uuid NOT NULL REFERENCES life_events(id) ON DELETE CASCADE,
    locale        text NOT NULL CHECK (locale IN ('en', 'or', 'hi')),
    name          text NOT NULL,
    description   text NOT NULL DEFAULT '',
    PRIMARY KEY (life_event_id, locale)
);

CREATE TABLE services (
    id             uuid PRIMARY KEY,
    slug           text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9-]{2,80}$'),
    department_id  uuid NOT NULL REFERENCES departments(id),
    category_id    uuid NOT NULL REFERENCES categories(id),
    fee_paise      bigint NOT NULL DEFAULT 0 CHECK (fee_paise >= 0),
    -- fee that depends on the case (a bill, a tax) is shown as such, not as zero
    fee_varies     boolean NOT NULL DEFAULT false,
    days_to_deliver integer NOT NULL DEFAULT 0 CHECK (days_to_deliver >= 0),
    apply_mode     text NOT NULL DEFAULT 'in_app' CHECK (apply_mode IN ('in_app', 'handoff')),
    handoff_url    text,
    popularity     integer NOT NULL DEFAULT 0,
    published      boolean NOT NULL DEFAULT true,
    -- every name, summary and keyword in every language, lower-cased, for trigram search;
    -- kept up to date by the application whenever a service or its translations change
    search_text    text NOT NULL DEFAULT '',
    -- the names alone, so that a match in a name outranks one in a description
    search_names   text NOT NULL DEFAULT '',
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    CHECK (apply_mode = 'in_app' OR handoff_url IS NOT NULL)
);
CREATE INDEX services_department ON services (department_id);
CREATE INDEX services_category ON services (category_id);
CREATE INDEX services_popularity ON services (popularity DESC) WHERE published;
CREATE INDEX services_search ON services USING gin (search_text gin_trgm_ops);

CREATE TABLE service_translations (
    service_id   uuid NOT NULL REFERENCES services(id) ON DELETE CASCADE,
    locale       text NOT NULL CHECK (locale IN ('en', 'or', 'hi')),
    name         text NOT NULL,
    summary      text NOT NULL DEFAULT '',
    eligibility  text NOT NULL DEFAULT '',
    -- one document per line
    documents    text NOT NULL DEFAULT '',
    how_to_apply text NOT NULL DEFAULT '',
    -- words people use for this service that its name does not contain
    keywords     text NOT NULL DEFAULT '',
    PRIMARY KEY (service_id, locale)
);

CREATE TABLE service_life_events (
    service_id    uuid NOT NULL REFERENCES services(id) ON DELETE CASCADE,
    life_event_id uuid NOT NULL REFERENCES life_events(id) ON DELETE CASCADE,
    PRIMARY KEY (service_id, life_event_id)
);
CREATE INDEX service_life_events_event ON service_life_events (life_event_id);

-- What people say, and what the catalogue calls it: "light bill" means "electricity bill".
CREATE TABLE search_synonyms (
    phrase     text PRIMARY KEY,
    means      text NOT NULL
);
