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
    Client, ParticipantChange,
    webhooks::{Confirmations, EventKind, FeedOutcome, Scheme, Verifier, WebhookSecret},
};

const SECRET: &str = "whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
const SOMEONE_ELSES: &str = "whsec_ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=";

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
    fed: Arc<Mutex<Vec<Result<FeedOutcome, String>>>>,
    /// Every request as it arrived.
    requests: Arc<Mutex<Vec<(HeaderMap, Bytes)>>>,
}

async fn receive(State(receiver): State<Receiver>, headers: HeaderMap, body: Bytes) -> StatusCode {
    receiver
        .requests
        .lock()
        .unwrap()
        .push((headers.clone(), body.clone()));
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
    let fed = receiver.confirmations.feed(&event).await.unwrap();
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
        requests: Arc::default(),
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
        .webhook(url)
        .webhook_secret(signing_secret)
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
) -> Result<linq_partner::webhooks::Event, linq_partner::Error> {
    let expected = receiver.confirmations.expect(&removal()).await.unwrap();
    client
        .chats()
        .participants()
        .remove(demo::GROUP, "+442071234567")
        .await
        .unwrap();
    expected.wait(timeout).await
}

fn removal() -> ParticipantChange {
    ParticipantChange::removal(demo::GROUP.into(), "+442071234567".parse().unwrap())
}

#[tokio::test]
async fn additions_and_removals_are_confirmed() {
    let (receiver, server, client) = setup(SECRET, SECRET).await;
    let participants = client.chats().participants();

    // Registered, sent and confirmed in one step.
    let confirmed = participants
        .add(demo::GROUP, "+14155550199")
        .confirmed_by(&receiver.confirmations, Duration::from_secs(5))
        .await
        .unwrap();
    // Linq's answer and the event, from one call.
    assert!(confirmed.queued().is_some_and(|q| q.trace_id().is_some()));
    let event = confirmed.by();
    let EventKind::ParticipantAdded(data) = event.kind() else {
        panic!("{event:?}")
    };
    assert_eq!(data.handle(), Some("+14155550199"));
    assert_eq!(
        data.participant().and_then(|p| p.status()),
        Some(&linq_partner::ParticipantStatus::Active)
    );
    assert_eq!(event.envelope().webhook_version(), Some("2026-02-03"));

    let sent_at = std::time::Instant::now();
    participants
        .remove(demo::GROUP, "+442071234567")
        .await
        .unwrap();
    // The event may arrive before anyone waits: it is kept for a wait on a
    // change sent before it arrived.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let event = receiver
        .confirmations
        .expect_sent(&removal(), sent_at)
        .await
        .unwrap()
        .wait(Duration::from_secs(5))
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
    let (receiver, server, client) = setup(SECRET, SOMEONE_ELSES).await;
    let error = remove_and_confirm(&receiver, &client, Duration::from_millis(500))
        .await
        .unwrap_err();
    let linq_partner::ErrorKind::NotConfirmed(waited) = error.kind() else {
        panic!("{error:?}")
    };
    assert_eq!(waited.within(), Duration::from_millis(500));
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
        vec![Ok(FeedOutcome::Delivered), Ok(FeedOutcome::Duplicate)]
    );
}

/// What linq-local sends carries both header sets, and each verifies on its
/// own: the Standard Webhooks headers first, the deprecated ones without
/// them. Retries of one event share the `webhook-id`.
#[tokio::test]
async fn every_delivery_carries_both_header_sets_and_both_verify() {
    let (receiver, server, client) = setup(SECRET, SECRET).await;
    receiver.refuse_first.store(1, Ordering::SeqCst);
    remove_and_confirm(&receiver, &client, Duration::from_secs(5))
        .await
        .unwrap();
    let event_id = server
        .send_event("message.received", serde_json::json!({"text": "hi"}))
        .unwrap();
    recorded(&server, 3).await;
    let requests = receiver.requests.lock().unwrap().clone();
    assert_eq!(
        requests.len(),
        3,
        "a refused attempt, its retry, and the message"
    );
    let verifier = Verifier::new(WebhookSecret::new(SECRET).unwrap());
    let standard = ["webhook-id", "webhook-timestamp", "webhook-signature"];
    let deprecated = [
        "x-webhook-signature",
        "x-webhook-timestamp",
        "x-webhook-event",
        "x-webhook-subscription-id",
    ];
    let mut ids = Vec::new();
    for (headers, body) in &requests {
        for name in standard.iter().chain(&deprecated) {
            assert!(headers.contains_key(*name), "{name} missing: {headers:?}");
        }
        let event = verifier.verify(headers, body).unwrap();
        assert_eq!(event.scheme(), Scheme::StandardWebhooks);
        ids.push(event.id().unwrap().to_owned());

        let mut only_deprecated = headers.clone();
        for name in standard {
            only_deprecated.remove(name);
        }
        let event = verifier.verify(&only_deprecated, body).unwrap();
        assert_eq!(event.scheme(), Scheme::XWebhook);
        assert_eq!(Some(ids.last().unwrap().as_str()), event.id());
    }
    assert_eq!(ids[0], ids[1], "a retry keeps the webhook-id");
    assert_eq!(ids[2], event_id.to_string());
    let message = verifier.verify(&requests[2].0, &requests[2].1).unwrap();
    let EventKind::Other(other) = message.kind() else {
        panic!("{message:?}")
    };
    assert_eq!(
        (other.event_type(), other.problem()),
        ("message.received", None)
    );
}

/// A user's sequence: add X, remove X, then add X with a wait. The kept
/// events of the first two changes must not confirm the third.
#[tokio::test]
async fn a_kept_event_of_an_earlier_change_never_confirms_a_later_one() {
    let (receiver, server, client) = setup(SECRET, SECRET).await;
    let participants = client.chats().participants();
    let handle = "+14155550177";
    let settle = || tokio::time::sleep(Duration::from_millis(400));

    participants.add(demo::GROUP, handle).await.unwrap();
    settle().await; // applied; its participant.added is fed and kept
    participants.remove(demo::GROUP, handle).await.unwrap();
    settle().await;
    let fed_before = receiver.fed.lock().unwrap().len();
    assert!(
        fed_before >= 2,
        "both events arrived before the third change"
    );

    let started = std::time::Instant::now();
    let confirmed = participants
        .add(demo::GROUP, handle)
        .confirmed_by(&receiver.confirmations, Duration::from_secs(5))
        .await
        .unwrap();
    // linq-local applies a change 50 ms after it is queued: a kept event
    // would have confirmed it at once.
    assert!(
        started.elapsed() >= Duration::from_millis(50),
        "{:?}",
        started.elapsed()
    );
    let EventKind::ParticipantAdded(data) = confirmed.by().kind() else {
        panic!("{:?}", confirmed.by())
    };
    assert_eq!(data.handle(), Some(handle));
    assert!(receiver.fed.lock().unwrap().len() > fed_before);
    let chat = server.chat(demo::GROUP).unwrap();
    assert!(chat.active_handles().contains(&handle));
}
