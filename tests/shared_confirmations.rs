//! Confirmations shared by replicas through a real PostgreSQL: the one
//! `scripts/with-postgres` starts (`scripts/test` runs the suite in it),
//! found in `LINQ_TEST_DATABASE_URL`. Every test has a table of its own.

use std::{
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use axum::{Router, body::Bytes, extract::State, http::HeaderMap, http::StatusCode, routing::post};
use linq_local::{LocalServer, demo};
use linq_partner::{
    Client, ErrorKind, ParticipantChange,
    error::RegistryProblem,
    tokio_postgres::{self, NoTls},
    webhooks::{
        Confirmations, Envelope, Event, EventKind, FeedOutcome, ParticipantChanged,
        PostgresRegistry, Verifier, WaitStart, WebhookSecret,
    },
};
use uuid::Uuid;

const SECRET: &str = "whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
const CHAT: &str = "550e8400-e29b-41d4-a716-446655440000";

fn database_url() -> String {
    std::env::var("LINQ_TEST_DATABASE_URL").expect(
        "LINQ_TEST_DATABASE_URL is not set: run the tests with ./scripts/test, \
         which starts a throwaway PostgreSQL (scripts/with-postgres)",
    )
}

/// The registry settings of a test: its own table, created.
async fn registry(table: &str) -> PostgresRegistry {
    registry_named(table, linq_partner::webhooks::APPLICATION_NAME).await
}

/// The same, with connections named `application_name`, so that a test can
/// break its own connections and no other test's.
async fn registry_named(table: &str, application_name: &str) -> PostgresRegistry {
    let url = format!("{}?application_name={application_name}", database_url());
    let registry = PostgresRegistry::new(&url)
        .unwrap()
        .table("linq_tests", table)
        .unwrap();
    registry.create_table().await.unwrap();
    registry
}

/// A plain connection, to look at the table and to break connections.
async fn database() -> tokio_postgres::Client {
    let (client, connection) = tokio_postgres::connect(&database_url(), NoTls)
        .await
        .unwrap();
    tokio::spawn(connection);
    client
}

async fn rows(table: &str) -> i64 {
    database()
        .await
        .query_one(&format!("SELECT count(*) FROM linq_tests.{table}"), &[])
        .await
        .unwrap()
        .get(0)
}

fn removal(handle: &str) -> ParticipantChange {
    ParticipantChange::removal(CHAT.parse().unwrap(), handle.parse().unwrap())
}

/// A `participant.removed` as a verified delivery gives it.
fn removed(handle: &str) -> Event {
    Event::new(
        Envelope::new(Uuid::new_v4(), "participant.removed"),
        EventKind::ParticipantRemoved(
            ParticipantChanged::new()
                .with_chat_id(CHAT)
                .with_handle(handle),
        ),
    )
}

#[tokio::test]
async fn an_event_fed_on_one_replica_confirms_a_wait_on_another() {
    let registry = registry("fed_on_a_waited_on_b").await;
    let a = registry.clone().connect().await.unwrap();
    let b = registry.connect().await.unwrap();

    let expected = b.expect(&removal("+12052499136")).await.unwrap();
    let event = removed("+12052499136");
    assert_eq!(a.feed(&event).await.unwrap(), FeedOutcome::Stored);
    let got = expected.wait(Duration::from_secs(10)).await.unwrap();
    assert_eq!(got, event);
}

#[tokio::test]
async fn a_delivery_fed_to_both_replicas_is_one_event() {
    let registry = registry("one_delivery_twice").await;
    let a = registry.clone().connect().await.unwrap();
    let b = registry.connect().await.unwrap();

    let expected = a.expect(&removal("+12052499136")).await.unwrap();
    let event = removed("+12052499136");
    let (on_a, on_b) = tokio::join!(a.feed(&event), b.feed(&event));
    let mut outcomes = [on_a.unwrap(), on_b.unwrap()];
    outcomes.sort_by_key(|outcome| format!("{outcome:?}"));
    assert_eq!(outcomes, [FeedOutcome::Duplicate, FeedOutcome::Stored]);
    assert_eq!(rows("one_delivery_twice").await, 1);
    assert_eq!(expected.wait(Duration::from_secs(10)).await.unwrap(), event);
    // Fed again later, on either replica: still one.
    assert_eq!(b.feed(&event).await.unwrap(), FeedOutcome::Duplicate);
    assert_eq!(rows("one_delivery_twice").await, 1);
}

#[tokio::test]
async fn a_wait_survives_its_database_connections_being_killed() {
    let registry = registry_named("connections_killed", "linq-partner-killed").await;
    let a = registry.clone().connect().await.unwrap();
    let b = registry.connect().await.unwrap();
    let expected = b.expect(&removal("+12052499136")).await.unwrap();

    // Every connection of both replicas (queries and listeners) goes, once
    // the listeners are connected.
    let database = database().await;
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let connected: i64 = database
            .query_one(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'linq-partner-killed'",
                &[],
            )
            .await
            .unwrap()
            .get(0);
        if connected >= 4 || Instant::now() > deadline {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let killed: i64 = database
        .query_one(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity \
             WHERE application_name = 'linq-partner-killed'",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert!(killed >= 4, "killed {killed} connections");

    // Fed at once on A, which reconnects to store it. B's listener hears
    // the announcement if it listens again in time, and otherwise finds the
    // event in the table when it does.
    let event = removed("+12052499136");
    assert_eq!(a.feed(&event).await.unwrap(), FeedOutcome::Stored);
    assert_eq!(expected.wait(Duration::from_secs(20)).await.unwrap(), event);
}

#[tokio::test]
async fn an_announcement_missed_while_disconnected_is_found_in_the_table() {
    // Replica B logs in as a role of its own, which the test can lock out.
    let database = database().await;
    database
        .batch_execute(
            "DO $$ BEGIN
                 IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'linq_replica_b') THEN
                     CREATE ROLE linq_replica_b LOGIN;
                 END IF;
             END $$;
             ALTER ROLE linq_replica_b LOGIN;",
        )
        .await
        .unwrap();
    let registry = registry("missed_announcement").await;
    database
        .batch_execute(
            "GRANT USAGE ON SCHEMA linq_tests TO linq_replica_b;
             GRANT ALL ON linq_tests.missed_announcement TO linq_replica_b;",
        )
        .await
        .unwrap();
    let a = registry.connect().await.unwrap();
    let url = database_url().replacen("postgres://postgres@", "postgres://linq_replica_b@", 1);
    let b = PostgresRegistry::new(&format!("{url}?application_name=linq-replica-b"))
        .unwrap()
        .table("linq_tests", "missed_announcement")
        .unwrap()
        .connect()
        .await
        .unwrap();
    let expected = b.expect(&removal("+12052499136")).await.unwrap();

    // B is cut off and cannot log in again until the event is stored and
    // announced: no listener of B hears it.
    database
        .batch_execute(
            "ALTER ROLE linq_replica_b NOLOGIN;
             SELECT pg_terminate_backend(pid) FROM pg_stat_activity
              WHERE application_name = 'linq-replica-b';",
        )
        .await
        .unwrap();
    let event = removed("+12052499136");
    assert_eq!(a.feed(&event).await.unwrap(), FeedOutcome::Stored);
    tokio::time::sleep(Duration::from_millis(300)).await;
    database
        .batch_execute("ALTER ROLE linq_replica_b LOGIN")
        .await
        .unwrap();
    assert_eq!(expected.wait(Duration::from_secs(20)).await.unwrap(), event);
}

#[tokio::test]
async fn an_event_of_an_earlier_change_confirms_no_later_wait() {
    let registry = registry("earlier_change").await;
    let a = registry.clone().connect().await.unwrap();
    let b = registry.connect().await.unwrap();

    // The earlier removal's event, stored before the wait.
    let earlier = removed("+12052499136");
    assert_eq!(a.feed(&earlier).await.unwrap(), FeedOutcome::Stored);
    let error = b
        .expect(&removal("+12052499136"))
        .await
        .unwrap()
        .wait(Duration::from_millis(500))
        .await
        .unwrap_err();
    assert!(
        matches!(error.kind(), ErrorKind::NotConfirmed(_)),
        "{error}"
    );

    // A wait registered after it takes only the event that follows.
    let expected = b.expect(&removal("+12052499136")).await.unwrap();
    let later = removed("+12052499136");
    a.feed(&later).await.unwrap();
    assert_eq!(expected.wait(Duration::from_secs(10)).await.unwrap(), later);
}

#[tokio::test]
async fn a_restarted_replica_waits_again_and_finds_the_event_stored_meanwhile() {
    let registry = registry("restarted").await;
    let other = registry.clone().connect().await.unwrap();

    let saved = {
        let before_restart = registry.clone().connect().await.unwrap();
        let expected = before_restart
            .expect(&removal("+12052499136"))
            .await
            .unwrap();
        expected.start().to_string()
        // The process ends here, its wait with it.
    };
    let event = removed("+12052499136");
    assert_eq!(other.feed(&event).await.unwrap(), FeedOutcome::Stored);

    let restarted = registry.connect().await.unwrap();
    let start: WaitStart = saved.parse().unwrap();
    let got = restarted
        .expect_from(&removal("+12052499136"), start)
        .await
        .unwrap()
        .wait(Duration::from_secs(10))
        .await
        .unwrap();
    assert_eq!(got, event);

    // A wait start of the in-process registry is refused by a shared one.
    let local = Confirmations::new()
        .expect(&removal("+12052499136"))
        .await
        .unwrap()
        .start();
    let error = restarted
        .expect_from(&removal("+12052499136"), local)
        .await
        .unwrap_err();
    let ErrorKind::Registry(registry_error) = error.kind() else {
        panic!("{error}")
    };
    assert_eq!(registry_error.problem(), RegistryProblem::InvalidWaitStart);
}

#[tokio::test]
async fn a_wait_on_a_change_already_sent_finds_its_stored_event() {
    let registry = registry("already_sent").await;
    let a = registry.clone().connect().await.unwrap();
    let b = registry.connect().await.unwrap();
    let sent_at = Instant::now();
    let event = removed("+12052499136");
    a.feed(&event).await.unwrap();
    let got = b
        .expect_sent(&removal("+12052499136"), sent_at)
        .await
        .unwrap()
        .wait(Duration::from_secs(10))
        .await
        .unwrap();
    assert_eq!(got, event);
}

#[tokio::test]
async fn old_events_are_removed_on_the_schedule_set() {
    let registry = registry("cleaned")
        .await
        .keep_events_for(Duration::from_secs(1))
        .clean_every(Duration::from_millis(100));
    let a = registry.connect().await.unwrap();
    a.feed(&removed("+12052499136")).await.unwrap();
    a.feed(&removed("+442071234567")).await.unwrap();
    assert_eq!(rows("cleaned").await, 2);
    let deadline = Instant::now() + Duration::from_secs(10);
    while rows("cleaned").await > 0 {
        assert!(Instant::now() < deadline, "old rows were not removed");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn the_schema_touches_only_the_table_named() {
    let database = database().await;
    let tables = || async {
        database
            .query(
                "SELECT schemaname || '.' || tablename FROM pg_tables \
                 WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1",
                &[],
            )
            .await
            .unwrap()
            .iter()
            .map(|row| row.get::<_, String>(0))
            .collect::<Vec<_>>()
    };
    let before = tables().await;
    let registry = PostgresRegistry::new(&database_url())
        .unwrap()
        .table("linq_schema_check", "events")
        .unwrap();
    registry.create_table().await.unwrap();
    registry.create_table().await.unwrap(); // twice: nothing changes
    let mut expected = before.clone();
    expected.push("linq_schema_check.events".to_owned());
    expected.sort();
    let mut after = tables().await;
    after.retain(|table| !table.starts_with("linq_tests."));
    expected.retain(|table| !table.starts_with("linq_tests."));
    assert_eq!(after, expected);

    for (schema, table) in [
        ("public", "Events"),
        ("x; drop", "t"),
        ("s", ""),
        ("1s", "t"),
    ] {
        let error = PostgresRegistry::new(&database_url())
            .unwrap()
            .table(schema, table)
            .unwrap_err();
        assert!(
            matches!(error.kind(), ErrorKind::Registry(e) if e.problem() == RegistryProblem::InvalidName)
        );
    }
}

#[tokio::test]
async fn a_missing_table_or_database_is_an_error_not_a_hang() {
    let missing = PostgresRegistry::new(&database_url())
        .unwrap()
        .table("linq_tests", "never_created");
    let error = missing.unwrap().connect().await.unwrap_err();
    assert!(
        matches!(error.kind(), ErrorKind::Registry(e) if e.problem() == RegistryProblem::Database),
        "{error}"
    );

    let unreachable = PostgresRegistry::new("postgres://nobody@127.0.0.1:1/none").unwrap();
    let error = unreachable.connect().await.unwrap_err();
    assert!(matches!(error.kind(), ErrorKind::Registry(_)), "{error}");
}

/// One replica's webhook endpoint: verifies, feeds, then answers.
#[derive(Clone)]
struct Replica {
    verifier: Verifier,
    confirmations: Confirmations,
    received: Arc<Mutex<Vec<Uuid>>>,
}

async fn receive(State(replica): State<Replica>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let Ok(event) = replica.verifier.verify(&headers, &body) else {
        return StatusCode::UNAUTHORIZED;
    };
    if let Some(id) = event.envelope().event_id() {
        replica.received.lock().unwrap().push(id);
    }
    match replica.confirmations.feed(&event).await {
        Ok(_) => StatusCode::NO_CONTENT,
        Err(_) => StatusCode::SERVICE_UNAVAILABLE,
    }
}

async fn start_replica(confirmations: Confirmations) -> (Replica, String) {
    let replica = Replica {
        verifier: Verifier::new(WebhookSecret::new(SECRET).unwrap()),
        confirmations,
        received: Arc::default(),
    };
    let app = Router::new()
        .route("/hooks", post(receive))
        .with_state(replica.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hooks", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (replica, url)
}

#[tokio::test]
async fn behind_a_round_robin_balancer_every_change_is_confirmed_where_it_waits() {
    let registry = registry("round_robin").await;
    let (a, url_a) = start_replica(registry.clone().connect().await.unwrap()).await;
    let (b, url_b) = start_replica(registry.connect().await.unwrap()).await;
    let server = LocalServer::builder()
        .webhook(url_a)
        .webhook(url_b)
        .webhook_secret(SECRET)
        .apply_delay(Duration::from_millis(50))
        .start()
        .await
        .unwrap();
    let client = Client::builder()
        .api_key(server.token())
        .base_url(server.url())
        .build()
        .unwrap();

    // Every change waits on replica A; the balancer sends half of the
    // events to B.
    let handles = [
        "+14155550101",
        "+14155550102",
        "+14155550103",
        "+14155550104",
    ];
    for handle in handles {
        let confirmed = client
            .chats()
            .participants()
            .add(demo::GROUP, handle)
            .confirmed_by(&a.confirmations, Duration::from_secs(10))
            .await
            .unwrap();
        let EventKind::ParticipantAdded(added) = confirmed.by().kind() else {
            panic!("{:?}", confirmed.by())
        };
        assert_eq!(added.handle(), Some(handle));
    }
    let on_b = b.received.lock().unwrap().len();
    let on_a = a.received.lock().unwrap().len();
    assert_eq!((on_a, on_b), (2, 2), "deliveries per replica");
    // The server records an attempt once the answer is in, which may be
    // after the event confirmed the wait.
    let deadline = Instant::now() + Duration::from_secs(10);
    while server.deliveries().len() < handles.len() && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let receivers: Vec<usize> = server.deliveries().iter().map(|d| d.receiver).collect();
    assert_eq!(receivers, [0, 1, 0, 1]);
}
