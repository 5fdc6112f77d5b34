//! What every request carries on the server: the shared state, who is calling, in which language.
//! Resolved once per request by `identify` (an axum middleware) and read by pages and server
//! functions alike, so no server keeps anything in memory that another instance would need.

use axum::extract::{FromRef, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use domain::identity::store::{self as identity, Account, SESSION_COOKIE};
use domain::identity::Actor;
use domain::problem::Problem;
use domain::Locale;
use http::request::Parts;
use http::{header, HeaderValue, StatusCode};
use leptos::prelude::*;
use leptos_axum::ResponseOptions;
use sqlx::PgPool;
use std::sync::Arc;
use uuid::Uuid;

mod client;
use client::trusted_proxies;
pub use client::*;

#[derive(Clone, Debug)]
pub struct Config {
    /// Show delivered SMS and email on /dev/messages (development and tests only).
    pub dev_inbox: bool,
    /// Mark cookies `Secure` (everywhere but plain-HTTP localhost).
    pub secure_cookies: bool,
    /// The public half of the web push (VAPID) key, which browsers need to subscribe.
    pub vapid_public_key: String,
    /// Push services subscriptions may point at (origins; `https://*.domain` for a domain).
    pub push_services: Vec<String>,
    /// The key a monitoring scraper sends for `/metrics`; None turns `/metrics` off.
    pub metrics_key: Option<String>,
    /// Seals the secrets the database keeps (`NAGARIK_DATA_KEY`; see `domain::sealed`).
    pub data_key: domain::sealed::DataKey,
    /// The address people reach the app at (`NAGARIK_PUBLIC_URL`, no trailing `/`): the link a
    /// certificate's QR code holds.
    pub public_url: String,
    /// The issuer id DigiLocker knows the city by (`NAGARIK_DIGILOCKER_ISSUER`), the first part
    /// of each certificate's DigiLocker URI.
    pub digilocker_issuer: String,
    /// The payment gateway (`NAGARIK_RAZORPAY_URL` and the city's keys; see
    /// `domain::payments::razorpay`).
    pub payments: domain::payments::razorpay::Razorpay,
    /// The billers bills are fetched from and payments told to (`NAGARIK_BILLERS_URL`; see
    /// `domain::bills::biller`).
    pub billers: domain::bills::biller::Billers,
}

#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub pool: PgPool,
    pub config: Arc<Config>,
}

/// Who sent this request: a live session's account, or nobody.
#[derive(Clone, Debug, Default)]
pub struct Caller {
    pub account: Option<Account>,
    pub session_id: Option<Uuid>,
}

pub const LANGUAGE_COOKIE: &str = "nagarik_lang";

pub fn cookie(headers: &http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// Paths that never need to know the caller: static files.
fn is_static(path: &str) -> bool {
    path.starts_with("/pkg/")
        || path.starts_with("/icons/")
        || matches!(
            path,
            "/sw.js" | "/manifest.webmanifest" | "/favicon.ico" | "/robots.txt"
        )
}

/// What a person whose password an admin chose may reach until they choose their own: their
/// account page (to change it), the language, and signing out.
fn open_while_password_due(path: &str) -> bool {
    matches!(
        path,
        "/me"
            | "/api/identity/profile"
            | "/api/identity/change_password"
            | "/api/identity/sign_out"
            | "/api/set_language"
    )
}

/// Pages send the person to their account page; functions are refused (403).
fn password_due_answer(path: &str) -> Response {
    use axum::response::IntoResponse;
    if path.starts_with("/api/") || path.starts_with("/open311/") {
        (StatusCode::FORBIDDEN, "choose your own password first").into_response()
    } else {
        axum::response::Redirect::to("/me").into_response()
    }
}

/// Resolves the caller and the language once, into the request's extensions. A person whose
/// password an admin chose is held to their account page until they choose their own.
pub async fn identify(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    if !is_static(req.uri().path()) {
        let mut caller = Caller::default();
        if let Some(token) = cookie(req.headers(), SESSION_COOKIE) {
            match identity::session_account(&state.pool, &token).await {
                Ok(Some((session_id, account))) => {
                    caller = Caller {
                        account: Some(account),
                        session_id: Some(session_id),
                    };
                }
                Ok(None) => {}
                Err(e) => tracing::error!(error = %e, "session lookup failed"),
            }
        }
        let locale = cookie(req.headers(), LANGUAGE_COOKIE)
            .and_then(|c| Locale::from_code(&c))
            .or_else(|| {
                caller
                    .account
                    .as_ref()
                    .and_then(|a| Locale::from_code(&a.locale))
            })
            .unwrap_or_else(|| {
                Locale::from_accept_language(
                    req.headers()
                        .get(header::ACCEPT_LANGUAGE)
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or(""),
                )
            });
        // What the service worker may keep of a page for offline use: anything when nobody is
        // signed in; a citizen's own pages in a cache it empties at sign-out; nothing a staff
        // member is shown (other people's contacts).
        let offline_copy = match caller.account.as_ref().map(|a| a.role) {
            None => "public",
            Some(domain::identity::Role::Citizen) => "personal",
            Some(_) => "none",
        };
        let peer = req
            .extensions()
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map(|c| c.0.ip());
        let client = ClientAddr(client_of(peer, req.headers(), trusted_proxies()));
        let password_due = caller.account.as_ref().is_some_and(|a| a.password_due);
        req.extensions_mut().insert(caller);
        let path = req.uri().path().to_string();
        req.extensions_mut().insert(locale);
        req.extensions_mut().insert(client);
        if password_due && !open_while_password_due(&path) {
            return password_due_answer(&path);
        }
        let mut res = next.run(req).await;
        // (unless the page said more: `keep_no_copy`)
        res.headers_mut()
            .entry(OFFLINE_COPY)
            .or_insert(HeaderValue::from_static(offline_copy));
        return res;
    }
    next.run(req).await
}

/// Asks that this answer be kept nowhere: not by the browser's cache, not by the service worker
/// (a page that shows a secret, like a second factor's key).
pub fn keep_no_copy() {
    if let Some(res) = use_context::<ResponseOptions>() {
        res.insert_header(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        res.insert_header(
            header::HeaderName::from_static(OFFLINE_COPY),
            HeaderValue::from_static("none"),
        );
    }
}

/// The header that tells the service worker what it may keep of a page (`public`, `personal`,
/// `none`).
pub const OFFLINE_COPY: &str = "x-offline-copy";

/// Refuses a state-changing request whose `Origin` is another site (cross-site request forgery).
/// Requests without `Origin` come from non-browser clients, which do not carry our cookies.
pub async fn same_origin(req: Request, next: Next) -> Response {
    // (checking a certificate needs no account and changes nothing: any site may ask)
    let safe = matches!(
        *req.method(),
        http::Method::GET | http::Method::HEAD | http::Method::OPTIONS
    ) || req.uri().path().starts_with("/api/v1/certificates/")
        // the gateway's checkout posts the person back here, and its webhooks come from it: each
        // is proven by the gateway's signature, not by a cookie
        || matches!(req.uri().path(), "/payments/return" | "/api/v1/payments/webhook");
    if !safe {
        if let Some(origin) = req
            .headers()
            .get(header::ORIGIN)
            .and_then(|v| v.to_str().ok())
        {
            let host = req
                .headers()
                .get(header::HOST)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            let origin_host = origin.split("://").nth(1).unwrap_or("");
            if origin_host != host {
                return Response::builder()
                    .status(StatusCode::FORBIDDEN)
                    .body(axum::body::Body::from("cross-site request refused"))
                    .expect("static response");
            }
        }
    }
    next.run(req).await
}

/// Headers every answer carries: no framing (clickjacking), no MIME sniffing, no referrer to other
/// sites (addresses hold grievance numbers), HSTS where cookies are `Secure` (served over TLS),
/// and `no-store` on what a signed-in person is shown, so a shared phone's browser cache does
/// not keep it (assets and the service worker set their own caching).
pub async fn security_headers(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let signed_in = cookie(req.headers(), SESSION_COOKIE).is_some();
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    let set = |h: &mut http::HeaderMap, name: header::HeaderName, value: &'static str| {
        h.entry(name).or_insert(HeaderValue::from_static(value));
    };
    set(h, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(h, header::X_FRAME_OPTIONS, "DENY");
    set(h, header::REFERRER_POLICY, "same-origin");
    set(
        h,
        header::CONTENT_SECURITY_POLICY,
        "frame-ancestors 'none'; base-uri 'self'; object-src 'none'; form-action 'self'",
    );
    if state.config.secure_cookies {
        set(
            h,
            header::STRICT_TRANSPORT_SECURITY,
            "max-age=31536000; includeSubDomains",
        );
    }
    if signed_in {
        set(h, header::CACHE_CONTROL, "no-store");
    }
    res
}

/// Server functions that take files (multipart bodies).
pub const MULTIPART_ENDPOINTS: [&str; 3] = [
    "/api/grievances/file",
    "/api/grievances/resolve",
    "/api/locker/add",
];

/// The most a server function's body may hold: a form of text.
pub const BODY_LIMIT: usize = 1024 * 1024;
/// A form with its photos: each photo at its limit (and a little over, so that one too big is
/// named at its field rather than cutting the form off), and the form's text.
pub const MULTIPART_LIMIT: usize = domain::grievances::photos::MAX_PHOTOS
    * (domain::grievances::photos::MAX_BYTES + BODY_LIMIT)
    + BODY_LIMIT;

fn refuse_body(status: StatusCode, why: &'static str) -> Response {
    Response::builder()
        .status(status)
        .body(axum::body::Body::from(why))
        .expect("static response")
}

/// Bounds what a server function may be sent, before anything reads it: axum's body limit
/// covers its extractors only, and server functions read the body themselves. A body that says
/// it is larger is refused at once (413); one that grows larger while it is read stops there.
/// Where files are expected the body must be multipart: the multipart decoder of server
/// functions panics on a missing boundary, and a request must never panic the server.
/// (The JSON API under `/api/v1` sets its own limits per route.)
pub async fn body_guard(req: Request, next: Next) -> Response {
    let path = req.uri().path();
    if !path.starts_with("/api/") || path.starts_with("/api/v1/") {
        return next.run(req).await;
    }
    let multipart = MULTIPART_ENDPOINTS.contains(&path);
    if multipart && req.method() == http::Method::POST {
        let ok = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("multipart/form-data") && v.contains("boundary="));
        if !ok {
            return refuse_body(StatusCode::BAD_REQUEST, "multipart/form-data expected");
        }
    }
    let limit = if multipart {
        MULTIPART_LIMIT
    } else {
        BODY_LIMIT
    };
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return refuse_body(StatusCode::PAYLOAD_TOO_LARGE, "the request is too large");
    }
    let (parts, body) = req.into_parts();
    let body = axum::body::Body::new(http_body_util::Limited::new(body, limit));
    next.run(Request::from_parts(parts, body)).await
}

pub fn state() -> AppState {
    expect_context::<AppState>()
}

pub fn pool() -> PgPool {
    state().pool
}

/// The address people reach the app at.
pub fn public_url() -> String {
    state().config.public_url.clone()
}

/// The key that seals the secrets the database keeps.
pub fn data_key() -> domain::sealed::DataKey {
    state().config.data_key.clone()
}

pub(crate) fn parts() -> Option<Parts> {
    use_context::<Parts>()
}

pub fn caller() -> Caller {
    parts()
        .and_then(|p| p.extensions.get::<Caller>().cloned())
        .unwrap_or_default()
}

pub fn account() -> Option<Account> {
    caller().account
}

pub fn request_locale() -> Locale {
    parts()
        .and_then(|p| p.extensions.get::<Locale>().copied())
        .unwrap_or_default()
}

/// A parameter of the current request's query string, decoded once. (The router's query map
/// decodes a value twice: a `%` in it followed by two hex digits, as a certificate's Base45 code
/// may hold, would come out as another character.)
pub fn query_param(name: &str) -> Option<String> {
    let uri = parts()?.uri;
    let axum::extract::Query(params) =
        axum::extract::Query::<std::collections::HashMap<String, String>>::try_from_uri(&uri)
            .ok()?;
    params.get(name).cloned()
}

/// A cookie of the current request.
pub fn request_cookie(name: &str) -> Option<String> {
    parts().and_then(|p| cookie(&p.headers, name))
}

pub fn header(name: header::HeaderName) -> Option<String> {
    parts().and_then(|p| {
        p.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(String::from)
    })
}

pub fn set_status(status: StatusCode) {
    if let Some(res) = use_context::<ResponseOptions>() {
        res.set_status(status);
    }
}

/// The caller's account, or a 401 refusal.
pub fn require_account() -> Result<Account, ServerFnError> {
    account().ok_or_else(|| {
        set_status(StatusCode::UNAUTHORIZED);
        ServerFnError::new("sign in first")
    })
}

/// The caller's account if `allowed` says yes to it, else a refusal (401 or 403).
pub fn require(allowed: impl Fn(&Actor) -> bool) -> Result<Account, ServerFnError> {
    let account = require_account()?;
    if allowed(&account.actor()) {
        Ok(account)
    } else {
        set_status(StatusCode::FORBIDDEN);
        Err(ServerFnError::new("not allowed"))
    }
}

/// A browser as people know it ("Chrome, Android"), from what it calls itself.
pub fn device_label(user_agent: &str, locale: Locale) -> String {
    domain::identity::devices::Device::from_user_agent(user_agent)
        .label(crate::i18n::t::device_unknown(locale))
}

pub fn unexpected(e: impl std::fmt::Display) -> ServerFnError {
    tracing::error!(error = %e, "request failed");
    set_status(StatusCode::INTERNAL_SERVER_ERROR);
    ServerFnError::new("unexpected error")
}

pub fn set_cookie(name: &str, value: &str, max_age_seconds: i64) {
    let secure = if state().config.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    let cookie = format!(
        "{name}={value}; Path=/; Max-Age={max_age_seconds}; HttpOnly; SameSite=Lax{secure}"
    );
    if let (Some(res), Ok(v)) = (
        use_context::<ResponseOptions>(),
        HeaderValue::from_str(&cookie),
    ) {
        res.append_header(header::SET_COOKIE, v);
    }
}

/// Starts a session for `account` and sets its cookie. A browser the account has not used before
/// is told to the person (`identity::store::devices`).
pub async fn sign_in_as(account: &Account) -> Result<(), ServerFnError> {
    use domain::identity::store::devices::{self, DEVICE_COOKIE, DEVICE_COOKIE_DAYS};
    let ua = header(header::USER_AGENT).unwrap_or_default();
    let device = request_cookie(DEVICE_COOKIE)
        .filter(|t| devices::is_token(t))
        .unwrap_or_else(devices::new_token);
    let locale = request_locale();
    let told = crate::i18n::fill(
        crate::i18n::t::notice_new_device(locale),
        &[("device", &device_label(&ua, locale))],
    );
    devices::signed_in_from(&pool(), account, &device, &ua, &told)
        .await
        .map_err(unexpected)?;
    set_cookie(DEVICE_COOKIE, &device, DEVICE_COOKIE_DAYS * 86_400);
    let token = identity::create_session(&pool(), account, &ua)
        .await
        .map_err(unexpected)?;
    set_cookie(
        SESSION_COOKIE,
        &token,
        account.role.session_absolute_minutes() * 60,
    );
    Ok(())
}

/// This edge's half of the error policy (see `domain::problem`): what the person can fix goes
/// back to the form, at its fields; the rest become a status and an error the page shows as a
/// refusal or a failure. The unexpected is logged (with the request's id, from the span) and
/// never shown.
pub fn answer<T>(r: Result<T, Problem>) -> Result<crate::forms::FormResult<T>, ServerFnError> {
    use crate::forms::FormResult;
    match r {
        Ok(v) => Ok(FormResult::Done(v)),
        Err(Problem::Invalid(fields)) => Ok(FormResult::Invalid(fields)),
        Err(Problem::Conflict(code)) => {
            Ok(FormResult::Invalid(vec![domain::problem::FieldError::new(
                "form", code,
            )]))
        }
        // Refused at once with 429 and when to come back; the body still names the field, so
        // the form says why in the person's language.
        Err(Problem::Throttled(t)) => {
            too_many(&t);
            Ok(FormResult::Invalid(vec![t.field_error()]))
        }
        Err(other) => Err(refuse(other)),
    }
}

/// A problem as a server function's error, with its HTTP status.
pub fn refuse(p: Problem) -> ServerFnError {
    match p {
        Problem::NotFound => {
            set_status(StatusCode::NOT_FOUND);
            ServerFnError::new("not found")
        }
        Problem::Forbidden => {
            set_status(StatusCode::FORBIDDEN);
            ServerFnError::new("not allowed")
        }
        Problem::Invalid(_) | Problem::Conflict(_) => {
            set_status(StatusCode::UNPROCESSABLE_ENTITY);
            ServerFnError::new("invalid request")
        }
        Problem::Throttled(t) => {
            too_many(&t);
            ServerFnError::new("too many tries")
        }
        Problem::Unexpected(e) => unexpected(e),
    }
}

/// Marks this answer as a throttled refusal: 429 with `Retry-After` in seconds.
fn too_many(t: &domain::problem::Throttled) {
    tracing::warn!(target: "security", field = t.field, refusal = t.code, retry_after = t.retry_after_secs, "throttled");
    set_status(StatusCode::TOO_MANY_REQUESTS);
    if let Some(opts) = use_context::<ResponseOptions>() {
        if let Ok(v) = HeaderValue::from_str(&t.retry_after_secs.max(1).to_string()) {
            opts.insert_header(header::RETRY_AFTER, v);
        }
    }
}
