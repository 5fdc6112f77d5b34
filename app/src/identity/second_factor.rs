//! Two-step sign-in (TOTP): the second step after a right password (`/sign-in/second-step`),
//! setting it up (there for staff who have none yet, at `/me/two-step` for anyone), its section
//! on `/me` (new recovery codes, turning it off for citizens), and an admin's reset for staff
//! who lost their phone (`admin/reset_second_factor`, on the admin page).

use crate::forms::{FailureBanner, FieldMessage, FormResult, FormThen, ServerForm};
use crate::i18n::{t, use_locale, Locale};
use crate::layout::{LoadFailed, SignInFirst};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::request;
#[cfg(feature = "ssr")]
use domain::identity::second_factor as rules;
#[cfg(feature = "ssr")]
use domain::identity::store::{self, second_factor as factor};

/// A secret being set up, as the page shows it: a QR code and the same key as text.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SetUp {
    pub qr: String,
    pub key: String,
}

/// Recovery codes to show once, one a line.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RecoveryCodes {
    pub recovery_codes: String,
}

/// Where the account stands, for `/me`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TwoStep {
    pub on_since: Option<String>,
    pub codes_left: i64,
    pub required: bool,
}

#[cfg(feature = "ssr")]
async fn set_up(user: &store::Account) -> Result<SetUp, domain::problem::Problem> {
    let secret = factor::begin_setup(&request::pool(), &request::data_key(), user.id).await?;
    let label = format!("{} ({})", user.name, user.citizen_id());
    Ok(SetUp {
        qr: rules::qr_data_url(&rules::otpauth_url(&secret, &label)),
        key: rules::secret_text(&secret),
    })
}

/// The notices, in the caller's language.
#[cfg(feature = "ssr")]
fn notices() -> factor::Notices<'static> {
    let l = request::request_locale();
    factor::Notices {
        turned_on: t::notice_second_factor_on(l),
        turned_off: t::notice_second_factor_off(l),
        recovery_used: t::notice_recovery_code_used(l),
    }
}

#[cfg(feature = "ssr")]
fn joined(codes: Vec<String>) -> RecoveryCodes {
    RecoveryCodes {
        recovery_codes: codes.join("\n"),
    }
}

#[cfg(feature = "ssr")]
pub(crate) async fn two_step_of(account: &store::Account) -> Result<TwoStep, ServerFnError> {
    let status = factor::status(&request::pool(), account.id)
        .await
        .map_err(request::unexpected)?;
    Ok(TwoStep {
        on_since: status.on_since.map(super::short_time),
        codes_left: status.recovery_codes_left,
        required: rules::required(account.role),
    })
}

/// What the second step's page shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum StepAsked {
    /// No sign-in waits: it expired, or wrong codes ended it.
    Expired,
    /// The account's factor is on: the code field alone.
    Code,
    /// The account has no factor yet (staff at their first sign-in, or after an admin's reset):
    /// a secret to set up.
    SetUp(SetUp),
}

#[server(endpoint = "identity/second_step_view")]
pub async fn second_step_view() -> Result<StepAsked, ServerFnError> {
    request::keep_no_copy();
    let Some(token) = request::request_cookie(factor::CHALLENGE_COOKIE) else {
        return Ok(StepAsked::Expired);
    };
    let pool = request::pool();
    let Some((account, status)) = factor::challenge(&pool, &token)
        .await
        .map_err(request::unexpected)?
    else {
        return Ok(StepAsked::Expired);
    };
    if status.is_on() {
        return Ok(StepAsked::Code);
    }
    set_up(&account)
        .await
        .map(StepAsked::SetUp)
        .map_err(request::refuse)
}

/// The second step: a code for the waiting sign-in. Public by design, like `sign_in`; what it
/// acts on is named by the challenge cookie alone. The answer is the recovery codes when this
/// step set the factor up (empty otherwise).
#[server(endpoint = "identity/second_step")]
pub async fn second_step(code: String) -> Result<FormResult<RecoveryCodes>, ServerFnError> {
    let Some(token) = request::request_cookie(factor::CHALLENGE_COOKIE) else {
        return request::answer(Err(domain::problem::Problem::field(
            "code",
            "err_second_step_expired",
        )));
    };
    let passed = factor::pass_challenge(
        &request::pool(),
        &request::data_key(),
        &token,
        &code,
        notices(),
    )
    .await;
    match request::answer(passed)? {
        FormResult::Done(passed) => {
            request::set_cookie(factor::CHALLENGE_COOKIE, "", 0);
            request::sign_in_as(&passed.account).await?;
            Ok(FormResult::Done(joined(
                passed.recovery_codes.unwrap_or_default(),
            )))
        }
        FormResult::Invalid(f) => Ok(FormResult::Invalid(f)),
    }
}

/// A new secret for the signed-in caller to set up (refused once theirs is on).
#[server(endpoint = "identity/two_step_begin")]
pub async fn two_step_begin() -> Result<FormResult<SetUp>, ServerFnError> {
    let account = request::require_account()?;
    request::keep_no_copy();
    request::answer(set_up(&account).await)
}

#[server(endpoint = "identity/two_step_confirm")]
pub async fn two_step_confirm(code: String) -> Result<FormResult<RecoveryCodes>, ServerFnError> {
    let account = request::require_account()?;
    let told = t::notice_second_factor_on(request::request_locale());
    let confirmed = factor::confirm_setup(
        &request::pool(),
        &request::data_key(),
        account.id,
        &code,
        told,
    )
    .await;
    request::answer(confirmed.map(joined))
}

#[server(endpoint = "identity/two_step_new_codes")]
pub async fn two_step_new_codes(code: String) -> Result<FormResult<RecoveryCodes>, ServerFnError> {
    let account = request::require_account()?;
    request::answer(
        factor::new_recovery_codes(&request::pool(), &request::data_key(), &account, &code)
            .await
            .map(joined),
    )
}

/// Turns the caller's factor off; staff are refused (403), theirs is required.
#[server(endpoint = "identity/two_step_off")]
pub async fn two_step_off(code: String) -> Result<FormResult<()>, ServerFnError> {
    let account = request::require(|a| !rules::required(a.role))?;
    request::answer(
        factor::turn_off(
            &request::pool(),
            &request::data_key(),
            &account,
            &code,
            notices(),
        )
        .await,
    )
}

// ---- pages ----

/// The secret to scan or type, and the code that confirms it; then the recovery codes.
#[component]
fn SetUpFactor(
    setup: SetUp,
    endpoint: &'static str,
    #[prop(into)] done_href: String,
) -> impl IntoView {
    let l = use_locale();
    view! {
        <div id="two-step-setup" class="stack" tabindex="-1">
            <ol class="stack">
                <li>{t::setup_step_app(l)}</li>
                <li>
                    {t::setup_step_scan(l)}
                    <img class="qr" src=setup.qr alt=t::setup_qr_alt(l) width="200" height="200"/>
                    <code class="secret-key" data-testid="secret-key">{setup.key}</code>
                </li>
                <li>{t::setup_step_code(l)}</li>
            </ol>
            <ServerForm endpoint=endpoint.to_string() locale=l then=FormThen::step("two-step-setup", "recovery-codes") class="stack".to_string()>
                <FailureBanner locale=l/>
                <label for="setup-code">{t::field_app_code(l)}</label>
                <input id="setup-code" name="code" inputmode="numeric" autocomplete="one-time-code" maxlength="7" required
                    aria-describedby="code-error" aria-invalid="false"/>
                <FieldMessage field="code"/>
                <button type="submit" class="button">{t::setup_button(l)}</button>
            </ServerForm>
        </div>
        <div id="recovery-codes" class="stack" tabindex="-1" hidden>
            <RecoveryCodesShown/>
            <a class="button" href=done_href>{t::continue_button(l)}</a>
        </div>
    }
}

#[component]
fn RecoveryCodesShown() -> impl IntoView {
    let l = use_locale();
    view! {
        <h2>{t::recovery_codes_title(l)}</h2>
        <p>{t::recovery_codes_lead(l)}</p>
        <pre class="recovery-codes" data-testid="recovery-codes" data-slot="recovery_codes"></pre>
    }
}

/// `/sign-in/second-step?next=…`
#[component]
pub fn SecondStepPage() -> impl IntoView {
    let l = use_locale();
    let next = super::safe_next(use_query_map().get_untracked().get("next"));
    let view_data = OnceResource::new(second_step_view());
    view! {
        <Title text=t::second_step_title(l)/>
        <section class="page narrow">
            <Suspense fallback=|| ()>
                {move || {
                    let next = next.clone();
                    Suspend::new(async move {
                        match view_data.await {
                            Ok(StepAsked::Code) => view! {
                                <h1>{t::second_step_title(l)}</h1>
                                <p>{t::second_step_lead(l)}</p>
                                <ServerForm endpoint="identity/second_step".to_string() locale=l then=FormThen::redirect(next) class="stack".to_string()>
                                    <FailureBanner locale=l/>
                                    <label for="second-step-code">{t::field_second_factor_code(l)}</label>
                                    <input id="second-step-code" name="code" autocomplete="one-time-code" required autofocus
                                        aria-describedby="code-error" aria-invalid="false"/>
                                    <FieldMessage field="code"/>
                                    <button type="submit" class="button">{t::continue_button(l)}</button>
                                </ServerForm>
                            }.into_any(),
                            Ok(StepAsked::SetUp(setup)) => view! {
                                <h1>{t::setup_title(l)}</h1>
                                <p>{t::setup_required_lead(l)}</p>
                                <SetUpFactor setup=setup endpoint="identity/second_step" done_href=next/>
                            }.into_any(),
                            Ok(StepAsked::Expired) => view! {
                                <h1>{t::second_step_title(l)}</h1>
                                <p class="banner" role="status">{t::second_step_expired(l)}</p>
                                <a class="button" href=format!("/sign-in?next={}", super::encode_next(&next))>{t::sign_in(l)}</a>
                            }.into_any(),
                            Err(_) => view! { <LoadFailed/> }.into_any(),
                        }
                    })
                }}
            </Suspense>
        </section>
    }
}

/// `/me/two-step`: turning it on from the profile.
#[component]
pub fn TwoStepSetupPage() -> impl IntoView {
    let l = use_locale();
    let data = OnceResource::new(two_step_begin());
    view! {
        <Title text=t::setup_title(l)/>
        <section class="page narrow">
            <h1>{t::setup_title(l)}</h1>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(FormResult::Done(setup)) => view! {
                            <p>{t::two_step_off_lead(l)}</p>
                            <SetUpFactor setup=setup endpoint="identity/two_step_confirm" done_href="/me"/>
                        }.into_any(),
                        Ok(FormResult::Invalid(_)) => view! {
                            <p class="banner" role="status">{t::err_second_factor_already_on(l)}</p>
                            <a class="button" href="/me">{t::go_to_account(l)}</a>
                        }.into_any(),
                        Err(_) if !super::signed_in() => view! { <SignInFirst next="/me/two-step"/> }.into_any(),
                        Err(_) => view! { <LoadFailed/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// The profile's section: on or off, new recovery codes, and (for citizens) turning it off.
#[component]
pub fn TwoStepSection(locale: Locale, two_step: TwoStep) -> impl IntoView {
    let l = locale;
    let Some(since) = two_step.on_since.clone() else {
        return view! {
            <h2>{t::two_step_title(l)}</h2>
            <p class="hint">{t::two_step_off_lead(l)}</p>
            <a class="button button-secondary" href="/me/two-step">{t::two_step_turn_on(l)}</a>
        }
        .into_any();
    };
    let status = crate::i18n::fill(
        t::two_step_on(l),
        &[
            ("date", since.as_str()),
            ("count", &two_step.codes_left.to_string()),
        ],
    );
    view! {
        <h2>{t::two_step_title(l)}</h2>
        <p data-testid="two-step-status">{status}</p>
        {two_step.required.then(|| view! { <p class="hint">{t::two_step_required_note(l)}</p> })}
        <div id="new-codes-form" class="stack">
            <ServerForm endpoint="identity/two_step_new_codes".to_string() locale=l then=FormThen::step("new-codes-form", "new-codes") class="stack".to_string()>
                <FailureBanner locale=l/>
                <label for="new-codes-code">{t::field_app_code(l)}</label>
                <input id="new-codes-code" name="code" inputmode="numeric" autocomplete="one-time-code" maxlength="7" required
                    aria-describedby="new-codes-code-error" aria-invalid="false"/>
                <FieldMessage field="code" id="new-codes-code-error"/>
                <p class="hint">{t::two_step_new_codes_hint(l)}</p>
                <button type="submit" class="button button-secondary">{t::two_step_new_codes(l)}</button>
            </ServerForm>
        </div>
        <div id="new-codes" class="stack" tabindex="-1" hidden>
            <RecoveryCodesShown/>
        </div>
        {(!two_step.required).then(|| view! {
            <div id="two-step-off-form" class="stack">
                <ServerForm endpoint="identity/two_step_off".to_string() locale=l then=FormThen::step("two-step-off-form", "two-step-off") class="stack".to_string()>
                    <FailureBanner locale=l/>
                    <label for="two-step-off-code">{t::field_second_factor_code(l)}</label>
                    <input id="two-step-off-code" name="code" autocomplete="one-time-code" required
                        aria-describedby="two-step-off-code-error" aria-invalid="false"/>
                    <FieldMessage field="code" id="two-step-off-code-error"/>
                    <button type="submit" class="button button-secondary">{t::two_step_turn_off(l)}</button>
                </ServerForm>
            </div>
            <p id="two-step-off" class="banner" role="status" tabindex="-1" hidden>{t::two_step_turned_off(l)}</p>
        })}
    }
    .into_any()
}
