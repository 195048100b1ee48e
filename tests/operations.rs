//! One table-driven snapshot harness over every operation (add, remove,
//! get): the request each sends, and what a caller gets back from every
//! documented answer and from the ugly ones real servers and proxies give.
//!
//! Snapshots render the outcome a caller sees in a form made for review
//! (value fields, error kind, status, code, trace id, how far the call got),
//! not a `Debug` dump, so that a change to `Debug` touches none of them.
//! An answer the operations decode alike is one snapshot; where they
//! differ, each operation's outcome is shown under its name.

mod common;

use std::fmt::Write as _;

use common::*;
use linq_partner::{Answer, Chat, Client, Error, ErrorKind, Queued};
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
/// A chat as `getChat` documents it.
const CHAT_200: &str = r#"{"id":"550e8400-e29b-41d4-a716-446655440000","display_name":"Launch team","service":"iMessage","is_group":true,"is_archived":false,"created_at":"2024-01-15T10:30:00Z","updated_at":"2024-01-15T10:30:00Z","handles":[{"id":"550e8400-e29b-41d4-a716-446655440010","handle":"+14155551234","service":"iMessage","status":"active","is_me":true,"joined_at":"2025-05-21T15:30:00.000Z"},{"id":"550e8400-e29b-41d4-a716-446655440011","handle":"+12052499136","service":"iMessage","status":"removed","is_me":false,"joined_at":"2025-05-21T15:30:00.000Z","left_at":"2025-06-01T09:00:00Z"}],"health_status":{"status":"HEALTHY"}}"#;

/// The operations, as the harness calls them.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Operation {
    Add,
    Remove,
    Get,
}

const OPERATIONS: [Operation; 3] = [Operation::Add, Operation::Remove, Operation::Get];

impl Operation {
    fn name(self) -> &'static str {
        match self {
            Operation::Add => "add",
            Operation::Remove => "remove",
            Operation::Get => "get",
        }
    }

    /// Calls the operation and renders what the caller got.
    async fn call(self, client: &Client) -> String {
        let participants = client.chats().participants();
        match self {
            Operation::Add => outcome(participants.add(CHAT, PHONE).send_with_response().await),
            Operation::Remove => {
                outcome(participants.remove(CHAT, PHONE).send_with_response().await)
            }
            Operation::Get => outcome(client.chats().get(CHAT).send_with_response().await),
        }
    }
}

/// An answer the test server gives.
struct Case {
    name: &'static str,
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: Vec<u8>,
    /// The operations this answer is meant for (a change's 202 is not a
    /// chat, nor a chat a change's answer).
    for_operations: &'static [Operation],
}

fn case(name: &'static str, status: u16, body: impl Into<Vec<u8>>) -> Case {
    Case {
        name,
        status,
        headers: vec![("content-type", "application/json".into())],
        body: body.into(),
        for_operations: &OPERATIONS,
    }
}

impl Case {
    fn header(mut self, name: &'static str, value: &str) -> Self {
        self.headers.retain(|(n, _)| *n != name);
        self.headers.push((name, value.into()));
        self
    }

    fn only(mut self, operations: &'static [Operation]) -> Self {
        self.for_operations = operations;
        self
    }

    /// Status, headers, and the body (long ones cut, control characters
    /// escaped).
    fn render(&self) -> String {
        let mut out = format!("status: {}\nheaders:\n", self.status);
        for (name, value) in &self.headers {
            let _ = writeln!(out, "  {name}: {value}");
        }
        let text = String::from_utf8_lossy(&self.body);
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
        let _ = write!(out, "body ({} bytes):\n  {shown}{more}", self.body.len());
        out
    }

    async fn serve(&self) -> MockServer {
        let server = MockServer::start().await;
        let mut response = ResponseTemplate::new(self.status).set_body_raw(self.body.clone(), "");
        for (name, value) in &self.headers {
            response = response.insert_header(*name, value.as_str());
        }
        Mock::given(any())
            .respond_with(response)
            .mount(&server)
            .await;
        server
    }
}

/// Every answer in the table.
fn cases() -> Vec<Case> {
    use Operation::*;
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
        // The seed's documented answers.
        case("seed_add_202", 202, ADD_202).only(&[Add]),
        case("seed_remove_202", 202, REMOVE_202).only(&[Remove]),
        case("chat_200", 200, CHAT_200).only(&[Get]),
        case("seed_400", 400, SEED_400),
        case("seed_401", 401, SEED_401),
        case("seed_404", 404, SEED_404),
        case("seed_409", 409, SEED_409),
        case("seed_500", 500, SEED_500),
        // What else a server or a proxy may give.
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
        )
        .only(&[Add, Remove]),
        case(
            "success_fields_no_value_can_hold",
            202,
            format!(
                r#"{{"message":"Participant removal queued","status":"accepted","trace_id":"tr_6","huge":1e400,"deep":{}0{}}}"#,
                "[".repeat(200),
                "]".repeat(200)
            ),
        )
        .only(&[Add, Remove]),
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
        case("ok_200", 200, REMOVE_202).only(&[Add, Remove]),
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
        )
        .only(&[Add, Remove]),
    ]
}

/// A success value, field by field.
trait Shown {
    fn shown(&self) -> String;
}

impl Shown for Queued {
    fn shown(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "message: {:?}", self.message());
        let _ = writeln!(out, "status: {:?}", self.status().map(|s| s.as_str()));
        let _ = writeln!(out, "trace id: {:?}", self.trace_id());
        let _ = writeln!(
            out,
            "unknown fields: {}",
            names(self.unknown_fields().keys())
        );
        let _ = write!(out, "left out: {:?}", self.left_out_fields());
        out
    }
}

impl Shown for Chat {
    fn shown(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "id: {}", self.id());
        let _ = writeln!(out, "display name: {:?}", self.display_name());
        let _ = writeln!(out, "service: {:?}", self.service().map(|s| s.as_str()));
        let _ = writeln!(
            out,
            "group: {}, archived: {}",
            self.is_group(),
            self.is_archived()
        );
        let _ = writeln!(out, "participants:");
        for p in self.participants() {
            let _ = writeln!(
                out,
                "  {:?} {:?} {:?} me: {:?} left: {:?}",
                p.handle(),
                p.service().map(|s| s.as_str()),
                p.status().map(|s| s.as_str()),
                p.is_me(),
                p.left_at().map(|at| at.to_rfc3339())
            );
        }
        let _ = write!(
            out,
            "unknown fields: {}",
            names(self.unknown_fields().keys())
        );
        out
    }
}

fn names<'a>(keys: impl Iterator<Item = &'a String>) -> String {
    let keys: Vec<&str> = keys.map(String::as_str).collect();
    if keys.is_empty() {
        "none".into()
    } else {
        keys.join(", ")
    }
}

/// What the caller got: the value, or the error's kind, message and facts.
fn outcome<T: Shown>(outcome: Result<Answer<T>, Error>) -> String {
    match outcome {
        Ok(answer) => format!("Ok {}\n{}", answer.status(), answer.value().shown()),
        Err(error) => {
            let mut out = format!("Err {}\ndisplay: {error}\n", kind(&error));
            let _ = writeln!(out, "status: {:?}", error.status().map(|s| s.as_u16()));
            if let ErrorKind::Api(api) = error.kind() {
                let _ = writeln!(out, "class: {:?}", api.class());
                let _ = writeln!(out, "code: {:?}", api.code().map(|c| c.number()));
            }
            let _ = writeln!(out, "trace id: {:?}", error.trace_id());
            let _ = write!(
                out,
                "delivery: {:?}, change accepted: {}, attempts: {}",
                error.delivery(),
                error.change_accepted(),
                error.attempts()
            );
            out
        }
    }
}

fn kind(error: &Error) -> &'static str {
    match error.kind() {
        ErrorKind::Api(_) => "Api",
        ErrorKind::Timeout { .. } => "Timeout",
        ErrorKind::Connection { .. } => "Connection",
        ErrorKind::UnreadableAnswer { .. } => "UnreadableAnswer",
        ErrorKind::InvalidInput(_) => "InvalidInput",
        ErrorKind::Decode(_) => "Decode",
        ErrorKind::Redirect(_) => "Redirect",
        ErrorKind::NotConfirmed(_) => "NotConfirmed",
        ErrorKind::Config(_) => "Config",
        _ => "other",
    }
}

/// Each answer is one snapshot: the answer above each operation's outcome,
/// operations with the same outcome shown together.
#[tokio::test]
async fn answers() {
    for case in cases() {
        let server = case.serve().await;
        let client = client_for(&server);
        let mut outcomes: Vec<(Vec<&str>, String)> = Vec::new();
        for operation in case.for_operations {
            let shown = operation.call(&client).await;
            match outcomes.iter_mut().find(|(_, seen)| *seen == shown) {
                Some((names, _)) => names.push(operation.name()),
                None => outcomes.push((vec![operation.name()], shown)),
            }
        }
        let mut snapshot = format!("answer:\n{}\n", case.render());
        for (names, shown) in outcomes {
            let _ = write!(snapshot, "\n{}:\n{shown}\n", names.join(", "));
        }
        insta::assert_snapshot!(case.name, snapshot);
    }
}

/// What each operation puts on the wire.
#[tokio::test]
async fn requests() {
    for operation in OPERATIONS {
        let server = case("any", 200, "{}").serve().await;
        let client = client_for(&server);
        operation.call(&client).await;
        let requests = received(&server).await;
        assert_eq!(
            requests.len(),
            1,
            "{operation:?}: exactly one request goes out"
        );
        insta::assert_snapshot!(
            format!("request_{}", operation.name()),
            render_request(&requests[0])
        );
    }
}

/// Server text never reaches `Display` raw: control characters are escaped
/// and a long message is cut, while accessors keep the whole value.
#[tokio::test]
async fn server_text_is_escaped_and_capped() {
    for case in cases() {
        let server = case.serve().await;
        let client = client_for(&server);
        let Err(error) = client.chats().participants().remove(CHAT, PHONE).await else {
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
