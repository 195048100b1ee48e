//! Checking that a delivery comes from Linq: the HMAC-SHA256 signature over
//! `{timestamp}.{raw body}`, in constant time, and a timestamp inside the
//! tolerance (replay protection).

use std::{
    fmt,
    sync::Arc,
    time::{Duration, SystemTime, UNIX_EPOCH},
};

use hmac::{Hmac, Mac};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use sha2::Sha256;

use super::events::{Event, decode_event};
use crate::text::{SHORT_CHARS, shown};

/// The variable that holds the webhook signing secret.
pub const WEBHOOK_SECRET_ENV: &str = "LINQ_API_V3_WEBHOOK_SECRET";
/// How old (or how far in the future) a delivery's timestamp may be: Linq's
/// advice is five minutes.
pub const DEFAULT_TOLERANCE: Duration = Duration::from_secs(5 * 60);

/// The header with the hex HMAC-SHA256 signature.
pub const SIGNATURE_HEADER: &str = "x-webhook-signature";
/// The header with the Unix time, in seconds, the delivery was signed at.
pub const TIMESTAMP_HEADER: &str = "x-webhook-timestamp";
/// The header naming the event type.
pub const EVENT_HEADER: &str = "x-webhook-event";
/// The header naming the subscription.
pub const SUBSCRIPTION_HEADER: &str = "x-webhook-subscription-id";

type HmacSha256 = Hmac<Sha256>;

/// A subscription's signing secret. It never appears in `Debug` output or in
/// any error.
///
/// ```
/// use linq_partner::webhooks::WebhookSecret;
///
/// let secret = WebhookSecret::new("whsec_test")?;
/// assert_eq!(format!("{secret:?}"), "WebhookSecret(<redacted>)");
/// # Ok::<(), linq_partner::webhooks::SecretError>(())
/// ```
#[derive(Clone)]
pub struct WebhookSecret(Arc<[u8]>);

impl WebhookSecret {
    /// The secret as Linq shows it for the subscription.
    pub fn new(secret: impl Into<String>) -> Result<Self, SecretError> {
        let secret = secret.into();
        if secret.trim().is_empty() {
            return Err(SecretError::Empty);
        }
        Ok(Self(Arc::from(secret.into_bytes())))
    }

    /// The secret from `LINQ_API_V3_WEBHOOK_SECRET`.
    ///
    /// ```no_run
    /// let secret = linq_partner::webhooks::WebhookSecret::from_env()?;
    /// # Ok::<(), linq_partner::webhooks::SecretError>(())
    /// ```
    pub fn from_env() -> Result<Self, SecretError> {
        match std::env::var(WEBHOOK_SECRET_ENV) {
            Ok(secret) if !secret.trim().is_empty() => Self::new(secret),
            _ => Err(SecretError::NotSet),
        }
    }

    fn mac(&self) -> HmacSha256 {
        // HMAC takes keys of any length.
        HmacSha256::new_from_slice(&self.0).expect("HMAC accepts any key length")
    }
}

impl fmt::Debug for WebhookSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("WebhookSecret(<redacted>)")
    }
}

/// Why a secret could not be had.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SecretError {
    /// The secret given was empty.
    #[error("the webhook signing secret is empty")]
    Empty,
    /// The variable is not set.
    #[error("{WEBHOOK_SECRET_ENV} is not set; set it to the subscription's signing secret")]
    NotSet,
}

/// The hex HMAC-SHA256 signature Linq puts in `X-Webhook-Signature`, for
/// producing signed requests in your own handler's tests.
///
/// ```
/// use linq_partner::webhooks::{WebhookSecret, sign};
///
/// let secret = WebhookSecret::new("whsec_test")?;
/// let signature = sign(&secret, 1_764_547_200, br#"{"event_type":"participant.added"}"#);
/// assert_eq!(signature.len(), 64);
/// # Ok::<(), linq_partner::webhooks::SecretError>(())
/// ```
pub fn sign(secret: &WebhookSecret, timestamp: u64, body: &[u8]) -> String {
    let mut mac = secret.mac();
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// The headers of a delivery as Linq sends it, signed at `timestamp`; for
/// tests of your own webhook handler.
///
/// ```
/// use linq_partner::webhooks::{Verifier, WebhookSecret, signed_headers};
///
/// let secret = WebhookSecret::new("whsec_test")?;
/// let body = br#"{"event_type":"participant.removed","event_id":"0b6f4a5e-1c2d-4e3f-8a9b-0c1d2e3f4a5b","data":{"handle":"+12052499136"}}"#;
/// let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
/// let headers = signed_headers(&secret, now, "participant.removed", body);
/// let event = Verifier::new(secret).verify(&headers, body)?;
/// assert_eq!(event.envelope().event_type(), "participant.removed");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn signed_headers(
    secret: &WebhookSecret,
    timestamp: u64,
    event_type: &str,
    body: &[u8],
) -> HeaderMap {
    let mut headers = HeaderMap::new();
    let mut put = |name: &'static str, value: String| {
        if let Ok(value) = HeaderValue::try_from(value) {
            headers.insert(HeaderName::from_static(name), value);
        }
    };
    put(SIGNATURE_HEADER, sign(secret, timestamp, body));
    put(TIMESTAMP_HEADER, timestamp.to_string());
    put(EVENT_HEADER, event_type.to_owned());
    put(SUBSCRIPTION_HEADER, "sub_test".to_owned());
    headers
}

/// Where the verifier reads the time; a test can set its own.
type Clock = Arc<dyn Fn() -> SystemTime + Send + Sync>;

/// Verifies deliveries from Linq and decodes their events.
///
/// Framework-neutral: give it the request's headers and its body exactly as
/// it arrived (not re-serialized JSON).
///
/// ```
/// use linq_partner::webhooks::{Verifier, WebhookSecret};
///
/// let verifier = Verifier::new(WebhookSecret::new("whsec_test")?)
///     .tolerance(std::time::Duration::from_secs(60));
/// let error = verifier.verify(&Default::default(), b"{}").unwrap_err();
/// assert!(error.to_string().contains("X-Webhook-Signature"));
/// # Ok::<(), linq_partner::webhooks::SecretError>(())
/// ```
#[derive(Clone)]
pub struct Verifier {
    secret: WebhookSecret,
    tolerance: Duration,
    clock: Clock,
}

impl fmt::Debug for Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Verifier")
            .field("secret", &self.secret)
            .field("tolerance", &self.tolerance)
            .finish_non_exhaustive()
    }
}

impl Verifier {
    /// A verifier with the default five-minute tolerance and the system clock.
    pub fn new(secret: WebhookSecret) -> Self {
        Self {
            secret,
            tolerance: DEFAULT_TOLERANCE,
            clock: Arc::new(SystemTime::now),
        }
    }

    /// How far a delivery's timestamp may be from now, either way.
    pub fn tolerance(mut self, tolerance: Duration) -> Self {
        self.tolerance = tolerance;
        self
    }

    /// Reads the time from `clock` instead of the system's; for tests.
    ///
    /// ```
    /// use std::time::{Duration, UNIX_EPOCH};
    /// use linq_partner::webhooks::{Verifier, WebhookSecret};
    ///
    /// let verifier = Verifier::new(WebhookSecret::new("whsec_test")?)
    ///     .clock(|| UNIX_EPOCH + Duration::from_secs(1_764_547_200));
    /// # Ok::<(), linq_partner::webhooks::SecretError>(())
    /// ```
    pub fn clock(mut self, clock: impl Fn() -> SystemTime + Send + Sync + 'static) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// Checks the signature and the timestamp, then decodes the event.
    pub fn verify(&self, headers: &HeaderMap, body: &[u8]) -> Result<Event, VerifyError> {
        let header = |name: &'static str, shown_as: &'static str| {
            headers
                .get(name)
                .and_then(|value| value.to_str().ok())
                .map(str::trim)
                .ok_or(VerifyError::MissingHeader(shown_as))
        };
        let signature = header(SIGNATURE_HEADER, "X-Webhook-Signature")?;
        let timestamp_text = header(TIMESTAMP_HEADER, "X-Webhook-Timestamp")?;
        let timestamp: u64 = timestamp_text
            .parse()
            .map_err(|_| VerifyError::TimestampNotANumber(capped(timestamp_text)))?;
        let expected = decode_hex(signature)?;
        let mut mac = self.secret.mac();
        mac.update(timestamp_text.as_bytes());
        mac.update(b".");
        mac.update(body);
        // `verify_slice` compares in constant time.
        mac.verify_slice(&expected)
            .map_err(|_| VerifyError::SignatureMismatch)?;

        let now = (self.clock)()
            .duration_since(UNIX_EPOCH)
            .unwrap_or(Duration::ZERO)
            .as_secs();
        let tolerance = self.tolerance.as_secs();
        if timestamp.saturating_add(tolerance) < now {
            return Err(VerifyError::TimestampTooOld {
                age: Duration::from_secs(now - timestamp),
                tolerance: self.tolerance,
            });
        }
        if timestamp > now.saturating_add(tolerance) {
            return Err(VerifyError::TimestampInFuture {
                ahead: Duration::from_secs(timestamp - now),
                tolerance: self.tolerance,
            });
        }

        let subscription = headers
            .get(SUBSCRIPTION_HEADER)
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned);
        let event = decode_event(body, subscription)?;
        if let Ok(named) = header(EVENT_HEADER, "X-Webhook-Event")
            && named != event.envelope().event_type()
        {
            return Err(VerifyError::EventTypeMismatch {
                header: capped(named),
                body: capped(event.envelope().event_type()),
            });
        }
        Ok(event)
    }
}

fn capped(text: &str) -> String {
    shown(text, SHORT_CHARS).to_string()
}

/// The 32 bytes of a hex SHA-256 MAC.
fn decode_hex(text: &str) -> Result<Vec<u8>, VerifyError> {
    let text = text.strip_prefix("sha256=").unwrap_or(text);
    if !text.len().is_multiple_of(2) || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(VerifyError::SignatureNotHex);
    }
    if text.len() != 64 {
        return Err(VerifyError::SignatureLength {
            hex_digits: text.len(),
        });
    }
    Ok((0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap_or(0))
        .collect())
}

/// Why a delivery was refused. Nothing here shows the secret; header
/// values are escaped and cut short.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VerifyError {
    /// A required header is missing (or not text).
    #[error("the delivery has no {0} header")]
    MissingHeader(&'static str),
    /// The signature is not hex.
    #[error("X-Webhook-Signature is not hex")]
    SignatureNotHex,
    /// The signature has the wrong length for HMAC-SHA256.
    #[error("X-Webhook-Signature has {hex_digits} hex digits; an HMAC-SHA256 has 64")]
    SignatureLength {
        /// How many there were.
        hex_digits: usize,
    },
    /// The signature does not match the body, the timestamp and the secret.
    #[error(
        "the signature does not match: the body, the timestamp or the secret differs from what Linq signed"
    )]
    SignatureMismatch,
    /// The timestamp is not a whole number of seconds.
    #[error("X-Webhook-Timestamp \"{0}\" is not a Unix time in seconds")]
    TimestampNotANumber(String),
    /// The delivery was signed longer ago than the tolerance: a replay, or a
    /// clock far off.
    #[error("the delivery was signed {age:?} ago, more than the {tolerance:?} allowed")]
    TimestampTooOld {
        /// How long ago.
        age: Duration,
        /// The tolerance.
        tolerance: Duration,
    },
    /// The delivery is signed for a time further ahead than the tolerance.
    #[error("the delivery is signed {ahead:?} in the future, more than the {tolerance:?} allowed")]
    TimestampInFuture {
        /// How far ahead.
        ahead: Duration,
        /// The tolerance.
        tolerance: Duration,
    },
    /// The body is not JSON.
    #[error("the body is not JSON: {0}")]
    BodyNotJson(String),
    /// The body is JSON but not an event envelope.
    #[error("the body is not a webhook event: {0}")]
    NotAnEvent(String),
    /// `X-Webhook-Event` names another type than the body.
    #[error("X-Webhook-Event says \"{header}\" but the body's event_type is \"{body}\"")]
    EventTypeMismatch {
        /// The header's type.
        header: String,
        /// The body's type.
        body: String,
    },
}
