//! The rules that match a fed event to the waits it confirms, the same for
//! every registry: what a change and an event are matched on, and which
//! events a wait may take (fed after it was registered, and not stamped
//! well before its change was sent).

use std::{
    collections::HashMap,
    time::{Instant, SystemTime},
};

use tokio::sync::oneshot;

use super::events::{Event, EventKind};
use crate::{
    change::{ChangeKind, ParticipantChange},
    ids::ChatId,
};

/// What a waiter and a confirming event are matched on: addition or
/// removal, the chat, and the handle's text (compared exactly as sent: the
/// SDK does not rewrite handles).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) struct Key {
    pub(super) kind: ChangeKind,
    pub(super) chat: ChatId,
    pub(super) handle: String,
}

impl Key {
    pub(super) fn of_change(change: &ParticipantChange) -> Self {
        Self {
            kind: change.kind(),
            chat: change.chat(),
            handle: change.handle().as_str().to_owned(),
        }
    }

    /// The change an event confirms, if it confirms one. The partner's own
    /// line leaving a chat (`participant.removed` with `is_me: true`) is no
    /// one's removal.
    pub(super) fn of_event(event: &Event) -> Option<Self> {
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
pub(super) fn stamped(event: &Event) -> Option<SystemTime> {
    let data_at = match event.kind() {
        EventKind::ParticipantAdded(data) | EventKind::ParticipantRemoved(data) => data.at(),
        _ => None,
    };
    data_at
        .or_else(|| event.envelope().created_at())
        .map(SystemTime::from)
}

/// Where a wait begins: events fed from there on are for it.
#[derive(Debug, Clone, Copy)]
#[cfg_attr(not(feature = "postgres"), allow(dead_code))]
pub(super) enum Since {
    /// In this process, from this instant.
    Instant(Instant),
    /// In a database, from rows written by transactions that began after
    /// the wait was registered (a transaction id: see the postgres module).
    Transaction(i64),
    /// In a database, from rows written at or after this time of the
    /// database's clock, in microseconds since 1970.
    DatabaseTime(i64),
}

/// When an event was fed, in the same terms.
#[derive(Debug, Clone, Copy)]
#[cfg_attr(not(feature = "postgres"), allow(dead_code))]
pub(super) enum Fed {
    /// In this process.
    Instant(Instant),
    /// As a row of a database: its transaction id and its time.
    Row { transaction: i64, at_micros: i64 },
}

impl Since {
    fn takes(self, fed: Fed) -> bool {
        match (self, fed) {
            (Since::Instant(since), Fed::Instant(at)) => at >= since,
            (Since::Transaction(since), Fed::Row { transaction, .. }) => transaction >= since,
            (Since::DatabaseTime(since), Fed::Row { at_micros, .. }) => at_micros >= since,
            _ => false,
        }
    }
}

/// A registered wait: what it accepts, and where to send the event.
pub(super) struct Waiter {
    pub(super) since: Since,
    /// Events stamped before this are not for it.
    pub(super) not_stamped_before: SystemTime,
    pub(super) sender: oneshot::Sender<Event>,
}

impl Waiter {
    pub(super) fn takes(&self, fed: Fed, stamp: Option<SystemTime>) -> bool {
        self.since.takes(fed) && stamp.is_none_or(|at| at >= self.not_stamped_before)
    }
}

/// The waits of one process, by the change they wait for.
#[derive(Default)]
pub(super) struct Waiting(HashMap<Key, Vec<Waiter>>);

impl Waiting {
    /// Adds a wait, and forgets those that gave up so that they cannot pile
    /// up.
    pub(super) fn add(&mut self, key: Key, waiter: Waiter) {
        self.0.retain(|_, waiters| {
            waiters.retain(|waiter| !waiter.sender.is_closed());
            !waiters.is_empty()
        });
        self.0.entry(key).or_default().push(waiter);
    }

    /// Gives the event to every wait on `key` that takes it; whether one
    /// did.
    pub(super) fn deliver(
        &mut self,
        key: &Key,
        fed: Fed,
        stamp: Option<SystemTime>,
        event: &Event,
    ) -> bool {
        let Some(waiters) = self.0.get_mut(key) else {
            return false;
        };
        // Waits that gave up have dropped their receivers.
        waiters.retain(|waiter| !waiter.sender.is_closed());
        let mut delivered = false;
        for waiter in waiters.extract_if(.., |waiter| waiter.takes(fed, stamp)) {
            delivered |= waiter.sender.send(event.clone()).is_ok();
        }
        if waiters.is_empty() {
            self.0.remove(key);
        }
        delivered
    }

    /// How many waits there are.
    pub(super) fn len(&self) -> usize {
        self.0.values().map(Vec::len).sum()
    }

    /// Whether there is no wait.
    #[cfg_attr(not(feature = "postgres"), allow(dead_code))]
    pub(super) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The changes waited for.
    #[cfg_attr(not(feature = "postgres"), allow(dead_code))]
    pub(super) fn keys(&self) -> impl Iterator<Item = &Key> {
        self.0.keys()
    }
}
