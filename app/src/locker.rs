//! `/locker`: the citizen's own documents. Adding one (a PDF, JPEG or PNG, checked by its
//! content), seeing what is kept (never in clear in the database), opening and removing it. A
//! form's document field links here for the kind it needs, and comes back.

use crate::forms::{FailureBanner, FieldMessage, FormResult, FormThen, ServerForm};
use crate::i18n::{fill, t, use_locale};
use crate::layout::{LoadFailed, SignInFirst};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::request;
#[cfg(feature = "ssr")]
use domain::locker::{self as rules, store};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DocumentRow {
    pub id: String,
    pub kind: String,
    pub name: String,
    pub kind_label: String,
    pub media: String,
    pub size: String,
    pub number: Option<String>,
    pub added: String,
    pub issued: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LockerView {
    pub documents: Vec<DocumentRow>,
    /// (kind, its name) for the upload form.
    pub kinds: Vec<(String, String)>,
    pub used: String,
}

/// "1.2 MB", "340 KB"
pub fn size_text(bytes: i64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    } else {
        format!("{} KB", (bytes + 1023) / 1024)
    }
}

#[cfg(feature = "ssr")]
pub(crate) fn row(d: store::Document, l: crate::i18n::Locale) -> DocumentRow {
    let kind_label = rules::kind_label(&d.kind, l);
    DocumentRow {
        id: d.id.to_string(),
        name: if d.title.is_empty() {
            kind_label.clone()
        } else {
            d.title
        },
        kind_label,
        kind: d.kind,
        media: d.media.extension().to_uppercase(),
        size: size_text(d.size_bytes.into()),
        number: d.number_masked,
        added: crate::grievances::ist(d.created_at),
        issued: d.issued,
    }
}

#[server(endpoint = "locker/list")]
pub async fn locker() -> Result<LockerView, ServerFnError> {
    let account = request::require_account()?;
    let l = request::request_locale();
    let docs = store::list(&request::pool(), &request::data_key(), account.id, None)
        .await
        .map_err(request::refuse)?;
    let used: i64 = docs.iter().map(|d| i64::from(d.size_bytes)).sum();
    Ok(LockerView {
        used: fill(
            t::locker_used(l),
            &[
                ("used", &size_text(used)),
                ("quota", &size_text(rules::QUOTA_BYTES)),
            ],
        ),
        documents: docs.into_iter().map(|d| row(d, l)).collect(),
        kinds: rules::KINDS
            .iter()
            .map(|k| (k.to_string(), rules::kind_label(k, l)))
            .collect(),
    })
}

/// Adds a document from the upload form (multipart: `kind`, `title`, `number`, `file`).
#[server(endpoint = "locker/add", input = leptos::server_fn::codec::MultipartFormData)]
pub async fn add_document(
    data: leptos::server_fn::codec::MultipartData,
) -> Result<FormResult<String>, ServerFnError> {
    // Only a signed-in person has a locker: anyone else is refused before the body is read.
    let account = request::require_account()?;
    let (fields, files) =
        crate::uploads::read_multipart(data, "file", rules::MAX_BYTES, "err_document_too_big")
            .await?;
    let text = |k: &str| {
        fields
            .get(k)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_string()
    };
    let added = async {
        let bytes = match files.into_iter().next() {
            Some(Ok(bytes)) => bytes,
            Some(Err(code)) => return Err(domain::problem::Problem::field("file", code)),
            None => Vec::new(),
        };
        let upload = rules::check_upload(&text("kind"), &text("title"), &text("number"), &bytes)
            .map_err(domain::problem::Problem::Invalid)?;
        let id = store::add(
            &request::pool(),
            &request::data_key(),
            account.id,
            &upload,
            &bytes,
            time::OffsetDateTime::now_utc(),
        )
        .await?;
        Ok(id.to_string())
    };
    request::answer(added.await)
}

#[server(endpoint = "locker/remove")]
pub async fn remove_document(id: String) -> Result<FormResult<()>, ServerFnError> {
    let account = request::require_account()?;
    let id = id
        .parse::<domain::ids::DocumentId>()
        .map_err(|_| request::refuse(domain::problem::Problem::NotFound))?;
    request::answer(store::remove(&request::pool(), account.id, id).await)
}

#[component]
pub fn LockerPage() -> impl IntoView {
    let l = use_locale();
    let q = use_query_map().get_untracked();
    let kind = q.get("kind").unwrap_or_default();
    // Back to the form that sent the person here (only a path of this site).
    let back = q
        .get("back")
        .filter(|b| b.starts_with('/') && !b.starts_with("//"))
        .unwrap_or_else(|| "/locker".into());
    let data = OnceResource::new(locker());
    view! {
        <Title text=t::locker_title(l)/>
        <section class="page narrow">
            <h1>{t::locker_title(l)}</h1>
            <p class="lead">{t::locker_intro(l)}</p>
            <Suspense fallback=|| ()>
                {move || {
                    let (kind, back) = (kind.clone(), back.clone());
                    Suspend::new(async move {
                        match data.await {
                            Ok(v) => view! { <LockerDetail v=v kind=kind back=back/> }.into_any(),
                            Err(_) if !crate::identity::signed_in() => view! { <SignInFirst next="/locker"/> }.into_any(),
                            Err(_) => view! { <LoadFailed/> }.into_any(),
                        }
                    })
                }}
            </Suspense>
        </section>
    }
}

#[component]
fn LockerDetail(v: LockerView, kind: String, back: String) -> impl IntoView {
    let l = use_locale();
    view! {
        <p class="hint">{v.used.clone()}</p>
        {if v.documents.is_empty() {
            view! { <p class="card">{t::locker_empty(l)}</p> }.into_any()
        } else {
            view! {
                <ul class="grievance-list documents">
                    {v.documents.into_iter().map(|d| {
                        let remove_label = fill(t::remove_document(l), &[("name", &d.name)]);
                        view! {
                            <li class="card">
                                <h2 class="card-title"><a href=format!("/locker/documents/{}", d.id)>{d.name.clone()}</a></h2>
                                <p class="meta">
                                    {d.kind_label.clone()}" · "{d.media.clone()}" · "{d.size.clone()}" · "{d.added.clone()}
                                    {d.number.clone().map(|n| format!(" · {n}"))}
                                </p>
                                {(!d.issued).then(|| view! {
                                    <ServerForm endpoint="locker/remove".to_string() locale=l then=FormThen::redirect("/locker") class="inline-form".to_string()>
                                        <FailureBanner locale=l/>
                                        <input type="hidden" name="id" value=d.id.clone()/>
                                        <button type="submit" class="link-button" aria-label=remove_label>{t::remove(l)}</button>
                                    </ServerForm>
                                })}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
        <h2>{t::add_document(l)}</h2>
        <ServerForm endpoint="locker/add".to_string() locale=l then=FormThen::redirect(back) class="stack".to_string()
            enctype="multipart/form-data".to_string()>
            <FailureBanner locale=l/>
            <label for="doc-kind">{t::document_kind(l)}</label>
            <select id="doc-kind" name="kind" aria-describedby="kind-error">
                {v.kinds.into_iter().map(|(k, name)| {
                    let selected = k == kind;
                    view! { <option value=k selected=selected>{name}</option> }
                }).collect_view()}
            </select>
            <FieldMessage field="kind"/>
            <label for="doc-title">{t::document_title(l)}" "{t::optional_mark(l)}</label>
            <input type="text" id="doc-title" name="title" maxlength="120" aria-describedby="title-error"/>
            <FieldMessage field="title"/>
            <label for="doc-number">{t::document_number(l)}" "{t::optional_mark(l)}</label>
            <p class="hint" id="number-help">{t::document_number_help(l)}</p>
            <input type="text" id="doc-number" name="number" autocomplete="off" aria-describedby="number-help number-error"/>
            <FieldMessage field="number"/>
            <label for="doc-file">{t::document_file(l)}</label>
            <p class="hint" id="file-help">{t::document_file_help(l)}</p>
            <input type="file" id="doc-file" name="file" accept="application/pdf,image/jpeg,image/png" aria-describedby="file-help file-error"/>
            <FieldMessage field="file"/>
            <button type="submit" class="button">{t::add_document(l)}</button>
        </ServerForm>
    }
}
