//! The home page: a search box, life events, the most popular services and the categories.

use super::search::SearchBox;
use super::{service_list, ServiceCardView};
use crate::i18n::{t, use_locale};
use crate::layout::LoadFailed;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use super::card;
#[cfg(feature = "ssr")]
use crate::request;
#[cfg(feature = "ssr")]
use domain::catalogue as store;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TopicView {
    pub slug: String,
    pub name: String,
    pub description: String,
    pub icon: String,
    pub service_count: i64,
}

#[cfg(feature = "ssr")]
fn topic(t: store::Topic) -> TopicView {
    TopicView {
        slug: t.slug,
        name: t.name,
        description: t.description,
        icon: t.icon,
        service_count: t.service_count,
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HomeContent {
    pub popular: Vec<ServiceCardView>,
    pub categories: Vec<TopicView>,
    pub life_events: Vec<TopicView>,
}

#[server(endpoint = "catalogue/home")]
pub async fn home_data() -> Result<HomeContent, ServerFnError> {
    let (pool, l) = (request::pool(), request::request_locale());
    let popular = store::popular(&pool, l, 8).await;
    let categories = store::categories(&pool, l).await;
    let life_events = store::life_events(&pool, l).await;
    Ok(HomeContent {
        popular: popular
            .map_err(request::unexpected)?
            .into_iter()
            .map(card)
            .collect(),
        categories: categories
            .map_err(request::unexpected)?
            .into_iter()
            .map(topic)
            .collect(),
        life_events: life_events
            .map_err(request::unexpected)?
            .into_iter()
            .map(topic)
            .collect(),
    })
}

#[component]
pub fn HomePage() -> impl IntoView {
    let l = use_locale();
    let data = OnceResource::new(home_data());
    view! {
        <Title text=""/>
        <Meta name="description" content=t::home_description(l)/>
        <section class="hero">
            <h1>{t::home_heading(l)}</h1>
            <p class="lead">{t::home_lead(l)}</p>
            <SearchBox/>
        </section>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => view! {
                        <section class="page">
                            <h2>{t::life_events_heading(l)}</h2>
                            <ul class="topic-grid">
                                {d.life_events.into_iter().map(|e| view! {
                                    <li><a class="topic" href=format!("/life-events/{}", e.slug)>
                                        <span class="topic-icon" aria-hidden="true">{e.icon}</span>
                                        <span>{e.name}</span>
                                    </a></li>
                                }).collect_view()}
                            </ul>
                            <h2>{t::popular_heading(l)}</h2>
                            {service_list(d.popular, true)}
                            <h2>{t::categories_heading(l)}</h2>
                            <ul class="topic-grid">
                                {d.categories.into_iter().map(|c| view! {
                                    <li><a class="topic" href=format!("/categories/{}", c.slug)>
                                        <span class="topic-icon" aria-hidden="true">{c.icon}</span>
                                        <span>{c.name}</span>
                                    </a></li>
                                }).collect_view()}
                            </ul>
                        </section>
                    }.into_any(),
                    Err(_) => view! { <LoadFailed/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
