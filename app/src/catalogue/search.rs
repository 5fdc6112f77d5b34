//! Search: the box on the home and search pages, and the results of a query.

use super::{service_list, ServiceCardView};
use crate::i18n::{fill, t, use_locale};
use crate::layout::LoadFailed;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[cfg(feature = "ssr")]
use super::card;
#[cfg(feature = "ssr")]
use crate::request;
#[cfg(feature = "ssr")]
use domain::catalogue as store;

#[server(endpoint = "catalogue/search")]
pub async fn search_services(query: String) -> Result<Vec<ServiceCardView>, ServerFnError> {
    let query: String = query.chars().take(200).collect();
    let found = store::search(&request::pool(), &query, request::request_locale(), 30)
        .await
        .map_err(request::unexpected)?;
    Ok(found.into_iter().map(card).collect())
}

#[component]
pub(super) fn SearchBox(#[prop(optional, into)] value: String) -> impl IntoView {
    let l = use_locale();
    view! {
        <form method="get" action="/search" role="search" class="search-box">
            <label for="q" class="visually-hidden">{t::search_label(l)}</label>
            <input id="q" name="q" type="search" value=value placeholder=t::search_placeholder(l)
                autocomplete="off" enterkeyhint="search"/>
            <button type="submit" class="button">{t::search_button(l)}</button>
        </form>
    }
}

#[component]
pub fn SearchPage() -> impl IntoView {
    let l = use_locale();
    let query = use_query_map().get_untracked().get("q").unwrap_or_default();
    let results = OnceResource::new(search_services(query.clone()));
    let heading = fill(t::search_results_for(l), &[("query", &query)]);
    let title = if query.is_empty() {
        t::search_button(l).to_string()
    } else {
        heading.clone()
    };
    view! {
        <Title text=title/>
        <section class="page">
            <SearchBox value=query.clone()/>
            <Suspense fallback=|| ()>
                {move || {
                    let (heading, query) = (heading.clone(), query.clone());
                    Suspend::new(async move {
                        match results.await {
                            Ok(found) if found.is_empty() && !query.is_empty() => view! {
                                <h1>{heading}</h1>
                                <p role="status">{t::search_nothing_found(l)}</p>
                                <p><a href="/departments">{t::browse_departments(l)}</a></p>
                            }.into_any(),
                            Ok(found) if found.is_empty() => view! { <h1>{t::search_button(l)}</h1> }.into_any(),
                            Ok(found) => view! {
                                <h1>{heading}</h1>
                                <p role="status" class="hint">{fill(t::search_count(l), &[("count", &found.len().to_string())])}</p>
                                {service_list(found, false)}
                            }.into_any(),
                            Err(_) => view! { <LoadFailed/> }.into_any(),
                        }
                    })
                }}
            </Suspense>
        </section>
    }
}
