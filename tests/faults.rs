//! A server that misbehaves on command, and what the client makes of it.
//!
//! Each case asserts the outcome and how many requests the server saw.
//!
//! The tests run on real time with short timeouts. Paused tokio time does not
//! mix with real sockets: the paused clock jumps to the next timer whenever
//! the runtime waits on I/O, so a request's timeout fires before a loopback
//! answer is read.

use std::{
    collections::VecDeque,
    net::SocketAddr,
    sync::{
        Arc, Mutex,
        atomic::{AtomicU64, AtomicUsize, Ordering},
    },
    time::{Duration, SystemTime},
};

use linq_partner::{
    Client, Delivery, Error, ErrorCode, ErrorKind,
    error::{TimeoutScope, WaitLimit},
};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::{TcpListener, TcpStream},
    time::Instant,
};

mod common;

use common::{CHAT, PHONE, TOKEN, change, closed_port_client};

const QUEUED: &str =
    r#"{"message":"Participant removal queued","status":"accepted","trace_id":"tr_ok"}"#;

/// What the server does with one request.
#[derive(Clone, Debug)]
enum Reply {
    /// A complete response.
    Respond {
        status: u16,
        headers: Vec<(&'static str, String)>,
        body: Vec<u8>,
    },
    /// Reset the connection before answering.
    Reset,
    /// Announce a body, send part of it, close.
    CloseMidBody,
    /// Never answer; keep the connection open.
    Hang,
    /// Send a 202 whose body arrives one byte every `every`.
    Trickle { every: Duration },
    /// Stream a body of this many bytes.
    Huge { len: u64 },
    /// Write these bytes as they are, then close the connection.
    Raw(Vec<u8>),
    /// Write these bytes as they are, then reset the connection.
    RawThenReset(Vec<u8>),
    /// Write these bytes as they are, then send nothing more.
    RawThenHang(Vec<u8>),
}

fn respond(status: u16, body: &str) -> Reply {
    Reply::Respond {
        status,
        headers: vec![("content-type", "application/json".into())],
        body: body.as_bytes().to_vec(),
    }
}

fn respond_with(status: u16, headers: &[(&'static str, &str)], body: &str) -> Reply {
    let mut reply = respond(status, body);
    if let Reply::Respond { headers: all, .. } = &mut reply {
        all.extend(headers.iter().map(|(n, v)| (*n, v.to_string())));
    }
    reply
}

fn error_body(status: u16, code: u32) -> String {
    format!(
        r#"{{"error":{{"status":{status},"code":{code},"message":"failure {code}"}},"success":false,"trace_id":"tr_{status}"}}"#
    )
}

/// A raw HTTP/1.1 server on 127.0.0.1 that follows a script; the last reply
/// repeats once the script runs out.
struct FaultServer {
    address: SocketAddr,
    requests: Arc<AtomicUsize>,
    bodies: Arc<Mutex<Vec<Vec<u8>>>>,
    written: Arc<AtomicU64>,
}

impl FaultServer {
    async fn start(script: Vec<Reply>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let server = FaultServer {
            address: listener.local_addr().unwrap(),
            requests: Arc::default(),
            bodies: Arc::default(),
            written: Arc::default(),
        };
        let script = Arc::new(Mutex::new(VecDeque::from(script)));
        let (requests, bodies, written) = (
            server.requests.clone(),
            server.bodies.clone(),
            server.written.clone(),
        );
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let (script, requests, bodies, written) = (
                    script.clone(),
                    requests.clone(),
                    bodies.clone(),
                    written.clone(),
                );
                tokio::spawn(async move {
                    let _ = serve(stream, script, requests, bodies, written).await;
                });
            }
        });
        server
    }

    fn client(&self) -> linq_partner::ClientBuilder {
        Client::builder()
            .api_key(TOKEN)
            .base_url(format!("http://{}", self.address))
    }

    fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }
}

async fn serve(
    mut stream: TcpStream,
    script: Arc<Mutex<VecDeque<Reply>>>,
    requests: Arc<AtomicUsize>,
    bodies: Arc<Mutex<Vec<Vec<u8>>>>,
    written: Arc<AtomicU64>,
) -> std::io::Result<()> {
    loop {
        let Some(body) = read_request(&mut stream).await? else {
            return Ok(());
        };
        requests.fetch_add(1, Ordering::SeqCst);
        bodies.lock().unwrap().push(body);
        let reply = {
            let mut script = script.lock().unwrap();
            if script.len() > 1 {
                script.pop_front()
            } else {
                script.front().cloned()
            }
        }
        .expect("a script with at least one reply");
        match reply {
            Reply::Respond {
                status,
                headers,
                body,
            } => {
                let mut head = format!("HTTP/1.1 {status} X\r\ncontent-length: {}\r\n", body.len());
                for (name, value) in headers {
                    head.push_str(&format!("{name}: {value}\r\n"));
                }
                head.push_str("\r\n");
                stream.write_all(head.as_bytes()).await?;
                stream.write_all(&body).await?;
            }
            Reply::Reset => {
                stream.set_zero_linger()?;
                return Ok(());
            }
            Reply::CloseMidBody => {
                stream
                    .write_all(b"HTTP/1.1 202 Accepted\r\ncontent-type: application/json\r\nx-request-id: req-half\r\ncontent-length: 80\r\n\r\n{\"message\":\"Partic")
                    .await?;
                return Ok(());
            }
            Reply::Hang => {
                tokio::time::sleep(Duration::from_secs(24 * 3600)).await;
                return Ok(());
            }
            Reply::Trickle { every } => {
                stream
                    .write_all(
                        format!(
                            "HTTP/1.1 202 Accepted\r\ncontent-length: {}\r\n\r\n",
                            QUEUED.len()
                        )
                        .as_bytes(),
                    )
                    .await?;
                for byte in QUEUED.bytes() {
                    tokio::time::sleep(every).await;
                    stream.write_all(&[byte]).await?;
                }
            }
            Reply::Raw(bytes) => {
                stream.write_all(&bytes).await?;
                return Ok(());
            }
            Reply::RawThenHang(bytes) => {
                stream.write_all(&bytes).await?;
                tokio::time::sleep(Duration::from_secs(24 * 3600)).await;
                return Ok(());
            }
            Reply::RawThenReset(bytes) => {
                stream.write_all(&bytes).await?;
                stream.flush().await?;
                // Let the bytes reach the client before the reset does.
                tokio::time::sleep(Duration::from_millis(50)).await;
                stream.set_zero_linger()?;
                return Ok(());
            }
            Reply::Huge { len } => {
                stream
                    .write_all(
                        format!("HTTP/1.1 202 Accepted\r\ncontent-length: {len}\r\n\r\n")
                            .as_bytes(),
                    )
                    .await?;
                let chunk = vec![b'x'; 64 * 1024];
                let mut sent = 0;
                while sent < len {
                    let n = chunk.len().min((len - sent) as usize);
                    stream.write_all(&chunk[..n]).await?;
                    sent += n as u64;
                    written.store(sent, Ordering::SeqCst);
                }
            }
        }
    }
}

/// Reads one request; `None` when the client closed the connection.
async fn read_request(stream: &mut TcpStream) -> std::io::Result<Option<Vec<u8>>> {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break end + 4;
        }
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Ok(None);
        }
        buffer.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).to_ascii_lowercase();
    let length: usize = head
        .lines()
        .find_map(|line| line.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    while buffer.len() < head_end + length {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Ok(None);
        }
        buffer.extend_from_slice(&chunk[..n]);
    }
    Ok(Some(buffer[head_end..head_end + length].to_vec()))
}

async fn remove(client: &Client) -> Result<linq_partner::Queued, Error> {
    client
        .chats()
        .participants()
        .remove(CHAT, "+12052499136")
        .await
}

#[tokio::test]
async fn two_503s_then_success() {
    let server = FaultServer::start(vec![
        respond(503, &error_body(503, 4004)),
        respond(503, &error_body(503, 4004)),
        respond(202, QUEUED),
    ])
    .await;
    let client = server.client().build().unwrap();
    let queued = remove(&client).await.unwrap();
    assert_eq!(queued.trace_id(), Some("tr_ok"));
    assert_eq!(server.requests(), 3);
    let bodies = server.bodies.lock().unwrap();
    assert!(
        bodies.iter().all(|b| b == &bodies[0]),
        "every attempt resends the same bytes"
    );
    assert_eq!(bodies[0], br#"{"handle":"+12052499136"}"#);
}

#[tokio::test]
async fn three_503s_fail_with_the_last_status() {
    let server = FaultServer::start(vec![respond(503, &error_body(503, 4004))]).await;
    let client = server.client().build().unwrap();
    let started = Instant::now();
    let error = remove(&client).await.unwrap_err();
    assert_eq!(server.requests(), 3);
    assert_eq!(error.attempts(), 3);
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert!(error.to_string().ends_with("after 3 attempts"), "{error}");
    // Backoff 0.5 s then 1 s, each shortened by at most 25%.
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_millis(375 + 750) && waited < Duration::from_secs(3),
        "{waited:?}"
    );
}

#[tokio::test]
async fn retry_after_seconds_is_honoured() {
    let server = FaultServer::start(vec![
        respond_with(429, &[("retry-after", "2")], &error_body(429, 1007)),
        respond(202, QUEUED),
    ])
    .await;
    let client = server.client().build().unwrap();
    let started = Instant::now();
    remove(&client).await.unwrap();
    assert_eq!(server.requests(), 2);
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_secs(2) && waited < Duration::from_secs(4),
        "{waited:?}"
    );
}

#[tokio::test]
async fn retry_after_ms_wins_over_retry_after() {
    let server = FaultServer::start(vec![
        respond_with(
            503,
            &[("retry-after-ms", "300"), ("retry-after", "30")],
            &error_body(503, 4004),
        ),
        respond(202, QUEUED),
    ])
    .await;
    let client = server.client().build().unwrap();
    let started = Instant::now();
    remove(&client).await.unwrap();
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_millis(300) && waited < Duration::from_secs(2),
        "{waited:?}"
    );
}

#[tokio::test]
async fn retry_after_as_http_date() {
    let at = httpdate_in(Duration::from_secs(2));
    let server = FaultServer::start(vec![
        respond_with(503, &[("retry-after", &at)], &error_body(503, 4004)),
        respond(202, QUEUED),
    ])
    .await;
    let client = server.client().build().unwrap();
    let started = Instant::now();
    remove(&client).await.unwrap();
    assert_eq!(server.requests(), 2);
    // HTTP dates have whole seconds, so the wait is 1 to 2 s.
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_millis(900) && waited < Duration::from_secs(4),
        "{waited:?}"
    );
}

fn httpdate_in(after: Duration) -> String {
    // RFC 7231 IMF-fixdate, written by hand to keep the test independent of
    // the client's own date parser.
    let secs = (SystemTime::now() + after)
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let (days, rest) = (secs / 86_400, secs % 86_400);
    let (hour, minute, second) = (rest / 3600, rest % 3600 / 60, rest % 60);
    let weekday = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][(days % 7) as usize];
    // Civil-from-days (Howard Hinnant's algorithm).
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let month = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ][(month - 1) as usize];
    format!("{weekday}, {day:02} {month} {year} {hour:02}:{minute:02}:{second:02} GMT")
}

#[tokio::test]
async fn should_retry_false_stops_a_500() {
    let server = FaultServer::start(vec![respond_with(
        500,
        &[("x-should-retry", "false")],
        &error_body(500, 3006),
    )])
    .await;
    let client = server.client().build().unwrap();
    let error = remove(&client).await.unwrap_err();
    assert_eq!(server.requests(), 1);
    assert_eq!(error.attempts(), 1);
    assert_eq!(error.status().map(|s| s.as_u16()), Some(500));
}

#[tokio::test]
async fn should_retry_true_retries_a_400() {
    let server = FaultServer::start(vec![
        respond_with(400, &[("x-should-retry", "true")], &error_body(400, 1005)),
        respond(202, QUEUED),
    ])
    .await;
    let client = server.client().build().unwrap();
    remove(&client).await.unwrap();
    assert_eq!(server.requests(), 2);
}

#[tokio::test]
async fn plain_400_is_not_retried() {
    let server = FaultServer::start(vec![respond(400, &error_body(400, 1002))]).await;
    let client = server.client().build().unwrap();
    let error = remove(&client).await.unwrap_err();
    assert_eq!(server.requests(), 1);
    assert!(!error.to_string().contains("attempts"), "{error}");
}

#[tokio::test]
async fn conflict_2013_is_retried_then_reported() {
    let server = FaultServer::start(vec![respond(
        409,
        r#"{"error":{"status":409,"code":2013,"message":"This chat is unavailable"}}"#,
    )])
    .await;
    let client = server.client().build().unwrap();
    let error = remove(&client).await.unwrap_err();
    assert_eq!(server.requests(), 3);
    let ErrorKind::Api(api) = error.kind() else {
        panic!("{error:?}")
    };
    assert_eq!(api.code(), Some(ErrorCode::ChatUnavailable));
    assert_eq!(error.attempts(), 3);
}

#[tokio::test]
async fn a_wait_over_the_limit_is_not_waited_on() {
    let server = FaultServer::start(vec![
        respond_with(429, &[("retry-after", "120")], &error_body(429, 1007)),
        respond(202, QUEUED),
    ])
    .await;
    let client = server.client().build().unwrap();
    let started = Instant::now();
    let error = remove(&client).await.unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "the error comes back at once"
    );
    assert_eq!(server.requests(), 1);
    assert!(matches!(error.kind(), ErrorKind::Api(_)), "{error:?}");
    let refused = error.refused_wait().expect("the refused wait");
    assert_eq!(refused.wait(), Duration::from_secs(120));
    assert!(refused.asked_by_server());
    assert_eq!(
        refused.limit(),
        WaitLimit::MaxRetryWait(Duration::from_secs(60))
    );
    assert!(
        error
            .to_string()
            .contains("Linq asked to wait 120s, longer than this client's limit of 60s"),
        "{error}"
    );
    assert_eq!(error.delivery(), Delivery::Refused);
}

#[tokio::test]
async fn the_wait_limit_is_configurable() {
    let server = FaultServer::start(vec![respond_with(
        503,
        &[("retry-after", "1")],
        &error_body(503, 4004),
    )])
    .await;
    let strict = server
        .client()
        .max_retry_wait(Duration::from_millis(500))
        .build()
        .unwrap();
    let error = remove(&strict).await.unwrap_err();
    assert_eq!((error.attempts(), server.requests()), (1, 1));

    let server = FaultServer::start(vec![
        respond_with(503, &[("retry-after", "1")], &error_body(503, 4004)),
        respond(202, QUEUED),
    ])
    .await;
    let lenient = server
        .client()
        .max_retry_wait(Duration::from_secs(1))
        .build()
        .unwrap();
    remove(&lenient).await.unwrap();
    assert_eq!(server.requests(), 2);
}

#[tokio::test]
async fn connection_reset_before_any_response() {
    let server = FaultServer::start(vec![Reply::Reset, Reply::Reset, respond(202, QUEUED)]).await;
    let client = server.client().build().unwrap();
    remove(&client).await.unwrap();
    assert_eq!(server.requests(), 3);

    let always = FaultServer::start(vec![Reply::Reset]).await;
    let error = remove(&always.client().build().unwrap()).await.unwrap_err();
    assert!(
        matches!(error.kind(), ErrorKind::Connection { .. }) && error.attempts() == 3,
        "{error:?}"
    );
    assert_eq!(always.requests(), 3);
    // The server read each request before resetting: it may have acted on it.
    assert_eq!(error.delivery(), Delivery::MayHaveReached);
    assert!(
        error.to_string().contains("it may have reached Linq"),
        "{error}"
    );
    assert!(!error.change_accepted());
}

/// Asserts that `error` reports an accepted change whose answer could not be
/// read, with the answer's headers kept.
fn assert_accepted(error: &Error, reason: &str, request_id: &str) {
    let ErrorKind::Decode(decode) = error.kind() else {
        panic!("expected an accepted change, got {error:?}")
    };
    assert!(error.change_accepted(), "{error}");
    assert_eq!(decode.status().as_u16(), 202);
    assert!(decode.reason().contains(reason), "{error}");
    assert_eq!(decode.headers()["x-request-id"], request_id, "{error}");
    assert_eq!(error.attempts(), 1);
    assert!(
        error.to_string().contains("Linq accepted the change")
            && error.to_string().contains("not sent again"),
        "{error}"
    );
}

#[tokio::test]
async fn a_202_whose_body_breaks_off_is_not_sent_again() {
    let server = FaultServer::start(vec![Reply::CloseMidBody, respond(202, QUEUED)]).await;
    let client = server.client().build().unwrap();
    let error = remove(&client).await.unwrap_err();
    assert_eq!(server.requests(), 1, "a 2xx status line is final");
    assert_accepted(&error, "connection broke", "req-half");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(202));
    assert!(
        std::error::Error::source(&error).is_some(),
        "the cause is reachable through source()"
    );
}

#[tokio::test]
async fn a_chunked_202_cut_off_is_not_sent_again() {
    let cut = b"HTTP/1.1 202 Accepted\r\ntransfer-encoding: chunked\r\nx-request-id: req-chunked\r\n\r\n10\r\n{\"message\":\"Part".to_vec();
    let server = FaultServer::start(vec![Reply::Raw(cut), respond(202, QUEUED)]).await;
    let error = remove(&server.client().build().unwrap()).await.unwrap_err();
    assert_eq!(server.requests(), 1);
    assert_accepted(&error, "connection broke", "req-chunked");
}

#[tokio::test]
async fn an_undecodable_202_keeps_its_headers() {
    let server = FaultServer::start(vec![
        respond_with(202, &[("x-request-id", "req-9")], r#"{"message":"Partic"#),
        respond(202, QUEUED),
    ])
    .await;
    let error = remove(&server.client().build().unwrap()).await.unwrap_err();
    assert_eq!(server.requests(), 1);
    assert_accepted(&error, "EOF", "req-9");
    assert_eq!(error.headers().unwrap()["content-type"], "application/json");
}

#[tokio::test]
async fn a_server_that_never_answers_times_out_then_retries() {
    let server = FaultServer::start(vec![Reply::Hang]).await;
    let client = server
        .client()
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let started = Instant::now();
    let error = remove(&client).await.unwrap_err();
    assert!(
        matches!(
            error.kind(),
            ErrorKind::Timeout {
                scope: TimeoutScope::Attempt,
                ..
            }
        ) && error.attempts() == 3,
        "{error:?}"
    );
    assert_eq!(server.requests(), 3);
    assert!(started.elapsed() >= Duration::from_millis(3 * 200 + 375 + 750));
}

#[tokio::test]
async fn the_deadline_bounds_the_whole_call() {
    let server = FaultServer::start(vec![Reply::Hang]).await;
    // Attempt 1 times out at 0.4 s, the backoff (0.375 to 0.5 s) ends by
    // 0.9 s, and attempt 2, which would run until 1.175 s at the earliest,
    // is cut off by the 1 s deadline.
    let client = server
        .client()
        .timeout(Duration::from_millis(400))
        .deadline(Duration::from_secs(1))
        .build()
        .unwrap();
    let started = Instant::now();
    let error = remove(&client).await.unwrap_err();
    assert!(
        matches!(
            error.kind(),
            ErrorKind::Timeout {
                scope: TimeoutScope::Call,
                ..
            }
        ) && error.attempts() == 2,
        "{error:?}"
    );
    let elapsed = started.elapsed();
    assert!(
        elapsed >= Duration::from_secs(1) && elapsed < Duration::from_secs(2),
        "{elapsed:?}"
    );
    assert_eq!(server.requests(), 2);
}

#[tokio::test]
async fn a_202_trickling_past_the_timeout_is_not_sent_again() {
    // The 84-byte body would take 4 s to arrive; the timeout is 0.5 s.
    let server = FaultServer::start(vec![Reply::Trickle {
        every: Duration::from_millis(50),
    }])
    .await;
    let client = server
        .client()
        .timeout(Duration::from_millis(500))
        .build()
        .unwrap();
    let started = Instant::now();
    let error = remove(&client).await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(server.requests(), 1);
    let ErrorKind::Decode(decode) = error.kind() else {
        panic!("{error:?}")
    };
    assert!(error.change_accepted());
    assert!(decode.reason().contains("time ran out"), "{error}");
    assert_eq!(decode.headers()["content-length"], QUEUED.len().to_string());
}

#[tokio::test]
async fn a_100_mb_body_is_not_buffered() {
    let server = FaultServer::start(vec![Reply::Huge {
        len: 100 * 1024 * 1024,
    }])
    .await;
    let client = server.client().build().unwrap();
    let error = remove(&client).await.unwrap_err();
    let ErrorKind::Decode(decode) = error.kind() else {
        panic!("{error:?}")
    };
    assert_eq!(decode.status().as_u16(), 202);
    assert!(
        decode
            .reason()
            .contains("longer than the 1048576-byte limit"),
        "{error}"
    );
    assert_eq!(server.requests(), 1, "a 202 is not retried");
    // Give the server a moment to notice the closed connection.
    tokio::time::sleep(Duration::from_millis(100)).await;
    let written = server.written.load(Ordering::SeqCst);
    assert!(
        written < 16 * 1024 * 1024,
        "the client stopped reading early; the server wrote {written} bytes"
    );
}

#[tokio::test]
async fn invalid_utf8_and_truncated_json() {
    let garbage = Reply::Respond {
        status: 202,
        headers: vec![],
        body: vec![0xff, 0xfe, b'{', 0x80],
    };
    let server = FaultServer::start(vec![garbage]).await;
    let error = remove(&server.client().build().unwrap()).await.unwrap_err();
    let ErrorKind::Decode(decode) = error.kind() else {
        panic!("{error:?}")
    };
    assert_eq!(decode.excerpt(), "\u{fffd}\u{fffd}{\u{fffd}");

    let server = FaultServer::start(vec![respond(202, r#"{"message":"Participant removal"#)]).await;
    let error = remove(&server.client().build().unwrap()).await.unwrap_err();
    assert!(
        matches!(error.kind(), ErrorKind::Decode(d) if d.reason().contains("EOF")),
        "{error:?}"
    );
    assert_eq!(server.requests(), 1);

    let server = FaultServer::start(vec![respond(502, "<html>\u{0}\u{7f}")]).await;
    let error = remove(&server.client().build().unwrap()).await.unwrap_err();
    assert!(
        matches!(error.kind(), ErrorKind::Decode(_)) && error.attempts() == 3,
        "{error:?}"
    );
    assert_eq!(server.requests(), 3, "a 502 is retried whatever its body");
}

#[tokio::test]
async fn per_call_retry_override() {
    let server = FaultServer::start(vec![respond(503, &error_body(503, 4004))]).await;
    let client = server.client().max_retries(5).build().unwrap();
    let error = client
        .chats()
        .participants()
        .remove(CHAT, "+12052499136")
        .max_retries(0)
        .await
        .unwrap_err();
    assert_eq!(error.attempts(), 1);
    assert_eq!(server.requests(), 1);
}

#[tokio::test]
async fn extreme_settings_do_not_panic() {
    // A server asking for an absurd wait, a client willing to wait that long,
    // and a deadline the wait would pass: the call ends at once, no overflow.
    let server = FaultServer::start(vec![respond_with(
        503,
        &[("retry-after", "1e15")],
        &error_body(503, 4004),
    )])
    .await;
    let client = server
        .client()
        .max_retry_wait(Duration::MAX)
        .deadline(Duration::from_secs(10))
        .timeout(Duration::MAX)
        .max_retries(u32::MAX)
        .build()
        .unwrap();
    let error = tokio::time::timeout(Duration::from_secs(5), remove(&client))
        .await
        .expect("no hang")
        .unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(server.requests(), 1);

    let unbounded = FaultServer::start(vec![respond(202, QUEUED)]).await;
    let patient = unbounded
        .client()
        .timeout(Duration::MAX)
        .deadline(Duration::MAX)
        .max_retry_wait(Duration::MAX)
        .max_retries(u32::MAX)
        .build()
        .unwrap();
    remove(&patient).await.unwrap();

    let limited = FaultServer::start(vec![respond(202, QUEUED)]).await;
    let tiny = limited.client().max_body_bytes(0).build().unwrap();
    assert!(matches!(
        remove(&tiny).await.unwrap_err().kind(),
        ErrorKind::Decode(_)
    ));
}

#[tokio::test]
async fn redirects_are_not_followed() {
    // Whatever the redirect says about retrying, it is final.
    let asks: [&[(&'static str, &str)]; 3] = [
        &[],
        &[("x-should-retry", "true")],
        &[("retry-after", "0"), ("x-should-retry", "true")],
    ];
    for status in [301, 302, 303, 307, 308] {
        for operation in ["add", "remove"] {
            for ask in asks {
                let elsewhere = FaultServer::start(vec![respond(202, QUEUED)]).await;
                let location = format!("http://{}/v3/chats/{CHAT}/participants", elsewhere.address);
                let mut headers = vec![("location", location.as_str())];
                headers.extend_from_slice(ask);
                let server = FaultServer::start(vec![
                    respond_with(status, &headers, ""),
                    respond(202, QUEUED),
                ])
                .await;
                let client = server.client().build().unwrap();
                let participants = client.chats().participants();
                let call = match operation {
                    "add" => participants.add(CHAT, "+12052499136"),
                    _ => participants.remove(CHAT, "+12052499136"),
                };
                let error = call.await.unwrap_err();
                let ErrorKind::Redirect(redirect) = error.kind() else {
                    panic!("{status} {operation}: {error:?}")
                };
                assert_eq!(redirect.status().as_u16(), status);
                assert_eq!(redirect.location(), Some(location.as_str()));
                assert!(!redirect.followed());
                assert!(
                    error.to_string().contains(&location)
                        && error.to_string().contains(&status.to_string()),
                    "{error}"
                );
                assert_eq!(server.requests(), 1, "{status} {operation} {ask:?}");
                assert_eq!(error.attempts(), 1, "{status} {operation} {ask:?}");
                assert_eq!(
                    elsewhere.requests(),
                    0,
                    "{status} {operation}: sent elsewhere"
                );
            }
        }
    }
}

/// An answer that began and broke off in its head, or a head that never
/// came: neither reqwest nor hyper can tell these from a connection closed
/// before any byte, so the request may have reached Linq. They are retried,
/// as Linq's official SDKs retry them, on every HTTP stack; when the retries
/// run out, the error says the change may have reached Linq.
#[tokio::test]
async fn an_answer_cut_in_its_head_is_retried_and_may_have_reached_linq() {
    let cuts: [(&str, Reply); 5] = [
        (
            "status line cut by a reset",
            Reply::RawThenReset(b"HTTP/1.1 202 Acc".to_vec()),
        ),
        (
            "head cut after the status line",
            Reply::Raw(b"HTTP/1.1 202 Accepted\r\n".to_vec()),
        ),
        (
            "head cut mid-header by a reset",
            Reply::RawThenReset(b"HTTP/1.1 202 Accepted\r\ncontent-ty".to_vec()),
        ),
        (
            "head stalled after the status line past the timeout",
            Reply::RawThenHang(b"HTTP/1.1 202 Accepted\r\n".to_vec()),
        ),
        ("closed after reading the request", Reply::Raw(Vec::new())),
    ];
    for (case, cut) in cuts {
        for operation in ["add", "remove"] {
            let server = FaultServer::start(vec![cut.clone(), respond(202, QUEUED)]).await;
            let client = server
                .client()
                .timeout(Duration::from_millis(300))
                .retry_backoff(Duration::ZERO)
                .build()
                .unwrap();
            let queued = change(&client.chats().participants(), operation, CHAT, PHONE).await;
            assert!(queued.is_ok(), "{case} {operation}: {queued:?}");
            assert_eq!(server.requests(), 2, "{case} {operation}");

            let always = FaultServer::start(vec![cut.clone()]).await;
            let client = always
                .client()
                .timeout(Duration::from_millis(300))
                .retry_backoff(Duration::ZERO)
                .max_retries(1)
                .build()
                .unwrap();
            let error = change(&client.chats().participants(), operation, CHAT, PHONE)
                .await
                .unwrap_err();
            assert!(
                matches!(
                    error.kind(),
                    ErrorKind::Connection { .. } | ErrorKind::Timeout { .. }
                ) && error.attempts() == 2,
                "{case} {operation}: {error:?}"
            );
            assert_eq!(error.delivery(), Delivery::MayHaveReached, "{case}");
            assert!(!error.change_accepted(), "{case}");
            assert!(
                error.to_string().contains("it may have reached Linq"),
                "{case}: {error}"
            );
            assert_eq!(always.requests(), 2, "{case} {operation}");
        }
    }
}

#[tokio::test]
async fn nothing_sent_when_no_connection_is_made() {
    let client = Client::builder()
        .api_key(TOKEN)
        .base_url("http://127.0.0.1:1")
        .retry_backoff(Duration::ZERO)
        .build()
        .unwrap();
    let error = remove(&client).await.unwrap_err();
    assert!(
        matches!(error.kind(), ErrorKind::Connection { .. }) && error.attempts() == 3,
        "{error:?}"
    );
    assert_eq!(error.delivery(), Delivery::NotSent);
    assert!(
        error.to_string().contains("nothing reached Linq"),
        "{error}"
    );
}

/// A refusal after an attempt that may have reached Linq does not undo it.
#[tokio::test]
async fn a_refusal_after_an_attempt_that_may_have_reached_linq_says_so() {
    let server = FaultServer::start(vec![Reply::Reset, respond(400, &error_body(400, 1002))]).await;
    let client = server
        .client()
        .retry_backoff(Duration::ZERO)
        .build()
        .unwrap();
    let error = remove(&client).await.unwrap_err();
    assert!(matches!(error.kind(), ErrorKind::Api(_)), "{error:?}");
    assert_eq!((error.attempts(), server.requests()), (2, 2));
    assert_eq!(error.delivery(), Delivery::MayHaveReached);
    assert!(
        error
            .to_string()
            .contains("an earlier attempt may have reached Linq"),
        "{error}"
    );

    let refused = FaultServer::start(vec![respond(400, &error_body(400, 1002))]).await;
    let error = remove(&refused.client().build().unwrap())
        .await
        .unwrap_err();
    assert_eq!(error.delivery(), Delivery::Refused);
    assert!(!error.to_string().contains("may have reached"), "{error}");
}

/// A server that answers the first request on each connection, keeps the
/// connection open, and closes it without a byte when the next request
/// arrives on it: a load balancer closing a kept-alive connection.
async fn closing_on_reuse() -> (SocketAddr, Arc<AtomicUsize>, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let (answered, dropped) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let (a, d) = (answered.clone(), dropped.clone());
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let (a, d) = (a.clone(), d.clone());
            tokio::spawn(async move {
                if !matches!(read_request(&mut stream).await, Ok(Some(_))) {
                    return;
                }
                let head = format!(
                    "HTTP/1.1 202 Accepted\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
                    QUEUED.len()
                );
                if stream.write_all(head.as_bytes()).await.is_err()
                    || stream.write_all(QUEUED.as_bytes()).await.is_err()
                {
                    return;
                }
                a.fetch_add(1, Ordering::SeqCst);
                if let Ok(Some(_)) = read_request(&mut stream).await {
                    d.fetch_add(1, Ordering::SeqCst);
                }
                // Dropped: closed without a byte of an answer.
            });
        }
    });
    (address, answered, dropped)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connections_closed_on_reuse_are_retried_and_every_call_succeeds() {
    let (address, answered, dropped) = closing_on_reuse().await;
    let client = Client::builder()
        .api_key(TOKEN)
        .base_url(format!("http://{address}"))
        .max_retries(20)
        .retry_backoff(Duration::ZERO)
        .build()
        .unwrap();
    let (mut ok, mut failed) = (0, Vec::new());
    for _ in 0..50 {
        let calls = (0..16).map(|_| {
            let client = client.clone();
            tokio::spawn(async move { remove(&client).await })
        });
        for call in calls.collect::<Vec<_>>() {
            match call.await.unwrap() {
                Ok(_) => ok += 1,
                Err(error) => failed.push(format!("{error} ({:?})", error.delivery())),
            }
        }
    }
    assert_eq!(ok, 800, "failed: {failed:?}");
    assert_eq!(answered.load(Ordering::SeqCst), 800);
    assert!(
        dropped.load(Ordering::SeqCst) > 0,
        "the test must exercise reused connections"
    );
}

#[tokio::test]
async fn a_wait_past_the_deadline_is_named_as_the_reason_the_call_stopped() {
    let server = FaultServer::start(vec![
        respond_with(503, &[("retry-after", "5")], &error_body(503, 4004)),
        respond(202, QUEUED),
    ])
    .await;
    let client = server
        .client()
        .deadline(Duration::from_secs(2))
        .build()
        .unwrap();
    let started = Instant::now();
    let error = remove(&client).await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(1));
    assert_eq!((error.attempts(), server.requests()), (1, 1));
    let refused = error.refused_wait().expect("the refused wait");
    assert_eq!(refused.wait(), Duration::from_secs(5));
    assert!(refused.asked_by_server());
    assert_eq!(refused.limit(), WaitLimit::Deadline(Duration::from_secs(2)));
    assert!(
        error
            .to_string()
            .contains("not retried: Linq asked to wait 5s, past the call's deadline of 2s"),
        "{error}"
    );
}

#[tokio::test]
async fn a_2xx_head_the_http_library_refuses_is_not_sent_again() {
    for operation in ["add", "remove"] {
        let server = FaultServer::start(vec![
            Reply::Raw(
                b"HTTP/1.1 202 Accepted\r\ncontent-length: 2\r\ncontent-length: 3\r\n\r\n{}"
                    .to_vec(),
            ),
            respond(202, QUEUED),
        ])
        .await;
        let client = server.client().build().unwrap();
        let error = change(&client.chats().participants(), operation, CHAT, PHONE)
            .await
            .unwrap_err();
        assert!(
            matches!(error.kind(), ErrorKind::UnreadableAnswer { .. }) && error.attempts() == 1,
            "{operation}: {error:?}"
        );
        assert!(error.to_string().contains("the server answered"), "{error}");
        assert!(error.to_string().contains("not sent again"), "{error}");
        assert_eq!(server.requests(), 1, "{operation}");
    }
}

/// A caller's client that follows a redirect: the answer found at the other
/// host is not taken as Linq's, whatever it is, and nothing is sent there
/// again, even when it asks for a retry.
#[tokio::test]
async fn a_redirect_followed_by_the_callers_http_client_is_final() {
    let retry_please = [("x-should-retry", "true"), ("retry-after", "0")];
    for found in [
        respond(202, QUEUED),
        respond_with(503, &retry_please, &error_body(503, 4004)),
    ] {
        let status = match &found {
            Reply::Respond { status, .. } => *status,
            _ => unreachable!(),
        };
        let elsewhere = FaultServer::start(vec![found]).await;
        let location = format!("http://{}/v3/chats/{CHAT}/participants", elsewhere.address);
        let server =
            FaultServer::start(vec![respond_with(307, &[("location", &location)], "")]).await;
        let client = server
            .client()
            .http_client(linq_partner::reqwest::Client::new())
            .build()
            .unwrap();
        let error = remove(&client).await.unwrap_err();
        let ErrorKind::Redirect(redirect) = error.kind() else {
            panic!("{error:?}")
        };
        assert!(redirect.followed());
        assert_eq!(redirect.location(), Some(location.as_str()));
        assert_eq!(redirect.status().as_u16(), status);
        assert_eq!(
            (server.requests(), elsewhere.requests()),
            (1, 1),
            "{status}"
        );
        assert_eq!(error.attempts(), 1);
    }
}

#[tokio::test]
async fn waits_too_long_to_represent_are_refused() {
    for headers in [
        &[("retry-after", "1e20")][..],
        &[("retry-after", "18446744073709551616")],
        &[("retry-after", "inf")],
        &[("retry-after-ms", "1e300")],
        &[("retry-after-ms", "1e300"), ("retry-after", "120")],
        &[("retry-after-ms", "garbage"), ("retry-after", "120")],
    ] {
        let server = FaultServer::start(vec![
            respond_with(429, headers, &error_body(429, 1007)),
            respond(202, QUEUED),
        ])
        .await;
        let started = Instant::now();
        let error = remove(&server.client().build().unwrap()).await.unwrap_err();
        assert!(started.elapsed() < Duration::from_secs(1), "{headers:?}");
        assert_eq!(server.requests(), 1, "{headers:?}");
        assert!(matches!(error.kind(), ErrorKind::Api(_)), "{error:?}");
        assert!(error.refused_wait().is_some(), "{headers:?}: {error}");
        assert!(error.to_string().contains("not retried"), "{error}");
    }
}

#[tokio::test]
async fn statuses_from_600_are_not_server_errors() {
    let server = FaultServer::start(vec![respond(600, &error_body(600, 3006))]).await;
    let error = remove(&server.client().build().unwrap()).await.unwrap_err();
    assert_eq!(server.requests(), 1);
    let ErrorKind::Api(api) = error.kind() else {
        panic!("{error:?}")
    };
    assert!(
        matches!(api.class(), linq_partner::error::StatusClass::Other(other) if other.status().as_u16() == 600)
    );
}

#[tokio::test]
async fn a_huge_announced_length_allocates_nothing_of_it() {
    for status in [500, 202] {
        let head = format!(
            "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: 99999999999999\r\n\r\n{{\"error\":"
        );
        let server = FaultServer::start(vec![Reply::Raw(head.into_bytes())]).await;
        let client = server
            .client()
            .max_body_bytes(usize::MAX)
            .max_retries(0)
            .build()
            .unwrap();
        let error = remove(&client).await.unwrap_err();
        let ErrorKind::Decode(decode) = error.kind() else {
            panic!("{error:?}")
        };
        assert_eq!(decode.status().as_u16(), status);
        assert_eq!(decode.bytes_read(), 9);
        assert_eq!(error.change_accepted(), status == 202);
    }
}

/// Walks `error`'s chain: no level's `Display` repeats the next level's, so
/// a reporter printing every level names each cause once.
fn assert_each_cause_once(error: &Error) {
    let mut levels = vec![error.to_string()];
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        levels.push(cause.to_string());
        source = cause.source();
    }
    for pair in levels.windows(2) {
        assert!(
            !pair[0].contains(&pair[1]),
            "{:?} repeats its cause {:?}",
            pair[0],
            pair[1]
        );
    }
}

#[tokio::test]
async fn error_chains_name_each_cause_once() {
    let reset = FaultServer::start(vec![Reply::Reset]).await;
    let error = remove(&reset.client().max_retries(0).build().unwrap())
        .await
        .unwrap_err();
    assert!(
        matches!(error.kind(), ErrorKind::Connection { .. }),
        "{error:?}"
    );
    assert!(std::error::Error::source(&error).is_some());
    assert_each_cause_once(&error);

    let client = reset.client().build().unwrap();
    for error in [
        client
            .chats()
            .participants()
            .add("not-a-uuid", "+12052499136")
            .await,
        client
            .chats()
            .participants()
            .add(CHAT, "+1 (205) 249-9136")
            .await,
    ]
    .map(Result::unwrap_err)
    {
        assert!(
            matches!(error.kind(), ErrorKind::InvalidInput(_)),
            "{error:?}"
        );
        assert_each_cause_once(&error);
    }

    assert_each_cause_once(&remove(&closed_port_client()).await.unwrap_err());

    let half = FaultServer::start(vec![Reply::CloseMidBody]).await;
    let error = remove(&half.client().build().unwrap()).await.unwrap_err();
    assert!(error.change_accepted(), "{error:?}");
    assert_each_cause_once(&error);
}

#[tokio::test]
async fn per_call_timeout_and_deadline() {
    let server = FaultServer::start(vec![Reply::Hang]).await;
    let client = server.client().build().unwrap(); // 60 s per attempt
    let started = Instant::now();
    let error = client
        .chats()
        .participants()
        .remove(CHAT, "+12052499136")
        .timeout(Duration::from_millis(200))
        .max_retries(0)
        .await
        .unwrap_err();
    assert!(
        matches!(error.kind(), ErrorKind::Timeout { after, scope: TimeoutScope::Attempt, .. } if *after == Duration::from_millis(200))
            && error.attempts() == 1,
        "{error:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(2));

    let started = Instant::now();
    let error = client
        .chats()
        .participants()
        .add(CHAT, "+12052499136")
        .deadline(Duration::from_millis(300))
        .await
        .unwrap_err();
    assert!(
        matches!(error.kind(), ErrorKind::Timeout { after, scope: TimeoutScope::Call, .. } if *after == Duration::from_millis(300)),
        "{error:?}"
    );
    let elapsed = started.elapsed();
    assert!(
        elapsed >= Duration::from_millis(300) && elapsed < Duration::from_secs(2),
        "{elapsed:?}"
    );
}

#[tokio::test]
async fn a_read_whose_body_broke_off_is_read_again() {
    // A GET changes nothing, so its 2xx is not final the way a change's is.
    let chat = format!(r#"{{"id":"{CHAT}","handles":[]}}"#);
    let server = FaultServer::start(vec![
        Reply::Raw(
            b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 200\r\n\r\n{\"id\":\"55"
                .to_vec(),
        ),
        respond(200, &chat),
    ])
    .await;
    let client = server.client().build().unwrap();
    let read = client.chats().get(CHAT).await.unwrap();
    assert_eq!(read.id().to_string(), CHAT);
    assert_eq!(server.requests(), 2);

    // A body that arrives whole but does not fit stays final.
    let server =
        FaultServer::start(vec![respond(200, r#"{"id":"nope"}"#), respond(200, &chat)]).await;
    let error = server
        .client()
        .build()
        .unwrap()
        .chats()
        .get(CHAT)
        .await
        .unwrap_err();
    assert!(matches!(error.kind(), ErrorKind::Decode(_)), "{error:?}");
    assert_eq!((error.attempts(), server.requests()), (1, 1));
}
