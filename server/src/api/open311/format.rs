//! Every answer as XML or JSON from one tree of nodes, and the spec's error format.

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use domain::problem::Problem;
use domain::Locale;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

#[derive(Clone, Copy, PartialEq)]
pub(super) enum Format {
    Xml,
    Json,
}

/// "requests.xml" → ("requests", Xml); None for another suffix.
pub(super) fn split(file: &str) -> Option<(&str, Format)> {
    let (name, ext) = file.rsplit_once('.')?;
    match ext {
        "xml" => Some((name, Format::Xml)),
        "json" => Some((name, Format::Json)),
        _ => None,
    }
}

/// A value in a response, written as XML or as JSON by the Spark convention (the XML root is
/// dropped; a container of repeated elements is a JSON array).
pub(super) enum Node {
    Text(Option<String>),
    Bool(bool),
    Int(i64),
    Float(Option<f64>),
    /// Repeated `child` elements.
    List(&'static str, Vec<Node>),
    Object(Vec<(&'static str, Node)>),
}

pub(super) fn text(s: impl Into<String>) -> Node {
    Node::Text(Some(s.into()))
}

pub(super) fn opt(s: Option<String>) -> Node {
    Node::Text(s.filter(|v| !v.is_empty()))
}

pub(super) fn escape(s: &str, out: &mut String) {
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

pub(super) fn xml(node: &Node, out: &mut String) {
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

pub(super) fn json(node: &Node) -> serde_json::Value {
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

pub(super) fn respond(
    status: StatusCode,
    format: Format,
    root: &'static str,
    body: Node,
) -> Response {
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
pub(super) fn error(status: StatusCode, format: Format, description: &str) -> Response {
    let e = Node::Object(vec![
        ("code", Node::Int(status.as_u16() as i64)),
        ("description", text(description)),
    ]);
    respond(status, format, "errors", Node::List("error", vec![e]))
}

pub(super) fn unexpected(format: Format, e: impl std::fmt::Display) -> Response {
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
pub(super) fn problem(format: Format, p: Problem) -> Response {
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
        Problem::Throttled(t) => {
            let mut res = error(
                StatusCode::TOO_MANY_REQUESTS,
                format,
                "too many requests with this api_key: try again later",
            );
            if let Ok(v) = t.retry_after_secs.max(1).to_string().parse() {
                res.headers_mut().insert(axum::http::header::RETRY_AFTER, v);
            }
            res
        }
        Problem::Unexpected(e) => unexpected(format, e),
    }
}

pub(super) fn w3(t: OffsetDateTime) -> String {
    t.replace_nanosecond(0)
        .unwrap_or(t)
        .format(&Rfc3339)
        .unwrap_or_default()
}

pub(super) fn bad_suffix() -> Response {
    error(
        StatusCode::NOT_FOUND,
        Format::Xml,
        "unknown resource: use a .xml or .json suffix",
    )
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
