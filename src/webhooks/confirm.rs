//! Waiting for the event that confirms a queued change.
//!
//! The application's webhook handler feeds verified events in; a caller of
//! `add` or `remove` registers a wait before sending the change and then
//! waits for the matching `participant.added` or `participant.removed`.
//! Only events fed after the registration can confirm it, and an event
//! stamped well before the change was sent confirms nothing (a delivery
//! Linq retries late). Per process: several instances behind a load
//! balancer must share events some other way, since Linq delivers each
//! event to one of them.

use std::{
    collections::{HashMap, HashSet, VecDeque},
    sync::{Arc, Mutex},
    time::{Duration, Instant, SystemTime},
};

use sha2::{Digest, Sha256};
use tokio::sync::oneshot;

use super::events::{Event, EventKind};
use crate::{
    change::{ChangeKind, ParticipantChange},
    error::{Error, NotConfirmed},
    ids::ChatId,
};

/// How long an event no one waits for is kept, and how many at most.
const KEEP_FOR: Duration = Duration::from_secs(10 * 60);
const KEEP_AT_MOST: usize = 1024;
/// How many delivery ids are remembered to drop duplicate deliveries.
const REMEMBER_IDS: usize = 10_000;

/// A delivery id as remembered: its SHA-256, so that memory stays bounded
/// however long the ids are.
type DeliveryHash = [u8; 32];

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

    /// The change an event confirms, if it confirms one. The partner's own
    /// line leaving a chat (`participant.removed` with `is_me: true`) is no
    /// one's removal.
    fn of_event(event: &Event) -> Option<Self> {
        let (kind, data) = match event.kind() {
            EventKind::ParticipantAdded(data) => (ChangeKind::Addition, data),
            EventKind::ParticipantRemoved(data) => (ChangeKind::Removal, data),
            _ => return None,
        };
        let is_me = data.participant().and_then(|p| p.is_me()) == Some(true);
        if kind == ChangeKind::Removal && is_me {
            return None;
        }
        Some(Self {
            kind,
            chat: data.parsed_chat_id()?,
            handle: data.handle()?.to_owned(),
        })
    }
}

/// When Linq says an event's change happened: `added_at` / `removed_at`,
/// else the envelope's `created_at`.
fn stamped(event: &Event) -> Option<SystemTime> {
    let data_at = match event.kind() {
        EventKind::ParticipantAdded(data) | EventKind::ParticipantRemoved(data) => data.at(),
        _ => None,
    };
    data_at
        .or_else(|| event.envelope().created_at())
        .map(SystemTime::from)
}

/// What became of a fed event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum FeedOutcome {
    /// A waiting caller got it.
    Delivered,
    /// No wait took it; it is kept for ten minutes for a wait on a change
    /// sent before it arrived ([`Confirmations::expect_sent`]).
    Kept,
    /// The same delivery (by [`Event::id`]: `webhook-id`, else `event_id`)
    /// came before: dropped.
    Duplicate,
    /// It confirms no participant change: another type, a participant
    /// event without a UUID `chat_id` or a handle, or the partner's own line
    /// leaving the chat (`is_me: true`).
    Ignored,
}

#[derive(Default)]
struct State {
    waiting: HashMap<Key, Vec<Waiter>>,
    kept: VecDeque<KeptEvent>,
    seen: HashSet<DeliveryHash>,
    seen_order: VecDeque<DeliveryHash>,
}

/// A registered wait: what it accepts, and where to send the event.
struct Waiter {
    /// Events fed before this are not for it.
    since: Instant,
    /// Events stamped before this are not for it.
    not_stamped_before: SystemTime,
    sender: oneshot::Sender<Event>,
}

impl Waiter {
    fn takes(&self, fed_at: Instant, stamp: Option<SystemTime>) -> bool {
        fed_at >= self.since && stamp.is_none_or(|at| at >= self.not_stamped_before)
    }
}

/// An event no wait took, for a wait on a change sent before it arrived.
struct KeptEvent {
    fed_at: Instant,
    key: Key,
    stamp: Option<SystemTime>,
    event: Event,
}

/// The in-process registry that matches confirming events to the callers
/// waiting for them. Cheap to clone; clones share the registry.
///
/// A wait is registered before its change is sent, and only events fed
/// after the registration can confirm it: a kept event of an earlier,
/// identical change never confirms a later one. Linq's events carry no
/// request id, so two identical changes in flight at once (add, remove, add
/// the same handle within the time Linq takes to apply them) cannot be told
/// apart by their events; wait for each before sending the next.
///
/// ```
/// # async fn run(client: linq_partner::Client, confirmations: linq_partner::webhooks::Confirmations) -> Result<(), Box<dyn std::error::Error>> {
/// use std::time::Duration;
///
/// // Registers the wait, sends the removal, then waits for the event your
/// // webhook handler feeds in (`confirmations.feed(&event)`).
/// let confirmed = client
///     .chats()
///     .participants()
///     .remove("550e8400-e29b-41d4-a716-446655440000", "+12052499136")
///     .confirmed_by(&confirmations, Duration::from_secs(60))
///     .await?;
/// println!(
///     "trace id {:?}, removed at {:?}",
///     confirmed.queued().and_then(|q| q.trace_id()),
///     confirmed.by().envelope().created_at()
/// );
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
            .field("kept", &state.kept.len())
            .finish()
    }
}

impl Confirmations {
    /// How far before a change was sent an event may be stamped
    /// (`added_at` / `removed_at`, else `created_at`) and still confirm it:
    /// 2 minutes, for clocks that disagree. An older event is a late
    /// redelivery of an earlier change (Linq retries for about 25 minutes).
    pub const CLOCK_SKEW_ALLOWANCE: Duration = Duration::from_secs(120);

    /// An empty registry.
    pub fn new() -> Self {
        Self::default()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Gives a verified event to the waits it confirms. A repeated delivery
    /// (the same [`Event::id`] or the same event id in its body, of the
    /// latest 10,000 ids) is dropped. An event no wait takes is kept for ten
    /// minutes (the latest 1,024), for [`Confirmations::expect_sent`]. An
    /// event without either id cannot be recognised again, so each delivery
    /// of it counts.
    pub fn feed(&self, event: &Event) -> FeedOutcome {
        let mut state = self.lock();
        // The body's event id too, which both signature schemes sign: a
        // delivery verified once under each scheme is still one event.
        let mut ids: Vec<DeliveryHash> = [
            event.id().map(str::to_owned),
            event.envelope().event_id().map(|id| id.to_string()),
        ]
        .into_iter()
        .flatten()
        .map(|id| Sha256::digest(id.as_bytes()).into())
        .collect();
        ids.dedup();
        if ids.iter().any(|id| state.seen.contains(id)) {
            return FeedOutcome::Duplicate;
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
        let Some(key) = Key::of_event(event) else {
            return FeedOutcome::Ignored;
        };
        let (fed_at, stamp) = (Instant::now(), stamped(event));
        let mut delivered = false;
        if let Some(waiters) = state.waiting.get_mut(&key) {
            // Waits that gave up have dropped their receivers.
            waiters.retain(|waiter| !waiter.sender.is_closed());
            for waiter in waiters.extract_if(.., |waiter| waiter.takes(fed_at, stamp)) {
                delivered |= waiter.sender.send(event.clone()).is_ok();
            }
            if waiters.is_empty() {
                state.waiting.remove(&key);
            }
        }
        if delivered {
            return FeedOutcome::Delivered;
        }
        state
            .kept
            .retain(|kept| fed_at.duration_since(kept.fed_at) < KEEP_FOR);
        if state.kept.len() >= KEEP_AT_MOST {
            state.kept.pop_front();
        }
        state.kept.push_back(KeptEvent {
            fed_at,
            key,
            stamp,
            event: event.clone(),
        });
        FeedOutcome::Kept
    }

    /// Registers a wait for `change`, which you send after this call:
    /// only events fed from now on can confirm it. Then send the change and
    /// [`wait`](Expected::wait). [`ParticipantCall::confirmed_by`](crate::ParticipantCall::confirmed_by) does all
    /// three.
    ///
    /// ```
    /// # async fn run(client: linq_partner::Client, confirmations: linq_partner::webhooks::Confirmations) -> Result<(), Box<dyn std::error::Error>> {
    /// use std::time::Duration;
    /// use linq_partner::ParticipantChange;
    ///
    /// let change = ParticipantChange::addition(
    ///     "550e8400-e29b-41d4-a716-446655440000".parse()?,
    ///     "+12052499136".parse()?,
    /// );
    /// let expected = confirmations.expect(&change); // 1. register
    /// let queued = client // 2. send
    ///     .chats()
    ///     .participants()
    ///     .add(change.chat(), change.handle())
    ///     .await?;
    /// let event = expected.wait(Duration::from_secs(60)).await?; // 3. wait
    /// println!("{:?} confirmed by {:?}", queued.trace_id(), event.id());
    /// # Ok(())
    /// # }
    /// ```
    pub fn expect(&self, change: &ParticipantChange) -> Expected {
        self.register(change, Instant::now(), SystemTime::now())
    }

    /// Registers a wait for `change` that was already sent, at `sent_at`
    /// (an [`Instant`] taken before sending it): events fed since then can
    /// confirm it, those kept included, since its event may arrive before
    /// the wait begins. An instant taken after the change was sent may miss
    /// its event; one taken before an earlier identical change lets that
    /// change's event confirm this one, so prefer
    /// [`expect`](Confirmations::expect) before sending.
    ///
    /// ```
    /// # async fn run(client: linq_partner::Client, confirmations: linq_partner::webhooks::Confirmations) -> Result<(), Box<dyn std::error::Error>> {
    /// use std::time::{Duration, Instant};
    /// use linq_partner::ParticipantChange;
    ///
    /// let change = ParticipantChange::removal(
    ///     "550e8400-e29b-41d4-a716-446655440000".parse()?,
    ///     "+12052499136".parse()?,
    /// );
    /// let sent_at = Instant::now();
    /// client.chats().participants().remove(change.chat(), change.handle()).await?;
    /// // ... later, perhaps after its event arrived:
    /// let event = confirmations
    ///     .expect_sent(&change, sent_at)
    ///     .wait(Duration::from_secs(60))
    ///     .await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn expect_sent(&self, change: &ParticipantChange, sent_at: Instant) -> Expected {
        let ago = sent_at.elapsed();
        let sent_wall = SystemTime::now()
            .checked_sub(ago)
            .unwrap_or(SystemTime::UNIX_EPOCH);
        self.register(change, sent_at, sent_wall)
    }

    fn register(
        &self,
        change: &ParticipantChange,
        since: Instant,
        sent_wall: SystemTime,
    ) -> Expected {
        let key = Key::of_change(change);
        let not_stamped_before = sent_wall
            .checked_sub(Self::CLOCK_SKEW_ALLOWANCE)
            .unwrap_or(SystemTime::UNIX_EPOCH);
        let (sender, receiver) = oneshot::channel();
        let waiter = Waiter {
            since,
            not_stamped_before,
            sender,
        };
        let mut state = self.lock();
        let kept = state
            .kept
            .iter()
            .position(|kept| kept.key == key && waiter.takes(kept.fed_at, kept.stamp));
        match kept.and_then(|index| state.kept.remove(index)) {
            Some(kept) => {
                let _ = waiter.sender.send(kept.event);
            }
            None => {
                // Forget waits that gave up, so that they cannot pile up.
                state.waiting.retain(|_, waiters| {
                    waiters.retain(|waiter| !waiter.sender.is_closed());
                    !waiters.is_empty()
                });
                state.waiting.entry(key).or_default().push(waiter);
            }
        }
        Expected {
            change: change.clone(),
            receiver,
        }
    }
}

/// A registered wait for the event that confirms one change, from
/// [`Confirmations::expect`]. Dropping it gives the wait up.
#[derive(Debug)]
#[must_use = "a registered wait confirms nothing until it is awaited with wait()"]
pub struct Expected {
    change: ParticipantChange,
    receiver: oneshot::Receiver<Event>,
}

impl Expected {
    /// Waits up to `within` for the confirming event; fails with
    /// [`ErrorKind::NotConfirmed`](crate::ErrorKind::NotConfirmed) when none
    /// came in time (the change may still apply later).
    ///
    /// ```
    /// # async fn run(confirmations: linq_partner::webhooks::Confirmations, change: linq_partner::ParticipantChange) {
    /// use std::time::Duration;
    ///
    /// let error = confirmations.expect(&change).wait(Duration::ZERO).await.unwrap_err();
    /// assert!(matches!(error.kind(), linq_partner::ErrorKind::NotConfirmed(_)));
    /// # }
    /// ```
    pub async fn wait(self, within: Duration) -> Result<Event, Error> {
        match tokio::time::timeout(within, self.receiver).await {
            Ok(Ok(event)) => Ok(event),
            _ => Err(NotConfirmed::by_webhook(self.change, within).into()),
        }
    }
}
