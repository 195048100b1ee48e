//! Waiting for the event that confirms a queued change.
//!
//! The application's webhook handler feeds verified events in; a caller of
//! `add` or `remove` registers a wait before sending the change and then
//! waits for the matching `participant.added` or `participant.removed`.
//! Only events fed after the registration can confirm it, and an event
//! stamped well before the change was sent confirms nothing (a delivery
//! Linq retries late). The registry is this process's memory, or with the
//! `postgres` feature a database that every replica shares.

use std::{
    fmt,
    str::FromStr,
    time::{Duration, Instant, SystemTime, UNIX_EPOCH},
};

use tokio::sync::oneshot;

use super::{events::Event, in_process::InProcess, waiting::Key};
use crate::{
    change::ParticipantChange,
    error::{Error, NotConfirmed, RegistryError, RegistryProblem},
};

/// What became of a fed event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum FeedOutcome {
    /// A waiting caller in this process got it.
    Delivered,
    /// No wait took it; it is kept for ten minutes for a wait on a change
    /// sent before it arrived ([`Confirmations::expect_sent`]).
    Kept,
    /// Stored in the shared registry's database, where a wait on any
    /// replica takes it (feature `postgres`).
    Stored,
    /// The same delivery (by [`Event::id`]: `webhook-id`, else `event_id`,
    /// or by the body's `event_id`) came before: dropped.
    Duplicate,
    /// It confirms no participant change: another type, a participant
    /// event without a UUID `chat_id` or a handle, or the partner's own line
    /// leaving the chat (`is_me: true`).
    Ignored,
}

/// Where a registered wait begins, saved so that a process restarted during
/// the wait can [wait again](Confirmations::expect_from) for the same
/// change: its text form (`to_string`, `parse`) is meant to be stored beside
/// the change. From a shared registry it finds the event in the database
/// even when it arrived while no process waited.
///
/// ```
/// use linq_partner::webhooks::WaitStart;
///
/// let start: WaitStart = "local.1764547200000000".parse()?;
/// assert_eq!(start.to_string(), "local.1764547200000000");
/// assert!("local.soon".parse::<WaitStart>().is_err());
/// # Ok::<(), linq_partner::error::RegistryError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct WaitStart {
    /// When the change was sent (or about to be), by this machine's clock,
    /// in microseconds since 1970: events stamped well before it are not
    /// for the wait.
    sent_micros: i64,
    from: StartPoint,
}

/// Where in its registry a wait begins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum StartPoint {
    /// In this process's memory: from `sent_micros` on.
    Local,
    /// In a database: from the rows of transactions with this id or later.
    Transaction(i64),
    /// In a database: from rows written at this database time or later.
    DatabaseTime(i64),
}

fn micros_since_epoch(at: SystemTime) -> i64 {
    match at.duration_since(UNIX_EPOCH) {
        Ok(since) => i64::try_from(since.as_micros()).unwrap_or(i64::MAX),
        Err(before) => -i64::try_from(before.duration().as_micros()).unwrap_or(i64::MAX),
    }
}

impl WaitStart {
    pub(super) fn new(sent: SystemTime, from: StartPoint) -> Self {
        Self {
            sent_micros: micros_since_epoch(sent),
            from,
        }
    }

    pub(super) fn from(self) -> StartPoint {
        self.from
    }

    /// When the change was sent, by the clock of the machine that sent it.
    pub fn sent_at(self) -> SystemTime {
        let micros = Duration::from_micros(self.sent_micros.unsigned_abs());
        let at = if self.sent_micros >= 0 {
            UNIX_EPOCH.checked_add(micros)
        } else {
            UNIX_EPOCH.checked_sub(micros)
        };
        at.unwrap_or(UNIX_EPOCH)
    }

    /// Events stamped before this are not for the wait.
    pub(super) fn not_stamped_before(self) -> SystemTime {
        self.sent_at()
            .checked_sub(Confirmations::CLOCK_SKEW_ALLOWANCE)
            .unwrap_or(UNIX_EPOCH)
    }
}

impl fmt::Display for WaitStart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.from {
            StartPoint::Local => write!(f, "local.{}", self.sent_micros),
            StartPoint::Transaction(id) => write!(f, "pg.xact.{id}.{}", self.sent_micros),
            StartPoint::DatabaseTime(at) => write!(f, "pg.time.{at}.{}", self.sent_micros),
        }
    }
}

impl FromStr for WaitStart {
    type Err = RegistryError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let refused = || {
            RegistryError::new(
                RegistryProblem::InvalidWaitStart,
                format!(
                    "not a wait start (\"local.<micros>\" or \"pg.xact.<id>.<micros>\"): {:?}",
                    crate::text::shown_string(text, 80)
                ),
            )
        };
        if text.len() > 80 {
            return Err(refused());
        }
        let parts: Vec<&str> = text.split('.').collect();
        let number = |part: &str| part.parse::<i64>().map_err(|_| refused());
        let (from, sent) = match parts.as_slice() {
            ["local", sent] => (StartPoint::Local, sent),
            ["pg", "xact", id, sent] => (StartPoint::Transaction(number(id)?), sent),
            ["pg", "time", at, sent] => (StartPoint::DatabaseTime(number(at)?), sent),
            _ => return Err(refused()),
        };
        Ok(Self {
            sent_micros: number(sent)?,
            from,
        })
    }
}

/// The registry that matches confirming events to the callers waiting for
/// them: in this process ([`Confirmations::new`]), or shared by every
/// replica through PostgreSQL ([`PostgresRegistry`](super::PostgresRegistry),
/// feature `postgres`). Both work the same way; cheap to clone, clones
/// share the registry.
///
/// A wait is registered before its change is sent, and only events fed
/// after the registration can confirm it: a kept event of an earlier,
/// identical change never confirms a later one. Linq's events carry no
/// request id, so two identical changes in flight at once (add, remove, add
/// the same handle within the time Linq takes to apply them) cannot be told
/// apart by their events; wait for each before sending the next.
///
/// In-process, a replica behind a load balancer sees only the events Linq
/// delivers to it; several replicas share one registry through PostgreSQL.
///
/// ```
/// # async fn run(client: linq_partner::Client, confirmations: linq_partner::webhooks::Confirmations) -> Result<(), Box<dyn std::error::Error>> {
/// use std::time::Duration;
///
/// // Registers the wait, sends the removal, then waits for the event your
/// // webhook handler feeds in (`confirmations.feed(&event).await`).
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
    registry: Registry,
}

#[derive(Clone)]
enum Registry {
    InProcess(InProcess),
    #[cfg(feature = "postgres")]
    Postgres(super::postgres::Shared),
}

impl Default for Registry {
    fn default() -> Self {
        Self::InProcess(InProcess::default())
    }
}

impl fmt::Debug for Confirmations {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.registry {
            Registry::InProcess(registry) => {
                let (waiting, kept) = registry.counts();
                f.debug_struct("Confirmations")
                    .field("waiting", &waiting)
                    .field("kept", &kept)
                    .finish()
            }
            #[cfg(feature = "postgres")]
            Registry::Postgres(registry) => f
                .debug_struct("Confirmations")
                .field("waiting", &registry.waiting())
                .field("table", &registry.table())
                .finish(),
        }
    }
}

impl Confirmations {
    /// How far before a change was sent an event may be stamped
    /// (`added_at` / `removed_at`, else `created_at`) and still confirm it:
    /// 2 minutes, for clocks that disagree. An older event is a late
    /// redelivery of an earlier change (Linq retries for about 25 minutes).
    pub const CLOCK_SKEW_ALLOWANCE: Duration = Duration::from_secs(120);

    /// An empty registry in this process's memory.
    pub fn new() -> Self {
        Self::default()
    }

    #[cfg(feature = "postgres")]
    pub(super) fn shared(registry: super::postgres::Shared) -> Self {
        Self {
            registry: Registry::Postgres(registry),
        }
    }

    /// Gives a verified event to the waits it confirms, and answers what
    /// became of it. Answer Linq's delivery 2xx once this returns `Ok`; an
    /// error (a shared registry's database failed) is worth a 5xx, so that
    /// Linq delivers the event again.
    ///
    /// A repeated delivery (the same [`Event::id`] or the same event id in
    /// its body) is dropped: in-process, of the latest 10,000 ids; shared,
    /// of the events in the table. In-process, an event no wait takes is
    /// kept for ten minutes (the latest 1,024) for
    /// [`Confirmations::expect_sent`]; shared, every event is kept until
    /// the registry's clean-up removes it. An event without either id
    /// cannot be recognised again, so each delivery of it counts.
    ///
    /// ```
    /// # async fn run(confirmations: linq_partner::webhooks::Confirmations, event: linq_partner::webhooks::Event) -> Result<(), linq_partner::Error> {
    /// use linq_partner::webhooks::FeedOutcome;
    ///
    /// match confirmations.feed(&event).await? {
    ///     FeedOutcome::Duplicate => println!("seen before"),
    ///     outcome => println!("{outcome:?}"),
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub async fn feed(&self, event: &Event) -> Result<FeedOutcome, Error> {
        let Some(key) = Key::of_event(event) else {
            return Ok(FeedOutcome::Ignored);
        };
        match &self.registry {
            Registry::InProcess(registry) => Ok(registry.feed(event, key)),
            #[cfg(feature = "postgres")]
            Registry::Postgres(registry) => Ok(registry.feed(event, &key).await?),
        }
    }

    /// Registers a wait for `change`, which you send after this call:
    /// only events fed from now on can confirm it. Then send the change and
    /// [`wait`](Expected::wait). [`ParticipantCall::confirmed_by`](crate::ParticipantCall::confirmed_by) does all
    /// three. Fails only when a shared registry's database does (nothing
    /// was sent then).
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
    /// let expected = confirmations.expect(&change).await?; // 1. register
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
    pub async fn expect(&self, change: &ParticipantChange) -> Result<Expected, Error> {
        let sent = SystemTime::now();
        let key = Key::of_change(change);
        match &self.registry {
            Registry::InProcess(registry) => {
                let start = WaitStart::new(sent, StartPoint::Local);
                let receiver = registry.register(key, Instant::now(), start.not_stamped_before());
                Ok(Expected::new(change, start, receiver))
            }
            #[cfg(feature = "postgres")]
            Registry::Postgres(registry) => {
                let (start, receiver) = registry.expect(key, sent).await?;
                Ok(Expected::new(change, start, receiver))
            }
        }
    }

    /// Registers a wait for `change` that was already sent, at `sent_at`
    /// (an [`Instant`] taken before sending it): events fed since then can
    /// confirm it, those kept included, since its event may arrive before
    /// the wait begins. An instant taken after the change was sent may miss
    /// its event; one taken before an earlier identical change lets that
    /// change's event confirm this one, so prefer
    /// [`expect`](Confirmations::expect) before sending. A shared registry
    /// measures `sent_at` on the database's clock (now, less the time
    /// elapsed since `sent_at`).
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
    ///     .await?
    ///     .wait(Duration::from_secs(60))
    ///     .await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn expect_sent(
        &self,
        change: &ParticipantChange,
        sent_at: Instant,
    ) -> Result<Expected, Error> {
        let ago = sent_at.elapsed();
        let sent = SystemTime::now().checked_sub(ago).unwrap_or(UNIX_EPOCH);
        let key = Key::of_change(change);
        match &self.registry {
            Registry::InProcess(registry) => {
                let start = WaitStart::new(sent, StartPoint::Local);
                let receiver = registry.register(key, sent_at, start.not_stamped_before());
                Ok(Expected::new(change, start, receiver))
            }
            #[cfg(feature = "postgres")]
            Registry::Postgres(registry) => {
                let (start, receiver) = registry.expect_sent(key, sent, sent_at).await?;
                Ok(Expected::new(change, start, receiver))
            }
        }
    }

    /// Registers a wait for `change` again, from where an earlier wait for
    /// it began ([`Expected::start`], saved as text): after a restart, say.
    /// A shared registry finds an event stored meanwhile; in-process, only
    /// events fed since this process started can confirm it. Fails for a
    /// start made by another kind of registry, or when a shared registry's
    /// database does.
    ///
    /// ```
    /// # async fn run(confirmations: linq_partner::webhooks::Confirmations, change: linq_partner::ParticipantChange, saved: String) -> Result<(), Box<dyn std::error::Error>> {
    /// use std::time::Duration;
    ///
    /// let event = confirmations
    ///     .expect_from(&change, saved.parse()?)
    ///     .await?
    ///     .wait(Duration::from_secs(60))
    ///     .await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn expect_from(
        &self,
        change: &ParticipantChange,
        start: WaitStart,
    ) -> Result<Expected, Error> {
        let key = Key::of_change(change);
        match &self.registry {
            Registry::InProcess(registry) => {
                if start.from() != StartPoint::Local {
                    return Err(RegistryError::new(
                        RegistryProblem::InvalidWaitStart,
                        "a wait start made by a shared registry was given to this in-process one",
                    )
                    .into());
                }
                let ago = SystemTime::now()
                    .duration_since(start.sent_at())
                    .unwrap_or_default();
                let since = Instant::now().checked_sub(ago).unwrap_or_else(Instant::now);
                let receiver = registry.register(key, since, start.not_stamped_before());
                Ok(Expected::new(change, start, receiver))
            }
            #[cfg(feature = "postgres")]
            Registry::Postgres(registry) => {
                let receiver = registry.expect_from(key, start).await?;
                Ok(Expected::new(change, start, receiver))
            }
        }
    }
}

/// A registered wait for the event that confirms one change, from
/// [`Confirmations::expect`]. Dropping it gives the wait up.
#[derive(Debug)]
#[must_use = "a registered wait confirms nothing until it is awaited with wait()"]
pub struct Expected {
    change: ParticipantChange,
    start: WaitStart,
    receiver: oneshot::Receiver<Event>,
}

impl Expected {
    fn new(
        change: &ParticipantChange,
        start: WaitStart,
        receiver: oneshot::Receiver<Event>,
    ) -> Self {
        Self {
            change: change.clone(),
            start,
            receiver,
        }
    }

    /// Where this wait began: save its text with the change to wait again
    /// after a restart ([`Confirmations::expect_from`]).
    ///
    /// ```
    /// # async fn run(confirmations: linq_partner::webhooks::Confirmations, change: linq_partner::ParticipantChange) -> Result<(), linq_partner::Error> {
    /// let expected = confirmations.expect(&change).await?;
    /// let saved = expected.start().to_string(); // store it with the change
    /// # Ok(())
    /// # }
    /// ```
    pub fn start(&self) -> WaitStart {
        self.start
    }

    /// Waits up to `within` for the confirming event; fails with
    /// [`ErrorKind::NotConfirmed`](crate::ErrorKind::NotConfirmed) when none
    /// came in time (the change may still apply later).
    ///
    /// ```
    /// # async fn run(confirmations: linq_partner::webhooks::Confirmations, change: linq_partner::ParticipantChange) -> Result<(), linq_partner::Error> {
    /// use std::time::Duration;
    ///
    /// let error = confirmations.expect(&change).await?.wait(Duration::ZERO).await.unwrap_err();
    /// assert!(matches!(error.kind(), linq_partner::ErrorKind::NotConfirmed(_)));
    /// # Ok(())
    /// # }
    /// ```
    pub async fn wait(self, within: Duration) -> Result<Event, Error> {
        match tokio::time::timeout(within, self.receiver).await {
            Ok(Ok(event)) => Ok(event),
            _ => Err(NotConfirmed::by_webhook(self.change, within).into()),
        }
    }
}
