//! A webhook receiver for Linq's events, to copy into a service.
//!
//! ```text
//! LINQ_WEBHOOK_SECRET=whsec_… cargo run -p linq-quickstart --example webhook_receiver -- 127.0.0.1:9000
//! ```
//!
//! What it does, as Linq asks of receivers:
//! - verifies each delivery from the raw body bytes (never re-serialized
//!   JSON): the Standard Webhooks signature, or the deprecated
//!   `X-Webhook-Signature` when a delivery has no Standard Webhooks header,
//!   and a five-minute replay window;
//! - answers every authentic delivery 2xx, including one it cannot type (a
//!   type it does not handle, a body that does not fit the SDK's types):
//!   Linq never retries a 4xx, so a 4xx would lose the event for good. That
//!   event is logged with the reason. Only a delivery not shown to come from
//!   Linq gets a 401;
//! - answers at once (204) and processes afterwards, on a task fed by a
//!   bounded queue: a slow handler must not make Linq time out (10 s) and
//!   deliver again. A full queue, a body that does not arrive in time or
//!   is too large are answered 503, so that Linq retries later;
//! - bounds what a client can hold: 10 s to send a request head, 10 s to
//!   send the body, 1 MiB of body, 256 connections at once; on Ctrl-C it
//!   stops accepting, closes idle connections, and requests being served
//!   get 5 s to finish;
//! - refuses in Linq's error shape (`{"error": {"status", "code",
//!   "message"}, "success": false}`), other paths and methods included;
//! - feeds `Confirmations`, which drops repeated deliveries of one event
//!   (the `webhook-id`) and wakes whoever waits for the change.
//!
//! Try it against the local server, with the same secret on both sides:
//! `LINQ_WEBHOOK_SECRET=whsec_… cargo run -p linq-local -- --webhook-url http://127.0.0.1:9000/linq/webhooks`.

use std::{future::Future, net::SocketAddr, process::ExitCode, sync::Arc, time::Duration};

use axum::{
    Router,
    body::Body,
    extract::State,
    http::{HeaderMap, StatusCode, header::CONTENT_TYPE},
    response::{IntoResponse, Response},
    routing::post,
};
use hyper_util::{
    rt::{TokioIo, TokioTimer},
    service::TowerToHyperService,
};
use linq_partner::webhooks::{
    Confirmations, Event, EventKind, FeedOutcome, Verifier, VerifyError, WebhookSecret,
};
use tokio::{
    net::TcpListener,
    sync::{Semaphore, mpsc, watch},
    task::JoinSet,
};

/// The path Linq delivers to.
pub const PATH: &str = "/linq/webhooks";

/// What a client may hold of the receiver.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Time to send a request head; the connection is then closed.
    pub head: Duration,
    /// Time to send a request body; the answer is then 503.
    pub body: Duration,
    /// The largest body read; a larger one is answered 503.
    pub max_body_bytes: usize,
    /// Connections open at once; more wait to be accepted.
    pub max_connections: usize,
    /// Time requests being served get at shutdown.
    pub shutdown_grace: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            head: Duration::from_secs(10),
            body: Duration::from_secs(10),
            max_body_bytes: 1024 * 1024,
            max_connections: 256,
            shutdown_grace: Duration::from_secs(5),
        }
    }
}

#[derive(Clone)]
struct App {
    verifier: Verifier,
    queue: mpsc::Sender<Event>,
    limits: Limits,
}

/// The receiver's routes: verified events go to `queue`. Every other path
/// and method is refused in Linq's error shape.
pub fn router(verifier: Verifier, queue: mpsc::Sender<Event>, limits: Limits) -> Router {
    let deliveries = post(receive).fallback(|| async {
        refusal(
            StatusCode::METHOD_NOT_ALLOWED,
            1005,
            "deliveries are POSTed",
        )
    });
    Router::new()
        .route(PATH, deliveries)
        .fallback(|| async {
            refusal(
                StatusCode::NOT_FOUND,
                2001,
                "deliveries go to /linq/webhooks",
            )
        })
        .with_state(App {
            verifier,
            queue,
            limits,
        })
}

/// An error answer in Linq's shape, with one of Linq's codes.
fn refusal(status: StatusCode, code: u32, message: &str) -> Response {
    let body = serde_json::json!({
        "error": {"status": status.as_u16(), "code": code, "message": message},
        "success": false,
    });
    (
        status,
        [(CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}

/// Not read, or not taken: Linq retries a 503 later.
fn unavailable(message: &str) -> Response {
    refusal(StatusCode::SERVICE_UNAVAILABLE, 4004, message)
}

async fn receive(State(app): State<App>, headers: HeaderMap, body: Body) -> Response {
    // A body that is slow, broken off or too large cannot be verified; it
    // may still be Linq's, so the answer is one Linq retries (503), never a
    // 4xx, which it would not.
    let read = axum::body::to_bytes(body, app.limits.max_body_bytes);
    let body = match tokio::time::timeout(app.limits.body, read).await {
        Ok(Ok(body)) => body,
        Ok(Err(error)) => {
            eprintln!("a delivery's body could not be read ({error}): answered 503");
            return unavailable("the body could not be read");
        }
        Err(_) => {
            eprintln!(
                "a delivery's body did not arrive within {:?}: answered 503",
                app.limits.body
            );
            return unavailable("the body did not arrive in time");
        }
    };
    let event = match app.verifier.verify(&headers, &body) {
        Ok(event) => event,
        Err(error) => return refused(&error),
    };
    match app.queue.try_send(event) {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        // Full, or processing has stopped: Linq retries 5xx answers later.
        Err(_) => unavailable("busy; deliver again later"),
    }
}

/// Not shown to come from Linq: a forgery, a replay, or the wrong secret.
fn refused(error: &VerifyError) -> Response {
    eprintln!("refused a delivery: {error}");
    refusal(
        StatusCode::UNAUTHORIZED,
        2004,
        "the delivery is not signed by Linq",
    )
}

/// Text from a delivery, safe for a log line: escaped, at most 200
/// characters.
fn shown(text: &str) -> String {
    let mut shown: String = text
        .chars()
        .take(200)
        .flat_map(char::escape_debug)
        .collect();
    if text.chars().nth(200).is_some() {
        shown.push('…');
    }
    shown
}

/// Processing, after the answer went out.
pub async fn process(mut queue: mpsc::Receiver<Event>, confirmations: Confirmations) {
    while let Some(event) = queue.recv().await {
        if confirmations.feed(&event) == FeedOutcome::Duplicate {
            continue;
        }
        match event.kind() {
            EventKind::ParticipantAdded(added) => println!(
                "{} joined chat {}",
                shown(added.handle().unwrap_or("someone")),
                shown(added.chat_id().unwrap_or("?"))
            ),
            EventKind::ParticipantRemoved(removed) => println!(
                "{} left chat {}",
                shown(removed.handle().unwrap_or("someone")),
                shown(removed.chat_id().unwrap_or("?"))
            ),
            EventKind::Other(other) => match other.problem() {
                // Authentic, answered 2xx, and kept here as it arrived:
                // `other.body()` is the JSON to store or look into.
                Some(problem) => eprintln!(
                    "could not type a {:?} event ({}): {problem}",
                    shown(other.event_type()),
                    shown(event.id().unwrap_or("no id"))
                ),
                None => println!("{} (not handled here)", shown(other.event_type())),
            },
            _ => println!(
                "{} (not handled here)",
                shown(event.envelope().event_type())
            ),
        }
    }
}

/// Serves `router` on `listener` within `limits` until `shutdown` completes,
/// then gives requests being served the grace period.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: Limits,
    shutdown: impl Future<Output = ()>,
) {
    let permits = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let mut connections = JoinSet::new();
    // Tells open connections to finish the request in flight and close.
    let (stop, stopping) = watch::channel(false);
    tokio::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            permit = Arc::clone(&permits).acquire_owned() => match permit {
                Ok(permit) => permit,
                Err(_) => break,
            },
            () = &mut shutdown => break,
        };
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                // Out of file descriptors, or a connection reset while
                // queued: wait a moment rather than spin.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        // Finished connections leave the set as they go.
        while connections.try_join_next().is_some() {}
        let service = TowerToHyperService::new(router.clone());
        let mut stopping = stopping.clone();
        connections.spawn(async move {
            let _permit = permit;
            let mut http = hyper::server::conn::http1::Builder::new();
            // hyper adds the timeout to the current instant unchecked: a day
            // is as good as forever, and cannot overflow.
            http.timer(TokioTimer::new())
                .header_read_timeout(limits.head.min(Duration::from_secs(24 * 3600)))
                .max_headers(64);
            let connection = http.serve_connection(TokioIo::new(stream), service);
            tokio::pin!(connection);
            tokio::select! {
                _ = connection.as_mut() => {}
                _ = stopping.changed() => {
                    connection.as_mut().graceful_shutdown();
                    let _ = connection.await;
                }
            }
        });
    }
    drop(listener);
    let _ = stop.send(true);
    let finished = async { while connections.join_next().await.is_some() {} };
    if tokio::time::timeout(limits.shutdown_grace, finished)
        .await
        .is_err()
    {
        connections.abort_all();
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let secret = match WebhookSecret::from_env() {
        Ok(secret) => secret,
        Err(error) => {
            eprintln!("webhook_receiver: {error}");
            return ExitCode::FAILURE;
        }
    };
    let address: SocketAddr = match std::env::args()
        .nth(1)
        .unwrap_or("127.0.0.1:9000".into())
        .parse()
    {
        Ok(address) => address,
        Err(error) => {
            eprintln!("webhook_receiver: the address: {error}");
            return ExitCode::FAILURE;
        }
    };
    let (queue, events) = mpsc::channel(1024);
    // In a service, keep this handle where the code that calls add/remove
    // can wait on it.
    let confirmations = Confirmations::new();
    let processing = tokio::spawn(process(events, confirmations.clone()));
    let listener = match TcpListener::bind(address).await {
        Ok(listener) => listener,
        Err(error) => {
            eprintln!("webhook_receiver: cannot listen on {address}: {error}");
            return ExitCode::FAILURE;
        }
    };
    println!("receiving Linq webhooks at http://{address}{PATH}; Ctrl-C stops");
    let limits = Limits::default();
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
        println!("stopping: requests being served may finish");
    };
    serve(
        listener,
        router(Verifier::new(secret), queue, limits),
        limits,
        shutdown,
    )
    .await;
    // Every sender is gone with the router: processing ends with the queue.
    let _ = tokio::time::timeout(limits.shutdown_grace, processing).await;
    ExitCode::SUCCESS
}
