//! The server under abuse, over real loopback sockets: slow and stalled
//! clients, too many connections, a shutdown with a request half-sent,
//! bounded state, and every bad input answered in Linq's error shape.

use std::time::{Duration, Instant};

use linq_local::{DEFAULT_TOKEN, LocalServer, demo};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
};

fn address(server: &LocalServer) -> String {
    server.url().trim_start_matches("http://").to_owned()
}

/// Sends `bytes` on a fresh connection and reads the whole answer (the
/// server closes every connection after answering).
async fn exchange(server: &LocalServer, bytes: &[u8]) -> (u16, String, String) {
    let mut stream = TcpStream::connect(address(server)).await.unwrap();
    stream.write_all(bytes).await.unwrap();
    read_answer(&mut stream).await
}

async fn read_answer(stream: &mut TcpStream) -> (u16, String, String) {
    let mut answer = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut answer))
        .await
        .expect("the server answers and closes")
        .unwrap();
    let answer = String::from_utf8_lossy(&answer).into_owned();
    let (head, body) = answer
        .split_once("\r\n\r\n")
        .unwrap_or_else(|| panic!("a complete answer, got {answer:?}"));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("a status line");
    (status, head.to_ascii_lowercase(), body.to_owned())
}

/// Asserts Linq's error shape: JSON, `error.status` equal to the status,
/// a code and a message.
fn assert_linq_error(what: &str, status: u16, head: &str, body: &str, expected: (u16, u64)) {
    assert_eq!(status, expected.0, "{what}: {head}\n{body}");
    assert!(
        head.contains("content-type: application/json"),
        "{what}: {head}"
    );
    let value: serde_json::Value =
        serde_json::from_str(body).unwrap_or_else(|e| panic!("{what}: not JSON ({e}): {body}"));
    assert_eq!(value["error"]["status"], status, "{what}: {body}");
    assert_eq!(value["error"]["code"], expected.1, "{what}: {body}");
    assert!(value["error"]["message"].is_string(), "{what}: {body}");
}

fn request(method: &str, path: &str, extra_headers: &str, body: &str) -> Vec<u8> {
    format!(
        "{method} {path} HTTP/1.1\r\nhost: local\r\nauthorization: Bearer {DEFAULT_TOKEN}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n{extra_headers}\r\n{body}",
        body.len()
    )
    .into_bytes()
}

fn participants() -> String {
    format!("/v3/chats/{}/participants", demo::GROUP)
}

#[tokio::test]
async fn every_bad_input_is_answered_in_linqs_shape() {
    let server = LocalServer::builder().start().await.unwrap();
    let long_id = format!("/v3/chats/{}/participants", "a".repeat(100 * 1024));
    let many_headers: String = (0..100).map(|i| format!("x-h{i}: {i}\r\n")).collect();
    let big_header = format!("x-big: {}\r\n", "b".repeat(20 * 1024));
    let cases: Vec<(&str, Vec<u8>, (u16, u64))> = vec![
        ("wrong method", request("PUT", &participants(), "", "{}"), (405, 1005)),
        ("wrong method on a chat", request("DELETE", &format!("/v3/chats/{}", demo::GROUP), "", ""), (405, 1005)),
        ("a 100 KB chat id", request("POST", &long_id, "", "{}"), (414, 1005)),
        ("too many headers", request("POST", &participants(), &many_headers, "{}"), (431, 1005)),
        ("a 20 KB header", request("POST", &participants(), &big_header, "{}"), (431, 1005)),
        (
            "a huge content-length",
            format!("POST {} HTTP/1.1\r\nhost: l\r\ncontent-length: 100000000000\r\n\r\n", participants()).into_bytes(),
            (413, 1003),
        ),
        (
            "conflicting lengths",
            format!("POST {} HTTP/1.1\r\nhost: l\r\ncontent-length: 2\r\ncontent-length: 3\r\n\r\n{{}}", participants()).into_bytes(),
            (400, 1003),
        ),
        (
            "length and chunked",
            format!("POST {} HTTP/1.1\r\nhost: l\r\ncontent-length: 2\r\ntransfer-encoding: chunked\r\n\r\n{{}}", participants()).into_bytes(),
            (400, 1003),
        ),
        (
            "a length that is not a number",
            format!("POST {} HTTP/1.1\r\nhost: l\r\ncontent-length: two\r\n\r\n{{}}", participants()).into_bytes(),
            (400, 1003),
        ),
        ("garbage instead of HTTP", b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n".to_vec(), (400, 1003)),
        ("bad UTF-8 in the path", request("POST", "/v3/chats/%FF%FE/participants", "", "{}"), (400, 1005)),
        ("not a UUID", request("POST", "/v3/chats/not-a-uuid/participants", "", "{}"), (400, 1005)),
        ("a body that is not JSON", request("POST", &participants(), "", "handle=+1"), (400, 1003)),
        ("no handle", request("POST", &participants(), "", "{}"), (400, 1001)),
        ("a handle with NUL", request("POST", &participants(), "", r#"{"handle":"+1205\u0000249"}"#), (400, 1002)),
        ("an email with BEL", request("POST", &participants(), "", r#"{"handle":"a\u0007b@example.com"}"#), (400, 1005)),
        ("an emoji email", request("POST", &participants(), "", r#"{"handle":"😀@example.com"}"#), (400, 1005)),
        (
            "a 2 KB email",
            request("POST", &participants(), "", &format!(r#"{{"handle":"{}@example.com"}}"#, "a".repeat(2000))),
            (400, 1005),
        ),
        ("an unknown route", request("GET", "/v2/anything", "", ""), (404, 2001)),
        (
            "a body over the limit, chunked",
            format!(
                "POST {} HTTP/1.1\r\nhost: l\r\nauthorization: Bearer {DEFAULT_TOKEN}\r\ntransfer-encoding: chunked\r\n\r\n5000\r\n{}\r\n0\r\n\r\n",
                participants(),
                "x".repeat(0x5000)
            )
            .into_bytes(),
            (413, 1003),
        ),
        (
            "broken chunked framing",
            format!(
                "POST {} HTTP/1.1\r\nhost: l\r\nauthorization: Bearer {DEFAULT_TOKEN}\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n{{}}\r\n0\r\n\r\n",
                participants()
            )
            .into_bytes(),
            (400, 1003),
        ),
        ("a fault that is not an error", request("POST", "/_local/faults", "", r#"{"fail_next":1,"status":204}"#), (400, 1005)),
        ("an informational fault", request("POST", "/_local/faults", "", r#"{"fail_next":1,"status":100}"#), (400, 1005)),
        ("a misspelt fault field", request("POST", "/_local/faults", "", r#"{"fail_nxt":1}"#), (400, 1003)),
        ("faults as an array", request("POST", "/_local/faults", "", "[]"), (400, 1003)),
        (
            "two Authorization headers",
            request("POST", &participants(), &format!("authorization: Bearer {DEFAULT_TOKEN}\r\n"), r#"{"handle":"+14155550100"}"#),
            (401, 2004),
        ),
    ];
    for (what, bytes, expected) in cases {
        let (status, head, body) = exchange(&server, &bytes).await;
        assert_linq_error(what, status, &head, &body, expected);
        if status == 405 {
            assert!(head.contains("\r\nallow: "), "{what}: {head}");
        }
    }
    // Nothing above changed the chat or the faults.
    assert_eq!(server.chat(demo::GROUP).unwrap().active_handles().len(), 4);
    let (status, _, _) = exchange(
        &server,
        &request("POST", &participants(), "", r#"{"handle":"+14155550100"}"#),
    )
    .await;
    assert_eq!(status, 202);
}

#[tokio::test]
async fn authentication_comes_first_and_the_scheme_is_case_insensitive() {
    let server = LocalServer::start().await.unwrap();
    server.fail_next(1, 503).unwrap();
    let unauthenticated = format!(
        "POST {} HTTP/1.1\r\nhost: l\r\ncontent-length: 2\r\n\r\n{{}}",
        participants()
    );
    let (status, _, _) = exchange(&server, unauthenticated.as_bytes()).await;
    assert_eq!(status, 401, "refused before the fault");
    let wrong = request("POST", &participants(), "", "{}");
    let wrong = String::from_utf8(wrong)
        .unwrap()
        .replace(DEFAULT_TOKEN, "local-dev-tokeX");
    assert_eq!(exchange(&server, wrong.as_bytes()).await.0, 401);

    // The fault is still there for the first authenticated call, which
    // fails before its (bad) body is looked at.
    let (status, _, _) = exchange(&server, &request("POST", &participants(), "", "{}")).await;
    assert_eq!(status, 503);

    let lower = String::from_utf8(request(
        "POST",
        &participants(),
        "",
        r#"{"handle":"+14155550177"}"#,
    ))
    .unwrap()
    .replace("Bearer", "bEaReR");
    assert_eq!(exchange(&server, lower.as_bytes()).await.0, 202);
}

#[tokio::test]
async fn slow_heads_and_stalled_bodies_time_out_with_a_408() {
    let server = LocalServer::builder()
        .head_timeout(Duration::from_millis(300))
        .body_timeout(Duration::from_millis(300))
        .start()
        .await
        .unwrap();

    let started = Instant::now();
    let mut slow = TcpStream::connect(address(&server)).await.unwrap();
    slow.write_all(b"POST /v3/chats/x/participants HTTP/1.1\r\nhost: l\r\n")
        .await
        .unwrap();
    let (status, head, body) = read_answer(&mut slow).await;
    assert_linq_error("slow head", status, &head, &body, (408, 1003));
    assert!(started.elapsed() < Duration::from_secs(3));

    let started = Instant::now();
    let mut stalled = TcpStream::connect(address(&server)).await.unwrap();
    let head = format!(
        "POST {} HTTP/1.1\r\nhost: l\r\nauthorization: Bearer {DEFAULT_TOKEN}\r\ncontent-length: 100\r\n\r\n{{\"handle\"",
        participants()
    );
    stalled.write_all(head.as_bytes()).await.unwrap();
    let (status, head, body) = read_answer(&mut stalled).await;
    assert_linq_error("stalled body", status, &head, &body, (408, 1003));
    assert!(started.elapsed() < Duration::from_secs(3));

    // A 100 MB body announced and never sent is refused at once.
    let started = Instant::now();
    let huge = format!(
        "POST {} HTTP/1.1\r\nhost: l\r\ncontent-length: 100000000\r\n\r\n",
        participants()
    );
    assert_eq!(exchange(&server, huge.as_bytes()).await.0, 413);
    assert!(started.elapsed() < Duration::from_millis(250));
}

#[tokio::test]
async fn slow_clients_cannot_crowd_out_a_prompt_one() {
    let server = LocalServer::builder()
        .max_connections(16)
        .start()
        .await
        .unwrap();
    // Far more half-sent requests than the server keeps open.
    let mut slow = Vec::new();
    for _ in 0..100 {
        let mut stream = TcpStream::connect(address(&server)).await.unwrap();
        stream.write_all(b"POST /v3/chats/").await.unwrap();
        slow.push(stream);
    }
    for round in 0..5 {
        let body = format!(r#"{{"handle":"+1415555020{round}"}}"#);
        let started = Instant::now();
        let (status, _, answer) =
            exchange(&server, &request("POST", &participants(), "", &body)).await;
        assert_eq!(status, 202, "{answer}");
        assert!(started.elapsed() < Duration::from_secs(2));
    }
    drop(slow);
}

#[tokio::test]
async fn stopping_with_a_half_sent_request_ends_within_the_grace_period() {
    let server = LocalServer::builder()
        .shutdown_grace(Duration::from_millis(500))
        .body_timeout(Duration::from_secs(60))
        .start()
        .await
        .unwrap();
    let mut half = TcpStream::connect(address(&server)).await.unwrap();
    let head = format!(
        "POST {} HTTP/1.1\r\nhost: l\r\nauthorization: Bearer {DEFAULT_TOKEN}\r\ncontent-length: 100\r\n\r\n{{\"ha",
        participants()
    );
    half.write_all(head.as_bytes()).await.unwrap();
    let mut slow_head = TcpStream::connect(address(&server)).await.unwrap();
    slow_head.write_all(b"POST /v3/").await.unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;

    let url = server.url().to_owned();
    let started = Instant::now();
    tokio::time::timeout(Duration::from_secs(5), server.stop())
        .await
        .expect("stop() returns");
    let took = started.elapsed();
    assert!(took < Duration::from_millis(1500), "{took:?}");
    assert!(
        TcpStream::connect(url.trim_start_matches("http://"))
            .await
            .is_err(),
        "nothing listens any more"
    );
}

#[tokio::test]
async fn state_stays_bounded_however_many_calls_came_before() {
    let server = LocalServer::builder().history(10).start().await.unwrap();
    let client = Client::new(&server);
    let first = client.view_bytes().await;
    for round in 0..300 {
        let handle = format!("+1666{round:07}");
        assert_eq!(client.call("POST", &handle).await, 202);
        assert_eq!(client.call("DELETE", &handle).await, 202);
    }
    let chat = server.chat(demo::GROUP).unwrap();
    assert_eq!(chat.active_handles().len(), 4);
    assert_eq!(chat.handles.len(), 4 + 10, "ten removed participants kept");
    let last = client.view_bytes().await;
    assert!(
        last < first * 4,
        "the chat's view stays small: {first} bytes at first, {last} after 600 calls"
    );
}

/// A few raw calls on one server.
struct Client {
    address: String,
}

impl Client {
    fn new(server: &LocalServer) -> Self {
        Self {
            address: address(server),
        }
    }

    async fn send(&self, bytes: &[u8]) -> (u16, String) {
        let mut stream = TcpStream::connect(&self.address).await.unwrap();
        stream.write_all(bytes).await.unwrap();
        let (status, _, body) = read_answer(&mut stream).await;
        (status, body)
    }

    async fn call(&self, method: &str, handle: &str) -> u16 {
        let body = format!(r#"{{"handle":"{handle}"}}"#);
        self.send(&request(method, &participants(), "", &body))
            .await
            .0
    }

    async fn view_bytes(&self) -> usize {
        let path = format!("/v3/chats/{}", demo::GROUP);
        let (status, body) = self.send(&request("GET", &path, "", "")).await;
        assert_eq!(status, 200);
        body.len()
    }
}

#[tokio::test]
async fn bad_settings_are_refused_at_start_and_the_token_never_shows() {
    let error = LocalServer::builder()
        .token("  ")
        .start()
        .await
        .unwrap_err();
    assert!(
        error.to_string().contains("token cannot be empty"),
        "{error}"
    );

    let mut chats = linq_local::demo_chats();
    chats.push(chats[0].clone());
    let error = LocalServer::builder()
        .chats(chats)
        .start()
        .await
        .unwrap_err();
    assert!(
        error.to_string().contains("id: the same as chat 0's"),
        "{error}"
    );

    let builder = LocalServer::builder().token("very-secret-token");
    assert!(!format!("{builder:?}").contains("very-secret-token"));
    let server = builder.start().await.unwrap();
    assert!(!format!("{server:?}").contains("very-secret-token"));
}

#[tokio::test]
async fn a_fault_that_is_not_an_error_is_refused_in_code_too() {
    let server = LocalServer::start().await.unwrap();
    for status in [100, 204, 302, 600] {
        let error = server.fail_next(1, status).unwrap_err();
        assert!(
            error.to_string().contains("error status from 400 to 599"),
            "{error}"
        );
    }
    server.fail_next(1, 429).unwrap();
}

#[tokio::test]
async fn extreme_settings_answer_in_linqs_shape() {
    // A change that would apply after the year 9999, and a head time limit
    // too long to add to a clock: the server still answers every call.
    let server = LocalServer::builder()
        .apply_delay(Duration::from_secs(1 << 40))
        .head_timeout(Duration::MAX)
        .body_timeout(Duration::MAX)
        .start()
        .await
        .unwrap();
    let body = r#"{"handle":"+442071234567"}"#;
    for method in ["DELETE", "POST"] {
        let (status, head, answer) =
            exchange(&server, &request(method, &participants(), "", body)).await;
        assert_eq!(status, 202, "{method}: {head}\n{answer}");
    }
    let (status, head, answer) = exchange(
        &server,
        &request("GET", &format!("/v3/chats/{}", demo::GROUP), "", ""),
    )
    .await;
    assert_eq!(status, 200, "{head}\n{answer}");
    let chat: serde_json::Value = serde_json::from_str(&answer).unwrap();
    assert!(chat["handles"].is_array(), "{answer}");
    // An injected delay is bounded in code as over HTTP.
    assert!(server.delay_answers(Duration::MAX).is_err());
}

#[test]
fn events_can_be_sent_from_outside_the_runtime() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime.block_on(
        LocalServer::builder()
            .webhook("http://127.0.0.1:1/hooks")
            .start(),
    );
    let server = server.unwrap();
    // A plain thread, no runtime entered: the delivery runs on the server's.
    let (server, sent) = std::thread::spawn(move || {
        let sent = server.send_event("message.received", serde_json::json!({}));
        (server, sent)
    })
    .join()
    .unwrap();
    let event_id = sent.unwrap();
    // Nothing listens on port 1: the first attempt is recorded as failed.
    let started = std::time::Instant::now();
    while server.deliveries().is_empty() && started.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(20));
    }
    let deliveries = server.deliveries();
    assert_eq!(
        deliveries.first().map(|d| (d.event_id, d.attempt)),
        Some((event_id, 1))
    );
}
