//! What goes on the wire beyond the snapshots in `operations.rs`: the
//! caller's user agent, the raw client's headers.

mod common;

use common::*;
use wiremock::{Mock, MockServer, ResponseTemplate, matchers::any};

#[tokio::test]
async fn own_user_agent_replaces_the_default() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(202))
        .mount(&server)
        .await;
    let client = linq_partner::Client::builder()
        .api_key(TOKEN)
        .base_url(format!("{}/", server.uri()))
        .user_agent("my-service/1.2")
        .build()
        .unwrap();
    client
        .chats()
        .participants()
        .remove(CHAT, PHONE)
        .await
        .unwrap();
    let requests = received(&server).await;
    assert_eq!(requests[0].headers["user-agent"], "my-service/1.2");
    assert_eq!(
        requests[0].url.path(),
        "/v3/chats/550e8400-e29b-41d4-a716-446655440000/participants",
        "a trailing / on the base URL is dropped"
    );
}

#[tokio::test]
async fn the_raw_client_carries_the_token_and_user_agent_without_api_version() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(202).set_body_string(r#"{"trace_id":"tr_raw"}"#))
        .mount(&server)
        .await;
    let client = client_for(&server);
    let chat: uuid::Uuid = CHAT.parse().unwrap();
    let answer = client
        .raw()
        .remove_participant()
        .chat_id(chat)
        .body_map(|body| body.handle(PHONE))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status().as_u16(), 202);
    assert_eq!(answer.into_inner().trace_id.as_deref(), Some("tr_raw"));
    let requests = received(&server).await;
    assert_eq!(requests.len(), 1);
    let headers = &requests[0].headers;
    assert_eq!(headers["authorization"], format!("Bearer {TOKEN}"));
    assert!(
        headers["user-agent"]
            .to_str()
            .unwrap()
            .starts_with("linq-partner-rust/")
    );
    assert!(!headers.contains_key("api-version"));
}

#[tokio::test]
async fn a_callers_http_client_is_the_one_used() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(202))
        .mount(&server)
        .await;
    let mut defaults = linq_partner::reqwest::header::HeaderMap::new();
    defaults.insert("x-from-my-client", "yes".parse().unwrap());
    let http = linq_partner::reqwest::Client::builder()
        .default_headers(defaults)
        .build()
        .unwrap();
    let client = linq_partner::Client::builder()
        .api_key(TOKEN)
        .base_url(server.uri())
        .http_client(http)
        .build()
        .unwrap();
    client
        .chats()
        .participants()
        .add(CHAT, PHONE)
        .await
        .unwrap();
    let requests = received(&server).await;
    assert_eq!(requests[0].headers["x-from-my-client"], "yes");
    assert_eq!(
        requests[0].headers["authorization"],
        format!("Bearer {TOKEN}")
    );
}

#[tokio::test]
async fn the_raw_client_reads_no_more_than_the_size_limit() {
    let server = MockServer::start().await;
    let long = format!(r#"{{"trace_id":"{}"}}"#, "x".repeat(5000));
    Mock::given(any())
        .respond_with(ResponseTemplate::new(202).set_body_string(long))
        .mount(&server)
        .await;
    let client = linq_partner::Client::builder()
        .api_key(TOKEN)
        .base_url(server.uri())
        .max_body_bytes(100)
        .build()
        .unwrap();
    let chat: uuid::Uuid = CHAT.parse().unwrap();
    let error = client
        .raw()
        .remove_participant()
        .chat_id(chat)
        .body_map(|body| body.handle(PHONE))
        .send()
        .await
        .unwrap_err();
    let linq_partner::raw::Error::InvalidResponsePayload(bytes, _) = error else {
        panic!("{error:?}")
    };
    assert_eq!(bytes.len(), 100, "the body is cut at the limit");
}
