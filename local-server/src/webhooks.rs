//! Webhook deliveries, as Linq makes them today: when a queued change
//! applies, a `participant.added` or `participant.removed` is POSTed to the
//! target, signed with both header sets (Standard Webhooks and the
//! deprecated `X-Webhook-*`), retried on Linq's current schedule, and every
//! attempt recorded.
//!
//! Written independently of the SDK's verifier, so that each checks the other.

use std::{
    sync::atomic::{AtomicUsize, Ordering},
    sync::{Arc, Mutex},
    time::{Duration, SystemTime, UNIX_EPOCH},
};

use base64::{
    Engine,
    engine::general_purpose::{STANDARD, STANDARD_PAD_INDIFFERENT},
};
use hmac::{Hmac, Mac};
use serde::Serialize;
use sha2::Sha256;
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
    sync::watch,
};
use uuid::Uuid;

use crate::{answers::trace_id, state::HandleView};

/// The waits between attempts, in retry units (seconds for Linq). Linq
/// documents up to 10 retries over about 25 minutes without publishing each
/// wait; these double from 5 s to a 5 min cap: 1,515 s in all, 11 attempts.
pub(crate) const SCHEDULE: [u32; 10] = [5, 10, 20, 40, 80, 160, 300, 300, 300, 300];
/// How long a receiver has to answer, in retry units (Linq: 10 s).
const ANSWER_WITHIN: u32 = 10;
/// How many delivery attempts are remembered.
const MAX_RECORDED: usize = 10_000;
/// How many deliveries may be pending at once (each lives until it is
/// answered or its schedule ends, up to about 25 minutes): beyond this, a
/// new one is recorded as dropped rather than queued, so that a receiver
/// that is down cannot make the server hold without bound.
const MAX_PENDING: usize = 10_000;
/// The payload version deliveries carry.
const WEBHOOK_VERSION: &str = "2026-02-03";
/// The longest event type `send_event` takes.
const MAX_EVENT_TYPE: usize = 100;
/// The most webhook URLs deliveries are spread over.
const MAX_ENDPOINTS: usize = 64;

type HmacSha256 = Hmac<Sha256>;

/// A subscription's signing secret: `whsec_` and base64.
#[derive(Clone)]
pub(crate) struct Secret {
    /// The whole text: what `LocalServer::webhook_secret` gives, and the
    /// deprecated scheme's HMAC key.
    pub(crate) text: Arc<str>,
    /// The decoded base64: the Standard Webhooks HMAC key.
    key: Arc<[u8]>,
}

impl Secret {
    pub(crate) fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        let key = text
            .strip_prefix("whsec_")
            .and_then(|encoded| STANDARD_PAD_INDIFFERENT.decode(encoded).ok())
            .filter(|key| !key.is_empty())
            .ok_or("the webhook secret must be whsec_ followed by base64, as Linq shows it")?;
        Ok(Self {
            text: Arc::from(text),
            key: Arc::from(key),
        })
    }

    /// A fresh secret of 32 bytes from two random (version 4) UUIDs: 244
    /// random bits.
    pub(crate) fn generate() -> Self {
        let mut key = [0u8; 32];
        key[..16].copy_from_slice(Uuid::new_v4().as_bytes());
        key[16..].copy_from_slice(Uuid::new_v4().as_bytes());
        Self {
            text: Arc::from(format!("whsec_{}", STANDARD.encode(key))),
            key: Arc::from(key),
        }
    }
}

/// One receiver's address: `http://host:port/path`.
#[derive(Clone, Debug)]
pub(crate) struct Endpoint {
    pub(crate) host: String,
    pub(crate) path: String,
}

impl Endpoint {
    /// Parses an `http://` URL; the local server delivers to local receivers
    /// in clear text only.
    fn parse(url: &str) -> Result<Self, String> {
        let rest = url.strip_prefix("http://").ok_or_else(|| {
            format!(
                "the webhook URL must start with http:// (got {:?})",
                excerpt(url)
            )
        })?;
        let (host, path) = match rest.find('/') {
            Some(at) => (&rest[..at], &rest[at..]),
            None => (rest, "/"),
        };
        if host.is_empty() || !host.contains(':') {
            return Err(format!(
                "the webhook URL needs a host and a port, as in http://127.0.0.1:9000/hooks (got {:?})",
                excerpt(url)
            ));
        }
        if !url.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(format!(
                "the webhook URL must be plain ASCII without spaces (got {:?})",
                excerpt(url)
            ));
        }
        Ok(Self {
            host: host.to_owned(),
            path: path.to_owned(),
        })
    }
}

/// Where deliveries go and how they are signed. With several URLs, each
/// delivery attempt goes to the next, round robin, as a load balancer in
/// front of several replicas would send them.
#[derive(Clone)]
pub(crate) struct Target {
    endpoints: Arc<[Endpoint]>,
    /// The number of attempts sent so far, which picks the next endpoint.
    sent: Arc<AtomicUsize>,
    pub(crate) secret: Secret,
    /// One second of Linq's schedule lasts this long here.
    pub(crate) unit: Duration,
    pub(crate) subscription_id: String,
}

impl Target {
    /// Parses one or more `http://` URLs.
    pub(crate) fn new<S: AsRef<str>>(
        urls: &[S],
        secret: Secret,
        unit: Duration,
    ) -> Result<Self, String> {
        if urls.is_empty() {
            return Err("no webhook URL given".to_owned());
        }
        if urls.len() > MAX_ENDPOINTS {
            return Err(format!(
                "at most {MAX_ENDPOINTS} webhook URLs (got {})",
                urls.len()
            ));
        }
        let endpoints = urls
            .iter()
            .map(|url| Endpoint::parse(url.as_ref()))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self {
            endpoints: endpoints.into(),
            sent: Arc::default(),
            secret,
            unit,
            subscription_id: format!("sub_{}", Uuid::new_v4().simple()),
        })
    }

    /// Where the next attempt goes, and that URL's place in the list.
    fn next_endpoint(&self) -> (usize, &Endpoint) {
        let turn = self.sent.fetch_add(1, Ordering::Relaxed) % self.endpoints.len();
        (turn, &self.endpoints[turn])
    }
}

fn excerpt(text: &str) -> String {
    text.chars().take(80).collect()
}

/// One attempt to deliver an event, as `LocalServer::deliveries` lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Delivery {
    /// The event's id, also its `webhook-id` (the same for every attempt of
    /// one event).
    pub event_id: Uuid,
    /// `participant.added`, `participant.removed`, or what
    /// `LocalServer::send_event` was given.
    pub event_type: String,
    /// 1 for the first attempt.
    pub attempt: u32,
    /// Which webhook URL the attempt went to: its place in the list given
    /// (0 for the first, and for the only one).
    pub receiver: usize,
    /// The receiver's status, or why there was none.
    pub outcome: Result<u16, String>,
}

#[derive(Serialize)]
struct Envelope<'a> {
    api_version: &'static str,
    webhook_version: &'static str,
    event_type: &'a str,
    event_id: Uuid,
    created_at: String,
    trace_id: String,
    partner_id: &'static str,
    data: serde_json::Value,
}

/// What a delivery task needs besides the event.
pub(crate) struct Deliverer {
    pub(crate) target: Target,
    pub(crate) deliveries: Arc<Mutex<Vec<Delivery>>>,
    /// Deliveries scheduled and not yet ended.
    pub(crate) pending: Arc<AtomicUsize>,
    /// Turns true when the server stops: pending deliveries end with it.
    pub(crate) stopped: watch::Receiver<bool>,
    /// Where delivery tasks run (the caller may be outside any runtime).
    pub(crate) runtime: tokio::runtime::Handle,
}

/// Adds an attempt to the record, which stays bounded: the oldest attempts
/// go first.
fn record(deliverer: &Deliverer, delivery: Delivery) {
    let mut deliveries = deliverer
        .deliveries
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if deliveries.len() >= MAX_RECORDED {
        deliveries.remove(0);
    }
    deliveries.push(delivery);
}

/// One pending delivery, counted out when dropped.
struct Pending(Arc<AtomicUsize>);

impl Drop for Pending {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// Why an event cannot be sent as given.
pub(crate) fn check_event_type(event_type: &str) -> Result<(), String> {
    let fits = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-');
    if event_type.is_empty() || event_type.len() > MAX_EVENT_TYPE || !event_type.bytes().all(fits) {
        return Err(format!(
            "an event type is 1 to {MAX_EVENT_TYPE} letters, digits, '.', '_' or '-' (got {:?})",
            excerpt(event_type)
        ));
    }
    Ok(())
}

/// Sends the event for an applied change, after `delay` (when it applies).
pub(crate) fn schedule_change(
    deliverer: Deliverer,
    added: bool,
    chat: Uuid,
    participant: HandleView,
    delay: Duration,
) {
    let (event_type, at_key) = if added {
        ("participant.added", "added_at")
    } else {
        ("participant.removed", "removed_at")
    };
    let at = if added {
        participant.joined_at.clone()
    } else {
        participant.left_at.clone().unwrap_or_default()
    };
    let data = serde_json::json!({
        "chat_id": chat,
        "handle": participant.handle,
        "participant": participant,
        at_key: at,
    });
    schedule(deliverer, event_type.to_owned(), data, delay);
}

/// Sends an event of any type at once; gives its id. The type must have
/// passed [`check_event_type`].
pub(crate) fn schedule(
    deliverer: Deliverer,
    event_type: String,
    data: serde_json::Value,
    delay: Duration,
) -> Uuid {
    let event_id = Uuid::new_v4();
    if deliverer.pending.fetch_add(1, Ordering::AcqRel) >= MAX_PENDING {
        deliverer.pending.fetch_sub(1, Ordering::AcqRel);
        record(
            &deliverer,
            Delivery {
                event_id,
                event_type,
                attempt: 0,
                receiver: 0,
                outcome: Err(format!(
                    "dropped: {MAX_PENDING} deliveries are already pending"
                )),
            },
        );
        return event_id;
    }
    // Counted out however the delivery ends, even when the runtime is gone
    // and the task never runs.
    let pending = Pending(Arc::clone(&deliverer.pending));
    let runtime = deliverer.runtime.clone();
    runtime.spawn(async move {
        let _pending = pending;
        let mut stopped = deliverer.stopped.clone();
        tokio::select! {
            () = tokio::time::sleep(delay) => {}
            _ = stopped.wait_for(|stop| *stop) => return,
        }
        let envelope = Envelope {
            api_version: "v3",
            webhook_version: WEBHOOK_VERSION,
            event_type: &event_type,
            event_id,
            created_at: humantime::format_rfc3339_millis(SystemTime::now()).to_string(),
            trace_id: trace_id(),
            partner_id: "local-partner",
            data,
        };
        let body = serde_json::to_vec(&envelope).unwrap_or_default();
        tokio::select! {
            () = deliver(&deliverer, &event_type, event_id, &body) => {}
            _ = stopped.wait_for(|stop| *stop) => {}
        }
    });
    event_id
}

/// Up to 11 attempts on Linq's schedule; a 2xx, or a 4xx other than 429,
/// ends them.
async fn deliver(deliverer: &Deliverer, event_type: &str, event_id: Uuid, body: &[u8]) {
    let target = &deliverer.target;
    for attempt in 1..=SCHEDULE.len() as u32 + 1 {
        let (receiver, endpoint) = target.next_endpoint();
        let outcome = post(target, endpoint, event_type, event_id, body).await;
        let done = match &outcome {
            Ok(status) => {
                (200..300).contains(status) || ((400..500).contains(status) && *status != 429)
            }
            Err(_) => false,
        };
        record(
            deliverer,
            Delivery {
                event_id,
                event_type: event_type.to_owned(),
                attempt,
                receiver,
                outcome,
            },
        );
        if done {
            return;
        }
        if let Some(&wait) = SCHEDULE.get(attempt as usize - 1) {
            tokio::time::sleep(target.unit.saturating_mul(wait)).await;
        }
    }
}

/// The Standard Webhooks signature: `v1,` and the base64 HMAC-SHA256 of
/// `{id}.{timestamp}.{body}`, keyed with the decoded secret.
fn standard_signature(secret: &Secret, id: &str, timestamp: &str, body: &[u8]) -> String {
    let mut mac = HmacSha256::new_from_slice(&secret.key).unwrap_or_else(|_| {
        // HMAC accepts keys of any length.
        unreachable!()
    });
    mac.update(format!("{id}.{timestamp}.").as_bytes());
    mac.update(body);
    format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()))
}

/// The deprecated `X-Webhook-Signature`: hex HMAC-SHA256 of
/// `{timestamp}.{body}`, keyed with the secret's text.
fn deprecated_signature(secret: &Secret, timestamp: &str, body: &[u8]) -> String {
    let mut mac = HmacSha256::new_from_slice(secret.text.as_bytes()).unwrap_or_else(|_| {
        // HMAC accepts keys of any length.
        unreachable!()
    });
    mac.update(format!("{timestamp}.").as_bytes());
    mac.update(body);
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// One POST, signed both ways at the time of the attempt; the receiver's
/// status, or why there was none.
async fn post(
    target: &Target,
    endpoint: &Endpoint,
    event_type: &str,
    event_id: Uuid,
    body: &[u8],
) -> Result<u16, String> {
    let timestamp = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or(Duration::ZERO)
        .as_secs()
        .to_string();
    let id = event_id.to_string();
    let head = format!(
        "POST {} HTTP/1.1\r\nhost: {}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\
         webhook-id: {id}\r\nwebhook-timestamp: {timestamp}\r\nwebhook-signature: {}\r\n\
         x-webhook-signature: {}\r\nx-webhook-timestamp: {timestamp}\r\n\
         x-webhook-event: {event_type}\r\nx-webhook-subscription-id: {}\r\nconnection: close\r\n\r\n",
        endpoint.path,
        endpoint.host,
        body.len(),
        standard_signature(&target.secret, &id, &timestamp, body),
        deprecated_signature(&target.secret, &timestamp, body),
        target.subscription_id
    );
    let exchange = async {
        let mut stream = TcpStream::connect(&endpoint.host)
            .await
            .map_err(|e| format!("cannot connect: {e}"))?;
        stream
            .write_all(head.as_bytes())
            .await
            .map_err(|e| e.to_string())?;
        stream.write_all(body).await.map_err(|e| e.to_string())?;
        let mut answer = Vec::new();
        let mut chunk = [0u8; 1024];
        loop {
            let n = stream.read(&mut chunk).await.map_err(|e| e.to_string())?;
            if n == 0 {
                return Err("the receiver closed without answering".to_owned());
            }
            answer.extend_from_slice(&chunk[..n]);
            let mut headers = [httparse::EMPTY_HEADER; 32];
            let mut response = httparse::Response::new(&mut headers);
            match response.parse(&answer) {
                Ok(httparse::Status::Complete(_)) => {
                    return response.code.ok_or_else(|| "no status".to_owned());
                }
                Ok(httparse::Status::Partial) if answer.len() < 64 * 1024 => {}
                _ => return Err("the receiver's answer is not HTTP".to_owned()),
            }
        }
    };
    tokio::time::timeout(target.unit.saturating_mul(ANSWER_WITHIN), exchange)
        .await
        .unwrap_or_else(|_| Err("no answer in time".to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The schedule is Linq's current one: 10 retries over about 25 minutes.
    #[test]
    fn ten_retries_over_about_25_minutes() {
        assert_eq!(SCHEDULE.len(), 10);
        let total: u32 = SCHEDULE.iter().sum();
        assert!((24 * 60..=26 * 60).contains(&total), "{total} s");
        assert!(SCHEDULE.windows(2).all(|w| w[0] <= w[1]));
    }

    /// Computed with Python's standard library: `k = bytes(range(32));
    /// base64.b64encode(hmac.new(k, b"msg_1.1764547200.{}", hashlib.sha256).digest())`
    /// and `hmac.new(("whsec_" + base64.b64encode(k).decode()).encode(),
    /// b"1764547200.{}", hashlib.sha256).hexdigest()`.
    #[test]
    fn signatures_match_independent_vectors() {
        let secret = Secret::parse("whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=").unwrap();
        assert_eq!(
            standard_signature(&secret, "msg_1", "1764547200", b"{}"),
            "v1,otWwDMmA+Pza3oUIsBk6ZiOu3rkZQ40moU7yRWPZ+vw="
        );
        assert_eq!(
            deprecated_signature(&secret, "1764547200", b"{}"),
            "646f317ce36a41eb3266764eb24314e34efe7121918858b5ce1146ac53f1692c"
        );
    }

    #[test]
    fn secrets_are_whsec_base64_and_generated_ones_are_fresh() {
        assert!(Secret::parse(" whsec_AAECAwQF\n").is_ok());
        assert!(
            Secret::parse("whsec_local").is_err(),
            "5 characters are not base64"
        );
        assert!(Secret::parse("local").is_err());
        assert!(Secret::parse("whsec_").is_err());
        assert!(Secret::parse("whsec_no spaces").is_err());
        let one = Secret::generate();
        let two = Secret::generate();
        assert_ne!(one.text, two.text);
        assert!(Secret::parse(&one.text).is_ok());
        assert_eq!(one.key.len(), 32);
    }

    #[test]
    fn event_types_cannot_break_a_header() {
        assert!(check_event_type("message.received").is_ok());
        assert!(check_event_type("chat.typing_indicator.started").is_ok());
        for bad in ["", "a\r\nx-evil: 1", "a b", &"x".repeat(101)] {
            assert!(check_event_type(bad).is_err(), "{bad:?}");
        }
    }
}
