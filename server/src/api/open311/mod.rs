//! Open311 GeoReport v2 under /open311/v2/, so that existing 311 apps and tools work with
//! Nagarik: discovery, services (our leaf grievance categories), service definitions (ward and
//! landmark attributes), POST requests (with an `open311` key), GET requests with the spec's
//! filters, GET one request, tokens, and the service request updates feed. Every answer comes in
//! XML or JSON by the resource's suffix; errors use the spec's `errors` format and status codes
//! (404 for what does not exist, 403 for a missing or wrong api_key, 400 for anything else).

//!
//! One file per part: `format` (XML and JSON from one tree, errors), `services` (discovery,
//! services, definitions), `requests` (listings, one request, tokens, the updates feed) and
//! `post` (a new request).

mod format;
mod post;
mod requests;
mod services;

use app::request::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use format::{bad_suffix, error, split};
use post::post_resource;
use requests::{one_request, requests, token, updates};
use services::{discovery, service_definition, services};
use std::collections::HashMap;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/{resource}", get(get_resource).post(post_resource))
        .route("/services/{file}", get(service_definition))
        .route("/requests/{file}", get(one_request))
        .route("/tokens/{file}", get(token))
}

pub(super) const SPEC: &str = "http://wiki.open311.org/GeoReport_v2";
/// The spec's cap on one listing, and its default and longest date window.
pub(super) const MAX_RESULTS: i64 = 1000;
pub(super) const WINDOW_DAYS: i64 = 90;

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
