//! The installable shell: install prompt, offline indicator and the offline page. The service
//! worker itself is served by the server (it lists the hashed assets to cache).

use crate::i18n::{t, use_locale, Locale};
use leptos::prelude::*;
use leptos_meta::Title;

/// Offers to install the app when the browser allows it; "Not now" is remembered on the device.
#[island]
pub fn InstallPrompt(locale: Locale) -> impl IntoView {
    let l = locale;
    let (ready, set_ready) = signal(false);
    Effect::new(move |_| set_ready.set(true));
    let (visible, set_visible) = signal(false);
    #[cfg(feature = "hydrate")]
    let deferred: StoredValue<Option<send_wrapper::SendWrapper<web_sys::Event>>, LocalStorage> =
        StoredValue::new_local(None);
    #[cfg(feature = "hydrate")]
    {
        let dismissed = window()
            .local_storage()
            .ok()
            .flatten()
            .and_then(|s| s.get_item("nagarik-install-dismissed").ok().flatten())
            .is_some();
        if !dismissed {
            let handle = window_event_listener_untyped("beforeinstallprompt", move |ev| {
                ev.prevent_default();
                deferred.set_value(Some(send_wrapper::SendWrapper::new(ev)));
                set_visible.set(true);
            });
            on_cleanup(move || handle.remove());
        }
    }
    let install = move |_| {
        set_visible.set(false);
        #[cfg(feature = "hydrate")]
        if let Some(ev) = deferred.get_value() {
            // BeforeInstallPromptEvent is not in web-sys: call prompt() by name.
            if let Ok(prompt) = js_sys::Reflect::get(&ev, &"prompt".into()) {
                if let Ok(f) = wasm_bindgen::JsCast::dyn_into::<js_sys::Function>(prompt) {
                    let _ = f.call0(&ev);
                }
            }
        }
    };
    let dismiss = move |_| {
        set_visible.set(false);
        #[cfg(feature = "hydrate")]
        if let Some(s) = window().local_storage().ok().flatten() {
            let _ = s.set_item("nagarik-install-dismissed", "1");
        }
    };
    view! {
        <div class="install-prompt" role="region" aria-label=t::install_title(l) hidden=move || !visible.get()
            data-hydrated=move || ready.get().to_string()>
            <p>{t::install_text(l)}</p>
            <button type="button" class="button" on:click=install>{t::install_button(l)}</button>
            <button type="button" class="button button-secondary" on:click=dismiss>{t::not_now(l)}</button>
        </div>
    }
}

/// A banner while the device is offline, so nobody mistakes a dead link for a broken app.
#[island]
pub fn OfflineIndicator(locale: Locale) -> impl IntoView {
    let (offline, set_offline) = signal(false);
    #[cfg(feature = "hydrate")]
    {
        // After hydration: hydration keeps the server's attributes, so a change made before it
        // would never reach the page.
        Effect::new(move |_| set_offline.set(!window().navigator().on_line()));
        let a = window_event_listener(leptos::ev::online, move |_| set_offline.set(false));
        let b = window_event_listener(leptos::ev::offline, move |_| set_offline.set(true));
        on_cleanup(move || {
            a.remove();
            b.remove();
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = set_offline;
    view! {
        <p class="offline-indicator" role="status" hidden=move || !offline.get()>{t::offline_indicator(locale)}</p>
    }
}

#[component]
pub fn OfflinePage() -> impl IntoView {
    let l = use_locale();
    view! {
        <Title text=t::offline_title(l)/>
        <section class="page narrow">
            <h1>{t::offline_title(l)}</h1>
            <p>{t::offline_text(l)}</p>
            <p><a href="/">{t::try_again(l)}</a></p>
        </section>
    }
}
