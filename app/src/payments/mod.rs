//! Payments in the app: an application's fee and how to pay it (a button that starts a payment
//! and sends the person to the gateway's hosted checkout, from `/payments/{id}`), how the last
//! try went, and the receipts (`receipt`). The browser's return from the checkout and the
//! gateway's webhooks are the server's (`server::api::payments`).

pub mod receipt;

use crate::forms::{FailureBanner, FieldMessage, FormResult, FormThen, ServerForm};
use crate::i18n::{fill, t, use_locale, Locale};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::request;
#[cfg(feature = "ssr")]
use domain::payments::{self, store, Purpose};
#[cfg(feature = "ssr")]
use domain::problem::Problem;

/// What an application's page shows of its fee.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FeeView {
    pub amount: String,
    pub paid: bool,
    /// the applicant may pay it now: the key this page's attempt carries
    pub pay_key: Option<String>,
    /// how the last try went (pending, failed, abandoned), in the person's language
    pub note: Option<String>,
    pub receipts: Vec<ReceiptLink>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReceiptLink {
    pub number: String,
    pub label: String,
}

/// The fee of application `id` as its page shows it to `viewer`.
#[cfg(feature = "ssr")]
pub async fn fee_view(
    pool: &sqlx::PgPool,
    id: uuid::Uuid,
    fee: domain::money::Paise,
    paid: bool,
    applicant: bool,
    l: Locale,
) -> Result<Option<FeeView>, Problem> {
    if fee.0 == 0 {
        return Ok(None);
    }
    let latest = store::latest_of(pool, Purpose::ApplicationFee, id).await?;
    let note = match latest.map(|(_, s)| s) {
        _ if paid => None,
        Some(payments::State::Pending) => Some(t::payment_pending_note(l)),
        Some(payments::State::Failed) => Some(t::payment_failed_note(l)),
        Some(payments::State::Abandoned) => Some(t::payment_abandoned_note(l)),
        _ => None,
    };
    let receipts = receipt_links(pool, Purpose::ApplicationFee, id, l).await?;
    let waiting = latest.is_some_and(|(_, s)| s == payments::State::Pending);
    Ok(Some(FeeView {
        amount: fee.to_string(),
        paid,
        pay_key: (applicant && !paid && !waiting).then(|| domain::db::new_id().to_string()),
        note: note.map(str::to_string),
        receipts,
    }))
}

/// The receipts of what was paid for one thing, as links.
#[cfg(feature = "ssr")]
pub async fn receipt_links(
    pool: &sqlx::PgPool,
    purpose: Purpose,
    subject: uuid::Uuid,
    l: Locale,
) -> Result<Vec<ReceiptLink>, Problem> {
    Ok(store::receipts_of(pool, purpose, subject)
        .await?
        .into_iter()
        .map(|r| ReceiptLink {
            label: format!(
                "{} · {}",
                fill(
                    if r.refund {
                        t::receipt_refund_title(l)
                    } else {
                        t::receipt_title(l)
                    },
                    &[("number", &r.number)]
                ),
                r.amount
            ),
            number: r.number,
        })
        .collect())
}

/// Starts paying an application's fee (or finds the attempt under way for this key): the
/// answer is the payment's id, whose page sends the person to the checkout.
#[server(endpoint = "payments/pay_fee")]
pub async fn pay_fee(number: String, key: String) -> Result<FormResult<String>, ServerFnError> {
    let account = request::require_account()?;
    let number = domain::applications::ApplicationNumber::parse(&number)
        .map_err(|_| request::refuse(Problem::NotFound))?;
    let pool = request::pool();
    let started = async {
        let due = domain::applications::store::fee_due(&pool, &number, account.id).await?;
        let asked = store::Asked {
            purpose: Purpose::ApplicationFee,
            subject: due.id,
            payer: account.id,
            department: due.department,
            amount: due.fee,
            key: key.trim().to_string(),
            description: fill(
                t::receipt_application_fee(request::request_locale()),
                &[("number", number.as_str())],
            ),
        };
        store::start(&pool, &request::state().config.payments, &asked, now()).await
    };
    let started = started.await;
    if let Ok(s) = &started {
        leptos_axum::redirect(&format!("/payments/{}", s.payment));
    }
    request::answer(started.map(|s| s.payment.to_string()))
}

/// What a payment is for, as a receipt and the checkout name it.
#[cfg(feature = "ssr")]
pub fn paid_for(purpose: Purpose, number: &str, l: Locale) -> String {
    let words = match purpose {
        Purpose::ApplicationFee => t::receipt_application_fee(l),
        Purpose::Booking => t::receipt_booking(l),
        Purpose::Bill => t::receipt_bill(l),
    };
    fill(words, &[("number", number)])
}

#[cfg(feature = "ssr")]
fn now() -> time::OffsetDateTime {
    time::OffsetDateTime::now_utc()
}

/// The "Pay now" button (with how the last try went), or that it is paid, and the receipts.
pub fn fee_section(l: Locale, number: &str, fee: FeeView) -> impl IntoView {
    let words = if fee.paid {
        t::fee_paid_note(l)
    } else {
        t::fee_due_note(l)
    };
    let summary = fill(words, &[("fee", &fee.amount)]);
    let number = number.to_string();
    view! {
        <section class="card stack" aria-labelledby="fee-heading" data-testid="fee">
            <h2 id="fee-heading">{t::fee_label(l)}</h2>
            <p data-testid="fee-summary">{summary}</p>
            {fee.note.clone().map(|n| view! { <p class="hint" role="status" data-testid="payment-note">{n}</p> })}
            {fee.pay_key.clone().map(|key| view! {
                <ServerForm endpoint="payments/pay_fee".to_string() locale=l then=FormThen::redirect_with("/payments/") class="stack".to_string()>
                    <input type="hidden" name="number" value=number.clone()/>
                    <input type="hidden" name="key" value=key/>
                    <FailureBanner locale=l/>
                    <FieldMessage field="form"/>
                    <p class="hint">{t::pay_fee_how(l)}</p>
                    <button type="submit" class="button" data-testid="pay-fee">{fill(t::pay_fee_button(l), &[("fee", &fee.amount)])}</button>
                </ServerForm>
            })}
            {(!fee.receipts.is_empty()).then(|| view! {
                <h3>{t::receipts_heading(l)}</h3>
                <ul class="plain" data-testid="receipts">
                    {fee.receipts.iter().map(|r| view! {
                        <li><a href=format!("/receipts/{}", r.number)>{r.label.clone()}</a></li>
                    }).collect_view()}
                </ul>
            })}
        </section>
    }
}

/// The hosted checkout a payment goes to: the gateway's address and the fields to post there.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CheckoutView {
    pub action: String,
    pub fields: Vec<(String, String)>,
    pub amount: String,
    pub paid_for: String,
    pub back_to: String,
}

#[server(endpoint = "payments/checkout")]
pub async fn checkout(id: String) -> Result<CheckoutView, ServerFnError> {
    use domain::payments::gateway::{CheckoutAbout, Gateway};
    let account = request::require_account()?;
    let id = uuid::Uuid::parse_str(id.trim()).map_err(|_| request::refuse(Problem::NotFound))?;
    let state = request::state();
    let to_pay = store::to_pay(&state.pool, account.id, id)
        .await
        .map_err(request::refuse)?;
    let l = request::request_locale();
    let base = &state.config.public_url;
    let description = fill(
        t::receipt_application_fee(l),
        &[("number", &to_pay.paid_for)],
    );
    let about = CheckoutAbout {
        description: description.clone(),
        name: t::app_name(l).to_string(),
        mobile: account.mobile.clone(),
        email: account.email.clone(),
        return_url: format!("{base}/payments/return"),
        cancel_url: format!("{base}{}", to_pay.back_to),
    };
    let c = state.config.payments.checkout(&to_pay.order, &about);
    Ok(CheckoutView {
        action: c.action,
        fields: c.fields,
        amount: to_pay.order.amount.to_string(),
        paid_for: description,
        back_to: to_pay.back_to,
    })
}

/// `/payments/{id}`: where the person goes on to the gateway's checkout (one button; the page
/// says where they are going and for how much).
#[component]
pub fn PaymentPage() -> impl IntoView {
    let l = use_locale();
    let id = use_params_map()
        .get_untracked()
        .get("id")
        .unwrap_or_default();
    let data = OnceResource::new(checkout(id));
    view! {
        <Title text=t::payment_go_title(l)/>
        <section class="page narrow stack">
            <h1>{t::payment_go_title(l)}</h1>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(c) => checkout_form(l, c).into_any(),
                        Err(_) if !crate::identity::signed_in() => view! { <crate::layout::SignInFirst next="/applications"/> }.into_any(),
                        Err(_) => view! { <crate::layout::LoadFailed/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

fn checkout_form(l: Locale, c: CheckoutView) -> impl IntoView {
    view! {
        <p>{c.paid_for.clone()}</p>
        <p>{fill(t::payment_go_note(l), &[("amount", &c.amount)])}</p>
        <form method="post" action=c.action.clone() data-testid="checkout-form">
            {c.fields.into_iter().map(|(name, value)| view! { <input type="hidden" name=name value=value/> }).collect_view()}
            <button type="submit" class="button" data-testid="go-to-checkout">{fill(t::payment_go_button(l), &[("amount", &c.amount)])}</button>
        </form>
        <p><a href=c.back_to>{t::payment_back(l)}</a></p>
    }
}
