//! Two replicas behind a round-robin load balancer, sharing their
//! confirmations through PostgreSQL: a change waited for on replica A is
//! confirmed there although Linq delivered its event to replica B.
//!
//! ```text
//! DATABASE_URL=postgres://app@127.0.0.1/app cargo run --example replicas --features postgres
//! scripts/with-postgres cargo run --example replicas --features postgres   # a throwaway database
//! ```
//!
//! `linq-local` stands in for Linq, delivering webhooks to the two replicas
//! in turn. Each replica verifies a delivery, feeds it to its
//! `Confirmations`, and answers 2xx once the event is stored (503 when the
//! database could not take it, so that Linq delivers it again).

use std::{error::Error, time::Duration};

use axum::{Router, body::Bytes, extract::State, http::HeaderMap, http::StatusCode, routing::post};
use linq_local::{LocalServer, demo};
use linq_partner::{
    Client,
    webhooks::{Confirmations, PostgresRegistry, Verifier, WebhookSecret},
};

const SECRET: &str = "whsec_cmVwbGljYXMgZXhhbXBsZSBzZWNyZXQ=";

/// One replica's webhook endpoint.
#[derive(Clone)]
struct Replica {
    name: &'static str,
    verifier: Verifier,
    confirmations: Confirmations,
}

async fn webhook(State(replica): State<Replica>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let Ok(event) = replica.verifier.verify(&headers, &body) else {
        return StatusCode::UNAUTHORIZED;
    };
    match replica.confirmations.feed(&event).await {
        Ok(outcome) => {
            println!(
                "   replica {} received {:?}: {outcome:?}",
                replica.name,
                event.envelope().event_type()
            );
            StatusCode::NO_CONTENT
        }
        Err(error) => {
            eprintln!("   replica {}: {error}", replica.name);
            StatusCode::SERVICE_UNAVAILABLE
        }
    }
}

/// Starts a replica's receiver on a free port; gives its webhook URL.
async fn start(replica: Replica) -> std::io::Result<String> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}/linq/webhooks", listener.local_addr()?);
    let app = Router::new()
        .route("/linq/webhooks", post(webhook))
        .with_state(replica);
    tokio::spawn(async move { axum::serve(listener, app).await });
    Ok(url)
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let database = std::env::var("DATABASE_URL")
        .or_else(|_| std::env::var("LINQ_TEST_DATABASE_URL"))
        .map_err(
            |_| "set DATABASE_URL to a PostgreSQL database (or run under scripts/with-postgres)",
        )?;

    // Once, at deployment: the table every replica shares.
    let registry = PostgresRegistry::new(&database)?.table("linq_example", "participant_events")?;
    registry.create_table().await?;

    // Two replicas, each with its own connections to the same table.
    let a = registry.clone().connect().await?;
    let b = registry.connect().await?;
    let replica = |name, confirmations| Replica {
        name,
        verifier: Verifier::new(WebhookSecret::new(SECRET).expect("a valid secret")),
        confirmations,
    };
    let url_a = start(replica("A", a.clone())).await?;
    let url_b = start(replica("B", b)).await?;

    // Linq, delivering to the replicas in turn.
    let linq = LocalServer::builder()
        .webhook(url_a)
        .webhook(url_b)
        .webhook_secret(SECRET)
        .apply_delay(Duration::from_millis(200))
        .start()
        .await?;
    let client = Client::builder()
        .api_key(linq.token())
        .base_url(linq.url())
        .build()?;
    let participants = client.chats().participants();

    for (step, handle) in [(1, "+14155550199"), (2, "+14155550188")] {
        println!("{step}. add {handle} on replica A, and wait there for Linq to confirm it");
        let confirmed = participants
            .add(demo::GROUP, handle)
            .confirmed_by(&a, Duration::from_secs(10))
            .await?;
        println!(
            "   confirmed on replica A by event {}",
            confirmed.by().id().unwrap_or("?")
        );
    }
    // An attempt is recorded once its answer is in: perhaps just after it
    // confirmed the wait.
    for _ in 0..100 {
        if linq.deliveries().len() >= 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let receivers: Vec<usize> = linq.deliveries().iter().map(|d| d.receiver).collect();
    println!("deliveries went to replicas {receivers:?} (0 = A, 1 = B)");
    linq.stop().await;
    Ok(())
}
