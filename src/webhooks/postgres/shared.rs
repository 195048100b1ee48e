//! The shared registry as one replica uses it: store events, register
//! waits, and hand stored events to this replica's waits.

use std::{
    sync::{Arc, Mutex},
    time::{Duration, Instant, SystemTime},
};

use sha2::{Digest, Sha256};
use tokio::sync::oneshot;
use tokio_postgres::{Row, Statement};

use super::connection::{Reconnecting, Statements};
use crate::{
    change::ChangeKind,
    error::{RegistryError, RegistryProblem},
    webhooks::{
        Scheme,
        confirm::{FeedOutcome, StartPoint, WaitStart},
        events::{Event, decode_event, participant_body},
        waiting::{Fed, Key, Since, Waiter, Waiting, stamped},
    },
};

/// How long the database has to answer one of the registry's queries.
const ANSWER_WITHIN: Duration = Duration::from_secs(10);

/// The answer to a query, within [`ANSWER_WITHIN`]; `doing` says what for.
async fn answered<T>(
    doing: &str,
    query: impl std::future::Future<Output = Result<T, tokio_postgres::Error>>,
) -> Result<T, RegistryError> {
    match tokio::time::timeout(ANSWER_WITHIN, query).await {
        Ok(Ok(answer)) => Ok(answer),
        Ok(Err(error)) => Err(RegistryError::database(doing, error)),
        Err(_) => Err(RegistryError::new(
            RegistryProblem::Database,
            format!(
                "the confirmation registry's database did not answer within {ANSWER_WITHIN:?} to {doing}"
            ),
        )),
    }
}

/// One replica's handle on the shared registry. Cheap to clone; the
/// background listener stops when the last clone is dropped.
#[derive(Clone)]
pub(crate) struct Shared(Arc<Inner>);

struct Inner {
    queries: Reconnecting,
    waiting: Arc<Mutex<Waiting>>,
    name: String,
    /// Dropped with the last handle, which stops the listener.
    _stop: oneshot::Sender<()>,
}

pub(super) fn lock(waiting: &Mutex<Waiting>) -> std::sync::MutexGuard<'_, Waiting> {
    waiting
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn kind_text(kind: ChangeKind) -> &'static str {
    match kind {
        ChangeKind::Addition => "added",
        ChangeKind::Removal => "removed",
    }
}

fn scheme_text(scheme: Scheme) -> &'static str {
    match scheme {
        Scheme::StandardWebhooks => "standard-webhooks",
        Scheme::XWebhook => "x-webhook",
    }
}

/// Gives stored events to this replica's waits that take them.
pub(super) fn deliver_rows(waiting: &Mutex<Waiting>, rows: &[Row]) {
    for row in rows {
        match from_row(row) {
            Some((key, fed, event)) => {
                lock(waiting).deliver(&key, fed, stamped(&event), &event);
            }
            None => tracing::warn!("confirmation registry: a stored row is not an event"),
        }
    }
}

/// A stored event, as `sql::COLUMNS` reads it.
fn from_row(row: &Row) -> Option<(Key, Fed, Event)> {
    let transaction: i64 = row.try_get(1).ok()?;
    let at_micros: i64 = row.try_get(2).ok()?;
    let delivery_id: Option<String> = row.try_get(3).ok()?;
    let scheme = match row.try_get::<_, &str>(4).ok()? {
        "x-webhook" => Scheme::XWebhook,
        _ => Scheme::StandardWebhooks,
    };
    let subscription_id: Option<String> = row.try_get(5).ok()?;
    let body: &str = row.try_get(6).ok()?;
    let event = decode_event(body.as_bytes(), scheme, delivery_id, subscription_id, None);
    let key = Key::of_event(&event)?;
    Some((
        key,
        Fed::Row {
            transaction,
            at_micros,
        },
        event,
    ))
}

impl Shared {
    pub(super) fn new(
        queries: Reconnecting,
        waiting: Arc<Mutex<Waiting>>,
        name: String,
        stop: oneshot::Sender<()>,
    ) -> Self {
        Self(Arc::new(Inner {
            queries,
            waiting,
            name,
            _stop: stop,
        }))
    }

    pub(crate) fn waiting(&self) -> usize {
        lock(&self.0.waiting).len()
    }

    pub(crate) fn table(&self) -> &str {
        &self.0.name
    }

    /// Stores the event once, and announces it to every replica.
    pub(crate) async fn feed(
        &self,
        event: &Event,
        key: &Key,
    ) -> Result<FeedOutcome, RegistryError> {
        let body = participant_body(event)
            .map(|body| body.to_string())
            .unwrap_or_default();
        let delivery_key: Option<Vec<u8>> =
            event.id().map(|id| Sha256::digest(id.as_bytes()).to_vec());
        let event_id = event.envelope().event_id().map(|id| id.to_string());
        let chat = key.chat.to_string();
        let stored = answered(
            "store an event",
            self.0.queries.run(|session| {
                let (body, delivery_key, event_id, chat) = (&body, &delivery_key, &event_id, &chat);
                async move {
                    session
                        .client
                        .query(
                            &session.statements.feed,
                            &[
                                delivery_key,
                                event_id,
                                &kind_text(key.kind),
                                chat,
                                &key.handle,
                                &event.id(),
                                &scheme_text(event.scheme()),
                                &event.subscription_id(),
                                body,
                            ],
                        )
                        .await
                }
            }),
        )
        .await?;
        Ok(if stored.is_empty() {
            FeedOutcome::Duplicate
        } else {
            FeedOutcome::Stored
        })
    }

    fn register(&self, key: Key, since: Since, start: WaitStart) -> oneshot::Receiver<Event> {
        let (sender, receiver) = oneshot::channel();
        let waiter = Waiter {
            since,
            not_stamped_before: start.not_stamped_before(),
            sender,
        };
        lock(&self.0.waiting).add(key, waiter);
        receiver
    }

    /// Where a wait registered now begins, as `statement` reads it (a
    /// transaction id, or the database's time).
    async fn register_point(
        &self,
        statement: fn(&Statements) -> &Statement,
    ) -> Result<i64, RegistryError> {
        answered(
            "register a wait",
            self.0.queries.run(|session| async move {
                let row = session
                    .client
                    .query_one(statement(&session.statements), &[])
                    .await?;
                row.try_get(0)
            }),
        )
        .await
    }

    /// A wait for a change about to be sent: from the next transaction on.
    /// Rows stored before the wait is in place were stored before the
    /// change was sent, so they are not looked for.
    pub(crate) async fn expect(
        &self,
        key: Key,
        sent: SystemTime,
    ) -> Result<(WaitStart, oneshot::Receiver<Event>), RegistryError> {
        let transaction = self.register_point(|s| &s.start).await?;
        let start = WaitStart::new(sent, StartPoint::Transaction(transaction));
        Ok((
            start,
            self.register(key, Since::Transaction(transaction), start),
        ))
    }

    /// A wait for a change sent at `sent_at`: from then on the database's
    /// clock, stored rows included. The time since `sent_at` is taken once
    /// the database has told its time, so that the query's own latency
    /// moves the start earlier, never later.
    pub(crate) async fn expect_sent(
        &self,
        key: Key,
        sent: SystemTime,
        sent_at: Instant,
    ) -> Result<(WaitStart, oneshot::Receiver<Event>), RegistryError> {
        let now = self.register_point(|s| &s.now).await?;
        let ago = i64::try_from(sent_at.elapsed().as_micros()).unwrap_or(i64::MAX);
        let start = WaitStart::new(sent, StartPoint::DatabaseTime(now.saturating_sub(ago)));
        let receiver = self.expect_from(key, start).await?;
        Ok((start, receiver))
    }

    /// A wait from a saved start: registered, then the rows stored since
    /// are looked for (those stored after it are announced).
    pub(crate) async fn expect_from(
        &self,
        key: Key,
        start: WaitStart,
    ) -> Result<oneshot::Receiver<Event>, RegistryError> {
        let since = match start.from() {
            StartPoint::Transaction(id) => Since::Transaction(id),
            StartPoint::DatabaseTime(at) => Since::DatabaseTime(at),
            // Its position means nothing here: taking it as "from the
            // start" would let any stored event confirm the wait.
            StartPoint::Local => {
                return Err(RegistryError::new(
                    RegistryProblem::InvalidWaitStart,
                    "a wait start made by an in-process registry was given to this shared one",
                ));
            }
        };
        let receiver = self.register(key.clone(), since, start);
        let chat = key.chat.to_string();
        let rows = answered(
            "look for stored events",
            self.0.queries.run(|session| {
                let (chat, key) = (&chat, &key);
                async move {
                    session
                        .client
                        .query(
                            &session.statements.by_change,
                            &[chat, &key.handle, &kind_text(key.kind)],
                        )
                        .await
                }
            }),
        )
        .await?;
        deliver_rows(&self.0.waiting, &rows);
        Ok(receiver)
    }
}

/// The three arrays the catch-up query takes: chats, handles, kinds.
pub(super) fn waited_changes(waiting: &Mutex<Waiting>) -> (Vec<String>, Vec<String>, Vec<String>) {
    let waiting = lock(waiting);
    let mut changes = (Vec::new(), Vec::new(), Vec::new());
    for key in waiting.keys() {
        changes.0.push(key.chat.to_string());
        changes.1.push(key.handle.clone());
        changes.2.push(kind_text(key.kind).to_owned());
    }
    changes
}
