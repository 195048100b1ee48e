//! The quickstart: adds and removes participants with the SDK.
//!
//! Without `LINQ_API_V3_API_KEY` it starts the local Linq server in-process
//! and walks through a scenario on its demo chats; nothing leaves the
//! machine. With the key set it talks to the real API (or to
//! `LINQ_API_V3_BASE_URL`) and removes `LINQ_HANDLE` from `LINQ_CHAT_ID`.

use std::process::ExitCode;

use linq_local::{LocalServer, demo};
use linq_partner::{API_KEY_ENV, Client, Error, Queued};

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

async fn local_scenario() -> Result<(), Box<dyn std::error::Error>> {
    let server = LocalServer::start().await?;
    println!(
        "{API_KEY_ENV} is not set: using the local Linq server at {}\n",
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
    report(
        "addition",
        &participants.add(demo::GROUP, "+14155550199").await?,
    );

    println!("\n2. Remove +442071234567 from the group");
    report(
        "removal",
        &participants.remove(demo::GROUP, "+442071234567").await?,
    );
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
        "   {what} queued: {:?}, status {:?}, trace id {}",
        queued.message().unwrap_or(""),
        queued.status().map(|s| s.as_str()).unwrap_or(""),
        queued.trace_id().unwrap_or("-")
    );
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
