//! Confirmation latency with the registry shared through PostgreSQL by two
//! replicas, beside one replica's in-process registry, in one run.
//!
//! ```text
//! scripts/with-postgres cargo bench --bench confirmations --features postgres [-- --changes 1000 --rounds 3]
//! ```
//!
//! `linq-local` applies every change at once and delivers its event to the
//! webhook URLs round robin. For each round and registry, `--changes`
//! additions are made at once, each registered, sent, and waited for:
//!
//! - **in-process**: one replica, its own registry, every event delivered
//!   to it;
//! - **shared**: two replicas on one database, the waits split between
//!   them, the events round robin between them (half confirm a wait on the
//!   replica that did not receive them);
//! - **in-process, two replicas**: the same split without sharing, to show
//!   what sharing is for (about half are never confirmed).
//!
//! The latency of one change is from Linq's 202 to the confirming event
//! reaching its wait: the delivery, the receiver's verifying and feeding,
//! and (shared) the row stored, announced and read back. The table gives
//! p50 and p99 over every change of every round, and the ratios.

use std::{
    sync::Arc,
    time::{Duration, Instant},
};

use axum::{Router, body::Bytes, extract::State, http::HeaderMap, http::StatusCode, routing::post};
use linq_local::{ChatSeed, LocalServer, parse_chats};
use linq_partner::{
    Client, ParticipantChange,
    webhooks::{Confirmations, PostgresRegistry, Verifier, WebhookSecret},
};
use uuid::Uuid;

const SECRET: &str = "whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
/// Changes per chat: linq-local's groups hold at most 256.
const PER_CHAT: usize = 200;

#[derive(Clone, Copy, PartialEq)]
enum Setup {
    InProcess,
    Shared,
    InProcessTwoReplicas,
}

impl Setup {
    fn name(self) -> &'static str {
        match self {
            Setup::InProcess => "in-process (1 replica)",
            Setup::Shared => "shared (2 replicas)",
            Setup::InProcessTwoReplicas => "in-process, 2 replicas",
        }
    }
}

async fn receive(
    State((verifier, confirmations)): State<(Arc<Verifier>, Confirmations)>,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode {
    let Ok(event) = verifier.verify(&headers, &body) else {
        return StatusCode::UNAUTHORIZED;
    };
    match confirmations.feed(&event).await {
        Ok(_) => StatusCode::NO_CONTENT,
        Err(_) => StatusCode::SERVICE_UNAVAILABLE,
    }
}

/// A replica's webhook endpoint; gives its URL.
async fn replica(confirmations: Confirmations) -> String {
    let verifier = Arc::new(Verifier::new(WebhookSecret::new(SECRET).unwrap()));
    let app = Router::new()
        .route("/hooks", post(receive))
        .with_state((verifier, confirmations));
    // A backlog as deep as the system allows: a thousand deliveries
    // connect at once, and a refused SYN costs a second.
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let listener = socket.listen(4096).unwrap();
    let url = format!("http://{}/hooks", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    url
}

/// Groups with room for `changes` additions.
fn chats(changes: usize) -> Vec<ChatSeed> {
    let seeds: Vec<serde_json::Value> = (0..changes.div_ceil(PER_CHAT))
        .map(|_| {
            serde_json::json!({
                "id": Uuid::new_v4(), "service": "iMessage", "me": "+12025550100",
                "participants": ["+12052499136", "+442071234567"],
            })
        })
        .collect();
    parse_chats(&serde_json::to_string(&seeds).unwrap()).unwrap()
}

/// One round: the latencies of the confirmed changes, and how many were
/// not confirmed within `within`.
async fn round(
    setup: Setup,
    changes: usize,
    within: Duration,
    database: &str,
) -> (Vec<Duration>, usize) {
    let replicas: Vec<Confirmations> = match setup {
        Setup::InProcess => vec![Confirmations::new()],
        Setup::InProcessTwoReplicas => vec![Confirmations::new(), Confirmations::new()],
        Setup::Shared => {
            let table = format!("bench_{}", Uuid::new_v4().simple());
            let registry = PostgresRegistry::new(database)
                .unwrap()
                .table("linq_bench", &table)
                .unwrap();
            registry.create_table().await.unwrap();
            vec![
                registry.clone().connect().await.unwrap(),
                registry.connect().await.unwrap(),
            ]
        }
    };
    let seeds = chats(changes);
    let ids: Vec<Uuid> = seeds.iter().map(|seed| seed.id).collect();
    let mut builder = LocalServer::builder()
        .chats(seeds)
        .webhook_secret(SECRET)
        .max_connections(changes * 2 + 64)
        .max_in_flight(changes * 2 + 64);
    for confirmations in &replicas {
        builder = builder.webhook(replica(confirmations.clone()).await);
    }
    let server = builder.start().await.unwrap();
    let client = Client::builder()
        .api_key(server.token())
        .base_url(server.url())
        .build()
        .unwrap();
    let tasks: Vec<_> = (0..changes)
        .map(|n| {
            let (client, confirmations) = (client.clone(), replicas[n % replicas.len()].clone());
            let change = ParticipantChange::addition(
                ids[n / PER_CHAT].into(),
                format!("+1415{:07}", n).parse().unwrap(),
            );
            tokio::spawn(async move {
                let expected = confirmations.expect(&change).await.unwrap();
                client
                    .chats()
                    .participants()
                    .add(change.chat(), change.handle())
                    .await
                    .unwrap();
                let queued_at = Instant::now();
                expected
                    .wait(within)
                    .await
                    .ok()
                    .map(|_| queued_at.elapsed())
            })
        })
        .collect();
    let mut latencies = Vec::with_capacity(changes);
    let mut missed = 0;
    for task in tasks {
        match task.await.unwrap() {
            Some(latency) => latencies.push(latency),
            None => missed += 1,
        }
    }
    server.stop().await;
    (latencies, missed)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn millis(duration: Duration) -> String {
    format!("{:.1} ms", duration.as_secs_f64() * 1000.0)
}

fn main() {
    let mut changes = 1000;
    let mut rounds = 3;
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut args = args.iter();
    while let Some(flag) = args.next() {
        let mut value = || args.next().and_then(|v| v.parse().ok()).expect("a number");
        match flag.as_str() {
            "--changes" => changes = value(),
            "--rounds" => rounds = value(),
            _ => {} // cargo bench's own flags
        }
    }
    let database = std::env::var("LINQ_TEST_DATABASE_URL").expect(
        "LINQ_TEST_DATABASE_URL: run under scripts/with-postgres, which starts a throwaway PostgreSQL",
    );
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let setups = [Setup::InProcess, Setup::Shared, Setup::InProcessTwoReplicas];
    let mut results: Vec<(Vec<Duration>, usize)> = vec![(Vec::new(), 0); setups.len()];
    runtime.block_on(async {
        // A warm-up round of each, not counted.
        for setup in setups {
            round(setup, 100, Duration::from_secs(2), &database).await;
        }
        for r in 0..rounds {
            // The order rotates between rounds.
            for i in 0..setups.len() {
                let at = (i + r) % setups.len();
                let setup = setups[at];
                let within = match setup {
                    Setup::InProcessTwoReplicas => Duration::from_secs(5),
                    _ => Duration::from_secs(60),
                };
                let (latencies, missed) = round(setup, changes, within, &database).await;
                results[at].0.extend(latencies);
                results[at].1 += missed;
            }
        }
    });
    println!(
        "{changes} concurrent confirmed additions x {rounds} rounds; latency from Linq's 202 to the event reaching its wait"
    );
    println!(
        "{:<26} {:>10} {:>10} {:>10} {:>14}",
        "registry", "p50", "p99", "max", "not confirmed"
    );
    let mut summary = Vec::new();
    for (setup, (latencies, missed)) in setups.iter().zip(results.iter_mut()) {
        latencies.sort();
        let (p50, p99) = (percentile(latencies, 50.0), percentile(latencies, 99.0));
        println!(
            "{:<26} {:>10} {:>10} {:>10} {:>14}",
            setup.name(),
            millis(p50),
            millis(p99),
            millis(latencies.last().copied().unwrap_or_default()),
            format!("{missed}/{}", changes * rounds),
        );
        summary.push((p50, p99));
    }
    let ratio = |a: Duration, b: Duration| a.as_secs_f64() / b.as_secs_f64().max(f64::MIN_POSITIVE);
    println!(
        "shared / in-process: p50 x{:.2}, p99 x{:.2}",
        ratio(summary[1].0, summary[0].0),
        ratio(summary[1].1, summary[0].1)
    );
}
