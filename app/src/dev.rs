//! Development only: the messages that would have gone by SMS or email, so a person (and a test)
//! can read a one-time code without a phone. Refused unless the server runs with the dev inbox.

use crate::i18n::{t, use_locale};
use crate::layout::NotFound;
use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DevMessage {
    pub channel: String,
    pub recipient: String,
    pub body: String,
}

#[server(endpoint = "dev/messages")]
pub async fn dev_messages() -> Result<Vec<DevMessage>, ServerFnError> {
    use crate::request;
    // Only on the developer's own machine: asked for by a loopback name, not through a proxy
    // (which names the public host, and says whom it forwards for).
    let host = request::header(http::header::HOST).unwrap_or_default();
    let local = ["127.0.0.1", "localhost", "[::1]"]
        .iter()
        .any(|h| host == *h || host.starts_with(&format!("{h}:")));
    let forwarded = request::header(http::header::FORWARDED).is_some()
        || request::header(http::HeaderName::from_static("x-forwarded-for")).is_some();
    if !request::state().config.dev_inbox || !local || forwarded {
        request::set_status(http::StatusCode::NOT_FOUND);
        return Err(ServerFnError::new("not found"));
    }
    let found = domain::notifications::recent_delivered(&request::pool(), 50)
        .await
        .map_err(request::unexpected)?;
    Ok(found
        .into_iter()
        .map(|n| DevMessage {
            channel: n.channel,
            recipient: n.recipient,
            body: n.body,
        })
        .collect())
}

#[component]
pub fn DevMessagesPage() -> impl IntoView {
    let l = use_locale();
    let data = OnceResource::new(dev_messages());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(list) => view! {
                        <Title text=t::dev_messages_title(l)/>
                        <section class="page">
                            <h1>{t::dev_messages_title(l)}</h1>
                            <p class="hint">{t::dev_messages_hint(l)}</p>
                            <ul class="message-list">
                                {list.into_iter().map(|m| view! {
                                    <li class="card">
                                        <p class="meta">{m.channel.to_uppercase()} " → " {m.recipient}</p>
                                        <p class="message-body">{m.body}</p>
                                    </li>
                                }).collect_view()}
                            </ul>
                        </section>
                    }.into_any(),
                    Err(_) => view! { <NotFound/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
