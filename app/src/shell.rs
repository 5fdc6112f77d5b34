//! The HTML document and the routes.

use crate::i18n::{t, use_locale};
use crate::{
    admin, applications, bills, bookings, catalogue, certificates, dev, grievances, identity,
    layout, locker, payments, pwa, work,
};
use leptos::nonce::use_nonce;
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, MetaTags, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, SsrMode};

pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    content_security_policy();
    #[cfg(feature = "ssr")]
    let locale = crate::request::request_locale();
    #[cfg(not(feature = "ssr"))]
    let locale = domain::Locale::En;
    provide_context(locale);
    view! {
        <!DOCTYPE html>
        <html lang=locale.code()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="theme-color" content="#0b5d7a"/>
                <link rel="manifest" href="/manifest.webmanifest"/>
                <link rel="icon" href="/icons/icon-192.png" type="image/png"/>
                <link rel="apple-touch-icon" href="/icons/icon-192.png"/>
                <HashedStylesheet options=options.clone() id="leptos"/>
                // The islands' loader waits in an inert template: a page without islands never
                // loads the WASM, and a page with them loads it after it has painted (below).
                <template id="island-scripts"><HydrationScripts options islands=true/></template>
                <MetaTags/>
            </head>
            <body>
                <App/>
                // Registering the service worker needs no WASM: it should work on the first visit.
                // Whenever a page loads or the connection returns, what waits in the offline outbox is sent.
                <script nonce=use_nonce()>{ISLAND_LOADER}</script>
                <script nonce=use_nonce()>"if('serviceWorker' in navigator){addEventListener('load',function(){navigator.serviceWorker.register('/sw.js')});var f=function(){navigator.serviceWorker.ready.then(function(r){if(navigator.onLine&&r.active)r.active.postMessage('flush')})};addEventListener('online',f);addEventListener('load',f)}"</script>
            </body>
        </html>
    }
}

/// The page's Content Security Policy: scripts only with this response's nonce (every inline
/// script carries it, Leptos's own too) or loaded by one that does, WebAssembly allowed,
/// everything else from this origin, no framing.
#[cfg(feature = "ssr")]
fn content_security_policy() {
    let (Some(nonce), Some(res)) = (use_nonce(), use_context::<leptos_axum::ResponseOptions>())
    else {
        return;
    };
    // a payment's page posts the person on to the gateway's hosted checkout
    let gateway = use_context::<crate::request::AppState>()
        .map(|s| s.config.payments.settings().origin().to_string())
        .unwrap_or_default();
    let policy = format!(
        "default-src 'self'; script-src 'nonce-{nonce}' 'strict-dynamic' 'wasm-unsafe-eval'; \
         style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; \
         worker-src 'self'; manifest-src 'self'; frame-ancestors 'none'; base-uri 'self'; \
         object-src 'none'; form-action 'self' {gateway}"
    );
    if let Ok(value) = http::HeaderValue::from_str(&policy) {
        res.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
    }
}

/// Starts the islands' loader (Leptos's own, from the template) only when the page has an
/// island, and only once the page has loaded, or two seconds after its HTML did (a page with
/// photos still loading should not wait for them): text and links never wait for the WASM.
const ISLAND_LOADER: &str = "(function(){if(!document.querySelector('leptos-island'))return;\
var done=false;function go(){if(done)return;done=true;var t=document.getElementById('island-scripts');if(!t)return;\
t.content.querySelectorAll('script').forEach(function(o){var s=document.createElement('script');\
if(o.type)s.type=o.type;s.nonce=o.nonce;s.textContent=o.textContent;document.head.appendChild(s)})}\
if(document.readyState==='complete')go();else{addEventListener('load',go);setTimeout(go,2000)}})()";

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let locale = use_locale();
    let fallback = move || view! { <layout::NotFound/> };
    view! {
        <Title formatter=move |page: String| if page.is_empty() { t::app_name(locale).to_string() } else { format!("{page} · {}", t::app_name(locale)) }/>
        <Router>
            <layout::Header/>
            <pwa::OfflineIndicator locale=locale/>
            <main id="main" tabindex="-1">
                <Routes fallback>
                    <Route path=path!("/") view=catalogue::HomePage ssr=SsrMode::Async/>
                    <Route path=path!("/search") view=catalogue::SearchPage ssr=SsrMode::Async/>
                    <Route path=path!("/services/:slug") view=catalogue::ServicePage ssr=SsrMode::Async/>
                    <Route path=path!("/services/:slug/apply") view=applications::ApplyPage ssr=SsrMode::Async/>
                    <Route path=path!("/services/:slug/apply/check") view=applications::CheckAnswersPage ssr=SsrMode::Async/>
                    <Route path=path!("/locker") view=locker::LockerPage ssr=SsrMode::Async/>
                    <Route path=path!("/applications") view=applications::MyApplicationsPage ssr=SsrMode::Async/>
                    <Route path=path!("/applications/:number") view=applications::ApplicationPage ssr=SsrMode::Async/>
                    <Route path=path!("/departments") view=catalogue::DepartmentsPage ssr=SsrMode::Async/>
                    <Route path=path!("/departments/:code") view=catalogue::DepartmentPage ssr=SsrMode::Async/>
                    <Route path=path!("/categories/:slug") view=catalogue::CategoryPage ssr=SsrMode::Async/>
                    <Route path=path!("/life-events/:slug") view=catalogue::LifeEventPage ssr=SsrMode::Async/>
                    <Route path=path!("/register") view=identity::RegisterPage ssr=SsrMode::Async/>
                    <Route path=path!("/sign-in") view=identity::SignInPage ssr=SsrMode::Async/>
                    <Route path=path!("/sign-in/second-step") view=identity::second_factor::SecondStepPage ssr=SsrMode::Async/>
                    <Route path=path!("/me/two-step") view=identity::second_factor::TwoStepSetupPage ssr=SsrMode::Async/>
                    <Route path=path!("/reset-password") view=identity::reset::ResetPasswordPage ssr=SsrMode::Async/>
                    <Route path=path!("/me") view=identity::ProfilePage ssr=SsrMode::Async/>
                    <Route path=path!("/admin") view=admin::AdminPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/services") view=admin::AdminServicesPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/services/:slug") view=admin::ServiceEditPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/services/:slug/form") view=admin::FormEditorPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/escalation") view=grievances::admin::LadderPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/intake-keys") view=grievances::admin::IntakeKeysPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/posts") view=work::posts::PostsPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/jobs") view=admin::JobsPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/holidays") view=admin::HolidaysPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/applications") view=admin::ApplicationRecordsPage ssr=SsrMode::Async/>
                    <Route path=path!("/grievances") view=grievances::MyGrievancesPage ssr=SsrMode::Async/>
                    <Route path=path!("/grievances/new") view=grievances::FileGrievancePage ssr=SsrMode::Async/>
                    <Route path=path!("/grievances/:number") view=grievances::GrievancePage ssr=SsrMode::Async/>
                    <Route path=path!("/assist") view=grievances::assisted::AssistPage ssr=SsrMode::Async/>
                    <Route path=path!("/kiosk") view=grievances::assisted::KioskPage ssr=SsrMode::Async/>
                    <Route path=path!("/work") view=work::WorkQueuePage ssr=SsrMode::Async/>
                    <Route path=path!("/verify") view=certificates::VerifyPage ssr=SsrMode::Async/>
                    <Route path=path!("/payments/:id") view=payments::PaymentPage ssr=SsrMode::Async/>
                    <Route path=path!("/book") view=bookings::FacilitiesPage ssr=SsrMode::Async/>
                    <Route path=path!("/bills") view=bills::BillsPage ssr=SsrMode::Async/>
                    <Route path=path!("/bills/payments/:number") view=bills::payment::BillPaymentPage ssr=SsrMode::Async/>
                    <Route path=path!("/bills/:biller") view=bills::consumer::ConsumerPage ssr=SsrMode::Async/>
                    <Route path=path!("/book/:slug") view=bookings::FacilityPage ssr=SsrMode::Async/>
                    <Route path=path!("/bookings/:number") view=bookings::booking::BookingPage ssr=SsrMode::Async/>
                    <Route path=path!("/receipts/:number") view=payments::receipt::ReceiptPage ssr=SsrMode::Async/>
                    <Route path=path!("/offline") view=pwa::OfflinePage/>
                    <Route path=path!("/dev/messages") view=dev::DevMessagesPage ssr=SsrMode::Async/>
                </Routes>
            </main>
            <layout::Footer/>
            <pwa::InstallPrompt locale=locale/>
        </Router>
    }
}
