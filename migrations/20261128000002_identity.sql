-- People: citizens, officials, department admins and city admins share one table and one
-- citizen id; the role decides what they may do.
CREATE TABLE users (
    id             uuid PRIMARY KEY,
    citizen_id     text NOT NULL UNIQUE CHECK (citizen_id ~ '^[2-9][0-9]{11}$'),
    name           text NOT NULL,
    mobile         text NOT NULL UNIQUE CHECK (mobile ~ '^[6-9][0-9]{9}$'),
    email          text,
    password_hash  text NOT NULL,
    role           text NOT NULL DEFAULT 'citizen'
                   CHECK (role IN ('citizen', 'official', 'department_admin', 'city_admin')),
    department_id  uuid REFERENCES departments(id),
    locale         text NOT NULL DEFAULT 'en' CHECK (locale IN ('en', 'or', 'hi')),
    created_at     timestamptz NOT NULL DEFAULT now(),
    CHECK ((role IN ('official', 'department_admin')) = (department_id IS NOT NULL))
);

-- A registration waits here until its mobile number is confirmed by a one-time code.
CREATE TABLE pending_registrations (
    id             uuid PRIMARY KEY,
    name           text NOT NULL,
    mobile         text NOT NULL,
    email          text,
    password_hash  text NOT NULL,
    locale         text NOT NULL DEFAULT 'en',
    created_at     timestamptz NOT NULL DEFAULT now(),
    completed_user uuid REFERENCES users(id)
);
CREATE INDEX pending_registrations_mobile ON pending_registrations (mobile, created_at);

-- One-time codes are stored hashed; a code is spent by use, by expiry or by too many guesses.
CREATE TABLE one_time_codes (
    id              uuid PRIMARY KEY,
    purpose         text NOT NULL CHECK (purpose IN ('register')),
    mobile          text NOT NULL,
    registration_id uuid REFERENCES pending_registrations(id) ON DELETE CASCADE,
    code_hash       bytea NOT NULL,
    attempts        integer NOT NULL DEFAULT 0,
    created_at      timestamptz NOT NULL DEFAULT now(),
    expires_at      timestamptz NOT NULL,
    used_at         timestamptz
);
CREATE INDEX one_time_codes_mobile ON one_time_codes (mobile, created_at);
CREATE INDEX one_time_codes_registration ON one_time_codes (registration_id, created_at);

-- Sessions live in Postgres so that any server instance can serve any request. The cookie holds
-- a random token; only its SHA-256 is stored.
CREATE TABLE sessions (
    id               uuid PRIMARY KEY,
    token_hash       bytea NOT NULL UNIQUE,
    user_id          uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at       timestamptz NOT NULL DEFAULT now(),
    last_seen_at     timestamptz NOT NULL DEFAULT now(),
    idle_expires_at  timestamptz NOT NULL,
    expires_at       timestamptz NOT NULL,
    user_agent       text NOT NULL DEFAULT '',
    revoked_at       timestamptz
);
CREATE INDEX sessions_user ON sessions (user_id, created_at DESC);
