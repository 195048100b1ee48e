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
    error::InvalidInput,
    ids::{ChatId, IntoChatId, IntoHandle},
};

/// How long an event no one waits for yet is kept, and how many at most.
const KEEP_EARLY_FOR: Duration = Duration::from_secs(10 * 60);
const KEEP_EARLY_AT_MOST: usize = 1024;
/// How many delivery ids are remembered to drop duplicate deliveries.
const REMEMBER_IDS: usize = 10_000;

/// A delivery id as remembered: its SHA-256, so that memory stays bounded
/// however long the ids are.
type SeenId = [u8; 32];

/// A change whose confirmation is awaited: which event, which chat, which
/// handle (compared exactly as sent: the SDK does not rewrite handles).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Change {
    added: bool,
    chat: ChatId,
    handle: String,
}

impl Change {
    /// The addition of `handle` to `chat`, confirmed by `participant.added`.
    ///
    /// ```
    /// let change = linq_partner::webhooks::Change::added("550e8400-e29b-41d4-a716-446655440000", "+12052499136")?;
    /// # Ok::<(), linq_partner::InvalidInput>(())
    /// ```
    pub fn added(chat: impl IntoChatId, handle: impl IntoHandle) -> Result<Self, InvalidInput> {
        Self::new(true, chat, handle)
    }

    /// The removal of `handle` from `chat`, confirmed by `participant.removed`.
    ///
    /// ```
    /// let change = linq_partner::webhooks::Change::removed("550e8400-e29b-41d4-a716-446655440000", "+12052499136")?;
    /// # Ok::<(), linq_partner::InvalidInput>(())
    /// ```
    pub fn removed(chat: impl IntoChatId, handle: impl IntoHandle) -> Result<Self, InvalidInput> {
        Self::new(false, chat, handle)
    }

    fn new(
        added: bool,
        chat: impl IntoChatId,
        handle: impl IntoHandle,
    ) -> Result<Self, InvalidInput> {
        Ok(Self {
            added,
            chat: chat.into_chat_id()?,
            handle: handle.into_handle()?.into(),
        })
    }

    /// The change an event confirms, if it confirms one.
    fn of(event: &Event) -> Option<Self> {
        let (added, data) = match event.kind() {
            EventKind::ParticipantAdded(data) => (true, data),
            EventKind::ParticipantRemoved(data) => (false, data),
            _ => return None,
        };
        Some(Self {
            added,
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
    waiting: HashMap<Change, Vec<oneshot::Sender<Event>>>,
    early: VecDeque<(Instant, Change, Event)>,
    seen: HashSet<SeenId>,
    seen_order: VecDeque<SeenId>,
}

/// The in-process registry that matches confirming events to the callers
/// waiting for them. Cheap to clone; clones share the registry.
///
/// ```
/// # async fn run(client: linq_partner::Client, confirmations: linq_partner::webhooks::Confirmations) -> Result<(), Box<dyn std::error::Error>> {
/// use std::time::Duration;
/// use linq_partner::webhooks::Change;
///
/// let chat = "550e8400-e29b-41d4-a716-446655440000";
/// let change = Change::removed(chat, "+12052499136")?;
/// let confirmed = confirmations.wait(change, Duration::from_secs(60)); // start waiting first
/// client.chats().participants().remove(chat, "+12052499136").await?;
/// let event = confirmed.await?; // fed by your webhook handler: confirmations.feed(&event)
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
    /// (the same [`Event::id`], of the latest 10,000) is dropped; an event
    /// no one waits for yet is kept for ten minutes (the latest 1,024), for
    /// a wait that starts late. An event without an id cannot be recognised
    /// again, so each delivery of it counts.
    pub fn feed(&self, event: &Event) -> Fed {
        let mut state = self.lock();
        if let Some(id) = event.id() {
            let id: SeenId = Sha256::digest(id.as_bytes()).into();
            if !state.seen.insert(id) {
                return Fed::Duplicate;
            }
            state.seen_order.push_back(id);
            if state.seen_order.len() > REMEMBER_IDS
                && let Some(oldest) = state.seen_order.pop_front()
            {
                state.seen.remove(&oldest);
            }
        }
        let Some(change) = Change::of(event) else {
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
        change: Change,
        timeout: Duration,
    ) -> impl Future<Output = Result<Event, ConfirmError>> + Send + 'static {
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
