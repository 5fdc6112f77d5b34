-- Facilities a department lets (kalyan mandaps, auditoriums, parks) and their bookings. Two live
-- holds or bookings of overlapping time in one facility are impossible: the database refuses them
-- (an exclusion constraint over time ranges), whatever the code above it does.
CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TABLE facilities (
    id               uuid PRIMARY KEY,
    slug             text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9-]{3,60}$'),
    department_id    uuid NOT NULL REFERENCES departments(id),
    kind             text NOT NULL CHECK (kind IN ('hall', 'auditorium', 'park')),
    name_en          text NOT NULL,
    name_or          text NOT NULL,
    name_hi          text NOT NULL,
    address          text NOT NULL,
    ward             smallint,
    capacity         integer NOT NULL CHECK (capacity > 0),
    -- per slot
    fee_paise        bigint NOT NULL CHECK (fee_paise >= 0),
    -- refundable, returned when the booking ends
    deposit_paise    bigint NOT NULL DEFAULT 0 CHECK (deposit_paise >= 0),
    rules_en         text NOT NULL DEFAULT '',
    rules_or         text NOT NULL DEFAULT '',
    rules_hi         text NOT NULL DEFAULT '',
    -- the slots of a day, minutes from midnight in India: [[540, 840], [1020, 1380]]
    slots            jsonb NOT NULL,
    book_ahead_days  integer NOT NULL DEFAULT 90 CHECK (book_ahead_days BETWEEN 1 AND 730),
    -- cancelled this many days ahead or more: the fee back in full; half_refund_days or more: half
    full_refund_days integer NOT NULL DEFAULT 7 CHECK (full_refund_days >= 0),
    half_refund_days integer NOT NULL DEFAULT 2 CHECK (half_refund_days >= 0),
    published        boolean NOT NULL DEFAULT true
);
CREATE INDEX facilities_department ON facilities (department_id);

CREATE TABLE facility_blackouts (
    facility_id uuid NOT NULL REFERENCES facilities(id) ON DELETE CASCADE,
    day         date NOT NULL,
    reason      text NOT NULL DEFAULT '',
    PRIMARY KEY (facility_id, day)
);

CREATE SEQUENCE booking_number_seq;
CREATE TABLE bookings (
    id            uuid PRIMARY KEY,
    number        text NOT NULL UNIQUE,
    facility_id   uuid NOT NULL REFERENCES facilities(id),
    booker_id     uuid REFERENCES users(id) ON DELETE SET NULL,
    during        tstzrange NOT NULL
                  CHECK (NOT isempty(during) AND lower_inc(during) AND NOT upper_inc(during)),
    -- held: for ten minutes while the person pays (longer while their bank decides a UPI
    -- payment); confirmed: paid; cancelled; expired: the hold lapsed unpaid
    state         text NOT NULL CHECK (state IN ('held', 'confirmed', 'cancelled', 'expired')),
    held_until    timestamptz NOT NULL,
    fee_paise     bigint NOT NULL CHECK (fee_paise >= 0),
    deposit_paise bigint NOT NULL CHECK (deposit_paise >= 0),
    created_at    timestamptz NOT NULL,
    confirmed_at  timestamptz,
    cancelled_at  timestamptz,
    history_seq   integer NOT NULL DEFAULT 0,
    history_head  bytea,
    CONSTRAINT bookings_no_overlap EXCLUDE USING gist (facility_id WITH =, during WITH &&)
        WHERE (state IN ('held', 'confirmed'))
);
CREATE INDEX bookings_held ON bookings (held_until) WHERE state = 'held';
CREATE INDEX bookings_booker ON bookings (booker_id);
