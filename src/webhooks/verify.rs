//! Whether a delivery comes from Linq: one of the two signature schemes
//! (Standard Webhooks first), then a timestamp inside the tolerance (replay
//! protection). Whether the body is understood is decided afterwards, by
//! `events`, and never refuses a delivery.

use std::{
    fmt,
    sync::Arc,
    time::{Duration, SystemTime, UNIX_EPOCH},
};

use reqwest::header::HeaderMap;

use super::{
    deprecated::{self, X_EVENT_HEADER, X_SUBSCRIPTION_HEADER},
    events::{Event, decode_event},
    secret::WebhookSecret,
    signed::{Scheme, VerifyError},
    standard,
};

/// How old (or how far in the future) a delivery's timestamp may be: Linq's
/// advice is five minutes.
pub const DEFAULT_TOLERANCE: Duration = Duration::from_secs(5 * 60);

/// Where the verifier reads the time; a test can set its own.
type Clock = Arc<dyn Fn() -> SystemTime + Send + Sync>;

/// Verifies that deliveries come from Linq and decodes their events.
///
/// Framework-neutral: give it the request's headers and its body exactly as
/// it arrived (not re-serialized JSON). A delivery carrying any Standard
/// Webhooks header (`webhook-id`, `webhook-timestamp`, `webhook-signature`)
/// is checked with that scheme first; when that fails, or the delivery has
/// none, its deprecated `X-Webhook-*` headers are checked, and either
/// signature checking out makes it authentic. Either way the MAC is
/// compared in constant time and the timestamp must be within the
/// tolerance. When both fail, the error is the Standard Webhooks one,
/// unless that set was incomplete.
///
/// An error means the delivery is not shown to come from Linq: answer 401.
/// Everything that passes is an [`Event`], whatever its body holds: a body
/// this version cannot type is an [`EventKind::Other`](super::EventKind::Other)
/// that says why, so that an authentic delivery is never refused (Linq does
/// not retry a 4xx).
///
/// ```
/// use linq_partner::webhooks::{Verifier, VerifyError, WebhookSecret};
///
/// let secret = WebhookSecret::new("whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")?;
/// let verifier = Verifier::new(secret).tolerance(std::time::Duration::from_secs(60));
/// let error = verifier.verify(&Default::default(), b"{}").unwrap_err();
/// assert_eq!(error, VerifyError::NotSigned);
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
    /// let secret = WebhookSecret::new("whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")?;
    /// let verifier = Verifier::new(secret).clock(|| UNIX_EPOCH + Duration::from_secs(1_764_547_200));
    /// # Ok::<(), linq_partner::webhooks::SecretError>(())
    /// ```
    pub fn clock(mut self, clock: impl Fn() -> SystemTime + Send + Sync + 'static) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// Checks the signature and the timestamp, then decodes the event.
    ///
    /// Fails only when the delivery is not shown to come from Linq; see
    /// [`Verifier`].
    pub fn verify(&self, headers: &HeaderMap, body: &[u8]) -> Result<Event, VerifyError> {
        let standard =
            standard::present(headers).then(|| standard::check(&self.secret, headers, body));
        let (scheme, id, timestamp) = match standard {
            Some(Ok((id, timestamp))) => (Scheme::StandardWebhooks, Some(id), timestamp),
            // Linq signs both ways: a delivery whose Standard Webhooks headers
            // fail (altered on the way, a signature version this crate does
            // not know) is still authentic when its deprecated signature
            // checks out. No weaker than accepting a delivery that carries
            // the deprecated headers alone; `Confirmations` recognises it by
            // the event id in the body, which both schemes sign.
            Some(Err(error)) => match deprecated::present(headers)
                .then(|| deprecated::check(&self.secret, headers, body))
            {
                Some(Ok(timestamp)) => (Scheme::XWebhook, None, timestamp),
                // A Standard Webhooks set cut short says less than a whole
                // deprecated set that failed.
                Some(Err(deprecated)) if matches!(error, VerifyError::MissingHeader(_)) => {
                    return Err(deprecated);
                }
                _ => return Err(error),
            },
            None if deprecated::present(headers) => {
                let timestamp = deprecated::check(&self.secret, headers, body)?;
                (Scheme::XWebhook, None, timestamp)
            }
            None => return Err(VerifyError::NotSigned),
        };
        self.check_window(timestamp)?;

        let text = |name: &str| {
            headers
                .get(name)
                .and_then(|value| value.to_str().ok())
                .map(str::trim)
        };
        Ok(decode_event(
            body,
            scheme,
            id.map(str::to_owned),
            text(X_SUBSCRIPTION_HEADER).map(str::to_owned),
            text(X_EVENT_HEADER),
        ))
    }

    fn check_window(&self, timestamp: u64) -> Result<(), VerifyError> {
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
        Ok(())
    }
}
