//! The city as a DigiLocker issuer (DigiLocker Issuer APIs 3.0, as APISetu publishes them): the
//! Pull URI request finds a citizen's certificate by its number (UDF1) and their name, the Pull
//! Doc request fetches one by its URI; each answers with the certificate's PDF and its metadata
//! as XML, per the request's `format`. DigiLocker signs each request's body with the API key we
//! gave it (`x-digilocker-hmac`: Base64 of HMAC-SHA256); a request whose `ts` is more than five
//! minutes from now, or whose `txn` was seen before, is refused. The key is kept sealed under
//! the master key (`notifications::shared_secret`).
//!
//! The published schema marks optional elements (UID, DOB, Photo, the UDFs) as required; they
//! are read when present, never demanded.

use super::{store, Kind};
use crate::problem::Problem;
use crate::sealed::DataKey;
use base64::Engine;
use quick_xml::escape::escape;
use quick_xml::events::Event;
use std::collections::BTreeMap;
use time::{Duration, OffsetDateTime};

/// The server setting that holds the API key.
pub const KEY_SETTING: &str = "digilocker_api_key";
/// How far a request's `ts` may be from now.
pub const CLOCK_WINDOW: Duration = Duration::minutes(5);
/// The largest request body read.
pub const BODY_MAX: usize = 64 * 1024;

/// The key DigiLocker signs with: made on first use, kept sealed.
pub async fn api_key(pool: &sqlx::PgPool, master: &DataKey) -> Result<String, Problem> {
    crate::notifications::shared_secret(pool, master, KEY_SETTING, DataKey::new_text).await
}

/// Whether `hmac` (Base64) is the HMAC-SHA256 of `body` under `key`, compared in constant time.
pub fn signed(key: &str, body: &[u8], hmac: &str) -> bool {
    use hmac::{Hmac, Mac};
    let Ok(given) = base64::engine::general_purpose::STANDARD.decode(hmac.trim()) else {
        return false;
    };
    let mut mac = <Hmac<sha2::Sha256> as Mac>::new_from_slice(key.as_bytes())
        .expect("HMAC takes a key of any length");
    mac.update(body);
    mac.verify_slice(&given).is_ok()
}

/// The document type DigiLocker knows each certificate by.
pub fn doc_type(kind: Kind) -> &'static str {
    match kind {
        Kind::TradeLicence => "TRLIC",
        Kind::Birth => "BTCER",
        Kind::Marriage => "MRCER",
        Kind::Character => "CHCER",
    }
}

fn kind_of(doc_type: &str) -> Option<Kind> {
    Kind::ALL
        .into_iter()
        .find(|k| doc_type.eq_ignore_ascii_case(self::doc_type(*k)))
}

/// A certificate's URI: the issuer's id, its type, its number without dashes.
pub fn uri(issuer: &str, kind: Kind, number: &str) -> String {
    format!("{issuer}-{}-{}", doc_type(kind), number.replace('-', ""))
}

/// The certificate number and type a URI of ours names.
fn parse_uri(issuer: &str, uri: &str) -> Option<(Kind, String)> {
    let rest = uri.strip_prefix(issuer)?.strip_prefix('-')?;
    let (doc_type, id) = rest.split_once('-')?;
    // AP-YY-SSSSSSS-C: 2 letters, 2, 7 and 1 digits
    if id.len() != 12 || !id.is_char_boundary(2) {
        return None;
    }
    let number = format!("{}-{}-{}-{}", &id[..2], &id[2..4], &id[4..11], &id[11..]);
    Some((kind_of(doc_type)?, number))
}

/// Which of the certificate's forms the answer carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Pdf,
    Xml,
    Both,
}

/// A request as DigiLocker sends it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    /// `PullURIRequest` or `PullDocRequest`
    pub name: String,
    pub ts: String,
    pub txn: String,
    pub format: Format,
    /// `DocDetails`' elements, by name
    pub details: BTreeMap<String, String>,
}

/// Reads a request (None: not XML of the shape the API takes).
pub fn parse(body: &[u8]) -> Option<Request> {
    let mut reader = quick_xml::Reader::from_reader(body);
    let mut buf = Vec::new();
    let mut request: Option<Request> = None;
    let mut open: Option<String> = None;
    let mut text = String::new();
    loop {
        match reader.read_event_into(&mut buf).ok()? {
            Event::Start(e) | Event::Empty(e) if request.is_none() => {
                let mut r = Request {
                    name: String::from_utf8(e.local_name().as_ref().to_vec()).ok()?,
                    ts: String::new(),
                    txn: String::new(),
                    format: Format::Pdf,
                    details: BTreeMap::new(),
                };
                for a in e.attributes() {
                    let a = a.ok()?;
                    let value = a.unescape_value().ok()?.to_string();
                    match a.key.local_name().as_ref() {
                        b"ts" => r.ts = value,
                        b"txn" => r.txn = value,
                        b"format" => {
                            r.format = match value.to_ascii_lowercase().as_str() {
                                "xml" => Format::Xml,
                                "both" => Format::Both,
                                _ => Format::Pdf,
                            }
                        }
                        _ => {}
                    }
                }
                request = Some(r);
            }
            Event::Start(e) => {
                open = Some(String::from_utf8(e.local_name().as_ref().to_vec()).ok()?);
                text.clear();
            }
            Event::Text(t) => text.push_str(&t.decode().ok()?),
            // an entity (`&amp;`, `&#2821;`) in a text, reported on its own
            Event::GeneralRef(r) => match r.resolve_char_ref().ok()? {
                Some(c) => text.push(c),
                None => {
                    let name = r.decode().ok()?;
                    text.push_str(quick_xml::escape::resolve_predefined_entity(&name)?);
                }
            },
            Event::End(_) => {
                if let (Some(r), Some(name)) = (request.as_mut(), open.take()) {
                    r.details.insert(name, text.trim().to_string());
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    request
}

/// Whether a request's `ts` (ISO 8601, with or without its offset: India's when without) is
/// within the window around `now`.
pub fn fresh(ts: &str, now: OffsetDateTime) -> bool {
    use time::format_description::well_known::Iso8601;
    let at = OffsetDateTime::parse(ts, &Iso8601::DEFAULT)
        .ok()
        .or_else(|| {
            time::PrimitiveDateTime::parse(ts, &Iso8601::DEFAULT)
                .ok()
                .map(|t| t.assume_offset(time::macros::offset!(+5:30)))
        });
    at.is_some_and(|at| (at - now).abs() <= CLOCK_WINDOW)
}

/// Records `txn` as seen: false if it was seen already (a replay).
pub async fn first_sight(
    pool: &sqlx::PgPool,
    txn: &str,
    now: OffsetDateTime,
) -> Result<bool, Problem> {
    let done = sqlx::query!(
        "INSERT INTO digilocker_transactions (txn, seen_at) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        txn,
        now
    )
    .execute(pool)
    .await?
    .rows_affected();
    Ok(done == 1)
}

fn same_name(a: &str, b: &str) -> bool {
    let words = |s: &str| -> Vec<String> { s.split_whitespace().map(str::to_lowercase).collect() };
    words(a) == words(b)
}

/// What an answer carries: the certificate found, or why not.
pub struct Found {
    pub uri: String,
    pub kind: Kind,
    /// when the format asks for it
    pub pdf: Option<Vec<u8>>,
    /// when the format asks for it
    pub xml: Option<String>,
}

/// The certificate a request asks for: by its number (UDF1), type and holder's name (Pull URI),
/// or by its URI (Pull Doc). None: none such, revoked, or not that person's.
pub async fn find(
    pool: &sqlx::PgPool,
    master: &DataKey,
    issuer: &str,
    public_url: &str,
    request: &Request,
) -> Result<Option<Found>, Problem> {
    let d = &request.details;
    let asked = if request.name == "PullDocRequest" {
        d.get("URI").and_then(|u| parse_uri(issuer, u))
    } else {
        let kind = d.get("DocType").and_then(|t| kind_of(t));
        let number = d.get("UDF1").map(|n| n.trim().to_uppercase());
        kind.zip(number)
    };
    let Some((kind, number)) = asked else {
        return Ok(None);
    };
    let Some(issued) = store::of_application(pool, master, &number).await? else {
        return Ok(None);
    };
    let named = d.get("FullName").filter(|n| !n.trim().is_empty());
    if issued.claims.kind != kind
        || issued.revoked_at.is_some()
        || named.is_some_and(|n| !same_name(n, &issued.claims.holder))
    {
        return Ok(None);
    }
    // (only what the request's format asks for is made: a PDF is the costly part)
    let pdf = matches!(request.format, Format::Pdf | Format::Both)
        .then(|| super::pdf::render(&issued.printable(public_url), crate::Locale::Or))
        .transpose()?;
    let uri = uri(issuer, kind, &number);
    let xml = matches!(request.format, Format::Xml | Format::Both)
        .then(|| metadata(&issued, &uri, public_url));
    Ok(Some(Found {
        uri,
        kind,
        pdf,
        xml,
    }))
}

/// The certificate's metadata as XML, with its signed code for checking it anywhere.
fn metadata(issued: &store::Issued, uri: &str, public_url: &str) -> String {
    let c = &issued.claims;
    let day = |s: i64| store::day_of(s);
    let mut facts = String::new();
    for (label, value) in &c.facts {
        facts.push_str(&format!(
            "<Fact name=\"{}\" value=\"{}\"/>",
            escape(label),
            escape(value)
        ));
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
         <Certificate language=\"99\" name=\"{name}\" type=\"{doc_type}\" number=\"{number}\" uri=\"{uri}\" \
         issueDate=\"{issued}\" expiryDate=\"{expiry}\" status=\"A\">\
         <IssuedBy><Organization name=\"{issuer}\"/></IssuedBy>\
         <IssuedTo><Person name=\"{holder}\"/></IssuedTo>\
         <CertificateData>{facts}</CertificateData>\
         <Verification code=\"{code}\" link=\"{link}\"/>\
         </Certificate>",
        name = escape(c.kind.title(crate::Locale::En)),
        doc_type = doc_type(c.kind),
        number = escape(&c.number),
        uri = escape(uri),
        issued = day(c.issued_at),
        expiry = c.valid_until.map(day).unwrap_or_default(),
        issuer = escape(&c.issuer),
        holder = escape(&c.holder),
        code = escape(&issued.code),
        link = escape(super::link_for(public_url, &issued.code).as_str()),
    )
}

/// The answer to `request`: status 1 with what was asked (the URI, the PDF and/or the XML), or
/// status 0 with nothing.
pub fn answer(request: &Request, found: Option<&Found>) -> String {
    let b64 = base64::engine::general_purpose::STANDARD;
    let response = if request.name == "PullDocRequest" {
        "PullDocResponse"
    } else {
        "PullURIResponse"
    };
    let status = if found.is_some() { "1" } else { "0" };
    let mut details = String::new();
    if request.name != "PullDocRequest" {
        for (name, value) in &request.details {
            if matches!(
                name.as_str(),
                "DocType" | "DigiLockerId" | "UID" | "FullName" | "DOB"
            ) || name.starts_with("UDF")
            {
                details.push_str(&format!("<{name}>{}</{name}>", escape(value)));
            }
        }
    }
    if let Some(f) = found {
        if request.name != "PullDocRequest" {
            details.push_str(&format!("<URI>{}</URI>", escape(&f.uri)));
        }
        if let Some(pdf) = &f.pdf {
            details.push_str(&format!("<DocContent>{}</DocContent>", b64.encode(pdf)));
        }
        if let Some(xml) = &f.xml {
            details.push_str(&format!(
                "<DataContent>{}</DataContent>",
                b64.encode(xml.as_bytes())
            ));
        }
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
         <{response} xmlns:ns2=\"http://tempuri.org/\">\
         <ResponseStatus Status=\"{status}\" ts=\"{ts}\" txn=\"{txn}\">{status}</ResponseStatus>\
         <DocDetails>{details}</DocDetails></{response}>",
        ts = escape(&request.ts),
        txn = escape(&request.txn),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const PULL_URI: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<PullURIRequest xmlns:ns2="http://tempuri.org/" ver="1.0" ts="2026-12-01T10:00:00+05:30" txn="T-1" orgId="in.gov.bmc" format="both">
  <DocDetails>
    <DocType>TRLIC</DocType>
    <DigiLockerId>123e4567-e89b-12d3-a456-426655440000</DigiLockerId>
    <FullName>Deepak  Sahu &amp; co</FullName>
    <UDF1>ap-26-0000045-1</UDF1>
  </DocDetails>
</PullURIRequest>"#;

    #[test]
    fn a_request_reads_without_the_elements_the_schema_wrongly_requires() {
        let r = parse(PULL_URI.as_bytes()).unwrap();
        assert_eq!(r.name, "PullURIRequest");
        assert_eq!(
            (r.ts.as_str(), r.txn.as_str()),
            ("2026-12-01T10:00:00+05:30", "T-1")
        );
        assert_eq!(r.format, Format::Both);
        assert_eq!(r.details["DocType"], "TRLIC");
        assert_eq!(r.details["UDF1"], "ap-26-0000045-1");
        assert!(!r.details.contains_key("UID") && !r.details.contains_key("Photo"));
        assert_eq!(r.details["FullName"], "Deepak  Sahu & co");
        assert!(parse(b"not xml <").is_none());
    }

    #[test]
    fn the_hmac_is_of_the_body_under_the_key() {
        use hmac::{Hmac, Mac};
        let mut mac = <Hmac<sha2::Sha256> as Mac>::new_from_slice(b"the key").unwrap();
        mac.update(PULL_URI.as_bytes());
        let good = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
        assert!(signed("the key", PULL_URI.as_bytes(), &good));
        assert!(!signed("another key", PULL_URI.as_bytes(), &good));
        assert!(!signed("the key", b"another body", &good));
        assert!(!signed("the key", PULL_URI.as_bytes(), "not base64!"));
    }

    #[test]
    fn a_stale_or_unreadable_timestamp_is_not_fresh() {
        let now = OffsetDateTime::parse(
            "2026-12-01T04:32:00Z",
            &time::format_description::well_known::Rfc3339,
        )
        .unwrap();
        assert!(fresh("2026-12-01T10:00:00+05:30", now));
        assert!(
            fresh("2026-12-01T10:00:00", now),
            "India's time without an offset"
        );
        assert!(!fresh("2026-12-01T09:50:00+05:30", now));
        assert!(!fresh("2026-12-01T10:10:00+05:30", now));
        assert!(!fresh("yesterday", now));
    }

    #[test]
    fn uris_name_the_type_and_the_number() {
        let uri = uri("in.gov.bhubaneswar", Kind::TradeLicence, "AP-26-0000045-1");
        assert_eq!(uri, "in.gov.bhubaneswar-TRLIC-AP2600000451");
        assert_eq!(
            parse_uri("in.gov.bhubaneswar", &uri),
            Some((Kind::TradeLicence, "AP-26-0000045-1".into()))
        );
        assert_eq!(parse_uri("in.gov.other", &uri), None);
        assert_eq!(
            parse_uri("in.gov.bhubaneswar", "in.gov.bhubaneswar-XXX-1"),
            None
        );
    }

    #[test]
    fn the_answer_carries_what_the_format_asks_and_echoes_ts_and_txn() {
        let r = parse(PULL_URI.as_bytes()).unwrap();
        let found = Found {
            uri: "in.gov.bhubaneswar-TRLIC-AP2600000451".into(),
            kind: Kind::TradeLicence,
            pdf: Some(b"%PDF-1.7".to_vec()),
            xml: Some("<Certificate/>".into()),
        };
        let xml = answer(&r, Some(&found));
        assert!(xml.contains(r#"<ResponseStatus Status="1" ts="2026-12-01T10:00:00+05:30" txn="T-1">1</ResponseStatus>"#));
        assert!(xml.contains("<URI>in.gov.bhubaneswar-TRLIC-AP2600000451</URI>"));
        assert!(xml.contains("<DocContent>JVBERi0xLjc=</DocContent>"));
        assert!(xml.contains("<DataContent>PENlcnRpZmljYXRlLz4=</DataContent>"));
        assert!(xml.contains("<FullName>Deepak  Sahu &amp; co</FullName>"));
        let none = answer(&r, None);
        assert!(none.contains(r#"Status="0""#) && !none.contains("DocContent"));
    }
}
