//! A queued change that could not be confirmed, whichever way it was
//! waited for.

use std::{fmt, sync::Arc, time::Duration};

use super::Error;
use crate::{
    change::{ChangeKind, ParticipantChange},
    text::{MESSAGE_CHARS, shown},
};

/// A queued change that could not be confirmed, from
/// [`ErrorKind::NotConfirmed`](crate::ErrorKind::NotConfirmed): it did not show in time, or reading the chat
/// failed for good. Linq had accepted the change, which may still apply.
#[derive(Debug, Clone)]
pub struct NotConfirmed {
    change: ParticipantChange,
    within: Duration,
    reads: u32,
    last_seen: Option<String>,
    /// Waited for a webhook event rather than by reading the chat.
    by_webhook: bool,
    /// The read of the chat that ended the wait early.
    failed_read: Option<Arc<Error>>,
}

impl fmt::Display for NotConfirmed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (what, preposition, event) = match self.change.kind() {
            ChangeKind::Addition => ("addition", "to", "participant.added"),
            _ => ("removal", "from", "participant.removed"),
        };
        write!(
            f,
            "the {what} of {} {preposition} chat {} ",
            self.change.handle(),
            self.change.chat(),
        )?;
        let reads = match self.reads {
            1 => "1 read".to_owned(),
            reads => format!("{reads} reads"),
        };
        if self.failed_read.is_some() {
            return write!(
                f,
                "was queued but could not be confirmed: reading the chat failed ({reads})"
            );
        }
        write!(f, "did not show within {:?} ", self.within)?;
        if self.by_webhook {
            return write!(f, "(no {event} webhook event arrived)");
        }
        let seen = self.last_seen.as_deref().map_or_else(
            || "nothing yet".to_owned(),
            |seen| shown(seen, MESSAGE_CHARS).to_string(),
        );
        write!(f, "({reads} of the chat; last seen: {seen})")
    }
}

impl std::error::Error for NotConfirmed {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.failed_read
            .as_deref()
            .map(|error| error as &(dyn std::error::Error + 'static))
    }
}

impl NotConfirmed {
    /// The change did not show in `reads` reads of the chat within `within`.
    pub(crate) fn new(
        change: ParticipantChange,
        within: Duration,
        reads: u32,
        last_seen: Option<String>,
    ) -> Self {
        Self {
            change,
            within,
            reads,
            last_seen,
            by_webhook: false,
            failed_read: None,
        }
    }

    /// The wait ended at its `reads`th read of the chat, which failed with
    /// `error` and is not worth repeating; `last_seen` is what the reads
    /// before it showed.
    pub(crate) fn read_failed(
        change: ParticipantChange,
        within: Duration,
        reads: u32,
        last_seen: Option<String>,
        error: Error,
    ) -> Self {
        Self {
            failed_read: Some(Arc::new(error)),
            ..Self::new(change, within, reads, last_seen)
        }
    }

    /// No webhook event confirmed `change` within `within`.
    #[cfg(feature = "webhooks")]
    pub(crate) fn by_webhook(change: ParticipantChange, within: Duration) -> Self {
        Self {
            by_webhook: true,
            ..Self::new(change, within, 0, None)
        }
    }

    /// The change waited for.
    pub fn change(&self) -> &ParticipantChange {
        &self.change
    }

    /// How long it was to be waited for.
    pub fn within(&self) -> Duration {
        self.within
    }

    /// How many times the chat was read (0 when the wait was for a webhook
    /// event).
    pub fn reads(&self) -> u32 {
        self.reads
    }

    /// What the last read that answered showed of the handle (or why it
    /// failed in a way worth reading again), as text.
    pub fn last_seen(&self) -> Option<&str> {
        self.last_seen.as_deref()
    }

    /// The read of the chat that failed for good and ended the wait early
    /// (a refusal such as 401 or 404, or a wait Linq asked for that is over
    /// the client's limit); also the [`source`](std::error::Error::source).
    pub fn failed_read(&self) -> Option<&Error> {
        self.failed_read.as_deref()
    }
}
