//! The example receiver's own code, against `linq-local`: 2xx to every
//! authentic delivery (including one it cannot type), 401 only to
//! forgeries, and half-sent requests cut off by its time limits.

// The example, compiled in as a module: its `main` is not used here.
#[allow(dead_code)]
#[path = "../examples/webhook_receiver.rs"]
mod receiver;

use std::time::{Duration, Instant};

use linq_local::{Delivery, LocalServer};
use linq_partner::webhooks::{Event, EventKind, Scheme, Verifier, WebhookSecret};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::{TcpListener, TcpStream},
    sync::{mpsc, oneshot},
};

const SECRET: &str = "whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
const SOMEONE_ELSES: &str = "whsec_ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=";

const LIMITS: receiver::Limits = receiver::Limits {
    head: Duration::from_millis(300),
    body: Duration::from_millis(300),
    max_body_bytes: 64 * 1024,
    max_connections: 16,
    shutdown_grace: Duration::from_millis(200),
};

/// The example's receiver on a loopback port; its events arrive on the
/// returned queue. Dropping the sender stops it.
async fn start_receiver() -> (String, mpsc::Receiver<Event>, oneshot::Sender<()>) {
    start_receiver_within(LIMITS).await
}

/// [`start_receiver`] with other limits.
async fn start_receiver_within(
    limits: receiver::Limits,
) -> (String, mpsc::Receiver<Event>, oneshot::Sender<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap().to_string();
    let (queue, events) = mpsc::channel(64);
    let (stop, stopped) = oneshot::channel::<()>();
    let verifier = Verifier::new(WebhookSecret::new(SECRET).unwrap());
    tokio::spawn(receiver::serve(
        listener,
        receiver::router(verifier, queue, limits),
        limits,
        async {
            let _ = stopped.await;
        },
    ));
    (address, events, stop)
}

/// A local Linq delivering to the receiver, signing with `secret`.
async fn linq_to(address: &str, secret: &str) -> LocalServer {
    LocalServer::builder()
        .webhook(format!("http://{address}{}", receiver::PATH))
        .webhook_secret(secret)
        .webhook_retry_unit(Duration::from_millis(10))
        .start()
        .await
        .unwrap()
}

/// The server's record once it has `count` attempts.
async fn recorded(server: &LocalServer, count: usize) -> Vec<Delivery> {
    for _ in 0..300 {
        let deliveries = server.deliveries();
        if deliveries.len() >= count {
            return deliveries;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    server.deliveries()
}

#[tokio::test]
async fn authentic_events_it_cannot_type_are_answered_2xx() {
    let (address, mut events, _stop) = start_receiver().await;
    let server = linq_to(&address, SECRET).await;
    // A type the SDK does not type, and participant events whose bodies do
    // not fit its types; both are authentic.
    let sent = [
        server
            .send_event("message.received", serde_json::json!({"text": "hi"}))
            .unwrap(),
        server
            .send_event(
                "participant.added",
                serde_json::json!({"chat_id": 42, "participant": "not an object"}),
            )
            .unwrap(),
        server
            .send_event(
                "participant.removed",
                serde_json::json!({"chat_id": "chat_123", "removed_at": "not a time"}),
            )
            .unwrap(),
        // Lenient: no deprecated handle, a chat id that is not a UUID.
        server
            .send_event(
                "participant.removed",
                serde_json::json!({"chat_id": "chat_123", "participant": {"handle": "+12052499136"}}),
            )
            .unwrap(),
    ];
    let deliveries = recorded(&server, sent.len()).await;
    assert_eq!(deliveries.len(), sent.len(), "{deliveries:?}");
    assert!(
        deliveries.iter().all(|d| d.outcome == Ok(204)),
        "{deliveries:?}"
    );
    let mut got = Vec::new();
    for _ in &sent {
        got.push(events.recv().await.unwrap());
    }
    got.sort_by_key(|event| {
        sent.iter()
            .position(|id| Some(id.to_string().as_str()) == event.id())
    });
    for event in &got {
        assert_eq!(event.scheme(), Scheme::StandardWebhooks);
    }
    let problem = |event: &Event| match event.kind() {
        EventKind::Other(other) => other.problem().map(str::to_owned),
        _ => None,
    };
    assert!(matches!(got[0].kind(), EventKind::Other(other) if other.problem().is_none()));
    assert!(
        problem(&got[1]).is_some_and(|p| p.contains("data")),
        "{:?}",
        got[1]
    );
    assert!(
        problem(&got[2]).is_some_and(|p| p.contains("removed_at")),
        "{:?}",
        got[2]
    );
    let EventKind::ParticipantRemoved(removed) = got[3].kind() else {
        panic!("{:?}", got[3])
    };
    assert_eq!(
        (removed.chat_id(), removed.handle()),
        (Some("chat_123"), Some("+12052499136"))
    );
}

#[tokio::test]
async fn forged_deliveries_are_answered_401_once() {
    let (address, mut events, _stop) = start_receiver().await;
    let server = linq_to(&address, SOMEONE_ELSES).await;
    server
        .send_event("message.received", serde_json::json!({}))
        .unwrap();
    let deliveries = recorded(&server, 1).await;
    assert_eq!(deliveries[0].outcome, Ok(401));
    // A 401 is final: nothing is delivered again.
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(server.deliveries().len(), 1);
    assert!(events.try_recv().is_err());

    // Unsigned, or signed but tampered with, by hand.
    for headers in [
        "",
        "webhook-id: msg_1\r\nwebhook-timestamp: 1764547200\r\nwebhook-signature: v1,3UzrYdpHlYwR7w5r2eE0L2jX1FNT383TNMnxg3cwcu0=\r\n",
    ] {
        let answer = exchange(
            &address,
            &format!(
                "POST {} HTTP/1.1\r\nhost: x\r\ncontent-length: 2\r\n{headers}\r\n{{}}",
                receiver::PATH
            ),
        )
        .await;
        assert!(answer.starts_with("HTTP/1.1 401"), "{answer}");
    }
}

/// Sends `request`, reads until the receiver closes; gives the answer.
async fn exchange(address: &str, request: &str) -> String {
    let mut stream = TcpStream::connect(address).await.unwrap();
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    let mut chunk = [0u8; 1024];
    loop {
        match tokio::time::timeout(Duration::from_secs(5), stream.read(&mut chunk)).await {
            Ok(Ok(0)) | Ok(Err(_)) | Err(_) => break,
            Ok(Ok(n)) => {
                answer.extend_from_slice(&chunk[..n]);
                if answer.windows(4).any(|w| w == b"\r\n\r\n") {
                    break;
                }
            }
        }
    }
    String::from_utf8_lossy(&answer).into_owned()
}

#[tokio::test]
async fn half_sent_requests_are_cut_off_by_the_time_limits() {
    let (address, _events, _stop) = start_receiver().await;

    // Half a head: the connection is closed after the head limit.
    let started = Instant::now();
    let mut stream = TcpStream::connect(&address).await.unwrap();
    stream
        .write_all(format!("POST {} HTTP/1.1\r\nhost: x\r\n", receiver::PATH).as_bytes())
        .await
        .unwrap();
    let mut rest = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut rest)).await;
    assert!(read.is_ok(), "the connection was not cut off");
    let took = started.elapsed();
    assert!(
        took >= LIMITS.head && took < LIMITS.head + Duration::from_secs(2),
        "{took:?}"
    );

    // A whole head and half the body: answered 503 (which Linq retries,
    // since the delivery may be Linq's) after the body limit.
    let started = Instant::now();
    let answer = exchange(
        &address,
        &format!(
            "POST {} HTTP/1.1\r\nhost: x\r\ncontent-length: 100\r\n\r\n{{\"event",
            receiver::PATH
        ),
    )
    .await;
    let took = started.elapsed();
    assert!(answer.starts_with("HTTP/1.1 503"), "{answer}");
    assert!(
        took >= LIMITS.body && took < LIMITS.body + Duration::from_secs(2),
        "{took:?}"
    );

    // A normal request is still served at once.
    let answer = exchange(
        &address,
        &format!(
            "POST {} HTTP/1.1\r\nhost: x\r\ncontent-length: 2\r\n\r\n{{}}",
            receiver::PATH
        ),
    )
    .await;
    assert!(answer.starts_with("HTTP/1.1 401"), "{answer}");
}

#[tokio::test]
async fn it_stops_when_told() {
    let (address, _events, stop) = start_receiver().await;
    stop.send(()).unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(TcpStream::connect(&address).await.is_err());
}

/// Sends `request` (which asks to close), reads the whole answer.
async fn whole_answer(address: &str, request: &str) -> String {
    let mut stream = TcpStream::connect(address).await.unwrap();
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut answer));
    assert!(read.await.is_ok(), "the receiver did not close");
    String::from_utf8_lossy(&answer).into_owned()
}

#[tokio::test]
async fn every_refusal_is_in_linqs_error_shape() {
    let (address, _events, _stop) = start_receiver().await;
    for (request, status, code) in [
        (format!("POST {} HTTP/1.1\r\nhost: x\r\nconnection: close\r\ncontent-length: 2\r\n\r\n{{}}", receiver::PATH), 401, 2004),
        (format!("GET {} HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n", receiver::PATH), 405, 1005),
        ("POST /elsewhere HTTP/1.1\r\nhost: x\r\nconnection: close\r\ncontent-length: 2\r\n\r\n{}".to_owned(), 404, 2001),
        (format!("POST {} HTTP/1.1\r\nhost: x\r\nconnection: close\r\ncontent-length: {}\r\n\r\n{}", receiver::PATH, 70 * 1024, "x".repeat(70 * 1024)), 503, 4004),
    ] {
        let answer = whole_answer(&address, &request).await;
        assert!(answer.starts_with(&format!("HTTP/1.1 {status}")), "{answer}");
        assert!(answer.contains("content-type: application/json"), "{answer}");
        let body = answer.split("\r\n\r\n").nth(1).unwrap_or_default();
        let body: serde_json::Value = serde_json::from_str(body).expect(&answer);
        assert_eq!(body["error"]["status"], status, "{answer}");
        assert_eq!(body["error"]["code"], code, "{answer}");
        assert!(body["error"]["message"].is_string(), "{answer}");
    }
}

#[tokio::test]
async fn stopping_closes_idle_connections_at_once() {
    // Long enough that neither the head limit nor the grace period is what
    // closes the idle connection.
    let limits = receiver::Limits {
        head: Duration::from_secs(10),
        shutdown_grace: Duration::from_secs(3),
        ..LIMITS
    };
    let (address, _events, stop) = start_receiver_within(limits).await;
    // A kept-alive connection, idle after one answer.
    let mut stream = TcpStream::connect(&address).await.unwrap();
    let request = format!(
        "POST {} HTTP/1.1\r\nhost: x\r\ncontent-length: 2\r\n\r\n{{}}",
        receiver::PATH
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut chunk = [0u8; 4096];
    let read = stream.read(&mut chunk).await.unwrap();
    assert!(chunk[..read].starts_with(b"HTTP/1.1 401"));

    // The idle connection is closed at once, not at the end of the 3 s
    // grace period.
    let started = Instant::now();
    stop.send(()).unwrap();
    let mut rest = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut rest)).await;
    assert!(read.is_ok(), "the idle connection stayed open");
    assert!(rest.is_empty(), "{}", String::from_utf8_lossy(&rest));
    assert!(
        started.elapsed() < Duration::from_millis(1500),
        "{:?}",
        started.elapsed()
    );
}
