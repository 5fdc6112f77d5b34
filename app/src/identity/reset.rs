//! `/reset-password`: a forgotten password, reset with a one-time code sent to the account's
//! mobile number. The first step answers the same whether or not the number is registered.

use crate::forms::{FailureBanner, FieldMessage, FormResult, FormThen, ServerForm};
use crate::i18n::{t, use_locale};
use leptos::prelude::*;
use leptos_meta::Title;

#[cfg(feature = "ssr")]
use crate::request;
#[cfg(feature = "ssr")]
use domain::identity::store;

/// Sends a code to the number if an account has it; the answer is the reset's id either way.
#[server(endpoint = "identity/reset_start")]
pub async fn reset_start(mobile: String) -> Result<FormResult<String>, ServerFnError> {
    let locale = request::request_locale();
    if let Err(p) =
        request::client_limit("codes-client", domain::throttle::CODES_CLIENT, "mobile").await
    {
        return request::answer(Err(p));
    }
    let started = store::start_reset(&request::pool(), &request::data_key(), &mobile, |code| {
        crate::i18n::fill(t::sms_reset_code(locale), &[("code", code)])
    })
    .await;
    request::answer(started.map(|id| id.to_string()))
}

/// The code and a new password: every device is signed out, and the person is told.
#[server(endpoint = "identity/reset_finish")]
pub async fn reset_finish(
    reset_id: String,
    code: String,
    password: String,
) -> Result<FormResult<()>, ServerFnError> {
    let locale = request::request_locale();
    let Ok(reset) = uuid::Uuid::parse_str(reset_id.trim()) else {
        return request::answer(Err(domain::problem::Problem::field(
            "code",
            "err_code_expired",
        )));
    };
    let told = t::notice_password_reset(locale);
    request::answer(
        store::finish_reset(
            &request::pool(),
            &request::data_key(),
            reset,
            &code,
            &password,
            told,
        )
        .await,
    )
}

#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let l = use_locale();
    view! {
        <Title text=t::reset_title(l)/>
        <section class="page narrow">
            <h1>{t::reset_title(l)}</h1>
            <div id="reset-start" class="stack">
                <p>{t::reset_intro(l)}</p>
                <ServerForm endpoint="identity/reset_start".to_string() locale=l then=FormThen::step("reset-start", "reset-finish") class="stack".to_string()>
                    <FailureBanner locale=l/>
                    <label for="reset-mobile">{t::field_mobile(l)}</label>
                    <input id="reset-mobile" name="mobile" type="tel" autocomplete="tel" required
                        aria-describedby="mobile-error" aria-invalid="false"/>
                    <FieldMessage field="mobile"/>
                    <button type="submit" class="button">{t::send_code(l)}</button>
                </ServerForm>
            </div>
            <div id="reset-finish" class="stack" tabindex="-1" hidden>
                <p>{t::reset_code_sent(l)}</p>
                <ServerForm endpoint="identity/reset_finish".to_string() locale=l then=FormThen::step("reset-finish", "reset-done") class="stack".to_string()>
                    <FailureBanner locale=l/>
                    <input type="hidden" name="reset_id" data-slot-value="value"/>
                    <label for="reset-code">{t::field_code(l)}</label>
                    <input id="reset-code" name="code" inputmode="numeric" autocomplete="one-time-code" maxlength="7" required
                        aria-describedby="code-error" aria-invalid="false"/>
                    <FieldMessage field="code"/>
                    <label for="reset-password">{t::field_new_password(l)}</label>
                    <input id="reset-password" name="password" type="password" autocomplete="new-password" required
                        aria-describedby="password-error" aria-invalid="false"/>
                    <FieldMessage field="password"/>
                    <button type="submit" class="button">{t::reset_button(l)}</button>
                </ServerForm>
            </div>
            <div id="reset-done" class="stack" tabindex="-1" hidden>
                <p class="banner" role="status">{t::reset_done(l)}</p>
                <a class="button" href="/sign-in">{t::sign_in(l)}</a>
            </div>
        </section>
    }
}
