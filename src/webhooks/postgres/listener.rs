//! The background task of each replica: listens for stored events and hands
//! them to the replica's waits; reconnects with backoff, and after every
//! (re)connection reads the table for what it may have missed; removes old
//! rows on the user's schedule.

use std::{
    sync::{Arc, Mutex, atomic::Ordering},
    time::Duration,
};

use tokio::{sync::oneshot, time::Instant};

use super::{
    connection::{Connector, Session},
    shared::{deliver_rows, lock, waited_changes},
    sql::Sql,
};
use crate::webhooks::waiting::Waiting;

/// How long to wait before reconnecting: doubling from the first to the
/// last.
const FIRST_RETRY: Duration = Duration::from_millis(50);
const LAST_RETRY: Duration = Duration::from_secs(5);
/// How long the database has to answer one query.
const ANSWER_WITHIN: Duration = Duration::from_secs(10);
/// The most announced events read in one query.
const READ_AT_ONCE: usize = 512;

/// When and how rows are removed.
#[derive(Debug, Clone, Copy)]
pub(super) struct Cleaning {
    pub(super) keep_for: Duration,
    pub(super) every: Duration,
}

/// Runs until `stop` resolves (its sender is dropped with the last handle).
pub(super) async fn run(
    connector: Connector,
    sql: Arc<Sql>,
    waiting: Arc<Mutex<Waiting>>,
    cleaning: Cleaning,
    mut stop: oneshot::Receiver<()>,
) {
    let mut retry = FIRST_RETRY;
    let mut next_clean = Instant::now();
    loop {
        let listening = tokio::select! {
            _ = &mut stop => return,
            listening = tokio::time::timeout(ANSWER_WITHIN, listen(&connector, &sql, &waiting)) => listening,
        };
        let mut session = match listening {
            Ok(Ok(session)) => {
                retry = FIRST_RETRY;
                session
            }
            failed => {
                let error = match failed {
                    Ok(Err(error)) => error.to_string(),
                    _ => format!("no answer within {ANSWER_WITHIN:?}"),
                };
                tracing::warn!(%error, table = %sql.name, "confirmation registry: cannot listen; retrying in {retry:?}");
                tokio::select! {
                    _ = &mut stop => return,
                    () = tokio::time::sleep(retry) => {}
                }
                retry = (retry * 2).min(LAST_RETRY);
                continue;
            }
        };
        loop {
            tokio::select! {
                _ = &mut stop => return,
                notification = session.notifications.recv() => {
                    let Some(notification) = notification else {
                        tracing::debug!(table = %sql.name, "confirmation registry: listening connection closed");
                        break;
                    };
                    let reading = if session.lagged.swap(false, Ordering::AcqRel) {
                        catch_up(&session, &waiting).await
                    } else {
                        // Every announcement already buffered is read in
                        // the same query.
                        let mut ids = Vec::new();
                        ids.extend(notification.payload().parse::<i64>());
                        while ids.len() < READ_AT_ONCE {
                            let Ok(next) = session.notifications.try_recv() else { break };
                            ids.extend(next.payload().parse::<i64>());
                        }
                        announced(&session, &waiting, &ids).await
                    };
                    if let Err(error) = reading {
                        tracing::debug!(%error, "confirmation registry: reading stored events failed");
                        break;
                    }
                }
                () = tokio::time::sleep_until(next_clean) => {
                    match clean(&session, cleaning.keep_for).await {
                        Ok(removed) => tracing::debug!(removed, table = %sql.name, "confirmation registry: old events removed"),
                        Err(error) => tracing::warn!(%error, table = %sql.name, "confirmation registry: removing old events failed"),
                    }
                    next_clean = Instant::now() + cleaning.every;
                }
            }
        }
    }
}

/// Opens a connection, listens, then reads the table for events stored
/// while no connection listened: nothing stored from then on goes
/// unannounced.
async fn listen(
    connector: &Connector,
    sql: &Sql,
    waiting: &Mutex<Waiting>,
) -> Result<Session, Unanswered> {
    let session = connector.open(sql).await?;
    session.client.batch_execute(&sql.listen).await?;
    catch_up(&session, waiting).await?;
    Ok(session)
}

/// Reads every stored event for the changes waited for, and hands them
/// out (each wait takes only those stored after it began).
async fn catch_up(session: &Session, waiting: &Mutex<Waiting>) -> Result<(), Unanswered> {
    let (chats, handles, kinds) = waited_changes(waiting);
    if chats.is_empty() {
        return Ok(());
    }
    let rows = bounded(
        session
            .client
            .query(&session.statements.by_changes, &[&chats, &handles, &kinds]),
    )
    .await?;
    deliver_rows(waiting, &rows);
    Ok(())
}

/// Reads the events announcements name, when this replica has waits.
async fn announced(
    session: &Session,
    waiting: &Mutex<Waiting>,
    ids: &[i64],
) -> Result<(), Unanswered> {
    if ids.is_empty() || lock(waiting).is_empty() {
        return Ok(());
    }
    let rows = bounded(session.client.query(&session.statements.by_ids, &[&ids])).await?;
    deliver_rows(waiting, &rows);
    Ok(())
}

async fn clean(session: &Session, keep_for: Duration) -> Result<u64, Unanswered> {
    let keep_for = i64::try_from(keep_for.as_micros()).unwrap_or(i64::MAX);
    bounded(
        session
            .client
            .execute(&session.statements.clean, &[&keep_for]),
    )
    .await
}

/// A query that failed, or got no answer in time.
#[derive(Debug)]
enum Unanswered {
    Failed(tokio_postgres::Error),
    Late,
}

impl std::fmt::Display for Unanswered {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Unanswered::Failed(error) => write!(f, "{error}"),
            Unanswered::Late => write!(f, "no answer within {ANSWER_WITHIN:?}"),
        }
    }
}

impl From<tokio_postgres::Error> for Unanswered {
    fn from(error: tokio_postgres::Error) -> Self {
        Unanswered::Failed(error)
    }
}

/// The query's answer, within [`ANSWER_WITHIN`].
async fn bounded<T>(
    query: impl std::future::Future<Output = Result<T, tokio_postgres::Error>>,
) -> Result<T, Unanswered> {
    match tokio::time::timeout(ANSWER_WITHIN, query).await {
        Ok(answer) => Ok(answer?),
        Err(_) => Err(Unanswered::Late),
    }
}
