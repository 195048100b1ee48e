//! Linq's webhooks: verify signed deliveries into events, and wait for the
//! event that confirms a queued change. (Feature `webhooks`.)
//!
//! A 202 from `add` or `remove` means Linq *queued* the change; Linq confirms
//! it later by delivering `participant.added` or `participant.removed` to
//! your webhook endpoint. Verify each delivery with a [`Verifier`] (it needs
//! the raw body bytes, before any JSON parsing), feed the event to
//! [`Confirmations`], where callers wait for theirs, and answer 2xx.
//! Several replicas share their waits and events through PostgreSQL
//! ([`PostgresRegistry`], feature `postgres`).
//!
//! Linq signs every delivery twice. The Standard Webhooks headers
//! (`webhook-id`, `webhook-timestamp`, `webhook-signature`) are what Linq
//! recommends and what the verifier checks whenever they are present; the
//! deprecated `X-Webhook-*` headers are still accepted from a delivery that
//! has no Standard Webhooks header. See [`WebhookSecret`] for the key each
//! uses.
//!
//! Verified means accepted: [`Verifier::verify`] fails only for a delivery
//! not shown to come from Linq (answer 401). An authentic body this version
//! cannot type is an [`EventKind::Other`] that says why, never an error, so
//! that it is answered 2xx: Linq does not retry a 4xx, and the event would
//! be lost.
//!
//! ```
//! use std::time::{Duration, UNIX_EPOCH};
//! use linq_partner::reqwest::header::{HeaderMap, HeaderValue};
//! use linq_partner::webhooks::{Confirmations, EventKind, FeedOutcome, Scheme, Verifier, WebhookSecret};
//!
//! let secret = WebhookSecret::new("whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")?;
//! // A delivery signed at 2025-12-01T00:00:00Z, checked with a clock set then.
//! let verifier = Verifier::new(secret).clock(|| UNIX_EPOCH + Duration::from_secs(1_764_547_200));
//! let confirmations = Confirmations::new();
//!
//! // What arrives at your endpoint:
//! let body = br#"{"event_type":"participant.removed","event_id":"0b6f4a5e-1c2d-4e3f-8a9b-0c1d2e3f4a5b","data":{"chat_id":"550e8400-e29b-41d4-a716-446655440000","handle":"+12052499136"}}"#;
//! let mut headers = HeaderMap::new();
//! headers.insert("webhook-id", HeaderValue::from_static("0b6f4a5e-1c2d-4e3f-8a9b-0c1d2e3f4a5b"));
//! headers.insert("webhook-timestamp", HeaderValue::from_static("1764547200"));
//! headers.insert("webhook-signature", HeaderValue::from_static("v1,3UzrYdpHlYwR7w5r2eE0L2jX1FNT383TNMnxg3cwcu0="));
//!
//! let event = verifier.verify(&headers, body)?; // then answer 2xx at once
//! assert_eq!(event.scheme(), Scheme::StandardWebhooks);
//! assert!(matches!(event.kind(), EventKind::ParticipantRemoved(_)));
//! # tokio::runtime::Builder::new_current_thread().build()?.block_on(async {
//! assert_eq!(confirmations.feed(&event).await?, FeedOutcome::Kept); // no one waits yet
//! assert_eq!(confirmations.feed(&event).await?, FeedOutcome::Duplicate); // the same webhook-id
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! # })?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

// Top-down: waiting for confirmations (confirm), the verifier (verify) and
// the test signers (testing), the two signature schemes (standard,
// deprecated), then values: events, secret, and what a signature check
// concludes (signed). No module imports one above it.
mod confirm;
mod deprecated;
mod events;
mod in_process;
#[cfg(feature = "postgres")]
mod postgres;
mod secret;
mod signed;
mod standard;
#[cfg(feature = "test-util")]
mod testing;
mod verify;
mod waiting;

pub use confirm::{Confirmations, Expected, FeedOutcome, WaitStart};
pub use deprecated::{
    X_EVENT_HEADER, X_SIGNATURE_HEADER, X_SUBSCRIPTION_HEADER, X_TIMESTAMP_HEADER,
};
pub use events::{Envelope, Event, EventKind, OtherEvent, ParticipantChanged};
#[cfg(feature = "postgres")]
#[cfg_attr(docsrs, doc(cfg(feature = "postgres")))]
pub use postgres::{APPLICATION_NAME, PostgresRegistry};
pub use secret::{OLD_WEBHOOK_SECRET_ENV, SecretError, WEBHOOK_SECRET_ENV, WebhookSecret};
pub use signed::{Scheme, VerifyError};
pub use standard::{ID_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER};
#[cfg(feature = "test-util")]
#[cfg_attr(docsrs, doc(cfg(feature = "test-util")))]
pub use testing::{TEST_SUBSCRIPTION_ID, sign, sign_deprecated, signed_headers};
pub use verify::{DEFAULT_TOLERANCE, Verifier};
