//! `/bookings/{number}`: a booking for its booker (and its department): the facility, the day
//! and time, how it stands, its receipts; paying a hold still open; cancelling, with what the
//! facility's rules give back said before the button.

use crate::forms::{FailureBanner, FieldMessage, FormResult, FormThen, ServerForm};
use crate::i18n::{fill, t, use_locale, Locale};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::request;
#[cfg(feature = "ssr")]
use domain::bookings::{store, State};
#[cfg(feature = "ssr")]
use domain::problem::Problem;

/// Holds are paid like fees: a payment for the booking, whose page sends the person on.
#[cfg(feature = "ssr")]
pub async fn start_paying(
    pool: &sqlx::PgPool,
    number: &str,
    booker: domain::ids::AccountId,
    key: &str,
    now: time::OffsetDateTime,
    l: Locale,
) -> Result<String, Problem> {
    use domain::payments::{store as payments, Purpose};
    let (id, department, amount) = store::due(pool, number, booker, now).await?;
    let asked = payments::Asked {
        purpose: Purpose::Booking,
        subject: id,
        payer: booker,
        department,
        amount,
        key: key.trim().to_string(),
        description: crate::payments::paid_for(Purpose::Booking, number, l),
    };
    let started = payments::start(pool, &request::state().config.payments, &asked, now).await?;
    Ok(started.payment.to_string())
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BookingView {
    pub number: String,
    pub facility: String,
    pub facility_href: String,
    pub address: String,
    pub day: String,
    pub time: String,
    pub state: String,
    pub state_label: String,
    pub amount: String,
    pub held_until: Option<String>,
    /// what cancelling now gives back (None: it cannot be cancelled)
    pub refund_if_cancelled: Option<String>,
    pub pay_key: Option<String>,
    pub receipts: Vec<crate::payments::ReceiptLink>,
    pub mine: bool,
}

#[cfg(feature = "ssr")]
fn state_label(s: State, l: Locale) -> &'static str {
    match s {
        State::Held => t::booking_held(l),
        State::Confirmed => t::booking_confirmed(l),
        State::Cancelled => t::booking_cancelled(l),
        State::Expired => t::booking_expired(l),
    }
}

#[server(endpoint = "bookings/view")]
pub async fn booking(number: String) -> Result<BookingView, ServerFnError> {
    let account = request::require_account()?;
    let l = request::request_locale();
    let pool = request::pool();
    let now = time::OffsetDateTime::now_utc();
    let p = store::page(&pool, &account.actor(), number.trim(), l)
        .await
        .map_err(request::refuse)?;
    let b = &p.booking;
    let mine = b.booker_id == Some(account.id);
    let ist = time::macros::offset!(+5:30);
    let (from, to) = (b.from.to_offset(ist), b.to.to_offset(ist));
    let receipts =
        crate::payments::receipt_links(&pool, domain::payments::Purpose::Booking, b.id, l)
            .await
            .map_err(request::refuse)?;
    let open = b.state == State::Held && b.held_until > now;
    Ok(BookingView {
        facility_href: format!("/book/{}", b.facility),
        facility: p.facility_name.clone(),
        address: p.address.clone(),
        day: super::calendar::long_day(from.date(), l),
        time: format!(
            "{:02}:{:02}–{:02}:{:02}",
            from.hour(),
            from.minute(),
            to.hour(),
            to.minute()
        ),
        state: b.state.as_str().into(),
        state_label: state_label(b.state, l).into(),
        amount: domain::money::Paise(b.fee.0 + b.deposit.0).to_string(),
        held_until: open.then(|| crate::grievances::ist(b.held_until)),
        refund_if_cancelled: mine
            .then(|| store::refund_if_cancelled(b, p.cancel, now))
            .flatten()
            .map(|p| p.to_string()),
        pay_key: (mine && open).then(|| domain::db::new_id().to_string()),
        receipts,
        mine,
        number: b.number.clone(),
    })
}

/// Pays for a hold still open (after a checkout given up, say).
#[server(endpoint = "bookings/pay")]
pub async fn pay(number: String, key: String) -> Result<FormResult<String>, ServerFnError> {
    let account = request::require_account()?;
    let now = time::OffsetDateTime::now_utc();
    let started = start_paying(
        &request::pool(),
        number.trim(),
        account.id,
        &key,
        now,
        request::request_locale(),
    )
    .await;
    if let Ok(payment) = &started {
        leptos_axum::redirect(&format!("/payments/{payment}"));
    }
    request::answer(started)
}

/// Cancels the caller's booking under its facility's rules; the answer is what goes back.
#[server(endpoint = "bookings/cancel")]
pub async fn cancel(number: String) -> Result<FormResult<String>, ServerFnError> {
    let account = request::require_account()?;
    let now = time::OffsetDateTime::now_utc();
    let state = request::state();
    let done = store::cancel(
        &state.pool,
        &state.config.payments,
        number.trim(),
        account.id,
        now,
    )
    .await;
    if done.is_ok() {
        leptos_axum::redirect(&format!("/bookings/{}", number.trim()));
    }
    request::answer(done.map(|c| c.refund.to_string()))
}

#[component]
pub fn BookingPage() -> impl IntoView {
    let l = use_locale();
    let number = use_params_map()
        .get_untracked()
        .get("number")
        .unwrap_or_default();
    let next = format!("/bookings/{number}");
    let data = OnceResource::new(booking(number));
    view! {
        <section class="page narrow stack">
            <Suspense fallback=|| ()>
                {move || {
                    let next = next.clone();
                    Suspend::new(async move {
                        match data.await {
                            Ok(b) => booking_view(l, b).into_any(),
                            Err(_) if !crate::identity::signed_in() => view! { <crate::layout::SignInFirst next=next/> }.into_any(),
                            Err(_) => view! { <crate::layout::LoadFailed/> }.into_any(),
                        }
                    })
                }}
            </Suspense>
        </section>
    }
}

fn booking_view(l: Locale, b: BookingView) -> impl IntoView {
    let title = fill(t::booking_title(l), &[("number", &b.number)]);
    let back_here = format!("/bookings/{}", b.number);
    let (pay_number, cancel_number) = (b.number.clone(), b.number.clone());
    view! {
        <Title text=title.clone()/>
        <h1>{title}</h1>
        <p class="meta"><span class=format!("badge status-{}", b.state) data-testid="booking-state">{b.state_label.clone()}</span></p>
        <dl class="facts">
            <dt>{t::booking_facility(l)}</dt><dd><a href=b.facility_href.clone()>{b.facility.clone()}</a></dd>
            <dt>{t::facility_address(l)}</dt><dd>{b.address.clone()}</dd>
            <dt>{t::booking_day(l)}</dt><dd data-testid="booking-day">{b.day.clone()}</dd>
            <dt>{t::booking_time(l)}</dt><dd>{b.time.clone()}</dd>
            <dt>{t::booking_amount(l)}</dt><dd>{b.amount.clone()}</dd>
        </dl>
        {b.held_until.clone().map(|until| view! { <p class="hint" role="status">{fill(t::booking_held_until(l), &[("time", &until)])}</p> })}
        {b.pay_key.clone().map(|key| view! {
            <ServerForm endpoint="bookings/pay".to_string() locale=l then=FormThen::redirect_with("/payments/") class="stack".to_string()>
                <input type="hidden" name="number" value=pay_number.clone()/>
                <input type="hidden" name="key" value=key/>
                <FailureBanner locale=l/>
                <FieldMessage field="form"/>
                <button type="submit" class="button" data-testid="pay-booking">{fill(t::pay_fee_button(l), &[("fee", &b.amount)])}</button>
            </ServerForm>
        })}
        {(!b.receipts.is_empty()).then(|| view! {
            <h2>{t::receipts_heading(l)}</h2>
            <ul class="plain" data-testid="receipts">
                {b.receipts.iter().map(|r| view! { <li><a href=format!("/receipts/{}", r.number)>{r.label.clone()}</a></li> }).collect_view()}
            </ul>
        })}
        {b.refund_if_cancelled.clone().map(|back| view! {
            <section class="card stack" aria-labelledby="cancel-heading">
                <h2 id="cancel-heading">{t::booking_cancel_heading(l)}</h2>
                <p data-testid="cancel-refund">{fill(t::booking_cancel_gives_back(l), &[("amount", &back)])}</p>
                <ServerForm endpoint="bookings/cancel".to_string() locale=l then=FormThen::redirect(back_here.clone()) class="stack".to_string()>
                    <input type="hidden" name="number" value=cancel_number.clone()/>
                    <FailureBanner locale=l/>
                    <FieldMessage field="form"/>
                    <button type="submit" class="button button-secondary" data-testid="cancel-booking">{t::booking_cancel_button(l)}</button>
                </ServerForm>
            </section>
        })}
    }
}
