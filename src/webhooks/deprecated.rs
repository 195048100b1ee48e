//! The `X-Webhook-*` scheme Linq calls deprecated but still sends on every
//! delivery: hex HMAC-SHA256 over `{timestamp}.{body}` in
//! `X-Webhook-Signature`, keyed with the secret's text (see
//! [`WebhookSecret`]).

use hmac::digest::{CtOutput, Output};
use reqwest::header::HeaderMap;

use super::{
    secret::WebhookSecret,
    signed::{HmacSha256, VerifyError, parse_timestamp},
};

/// The header with the hex HMAC-SHA256 signature.
pub const X_SIGNATURE_HEADER: &str = "x-webhook-signature";
/// The header with the Unix time, in seconds, the attempt was signed at.
pub const X_TIMESTAMP_HEADER: &str = "x-webhook-timestamp";
/// The header naming the event type (not signed).
pub const X_EVENT_HEADER: &str = "x-webhook-event";
/// The header naming the subscription (not signed).
pub const X_SUBSCRIPTION_HEADER: &str = "x-webhook-subscription-id";

/// Whether the delivery carries a signature of this scheme.
pub(crate) fn present(headers: &HeaderMap) -> bool {
    headers.contains_key(X_SIGNATURE_HEADER) || headers.contains_key(X_TIMESTAMP_HEADER)
}

/// The MAC of one delivery. `CtOutput` compares in constant time.
pub(crate) fn mac(secret: &WebhookSecret, timestamp: &str, body: &[u8]) -> CtOutput<HmacSha256> {
    super::signed::mac(secret.text_key(), &[timestamp.as_bytes(), b".", body])
}

/// The lower-case hex signature of one delivery.
#[cfg(feature = "test-util")]
pub(crate) fn signature(secret: &WebhookSecret, timestamp: &str, body: &[u8]) -> String {
    mac(secret, timestamp, body)
        .into_bytes()
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// Checks the signature; gives the timestamp.
pub(crate) fn check(
    secret: &WebhookSecret,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<u64, VerifyError> {
    let header = |name: &'static str, shown_as: &'static str| {
        headers
            .get(name)
            .and_then(|value| value.to_str().ok())
            .map(str::trim)
            .ok_or(VerifyError::MissingHeader(shown_as))
    };
    let signature = header(X_SIGNATURE_HEADER, "X-Webhook-Signature")?;
    let timestamp = header(X_TIMESTAMP_HEADER, "X-Webhook-Timestamp")?;
    let seconds = parse_timestamp("X-Webhook-Timestamp", timestamp)?;
    let candidate = decode_hex(signature)?;
    if CtOutput::<HmacSha256>::new(Output::<HmacSha256>::from(candidate))
        == mac(secret, timestamp, body)
    {
        Ok(seconds)
    } else {
        Err(VerifyError::SignatureMismatch)
    }
}

/// The 32 bytes of a hex SHA-256 MAC, upper or lower case, with or without
/// a `sha256=` prefix.
fn decode_hex(text: &str) -> Result<[u8; 32], VerifyError> {
    let text = text.strip_prefix("sha256=").unwrap_or(text);
    if !text.len().is_multiple_of(2) || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(VerifyError::SignatureNotHex);
    }
    if text.len() != 64 {
        return Err(VerifyError::SignatureLength {
            hex_digits: text.len(),
        });
    }
    let mut bytes = [0u8; 32];
    for (byte, pair) in bytes.iter_mut().zip(text.as_bytes().chunks_exact(2)) {
        let digit = |b: u8| match b {
            b'0'..=b'9' => b - b'0',
            b'a'..=b'f' => b - b'a' + 10,
            _ => b - b'A' + 10,
        };
        *byte = digit(pair[0]) << 4 | digit(pair[1]);
    }
    Ok(bytes)
}
