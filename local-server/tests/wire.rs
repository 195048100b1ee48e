//! The server's answers on the wire: the seed's situations give the seed's
//! bytes, every other refusal has Linq's shape and says why.

use linq_local::{DEFAULT_TOKEN, LocalServer, demo};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
};

/// The seed's error examples, byte for byte, as the SDK's tests use them.
const SEED_400: &str = include_str!("../../tests/fixtures/seed/error_400.json");
const SEED_401: &str = include_str!("../../tests/fixtures/seed/error_401.json");
const SEED_404: &str = include_str!("../../tests/fixtures/seed/error_404.json");
const SEED_409: &str = include_str!("../../tests/fixtures/seed/error_409.json");
const SEED_500: &str = include_str!("../../tests/fixtures/seed/error_500.json");

/// One HTTP/1.1 exchange over a fresh connection, written by hand so that the
/// test sees exactly the status and bytes the server sends.
async fn request(
    server: &LocalServer,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: &str,
) -> (u16, String) {
    let address = server.url().trim_start_matches("http://");
    let mut stream = TcpStream::connect(address)
        .await
        .expect("the server listens");
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nhost: {address}\r\nconnection: close\r\ncontent-type: application/json\r\ncontent-length: {}\r\n",
        body.len()
    );
    if let Some(token) = token {
        head.push_str(&format!("authorization: Bearer {token}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(body.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.unwrap();
    let answer = String::from_utf8(answer).expect("a text answer");
    let (head, body) = answer.split_once("\r\n\r\n").expect("a complete answer");
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("a status line");
    (status, body.to_owned())
}

async fn call(
    server: &LocalServer,
    method: &str,
    chat: &str,
    token: Option<&str>,
    body: &str,
) -> (u16, String) {
    request(
        server,
        method,
        &format!("/v3/chats/{chat}/participants"),
        token,
        body,
    )
    .await
}

fn json(body: &str) -> serde_json::Value {
    serde_json::from_str(body).expect("a JSON body")
}

#[tokio::test]
async fn seed_situations_give_seed_bytes() {
    let server = LocalServer::start().await.unwrap();
    let group = demo::GROUP.to_string();
    let token = Some(DEFAULT_TOKEN);
    let body = r#"{"handle":"+12052499136"}"#;

    assert_eq!(
        call(&server, "DELETE", &group, None, body).await,
        (401, SEED_401.into())
    );
    assert_eq!(
        call(&server, "DELETE", &group, Some("wrong"), body).await,
        (401, SEED_401.into())
    );
    assert_eq!(
        call(
            &server,
            "DELETE",
            &group,
            token,
            r#"{"handle":"+1 205 249 9136"}"#
        )
        .await,
        (400, SEED_400.into())
    );
    assert_eq!(
        call(
            &server,
            "DELETE",
            "00000000-0000-4000-8000-000000000000",
            token,
            body
        )
        .await,
        (404, SEED_404.into())
    );
    let unavailable = demo::UNAVAILABLE.to_string();
    assert_eq!(
        call(
            &server,
            "DELETE",
            &unavailable,
            token,
            r#"{"handle":"+16175550144"}"#
        )
        .await,
        (409, SEED_409.into())
    );
    server.fail_next(1, 500).unwrap();
    assert_eq!(
        call(&server, "DELETE", &group, token, body).await,
        (500, SEED_500.into())
    );

    let (status, ok) = call(&server, "DELETE", &group, token, body).await;
    assert_eq!(status, 202);
    let ok = json(&ok);
    assert_eq!(ok["message"], "Participant removal queued");
    assert_eq!(ok["status"], "accepted");
    assert_eq!(ok["trace_id"].as_str().map(str::len), Some(32));
}

#[tokio::test]
async fn malformed_requests_are_clear_400s() {
    let server = LocalServer::start().await.unwrap();
    let group = demo::GROUP.to_string();
    let token = Some(DEFAULT_TOKEN);
    let cases = [
        (
            "not-a-uuid",
            r#"{"handle":"+12052499136"}"#,
            1005,
            "chatId must be a UUID",
        ),
        (group.as_str(), "handle=+12052499136", 1003, "must be JSON"),
        (
            group.as_str(),
            r#"{"phone":"+12052499136"}"#,
            1001,
            "handle is required",
        ),
        (
            group.as_str(),
            r#"{"handle":12052499136}"#,
            1003,
            "must be a string",
        ),
        (
            group.as_str(),
            r#"{"handle":"ana@localhost"}"#,
            1005,
            "email address",
        ),
    ];
    for (chat, body, code, says) in cases {
        let (status, answer) = call(&server, "POST", chat, token, body).await;
        assert_eq!(status, 400, "{body}");
        let answer = json(&answer);
        assert_eq!(answer["error"]["code"], code, "{answer}");
        assert_eq!(answer["success"], false);
        assert!(
            answer["error"]["message"].as_str().unwrap().contains(says),
            "{answer}"
        );
        assert!(answer["trace_id"].is_string(), "{answer}");
    }
}

#[tokio::test]
async fn chats_can_be_inspected_and_faults_set_over_http() {
    let server = LocalServer::start().await.unwrap();
    let (status, chat) = request(
        &server,
        "GET",
        &format!("/v3/chats/{}", demo::GROUP),
        Some(DEFAULT_TOKEN),
        "",
    )
    .await;
    assert_eq!(status, 200);
    let chat = json(&chat);
    assert_eq!(chat["handles"].as_array().unwrap().len(), 4);
    assert_eq!(chat["handles"][0]["is_me"], true);
    assert_eq!(chat["service"], "iMessage");

    let (status, _) = request(
        &server,
        "POST",
        "/_local/faults",
        Some(DEFAULT_TOKEN),
        r#"{"fail_next": 2, "status": 503}"#,
    )
    .await;
    assert_eq!(status, 200);
    let body = r#"{"handle":"+19995550100"}"#;
    let group = demo::GROUP.to_string();
    for _ in 0..2 {
        let (status, answer) = call(&server, "POST", &group, Some(DEFAULT_TOKEN), body).await;
        assert_eq!(status, 503);
        assert_eq!(json(&answer)["error"]["code"], 4004);
    }
    let (status, _) = call(&server, "POST", &group, Some(DEFAULT_TOKEN), body).await;
    assert_eq!(status, 202);
}
