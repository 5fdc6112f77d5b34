//! "Download my data": everything Nagarik keeps about the signed-in person, one JSON file
//! (`domain::identity::store::export`, a part per capability), served at `/me/data.json` by the
//! server (a plain GET the link downloads; nothing of it is in the browser bundle).

use crate::i18n::{t, Locale};
use leptos::prelude::*;

/// The profile's section for it.
#[component]
pub fn MyData(locale: Locale) -> impl IntoView {
    let l = locale;
    view! {
        <h2>{t::my_data_title(l)}</h2>
        <p class="hint">{t::my_data_hint(l)}</p>
        <p><a class="button button-secondary" href="/me/data.json" download="nagarik-my-data.json">{t::my_data_download(l)}</a></p>
    }
}
