//! Parsing never panics, and accepts exactly what the rules say.

use linq_partner::{ChatId, Handle, HandleKind};
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
