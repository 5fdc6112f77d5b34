//! "Close my account" on `/me`: what goes and what the city keeps is said before, and the
//! password is asked again. The answer signs the device out.

use crate::forms::{FailureBanner, FieldMessage, FormResult, FormThen, ServerForm};
use crate::i18n::{t, Locale};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::request;

/// Closes the caller's own account; the answer is how many grievances stay as the city's record.
#[server(endpoint = "identity/close_account")]
pub async fn close_account(password: String) -> Result<FormResult<String>, ServerFnError> {
    let account = request::require_account()?;
    let l = request::request_locale();
    let closed = domain::identity::store::close_account(
        &request::pool(),
        &account,
        &password,
        t::grievance_words_removed(l),
        t::notice_account_closed(l),
    )
    .await;
    if closed.is_ok() {
        request::set_cookie(domain::identity::store::SESSION_COOKIE, "", 0);
    }
    request::answer(closed.map(|c| c.grievances_kept.to_string()))
}

/// The profile's section for it.
#[component]
pub fn CloseAccount(locale: Locale) -> impl IntoView {
    let l = locale;
    view! {
        <h2>{t::close_title(l)}</h2>
        <div id="close-form" class="stack">
            <p class="hint">{t::close_what_goes(l)}</p>
            <p class="hint">{t::close_what_stays(l)}</p>
            <ServerForm endpoint="identity/close_account".to_string() locale=l then=FormThen::step("close-form", "account-closed") class="stack".to_string()>
                <FailureBanner locale=l/>
                <label for="close-password">{t::close_password(l)}</label>
                <input id="close-password" name="password" type="password" autocomplete="current-password" required
                    aria-describedby="close-password-error" aria-invalid="false"/>
                <FieldMessage field="password" id="close-password-error"/>
                <button type="submit" class="button button-danger">{t::close_button(l)}</button>
            </ServerForm>
        </div>
        <div id="account-closed" class="stack" tabindex="-1" hidden>
            <p class="banner" role="status">{t::close_done(l)} " " <span data-slot="value"></span></p>
            <a class="button" href="/">{t::back_home(l)}</a>
        </div>
    }
}
