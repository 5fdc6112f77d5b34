//! Applying for a service: its form, rendered on the server from the version the department
//! keeps, with what the person typed before (their draft, kept as they type); "Continue" checks
//! it by the form's rules and shows every answer to check before "Apply" files it, once.

use crate::forms::{FailureBanner, FieldMessage, FormResult, FormThen, ServerForm};
use crate::i18n::{fill, t, use_locale, Locale};
use crate::layout::{LoadFailed, NotFound, SignInFirst};
use domain::applications::form::{Answers, Field, FieldKind, Form};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use super::now;
#[cfg(feature = "ssr")]
use crate::request;
#[cfg(feature = "ssr")]
use domain::applications::store;

/// What the apply and check pages show.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ApplyData {
    pub slug: String,
    pub service: String,
    pub form: Form,
    pub answers: Answers,
    /// Names the draft, for "Apply" (a second press finds what the first filed).
    pub token: String,
    /// Today in India (YYYY-MM-DD): the latest date a date of birth may be.
    pub today: String,
    /// The fee for these answers, as shown (`None`: nothing to pay).
    pub fee: Option<String>,
    /// The person's locker documents of each kind the form asks for: (id, name).
    pub documents: std::collections::BTreeMap<String, Vec<(String, String)>>,
}

/// A service people may apply for, by slug (one small query: this runs each time a draft is kept).
#[cfg(feature = "ssr")]
async fn service_id(slug: &str) -> Result<domain::ids::ServiceId, ServerFnError> {
    store::service_id(&request::pool(), slug)
        .await
        .map_err(request::refuse)?
        .ok_or_else(|| request::refuse(domain::problem::Problem::NotFound))
}

/// The service and its name in the caller's language, for the pages.
#[cfg(feature = "ssr")]
async fn service_of(slug: &str) -> Result<(domain::ids::ServiceId, String), ServerFnError> {
    let found = domain::catalogue::service(&request::pool(), slug, request::request_locale())
        .await
        .map_err(request::unexpected)?
        .filter(|s| s.published);
    match found {
        Some(s) => Ok((s.id, s.name)),
        None => Err(request::refuse(domain::problem::Problem::NotFound)),
    }
}

/// The service's form with the caller's draft (`Ok(None)`: it cannot be applied for here).
#[server(endpoint = "applications/form")]
pub async fn apply_form(slug: String) -> Result<Option<ApplyData>, ServerFnError> {
    let account = request::require_account()?;
    let (service, name) = service_of(&slug).await?;
    let pool = request::pool();
    let Some((_, form)) = store::current_form(&pool, service)
        .await
        .map_err(request::refuse)?
    else {
        return Ok(None);
    };
    let draft = store::draft(&pool, &request::data_key(), account.id, service)
        .await
        .map_err(request::refuse)?;
    let l = request::request_locale();
    let mut documents = std::collections::BTreeMap::new();
    for f in &form.fields {
        if let FieldKind::Document { document } = &f.kind {
            let mine = domain::locker::store::list(
                &pool,
                &request::data_key(),
                account.id,
                Some(document),
            )
            .await
            .map_err(request::refuse)?;
            let rows: Vec<(String, String)> = mine
                .into_iter()
                .map(|d| {
                    let row = crate::locker::row(d, l);
                    (
                        row.id,
                        format!("{} ({}, {})", row.name, row.media, row.added),
                    )
                })
                .collect();
            documents.insert(document.clone(), rows);
        }
    }
    let today = store::today_in_india(now());
    let checked = draft
        .as_ref()
        .and_then(|d| form.check(&d.answers, today).ok());
    let (y, m, d) = today;
    Ok(Some(ApplyData {
        fee: checked
            .map(|c| form.fee(&c))
            .filter(|f| f.0 > 0)
            .map(|f| f.to_string()),
        slug,
        service: name,
        answers: draft
            .as_ref()
            .map(|d| d.answers.clone())
            .unwrap_or_default(),
        token: draft.map(|d| d.token.to_string()).unwrap_or_default(),
        today: format!("{y:04}-{m:02}-{d:02}"),
        form,
        documents,
    }))
}

/// Keeps what was typed so far (as the person types; nothing is checked).
#[server(endpoint = "applications/keep")]
pub async fn keep_draft(
    slug: String,
    answers: Option<Answers>,
) -> Result<FormResult<()>, ServerFnError> {
    let account = request::require_account()?;
    let service = service_id(&slug).await?;
    let kept = store::keep_draft(
        &request::pool(),
        &request::data_key(),
        account.id,
        service,
        &answers.unwrap_or_default(),
        now(),
    )
    .await;
    request::answer(kept.map(|_| ()))
}

/// Keeps the answers and checks them: each problem at its field, or on to checking them.
#[server(endpoint = "applications/continue")]
pub async fn continue_application(
    slug: String,
    answers: Option<Answers>,
) -> Result<FormResult<()>, ServerFnError> {
    let account = request::require_account()?;
    let service = service_id(&slug).await?;
    let checked = store::check_draft(
        &request::pool(),
        &request::data_key(),
        account.id,
        service,
        &answers.unwrap_or_default(),
        now(),
    )
    .await;
    if checked.is_ok() {
        leptos_axum::redirect(&format!("/services/{slug}/apply/check"));
    }
    request::answer(checked.map(|_| ()))
}

/// Files the checked draft; the answer is the application's number.
#[server(endpoint = "applications/submit")]
pub async fn submit_application(
    slug: String,
    token: String,
) -> Result<FormResult<String>, ServerFnError> {
    let account = request::require_account()?;
    let service = service_id(&slug).await?;
    let filed = async {
        let token = uuid::Uuid::parse_str(token.trim())
            .map_err(|_| domain::problem::Problem::Conflict("err_form_changed"))?;
        store::submit(
            &request::pool(),
            &request::data_key(),
            account.id,
            service,
            token,
            now(),
        )
        .await
    };
    let filed = filed.await;
    if let Ok(f) = &filed {
        leptos_axum::redirect(&format!("/applications/{}", f.number));
    }
    request::answer(filed.map(|f| f.number))
}

fn slug_param() -> String {
    use_params_map()
        .get_untracked()
        .get("slug")
        .unwrap_or_default()
}

/// A page of applying for the service in the address: the form, or checking the answers.
fn apply_page(next: &str, page: fn(ApplyData) -> AnyView) -> impl IntoView {
    let slug = slug_param();
    let next = format!("/services/{slug}/{next}");
    let data = OnceResource::new(apply_form(slug));
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let next = next.clone();
                Suspend::new(async move {
                    match data.await {
                        Ok(Some(d)) => page(d),
                        Ok(None) => view! { <NotOnline/> }.into_any(),
                        Err(_) if !crate::identity::signed_in() => view! { <SignInFirst next=next/> }.into_any(),
                        Err(ServerFnError::ServerError(e)) if e.contains("not found") => view! { <NotFound/> }.into_any(),
                        Err(_) => view! { <LoadFailed/> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

/// `/services/{slug}/apply`: the form.
#[component]
pub fn ApplyPage() -> impl IntoView {
    apply_page("apply", |d| view! { <ApplyView d=d/> }.into_any())
}

#[component]
fn NotOnline() -> impl IntoView {
    let l = use_locale();
    view! { <section class="page narrow"><p class="card">{t::apply_not_online(l)}</p></section> }
}

#[component]
fn ApplyView(d: ApplyData) -> impl IntoView {
    let l = use_locale();
    let title = fill(t::apply_title(l), &[("service", &d.service)]);
    let fields: Vec<AnyView> = d.form.fields.iter().map(|f| field_view(l, &d, f)).collect();
    let check = format!("/services/{}/apply/check", d.slug);
    let slug = d.slug.clone();
    view! {
        <Title text=title.clone()/>
        <section class="page narrow">
            <h1>{title}</h1>
            <p class="lead">{t::apply_intro(l)}</p>
            <p class="hint">{fill(t::apply_time_limit(l), &[("days", &d.form.working_days.to_string())])}</p>
            <ServerForm endpoint="applications/continue".to_string() locale=l then=FormThen::redirect(check)
                class="stack apply-form".to_string() keep="applications/keep".to_string()>
                <FailureBanner locale=l/>
                <input type="hidden" name="slug" value=d.slug.clone()/>
                {fields}
                <p class="hint" data-kept="" role="status" aria-live="polite"></p>
                <button type="submit" class="button">{t::continue_button(l)}</button>
            </ServerForm>
            <super::device_draft::DeviceDraft slug=slug/>
        </section>
    }
}

/// One field: its label (and "optional"), help, input and message; a field shown only for some
/// answers carries its condition, which the form's island applies as the person answers.
fn field_view(l: Locale, d: &ApplyData, f: &Field) -> AnyView {
    let (form, answers, today) = (&d.form, &d.answers, d.today.as_str());
    let name = format!("answers[{}]", f.key);
    let id = format!("answer-{}", f.key);
    let error = format!("{}-error", f.key);
    let help_id = format!("{}-help", f.key);
    let help = f.help.get(l).to_string();
    let described = if help.is_empty() {
        error.clone()
    } else {
        format!("{help_id} {error}")
    };
    let answer = answers.get(&f.key).cloned().unwrap_or_default();
    let label = f.label.get(l).to_string();
    let optional = (!f.required).then(|| format!(" {}", t::optional_mark(l)));
    let (when_field, when_any) = f
        .shown_when
        .as_ref()
        .map(|w| {
            (
                Some(format!("answers[{}]", w.field)),
                Some(w.any_of.join(" ")),
            )
        })
        .unwrap_or((None, None));
    let hidden = !form.shown(f, answers);
    let help_view =
        (!help.is_empty()).then(|| view! { <p class="hint" id=help_id.clone()>{help.clone()}</p> });
    let input = match &f.kind {
        FieldKind::Choice { .. } | FieldKind::YesNo => {
            let options: Vec<(String, String)> = match &f.kind {
                FieldKind::Choice { options } => options
                    .iter()
                    .map(|o| (o.key.clone(), o.label.get(l).to_string()))
                    .collect(),
                _ => vec![
                    ("yes".into(), t::yes(l).to_string()),
                    ("no".into(), t::no(l).to_string()),
                ],
            };
            return view! {
                <fieldset class="field" data-when-field=when_field data-when-any=when_any hidden=hidden>
                    <legend>{label}{optional}</legend>
                    {help_view}
                    {options.into_iter().enumerate().map(|(i, (key, text))| {
                        let oid = format!("{id}-{i}");
                        let checked = key == answer;
                        view! {
                            <label class="choice" for=oid.clone()>
                                <input type="radio" id=oid.clone() name=name.clone() value=key checked=checked
                                    aria-describedby=described.clone()/>
                                {text}
                            </label>
                        }
                    }).collect_view()}
                    <FieldMessage field=f.key.clone()/>
                </fieldset>
            }
            .into_any();
        }
        FieldKind::Text { max_chars } => view! {
            <input type="text" id=id.clone() name=name maxlength=max_chars.to_string() value=answer
                aria-describedby=described aria-invalid="false"/>
        }
        .into_any(),
        FieldKind::Number { min, max } => view! {
            <input type="number" inputmode="numeric" id=id.clone() name=name min=min.to_string() max=max.to_string()
                value=answer aria-describedby=described aria-invalid="false"/>
        }
        .into_any(),
        FieldKind::PastDate => view! {
            <input type="date" id=id.clone() name=name max=today.to_string() value=answer
                aria-describedby=described aria-invalid="false"/>
        }
        .into_any(),
        FieldKind::Address => view! {
            <textarea id=id.clone() name=name rows="3" maxlength="500" autocomplete="street-address"
                aria-describedby=described aria-invalid="false">{answer}</textarea>
        }
        .into_any(),
        // A document from the person's locker, of the type the field asks for.
        FieldKind::Document { document } => {
            let mine = d.documents.get(document).cloned().unwrap_or_default();
            let add = format!("/locker?kind={document}&back=/services/{}/apply", d.slug);
            view! {
                <select id=id.clone() name=name aria-describedby=described aria-invalid="false">
                    <option value="">{t::choose_one(l)}</option>
                    {mine.clone().into_iter().map(|(doc, text)| {
                        let selected = doc == answer;
                        view! { <option value=doc selected=selected>{text}</option> }
                    }).collect_view()}
                </select>
                {mine.is_empty().then(|| view! { <p class="hint">{t::locker_has_none(l)}</p> })}
                <p><a href=add>{t::add_to_locker(l)}</a></p>
            }
            .into_any()
        }
    };
    view! {
        <div class="field" data-when-field=when_field data-when-any=when_any hidden=hidden>
            <label for=id>{label}{optional}</label>
            {help_view}
            {input}
            <FieldMessage field=f.key.clone()/>
        </div>
    }
    .into_any()
}

/// `/services/{slug}/apply/check`: every answer, with a way back to change it, then "Apply".
#[component]
pub fn CheckAnswersPage() -> impl IntoView {
    apply_page("apply/check", |d| view! { <CheckView d=d/> }.into_any())
}

/// An answer as a person reads it: a choice by its label, a date as DD-MM-YYYY.
pub(crate) fn answer_text(l: Locale, f: &Field, answer: &str) -> String {
    match &f.kind {
        FieldKind::Choice { options } => options
            .iter()
            .find(|o| o.key == answer)
            .map(|o| o.label.get(l).to_string())
            .unwrap_or_else(|| answer.to_string()),
        FieldKind::YesNo if answer == "yes" => t::yes(l).to_string(),
        FieldKind::YesNo if answer == "no" => t::no(l).to_string(),
        FieldKind::Document { .. } => t::document_attached(l).to_string(),
        FieldKind::PastDate => domain::applications::form::parse_date(answer)
            .map(|(y, m, d)| format!("{d:02}-{m:02}-{y}"))
            .unwrap_or_else(|| answer.to_string()),
        _ => answer.to_string(),
    }
}

/// The answers of the fields shown, as a list of terms.
pub(crate) fn answers_list(
    l: Locale,
    form: &Form,
    answers: &Answers,
    change: Option<&str>,
) -> AnyView {
    let rows: Vec<AnyView> = form
        .fields
        .iter()
        .filter(|f| form.shown(f, answers))
        .map(|f| {
            let text = answers
                .get(&f.key)
                .filter(|a| !a.trim().is_empty())
                .map(|a| answer_text(l, f, a))
                .unwrap_or_else(|| t::not_answered(l).to_string());
            let link = change.map(|page| {
                let href = format!("{page}#answer-{}", f.key);
                view! { <dd><a href=href>{t::change_answer(l)}<span class="visually-hidden">{format!(" {}", f.label.get(l))}</span></a></dd> }
            });
            view! {
                <div class="answer-row">
                    <dt>{f.label.get(l).to_string()}</dt>
                    <dd>{text}</dd>
                    {link}
                </div>
            }
            .into_any()
        })
        .collect();
    view! { <dl class="answers">{rows}</dl> }.into_any()
}

#[component]
fn CheckView(d: ApplyData) -> impl IntoView {
    let l = use_locale();
    let form_page = format!("/services/{}/apply", d.slug);
    let fee = d.fee.clone().unwrap_or_else(|| t::no_fee(l).to_string());
    view! {
        <Title text=t::check_answers_title(l)/>
        <section class="page narrow">
            <h1>{t::check_answers_title(l)}</h1>
            <p class="lead">{d.service.clone()}</p>
            {answers_list(l, &d.form, &d.answers, Some(&form_page))}
            <dl class="facts">
                <dt>{t::fee_to_pay(l)}</dt><dd data-testid="fee">{fee}</dd>
            </dl>
            <p>{t::declaration(l)}</p>
            <ServerForm endpoint="applications/submit".to_string() locale=l
                then=FormThen::redirect_with("/applications/") class="stack".to_string()>
                <FailureBanner locale=l/>
                <input type="hidden" name="slug" value=d.slug.clone()/>
                <input type="hidden" name="token" value=d.token.clone()/>
                <button type="submit" class="button">{t::submit_application(l)}</button>
            </ServerForm>
            <p><a href=form_page>{t::change_answer(l)}</a></p>
        </section>
    }
}
