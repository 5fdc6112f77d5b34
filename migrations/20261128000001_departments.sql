-- Departments and the agencies the portal aggregates (BMC, BDA, CRUT, TPCODL, …).
CREATE TABLE departments (
    id          uuid PRIMARY KEY,
    code        text NOT NULL UNIQUE CHECK (code ~ '^[a-z0-9-]{2,32}$'),
    -- an agency is run outside the city (Odisha Police, TPCODL, Passport Seva) and aggregated here
    is_agency   boolean NOT NULL DEFAULT false,
    website     text,
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- Names in every language; English is the fallback where a translation is missing.
CREATE TABLE department_translations (
    department_id uuid NOT NULL REFERENCES departments(id) ON DELETE CASCADE,
    locale        text NOT NULL CHECK (locale IN ('en', 'or', 'hi')),
    name          text NOT NULL,
    description   text NOT NULL DEFAULT '',
    PRIMARY KEY (department_id, locale)
);
