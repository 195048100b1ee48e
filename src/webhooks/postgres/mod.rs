//! Confirmations shared by several replicas through PostgreSQL (feature
//! `postgres`).
//!
//! Every replica stores the verified participant events it receives in one
//! table (a row per delivery, keyed by the delivery's id) and announces
//! each with `NOTIFY`, carrying the row's id. Every replica listens, and
//! hands an announced event to its own waits. A replica that lost its
//! listening connection reads the table when it listens again, so an
//! announcement missed meanwhile costs nothing; a wait saved before a
//! restart ([`WaitStart`](super::WaitStart)) finds its event in the table.
//!
//! Which rows a wait may take is decided by the database's transaction
//! ids, not by clocks: a wait registered before its change is sent takes
//! only rows stored by transactions that began after it was registered.

mod connection;
mod listener;
mod shared;
mod sql;

use std::{
    sync::{Arc, Mutex},
    time::Duration,
};

use tokio::sync::oneshot;
use tokio_postgres::{
    Config, NoTls, Socket,
    tls::{MakeTlsConnect, TlsConnect},
};

pub(crate) use shared::Shared;

use self::{
    connection::{Connector, Reconnecting},
    listener::Cleaning,
    sql::{Sql, check_name},
};
use super::{confirm::Confirmations, waiting::Waiting};
use crate::error::{Error, RegistryError, RegistryProblem};

/// How long opening a connection may take, unless the configuration says.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// How a [`PostgresRegistry`] names itself to the database
/// (`application_name`), unless the configuration names it otherwise.
pub const APPLICATION_NAME: &str = "linq-partner";

/// Settings of a confirmation registry in PostgreSQL, shared by every
/// replica that connects to it: the database, the table, and how long
/// events are kept. [`connect`](PostgresRegistry::connect) gives the
/// [`Confirmations`] of one replica.
///
/// The table is created by [`create_table`](PostgresRegistry::create_table)
/// (or by running [`schema_sql`](PostgresRegistry::schema_sql) yourself);
/// nothing else in the database is touched. Each replica keeps two
/// connections: one for its queries, on which concurrent calls are
/// pipelined, and one that listens. Both are reopened when they close.
///
/// ```no_run
/// # async fn run() -> Result<(), linq_partner::Error> {
/// use std::time::Duration;
/// use linq_partner::webhooks::PostgresRegistry;
///
/// let registry = PostgresRegistry::new("postgres://app@127.0.0.1/app")?
///     .table("linq", "participant_events")?
///     .keep_events_for(Duration::from_secs(3600));
/// registry.create_table().await?; // once, or from your migrations
/// let confirmations = registry.connect().await?;
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct PostgresRegistry {
    config: Config,
    connect: Arc<dyn Fn(Config) -> Connector + Send + Sync>,
    schema: String,
    table: String,
    cleaning: Cleaning,
}

impl std::fmt::Debug for PostgresRegistry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PostgresRegistry")
            .field("hosts", &self.config.get_hosts())
            .field("ports", &self.config.get_ports())
            .field("dbname", &self.config.get_dbname())
            .field("user", &self.config.get_user())
            .field("schema", &self.schema)
            .field("table", &self.table)
            .field("keep_events_for", &self.cleaning.keep_for)
            .field("clean_every", &self.cleaning.every)
            .finish_non_exhaustive()
    }
}

impl PostgresRegistry {
    /// The default schema: `linq_partner`.
    pub const DEFAULT_SCHEMA: &str = "linq_partner";
    /// The default table: `participant_events`.
    pub const DEFAULT_TABLE: &str = "participant_events";
    /// How long events are kept by default: one hour, longer than Linq
    /// goes on retrying a delivery (about 25 minutes).
    pub const DEFAULT_KEEP_FOR: Duration = Duration::from_secs(60 * 60);
    /// How often old events are removed by default: every minute.
    pub const DEFAULT_CLEAN_EVERY: Duration = Duration::from_secs(60);

    /// A registry in the database `connection` names, in libpq's form
    /// (`host=… user=… dbname=…`) or as a URL (`postgres://user@host/db`),
    /// without TLS ([`tls`](PostgresRegistry::tls) sets one). Fails for
    /// text that is neither.
    ///
    /// ```
    /// use linq_partner::webhooks::PostgresRegistry;
    ///
    /// assert!(PostgresRegistry::new("host=127.0.0.1 user=app dbname=app").is_ok());
    /// assert!(PostgresRegistry::new("postgres://app@[::1").is_err());
    /// ```
    pub fn new(connection: &str) -> Result<Self, Error> {
        let config: Config = connection
            .parse()
            .map_err(|error| RegistryError::database("read the connection settings", error))?;
        Ok(Self::with_config(config))
    }

    /// A registry in the database `config` names, without TLS. Connections
    /// are named [`APPLICATION_NAME`] and time out after 10 s unless
    /// `config` sets otherwise.
    ///
    /// ```
    /// use linq_partner::{tokio_postgres::Config, webhooks::PostgresRegistry};
    ///
    /// let mut config = Config::new();
    /// config.host("127.0.0.1").user("app").dbname("app");
    /// let registry = PostgresRegistry::with_config(config);
    /// ```
    pub fn with_config(mut config: Config) -> Self {
        if config.get_application_name().is_none() {
            config.application_name(APPLICATION_NAME);
        }
        // A database that does not answer fails a connection attempt
        // instead of holding it forever.
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(CONNECT_TIMEOUT);
        }
        Self {
            config,
            connect: Arc::new(|config| Connector::new(config, NoTls)),
            schema: Self::DEFAULT_SCHEMA.to_owned(),
            table: Self::DEFAULT_TABLE.to_owned(),
            cleaning: Cleaning {
                keep_for: Self::DEFAULT_KEEP_FOR,
                every: Self::DEFAULT_CLEAN_EVERY,
            },
        }
    }

    /// Connects with TLS, through any of tokio-postgres's TLS connectors
    /// (`postgres-native-tls`, `tokio-postgres-rustls`, ...).
    ///
    /// ```
    /// use linq_partner::{tokio_postgres::NoTls, webhooks::PostgresRegistry};
    ///
    /// let registry = PostgresRegistry::new("host=db.internal user=app")?.tls(NoTls);
    /// # Ok::<(), linq_partner::Error>(())
    /// ```
    pub fn tls<T>(mut self, tls: T) -> Self
    where
        T: MakeTlsConnect<Socket> + Clone + Send + Sync + 'static,
        T::Stream: Send + 'static,
        T::TlsConnect: Send,
        <T::TlsConnect as TlsConnect<Socket>>::Future: Send,
    {
        self.connect = Arc::new(move |config| Connector::new(config, tls.clone()));
        self
    }

    /// Keeps events in `schema.table` (by default
    /// `linq_partner.participant_events`). Each is lowercase ASCII letters,
    /// digits and `_`, not starting with a digit; the table at most 48
    /// bytes, and both together at most 62.
    ///
    /// ```
    /// use linq_partner::webhooks::PostgresRegistry;
    ///
    /// let registry = PostgresRegistry::new("host=127.0.0.1")?;
    /// assert!(registry.clone().table("public", "linq_events").is_ok());
    /// assert!(registry.table("public", "events; DROP TABLE users").is_err());
    /// # Ok::<(), linq_partner::Error>(())
    /// ```
    pub fn table(mut self, schema: &str, table: &str) -> Result<Self, Error> {
        check_name("schema", schema, 62)?;
        check_name("table", table, 48)?;
        if schema.len() + table.len() > 62 {
            return Err(RegistryError::new(
                RegistryProblem::InvalidName,
                format!(
                    "the schema and table names together must be at most 62 bytes (got {})",
                    schema.len() + table.len()
                ),
            )
            .into());
        }
        self.schema = schema.to_owned();
        self.table = table.to_owned();
        Ok(self)
    }

    /// How long a stored event is kept (one hour by default; at least one
    /// second). A wait saved for longer than this cannot find its event
    /// after a restart.
    ///
    /// ```
    /// # let registry = linq_partner::webhooks::PostgresRegistry::new("host=127.0.0.1")?;
    /// let registry = registry.keep_events_for(std::time::Duration::from_secs(2 * 3600));
    /// # Ok::<(), linq_partner::Error>(())
    /// ```
    pub fn keep_events_for(mut self, keep_for: Duration) -> Self {
        self.cleaning.keep_for = keep_for.max(Duration::from_secs(1));
        self
    }

    /// How often each replica removes events older than
    /// [`keep_events_for`](PostgresRegistry::keep_events_for) (every minute
    /// by default; at least every 10 ms).
    ///
    /// ```
    /// # let registry = linq_partner::webhooks::PostgresRegistry::new("host=127.0.0.1")?;
    /// let registry = registry.clean_every(std::time::Duration::from_secs(300));
    /// # Ok::<(), linq_partner::Error>(())
    /// ```
    pub fn clean_every(mut self, every: Duration) -> Self {
        self.cleaning.every = every.max(Duration::from_millis(10));
        self
    }

    fn sql(&self) -> Sql {
        Sql::new(&self.schema, &self.table)
    }

    /// The SQL that creates the schema (if missing), the table and its two
    /// indexes, for your own migrations; running it twice changes nothing.
    ///
    /// ```
    /// use linq_partner::webhooks::PostgresRegistry;
    ///
    /// let sql = PostgresRegistry::new("host=127.0.0.1")?.schema_sql();
    /// assert!(sql.contains(r#"CREATE TABLE IF NOT EXISTS "linq_partner"."participant_events""#));
    /// # Ok::<(), linq_partner::Error>(())
    /// ```
    pub fn schema_sql(&self) -> String {
        self.sql().create
    }

    /// Runs [`schema_sql`](PostgresRegistry::schema_sql) in the database,
    /// in one transaction; replicas that call it at the same time wait for
    /// each other.
    ///
    /// ```no_run
    /// # async fn run(registry: linq_partner::webhooks::PostgresRegistry) -> Result<(), linq_partner::Error> {
    /// registry.create_table().await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn create_table(&self) -> Result<(), Error> {
        let opened = (self.connect)(self.config.clone())
            .open_plain()
            .await
            .map_err(|error| RegistryError::database("connect", error))?;
        // Replicas starting together create it one at a time: two
        // concurrent `CREATE ... IF NOT EXISTS` can still collide.
        let script = format!(
            "BEGIN;\nSELECT pg_advisory_xact_lock(hashtext('linq-partner create_table'));\n{}COMMIT;",
            self.schema_sql()
        );
        opened
            .client
            .batch_execute(&script)
            .await
            .map_err(|error| RegistryError::database("create the table", error).into())
    }

    /// Connects this replica: opens its query connection (failing when the
    /// database cannot be reached or the table is missing) and starts its
    /// listener in the background, which runs until the last clone of the
    /// returned [`Confirmations`] is dropped.
    ///
    /// ```no_run
    /// # async fn run(registry: linq_partner::webhooks::PostgresRegistry) -> Result<(), linq_partner::Error> {
    /// let confirmations = registry.connect().await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn connect(self) -> Result<Confirmations, Error> {
        let sql = Arc::new(self.sql());
        let connector = (self.connect)(self.config.clone());
        let session = connector
            .open(&sql)
            .await
            .map_err(|error| RegistryError::database("connect", error))?;
        let waiting = Arc::new(Mutex::new(Waiting::default()));
        let (stop, stopped) = oneshot::channel();
        tokio::spawn(listener::run(
            connector.clone(),
            Arc::clone(&sql),
            Arc::clone(&waiting),
            self.cleaning,
            stopped,
        ));
        let shared = Shared::new(
            Reconnecting::new(connector, Arc::clone(&sql), session),
            waiting,
            sql.name.clone(),
            stop,
        );
        Ok(Confirmations::shared(shared))
    }
}
