//! What the server accepts as a handle, written from the rules Linq
//! documents (an E.164 phone number or an email address) and the standards
//! behind them, independently of the SDK's own check, so that the server
//! stays an independent witness of the SDK's behaviour.

/// The longest email address SMTP can carry (RFC 5321: a 256-character path
/// minus its angle brackets).
pub(crate) const MAX_EMAIL: usize = 254;
/// The longest local part (before `@`) RFC 5321 allows.
const MAX_LOCAL: usize = 64;
/// The longest domain label RFC 1035 allows.
const MAX_LABEL: usize = 63;

/// Why a handle is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum BadHandle {
    /// Not `+` and digits: the seed's 400/1002.
    NotE164,
    /// Looks like an email address but is not one; the reason says why.
    NotEmail(&'static str),
}

/// Checks a handle: `+` then 2 to 15 digits, the first not 0 (E.164); or an
/// ASCII email address whose local part is a dot-atom (RFC 5322) and whose
/// domain is dot-separated labels of letters, digits and inner hyphens,
/// within RFC 5321's lengths.
pub(crate) fn check_handle(handle: &str) -> Result<(), BadHandle> {
    if handle.contains('@') {
        return check_email(handle).map_err(BadHandle::NotEmail);
    }
    let digits = handle.strip_prefix('+').ok_or(BadHandle::NotE164)?;
    let valid = (2..=15).contains(&digits.len())
        && digits.bytes().all(|b| b.is_ascii_digit())
        && !digits.starts_with('0');
    if valid {
        Ok(())
    } else {
        Err(BadHandle::NotE164)
    }
}

fn check_email(address: &str) -> Result<(), &'static str> {
    if address.len() > MAX_EMAIL {
        return Err("an email address has at most 254 characters");
    }
    if !address.is_ascii() || address.bytes().any(|b| b.is_ascii_control() || b == b' ') {
        return Err("an email address is printable ASCII without spaces");
    }
    let (local, domain) = address
        .split_once('@')
        .ok_or("an email address needs '@'")?;
    if domain.contains('@') {
        return Err("an email address has one '@'");
    }
    if local.is_empty() || local.len() > MAX_LOCAL {
        return Err("the part before '@' has 1 to 64 characters");
    }
    let atext = |b: u8| b.is_ascii_alphanumeric() || b"!#$%&'*+-/=?^_`{|}~".contains(&b);
    if local
        .split('.')
        .any(|atom| atom.is_empty() || !atom.bytes().all(atext))
    {
        return Err(
            "the part before '@' has letters, digits and !#$%&'*+-/=?^_`{|}~, with single inner dots",
        );
    }
    let labels: Vec<&str> = domain.split('.').collect();
    if labels.len() < 2 {
        return Err("the domain needs a dot, as in example.com");
    }
    let label_ok = |label: &&str| {
        !label.is_empty()
            && label.len() <= MAX_LABEL
            && label
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && !label.starts_with('-')
            && !label.ends_with('-')
    };
    if !labels.iter().all(label_ok) {
        return Err("the domain has labels of 1 to 63 letters, digits and inner hyphens");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_numbers() {
        assert_eq!(check_handle("+12052499136"), Ok(()));
        assert_eq!(check_handle("+44"), Ok(()));
        for bad in [
            "+1 205",
            "+0123",
            "12052499136",
            "+",
            "+1",
            "+1234567890123456",
            "+12\u{0}3",
        ] {
            assert_eq!(check_handle(bad), Err(BadHandle::NotE164), "{bad:?}");
        }
    }

    #[test]
    fn email_addresses() {
        for good in ["user@example.com", "a.b+tag@mail.example.co.uk", "x@a-b.io"] {
            assert_eq!(check_handle(good), Ok(()), "{good}");
        }
        let long_local = format!("{}@example.com", "a".repeat(65));
        let long_total = format!("{}@{}.com", "a".repeat(64), "b.".repeat(100));
        for bad in [
            "user@example",
            "@example.com",
            "user@@example.com",
            "us er@example.com",
            "user\u{7}@example.com",
            "user\u{0}@example.com",
            "😀@example.com",
            "user@exa😀mple.com",
            ".user@example.com",
            "us..er@example.com",
            "user@-example.com",
            "user@example..com",
            long_local.as_str(),
            long_total.as_str(),
        ] {
            assert!(
                matches!(check_handle(bad), Err(BadHandle::NotEmail(_))),
                "{bad:?}"
            );
        }
    }
}
