-- A service's application form, as its department defines it (`domain::applications::form::Form`
-- as JSON), versioned: a saved change is a new version, and an application keeps the version it
-- was filed with.
CREATE TABLE service_forms (
    service_id uuid NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    version    integer NOT NULL CHECK (version > 0),
    form       jsonb NOT NULL,
    created_by uuid REFERENCES users (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (service_id, version)
);
