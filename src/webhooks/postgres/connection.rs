//! Connections to the registry's database: opened with the caller's TLS
//! choice behind one type, each with its statements prepared, and the
//! query connection reopened when it closes.

use std::{
    future::Future,
    pin::Pin,
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    },
};

use tokio::sync::{Mutex, mpsc};
use tokio_postgres::{
    AsyncMessage, Client, Config, Notification, Socket, Statement,
    tls::{MakeTlsConnect, TlsConnect},
};

use super::sql::Sql;

/// How many notifications wait to be read before more are dropped (and
/// the listener reads the table instead).
const NOTIFICATIONS_BUFFERED: usize = 4096;

/// A connection with its statements, and the notifications it receives.
pub(super) struct Session {
    pub(super) client: Client,
    pub(super) statements: Statements,
    pub(super) notifications: mpsc::Receiver<Notification>,
    /// Set when notifications were dropped because the buffer was full.
    pub(super) lagged: Arc<AtomicBool>,
}

/// The registry's statements, prepared on one connection.
pub(super) struct Statements {
    pub(super) feed: Statement,
    pub(super) start: Statement,
    pub(super) now: Statement,
    pub(super) by_ids: Statement,
    pub(super) by_change: Statement,
    pub(super) by_changes: Statement,
    pub(super) clean: Statement,
}

/// A connection and the notifications it receives.
pub(super) struct Opened {
    pub(super) client: Client,
    notifications: mpsc::Receiver<Notification>,
    lagged: Arc<AtomicBool>,
}

type Opening = Pin<Box<dyn Future<Output = Result<Opened, tokio_postgres::Error>> + Send>>;

/// Opens connections: the database's address and the TLS choice, behind
/// one type so that nothing else is generic over the TLS connector.
#[derive(Clone)]
pub(super) struct Connector(Arc<dyn Fn() -> Opening + Send + Sync>);

impl Connector {
    pub(super) fn new<T>(config: Config, tls: T) -> Self
    where
        T: MakeTlsConnect<Socket> + Clone + Send + Sync + 'static,
        T::Stream: Send + 'static,
        T::TlsConnect: Send,
        <T::TlsConnect as TlsConnect<Socket>>::Future: Send,
    {
        Self(Arc::new(move || {
            let (config, tls) = (config.clone(), tls.clone());
            Box::pin(async move {
                let (client, mut connection) = config.connect(tls).await?;
                let (sender, notifications) = mpsc::channel(NOTIFICATIONS_BUFFERED);
                let lagged = Arc::new(AtomicBool::new(false));
                let lagging = Arc::clone(&lagged);
                // Drives the connection until it closes. It never waits on
                // the reader: a full buffer drops the notification and says
                // so, since the reader may be waiting on this connection.
                tokio::spawn(async move {
                    loop {
                        match std::future::poll_fn(|cx| connection.poll_message(cx)).await {
                            Some(Ok(AsyncMessage::Notification(notification))) => {
                                if sender.try_send(notification).is_err() {
                                    lagging.store(true, Ordering::Release);
                                }
                            }
                            Some(Ok(_)) => {}
                            Some(Err(error)) => {
                                tracing::debug!(%error, "confirmation registry connection closed");
                                break;
                            }
                            None => break,
                        }
                    }
                });
                Ok(Opened {
                    client,
                    notifications,
                    lagged,
                })
            })
        }))
    }

    /// A connection without prepared statements (to create the table).
    pub(super) async fn open_plain(&self) -> Result<Opened, tokio_postgres::Error> {
        (self.0)().await
    }

    /// A connection with the registry's statements prepared: fails when the
    /// table is missing.
    pub(super) async fn open(&self, sql: &Sql) -> Result<Session, tokio_postgres::Error> {
        let Opened {
            client,
            notifications,
            lagged,
        } = self.open_plain().await?;
        let statements = Statements {
            feed: client.prepare(&sql.feed).await?,
            start: client.prepare(sql.start).await?,
            now: client.prepare(sql.now).await?,
            by_ids: client.prepare(&sql.by_ids).await?,
            by_change: client.prepare(&sql.by_change).await?,
            by_changes: client.prepare(&sql.by_changes).await?,
            clean: client.prepare(&sql.clean).await?,
        };
        Ok(Session {
            client,
            statements,
            notifications,
            lagged,
        })
    }
}

/// The connection queries go through, reopened when it has closed. One
/// connection serves every caller at once: tokio-postgres pipelines
/// concurrent queries on it.
pub(super) struct Reconnecting {
    connector: Connector,
    sql: Arc<Sql>,
    current: Mutex<Option<Arc<Session>>>,
}

impl Reconnecting {
    pub(super) fn new(connector: Connector, sql: Arc<Sql>, session: Session) -> Self {
        Self {
            connector,
            sql,
            current: Mutex::new(Some(Arc::new(session))),
        }
    }

    async fn session(&self) -> Result<Arc<Session>, tokio_postgres::Error> {
        let mut current = self.current.lock().await;
        if let Some(session) = current.as_ref().filter(|s| !s.client.is_closed()) {
            return Ok(Arc::clone(session));
        }
        *current = None;
        let session = Arc::new(self.connector.open(&self.sql).await?);
        *current = Some(Arc::clone(&session));
        Ok(session)
    }

    /// Runs `query`; once more on a new connection when this one turned
    /// out to be closing (every query of the registry can run twice
    /// harmlessly: storing an event is keyed by its delivery).
    pub(super) async fn run<T, F, Fut>(&self, query: F) -> Result<T, tokio_postgres::Error>
    where
        F: Fn(Arc<Session>) -> Fut,
        Fut: Future<Output = Result<T, tokio_postgres::Error>>,
    {
        let session = self.session().await?;
        match query(Arc::clone(&session)).await {
            Err(error) if closing(&error) || session.client.is_closed() => {
                tracing::debug!(%error, "confirmation registry reconnecting");
                self.forget(&session).await;
                query(self.session().await?).await
            }
            result => result,
        }
    }

    /// Stops using `session`, unless it was replaced already.
    async fn forget(&self, session: &Arc<Session>) {
        let mut current = self.current.lock().await;
        if current.as_ref().is_some_and(|c| Arc::ptr_eq(c, session)) {
            *current = None;
        }
    }
}

/// Whether an error says the connection is gone or going: closed, or the
/// server ending the session (a `FATAL` error, such as an administrator's
/// `pg_terminate_backend`), before the client has seen it close.
fn closing(error: &tokio_postgres::Error) -> bool {
    error.is_closed()
        || error
            .as_db_error()
            .is_some_and(|db| db.severity() == "FATAL" || db.code().code().starts_with("57P"))
}
