//! What the caller gets back for every documented answer and for the ugly
//! ones real servers and proxies produce.

mod common;

use common::*;
use linq_partner::{ApiErrorKind, Error, ErrorCode};
use wiremock::{Mock, MockServer, ResponseTemplate, matchers::any};

/// The seed's examples, byte for byte (shared with the local server's tests).
const REMOVE_202: &str = include_str!("fixtures/seed/remove_202.json");
const ADD_202: &str = include_str!("fixtures/seed/add_202.json");
const SEED_400: &str = include_str!("fixtures/seed/error_400.json");
const SEED_401: &str = include_str!("fixtures/seed/error_401.json");
const SEED_404: &str = include_str!("fixtures/seed/error_404.json");
const SEED_409: &str = include_str!("fixtures/seed/error_409.json");
const SEED_500: &str = include_str!("fixtures/seed/error_500.json");
const HTML_502: &str = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n";

struct Case {
    name: &'static str,
    status: u16,
    content_type: &'static str,
    body: Vec<u8>,
}

fn case(name: &'static str, status: u16, body: impl Into<Vec<u8>>) -> Case {
    Case {
        name,
        status,
        content_type: "application/json",
        body: body.into(),
    }
}

fn cases(success_body: &str) -> Vec<Case> {
    let ten_megabytes = {
        let mut body = br#"{"message":"Participant removal queued","padding":""#.to_vec();
        body.resize(10 * 1024 * 1024, b'x');
        body.extend_from_slice(br#""}"#);
        body
    };
    vec![
        case("seed_202", 202, success_body),
        case("seed_400", 400, SEED_400),
        case("seed_401", 401, SEED_401),
        case("seed_404", 404, SEED_404),
        case("seed_409", 409, SEED_409),
        case("seed_500", 500, SEED_500),
        case("empty_202", 202, ""),
        Case {
            content_type: "text/html",
            ..case("html_502", 502, HTML_502)
        },
        case(
            "unknown_code_9999",
            400,
            r#"{"error":{"status":400,"code":9999,"message":"A rule this client has not heard of"},"success":false,"trace_id":"tr_9999"}"#,
        ),
        case("success_missing_fields", 202, "{}"),
        case(
            "error_missing_success_and_status",
            404,
            r#"{"error":{"code":2001,"message":"Resource not found"}}"#,
        ),
        case(
            "error_missing_code",
            400,
            r#"{"error":{"status":400,"message":"Bad request"},"success":false}"#,
        ),
        case(
            "success_extra_fields",
            202,
            r#"{"message":"Participant removal queued","status":"accepted","trace_id":"tr_1","queued_at":"2026-11-25T12:00:00Z","participant":{"handle":"+12052499136"}}"#,
        ),
        case(
            "error_extra_fields",
            409,
            r#"{"error":{"status":409,"code":2013,"message":"This chat is unavailable","retry_in":30},"success":false,"trace_id":"tr_2","docs":"https://example.com"}"#,
        ),
        case(
            "unlisted_status_429",
            429,
            r#"{"error":{"status":429,"code":1007,"message":"Slow down"},"success":false,"trace_id":"tr_3"}"#,
        ),
        case("body_10_mb", 202, ten_megabytes),
    ]
}

async fn outcomes(operation: &str, success_body: &str) {
    for case in cases(success_body) {
        let server = MockServer::start().await;
        Mock::given(any())
            .respond_with(
                ResponseTemplate::new(case.status)
                    .insert_header("x-request-id", "req-1")
                    .set_body_raw(case.body.clone(), case.content_type),
            )
            .mount(&server)
            .await;
        let client = client_for(&server);
        let participants = client.chats().participants();
        let call = match operation {
            "add" => participants.add(CHAT, PHONE),
            _ => participants.remove(CHAT, PHONE),
        };
        let outcome = call.send_with_response().await;
        insta::assert_snapshot!(
            format!("{operation}_{}", case.name),
            render_outcome(&outcome)
        );
    }
}

#[tokio::test]
async fn remove_outcomes() {
    outcomes("remove", REMOVE_202).await;
}

#[tokio::test]
async fn add_outcomes() {
    outcomes("add", ADD_202).await;
}

#[tokio::test]
async fn api_errors_are_typed() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(409)
                .set_body_raw(SEED_409, "application/json")
                .insert_header("retry-after", "3"),
        )
        .mount(&server)
        .await;
    let error = client_for(&server)
        .chats()
        .participants()
        .remove(CHAT, PHONE)
        .await
        .unwrap_err();
    let Error::Api(api) = &error else {
        panic!("expected an API error, got {error:?}")
    };
    assert_eq!(api.status().as_u16(), 409);
    assert_eq!(api.kind(), ApiErrorKind::Conflict);
    assert_eq!(api.code(), Some(ErrorCode::ChatUnavailable));
    assert_eq!(api.message(), Some("This chat is unavailable"));
    assert_eq!(api.headers()["retry-after"], "3");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(409));
}

#[tokio::test]
async fn success_keeps_status_and_headers() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(202)
                .set_body_raw(REMOVE_202, "application/json")
                .insert_header("x-request-id", "req-7"),
        )
        .mount(&server)
        .await;
    let client = client_for(&server);
    let answer = client
        .chats()
        .participants()
        .remove(CHAT, PHONE)
        .send_with_response()
        .await
        .unwrap();
    assert_eq!(answer.status().as_u16(), 202);
    assert_eq!(answer.headers()["x-request-id"], "req-7");
    assert!(answer.is_accepted());
    assert_eq!(answer.trace_id(), Some("trace_id"));
    let queued = client
        .chats()
        .participants()
        .remove(CHAT, PHONE)
        .await
        .unwrap();
    assert_eq!(queued.message(), Some("Participant removal queued"));
}
