//! One application's page, for its applicant and its department alike: the number (and, just
//! after applying, the acknowledgement with the due date), the answers as filed, every step with
//! who took it and when, and the steps open to the caller.

use crate::forms::{FailureBanner, FieldMessage, FormResult, FormThen, ServerForm};
use crate::i18n::{fill, t, use_locale, Locale};
use crate::layout::{LoadFailed, NotFound, SignInFirst};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use super::{day, now};
#[cfg(feature = "ssr")]
use crate::request;
#[cfg(feature = "ssr")]
use domain::applications::{access, lifecycle, store, Action, ApplicationNumber};
#[cfg(feature = "ssr")]
use domain::problem::Problem;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StepView {
    pub action: String,
    pub label: String,
    pub needs_note: bool,
}

/// A locker document attached to the application, shared with its department.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AttachedView {
    pub field: String,
    /// The question it answers.
    pub label: String,
    pub href: String,
    pub opened: Option<String>,
    pub withdrawn: bool,
    /// The applicant may still stop sharing it (nobody opened it, and it is being decided).
    pub may_withdraw: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TimelineRow {
    pub at: String,
    pub what: String,
    pub who: String,
    pub note: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ApplicationView {
    pub number: String,
    pub service: String,
    pub service_slug: String,
    pub department: String,
    pub status: String,
    pub status_label: String,
    pub filed_on: String,
    /// While the department must act.
    pub due_on: Option<String>,
    pub waiting_since: Option<String>,
    pub fee: Option<crate::payments::FeeView>,
    pub form_version: i32,
    /// (question, answer) of the fields shown; `None` once erased.
    pub answers: Option<Vec<(String, String)>>,
    pub applicant: Option<String>,
    pub assignee: Option<String>,
    pub timeline: Vec<TimelineRow>,
    pub steps: Vec<StepView>,
    /// The applicant, seeing it just after applying (only the filing is in its history).
    pub just_filed: bool,
    pub staff: bool,
    /// What the department asked for, while it waits on the applicant.
    pub asked: Option<String>,
    pub documents: Vec<AttachedView>,
    pub appeals: super::appeals::AppealsView,
    pub certificate: Option<super::certificate::CertificateView>,
}

#[cfg(feature = "ssr")]
fn ist(at: time::OffsetDateTime) -> String {
    crate::grievances::ist(at)
}

#[server(endpoint = "applications/view")]
pub async fn application(number: String) -> Result<ApplicationView, ServerFnError> {
    let account = request::require_account()?;
    let l = request::request_locale();
    let number =
        ApplicationNumber::parse(&number).map_err(|_| request::refuse(Problem::NotFound))?;
    let pool = request::pool();
    let a = store::by_number(&pool, &request::data_key(), &number, l)
        .await
        .map_err(request::refuse)?
        .ok_or_else(|| request::refuse(Problem::NotFound))?;
    let actor = account.actor();
    if !access::may_view(&actor, &a.ownership) {
        return Err(request::refuse(Problem::NotFound));
    }
    let staff = a.ownership.applicant_id != Some(actor.user_id);
    let timeline = store::timeline(&pool, a.id)
        .await
        .map_err(request::refuse)?;
    let steps = lifecycle::steps_open_to(a.status, staff)
        .into_iter()
        .filter(|s| access::may_act(&actor, &a.ownership, *s))
        .map(|s| StepView {
            action: s.as_str().into(),
            label: s.label(l).into(),
            needs_note: s.needs_note(),
        })
        .collect();
    let asked = (a.status == domain::applications::Status::AwaitingCitizen)
        .then(|| {
            timeline
                .iter()
                .rev()
                .find(|e| e.kind == Action::AskForMore.as_str())
        })
        .flatten()
        .map(|e| e.note.clone());
    let documents = store::shares(&pool, a.id)
        .await
        .map_err(request::refuse)?
        .into_iter()
        .map(|s| AttachedView {
            label: a
                .form
                .fields
                .iter()
                .find(|f| f.key == s.field)
                .map_or_else(|| s.field.clone(), |f| f.label.get(l).to_string()),
            href: format!("/applications/{}/documents/{}", a.number, s.field),
            opened: s.opened_at.map(ist),
            withdrawn: s.withdrawn_at.is_some(),
            may_withdraw: !staff
                && s.opened_at.is_none()
                && s.withdrawn_at.is_none()
                && a.status.is_open(),
            field: s.field,
        })
        .collect();
    let appeals = super::appeals::appeals_view(&pool, &a, account.id.uuid(), l)
        .await
        .map_err(request::refuse)?;
    let fee = crate::payments::fee_view(&pool, a.id, a.fee, a.fee_status == "paid", !staff, l)
        .await
        .map_err(request::refuse)?;
    let certificate = super::certificate::certificate_view(&pool, &a, &actor, l)
        .await
        .map_err(request::refuse)?;
    let answers = a.answers.as_ref().map(|answers| {
        a.form
            .fields
            .iter()
            .filter(|f| a.form.shown(f, answers))
            .filter_map(|f| {
                let answer = answers.get(&f.key)?;
                Some((
                    f.label.get(l).to_string(),
                    super::apply::answer_text(l, f, answer),
                ))
            })
            .collect()
    });
    Ok(ApplicationView {
        just_filed: !staff && timeline.len() == 1,
        timeline: timeline
            .into_iter()
            .map(|e| TimelineRow {
                at: ist(e.at),
                what: lifecycle::event_label(&e.kind, l)
                    .map_or_else(|| e.kind.clone(), str::to_string),
                who: e.actor_name.unwrap_or(e.actor_kind),
                note: e.note,
            })
            .collect(),
        steps,
        asked,
        answers,
        documents,
        appeals,
        certificate,
        number: a.number,
        service: a.service_name,
        service_slug: a.service_slug,
        department: a.department_name,
        status: a.status.as_str().into(),
        status_label: a.status.label(l).into(),
        filed_on: day(a.filed_on),
        due_on: a.status.clock_runs().then(|| day(a.due_on)),
        waiting_since: a.waiting_since.map(day),
        fee,
        form_version: a.form_version,
        applicant: staff.then_some(a.applicant_name).flatten(),
        assignee: a.assignee_name,
        staff,
    })
}

/// Takes one step on an application; the caller must be allowed to take it on this one.
#[server(endpoint = "applications/step")]
pub async fn application_step(
    number: String,
    action: String,
    note: Option<String>,
) -> Result<FormResult<String>, ServerFnError> {
    let account = request::require_account()?;
    let number =
        ApplicationNumber::parse(&number).map_err(|_| request::refuse(Problem::NotFound))?;
    let action = Action::parse(&action).ok_or_else(|| request::refuse(Problem::NotFound))?;
    let key = request::data_key();
    let public_url = request::public_url();
    let issuing = store::Issuing {
        master: &key,
        public_url: &public_url,
    };
    let asked = store::StepAsked {
        number: &number,
        action,
        note: note.as_deref().unwrap_or_default(),
    };
    let taken = store::take_step(
        &request::pool(),
        issuing,
        &account.actor(),
        account.id,
        asked,
        now(),
    )
    .await;
    super::back_to_page(&number, taken.map(|s| s.as_str().to_string()))
}

/// The applicant stops sharing a document nobody has opened yet.
#[server(endpoint = "applications/withdraw_share")]
pub async fn withdraw_share(
    number: String,
    field: String,
) -> Result<FormResult<()>, ServerFnError> {
    let account = request::require_account()?;
    let number =
        ApplicationNumber::parse(&number).map_err(|_| request::refuse(Problem::NotFound))?;
    let withdrawn =
        store::withdraw_share(&request::pool(), &number, field.trim(), account.id, now()).await;
    super::back_to_page(&number, withdrawn)
}

/// `/applications/{number}`
#[component]
pub fn ApplicationPage() -> impl IntoView {
    let number = use_params_map()
        .get_untracked()
        .get("number")
        .unwrap_or_default();
    let next = format!("/applications/{number}");
    let data = OnceResource::new(application(number));
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let next = next.clone();
                Suspend::new(async move {
                    match data.await {
                        Ok(a) => view! { <ApplicationDetail a=a/> }.into_any(),
                        Err(_) if !crate::identity::signed_in() => view! { <SignInFirst next=next/> }.into_any(),
                        Err(ServerFnError::ServerError(e)) if e.contains("not found") => view! { <NotFound/> }.into_any(),
                        Err(_) => view! { <LoadFailed/> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

fn step_form(l: Locale, number: &str, s: StepView) -> impl IntoView {
    let page = format!("/applications/{number}");
    let note_id = format!("step-{}-note", s.action);
    let error_id = format!("{note_id}-error");
    let number = number.to_string();
    let note_label = if s.action == "answer" {
        t::your_answer_to_department(l)
    } else {
        t::what_is_wanted(l)
    };
    view! {
        <ServerForm endpoint="applications/step".to_string() locale=l then=FormThen::redirect(page) class="stack step-form".to_string()>
            <FailureBanner locale=l/>
            <input type="hidden" name="number" value=number/>
            <input type="hidden" name="action" value=s.action.clone()/>
            {s.needs_note.then(|| view! {
                <label for=note_id.clone()>{note_label}</label>
                <textarea id=note_id.clone() name="note" rows="2" maxlength="2000" aria-describedby=error_id.clone() aria-invalid="false"></textarea>
            })}
            <FieldMessage field="note" id=error_id.clone()/>
            <button type="submit" class="button">{s.label.clone()}</button>
        </ServerForm>
    }
}

#[component]
fn ApplicationDetail(a: ApplicationView) -> impl IntoView {
    let l = use_locale();
    let title = fill(t::application_title(l), &[("number", &a.number)]);
    let number = a.number.clone();
    view! {
        <Title text=title.clone()/>
        <article class="page narrow">
            {a.just_filed.then(|| view! {
                <div class="panel confirmation" role="status">
                    <h1>{t::application_received(l)}</h1>
                    <p>{t::your_application_number(l)}</p>
                    <p class="reference" data-testid="application-number">{a.number.clone()}</p>
                </div>
            })}
            {(!a.just_filed).then(|| view! { <h1>{title.clone()}</h1> })}
            <p class="meta">
                <span class=format!("badge status-{}", a.status) data-testid="application-status">{a.status_label.clone()}</span>
            </p>
            <dl class="facts">
                <dt>{t::service_label(l)}</dt><dd><a href=format!("/services/{}", a.service_slug)>{a.service.clone()}</a></dd>
                <dt>{t::department_label(l)}</dt><dd>{a.department.clone()}</dd>
                {a.applicant.clone().map(|n| view! { <dt>{t::applicant(l)}</dt><dd>{n}</dd> })}
                <dt>{t::filed_label(l)}</dt><dd>{a.filed_on.clone()}</dd>
                {a.assignee.clone().map(|n| view! { <dt>{t::assignee_label(l)}</dt><dd>{n}</dd> })}
            </dl>
            {a.due_on.clone().map(|d| view! { <p class="due" data-testid="due-on">{fill(t::decided_by(l), &[("date", &d)])}</p> })}
            {a.waiting_since.clone().map(|d| view! { <p class="hint">{fill(t::clock_stopped(l), &[("date", &d)])}</p> })}
            {a.fee.clone().map(|f| crate::payments::fee_section(l, &a.number, f))}
            {a.asked.clone().map(|note| view! {
                <section class="card" aria-labelledby="asked-heading">
                    <h2 id="asked-heading">{t::department_asks(l)}</h2>
                    <p>{note}</p>
                </section>
            })}
            {a.certificate.clone().map(|c| super::certificate::certificate_section(l, c))}
            {(!a.steps.is_empty()).then(|| view! {
                <section class="steps">
                    {a.steps.clone().into_iter().map(|s| step_form(l, &number, s)).collect_view()}
                </section>
            })}
            {super::appeals::appeals_section(l, &number, a.appeals.clone())}
            <h2>{t::your_answers(l)}</h2>
            <p class="hint">{fill(t::form_version_n(l), &[("version", &a.form_version.to_string())])}</p>
            {match a.answers.clone() {
                Some(rows) => view! {
                    <dl class="answers">
                        {rows.into_iter().map(|(q, answer)| view! { <div class="answer-row"><dt>{q}</dt><dd>{answer}</dd></div> }).collect_view()}
                    </dl>
                }.into_any(),
                None => view! { <p>{t::answers_erased(l)}</p> }.into_any(),
            }}
            {(!a.documents.is_empty()).then(|| view! {
                <h2>{t::attached_documents(l)}</h2>
                <ul class="documents">
                    {a.documents.clone().into_iter().map(|d| {
                        let page = format!("/applications/{number}");
                        let number = number.clone();
                        let state = if d.withdrawn {
                            t::share_withdrawn(l).to_string()
                        } else {
                            d.opened.clone().map_or_else(
                                || t::not_opened_yet(l).to_string(),
                                |at| fill(t::opened_by_department(l), &[("at", &at)]),
                            )
                        };
                        view! {
                            <li class="card">
                                <p><strong>{d.label.clone()}</strong></p>
                                {(!d.withdrawn).then(|| view! { <p><a href=d.href.clone()>{t::open_document(l)}<span class="visually-hidden">{format!(" {}", d.label)}</span></a></p> })}
                                <p class="meta">{state}</p>
                                {d.may_withdraw.then(|| view! {
                                    <ServerForm endpoint="applications/withdraw_share".to_string() locale=l then=FormThen::redirect(page) class="inline-form".to_string()>
                                        <FailureBanner locale=l/>
                                        <input type="hidden" name="number" value=number.clone()/>
                                        <input type="hidden" name="field" value=d.field.clone()/>
                                        <button type="submit" class="link-button">{t::withdraw_share(l)}<span class="visually-hidden">{format!(" {}", d.label)}</span></button>
                                    </ServerForm>
                                })}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            })}
            <h2>{t::timeline(l)}</h2>
            <ol class="timeline">
                {a.timeline.clone().into_iter().map(|e| view! {
                    <li class="timeline-entry">
                        <p class="meta">{e.at.clone()}" · "{e.who.clone()}</p>
                        <p><strong>{e.what.clone()}</strong></p>
                        {(!e.note.is_empty()).then(|| view! { <p>{e.note.clone()}</p> })}
                    </li>
                }).collect_view()}
            </ol>
        </article>
    }
}
