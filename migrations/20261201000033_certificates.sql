-- Certificates anyone can verify (`domain::certificates`).

-- The city's Ed25519 signing keys. One signs at a time; a retired key signs no more, and codes it
-- signed verify until `verifies_until` (NULL: no end). The private half is sealed under the master
-- key, bound to its kid.
CREATE TABLE certificate_keys (
    kid            bytea PRIMARY KEY CHECK (length(kid) = 8),
    public_key     bytea NOT NULL UNIQUE CHECK (length(public_key) = 32),
    private_key    bytea NOT NULL,
    created_at     timestamptz NOT NULL,
    retired_at     timestamptz,
    verifies_until timestamptz
);
CREATE UNIQUE INDEX certificate_keys_signing ON certificate_keys ((true)) WHERE retired_at IS NULL;

-- What an approval issued. The code (the signed payload a QR carries) is sealed under the master
-- key bound to the row: it names the holder and what is certified.
CREATE TABLE certificates (
    id             uuid PRIMARY KEY,
    -- the application's number names its certificate
    number         text NOT NULL UNIQUE,
    -- (the city keeps the record when the person closes their account)
    application_id uuid UNIQUE REFERENCES applications (id) ON DELETE SET NULL,
    department_id  uuid NOT NULL REFERENCES departments (id),
    holder_id      uuid REFERENCES users (id) ON DELETE SET NULL,
    kind           text NOT NULL CHECK (kind IN ('trade_licence', 'birth', 'marriage', 'character')),
    kid            bytea NOT NULL REFERENCES certificate_keys (kid),
    code           bytea NOT NULL,
    issued_at      timestamptz NOT NULL,
    valid_until    timestamptz,
    revoked_at     timestamptz,
    revoked_by     uuid REFERENCES users (id) ON DELETE SET NULL,
    revoked_reason text,
    CHECK ((revoked_at IS NULL) = (revoked_reason IS NULL))
);
CREATE INDEX certificates_holder ON certificates (holder_id, issued_at);
CREATE INDEX certificates_revoked ON certificates (number) WHERE revoked_at IS NOT NULL;
