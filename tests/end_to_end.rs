//! The SDK against the project's own local Linq server: the quickstart's
//! scenario, many concurrent changes, and every error the server produces.

use std::collections::BTreeSet;

mod common;

use common::local_client;
use linq_local::{LocalServer, demo};
use linq_partner::{
    Client, Error, ErrorCode, ErrorKind,
    error::{InvalidInput, StatusClass},
};

/// A client with the default retries, for the local server.
fn client_for(server: &LocalServer) -> Client {
    Client::builder()
        .api_key(server.token())
        .base_url(server.url())
        .build()
        .expect("a valid client")
}

fn active(server: &LocalServer, chat: uuid::Uuid) -> BTreeSet<String> {
    let view = server.chat(chat).expect("the chat exists");
    view.active_handles()
        .into_iter()
        .map(str::to_owned)
        .collect()
}

/// The API error inside, or a failure naming what came instead.
fn api(outcome: Result<linq_partner::Queued, Error>) -> linq_partner::error::ApiError {
    match outcome.map_err(Error::into_kind) {
        Err(ErrorKind::Api(api)) => api,
        other => panic!("expected an API error, got {other:?}"),
    }
}

#[tokio::test]
async fn quickstart_scenario() {
    let server = LocalServer::start().await.unwrap();
    let client = client_for(&server);
    let participants = client.chats().participants();
    let before = active(&server, demo::GROUP);

    let added = participants.add(demo::GROUP, "+14155550199").await.unwrap();
    assert!(added.is_accepted());
    assert_eq!(added.message(), Some("Participant addition queued"));
    assert_eq!(added.trace_id().map(str::len), Some(32));

    let removed = participants
        .remove(demo::GROUP, "+442071234567")
        .await
        .unwrap();
    assert_eq!(removed.message(), Some("Participant removal queued"));
    assert_ne!(
        removed.trace_id(),
        added.trace_id(),
        "every answer has a fresh trace id"
    );

    let mut expected = before;
    expected.insert("+14155550199".into());
    expected.remove("+442071234567");
    assert_eq!(active(&server, demo::GROUP), expected);

    let refused = api(participants.remove(demo::TRIO, "+13125550111").await);
    assert_eq!(refused.class(), StatusClass::BadRequest);
    assert_eq!(refused.code(), Some(ErrorCode::InvalidParameter));
    assert!(
        refused
            .message()
            .unwrap()
            .contains("would leave 2 participants")
    );
    assert_eq!(
        active(&server, demo::TRIO).len(),
        3,
        "a refused removal changes nothing"
    );

    let bad = participants
        .add(demo::GROUP, "+1 (415) 555-0199")
        .await
        .unwrap_err();
    assert!(matches!(
        bad.kind(),
        ErrorKind::InvalidInput(InvalidInput::Handle(_))
    ));
}

#[tokio::test]
async fn queued_changes_show_after_the_delay() {
    let server = LocalServer::builder()
        .apply_delay(std::time::Duration::from_millis(300))
        .start()
        .await
        .unwrap();
    let client = client_for(&server);
    client
        .chats()
        .participants()
        .add(demo::GROUP, "+14155550199")
        .await
        .unwrap();
    assert!(
        !active(&server, demo::GROUP).contains("+14155550199"),
        "queued, not applied yet"
    );
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    assert!(active(&server, demo::GROUP).contains("+14155550199"));
}

/// 100 additions and 100 removals race on one chat. Whatever order they run
/// in, the chat must end as the accepted calls say: nobody lost, nobody
/// doubled, and never fewer than three participants.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_changes_keep_the_rules() {
    let server = LocalServer::start().await.unwrap();
    let client = client_for(&server);
    let initial = active(&server, demo::GROUP);
    let newcomers: Vec<String> = (0..100).map(|i| format!("+1555010{i:04}")).collect();
    // Half the removals target newcomers (which may not have arrived yet),
    // half target everyone already in the chat, including the partner's own number.
    let mut leavers: Vec<String> = newcomers.iter().step_by(2).cloned().collect();
    leavers.extend(initial.iter().cycle().take(50).cloned());

    // Interleaved, so that additions and removals really race.
    let mut tasks = tokio::task::JoinSet::new();
    for (newcomer, leaver) in newcomers.iter().zip(&leavers) {
        for (is_add, handle) in [(true, newcomer.clone()), (false, leaver.clone())] {
            let client = client.clone();
            tasks.spawn(async move {
                let participants = client.chats().participants();
                let outcome = if is_add {
                    participants.add(demo::GROUP, &handle).await
                } else {
                    participants.remove(demo::GROUP, &handle).await
                };
                (is_add, handle, outcome)
            });
        }
    }

    let mut expected = initial.clone();
    let mut accepted_adds = 0;
    let mut accepted_removes = Vec::new();
    let mut results = Vec::new();
    while let Some(joined) = tasks.join_next().await {
        results.push(joined.expect("no task panics"));
    }
    assert_eq!(results.len(), 200);
    for (is_add, handle, outcome) in &results {
        match outcome {
            Ok(queued) => {
                assert!(queued.is_accepted());
                if *is_add {
                    accepted_adds += 1;
                    assert!(expected.insert(handle.clone()), "{handle} added twice");
                } else {
                    accepted_removes.push(handle.clone());
                }
            }
            Err(error) => {
                let ErrorKind::Api(api) = error.kind() else {
                    panic!("unexpected error {error}")
                };
                assert_eq!(api.status().as_u16(), 400, "{api}");
                assert!(!is_add, "additions of new handles never fail: {api}");
                let message = api.message().unwrap_or_default();
                assert!(
                    message.contains("is not in this chat")
                        || message.contains("own number")
                        || message.contains("would leave"),
                    "{message}"
                );
            }
        }
    }
    assert_eq!(accepted_adds, 100);
    for handle in &accepted_removes {
        assert!(
            expected.remove(handle),
            "{handle} removed twice or never there"
        );
    }
    let now = active(&server, demo::GROUP);
    assert_eq!(
        now, expected,
        "the chat is exactly what the accepted calls imply"
    );
    assert!(now.len() >= 3);
    assert!(
        now.contains("+12025550100"),
        "the partner's own number stays"
    );
}

#[tokio::test]
async fn every_server_error_decodes_into_the_right_sdk_error() {
    let server = LocalServer::start().await.unwrap();
    // Retries off: each error is seen as one answer decodes it.
    let client = local_client(&server);
    let participants = client.chats().participants();

    let wrong_token = Client::builder()
        .api_key("wrong")
        .base_url(server.url())
        .build()
        .unwrap();
    let cases: Vec<(&str, Result<linq_partner::Queued, Error>, u16, ErrorCode)> = vec![
        (
            "wrong token",
            wrong_token
                .chats()
                .participants()
                .remove(demo::GROUP, "+12052499136")
                .await,
            401,
            ErrorCode::Unauthorized,
        ),
        (
            "unknown chat",
            participants
                .remove("00000000-0000-4000-8000-000000000000", "+12052499136")
                .await,
            404,
            ErrorCode::ChatNotFound,
        ),
        (
            "unavailable chat",
            participants.remove(demo::UNAVAILABLE, "+16175550144").await,
            409,
            ErrorCode::ChatUnavailable,
        ),
        (
            "direct chat",
            participants.add(demo::DIRECT, "+14155550199").await,
            400,
            ErrorCode::CannotUpdateDm,
        ),
        (
            "cross-service addition",
            participants.add(demo::TRIO, "ana@example.com").await,
            400,
            ErrorCode::InvalidParameter,
        ),
        (
            "already present",
            participants.add(demo::GROUP, "+12052499136").await,
            400,
            ErrorCode::InvalidParameter,
        ),
        (
            "not present",
            participants.remove(demo::GROUP, "+19995550000").await,
            400,
            ErrorCode::InvalidParameter,
        ),
        (
            "removing the partner's own number",
            participants.remove(demo::GROUP, "+12025550100").await,
            400,
            ErrorCode::InvalidParameter,
        ),
        (
            "too few left",
            participants.remove(demo::TRIO, "+13125550122").await,
            400,
            ErrorCode::InvalidParameter,
        ),
    ];
    for (situation, outcome, status, code) in cases {
        let api = api(outcome);
        assert_eq!(api.status().as_u16(), status, "{situation}: {api}");
        assert_eq!(api.code(), Some(code), "{situation}: {api}");
        assert!(api.message().is_some_and(|m| !m.is_empty()), "{situation}");
        // Services are written as Linq writes them.
        let message = api.message().unwrap_or_default();
        for debug_spelling in ["Sms", "Rcs", "IMessage"] {
            assert!(!message.contains(debug_spelling), "{situation}: {message}");
        }
        if situation == "cross-service addition" {
            assert!(
                ["SMS", "RCS"]
                    .iter()
                    .any(|name| message.contains(&format!(" {name} chat"))),
                "{message}"
            );
        }
    }

    for (status, code) in [
        (500, ErrorCode::InternalError),
        (503, ErrorCode::ServiceUnavailable),
        (429, ErrorCode::RateLimitExceeded),
    ] {
        server.fail_next(1, status).unwrap();
        let api = api(participants.remove(demo::GROUP, "+12052499136").await);
        assert_eq!((api.status().as_u16(), api.code()), (status, Some(code)));
    }
}

#[tokio::test]
async fn retries_ride_out_injected_failures() {
    let server = LocalServer::start().await.unwrap();
    let client = client_for(&server);
    server.fail_next(2, 503).unwrap();
    let started = std::time::Instant::now();
    let queued = client
        .chats()
        .participants()
        .add(demo::GROUP, "+14155550199")
        .await
        .unwrap();
    assert!(queued.is_accepted());
    assert!(
        started.elapsed() >= std::time::Duration::from_millis(375 + 750),
        "two backoffs were waited"
    );
    assert!(active(&server, demo::GROUP).contains("+14155550199"));

    server.fail_next(3, 500).unwrap();
    let error = client
        .chats()
        .participants()
        .add(demo::GROUP, "+14155550188")
        .await
        .unwrap_err();
    assert_eq!(error.attempts(), 3);
    assert!(error.to_string().ends_with("after 3 attempts"), "{error}");
    assert!(!active(&server, demo::GROUP).contains("+14155550188"));
}
