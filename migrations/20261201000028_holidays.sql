-- The holidays the city keeps (Sundays and second Saturdays are off by rule, not listed here):
-- a service's time limit counts working days, as the Right to Public Services Act does.
CREATE TABLE holidays (
    day        date PRIMARY KEY,
    name_en    text NOT NULL CHECK (length(name_en) BETWEEN 1 AND 100),
    name_or    text NOT NULL DEFAULT '',
    name_hi    text NOT NULL DEFAULT '',
    created_by uuid REFERENCES users (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
