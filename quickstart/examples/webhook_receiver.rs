//! A webhook receiver for Linq's participant events, to copy into a service.
//!
//! ```text
//! LINQ_API_V3_WEBHOOK_SECRET=whsec_… cargo run -p linq-quickstart --example webhook_receiver -- 127.0.0.1:9000
//! ```
//!
//! What it does, as Linq asks of receivers:
//! - verifies each delivery from the raw body bytes (never re-serialized
//!   JSON), with the signature and a five-minute replay window;
//! - answers at once (204) and processes afterwards, on a task fed by a
//!   bounded queue: a slow handler must not make Linq time out (10 s) and
//!   deliver again;
//! - answers 503 when the queue is full, so that Linq retries later;
//! - feeds `Confirmations`, which drops repeated deliveries of one event
//!   (`event_id`) and wakes whoever waits for the change.
//!
//! Try it against the local server:
//! `LINQ_LOCAL_WEBHOOK_SECRET=whsec_… cargo run -p linq-local -- --webhook-url http://127.0.0.1:9000/linq/webhooks`.

use std::{net::SocketAddr, process::ExitCode};

use axum::{
    Router,
    body::Bytes,
    extract::State,
    http::{HeaderMap, StatusCode},
    routing::post,
};
use linq_partner::webhooks::{Confirmations, Event, EventKind, Fed, Verifier, WebhookSecret};
use tokio::sync::mpsc;

#[derive(Clone)]
struct App {
    verifier: Verifier,
    queue: mpsc::Sender<Event>,
}

async fn receive(State(app): State<App>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let event = match app.verifier.verify(&headers, &body) {
        Ok(event) => event,
        Err(error) => {
            eprintln!("refused a delivery: {error}");
            return StatusCode::UNAUTHORIZED;
        }
    };
    match app.queue.try_send(event) {
        Ok(()) => StatusCode::NO_CONTENT,
        // Full: Linq retries 5xx answers on its schedule.
        Err(_) => StatusCode::SERVICE_UNAVAILABLE,
    }
}

/// Processing, after the answer went out.
async fn process(mut queue: mpsc::Receiver<Event>, confirmations: Confirmations) {
    while let Some(event) = queue.recv().await {
        if confirmations.feed(&event) == Fed::Duplicate {
            continue;
        }
        match event.kind() {
            EventKind::ParticipantAdded(added) => {
                println!("{} joined chat {:?}", added.handle(), added.chat_id())
            }
            EventKind::ParticipantRemoved(removed) => {
                println!("{} left chat {:?}", removed.handle(), removed.chat_id())
            }
            _ => println!("{} (not handled here)", event.envelope().event_type()),
        }
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
    tokio::spawn(process(events, confirmations.clone()));
    let app = Router::new()
        .route("/linq/webhooks", post(receive))
        .with_state(App {
            verifier: Verifier::new(secret),
            queue,
        });
    let listener = match tokio::net::TcpListener::bind(address).await {
        Ok(listener) => listener,
        Err(error) => {
            eprintln!("webhook_receiver: cannot listen on {address}: {error}");
            return ExitCode::FAILURE;
        }
    };
    println!("receiving Linq webhooks at http://{address}/linq/webhooks");
    match axum::serve(listener, app).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("webhook_receiver: {error}");
            ExitCode::FAILURE
        }
    }
}
