//! The Standard Webhooks scheme, what Linq recommends: `webhook-id`,
//! `webhook-timestamp` and `webhook-signature` (space-separated
//! `v1,<base64>` entries), HMAC-SHA256 over `{id}.{timestamp}.{body}` keyed
//! with the decoded `whsec_` secret.

use base64::{Engine, engine::general_purpose::STANDARD_PAD_INDIFFERENT};
use hmac::digest::{CtOutput, Output};
use reqwest::header::HeaderMap;

use super::{
    secret::WebhookSecret,
    signed::{HmacSha256, VerifyError, parse_timestamp},
};

/// The header with the delivery's id: the same on every attempt to deliver
/// one event, so it is the key to drop repeated deliveries on.
pub const ID_HEADER: &str = "webhook-id";
/// The header with the Unix time, in seconds, the attempt was signed at.
pub const TIMESTAMP_HEADER: &str = "webhook-timestamp";
/// The header with the space-separated `v1,<base64>` signatures.
pub const SIGNATURE_HEADER: &str = "webhook-signature";

/// Whether the delivery carries any header of this scheme: then this scheme,
/// and only this one, decides.
pub(crate) fn present(headers: &HeaderMap) -> bool {
    [ID_HEADER, TIMESTAMP_HEADER, SIGNATURE_HEADER]
        .iter()
        .any(|name| headers.contains_key(*name))
}

/// The MAC of one delivery. `CtOutput` compares in constant time.
pub(crate) fn mac(
    secret: &WebhookSecret,
    id: &str,
    timestamp: &str,
    body: &[u8],
) -> CtOutput<HmacSha256> {
    super::signed::mac(
        secret.key(),
        &[id.as_bytes(), b".", timestamp.as_bytes(), b".", body],
    )
}

/// `v1,<base64>` for one delivery.
#[cfg(feature = "test-util")]
pub(crate) fn signature(secret: &WebhookSecret, id: &str, timestamp: &str, body: &[u8]) -> String {
    format!(
        "v1,{}",
        base64::engine::general_purpose::STANDARD
            .encode(mac(secret, id, timestamp, body).into_bytes())
    )
}

/// Checks the signature; gives the delivery's id and its timestamp.
pub(crate) fn check<'h>(
    secret: &WebhookSecret,
    headers: &'h HeaderMap,
    body: &[u8],
) -> Result<(&'h str, u64), VerifyError> {
    let header = |name: &'static str| {
        headers
            .get(name)
            .and_then(|value| value.to_str().ok())
            .map(str::trim)
            .filter(|value| !value.is_empty())
            .ok_or(VerifyError::MissingHeader(name))
    };
    let id = header(ID_HEADER)?;
    let timestamp = header(TIMESTAMP_HEADER)?;
    // The timestamp must be a number before anything is computed with it.
    let seconds = parse_timestamp(TIMESTAMP_HEADER, timestamp)?;
    if !headers.contains_key(SIGNATURE_HEADER) {
        return Err(VerifyError::MissingHeader(SIGNATURE_HEADER));
    }
    let expected = mac(secret, id, timestamp, body);
    let mut versions_one = 0_usize;
    // Every value of the header, every entry of each: a proxy may split one
    // header into several lines.
    let entries = headers
        .get_all(SIGNATURE_HEADER)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(str::split_ascii_whitespace);
    for entry in entries {
        // Other versions are ignored, as the specification asks.
        let Some(("v1", encoded)) = entry.split_once(',') else {
            continue;
        };
        versions_one += 1;
        // An HMAC-SHA256 is 32 bytes: 43 or 44 base64 characters. Anything
        // else cannot match, and is not decoded (no buffer sized by it).
        if !(43..=44).contains(&encoded.len()) {
            continue;
        }
        let mut decoded = [0u8; 48];
        let Ok(32) = STANDARD_PAD_INDIFFERENT.decode_slice(encoded, &mut decoded) else {
            continue;
        };
        let mut bytes = [0u8; 32];
        bytes.copy_from_slice(&decoded[..32]);
        let candidate = CtOutput::<HmacSha256>::new(Output::<HmacSha256>::from(bytes));
        if candidate == expected {
            return Ok((id, seconds));
        }
    }
    if versions_one == 0 {
        return Err(VerifyError::NoV1Signature);
    }
    Err(VerifyError::SignatureMismatch)
}
