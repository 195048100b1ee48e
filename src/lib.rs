//! A typed client for the Linq Partner API v3: add people to, and remove
//! people from, group chats over iMessage, RCS and SMS.
//!
//! ```no_run
//! # async fn run() -> Result<(), linq_partner::Error> {
//! use linq_partner::Client;
//!
//! // Reads LINQ_API_V3_API_KEY (and LINQ_API_V3_BASE_URL when set).
//! let client = Client::from_env()?;
//! let queued = client
//!     .chats()
//!     .participants()
//!     .remove("550e8400-e29b-41d4-a716-446655440000", "+12052499136")
//!     .await?;
//! println!("{} (trace id {})", queued.message().unwrap_or("queued"), queued.trace_id().unwrap_or("-"));
//! # Ok(())
//! # }
//! ```
//!
//! Chat ids and handles are checked before anything is sent: a bad one is an
//! [`ErrorKind::InvalidInput`] that says exactly what is wrong. Every other
//! failure is one [`Error`] whose message carries the HTTP status, Linq's
//! error code and message, and the trace id.
//!
//! Reading a chat ([`Chats::get`]) gives its participants with their
//! statuses; a queued change can be awaited by reading the chat
//! ([`Polling`]) or, with the `webhooks` feature, by Linq's signed webhook
//! events.
//!
//! The client generated from `openapi.yaml` is available as [`raw`] for
//! anything the wrapper does not cover.
//!
//! # Stability
//!
//! Everything outside [`raw`] follows semantic versioning. [`raw`] is the
//! generator's output for Linq's current document: its type names, its
//! builders and its fields change whenever Linq's document does, in any
//! release, so code that names its types should pin this crate's version.
//! [`reqwest`] is re-exported so that a caller's own HTTP client
//! ([`ClientBuilder::http_client`]) is built with the same version; moving
//! to another major version of reqwest is a major release of this crate.
#![warn(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

// The call path, top-down: the facade (client, chats, participants, whose
// calls can also wait by polling or for webhook confirmations), the ways to
// wait (polling; webhooks), the pipeline (call), the transport hooks,
// decoding (decode, lenient) and retry policy, then leaves that import
// nothing above them: the generated client (raw) and its inner value
// (exchange), and values (settings, wire, error, ids, queued, chat, change,
// confirmed, open_enum, response, text). No module imports one above it,
// nor the crate root.
mod call;
mod change;
mod chat;
mod chats;
mod client;
mod confirmed;
mod decode;
pub mod error;
mod exchange;
mod ids;
mod lenient;
mod open_enum;
mod participants;
mod polling;
mod queued;
mod response;
mod retry;
mod settings;
mod text;
mod transport;
#[cfg(feature = "webhooks")]
#[cfg_attr(docsrs, doc(cfg(feature = "webhooks")))]
pub mod webhooks;
mod wire;

pub use call::Call;
pub use change::{ChangeKind, ParticipantChange};
pub use chat::{
    Chat, Participant, ParticipantStatus, Service, UnknownParticipantStatus, UnknownService,
};
pub use chats::Chats;
pub use chrono;
pub use client::{Client, ClientBuilder};
pub use confirmed::Confirmed;
pub use error::{Delivery, Error, ErrorCode, ErrorKind, UnknownErrorCode};
pub use ids::{ChatId, Handle, HandleKind, IntoChatId, IntoHandle};
pub use participants::{ParticipantCall, Participants};
pub use polling::Polling;
pub use queued::{QueueStatus, Queued, UnknownQueueStatus};
pub use reqwest;
pub use response::Answer;
/// The PostgreSQL client the shared confirmation registry uses, for its
/// connection settings and TLS connectors (feature `postgres`).
#[cfg(feature = "postgres")]
#[cfg_attr(docsrs, doc(cfg(feature = "postgres")))]
pub use tokio_postgres;

/// The environment variables a client reads, and its default settings.
pub mod defaults {
    pub use crate::settings::{
        API_KEY_ENV, BASE_URL_ENV, DEFAULT_BASE_URL, DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_RETRIES,
        DEFAULT_MAX_RETRY_WAIT, DEFAULT_RETRY_BACKOFF, DEFAULT_TIMEOUT,
    };
}

pub mod raw;

/// Keeps the README's examples compiling.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeExamples;
