//! The HTTP face of the server: routes, the token check, fault injection,
//! the body's bounds, and Linq's error bodies.
//!
//! Every request is checked in one order: authentication, then injected
//! faults, then the request itself (chat id, body, handle).
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
    body::{Body, Bytes},
    extract::{Path, State, rejection::PathRejection},
    http::{HeaderMap, HeaderValue, Method, StatusCode, header},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use http_body_util::{BodyExt, LengthLimitError, Limited};
use serde::{Deserialize, Serialize};
use subtle::ConstantTimeEq;
use tokio::sync::watch;
use uuid::Uuid;

use crate::{
    answers::{Shape, error_json, pretty, trace_id},
    rules::{BadHandle, MAX_EMAIL, check_handle},
    state::{Chats, Refusal},
    webhooks::{self, Deliverer, Delivery, Target},
};

/// The longest injected delay, so that a typo cannot hang every call.
const MAX_FAULT_DELAY_MS: u64 = 600_000;

/// What every request handler shares.
pub(crate) struct Shared {
    pub(crate) token: String,
    pub(crate) chats: Mutex<Chats>,
    pub(crate) faults: Mutex<Faults>,
    pub(crate) max_body_bytes: usize,
    pub(crate) body_timeout: Duration,
    /// Where applied changes are announced, if anywhere; can be set after
    /// the server starts.
    pub(crate) webhook: Mutex<Option<Target>>,
    /// What a target set later is signed with, and its schedule's unit.
    pub(crate) webhook_secret: webhooks::Secret,
    pub(crate) webhook_unit: Duration,
    pub(crate) deliveries: Arc<Mutex<Vec<Delivery>>>,
    /// Deliveries scheduled and not yet ended (bounded).
    pub(crate) pending_deliveries: Arc<std::sync::atomic::AtomicUsize>,
    pub(crate) apply_delay: Duration,
    /// Turns true when the server stops.
    pub(crate) stopped: watch::Receiver<bool>,
    /// The runtime the server started on, where deliveries run whoever
    /// schedules them.
    pub(crate) runtime: tokio::runtime::Handle,
}

impl Shared {
    /// What a delivery needs, when there is a webhook target.
    pub(crate) fn deliverer(&self) -> Option<Deliverer> {
        Some(Deliverer {
            target: lock(&self.webhook).clone()?,
            deliveries: Arc::clone(&self.deliveries),
            pending: Arc::clone(&self.pending_deliveries),
            stopped: self.stopped.clone(),
            runtime: self.runtime.clone(),
        })
    }
}

impl std::fmt::Debug for Shared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Shared").finish_non_exhaustive()
    }
}

/// Misbehaviour on request, for callers' resilience tests.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Faults {
    /// How many of the next participant calls fail.
    #[serde(default)]
    pub(crate) fail_next: u32,
    /// The status they fail with: an error status, 400 to 599.
    #[serde(default = "default_fault_status")]
    pub(crate) status: u16,
    /// How long every participant answer waits before it is sent.
    #[serde(default)]
    pub(crate) delay_ms: u64,
}

fn default_fault_status() -> u16 {
    500
}

/// Why a fault setting is refused, if it is.
pub(crate) fn check_fault(status: u16, delay_ms: u64) -> Result<(), String> {
    if !(400..=599).contains(&status) {
        return Err(format!(
            "an injected fault must be an error status from 400 to 599, not {status}"
        ));
    }
    check_delay(delay_ms)
}

/// Why an injected delay is refused, if it is.
pub(crate) fn check_delay(delay_ms: u64) -> Result<(), String> {
    if delay_ms > MAX_FAULT_DELAY_MS {
        return Err(format!(
            "an injected delay is at most {MAX_FAULT_DELAY_MS} ms, not {delay_ms}"
        ));
    }
    Ok(())
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
            post(add_participant)
                .delete(remove_participant)
                .fallback(|method: Method| async move { not_allowed(&method, "POST, DELETE") }),
        )
        .route(
            "/v3/chats/{chat_id}",
            get(show_chat).fallback(|method: Method| async move { not_allowed(&method, "GET") }),
        )
        .route(
            "/_local/faults",
            post(set_faults).fallback(|method: Method| async move { not_allowed(&method, "POST") }),
        )
        .fallback(|| async { seed_not_found() })
        .with_state(shared)
}

#[derive(Clone, Copy)]
enum Change {
    Add,
    Remove,
}

type ChatPath = Result<Path<String>, PathRejection>;

async fn add_participant(
    State(shared): State<Arc<Shared>>,
    chat: ChatPath,
    headers: HeaderMap,
    body: Body,
) -> Response {
    participant_change(&shared, &headers, chat, body, Change::Add)
        .await
        .unwrap_or_else(|refusal| refusal)
}

async fn remove_participant(
    State(shared): State<Arc<Shared>>,
    chat: ChatPath,
    headers: HeaderMap,
    body: Body,
) -> Response {
    participant_change(&shared, &headers, chat, body, Change::Remove)
        .await
        .unwrap_or_else(|refusal| refusal)
}

async fn participant_change(
    shared: &Shared,
    headers: &HeaderMap,
    chat: ChatPath,
    body: Body,
    change: Change,
) -> Result<Response, Response> {
    authorise(shared, headers)?;
    if let Some(fault) = injected_fault(shared).await {
        return Err(fault);
    }
    let chat = chat_id(chat)?;
    let body = read_body(shared, body).await?;
    let handle = handle_from_body(&body)?;
    let outcome = {
        let mut chats = lock(&shared.chats);
        match change {
            Change::Add => chats.add(chat, &handle),
            Change::Remove => chats.remove(chat, &handle),
        }
    };
    match outcome {
        Ok(participant) => {
            if let Some(deliverer) = shared.deliverer() {
                webhooks::schedule_change(
                    deliverer,
                    matches!(change, Change::Add),
                    chat,
                    participant,
                    shared.apply_delay,
                );
            }
            Ok(queued(change))
        }
        Err(refusal) => Err(refused(refusal, &handle)),
    }
}

fn chat_id(chat: ChatPath) -> Result<Uuid, Response> {
    let Path(chat) = chat.map_err(|_| {
        error(
            StatusCode::BAD_REQUEST,
            1005,
            "chatId must be a UUID; the path is not valid UTF-8",
        )
    })?;
    Uuid::try_parse(&chat).map_err(|_| {
        error(
            StatusCode::BAD_REQUEST,
            1005,
            &format!(
                "chatId must be a UUID such as 550e8400-e29b-41d4-a716-446655440000, got {:?}",
                excerpt(&chat)
            ),
        )
    })
}

async fn show_chat(
    State(shared): State<Arc<Shared>>,
    chat: ChatPath,
    headers: HeaderMap,
) -> Response {
    if let Err(refused) = authorise(&shared, &headers) {
        return refused;
    }
    if let Some(fault) = injected_fault(&shared).await {
        return fault;
    }
    let view = chat
        .ok()
        .and_then(|Path(chat)| Uuid::try_parse(&chat).ok())
        .and_then(|chat| lock(&shared.chats).view(chat));
    match view {
        Some(view) => json(StatusCode::OK, pretty(&view)),
        None => seed_not_found(),
    }
}

async fn set_faults(State(shared): State<Arc<Shared>>, headers: HeaderMap, body: Body) -> Response {
    let outcome = async {
        authorise(&shared, &headers)?;
        let body = read_body(&shared, body).await?;
        let faults = parse_faults(&body)
            .map_err(|message| error(StatusCode::BAD_REQUEST, 1003, &message))?;
        check_fault(faults.status, faults.delay_ms)
            .map_err(|message| error(StatusCode::BAD_REQUEST, 1005, &message))?;
        *lock(&shared.faults) = faults.clone();
        Ok(json(StatusCode::OK, pretty(&faults)))
    };
    outcome.await.unwrap_or_else(|refusal: Response| refusal)
}

/// A JSON object with only the known fields; anything else is refused
/// rather than read as "no faults".
fn parse_faults(body: &[u8]) -> Result<Faults, String> {
    const EXPECTED: &str =
        r#"expected an object such as {"fail_next": 2, "status": 503, "delay_ms": 0}"#;
    let value: serde_json::Value =
        serde_json::from_slice(body).map_err(|e| format!("{EXPECTED}: {e}"))?;
    if !value.is_object() {
        return Err(EXPECTED.to_owned());
    }
    serde_json::from_value(value).map_err(|e| format!("{EXPECTED}: {e}"))
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
    // Statuses outside 400 to 599 are refused when faults are set.
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

/// One `Authorization` header, scheme `Bearer` in any case, and the token,
/// compared in constant time.
fn authorise(shared: &Shared, headers: &HeaderMap) -> Result<(), Response> {
    let unauthorised = || {
        seed_error(
            StatusCode::UNAUTHORIZED,
            2004,
            "Unauthorized - missing or invalid authentication token",
        )
    };
    let mut values = headers.get_all(header::AUTHORIZATION).iter();
    let value = match (values.next(), values.next()) {
        (Some(value), None) => value,
        (Some(_), Some(_)) => {
            return Err(error(
                StatusCode::UNAUTHORIZED,
                2004,
                "Send one Authorization header, not several",
            ));
        }
        (None, _) => return Err(unauthorised()),
    };
    let (scheme, token) = value.as_bytes().split_at(
        value
            .as_bytes()
            .iter()
            .position(|&b| b == b' ')
            .unwrap_or(0),
    );
    let token = token.trim_ascii();
    let matches =
        scheme.eq_ignore_ascii_case(b"bearer") && bool::from(token.ct_eq(shared.token.as_bytes()));
    if matches { Ok(()) } else { Err(unauthorised()) }
}

/// The whole body, within the size limit and the body timeout.
async fn read_body(shared: &Shared, body: Body) -> Result<Bytes, Response> {
    let limited = Limited::new(body, shared.max_body_bytes);
    match tokio::time::timeout(shared.body_timeout, limited.collect()).await {
        Ok(Ok(collected)) => Ok(collected.to_bytes()),
        Ok(Err(e)) if e.downcast_ref::<LengthLimitError>().is_some() => Err(error(
            StatusCode::PAYLOAD_TOO_LARGE,
            1003,
            &format!(
                "The request body is larger than {} bytes",
                shared.max_body_bytes
            ),
        )),
        Ok(Err(_)) => Err(error(
            StatusCode::BAD_REQUEST,
            1003,
            "The request body could not be read: its framing is broken",
        )),
        Err(_) => Err(error(
            StatusCode::REQUEST_TIMEOUT,
            1003,
            &format!(
                "The request body did not arrive within {} ms",
                shared.body_timeout.as_millis()
            ),
        )),
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
    if handle.len() > MAX_EMAIL {
        return Err(error(
            StatusCode::BAD_REQUEST,
            1005,
            &format!("handle is longer than {MAX_EMAIL} characters"),
        ));
    }
    match check_handle(&handle) {
        Ok(()) => Ok(handle),
        Err(BadHandle::NotE164) => Err(seed_error(
            StatusCode::BAD_REQUEST,
            1002,
            "Phone number must be in E.164 format",
        )),
        Err(BadHandle::NotEmail(why)) => Err(error(
            StatusCode::BAD_REQUEST,
            1005,
            &format!("handle must be an E.164 phone number or an email address: {why}"),
        )),
    }
}

/// A 405 in Linq's shape, naming what the path allows.
fn not_allowed(method: &Method, allowed: &'static str) -> Response {
    let mut response = error(
        StatusCode::METHOD_NOT_ALLOWED,
        1005,
        &format!(
            "{} is not allowed here; use {allowed}",
            excerpt(method.as_str())
        ),
    );
    response
        .headers_mut()
        .insert(header::ALLOW, HeaderValue::from_static(allowed));
    response
}

/// The start of client text quoted in a message.
fn excerpt(text: &str) -> String {
    text.chars().take(64).collect()
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
    json(StatusCode::ACCEPTED, pretty(&body))
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
        Refusal::Full { limit } => error(
            StatusCode::BAD_REQUEST,
            1005,
            &format!("This chat already has {limit} participants, the most this server keeps"),
        ),
        Refusal::CrossService(service) => error(
            StatusCode::BAD_REQUEST,
            1005,
            &format!(
                "{handle} cannot join this {service} chat; cross-service additions are refused"
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
    json(
        StatusCode::CONFLICT,
        error_json(
            409,
            2013,
            "This chat is unavailable",
            Shape::SeedWithoutSuccess,
        ),
    )
}

/// An error in a situation Linq's reference shows an example for: the same
/// bytes as that example.
fn seed_error(status: StatusCode, code: u32, message: &str) -> Response {
    json(
        status,
        error_json(status.as_u16(), code, message, Shape::Seed),
    )
}

/// Any other error: Linq's shape, with a fresh trace id.
fn error(status: StatusCode, code: u32, message: &str) -> Response {
    json(
        status,
        error_json(status.as_u16(), code, message, Shape::Traced),
    )
}

fn json(status: StatusCode, body: String) -> Response {
    (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}
