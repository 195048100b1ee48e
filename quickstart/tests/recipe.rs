//! An application's own test against `linq-local`: its webhook endpoint
//! receives the signed event that confirms a change, a forgery is refused,
//! and injected failures are retried without waiting.

use std::time::Duration;

use axum::{
    Router,
    body::Bytes,
    extract::{State, rejection::BytesRejection},
    http::{HeaderMap, StatusCode},
    routing::post,
};
use linq_local::{LocalServer, demo};
use linq_partner::{
    Client,
    webhooks::{Confirmations, Verifier, WebhookSecret},
};

const SECRET: &str = "whsec_cmVjaXBlIHNlY3JldCBmb3IgdGVzdHM=";

/// The application's webhook endpoint: verified events go to the waiting
/// callers and are answered 2xx at once; forgeries get 401. A body it could
/// not read may still be Linq's: 503, which Linq retries.
async fn webhook(
    State((verifier, confirmations)): State<(Verifier, Confirmations)>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> StatusCode {
    let Ok(body) = body else {
        return StatusCode::SERVICE_UNAVAILABLE;
    };
    match verifier.verify(&headers, &body) {
        // Answered 2xx once fed; 503 (retried by Linq) when the registry
        // could not take it.
        Ok(event) => match confirmations.feed(&event).await {
            Ok(_) => StatusCode::NO_CONTENT,
            Err(_) => StatusCode::SERVICE_UNAVAILABLE,
        },
        Err(_) => StatusCode::UNAUTHORIZED,
    }
}

#[tokio::test]
async fn changes_are_confirmed_and_failures_retried() -> Result<(), Box<dyn std::error::Error>> {
    // The application's receiver, on a free port.
    let confirmations = Confirmations::new();
    let verifier = Verifier::new(WebhookSecret::new(SECRET)?);
    let app = Router::new()
        .route("/hooks", post(webhook))
        .with_state((verifier, confirmations.clone()));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let hooks = format!("http://{}/hooks", listener.local_addr()?);
    tokio::spawn(async move { axum::serve(listener, app).await });

    // Linq, locally, announcing every change to the receiver.
    let server = LocalServer::builder()
        .webhook(hooks)
        .webhook_secret(SECRET)
        .start()
        .await?;
    let client = Client::builder()
        .api_key(server.token())
        .base_url(server.url())
        .retry_backoff(Duration::ZERO) // retries in tests need not wait
        .build()?;
    let participants = client.chats().participants();

    // A removal, confirmed by its webhook event.
    let confirmed = participants
        .remove(demo::GROUP, "+442071234567")
        .confirmed_by(&confirmations, Duration::from_secs(10))
        .await?;
    assert_eq!(
        confirmed.by().envelope().event_type(),
        "participant.removed"
    );
    let chat = server.chat(demo::GROUP).expect("a demo chat");
    assert!(!chat.active_handles().contains(&"+442071234567"));

    // Two injected failures: the call retries through them at once.
    server.fail_next(2, 503)?;
    participants.add(demo::GROUP, "+14155550199").await?;

    // Every delivery was answered 2xx by the receiver.
    assert!(server.deliveries().iter().all(|d| d.outcome == Ok(204)));
    Ok(())
}
