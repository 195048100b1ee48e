//! The HTTP face of the server: routes, the token check, fault injection and
//! Linq's error bodies.
//!
//! Request checks return the answer to send as their error: the idiom reads
//! plainly, and a large `Err` costs nothing at a test server's request rate.
#![allow(clippy::result_large_err)]

use std::{
    sync::{Arc, Mutex, MutexGuard},
    time::Duration,
};

use axum::{
    Router,
    body::Bytes,
    extract::{Path, State},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::state::{Chats, Refusal};

/// What every request handler shares.
pub(crate) struct Shared {
    pub(crate) token: String,
    pub(crate) chats: Mutex<Chats>,
    pub(crate) faults: Mutex<Faults>,
}

impl std::fmt::Debug for Shared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Shared").finish_non_exhaustive()
    }
}

/// Misbehaviour on request, for callers' resilience tests.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub(crate) struct Faults {
    /// How many of the next participant calls fail.
    #[serde(default)]
    pub(crate) fail_next: u32,
    /// The status they fail with.
    #[serde(default = "default_fault_status")]
    pub(crate) status: u16,
    /// How long every answer waits before it is sent.
    #[serde(default)]
    pub(crate) delay_ms: u64,
}

fn default_fault_status() -> u16 {
    500
}

/// A lock that survives a panicked holder: the data stays consistent because
/// every change is made in one step.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

pub(crate) fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route(
            "/v3/chats/{chat_id}/participants",
            post(add_participant).delete(remove_participant),
        )
        .route("/v3/chats/{chat_id}", get(show_chat))
        .route("/_local/faults", post(set_faults))
        .fallback(|| async { seed_not_found() })
        .with_state(shared)
}

#[derive(Clone, Copy)]
enum Change {
    Add,
    Remove,
}

async fn add_participant(
    State(shared): State<Arc<Shared>>,
    Path(chat): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    participant_change(&shared, &headers, &chat, &body, Change::Add).await
}

async fn remove_participant(
    State(shared): State<Arc<Shared>>,
    Path(chat): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    participant_change(&shared, &headers, &chat, &body, Change::Remove).await
}

async fn participant_change(
    shared: &Shared,
    headers: &HeaderMap,
    chat: &str,
    body: &[u8],
    change: Change,
) -> Response {
    if let Some(fault) = injected_fault(shared).await {
        return fault;
    }
    if let Err(refused) = authorise(shared, headers) {
        return refused;
    }
    let chat = match Uuid::try_parse(chat) {
        Ok(chat) => chat,
        Err(_) => {
            return error(
                StatusCode::BAD_REQUEST,
                1005,
                &format!(
                    "chatId must be a UUID such as 550e8400-e29b-41d4-a716-446655440000, got {chat:?}"
                ),
            );
        }
    };
    let handle = match handle_from_body(body) {
        Ok(handle) => handle,
        Err(response) => return response,
    };

    let outcome = {
        let mut chats = lock(&shared.chats);
        match change {
            Change::Add => chats.add(chat, &handle),
            Change::Remove => chats.remove(chat, &handle),
        }
    };
    match outcome {
        Ok(()) => queued(change),
        Err(refusal) => refused(refusal, &handle),
    }
}

async fn show_chat(
    State(shared): State<Arc<Shared>>,
    Path(chat): Path<String>,
    headers: HeaderMap,
) -> Response {
    if let Err(refused) = authorise(&shared, &headers) {
        return refused;
    }
    let view = Uuid::try_parse(&chat)
        .ok()
        .and_then(|chat| lock(&shared.chats).view(chat));
    match view {
        Some(view) => (StatusCode::OK, json_body(&view)).into_response(),
        None => seed_not_found(),
    }
}

async fn set_faults(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Err(refused) = authorise(&shared, &headers) {
        return refused;
    }
    match serde_json::from_slice::<Faults>(&body) {
        Ok(faults) if StatusCode::from_u16(faults.status).is_ok() => {
            *lock(&shared.faults) = faults.clone();
            (StatusCode::OK, json_body(&faults)).into_response()
        }
        Ok(faults) => error(
            StatusCode::BAD_REQUEST,
            1005,
            &format!("{} is not an HTTP status", faults.status),
        ),
        Err(e) => error(
            StatusCode::BAD_REQUEST,
            1003,
            &format!("expected {{\"fail_next\", \"status\", \"delay_ms\"}}: {e}"),
        ),
    }
}

/// Waits and fails as configured. The delay applies to every participant
/// call; the failures count down.
async fn injected_fault(shared: &Shared) -> Option<Response> {
    let (delay, failure) = {
        let mut faults = lock(&shared.faults);
        let failure = if faults.fail_next > 0 {
            faults.fail_next -= 1;
            Some(faults.status)
        } else {
            None
        };
        (Duration::from_millis(faults.delay_ms), failure)
    };
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    let status = StatusCode::from_u16(failure?).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    Some(match status.as_u16() {
        500 => seed_error(status, 3006, "Internal server error"),
        429 => error(status, 1007, "Rate limit exceeded"),
        503 => error(status, 4004, "Service unavailable"),
        504 => error(status, 3005, "Network timeout"),
        409 => seed_conflict(),
        _ => error(
            status,
            if status.is_server_error() { 3006 } else { 1005 },
            status.canonical_reason().unwrap_or("Injected failure"),
        ),
    })
}

fn authorise(shared: &Shared, headers: &HeaderMap) -> Result<(), Response> {
    let presented = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "));
    if presented == Some(shared.token.as_str()) {
        Ok(())
    } else {
        Err(seed_error(
            StatusCode::UNAUTHORIZED,
            2004,
            "Unauthorized - missing or invalid authentication token",
        ))
    }
}

fn handle_from_body(body: &[u8]) -> Result<String, Response> {
    let value: serde_json::Value = serde_json::from_slice(body).map_err(|e| {
        error(
            StatusCode::BAD_REQUEST,
            1003,
            &format!("The request body must be JSON: {e}"),
        )
    })?;
    let handle = match value.get("handle") {
        Some(serde_json::Value::String(handle)) => handle.clone(),
        Some(_) => {
            return Err(error(
                StatusCode::BAD_REQUEST,
                1003,
                "handle must be a string",
            ));
        }
        None => return Err(error(StatusCode::BAD_REQUEST, 1001, "handle is required")),
    };
    if handle.contains('@') {
        if !is_email(&handle) {
            return Err(error(
                StatusCode::BAD_REQUEST,
                1005,
                "handle must be an E.164 phone number or an email address",
            ));
        }
    } else if !is_e164(&handle) {
        return Err(seed_error(
            StatusCode::BAD_REQUEST,
            1002,
            "Phone number must be in E.164 format",
        ));
    }
    Ok(handle)
}

/// `+`, then 2 to 15 digits, the first not 0.
fn is_e164(handle: &str) -> bool {
    let Some(digits) = handle.strip_prefix('+') else {
        return false;
    };
    (2..=15).contains(&digits.len())
        && digits.bytes().all(|b| b.is_ascii_digit())
        && !digits.starts_with('0')
}

/// One `@`, something before it, a dotted domain after it, no white space.
fn is_email(handle: &str) -> bool {
    let Some((local, domain)) = handle.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && !handle.chars().any(char::is_whitespace)
        && domain.split('.').count() >= 2
        && domain.split('.').all(|label| !label.is_empty())
}

fn queued(change: Change) -> Response {
    #[derive(Serialize)]
    struct Queued {
        message: &'static str,
        status: &'static str,
        trace_id: String,
    }
    let message = match change {
        Change::Add => "Participant addition queued",
        Change::Remove => "Participant removal queued",
    };
    let body = Queued {
        message,
        status: "accepted",
        trace_id: trace_id(),
    };
    (StatusCode::ACCEPTED, json_body(&body)).into_response()
}

fn refused(refusal: Refusal, handle: &str) -> Response {
    match refusal {
        Refusal::UnknownChat => seed_not_found(),
        Refusal::Unavailable => seed_conflict(),
        Refusal::NotAGroup => error(
            StatusCode::BAD_REQUEST,
            1006,
            "Participants can only be changed in group chats; this is a direct chat",
        ),
        Refusal::AlreadyPresent => error(
            StatusCode::BAD_REQUEST,
            1005,
            &format!("{handle} is already in this chat"),
        ),
        Refusal::NotPresent => error(
            StatusCode::BAD_REQUEST,
            1005,
            &format!("{handle} is not in this chat"),
        ),
        Refusal::TooFewLeft { remaining } => error(
            StatusCode::BAD_REQUEST,
            1005,
            &format!(
                "Removing {handle} would leave {remaining} participants; a group chat keeps at least 3"
            ),
        ),
        Refusal::CrossService(service) => error(
            StatusCode::BAD_REQUEST,
            1005,
            &format!(
                "{handle} cannot join this {service:?} chat; cross-service additions are refused"
            ),
        ),
        Refusal::RemovingMe => error(
            StatusCode::BAD_REQUEST,
            1005,
            "The chat's own number cannot be removed",
        ),
    }
}

fn seed_not_found() -> Response {
    seed_error(StatusCode::NOT_FOUND, 2001, "Resource not found")
}

/// Linq's 409 example leaves `success` out.
fn seed_conflict() -> Response {
    error_body(
        StatusCode::CONFLICT,
        2013,
        "This chat is unavailable",
        None,
        None,
    )
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

/// An error in a situation Linq's reference shows an example for: the same
/// bytes as that example (two-space indentation, no trace id).
fn seed_error(status: StatusCode, code: u32, message: &str) -> Response {
    error_body(status, code, message, Some(false), None)
}

/// Any other error: Linq's shape, with a fresh trace id.
fn error(status: StatusCode, code: u32, message: &str) -> Response {
    error_body(status, code, message, Some(false), Some(trace_id()))
}

fn error_body(
    status: StatusCode,
    code: u32,
    message: &str,
    success: Option<bool>,
    trace_id: Option<String>,
) -> Response {
    let body = ErrorBody {
        error: ErrorDetail {
            status: status.as_u16(),
            code,
            message,
        },
        success,
        trace_id,
    };
    (status, json_body(&body)).into_response()
}

fn trace_id() -> String {
    Uuid::new_v4().simple().to_string()
}

/// Pretty JSON with the right content type.
fn json_body<T: Serialize>(value: &T) -> ([(header::HeaderName, &'static str); 1], String) {
    let body = serde_json::to_string_pretty(value).unwrap_or_else(|_| "{}".to_owned());
    ([(header::CONTENT_TYPE, "application/json")], body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handle_rules() {
        assert!(is_e164("+12052499136"));
        assert!(!is_e164("+1 205"));
        assert!(!is_e164("+0123"));
        assert!(!is_e164("12052499136"));
        assert!(is_email("user@example.com"));
        assert!(!is_email("user@example"));
        assert!(!is_email("@example.com"));
    }
}
