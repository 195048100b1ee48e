//! What a participant change returns: Linq's acknowledgement that it is queued.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::{open_enum::open_enum, response::SuccessBody, text::capped_debug};

/// Linq's acknowledgement that a participant change is queued. The change
/// itself happens later; the `participant.added` and `participant.removed`
/// webhook events confirm it.
///
/// Every field is optional because Linq does not promise any of them, and
/// fields this version does not name are kept ([`Queued::unknown_fields`]),
/// so that what Linq adds is readable before the crate names it.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Queued {
    /// A human-readable summary.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    message: Option<String>,
    /// The state of the request, `accepted` when queued.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    status: Option<QueueStatus>,
    /// The identifier Linq support asks for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    trace_id: Option<String>,
    /// Fields of the answer this version of the crate does not name.
    #[serde(flatten)]
    unknown_fields: Map<String, Value>,
    /// Unknown fields that arrived but could not be kept.
    #[serde(skip)]
    left_out: Vec<String>,
}

impl Queued {
    /// An acknowledgement with no fields; add them with the `with_` methods.
    /// For tests of code that uses the SDK's results.
    ///
    /// ```
    /// use linq_partner::{QueueStatus, Queued};
    ///
    /// let queued = Queued::new()
    ///     .with_message("Participant removal queued")
    ///     .with_status(QueueStatus::Accepted)
    ///     .with_trace_id("tr_1");
    /// assert!(queued.is_accepted());
    /// ```
    #[cfg(feature = "test-util")]
    #[cfg_attr(docsrs, doc(cfg(feature = "test-util")))]
    pub fn new() -> Self {
        Self::default()
    }

    /// The same acknowledgement with this message.
    #[cfg(feature = "test-util")]
    #[cfg_attr(docsrs, doc(cfg(feature = "test-util")))]
    pub fn with_message(mut self, message: impl Into<String>) -> Self {
        self.message = Some(message.into());
        self
    }

    /// The same acknowledgement with this status.
    #[cfg(feature = "test-util")]
    #[cfg_attr(docsrs, doc(cfg(feature = "test-util")))]
    pub fn with_status(mut self, status: QueueStatus) -> Self {
        self.status = Some(status);
        self
    }

    /// The same acknowledgement with this trace id.
    #[cfg(feature = "test-util")]
    #[cfg_attr(docsrs, doc(cfg(feature = "test-util")))]
    pub fn with_trace_id(mut self, trace_id: impl Into<String>) -> Self {
        self.trace_id = Some(trace_id.into());
        self
    }

    /// Linq's summary, such as "Participant removal queued".
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// The state of the request.
    pub fn status(&self) -> Option<&QueueStatus> {
        self.status.as_ref()
    }

    /// Whether Linq said `accepted`.
    pub fn is_accepted(&self) -> bool {
        self.status == Some(QueueStatus::Accepted)
    }

    /// The identifier Linq support asks for.
    pub fn trace_id(&self) -> Option<&str> {
        self.trace_id.as_deref()
    }

    /// Fields of the answer this version of the crate does not name, as
    /// they arrived: what Linq adds to the answer is readable here at once.
    ///
    /// ```
    /// use linq_partner::Queued;
    ///
    /// let queued: Queued = serde_json::from_str(
    ///     r#"{"status":"accepted","queued_at":"2026-03-01T10:00:00Z"}"#,
    /// )?;
    /// assert_eq!(queued.unknown_fields()["queued_at"], "2026-03-01T10:00:00Z");
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn unknown_fields(&self) -> &Map<String, Value> {
        &self.unknown_fields
    }

    /// The names of unknown fields that arrived with values no
    /// `serde_json::Value` can hold (a number beyond `f64`'s range, nesting
    /// deeper than 128 levels): left out of
    /// [`unknown_fields`](Queued::unknown_fields) rather than failing an
    /// answer whose known fields are fine. Invalid UTF-8 in a string is
    /// replaced with U+FFFD.
    ///
    /// ```
    /// use linq_partner::Queued;
    ///
    /// let queued = Queued::new();
    /// assert!(queued.left_out_fields().is_empty());
    /// ```
    pub fn left_out_fields(&self) -> &[String] {
        &self.left_out
    }
}

impl SuccessBody for Queued {
    fn trace_id(&self) -> Option<&str> {
        self.trace_id.as_deref()
    }

    /// Every field is optional, so an empty 202 is an acknowledgement with
    /// no fields.
    fn from_empty() -> Option<Self> {
        Some(Self::default())
    }

    const FIELDS: &'static [&'static str] = &["message", "status", "trace_id"];

    fn set_left_out(&mut self, names: Vec<String>) {
        self.left_out = names;
    }
}

open_enum! {
    /// The `status` of a queued change.
    ///
    /// ```
    /// use linq_partner::QueueStatus;
    ///
    /// assert_eq!(QueueStatus::from("accepted".to_owned()), QueueStatus::Accepted);
    /// let later = QueueStatus::from("deferred".to_owned());
    /// assert!(matches!(later, QueueStatus::Other(_)));
    /// assert_eq!(later.as_str(), "deferred");
    /// assert_eq!(later.to_string(), "deferred");
    /// ```
    #[cfg_attr(feature = "schemars", schemars(description = "The state of a queued change: `accepted`, or a state Linq adds later."))]
    QueueStatus / UnknownQueueStatus {
        /// `accepted`: Linq queued the change.
        Accepted = "accepted",
    }
}

capped_debug!(Queued {
    message,
    status,
    trace_id,
    unknown_fields,
    left_out,
});
