//! Reading requests: listings with the spec's filters, one request, tokens, and the updates feed.

// A parameter that cannot be read answers the Open311 error response itself; it is built once,
// on the error path, so its size does not matter.
#![allow(clippy::result_large_err)]

use super::format::{bad_suffix, error, opt, respond, split, text, unexpected, w3, Format, Node};
use super::{MAX_RESULTS, WINDOW_DAYS};
use app::request::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use domain::grievances::store::{self, PublicFilter, PublicRequest};
use domain::grievances::{GrievanceNumber, Status};
use domain::Locale;
use std::collections::HashMap;
use time::format_description::well_known::Rfc3339;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

// ---------------------------------------------------------------------------------------------
// Requests

/// Open311 knows two states: reported (open) and resolved (closed).
pub(super) fn open311_status(status: &str) -> &'static str {
    if Status::parse(status).is_some_and(|s| s.is_open()) {
        "open"
    } else {
        "closed"
    }
}

pub(super) fn request_node(r: PublicRequest) -> Node {
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
pub(super) fn param<'a>(q: &'a HashMap<String, String>, name: &str) -> Option<&'a str> {
    q.get(name).map(|v| v.trim()).filter(|v| !v.is_empty())
}

pub(super) fn list(v: Option<&str>) -> Vec<String> {
    v.map(|v| {
        v.split(',')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect()
    })
    .unwrap_or_default()
}

pub(super) fn date(
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
pub(super) fn window(
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

pub(super) async fn requests(
    state: &AppState,
    format: Format,
    q: &HashMap<String, String>,
) -> Response {
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

pub(super) async fn one_request(
    State(state): State<AppState>,
    Path(file): Path<String>,
) -> Response {
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
pub(super) async fn token(Path(file): Path<String>) -> Response {
    let Some((_, format)) = split(&file) else {
        return bad_suffix();
    };
    error(
        StatusCode::NOT_FOUND,
        format,
        "token not found: every service here is realtime and returns a service_request_id",
    )
}

/// "The city will act by …": the department and the first deadline.
pub(super) async fn notice(state: &AppState, id: Uuid) -> Option<String> {
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
pub(super) async fn updates(
    state: &AppState,
    format: Format,
    q: &HashMap<String, String>,
) -> Response {
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
pub(super) fn update_status(status: &str) -> &'static str {
    match Status::parse(status) {
        Some(Status::InProgress) => "in_progress",
        Some(Status::Resolved) | Some(Status::ClosedFixed) => "fixed",
        Some(Status::ClosedNotFixed) => "no_further_action",
        Some(Status::Rejected) => "not_councils_responsibility",
        _ => "open",
    }
}
