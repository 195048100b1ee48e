//! What a tracing subscriber sees of a call: the span and retry events, and
//! never the token.
//!
//! This test has a binary of its own: tracing caches, per call site, whether
//! anyone listens, and a test running on another thread of the same process
//! without a subscriber can race that cache.

mod common;

use std::{
    io::Write,
    sync::{Arc, Mutex},
};

use common::*;
use linq_partner::Client;
use tracing_subscriber::fmt::{MakeWriter, format::FmtSpan};
use wiremock::{Mock, MockServer, ResponseTemplate, matchers::any};

/// Collects everything a tracing subscriber writes.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Captured {
    type Writer = Captured;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

#[tokio::test]
async fn tracing_output_shows_the_call_but_never_the_token() {
    let captured = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(FmtSpan::CLOSE)
        .with_ansi(false)
        .with_writer(captured.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(503)
                .insert_header("retry-after-ms", "10")
                .set_body_string(
                    r#"{"error":{"status":503,"code":4004,"message":"down\nFORGED line"},"trace_id":"tr_503\u001b[31m"}"#,
                ),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(202)
                .set_body_string(r#"{"status":"accepted","trace_id":"tr_traced"}"#),
        )
        .mount(&server)
        .await;
    let client = Client::builder()
        .api_key(TOKEN)
        .base_url(server.uri())
        .build()
        .unwrap();
    client
        .chats()
        .participants()
        .remove(CHAT, PHONE)
        .await
        .unwrap();
    let wrong = closed_port_client();
    let _ = wrong.chats().participants().add(CHAT, PHONE).await;

    let output = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(
        !output.contains(TOKEN),
        "the token leaked into tracing output:\n{output}"
    );
    assert!(
        !output.contains("\nFORGED") && !output.contains('\u{1b}'),
        "server text reached the log raw:\n{output}"
    );
    for expected in [
        "linq.participants",
        "operation=\"removeParticipant\"",
        "chat_id=550e8400-e29b-41d4-a716-446655440000",
        "retrying",
        "wait_ms=10",
        "reason=",
        r"down\nFORGED line",
        r"tr_503\u{1b}[31m",
        "attempt=2",
        "status=202",
        "trace_id=\"tr_traced\"",
        "duration_ms=",
        "operation=\"addParticipant\"",
    ] {
        assert!(
            output.contains(expected),
            "missing {expected:?} in:\n{output}"
        );
    }
}
