//! The steps people take on a grievance from its page, each a small form.

use crate::forms::{FailureBanner, FieldMessage, FormResult, FormThen, ServerForm};
use crate::i18n::{t, Locale};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::{load_for_caller, now};
#[cfg(feature = "ssr")]
use crate::request;
#[cfg(feature = "ssr")]
use crate::uploads::{prepare_photos, read_multipart};
#[cfg(feature = "ssr")]
use domain::grievances::{self as rules, store, Action};
#[cfg(feature = "ssr")]
use domain::problem::FieldError;

/// Takes one step on a grievance. The caller must be allowed to take that step on this one.
#[server(endpoint = "grievances/step")]
pub async fn grievance_step(
    number: String,
    action: String,
    note: Option<String>,
    category: Option<String>,
    rating: Option<String>,
) -> Result<FormResult<String>, ServerFnError> {
    let Some(action) = Action::parse(&action) else {
        request::set_status(http::StatusCode::BAD_REQUEST);
        return Err(ServerFnError::new("unknown step"));
    };
    let Some((id, account, owner)) = load_for_caller(&number).await? else {
        request::set_status(http::StatusCode::NOT_FOUND);
        return Err(ServerFnError::new("no such grievance"));
    };
    if !rules::may_act(&account.actor(), &owner, action) {
        request::set_status(http::StatusCode::FORBIDDEN);
        return Err(ServerFnError::new("not allowed"));
    }
    let mut problems = Vec::new();
    let transfer_to = match (action, category.as_deref().map(str::trim)) {
        (Action::Transfer, Some(c)) if !c.is_empty() => match uuid::Uuid::parse_str(c) {
            Ok(id) => Some(id),
            Err(_) => {
                problems.push(FieldError::new("category", "err_category_required"));
                None
            }
        },
        (Action::Transfer, _) => {
            problems.push(FieldError::new("category", "err_category_required"));
            None
        }
        _ => None,
    };
    let rating = rating.as_deref().and_then(|r| r.trim().parse::<i16>().ok());
    if !problems.is_empty() {
        return Ok(FormResult::Invalid(problems));
    }
    let step = store::Step {
        action,
        actor_id: account.id,
        note: note.unwrap_or_default(),
        transfer_to,
        rating,
        photos: Vec::new(),
    };
    let taken = store::take_step(&request::pool(), id, step, now()).await;
    if taken.is_ok() {
        leptos_axum::redirect(&format!("/grievances/{number}"));
    }
    request::answer(taken.map(|status| status.as_str().to_string()))
}

/// One step's form: the grievance and the step in hidden fields, an optional note, a button.
pub(crate) fn step_form(
    l: Locale,
    number: &str,
    action: &'static str,
    label: &'static str,
    note_label: Option<&'static str>,
    extra: AnyView,
) -> impl IntoView {
    let id = format!("step-{action}");
    let error_id = format!("step-{action}-note-error");
    let page = format!("/grievances/{number}");
    let number = number.to_string();
    view! {
        <ServerForm endpoint="grievances/step".to_string() locale=l then=FormThen::redirect(page) class="stack step-form".to_string()>
            <FailureBanner locale=l/>
            <input type="hidden" name="number" value=number/>
            <input type="hidden" name="action" value=action/>
            {extra}
            {note_label.map(|nl| view! {
                <label for=id.clone()>{nl}</label>
                <textarea id=id.clone() name="note" rows="2" maxlength="2000" aria-describedby=error_id.clone() aria-invalid="false"></textarea>
            })}
            <FieldMessage field="note" id=error_id.clone()/>
            <button type="submit" class="button">{label}</button>
        </ServerForm>
    }
}

/// The official resolves with a note and, if they have one, a photo of the work done.
#[server(endpoint = "grievances/resolve", input = leptos::server_fn::codec::MultipartFormData)]
pub async fn resolve_grievance(
    data: leptos::server_fn::codec::MultipartData,
) -> Result<FormResult<String>, ServerFnError> {
    // Only staff resolve: anyone else is refused before the body is read.
    request::require(|a| a.role != domain::identity::Role::Citizen)?;
    let (fields, uploads) = read_multipart(
        data,
        "photos",
        rules::photos::MAX_BYTES,
        "err_photo_too_big",
    )
    .await?;
    let text = |k: &str| {
        fields
            .get(k)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_string()
    };
    let number = text("number");
    let Some((id, account, owner)) = load_for_caller(&number).await? else {
        request::set_status(http::StatusCode::NOT_FOUND);
        return Err(ServerFnError::new("no such grievance"));
    };
    if !rules::may_act(&account.actor(), &owner, Action::Resolve) {
        request::set_status(http::StatusCode::FORBIDDEN);
        return Err(ServerFnError::new("not allowed"));
    }
    let photos = match prepare_photos(uploads).await? {
        Ok(p) => p,
        Err(problem) => return Ok(FormResult::Invalid(vec![problem])),
    };
    let step = store::Step {
        action: Action::Resolve,
        actor_id: account.id,
        note: text("note"),
        transfer_to: None,
        rating: None,
        photos,
    };
    let taken = store::take_step(&request::pool(), id, step, now()).await;
    if taken.is_ok() {
        leptos_axum::redirect(&format!("/grievances/{number}"));
    }
    request::answer(taken.map(|status| status.as_str().to_string()))
}

/// The resolve form: a note, and a photo of the work done if there is one.
pub(crate) fn resolve_form(l: Locale, number: &str) -> impl IntoView {
    let page = format!("/grievances/{number}");
    let number = number.to_string();
    view! {
        <ServerForm endpoint="grievances/resolve".to_string() locale=l then=FormThen::redirect(page) class="stack step-form".to_string()
            enctype="multipart/form-data".to_string()>
            <FailureBanner locale=l/>
            <input type="hidden" name="number" value=number/>
            <label for="step-resolved">{t::field_resolution_note(l)}</label>
            <textarea id="step-resolved" name="note" rows="2" maxlength="2000" aria-describedby="step-resolved-note-error" aria-invalid="false"></textarea>
            <FieldMessage field="note" id="step-resolved-note-error"/>
            <label for="step-resolved-photo">{t::field_resolution_photo(l)}</label>
            <input id="step-resolved-photo" type="file" name="photos" accept="image/jpeg,image/png,image/webp"
                aria-describedby="photos-error" aria-invalid="false"/>
            <FieldMessage field="photos"/>
            <button type="submit" class="button">{t::action_resolve(l)}</button>
        </ServerForm>
    }
}
