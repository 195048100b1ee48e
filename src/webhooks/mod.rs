//! Linq's participant webhooks: verify signed deliveries into typed events,
//! and wait for the event that confirms a queued change. (Feature
//! `webhooks`.)
//!
//! A 202 from `add` or `remove` means Linq *queued* the change; Linq confirms
//! it later by delivering `participant.added` or `participant.removed` to
//! your webhook endpoint. Verify each delivery with a [`Verifier`] (it needs
//! the raw body bytes, before any JSON parsing), answer 2xx at once, and
//! feed the event to [`Confirmations`], where callers wait for theirs.
//!
//! ```
//! use std::time::{SystemTime, UNIX_EPOCH};
//! use linq_partner::webhooks::{Confirmations, EventKind, Fed, Verifier, WebhookSecret, signed_headers};
//!
//! let secret = WebhookSecret::new("whsec_test")?;
//! let verifier = Verifier::new(secret.clone());
//! let confirmations = Confirmations::new();
//!
//! // What arrives at your endpoint (here signed by the helper):
//! let body = br#"{"event_type":"participant.removed","event_id":"0b6f4a5e-1c2d-4e3f-8a9b-0c1d2e3f4a5b",
//!   "data":{"chat_id":"550e8400-e29b-41d4-a716-446655440000","handle":"+12052499136"}}"#;
//! let now = SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs();
//! let headers = signed_headers(&secret, now, "participant.removed", body);
//!
//! let event = verifier.verify(&headers, body)?;
//! assert!(matches!(event.kind(), EventKind::ParticipantRemoved(_)));
//! assert_eq!(confirmations.feed(&event), Fed::Kept); // no one waits yet
//! assert_eq!(confirmations.feed(&event), Fed::Duplicate);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod confirm;
mod events;
mod verify;

pub use confirm::{Change, ConfirmError, Confirmations, Fed};
pub use events::{Envelope, Event, EventKind, Participant, ParticipantChanged};
pub use verify::{
    DEFAULT_TOLERANCE, EVENT_HEADER, SIGNATURE_HEADER, SUBSCRIPTION_HEADER, SecretError,
    TIMESTAMP_HEADER, Verifier, VerifyError, WEBHOOK_SECRET_ENV, WebhookSecret, sign,
    signed_headers,
};
