//! The token never leaks: not in `Debug`, not in any error, not over
//! clear-text HTTP to another host, not across a redirect. (Tracing output
//! has its own test binary: `tracing_output.rs`.)

mod common;

use std::time::Duration;

use common::*;
use linq_partner::{Client, Error, ErrorKind};
use wiremock::{
    Mock, MockServer, ResponseTemplate,
    matchers::{any, header_exists},
};

#[tokio::test]
async fn no_error_shows_the_token() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_string(r#"{"error":{"code":2004,"message":"Unauthorized"}}"#),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(502).set_body_string("<html>bad gateway</html>"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(202).set_delay(Duration::from_secs(2)))
        .mount(&server)
        .await;
    let client = Client::builder()
        .api_key(TOKEN)
        .base_url(server.uri())
        .max_retries(0)
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let participants = client.chats().participants();
    let closed = closed_port_client();

    let errors: Vec<Error> = vec![
        participants.remove(CHAT, PHONE).await.unwrap_err(),
        participants.remove(CHAT, PHONE).await.unwrap_err(),
        participants.remove(CHAT, PHONE).await.unwrap_err(),
        closed
            .chats()
            .participants()
            .remove(CHAT, PHONE)
            .await
            .unwrap_err(),
        participants.remove(CHAT, "not a handle").await.unwrap_err(),
        Client::builder()
            .api_key(TOKEN)
            .base_url("http://example.com")
            .build()
            .unwrap_err(),
    ];
    let kinds: Vec<&str> = errors
        .iter()
        .map(|e| match e.kind() {
            ErrorKind::Api(_) => "api",
            ErrorKind::Decode(_) => "decode",
            ErrorKind::Timeout { .. } => "timeout",
            ErrorKind::Connection { .. } => "connection",
            ErrorKind::InvalidInput(_) => "input",
            ErrorKind::Config(_) => "config",
            _ => "other",
        })
        .collect();
    assert_eq!(
        kinds,
        ["api", "decode", "timeout", "connection", "input", "config"]
    );
    for error in &errors {
        let shown = format!("{error} | {error:?} | {error:#?} | {error:#}");
        assert!(!shown.contains(TOKEN), "the token leaked: {shown}");
        let mut source = std::error::Error::source(error);
        while let Some(inner) = source {
            assert!(!format!("{inner} {inner:?}").contains(TOKEN));
            source = inner.source();
        }
    }
}

#[test]
fn no_debug_output_shows_the_token() {
    let builder = Client::builder().api_key(TOKEN);
    let builder_debug = format!("{builder:?}");
    let client = builder.build().unwrap();
    let call = client.chats().participants().remove(CHAT, PHONE);
    let shown = format!(
        "{builder_debug} {client:?} {client:#?} {:?} {call:?}",
        client.chats().participants()
    );
    assert!(!shown.contains(TOKEN), "{shown}");
}

#[test]
fn clear_text_http_is_only_for_loopback_unless_allowed() {
    let build = |url: &str| Client::builder().api_key(TOKEN).base_url(url).build();
    for allowed in [
        "https://api.example.com",
        "http://127.0.0.1:8080",
        "http://127.8.9.10",
        "http://localhost:3000",
        "http://[::1]:8080",
    ] {
        assert!(build(allowed).is_ok(), "{allowed} should be accepted");
    }
    let refused = build("http://api.example.com").unwrap_err();
    assert!(refused.to_string().contains("unencrypted"), "{refused}");
    assert!(
        Client::builder()
            .api_key(TOKEN)
            .base_url("http://api.example.com")
            .allow_insecure_http(true)
            .build()
            .is_ok()
    );
    for scheme in ["ftp://example.com", "ws://example.com", "file:///tmp/linq"] {
        let error = build(scheme).unwrap_err();
        assert!(
            matches!(error.kind(), ErrorKind::Config(_)),
            "{scheme}: {error}"
        );
    }
    let with_password = build("https://user:hunter2@api.example.com").unwrap_err();
    assert!(
        !with_password.to_string().contains("hunter2"),
        "{with_password}"
    );
}

#[tokio::test]
async fn a_redirect_to_another_host_does_not_carry_the_token() {
    let elsewhere = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(202).set_body_string("{}"))
        .mount(&elsewhere)
        .await;
    let origin = MockServer::start().await;
    Mock::given(header_exists("authorization"))
        .respond_with(ResponseTemplate::new(307).insert_header(
            "location",
            format!("{}/v3/chats/{CHAT}/participants", elsewhere.uri()),
        ))
        .mount(&origin)
        .await;

    // The SDK's own HTTP client does not follow redirects at all.
    let client = client_for(&origin);
    let error = client
        .chats()
        .participants()
        .remove(CHAT, PHONE)
        .await
        .unwrap_err();
    assert!(
        matches!(error.kind(), ErrorKind::Redirect(r) if !r.followed()),
        "{error:?}"
    );
    assert_eq!(
        received(&elsewhere).await.len(),
        0,
        "nothing was sent there"
    );

    // A caller's own client may follow it; the token stays behind.
    let following = Client::builder()
        .api_key(TOKEN)
        .base_url(origin.uri())
        .max_retries(0)
        .http_client(linq_partner::reqwest::Client::new())
        .build()
        .unwrap();
    let error = following
        .chats()
        .participants()
        .remove(CHAT, PHONE)
        .await
        .unwrap_err();
    assert!(
        matches!(error.kind(), ErrorKind::Redirect(r) if r.followed()),
        "{error:?}"
    );

    let at_origin = received(&origin).await;
    let at_elsewhere = received(&elsewhere).await;
    assert_eq!(
        (at_origin.len(), at_elsewhere.len()),
        (2, 1),
        "the caller's client followed the redirect once"
    );
    assert_eq!(
        at_origin[1].headers["authorization"],
        format!("Bearer {TOKEN}")
    );
    assert!(
        !at_elsewhere[0].headers.contains_key("authorization"),
        "the token crossed to another host"
    );
}

#[test]
fn configuration_errors_do_not_echo_a_query() {
    for url in [
        "https://example.com/?api_key=sekrit",
        "https://example.com/#sekrit",
        "http://linq.example/?key=sekrit",
        "not a url?key=sekrit",
        "ftp://example.com/?key=sekrit",
    ] {
        let error = Client::builder()
            .api_key(TOKEN)
            .base_url(url)
            .build()
            .unwrap_err();
        let shown = format!("{error} {error:?}");
        assert!(!shown.contains("sekrit"), "{url}: {shown}");
    }
}
