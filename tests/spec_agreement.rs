//! The spec, the seed fixtures and the local server tell one story: the
//! spec's examples are the fixtures (which `local-server/tests/wire.rs`
//! proves the server sends byte for byte), and for both operations the spec
//! documents exactly the statuses the local server gives for Linq's rules.

use std::collections::BTreeSet;

use linq_local::{LocalServer, demo};
use linq_partner::{Client, Handle};
use serde_json::Value;

const SPEC: &str = include_str!("../openapi.yaml");
const PATH: &str = "/v3/chats/{chatId}/participants";

fn spec() -> Value {
    serde_yaml::from_str(SPEC).expect("openapi.yaml is YAML")
}

/// Follows a local `$ref`, if the value is one.
fn resolved<'a>(spec: &'a Value, value: &'a Value) -> &'a Value {
    match value["$ref"].as_str() {
        Some(target) => spec
            .pointer(target.trim_start_matches('#'))
            .unwrap_or_else(|| panic!("{target} is in the spec")),
        None => value,
    }
}

fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/seed/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

#[test]
fn the_spec_examples_are_the_seed_fixtures() {
    let spec = spec();
    for (method, success) in [("post", "add_202.json"), ("delete", "remove_202.json")] {
        let responses = &spec["paths"][PATH][method]["responses"];
        let mut compared = 0;
        for (status, response) in responses.as_object().unwrap() {
            let example = &resolved(&spec, response)["content"]["application/json"]["example"];
            let name = match status.as_str() {
                "202" => success.to_owned(),
                other => format!("error_{other}.json"),
            };
            assert_eq!(example, &fixture(&name), "{method} {status} against {name}");
            compared += 1;
        }
        assert!(compared >= 6, "{method}: {compared} statuses");
    }
}

/// The statuses the spec documents for an operation.
fn documented(method: &str) -> BTreeSet<u16> {
    spec()["paths"][PATH][method]["responses"]
        .as_object()
        .unwrap()
        .keys()
        .map(|status| status.parse().unwrap())
        .collect()
}

/// The status one call gets (202 for success).
async fn status(method: &str, client: &Client, chat: &str, handle: Handle) -> u16 {
    let participants = client.chats().participants();
    let call = match method {
        "post" => participants.add(chat, handle),
        _ => participants.remove(chat, handle),
    };
    match call.await {
        Ok(_) => 202,
        Err(error) => error.status().expect("an answer").as_u16(),
    }
}

#[tokio::test]
async fn the_local_server_gives_the_documented_statuses() {
    let server = LocalServer::start().await.unwrap();
    let client = |token: &str| {
        Client::builder()
            .api_key(token)
            .base_url(server.url())
            .max_retries(0)
            .build()
            .unwrap()
    };
    let good = client(server.token());
    let bad = client("not-the-token");
    let unknown = "00000000-0000-4000-8000-000000000000";
    let group = demo::GROUP.to_string();
    let unavailable = demo::UNAVAILABLE.to_string();
    for (method, member) in [("post", "+14155550123"), ("delete", "+442071234567")] {
        let handle = |text: &str| text.parse::<Handle>().unwrap();
        let mut given = BTreeSet::new();
        given.insert(status(method, &bad, &group, handle(member)).await);
        given.insert(status(method, &good, unknown, handle(member)).await);
        given.insert(status(method, &good, &unavailable, handle("+16175550144")).await);
        // A handle Linq refuses, sent past the SDK's own check.
        given.insert(status(method, &good, &group, Handle::unchecked("12052499136")).await);
        server.fail_next(1, 500).unwrap();
        given.insert(status(method, &good, &group, handle(member)).await);
        given.insert(status(method, &good, &group, handle(member)).await);
        assert_eq!(given, documented(method), "{method}");
    }
}
