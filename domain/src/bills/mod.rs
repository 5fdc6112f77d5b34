//! Bills: water (WATCO), electricity (TPCODL) and holding tax (BMC). A citizen links a consumer
//! number to their account, fetches the current bill, sees its history and pays it, in full or,
//! where the biller allows, in part. Bills come from billers through one interface shaped as
//! Bharat BillPay's (bill fetch, payment, transaction status; `biller`), one adapter per biller;
//! the queries in `store`.
//!
//! How a bill is paid: the amount is checked against the biller's rule (`amount_allowed`), the
//! money comes through the payment gateway like every other payment, and once it is ours the
//! biller must be told (`store::tell`, a job, retried with backoff while the biller is slow or
//! down, asking the transaction's status when an answer was lost). A biller that refuses the
//! payment (a disconnected consumer, say) has it refunded in full.

use crate::money::Paise;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
pub mod biller;
#[cfg(feature = "ssr")]
pub mod store;

/// The bill payments' numbers: "BP-26-0000001-7".
pub const NUMBER_PREFIX: &str = "BP";

/// How many consumer numbers one account may link.
pub const LINKS_MAX: i64 = 20;

/// A fetched bill older than this is fetched again before it is paid.
pub const FRESH_MINUTES: i64 = 30;

/// The billers the city's citizens pay through the portal.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum BillerId {
    Watco,
    Tpcodl,
    BmcHoldingTax,
}

impl BillerId {
    pub const ALL: [BillerId; 3] = [BillerId::Watco, BillerId::Tpcodl, BillerId::BmcHoldingTax];

    /// As kept and in links: "watco", "tpcodl", "bmc-holding-tax".
    pub fn code(self) -> &'static str {
        match self {
            BillerId::Watco => "watco",
            BillerId::Tpcodl => "tpcodl",
            BillerId::BmcHoldingTax => "bmc-holding-tax",
        }
    }

    pub fn parse(code: &str) -> Option<BillerId> {
        BillerId::ALL.into_iter().find(|b| b.code() == code)
    }

    /// The department whose receipts the money is.
    pub fn department(self) -> &'static str {
        match self {
            BillerId::Watco => "watco",
            BillerId::Tpcodl => "tpcodl",
            BillerId::BmcHoldingTax => "bmc",
        }
    }

    /// The catalogue's service for paying its bills.
    pub fn service(self) -> &'static str {
        match self {
            BillerId::Watco => "water-bill-payment",
            BillerId::Tpcodl => "electricity-bill-payment",
            BillerId::BmcHoldingTax => "holding-tax-payment",
        }
    }

    /// The name of the customer parameter the biller asks for, as BBPS names it.
    pub fn parameter(self) -> &'static str {
        match self {
            BillerId::Watco | BillerId::Tpcodl => "Consumer Number",
            BillerId::BmcHoldingTax => "Holding Number",
        }
    }

    /// A consumer number as the biller writes it, from what a person typed (spaces and case
    /// forgiven), or the translation key of what is wrong with it:
    /// WATCO's are 10 digits, TPCODL's 11, BMC's holding numbers a ward (1–67), "/", and the
    /// holding's serial ("12/4512").
    pub fn consumer(self, input: &str) -> Result<String, &'static str> {
        let s: String = input
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect();
        if s.is_empty() {
            return Err("err_consumer_required");
        }
        let digits = |n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
        let ok = match self {
            BillerId::Watco => digits(10),
            BillerId::Tpcodl => digits(11),
            BillerId::BmcHoldingTax => match s.split_once('/') {
                Some((ward, serial)) => {
                    ward.parse::<u8>().is_ok_and(|w| (1..=67).contains(&w))
                        && !ward.starts_with('0')
                        && (1..=6).contains(&serial.len())
                        && serial.bytes().all(|b| b.is_ascii_digit())
                }
                None => false,
            },
        };
        if ok {
            Ok(s)
        } else {
            Err(match self {
                BillerId::Watco => "err_consumer_watco",
                BillerId::Tpcodl => "err_consumer_tpcodl",
                BillerId::BmcHoldingTax => "err_consumer_holding",
            })
        }
    }
}

/// What a biller accepts against a bill (BBPS's `paymentExactness`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Exactness {
    /// the amount due, no more, no less
    Exact,
    /// the amount due or part of it (not less than the biller's minimum)
    ExactAndBelow,
    /// the amount due or more (an advance)
    ExactAndAbove,
    /// any amount
    Any,
}

impl Exactness {
    /// As BBPS writes it: "Exact", "Exact and below", "Exact and above", "Any".
    pub fn bbps(self) -> &'static str {
        match self {
            Exactness::Exact => "Exact",
            Exactness::ExactAndBelow => "Exact and below",
            Exactness::ExactAndAbove => "Exact and above",
            Exactness::Any => "Any",
        }
    }

    /// From BBPS's words (case and spacing forgiven; missing means exact, as BBPS defaults).
    pub fn from_bbps(s: &str) -> Exactness {
        match s
            .to_ascii_lowercase()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .as_str()
        {
            "exact and below" => Exactness::ExactAndBelow,
            "exact and above" => Exactness::ExactAndAbove,
            "any" => Exactness::Any,
            _ => Exactness::Exact,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Exactness::Exact => "exact",
            Exactness::ExactAndBelow => "exact_and_below",
            Exactness::ExactAndAbove => "exact_and_above",
            Exactness::Any => "any",
        }
    }

    pub fn parse(s: &str) -> Option<Exactness> {
        [
            Exactness::Exact,
            Exactness::ExactAndBelow,
            Exactness::ExactAndAbove,
            Exactness::Any,
        ]
        .into_iter()
        .find(|e| e.as_str() == s)
    }

    /// Whether the person may choose how much to pay.
    pub fn open(self) -> bool {
        self != Exactness::Exact
    }
}

/// Whether `amount` may be paid against a bill of `due` under the biller's rule and its
/// minimum, or the translation key of why not (said at the amount's field).
pub fn amount_allowed(
    exactness: Exactness,
    due: Paise,
    minimum: Paise,
    amount: Paise,
) -> Result<(), &'static str> {
    if amount.0 <= 0 {
        return Err("err_bill_amount");
    }
    if due.0 <= 0 && exactness != Exactness::Any && exactness != Exactness::ExactAndAbove {
        return Err("err_bill_nothing_due");
    }
    let below_minimum = amount < minimum && amount != due;
    match exactness {
        Exactness::Exact if amount != due => Err("err_bill_exact"),
        Exactness::ExactAndBelow if amount > due => Err("err_bill_too_much"),
        Exactness::ExactAndAbove if amount < due => Err("err_bill_too_little"),
        _ if below_minimum => Err("err_bill_below_minimum"),
        _ => Ok(()),
    }
}

/// Where a bill payment stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum State {
    /// the person is paying (the payment is open at the gateway)
    Paying,
    /// the money is ours; the biller is still to be told
    Paid,
    /// the biller has taken it
    Confirmed,
    /// the biller refused it; the money went back
    Rejected,
    /// the payment never came
    Lapsed,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::Paying => "paying",
            State::Paid => "paid",
            State::Confirmed => "confirmed",
            State::Rejected => "rejected",
            State::Lapsed => "lapsed",
        }
    }
    pub fn parse(s: &str) -> Option<State> {
        [
            State::Paying,
            State::Paid,
            State::Confirmed,
            State::Rejected,
            State::Lapsed,
        ]
        .into_iter()
        .find(|x| x.as_str() == s)
    }
}

/// How long to wait before telling a biller again after `attempts` tries it did not answer:
/// 10 s, 30 s, 1 min, 5 min, then every 30 min.
pub fn retry_after_secs(attempts: i32) -> i64 {
    match attempts {
        i32::MIN..=1 => 10,
        2 => 30,
        3 => 60,
        4 => 300,
        _ => 1_800,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn consumer_numbers_are_read_as_each_biller_writes_them() {
        assert_eq!(
            BillerId::Watco.consumer(" 10000 00001 "),
            Ok("1000000001".into())
        );
        assert_eq!(
            BillerId::Watco.consumer("100000001"),
            Err("err_consumer_watco")
        );
        assert_eq!(
            BillerId::Tpcodl.consumer("511-0000-0001"),
            Ok("51100000001".into())
        );
        assert_eq!(
            BillerId::Tpcodl.consumer("5110000000A"),
            Err("err_consumer_tpcodl")
        );
        assert_eq!(
            BillerId::BmcHoldingTax.consumer("12 / 4512"),
            Ok("12/4512".into())
        );
        for bad in ["68/1", "0/12", "012/4", "12/", "12/1234567", "124512"] {
            assert_eq!(
                BillerId::BmcHoldingTax.consumer(bad),
                Err("err_consumer_holding"),
                "{bad}"
            );
        }
        assert_eq!(BillerId::Watco.consumer("  "), Err("err_consumer_required"));
    }

    #[test]
    fn biller_codes_read_back() {
        for b in BillerId::ALL {
            assert_eq!(BillerId::parse(b.code()), Some(b));
        }
        assert_eq!(BillerId::parse("bescom"), None);
    }

    #[test]
    fn an_exact_bill_takes_exactly_what_is_due() {
        let due = Paise(41_200);
        assert_eq!(amount_allowed(Exactness::Exact, due, Paise(0), due), Ok(()));
        assert_eq!(
            amount_allowed(Exactness::Exact, due, Paise(0), Paise(41_100)),
            Err("err_bill_exact")
        );
        assert_eq!(
            amount_allowed(Exactness::Exact, due, Paise(0), Paise(0)),
            Err("err_bill_amount")
        );
    }

    #[test]
    fn part_payment_is_allowed_down_to_the_minimum_and_never_above_what_is_due() {
        let (due, min) = (Paise(183_650), Paise(10_000));
        let rule = Exactness::ExactAndBelow;
        assert_eq!(amount_allowed(rule, due, min, Paise(50_000)), Ok(()));
        assert_eq!(amount_allowed(rule, due, min, due), Ok(()));
        assert_eq!(
            amount_allowed(rule, due, min, Paise(9_999)),
            Err("err_bill_below_minimum")
        );
        assert_eq!(
            amount_allowed(rule, due, min, Paise(183_651)),
            Err("err_bill_too_much")
        );
        // what is left may be paid even when it is below the minimum
        assert_eq!(
            amount_allowed(rule, Paise(5_000), min, Paise(5_000)),
            Ok(())
        );
        // nothing due: nothing to pay
        assert_eq!(
            amount_allowed(rule, Paise(0), min, Paise(100)),
            Err("err_bill_nothing_due")
        );
    }

    #[test]
    fn an_advance_is_allowed_only_where_the_biller_takes_one() {
        let due = Paise(10_000);
        assert_eq!(
            amount_allowed(Exactness::ExactAndAbove, due, Paise(0), Paise(20_000)),
            Ok(())
        );
        assert_eq!(
            amount_allowed(Exactness::ExactAndAbove, due, Paise(0), Paise(5_000)),
            Err("err_bill_too_little")
        );
        assert_eq!(
            amount_allowed(Exactness::Any, Paise(0), Paise(0), Paise(5_000)),
            Ok(())
        );
    }

    #[test]
    fn bbps_words_read_as_rules() {
        assert_eq!(
            Exactness::from_bbps("Exact and Below"),
            Exactness::ExactAndBelow
        );
        assert_eq!(Exactness::from_bbps(""), Exactness::Exact);
        for e in [
            Exactness::Exact,
            Exactness::ExactAndBelow,
            Exactness::ExactAndAbove,
            Exactness::Any,
        ] {
            assert_eq!(Exactness::from_bbps(e.bbps()), e);
            assert_eq!(Exactness::parse(e.as_str()), Some(e));
        }
        for s in [
            State::Paying,
            State::Paid,
            State::Confirmed,
            State::Rejected,
            State::Lapsed,
        ] {
            assert_eq!(State::parse(s.as_str()), Some(s));
        }
    }

    #[test]
    fn a_slow_biller_is_asked_less_and_less_often() {
        let waits: Vec<i64> = (1..=7).map(retry_after_secs).collect();
        assert!(waits.windows(2).all(|w| w[0] <= w[1]), "{waits:?}");
        assert_eq!(waits[0], 10);
        assert_eq!(*waits.last().unwrap(), 1_800);
    }
}
