//! What a signature check concludes, shared by both schemes and the
//! verifier: which scheme verified a delivery, why one was refused, and how
//! a timestamp header reads.

use std::time::Duration;

use hmac::{
    Hmac, Mac,
    digest::{CtOutput, KeyInit},
};
use serde::Serialize;
use sha2::Sha256;

use crate::text::{SHORT_CHARS, shown_string};

/// Which signature a delivery was verified with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum Scheme {
    /// The Standard Webhooks headers (`webhook-id`, `webhook-timestamp`,
    /// `webhook-signature`), which Linq recommends.
    StandardWebhooks,
    /// The `X-Webhook-Signature` and `X-Webhook-Timestamp` headers, which
    /// Linq calls deprecated; used only when a delivery has no Standard
    /// Webhooks header.
    XWebhook,
}

/// A timestamp header: decimal digits only (no sign, no fraction), as both
/// schemes sign the header's text.
pub(crate) fn parse_timestamp(header: &'static str, text: &str) -> Result<u64, VerifyError> {
    let not_a_number = || VerifyError::TimestampNotANumber {
        header,
        value: shown_string(text, SHORT_CHARS),
    };
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(not_a_number());
    }
    text.parse().map_err(|_| not_a_number())
}

/// Why a delivery is not shown to come from Linq: answer 401. Nothing here
/// shows the secret; header values are escaped and cut short.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VerifyError {
    /// The delivery carries neither scheme's signature.
    #[error(
        "the delivery is not signed: it has neither webhook-signature (Standard Webhooks) nor X-Webhook-Signature"
    )]
    NotSigned,
    /// A header the scheme needs is missing, empty or not text.
    #[error("the delivery has no {0} header")]
    MissingHeader(&'static str),
    /// `webhook-signature` has no `v1,` entry (other versions are ignored).
    #[error("webhook-signature has no v1 signature")]
    NoV1Signature,
    /// `X-Webhook-Signature` is not hex.
    #[error("X-Webhook-Signature is not hex")]
    SignatureNotHex,
    /// `X-Webhook-Signature` has the wrong length for HMAC-SHA256.
    #[error("X-Webhook-Signature has {hex_digits} hex digits; an HMAC-SHA256 has 64")]
    #[non_exhaustive]
    SignatureLength {
        /// How many there were.
        hex_digits: usize,
    },
    /// No signature matches the body, the signed headers and the secret.
    #[error(
        "the signature does not match: the body, the timestamp, the id or the secret differs from what Linq signed"
    )]
    SignatureMismatch,
    /// A timestamp header is not a whole number of seconds.
    #[error("{header} \"{value}\" is not a Unix time in seconds")]
    #[non_exhaustive]
    TimestampNotANumber {
        /// The header.
        header: &'static str,
        /// Its value, escaped and cut short.
        value: String,
    },
    /// The delivery was signed longer ago than the tolerance: a replay, or a
    /// clock far off.
    #[error("the delivery was signed {age:?} ago, more than the {tolerance:?} allowed")]
    #[non_exhaustive]
    TimestampTooOld {
        /// How long ago.
        age: Duration,
        /// The tolerance.
        tolerance: Duration,
    },
    /// The delivery is signed for a time further ahead than the tolerance.
    #[error("the delivery is signed {ahead:?} in the future, more than the {tolerance:?} allowed")]
    #[non_exhaustive]
    TimestampInFuture {
        /// How far ahead.
        ahead: Duration,
        /// The tolerance.
        tolerance: Duration,
    },
}

/// HMAC-SHA256, as both schemes sign.
pub(crate) type HmacSha256 = Hmac<Sha256>;

/// The HMAC-SHA256 of `parts` in order, keyed with `key`. `CtOutput`
/// compares in constant time.
pub(crate) fn mac(key: &[u8], parts: &[&[u8]]) -> CtOutput<HmacSha256> {
    // HMAC takes keys of any length, so the fallback (an all-zero key) is
    // never taken; it stands in for a panic.
    let mut mac = <HmacSha256 as KeyInit>::new_from_slice(key)
        .unwrap_or_else(|_| <HmacSha256 as KeyInit>::new(&Default::default()));
    for part in parts {
        mac.update(part);
    }
    mac.finalize()
}
