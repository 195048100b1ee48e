//! What a failed call is known to have done: how far its requests got
//! ([`Delivery`]), and the wait that was refused when that is why it
//! stopped ([`RefusedWait`]). Values only; the call pipeline sets them once,
//! when the call ends.

use std::{fmt, time::Duration};

/// How far a failed call's requests got, over all its attempts, from
/// [`Error::delivery`](crate::Error::delivery).
///
/// Three things can be known of a change, and one of them is "we cannot
/// know": when a connection breaks after a request may have been written,
/// Linq may have received and applied it. An add or a remove sent twice
/// changes nothing more (it is a set change), so such failures are retried,
/// as Linq's official SDKs do; when the call still fails, this says so.
///
/// ```
/// # async fn run(client: linq_partner::Client) {
/// use linq_partner::Delivery;
///
/// let outcome = client
///     .chats()
///     .participants()
///     .add("550e8400-e29b-41d4-a716-446655440000", "+12052499136")
///     .await;
/// if let Err(error) = outcome {
///     match error.delivery() {
///         Delivery::NotSent | Delivery::Refused => eprintln!("not applied: {error}"),
///         Delivery::MayHaveReached => eprintln!("unknown, read the chat to know: {error}"),
///         Delivery::Accepted => eprintln!("queued, but: {error}"),
///         _ => eprintln!("{error}"),
///     }
/// }
/// # }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Delivery {
    /// No request reached Linq: the input was refused, the client could not
    /// be built, or no connection could be made. Nothing changed.
    NotSent,
    /// Every request that reached a server was answered, and no answer
    /// accepted it (an error status, or a redirect that was not followed).
    Refused,
    /// A request may have reached Linq, and no answer says what became of
    /// it: the connection broke or the time ran out after it may have been
    /// written, or an answer arrived that could not be read. The change may
    /// have been applied.
    MayHaveReached,
    /// Linq answered with a 2xx status line: for a change, it was accepted
    /// and was not sent again.
    Accepted,
}

impl Delivery {
    /// The more advanced of two attempts' deliveries: what a whole call
    /// reports. A later refusal does not undo an earlier attempt that may
    /// have reached Linq.
    pub(crate) fn and_then(self, later: Delivery) -> Delivery {
        if later.rank() >= self.rank() {
            later
        } else {
            self
        }
    }

    fn rank(self) -> u8 {
        match self {
            Delivery::NotSent => 0,
            Delivery::Refused => 1,
            Delivery::MayHaveReached => 2,
            Delivery::Accepted => 3,
        }
    }
}

impl fmt::Display for Delivery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Delivery::NotSent => "nothing reached Linq",
            Delivery::Refused => "Linq did not accept it",
            Delivery::MayHaveReached => "it may have reached Linq",
            Delivery::Accepted => "Linq accepted it",
        })
    }
}

/// A wait before the next attempt that the call did not make, and the
/// limit that refused it, from [`Error::refused_wait`](crate::Error::refused_wait):
/// why a call that could have been retried stopped.
///
/// ```
/// # fn check(error: &linq_partner::Error) {
/// use linq_partner::error::WaitLimit;
///
/// if let Some(refused) = error.refused_wait() {
///     match refused.limit() {
///         WaitLimit::MaxRetryWait(limit) => eprintln!("Linq asked for {:?}, over {limit:?}", refused.wait()),
///         WaitLimit::Deadline(deadline) => eprintln!("no time left within {deadline:?}"),
///         _ => {}
///     }
/// }
/// # }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RefusedWait {
    pub(crate) wait: Duration,
    pub(crate) asked_by_server: bool,
    pub(crate) limit: WaitLimit,
}

impl RefusedWait {
    /// A wait the server asked for that is longer than `limit`, the longest
    /// it may ask for (`max_retry_wait`).
    pub(crate) fn over_max_retry_wait(wait: Duration, limit: Duration) -> Self {
        Self {
            wait,
            asked_by_server: true,
            limit: WaitLimit::MaxRetryWait(limit),
        }
    }

    /// The wait that was refused; `Duration::MAX` stands for a wait too
    /// long to represent.
    pub fn wait(&self) -> Duration {
        self.wait
    }

    /// Whether the server asked for it (`retry-after-ms` or `retry-after`);
    /// otherwise it was the client's own backoff.
    pub fn asked_by_server(&self) -> bool {
        self.asked_by_server
    }

    /// The limit that refused it.
    pub fn limit(&self) -> WaitLimit {
        self.limit
    }
}

impl fmt::Display for RefusedWait {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not retried: ")?;
        match (self.asked_by_server, self.wait) {
            (true, Duration::MAX) => {
                f.write_str("Linq asked to wait longer than this client can represent")?;
                return Ok(());
            }
            (true, wait) => write!(f, "Linq asked to wait {wait:?}")?,
            (false, wait) => write!(f, "the next attempt was due in {wait:?}")?,
        }
        match self.limit {
            WaitLimit::MaxRetryWait(limit) => {
                write!(f, ", longer than this client's limit of {limit:?}")
            }
            WaitLimit::Deadline(deadline) => {
                write!(f, ", past the call's deadline of {deadline:?}")
            }
        }
    }
}

/// Which limit refused a wait, with its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum WaitLimit {
    /// The longest wait a server may ask for (`max_retry_wait`).
    MaxRetryWait(Duration),
    /// The call's deadline (`deadline`), which the wait would pass.
    Deadline(Duration),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_call_reports_the_furthest_its_requests_got() {
        use Delivery::*;
        assert_eq!(MayHaveReached.and_then(Refused), MayHaveReached);
        assert_eq!(Refused.and_then(NotSent), Refused);
        assert_eq!(NotSent.and_then(MayHaveReached), MayHaveReached);
        assert_eq!(MayHaveReached.and_then(Accepted), Accepted);
    }
}
