//! Discovery, the service list (our leaf grievance categories) and service definitions.

use super::format::{bad_suffix, error, respond, split, text, unexpected, Format, Node};
use super::SPEC;
use app::request::AppState;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::Response;
use domain::grievances::store;
use domain::Locale;

pub(super) fn discovery(headers: &HeaderMap, format: Format) -> Response {
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
pub(super) async fn leaf_services(
    state: &AppState,
) -> Result<Vec<(store::Category, String)>, sqlx::Error> {
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

pub(super) async fn services(state: &AppState, format: Format) -> Response {
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

pub(super) async fn service_definition(
    State(state): State<AppState>,
    Path(file): Path<String>,
) -> Response {
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
