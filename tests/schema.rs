//! JSON Schemas of the wrapper's public request and response types: a
//! contract change shows up here as a snapshot diff in review. (The
//! generated types' contract is `openapi.yaml` itself, and its diff.)

#![cfg(feature = "schemars")]

use linq_partner::{ChatId, Handle, Queued};

#[test]
fn request_schemas() {
    insta::assert_json_snapshot!("chat_id", schemars::schema_for!(ChatId));
    insta::assert_json_snapshot!("handle", schemars::schema_for!(Handle));
}

#[test]
fn response_schemas() {
    insta::assert_json_snapshot!("queued", schemars::schema_for!(Queued));
}
