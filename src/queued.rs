//! What a participant change returns: Linq's acknowledgement that it is queued.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::raw;

/// Linq's acknowledgement that a participant change is queued. The change
/// itself happens later; the `participant.added` and `participant.removed`
/// webhook events confirm it.
///
/// Every field is optional because Linq does not promise any of them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Queued {
    /// A human-readable summary.
    message: Option<String>,
    /// The state of the request, `accepted` when queued.
    status: Option<QueueStatus>,
    /// The identifier Linq support asks for.
    trace_id: Option<String>,
}

impl Queued {
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

    pub(crate) fn from_raw(value: raw::types::ParticipantChangeQueued) -> Self {
        Self {
            message: value.message,
            status: value.status.map(QueueStatus::from),
            trace_id: value.trace_id,
        }
    }
}

/// The `status` of a queued change.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(from = "String", into = "String")]
pub enum QueueStatus {
    /// `accepted`: Linq queued the change.
    Accepted,
    /// A status this version of the crate does not know.
    Other(String),
}

impl From<String> for QueueStatus {
    fn from(value: String) -> Self {
        if value == "accepted" {
            Self::Accepted
        } else {
            Self::Other(value)
        }
    }
}

impl From<QueueStatus> for String {
    fn from(value: QueueStatus) -> Self {
        match value {
            QueueStatus::Accepted => "accepted".to_owned(),
            QueueStatus::Other(other) => other,
        }
    }
}
