//! Booking a facility: `/book` lists them, `/book/{slug}` shows one with a month's calendar (a
//! table of links, by keyboard and at 360 px) and a chosen day's times; choosing a free time holds
//! it for ten minutes and sends the person to pay (`payments`). `/bookings/{number}` shows a
//! booking, its receipts, and cancels it under the facility's rules (`booking`).

pub mod booking;
mod calendar;

pub use calendar::{Calendar, DayCell, DayTimes, TimeChoice};

use crate::forms::{FailureBanner, FieldMessage, FormResult, FormThen, ServerForm};
use crate::i18n::{fill, t, use_locale, Locale};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::request;
#[cfg(feature = "ssr")]
use domain::bookings::store;
#[cfg(feature = "ssr")]
use domain::problem::Problem;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FacilityCard {
    pub slug: String,
    pub kind: String,
    pub name: String,
    pub capacity: i32,
    pub fee: String,
    pub deposit: Option<String>,
}

pub fn kind_label(kind: &str, l: Locale) -> &'static str {
    match kind {
        "hall" => t::facility_hall(l),
        "auditorium" => t::facility_auditorium(l),
        _ => t::facility_park(l),
    }
}

#[server(endpoint = "bookings/facilities")]
pub async fn facilities() -> Result<Vec<FacilityCard>, ServerFnError> {
    let l = request::request_locale();
    Ok(store::facilities(&request::pool(), l)
        .await
        .map_err(request::refuse)?
        .into_iter()
        .map(|(slug, kind, name, capacity, fee, deposit)| FacilityCard {
            slug,
            kind: kind_label(&kind, l).to_string(),
            name,
            capacity,
            fee: fee.to_string(),
            deposit: (deposit.0 > 0).then(|| deposit.to_string()),
        })
        .collect())
}

#[component]
pub fn FacilitiesPage() -> impl IntoView {
    let l = use_locale();
    let data = OnceResource::new(facilities());
    view! {
        <Title text=t::book_title(l)/>
        <section class="page stack">
            <h1>{t::book_title(l)}</h1>
            <p class="lead">{t::book_lead(l)}</p>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(cards) => view! {
                            <ul class="cards" data-testid="facilities">
                                {cards.into_iter().map(|c| view! {
                                    <li class="card">
                                        <h2><a href=format!("/book/{}", c.slug)>{c.name.clone()}</a></h2>
                                        <p class="meta">{c.kind.clone()}" · "{fill(t::facility_capacity(l), &[("count", &c.capacity.to_string())])}</p>
                                        <p>{fill(t::facility_fee(l), &[("fee", &c.fee)])}
                                           {c.deposit.clone().map(|d| format!(" · {}", fill(t::facility_deposit(l), &[("deposit", &d)])))}</p>
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(_) => view! { <crate::layout::LoadFailed/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// One facility with a month of its calendar, and the times of the day chosen.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FacilityView {
    pub slug: String,
    pub name: String,
    pub kind: String,
    pub address: String,
    pub capacity: i32,
    pub fee: String,
    pub deposit: Option<String>,
    pub total: String,
    pub rules: String,
    pub calendar: Calendar,
    /// the day chosen, and each of its times with whether it is free
    pub day: Option<DayTimes>,
    pub key: String,
}

#[server(endpoint = "bookings/facility")]
pub async fn facility(
    slug: String,
    month: Option<String>,
    day: Option<String>,
) -> Result<FacilityView, ServerFnError> {
    let l = request::request_locale();
    let pool = request::pool();
    let f = store::facility(&pool, &slug, l)
        .await
        .map_err(request::refuse)?
        .ok_or_else(|| request::refuse(Problem::NotFound))?;
    let now = time::OffsetDateTime::now_utc();
    let chosen = day.as_deref().and_then(calendar::parse_day);
    let (calendar, day) = calendar::build(&pool, &f, month.as_deref(), chosen, now, l)
        .await
        .map_err(request::refuse)?;
    Ok(FacilityView {
        kind: kind_label(&f.kind, l).to_string(),
        total: domain::money::Paise(f.fee.0 + f.deposit.0).to_string(),
        fee: f.fee.to_string(),
        deposit: (f.deposit.0 > 0).then(|| f.deposit.to_string()),
        slug: f.slug,
        name: f.name,
        address: f.address,
        capacity: f.capacity,
        rules: f.rules,
        calendar,
        day,
        key: domain::db::new_id().to_string(),
    })
}

/// Holds the chosen time for ten minutes and starts paying for it: the answer is the payment's
/// id, whose page sends the person to the checkout.
#[server(endpoint = "bookings/book")]
pub async fn book(
    slug: String,
    day: String,
    slot: String,
    key: String,
) -> Result<FormResult<String>, ServerFnError> {
    let account = request::require_account()?;
    let l = request::request_locale();
    let pool = request::pool();
    let now = time::OffsetDateTime::now_utc();
    let booked = async {
        let f = store::facility(&pool, &slug, l)
            .await?
            .ok_or(Problem::NotFound)?;
        let day =
            calendar::parse_day(&day).ok_or_else(|| Problem::field("day", "err_booking_past"))?;
        let slot = slot
            .trim()
            .parse::<usize>()
            .map_err(|_| Problem::field("slot", "err_booking_slot"))?;
        let held = store::hold(&pool, &f, day, slot, account.id, now).await?;
        booking::start_paying(&pool, &held.number, account.id, &key, now, l).await
    };
    let booked = booked.await;
    if let Ok(payment) = &booked {
        leptos_axum::redirect(&format!("/payments/{payment}"));
    }
    request::answer(booked)
}

#[component]
pub fn FacilityPage() -> impl IntoView {
    let l = use_locale();
    let slug = use_params_map()
        .get_untracked()
        .get("slug")
        .unwrap_or_default();
    let q = use_query_map().get_untracked();
    let data = OnceResource::new(facility(slug, q.get("month"), q.get("day")));
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(f) => facility_view(l, f).into_any(),
                    Err(_) => view! { <section class="page"><crate::layout::LoadFailed/></section> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn facility_view(l: Locale, f: FacilityView) -> impl IntoView {
    let signed_in = crate::identity::signed_in();
    view! {
        <Title text=f.name.clone()/>
        <article class="page narrow stack">
            <p class="breadcrumb"><a href="/book">{t::book_title(l)}</a></p>
            <h1>{f.name.clone()}</h1>
            <dl class="facts">
                <dt>{t::facility_kind(l)}</dt><dd>{f.kind.clone()}</dd>
                <dt>{t::facility_address(l)}</dt><dd>{f.address.clone()}</dd>
                <dt>{t::facility_people(l)}</dt><dd>{f.capacity}</dd>
                <dt>{t::facility_fee_label(l)}</dt><dd>{f.fee.clone()}</dd>
                {f.deposit.clone().map(|d| view! { <dt>{t::facility_deposit_label(l)}</dt><dd>{d}</dd> })}
            </dl>
            {(!f.rules.is_empty()).then(|| view! { <p class="hint">{f.rules.clone()}</p> })}
            <h2 id="calendar-heading">{t::facility_choose_day(l)}</h2>
            {calendar::month_view(l, f.calendar.clone())}
            {f.day.clone().map(|DayTimes { label, date, times }| {
                let any_free = times.iter().any(|c| c.free);
                view! {
                    <section class="card stack" aria-labelledby="times-heading" id="times">
                        <h2 id="times-heading">{label}</h2>
                        {if !signed_in {
                            view! { <crate::layout::SignInFirst next=format!("/book/{}?day={date}", f.slug)/> }.into_any()
                        } else if any_free {
                            view! {
                                <ServerForm endpoint="bookings/book".to_string() locale=l then=FormThen::redirect_with("/payments/") class="stack".to_string()>
                                    <input type="hidden" name="slug" value=f.slug.clone()/>
                                    <input type="hidden" name="day" value=date.clone()/>
                                    <input type="hidden" name="key" value=f.key.clone()/>
                                    <FailureBanner locale=l/>
                                    <FieldMessage field="form"/>
                                    <fieldset aria-describedby="slot-error day-error">
                                        <legend>{t::facility_choose_time(l)}</legend>
                                        {times.iter().map(|c| view! {
                                            <label class="choice">
                                                <input type="radio" name="slot" value=c.index.to_string() disabled=!c.free required=true/>
                                                {format!("{} · {}", c.label, if c.free { t::facility_free(l) } else { t::facility_taken(l) })}
                                            </label>
                                        }).collect_view()}
                                    </fieldset>
                                    <FieldMessage field="slot"/>
                                    <FieldMessage field="day"/>
                                    <p class="hint">{fill(t::facility_hold_note(l), &[("amount", &f.total)])}</p>
                                    <button type="submit" class="button" data-testid="hold-and-pay">{fill(t::facility_hold_button(l), &[("amount", &f.total)])}</button>
                                </ServerForm>
                            }.into_any()
                        } else {
                            view! { <p>{t::facility_day_full(l)}</p> }.into_any()
                        }}
                    </section>
                }
            })}
        </article>
    }
}
