//! Webhook verification (both schemes), event decoding and confirmations.
//!
//! Every signature constant below was computed without this crate, by
//! `tests/fixtures/webhook_vectors.py`: Python's hmac, hashlib and base64
//! (`python3 tests/fixtures/webhook_vectors.py`), and the Standard Webhooks
//! reference library from PyPI (`python3 -m venv /tmp/swh &&
//! /tmp/swh/bin/pip install standardwebhooks==1.1.0 && /tmp/swh/bin/python
//! tests/fixtures/webhook_vectors.py`). The script prints each value under
//! the name it has here.
#![cfg(feature = "test-util")]

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use linq_partner::{
    ParticipantChange,
    reqwest::header::{HeaderMap, HeaderValue},
    webhooks::{
        Confirmations, Event, EventKind, FeedOutcome, Scheme, SecretError, Verifier, VerifyError,
        WebhookSecret, sign, sign_deprecated, signed_headers,
    },
};
use proptest::prelude::*;

const AT: u64 = 1_764_547_200; // 2025-12-01T00:00:00Z
const ID: &str = "0b6f4a5e-1c2d-4e3f-8a9b-0c1d2e3f4a5b";
const BODY: &[u8] = br#"{"event_type":"participant.removed","event_id":"0b6f4a5e-1c2d-4e3f-8a9b-0c1d2e3f4a5b","data":{"chat_id":"550e8400-e29b-41d4-a716-446655440000","handle":"+12052499136"}}"#;

/// `whsec_` and the base64 of the bytes 0 to 31.
const SECRET: &str = "whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
/// `whsec_` and the base64 of the bytes 32 to 63.
const OTHER_SECRET: &str = "whsec_ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=";

// Standard Webhooks: HMAC-SHA256 of `{ID}.{AT}.{BODY}` keyed with the
// decoded secret, base64.
const STANDARD: &str = "v1,3UzrYdpHlYwR7w5r2eE0L2jX1FNT383TNMnxg3cwcu0=";
const STANDARD_EMPTY_BODY: &str = "v1,iCZykrbuf+IGu7aULk4CN11mDmlX3iLe4mTBW6nUN4Q=";
const STANDARD_OTHER_KEY: &str = "v1,E+q7o2emXBl6g8F1pqQQudDiBW21OOnIoHfxEK+o9OI=";
const STANDARD_NEXT_SECOND: &str = "v1,8a6wbxGWeqUv3MxrOobzojALD9EJUg+wvpzz7udiaIY=";

// The deprecated scheme, with the secret its tests always had: hex
// HMAC-SHA256 of `{AT}.{BODY}` keyed with the secret's text.
const DEPRECATED_SECRET: &str = "whsec_test";
const DEPRECATED: &str = "12e86986bc8a7a0f3ff6a831f498e4481b24acac71f3b093795f64adc2837cd1";
const DEPRECATED_EMPTY_BODY: &str =
    "9d8d4f855971e71a3f9e448da88e7462a45fb09b85667cd264148df75587d6f3";
/// Keyed with `whsec_b3RoZXI=`.
const DEPRECATED_OTHER_SECRET: &str =
    "58b2aebaa8ad8511863a9a4b4651dd3b5932100a209db35a3783839246ec7e0d";
/// Keyed with the text of [`SECRET`], `whsec_` included.
const DEPRECATED_WITH_SECRET: &str =
    "5ec8ac3884e0b396b53f928f4ffa76d58fa504bdf8a3b404408e09e1e25fee33";

// Signed by the reference library (`standardwebhooks.Webhook(SECRET).sign`).
const REFERENCE_ID: &str = "msg_linq_reference_1";
const REFERENCE_AT: u64 = 1_767_225_600; // 2026-01-01T00:00:00Z
const REFERENCE_BODY: &str = r#"{"event_type":"participant.added","event_id":"6a1f0f3e-9a7b-4c55-9e2b-2f0c3d4e5f60","data":{"chat_id":"chat_Zoë","participant":{"handle":"zoe@example.com"}}}"#;
const REFERENCE_SIGNED: &str = "v1,cgoXa9r4ulVUGaqB8NhSwgBgzH4p+M3RZKgaOmEgkkg=";

// Signed by this crate, and verified by the reference library (the script's
// last step, with its clock frozen at OURS_AT).
const OURS_ID: &str = "evt_signed_by_linq_partner";
const OURS_AT: u64 = 1_767_225_600;
const OURS_BODY: &str =
    r#"{"event_type":"message.sent","event_id":"9d4c3b6a-2e5f-4a7b-8c1d-3e4f5a6b7c8d","data":{}}"#;
const OURS: &str = "v1,6g7d5XA8NHknzvhHzCh15TMfCqz6TIDAHiaDeoWTQZE=";

fn secret() -> WebhookSecret {
    WebhookSecret::new(SECRET).unwrap()
}

fn deprecated_secret() -> WebhookSecret {
    WebhookSecret::new(DEPRECATED_SECRET).unwrap()
}

fn at(secret: WebhookSecret, now: u64) -> Verifier {
    Verifier::new(secret).clock(move || UNIX_EPOCH + Duration::from_secs(now))
}

fn standard_headers(id: &str, timestamp: &str, signature: &str) -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert("webhook-id", HeaderValue::from_str(id).unwrap());
    headers.insert(
        "webhook-timestamp",
        HeaderValue::from_str(timestamp).unwrap(),
    );
    headers.insert(
        "webhook-signature",
        HeaderValue::from_str(signature).unwrap(),
    );
    headers
}

fn deprecated_headers(signature: &str, timestamp: &str) -> HeaderMap {
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

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

#[test]
fn standard_signatures_match_independent_vectors() {
    assert_eq!(sign(&secret(), ID, AT, BODY), STANDARD);
    assert_eq!(sign(&secret(), ID, AT, b""), STANDARD_EMPTY_BODY);
    assert_eq!(sign(&secret(), ID, AT + 1, BODY), STANDARD_NEXT_SECOND);
    let other = WebhookSecret::new(OTHER_SECRET).unwrap();
    assert_eq!(sign(&other, ID, AT, BODY), STANDARD_OTHER_KEY);

    let event = at(secret(), AT)
        .verify(&standard_headers(ID, "1764547200", STANDARD), BODY)
        .unwrap();
    assert_eq!(event.scheme(), Scheme::StandardWebhooks);
    assert_eq!(event.id(), Some(ID));
    assert_eq!(event.envelope().event_type(), "participant.removed");
    // Without padding, the same signature.
    at(secret(), AT)
        .verify(
            &standard_headers(ID, "1764547200", STANDARD.trim_end_matches('=')),
            BODY,
        )
        .unwrap();
}

#[test]
fn deprecated_signatures_match_independent_vectors() {
    assert_eq!(sign_deprecated(&deprecated_secret(), AT, BODY), DEPRECATED);
    assert_eq!(
        sign_deprecated(&deprecated_secret(), AT, b""),
        DEPRECATED_EMPTY_BODY
    );
    let other = WebhookSecret::new("whsec_b3RoZXI=").unwrap();
    assert_eq!(sign_deprecated(&other, AT, BODY), DEPRECATED_OTHER_SECRET);
    // The key is the secret's text, `whsec_` included, not the decoded bytes.
    assert_eq!(sign_deprecated(&secret(), AT, BODY), DEPRECATED_WITH_SECRET);

    let verifier = at(deprecated_secret(), AT);
    let event = verifier
        .verify(&deprecated_headers(DEPRECATED, "1764547200"), BODY)
        .unwrap();
    assert_eq!(event.scheme(), Scheme::XWebhook);
    // No webhook-id: the body's event_id is the delivery's id.
    assert_eq!(event.id(), Some(ID));
    // Upper-case hex and a `sha256=` prefix are the same signature.
    verifier
        .verify(
            &deprecated_headers(&DEPRECATED.to_uppercase(), "1764547200"),
            BODY,
        )
        .unwrap();
    verifier
        .verify(
            &deprecated_headers(&format!("sha256={DEPRECATED}"), "1764547200"),
            BODY,
        )
        .unwrap();
}

#[test]
fn the_reference_library_and_this_crate_verify_each_other() {
    // Signed by the reference library; verified here.
    let event = at(secret(), REFERENCE_AT)
        .verify(
            &standard_headers(REFERENCE_ID, "1767225600", REFERENCE_SIGNED),
            REFERENCE_BODY.as_bytes(),
        )
        .unwrap();
    assert_eq!(event.id(), Some(REFERENCE_ID));
    let EventKind::ParticipantAdded(added) = event.kind() else {
        panic!("{event:?}")
    };
    assert_eq!(added.chat_id(), Some("chat_Zoë"));
    assert_eq!(added.parsed_chat_id(), None);
    assert_eq!(added.handle(), Some("zoe@example.com"));
    // Signed here; the reference library verified exactly this value.
    assert_eq!(
        sign(&secret(), OURS_ID, OURS_AT, OURS_BODY.as_bytes()),
        OURS
    );
}

#[test]
fn any_v1_signature_among_several_is_accepted() {
    let verify = |signature: &str| {
        at(secret(), AT).verify(&standard_headers(ID, "1764547200", signature), BODY)
    };
    let right = STANDARD;
    let wrong_key = STANDARD_OTHER_KEY;
    let as_v2 = STANDARD.replacen("v1,", "v2,", 1);
    // The wrong key's signature first, then the right one (a key rotation).
    assert!(verify(&format!("{wrong_key} {right}")).is_ok());
    assert!(verify(&format!("{right} {wrong_key}")).is_ok());
    // Another version is ignored, even carrying the right bytes.
    assert!(verify(&format!("{as_v2} {right}")).is_ok());
    assert_eq!(verify(&as_v2), Err(VerifyError::NoV1Signature));
    assert_eq!(
        verify(&format!("{as_v2} {wrong_key}")),
        Err(VerifyError::SignatureMismatch)
    );
    // Junk entries are skipped, whatever they are.
    let junk = "v1, v1,not-base64!! v1,AAAA v1 ,x garbage v1,3UzrYdpHlYwR7w5r2eE0L2jX1FNT383TNMnxg3cwcu0=AAAA";
    assert_eq!(verify(junk), Err(VerifyError::SignatureMismatch));
    assert!(verify(&format!("{junk} {right}")).is_ok());
    // Any whitespace between entries, and entries over several header lines.
    assert!(verify(&format!("  {wrong_key}\t {right} ")).is_ok());
    let mut split = standard_headers(ID, "1764547200", wrong_key);
    split.append("webhook-signature", HeaderValue::from_static(STANDARD));
    assert!(at(secret(), AT).verify(&split, BODY).is_ok());
    assert_eq!(verify(""), Err(VerifyError::NoV1Signature));
}

#[test]
fn malformed_whsec_secrets_are_refused_with_a_typed_error() {
    assert_eq!(
        WebhookSecret::new("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=").unwrap_err(),
        SecretError::MissingPrefix
    );
    assert_eq!(
        WebhookSecret::new("whsec_AAECAwQF$BgcI").unwrap_err(),
        SecretError::NotBase64
    );
    assert_eq!(
        WebhookSecret::new("whsec_").unwrap_err(),
        SecretError::Empty
    );
    assert_eq!(WebhookSecret::new(" ").unwrap_err(), SecretError::Empty);
    let error = WebhookSecret::new("whsec_AAECAwQF$BgcI").unwrap_err();
    assert!(
        !format!("{error} {error:?}").contains("AAECAwQF"),
        "{error}"
    );
}

#[test]
fn standard_refusals_say_what_is_wrong() {
    let verify = |headers: &HeaderMap, body: &[u8]| at(secret(), AT).verify(headers, body);
    let good = standard_headers(ID, "1764547200", STANDARD);
    assert!(verify(&good, BODY).is_ok());
    for missing in ["webhook-id", "webhook-timestamp", "webhook-signature"] {
        let mut headers = good.clone();
        headers.remove(missing);
        assert_eq!(
            verify(&headers, BODY),
            Err(VerifyError::MissingHeader(missing))
        );
    }
    for timestamp in [
        "yesterday",
        "-1",
        "+1764547200",
        "1764547200.0",
        "99999999999999999999999",
    ] {
        assert!(
            matches!(
                verify(&standard_headers(ID, timestamp, STANDARD), BODY),
                Err(VerifyError::TimestampNotANumber {
                    header: "webhook-timestamp",
                    ..
                })
            ),
            "{timestamp}"
        );
    }
    // The id and the timestamp are signed: another one breaks the signature.
    assert_eq!(
        verify(
            &standard_headers("another-id", "1764547200", STANDARD),
            BODY
        ),
        Err(VerifyError::SignatureMismatch)
    );
    assert_eq!(
        verify(&standard_headers(ID, "1764547201", STANDARD), BODY),
        Err(VerifyError::SignatureMismatch)
    );
    let mut tampered = BODY.to_vec();
    let at_digit = tampered.iter().position(|&b| b == b'3').unwrap();
    tampered[at_digit] = b'4';
    assert_eq!(
        verify(&good, &tampered),
        Err(VerifyError::SignatureMismatch)
    );
    let wrong = WebhookSecret::new(OTHER_SECRET).unwrap();
    assert_eq!(
        Verifier::new(wrong)
            .clock(|| UNIX_EPOCH + Duration::from_secs(AT))
            .verify(&good, BODY),
        Err(VerifyError::SignatureMismatch)
    );
    assert_eq!(verify(&HeaderMap::new(), BODY), Err(VerifyError::NotSigned));
    window_is_five_minutes_either_way(secret(), &good);

    // No error, and no Debug, ever shows the secret.
    let error = verify(
        &standard_headers(ID, "1764547200", STANDARD_OTHER_KEY),
        BODY,
    )
    .unwrap_err();
    assert!(!format!("{error} {error:?} {:?}", at(secret(), AT)).contains("AAECAwQF"));
}

#[test]
fn deprecated_refusals_say_what_is_wrong() {
    let verify =
        |headers: &HeaderMap, body: &[u8]| at(deprecated_secret(), AT).verify(headers, body);
    let mut no_signature = deprecated_headers(DEPRECATED, "1764547200");
    no_signature.remove("x-webhook-signature");
    assert_eq!(
        verify(&no_signature, BODY),
        Err(VerifyError::MissingHeader("X-Webhook-Signature"))
    );
    let mut no_timestamp = deprecated_headers(DEPRECATED, "1764547200");
    no_timestamp.remove("x-webhook-timestamp");
    assert_eq!(
        verify(&no_timestamp, BODY),
        Err(VerifyError::MissingHeader("X-Webhook-Timestamp"))
    );
    assert_eq!(
        verify(&deprecated_headers("not hex!", "1764547200"), BODY),
        Err(VerifyError::SignatureNotHex)
    );
    assert!(matches!(
        verify(&deprecated_headers(&DEPRECATED[..62], "1764547200"), BODY),
        Err(VerifyError::SignatureLength { hex_digits: 62, .. })
    ));
    assert_eq!(
        verify(
            &deprecated_headers(DEPRECATED_OTHER_SECRET, "1764547200"),
            BODY
        ),
        Err(VerifyError::SignatureMismatch)
    );
    assert!(matches!(
        verify(&deprecated_headers(DEPRECATED, "yesterday"), BODY),
        Err(VerifyError::TimestampNotANumber {
            header: "X-Webhook-Timestamp",
            ..
        })
    ));
    assert_eq!(
        verify(&deprecated_headers(DEPRECATED, "1764547201"), BODY),
        Err(VerifyError::SignatureMismatch)
    );
    let mut tampered = BODY.to_vec();
    let at_digit = tampered.iter().position(|&b| b == b'3').unwrap();
    tampered[at_digit] = b'4';
    assert_eq!(
        verify(&deprecated_headers(DEPRECATED, "1764547200"), &tampered),
        Err(VerifyError::SignatureMismatch)
    );
    window_is_five_minutes_either_way(
        deprecated_secret(),
        &deprecated_headers(DEPRECATED, "1764547200"),
    );
    let error = verify(
        &deprecated_headers(DEPRECATED_OTHER_SECRET, "1764547200"),
        BODY,
    )
    .unwrap_err();
    assert!(!format!("{error} {error:?}").contains("whsec_test"));
    assert!(!format!("{:?}", at(deprecated_secret(), AT)).contains("whsec_test"));
}

/// Signed at AT: accepted from five minutes before to five minutes after,
/// not a second more; far-off clocks and timestamps do not overflow.
fn window_is_five_minutes_either_way(secret: WebhookSecret, headers: &HeaderMap) {
    let five = 300;
    assert!(at(secret.clone(), AT + five).verify(headers, BODY).is_ok());
    assert!(matches!(
        at(secret.clone(), AT + five + 1).verify(headers, BODY),
        Err(VerifyError::TimestampTooOld { age, .. }) if age == Duration::from_secs(301)
    ));
    assert!(at(secret.clone(), AT - five).verify(headers, BODY).is_ok());
    assert!(matches!(
        at(secret.clone(), AT - five - 1).verify(headers, BODY),
        Err(VerifyError::TimestampInFuture { ahead, .. }) if ahead == Duration::from_secs(301)
    ));
    assert!(matches!(
        at(secret.clone(), i64::MAX as u64 / 2).verify(headers, BODY),
        Err(VerifyError::TimestampTooOld { .. })
    ));
    assert!(matches!(
        at(secret.clone(), 0).verify(headers, BODY),
        Err(VerifyError::TimestampInFuture { .. })
    ));
    let custom = at(secret, AT + 61).tolerance(Duration::from_secs(60));
    assert!(matches!(
        custom.verify(headers, BODY),
        Err(VerifyError::TimestampTooOld { .. })
    ));
}

#[test]
fn standard_headers_first_and_either_signature_authenticates() {
    // Both sets, both right (what Linq sends): Standard Webhooks verifies.
    let mut both = standard_headers(ID, "1764547200", STANDARD);
    both.extend(deprecated_headers(DEPRECATED_WITH_SECRET, "1764547200"));
    let event = at(secret(), AT).verify(&both, BODY).unwrap();
    assert_eq!(event.scheme(), Scheme::StandardWebhooks);
    // The Standard Webhooks signature wrong, the deprecated one right: the
    // delivery is authentic by the deprecated one.
    let mut wrong = standard_headers(ID, "1764547200", STANDARD_OTHER_KEY);
    wrong.extend(deprecated_headers(DEPRECATED_WITH_SECRET, "1764547200"));
    let event = at(secret(), AT).verify(&wrong, BODY).unwrap();
    assert_eq!(event.scheme(), Scheme::XWebhook);
    // A Standard Webhooks set cut short, the deprecated one right: the same.
    let mut partial = deprecated_headers(DEPRECATED_WITH_SECRET, "1764547200");
    partial.insert("webhook-id", HeaderValue::from_static(ID));
    let event = at(secret(), AT).verify(&partial, BODY).unwrap();
    assert_eq!(event.scheme(), Scheme::XWebhook);
    // Both wrong: the Standard Webhooks error says why.
    let mut forged = standard_headers(ID, "1764547200", STANDARD_OTHER_KEY);
    forged.extend(deprecated_headers(&"0".repeat(64), "1764547200"));
    assert_eq!(
        at(secret(), AT).verify(&forged, BODY),
        Err(VerifyError::SignatureMismatch)
    );
    // A Standard Webhooks set cut short and a wrong deprecated signature:
    // the deprecated error, the one that says something.
    partial.insert(
        "x-webhook-signature",
        HeaderValue::from_str(&"0".repeat(64)).unwrap(),
    );
    assert_eq!(
        at(secret(), AT).verify(&partial, BODY),
        Err(VerifyError::SignatureMismatch)
    );
    // Only the deprecated set: it is used.
    let event = at(secret(), AT)
        .verify(
            &deprecated_headers(DEPRECATED_WITH_SECRET, "1764547200"),
            BODY,
        )
        .unwrap();
    assert_eq!(event.scheme(), Scheme::XWebhook);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Whatever the body, the key and the id, what the signer signs the
    /// verifier accepts (as an event, typed or not), with either scheme;
    /// one changed byte is refused.
    #[test]
    fn sign_then_verify_round_trips(
        body in proptest::collection::vec(any::<u8>(), 0..512),
        key in proptest::collection::vec(any::<u8>(), 1..64),
        id in "[!-~]{1,40}",
        flip in any::<prop::sample::Index>(),
    ) {
        use base64::Engine as _;
        let secret = WebhookSecret::new(format!(
            "whsec_{}",
            base64::engine::general_purpose::STANDARD.encode(&key)
        )).unwrap();
        let verifier = at(secret.clone(), AT);
        let mut standard = signed_headers(&secret, &id, AT, "x", &body);
        let mut deprecated = standard.clone();
        for name in ["webhook-id", "webhook-timestamp", "webhook-signature"] {
            deprecated.remove(name);
        }
        for name in ["x-webhook-signature", "x-webhook-timestamp"] {
            standard.remove(name);
        }
        for (scheme, headers) in [(Scheme::StandardWebhooks, &standard), (Scheme::XWebhook, &deprecated)] {
            let event = verifier.verify(headers, &body);
            prop_assert_eq!(event.map(|e| e.scheme()), Ok(scheme));
            if !body.is_empty() {
                let mut changed = body.clone();
                let at = flip.index(changed.len());
                changed[at] ^= 0x01;
                prop_assert_eq!(verifier.verify(headers, &changed), Err(VerifyError::SignatureMismatch));
            }
        }
    }

    /// The Standard Webhooks crate and this one agree both ways, on any
    /// UTF-8 body (the crate signs text only) and any id.
    #[test]
    fn the_standardwebhooks_crate_agrees(
        body in "\\PC{0,200}",
        key in proptest::collection::vec(any::<u8>(), 1..64),
        id in "[!-~]{1,40}",
    ) {
        use base64::Engine as _;
        let text = format!("whsec_{}", base64::engine::general_purpose::STANDARD.encode(&key));
        let ours = WebhookSecret::new(&text).unwrap();
        let theirs = standardwebhooks::Webhook::new(&text).unwrap();
        let now = now();
        let timestamp = i64::try_from(now).unwrap();
        let their_signature = theirs.sign(&id, timestamp, body.as_bytes()).unwrap();
        prop_assert_eq!(&their_signature, &sign(&ours, &id, now, body.as_bytes()));
        let headers = signed_headers(&ours, &id, now, "x", body.as_bytes());
        prop_assert!(theirs.verify(body.as_bytes(), &headers).is_ok());
        let headers = standard_headers(&id, &now.to_string(), &their_signature);
        prop_assert!(Verifier::new(ours).verify(&headers, body.as_bytes()).is_ok());
    }
}

/// Verifies `body` as freshly signed, without `X-Webhook-Event`, and gives
/// the event. Each body gets its own delivery id.
fn decoded(body: &str) -> Event {
    let now = now();
    let id = format!(
        "delivery-{}-{}",
        body.len(),
        body.bytes().map(u64::from).sum::<u64>()
    );
    let mut headers = signed_headers(&secret(), &id, now, "", body.as_bytes());
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
        "data":{"handle":"+12052499136","chat_id":"550e8400-e29b-41d4-a716-446655440000","participant":{"handle":"+12052499136","nickname":"new","line_type":"mobile"},"extra":true}}"#;
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
    assert_eq!(added.handle(), Some("+12052499136"));
    assert_eq!(added.unknown_fields()["extra"], true);
    let participant = added.participant().unwrap();
    assert_eq!(participant.unknown_fields()["line_type"], "mobile");
}

#[test]
fn participant_events_decode_leniently() {
    // No handle anywhere, a chat id that is not a UUID, a new service and
    // status: still a participant event.
    let body = r#"{"event_type":"participant.removed","event_id":"7b2a1f4e-0c3d-4e5f-8a9b-1c2d3e4f5a6b",
        "data":{"chat_id":"chat_123","participant":{"service":"WhatsApp","status":"banned"}}}"#;
    let EventKind::ParticipantRemoved(removed) = decoded(body).kind().clone() else {
        panic!("a removal")
    };
    assert_eq!(removed.chat_id(), Some("chat_123"));
    assert_eq!(removed.parsed_chat_id(), None);
    assert_eq!(removed.handle(), None);
    let participant = removed.participant().unwrap();
    // Values Linq adds later are kept, opaque.
    assert!(matches!(
        participant.service(),
        Some(linq_partner::Service::Other(_))
    ));
    assert_eq!(
        (
            participant.service().map(|s| s.as_str()),
            participant.status().map(|s| s.as_str())
        ),
        (Some("WhatsApp"), Some("banned"))
    );
    // The participant's handle wins over the deprecated top-level one.
    let body = r#"{"event_type":"participant.added","event_id":"7b2a1f4e-0c3d-4e5f-8a9b-1c2d3e4f5a6b",
        "data":{"handle":"+1","participant":{"handle":"+2"},"added_at":null}}"#;
    let EventKind::ParticipantAdded(added) = decoded(body).kind().clone() else {
        panic!("an addition")
    };
    assert_eq!(added.handle(), Some("+2"));
    assert_eq!(added.at(), None);
}

/// Authentic bodies this version cannot type are events, never errors:
/// their type and JSON are kept, and the reason is given.
#[test]
fn authentic_bodies_that_do_not_fit_are_other_events() {
    let cases: [(&str, &str, &str); 8] = [
        ("<html>", "", "the body is not JSON"),
        ("[1,2]", "", "the body is not a webhook envelope"),
        (
            r#"{"event_type":"participant.added","event_id":"not-a-uuid","data":{}}"#,
            "participant.added",
            "envelope",
        ),
        (
            r#"{"event_type":"participant.added","event_id":"6a1f0f3e-9a7b-4c55-9e2b-2f0c3d4e5f60","created_at":"yesterday"}"#,
            "participant.added",
            "envelope",
        ),
        (
            r#"{"event_type":"participant.added","event_id":"6a1f0f3e-9a7b-4c55-9e2b-2f0c3d4e5f60"}"#,
            "participant.added",
            "data: not an object",
        ),
        (
            r#"{"event_type":"participant.added","event_id":"6a1f0f3e-9a7b-4c55-9e2b-2f0c3d4e5f60","data":{"participant":"x"}}"#,
            "participant.added",
            "data",
        ),
        (
            r#"{"event_type":"participant.removed","event_id":"6a1f0f3e-9a7b-4c55-9e2b-2f0c3d4e5f60","data":{"removed_at":"soon"}}"#,
            "participant.removed",
            "removed_at",
        ),
        (
            r#"{"event_type":"participant.removed","event_id":"6a1f0f3e-9a7b-4c55-9e2b-2f0c3d4e5f60","data":{"handle":12052499136}}"#,
            "participant.removed",
            "data",
        ),
    ];
    for (body, event_type, problem) in cases {
        let event = decoded(body);
        let EventKind::Other(other) = event.kind() else {
            panic!("{body}: {event:?}")
        };
        assert_eq!(other.event_type(), event_type, "{body}");
        assert_eq!(event.envelope().event_type(), event_type, "{body}");
        let why = other
            .problem()
            .unwrap_or_else(|| panic!("{body}: no reason"));
        assert!(why.contains(problem), "{body}: {why}");
        match serde_json::from_str::<serde_json::Value>(body) {
            Ok(json) => assert_eq!(other.body(), &json, "{body}"),
            Err(_) => assert!(other.body().is_null()),
        }
    }
    // A type this version does not know: no problem, just not typed.
    let event = decoded(
        r#"{"event_type":"message.sent","event_id":"9d4c3b6a-2e5f-4a7b-8c1d-3e4f5a6b7c8d","data":{"text":"hi"}}"#,
    );
    let EventKind::Other(other) = event.kind() else {
        panic!("{event:?}")
    };
    assert_eq!(
        (other.event_type(), other.problem()),
        ("message.sent", None)
    );
    assert_eq!(other.data()["text"], "hi");

    // With the deprecated headers, X-Webhook-Event names a body that does
    // not; a disagreeing header does not refuse the delivery (it is not
    // signed): the body's type wins.
    let secret = secret();
    let mut headers = signed_headers(&secret, "d", now(), "message.failed", b"oops");
    headers.remove("webhook-signature");
    headers.remove("webhook-id");
    headers.remove("webhook-timestamp");
    let event = Verifier::new(secret.clone())
        .verify(&headers, b"oops")
        .unwrap();
    assert_eq!(event.envelope().event_type(), "message.failed");
    assert_eq!(event.id(), None);
    let headers = signed_headers(&secret, "d", now(), "participant.added", BODY);
    let event = Verifier::new(secret).verify(&headers, BODY).unwrap();
    assert_eq!(event.envelope().event_type(), "participant.removed");
    // A reason is escaped and cut short.
    let hostile = format!(
        r#"{{"event_type":"participant.added","event_id":"6a1f0f3e-9a7b-4c55-9e2b-2f0c3d4e5f60","data":{{"added_at":"\u001b[31m{}"}}}}"#,
        "x".repeat(5000)
    );
    let event = decoded(&hostile);
    let EventKind::Other(other) = event.kind() else {
        panic!()
    };
    let why = other.problem().unwrap();
    assert!(
        why.chars().count() < 400 && !why.chars().any(char::is_control),
        "{why}"
    );
}

#[cfg(feature = "schemars")]
#[test]
fn event_schemas() {
    insta::assert_json_snapshot!("webhook_event", schemars::schema_for!(Event));
}

fn removal_event(id: &str, handle: &str) -> Event {
    removal_event_with(id, uuid::Uuid::new_v4(), handle)
}

/// A removal event delivered with the `webhook-id` `id`, for the event
/// `event_id`.
fn removal_event_with(id: &str, event_id: uuid::Uuid, handle: &str) -> Event {
    let body = format!(
        r#"{{"event_type":"participant.removed","event_id":"{event_id}","data":{{"chat_id":"550e8400-e29b-41d4-a716-446655440000","handle":"{handle}"}}}}"#
    );
    let mut headers = signed_headers(&secret(), id, now(), "", body.as_bytes());
    headers.remove("x-webhook-event");
    Verifier::new(secret())
        .verify(&headers, body.as_bytes())
        .unwrap()
}

#[tokio::test]
async fn confirmations_match_keep_early_events_and_drop_duplicates() {
    let confirmations = Confirmations::new();
    let chat = "550e8400-e29b-41d4-a716-446655440000";

    // Waiting first. Duplicates are recognised by the delivery's id.
    let change = |added: bool, handle: &str| {
        let (chat, handle) = (chat.parse().unwrap(), handle.parse().unwrap());
        if added {
            ParticipantChange::addition(chat, handle)
        } else {
            ParticipantChange::removal(chat, handle)
        }
    };
    let expected = confirmations
        .expect(&change(false, "+12052499136"))
        .await
        .unwrap();
    let event = removal_event("msg_1", "+12052499136");
    assert_eq!(
        confirmations.feed(&event).await.unwrap(),
        FeedOutcome::Delivered
    );
    assert_eq!(
        confirmations.feed(&event).await.unwrap(),
        FeedOutcome::Duplicate
    );
    assert_eq!(expected.wait(Duration::from_secs(5)).await.unwrap(), event);
    // The same event under another delivery id (verified by the other
    // scheme, say) is recognised by the event id its body carries.
    let event_id = event.envelope().event_id().unwrap();
    let again = removal_event_with("msg_other", event_id, "+12052499136");
    assert_eq!(
        confirmations.feed(&again).await.unwrap(),
        FeedOutcome::Duplicate
    );

    // The event first: kept for a wait on a change sent before it arrived,
    // and never for a change registered after it.
    let sent_at = std::time::Instant::now();
    let early = removal_event("msg_2", "+442071234567");
    assert_eq!(confirmations.feed(&early).await.unwrap(), FeedOutcome::Kept);
    let later = confirmations
        .expect(&change(false, "+442071234567"))
        .await
        .unwrap()
        .wait(Duration::from_millis(10))
        .await;
    assert!(later.is_err(), "{later:?}");
    let got = confirmations
        .expect_sent(&change(false, "+442071234567"), sent_at)
        .await
        .unwrap()
        .wait(Duration::from_millis(10))
        .await
        .unwrap();
    assert_eq!(got, early);

    // Another change's event does not confirm this one, and an addition is
    // not a removal.
    let other = removal_event("msg_3", "+13125550111");
    confirmations.feed(&other).await.unwrap();
    let sent_at = std::time::Instant::now() - Duration::from_secs(1);
    let error = confirmations
        .expect_sent(&change(true, "+13125550111"), sent_at)
        .await
        .unwrap()
        .wait(Duration::from_millis(20))
        .await
        .unwrap_err();
    assert!(
        matches!(error.kind(), linq_partner::ErrorKind::NotConfirmed(_)),
        "{error:?}"
    );

    // Events that confirm nothing: another type, no handle, a chat id that
    // is not a UUID.
    for body in [
        r#"{"event_type":"message.sent","event_id":"9d4c3b6a-2e5f-4a7b-8c1d-3e4f5a6b7c8d","data":{}}"#,
        r#"{"event_type":"participant.removed","data":{"chat_id":"550e8400-e29b-41d4-a716-446655440000"}}"#,
        r#"{"event_type":"participant.removed","data":{"chat_id":"chat_1","handle":"+12052499136"}}"#,
    ] {
        assert_eq!(
            confirmations.feed(&decoded(body)).await.unwrap(),
            FeedOutcome::Ignored,
            "{body}"
        );
    }
}

#[tokio::test]
async fn an_accepted_change_whose_answer_cannot_be_read_is_confirmed_by_its_event() {
    use wiremock::{Mock, MockServer, ResponseTemplate, matchers::any};
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(202).set_body_string(r#"{"status":"acce"#))
        .mount(&server)
        .await;
    let client = linq_partner::Client::builder()
        .api_key("test-token")
        .base_url(server.uri())
        .build()
        .unwrap();
    let confirmations = Confirmations::new();
    let event = removal_event("msg_unread", "+12052499136");
    let feeder = {
        let confirmations = confirmations.clone();
        async move {
            tokio::time::sleep(Duration::from_millis(50)).await;
            confirmations.feed(&event).await.unwrap()
        }
    };
    let (confirmed, fed) = tokio::join!(
        client
            .chats()
            .participants()
            .remove("550e8400-e29b-41d4-a716-446655440000", "+12052499136")
            .confirmed_by(&confirmations, Duration::from_secs(5)),
        feeder
    );
    assert_eq!(fed, FeedOutcome::Delivered);
    let confirmed = confirmed.unwrap();
    assert_eq!(
        confirmed.by().envelope().event_type(),
        "participant.removed"
    );
    assert!(confirmed.queued().is_none(), "the answer could not be read");
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

/// A removal event for `handle` in the test chat, from a delivery `id`,
/// with `data` fields added (`removed_at`, `participant`).
fn removal_event_with_data(id: &str, handle: &str, extra: &str) -> Event {
    let body = format!(
        r#"{{"event_type":"participant.removed","event_id":"{}","data":{{"chat_id":"550e8400-e29b-41d4-a716-446655440000","handle":"{handle}"{extra}}}}}"#,
        uuid::Uuid::new_v4()
    );
    let headers = signed_headers(&secret(), id, now(), "", body.as_bytes());
    Verifier::new(secret())
        .verify(&headers, body.as_bytes())
        .unwrap()
}

/// The time `before` now, as Linq writes it.
fn ago(before: Duration) -> String {
    linq_partner::chrono::DateTime::<linq_partner::chrono::Utc>::from(SystemTime::now() - before)
        .to_rfc3339()
}

fn removal_of(handle: &str) -> ParticipantChange {
    ParticipantChange::removal(
        "550e8400-e29b-41d4-a716-446655440000".parse().unwrap(),
        handle.parse().unwrap(),
    )
}

#[tokio::test]
async fn a_late_redelivery_of_an_old_event_confirms_nothing_new() {
    let confirmations = Confirmations::new();
    let expected = confirmations
        .expect(&removal_of("+12052499136"))
        .await
        .unwrap();
    // Linq retried this delivery for 20 minutes: it is the removal of an
    // earlier change, applied long before this one was sent.
    let old = ago(Duration::from_secs(20 * 60));
    let late =
        removal_event_with_data("late", "+12052499136", &format!(r#","removed_at":"{old}""#));
    assert_eq!(confirmations.feed(&late).await.unwrap(), FeedOutcome::Kept);
    let error = expected.wait(Duration::from_millis(50)).await.unwrap_err();
    assert!(matches!(
        error.kind(),
        linq_partner::ErrorKind::NotConfirmed(_)
    ));

    // Within the clock-skew allowance it does confirm.
    let expected = confirmations
        .expect(&removal_of("+12052499136"))
        .await
        .unwrap();
    let recent = ago(Duration::from_secs(30));
    let fresh = removal_event_with_data(
        "fresh",
        "+12052499136",
        &format!(r#","removed_at":"{recent}""#),
    );
    assert_eq!(
        confirmations.feed(&fresh).await.unwrap(),
        FeedOutcome::Delivered
    );
    assert_eq!(expected.wait(Duration::from_secs(1)).await.unwrap(), fresh);
}

#[tokio::test]
async fn the_partner_leaving_a_chat_confirms_no_ones_removal() {
    let confirmations = Confirmations::new();
    let me = "+13125550100";
    let expected = confirmations.expect(&removal_of(me)).await.unwrap();
    let left = removal_event_with_data(
        "leave",
        me,
        &format!(r#","participant":{{"handle":"{me}","status":"removed","is_me":true}}"#),
    );
    assert_eq!(
        confirmations.feed(&left).await.unwrap(),
        FeedOutcome::Ignored
    );
    assert!(expected.wait(Duration::from_millis(50)).await.is_err());
}
