//! Helpers shared by the integration tests: clients pointed at the test
//! servers (wiremock, the local Linq server, a closed port), calls chosen by
//! operation name, and stable text renderings for snapshots.
#![allow(dead_code)]

use std::fmt::Write as _;

use linq_local::LocalServer;
use linq_partner::{Client, ParticipantCall, Participants};
use wiremock::{MockServer, Request};

pub const TOKEN: &str = "test-token-0123456789";
pub const CHAT: &str = "550e8400-e29b-41d4-a716-446655440000";
pub const PHONE: &str = "+12052499136";

/// A client for snapshot tests: retries are off so that each answer is seen
/// exactly as one attempt decodes it (retries have their own suite).
pub fn client_for(server: &MockServer) -> Client {
    client_at(&server.uri(), TOKEN)
}

/// A client with retries off, for a server at `url` that takes `token`.
pub fn client_at(url: &str, token: &str) -> Client {
    Client::builder()
        .api_key(token)
        .base_url(url)
        .max_retries(0)
        .build()
        .expect("a valid test client")
}

/// A client with retries off for the local Linq server.
pub fn local_client(server: &LocalServer) -> Client {
    client_at(server.url(), server.token())
}

/// A client whose every call fails to connect (nothing listens on port 1).
pub fn closed_port_client() -> Client {
    client_at("http://127.0.0.1:1", TOKEN)
}

/// The participants call an operation name stands for: `add` or `remove`.
pub fn change<'a>(
    participants: &Participants<'a>,
    operation: &str,
    chat: &str,
    handle: &str,
) -> ParticipantCall<'a> {
    match operation {
        "add" => participants.add(chat, handle),
        "remove" => participants.remove(chat, handle),
        other => panic!("no operation {other}"),
    }
}

pub async fn received(server: &MockServer) -> Vec<Request> {
    server
        .received_requests()
        .await
        .expect("request recording is on")
}

/// Method, path, query, every header (sorted; token and volatile values
/// replaced) and the JSON body of a request, as a reviewer would read it.
pub fn render_request(request: &Request) -> String {
    let mut out = String::new();
    writeln!(out, "{} {}", request.method, request.url.path()).unwrap();
    writeln!(out, "query: {}", request.url.query().unwrap_or("<none>")).unwrap();
    writeln!(out, "headers:").unwrap();
    let mut headers: Vec<(String, String)> = request
        .headers
        .iter()
        .map(|(name, value)| {
            (
                name.as_str().to_owned(),
                String::from_utf8_lossy(value.as_bytes()).into_owned(),
            )
        })
        .collect();
    headers.sort();
    for (name, value) in headers {
        let value = match name.as_str() {
            "authorization" => {
                assert_eq!(
                    value,
                    format!("Bearer {TOKEN}"),
                    "the token goes out as a bearer token"
                );
                "Bearer [token]".to_owned()
            }
            "host" => "[server]".to_owned(),
            "user-agent" => value.replace(env!("CARGO_PKG_VERSION"), "[version]"),
            _ => value,
        };
        writeln!(out, "  {name}: {value}").unwrap();
    }
    if request.body.is_empty() {
        out.push_str("body: none");
        return out;
    }
    match serde_json::from_slice::<serde_json::Value>(&request.body) {
        Ok(body) => write!(
            out,
            "body: {}",
            serde_json::to_string_pretty(&body).unwrap()
        ),
        Err(_) => write!(
            out,
            "body (not JSON): {:?}",
            String::from_utf8_lossy(&request.body)
        ),
    }
    .unwrap();
    out
}
