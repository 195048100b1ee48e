//! A change Linq accepted and that was then seen applied: Linq's answer to
//! it together with what confirmed it.

use crate::queued::Queued;

/// Linq's answer to a change, together with what confirmed the change: the
/// webhook event ([`confirmed_by`](crate::ParticipantCall::confirmed_by))
/// or the chat as read ([`confirm_by_polling`](crate::ParticipantCall::confirm_by_polling)).
///
/// ```
/// # async fn run(client: linq_partner::Client) -> Result<(), linq_partner::Error> {
/// use std::time::Duration;
/// use linq_partner::Polling;
///
/// let confirmed = client
///     .chats()
///     .participants()
///     .add("550e8400-e29b-41d4-a716-446655440000", "+12052499136")
///     .confirm_by_polling(Polling::within(Duration::from_secs(60)))
///     .await?;
/// let trace_id = confirmed.queued().and_then(|queued| queued.trace_id());
/// println!("{trace_id:?}: {} participants", confirmed.by().participants().len());
/// let (_queued, _chat) = confirmed.into_parts();
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct Confirmed<T> {
    queued: Option<Queued>,
    by: T,
}

impl<T> Confirmed<T> {
    pub(crate) fn new(queued: Option<Queued>, by: T) -> Self {
        Self { queued, by }
    }

    /// Linq's answer to the change (message, status, trace id); `None` when
    /// Linq accepted it with a 2xx whose body could not be read.
    pub fn queued(&self) -> Option<&Queued> {
        self.queued.as_ref()
    }

    /// What confirmed the change.
    pub fn by(&self) -> &T {
        &self.by
    }

    /// The answer and the confirmation, taken apart.
    pub fn into_parts(self) -> (Option<Queued>, T) {
        (self.queued, self.by)
    }
}
