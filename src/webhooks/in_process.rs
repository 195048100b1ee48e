//! The registry of one process: waits and recent events in memory.

use std::{
    collections::{HashSet, VecDeque},
    sync::{Arc, Mutex},
    time::{Duration, Instant, SystemTime},
};

use sha2::{Digest, Sha256};
use tokio::sync::oneshot;

use super::{
    confirm::FeedOutcome,
    events::Event,
    waiting::{Fed, Key, Since, Waiter, Waiting, stamped},
};

/// How long an event no one waits for is kept, and how many at most.
const KEEP_FOR: Duration = Duration::from_secs(10 * 60);
const KEEP_AT_MOST: usize = 1024;
/// How many delivery ids are remembered to drop duplicate deliveries.
const REMEMBER_IDS: usize = 10_000;

/// A delivery id as remembered: its SHA-256, so that memory stays bounded
/// however long the ids are.
type DeliveryHash = [u8; 32];

/// An event no wait took, for a wait on a change sent before it arrived.
struct KeptEvent {
    fed_at: Instant,
    key: Key,
    stamp: Option<SystemTime>,
    event: Event,
}

#[derive(Default)]
struct State {
    waiting: Waiting,
    kept: VecDeque<KeptEvent>,
    seen: HashSet<DeliveryHash>,
    seen_order: VecDeque<DeliveryHash>,
}

/// Waits and recent events of this process. Cheap to clone; clones share.
#[derive(Clone, Default)]
pub(super) struct InProcess {
    state: Arc<Mutex<State>>,
}

impl InProcess {
    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// How many waits and kept events there are.
    pub(super) fn counts(&self) -> (usize, usize) {
        let state = self.lock();
        (state.waiting.len(), state.kept.len())
    }

    pub(super) fn feed(&self, event: &Event, key: Key) -> FeedOutcome {
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
        let (fed_at, stamp) = (Instant::now(), stamped(event));
        if state
            .waiting
            .deliver(&key, Fed::Instant(fed_at), stamp, event)
        {
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

    /// Registers a wait on `key` for events fed since `since`, those kept
    /// included.
    pub(super) fn register(
        &self,
        key: Key,
        since: Instant,
        not_stamped_before: SystemTime,
    ) -> oneshot::Receiver<Event> {
        let (sender, receiver) = oneshot::channel();
        let waiter = Waiter {
            since: Since::Instant(since),
            not_stamped_before,
            sender,
        };
        let mut state = self.lock();
        let kept = state.kept.iter().position(|kept| {
            kept.key == key && waiter.takes(Fed::Instant(kept.fed_at), kept.stamp)
        });
        match kept.and_then(|index| state.kept.remove(index)) {
            Some(kept) => {
                let _ = waiter.sender.send(kept.event);
            }
            None => state.waiting.add(key, waiter),
        }
        receiver
    }
}
