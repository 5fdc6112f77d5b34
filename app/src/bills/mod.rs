//! Bills: `/bills` lists the consumer numbers a person has linked (water, electricity, holding
//! tax) with what each owes, and links another; `/bills/{biller}?consumer=…` fetches the current
//! bill, shows its history and pays it, in full or where the biller allows in part (`consumer`);
//! `/bills/payments/{number}` follows one payment until the biller has it (`payment`).

pub mod consumer;
pub mod payment;

use crate::forms::{FailureBanner, FieldMessage, FormResult, FormThen, ServerForm};
#[cfg(feature = "ssr")]
use crate::i18n::fill;
use crate::i18n::{t, use_locale, Locale};
use domain::bills::BillerId;
use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::request;
#[cfg(feature = "ssr")]
use domain::bills::store;
#[cfg(feature = "ssr")]
use domain::problem::{FieldError, Problem};

pub fn biller_name(b: BillerId, l: Locale) -> &'static str {
    match b {
        BillerId::Watco => t::biller_watco(l),
        BillerId::Tpcodl => t::biller_tpcodl(l),
        BillerId::BmcHoldingTax => t::biller_bmc_holding_tax(l),
    }
}

/// The consumer number's page.
pub fn consumer_href(b: BillerId, consumer: &str) -> String {
    format!(
        "/bills/{}?consumer={}",
        b.code(),
        consumer.replace('/', "%2F")
    )
}

/// "12-11-2026"
#[cfg(feature = "ssr")]
pub fn day(d: time::Date) -> String {
    format!("{:02}-{:02}-{}", d.day(), u8::from(d.month()), d.year())
}

#[cfg(feature = "ssr")]
pub(crate) fn biller_at(field: &str, code: &str) -> Result<BillerId, Problem> {
    BillerId::parse(code.trim())
        .ok_or_else(|| Problem::Invalid(vec![FieldError::new(field, "err_biller_unknown")]))
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LinkedCard {
    pub biller: String,
    pub consumer: String,
    pub nickname: String,
    pub href: String,
    /// "₹412 due by 20-12-2026", "Paid", or nothing fetched yet
    pub standing: Option<String>,
    pub customer_name: String,
}

#[server(endpoint = "bills/linked")]
pub async fn linked() -> Result<Vec<LinkedCard>, ServerFnError> {
    let account = request::require_account()?;
    let l = request::request_locale();
    let links = store::links_of(&request::pool(), account.id)
        .await
        .map_err(request::refuse)?;
    Ok(links
        .into_iter()
        .map(|k| LinkedCard {
            biller: biller_name(k.biller, l).into(),
            href: consumer_href(k.biller, &k.consumer),
            standing: k.last.as_ref().map(|b| match (b.amount.0, b.due_date) {
                (0, _) => t::bill_nothing_due(l).to_string(),
                (_, Some(d)) => fill(
                    t::bill_due_by(l),
                    &[("amount", &b.amount.to_string()), ("date", &day(d))],
                ),
                (_, None) => fill(t::bill_due(l), &[("amount", &b.amount.to_string())]),
            }),
            customer_name: k.last.map(|b| b.customer_name).unwrap_or_default(),
            consumer: k.consumer,
            nickname: k.nickname,
        })
        .collect())
}

/// Links a consumer number, once its biller knows it; the answer is its page.
#[server(endpoint = "bills/link")]
pub async fn link(
    biller: String,
    consumer: String,
    nickname: String,
) -> Result<FormResult<String>, ServerFnError> {
    let account = request::require_account()?;
    let state = request::state();
    let now = time::OffsetDateTime::now_utc();
    let done = match biller_at("biller", &biller) {
        Ok(b) => store::link(
            &state.pool,
            &state.config.billers,
            account.id,
            b,
            &consumer,
            &nickname,
            now,
        )
        .await
        .map(|c| consumer_href(b, &c)),
        Err(p) => Err(p),
    };
    if let Ok(href) = &done {
        leptos_axum::redirect(href);
    }
    request::answer(done)
}

#[component]
pub fn BillsPage() -> impl IntoView {
    let l = use_locale();
    let data = OnceResource::new(linked());
    view! {
        <Title text=t::bills_title(l)/>
        <section class="page narrow stack">
            <h1>{t::bills_title(l)}</h1>
            <p class="lead">{t::bills_lead(l)}</p>
            {crate::layout::for_signed_in("/bills".to_string(), data, move |cards| view! {
                {(!cards.is_empty()).then(|| view! {
                    <ul class="cards" data-testid="linked-bills">
                        {cards.into_iter().map(|c| view! {
                            <li class="card">
                                <h2><a href=c.href.clone()>{c.biller.clone()}" · "{c.consumer.clone()}</a></h2>
                                <p class="meta">{c.customer_name.clone()}
                                    {(!c.nickname.is_empty()).then(|| format!(" · {}", c.nickname))}</p>
                                {c.standing.clone().map(|s| view! { <p>{s}</p> })}
                            </li>
                        }).collect_view()}
                    </ul>
                })}
                {link_form(l)}
            })}
        </section>
    }
}

fn link_form(l: Locale) -> impl IntoView {
    view! {
        <section class="card stack" aria-labelledby="link-heading">
            <h2 id="link-heading">{t::bills_link_heading(l)}</h2>
            <ServerForm endpoint="bills/link".to_string() locale=l then=FormThen::redirect_with("") class="stack".to_string()>
                <FailureBanner locale=l/>
                <label for="bill-biller">{t::bills_biller(l)}</label>
                <select id="bill-biller" name="biller" required aria-describedby="biller-error" aria-invalid="false">
                    {BillerId::ALL.into_iter().map(|b| view! {
                        <option value=b.code()>{biller_name(b, l)}</option>
                    }).collect_view()}
                </select>
                <FieldMessage field="biller"/>
                <label for="bill-consumer">{t::bills_consumer(l)}</label>
                <input id="bill-consumer" name="consumer" required maxlength="40" autocomplete="off"
                    aria-describedby="consumer-hint consumer-error" aria-invalid="false"/>
                <p class="hint" id="consumer-hint">{t::bills_consumer_hint(l)}</p>
                <FieldMessage field="consumer"/>
                <label for="bill-nickname">{t::bills_nickname(l)}</label>
                <input id="bill-nickname" name="nickname" maxlength="60" aria-describedby="nickname-error" aria-invalid="false"/>
                <FieldMessage field="nickname"/>
                <FieldMessage field="form"/>
                <button type="submit" class="button" data-testid="link-bill">{t::bills_link_button(l)}</button>
            </ServerForm>
        </section>
    }
}
