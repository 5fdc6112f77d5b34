-- An external system's key is bound to that system: the references it files are that system's,
-- so one key cannot squat another system's references. The system is named by the key's label
-- when it is issued ("Jana Sampark" → jana-sampark).
ALTER TABLE intake_keys ADD COLUMN system text;
UPDATE intake_keys SET system = trim(both '-' from regexp_replace(lower(label), '[^a-z0-9]+', '-', 'g'))
WHERE channel = 'external';
