//! A department admin gives a selection of the department's queue to another of its staff: the
//! queue's cards get a checkbox each (tied to this form by its id, valued `kind:number`), and
//! this form names whom to.

use crate::forms::{FailureBanner, FieldMessage, FormResult, FormThen, ServerForm};
use crate::i18n::{t, use_locale};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::grievances::now;
#[cfg(feature = "ssr")]
use crate::request;
#[cfg(feature = "ssr")]
use domain::identity::Role;
#[cfg(feature = "ssr")]
use domain::problem::Problem;
#[cfg(feature = "ssr")]
use domain::work::{store, ItemRef};

/// The form's id, which the queue's checkboxes name in their `form` attribute.
pub const REASSIGN_FORM: &str = "reassign-form";

/// Someone a grievance may be given to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StaffOption {
    pub id: String,
    pub name: String,
}

/// The department's staff, for a department admin looking at the department's queue.
#[cfg(feature = "ssr")]
pub(crate) async fn staff_options(
    department: uuid::Uuid,
) -> Result<Vec<StaffOption>, ServerFnError> {
    let staff = domain::identity::store::list_staff(&request::pool(), Some(department.into()))
        .await
        .map_err(request::unexpected)?;
    Ok(staff
        .into_iter()
        .filter(|s| matches!(s.role.as_str(), "official" | "department_admin"))
        .map(|s| StaffOption {
            id: s.id.to_string(),
            name: s.name,
        })
        .collect())
}

/// Gives the selected items (`ids[n]`: `kind:number`) to `to`. Only a department admin, within
/// their own department; the answer is how many moved.
#[server(endpoint = "work/reassign")]
pub async fn reassign(
    ids: Option<std::collections::BTreeMap<String, String>>,
    to: String,
) -> Result<FormResult<usize>, ServerFnError> {
    let account = request::require(|a| a.role == Role::DepartmentAdmin)?;
    let Some(department) = account.department_id else {
        return Err(request::refuse(Problem::Forbidden));
    };
    let Some(items) = ids
        .unwrap_or_default()
        .values()
        .map(|v| ItemRef::parse(v))
        .collect::<Option<Vec<_>>>()
    else {
        return Err(request::refuse(Problem::NotFound));
    };
    let Ok(to) = to.parse::<domain::ids::AccountId>() else {
        return request::answer(Err(Problem::field("to", "err_reassign_target")));
    };
    let pool = request::pool();
    match store::reassign(&pool, &items, to, account.id, department, now()).await {
        Err(p @ (Problem::Forbidden | Problem::NotFound)) => Err(request::refuse(p)),
        other => request::answer(other),
    }
}

/// Whom to give the selection to, and the button; after it, the queue as it is now.
#[component]
pub fn ReassignForm(staff: Vec<StaffOption>, back: String) -> impl IntoView {
    let l = use_locale();
    view! {
        <ServerForm endpoint="work/reassign".to_string() locale=l then=FormThen::redirect(back)
            class="reassign stack".to_string() id=REASSIGN_FORM.to_string()>
            <FailureBanner locale=l/>
            <FieldMessage field="ids"/>
            <label for="reassign-to">{t::reassign_selected(l)}</label>
            // Nobody is chosen until the admin chooses: a stray click moves nothing.
            <select id="reassign-to" name="to" aria-describedby="to-error">
                <option value="">{t::choose_staff(l)}</option>
                {staff.into_iter().map(|s| view! { <option value=s.id>{s.name}</option> }).collect_view()}
            </select>
            <FieldMessage field="to"/>
            <button type="submit" class="button button-small">{t::reassign_button(l)}</button>
        </ServerForm>
    }
}
