//! `/bills/{biller}?consumer=…`: one linked consumer number. Its current bill is fetched from
//! the biller as the page opens (a biller that does not answer leaves the last bill known, said
//! as such); the person pays it in full, or part of it where the biller allows, and sees its past
//! bills and their own payments with their receipts.

use super::consumer_href;
#[cfg(feature = "ssr")]
use super::{biller_name, day};
use crate::forms::{FailureBanner, FieldMessage, FormResult, FormThen, ServerForm};
use crate::i18n::{fill, t, use_locale, Locale};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::request;
#[cfg(feature = "ssr")]
use domain::bills::store;
#[cfg(feature = "ssr")]
use domain::problem::Problem;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BillLine {
    pub number: String,
    pub period: String,
    pub bill_date: String,
    pub due_date: String,
    pub amount: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PaymentLine {
    pub number: String,
    pub amount: String,
    pub state: String,
    pub state_label: String,
    pub when: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConsumerView {
    pub biller: String,
    pub biller_name: String,
    pub consumer: String,
    pub customer_name: String,
    /// due, nothing_due or unreachable
    pub standing: String,
    pub current: Option<BillLine>,
    /// when what is shown was fetched (said when the biller did not answer now)
    pub fetched_at: String,
    /// the amount to pay, in rupees as the field starts ("412.00")
    pub amount: String,
    /// the person may pay part (or more) of it
    pub choose_amount: bool,
    /// the biller's rule, said beside the amount
    pub rule: String,
    pub pay_key: Option<String>,
    pub bills: Vec<BillLine>,
    pub payments: Vec<PaymentLine>,
}

#[cfg(feature = "ssr")]
fn line(b: &store::Bill) -> BillLine {
    BillLine {
        number: b.number.clone(),
        period: b.period.clone(),
        bill_date: b.bill_date.map(day).unwrap_or_default(),
        due_date: b.due_date.map(day).unwrap_or_default(),
        amount: b.amount.to_string(),
    }
}

#[cfg(feature = "ssr")]
fn rule(b: &store::Bill, l: Locale) -> String {
    use domain::bills::Exactness;
    let min = b.minimum.to_string();
    match b.exactness {
        Exactness::Exact => t::bill_rule_exact(l).to_string(),
        Exactness::ExactAndBelow => fill(t::bill_rule_part(l), &[("minimum", &min)]),
        Exactness::ExactAndAbove => t::bill_rule_advance(l).to_string(),
        Exactness::Any => t::bill_rule_any(l).to_string(),
    }
}

#[cfg(feature = "ssr")]
pub(super) fn state_label(s: domain::bills::State, l: Locale) -> &'static str {
    use domain::bills::State;
    match s {
        State::Paying => t::bill_paying(l),
        State::Paid => t::bill_paid_telling(l),
        State::Confirmed => t::bill_confirmed(l),
        State::Rejected => t::bill_rejected(l),
        State::Lapsed => t::bill_lapsed(l),
    }
}

#[server(endpoint = "bills/consumer")]
pub async fn consumer(biller: String, consumer: String) -> Result<ConsumerView, ServerFnError> {
    let account = request::require_account()?;
    let l = request::request_locale();
    let state = request::state();
    let pool = &state.pool;
    let now = time::OffsetDateTime::now_utc();
    let b = super::biller_at("biller", &biller).map_err(|_| request::refuse(Problem::NotFound))?;
    let consumer = consumer.trim().to_string();
    if !store::linked(pool, account.id, b, &consumer)
        .await
        .map_err(request::refuse)?
    {
        return Err(request::refuse(Problem::NotFound));
    }
    let current = store::current(pool, &state.config.billers, b, &consumer, now)
        .await
        .map_err(request::refuse)?;
    let (standing, shown) = match &current {
        store::Current::Due(bill) => ("due", Some(bill)),
        store::Current::NothingDue(bill) => ("nothing_due", bill.as_ref()),
        store::Current::Unreachable(bill) => ("unreachable", bill.as_ref()),
    };
    let bills = store::bills_of(pool, b, &consumer)
        .await
        .map_err(request::refuse)?;
    let payments = store::payments_of(pool, account.id, b, &consumer)
        .await
        .map_err(request::refuse)?;
    let due = standing == "due";
    Ok(ConsumerView {
        biller: b.code().into(),
        biller_name: biller_name(b, l).into(),
        customer_name: shown.map(|s| s.customer_name.clone()).unwrap_or_default(),
        standing: standing.into(),
        current: shown.map(line),
        fetched_at: shown
            .map(|s| crate::grievances::ist(s.fetched_at))
            .unwrap_or_default(),
        amount: shown
            .map(|s| format!("{}.{:02}", s.amount.0 / 100, s.amount.0 % 100))
            .unwrap_or_default(),
        choose_amount: shown.is_some_and(|s| s.exactness.open()),
        rule: shown.map(|s| rule(s, l)).unwrap_or_default(),
        pay_key: due.then(|| domain::db::new_id().to_string()),
        bills: bills
            .iter()
            .filter(|x| shown.is_none_or(|s| s.id != x.id))
            .map(line)
            .collect(),
        payments: payments
            .into_iter()
            .map(|p| PaymentLine {
                state: p.state.as_str().into(),
                state_label: state_label(p.state, l).into(),
                amount: p.amount.to_string(),
                when: crate::grievances::ist(p.created_at),
                number: p.number,
            })
            .collect(),
        consumer,
    })
}

/// Pays the current bill (all that is due, or `amount` where the biller takes part payments):
/// the answer is the payment's checkout.
#[server(endpoint = "bills/pay")]
pub async fn pay(
    biller: String,
    consumer: String,
    amount: String,
    key: String,
) -> Result<FormResult<String>, ServerFnError> {
    use domain::payments::{store as payments, Purpose};
    let account = request::require_account()?;
    let state = request::state();
    let now = time::OffsetDateTime::now_utc();
    let l = request::request_locale();
    let started = async {
        let b = super::biller_at("amount", &biller)?;
        let due = store::due(
            &state.pool,
            &state.config.billers,
            account.id,
            b,
            consumer.trim(),
            &amount,
            now,
        )
        .await?;
        let asked = payments::Asked {
            purpose: Purpose::Bill,
            subject: due.id,
            payer: account.id,
            department: due.department,
            amount: due.amount,
            key: key.trim().to_string(),
            description: crate::payments::paid_for(Purpose::Bill, &due.number, l),
        };
        let started = payments::start(&state.pool, &state.config.payments, &asked, now).await?;
        Ok::<_, Problem>(started.payment.to_string())
    }
    .await;
    if let Ok(payment) = &started {
        leptos_axum::redirect(&format!("/payments/{payment}"));
    }
    request::answer(started)
}

#[component]
pub fn ConsumerPage() -> impl IntoView {
    let l = use_locale();
    let biller = use_params_map()
        .get_untracked()
        .get("biller")
        .unwrap_or_default();
    let number = use_query_map()
        .get_untracked()
        .get("consumer")
        .unwrap_or_default();
    let next = domain::bills::BillerId::parse(&biller)
        .map(|b| consumer_href(b, &number))
        .unwrap_or_else(|| "/bills".into());
    let data = OnceResource::new(consumer(biller, number));
    view! {
        <section class="page narrow stack">
            {crate::layout::for_signed_in(next, data, move |v| consumer_view(l, v))}
        </section>
    }
}

fn bill_facts(l: Locale, b: &BillLine) -> impl IntoView {
    view! {
        <dl class="facts">
            <dt>{t::bill_number(l)}</dt><dd>{b.number.clone()}</dd>
            <dt>{t::bill_period(l)}</dt><dd>{b.period.clone()}</dd>
            {(!b.due_date.is_empty()).then(|| view! { <dt>{t::bill_due_date(l)}</dt><dd>{b.due_date.clone()}</dd> })}
            <dt>{t::bill_amount_due(l)}</dt><dd data-testid="bill-amount">{b.amount.clone()}</dd>
        </dl>
    }
}

fn consumer_view(l: Locale, v: ConsumerView) -> impl IntoView {
    let title = format!("{} · {}", v.biller_name, v.consumer);
    let (biller, consumer) = (v.biller.clone(), v.consumer.clone());
    let standing = match v.standing.as_str() {
        "due" => None,
        "nothing_due" => Some(view! { <p class="banner" role="status" data-testid="bill-standing">{t::bill_nothing_due(l)}</p> }.into_any()),
        _ => Some(view! {
            <p class="banner banner-error" role="status" data-testid="bill-standing">
                {fill(t::bill_biller_unreachable(l), &[("biller", &v.biller_name), ("time", &v.fetched_at)])}
            </p>
        }.into_any()),
    };
    view! {
        <Title text=title.clone()/>
        <h1>{title}</h1>
        <p class="meta">{v.customer_name.clone()}</p>
        {standing}
        {v.current.as_ref().map(|b| bill_facts(l, b))}
        {v.pay_key.clone().map(|key| view! {
            <ServerForm endpoint="bills/pay".to_string() locale=l then=FormThen::redirect_with("/payments/") class="stack".to_string()>
                <input type="hidden" name="biller" value=biller.clone()/>
                <input type="hidden" name="consumer" value=consumer.clone()/>
                <input type="hidden" name="key" value=key/>
                <FailureBanner locale=l/>
                {if v.choose_amount {
                    view! {
                        <label for="bill-amount">{t::bill_amount_to_pay(l)}</label>
                        <input id="bill-amount" name="amount" inputmode="decimal" value=v.amount.clone()
                            aria-describedby="amount-rule amount-error" aria-invalid="false" data-testid="bill-amount-input"/>
                    }.into_any()
                } else {
                    view! { <input type="hidden" name="amount" value=v.amount.clone()/> }.into_any()
                }}
                <p class="hint" id="amount-rule">{v.rule.clone()}</p>
                <FieldMessage field="amount"/>
                <FieldMessage field="form"/>
                <button type="submit" class="button" data-testid="pay-bill">{t::bill_pay_button(l)}</button>
            </ServerForm>
        })}
        {(!v.payments.is_empty()).then(|| view! {
            <h2>{t::bill_my_payments(l)}</h2>
            <ul class="plain" data-testid="bill-payments">
                {v.payments.iter().map(|p| view! {
                    <li>
                        <a href=format!("/bills/payments/{}", p.number)>{p.number.clone()}</a>
                        " · "{p.amount.clone()}" · "{p.when.clone()}" · "
                        <span class=format!("badge status-{}", p.state)>{p.state_label.clone()}</span>
                    </li>
                }).collect_view()}
            </ul>
        })}
        {(!v.bills.is_empty()).then(|| view! {
            <h2>{t::bill_history(l)}</h2>
            <ul class="plain" data-testid="bill-history">
                {v.bills.iter().map(|b| view! {
                    <li>{b.period.clone()}" · "{b.number.clone()}" · "{b.amount.clone()}</li>
                }).collect_view()}
            </ul>
        })}
        <p><a href="/bills">{t::bills_all(l)}</a></p>
    }
}
