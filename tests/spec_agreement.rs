//! The spec, the seed fixtures and the local server tell one story: the
//! spec's examples are the fixtures (which `local-server/tests/wire.rs`
//! proves the server sends byte for byte), and for both operations the spec
//! documents exactly the statuses the local server gives for Linq's rules.

mod common;

use std::collections::BTreeSet;

use common::{CHAT, PHONE, change, client_at, client_for, local_client};
use linq_local::{LocalServer, demo};
use linq_partner::{Client, ErrorKind, Handle};
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
    let good = local_client(&server);
    let bad = client_at(server.url(), "not-the-token");
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

/// The schema a media type or response describes, `$ref`s followed.
fn body_schema<'a>(spec: &'a Value, holder: &'a Value) -> &'a Value {
    let holder = resolved(spec, holder);
    resolved(spec, &holder["content"]["application/json"]["schema"])
}

/// The Prism rule, requests: the body the SDK sends for each operation has
/// every property the spec requires and none it does not describe, each a
/// string as described.
#[tokio::test]
async fn every_request_the_sdk_sends_fits_the_spec() {
    use wiremock::{Mock, MockServer, ResponseTemplate, matchers::any};

    let spec = spec();
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(202))
        .mount(&server)
        .await;
    let client = Client::builder()
        .api_key("token")
        .base_url(server.uri())
        .build()
        .unwrap();
    let participants = client.chats().participants();
    let chat = "550e8400-e29b-41d4-a716-446655440000";
    participants.add(chat, "+12052499136").await.unwrap();
    participants.remove(chat, "user@example.com").await.unwrap();

    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    for request in requests {
        let method = request.method.as_str().to_ascii_lowercase();
        let operation = &spec["paths"][PATH][&method];
        let schema = body_schema(&spec, &operation["requestBody"]);
        let body: Value = serde_json::from_slice(&request.body).unwrap();
        let body = body.as_object().expect("a JSON object");
        for required in schema["required"].as_array().into_iter().flatten() {
            assert!(
                body.contains_key(required.as_str().unwrap()),
                "{method}: {required}"
            );
        }
        for (name, value) in body {
            let described = &schema["properties"][name];
            assert_eq!(described["type"], "string", "{method}: {name} is described");
            assert!(value.is_string(), "{method}: {name}");
        }
        assert_eq!(
            request.url.path(),
            PATH.replace("{chatId}", chat),
            "{method}"
        );
    }
}

/// The Prism rule, answers: every documented answer of both operations,
/// served with its own example, reaches the caller as what it documents.
#[tokio::test]
async fn every_documented_answer_decodes() {
    use wiremock::{Mock, MockServer, ResponseTemplate, matchers::any};

    let spec = spec();
    for method in ["post", "delete"] {
        for (status, response) in spec["paths"][PATH][method]["responses"]
            .as_object()
            .unwrap()
        {
            let example = &resolved(&spec, response)["content"]["application/json"]["example"];
            assert!(example.is_object(), "{method} {status} has an example");
            let status: u16 = status.parse().unwrap();
            let server = MockServer::start().await;
            Mock::given(any())
                .respond_with(ResponseTemplate::new(status).set_body_json(example))
                .mount(&server)
                .await;
            let client = client_for(&server);
            let operation = if method == "post" { "add" } else { "remove" };
            match change(&client.chats().participants(), operation, CHAT, PHONE).await {
                Ok(queued) => {
                    assert!((200..300).contains(&status), "{method} {status}");
                    assert_eq!(queued.message(), example["message"].as_str());
                    assert_eq!(
                        queued.status().map(|s| s.as_str()),
                        example["status"].as_str()
                    );
                    assert_eq!(queued.trace_id(), example["trace_id"].as_str());
                    assert!(queued.unknown_fields().is_empty(), "{method} {status}");
                }
                Err(error) => {
                    let ErrorKind::Api(api) = error.kind() else {
                        panic!("{method} {status}: {error}")
                    };
                    assert_eq!(api.status().as_u16(), status, "{method}");
                    assert_eq!(
                        api.code().map(|code| code.number()),
                        example["error"]["code"].as_i64(),
                        "{method} {status}"
                    );
                    assert_eq!(api.message(), example["error"]["message"].as_str());
                }
            }
        }
    }
}

/// The values the spec lists for Linq's open enumerations (recorded by the
/// sync as `x-known-values`) are all named by the wrapper's own types.
#[test]
fn the_wrapper_names_every_known_error_code() {
    use linq_partner::ErrorCode;

    let spec = spec();
    let error = body_schema(&spec, &spec["paths"][PATH]["delete"]["responses"]["400"]);
    let code = resolved(
        &spec,
        &resolved(&spec, &error["properties"]["error"])["properties"]["code"],
    );
    let known = code["x-known-values"]
        .as_array()
        .expect("the sync records the codes");
    assert!(known.len() >= 30, "{known:?}");
    for number in known {
        let number = number.as_i64().unwrap();
        assert!(
            !matches!(ErrorCode::from_number(number), ErrorCode::Unknown(_)),
            "ErrorCode does not name {number}"
        );
    }
}

/// The spec's webhook examples, assembled into deliveries the way Linq sends
/// them, verify and decode into the wrapper's participant events with every
/// field the examples carry.
#[cfg(feature = "test-util")]
#[test]
fn the_spec_webhook_examples_decode() {
    use linq_partner::webhooks::{EventKind, Verifier, WebhookSecret, signed_headers};

    let spec = spec();
    let schemas = &spec["components"]["schemas"];
    let example = |schema: &Value| -> Value {
        let mut out = serde_json::Map::new();
        for (name, property) in schema["properties"].as_object().unwrap() {
            let property = resolved(&spec, property);
            if !property["example"].is_null() {
                out.insert(name.clone(), property["example"].clone());
            }
        }
        Value::Object(out)
    };
    let secret = WebhookSecret::new("whsec_c3BlYw==").unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    for (event_type, data_schema, time) in [
        ("participant.added", "ParticipantAddedEvent", "added_at"),
        (
            "participant.removed",
            "ParticipantRemovedEvent",
            "removed_at",
        ),
    ] {
        let mut body = example(&schemas["WebhookEnvelopeBase"]);
        body["event_type"] = event_type.into();
        let data = example(&schemas[data_schema]);
        body["data"] = data.clone();
        let bytes = serde_json::to_vec(&body).unwrap();
        let headers = signed_headers(&secret, "spec-example", now, event_type, &bytes);
        let event = Verifier::new(secret.clone())
            .verify(&headers, &bytes)
            .unwrap_or_else(|e| panic!("{event_type}: {e}"));
        let change = match event.kind() {
            EventKind::ParticipantAdded(change) | EventKind::ParticipantRemoved(change) => change,
            other => panic!("{event_type}: {other:?}"),
        };
        let instant = |value: &Value| {
            chrono::DateTime::parse_from_rfc3339(value.as_str().unwrap())
                .unwrap()
                .to_utc()
        };
        assert_eq!(change.at(), Some(instant(&data[time])), "{event_type}");
        assert_eq!(
            event.envelope().created_at(),
            Some(instant(&body["created_at"]))
        );
        let participant = change.participant().expect("the example has one");
        let described = &data["participant"];
        assert_eq!(participant.handle(), described["handle"].as_str());
        assert_eq!(
            participant.service().map(|s| s.as_str()),
            described["service"].as_str()
        );
        assert_eq!(
            participant.status().map(|s| s.as_str()),
            described["status"].as_str()
        );
        assert_eq!(
            participant.joined_at(),
            Some(instant(&described["joined_at"]))
        );
        assert_eq!(
            participant.left_at(),
            described["left_at"]
                .as_str()
                .map(|_| instant(&described["left_at"]))
        );
        assert_eq!(participant.is_me(), described["is_me"].as_bool());
    }
}

/// `getChat`: the local server answers in the shape Linq's document
/// describes (every required field of the chat and of each participant),
/// gives the statuses the spec documents, and the SDK reads it, with the
/// statuses queued changes produce once they take effect.
#[tokio::test]
async fn the_local_server_serves_chats_as_the_spec_describes() {
    use linq_partner::{ErrorCode, ParticipantStatus};

    let spec = spec();
    let get = &spec["paths"]["/v3/chats/{chatId}"]["get"];
    let chat_schema = body_schema(&spec, &get["responses"]["200"]);
    let handle_schema = resolved(&spec, &chat_schema["properties"]["handles"]["items"]);

    let server = LocalServer::builder()
        .apply_delay(std::time::Duration::from_millis(50))
        .start()
        .await
        .unwrap();
    let raw: Value = reqwest_get(&server, &demo::GROUP.to_string()).await;
    for required in chat_schema["required"].as_array().unwrap() {
        assert!(
            raw.get(required.as_str().unwrap()).is_some(),
            "chat lacks {required}"
        );
    }
    for handle in raw["handles"].as_array().unwrap() {
        for required in handle_schema["required"].as_array().unwrap() {
            assert!(
                handle.get(required.as_str().unwrap()).is_some(),
                "handle lacks {required}"
            );
        }
    }

    let client = local_client(&server);
    let chats = client.chats();
    chats
        .participants()
        .add(demo::GROUP, "+14155550123")
        .await
        .unwrap();
    chats
        .participants()
        .remove(demo::GROUP, "+442071234567")
        .await
        .unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(120)).await;
    let chat = chats.get(demo::GROUP).await.unwrap();
    assert_eq!(chat.id().to_string(), demo::GROUP.to_string());
    assert!(chat.is_group());
    assert!(chat.created_at().is_some() && chat.updated_at() >= chat.created_at());
    let added = chat
        .participant("+14155550123")
        .expect("the addition took effect");
    assert_eq!(added.status(), Some(&ParticipantStatus::Active));
    let removed = chat.participant("+442071234567").expect("kept as removed");
    assert_eq!(removed.status(), Some(&ParticipantStatus::Removed));
    assert!(removed.left_at().is_some());
    assert!(
        chat.unknown_fields().is_empty(),
        "{:?}",
        chat.unknown_fields()
    );

    // The documented statuses: 200, 401, 404 and 500.
    let mut given = BTreeSet::from([200]);
    let stranger = client_at(server.url(), "not-the-token");
    for outcome in [
        stranger.chats().get(demo::GROUP).await,
        chats.get("00000000-0000-4000-8000-000000000000").await,
        {
            server.fail_next(1, 500).unwrap();
            chats.get(demo::GROUP).await
        },
    ] {
        let error = outcome.unwrap_err();
        let ErrorKind::Api(api) = error.kind() else {
            panic!("{error:?}")
        };
        if api.status().as_u16() == 404 {
            assert_eq!(api.code(), Some(ErrorCode::ChatNotFound));
        }
        given.insert(api.status().as_u16());
    }
    let documented: BTreeSet<u16> = get["responses"]
        .as_object()
        .unwrap()
        .keys()
        .map(|status| status.parse().unwrap())
        .collect();
    assert_eq!(given, documented);
}

/// The chat as the local server sends it, read without the SDK.
async fn reqwest_get(server: &LocalServer, chat: &str) -> Value {
    let response = linq_partner::reqwest::Client::new()
        .get(format!("{}/v3/chats/{chat}", server.url()))
        .bearer_auth(server.token())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    response.json().await.unwrap()
}
