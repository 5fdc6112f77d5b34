-- Payments through a gateway (Razorpay's protocol), a double-entry ledger of every movement, and
-- numbered receipts. Amounts in paise. What is paid for is a `purpose` and the id of its row (an
-- application's fee today; a bill or a booking next).

CREATE TABLE payments (
    id              uuid PRIMARY KEY,
    purpose         text NOT NULL CHECK (purpose IN ('application_fee', 'bill', 'booking')),
    subject_id      uuid NOT NULL,
    payer_id        uuid REFERENCES users(id) ON DELETE SET NULL,
    department_id   uuid NOT NULL REFERENCES departments(id),
    amount_paise    bigint NOT NULL CHECK (amount_paise > 0),
    -- what went back, never more than came in: checked here, under the row's lock in code
    refunded_paise  bigint NOT NULL DEFAULT 0 CHECK (refunded_paise >= 0 AND refunded_paise <= amount_paise),
    -- created: an order exists, nobody paid yet; pending: the bank has it (authorized, or a UPI
    -- collect not yet answered); captured: the money is ours; failed: every try failed;
    -- abandoned: nobody paid before the order lapsed (reconciliation says so, having asked)
    state           text NOT NULL CHECK (state IN ('created', 'pending', 'captured', 'failed', 'abandoned')),
    -- the browser's key for this attempt: a double click or a resent form finds the same row
    idempotency_key text NOT NULL UNIQUE CHECK (length(idempotency_key) BETWEEN 8 AND 100),
    gateway         text NOT NULL,
    order_id        text UNIQUE,
    gateway_payment_id text UNIQUE,
    method          text,
    failure         text,
    created_at      timestamptz NOT NULL,
    captured_at     timestamptz,
    -- when reconciliation last asked the gateway about it
    checked_at      timestamptz,
    history_seq     integer NOT NULL DEFAULT 0,
    history_head    bytea
);
-- One attempt open at a time for one thing: a second "Pay" while one is open reuses it.
CREATE UNIQUE INDEX payments_one_open ON payments (purpose, subject_id) WHERE state IN ('created', 'pending');
CREATE INDEX payments_subject ON payments (purpose, subject_id);
CREATE INDEX payments_payer ON payments (payer_id);
CREATE INDEX payments_unsettled ON payments (created_at) WHERE state IN ('created', 'pending');

CREATE TABLE refunds (
    id              uuid PRIMARY KEY,
    payment_id      uuid NOT NULL REFERENCES payments(id),
    amount_paise    bigint NOT NULL CHECK (amount_paise > 0),
    -- why: asked by the department, the fee was paid twice, a hold had lapsed, a booking cancelled
    reason          text NOT NULL CHECK (reason IN ('asked', 'paid_twice', 'not_wanted', 'cancelled')),
    state           text NOT NULL CHECK (state IN ('pending', 'processed', 'failed')),
    gateway_refund_id text UNIQUE,
    requested_by    uuid REFERENCES users(id) ON DELETE SET NULL,
    created_at      timestamptz NOT NULL,
    processed_at    timestamptz
);
CREATE INDEX refunds_payment ON refunds (payment_id);

-- Webhook events by the gateway's event id (x-razorpay-event-id): one seen is not applied again.
CREATE TABLE payment_webhook_events (
    event_id    text PRIMARY KEY CHECK (length(event_id) BETWEEN 1 AND 100),
    event       text NOT NULL,
    received_at timestamptz NOT NULL
);
CREATE INDEX payment_webhook_events_received ON payment_webhook_events (received_at);

-- Double entry: every movement is a set of entries that sum to zero (debit positive, credit
-- negative), checked by the database when the transaction commits.
CREATE TABLE ledger_entries (
    id           bigserial PRIMARY KEY,
    movement     uuid NOT NULL,
    account      text NOT NULL CHECK (account ~ '^[a-z_]+(:[a-z0-9_-]+)*$'),
    amount_paise bigint NOT NULL CHECK (amount_paise <> 0),
    payment_id   uuid REFERENCES payments(id),
    refund_id    uuid REFERENCES refunds(id),
    at           timestamptz NOT NULL
);
CREATE INDEX ledger_entries_movement ON ledger_entries (movement);
CREATE INDEX ledger_entries_account ON ledger_entries (account, at);

CREATE FUNCTION ledger_movement_balances() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (SELECT sum(amount_paise) FROM ledger_entries WHERE movement = NEW.movement) <> 0 THEN
        RAISE EXCEPTION 'ledger movement % does not balance', NEW.movement
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER ledger_balances AFTER INSERT ON ledger_entries
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_movement_balances();
CREATE FUNCTION ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the ledger is append-only';
END $$;
CREATE TRIGGER ledger_append_only BEFORE UPDATE OR DELETE ON ledger_entries
    FOR EACH ROW EXECUTE FUNCTION ledger_append_only();

-- A numbered receipt for every payment and every refund.
CREATE SEQUENCE receipt_number_seq;
CREATE TABLE receipts (
    number       text PRIMARY KEY,
    payment_id   uuid NOT NULL REFERENCES payments(id),
    refund_id    uuid UNIQUE REFERENCES refunds(id),
    amount_paise bigint NOT NULL CHECK (amount_paise > 0),
    issued_at    timestamptz NOT NULL
);
-- one receipt for the payment itself, one per refund
CREATE UNIQUE INDEX receipts_one_per_payment ON receipts (payment_id) WHERE refund_id IS NULL;

