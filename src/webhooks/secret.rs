//! The subscription's signing secret: its `whsec_` form, the key bytes each
//! signature scheme uses, and where it is read from.

use std::{fmt, sync::Arc};

use base64::{
    Engine, alphabet,
    engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig},
};

/// The variable that holds the webhook signing secret: the name Linq's
/// official SDKs read.
pub const WEBHOOK_SECRET_ENV: &str = "LINQ_WEBHOOK_SECRET";
/// The name earlier versions of this crate read. It is no longer read; when
/// it is the only one set, [`WebhookSecret::from_env`] says to rename it.
pub const OLD_WEBHOOK_SECRET_ENV: &str = "LINQ_API_V3_WEBHOOK_SECRET";

const PREFIX: &str = "whsec_";

/// Standard base64, with or without padding and with any trailing bits, as
/// the reference implementations of Standard Webhooks decode secrets; only
/// characters outside the alphabet are refused.
const SECRET_BASE64: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true),
);

/// A subscription's signing secret, as Linq shows it: `whsec_` followed by
/// base64. It never appears in `Debug` output or in any error.
///
/// The two signature schemes key their HMAC differently:
/// - **Standard Webhooks** (`webhook-signature`): the bytes the base64 after
///   `whsec_` decodes to, as the Standard Webhooks specification defines.
/// - **Deprecated `X-Webhook-Signature`**: the secret's text as Linq shows
///   it, `whsec_` included, as UTF-8 bytes. Linq keeps this header working
///   for integrations written before the Standard Webhooks headers, which
///   keyed their HMAC with the secret exactly as shown.
///
/// Whitespace around the secret (a newline from a file) is ignored.
///
/// ```
/// use linq_partner::webhooks::{SecretError, WebhookSecret};
///
/// let secret = WebhookSecret::new("whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")?;
/// assert_eq!(format!("{secret:?}"), "WebhookSecret(<redacted>)");
/// assert_eq!(WebhookSecret::new("AAECAwQF").unwrap_err(), SecretError::MissingPrefix);
/// assert_eq!(WebhookSecret::new("whsec_not base64!").unwrap_err(), SecretError::NotBase64);
/// # Ok::<(), SecretError>(())
/// ```
#[derive(Clone)]
pub struct WebhookSecret {
    /// The decoded key: Standard Webhooks.
    key: Arc<[u8]>,
    /// The text as shown: the deprecated scheme.
    text: Arc<[u8]>,
}

impl WebhookSecret {
    /// Checks and keeps a secret of the form `whsec_<base64>`.
    pub fn new(secret: impl AsRef<str>) -> Result<Self, SecretError> {
        let secret = secret.as_ref().trim();
        if secret.is_empty() {
            return Err(SecretError::Empty);
        }
        let encoded = secret
            .strip_prefix(PREFIX)
            .ok_or(SecretError::MissingPrefix)?;
        let key = SECRET_BASE64
            .decode(encoded)
            .map_err(|_| SecretError::NotBase64)?;
        if key.is_empty() {
            return Err(SecretError::Empty);
        }
        Ok(Self {
            key: Arc::from(key),
            text: Arc::from(secret.as_bytes()),
        })
    }

    /// The secret from `LINQ_WEBHOOK_SECRET`, the variable Linq's official
    /// SDKs read.
    ///
    /// `LINQ_API_V3_WEBHOOK_SECRET`, the name earlier versions read, is
    /// ignored; when it is set and `LINQ_WEBHOOK_SECRET` is not, the error is
    /// [`SecretError::OldVariable`], which names both.
    ///
    /// ```no_run
    /// let secret = linq_partner::webhooks::WebhookSecret::from_env()?;
    /// # Ok::<(), linq_partner::webhooks::SecretError>(())
    /// ```
    pub fn from_env() -> Result<Self, SecretError> {
        // A value that is not Unicode becomes replacement characters, which
        // base64 refuses: a clear error rather than "not set".
        Self::from_vars(|name| {
            std::env::var_os(name).map(|value| value.to_string_lossy().into_owned())
        })
    }

    /// [`WebhookSecret::from_env`] over any source of variables.
    pub(crate) fn from_vars(var: impl Fn(&str) -> Option<String>) -> Result<Self, SecretError> {
        let set = |name: &str| var(name).filter(|value| !value.trim().is_empty());
        match set(WEBHOOK_SECRET_ENV) {
            Some(secret) => Self::new(secret),
            None if set(OLD_WEBHOOK_SECRET_ENV).is_some() => Err(SecretError::OldVariable),
            None => Err(SecretError::NotSet),
        }
    }

    /// The HMAC key of the Standard Webhooks scheme.
    pub(crate) fn key(&self) -> &[u8] {
        &self.key
    }

    /// The HMAC key of the deprecated `X-Webhook-Signature` scheme.
    pub(crate) fn text_key(&self) -> &[u8] {
        &self.text
    }
}

impl fmt::Debug for WebhookSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("WebhookSecret(<redacted>)")
    }
}

/// Why a secret could not be had. No message shows the secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SecretError {
    /// The secret, or the base64 after `whsec_`, is empty.
    #[error("the webhook signing secret is empty")]
    Empty,
    /// The secret does not start with `whsec_`.
    #[error(
        "the webhook signing secret must start with whsec_, as Linq shows it for the subscription"
    )]
    MissingPrefix,
    /// What follows `whsec_` is not base64.
    #[error(
        "the webhook signing secret is not whsec_ followed by base64 (A-Z, a-z, 0-9, + and /, optionally = padding)"
    )]
    NotBase64,
    /// `LINQ_WEBHOOK_SECRET` is not set.
    #[error("{WEBHOOK_SECRET_ENV} is not set; set it to the subscription's signing secret")]
    NotSet,
    /// Only the name earlier versions read is set.
    #[error(
        "{OLD_WEBHOOK_SECRET_ENV} is no longer read; rename it to {WEBHOOK_SECRET_ENV}, the name Linq's SDKs use"
    )]
    OldVariable,
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

    #[test]
    fn both_keys_come_from_one_secret() {
        let secret = WebhookSecret::new(format!("  {SECRET}\n")).unwrap();
        assert_eq!(secret.key(), (0..32).collect::<Vec<u8>>());
        assert_eq!(secret.text_key(), SECRET.as_bytes());
        // Padding is optional, as in the reference implementations.
        let unpadded = WebhookSecret::new(SECRET.trim_end_matches('=')).unwrap();
        assert_eq!(unpadded.key(), secret.key());
    }

    #[test]
    fn malformed_secrets_are_named() {
        for (secret, error) in [
            ("", SecretError::Empty),
            ("   ", SecretError::Empty),
            ("whsec_", SecretError::Empty),
            ("AAECAwQF", SecretError::MissingPrefix),
            ("WHSEC_AAECAwQF", SecretError::MissingPrefix),
            ("whsec_AAEC AwQF", SecretError::NotBase64),
            ("whsec_AAEC-_QF", SecretError::NotBase64),
            ("whsec_é", SecretError::NotBase64),
            ("whsec_A", SecretError::NotBase64),
        ] {
            assert_eq!(WebhookSecret::new(secret).unwrap_err(), error, "{secret:?}");
        }
        let error = WebhookSecret::new("whsec_AAEC AwQF").unwrap_err();
        assert!(!format!("{error} {error:?}").contains("AAEC"));
    }

    #[test]
    fn the_variable_is_the_official_sdks_one() {
        let vars = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, v)| (*v).to_owned())
            }
        };
        assert!(WebhookSecret::from_vars(vars(&[(WEBHOOK_SECRET_ENV, SECRET)])).is_ok());
        assert_eq!(
            WebhookSecret::from_vars(vars(&[])).unwrap_err(),
            SecretError::NotSet
        );
        assert_eq!(
            WebhookSecret::from_vars(vars(&[(WEBHOOK_SECRET_ENV, " ")])).unwrap_err(),
            SecretError::NotSet
        );
        let old = WebhookSecret::from_vars(vars(&[(OLD_WEBHOOK_SECRET_ENV, SECRET)])).unwrap_err();
        assert_eq!(old, SecretError::OldVariable);
        assert!(old.to_string().contains(WEBHOOK_SECRET_ENV), "{old}");
        // Both set: the new name wins, the old one is ignored.
        let both = vars(&[
            (OLD_WEBHOOK_SECRET_ENV, "whsec_b2xk"),
            (WEBHOOK_SECRET_ENV, SECRET),
        ]);
        let secret = WebhookSecret::from_vars(both).unwrap();
        assert_eq!(secret.text_key(), SECRET.as_bytes());
        assert_eq!(
            WebhookSecret::from_vars(vars(&[(WEBHOOK_SECRET_ENV, "not-whsec")])).unwrap_err(),
            SecretError::MissingPrefix
        );
    }
}
