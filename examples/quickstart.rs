//! Removes a participant from a group chat using the environment:
//! `LINQ_API_V3_API_KEY`, and optionally `LINQ_API_V3_BASE_URL`,
//! `LINQ_CHAT_ID` and `LINQ_HANDLE`.

use linq_partner::{Client, Error};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let client = Client::from_env()?;
    let chat = std::env::var("LINQ_CHAT_ID")
        .unwrap_or_else(|_| "550e8400-e29b-41d4-a716-446655440000".into());
    let handle = std::env::var("LINQ_HANDLE").unwrap_or_else(|_| "+12052499136".into());

    println!(
        "removing {handle} from chat {chat} at {}",
        client.base_url()
    );
    let queued = client
        .chats()
        .participants()
        .remove(chat.as_str(), handle.as_str())
        .await?;
    println!(
        "{} ({}), trace id {}",
        queued.message().unwrap_or("queued"),
        queued
            .status()
            .map(|s| String::from(s.clone()))
            .unwrap_or_default(),
        queued.trace_id().unwrap_or("-")
    );
    Ok(())
}
