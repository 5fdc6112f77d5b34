//! Filing for people without the app: a call-centre agent files for a caller (channel "phone"),
//! and a kiosk in a ward office files for anyone, once a one-time code sent to their mobile
//! proves the number (channel "kiosk", no account needed).

use super::{CategorySelect, FilingForm, FilingOptions, PlaceFields};
use crate::forms::{FailureBanner, FieldMessage, FormResult, FormThen, ServerForm, Toggle};
use crate::i18n::{t, use_locale};
use crate::layout::{LoadFailed, Refused, SignInFirst};
use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use super::{file_and_answer, filing_options, parse_filing};
#[cfg(feature = "ssr")]
use crate::i18n::fill;
#[cfg(feature = "ssr")]
use crate::request;
#[cfg(feature = "ssr")]
use domain::grievances::{store, Channel};
#[cfg(feature = "ssr")]
use domain::identity::Role;
#[cfg(feature = "ssr")]
use domain::problem::FieldError;

// ---------------------------------------------------------------------------------------------
// Call centre

#[server(endpoint = "grievances/assist_options")]
pub async fn assist_options() -> Result<FilingOptions, ServerFnError> {
    request::require(|a| a.role != Role::Citizen)?;
    filing_options(request::request_locale()).await
}

/// An agent files for a caller: the caller's mobile is required, so they are told the number and
/// every step by SMS.
#[server(endpoint = "grievances/assist_file")]
pub async fn assist_file(form: FilingForm) -> Result<FormResult<String>, ServerFnError> {
    let agent = request::require(|a| a.role != Role::Citizen)?;
    let mut filing = match parse_filing(&form, Channel::Phone, request::request_locale()) {
        Ok(f) => f,
        Err(problems) => return Ok(FormResult::Invalid(with_caller_checks(&form, problems))),
    };
    let problems = with_caller_checks(&form, Vec::new());
    if !problems.is_empty() {
        return Ok(FormResult::Invalid(problems));
    }
    filing.provenance.agent_id = Some(agent.id);
    filing.who.anonymous = false;
    file_and_answer(filing).await
}

#[cfg(feature = "ssr")]
fn with_caller_checks(form: &FilingForm, mut problems: Vec<FieldError>) -> Vec<FieldError> {
    if form.contact_mobile.trim().is_empty()
        && !problems.iter().any(|p| p.field == "contact_mobile")
    {
        problems.push(FieldError::new("contact_mobile", "err_mobile_invalid"));
    }
    if form.contact_name.trim().is_empty() {
        problems.push(FieldError::new("contact_name", "err_name_required"));
    }
    problems
}

#[component]
pub fn AssistPage() -> impl IntoView {
    let l = use_locale();
    let data = OnceResource::new(assist_options());
    view! {
        <Title text=t::assist_title(l)/>
        <section class="page narrow">
            <h1>{t::assist_title(l)}</h1>
            <p class="lead">{t::assist_lead(l)}</p>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(d) => view! { <AssistForm data=d/> }.into_any(),
                        Err(_) if !crate::identity::signed_in() => view! { <SignInFirst next="/assist"/> }.into_any(),
                        Err(_) => view! { <Refused/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn AssistForm(data: FilingOptions) -> impl IntoView {
    let l = use_locale();
    view! {
        <div id="assist-form">
        <ServerForm endpoint="grievances/assist_file".to_string() locale=l then=FormThen::step("assist-form", "assist-done") class="stack".to_string()>
            <FailureBanner locale=l/>
            <fieldset class="stack">
                <legend>{t::caller(l)}</legend>
                <CallerFields/>
            </fieldset>
            <CategorySelect categories=data.categories name="form[category]"/>
            <label for="g-description">{t::field_description(l)}</label>
            <textarea id="g-description" name="form[description]" rows="4" required maxlength="2000"
                aria-describedby="description-error" aria-invalid="false"></textarea>
            <FieldMessage field="description"/>
            <PlaceFields wards=data.wards/>
            <button type="submit" class="button">{t::file_grievance_submit(l)}</button>
        </ServerForm>
        </div>
        <div id="assist-done" class="card success stack" role="status" tabindex="-1" hidden>
            <p>{t::assist_done(l)}</p>
            <p class="citizen-id" data-slot="value" data-testid="grievance-number"></p>
            <a class="button" href="/assist">{t::file_another(l)}</a>
        </div>
    }
}

/// The caller's name, mobile and email, named `form[contact_*]`.
#[component]
fn CallerFields() -> impl IntoView {
    let l = use_locale();
    view! {
        <label for="c-name">{t::field_caller_name(l)}</label>
        <input id="c-name" name="form[contact_name]" autocomplete="off" aria-describedby="contact_name-error" aria-invalid="false"/>
        <FieldMessage field="contact_name"/>
        <label for="c-mobile">{t::field_mobile(l)}</label>
        <input id="c-mobile" name="form[contact_mobile]" type="tel" inputmode="numeric" autocomplete="off"
            aria-describedby="contact_mobile-error" aria-invalid="false"/>
        <FieldMessage field="contact_mobile"/>
        <label for="c-email">{t::field_email_optional(l)}</label>
        <input id="c-email" name="form[contact_email]" type="email" autocomplete="off" aria-describedby="contact_email-error" aria-invalid="false"/>
        <FieldMessage field="contact_email"/>
    }
}

// ---------------------------------------------------------------------------------------------
// Kiosk

#[server(endpoint = "grievances/kiosk_options")]
pub async fn kiosk_options() -> Result<FilingOptions, ServerFnError> {
    filing_options(request::request_locale()).await
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KioskStarted {
    pub kiosk_id: String,
    pub mobile_masked: String,
}

/// Step one at the kiosk: the filing is checked and kept aside; a code goes to the mobile.
#[server(endpoint = "grievances/kiosk_start")]
pub async fn kiosk_start(form: FilingForm) -> Result<FormResult<KioskStarted>, ServerFnError> {
    let locale = request::request_locale();
    let checked = parse_filing(&form, Channel::Kiosk, locale);
    let mobile = domain::identity::MobileNumber::parse(&form.contact_mobile);
    let mut problems = checked.as_ref().err().cloned().unwrap_or_default();
    if mobile.is_err() && !problems.iter().any(|p| p.field == "contact_mobile") {
        problems.push(FieldError::new("contact_mobile", "err_mobile_invalid"));
    }
    let (Ok(mobile), true) = (mobile, problems.is_empty()) else {
        return Ok(FormResult::Invalid(problems));
    };
    if let Err(p) = request::client_limit(
        "codes-client",
        domain::throttle::CODES_CLIENT,
        "contact_mobile",
    )
    .await
    {
        return request::answer(Err(p));
    }
    let kept = serde_json::to_string(&form).map_err(request::unexpected)?;
    let sms = |code: &str| fill(t::sms_kiosk_code(locale), &[("code", code)]);
    let started = store::start_kiosk_filing(
        &request::pool(),
        &request::data_key(),
        &mobile,
        &kept,
        locale,
        sms,
    )
    .await;
    request::answer(started.map(|id| KioskStarted {
        kiosk_id: id.to_string(),
        mobile_masked: mobile.masked(),
    }))
}

/// Step two: the code proves the mobile number; the grievance is filed (once, however often
/// the button is pressed) and its number shown.
#[server(endpoint = "grievances/kiosk_confirm")]
pub async fn kiosk_confirm(
    kiosk_id: String,
    code: String,
) -> Result<FormResult<String>, ServerFnError> {
    let pool = request::pool();
    let Ok(id) = uuid::Uuid::parse_str(kiosk_id.trim()) else {
        return Ok(FormResult::Invalid(vec![FieldError::new(
            "code",
            "err_registration_expired",
        )]));
    };
    let confirmed = match store::confirm_kiosk_filing(&pool, &request::data_key(), id, &code).await
    {
        Ok(c) => c,
        Err(problem) => return request::answer(Err(problem)),
    };
    let form: FilingForm = serde_json::from_str(&confirmed.form).map_err(request::unexpected)?;
    let mut filing = match parse_filing(&form, Channel::Kiosk, confirmed.locale) {
        Ok(f) => f,
        Err(problems) => return Ok(FormResult::Invalid(problems)),
    };
    filing.who.contact.mobile = domain::identity::MobileNumber::parse(&confirmed.mobile).ok();
    filing.who.anonymous = false;
    filing.provenance.idempotency_key = Some(format!("kiosk:{id}"));
    let filed = match store::file(&pool, filing, time::OffsetDateTime::now_utc()).await {
        Ok(filed) => filed,
        Err(problem) => return request::answer(Err(problem)),
    };
    store::kiosk_filed(&pool, id, filed.id)
        .await
        .map_err(request::unexpected)?;
    Ok(FormResult::Done(filed.number))
}

#[component]
pub fn KioskPage() -> impl IntoView {
    let l = use_locale();
    let data = OnceResource::new(kiosk_options());
    view! {
        <Title text=t::kiosk_title(l)/>
        <section class="page kiosk">
            <h1>{t::kiosk_title(l)}</h1>
            <p class="lead">{t::kiosk_lead(l)}</p>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(d) => view! { <KioskSteps data=d/> }.into_any(),
                        Err(_) => view! { <LoadFailed/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn KioskSteps(data: FilingOptions) -> impl IntoView {
    let l = use_locale();
    view! {
        <div id="kiosk-form" tabindex="-1">
            <ServerForm endpoint="grievances/kiosk_start".to_string() locale=l then=FormThen::step("kiosk-form", "kiosk-code") class="stack".to_string()>
                <FailureBanner locale=l/>
                <CategorySelect categories=data.categories name="form[category]"/>
                <label for="g-description">{t::field_description(l)}</label>
                <textarea id="g-description" name="form[description]" rows="4" required maxlength="2000"
                    aria-describedby="description-error" aria-invalid="false"></textarea>
                <FieldMessage field="description"/>
                <PlaceFields wards=data.wards/>
                <label for="k-name">{t::field_name_optional(l)}</label>
                <input id="k-name" name="form[contact_name]" autocomplete="off"/>
                <label for="k-mobile">{t::field_mobile(l)}</label>
                <input id="k-mobile" name="form[contact_mobile]" type="tel" inputmode="numeric" autocomplete="off" required
                    aria-describedby="k-mobile-hint contact_mobile-error" aria-invalid="false"/>
                <p class="hint" id="k-mobile-hint">{t::kiosk_mobile_hint(l)}</p>
                <FieldMessage field="contact_mobile"/>
                <button type="submit" class="button">{t::send_code(l)}</button>
            </ServerForm>
        </div>
        <div id="kiosk-code" class="stack" tabindex="-1" hidden>
            <p role="status">{t::kiosk_code_sent(l)}" "<span data-slot="mobile_masked"></span></p>
            <ServerForm endpoint="grievances/kiosk_confirm".to_string() locale=l then=FormThen::step("kiosk-code", "kiosk-done") class="stack".to_string()>
                <FailureBanner locale=l/>
                <input type="hidden" name="kiosk_id" data-slot-value="kiosk_id"/>
                <label for="k-code">{t::field_code(l)}</label>
                <input id="k-code" name="code" inputmode="numeric" autocomplete="one-time-code" maxlength="7" required
                    aria-describedby="code-error" aria-invalid="false"/>
                <FieldMessage field="code"/>
                <button type="submit" class="button">{t::kiosk_confirm(l)}</button>
            </ServerForm>
            <Toggle show="kiosk-form".to_string() hide="kiosk-code".to_string() label=t::change_details(l).to_string()/>
        </div>
        <div id="kiosk-done" class="card success stack" role="status" tabindex="-1" hidden>
            <p>{t::kiosk_done(l)}</p>
            <p class="citizen-id" data-slot="value" data-testid="grievance-number"></p>
            <a class="button" href="/kiosk">{t::file_another(l)}</a>
        </div>
    }
}
