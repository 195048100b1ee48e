//! Signed deliveries for tests of your own webhook handler (feature
//! `test-util`): what Linq would send, without Linq.

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use super::{
    deprecated::{
        self, X_EVENT_HEADER, X_SIGNATURE_HEADER, X_SUBSCRIPTION_HEADER, X_TIMESTAMP_HEADER,
    },
    secret::WebhookSecret,
    standard::{self, ID_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER},
};

/// The subscription id [`signed_headers`] puts in
/// `X-Webhook-Subscription-ID`.
pub const TEST_SUBSCRIPTION_ID: &str = "sub_test";

/// The Standard Webhooks signature, `v1,<base64>`, of a delivery with this
/// `webhook-id`, signed at `timestamp`.
///
/// ```
/// use linq_partner::webhooks::{WebhookSecret, sign};
///
/// let secret = WebhookSecret::new("whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")?;
/// let signature = sign(&secret, "msg_1", 1_764_547_200, br#"{"event_type":"participant.added"}"#);
/// assert!(signature.starts_with("v1,"));
/// # Ok::<(), linq_partner::webhooks::SecretError>(())
/// ```
pub fn sign(secret: &WebhookSecret, webhook_id: &str, timestamp: u64, body: &[u8]) -> String {
    standard::signature(secret, webhook_id, &timestamp.to_string(), body)
}

/// The deprecated `X-Webhook-Signature`: hex HMAC-SHA256 of
/// `{timestamp}.{body}`, keyed with the secret's text.
///
/// ```
/// use linq_partner::webhooks::{WebhookSecret, sign_deprecated};
///
/// let secret = WebhookSecret::new("whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")?;
/// let signature = sign_deprecated(&secret, 1_764_547_200, br#"{"event_type":"participant.added"}"#);
/// assert_eq!(signature.len(), 64);
/// # Ok::<(), linq_partner::webhooks::SecretError>(())
/// ```
pub fn sign_deprecated(secret: &WebhookSecret, timestamp: u64, body: &[u8]) -> String {
    deprecated::signature(secret, &timestamp.to_string(), body)
}

/// The headers of a delivery as Linq sends it today, signed at
/// `timestamp`: both sets, the Standard Webhooks headers and the deprecated
/// `X-Webhook-*` ones (with [`TEST_SUBSCRIPTION_ID`]). Remove one set to
/// test the other. A value that cannot be a header (a line break in
/// `event_type`) is left out.
///
/// ```
/// use linq_partner::webhooks::{Scheme, Verifier, WebhookSecret, signed_headers};
///
/// let secret = WebhookSecret::new("whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")?;
/// let body = br#"{"event_type":"participant.removed","event_id":"0b6f4a5e-1c2d-4e3f-8a9b-0c1d2e3f4a5b","data":{"handle":"+12052499136"}}"#;
/// let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.as_secs();
/// let headers = signed_headers(&secret, "0b6f4a5e-1c2d-4e3f-8a9b-0c1d2e3f4a5b", now, "participant.removed", body);
/// let event = Verifier::new(secret).verify(&headers, body)?;
/// assert_eq!(event.scheme(), Scheme::StandardWebhooks);
/// assert_eq!(event.envelope().event_type(), "participant.removed");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn signed_headers(
    secret: &WebhookSecret,
    webhook_id: &str,
    timestamp: u64,
    event_type: &str,
    body: &[u8],
) -> HeaderMap {
    let mut headers = HeaderMap::new();
    let mut put = |name: &'static str, value: String| {
        if let Ok(value) = HeaderValue::try_from(value) {
            headers.insert(HeaderName::from_static(name), value);
        }
    };
    put(ID_HEADER, webhook_id.to_owned());
    put(TIMESTAMP_HEADER, timestamp.to_string());
    put(SIGNATURE_HEADER, sign(secret, webhook_id, timestamp, body));
    put(X_SIGNATURE_HEADER, sign_deprecated(secret, timestamp, body));
    put(X_TIMESTAMP_HEADER, timestamp.to_string());
    put(X_EVENT_HEADER, event_type.to_owned());
    put(X_SUBSCRIPTION_HEADER, TEST_SUBSCRIPTION_ID.to_owned());
    headers
}
