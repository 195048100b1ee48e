//! What goes on the wire for each operation.

mod common;

use common::*;
use wiremock::{Mock, MockServer, ResponseTemplate, matchers::any};

async fn capture(operation: &str) -> String {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(202).set_body_string("{}"))
        .mount(&server)
        .await;
    let client = client_for(&server);
    let participants = client.chats().participants();
    let call = match operation {
        "add" => participants.add(CHAT, PHONE),
        _ => participants.remove(CHAT, "user@example.com"),
    };
    call.await.expect("the call succeeds");
    let requests = received(&server).await;
    assert_eq!(requests.len(), 1, "exactly one request goes out");
    render_request(&requests[0])
}

#[tokio::test]
async fn add_request() {
    insta::assert_snapshot!(capture("add").await);
}

#[tokio::test]
async fn remove_request() {
    insta::assert_snapshot!(capture("remove").await);
}

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
