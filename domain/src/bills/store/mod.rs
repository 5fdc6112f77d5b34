//! Bills in Postgres, one file per concern: linking consumer numbers and fetching their bills
//! (here), `paying` (a payment against a bill, credited through `payments`, then told to the
//! biller by a job) and `reading` (a consumer's bill and history, a payment's page, the export).

mod paying;
mod reading;

pub use paying::*;
pub use reading::*;

use super::biller::{BillerError, Billers, Fetched};
use super::{BillerId, Exactness, LINKS_MAX};
use crate::history::{self, Facts, Subject};
use crate::ids::AccountId;
use crate::money::Paise;
use crate::problem::{FieldError, Problem};
use sqlx::{PgPool, Postgres, Transaction};
use time::OffsetDateTime;
use uuid::Uuid;

crate::text_enum!(super::State);

/// A bill as last fetched from its biller.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bill {
    pub id: Uuid,
    pub biller: BillerId,
    pub consumer: String,
    pub number: String,
    pub customer_name: String,
    pub period: String,
    pub bill_date: Option<time::Date>,
    pub due_date: Option<time::Date>,
    /// due when fetched
    pub amount: Paise,
    pub exactness: Exactness,
    pub minimum: Paise,
    pub fetched_at: OffsetDateTime,
}

/// What the biller says is due now for a consumer number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Current {
    Due(Bill),
    /// the bill is paid (the last one known, if any)
    NothingDue(Option<Bill>),
    /// the biller did not answer: the last bill known, if any, as it was when fetched
    Unreachable(Option<Bill>),
}

fn biller_down(e: &BillerError, biller: BillerId) -> Problem {
    tracing::warn!(biller = biller.code(), error = %e, "a biller did not answer");
    Problem::Conflict("err_biller_down")
}

/// Links `input` (a consumer number of `biller`) to the account, having asked the biller that
/// it exists: a number the biller does not know is refused at its field. Linking one already
/// linked changes nothing.
pub async fn link(
    pool: &PgPool,
    billers: &Billers,
    account: AccountId,
    biller: BillerId,
    input: &str,
    nickname: &str,
    now: OffsetDateTime,
) -> Result<String, Problem> {
    let consumer = biller
        .consumer(input)
        .map_err(|code| Problem::Invalid(vec![FieldError::new("consumer", code)]))?;
    let nickname = nickname.trim();
    if nickname.chars().count() > 60 {
        return Err(Problem::Invalid(vec![FieldError::new(
            "nickname",
            "err_text_too_long",
        )]));
    }
    let linked = sqlx::query_scalar!(
        r#"SELECT count(*) AS "n!" FROM bill_links WHERE account_id = $1"#,
        account.uuid()
    )
    .fetch_one(pool)
    .await?;
    if linked >= LINKS_MAX {
        return Err(Problem::Invalid(vec![FieldError::new(
            "consumer",
            "err_links_too_many",
        )]));
    }
    match billers.get(biller).fetch(&consumer).await {
        Ok(fetched) => {
            keep(pool, biller, &consumer, &fetched, now).await?;
        }
        Err(BillerError::NothingDue) => {}
        Err(BillerError::Unknown) => {
            return Err(Problem::Invalid(vec![FieldError::new(
                "consumer",
                "err_consumer_unknown",
            )]))
        }
        Err(e) => return Err(biller_down(&e, biller)),
    }
    sqlx::query!(
        "INSERT INTO bill_links (id, account_id, biller, consumer_number, nickname, linked_at)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (account_id, biller, consumer_number) DO UPDATE
             SET nickname = CASE WHEN EXCLUDED.nickname = '' THEN bill_links.nickname
                                 ELSE EXCLUDED.nickname END",
        crate::db::new_id(),
        account.uuid(),
        biller.code(),
        consumer,
        nickname,
        now
    )
    .execute(pool)
    .await?;
    Ok(consumer)
}

/// Takes a consumer number off the account (its payments stay, with their receipts).
pub async fn unlink(
    pool: &PgPool,
    account: AccountId,
    biller: BillerId,
    consumer: &str,
) -> Result<(), Problem> {
    let gone = sqlx::query!(
        "DELETE FROM bill_links WHERE account_id = $1 AND biller = $2 AND consumer_number = $3",
        account.uuid(),
        biller.code(),
        consumer
    )
    .execute(pool)
    .await?;
    if gone.rows_affected() == 0 {
        return Err(Problem::NotFound);
    }
    Ok(())
}

/// Whether the account has linked this consumer number (only then may it fetch and pay it
/// here, and see its bills).
pub async fn linked(
    pool: &PgPool,
    account: AccountId,
    biller: BillerId,
    consumer: &str,
) -> Result<bool, Problem> {
    Ok(sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM bill_links
                          WHERE account_id = $1 AND biller = $2 AND consumer_number = $3) AS "x!""#,
        account.uuid(),
        biller.code(),
        consumer
    )
    .fetch_one(pool)
    .await?)
}

/// Keeps a fetched bill (the same bill fetched again has its amount due brought up to date).
async fn keep(
    pool: &PgPool,
    biller: BillerId,
    consumer: &str,
    f: &Fetched,
    now: OffsetDateTime,
) -> Result<Bill, Problem> {
    let id = sqlx::query_scalar!(
        "INSERT INTO bills (id, biller, consumer_number, bill_number, customer_name, period,
                            bill_date, due_date, amount_paise, exactness, minimum_paise, fetched_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
         ON CONFLICT (biller, consumer_number, bill_number) DO UPDATE
             SET amount_paise = EXCLUDED.amount_paise, exactness = EXCLUDED.exactness,
                 minimum_paise = EXCLUDED.minimum_paise, due_date = EXCLUDED.due_date,
                 customer_name = EXCLUDED.customer_name, fetched_at = EXCLUDED.fetched_at
         RETURNING id",
        crate::db::new_id(),
        biller.code(),
        consumer,
        f.bill_number,
        f.customer_name,
        f.period,
        f.bill_date,
        f.due_date,
        f.amount.0,
        f.exactness.as_str(),
        f.minimum.0,
        now
    )
    .fetch_one(pool)
    .await?;
    Ok(Bill {
        id,
        biller,
        consumer: consumer.to_string(),
        number: f.bill_number.clone(),
        customer_name: f.customer_name.clone(),
        period: f.period.clone(),
        bill_date: f.bill_date,
        due_date: f.due_date,
        amount: f.amount,
        exactness: f.exactness,
        minimum: f.minimum,
        fetched_at: now,
    })
}

/// The bill last fetched for a consumer number.
pub async fn last_bill(
    pool: &PgPool,
    biller: BillerId,
    consumer: &str,
) -> Result<Option<Bill>, Problem> {
    let Some(b) = sqlx::query!(
        "SELECT id, bill_number, customer_name, period, bill_date, due_date, amount_paise,
                exactness, minimum_paise, fetched_at
         FROM bills WHERE biller = $1 AND consumer_number = $2
         ORDER BY fetched_at DESC LIMIT 1",
        biller.code(),
        consumer
    )
    .fetch_optional(pool)
    .await?
    else {
        return Ok(None);
    };
    Ok(Some(Bill {
        id: b.id,
        biller,
        consumer: consumer.to_string(),
        number: b.bill_number,
        customer_name: b.customer_name,
        period: b.period,
        bill_date: b.bill_date,
        due_date: b.due_date,
        amount: Paise(b.amount_paise),
        exactness: Exactness::parse(&b.exactness).unwrap_or(Exactness::Exact),
        minimum: Paise(b.minimum_paise),
        fetched_at: b.fetched_at,
    }))
}

/// Asks the biller what is due now for a consumer number, and keeps it. A biller that does not
/// answer leaves the last bill known, said as such.
pub async fn current(
    pool: &PgPool,
    billers: &Billers,
    biller: BillerId,
    consumer: &str,
    now: OffsetDateTime,
) -> Result<Current, Problem> {
    match billers.get(biller).fetch(consumer).await {
        Ok(fetched) => Ok(Current::Due(
            keep(pool, biller, consumer, &fetched, now).await?,
        )),
        Err(BillerError::NothingDue) => {
            let last = last_bill(pool, biller, consumer).await?;
            if let Some(b) = &last {
                // what was due is paid: the bill as kept says so
                sqlx::query!(
                    "UPDATE bills SET amount_paise = 0, fetched_at = $2 WHERE id = $1",
                    b.id,
                    now
                )
                .execute(pool)
                .await?;
            }
            Ok(Current::NothingDue(last.map(|b| Bill {
                amount: Paise(0),
                fetched_at: now,
                ..b
            })))
        }
        Err(BillerError::Unknown) => Err(Problem::NotFound),
        Err(e) => {
            biller_down(&e, biller);
            Ok(Current::Unreachable(
                last_bill(pool, biller, consumer).await?,
            ))
        }
    }
}

#[allow(clippy::too_many_arguments)]
async fn record(
    tx: &mut Transaction<'_, Postgres>,
    id: Uuid,
    seq: i32,
    head: Option<Vec<u8>>,
    actor: Option<AccountId>,
    kind: &str,
    facts: Facts,
    at: OffsetDateTime,
) -> Result<(), Problem> {
    let step = history::store::Step {
        subject: Subject::BillPayment,
        id,
        seq,
        head: head.as_deref(),
        actor,
        kind,
        facts,
        at,
    };
    Ok(history::store::record(tx, step).await?)
}
