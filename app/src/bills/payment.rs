//! `/bills/payments/{number}`: one payment of a bill, for its payer and its biller's department:
//! how it stands (paying, paid and being told to the biller, confirmed with the biller's
//! reference, or refused by the biller and refunded), and its receipts.

#[cfg(feature = "ssr")]
use super::{biller_name, consumer_href};
use crate::i18n::{fill, t, use_locale, Locale};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::request;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BillPaymentView {
    pub number: String,
    pub biller_name: String,
    pub consumer: String,
    pub consumer_href: Option<String>,
    pub bill_number: String,
    pub period: String,
    pub amount: String,
    pub state: String,
    pub state_label: String,
    /// what the biller said: its reference, or why it refused
    pub said: Option<String>,
    /// the checkout of a payment still open
    pub checkout: Option<String>,
    pub receipts: Vec<crate::payments::ReceiptLink>,
}

#[server(endpoint = "bills/payment")]
pub async fn payment(number: String) -> Result<BillPaymentView, ServerFnError> {
    use domain::bills::State;
    let account = request::require_account()?;
    let l = request::request_locale();
    let pool = request::pool();
    let p = domain::bills::store::payment(&pool, &account.actor(), number.trim())
        .await
        .map_err(request::refuse)?;
    let receipts = crate::payments::receipt_links(&pool, domain::payments::Purpose::Bill, p.id, l)
        .await
        .map_err(request::refuse)?;
    let mine = p.payer_id == Some(account.id);
    let biller = biller_name(p.biller, l);
    let said = match p.state {
        State::Confirmed => p.biller_ref.as_ref().map(|r| {
            fill(
                t::bill_confirmed_reference(l),
                &[("biller", biller), ("reference", r)],
            )
        }),
        State::Rejected => Some(fill(
            t::bill_rejected_reason(l),
            &[
                ("biller", biller),
                ("reason", p.refusal.as_deref().unwrap_or("")),
            ],
        )),
        State::Paid => Some(fill(t::bill_telling(l), &[("biller", biller)])),
        _ => None,
    };
    Ok(BillPaymentView {
        biller_name: biller.into(),
        consumer_href: mine.then(|| consumer_href(p.biller, &p.consumer)),
        consumer: p.consumer.clone(),
        bill_number: p.bill_number.clone(),
        period: p.period.clone(),
        amount: p.amount.to_string(),
        state: p.state.as_str().into(),
        state_label: super::consumer::state_label(p.state, l).into(),
        said,
        checkout: (mine && p.state == State::Paying && p.payment_open)
            .then(|| p.payment.map(|id| format!("/payments/{id}")))
            .flatten(),
        receipts,
        number: p.number,
    })
}

#[component]
pub fn BillPaymentPage() -> impl IntoView {
    let l = use_locale();
    let number = use_params_map()
        .get_untracked()
        .get("number")
        .unwrap_or_default();
    let next = format!("/bills/payments/{number}");
    let data = OnceResource::new(payment(number));
    view! {
        <section class="page narrow stack">
            {crate::layout::for_signed_in(next, data, move |v| payment_view(l, v))}
        </section>
    }
}

fn payment_view(l: Locale, v: BillPaymentView) -> impl IntoView {
    let title = fill(t::bill_payment_title(l), &[("number", &v.number)]);
    view! {
        <Title text=title.clone()/>
        <h1>{title}</h1>
        <p class="meta"><span class=format!("badge status-{}", v.state) data-testid="bill-payment-state">{v.state_label.clone()}</span></p>
        {v.said.clone().map(|s| view! { <p role="status" data-testid="bill-payment-said">{s}</p> })}
        <dl class="facts">
            <dt>{t::bills_biller(l)}</dt><dd>{v.biller_name.clone()}</dd>
            <dt>{t::bills_consumer(l)}</dt>
            <dd>{match v.consumer_href.clone() {
                Some(href) => view! { <a href=href>{v.consumer.clone()}</a> }.into_any(),
                None => v.consumer.clone().into_any(),
            }}</dd>
            <dt>{t::bill_number(l)}</dt><dd>{v.bill_number.clone()}</dd>
            <dt>{t::bill_period(l)}</dt><dd>{v.period.clone()}</dd>
            <dt>{t::bill_amount_paid(l)}</dt><dd>{v.amount.clone()}</dd>
        </dl>
        {v.checkout.clone().map(|href| view! { <p><a class="button" href=href>{t::bill_go_to_checkout(l)}</a></p> })}
        {(!v.receipts.is_empty()).then(|| view! {
            <h2>{t::receipts_heading(l)}</h2>
            <ul class="plain" data-testid="receipts">
                {v.receipts.iter().map(|r| view! { <li><a href=format!("/receipts/{}", r.number)>{r.label.clone()}</a></li> }).collect_view()}
            </ul>
        })}
        <p><a href="/bills">{t::bills_all(l)}</a></p>
    }
}
