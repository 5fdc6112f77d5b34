-- DigiLocker's requests, by transaction id, for a day: a request whose txn was seen is a replay.
CREATE TABLE digilocker_transactions (
    txn     text PRIMARY KEY CHECK (length(txn) BETWEEN 1 AND 100),
    seen_at timestamptz NOT NULL
);
CREATE INDEX digilocker_transactions_seen ON digilocker_transactions (seen_at);
