//! Typed errors, status and headers kept, Linq's codes and status classes,
//! and `Debug` kept short (the snapshots of every answer are in
//! `operations.rs`).

mod common;

use common::*;
use linq_partner::{ErrorCode, ErrorKind, Queued, error::StatusClass, reqwest::StatusCode};
use wiremock::{Mock, MockServer, ResponseTemplate, matchers::any};

/// The seed's examples, byte for byte (shared with the local server's tests).
const REMOVE_202: &str = include_str!("fixtures/seed/remove_202.json");
const SEED_409: &str = include_str!("fixtures/seed/error_409.json");

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
    let ErrorKind::Api(api) = error.kind() else {
        panic!("expected an API error, got {error:?}")
    };
    assert_eq!(api.status().as_u16(), 409);
    assert_eq!(api.class(), StatusClass::Conflict);
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
    assert!(answer.value().is_accepted());
    assert_eq!(answer.value().trace_id(), Some("trace_id"));
    let queued = client
        .chats()
        .participants()
        .remove(CHAT, PHONE)
        .await
        .unwrap();
    assert_eq!(queued.message(), Some("Participant removal queued"));
}

#[test]
fn codes_round_trip() {
    for number in [
        1001, 1007, 2001, 2008, 2013, 3001, 3007, 4001, 4004, 5001, 5006,
    ] {
        let code = ErrorCode::from_number(number);
        assert!(code.name().is_some(), "{number} should be known");
        assert_eq!(code.number(), number);
    }
    let later = ErrorCode::from_number(9999);
    assert!(matches!(later, ErrorCode::Unknown(_)));
    assert_eq!((later.number(), later.name()), (9999, None));
    assert_eq!(later.to_string(), "9999 (not known to this client)");
    assert_eq!(
        ErrorCode::ChatUnavailable.to_string(),
        "2013 chat_unavailable"
    );
}

#[test]
fn kinds_follow_status() {
    let kind = |n| StatusClass::from_status(StatusCode::from_u16(n).unwrap());
    assert_eq!(kind(400), StatusClass::BadRequest);
    assert_eq!(kind(401), StatusClass::Authentication);
    assert_eq!(kind(403), StatusClass::PermissionDenied);
    assert_eq!(kind(404), StatusClass::NotFound);
    assert_eq!(kind(409), StatusClass::Conflict);
    assert_eq!(kind(422), StatusClass::UnprocessableEntity);
    assert_eq!(kind(429), StatusClass::RateLimited);
    assert_eq!(kind(503), StatusClass::InternalServer);
    assert_eq!(kind(599), StatusClass::InternalServer);
    for status in [418, 600, 999] {
        let StatusClass::Other(other) = kind(status) else {
            panic!("{status}")
        };
        assert_eq!(other.status().as_u16(), status);
    }
}

#[test]
fn debug_output_of_answers_stays_short_whatever_they_hold() {
    let huge = "\u{1b}[31m".repeat(200_000);
    let chat: linq_partner::Chat = serde_json::from_value(serde_json::json!({
        "id": CHAT,
        "display_name": huge,
        "handles": (0..300).map(|n| serde_json::json!({"handle": format!("+1205{n:07}"), "status": huge})).collect::<Vec<_>>(),
        "surprise": huge,
    }))
    .unwrap();
    let queued: Queued = serde_json::from_value(
        serde_json::json!({"message": huge, "trace_id": huge, "more": huge}),
    )
    .unwrap();
    for debug in [
        format!("{chat:?}"),
        format!("{chat:#?}"),
        format!("{queued:?}"),
        format!("{queued:#?}"),
    ] {
        assert!(debug.len() < 40_000, "{} bytes", debug.len());
    }
}
