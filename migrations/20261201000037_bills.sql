-- Bills: consumer numbers a citizen links (WATCO water, TPCODL electricity, BMC holding tax),
-- the bills fetched from their billers, and the payments made against them. A bill payment's
-- money is a `payments` row (purpose 'bill'); once it is ours the biller is told, and a biller's
-- refusal has it refunded.
CREATE TABLE bill_links (
    id              uuid PRIMARY KEY,
    account_id      uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    biller          text NOT NULL CHECK (biller IN ('watco', 'tpcodl', 'bmc-holding-tax')),
    consumer_number text NOT NULL CHECK (length(consumer_number) BETWEEN 1 AND 40),
    -- what the person calls it ("home", "shop")
    nickname        text NOT NULL DEFAULT '' CHECK (length(nickname) <= 60),
    linked_at       timestamptz NOT NULL,
    UNIQUE (account_id, biller, consumer_number)
);

-- A bill as its biller last gave it: the amount is what was due at `fetched_at`.
CREATE TABLE bills (
    id              uuid PRIMARY KEY,
    biller          text NOT NULL CHECK (biller IN ('watco', 'tpcodl', 'bmc-holding-tax')),
    consumer_number text NOT NULL,
    bill_number     text NOT NULL CHECK (length(bill_number) BETWEEN 1 AND 60),
    customer_name   text NOT NULL DEFAULT '',
    period          text NOT NULL DEFAULT '',
    bill_date       date,
    due_date        date,
    amount_paise    bigint NOT NULL CHECK (amount_paise >= 0),
    exactness       text NOT NULL CHECK (exactness IN ('exact', 'exact_and_below', 'exact_and_above', 'any')),
    minimum_paise   bigint NOT NULL DEFAULT 0 CHECK (minimum_paise >= 0),
    fetched_at      timestamptz NOT NULL,
    UNIQUE (biller, consumer_number, bill_number)
);
CREATE INDEX bills_consumer ON bills (biller, consumer_number, fetched_at DESC);

CREATE SEQUENCE bill_payment_number_seq;
CREATE TABLE bill_payments (
    id           uuid PRIMARY KEY,
    number       text NOT NULL UNIQUE,
    bill_id      uuid NOT NULL REFERENCES bills(id),
    payer_id     uuid REFERENCES users(id) ON DELETE SET NULL,
    -- the biller's department: its receipts, its officials see the payment
    department_id uuid NOT NULL REFERENCES departments(id),
    amount_paise bigint NOT NULL CHECK (amount_paise > 0),
    -- paying: at the gateway; paid: the money is ours, the biller still to be told;
    -- confirmed: the biller took it; rejected: the biller refused it (refunded); lapsed: never paid
    state        text NOT NULL CHECK (state IN ('paying', 'paid', 'confirmed', 'rejected', 'lapsed')),
    receipt_number text,
    biller_ref   text,
    refusal      text,
    -- telling the biller: how many tries it did not answer, and when to try again
    attempts     integer NOT NULL DEFAULT 0,
    next_try_at  timestamptz,
    created_at   timestamptz NOT NULL,
    paid_at      timestamptz,
    told_at      timestamptz,
    history_seq  integer NOT NULL DEFAULT 0,
    history_head bytea
);
CREATE INDEX bill_payments_to_tell ON bill_payments (next_try_at) WHERE state = 'paid';
CREATE INDEX bill_payments_bill ON bill_payments (bill_id);
CREATE INDEX bill_payments_payer ON bill_payments (payer_id);



-- a biller that refuses a payment has it given back
ALTER TABLE refunds DROP CONSTRAINT refunds_reason_check;
ALTER TABLE refunds ADD CONSTRAINT refunds_reason_check
    CHECK (reason IN ('asked', 'paid_twice', 'not_wanted', 'cancelled', 'biller_refused'));
