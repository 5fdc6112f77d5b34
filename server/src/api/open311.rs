//! Open311 GeoReport v2 under /open311/v2/, so that existing 311 apps and tools work with
//! Nagarik: discovery, services (our leaf grievance categories), service definitions (ward and
//! landmark attributes), POST requests (with an `open311` key), GET requests with the spec's
//! filters, GET one request, tokens, and the service request updates feed. Every answer comes in
//! XML or JSON by the resource's suffix; errors use the spec's `errors` format and status codes
//! (404 for what does not exist, 403 for a missing or wrong api_key, 400 for anything else).

// A parameter that cannot be read answers the Open311 error response itself; it is built once,
// on the error path, so its size does not matter.
#![allow(clippy::result_large_err)]

use super::intake;
use app::request::AppState;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use domain::grievances::store::{self, Filing, PublicFilter, PublicRequest};
use domain::grievances::{Channel, GrievanceNumber, Status};
use domain::problem::Problem;
use domain::Locale;
use std::collections::HashMap;
use time::format_description::well_known::Rfc3339;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/{resource}", get(get_resource).post(post_resource))
        .route("/services/{file}", get(service_definition))
        .route("/requests/{file}", get(one_request))
        .route("/tokens/{file}", get(token))
}

const SPEC: &str = "http://wiki.open311.org/GeoReport_v2";
/// The spec's cap on one listing, and its default and longest date window.
const MAX_RESULTS: i64 = 1000;
const WINDOW_DAYS: i64 = 90;

#[derive(Clone, Copy, PartialEq)]
enum Format {
    Xml,
    Json,
}

/// "requests.xml" → ("requests", Xml); None for another suffix.
fn split(file: &str) -> Option<(&str, Format)> {
    let (name, ext) = file.rsplit_once('.')?;
    match ext {
        "xml" => Some((name, Format::Xml)),
        "json" => Some((name, Format::Json)),
        _ => None,
    }
}

/// A value in a response, written as XML or as JSON by the Spark convention (the XML root is
/// dropped; a container of repeated elements is a JSON array).
enum Node {
    Text(Option<String>),
    Bool(bool),
    Int(i64),
    Float(Option<f64>),
    /// Repeated `child` elements.
    List(&'static str, Vec<Node>),
    Object(Vec<(&'static str, Node)>),
}

fn text(s: impl Into<String>) -> Node {
    Node::Text(Some(s.into()))
}

fn opt(s: Option<String>) -> Node {
    Node::Text(s.filter(|v| !v.is_empty()))
}

fn escape(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // characters XML 1.0 cannot carry at all
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\r' | '\t') => {}
            c => out.push(c),
        }
    }
}

fn xml(node: &Node, out: &mut String) {
    match node {
        Node::Text(Some(s)) => escape(s, out),
        Node::Text(None) | Node::Float(None) => {}
        Node::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Node::Int(n) => out.push_str(&n.to_string()),
        Node::Float(Some(f)) => out.push_str(&f.to_string()),
        Node::List(child, items) => {
            for item in items {
                out.push_str(&format!("<{child}>"));
                xml(item, out);
                out.push_str(&format!("</{child}>"));
            }
        }
        Node::Object(fields) => {
            for (name, value) in fields {
                out.push_str(&format!("<{name}>"));
                xml(value, out);
                out.push_str(&format!("</{name}>"));
            }
        }
    }
}

fn json(node: &Node) -> serde_json::Value {
    use serde_json::Value;
    match node {
        Node::Text(s) => s.clone().map(Value::String).unwrap_or(Value::Null),
        Node::Bool(b) => Value::Bool(*b),
        Node::Int(n) => Value::from(*n),
        Node::Float(f) => f.map(Value::from).unwrap_or(Value::Null),
        Node::List(_, items) => Value::Array(items.iter().map(json).collect()),
        Node::Object(fields) => Value::Object(
            fields
                .iter()
                .map(|(k, v)| (k.to_string(), json(v)))
                .collect(),
        ),
    }
}

fn respond(status: StatusCode, format: Format, root: &'static str, body: Node) -> Response {
    match format {
        Format::Xml => {
            let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
            out.push_str(&format!("<{root}>"));
            xml(&body, &mut out);
            out.push_str(&format!("</{root}>"));
            (
                status,
                [(header::CONTENT_TYPE, "text/xml; charset=utf-8")],
                out,
            )
                .into_response()
        }
        Format::Json => (
            status,
            [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
            json(&body).to_string(),
        )
            .into_response(),
    }
}

/// The spec's error answer: `<errors><error><code/><description/></error></errors>`.
fn error(status: StatusCode, format: Format, description: &str) -> Response {
    let e = Node::Object(vec![
        ("code", Node::Int(status.as_u16() as i64)),
        ("description", text(description)),
    ]);
    respond(status, format, "errors", Node::List("error", vec![e]))
}

fn unexpected(format: Format, e: impl std::fmt::Display) -> Response {
    tracing::error!(error = %e, "open311 request failed");
    // The spec names no 5xx: "General Service Error" is a 400.
    error(
        StatusCode::BAD_REQUEST,
        format,
        "general service error: please try again later",
    )
}

/// Open311's half of the error policy (see `domain::problem`): the spec's errors are a list of
/// {code, description}; a field's problem names the field and says it in English.
fn problem(format: Format, p: Problem) -> Response {
    match p {
        Problem::Invalid(fields) => {
            let (field, code) = fields
                .first()
                .map(|f| (f.field.as_str(), f.code.as_str()))
                .unwrap_or(("request", "err_unexpected"));
            let message = i18n::error_message(Locale::En, code).unwrap_or("invalid request");
            error(
                StatusCode::BAD_REQUEST,
                format,
                &format!("{field}: {message}"),
            )
        }
        Problem::NotFound => error(StatusCode::NOT_FOUND, format, "not found"),
        Problem::Forbidden => error(StatusCode::FORBIDDEN, format, "not allowed"),
        Problem::Conflict(code) => {
            let message = i18n::error_message(Locale::En, code).unwrap_or("conflict");
            error(StatusCode::CONFLICT, format, message)
        }
        Problem::Unexpected(e) => unexpected(format, e),
    }
}

fn w3(t: OffsetDateTime) -> String {
    t.replace_nanosecond(0)
        .unwrap_or(t)
        .format(&Rfc3339)
        .unwrap_or_default()
}

fn bad_suffix() -> Response {
    error(
        StatusCode::NOT_FOUND,
        Format::Xml,
        "unknown resource: use a .xml or .json suffix",
    )
}

// ---------------------------------------------------------------------------------------------

async fn get_resource(
    State(state): State<AppState>,
    Path(resource): Path<String>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    let Some((name, format)) = split(&resource) else {
        return bad_suffix();
    };
    match name {
        "discovery" => discovery(&headers, format),
        "services" => services(&state, format).await,
        "requests" => requests(&state, format, &query).await,
        "servicerequestupdates" => updates(&state, format, &query).await,
        _ => error(StatusCode::NOT_FOUND, format, "no such resource"),
    }
}

fn discovery(headers: &HeaderMap, format: Format) -> Response {
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("127.0.0.1:3000");
    let changeset = "2026-11-28T00:00:00Z";
    let endpoint = Node::Object(vec![
        ("specification", text(SPEC)),
        ("url", text(format!("http://{host}/open311/v2"))),
        ("changeset", text(changeset)),
        ("type", text("production")),
        (
            "formats",
            Node::List("format", vec![text("text/xml"), text("application/json")]),
        ),
    ]);
    respond(
        StatusCode::OK,
        format,
        "discovery",
        Node::Object(vec![
            ("changeset", text(changeset)),
            ("contact", text("Bhubaneswar Municipal Corporation, Nagarik team: open311@nagarik.bmc.gov.in")),
            ("key_service", text("A city admin issues keys in Nagarik under Administration › Intake API keys (channel open311).")),
            ("endpoints", Node::List("endpoint", vec![endpoint])),
        ]),
    )
}

/// The leaf categories that are services, with their group (parent) name.
async fn leaf_services(state: &AppState) -> Result<Vec<(store::Category, String)>, sqlx::Error> {
    let all = store::categories(&state.pool, Locale::En).await?;
    Ok(all
        .iter()
        .filter(|c| c.is_leaf)
        .map(|c| {
            let group = c
                .parent_id
                .and_then(|p| all.iter().find(|x| x.id == p))
                .map(|p| p.name.clone())
                .unwrap_or_default();
            (c.clone(), group)
        })
        .collect())
}

async fn services(state: &AppState, format: Format) -> Response {
    let list = match leaf_services(state).await {
        Ok(l) => l,
        Err(e) => return unexpected(format, e),
    };
    let items = list
        .into_iter()
        .map(|(c, group)| {
            Node::Object(vec![
                ("service_code", text(c.slug.clone())),
                ("service_name", text(c.name.clone())),
                (
                    "description",
                    text(format!("{} — {}", c.name, c.department_name)),
                ),
                ("metadata", Node::Bool(true)),
                ("type", text("realtime")),
                ("keywords", text(c.keywords.clone())),
                ("group", text(group)),
            ])
        })
        .collect();
    respond(
        StatusCode::OK,
        format,
        "services",
        Node::List("service", items),
    )
}

async fn service_definition(State(state): State<AppState>, Path(file): Path<String>) -> Response {
    let Some((code, format)) = split(&file) else {
        return bad_suffix();
    };
    let list = match leaf_services(&state).await {
        Ok(l) => l,
        Err(e) => return unexpected(format, e),
    };
    if !list.iter().any(|(c, _)| c.slug == code) {
        return error(StatusCode::NOT_FOUND, format, "service_code not found");
    }
    let wards = match store::wards(&state.pool).await {
        Ok(w) => w,
        Err(e) => return unexpected(format, e),
    };
    let ward_values = wards
        .into_iter()
        .map(|(n, name)| {
            Node::Object(vec![
                ("key", text(n.to_string())),
                ("name", text(format!("Ward {n} — {name}"))),
            ])
        })
        .collect();
    let attributes = vec![
        Node::Object(vec![
            ("variable", Node::Bool(true)),
            ("code", text("ward")),
            ("datatype", text("singlevaluelist")),
            ("required", Node::Bool(false)),
            ("datatype_description", text("The ward of Bhubaneswar the problem is in; it routes the request to the ward's official.")),
            ("order", Node::Int(1)),
            ("description", text("Ward")),
            ("values", Node::List("value", ward_values)),
        ]),
        Node::Object(vec![
            ("variable", Node::Bool(true)),
            ("code", text("landmark")),
            ("datatype", text("string")),
            ("required", Node::Bool(false)),
            ("datatype_description", text("A place nearby that helps find it, e.g. a temple, school or shop.")),
            ("order", Node::Int(2)),
            ("description", text("Landmark")),
        ]),
    ];
    respond(
        StatusCode::OK,
        format,
        "service_definition",
        Node::Object(vec![
            ("service_code", text(code)),
            ("attributes", Node::List("attribute", attributes)),
        ]),
    )
}

// ---------------------------------------------------------------------------------------------
// Requests

/// Open311 knows two states: reported (open) and resolved (closed).
fn open311_status(status: &str) -> &'static str {
    if Status::parse(status).is_some_and(|s| s.is_open()) {
        "open"
    } else {
        "closed"
    }
}

fn request_node(r: PublicRequest) -> Node {
    let open = open311_status(&r.status) == "open";
    // most specific first, as the spec asks of addresses
    let address = [
        Some(r.landmark.clone()),
        Some(r.address.clone()),
        r.ward_number.map(|n| {
            format!(
                "Ward {n}{}",
                r.ward_name
                    .as_ref()
                    .map(|w| format!(" ({w})"))
                    .unwrap_or_default()
            )
        }),
        Some("Bhubaneswar".to_string()),
    ]
    .into_iter()
    .flatten()
    .filter(|s| !s.trim().is_empty())
    .collect::<Vec<_>>()
    .join(", ");
    Node::Object(vec![
        ("service_request_id", text(r.number)),
        ("status", text(open311_status(&r.status))),
        ("status_notes", opt(r.status_notes)),
        ("service_name", text(r.category_name)),
        ("service_code", text(r.category_slug)),
        ("description", text(r.description)),
        ("agency_responsible", text(r.department_name)),
        ("service_notice", Node::Text(None)),
        ("requested_datetime", text(w3(r.created_at))),
        ("updated_datetime", text(w3(r.updated_at))),
        (
            "expected_datetime",
            Node::Text(r.deadline_at.filter(|_| open).map(w3)),
        ),
        ("address", text(address)),
        ("address_id", Node::Text(None)),
        ("zipcode", Node::Text(None)),
        ("lat", Node::Float(r.latitude)),
        ("long", Node::Float(r.longitude)),
        ("media_url", opt(r.media_url)),
    ])
}

/// A parameter that counts only when present and not empty ("a null parameter should be treated
/// as equivalent to a non-declared parameter").
fn param<'a>(q: &'a HashMap<String, String>, name: &str) -> Option<&'a str> {
    q.get(name).map(|v| v.trim()).filter(|v| !v.is_empty())
}

fn list(v: Option<&str>) -> Vec<String> {
    v.map(|v| {
        v.split(',')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect()
    })
    .unwrap_or_default()
}

fn date(
    q: &HashMap<String, String>,
    name: &str,
    format: Format,
) -> Result<Option<OffsetDateTime>, Response> {
    match param(q, name) {
        None => Ok(None),
        Some(v) => OffsetDateTime::parse(v, &Rfc3339).map(Some).map_err(|_| {
            error(
                StatusCode::BAD_REQUEST,
                format,
                &format!(
                    "{name} must be a W3C datetime with a time zone, e.g. 2026-11-01T00:00:00Z"
                ),
            )
        }),
    }
}

/// The date window of a listing: both ends given or defaulted, never longer than 90 days.
fn window(
    q: &HashMap<String, String>,
    format: Format,
) -> Result<(OffsetDateTime, OffsetDateTime), Response> {
    let (start, end) = (date(q, "start_date", format)?, date(q, "end_date", format)?);
    let now = OffsetDateTime::now_utc();
    let (start, end) = match (start, end) {
        (Some(s), Some(e)) => (s, e),
        (Some(s), None) => (s, (s + Duration::days(WINDOW_DAYS)).min(now)),
        (None, Some(e)) => (e - Duration::days(WINDOW_DAYS), e),
        (None, None) => (now - Duration::days(WINDOW_DAYS), now),
    };
    if end < start {
        return Err(error(
            StatusCode::BAD_REQUEST,
            format,
            "end_date is before start_date",
        ));
    }
    if end - start > Duration::days(WINDOW_DAYS) {
        return Err(error(
            StatusCode::BAD_REQUEST,
            format,
            "the date range may not span more than 90 days",
        ));
    }
    Ok((start, end))
}

async fn requests(state: &AppState, format: Format, q: &HashMap<String, String>) -> Response {
    let numbers: Vec<String> = list(param(q, "service_request_id"))
        .iter()
        .filter_map(|n| GrievanceNumber::parse(n).ok())
        .map(|n| n.to_string())
        .collect();
    let mut filter = PublicFilter {
        limit: MAX_RESULTS,
        ..Default::default()
    };
    if param(q, "service_request_id").is_some() {
        // "This overrides all other arguments."
        if numbers.is_empty() {
            return respond(
                StatusCode::OK,
                format,
                "service_requests",
                Node::List("request", Vec::new()),
            );
        }
        filter.numbers = numbers;
    } else {
        let (start, end) = match window(q, format) {
            Ok(w) => w,
            Err(r) => return r,
        };
        filter.from = Some(start);
        filter.to = Some(end);
        filter.category_slugs = list(param(q, "service_code"));
        let statuses = list(param(q, "status"));
        if statuses.iter().any(|s| s != "open" && s != "closed") {
            return error(
                StatusCode::BAD_REQUEST,
                format,
                "status must be open, closed, or both, comma delimited",
            );
        }
        filter.open = match (
            statuses.iter().any(|s| s == "open"),
            statuses.iter().any(|s| s == "closed"),
        ) {
            (true, false) => Some(true),
            (false, true) => Some(false),
            _ => None,
        };
    }
    match store::public_requests(&state.pool, &filter).await {
        Ok(rows) => respond(
            StatusCode::OK,
            format,
            "service_requests",
            Node::List("request", rows.into_iter().map(request_node).collect()),
        ),
        Err(e) => unexpected(format, e),
    }
}

async fn one_request(State(state): State<AppState>, Path(file): Path<String>) -> Response {
    let Some((id, format)) = split(&file) else {
        return bad_suffix();
    };
    let Ok(number) = GrievanceNumber::parse(id) else {
        return error(
            StatusCode::NOT_FOUND,
            format,
            "service_request_id not found",
        );
    };
    let filter = PublicFilter {
        numbers: vec![number.to_string()],
        limit: 1,
        ..Default::default()
    };
    match store::public_requests(&state.pool, &filter).await {
        Ok(rows) if rows.is_empty() => error(
            StatusCode::NOT_FOUND,
            format,
            "service_request_id not found",
        ),
        Ok(rows) => respond(
            StatusCode::OK,
            format,
            "service_requests",
            Node::List("request", rows.into_iter().map(request_node).collect()),
        ),
        Err(e) => unexpected(format, e),
    }
}

/// Every service is realtime: a POST answers with the request's id, and no token is ever issued.
async fn token(Path(file): Path<String>) -> Response {
    let Some((_, format)) = split(&file) else {
        return bad_suffix();
    };
    error(
        StatusCode::NOT_FOUND,
        format,
        "token not found: every service here is realtime and returns a service_request_id",
    )
}

async fn post_resource(
    State(state): State<AppState>,
    Path(resource): Path<String>,
    headers: HeaderMap,
    bytes: Bytes,
) -> Response {
    let Some((name, format)) = split(&resource) else {
        return bad_suffix();
    };
    if name != "requests" {
        return error(StatusCode::NOT_FOUND, format, "no such resource");
    }
    let form: Vec<(String, String)> = match serde_urlencoded::from_bytes(&bytes) {
        Ok(f) => f,
        Err(_) => {
            return error(
                StatusCode::BAD_REQUEST,
                format,
                "the body must be application/x-www-form-urlencoded",
            )
        }
    };
    let get = |k: &str| {
        form.iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
    };
    // The key comes as the form field api_key (or, for convenience, the usual header).
    let mut key_headers = headers.clone();
    if let Some(k) = get("api_key") {
        if let Ok(v) = format!("Bearer {k}").parse() {
            key_headers.insert(header::AUTHORIZATION, v);
        }
    }
    let key = match intake::authorize(&state.pool, &key_headers, "open311").await {
        Ok(k) => k,
        Err(_) => {
            return error(
                StatusCode::FORBIDDEN,
                format,
                "missing or invalid api_key: ask a city admin for an open311 key",
            )
        }
    };
    let Some(code) = get("service_code") else {
        return error(
            StatusCode::BAD_REQUEST,
            format,
            "service_code was not provided",
        );
    };
    let services = match leaf_services(&state).await {
        Ok(l) => l,
        Err(e) => return unexpected(format, e),
    };
    let Some((category, _)) = services.iter().find(|(c, _)| c.slug == code) else {
        return error(StatusCode::NOT_FOUND, format, "service_code not found");
    };
    let coordinate = |k: &str| {
        get(k)
            .and_then(|v| v.parse::<f64>().ok())
            .filter(|v| v.is_finite())
    };
    let (lat, long) = (coordinate("lat"), coordinate("long"));
    if get("lat").is_some() != get("long").is_some()
        || (get("lat").is_some() && (lat.is_none() || long.is_none()))
    {
        return error(
            StatusCode::BAD_REQUEST,
            format,
            "lat and long must both be sent, as decimal WGS84 degrees",
        );
    }
    let address = get("address_string").unwrap_or("").to_string();
    let ward = match get("attribute[ward]") {
        Some(w) => match w.parse::<i32>() {
            Ok(n) => Some(n),
            Err(_) => {
                return error(
                    StatusCode::BAD_REQUEST,
                    format,
                    "attribute[ward] must be a ward number from the service definition",
                )
            }
        },
        None => None,
    };
    if lat.is_none() && address.is_empty() && ward.is_none() {
        let message = if get("address_id").is_some() {
            "address_id is not used here: send lat and long, or address_string"
        } else {
            "a location is required: lat and long, or address_string"
        };
        return error(StatusCode::BAD_REQUEST, format, message);
    }
    let given = get("description").unwrap_or("");
    if given.chars().count() > 4000 {
        return error(
            StatusCode::BAD_REQUEST,
            format,
            "description is limited to 4,000 characters",
        );
    }
    // Our records need a few words at least: the service's name stands in for a missing text.
    let description = if given.chars().count() >= domain::grievances::DESCRIPTION_MIN {
        given.to_string()
    } else {
        format!(
            "{}{}{}",
            category.name,
            if given.is_empty() { "" } else { ": " },
            given
        )
    };
    let mobile = get("phone")
        .and_then(|p| domain::identity::MobileNumber::parse(p).ok())
        .map(|m| m.as_str().to_string());
    let name = [get("first_name"), get("last_name")]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    let media_url = get("media_url")
        .filter(|u| (u.starts_with("https://") || u.starts_with("http://")) && u.len() <= 500)
        .map(String::from);
    let filing = Filing {
        channel: Channel::External,
        category_id: category.id,
        category_slug: None,
        ward,
        landmark: get("attribute[landmark]")
            .unwrap_or("")
            .chars()
            .take(200)
            .collect(),
        address,
        latitude: lat,
        longitude: long,
        description: description
            .chars()
            .take(domain::grievances::DESCRIPTION_MAX)
            .collect(),
        recording_url: None,
        filer_id: None,
        anonymous: false,
        contact_name: name,
        contact_mobile: mobile,
        contact_email: get("email")
            .filter(|e| e.contains('@') && e.len() <= 254)
            .map(String::from),
        locale: Locale::En,
        external: None,
        idempotency_key: None,
        intake_key_id: Some(key),
        agent_id: None,
        media_url,
        photos: Vec::new(),
    };
    if let Err(p) = Problem::check(filing.problems()) {
        return problem(format, p);
    }
    match store::file(&state.pool, filing, OffsetDateTime::now_utc()).await {
        Ok(filed) => {
            let notice = notice(&state, filed.id).await;
            respond(
                StatusCode::CREATED,
                format,
                "service_requests",
                Node::List(
                    "request",
                    vec![Node::Object(vec![
                        ("service_request_id", text(filed.number)),
                        ("service_notice", opt(notice)),
                        ("account_id", Node::Text(None)),
                    ])],
                ),
            )
        }
        Err(p) => problem(format, p),
    }
}

/// "The city will act by …": the department and the first deadline.
async fn notice(state: &AppState, id: Uuid) -> Option<String> {
    let d = store::detail(&state.pool, id, Locale::En)
        .await
        .ok()
        .flatten()?;
    let due = d
        .summary
        .deadline_at
        .map(|t| format!(" by {}", w3(t)))
        .unwrap_or_default();
    Some(format!(
        "{} will act on it{due}.",
        d.summary.department_name
    ))
}

/// The updates feed: every public step of every request in a window (default: the last 90 days).
async fn updates(state: &AppState, format: Format, q: &HashMap<String, String>) -> Response {
    let (start, end) = match window(q, format) {
        Ok(w) => w,
        Err(r) => return r,
    };
    match store::public_updates(&state.pool, start, end, MAX_RESULTS).await {
        Ok(rows) => respond(
            StatusCode::OK,
            format,
            "service_request_updates",
            Node::List(
                "request_update",
                rows.into_iter()
                    .map(|u| {
                        Node::Object(vec![
                            ("update_id", text(format!("{}-{}", u.number, u.seq))),
                            ("service_request_id", text(u.number)),
                            ("status", text(update_status(&u.status))),
                            ("updated_datetime", text(w3(u.at))),
                            ("description", text(u.note)),
                            ("media_url", text("")),
                        ])
                    })
                    .collect(),
            ),
        ),
        Err(e) => unexpected(format, e),
    }
}

/// The updates extension's lower-case states, which say more than open/closed.
fn update_status(status: &str) -> &'static str {
    match Status::parse(status) {
        Some(Status::InProgress) => "in_progress",
        Some(Status::Resolved) | Some(Status::ClosedFixed) => "fixed",
        Some(Status::ClosedNotFixed) => "no_further_action",
        Some(Status::Rejected) => "not_councils_responsibility",
        _ => "open",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_tree_reads_as_xml_and_as_spark_json() {
        let body = Node::List(
            "request",
            vec![Node::Object(vec![
                ("service_request_id", text("GR-26-0000001-5")),
                ("description", text("Fish & chips <here>")),
                ("lat", Node::Float(Some(20.5))),
                ("media_url", Node::Text(None)),
            ])],
        );
        let mut out = String::new();
        xml(&body, &mut out);
        assert_eq!(
            out,
            "<request><service_request_id>GR-26-0000001-5</service_request_id><description>Fish &amp; chips &lt;here&gt;</description><lat>20.5</lat><media_url></media_url></request>"
        );
        assert_eq!(
            json(&body).to_string(),
            r#"[{"description":"Fish & chips <here>","lat":20.5,"media_url":null,"service_request_id":"GR-26-0000001-5"}]"#
        );
    }

    #[test]
    fn suffixes_choose_the_format() {
        assert!(matches!(
            split("services.xml"),
            Some(("services", Format::Xml))
        ));
        assert!(matches!(
            split("GR-26-0000001-5.json"),
            Some(("GR-26-0000001-5", Format::Json))
        ));
        assert!(split("services.html").is_none() && split("services").is_none());
    }
}
