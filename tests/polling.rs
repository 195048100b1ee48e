//! Waiting for a queued change without a webhook endpoint: reading the chat
//! until the change shows, against the local server (stateful) and wiremock
//! (scripted rate limits and refusals).

mod common;

use std::time::{Duration, Instant};

use linq_local::{LocalServer, demo};
use linq_partner::{ChangeKind, ErrorKind, ParticipantStatus, Polling};
use wiremock::{
    Mock, MockServer, ResponseTemplate,
    matchers::{method, path},
};

fn fast(within: Duration) -> Polling {
    Polling::within(within)
        .first_read_after(Duration::from_millis(50))
        .longest_pause(Duration::from_millis(200))
}

#[tokio::test]
async fn additions_and_removals_are_confirmed_by_reading_the_chat() {
    let server = LocalServer::builder()
        .apply_delay(Duration::from_millis(300))
        .start()
        .await
        .unwrap();
    let client = common::local_client(&server);
    let participants = client.chats().participants();

    let chat = participants
        .add(demo::GROUP, "+14155550123")
        .confirm_by_polling(fast(Duration::from_secs(10)))
        .await
        .unwrap()
        .into_parts()
        .1;
    let added = chat.participant("+14155550123").unwrap();
    assert_eq!(added.status(), Some(&ParticipantStatus::Active));

    let chat = participants
        .remove(demo::GROUP, "+442071234567")
        .confirm_by_polling(fast(Duration::from_secs(10)))
        .await
        .unwrap();
    // Linq's answer and the chat, from one call.
    assert!(chat.queued().is_some_and(|q| q.trace_id().is_some()));
    let removed = chat.by().participant("+442071234567").unwrap();
    assert_eq!(removed.status(), Some(&ParticipantStatus::Removed));
    assert!(removed.left_at().is_some());
}

#[tokio::test]
async fn a_limit_too_long_to_represent_is_no_limit() {
    let server = LocalServer::start().await.unwrap();
    let client = common::local_client(&server);
    let polling = Polling::within(Duration::MAX)
        .first_read_after(Duration::from_millis(10))
        .longest_pause(Duration::MAX);
    let chat = client
        .chats()
        .participants()
        .add(demo::GROUP, "+14155550123")
        .confirm_by_polling(polling)
        .await
        .unwrap();
    assert!(
        chat.by()
            .participant("+14155550123")
            .is_some_and(|p| p.is_active())
    );
}

#[tokio::test]
async fn a_change_that_does_not_show_in_time_is_not_confirmed() {
    let server = LocalServer::builder()
        .apply_delay(Duration::from_secs(60))
        .start()
        .await
        .unwrap();
    let client = common::local_client(&server);
    let error = client
        .chats()
        .participants()
        .add(demo::GROUP, "+14155550123")
        .confirm_by_polling(fast(Duration::from_millis(600)))
        .await
        .unwrap_err();
    let ErrorKind::NotConfirmed(waited) = error.kind() else {
        panic!("{error:?}")
    };
    assert_eq!(waited.change().kind(), ChangeKind::Addition);
    assert!(waited.reads() >= 2, "{error}");
    assert_eq!(waited.last_seen(), Some("not in the chat"));
    assert!(
        error.to_string().starts_with(
            "the addition of +14155550123 to chat 550e8400-e29b-41d4-a716-446655440000 did not show within 600ms"
        ),
        "{error}"
    );
}

#[tokio::test]
async fn a_refused_change_is_reported_before_any_wait() {
    let server = LocalServer::start().await.unwrap();
    let client = common::local_client(&server);
    let started = Instant::now();
    let error = client
        .chats()
        .participants()
        .remove(demo::TRIO, "+13125550122")
        .confirm_by_polling(Polling::within(Duration::from_secs(30)))
        .await
        .unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(400), "{error}");
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "no wait after a refusal"
    );

    let error = client
        .chats()
        .participants()
        .add(demo::GROUP, "not a handle")
        .confirm_by_polling(Polling::within(Duration::from_secs(30)))
        .await
        .unwrap_err();
    assert!(
        matches!(error.kind(), ErrorKind::InvalidInput(_)),
        "{error:?}"
    );
}

use common::CHAT;

/// Waits for the change of +12052499136 in the test chat, against `server`.
async fn wait_at(
    server: &MockServer,
    kind: ChangeKind,
    within: Duration,
) -> Result<linq_partner::Chat, linq_partner::Error> {
    let (chat, handle) = (CHAT.parse().unwrap(), "+12052499136".parse().unwrap());
    let change = match kind {
        ChangeKind::Addition => linq_partner::ParticipantChange::addition(chat, handle),
        _ => linq_partner::ParticipantChange::removal(chat, handle),
    };
    let client = common::client_for(server);
    let participants = client.chats().participants();
    participants.wait_for(&change, fast(within)).await
}

fn chat_with(status: &str) -> serde_json::Value {
    serde_json::json!({
        "id": CHAT, "display_name": null, "is_archived": false, "is_group": true,
        "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z",
        "handles": [{"id": "550e8400-e29b-41d4-a716-446655440011", "handle": "+12052499136",
                     "service": "iMessage", "status": status, "joined_at": "2026-01-01T00:00:00Z"}]
    })
}

#[tokio::test]
async fn rate_limited_reads_wait_what_linq_asks() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/v3/chats/{CHAT}")))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("retry-after", "1")
                .set_body_string(r#"{"error":{"status":429,"code":1007,"message":"slow down"}}"#),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("/v3/chats/{CHAT}")))
        .respond_with(ResponseTemplate::new(200).set_body_json(chat_with("removed")))
        .mount(&server)
        .await;
    let started = Instant::now();
    let chat = wait_at(&server, ChangeKind::Removal, Duration::from_secs(10))
        .await
        .unwrap();
    assert!(!chat.participant("+12052499136").unwrap().is_active());
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "the next read waited the asked second"
    );
    assert_eq!(
        common::received(&server).await.len(),
        2,
        "one request per read"
    );
}

#[tokio::test]
async fn a_failed_read_after_the_change_was_accepted_is_not_confirmed_and_never_resends() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(202).set_body_string(r#"{"status":"accepted"}"#))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(404).set_body_string(
            r#"{"error":{"status":404,"code":2001,"message":"Resource not found"},"success":false}"#,
        ))
        .mount(&server)
        .await;
    let client = common::client_for(&server);
    let error = client
        .chats()
        .participants()
        .add(CHAT, "+12052499136")
        .confirm_by_polling(fast(Duration::from_secs(10)))
        .await
        .unwrap_err();
    assert!(error.change_accepted(), "{error}");
    let ErrorKind::NotConfirmed(waited) = error.kind() else {
        panic!("{error:?}")
    };
    let read = waited.failed_read().expect("the read that ended the wait");
    assert_eq!(read.status().map(|s| s.as_u16()), Some(404));
    assert_eq!(waited.reads(), 1);
    let source = std::error::Error::source(&error).expect("the read's error");
    assert!(source.to_string().contains("404"), "{source}");
    let methods: Vec<String> = common::received(&server)
        .await
        .iter()
        .map(|request| request.method.to_string())
        .collect();
    assert_eq!(methods, ["POST", "GET"], "one add, one read, nothing again");
}

#[tokio::test]
async fn a_wait_over_the_clients_limit_ends_the_wait_with_the_refused_wait() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("retry-after", "3600")
                .set_body_string(r#"{"error":{"status":429,"code":1007,"message":"slow down"}}"#),
        )
        .mount(&server)
        .await;
    let error = wait_at(&server, ChangeKind::Addition, Duration::from_secs(10))
        .await
        .unwrap_err();
    let ErrorKind::NotConfirmed(waited) = error.kind() else {
        panic!("{error:?}")
    };
    let read = waited.failed_read().expect("the refused read");
    let refused = read.refused_wait().expect("the refused wait");
    assert_eq!(refused.wait(), Duration::from_secs(3600), "{read}");
    assert_eq!(
        refused.limit(),
        linq_partner::error::WaitLimit::MaxRetryWait(
            linq_partner::defaults::DEFAULT_MAX_RETRY_WAIT
        )
    );
    assert_eq!(common::received(&server).await.len(), 1);
}

#[tokio::test]
async fn a_read_whose_answer_cannot_be_decoded_accepted_nothing() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_string(r#"{"id":"nope"}"#))
        .mount(&server)
        .await;
    let error = common::client_for(&server)
        .chats()
        .get(CHAT)
        .await
        .unwrap_err();
    assert!(matches!(error.kind(), ErrorKind::Decode(_)), "{error:?}");
    assert!(!error.change_accepted(), "{error}");
    assert!(
        error
            .to_string()
            .starts_with("Linq answered 200 OK but its answer could not be read"),
        "{error}"
    );
}

#[tokio::test]
async fn a_status_this_version_does_not_know_shows_no_removal() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(chat_with("suspended")))
        .mount(&server)
        .await;
    let error = wait_at(&server, ChangeKind::Removal, Duration::from_millis(600))
        .await
        .unwrap_err();
    let ErrorKind::NotConfirmed(waited) = error.kind() else {
        panic!("{error:?}")
    };
    assert!(waited.failed_read().is_none(), "{error}");
    assert_eq!(waited.last_seen(), Some("status suspended"));
}

#[tokio::test]
async fn an_accepted_change_whose_answer_cannot_be_read_is_still_waited_for() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(202).set_body_string(r#"{"status":"acce"#))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(chat_with("active")))
        .mount(&server)
        .await;
    let chat = common::client_for(&server)
        .chats()
        .participants()
        .add(CHAT, "+12052499136")
        .confirm_by_polling(fast(Duration::from_secs(10)))
        .await
        .unwrap();
    assert!(chat.by().participant("+12052499136").unwrap().is_active());
    assert_eq!(
        common::received(&server).await.len(),
        2,
        "one add, one read"
    );
}
