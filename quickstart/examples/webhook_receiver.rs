//! A webhook receiver for Linq's events, to copy into a service.
//!
//! ```text
//! LINQ_WEBHOOK_SECRET=whsec_… cargo run -p linq-quickstart --example webhook_receiver -- 127.0.0.1:9000
//! ```
//!
//! It verifies each delivery from its raw bytes and answers every authentic
//! one 204 at once, even one it cannot type (Linq never retries a 4xx), and
//! a forgery 401; a body it cannot read in time or within the size limit,
//! or a full queue, gets a 503, which Linq retries. Events are processed
//! afterwards. A client has `Limits::head` to send a request head and
//! `Limits::body` for the body (tower-http), and at most `max_connections`
//! are open; Ctrl-C stops accepting and gives requests a grace period.
//! Refusals are in Linq's error shape. Try it against the local server:
//! `LINQ_WEBHOOK_SECRET=whsec_… cargo run -p linq-local -- --webhook-url http://127.0.0.1:9000/linq/webhooks`.

use std::{future::Future, net::SocketAddr, process::ExitCode, sync::Arc, time::Duration};

use axum::{
    Router,
    body::Bytes,
    extract::{DefaultBodyLimit, State, rejection::BytesRejection},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    routing::post,
};
use hyper_util::{rt::TokioIo, rt::TokioTimer, service::TowerToHyperService};
use linq_partner::webhooks::{
    Confirmations, Event, EventKind, FeedOutcome, Verifier, WebhookSecret,
};
use tokio::{
    net::TcpListener,
    sync::{Semaphore, mpsc, watch},
    task::JoinSet,
};
use tower_http::timeout::RequestBodyTimeoutLayer;

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
        let (head, body, max_body_bytes) =
            (Duration::from_secs(10), Duration::from_secs(10), 1 << 20);
        Self {
            head,
            body,
            max_body_bytes,
            max_connections: 256,
            shutdown_grace: Duration::from_secs(5),
        }
    }
}

type Deliveries = (Verifier, mpsc::Sender<Event>);

/// The receiver's routes: verified events go to `queue`; every other path
/// and method is refused in Linq's error shape.
pub fn router(verifier: Verifier, queue: mpsc::Sender<Event>, limits: Limits) -> Router {
    let posted = || async {
        refusal(
            StatusCode::METHOD_NOT_ALLOWED,
            1005,
            "deliveries are POSTed",
        )
    };
    Router::new()
        .route(PATH, post(receive).fallback(posted))
        .fallback(|| async {
            refusal(
                StatusCode::NOT_FOUND,
                2001,
                "deliveries go to /linq/webhooks",
            )
        })
        .layer(DefaultBodyLimit::max(limits.max_body_bytes))
        .layer(RequestBodyTimeoutLayer::new(limits.body))
        .with_state((verifier, queue))
}

async fn receive(
    State((verifier, queue)): State<Deliveries>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    // Too slow, too large or broken off: it may still be Linq's, so the
    // answer is one Linq retries, never a 4xx.
    let body = match body {
        Ok(body) => body,
        Err(error) => return unavailable(&format!("the body could not be read: {error}")),
    };
    let event = match verifier.verify(&headers, &body) {
        Ok(event) => event,
        Err(error) => {
            eprintln!("refused a delivery: {error}");
            let message = "the delivery is not signed by Linq";
            return refusal(StatusCode::UNAUTHORIZED, 2004, message);
        }
    };
    match queue.try_send(event) {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(_) => unavailable("busy; deliver again later"),
    }
}

fn unavailable(why: &str) -> Response {
    eprintln!("answered 503: {why}");
    refusal(StatusCode::SERVICE_UNAVAILABLE, 4004, why)
}

/// An error answer in Linq's shape, with one of Linq's codes.
fn refusal(status: StatusCode, code: u32, message: &str) -> Response {
    let body = serde_json::json!({"error": {"status": status.as_u16(), "code": code, "message": message}, "success": false});
    (
        status,
        [("content-type", "application/json")],
        body.to_string(),
    )
        .into_response()
}

/// Processing, after the answer went out. Server text is logged with `{:?}`,
/// which escapes it, and cut to 200 characters.
pub async fn process(mut queue: mpsc::Receiver<Event>, confirmations: Confirmations) {
    let cut = |text: Option<&str>| text.unwrap_or("?").chars().take(200).collect::<String>();
    while let Some(event) = queue.recv().await {
        // In-process, feeding cannot fail. A shared registry (PostgreSQL)
        // is fed before answering instead, so that a database failure is a
        // 503 that Linq retries: see the `replicas` example.
        match confirmations.feed(&event).await {
            Ok(FeedOutcome::Duplicate) => continue,
            Ok(_) => {}
            Err(error) => eprintln!("not fed: {error}"),
        }
        match event.kind() {
            EventKind::ParticipantAdded(change) => println!(
                "{:?} joined chat {:?}",
                cut(change.handle()),
                cut(change.chat_id())
            ),
            EventKind::ParticipantRemoved(change) => println!(
                "{:?} left chat {:?}",
                cut(change.handle()),
                cut(change.chat_id())
            ),
            // Authentic and answered 2xx: `other.body()` is the JSON as it came.
            EventKind::Other(other) => eprintln!(
                "not handled here: {:?} ({:?})",
                cut(Some(other.event_type())),
                other.problem()
            ),
            _ => eprintln!(
                "not handled here: {:?}",
                cut(Some(event.envelope().event_type()))
            ),
        }
    }
}

/// Serves `router` on `listener` within `limits` until `shutdown`, then
/// gives requests being served the grace period. (axum's own `serve` sets
/// no time limit on a request head, nor on the number of connections.)
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: Limits,
    shutdown: impl Future<Output = ()>,
) {
    let permits = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let (mut connections, (stop, stopping)) = (JoinSet::new(), watch::channel(()));
    tokio::pin!(shutdown);
    loop {
        let accepted = tokio::select! {
            () = &mut shutdown => break,
            accepted = async { (Arc::clone(&permits).acquire_owned().await, listener.accept().await) } => accepted,
        };
        let (Ok(permit), Ok((stream, _))) = accepted else {
            tokio::time::sleep(Duration::from_millis(10)).await; // out of file descriptors: no spinning
            continue;
        };
        while connections.try_join_next().is_some() {}
        let (service, mut stopping) = (TowerToHyperService::new(router.clone()), stopping.clone());
        connections.spawn(async move {
            let _permit = permit;
            let mut http = hyper::server::conn::http1::Builder::new();
            // A day is as good as forever for a head, and cannot overflow.
            http.timer(TokioTimer::new()).header_read_timeout(limits.head.min(Duration::from_secs(86_400)));
            let connection = http.serve_connection(TokioIo::new(stream), service);
            tokio::pin!(connection);
            tokio::select! {
                _ = connection.as_mut() => {}
                _ = stopping.changed() => { connection.as_mut().graceful_shutdown(); let _ = connection.await; }
            }
        });
    }
    drop((listener, stop));
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
    let address = std::env::args().nth(1).unwrap_or("127.0.0.1:9000".into());
    let (secret, address) = match (WebhookSecret::from_env(), address.parse::<SocketAddr>()) {
        (Ok(secret), Ok(address)) => (secret, address),
        (Err(error), _) => return fail(&error.to_string()),
        (_, Err(error)) => return fail(&format!("the address: {error}")),
    };
    let listener = match TcpListener::bind(address).await {
        Ok(listener) => listener,
        Err(error) => return fail(&format!("cannot listen on {address}: {error}")),
    };
    let (queue, events) = mpsc::channel(1024);
    // In a service, keep this where the code that calls add/remove waits.
    let confirmations = Confirmations::new();
    let processing = tokio::spawn(process(events, confirmations.clone()));
    println!("receiving Linq webhooks at http://{address}{PATH}; Ctrl-C stops");
    let limits = Limits::default();
    let stopped = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    serve(
        listener,
        router(Verifier::new(secret), queue, limits),
        limits,
        stopped,
    )
    .await;
    // The router, and with it every sender, is gone: processing ends.
    let _ = tokio::time::timeout(limits.shutdown_grace, processing).await;
    ExitCode::SUCCESS
}

fn fail(message: &str) -> ExitCode {
    eprintln!("webhook_receiver: {message}");
    ExitCode::FAILURE
}
