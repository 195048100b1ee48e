//! Linq's error body, for every refusal the server gives: from the router's
//! handlers and from the front door alike.

use serde::Serialize;
use uuid::Uuid;

/// How an error body is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    /// A situation Linq's reference shows an example for: the same bytes as
    /// that example (`success: false`, no trace id).
    Seed,
    /// Linq's 409 example, which leaves `success` out.
    SeedWithoutSuccess,
    /// Any other situation: Linq's shape with a fresh trace id.
    Traced,
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    error: ErrorDetail<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    success: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    trace_id: Option<String>,
}

#[derive(Serialize)]
struct ErrorDetail<'a> {
    status: u16,
    code: u32,
    message: &'a str,
}

/// The JSON of an error answer.
pub(crate) fn error_json(status: u16, code: u32, message: &str, shape: Shape) -> String {
    let body = ErrorBody {
        error: ErrorDetail {
            status,
            code,
            message,
        },
        success: (shape != Shape::SeedWithoutSuccess).then_some(false),
        trace_id: (shape == Shape::Traced).then(trace_id),
    };
    pretty(&body)
}

/// A fresh trace id, as Linq's look: 32 hex digits.
pub(crate) fn trace_id() -> String {
    Uuid::new_v4().simple().to_string()
}

/// Pretty JSON with two-space indentation, as Linq's examples are written.
pub(crate) fn pretty<T: Serialize>(value: &T) -> String {
    serde_json::to_string_pretty(value).unwrap_or_else(|_| "{}".to_owned())
}

/// A complete HTTP/1.1 error answer that closes the connection, for the
/// front door, which answers before any HTTP machinery is involved.
pub(crate) fn raw_error(status: u16, reason: &str, code: u32, message: &str) -> Vec<u8> {
    let body = error_json(status, code, message, Shape::Traced);
    format!(
        "HTTP/1.1 {status} {reason}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}
