-- A second factor at sign-in (TOTP, RFC 6238): required of staff, open to citizens.
--
-- The secret is set up unconfirmed and becomes the factor when a code from it is entered; until
-- then a new set-up replaces it. Each time step's code is accepted once per account
-- (`second_factor_steps`, RFC 6238 section 5.2), on every instance, by its primary key.
CREATE TABLE second_factors (
    user_id      uuid PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    secret       bytea NOT NULL CHECK (length(secret) >= 20),
    created_at   timestamptz NOT NULL DEFAULT now(),
    confirmed_at timestamptz
);

CREATE TABLE second_factor_steps (
    user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    step    bigint NOT NULL,
    PRIMARY KEY (user_id, step)
);

-- One-time recovery codes for a lost phone: kept as SHA-256 (they are random, 50 bits each).
CREATE TABLE recovery_codes (
    user_id   uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    code_hash bytea NOT NULL,
    used_at   timestamptz,
    PRIMARY KEY (user_id, code_hash)
);

-- A password that was right, waiting for the second step: its token (as SHA-256) sits in a
-- short-lived HttpOnly cookie; five wrong codes end it.
CREATE TABLE sign_in_challenges (
    token_hash bytea PRIMARY KEY,
    user_id    uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    expires_at timestamptz NOT NULL,
    tries      smallint NOT NULL DEFAULT 0,
    user_agent text NOT NULL DEFAULT ''
);
CREATE INDEX sign_in_challenges_user ON sign_in_challenges (user_id);

-- An account's security history (second factor set up, reset by an admin, a recovery code
-- used; staff appointed and removed; passwords changed and reset), chained like every other
-- history. Its head lives here rather than on `users`, so the chain outlives a closed account:
-- `label` is the citizen id while the account exists, and is cleared at closure.
CREATE TABLE account_chains (
    id           uuid PRIMARY KEY,
    label        text NOT NULL,
    history_seq  integer NOT NULL DEFAULT 0,
    history_head bytea
);
