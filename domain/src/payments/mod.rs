//! Payments: what is paid for, the states a payment goes through, and what to do when the gateway
//! says something about it. One gateway interface (`gateway`) with an adapter for Razorpay's API
//! (`razorpay`); the queries, the ledger and the receipts in `store`.
//!
//! How a payment goes, whichever way the news arrives (the browser coming back from the checkout,
//! a webhook, or reconciliation asking the gateway), all of it through `step`:
//! - the person asks to pay: a `payments` row (`created`) under the browser's idempotency key,
//!   and an order at the gateway for the amount; a second "Pay" while one is open reuses it;
//! - the gateway has a payment for the order: `authorized` is captured (the money becomes ours),
//!   `captured` is credited exactly once (state, ledger, receipt, and what it paid for is marked
//!   paid, in one transaction), `failed` leaves the order open for another try;
//! - a payment for something already paid is refunded in full;
//! - an order nobody paid is asked about by reconciliation until it lapses: then `abandoned`.

use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
pub mod gateway;
#[cfg(feature = "ssr")]
pub mod razorpay;
#[cfg(feature = "ssr")]
pub mod receipt_pdf;
#[cfg(feature = "ssr")]
pub mod store;

/// What a payment is for. Its `subject_id` is the row of that thing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Purpose {
    ApplicationFee,
    Bill,
    Booking,
}

impl Purpose {
    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::ApplicationFee => "application_fee",
            Purpose::Bill => "bill",
            Purpose::Booking => "booking",
        }
    }
    pub fn parse(s: &str) -> Option<Purpose> {
        match s {
            "application_fee" => Some(Purpose::ApplicationFee),
            "bill" => Some(Purpose::Bill),
            "booking" => Some(Purpose::Booking),
            _ => None,
        }
    }
}

/// Where a payment stands on our side.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum State {
    /// an order exists; nobody has paid yet
    Created,
    /// the bank has it: authorized and not yet captured, or a UPI request not yet answered
    Pending,
    /// the money is ours
    Captured,
    /// the last try failed (the order stays open for another)
    Failed,
    /// nobody paid before the order lapsed
    Abandoned,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::Created => "created",
            State::Pending => "pending",
            State::Captured => "captured",
            State::Failed => "failed",
            State::Abandoned => "abandoned",
        }
    }
    pub fn parse(s: &str) -> Option<State> {
        match s {
            "created" => Some(State::Created),
            "pending" => Some(State::Pending),
            "captured" => Some(State::Captured),
            "failed" => Some(State::Failed),
            "abandoned" => Some(State::Abandoned),
            _ => None,
        }
    }
    /// Still waiting on the person or the bank (reconciliation asks about these).
    pub fn is_open(self) -> bool {
        matches!(self, State::Created | State::Pending)
    }
}

/// What the gateway says of one payment of an order (Razorpay's `status`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Seen {
    /// a UPI request the person has not answered yet
    Waiting,
    Authorized,
    Captured,
    /// captured, then (some of it) given back at the gateway
    Refunded,
    Failed,
}

impl Seen {
    pub fn parse(status: &str) -> Option<Seen> {
        match status {
            "created" => Some(Seen::Waiting),
            "authorized" => Some(Seen::Authorized),
            "captured" => Some(Seen::Captured),
            "refunded" => Some(Seen::Refunded),
            "failed" => Some(Seen::Failed),
            _ => None,
        }
    }
}

/// What to do on our side when the gateway says `seen` of a payment whose row is in `state`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    Nothing,
    /// the bank is still deciding: show it as pending
    MarkPending,
    /// ask the gateway to capture it
    Capture,
    /// record the money as ours, exactly once
    Credit,
    /// this try failed; the order stays open
    MarkFailed,
}

/// The one rule every path goes through: the browser's return, a webhook (in any order, any
/// number of times) and reconciliation. A captured payment is credited once; news older than
/// what we know changes nothing.
pub fn step(state: State, seen: Seen) -> Step {
    match (state, seen) {
        (State::Captured, _) => Step::Nothing,
        (_, Seen::Captured | Seen::Refunded) => Step::Credit,
        (_, Seen::Authorized) => Step::Capture,
        (State::Created, Seen::Waiting) => Step::MarkPending,
        (State::Created | State::Pending, Seen::Failed) => Step::MarkFailed,
        _ => Step::Nothing,
    }
}

/// Why money goes back.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RefundReason {
    /// the department gave it back
    Asked,
    /// the same thing was paid for twice
    PaidTwice,
    /// what it paid for was no longer to be had (a hold that lapsed)
    NotWanted,
    /// a booking cancelled under its facility's rules
    Cancelled,
    /// the biller would not take a bill's payment
    BillerRefused,
}

impl RefundReason {
    pub fn as_str(self) -> &'static str {
        match self {
            RefundReason::Asked => "asked",
            RefundReason::PaidTwice => "paid_twice",
            RefundReason::NotWanted => "not_wanted",
            RefundReason::Cancelled => "cancelled",
            RefundReason::BillerRefused => "biller_refused",
        }
    }
    pub fn parse(s: &str) -> Option<RefundReason> {
        match s {
            "asked" => Some(RefundReason::Asked),
            "paid_twice" => Some(RefundReason::PaidTwice),
            "not_wanted" => Some(RefundReason::NotWanted),
            "cancelled" => Some(RefundReason::Cancelled),
            "biller_refused" => Some(RefundReason::BillerRefused),
            _ => None,
        }
    }
}

/// A refund of `asked` paise from a payment of `paid` of which `refunded` already went back:
/// never more than what is left, never nothing.
pub fn refund_allowed(paid: i64, refunded: i64, asked: i64) -> Result<(), &'static str> {
    if asked <= 0 {
        return Err("err_refund_amount");
    }
    if asked > paid - refunded {
        return Err("err_refund_too_much");
    }
    Ok(())
}

/// How long an order stays open for the person to pay (then reconciliation may call it
/// abandoned, having asked the gateway once more).
pub const ORDER_MINUTES: i64 = 30;

/// The receipts' numbers: "RC-26-0000001-7".
pub const RECEIPT_PREFIX: &str = "RC";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_captured_payment_is_credited_once_whatever_arrives_after() {
        assert_eq!(step(State::Created, Seen::Captured), Step::Credit);
        assert_eq!(step(State::Pending, Seen::Captured), Step::Credit);
        for seen in [
            Seen::Captured,
            Seen::Authorized,
            Seen::Failed,
            Seen::Waiting,
            Seen::Refunded,
        ] {
            assert_eq!(step(State::Captured, seen), Step::Nothing, "{seen:?}");
        }
    }

    #[test]
    fn news_out_of_order_never_goes_backwards() {
        // the capture's webhook before the authorization's
        assert_eq!(step(State::Captured, Seen::Authorized), Step::Nothing);
        // an authorized payment is captured, whatever the row says
        assert_eq!(step(State::Created, Seen::Authorized), Step::Capture);
        assert_eq!(step(State::Failed, Seen::Authorized), Step::Capture);
        // a UPI request still at the bank shows as pending, and never undoes a failure's news
        assert_eq!(step(State::Created, Seen::Waiting), Step::MarkPending);
        assert_eq!(step(State::Failed, Seen::Waiting), Step::Nothing);
        // a failed try of an order paid later is credited
        assert_eq!(step(State::Failed, Seen::Captured), Step::Credit);
        assert_eq!(step(State::Abandoned, Seen::Captured), Step::Credit);
        assert_eq!(step(State::Pending, Seen::Failed), Step::MarkFailed);
        assert_eq!(step(State::Abandoned, Seen::Failed), Step::Nothing);
    }

    #[test]
    fn refunds_never_exceed_what_was_paid() {
        assert_eq!(refund_allowed(10_000, 0, 10_000), Ok(()));
        assert_eq!(refund_allowed(10_000, 4_000, 6_000), Ok(()));
        assert_eq!(
            refund_allowed(10_000, 4_000, 6_001),
            Err("err_refund_too_much")
        );
        assert_eq!(refund_allowed(10_000, 0, 0), Err("err_refund_amount"));
        assert_eq!(refund_allowed(10_000, 0, -5), Err("err_refund_amount"));
    }

    #[test]
    fn stored_words_read_back() {
        for p in [Purpose::ApplicationFee, Purpose::Bill, Purpose::Booking] {
            assert_eq!(Purpose::parse(p.as_str()), Some(p));
        }
        for s in [
            State::Created,
            State::Pending,
            State::Captured,
            State::Failed,
            State::Abandoned,
        ] {
            assert_eq!(State::parse(s.as_str()), Some(s));
        }
        assert_eq!(Seen::parse("authorized"), Some(Seen::Authorized));
        assert_eq!(Seen::parse("settled"), None);
    }
}
