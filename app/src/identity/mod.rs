//! Identity: registration with a one-time code, sign-in and sign-out, the profile with its
//! sessions, and the language preference; a forgotten password is `reset`, two-step sign-in is
//! `second_factor`, and all of a person's data is theirs to download (`export`) and to erase
//! (`closure`).

pub mod closure;
pub mod export;
pub mod reset;
pub mod second_factor;

use crate::forms::{FailureBanner, FieldMessage, FormResult, FormThen, ServerForm, Toggle};
#[cfg(feature = "ssr")]
use crate::i18n::{fill, Locale};
use crate::i18n::{t, use_locale};
use crate::layout::{LoadFailed, SignInFirst};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::request;
#[cfg(feature = "ssr")]
use domain::identity::store;
#[cfg(feature = "ssr")]
use domain::problem::Problem;

#[cfg(feature = "ssr")]
fn parse_uuid(s: &str, field: &str, code: &str) -> Result<uuid::Uuid, Problem> {
    uuid::Uuid::parse_str(s).map_err(|_| Problem::field(field, code))
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RegistrationStarted {
    pub registration_id: String,
    pub mobile_masked: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Registered {
    pub citizen_id: String,
    pub name: String,
}

/// Step one of registration: checks the details and sends a code to the mobile number.
#[server(endpoint = "identity/register")]
pub async fn register(
    name: String,
    mobile: String,
    email: String,
    password: String,
) -> Result<FormResult<RegistrationStarted>, ServerFnError> {
    let locale = request::request_locale();
    if let Err(p) =
        request::client_limit("codes-client", domain::throttle::CODES_CLIENT, "mobile").await
    {
        return request::answer(Err(p));
    }
    let form = store::RegistrationForm {
        name,
        mobile,
        email,
        password,
        locale,
    };
    let started = store::start_registration(
        &request::pool(),
        &request::data_key(),
        form,
        |code| fill(t::sms_registration_code(locale), &[("code", code)]),
        t::sms_already_registered(locale),
    )
    .await;
    request::answer(started.map(|s| RegistrationStarted {
        registration_id: s.registration_id.to_string(),
        mobile_masked: s.mobile.masked(),
    }))
}

#[server(endpoint = "identity/resend_code")]
pub async fn resend_code(registration_id: String) -> Result<FormResult<String>, ServerFnError> {
    let locale = request::request_locale();
    if let Err(p) =
        request::client_limit("codes-client", domain::throttle::CODES_CLIENT, "code").await
    {
        return request::answer(Err(p));
    }
    let result = async {
        let id = parse_uuid(&registration_id, "code", "err_registration_expired")?;
        store::resend_code(&request::pool(), &request::data_key(), id, |code| {
            fill(t::sms_registration_code(locale), &[("code", code)])
        })
        .await
    }
    .await;
    request::answer(result.map(|m| m.masked()))
}

/// Step two: the code confirms the mobile number; the citizen gets their id and is signed in.
#[server(endpoint = "identity/confirm")]
pub async fn confirm_registration(
    registration_id: String,
    code: String,
) -> Result<FormResult<Registered>, ServerFnError> {
    let pool = request::pool();
    let result = async {
        let id = parse_uuid(&registration_id, "code", "err_registration_expired")?;
        store::confirm_registration(&pool, &request::data_key(), id, &code).await
    }
    .await;
    match request::answer(result)? {
        FormResult::Done(new) => {
            let account = store::account(&pool, new.user_id)
                .await
                .map_err(request::unexpected)?
                .ok_or_else(|| request::unexpected("new account not found"))?;
            request::sign_in_as(&account).await?;
            Ok(FormResult::Done(Registered {
                citizen_id: new.citizen_id.to_string(),
                name: account.name,
            }))
        }
        FormResult::Invalid(f) => Ok(FormResult::Invalid(f)),
    }
}

/// Signs in. Failed tries are limited per account (in `domain`) and per client here: many
/// failures from one address, whichever accounts they name, are refused with 429 for a while.
/// The answer is where to go: `next`, or the second step when the account has one (staff
/// always), which a short-lived cookie ties to this sign-in.
#[server(endpoint = "identity/sign_in")]
pub async fn sign_in(
    login: String,
    password: String,
    next: Option<String>,
) -> Result<FormResult<String>, ServerFnError> {
    use domain::throttle::{self, SIGN_IN_CLIENT};
    let pool = request::pool();
    let client = request::client_key("sign-in-client");
    let now = time::OffsetDateTime::now_utc();
    let looked = throttle::peek(&pool, &client, SIGN_IN_CLIENT, now)
        .await
        .map_err(request::unexpected)?;
    if let Some(refusal) = looked.refusal("password", "err_sign_in_throttled") {
        return request::answer(Err(refusal));
    }
    let tried = store::sign_in(&pool, &login, &password).await;
    if let Err(domain::problem::Problem::Invalid(f)) = &tried {
        if f.iter().any(|e| e.code == "err_sign_in_failed") {
            // (the login typed is not logged: a password typed into it by mistake would be)
            tracing::info!(target: "security", "sign-in refused: unknown login or wrong password");
            throttle::hit(&pool, &client, SIGN_IN_CLIENT, now)
                .await
                .map_err(request::unexpected)?;
        }
    }
    let next = safe_next(next);
    let account = match request::answer(tried)? {
        FormResult::Done(account) => account,
        FormResult::Invalid(f) => return Ok(FormResult::Invalid(f)),
    };
    let due = store::second_step_due(&pool, &account)
        .await
        .map_err(request::unexpected)?;
    if due {
        use domain::identity::second_factor::CHALLENGE_MINUTES;
        use store::second_factor::{start_challenge, CHALLENGE_COOKIE};
        let ua = request::header(http::header::USER_AGENT).unwrap_or_default();
        let token = start_challenge(&pool, account.id, &ua)
            .await
            .map_err(request::unexpected)?;
        request::set_cookie(CHALLENGE_COOKIE, &token, CHALLENGE_MINUTES * 60);
        return Ok(FormResult::Done(format!(
            "/sign-in/second-step?next={}",
            encode_next(&next)
        )));
    }
    store::signed_in(&pool, &account)
        .await
        .map_err(request::unexpected)?;
    request::sign_in_as(&account).await?;
    Ok(FormResult::Done(next))
}

/// A path on this site as one query value (`?next=…`).
pub(crate) fn encode_next(path: &str) -> String {
    path.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Ends this session. A plain form posts here; the answer sends the browser home.
#[server(endpoint = "identity/sign_out")]
pub async fn sign_out() -> Result<(), ServerFnError> {
    if let Some(token) = request::request_cookie(store::SESSION_COOKIE) {
        store::end_session(&request::pool(), &token)
            .await
            .map_err(request::unexpected)?;
    }
    request::set_cookie(store::SESSION_COOKIE, "", 0);
    leptos_axum::redirect("/");
    Ok(())
}

/// Revokes one of the caller's own sessions (a lost phone, say).
#[server(endpoint = "identity/revoke_session")]
pub async fn revoke_session(session_id: String) -> Result<bool, ServerFnError> {
    let account = request::require_account()?;
    let Ok(id) = session_id.parse::<domain::ids::SessionId>() else {
        request::set_status(http::StatusCode::BAD_REQUEST);
        return Err(ServerFnError::new("bad session id"));
    };
    let revoked = store::revoke_session(&request::pool(), account.id, id)
        .await
        .map_err(request::unexpected)?;
    if !revoked {
        request::set_status(http::StatusCode::NOT_FOUND);
        return Err(ServerFnError::new("no such session"));
    }
    leptos_axum::redirect("/me");
    Ok(true)
}

#[server(endpoint = "identity/change_password")]
pub async fn change_password(
    current_password: String,
    new_password: String,
) -> Result<FormResult<()>, ServerFnError> {
    let caller = request::caller();
    let account = request::require_account()?;
    let session = caller
        .session_id
        .ok_or_else(|| request::unexpected("signed in without a session"))?;
    request::answer(
        store::change_password(
            &request::pool(),
            &account,
            session.into(),
            &current_password,
            &new_password,
            t::notice_password_changed(request::request_locale()),
        )
        .await,
    )
}

/// Remembers the language in a cookie (and on the profile of a signed-in person).
#[server(endpoint = "set_language")]
pub async fn set_language(locale: String) -> Result<(), ServerFnError> {
    let Some(locale) = Locale::from_code(&locale) else {
        request::set_status(http::StatusCode::BAD_REQUEST);
        return Err(ServerFnError::new("unknown language"));
    };
    request::set_cookie(request::LANGUAGE_COOKIE, locale.code(), 365 * 86_400);
    if let Some(account) = request::account() {
        store::set_locale(&request::pool(), account.id, locale)
            .await
            .map_err(request::unexpected)?;
    }
    Ok(())
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SessionView {
    pub id: String,
    pub started: String,
    pub last_seen: String,
    pub device: String,
    pub current: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProfileData {
    pub name: String,
    pub citizen_id: String,
    pub mobile_masked: String,
    pub email: Option<String>,
    pub role: String,
    pub sessions: Vec<SessionView>,
    /// The server's web push key, for turning notifications on for this device.
    pub push_key: String,
    pub two_step: second_factor::TwoStep,
    /// the password is still the one an admin chose: only this page is open until it changes
    pub password_due: bool,
}

#[cfg(feature = "ssr")]
fn short_time(t: time::OffsetDateTime) -> String {
    // Shown in India's time zone whatever the server's.
    let ist = t.to_offset(time::macros::offset!(+5:30));
    ist.format(time::macros::format_description!(
        "[day]/[month]/[year] [hour]:[minute]"
    ))
    .unwrap_or_default()
}

#[server(endpoint = "identity/profile")]
pub async fn profile() -> Result<ProfileData, ServerFnError> {
    let caller = request::caller();
    let account = request::require_account()?;
    let sessions = store::list_sessions(&request::pool(), account.id)
        .await
        .map_err(request::unexpected)?;
    Ok(ProfileData {
        name: account.name.clone(),
        citizen_id: account.citizen_id().to_string(),
        mobile_masked: domain::identity::MobileNumber::parse(&account.mobile)
            .map(|m| m.masked())
            .unwrap_or_default(),
        email: account.email.clone(),
        role: account.role.as_str().to_string(),
        push_key: request::state().config.vapid_public_key.clone(),
        two_step: second_factor::two_step_of(&account).await?,
        password_due: account.password_due,
        sessions: sessions
            .into_iter()
            .map(|s| SessionView {
                id: s.id.to_string(),
                started: short_time(s.created_at),
                last_seen: short_time(s.last_seen_at),
                device: request::device_label(&s.user_agent, request::request_locale()),
                current: caller.session_id == Some(s.id),
            })
            .collect(),
    })
}

// ---- pages ----

/// Splits a translated sentence around its `{name}` placeholder, for a slot filled in the browser.
fn around<'a>(template: &'a str, name: &str) -> (&'a str, &'a str) {
    template
        .split_once(&format!("{{{name}}}"))
        .unwrap_or((template, ""))
}

#[component]
pub fn RegisterPage() -> impl IntoView {
    let l = use_locale();
    let (sent_before, sent_after) = around(t::code_sent_to(l), "mobile");
    let (welcome_before, welcome_after) = around(t::registered_welcome(l), "name");
    view! {
        <Title text=t::register_title(l)/>
        <section class="page narrow">
            <h1>{t::register_title(l)}</h1>
            <p class="lead">{t::register_lead(l)}</p>
            // Step one stays in the page (only hidden) so nothing typed is lost on the way back.
            <div id="reg-details" tabindex="-1">
                <ServerForm endpoint="identity/register".to_string() locale=l then=FormThen::step("reg-details", "reg-code") class="stack".to_string()>
                    <FailureBanner locale=l/>
                    <label for="reg-name">{t::field_name(l)}</label>
                    <input id="reg-name" name="name" autocomplete="name" required aria-describedby="name-error" aria-invalid="false"/>
                    <FieldMessage field="name"/>

                    <label for="reg-mobile">{t::field_mobile(l)}</label>
                    <input id="reg-mobile" name="mobile" type="tel" inputmode="numeric" autocomplete="tel-national" required
                        aria-describedby="mobile-hint mobile-error" aria-invalid="false"/>
                    <p class="hint" id="mobile-hint">{t::field_mobile_hint(l)}</p>
                    <FieldMessage field="mobile"/>

                    <label for="reg-email">{t::field_email_optional(l)}</label>
                    <input id="reg-email" name="email" type="email" autocomplete="email" aria-describedby="email-error" aria-invalid="false"/>
                    <FieldMessage field="email"/>

                    <label for="reg-password">{t::field_password(l)}</label>
                    <input id="reg-password" name="password" type="password" autocomplete="new-password" required
                        aria-describedby="password-hint password-error" aria-invalid="false"/>
                    <p class="hint" id="password-hint">{t::field_password_hint(l)}</p>
                    <FieldMessage field="password"/>

                    <button type="submit" class="button">{t::send_code(l)}</button>
                </ServerForm>
            </div>
            <div id="reg-code" class="stack" tabindex="-1" hidden>
                <p role="status">{sent_before}<span data-slot="mobile_masked"></span>{sent_after}</p>
                <ServerForm endpoint="identity/confirm".to_string() locale=l then=FormThen::step("reg-code", "reg-done") class="stack".to_string()>
                    <FailureBanner locale=l/>
                    <input type="hidden" name="registration_id" data-slot-value="registration_id"/>
                    <label for="reg-code-input">{t::field_code(l)}</label>
                    <input id="reg-code-input" name="code" inputmode="numeric" autocomplete="one-time-code" maxlength="7" required
                        aria-describedby="code-error" aria-invalid="false"/>
                    <FieldMessage field="code"/>
                    <button type="submit" class="button">{t::confirm_code(l)}</button>
                </ServerForm>
                <ServerForm endpoint="identity/resend_code".to_string() locale=l then=FormThen::show("code-resent") class="inline-form".to_string()>
                    <input type="hidden" name="registration_id" data-slot-value="registration_id"/>
                    <button type="submit" class="link-button">{t::resend_code(l)}</button>
                    <span id="code-resent" role="status" hidden>" " {t::code_resent(l)}</span>
                </ServerForm>
                <Toggle show="reg-details".to_string() hide="reg-code".to_string() label=t::change_details(l).to_string()/>
            </div>
            <div id="reg-done" class="card success" role="status" tabindex="-1" hidden>
                <h2>{welcome_before}<span data-slot="name"></span>{welcome_after}</h2>
                <p>{t::your_citizen_id(l)}</p>
                <p class="citizen-id" data-testid="citizen-id" data-slot="citizen_id"></p>
                <p class="hint">{t::citizen_id_hint(l)}</p>
                <a class="button" href="/me">{t::go_to_account(l)}</a>
            </div>
            <p>{t::have_account(l)} " " <a href="/sign-in">{t::sign_in(l)}</a></p>
        </section>
    }
}

/// Only a path on this site is a place to go back to after sign-in.
fn safe_next(next: Option<String>) -> String {
    next.as_deref()
        .and_then(domain::identity::safe_return_path)
        .unwrap_or("/me")
        .to_string()
}

#[component]
pub fn SignInPage() -> impl IntoView {
    let l = use_locale();
    let next = safe_next(use_query_map().get_untracked().get("next"));
    view! {
        <Title text=t::sign_in(l)/>
        <section class="page narrow">
            <h1>{t::sign_in(l)}</h1>
            <ServerForm endpoint="identity/sign_in".to_string() locale=l then=FormThen::redirect_with("") class="stack".to_string()>
                <FailureBanner locale=l/>
                <input type="hidden" name="next" value=next/>
                <label for="login">{t::field_login(l)}</label>
                <input id="login" name="login" autocomplete="username" required aria-describedby="login-hint login-error" aria-invalid="false"/>
                <p class="hint" id="login-hint">{t::field_login_hint(l)}</p>
                <FieldMessage field="login"/>
                <label for="password">{t::field_password(l)}</label>
                <input id="password" name="password" type="password" autocomplete="current-password" required
                    aria-describedby="password-error" aria-invalid="false"/>
                <FieldMessage field="password"/>
                <button type="submit" class="button">{t::sign_in(l)}</button>
            </ServerForm>
            <p><a href="/reset-password">{t::forgot_password(l)}</a></p>
            <p>{t::no_account(l)} " " <a href="/register">{t::register(l)}</a></p>
        </section>
    }
}

#[component]
pub fn ProfilePage() -> impl IntoView {
    let l = use_locale();
    let data = OnceResource::new(profile());
    view! {
        <Title text=t::nav_my_account(l)/>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(p) => view! { <ProfileView profile=p/> }.into_any(),
                    Err(_) if !signed_in() => view! { <SignInFirst next="/me"/> }.into_any(),
                    Err(_) => view! { <LoadFailed/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

pub fn signed_in() -> bool {
    #[cfg(feature = "ssr")]
    {
        request::account().is_some()
    }
    #[cfg(not(feature = "ssr"))]
    {
        false
    }
}

#[component]
fn ProfileView(profile: ProfileData) -> impl IntoView {
    let l = use_locale();
    let role = match profile.role.as_str() {
        "official" => t::role_official(l),
        "department_admin" => t::role_department_admin(l),
        "city_admin" => t::role_city_admin(l),
        _ => t::role_citizen(l),
    };
    view! {
        <section class="page">
            <h1>{profile.name.clone()}</h1>
            {profile.password_due.then(|| view! {
                <p class="banner banner-error" role="alert"><a href="#current-password">{t::password_due_banner(l)}</a></p>
            })}
            <div class="card">
                <p>{t::your_citizen_id(l)}</p>
                <p class="citizen-id" data-testid="citizen-id">{profile.citizen_id.clone()}</p>
                <dl class="facts">
                    <dt>{t::field_mobile(l)}</dt><dd>{profile.mobile_masked.clone()}</dd>
                    <dt>{t::field_email(l)}</dt><dd>{profile.email.clone().unwrap_or_else(|| "—".into())}</dd>
                    <dt>{t::field_role(l)}</dt><dd>{role}</dd>
                </dl>
            </div>
            <h2>{t::push_title(l)}</h2>
            <p class="hint">{t::push_hint(l)}</p>
            <crate::notifications::PushToggle locale=l key=profile.push_key.clone()/>
            <h2>{t::change_password_title(l)}</h2>
            <ServerForm endpoint="identity/change_password".to_string() locale=l then=FormThen::show("password-changed") class="stack".to_string()>
                <FailureBanner locale=l/>
                <label for="current-password">{t::field_current_password(l)}</label>
                <input id="current-password" name="current_password" type="password" autocomplete="current-password" required
                    aria-describedby="current_password-error" aria-invalid="false"/>
                <FieldMessage field="current_password"/>
                <label for="new-password">{t::field_new_password(l)}</label>
                <input id="new-password" name="new_password" type="password" autocomplete="new-password" required
                    aria-describedby="new-password-hint new_password-error" aria-invalid="false"/>
                <p class="hint" id="new-password-hint">{t::field_password_hint(l)}</p>
                <FieldMessage field="new_password"/>
                <button type="submit" class="button">{t::change_password_button(l)}</button>
                <p id="password-changed" role="status" class="banner" hidden>{t::password_changed(l)}</p>
            </ServerForm>
            <second_factor::TwoStepSection locale=l two_step=profile.two_step.clone()/>
            <export::MyData locale=l/>
            <h2>{t::sessions_title(l)}</h2>
            <p class="hint">{t::sessions_hint(l)}</p>
            <ul class="session-list">
                {profile.sessions.into_iter().map(|s| view! {
                    <li class="card">
                        <p><strong>{if s.current { t::this_device(l).to_string() } else { s.device.chars().take(80).collect::<String>() }}</strong></p>
                        <p class="hint">{t::session_started(l)} " " {s.started} " · " {t::session_last_seen(l)} " " {s.last_seen}</p>
                        <form method="post" action="/api/identity/revoke_session">
                            <input type="hidden" name="session_id" value=s.id/>
                            <button type="submit" class="button button-secondary button-small">
                                {if s.current { t::sign_out(l) } else { t::revoke_session(l) }}
                            </button>
                        </form>
                    </li>
                }).collect_view()}
            </ul>
            // Staff accounts are closed by whoever manages them, not here.
            {(profile.role == "citizen").then(|| view! { <closure::CloseAccount locale=l/> })}
        </section>
    }
}
