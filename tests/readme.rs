//! Every example of program output in the README (its ```text blocks) is
//! what the code prints: each block is produced here, in the order the
//! README shows them, and a block without a producer fails the test.

mod common;

use std::time::Duration;

use linq_partner::{Client, Handle};
use wiremock::{Mock, MockServer, ResponseTemplate, matchers::any};

/// The README's ```text blocks, in order.
fn text_blocks() -> Vec<String> {
    let readme = include_str!("../README.md");
    let mut blocks = Vec::new();
    let mut current: Option<Vec<&str>> = None;
    for line in readme.lines() {
        match (&mut current, line) {
            (None, "```text") => current = Some(Vec::new()),
            (Some(lines), "```") => {
                blocks.push(lines.join("\n"));
                current = None;
            }
            (Some(lines), line) => lines.push(line),
            (None, _) => {}
        }
    }
    blocks
}

#[tokio::test]
async fn the_readme_shows_what_the_code_prints() {
    let bad_handle = "+1 (205) 249-9136";

    // A call with a bad handle.
    let client = common::closed_port_client();
    let call = client
        .chats()
        .participants()
        .remove("550e8400-e29b-41d4-a716-446655440000", bad_handle)
        .await
        .unwrap_err()
        .to_string();

    // The same handle parsed ahead of time.
    let parsed = bad_handle.parse::<Handle>().unwrap_err().to_string();

    // A 409 that stays a 409 through the default two retries.
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(409).set_body_string(
            r#"{"error":{"status":409,"code":2013,"message":"This chat is unavailable"}}"#,
        ))
        .mount(&server)
        .await;
    let retrying = Client::builder()
        .api_key(common::TOKEN)
        .base_url(server.uri())
        .retry_backoff(Duration::ZERO)
        .build()
        .unwrap();
    let conflict = retrying
        .chats()
        .participants()
        .remove("550e8400-e29b-41d4-a716-446655440000", "+12052499136")
        .await
        .unwrap_err()
        .to_string();

    assert!(parsed.starts_with("invalid handle") && call.starts_with(&parsed));
    assert_eq!(text_blocks(), vec![call, conflict]);
}

/// The README's test recipe is the file CI compiles and runs.
#[test]
fn the_readme_recipe_is_the_tested_file() {
    let readme = include_str!("../local-server/README.md");
    let recipe = include_str!("../quickstart/tests/recipe.rs");
    assert!(
        readme.contains(&format!("```rust,ignore\n{recipe}```")),
        "local-server/README.md's recipe differs from quickstart/tests/recipe.rs"
    );
}
