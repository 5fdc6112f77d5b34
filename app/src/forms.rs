//! Forms: the fields are HTML rendered on the server; one small island (`ServerForm`) sends them
//! to their server function, shows each problem at its field, and on success does what the page
//! asked (`FormThen`). Every form shares that one island, which keeps the browser bundle small:
//! no per-form view code, no server-function client, no query-string library in the WASM.

use crate::i18n::{t, Locale};
use domain::problem::FieldError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A form either did its work or names the fields to fix. Failures that are not the person's to
/// fix travel as `ServerFnError`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum FormResult<T> {
    Done(T),
    Invalid(Vec<FieldError>),
}

/// What a form does once its server function answers `Done(value)`. The value's fields (or the
/// value itself, as `value`) fill the page's slots: `data-slot="k"` elements get the text,
/// `data-slot-value="k"` inputs the value, `data-slot-href="k"` links `data-href-prefix` + it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FormThen {
    /// Go to this address.
    pub redirect: Option<String>,
    /// Go to this address followed by the answer (a new grievance's number, say).
    pub redirect_with: Option<String>,
    /// Show the element with this id.
    pub show: Option<String>,
    /// Hide the element with this id.
    pub hide: Option<String>,
}

impl FormThen {
    pub fn redirect(to: impl Into<String>) -> FormThen {
        FormThen {
            redirect: Some(to.into()),
            ..Default::default()
        }
    }
    pub fn redirect_with(prefix: impl Into<String>) -> FormThen {
        FormThen {
            redirect_with: Some(prefix.into()),
            ..Default::default()
        }
    }
    pub fn show(id: &str) -> FormThen {
        FormThen {
            show: Some(id.into()),
            ..Default::default()
        }
    }
    pub fn step(hide: &str, show: &str) -> FormThen {
        FormThen {
            show: Some(show.into()),
            hide: Some(hide.into()),
            ..Default::default()
        }
    }
}

/// The message under a field; the input names it in `aria-describedby="{field}-error"`. Where
/// several forms on one page have a field of the same name (the steps on a grievance), each
/// gives its message an `id` of its own; the island finds messages within the form it sent.
#[component]
pub fn FieldMessage(
    #[prop(into)] field: String,
    #[prop(optional, into)] id: Option<String>,
) -> impl IntoView {
    let id = id.unwrap_or_else(|| format!("{field}-error"));
    view! { <p class="field-error" id=id data-error-for=field aria-live="polite"></p> }
}

/// Shown when the server could not be reached or failed: what was typed stays in the form.
#[component]
pub fn FailureBanner(locale: Locale) -> impl IntoView {
    view! {
        <p class="banner banner-error" data-form-failure="" role="alert" hidden>{t::err_unexpected(locale)}</p>
        // A problem with the form as a whole (it changed since the page was shown).
        <p class="field-error" data-error-for="form" role="alert"></p>
    }
}

/// Shown when the form was kept on the device, to be sent when the connection returns.
#[component]
pub fn QueuedBanner(locale: Locale) -> impl IntoView {
    view! { <p class="banner" data-form-queued="" role="status" hidden>{t::queued_offline(locale)}</p> }
}

/// A form posting to `/api/{endpoint}`. Without JavaScript it still posts (and the server sends
/// the browser back); with it, nothing typed is lost and problems appear at their fields.
#[island]
pub fn ServerForm(
    endpoint: String,
    locale: Locale,
    then: FormThen,
    class: String,
    /// "multipart/form-data" for a form that sends files.
    #[prop(optional)]
    enctype: Option<String>,
    /// The form's id, for fields elsewhere on the page that belong to it (`form="…"`).
    #[prop(optional)]
    id: Option<String>,
    /// A server function that keeps what is typed as a draft: the form is posted there a moment
    /// after the person stops typing, and `[data-kept]` says so.
    #[prop(optional)]
    keep: Option<String>,
    children: Children,
) -> impl IntoView {
    let form = NodeRef::<leptos::html::Form>::new();
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        if let Some(f) = form.get() {
            let _ = f.set_attribute("data-hydrated", "true");
            browser::apply_conditions(&f);
        }
    });
    let action = format!("/api/{endpoint}");
    #[cfg(not(feature = "hydrate"))]
    let _ = (&then, locale, &keep);
    #[cfg(feature = "hydrate")]
    let keep = keep.map(|k| format!("/api/{k}"));
    view! {
        <form node_ref=form method="post" action=action.clone() class=class novalidate=true enctype=enctype id=id
            on:change=move |_| {
                #[cfg(feature = "hydrate")]
                if let Some(f) = form.get_untracked() {
                    browser::apply_conditions(&f);
                }
            }
            on:input=move |_| {
                #[cfg(feature = "hydrate")]
                if let (Some(f), Some(url)) = (form.get_untracked(), keep.clone()) {
                    browser::keep_later(f, url, locale);
                }
            }
            on:submit=move |ev| {
                #[cfg(feature = "hydrate")]
                {
                    ev.prevent_default();
                    if let Some(f) = form.get_untracked() {
                        let (url, then) = (action.clone(), then.clone());
                        leptos::task::spawn_local(async move { browser::submit(f, url, then, locale).await });
                    }
                }
                #[cfg(not(feature = "hydrate"))]
                let _ = ev;
            }>
            {children()}
        </form>
    }
}

/// A button that shows one part of the page and hides another ("Change my details").
#[island]
pub fn Toggle(show: String, hide: String, label: String) -> impl IntoView {
    view! {
        <button type="button" class="link-button" on:click=move |_| {
            #[cfg(feature = "hydrate")]
            {
                browser::set_hidden(&hide, true);
                browser::set_hidden(&show, false);
            }
            #[cfg(not(feature = "hydrate"))]
            let _ = (&show, &hide);
        }>{label}</button>
    }
}

#[cfg(feature = "hydrate")]
pub(crate) use browser::post_body;

#[cfg(feature = "hydrate")]
mod browser {
    //! The DOM side of `ServerForm`, in plain web-sys: small and generic over every form.
    use super::FormThen;
    use crate::i18n::{error_message, t, Locale};
    use js_sys::{Array, Reflect, JSON};
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;
    use web_sys::{Element, FormData, HtmlFormElement, RequestInit, Response, UrlSearchParams};

    fn document() -> web_sys::Document {
        leptos::prelude::document()
    }

    pub fn set_hidden(id: &str, hidden: bool) {
        if let Some(el) = document().get_element_by_id(id) {
            if hidden {
                let _ = el.set_attribute("hidden", "");
            } else {
                let _ = el.remove_attribute("hidden");
            }
        }
    }

    fn each(root: &Element, selector: &str, mut f: impl FnMut(Element)) {
        if let Ok(list) = root.query_selector_all(selector) {
            for i in 0..list.length() {
                if let Some(el) = list.item(i).and_then(|n| n.dyn_into::<Element>().ok()) {
                    f(el);
                }
            }
        }
    }

    fn set_busy(form: &HtmlFormElement, busy: bool) {
        each(form, "button[type=submit]", |b| {
            if busy {
                let _ = b.set_attribute("disabled", "");
            } else {
                let _ = b.remove_attribute("disabled");
            }
        });
    }

    /// Clears this form's messages, then writes each problem at its field.
    fn show_problems(form: &HtmlFormElement, problems: &Array, locale: Locale) {
        each(form, ".field-error", |el| el.set_text_content(None));
        each(form, "[aria-invalid]", |el| {
            let _ = el.set_attribute("aria-invalid", "false");
        });
        let mut first: Option<Element> = None;
        for p in problems.iter() {
            let field = Reflect::get(&p, &"field".into())
                .ok()
                .and_then(|v| v.as_string())
                .unwrap_or_default();
            let code = Reflect::get(&p, &"code".into())
                .ok()
                .and_then(|v| v.as_string())
                .unwrap_or_default();
            // This form's message for the field, else the page's (a field outside the form).
            let message = form
                .query_selector(&format!("[data-error-for=\"{field}\"]"))
                .ok()
                .flatten()
                .or_else(|| document().get_element_by_id(&format!("{field}-error")));
            let Some(message) = message else { continue };
            message.set_text_content(Some(
                error_message(locale, &code).unwrap_or(t::err_unexpected(locale)),
            ));
            let described = format!("[aria-describedby~=\"{}\"]", message.id());
            let in_form = form.query_selector(&described).ok().flatten().is_some();
            let root: Element = if in_form {
                form.clone().into()
            } else {
                document().document_element().expect("a document")
            };
            each(&root, &described, |input| {
                let _ = input.set_attribute("aria-invalid", "true");
                if first.is_none() {
                    first = Some(input);
                }
            });
        }
        // Take a keyboard or screen-reader user to the first field to fix.
        if let Some(el) = first.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
            let _ = el.focus();
        }
    }

    /// Shows each part of the form whose condition the answers meet (`data-when-field`, the
    /// name of an earlier field; `data-when-any`, the answers that show it) and hides the rest:
    /// a part whose controlling field is itself hidden is hidden too. The server applies the same
    /// rule to what it keeps.
    pub fn apply_conditions(form: &HtmlFormElement) {
        let Ok(data) = FormData::new_with_form(form) else {
            return;
        };
        each(form, "[data-when-field]", |el| {
            let field = el.get_attribute("data-when-field").unwrap_or_default();
            let any = el.get_attribute("data-when-any").unwrap_or_default();
            let value = data.get(&field).as_string().unwrap_or_default();
            let controller_hidden = form
                .query_selector(&format!("[name=\"{field}\"]"))
                .ok()
                .flatten()
                .and_then(|c| c.closest("[data-when-field]").ok().flatten())
                .is_some_and(|c| c.has_attribute("hidden"));
            let shown = !controller_hidden && any.split(' ').any(|o| o == value.trim());
            if shown {
                let _ = el.remove_attribute("hidden");
            } else {
                let _ = el.set_attribute("hidden", "");
            }
        });
    }

    thread_local! {
        static KEEP_ROUND: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
    }

    /// Posts the form to its draft keeper once the person has stopped typing for a moment.
    pub fn keep_later(form: HtmlFormElement, url: String, locale: Locale) {
        let round = KEEP_ROUND.with(|r| {
            r.set(r.get().wrapping_add(1));
            r.get()
        });
        leptos::prelude::set_timeout(
            move || {
                if KEEP_ROUND.with(|r| r.get()) != round {
                    return;
                }
                leptos::task::spawn_local(async move {
                    let kept = matches!(post(&form, &url).await, Ok((200, _)));
                    let text = if kept { t::draft_kept(locale) } else { "" };
                    each(&form, "[data-kept]", |el| el.set_text_content(Some(text)));
                    // The page may keep it on the device meanwhile (`nagarik-keep-failed`), and
                    // forget that copy once the server has it (`nagarik-kept`).
                    let event = if kept {
                        "nagarik-kept"
                    } else {
                        "nagarik-keep-failed"
                    };
                    if let Ok(e) = web_sys::Event::new(event) {
                        let _ = form.dispatch_event(&e);
                    }
                });
            },
            std::time::Duration::from_millis(800),
        );
    }

    /// Puts the answer's values into the page's slots.
    fn fill(value: &JsValue) {
        let entries: Vec<(String, String)> = if let Some(s) = value.as_string() {
            vec![("value".into(), s)]
        } else if value.is_object() {
            js_sys::Object::entries(value.unchecked_ref())
                .iter()
                .filter_map(|e| {
                    let pair: Array = e.unchecked_into();
                    Some((pair.get(0).as_string()?, pair.get(1).as_string()?))
                })
                .collect()
        } else {
            Vec::new()
        };
        let root = document().document_element().expect("a document");
        for (k, v) in entries {
            each(&root, &format!("[data-slot=\"{k}\"]"), |el| {
                el.set_text_content(Some(&v))
            });
            each(&root, &format!("[data-slot-value=\"{k}\"]"), |el| {
                if let Ok(input) = el.dyn_into::<web_sys::HtmlInputElement>() {
                    input.set_value(&v);
                }
            });
            each(&root, &format!("[data-slot-href=\"{k}\"]"), |el| {
                let prefix = el.get_attribute("data-href-prefix").unwrap_or_default();
                let _ = el.set_attribute("href", &format!("{prefix}{v}"));
            });
        }
    }

    async fn post(form: &HtmlFormElement, url: &str) -> Result<(u16, JsValue), JsValue> {
        let data = FormData::new_with_form(form)?;
        // Files go as multipart (the browser sets its boundary); everything else URL-encoded.
        if form.enctype() == "multipart/form-data" {
            post_body(url, &data).await
        } else {
            let params = UrlSearchParams::new_with_str_sequence_sequence(&data)?;
            post_body(url, &params).await
        }
    }

    /// POSTs `body` (form fields) to a server function, asking for JSON: the status and the
    /// parsed answer (null when it is not JSON). Islands other than forms use it too.
    pub async fn post_body(url: &str, body: &JsValue) -> Result<(u16, JsValue), JsValue> {
        let init = RequestInit::new();
        init.set_method("POST");
        init.set_body(body);
        let headers = web_sys::Headers::new()?;
        headers.set("Accept", "application/json")?;
        init.set_headers(&headers);
        let window = leptos::prelude::window();
        let response: Response = JsFuture::from(window.fetch_with_str_and_init(url, &init))
            .await?
            .dyn_into()?;
        let text = JsFuture::from(response.text()?)
            .await?
            .as_string()
            .unwrap_or_default();
        Ok((
            response.status(),
            JSON::parse(&text).unwrap_or(JsValue::NULL),
        ))
    }

    pub async fn submit(form: HtmlFormElement, url: String, then: FormThen, locale: Locale) {
        set_busy(&form, true);
        each(&form, "[data-form-failure], [data-form-queued]", |el| {
            let _ = el.set_attribute("hidden", "");
        });
        let answer = post(&form, &url).await;
        set_busy(&form, false);
        let body = match answer {
            // A throttled refusal (429) still names the field and says why.
            Ok((200, body)) | Ok((429, body)) => body,
            // The service worker kept it for sending when the connection returns.
            Ok((202, _)) => {
                each(&form, "[data-form-queued]", |el| {
                    let _ = el.remove_attribute("hidden");
                });
                form.reset();
                return;
            }
            _ => {
                each(&form, "[data-form-failure]", |el| {
                    let _ = el.remove_attribute("hidden");
                });
                return;
            }
        };
        if let Ok(problems) =
            Reflect::get(&body, &"Invalid".into()).and_then(|p| p.dyn_into::<Array>())
        {
            show_problems(&form, &problems, locale);
            return;
        }
        show_problems(&form, &Array::new(), locale);
        let done = Reflect::get(&body, &"Done".into()).unwrap_or(JsValue::NULL);
        fill(&done);
        if let (Some(prefix), Some(value)) = (&then.redirect_with, done.as_string()) {
            let _ = leptos::prelude::window()
                .location()
                .assign(&format!("{prefix}{value}"));
            return;
        }
        if let Some(to) = then.redirect {
            let _ = leptos::prelude::window().location().assign(&to);
            return;
        }
        if let Some(id) = then.hide {
            set_hidden(&id, true);
        }
        if let Some(id) = then.show {
            set_hidden(&id, false);
            if let Some(el) = document()
                .get_element_by_id(&id)
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
            {
                let _ = el.focus();
            }
        }
    }
}
