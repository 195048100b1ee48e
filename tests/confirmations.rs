//! Queued changes confirmed end to end: `linq-local` delivers signed events
//! to a receiver in this process, which verifies them and feeds
//! `Confirmations`, where the caller waits.
#![cfg(feature = "webhooks")]

use std::{
    sync::{
        Arc, Mutex,
        atomic::{AtomicU32, Ordering},
    },
    time::Duration,
};

use axum::{Router, body::Bytes, extract::State, http::HeaderMap, http::StatusCode, routing::post};
use linq_local::{LocalServer, demo};
use linq_partner::{
    Client,
    webhooks::{Change, ConfirmError, Confirmations, EventKind, Fed, Verifier, WebhookSecret},
};

const SECRET: &str = "whsec_end_to_end";

/// What the receiver does with each delivery.
#[derive(Clone)]
struct Receiver {
    verifier: Verifier,
    confirmations: Confirmations,
    /// Answer 503 to this many deliveries before looking at them.
    refuse_first: Arc<AtomicU32>,
    /// Answer 500 to this many deliveries after feeding them (as if the
    /// handler crashed after processing), so that Linq delivers again.
    fail_after_feeding: Arc<AtomicU32>,
    fed: Arc<Mutex<Vec<Result<Fed, String>>>>,
}

async fn receive(State(receiver): State<Receiver>, headers: HeaderMap, body: Bytes) -> StatusCode {
    if receiver
        .refuse_first
        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
        .is_ok()
    {
        return StatusCode::SERVICE_UNAVAILABLE;
    }
    let event = match receiver.verifier.verify(&headers, &body) {
        Ok(event) => event,
        Err(error) => {
            receiver.fed.lock().unwrap().push(Err(error.to_string()));
            return StatusCode::UNAUTHORIZED;
        }
    };
    let fed = receiver.confirmations.feed(&event);
    receiver.fed.lock().unwrap().push(Ok(fed));
    if receiver
        .fail_after_feeding
        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
        .is_ok()
    {
        return StatusCode::INTERNAL_SERVER_ERROR;
    }
    StatusCode::NO_CONTENT
}

/// A receiver on a loopback port, a local Linq that delivers to it signed
/// with `signing_secret`, and an SDK client.
async fn setup(receiver_secret: &str, signing_secret: &str) -> (Receiver, LocalServer, Client) {
    let receiver = Receiver {
        verifier: Verifier::new(WebhookSecret::new(receiver_secret).unwrap()),
        confirmations: Confirmations::new(),
        refuse_first: Arc::default(),
        fail_after_feeding: Arc::default(),
        fed: Arc::default(),
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/linq/webhooks", listener.local_addr().unwrap());
    let app = Router::new()
        .route("/linq/webhooks", post(receive))
        .with_state(receiver.clone());
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    let server = LocalServer::builder()
        .webhook(url, signing_secret)
        .webhook_retry_unit(Duration::from_millis(10))
        .apply_delay(Duration::from_millis(50))
        .start()
        .await
        .unwrap();
    let client = Client::builder()
        .api_key(server.token())
        .base_url(server.url())
        .build()
        .unwrap();
    (receiver, server, client)
}

/// The server's delivery record once it has `count` attempts (the receiver
/// may see an attempt before the server has written it down).
async fn recorded(server: &LocalServer, count: usize) -> Vec<linq_local::Delivery> {
    for _ in 0..200 {
        let deliveries = server.deliveries();
        if deliveries.len() >= count {
            return deliveries;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    server.deliveries()
}

/// Removes +442071234567 from the demo group, waiting up to `timeout` for
/// the confirming event (the wait starts before the call).
async fn remove_and_confirm(
    receiver: &Receiver,
    client: &Client,
    timeout: Duration,
) -> Result<linq_partner::webhooks::Event, ConfirmError> {
    let confirmed = receiver.confirmations.wait(
        Change::removed(demo::GROUP, "+442071234567").unwrap(),
        timeout,
    );
    client
        .chats()
        .participants()
        .remove(demo::GROUP, "+442071234567")
        .await
        .unwrap();
    confirmed.await
}

#[tokio::test]
async fn additions_and_removals_are_confirmed() {
    let (receiver, server, client) = setup(SECRET, SECRET).await;
    let participants = client.chats().participants();

    let added = receiver.confirmations.wait(
        Change::added(demo::GROUP, "+14155550199").unwrap(),
        Duration::from_secs(5),
    );
    participants.add(demo::GROUP, "+14155550199").await.unwrap();
    let event = added.await.unwrap();
    let EventKind::ParticipantAdded(data) = event.kind() else {
        panic!("{event:?}")
    };
    assert_eq!(data.handle(), "+14155550199");
    assert_eq!(data.participant().and_then(|p| p.status()), Some("active"));
    assert_eq!(event.envelope().webhook_version(), Some("2026-02-03"));

    participants
        .remove(demo::GROUP, "+442071234567")
        .await
        .unwrap();
    // The event may arrive before anyone waits: it is kept.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let event = receiver
        .confirmations
        .wait(
            Change::removed(demo::GROUP, "+442071234567").unwrap(),
            Duration::from_secs(5),
        )
        .await
        .unwrap();
    assert!(matches!(event.kind(), EventKind::ParticipantRemoved(_)));
    let deliveries = recorded(&server, 2).await;
    assert!(deliveries.iter().all(|d| d.outcome == Ok(204)));
}

#[tokio::test]
async fn a_receiver_failing_twice_still_confirms() {
    let (receiver, server, client) = setup(SECRET, SECRET).await;
    receiver.refuse_first.store(2, Ordering::SeqCst);
    remove_and_confirm(&receiver, &client, Duration::from_secs(5))
        .await
        .unwrap();
    let attempts: Vec<_> = recorded(&server, 3)
        .await
        .into_iter()
        .map(|d| (d.attempt, d.outcome))
        .collect();
    assert_eq!(attempts, vec![(1, Ok(503)), (2, Ok(503)), (3, Ok(204))]);
}

#[tokio::test]
async fn the_wrong_secret_rejects_every_delivery() {
    let (receiver, server, client) = setup(SECRET, "whsec_someone_else").await;
    assert_eq!(
        remove_and_confirm(&receiver, &client, Duration::from_millis(500)).await,
        Err(ConfirmError::Timeout(Duration::from_millis(500)))
    );
    let fed = receiver.fed.lock().unwrap().clone();
    assert!(!fed.is_empty());
    assert!(
        fed.iter()
            .all(|f| matches!(f, Err(e) if e.contains("signature does not match"))),
        "{fed:?}"
    );
    // A 401 is a permanent failure: Linq does not retry it.
    assert_eq!(recorded(&server, 1).await.len(), 1);
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(server.deliveries().len(), 1);
}

#[tokio::test]
async fn a_repeated_delivery_confirms_once() {
    let (receiver, server, client) = setup(SECRET, SECRET).await;
    receiver.fail_after_feeding.store(1, Ordering::SeqCst);
    remove_and_confirm(&receiver, &client, Duration::from_secs(5))
        .await
        .unwrap();
    // The retry the 500 caused.
    let deliveries = recorded(&server, 2).await;
    assert_eq!(deliveries.len(), 2);
    assert_eq!(deliveries[0].event_id, deliveries[1].event_id);
    assert_eq!(
        receiver.fed.lock().unwrap().clone(),
        vec![Ok(Fed::Delivered), Ok(Fed::Duplicate)]
    );
}
