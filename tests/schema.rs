//! JSON Schemas of the public request and response types: a contract change
//! shows up here as a snapshot diff in review.

use linq_partner::{ChatId, Handle, Queued, raw::types};

#[test]
fn request_schemas() {
    insta::assert_json_snapshot!(
        "participant_handle",
        schemars::schema_for!(types::ParticipantHandle)
    );
    insta::assert_json_snapshot!("chat_id", schemars::schema_for!(ChatId));
    insta::assert_json_snapshot!("handle", schemars::schema_for!(Handle));
}

#[test]
fn response_schemas() {
    insta::assert_json_snapshot!("queued", schemars::schema_for!(Queued));
    insta::assert_json_snapshot!(
        "participant_change_queued",
        schemars::schema_for!(types::ParticipantChangeQueued)
    );
    insta::assert_json_snapshot!(
        "error_response",
        schemars::schema_for!(types::ErrorResponse)
    );
}
