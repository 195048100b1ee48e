//! Bad input is refused with a precise error before anything goes on the wire.

mod common;

use common::*;
use linq_partner::{
    Client, ErrorKind,
    error::{HandleProblem, InvalidInput},
};
use wiremock::{Mock, MockServer, ResponseTemplate, matchers::any};

#[tokio::test]
async fn bad_inputs_reach_no_server() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(202))
        .mount(&server)
        .await;
    let client = client_for(&server);
    let participants = client.chats().participants();

    let cases = [
        ("not-a-uuid", PHONE),
        ("550e8400-e29b-41d4-a716-44665544000", PHONE),
        (CHAT, "+1 (205) 249-9136"),
        (CHAT, "12052499136"),
        (CHAT, "+0123456"),
        (CHAT, "+1234567890123456"),
        (CHAT, "user@localhost"),
        (CHAT, ""),
    ];
    let mut messages = Vec::new();
    for (chat, handle) in cases {
        for call in [
            participants.add(chat, handle),
            participants.remove(chat, handle),
        ] {
            let error = call.await.expect_err("bad input must fail");
            assert!(
                matches!(error.kind(), ErrorKind::InvalidInput(_)),
                "{error:?}"
            );
            messages.push(error.to_string());
        }
    }
    assert_eq!(
        received(&server).await.len(),
        0,
        "no request may reach the server"
    );
    messages.dedup();
    insta::assert_snapshot!(messages.join("\n"));

    // The same client still works for good input: the server did see this one.
    participants.remove(CHAT, PHONE).await.unwrap();
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn handle_errors_are_typed() {
    let server = MockServer::start().await;
    let client = client_for(&server);
    let error = client
        .chats()
        .participants()
        .remove(CHAT, "+1-205")
        .await
        .unwrap_err();
    let ErrorKind::InvalidInput(InvalidInput::Handle(handle)) = error.kind() else {
        panic!("expected a handle error, got {error:?}")
    };
    assert!(
        matches!(
            handle.problem(),
            HandleProblem::PhoneCharacter {
                found: '-',
                position: 2,
                ..
            }
        ),
        "{handle}"
    );
}

#[test]
fn bad_configuration_is_refused() {
    let build = |url: &str| {
        Client::builder()
            .api_key(TOKEN)
            .base_url(url)
            .build()
            .map(|_| ())
            .unwrap_err()
            .to_string()
    };
    insta::assert_snapshot!(
        [
            build("ftp://example.com"),
            build("not a url"),
            build("https://example.com/?q=1"),
            Client::builder()
                .api_key("  ")
                .build()
                .unwrap_err()
                .to_string(),
            Client::builder()
                .api_key("line\nbreak")
                .build()
                .unwrap_err()
                .to_string(),
        ]
        .join("\n")
    );
}

#[test]
fn the_token_never_shows_in_debug() {
    let builder = Client::builder().api_key(TOKEN);
    assert!(!format!("{builder:?}").contains(TOKEN));
    let client = builder.build().unwrap();
    let debug = format!(
        "{client:?} {:?} {:?}",
        client.chats(),
        client.chats().participants().remove(CHAT, PHONE)
    );
    assert!(!debug.contains(TOKEN), "{debug}");
    assert!(debug.contains("<redacted>"));
}
