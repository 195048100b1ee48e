//! Waiting for the event that confirms a queued change.
//!
//! The application's webhook handler feeds verified events in; a caller of
//! `add` or `remove` waits for the matching `participant.added` or
//! `participant.removed`. Per process: several instances behind a load
//! balancer must forward events to the instance that waits (or share them
//! some other way), since Linq delivers each event to one of them.

use std::{
    collections::{HashMap, HashSet, VecDeque},
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use sha2::{Digest, Sha256};
use tokio::sync::oneshot;

use super::events::{Event, EventKind};
use crate::{
    Error,
    change::{ChangeKind, ParticipantChange},
    error::NotConfirmed,
    ids::ChatId,
    participants::ParticipantCall,
};

/// How long an event no one waits for yet is kept, and how many at most.
const KEEP_EARLY_FOR: Duration = Duration::from_secs(10 * 60);
const KEEP_EARLY_AT_MOST: usize = 1024;
/// How many delivery ids are remembered to drop duplicate deliveries.
const REMEMBER_IDS: usize = 10_000;

/// A delivery id as remembered: its SHA-256, so that memory stays bounded
/// however long the ids are.
type SeenId = [u8; 32];

/// What a waiter and a confirming event are matched on: addition or
/// removal, the chat, and the handle's text (compared exactly as sent: the
/// SDK does not rewrite handles).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Key {
    kind: ChangeKind,
    chat: ChatId,
    handle: String,
}

impl Key {
    fn of_change(change: &ParticipantChange) -> Self {
        Self {
            kind: change.kind(),
            chat: change.chat(),
            handle: change.handle().as_str().to_owned(),
        }
    }

    /// The change an event confirms, if it confirms one.
    fn of_event(event: &Event) -> Option<Self> {
        let (kind, data) = match event.kind() {
            EventKind::ParticipantAdded(data) => (ChangeKind::Addition, data),
            EventKind::ParticipantRemoved(data) => (ChangeKind::Removal, data),
            _ => return None,
        };
        Some(Self {
            kind,
            chat: data.parsed_chat_id()?,
            handle: data.handle()?.to_owned(),
        })
    }
}

/// What became of a fed event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Fed {
    /// A waiting caller got it.
    Delivered,
    /// No one waits yet; it is kept for a while for whoever will.
    Kept,
    /// The same delivery (by [`Event::id`]: `webhook-id`, else `event_id`)
    /// came before: dropped.
    Duplicate,
    /// It confirms no participant change: another type, or a participant
    /// event without a UUID `chat_id` or a handle.
    Ignored,
}

/// Why a wait ended without its event.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ConfirmError {
    /// The event did not arrive in time.
    #[error("no confirming event within {0:?}")]
    Timeout(Duration),
}

#[derive(Default)]
struct State {
    waiting: HashMap<Key, Vec<oneshot::Sender<Event>>>,
    early: VecDeque<(Instant, Key, Event)>,
    seen: HashSet<SeenId>,
    seen_order: VecDeque<SeenId>,
}

/// The in-process registry that matches confirming events to the callers
/// waiting for them. Cheap to clone; clones share the registry.
///
/// ```
/// # async fn run(client: linq_partner::Client, confirmations: linq_partner::webhooks::Confirmations) -> Result<(), Box<dyn std::error::Error>> {
/// use std::time::Duration;
///
/// // Registers the wait, sends the removal, then waits for the event your
/// // webhook handler feeds in (`confirmations.feed(&event)`).
/// let event = client
///     .chats()
///     .participants()
///     .remove("550e8400-e29b-41d4-a716-446655440000", "+12052499136")
///     .confirmed_by(&confirmations, Duration::from_secs(60))
///     .await?;
/// println!("removed at {:?}", event.envelope().created_at());
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Default)]
pub struct Confirmations {
    state: Arc<Mutex<State>>,
}

impl std::fmt::Debug for Confirmations {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let state = self.lock();
        f.debug_struct("Confirmations")
            .field("waiting", &state.waiting.len())
            .field("kept", &state.early.len())
            .finish()
    }
}

impl Confirmations {
    /// An empty registry.
    pub fn new() -> Self {
        Self::default()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Gives a verified event to whoever waits for it. A repeated delivery
    /// (the same [`Event::id`] or the same event id in its body, of the
    /// latest 10,000 ids) is dropped; an event no one waits for yet is kept
    /// for ten minutes (the latest 1,024), for a wait that starts late. An
    /// event without either id cannot be recognised again, so each delivery
    /// of it counts.
    pub fn feed(&self, event: &Event) -> Fed {
        let mut state = self.lock();
        // The body's event id too, which both signature schemes sign: a
        // delivery verified once under each scheme is still one event.
        let mut ids: Vec<SeenId> = [
            event.id().map(str::to_owned),
            event.envelope().event_id().map(|id| id.to_string()),
        ]
        .into_iter()
        .flatten()
        .map(|id| Sha256::digest(id.as_bytes()).into())
        .collect();
        ids.dedup();
        if ids.iter().any(|id| state.seen.contains(id)) {
            return Fed::Duplicate;
        }
        for id in ids {
            state.seen.insert(id);
            state.seen_order.push_back(id);
            if state.seen_order.len() > REMEMBER_IDS
                && let Some(oldest) = state.seen_order.pop_front()
            {
                state.seen.remove(&oldest);
            }
        }
        let Some(change) = Key::of_event(event) else {
            return Fed::Ignored;
        };
        if let Some(waiters) = state.waiting.get_mut(&change) {
            let mut delivered = false;
            for waiter in waiters.drain(..) {
                // A waiter that gave up has dropped its receiver.
                delivered |= waiter.send(event.clone()).is_ok();
            }
            state.waiting.remove(&change);
            if delivered {
                return Fed::Delivered;
            }
        }
        let now = Instant::now();
        state
            .early
            .retain(|(at, _, _)| now.duration_since(*at) < KEEP_EARLY_FOR);
        if state.early.len() >= KEEP_EARLY_AT_MOST {
            state.early.pop_front();
        }
        state.early.push_back((now, change, event.clone()));
        Fed::Kept
    }

    /// Waits up to `timeout` for the event confirming `change`, including
    /// one that arrived before the wait began. Start waiting before the call
    /// that queues the change, or soon after it: an early event is kept for
    /// ten minutes.
    pub fn wait(
        &self,
        change: &ParticipantChange,
        timeout: Duration,
    ) -> impl Future<Output = Result<Event, ConfirmError>> + Send + 'static {
        let change = Key::of_change(change);
        let receiver = {
            let mut state = self.lock();
            let now = Instant::now();
            let early = state.early.iter().position(|(at, kept, _)| {
                *kept == change && now.duration_since(*at) < KEEP_EARLY_FOR
            });
            match early.and_then(|index| state.early.remove(index)) {
                Some((_, _, event)) => Err(event),
                None => {
                    // Forget waits that gave up, so that they cannot pile up.
                    state.waiting.retain(|_, senders| {
                        senders.retain(|sender| !sender.is_closed());
                        !senders.is_empty()
                    });
                    let (sender, receiver) = oneshot::channel();
                    state.waiting.entry(change).or_default().push(sender);
                    Ok(receiver)
                }
            }
        };
        async move {
            match receiver {
                Err(event) => Ok(event),
                Ok(receiver) => match tokio::time::timeout(timeout, receiver).await {
                    Ok(Ok(event)) => Ok(event),
                    _ => Err(ConfirmError::Timeout(timeout)),
                },
            }
        }
    }
}

impl ParticipantCall<'_> {
    /// Sends the change and waits up to `within` for the webhook event that
    /// confirms it, fed to `confirmations` by your webhook handler; returns
    /// that event. The wait is registered before anything is sent, so an
    /// event that arrives first is not missed.
    ///
    /// One error says which step failed: the send's own error, or
    /// [`ErrorKind::NotConfirmed`](crate::ErrorKind::NotConfirmed) when no event came in time (the change may
    /// still apply later).
    ///
    /// ```no_run
    /// # async fn run(client: linq_partner::Client, confirmations: linq_partner::webhooks::Confirmations) -> Result<(), linq_partner::Error> {
    /// use std::time::Duration;
    ///
    /// let event = client
    ///     .chats()
    ///     .participants()
    ///     .add("550e8400-e29b-41d4-a716-446655440000", "+12052499136")
    ///     .confirmed_by(&confirmations, Duration::from_secs(60))
    ///     .await?;
    /// println!("confirmed by event {:?}", event.id());
    /// # Ok(())
    /// # }
    /// ```
    pub async fn confirmed_by(
        self,
        confirmations: &Confirmations,
        within: Duration,
    ) -> Result<Event, Error> {
        let change = self.subject()?;
        let confirmed = confirmations.wait(&change, within);
        self.queue().await?;
        confirmed.await.map_err(|ConfirmError::Timeout(within)| {
            NotConfirmed::by_webhook(change, within).into()
        })
    }
}
