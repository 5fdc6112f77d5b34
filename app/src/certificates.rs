//! `/verify`: anyone checks a certificate the city issued — its QR code's link opens this page
//! with the code in the fragment; the code can also be scanned with the camera (where the
//! browser detects barcodes), read from a photo, or pasted. Online, the server checks it (the
//! signature against the published keys, and revocation) and the page shows what it certifies.
//! Offline, the installed app checks it on the phone: the page's script verifies the COSE
//! signature with the city's keys the service worker keeps (`/.well-known/jwks.json`, WebCrypto
//! Ed25519) and the list of revoked numbers as last fetched. Plain script, not an island: the
//! WASM stays as it is on every other page.

use crate::i18n::{t, use_locale, Locale};
use crate::layout::LoadFailed;
use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::request;

/// A verdict as the page shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VerdictView {
    /// `valid`, `revoked`, `expired`, `tampered`, `unknown_key`, `not_a_code`
    pub verdict: String,
    pub headline: String,
    pub title: Option<String>,
    /// (label, value): number, issuer, holder, the facts, the dates
    pub rows: Vec<(String, String)>,
    pub revoked: Option<String>,
}

#[cfg(feature = "ssr")]
fn verdict_view(v: domain::certificates::Verdict, l: Locale) -> VerdictView {
    use domain::certificates::store::day_of;
    use domain::certificates::Verdict;
    let mut rows = Vec::new();
    let mut title = None;
    if let Some(c) = v.claims() {
        title = Some(c.kind.title(l).to_string());
        rows.push((t::certificate_number(l).to_string(), c.number.clone()));
        rows.push((t::verify_issued_by(l).to_string(), c.issuer.clone()));
        rows.push((t::certificate_issued_to(l).to_string(), c.holder.clone()));
        rows.extend(c.facts.iter().cloned());
        rows.push((t::certificate_issued_on(l).to_string(), day_of(c.issued_at)));
        if let Some(until) = c.valid_until {
            rows.push((t::certificate_valid_until(l).to_string(), day_of(until)));
        }
    }
    let revoked = match &v {
        Verdict::Revoked {
            revoked_at, reason, ..
        } => Some(format!(
            "{} · {reason}",
            revoked_at.get(..10).unwrap_or(revoked_at)
        )),
        _ => None,
    };
    VerdictView {
        verdict: v.as_str().into(),
        headline: v.headline(l).into(),
        title,
        rows,
        revoked,
    }
}

/// Checks a code (or the link holding one) for the page.
#[server(endpoint = "certificates/check")]
pub async fn check_certificate(code: String) -> Result<VerdictView, ServerFnError> {
    request::client_limit("verify", domain::throttle::VERIFY_CLIENT, "code")
        .await
        .map_err(request::refuse)?;
    let code: String = code.chars().take(8_192).collect();
    let verdict = domain::certificates::store::verify(
        &request::pool(),
        &code,
        time::OffsetDateTime::now_utc(),
    )
    .await
    .map_err(request::refuse)?;
    Ok(verdict_view(verdict, request::request_locale()))
}

/// What the offline check says, in the page's language (for the script).
#[cfg(feature = "ssr")]
fn words(l: Locale) -> String {
    use domain::certificates::Kind;
    let mut words = serde_json::json!({
        "valid": t::verify_valid(l),
        "revoked": t::verify_revoked(l),
        "expired": t::verify_expired(l),
        "tampered": t::verify_tampered(l),
        "unknown_key": t::verify_unknown_key(l),
        "not_a_code": t::verify_not_a_code(l),
        "number": t::certificate_number(l),
        "issued_by": t::verify_issued_by(l),
        "issued_to": t::certificate_issued_to(l),
        "issued_on": t::certificate_issued_on(l),
        "valid_until": t::certificate_valid_until(l),
        "offline": t::verify_offline_note(l),
        "no_qr": t::verify_no_qr_found(l),
        "no_camera": t::verify_camera_refused(l),
    });
    for kind in Kind::ALL {
        words[kind.as_str()] = kind.title(l).into();
    }
    words.to_string()
}

#[cfg(not(feature = "ssr"))]
fn words(_: Locale) -> String {
    String::new()
}

fn verdict_panel(v: VerdictView) -> impl IntoView {
    view! {
        <section class=format!("card verdict verdict-{}", v.verdict) role="status" aria-live="polite" data-testid="verdict" data-verdict=v.verdict.clone()>
            <h2>{v.headline.clone()}</h2>
            {v.title.clone().map(|t| view! { <p><strong>{t}</strong></p> })}
            {(!v.rows.is_empty()).then(|| view! {
                <dl class="facts">
                    {v.rows.clone().into_iter().map(|(label, value)| view! { <dt>{label}</dt><dd>{value}</dd> }).collect_view()}
                </dl>
            })}
            {v.revoked.clone().map(|r| view! { <p class="banner banner-error">{r}</p> })}
        </section>
    }
}

/// `/verify`
#[component]
pub fn VerifyPage() -> impl IntoView {
    let l = use_locale();
    #[cfg(feature = "ssr")]
    let code = request::query_param("code").unwrap_or_default();
    #[cfg(not(feature = "ssr"))]
    let code = String::new();
    let checked =
        (!code.trim().is_empty()).then(|| OnceResource::new(check_certificate(code.clone())));
    view! {
        <Title text=t::verify_title(l)/>
        <section class="page narrow">
            <h1>{t::verify_title(l)}</h1>
            <p>{t::verify_intro(l)}</p>
            <form id="verify-form" class="stack" method="get" action="/verify">
                <label for="verify-code">{t::verify_code_label(l)}</label>
                <textarea id="verify-code" name="code" rows="4" spellcheck="false" autocapitalize="off" autocomplete="off" required="">{code.clone()}</textarea>
                <div class="actions">
                    <button type="submit" class="button">{t::verify_check(l)}</button>
                    <button type="button" class="button button-secondary" id="verify-scan" hidden>{t::verify_scan(l)}</button>
                </div>
                <div class="field" id="verify-photo-field" hidden>
                    <label for="verify-photo">{t::verify_photo(l)}</label>
                    <input type="file" id="verify-photo" accept="image/*"/>
                </div>
            </form>
            <video id="verify-camera" class="verify-camera" muted="" playsinline="" hidden></video>
            <div id="verify-offline" data-words=words(l)></div>
            {checked.map(|checked| view! {
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        match checked.await {
                            Ok(v) => verdict_panel(v).into_any(),
                            Err(_) => view! { <LoadFailed/> }.into_any(),
                        }
                    })}
                </Suspense>
            })}
            <p class="hint">{t::verify_how(l)}" "<a href="/.well-known/jwks.json">"/.well-known/jwks.json"</a></p>
        </section>
        <script nonce=leptos::nonce::use_nonce()>{VERIFY_SCRIPT}</script>
    }
}

const VERIFY_SCRIPT: &str = include_str!("certificates_verify.js");
