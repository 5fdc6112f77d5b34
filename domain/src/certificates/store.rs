//! Issued certificates: issuing one when its application is approved (signed, kept sealed, its
//! PDF put in the holder's locker), reading one for its page and its PDF, checking a code, and
//! revoking one.

use super::code::{self, key_id_text};
use super::pdf::Printable;
use super::{keys, Claims, Issues, Kind, Verdict};
use crate::applications::form::{Answers, Field, FieldKind, Form, Words};
use crate::applications::store::day_text;
use crate::ids::{AccountId, DepartmentId};
use crate::problem::Problem;
use crate::sealed::DataKey;
use sqlx::{PgConnection, PgPool};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

fn bound(id: Uuid) -> Vec<u8> {
    [b"certificates:".as_slice(), id.as_bytes()].concat()
}

/// A field's answer as a certificate states it (in English; dates as Odisha writes them).
fn stated(field: &Field, answer: &str) -> Option<String> {
    let answer = answer.trim();
    if answer.is_empty() {
        return None;
    }
    Some(match &field.kind {
        FieldKind::Choice { options } => options
            .iter()
            .find(|o| o.key == answer)
            .map_or(answer.to_string(), |o| o.label.en.clone()),
        FieldKind::YesNo => if answer == "yes" { "Yes" } else { "No" }.to_string(),
        FieldKind::PastDate => {
            crate::applications::form::parse_date(answer).map_or(answer.to_string(), day_text)
        }
        FieldKind::Address => answer
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join(", "),
        FieldKind::Document { .. } => return None,
        FieldKind::Text { .. } | FieldKind::Number { .. } => answer.to_string(),
    })
}

/// What the form puts on the certificate, in its order: each fact's label in three languages
/// and its value.
pub fn facts_of(form: &Form, answers: &Answers) -> Vec<(Words, String)> {
    form.fields
        .iter()
        .filter(|f| f.on_certificate && form.shown(f, answers))
        .filter_map(|f| Some((f.label.clone(), stated(f, answers.get(&f.key)?)?)))
        .collect()
}

/// Issues the certificate an approved application's form calls for, in the approval's
/// transaction: signed with the key that signs now, kept sealed, and its PDF put in the
/// applicant's locker. Answers its kind (none: the service issues none).
pub(crate) async fn issue(
    tx: &mut PgConnection,
    master: &DataKey,
    base_url: &str,
    application: Uuid,
    now: OffsetDateTime,
) -> Result<Option<Kind>, Problem> {
    let a = sqlx::query!(
        r#"SELECT a.number, a.department_id, a.applicant_id, a.answers, f.form::text AS "form!",
                  u.name AS "holder?", u.locale AS "locale?", d.name AS issuer
           FROM applications a
           JOIN service_forms f ON f.service_id = a.service_id AND f.version = a.form_version
           JOIN department_translations d ON d.department_id = a.department_id AND d.locale = 'en'
           LEFT JOIN users u ON u.id = a.applicant_id
           WHERE a.id = $1"#,
        application
    )
    .fetch_one(&mut *tx)
    .await?;
    let form: Form = serde_json::from_str(&a.form)
        .map_err(|e| Problem::Unexpected(format!("a stored form does not read: {e}").into()))?;
    let Some(Issues { kind, valid_days }) = form.certificate.clone() else {
        return Ok(None);
    };
    let answers = match a.answers.as_deref() {
        Some(sealed) => crate::applications::store::open_answers(master, application, sealed)?,
        None => Answers::new(),
    };
    let issued_at = now.replace_nanosecond(0).unwrap_or(now);
    let valid_until = valid_days.map(|d| issued_at + Duration::days(i64::from(d)));
    let facts = facts_of(&form, &answers);
    let claims = Claims {
        number: a.number.clone(),
        kind,
        issuer: a.issuer,
        holder: a.holder.clone().unwrap_or_default(),
        facts: facts
            .iter()
            .map(|(l, v)| (l.en.clone(), v.clone()))
            .collect(),
        issued_at: issued_at.unix_timestamp(),
        valid_until: valid_until.map(OffsetDateTime::unix_timestamp),
    };
    let key = keys::signing_key(tx, master, now).await?;
    let signed = code::sign(&claims, &key);
    let id = crate::db::new_id();
    sqlx::query!(
        "INSERT INTO certificates (id, number, application_id, department_id, holder_id, kind, kid,
             code, issued_at, valid_until)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        id,
        a.number,
        application,
        a.department_id,
        a.applicant_id,
        kind.as_str(),
        code::key_id(&key.verifying_key()),
        master.seal(signed.as_bytes(), &bound(id)),
        issued_at,
        valid_until,
    )
    .execute(&mut *tx)
    .await?;
    if let Some(holder) = a.applicant_id {
        let locale = a
            .locale
            .as_deref()
            .and_then(crate::Locale::from_code)
            .unwrap_or_default();
        let printable = Printable {
            claims: &claims,
            labels: facts.iter().map(|(l, _)| l.clone()).collect(),
            issuer: department_names(tx, a.department_id.into()).await?,
            link: super::link_for(base_url, &signed),
            revoked: false,
        };
        let pdf = super::pdf::render(&printable, locale)?;
        let title = format!("{} {}", kind.title(locale), a.number);
        crate::locker::store::add_issued(
            tx,
            master,
            holder.into(),
            kind.locker_kind(),
            &title,
            &pdf,
            now,
        )
        .await?;
    }
    Ok(Some(kind))
}

async fn department_names(
    db: &mut PgConnection,
    department: DepartmentId,
) -> Result<Words, Problem> {
    let rows = sqlx::query!(
        "SELECT locale, name FROM department_translations WHERE department_id = $1",
        department.uuid()
    )
    .fetch_all(&mut *db)
    .await?;
    let mut words = Words::default();
    for r in rows {
        match r.locale.as_str() {
            "en" => words.en = r.name,
            "or" => words.or = r.name,
            "hi" => words.hi = r.name,
            _ => {}
        }
    }
    Ok(words)
}

/// An issued certificate as its page and its PDF show it.
#[derive(Clone, Debug)]
pub struct Issued {
    pub id: Uuid,
    pub claims: Claims,
    /// each fact's label in three languages, as `claims.facts` orders them
    pub labels: Vec<Words>,
    pub issuer: Words,
    pub code: String,
    pub department_id: DepartmentId,
    pub holder_id: Option<AccountId>,
    pub revoked_at: Option<OffsetDateTime>,
    pub revoked_reason: Option<String>,
}

impl Issued {
    pub fn printable(&self, base_url: &str) -> Printable<'_> {
        Printable {
            claims: &self.claims,
            labels: self.labels.clone(),
            issuer: self.issuer.clone(),
            link: super::link_for(base_url, &self.code),
            revoked: self.revoked_at.is_some(),
        }
    }
}

/// The certificate issued for application `number`, if any (the caller checks who may see it).
pub async fn of_application(
    pool: &PgPool,
    master: &DataKey,
    number: &str,
) -> Result<Option<Issued>, Problem> {
    let row = sqlx::query!(
        r#"SELECT c.id, c.code, c.department_id, c.holder_id, c.revoked_at, c.revoked_reason,
                  a.service_id AS "service_id?", a.form_version AS "form_version?"
           FROM certificates c LEFT JOIN applications a ON a.id = c.application_id
           WHERE c.number = $1"#,
        number
    )
    .fetch_optional(pool)
    .await?;
    let Some(r) = row else { return Ok(None) };
    let code = master
        .open(&r.code, &bound(r.id))
        .and_then(|b| String::from_utf8(b).ok())
        .ok_or_else(|| Problem::unexpected("a certificate does not open with the master key"))?;
    let claims = code::open(&code)
        .ok_or_else(|| Problem::unexpected("a certificate's code does not read"))?
        .claims;
    let form = match (r.service_id, r.form_version) {
        (Some(service), Some(version)) => {
            crate::applications::store::form_version(pool, service.into(), version).await?
        }
        _ => None,
    };
    // each fact's label in three languages, from the form it was filed with (English alone if
    // that is gone)
    let labels = claims
        .facts
        .iter()
        .map(|(label, _)| {
            form.as_ref()
                .and_then(|f| f.fields.iter().find(|x| x.label.en == *label))
                .map_or_else(|| Words::en(label), |f| f.label.clone())
        })
        .collect();
    let mut db = pool.acquire().await?;
    Ok(Some(Issued {
        id: r.id,
        claims,
        labels,
        issuer: department_names(&mut db, r.department_id.into()).await?,
        code,
        department_id: r.department_id.into(),
        holder_id: r.holder_id.map(Into::into),
        revoked_at: r.revoked_at,
        revoked_reason: r.revoked_reason,
    }))
}

/// What a scanned, photographed or pasted code is: checked against the keys that verify now and
/// the record of revocations.
pub async fn verify(pool: &PgPool, text: &str, now: OffsetDateTime) -> Result<Verdict, Problem> {
    let Some(opened) = super::code_in(text).and_then(|c| code::open(&c)) else {
        return Ok(Verdict::NotACode);
    };
    let key_id = key_id_text(&opened.key_id);
    let Some(key) = keys::verifying_key(pool, &opened.key_id, now).await? else {
        return Ok(Verdict::UnknownKey { key_id });
    };
    if !opened.signed_by(&key) {
        return Ok(Verdict::Tampered);
    }
    let claims = opened.claims;
    let revoked = sqlx::query!(
        r#"SELECT revoked_at AS "revoked_at!", revoked_reason AS "reason!" FROM certificates
           WHERE number = $1 AND revoked_at IS NOT NULL"#,
        claims.number
    )
    .fetch_optional(pool)
    .await?;
    if let Some(r) = revoked {
        return Ok(Verdict::Revoked {
            claims,
            key_id,
            revoked_at: r
                .revoked_at
                .format(&time::format_description::well_known::Rfc3339)
                .unwrap_or_default(),
            reason: r.reason,
        });
    }
    if claims
        .valid_until
        .is_some_and(|until| until <= now.unix_timestamp())
    {
        return Ok(Verdict::Expired { claims, key_id });
    }
    Ok(Verdict::Valid { claims, key_id })
}

/// The numbers of revoked certificates, for the installed app to check offline.
pub async fn revoked_numbers(pool: &PgPool) -> Result<Vec<String>, Problem> {
    Ok(sqlx::query_scalar!(
        "SELECT number FROM certificates WHERE revoked_at IS NOT NULL ORDER BY number"
    )
    .fetch_all(pool)
    .await?)
}

/// Marks application `id`'s certificate revoked, in the caller's transaction (which records the
/// step and tells the holder). Conflict: there is none, or it is revoked already.
pub(crate) async fn revoke(
    tx: &mut PgConnection,
    application: Uuid,
    by: AccountId,
    reason: &str,
    now: OffsetDateTime,
) -> Result<(), Problem> {
    let done = sqlx::query!(
        "UPDATE certificates SET revoked_at = $3, revoked_by = $2, revoked_reason = $4
         WHERE application_id = $1 AND revoked_at IS NULL",
        application,
        by.uuid(),
        now,
        reason,
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if done == 0 {
        return Err(Problem::Conflict("err_certificate_not_revocable"));
    }
    Ok(())
}

/// A person's certificates for their export: number, kind, issued, valid until, revoked.
pub async fn export_of(pool: &PgPool, holder: AccountId) -> Result<serde_json::Value, Problem> {
    let rows = sqlx::query!(
        "SELECT number, kind, issued_at, valid_until, revoked_at, revoked_reason FROM certificates
         WHERE holder_id = $1 ORDER BY issued_at",
        holder.uuid()
    )
    .fetch_all(pool)
    .await?;
    Ok(serde_json::Value::Array(
        rows.into_iter()
            .map(|r| {
                serde_json::json!({
                    "number": r.number,
                    "kind": r.kind,
                    "issued_at": r.issued_at.unix_timestamp(),
                    "valid_until": r.valid_until.map(OffsetDateTime::unix_timestamp),
                    "revoked_at": r.revoked_at.map(OffsetDateTime::unix_timestamp),
                    "revoked_reason": r.revoked_reason,
                })
            })
            .collect(),
    ))
}

/// Re-seals every certificate's code from `old` to `new` (master key rotation). Answers how many.
pub async fn reseal(db: &mut PgConnection, old: &DataKey, new: &DataKey) -> Result<usize, Problem> {
    let rows = sqlx::query!("SELECT id, code FROM certificates FOR UPDATE")
        .fetch_all(&mut *db)
        .await?;
    for r in &rows {
        let plain = old
            .open(&r.code, &bound(r.id))
            .ok_or_else(|| Problem::unexpected("a certificate does not open with the old key"))?;
        sqlx::query!(
            "UPDATE certificates SET code = $2 WHERE id = $1",
            r.id,
            new.seal(&plain, &bound(r.id))
        )
        .execute(&mut *db)
        .await?;
    }
    Ok(rows.len())
}

/// A moment's day in India, as a certificate dates things (DD-MM-YYYY).
pub fn day_of(seconds: i64) -> String {
    OffsetDateTime::from_unix_timestamp(seconds)
        .map(|t| day_text(crate::applications::store::today_in_india(t)))
        .unwrap_or_default()
}
