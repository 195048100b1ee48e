//! Webhook deliveries, as Linq makes them: when a queued change applies, a
//! signed `participant.added` or `participant.removed` is POSTed to the
//! target, retried on Linq's schedule, and every attempt recorded.
//!
//! Written independently of the SDK's verifier, so that each checks the other.

use std::{
    sync::{Arc, Mutex},
    time::{Duration, SystemTime, UNIX_EPOCH},
};

use hmac::{Hmac, Mac};
use serde::Serialize;
use sha2::Sha256;
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
};
use uuid::Uuid;

use crate::{answers::trace_id, state::HandleView};

/// The waits between attempts, in units of the retry unit (seconds for
/// Linq): six attempts in all, then the delivery is dropped.
const SCHEDULE: [u32; 5] = [2, 4, 8, 16, 30];
/// How long a receiver has to answer, in retry units (Linq: 10 s).
const ANSWER_WITHIN: u32 = 10;
/// How many delivery attempts are remembered.
const MAX_RECORDED: usize = 10_000;
/// The payload version deliveries carry.
const WEBHOOK_VERSION: &str = "2026-02-03";

/// Where deliveries go and how they are signed.
#[derive(Clone)]
pub(crate) struct Target {
    /// `http://host:port/path`.
    pub(crate) host: String,
    pub(crate) path: String,
    pub(crate) secret: Arc<[u8]>,
    /// One second of Linq's schedule lasts this long here.
    pub(crate) unit: Duration,
    pub(crate) subscription_id: String,
}

impl Target {
    /// Parses an `http://` URL; the local server delivers to local receivers
    /// in clear text only.
    pub(crate) fn new(url: &str, secret: &str, unit: Duration) -> Result<Self, String> {
        if secret.trim().is_empty() {
            return Err("the webhook secret cannot be empty".into());
        }
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
        Ok(Self {
            host: host.to_owned(),
            path: path.to_owned(),
            secret: Arc::from(secret.as_bytes().to_vec()),
            unit,
            subscription_id: format!("sub_{}", Uuid::new_v4().simple()),
        })
    }
}

fn excerpt(text: &str) -> String {
    text.chars().take(80).collect()
}

/// One attempt to deliver an event, as `LocalServer::deliveries` lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    /// The event's id (the same for every attempt of one event).
    pub event_id: Uuid,
    /// `participant.added` or `participant.removed`.
    pub event_type: String,
    /// 1 for the first attempt.
    pub attempt: u32,
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

/// Sends the event for an applied change, after `delay` (when it applies).
pub(crate) fn schedule(
    target: Target,
    deliveries: Arc<Mutex<Vec<Delivery>>>,
    added: bool,
    chat: Uuid,
    participant: HandleView,
    delay: Duration,
) {
    tokio::spawn(async move {
        tokio::time::sleep(delay).await;
        let event_type = if added {
            "participant.added"
        } else {
            "participant.removed"
        };
        let at_key = if added { "added_at" } else { "removed_at" };
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
        let envelope = Envelope {
            api_version: "v3",
            webhook_version: WEBHOOK_VERSION,
            event_type,
            event_id: Uuid::new_v4(),
            created_at: humantime::format_rfc3339_millis(SystemTime::now()).to_string(),
            trace_id: trace_id(),
            partner_id: "local-partner",
            data,
        };
        let body = serde_json::to_vec(&envelope).unwrap_or_default();
        deliver(&target, &deliveries, event_type, envelope.event_id, &body).await;
    });
}

/// Up to six attempts on Linq's schedule; a 4xx other than 429 ends them.
async fn deliver(
    target: &Target,
    deliveries: &Mutex<Vec<Delivery>>,
    event_type: &str,
    event_id: Uuid,
    body: &[u8],
) {
    for attempt in 1..=SCHEDULE.len() as u32 + 1 {
        let outcome = post(target, event_type, body).await;
        let done = match &outcome {
            Ok(status) => {
                (200..300).contains(status) || ((400..500).contains(status) && *status != 429)
            }
            Err(_) => false,
        };
        {
            let mut deliveries = deliveries
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            // The record stays bounded: the oldest attempts go first.
            if deliveries.len() >= MAX_RECORDED {
                deliveries.remove(0);
            }
            deliveries.push(Delivery {
                event_id,
                event_type: event_type.to_owned(),
                attempt,
                outcome,
            });
        }
        if done {
            return;
        }
        if let Some(&wait) = SCHEDULE.get(attempt as usize - 1) {
            tokio::time::sleep(target.unit * wait).await;
        }
    }
}

/// One signed POST; the receiver's status, or why there was none.
async fn post(target: &Target, event_type: &str, body: &[u8]) -> Result<u16, String> {
    let timestamp = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or(Duration::ZERO)
        .as_secs()
        .to_string();
    let mut mac = Hmac::<Sha256>::new_from_slice(&target.secret).map_err(|e| e.to_string())?;
    mac.update(timestamp.as_bytes());
    mac.update(b".");
    mac.update(body);
    let signature: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let head = format!(
        "POST {} HTTP/1.1\r\nhost: {}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\
         x-webhook-signature: {signature}\r\nx-webhook-timestamp: {timestamp}\r\n\
         x-webhook-event: {event_type}\r\nx-webhook-subscription-id: {}\r\nconnection: close\r\n\r\n",
        target.path,
        target.host,
        body.len(),
        target.subscription_id
    );
    let exchange = async {
        let mut stream = TcpStream::connect(&target.host)
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
    tokio::time::timeout(target.unit * ANSWER_WITHIN, exchange)
        .await
        .unwrap_or_else(|_| Err("no answer in time".to_owned()))
}
