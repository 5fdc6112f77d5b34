//! `/receipts/{number}`: a numbered receipt for a payment or a refund, in the reader's language,
//! for its payer, the department it paid and city admins (anyone else: not found). The service
//! worker keeps each one opened, so it shows on the phone without a connection.

use crate::i18n::{fill, t, use_locale, Locale};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::request;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReceiptView {
    pub number: String,
    pub refund: bool,
    pub amount: String,
    pub date: String,
    pub paid_for: String,
    pub paid_for_href: Option<String>,
    pub department: String,
    pub payer: Option<String>,
    pub method: Option<String>,
    pub reference: Option<String>,
    pub of_receipt: Option<String>,
}

#[server(endpoint = "payments/receipt")]
pub async fn receipt(number: String) -> Result<ReceiptView, ServerFnError> {
    let account = request::require_account()?;
    let l = request::request_locale();
    let number = domain::reference::parse(domain::payments::RECEIPT_PREFIX, &number)
        .map_err(|_| request::refuse(domain::problem::Problem::NotFound))?;
    let r = domain::payments::store::receipt(&request::pool(), &account.actor(), &number, l)
        .await
        .map_err(request::refuse)?;
    Ok(ReceiptView {
        paid_for: super::paid_for(r.purpose, &r.paid_for, l),
        paid_for_href: (!r.paid_for.is_empty())
            .then(|| domain::payments::store::page_of(r.purpose, &r.paid_for)),
        amount: r.amount.to_string(),
        date: crate::grievances::ist(r.issued_at),
        department: r.department,
        payer: r.payer_name,
        method: r.method.as_deref().map(|m| method_label(m, l).to_string()),
        reference: r.gateway_reference,
        of_receipt: r.of_receipt,
        refund: r.refund,
        number: r.number,
    })
}

pub fn method_label(method: &str, l: Locale) -> &'static str {
    match method {
        "upi" => t::method_upi(l),
        "card" => t::method_card(l),
        "netbanking" => t::method_netbanking(l),
        _ => t::method_wallet(l),
    }
}

#[component]
pub fn ReceiptPage() -> impl IntoView {
    let l = use_locale();
    let number = use_params_map()
        .get_untracked()
        .get("number")
        .unwrap_or_default();
    let next = format!("/receipts/{number}");
    let data = OnceResource::new(receipt(number));
    view! {
        <section class="page narrow stack">
            <Suspense fallback=|| ()>
                {move || {
                    let next = next.clone();
                    Suspend::new(async move {
                        match data.await {
                            Ok(r) => receipt_view(l, r).into_any(),
                            Err(_) if !crate::identity::signed_in() => view! { <crate::layout::SignInFirst next=next/> }.into_any(),
                            Err(_) => view! { <crate::layout::LoadFailed/> }.into_any(),
                        }
                    })
                }}
            </Suspense>
        </section>
    }
}

fn receipt_view(l: Locale, r: ReceiptView) -> impl IntoView {
    let title = fill(
        if r.refund {
            t::receipt_refund_title(l)
        } else {
            t::receipt_title(l)
        },
        &[("number", &r.number)],
    );
    view! {
        <Title text=title.clone()/>
        <article class="receipt stack" data-testid="receipt">
            <h1>{title}</h1>
            <dl class="facts">
                <dt>{if r.refund { t::receipt_refund_amount(l) } else { t::receipt_amount(l) }}</dt>
                <dd class="amount" data-testid="receipt-amount">{r.amount.clone()}</dd>
                <dt>{t::receipt_date(l)}</dt><dd>{r.date.clone()}</dd>
                <dt>{t::receipt_paid_for(l)}</dt>
                <dd>{match r.paid_for_href.clone() {
                    Some(href) => view! { <a href=href>{r.paid_for.clone()}</a> }.into_any(),
                    None => r.paid_for.clone().into_any(),
                }}</dd>
                <dt>{t::receipt_paid_to(l)}</dt><dd>{r.department.clone()}</dd>
                {r.payer.clone().map(|p| view! { <dt>{t::receipt_paid_by(l)}</dt><dd>{p}</dd> })}
                {r.method.clone().map(|m| view! { <dt>{t::receipt_method(l)}</dt><dd>{m}</dd> })}
                {r.reference.clone().map(|x| view! { <dt>{t::receipt_reference(l)}</dt><dd><code>{x}</code></dd> })}
            </dl>
            {r.of_receipt.clone().map(|o| view! {
                <p><a href=format!("/receipts/{o}")>{fill(t::receipt_of_payment(l), &[("number", &o)])}</a></p>
            })}
            <p><a href=format!("/receipts/{}/receipt.pdf", r.number) download data-testid="receipt-pdf">{t::receipt_pdf_link(l)}</a></p>
            <p class="hint">{t::receipt_kept_note(l)}</p>
        </article>
    }
}
