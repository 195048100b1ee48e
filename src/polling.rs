//! Waiting for a queued participant change without a webhook endpoint:
//! read the chat, slowly at first and then less often, until the change
//! shows or the time is up. For scripts and batch jobs that cannot receive
//! Linq's webhooks.
//!
//! Gentle on Linq's rate limits: the first read waits
//! [`Polling::first_read_after`] (changes take a moment to apply), the
//! pause doubles up to [`Polling::longest_pause`], each read is one request
//! (no retries of its own), and a rate-limited or failed read waits what the
//! answer's `retry-after` asks when that is longer.

use std::{sync::Arc, time::Duration};

use tokio::time::Instant;

use crate::{
    change::ParticipantChange,
    chat::Chat,
    chats::Chats,
    error::{Error, NotConfirmed, RefusedWait},
    retry::{self, Verdict},
    settings::{RetryPolicy, Settings},
};

/// How to wait for a change by reading the chat.
///
/// ```
/// use std::time::Duration;
/// use linq_partner::Polling;
///
/// let polling = Polling::within(Duration::from_secs(60))
///     .first_read_after(Duration::from_millis(500))
///     .longest_pause(Duration::from_secs(5));
/// assert_eq!(polling.limit(), Duration::from_secs(60));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Polling {
    within: Duration,
    first_read_after: Duration,
    longest_pause: Duration,
}

impl Polling {
    /// Wait at most `within` (from the moment the wait starts): the first
    /// read after 1 s, then pauses doubling up to 8 s.
    pub fn within(within: Duration) -> Self {
        Self {
            within,
            first_read_after: Duration::from_secs(1),
            longest_pause: Duration::from_secs(8),
        }
    }

    /// The pause before the first read (and the first pause between reads);
    /// at least [`Polling::SHORTEST_PAUSE`], so that no setting turns the
    /// wait into a stream of reads.
    pub fn first_read_after(mut self, pause: Duration) -> Self {
        self.first_read_after = pause.max(Self::SHORTEST_PAUSE);
        self
    }

    /// The longest pause between two reads (at least
    /// [`Polling::SHORTEST_PAUSE`]).
    pub fn longest_pause(mut self, pause: Duration) -> Self {
        self.longest_pause = pause.max(Self::SHORTEST_PAUSE);
        self
    }

    /// The shortest pause between two reads any setting gives: 100 ms.
    pub const SHORTEST_PAUSE: Duration = Duration::from_millis(100);

    /// The whole wait's limit.
    pub fn limit(&self) -> Duration {
        self.within
    }
}

pub(crate) async fn wait(
    settings: &Arc<Settings>,
    change: &ParticipantChange,
    polling: Polling,
) -> Result<Chat, Error> {
    // A limit too far away to represent is no limit.
    let end = Instant::now().checked_add(polling.within);
    let left = || end.map(|end| end.saturating_duration_since(Instant::now()));
    let chats = Chats::new(settings);
    let mut pause = polling.first_read_after;
    let mut reads = 0u32;
    let mut last_seen = None;
    // The client's retry rules, for reads that may be repeated however many
    // came before.
    let reading = RetryPolicy {
        max_retries: u32::MAX,
        ..settings.retry
    };
    while left().is_none_or(|left| pause <= left && !left.is_zero()) {
        tokio::time::sleep(pause).await;
        reads = reads.saturating_add(1);
        let mut read = chats.get(change.chat()).max_retries(0);
        if let Some(left) = left() {
            read = read.deadline(left);
        }
        let read = read.await;
        pause = pause.saturating_mul(2).min(polling.longest_pause);
        let error = match read {
            Ok(chat) if change.shows_in(&chat) => return Ok(chat),
            Ok(chat) => {
                last_seen = Some(seen_in(&chat, change));
                continue;
            }
            Err(error) => error,
        };
        // A failed read is read again when the client's retry policy would
        // retry it, after the wait it asks for when that is longer than the
        // pause. Any other failure ends the wait: the change was queued, so
        // the caller learns that, with the read's error inside.
        match retry::seen(&error).map(|seen| retry::decide(seen, 0, &reading)) {
            Some(Verdict::Retry { wait, .. }) => {
                pause = pause.max(wait);
                last_seen = Some(error.to_string());
            }
            verdict => {
                let error = match verdict {
                    Some(Verdict::WaitTooLong(wait)) => {
                        let (attempts, delivery) = (error.attempts(), error.delivery());
                        let refused =
                            RefusedWait::over_max_retry_wait(wait, reading.max_server_wait);
                        error.ending_call(attempts, delivery, Some(refused))
                    }
                    _ => error,
                };
                let failed = NotConfirmed::read_failed(
                    change.clone(),
                    polling.within,
                    reads,
                    last_seen,
                    error,
                );
                return Err(failed.into());
            }
        }
    }
    Err(NotConfirmed::new(change.clone(), polling.within, reads, last_seen).into())
}

/// What the chat showed of the handle, for the error when time runs out.
fn seen_in(chat: &Chat, change: &ParticipantChange) -> String {
    match chat.participant(change.handle().as_str()) {
        None => "not in the chat".to_owned(),
        Some(member) => match member.status() {
            Some(status) => format!("status {status}"),
            None => "in the chat".to_owned(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_setting_makes_reads_back_to_back() {
        let polling = Polling::within(Duration::from_secs(1))
            .first_read_after(Duration::ZERO)
            .longest_pause(Duration::ZERO);
        assert_eq!(polling.first_read_after, Polling::SHORTEST_PAUSE);
        assert_eq!(polling.longest_pause, Polling::SHORTEST_PAUSE);
    }
}
