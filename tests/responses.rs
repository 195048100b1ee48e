//! What the caller gets back for every documented answer and for the ugly
//! ones real servers and proxies produce.

mod common;

use common::*;
use linq_partner::{
    Answer, ApiErrorKind, Error, ErrorCode, ErrorKind, Queued, reqwest::StatusCode,
};
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

/// One answer the server gives, as the snapshot shows it to a reviewer.
struct Case {
    name: &'static str,
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: Vec<u8>,
}

fn case(name: &'static str, status: u16, body: impl Into<Vec<u8>>) -> Case {
    Case {
        name,
        status,
        headers: vec![("content-type", "application/json".into())],
        body: body.into(),
    }
}

impl Case {
    fn header(mut self, name: &'static str, value: &str) -> Self {
        self.headers.retain(|(n, _)| *n != name);
        self.headers.push((name, value.into()));
        self
    }

    /// The input half of a snapshot: status, headers, and the body (long
    /// ones cut, control characters escaped).
    fn render(&self) -> String {
        let mut out = format!("status: {}\nheaders:\n", self.status);
        for (name, value) in &self.headers {
            out.push_str(&format!("  {name}: {value}\n"));
        }
        let text = String::from_utf8_lossy(&self.body);
        // Readable as it is, but a control character must not hide in it.
        let shown: String = text
            .chars()
            .take(300)
            .map(|c| match c {
                '\n' => "\n  ".to_owned(),
                c if c.is_control() => c.escape_debug().to_string(),
                c => c.to_string(),
            })
            .collect();
        let more = if text.chars().count() > 300 {
            "…"
        } else {
            ""
        };
        out.push_str(&format!(
            "body ({} bytes):\n  {shown}{more}",
            self.body.len()
        ));
        out
    }
}

/// The answers both operations decode the same way.
fn shared_cases() -> Vec<Case> {
    let ten_megabytes = {
        let mut body = br#"{"message":"Participant removal queued","padding":""#.to_vec();
        body.resize(10 * 1024 * 1024, b'x');
        body.extend_from_slice(br#""}"#);
        body
    };
    let one_mib_message = format!(
        r#"{{"error":{{"status":400,"code":1005,"message":"{}"}},"success":false,"trace_id":"tr_long"}}"#,
        "very long explanation ".repeat(45_000)
    );
    vec![
        case("seed_400", 400, SEED_400),
        case("seed_401", 401, SEED_401),
        case("seed_404", 404, SEED_404),
        case("seed_409", 409, SEED_409),
        case("seed_500", 500, SEED_500),
        case("empty_202", 202, ""),
        case("html_502", 502, HTML_502).header("content-type", "text/html"),
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
        case("truncated_202", 202, r#"{"message":"Participant remo"#),
        case("ok_200", 200, REMOVE_202),
        case("no_content_204", 204, ""),
        case("redirect_302", 302, "").header("location", "https://elsewhere.example/v3/chats"),
        case(
            "status_600",
            600,
            r#"{"error":{"status":600,"code":3006,"message":"Beyond HTTP"},"success":false}"#,
        ),
        case(
            "control_characters",
            400,
            "{\"error\":{\"status\":400,\"code\":1002,\"message\":\"bad\\n2026-12-01 INFO forged line\\u001b[31m\"},\"trace_id\":\"tr_1\\nINFO forged\\u001b[0m\"}",
        ),
        case("message_1_mib", 400, one_mib_message),
        case(
            "error_numbers_as_the_schema_allows",
            400,
            r#"{"error":{"status":400000000000000000000000,"code":2004.0,"message":"Written by another JSON encoder"},"success":false,"trace_id":"tr_5"}"#,
        ),
        case(
            "status_not_known_yet",
            202,
            r#"{"message":"Participant removal deferred","status":"deferred","trace_id":"tr_4"}"#,
        ),
    ]
}

/// Calls `operation` against a server that gives `case`'s answer.
async fn call(operation: &str, case: &Case) -> Result<Answer<Queued>, Error> {
    let server = MockServer::start().await;
    let mut response = ResponseTemplate::new(case.status).set_body_raw(case.body.clone(), "");
    for (name, value) in &case.headers {
        response = response.insert_header(*name, value.as_str());
    }
    Mock::given(any())
        .respond_with(response)
        .mount(&server)
        .await;
    let client = client_for(&server);
    change(&client.chats().participants(), operation, CHAT, PHONE)
        .send_with_response()
        .await
}

/// A snapshot: the answer the server gave above what the caller got.
async fn outcome(operation: &str, case: &Case) -> String {
    let outcome = call(operation, case).await;
    format!(
        "input:\n{}\n\noutcome:\n{}",
        case.render(),
        render_outcome(&outcome)
    )
}

/// Each shared answer is snapshotted once, and both operations must give
/// exactly that outcome.
#[tokio::test]
async fn outcomes() {
    for case in shared_cases() {
        let removed = outcome("remove", &case).await;
        let added = outcome("add", &case).await;
        assert_eq!(added, removed, "{}: add and remove differ", case.name);
        insta::assert_snapshot!(case.name, removed);
    }
}

/// The seed's success examples differ per operation.
#[tokio::test]
async fn seed_successes() {
    for (operation, body) in [("remove", REMOVE_202), ("add", ADD_202)] {
        let shown = outcome(operation, &case("seed_202", 202, body)).await;
        insta::assert_snapshot!(format!("{operation}_seed_202"), shown);
    }
}

/// Server text never reaches `Display` raw: control characters are escaped
/// and a long message is cut, while accessors keep the whole value.
#[tokio::test]
async fn server_text_is_escaped_and_capped() {
    for case in shared_cases() {
        let Err(error) = call("remove", &case).await else {
            continue;
        };
        let shown = error.to_string();
        assert!(
            !shown.chars().any(char::is_control),
            "{}: {shown}",
            case.name
        );
        assert!(shown.len() < 2048, "{}: {} bytes", case.name, shown.len());
        match case.name {
            "control_characters" => {
                assert_eq!(error.trace_id(), Some("tr_1\nINFO forged\u{1b}[0m"));
                assert!(shown.contains(r"tr_1\nINFO forged\u{1b}[0m"), "{shown}");
                assert!(
                    shown.contains(r"bad\n2026-12-01 INFO forged line\u{1b}[31m"),
                    "{shown}"
                );
            }
            "message_1_mib" => {
                let ErrorKind::Api(api) = error.kind() else {
                    panic!("{error:?}")
                };
                assert_eq!(api.message().map(str::len), Some(22 * 45_000));
                assert!(shown.contains("expl…\" (trace id tr_long)"), "{shown}");
                assert!(format!("{error:?}").len() < 2048);
            }
            _ => {}
        }
    }
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
    let ErrorKind::Api(api) = error.kind() else {
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
    assert_eq!(answer.http_status().as_u16(), 202);
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
    let kind = |n| ApiErrorKind::from_status(StatusCode::from_u16(n).unwrap());
    assert_eq!(kind(400), ApiErrorKind::BadRequest);
    assert_eq!(kind(401), ApiErrorKind::Authentication);
    assert_eq!(kind(403), ApiErrorKind::PermissionDenied);
    assert_eq!(kind(404), ApiErrorKind::NotFound);
    assert_eq!(kind(409), ApiErrorKind::Conflict);
    assert_eq!(kind(422), ApiErrorKind::UnprocessableEntity);
    assert_eq!(kind(429), ApiErrorKind::RateLimited);
    assert_eq!(kind(503), ApiErrorKind::InternalServer);
    assert_eq!(kind(599), ApiErrorKind::InternalServer);
    for status in [418, 600, 999] {
        let ApiErrorKind::Other(other) = kind(status) else {
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
