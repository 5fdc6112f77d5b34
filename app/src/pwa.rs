//! The installable shell: install prompt, offline indicator and the offline page. The service
//! worker itself is served by the server (it lists the hashed assets to cache).

use crate::i18n::{t, use_locale, Locale};
use leptos::nonce::use_nonce;
use leptos::prelude::*;
use leptos_meta::Title;

/// Offers to install the app when the browser allows it; "Not now" is remembered on the device.
/// A few lines of plain script, not an island: every page has it, and a page without forms
/// should not load the WASM for it.
#[component]
pub fn InstallPrompt(locale: Locale) -> impl IntoView {
    let l = locale;
    view! {
        <div class="install-prompt" id="install-prompt" role="region" aria-label=t::install_title(l) hidden>
            <p>{t::install_text(l)}</p>
            <button type="button" class="button" data-install="">{t::install_button(l)}</button>
            <button type="button" class="button button-secondary" data-dismiss="">{t::not_now(l)}</button>
        </div>
        <script nonce=use_nonce()>{INSTALL_SCRIPT}</script>
    }
}

/// Keeps the browser's install offer for the banner's button, unless "Not now" was chosen here
/// before; `data-ready` tells that it listens.
const INSTALL_SCRIPT: &str = "(function(){var b=document.getElementById('install-prompt');if(!b)return;\
var key='nagarik-install-dismissed',offer=null,no=false;try{no=!!localStorage.getItem(key)}catch(e){}\
addEventListener('beforeinstallprompt',function(e){if(no)return;e.preventDefault();offer=e;b.hidden=false});\
b.querySelector('[data-install]').addEventListener('click',function(){b.hidden=true;if(offer&&offer.prompt)offer.prompt();offer=null});\
b.querySelector('[data-dismiss]').addEventListener('click',function(){b.hidden=true;no=true;offer=null;try{localStorage.setItem(key,'1')}catch(e){}});\
b.setAttribute('data-ready','true')})()";

/// A banner while the device is offline, so nobody mistakes a dead link for a broken app. Plain
/// script, like the install prompt.
#[component]
pub fn OfflineIndicator(locale: Locale) -> impl IntoView {
    view! {
        <p class="offline-indicator" id="offline-indicator" role="status" hidden>{t::offline_indicator(locale)}</p>
        <script nonce=use_nonce()>"(function(){var p=document.getElementById('offline-indicator');if(!p)return;\
    function show(){p.hidden=navigator.onLine}show();addEventListener('online',show);addEventListener('offline',show)})()"</script>
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
