-- The document locker. Each person's documents are sealed (AES-256-GCM) under a data key of
-- their own; that key is kept here only wrapped (sealed) under the master key from configuration,
-- so nothing in the database or a backup reads as a document, a title or a number.
CREATE TABLE locker_keys (
    owner_id   uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    wrapped    bytea NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE locker_documents (
    id            uuid PRIMARY KEY,
    owner_id      uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind          text NOT NULL CHECK (kind ~ '^[a-z][a-z0-9_]{0,39}$'),
    -- what the person calls it, sealed under their key (NULL: the kind's name)
    title         bytea,
    media_type    text NOT NULL CHECK (media_type IN ('application/pdf', 'image/jpeg', 'image/png')),
    size_bytes    integer NOT NULL CHECK (size_bytes > 0 AND size_bytes <= 5242880),
    body          bytea NOT NULL,
    -- an Aadhaar or PAN number given with the card: sealed, found by a keyed digest (never by
    -- the number), shown masked — as UIDAI's Aadhaar Data Vault rules have it
    number        bytea,
    number_digest bytea,
    number_masked text,
    -- 'upload', or 'issued' for a certificate the city issued
    source        text NOT NULL DEFAULT 'upload' CHECK (source IN ('upload', 'issued')),
    created_at    timestamptz NOT NULL DEFAULT now(),
    CHECK ((number IS NULL) = (number_digest IS NULL))
);
CREATE INDEX locker_documents_owner ON locker_documents (owner_id, kind, created_at DESC);
CREATE INDEX locker_documents_number ON locker_documents (number_digest) WHERE number_digest IS NOT NULL;

-- Consent: a document attached to an application is shared with that application's department,
-- for that application alone, until it is decided; the person may withdraw a share not yet used.
CREATE TABLE document_shares (
    document_id    uuid NOT NULL REFERENCES locker_documents (id) ON DELETE CASCADE,
    application_id uuid NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    field_key      text NOT NULL,
    shared_at      timestamptz NOT NULL,
    first_opened_at timestamptz,
    withdrawn_at   timestamptz,
    PRIMARY KEY (application_id, field_key)
);
CREATE INDEX document_shares_document ON document_shares (document_id);
