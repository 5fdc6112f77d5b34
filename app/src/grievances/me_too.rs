//! "Me too": while a citizen fills in the filing form, open grievances of the same category near
//! the same place with a similar text are offered; joining one follows it instead of filing the
//! same problem again.

use crate::forms::FormResult;
use crate::i18n::{t, Locale};
#[cfg(feature = "ssr")]
use crate::request;
#[cfg(feature = "ssr")]
use domain::grievances::{store, GrievanceNumber};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One open grievance offered to join, in the caller's language.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SimilarOffer {
    pub number: String,
    pub category: String,
    pub description: String,
    /// Ward and landmark, when it was filed, how many people it affects.
    pub detail: String,
}

/// Open grievances like the one being filed (same category, same ward or near the location,
/// similar words), for the filing form's offer to join.
#[server(endpoint = "grievances/similar")]
pub async fn similar_grievances(
    category: String,
    ward: String,
    landmark: String,
    description: String,
    latitude: String,
    longitude: String,
) -> Result<Vec<SimilarOffer>, ServerFnError> {
    use crate::i18n::fill;
    let account = request::require_account()?;
    let l = request::request_locale();
    let Ok(category_id) = category.parse::<uuid::Uuid>() else {
        return Ok(Vec::new());
    };
    let like = store::Lookalike {
        category_id,
        ward: ward.trim().parse().ok(),
        latitude: latitude.trim().parse().ok(),
        longitude: longitude.trim().parse().ok(),
        landmark: landmark.chars().take(200).collect(),
        description: description.chars().take(2000).collect(),
        citizen: Some(account.id),
    };
    if like.description.trim().chars().count() < 10 {
        return Ok(Vec::new());
    }
    let found = store::similar_open(&request::pool(), &like, time::OffsetDateTime::now_utc(), l)
        .await
        .map_err(request::unexpected)?;
    Ok(found
        .into_iter()
        .map(|s| {
            let mut detail = Vec::new();
            if let Some(w) = s.ward_number {
                detail.push(fill(t::similar_ward(l), &[("ward", &w.to_string())]));
            }
            if !s.landmark.is_empty() {
                detail.push(s.landmark.clone());
            }
            detail.push(fill(
                t::similar_filed(l),
                &[("date", &super::ist(s.created_at))],
            ));
            detail.push(fill(
                t::similar_people(l),
                &[("count", &(s.me_too_count + 1).to_string())],
            ));
            SimilarOffer {
                number: s.number,
                category: s.category_name,
                description: s.description.chars().take(280).collect(),
                detail: detail.join(" · "),
            }
        })
        .collect())
}

/// The caller joins an open grievance with "me too". Answers how many people it now affects.
#[server(endpoint = "grievances/me_too")]
pub async fn me_too(number: String) -> Result<FormResult<i32>, ServerFnError> {
    let account = request::require_account()?;
    if account.actor().role != domain::identity::Role::Citizen {
        request::set_status(http::StatusCode::FORBIDDEN);
        return Err(ServerFnError::new("citizens only"));
    }
    let pool = request::pool();
    let id = match GrievanceNumber::parse(&number) {
        Ok(n) => store::id_by_number(&pool, &n)
            .await
            .map_err(request::unexpected)?,
        Err(_) => None,
    };
    let Some(id) = id else {
        request::set_status(http::StatusCode::NOT_FOUND);
        return Err(ServerFnError::new("no such grievance"));
    };
    let joined = store::join_me_too(&pool, id, account.id, time::OffsetDateTime::now_utc()).await;
    if joined.is_ok() {
        leptos_axum::redirect(&format!("/grievances/{number}"));
    }
    request::answer(joined.map(|count| count + 1))
}

/// Shown inside the filing form: once category, place and description are given, the same
/// problem already open nearby, with a button to join it instead of filing again.
#[island]
pub fn SimilarNearby(locale: Locale) -> impl IntoView {
    let l = locale;
    let (offers, set_offers) = signal(Vec::<SimilarOffer>::new());
    let (problem, set_problem) = signal(String::new());
    let root = NodeRef::<leptos::html::Div>::new();
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        if let Some(div) = root.get() {
            browser::watch(&div, set_offers);
        }
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = (set_offers, root);
    let join = move |number: String| {
        set_problem.set(String::new());
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            if let Some(code) = browser::join(&number).await {
                set_problem.set(
                    crate::i18n::error_message(l, &code)
                        .unwrap_or(t::err_unexpected(l))
                        .to_string(),
                );
            }
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = (number, set_problem);
    };
    view! {
        <div node_ref=root class="similar-nearby" aria-live="polite" hidden=move || offers.get().is_empty()>
            <h2>{t::similar_title(l)}</h2>
            <p class="hint">{t::similar_hint(l)}</p>
            <ul class="similar-list">
                {move || offers.get().into_iter().map(|o| {
                    let number = o.number.clone();
                    view! {
                        <li class="card" data-number=o.number.clone()>
                            <p><strong>{o.number.clone()}</strong> " · " {o.category}</p>
                            <p>{o.description}</p>
                            <p class="hint">{o.detail}</p>
                            <button type="button" class="button" on:click=move |_| join(number.clone())>
                                {t::me_too_button(l)}
                            </button>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <p class="field-error" role="alert">{problem}</p>
        </div>
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use super::SimilarOffer;
    use crate::forms::post_body;
    use js_sys::Reflect;
    use leptos::prelude::*;
    use wasm_bindgen::{closure::Closure, JsCast, JsValue};
    use web_sys::{HtmlFormElement, UrlSearchParams};

    /// Asks again whenever a field of the surrounding form changes. Only the answer to the
    /// latest question is shown: on a slow network an earlier answer (asked before the
    /// description was typed, say) may arrive last and must not empty the offers.
    pub fn watch(div: &web_sys::HtmlDivElement, set_offers: WriteSignal<Vec<SimilarOffer>>) {
        let Some(form) = div
            .closest("form")
            .ok()
            .flatten()
            .and_then(|f| f.dyn_into::<HtmlFormElement>().ok())
        else {
            return;
        };
        let target = form.clone();
        let asked = std::rc::Rc::new(std::cell::Cell::new(0u32));
        let on_change = Closure::<dyn Fn()>::new(move || {
            let form = target.clone();
            let asked = asked.clone();
            let this = asked.get().wrapping_add(1);
            asked.set(this);
            leptos::task::spawn_local(async move {
                if let Ok(found) = lookup(&form).await {
                    if asked.get() == this {
                        set_offers.set(found);
                    }
                }
            });
        });
        let _ = form.add_event_listener_with_callback("change", on_change.as_ref().unchecked_ref());
        on_change.forget();
    }

    fn value(form: &HtmlFormElement, name: &str) -> String {
        form.query_selector(&format!("[name=\"form[{name}]\"]"))
            .ok()
            .flatten()
            .and_then(|el| Reflect::get(&el, &"value".into()).ok())
            .and_then(|v| v.as_string())
            .unwrap_or_default()
    }

    async fn lookup(form: &HtmlFormElement) -> Result<Vec<SimilarOffer>, JsValue> {
        let body = UrlSearchParams::new()?;
        for (field, name) in [
            ("category", "category"),
            ("ward", "ward"),
            ("landmark", "landmark"),
            ("description", "description"),
            ("latitude", "latitude"),
            ("longitude", "longitude"),
        ] {
            body.append(field, &value(form, name));
        }
        let (status, answer) = post_body("/api/grievances/similar", &body).await?;
        if status != 200 {
            return Err(answer);
        }
        let text = |item: &JsValue, key: &str| {
            Reflect::get(item, &key.into())
                .ok()
                .and_then(|v| v.as_string())
                .unwrap_or_default()
        };
        Ok(js_sys::Array::from(&answer)
            .iter()
            .map(|item| SimilarOffer {
                number: text(&item, "number"),
                category: text(&item, "category"),
                description: text(&item, "description"),
                detail: text(&item, "detail"),
            })
            .collect())
    }

    /// Joins, then opens the grievance; answers the refusal's code if it was refused.
    pub async fn join(number: &str) -> Option<String> {
        let body = UrlSearchParams::new().ok()?;
        body.append("number", number);
        match post_body("/api/grievances/me_too", &body).await {
            Ok((200, answer)) if Reflect::has(&answer, &"Done".into()).unwrap_or(false) => {
                let _ = window().location().assign(&format!("/grievances/{number}"));
                None
            }
            Ok((_, answer)) => Some(
                Reflect::get(&answer, &"Invalid".into())
                    .ok()
                    .map(|list| js_sys::Array::from(&list).get(0))
                    .and_then(|first| Reflect::get(&first, &"code".into()).ok())
                    .and_then(|c| c.as_string())
                    .unwrap_or_else(|| "err_unexpected".into()),
            ),
            Err(_) => Some("err_unexpected".into()),
        }
    }
}
