//! The quickstart: adds and removes participants with the SDK.
//!
//! Without `LINQ_API_V3_API_KEY` it starts the local Linq server in-process
//! and walks through a scenario on its demo chats, including the webhook
//! that confirms a queued removal; nothing leaves the machine. With the key set it talks to the real API (or to
//! `LINQ_API_V3_BASE_URL`) and removes `LINQ_HANDLE` from `LINQ_CHAT_ID`.

use std::{process::ExitCode, time::Duration};

use axum::{
    Router,
    body::Bytes,
    extract::{State, rejection::BytesRejection},
    http::HeaderMap,
    http::StatusCode,
    routing::post,
};
use linq_local::{LocalServer, demo};
use linq_partner::{
    Client, Error, ParticipantChange, Queued,
    defaults::API_KEY_ENV,
    webhooks::{Confirmations, EventKind, Scheme, Verifier, WebhookSecret},
};

/// The signing secret the local server and the receiver share, in the form
/// Linq shows secrets: `whsec_` and base64 (here of "quickstart demo key").
const WEBHOOK_SECRET: &str = "whsec_cXVpY2tzdGFydCBkZW1vIGtleQ==";

#[tokio::main]
async fn main() -> ExitCode {
    let outcome = if std::env::var(API_KEY_ENV).is_ok_and(|key| !key.trim().is_empty()) {
        real_api().await
    } else {
        local_scenario().await
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {}", with_causes(error.as_ref()));
            ExitCode::FAILURE
        }
    }
}

async fn real_api() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::from_env()?;
    let chat = std::env::var("LINQ_CHAT_ID")
        .map_err(|_| "set LINQ_CHAT_ID to the group chat to change")?;
    let handle =
        std::env::var("LINQ_HANDLE").map_err(|_| "set LINQ_HANDLE to the participant to remove")?;
    println!(
        "{API_KEY_ENV} is set: talking to the real Linq API at {}",
        client.base_url()
    );
    println!("removing {handle} from chat {chat}");
    let queued = client.chats().participants().remove(chat, handle).await?;
    report("removal", &queued);
    Ok(())
}

/// What the in-process webhook receiver needs.
#[derive(Clone)]
struct Receiver {
    verifier: Verifier,
    confirmations: Confirmations,
}

/// Verifies a delivery from its raw bytes and hands the event on; answers
/// at once, as Linq asks. Every authentic delivery gets a 2xx, whatever it
/// holds (Linq does not retry a 4xx); only one not shown to come from Linq
/// gets a 401. (`cargo run -p linq-quickstart --example webhook_receiver`
/// is the receiver to copy: time limits, a queue, shutdown.)
async fn receive(
    State(receiver): State<Receiver>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> StatusCode {
    // A body that could not be read (over axum's 2 MiB limit, or cut off)
    // may still be Linq's: 503, which Linq retries, never a 4xx.
    let Ok(body) = body else {
        return StatusCode::SERVICE_UNAVAILABLE;
    };
    match receiver.verifier.verify(&headers, &body) {
        Ok(event) => {
            let scheme = match event.scheme() {
                Scheme::StandardWebhooks => "Standard Webhooks signature",
                _ => "deprecated X-Webhook-Signature",
            };
            println!(
                "   webhook: {:?} (webhook-id {:?}) arrived, {scheme} verified",
                event.envelope().event_type(),
                event.id().unwrap_or("-")
            );
            // Answered 2xx once fed: a registry that could not take the
            // event (a shared one whose database is down) gets Linq to
            // deliver it again.
            match receiver.confirmations.feed(&event).await {
                Ok(_) => StatusCode::NO_CONTENT,
                Err(_) => StatusCode::SERVICE_UNAVAILABLE,
            }
        }
        Err(error) => {
            println!("   webhook refused: {error}");
            StatusCode::UNAUTHORIZED
        }
    }
}

/// Starts the receiver on a free loopback port; returns its URL.
async fn start_receiver(receiver: Receiver) -> std::io::Result<String> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}/linq/webhooks", listener.local_addr()?);
    let app = Router::new()
        .route("/linq/webhooks", post(receive))
        .with_state(receiver);
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Ok(url)
}

async fn local_scenario() -> Result<(), Box<dyn std::error::Error>> {
    let receiver = Receiver {
        verifier: Verifier::new(WebhookSecret::new(WEBHOOK_SECRET)?),
        confirmations: Confirmations::new(),
    };
    let webhook_url = start_receiver(receiver.clone()).await?;
    // Changes apply after a moment, as Linq queues them, and are announced
    // by a signed webhook to the receiver above.
    let server = LocalServer::builder()
        .apply_delay(Duration::from_millis(300))
        .webhook(&webhook_url)
        .webhook_secret(WEBHOOK_SECRET)
        .start()
        .await?;
    println!(
        "{API_KEY_ENV} is not set: using the local Linq server at {}, \
         webhooks to {webhook_url}\n",
        server.url()
    );
    let client = Client::builder()
        .api_key(server.token())
        .base_url(server.url())
        .build()?;
    let participants = client.chats().participants();
    let show = |title: &str| {
        if let Some(chat) = server.chat(demo::GROUP) {
            println!("{title}: {}", chat.active_handles().join(", "));
        }
    };

    show("Launch team (iMessage group) now has");

    println!("\n1. Add +14155550199 to the group");
    // Registers the wait, sends, and waits for Linq's participant.added.
    let confirmed = participants
        .add(demo::GROUP, "+14155550199")
        .confirmed_by(&receiver.confirmations, Duration::from_secs(10))
        .await?;
    println!(
        "   queued (trace id {}), then confirmed by Linq's participant.added (event {})",
        shown(
            confirmed
                .queued()
                .and_then(|queued| queued.trace_id())
                .unwrap_or("?")
        ),
        shown(confirmed.by().id().unwrap_or("?"))
    );

    println!("\n2. Remove +442071234567 from the group, and wait for Linq to confirm it");
    let removal = ParticipantChange::removal(demo::GROUP.into(), "+442071234567".parse()?);
    // Registered before the change is sent: only events from now on count.
    let expected = receiver.confirmations.expect(&removal).await?;
    report(
        "removal",
        &participants.remove(demo::GROUP, "+442071234567").await?,
    );
    show("   queued, so the group still has");
    let event = expected.wait(Duration::from_secs(10)).await?;
    if let EventKind::ParticipantRemoved(removed) = event.kind() {
        println!(
            "   confirmed: {} left the chat at {}",
            shown(removed.handle().unwrap_or("?")),
            removed
                .at()
                .map_or_else(|| "?".to_owned(), |at| at.to_rfc3339())
        );
    }
    show("   the group now has");

    println!("\n3. Remove someone from a group of exactly three (Linq refuses: 2 would be left)");
    explain(participants.remove(demo::TRIO, "+13125550111").await);

    println!("\n4. Change a chat Linq reports as unavailable");
    explain(participants.add(demo::UNAVAILABLE, "+16175550177").await);

    println!("\n5. A badly written handle is caught before anything is sent");
    explain(participants.add(demo::GROUP, "+1 (415) 555-0199").await);

    server.stop().await;
    Ok(())
}

fn report(what: &str, queued: &Queued) {
    println!(
        "   {what} queued: \"{}\", status \"{}\", trace id {}",
        shown(queued.message().unwrap_or("")),
        shown(queued.status().map(|s| s.as_str()).unwrap_or("")),
        shown(queued.trace_id().unwrap_or("-"))
    );
}

/// Text from the server, safe to print: escaped, at most 200 characters.
fn shown(text: &str) -> String {
    let mut shown: String = text
        .chars()
        .take(200)
        .flat_map(char::escape_debug)
        .collect();
    if text.chars().nth(200).is_some() {
        shown.push('…');
    }
    shown
}

fn explain(outcome: Result<Queued, Error>) {
    match outcome {
        Ok(queued) => report("unexpectedly", &queued),
        Err(error) => println!("   refused: {}", with_causes(&error)),
    }
}

/// An error and its causes on one line: each level's `Display` says only
/// its own part, and `source()` leads to the next.
fn with_causes(error: &(dyn std::error::Error + 'static)) -> String {
    let mut line = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        line.push_str(": ");
        line.push_str(&cause.to_string());
        source = cause.source();
    }
    line
}
