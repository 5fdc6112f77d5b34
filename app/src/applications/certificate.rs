//! The certificate an approved application issued, on its page: what it certifies (in the
//! reader's language and English), its QR code, its PDF, and for the department's admin the
//! means to revoke it with a reason.

use crate::forms::{FailureBanner, FieldMessage, FormResult, FormThen, ServerForm};
use crate::i18n::{t, Locale};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use super::now;
#[cfg(feature = "ssr")]
use crate::request;
#[cfg(feature = "ssr")]
use domain::applications::{access, store, ApplicationNumber};
#[cfg(feature = "ssr")]
use domain::problem::Problem;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CertificateView {
    pub title: String,
    pub title_en: String,
    pub number: String,
    pub issuer: String,
    pub holder: String,
    /// (label, value), the label in the reader's language
    pub facts: Vec<(String, String)>,
    pub issued_on: String,
    pub valid_until: Option<String>,
    /// the QR code (SVG) and the link it holds
    pub qr_svg: String,
    pub link: String,
    pub pdf_href: String,
    /// (when, why)
    pub revoked: Option<(String, String)>,
    pub may_revoke: bool,
    /// the applicant is looking: a copy is in their locker
    pub own: bool,
}

/// The certificate part of an application's page, for `actor` (None: none was issued).
#[cfg(feature = "ssr")]
pub(crate) async fn certificate_view(
    pool: &sqlx::PgPool,
    a: &store::Application,
    actor: &domain::identity::Actor,
    l: Locale,
) -> Result<Option<CertificateView>, Problem> {
    use domain::certificates::store::{day_of, of_application};
    let Some(c) = of_application(pool, &request::data_key(), &a.number).await? else {
        return Ok(None);
    };
    let link = domain::certificates::link_for(&request::public_url(), &c.code);
    let qr_svg = domain::certificates::pdf::qr_svg(&link)?;
    let claims = &c.claims;
    Ok(Some(CertificateView {
        title: claims.kind.title(l).into(),
        title_en: claims.kind.title(Locale::En).into(),
        number: claims.number.clone(),
        issuer: c.issuer.get(l).to_string(),
        holder: claims.holder.clone(),
        facts: claims
            .facts
            .iter()
            .zip(&c.labels)
            .map(|((_, value), label)| (label.get(l).to_string(), value.clone()))
            .collect(),
        issued_on: day_of(claims.issued_at),
        valid_until: claims.valid_until.map(day_of),
        qr_svg,
        link,
        pdf_href: format!("/applications/{}/certificate.pdf", a.number),
        revoked: c.revoked_at.map(|at| {
            (
                crate::grievances::ist(at),
                c.revoked_reason.clone().unwrap_or_default(),
            )
        }),
        may_revoke: c.revoked_at.is_none() && access::may_revoke(actor, &a.ownership),
        own: a.ownership.applicant_id == Some(actor.user_id),
    }))
}

/// The department's admin revokes an application's certificate, saying why.
#[server(endpoint = "applications/revoke_certificate")]
pub async fn revoke_certificate(
    number: String,
    note: String,
) -> Result<FormResult<()>, ServerFnError> {
    let account = request::require(|a| a.role == domain::identity::Role::DepartmentAdmin)?;
    let number =
        ApplicationNumber::parse(&number).map_err(|_| request::refuse(Problem::NotFound))?;
    let revoked = store::revoke_certificate(
        &request::pool(),
        &number,
        &account.actor(),
        account.id,
        &note,
        now(),
    )
    .await;
    super::back_to_page(&number, revoked)
}

pub(crate) fn certificate_section(l: Locale, c: CertificateView) -> impl IntoView {
    let page = format!("/applications/{}", c.number);
    let title = if c.title == c.title_en {
        c.title.clone()
    } else {
        format!("{} · {}", c.title, c.title_en)
    };
    view! {
        <section class="card certificate" aria-labelledby="certificate-heading" data-testid="certificate">
            <h2 id="certificate-heading">{title}</h2>
            {c.revoked.clone().map(|(at, why)| view! {
                <p class="banner banner-error" role="status" data-testid="certificate-revoked">
                    <strong>{t::verify_revoked(l)}</strong>" · "{at}" · "{why}
                </p>
            })}
            <dl class="facts">
                <dt>{t::certificate_number(l)}</dt><dd>{c.number.clone()}</dd>
                <dt>{t::verify_issued_by(l)}</dt><dd>{c.issuer.clone()}</dd>
                <dt>{t::certificate_issued_to(l)}</dt><dd>{c.holder.clone()}</dd>
                {c.facts.clone().into_iter().map(|(label, value)| view! { <dt>{label}</dt><dd>{value}</dd> }).collect_view()}
                <dt>{t::certificate_issued_on(l)}</dt><dd>{c.issued_on.clone()}</dd>
                {c.valid_until.clone().map(|d| view! { <dt>{t::certificate_valid_until(l)}</dt><dd>{d}</dd> })}
            </dl>
            <figure class="qr">
                <div class="qr-code" role="img" aria-label=t::certificate_qr_label(l) inner_html=c.qr_svg.clone()></div>
                <figcaption class="hint">{t::certificate_scan_to_verify(l)}" "<a href=c.link.clone() data-testid="verify-link">{t::verify_title(l)}</a></figcaption>
            </figure>
            <p><a class="button" href=c.pdf_href.clone() download="" data-testid="certificate-pdf">{t::certificate_download(l)}</a></p>
            {c.own.then(|| view! { <p class="hint">{t::certificate_in_locker(l)}" "<a href="/locker">{t::locker_title(l)}</a></p> })}
            {c.may_revoke.then(|| view! {
                <details>
                    <summary>{t::certificate_revoke(l)}</summary>
                    <ServerForm endpoint="applications/revoke_certificate".to_string() locale=l then=FormThen::redirect(page) class="stack step-form".to_string()>
                        <FailureBanner locale=l/>
                        <input type="hidden" name="number" value=c.number.clone()/>
                        <label for="revoke-note">{t::certificate_revoke_reason(l)}</label>
                        <textarea id="revoke-note" name="note" rows="2" maxlength="2000" aria-describedby="revoke-note-error" aria-invalid="false"></textarea>
                        <FieldMessage field="note" id="revoke-note-error"/>
                        <button type="submit" class="button">{t::certificate_revoke(l)}</button>
                    </ServerForm>
                </details>
            })}
        </section>
    }
}
