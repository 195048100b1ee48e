//! The server's answers on the wire: the seed's situations give the seed's
//! bytes, every other refusal has Linq's shape and says why.

use linq_local::{DEFAULT_TOKEN, LocalServer, demo};
use reqwest::{Method, StatusCode};

const SEED_400: &str = "{\n  \"error\": {\n    \"status\": 400,\n    \"code\": 1002,\n    \"message\": \"Phone number must be in E.164 format\"\n  },\n  \"success\": false\n}";
const SEED_401: &str = "{\n  \"error\": {\n    \"status\": 401,\n    \"code\": 2004,\n    \"message\": \"Unauthorized - missing or invalid authentication token\"\n  },\n  \"success\": false\n}";
const SEED_404: &str = "{\n  \"error\": {\n    \"status\": 404,\n    \"code\": 2001,\n    \"message\": \"Resource not found\"\n  },\n  \"success\": false\n}";
const SEED_409: &str = "{\n  \"error\": {\n    \"status\": 409,\n    \"code\": 2013,\n    \"message\": \"This chat is unavailable\"\n  }\n}";
const SEED_500: &str = "{\n  \"error\": {\n    \"status\": 500,\n    \"code\": 3006,\n    \"message\": \"Internal server error\"\n  },\n  \"success\": false\n}";

async fn call(
    server: &LocalServer,
    method: Method,
    chat: &str,
    token: Option<&str>,
    body: &str,
) -> (StatusCode, String) {
    let mut request = reqwest::Client::new()
        .request(
            method,
            format!("{}/v3/chats/{chat}/participants", server.url()),
        )
        .header("content-type", "application/json")
        .body(body.to_owned());
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.expect("the server answers");
    (
        response.status(),
        response.text().await.expect("a text body"),
    )
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
        call(&server, Method::DELETE, &group, None, body).await,
        (StatusCode::UNAUTHORIZED, SEED_401.into())
    );
    assert_eq!(
        call(&server, Method::DELETE, &group, Some("wrong"), body).await,
        (StatusCode::UNAUTHORIZED, SEED_401.into())
    );
    assert_eq!(
        call(
            &server,
            Method::DELETE,
            &group,
            token,
            r#"{"handle":"+1 205 249 9136"}"#
        )
        .await,
        (StatusCode::BAD_REQUEST, SEED_400.into())
    );
    assert_eq!(
        call(
            &server,
            Method::DELETE,
            "00000000-0000-4000-8000-000000000000",
            token,
            body
        )
        .await,
        (StatusCode::NOT_FOUND, SEED_404.into())
    );
    let unavailable = demo::UNAVAILABLE.to_string();
    assert_eq!(
        call(
            &server,
            Method::DELETE,
            &unavailable,
            token,
            r#"{"handle":"+16175550144"}"#
        )
        .await,
        (StatusCode::CONFLICT, SEED_409.into())
    );
    server.fail_next(1, 500);
    assert_eq!(
        call(&server, Method::DELETE, &group, token, body).await,
        (StatusCode::INTERNAL_SERVER_ERROR, SEED_500.into())
    );

    let (status, ok) = call(&server, Method::DELETE, &group, token, body).await;
    assert_eq!(status, StatusCode::ACCEPTED);
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
        let (status, answer) = call(&server, Method::POST, chat, token, body).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
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
    let http = reqwest::Client::new();
    let chat: serde_json::Value = http
        .get(format!("{}/v3/chats/{}", server.url(), demo::GROUP))
        .bearer_auth(DEFAULT_TOKEN)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(chat["handles"].as_array().unwrap().len(), 4);
    assert_eq!(chat["handles"][0]["is_me"], true);
    assert_eq!(chat["service"], "iMessage");

    let set = http
        .post(format!("{}/_local/faults", server.url()))
        .bearer_auth(DEFAULT_TOKEN)
        .body(r#"{"fail_next": 2, "status": 503}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(set.status(), StatusCode::OK);
    let body = r#"{"handle":"+19995550100"}"#;
    let group = demo::GROUP.to_string();
    for _ in 0..2 {
        let (status, answer) = call(&server, Method::POST, &group, Some(DEFAULT_TOKEN), body).await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(json(&answer)["error"]["code"], 4004);
    }
    let (status, _) = call(&server, Method::POST, &group, Some(DEFAULT_TOKEN), body).await;
    assert_eq!(status, StatusCode::ACCEPTED);
}
