//! `/admin/services/{slug}/form`: a department admin edits the service's application form:
//! each question (its words in three languages, its kind, whether it must be answered, when it is
//! shown), the fee's rules and the time limit. Saving makes the next version; applications
//! already made keep the version they were made with.

use crate::forms::{FailureBanner, FieldMessage, FormResult, FormThen, ServerForm};
use crate::i18n::{fill, t, use_locale, Locale};
use crate::layout::NotFound;
use domain::applications::form_editor::{FeeRows, FieldRow, KINDS};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[cfg(feature = "ssr")]
use crate::request;
#[cfg(feature = "ssr")]
use domain::applications::{form_editor, store};
#[cfg(feature = "ssr")]
use domain::problem::Problem;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FormEditorData {
    pub slug: String,
    pub service: String,
    /// The version shown (0: none yet).
    pub version: i32,
    pub rows: Vec<FieldRow>,
    pub fee: FeeRows,
    /// (locker kind, its name)
    pub documents: Vec<(String, String)>,
}

/// The service, if the caller keeps its department.
#[cfg(feature = "ssr")]
async fn managed_service(slug: &str) -> Result<(uuid::Uuid, String), ServerFnError> {
    let account = request::require(super::is_admin)?;
    let s = domain::catalogue::service(&request::pool(), slug, request::request_locale())
        .await
        .map_err(request::unexpected)?
        .ok_or_else(|| request::refuse(Problem::NotFound))?;
    if !account.actor().may_manage_department(s.department_id) {
        return Err(request::refuse(Problem::Forbidden));
    }
    Ok((s.id.uuid(), s.name))
}

#[server(endpoint = "admin/service_form")]
pub async fn service_form(slug: String) -> Result<FormEditorData, ServerFnError> {
    let (service, name) = managed_service(&slug).await?;
    let l = request::request_locale();
    let current = store::current_form(&request::pool(), service.into())
        .await
        .map_err(request::refuse)?;
    let (version, (mut rows, fee)) = match current {
        Some((v, form)) => (v, form_editor::rows_of(&form)),
        None => (
            0,
            (
                Vec::new(),
                FeeRows {
                    base: "0".into(),
                    working_days: "7".into(),
                    ..FeeRows::default()
                },
            ),
        ),
    };
    // a blank question at the end, to add one
    rows.push(FieldRow {
        position: (rows.len() + 1).to_string(),
        kind: "text".into(),
        ..FieldRow::default()
    });
    Ok(FormEditorData {
        slug,
        service: name,
        version,
        rows,
        fee,
        documents: domain::locker::KINDS
            .iter()
            .map(|k| (k.to_string(), domain::locker::kind_label(k, l)))
            .collect(),
    })
}

/// Saves the edited form as the service's next version; the answer is that version.
#[server(endpoint = "admin/save_service_form")]
pub async fn save_service_form(
    slug: String,
    fields: Option<BTreeMap<String, FieldRow>>,
    fee: Option<FeeRows>,
) -> Result<FormResult<i32>, ServerFnError> {
    let (service, _) = managed_service(&slug).await?;
    let admin = request::require_account()?;
    // rows in the order the page numbered them
    let mut rows: Vec<(usize, FieldRow)> = fields
        .unwrap_or_default()
        .into_iter()
        .filter_map(|(i, r)| Some((i.parse().ok()?, r)))
        .collect();
    rows.sort_by_key(|(i, _)| *i);
    let rows: Vec<FieldRow> = rows.into_iter().map(|(_, r)| r).collect();
    let saved = async {
        let form =
            form_editor::form_of(&rows, &fee.unwrap_or_default()).map_err(Problem::Invalid)?;
        store::save_form(&request::pool(), service.into(), &form, Some(admin.id)).await
    };
    request::answer(saved.await)
}

#[component]
pub fn FormEditorPage() -> impl IntoView {
    let l = use_locale();
    let slug = use_params_map()
        .get_untracked()
        .get("slug")
        .unwrap_or_default();
    let data = OnceResource::new(service_form(slug));
    view! {
        <Title text=t::form_editor_title(l)/>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => view! { <FormEditor d=d/> }.into_any(),
                    Err(ServerFnError::ServerError(e)) if e.contains("not found") => view! { <NotFound/> }.into_any(),
                    Err(_) => super::refusal(),
                }
            })}
        </Suspense>
    }
}

fn text_input(
    name: String,
    id: String,
    label: String,
    value: String,
    described: String,
) -> impl IntoView {
    view! {
        <label for=id.clone()>{label}</label>
        <input type="text" id=id name=name value=value aria-describedby=described/>
    }
}

fn question(l: Locale, i: usize, r: FieldRow, documents: &[(String, String)]) -> impl IntoView {
    let n = i + 1;
    let name = move |input: &str| format!("fields[{i}][{input}]");
    let id = move |input: &str| format!("q{n}-{input}");
    let error = format!("field-{n}-error");
    let input = |key: &str, label: String, value: String| {
        text_input(name(key), id(key), label, value, error.clone())
    };
    let legend = fill(t::question_n(l), &[("n", &n.to_string())]);
    view! {
        <fieldset class="card question stack" aria-describedby=error.clone()>
            <legend>{legend}</legend>
            {input("position", t::question_position(l).into(), r.position.clone())}
            {input("key", t::question_key(l).into(), r.key.clone())}
            {input("label_en", t::question_label_en(l).into(), r.label_en.clone())}
            {input("label_or", t::question_label_or(l).into(), r.label_or.clone())}
            {input("label_hi", t::question_label_hi(l).into(), r.label_hi.clone())}
            {input("help_en", t::question_help_en(l).into(), r.help_en.clone())}
            {input("help_or", t::question_help_or(l).into(), r.help_or.clone())}
            {input("help_hi", t::question_help_hi(l).into(), r.help_hi.clone())}
            <label for=id("kind")>{t::question_kind(l)}</label>
            <select id=id("kind") name=name("kind") aria-describedby=error.clone()>
                {KINDS.iter().map(|k| {
                    let selected = *k == r.kind;
                    view! { <option value=*k selected=selected>{kind_label(k, l)}</option> }
                }).collect_view()}
            </select>
            {input("max_chars", t::question_max_chars(l).into(), r.max_chars.clone())}
            {input("min", t::question_min(l).into(), r.min.clone())}
            {input("max", t::question_max(l).into(), r.max.clone())}
            <label for=id("options")>{t::question_options(l)}</label>
            <p class="hint" id=format!("q{n}-options-help")>{t::question_options_help(l)}</p>
            <textarea id=id("options") name=name("options") rows="3" aria-describedby=format!("q{n}-options-help {error}")>{r.options.clone()}</textarea>
            <label for=id("document")>{t::question_document(l)}</label>
            <select id=id("document") name=name("document") aria-describedby=error.clone()>
                <option value="">"—"</option>
                {documents.iter().map(|(k, label)| {
                    let selected = *k == r.document;
                    view! { <option value=k.clone() selected=selected>{label.clone()}</option> }
                }).collect_view()}
            </select>
            <label for=id("shown_when")>{t::question_shown_when(l)}</label>
            <p class="hint" id=format!("q{n}-when-help")>{t::question_shown_when_help(l)}</p>
            <input type="text" id=id("shown_when") name=name("shown_when") value=r.shown_when.clone() aria-describedby=format!("q{n}-when-help {error}")/>
            <label class="checkbox" for=id("required")>
                <input type="checkbox" id=id("required") name=name("required") checked=r.required.is_some()/>
                {t::question_required(l)}
            </label>
            <label class="checkbox" for=id("on_certificate")>
                <input type="checkbox" id=id("on_certificate") name=name("on_certificate") checked=r.on_certificate.is_some()/>
                {t::question_on_certificate(l)}
            </label>
            <label class="checkbox" for=id("remove")>
                <input type="checkbox" id=id("remove") name=name("remove")/>
                {t::question_remove(l)}
            </label>
            <FieldMessage field=format!("field-{n}")/>
        </fieldset>
    }
}

fn kind_label(kind: &str, l: Locale) -> &'static str {
    match kind {
        "text" => t::kind_text(l),
        "number" => t::kind_number(l),
        "past_date" => t::kind_past_date(l),
        "choice" => t::kind_choice(l),
        "yes_no" => t::kind_yes_no(l),
        "address" => t::kind_address(l),
        _ => t::kind_document(l),
    }
}

#[component]
fn FormEditor(d: FormEditorData) -> impl IntoView {
    let l = use_locale();
    let version = if d.version == 0 {
        t::form_no_version(l).to_string()
    } else {
        fill(t::form_version_n(l), &[("version", &d.version.to_string())])
    };
    let questions: Vec<AnyView> = d
        .rows
        .clone()
        .into_iter()
        .enumerate()
        .map(|(i, r)| question(l, i, r, &d.documents).into_any())
        .collect();
    view! {
        <section class="page">
            <p class="breadcrumb"><a href=format!("/admin/services/{}", d.slug)>{d.service.clone()}</a></p>
            <h1>{t::form_editor_title(l)}</h1>
            <p class="lead">{t::form_editor_lead(l)}</p>
            <p class="hint" data-testid="form-version">{version}</p>
            <ServerForm endpoint="admin/save_service_form".to_string() locale=l then=FormThen::show("form-saved")
                class="stack form-editor".to_string()>
                <FailureBanner locale=l/>
                <input type="hidden" name="slug" value=d.slug.clone()/>
                {questions}
                <fieldset class="card stack">
                    <legend>{t::form_fee_and_time(l)}</legend>
                    <label for="fee-base">{t::form_fee_base(l)}</label>
                    <input type="text" inputmode="decimal" id="fee-base" name="fee[base]" value=d.fee.base.clone() aria-describedby="fee-error"/>
                    <FieldMessage field="fee"/>
                    <label for="fee-parts">{t::form_fee_parts(l)}</label>
                    <p class="hint" id="fee-parts-help">{t::form_fee_parts_help(l)}</p>
                    <textarea id="fee-parts" name="fee[parts]" rows="3" aria-describedby="fee-parts-help fee-1-error">{d.fee.parts.clone()}</textarea>
                    <FieldMessage field="fee-1"/>
                    <label for="working-days">{t::form_working_days(l)}</label>
                    <input type="number" inputmode="numeric" id="working-days" name="fee[working_days]" value=d.fee.working_days.clone() aria-describedby="working_days-error"/>
                    <FieldMessage field="working_days"/>
                </fieldset>
                <fieldset class="card stack">
                    <legend>{t::form_certificate(l)}</legend>
                    <label for="certificate-kind">{t::form_certificate_kind(l)}</label>
                    <select id="certificate-kind" name="fee[certificate]" aria-describedby="certificate-error">
                        <option value="">{t::form_certificate_none(l)}</option>
                        {domain::certificates::Kind::ALL.into_iter().map(|k| {
                            let selected = d.fee.certificate == k.as_str();
                            view! { <option value=k.as_str() selected=selected>{k.title(l)}</option> }
                        }).collect_view()}
                    </select>
                    <FieldMessage field="certificate"/>
                    <label for="valid-days">{t::form_valid_days(l)}</label>
                    <input type="number" inputmode="numeric" id="valid-days" name="fee[valid_days]" value=d.fee.valid_days.clone() aria-describedby="valid_days-error"/>
                    <FieldMessage field="valid_days"/>
                </fieldset>
                <FieldMessage field="fields"/>
                <button type="submit" class="button">{t::form_save(l)}</button>
            </ServerForm>
            <p id="form-saved" class="banner" role="status" tabindex="-1" hidden>{t::form_saved(l)}" "<span data-slot="value"></span></p>
        </section>
    }
}
