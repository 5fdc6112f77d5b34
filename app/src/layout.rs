//! The frame around every page: header with navigation and language switch, footer, and the pages
//! shown when something is missing or refused.

use crate::i18n::{t, use_locale, Locale};
use leptos::prelude::*;
use leptos_meta::Title;

/// The signed-in person as the header needs them.
#[derive(Clone, Debug)]
pub struct Viewer {
    pub name: String,
    pub is_admin: bool,
    pub is_staff: bool,
}

pub fn viewer() -> Option<Viewer> {
    #[cfg(feature = "ssr")]
    {
        crate::request::account().map(|a| Viewer {
            name: a.name.clone(),
            is_admin: matches!(
                a.role,
                domain::identity::Role::CityAdmin | domain::identity::Role::DepartmentAdmin
            ),
            is_staff: a.role != domain::identity::Role::Citizen,
        })
    }
    #[cfg(not(feature = "ssr"))]
    {
        None
    }
}

#[component]
pub fn Header() -> impl IntoView {
    let l = use_locale();
    let viewer = viewer();
    let account_links = match viewer {
        Some(v) => view! {
            {v.is_staff.then(|| view! { <a href="/work">{t::nav_work_queue(l)}</a> })}
            {v.is_admin.then(|| view! { <a href="/admin">{t::nav_admin(l)}</a> })}
            {(!v.is_staff).then(|| view! {
                <a href="/grievances">{t::nav_my_grievances(l)}</a>
                <a href="/applications">{t::my_applications_link(l)}</a>
                <a href="/locker">{t::nav_locker(l)}</a>
            })}
            <a href="/me" class="nav-me">{t::nav_my_account(l)}</a>
            <form method="post" action="/api/identity/sign_out" class="inline-form">
                <button type="submit" class="link-button">{t::sign_out(l)}</button>
            </form>
        }
        .into_any(),
        None => view! {
            <a href="/sign-in">{t::sign_in(l)}</a>
            <a href="/register" class="button button-small">{t::register(l)}</a>
        }
        .into_any(),
    };
    view! {
        <a class="skip-link" href="#main">{t::skip_to_content(l)}</a>
        <header class="site-header">
            <div class="header-row">
                <a href="/" class="brand" aria-label=t::home_link_label(l)>
                    <img src="/icons/icon-192.png" alt="" width="32" height="32"/>
                    <span>{t::app_name(l)}</span>
                </a>
                <nav class="account-nav" aria-label=t::account_nav_label(l)>{account_links}</nav>
            </div>
            <div class="header-row header-row-secondary">
                <nav class="main-nav" aria-label=t::main_nav_label(l)>
                    <a href="/">{t::nav_services(l)}</a>
                    <a href="/departments">{t::nav_departments(l)}</a>
                    <a href="/grievances/new">{t::nav_complain(l)}</a>
                </nav>
                <LanguageSwitch current=l/>
            </div>
        </header>
    }
}

/// Works without JavaScript: each language is a submit button of one small form.
#[component]
pub fn LanguageSwitch(current: Locale) -> impl IntoView {
    view! {
        <form method="post" action="/api/set_language" class="language-switch" aria-label=t::language_label(current)>
            {Locale::ALL
                .into_iter()
                .map(|l| {
                    view! {
                        <button type="submit" name="locale" value=l.code() lang=l.code()
                            aria-pressed=if l == current { "true" } else { "false" }>
                            {l.endonym()}
                        </button>
                    }
                })
                .collect_view()}
        </form>
    }
}

#[component]
pub fn Footer() -> impl IntoView {
    let l = use_locale();
    view! {
        <footer class="site-footer">
            <p>{t::footer_tagline(l)}</p>
        </footer>
    }
}

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::request::set_status(http::StatusCode::NOT_FOUND);
    let l = use_locale();
    view! {
        <Title text=t::not_found_title(l)/>
        <section class="page narrow">
            <h1>{t::not_found_title(l)}</h1>
            <p>{t::not_found_text(l)}</p>
            <p><a href="/">{t::back_home(l)}</a></p>
        </section>
    }
}

/// Shown when the caller may not see a page; the server also refuses its data.
#[component]
pub fn Refused() -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::request::set_status(http::StatusCode::FORBIDDEN);
    let l = use_locale();
    view! {
        <Title text=t::refused_title(l)/>
        <section class="page narrow">
            <h1>{t::refused_title(l)}</h1>
            <p>{t::refused_text(l)}</p>
            <p><a href="/">{t::back_home(l)}</a></p>
        </section>
    }
}

/// Shown for a page that needs a signed-in person; sends them to sign in and back.
#[component]
pub fn SignInFirst(#[prop(into)] next: String) -> impl IntoView {
    #[cfg(feature = "ssr")]
    leptos_axum::redirect(&format!("/sign-in?next={next}"));
    let l = use_locale();
    view! {
        <section class="page narrow">
            <p><a href=format!("/sign-in?next={next}")>{t::sign_in_to_continue(l)}</a></p>
        </section>
    }
}

#[component]
pub fn LoadFailed() -> impl IntoView {
    let l = use_locale();
    view! { <p class="banner banner-error" role="alert">{t::err_unexpected(l)}</p> }
}

/// The body of a page for a signed-in person: waits for `data`, then shows it with `show`. A
/// person not signed in is sent to sign in and back to `next`; a failure to load is said.
pub fn for_signed_in<T, V>(
    next: String,
    data: OnceResource<Result<T, ServerFnError>>,
    show: impl Fn(T) -> V + Clone + Send + Sync + 'static,
) -> impl IntoView
where
    T: Clone + Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static,
    V: IntoView + 'static,
{
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let (next, show) = (next.clone(), show.clone());
                Suspend::new(async move {
                    match data.await {
                        Ok(v) => show(v).into_any(),
                        Err(_) if !crate::identity::signed_in() => view! { <SignInFirst next=next/> }.into_any(),
                        Err(_) => view! { <LoadFailed/> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}
