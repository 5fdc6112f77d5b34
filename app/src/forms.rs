//! What a form's server function answers, and how its problems are shown at their fields.

use crate::i18n::{error_message, t, Locale};
use domain::identity::FieldError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A form either did its work or names the fields to fix. Failures that are not the person's to
/// fix travel as `ServerFnError`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum FormResult<T> {
    Done(T),
    Invalid(Vec<FieldError>),
}

/// The problems of the last submission of an action, empty when it succeeded or has not run.
pub fn field_errors<T, S>(value: S) -> Signal<Vec<FieldError>>
where
    T: Clone + Send + Sync + 'static,
    S: Get<Value = Option<Result<FormResult<T>, ServerFnError>>> + Send + Sync + 'static,
{
    Signal::derive(move || match value.get() {
        Some(Ok(FormResult::Invalid(errors))) => errors,
        _ => Vec::new(),
    })
}

/// Whether the last submission failed for a reason that is not the person's to fix.
pub fn failed<T, S>(value: S) -> Signal<bool>
where
    T: Clone + Send + Sync + 'static,
    S: Get<Value = Option<Result<FormResult<T>, ServerFnError>>> + Send + Sync + 'static,
{
    Signal::derive(move || matches!(value.get(), Some(Err(_))))
}

pub fn error_text(locale: Locale, code: &str) -> String {
    error_message(locale, code).unwrap_or(t::err_unexpected(locale)).to_string()
}

/// The message under a field; `id` is what the input's `aria-describedby` names.
#[component]
pub fn FieldMessage(
    errors: Signal<Vec<FieldError>>,
    #[prop(into)] field: String,
    locale: Locale,
) -> impl IntoView {
    let id = format!("{field}-error");
    let f = field.clone();
    let message = move || {
        errors
            .get()
            .iter()
            .find(|e| e.field == f)
            .map(|e| error_text(locale, &e.code))
    };
    view! {
        <p class="field-error" id=id role="alert" aria-live="polite">{message}</p>
    }
}

/// `aria-invalid` for an input, from the current problems.
pub fn invalid(errors: Signal<Vec<FieldError>>, field: &'static str) -> impl Fn() -> &'static str + Send + Sync + Copy {
    move || if errors.get().iter().any(|e| e.field == field) { "true" } else { "false" }
}

/// A banner for a failure that is not the person's to fix (the server is unreachable, say).
#[component]
pub fn FailureBanner(failed: Signal<bool>, locale: Locale) -> impl IntoView {
    move || failed.get().then(|| view! { <p class="banner banner-error" role="alert">{t::err_unexpected(locale)}</p> })
}

/// True once the island has woken in the browser. Forms carry it as `data-hydrated`, so a test
/// (or a stylesheet) can tell a live form from server-rendered HTML.
pub fn hydrated() -> Signal<bool> {
    let (ready, set_ready) = signal(false);
    Effect::new(move |_| set_ready.set(true));
    ready.into()
}
