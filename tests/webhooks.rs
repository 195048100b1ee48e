//! Webhook verification, event decoding and confirmations.
#![cfg(feature = "webhooks")]

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use linq_partner::{
    reqwest::header::{HeaderMap, HeaderValue},
    webhooks::{
        Change, ConfirmError, Confirmations, Event, EventKind, Fed, Verifier, VerifyError,
        WebhookSecret, sign, signed_headers,
    },
};
use proptest::prelude::*;

const AT: u64 = 1_764_547_200; // 2025-12-01T00:00:00Z
const BODY: &[u8] = br#"{"event_type":"participant.removed","event_id":"0b6f4a5e-1c2d-4e3f-8a9b-0c1d2e3f4a5b","data":{"chat_id":"550e8400-e29b-41d4-a716-446655440000","handle":"+12052499136"}}"#;

/// Computed independently of this crate, with Python's standard library:
/// `hmac.new(b"whsec_test", b"1764547200." + BODY, hashlib.sha256).hexdigest()`
const VECTOR: &str = "12e86986bc8a7a0f3ff6a831f498e4481b24acac71f3b093795f64adc2837cd1";
/// The same with an empty body: `hmac.new(b"whsec_test", b"1764547200.", hashlib.sha256).hexdigest()`.
const VECTOR_EMPTY: &str = "9d8d4f855971e71a3f9e448da88e7462a45fb09b85667cd264148df75587d6f3";
/// BODY with the key `another secret`.
const VECTOR_OTHER_SECRET: &str =
    "eb20833775052832ef845f9ff24a4d178de275f46c2dfd88a3b882dd981c848c";

fn secret() -> WebhookSecret {
    WebhookSecret::new("whsec_test").unwrap()
}

fn verifier_at(now: u64) -> Verifier {
    Verifier::new(secret()).clock(move || UNIX_EPOCH + Duration::from_secs(now))
}

fn headers(signature: &str, timestamp: &str) -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert(
        "x-webhook-signature",
        HeaderValue::from_str(signature).unwrap(),
    );
    headers.insert(
        "x-webhook-timestamp",
        HeaderValue::from_str(timestamp).unwrap(),
    );
    headers
}

#[test]
fn signatures_match_independently_computed_vectors() {
    assert_eq!(sign(&secret(), AT, BODY), VECTOR);
    assert_eq!(sign(&secret(), AT, b""), VECTOR_EMPTY);
    assert_eq!(
        sign(&WebhookSecret::new("another secret").unwrap(), AT, BODY),
        VECTOR_OTHER_SECRET
    );
    let event = verifier_at(AT)
        .verify(&headers(VECTOR, "1764547200"), BODY)
        .unwrap();
    assert_eq!(event.envelope().event_type(), "participant.removed");
    // Upper-case hex and a `sha256=` prefix are the same signature.
    verifier_at(AT)
        .verify(&headers(&VECTOR.to_uppercase(), "1764547200"), BODY)
        .unwrap();
    verifier_at(AT)
        .verify(&headers(&format!("sha256={VECTOR}"), "1764547200"), BODY)
        .unwrap();
}

#[test]
fn every_refusal_says_what_is_wrong() {
    let verify = |headers: &HeaderMap, body: &[u8]| verifier_at(AT).verify(headers, body);
    let mut no_signature = headers(VECTOR, "1764547200");
    no_signature.remove("x-webhook-signature");
    assert_eq!(
        verify(&no_signature, BODY),
        Err(VerifyError::MissingHeader("X-Webhook-Signature"))
    );
    let mut no_timestamp = headers(VECTOR, "1764547200");
    no_timestamp.remove("x-webhook-timestamp");
    assert_eq!(
        verify(&no_timestamp, BODY),
        Err(VerifyError::MissingHeader("X-Webhook-Timestamp"))
    );
    assert_eq!(
        verify(&headers("not hex!", "1764547200"), BODY),
        Err(VerifyError::SignatureNotHex)
    );
    assert_eq!(
        verify(&headers(&VECTOR[..62], "1764547200"), BODY),
        Err(VerifyError::SignatureLength { hex_digits: 62 })
    );
    assert_eq!(
        verify(&headers(VECTOR_OTHER_SECRET, "1764547200"), BODY),
        Err(VerifyError::SignatureMismatch)
    );
    assert!(matches!(
        verify(&headers(VECTOR, "yesterday"), BODY),
        Err(VerifyError::TimestampNotANumber(_))
    ));
    // The timestamp is signed too: another one breaks the signature.
    assert_eq!(
        verify(&headers(VECTOR, "1764547201"), BODY),
        Err(VerifyError::SignatureMismatch)
    );

    // One byte of the body changed.
    let mut tampered = BODY.to_vec();
    let at = tampered.iter().position(|&b| b == b'3').unwrap();
    tampered[at] = b'4';
    assert_eq!(
        verify(&headers(VECTOR, "1764547200"), &tampered),
        Err(VerifyError::SignatureMismatch)
    );

    // Tolerance: five minutes either way, not a second more.
    let five = 300;
    assert!(
        verifier_at(AT + five)
            .verify(&headers(VECTOR, "1764547200"), BODY)
            .is_ok()
    );
    assert!(matches!(
        verifier_at(AT + five + 1).verify(&headers(VECTOR, "1764547200"), BODY),
        Err(VerifyError::TimestampTooOld { age, .. }) if age == Duration::from_secs(301)
    ));
    assert!(
        verifier_at(AT - five)
            .verify(&headers(VECTOR, "1764547200"), BODY)
            .is_ok()
    );
    assert!(matches!(
        verifier_at(AT - five - 1).verify(&headers(VECTOR, "1764547200"), BODY),
        Err(VerifyError::TimestampInFuture { ahead, .. }) if ahead == Duration::from_secs(301)
    ));

    // Signed, but not JSON, or not an event.
    let signed = |body: &[u8]| headers(&sign(&secret(), AT, body), "1764547200");
    assert!(matches!(
        verify(&signed(b"<html>"), b"<html>"),
        Err(VerifyError::BodyNotJson(_))
    ));
    assert!(matches!(
        verify(&signed(b"{\"hello\":1}"), b"{\"hello\":1}"),
        Err(VerifyError::NotAnEvent(_))
    ));
    // The event type header disagrees with the body.
    let mut disagreeing = signed(BODY);
    disagreeing.insert(
        "x-webhook-event",
        HeaderValue::from_static("participant.added"),
    );
    assert!(matches!(
        verify(&disagreeing, BODY),
        Err(VerifyError::EventTypeMismatch { .. })
    ));

    // No error, and no Debug, ever shows the secret.
    for error in [
        verify(&headers(VECTOR_OTHER_SECRET, "1764547200"), BODY).unwrap_err(),
        verify(&signed(b"<html>"), b"<html>").unwrap_err(),
    ] {
        assert!(!format!("{error} {error:?}").contains("whsec_test"));
    }
    assert!(!format!("{:?}", verifier_at(AT)).contains("whsec_test"));
    assert!(WebhookSecret::new(" ").is_err());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    /// Whatever the body and the secret, what the signer signs the verifier
    /// accepts (up to decoding the body), and one changed byte is refused.
    #[test]
    fn sign_then_verify_round_trips(body in proptest::collection::vec(any::<u8>(), 0..512), key in "[ -~]{1,64}", flip in any::<prop::sample::Index>()) {
        prop_assume!(!key.trim().is_empty());
        let secret = WebhookSecret::new(key).unwrap();
        let verifier = Verifier::new(secret.clone()).clock(|| UNIX_EPOCH + Duration::from_secs(AT));
        let headers = headers(&sign(&secret, AT, &body), "1764547200");
        match verifier.verify(&headers, &body) {
            Ok(_) | Err(VerifyError::BodyNotJson(_)) | Err(VerifyError::NotAnEvent(_)) => {}
            Err(other) => prop_assert!(false, "{other}"),
        }
        if !body.is_empty() {
            let mut changed = body.clone();
            let at = flip.index(changed.len());
            changed[at] ^= 0x01;
            prop_assert_eq!(verifier.verify(&headers, &changed), Err(VerifyError::SignatureMismatch));
        }
    }
}

/// Verifies `body` as freshly signed and renders the event for a snapshot.
fn decoded(body: &str) -> Event {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let headers = signed_headers(&secret(), now, "", body.as_bytes());
    let mut headers = headers;
    headers.remove("x-webhook-event");
    Verifier::new(secret())
        .verify(&headers, body.as_bytes())
        .unwrap()
}

#[test]
fn events_decode_whole_partial_and_unknown() {
    let full_added = r#"{
        "api_version": "v3", "webhook_version": "2026-02-03", "event_type": "participant.added",
        "event_id": "6a1f0f3e-9a7b-4c55-9e2b-2f0c3d4e5f60", "created_at": "2026-12-01T09:00:00.000Z",
        "trace_id": "tr_added", "partner_id": "partner_1",
        "data": {"chat_id": "550e8400-e29b-41d4-a716-446655440000", "handle": "+14155550199",
                 "added_at": "2026-12-01T09:00:00.000Z",
                 "participant": {"id": "0e5d8c2a-3b4f-4a6e-9c1d-7f8e9a0b1c2d", "handle": "+14155550199",
                                 "service": "iMessage", "status": "active",
                                 "joined_at": "2026-12-01T09:00:00.000Z", "left_at": null, "is_me": false}}
    }"#;
    let full_removed = full_added
        .replace("participant.added", "participant.removed")
        .replace("added_at", "removed_at")
        .replace("\"active\"", "\"removed\"")
        .replace(
            "\"left_at\": null",
            "\"left_at\": \"2026-12-01T09:05:00.000Z\"",
        );
    let minimal = r#"{"event_type":"participant.removed","event_id":"7b2a1f4e-0c3d-4e5f-8a9b-1c2d3e4f5a6b","data":{"handle":"ana@example.com"}}"#;
    let minimal_added = minimal
        .replace("participant.removed", "participant.added")
        .replace("7b2a1f4e", "7b2a1f4f");
    let unknown_fields = r#"{"event_type":"participant.added","event_id":"8c3b2a5f-1d4e-4f6a-9b0c-2d3e4f5a6b7c","future_field":[1,2],
        "data":{"handle":"+12052499136","chat_id":"550e8400-e29b-41d4-a716-446655440000","participant":{"handle":"+12052499136","nickname":"new"},"extra":true}}"#;
    let unknown_type = r#"{"event_type":"chat.renamed_in_2027","event_id":"9d4c3b6a-2e5f-4a7b-8c1d-3e4f5a6b7c8d","data":{"chat_id":"x","name":"New name"}}"#;
    for (name, body) in [
        ("event_added_full", full_added.to_owned()),
        ("event_removed_full", full_removed),
        ("event_removed_handle_only", minimal.to_owned()),
        ("event_added_handle_only", minimal_added),
        ("event_unknown_fields", unknown_fields.to_owned()),
        ("event_unknown_type", unknown_type.to_owned()),
    ] {
        insta::assert_debug_snapshot!(name, decoded(&body));
    }
    let EventKind::ParticipantAdded(added) = decoded(unknown_fields).kind().clone() else {
        panic!("an addition")
    };
    assert_eq!(added.handle(), "+12052499136");
}

#[test]
fn event_schemas() {
    insta::assert_json_snapshot!("webhook_event", schemars::schema_for!(Event));
}

fn removal_event(event_id: &str, handle: &str) -> Event {
    decoded(&format!(
        r#"{{"event_type":"participant.removed","event_id":"{event_id}","data":{{"chat_id":"550e8400-e29b-41d4-a716-446655440000","handle":"{handle}"}}}}"#
    ))
}

#[tokio::test]
async fn confirmations_match_keep_early_events_and_drop_duplicates() {
    let confirmations = Confirmations::new();
    let chat = "550e8400-e29b-41d4-a716-446655440000";

    // Waiting first.
    let wait = confirmations.wait(
        Change::removed(chat, "+12052499136").unwrap(),
        Duration::from_secs(5),
    );
    let event = removal_event("11111111-1111-4111-8111-111111111111", "+12052499136");
    assert_eq!(confirmations.feed(&event), Fed::Delivered);
    assert_eq!(confirmations.feed(&event), Fed::Duplicate);
    assert_eq!(wait.await.unwrap(), event);

    // The event first: kept for the wait that comes after.
    let early = removal_event("22222222-2222-4222-8222-222222222222", "+442071234567");
    assert_eq!(confirmations.feed(&early), Fed::Kept);
    let got = confirmations
        .wait(
            Change::removed(chat, "+442071234567").unwrap(),
            Duration::from_millis(10),
        )
        .await
        .unwrap();
    assert_eq!(got, early);

    // Another change's event does not confirm this one, and an addition is
    // not a removal.
    let other = removal_event("33333333-3333-4333-8333-333333333333", "+13125550111");
    confirmations.feed(&other);
    assert_eq!(
        confirmations
            .wait(
                Change::added(chat, "+13125550111").unwrap(),
                Duration::from_millis(20)
            )
            .await,
        Err(ConfirmError::Timeout(Duration::from_millis(20)))
    );
    assert!(Change::removed("not-a-uuid", "+1").is_err());
}
