//! Parsing never panics, and accepts exactly what the rules say.

use linq_partner::{ChatId, Handle, HandleKind, error::HandleProblem};
use proptest::prelude::*;

/// A UUID written as hyphenated, simple, braced or URN text, in either case.
fn uuid_forms() -> impl Strategy<Value = String> {
    (any::<[u8; 16]>(), 0..4u8, any::<bool>()).prop_map(|(bytes, form, upper)| {
        let uuid = uuid::Uuid::from_bytes(bytes);
        let text = match form {
            0 => uuid.hyphenated().to_string(),
            1 => uuid.simple().to_string(),
            2 => uuid.braced().to_string(),
            _ => return uuid.urn().to_string(),
        };
        if upper { text.to_uppercase() } else { text }
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(5000))]

    #[test]
    fn any_string_parses_or_explains(input in "\\PC{0,80}|[+0-9 ()@.-]{0,20}") {
        match input.parse::<Handle>() {
            Ok(handle) => {
                prop_assert_eq!(handle.as_str(), input.as_str());
                prop_assert_eq!(handle.to_string(), input.clone());
            }
            Err(error) => prop_assert!(error.to_string().starts_with("invalid handle")),
        }
    }

    /// Half the inputs are UUIDs in one of the forms `uuid` reads, so both
    /// outcomes are exercised.
    #[test]
    fn chat_ids_parse_or_explain(input in prop_oneof!["\\PC{0,80}", uuid_forms()]) {
        match input.parse::<ChatId>() {
            Ok(chat) => {
                let uuid = uuid::Uuid::try_parse(&input).unwrap();
                prop_assert_eq!(chat.as_uuid(), &uuid);
                prop_assert_eq!(chat.to_string(), uuid.hyphenated().to_string());
            }
            Err(error) => {
                prop_assert!(uuid::Uuid::try_parse(&input).is_err());
                prop_assert!(error.to_string().starts_with("invalid chat id"));
            }
        }
    }

    #[test]
    fn e164_numbers_are_accepted(first in 1u8..=9, rest in "[0-9]{1,14}") {
        let number = format!("+{first}{rest}");
        let handle: Handle = number.parse().unwrap();
        prop_assert_eq!(handle.kind(), HandleKind::Phone);
    }

    #[test]
    fn too_many_digits_are_refused(digits in "[1-9][0-9]{15,30}") {
        let number = format!("+{digits}");
        prop_assert!(number.parse::<Handle>().is_err());
    }

    #[test]
    fn any_punctuation_in_a_number_is_refused(before in "[1-9][0-9]{0,6}", mark in "[ ()./-]", after in "[0-9]{1,6}") {
        let number = format!("+{before}{mark}{after}");
        prop_assert!(number.parse::<Handle>().is_err());
    }

    #[test]
    fn plain_emails_are_accepted(local in "[a-z0-9][a-z0-9._+-]{0,20}[a-z0-9]", domain in "[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?", tld in "[a-z]{2,6}") {
        prop_assume!(!local.contains(".."));
        let address = format!("{local}@{domain}.{tld}");
        let handle: Handle = address.parse().unwrap();
        prop_assert_eq!(handle.kind(), HandleKind::Email);
    }

    #[test]
    fn uuids_round_trip(bytes in any::<[u8; 16]>()) {
        let uuid = uuid::Uuid::from_bytes(bytes);
        let chat: ChatId = uuid.to_string().parse().unwrap();
        prop_assert_eq!(chat.as_uuid(), &uuid);
    }
}

// The rules, case by case.

#[test]
fn handles_survive_a_serde_round_trip() {
    for handle in [
        "+12052499136".parse::<Handle>().unwrap(),
        "user@example.com".parse().unwrap(),
        Handle::unchecked("tel:+12052499136"),
        Handle::unchecked("+12052499136"),
    ] {
        let json = serde_json::to_string(&handle).unwrap();
        let back: Handle = serde_json::from_str(&json).unwrap();
        assert_eq!(
            (back.as_str(), back.kind()),
            (handle.as_str(), handle.kind()),
            "{json}"
        );
    }
    assert_eq!(
        serde_json::to_string(&Handle::unchecked("tel:1")).unwrap(),
        r#"{"unchecked":"tel:1"}"#
    );
    // Plain text is still checked when read.
    assert!(serde_json::from_str::<Handle>(r#""not a handle""#).is_err());
    assert!(serde_json::from_str::<Handle>("17").is_err());
}

fn problem(input: &str) -> HandleProblem {
    input.parse::<Handle>().unwrap_err().problem().clone()
}

#[test]
fn phones() {
    assert_eq!(
        "+12052499136".parse::<Handle>().unwrap().kind(),
        HandleKind::Phone
    );
    assert_eq!(
        "+442071234567".parse::<Handle>().unwrap().kind(),
        HandleKind::Phone
    );
    assert!("+12".parse::<Handle>().is_ok());
    assert!("+123456789012345".parse::<Handle>().is_ok());
    assert!(matches!(
        problem("+1"),
        HandleProblem::PhoneLength { digits: 1, .. }
    ));
    assert!(matches!(
        problem("+"),
        HandleProblem::PhoneLength { digits: 0, .. }
    ));
    assert!(matches!(
        problem("+1234567890123456"),
        HandleProblem::PhoneLength { digits: 16, .. }
    ));
    assert_eq!(problem("+0123"), HandleProblem::PhoneLeadingZero);
    assert_eq!(problem("12052499136"), HandleProblem::MissingPlus);
    assert!(matches!(
        problem("+1 205"),
        HandleProblem::PhoneCharacter {
            found: ' ',
            position: 2,
            ..
        }
    ));
    assert!(matches!(
        problem("+1205-249"),
        HandleProblem::PhoneCharacter {
            found: '-',
            position: 5,
            ..
        }
    ));
    assert!(matches!(
        problem("+１２３"),
        HandleProblem::PhoneCharacter {
            found: '１',
            position: 1,
            ..
        }
    ));
}

#[test]
fn emails() {
    assert_eq!(
        "user@example.com".parse::<Handle>().unwrap().kind(),
        HandleKind::Email
    );
    assert!(
        "first.last+tag@mail.example.co.uk"
            .parse::<Handle>()
            .is_ok()
    );
    for bad in [
        "@example.com",
        "user@",
        "user@example",
        "user@@example.com",
        "a@b@example.com",
        "us er@example.com",
        ".user@example.com",
        "user@example..com",
        "user@-example.com",
        "user@exa_mple.com",
    ] {
        assert!(
            matches!(problem(bad), HandleProblem::Email { .. }),
            "{bad} should be refused as an email"
        );
    }
}

#[test]
fn other_inputs() {
    assert_eq!(problem(""), HandleProblem::Empty);
    assert_eq!(problem("alice"), HandleProblem::Unrecognised);
}

#[test]
fn long_inputs_are_cut_in_messages() {
    let long = "x".repeat(10_000);
    let message = long.parse::<Handle>().unwrap_err().to_string();
    assert!(message.len() < 300, "{message}");
}

#[test]
fn chat_ids() {
    let id: ChatId = "550e8400-e29b-41d4-a716-446655440000".parse().unwrap();
    assert_eq!(id.to_string(), "550e8400-e29b-41d4-a716-446655440000");
    let upper: ChatId = "550E8400-E29B-41D4-A716-446655440000".parse().unwrap();
    assert_eq!(upper, id);
    let message = "550e8400".parse::<ChatId>().unwrap_err().to_string();
    assert!(
        message.starts_with("invalid chat id \"550e8400\": expected a UUID"),
        "{message}"
    );
}
