//! Notifications on this device: a signed-in person turns web push on or off for the browser they
//! are using. The outbox then tells them by push first, with SMS and email as fallbacks.

use crate::i18n::{t, Locale};
#[cfg(feature = "ssr")]
use crate::request;
use leptos::prelude::*;

/// Keeps this browser's push subscription for the caller.
#[server(endpoint = "notifications/push_subscribe")]
pub async fn push_subscribe(
    endpoint: String,
    p256dh: String,
    auth: String,
) -> Result<(), ServerFnError> {
    let account = request::require_account()?;
    let services = &request::state().config.push_services;
    if let Err(code) =
        domain::notifications::check_push_subscription(&endpoint, &p256dh, &auth, services)
    {
        request::set_status(http::StatusCode::BAD_REQUEST);
        return Err(ServerFnError::new(code));
    }
    domain::notifications::save_push_subscription(
        &request::pool(),
        account.id,
        (request::caller().session_id).map(domain::ids::SessionId::from),
        &endpoint,
        p256dh.trim_end_matches('='),
        auth.trim_end_matches('='),
    )
    .await
    .map_err(request::unexpected)
}

/// Forgets one of the caller's own subscriptions (never another person's).
#[server(endpoint = "notifications/push_unsubscribe")]
pub async fn push_unsubscribe(endpoint: String) -> Result<(), ServerFnError> {
    let account = request::require_account()?;
    domain::notifications::remove_push_subscription(&request::pool(), account.id, &endpoint)
        .await
        .map_err(request::unexpected)?;
    Ok(())
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PushState {
    Checking,
    /// The browser has no web push (or no service worker).
    Unsupported,
    Off,
    On,
    /// The person (or the browser) refused notifications for the site.
    Blocked,
    Working,
    Failed,
}

impl PushState {
    fn as_str(self) -> &'static str {
        match self {
            PushState::Checking => "checking",
            PushState::Unsupported => "unsupported",
            PushState::Off => "off",
            PushState::On => "on",
            PushState::Blocked => "blocked",
            PushState::Working => "working",
            PushState::Failed => "failed",
        }
    }
}

/// Turns notifications on this device on or off. `key` is the server's VAPID public key.
#[island]
pub fn PushToggle(locale: Locale, key: String) -> impl IntoView {
    let l = locale;
    let (state, set_state) = signal(PushState::Checking);
    let key = StoredValue::new(key);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        leptos::task::spawn_local(async move { set_state.set(browser::current().await) })
    });
    let turn_on = move |_| {
        set_state.set(PushState::Working);
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            set_state.set(browser::subscribe(&key.get_value()).await)
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = key;
    };
    let turn_off = move |_| {
        set_state.set(PushState::Working);
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move { set_state.set(browser::unsubscribe().await) });
    };
    let said = move || match state.get() {
        PushState::Checking | PushState::Working => t::push_checking(l),
        PushState::Unsupported => t::push_unsupported(l),
        PushState::Off => t::push_off(l),
        PushState::On => t::push_on(l),
        PushState::Blocked => t::push_blocked(l),
        PushState::Failed => t::push_failed(l),
    };
    view! {
        <div class="card push-toggle" data-push-state=move || state.get().as_str()>
            <p role="status">{said}</p>
            <button type="button" class="button" on:click=turn_on
                hidden=move || !matches!(state.get(), PushState::Off | PushState::Failed)>
                {t::push_turn_on(l)}
            </button>
            <button type="button" class="button button-secondary" on:click=turn_off
                hidden=move || state.get() != PushState::On>
                {t::push_turn_off(l)}
            </button>
        </div>
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use super::PushState;
    use crate::forms::post_body;
    use js_sys::Reflect;
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;
    use web_sys::{
        Notification, NotificationPermission, PushSubscription, PushSubscriptionOptionsInit,
        ServiceWorkerRegistration, UrlSearchParams,
    };

    fn supported() -> bool {
        let window = leptos::prelude::window();
        let has =
            |target: &JsValue, name: &str| Reflect::has(target, &name.into()).unwrap_or(false);
        has(&window, "PushManager")
            && has(&window, "Notification")
            && has(&window.navigator(), "serviceWorker")
    }

    async fn registration() -> Result<ServiceWorkerRegistration, JsValue> {
        let ready = leptos::prelude::window()
            .navigator()
            .service_worker()
            .ready()?;
        JsFuture::from(ready).await?.dyn_into()
    }

    async fn subscription() -> Result<Option<PushSubscription>, JsValue> {
        let found =
            JsFuture::from(registration().await?.push_manager()?.get_subscription()?).await?;
        Ok(found.dyn_into().ok())
    }

    pub async fn current() -> PushState {
        if !supported() {
            return PushState::Unsupported;
        }
        if Notification::permission() == NotificationPermission::Denied {
            return PushState::Blocked;
        }
        match subscription().await {
            Ok(Some(_)) => PushState::On,
            Ok(None) => PushState::Off,
            Err(_) => PushState::Unsupported,
        }
    }

    pub async fn subscribe(key: &str) -> PushState {
        try_subscribe(key).await.unwrap_or(PushState::Failed)
    }

    async fn try_subscribe(key: &str) -> Result<PushState, JsValue> {
        let answer = JsFuture::from(Notification::request_permission()?).await?;
        match answer.as_string().as_deref() {
            Some("granted") => {}
            Some("denied") => return Ok(PushState::Blocked),
            _ => return Ok(PushState::Off),
        }
        let options = PushSubscriptionOptionsInit::new();
        options.set_user_visible_only(true);
        // Browsers take the key as base64url text as well as bytes.
        options.set_application_server_key(&JsValue::from_str(key));
        let manager = registration().await?.push_manager()?;
        let subscription: PushSubscription =
            JsFuture::from(manager.subscribe_with_options(&options)?)
                .await?
                .dyn_into()?;
        // toJSON() gives the keys in base64url, as the server keeps them.
        let json: JsValue = subscription.to_json()?.into();
        let keys = Reflect::get(&json, &"keys".into())?;
        let field = |name: &str| {
            Reflect::get(&keys, &name.into())
                .ok()
                .and_then(|v| v.as_string())
                .unwrap_or_default()
        };
        let form = UrlSearchParams::new()?;
        form.append("endpoint", &subscription.endpoint());
        form.append("p256dh", &field("p256dh"));
        form.append("auth", &field("auth"));
        if post_body("/api/notifications/push_subscribe", &form)
            .await?
            .0
            == 200
        {
            Ok(PushState::On)
        } else {
            // The server would not keep it: do not leave a subscription nobody sends to.
            let _ = JsFuture::from(subscription.unsubscribe()?).await;
            Ok(PushState::Failed)
        }
    }

    pub async fn unsubscribe() -> PushState {
        let done = async {
            if let Some(subscription) = subscription().await? {
                let form = UrlSearchParams::new()?;
                form.append("endpoint", &subscription.endpoint());
                post_body("/api/notifications/push_unsubscribe", &form).await?;
                JsFuture::from(subscription.unsubscribe()?).await?;
            }
            Ok::<_, JsValue>(PushState::Off)
        };
        done.await.unwrap_or(PushState::Failed)
    }
}
