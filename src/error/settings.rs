//! Errors raised before anything is sent: a client that cannot be built, an
//! argument that is refused; and which time limit ran out.

use std::fmt;

use crate::ids::{ChatIdError, HandleError};

/// Why a client could not be built, from [`ErrorKind::Config`](crate::ErrorKind::Config).
///
/// ```
/// use linq_partner::{ErrorKind, error::ConfigProblem};
///
/// let error = linq_partner::Client::builder().build().unwrap_err();
/// let ErrorKind::Config(config) = error.kind() else { panic!("{error}") };
/// assert_eq!(config.problem(), ConfigProblem::MissingApiKey);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{detail}")]
pub struct ConfigError {
    problem: ConfigProblem,
    detail: String,
}

impl ConfigError {
    pub(crate) fn new(problem: ConfigProblem, detail: impl Into<String>) -> Self {
        Self {
            problem,
            detail: detail.into(),
        }
    }

    /// Which setting is wrong.
    pub fn problem(&self) -> ConfigProblem {
        self.problem
    }
}

/// Which setting a [`ConfigError`] is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ConfigProblem {
    /// No API key was given (nor set in the environment).
    MissingApiKey,
    /// The API key cannot go in an HTTP header.
    InvalidApiKey,
    /// The base URL is not a URL, or has parts it cannot have.
    InvalidBaseUrl,
    /// The base URL would send the token unencrypted.
    InsecureBaseUrl,
    /// The user agent cannot go in an HTTP header.
    InvalidUserAgent,
    /// The HTTP client could not be built.
    HttpClient,
}

/// An argument that was refused before the call went out.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum InvalidInput {
    /// The chat id is not a UUID.
    #[error(transparent)]
    ChatId(#[from] ChatIdError),
    /// The handle is neither an E.164 phone number nor an email address.
    #[error(transparent)]
    Handle(#[from] HandleError),
}

/// Which time limit ran out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TimeoutScope {
    /// One attempt's timeout.
    Attempt,
    /// The deadline of the whole call, retries and waits included.
    Call,
}

impl fmt::Display for TimeoutScope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TimeoutScope::Attempt => "the timeout of one attempt",
            TimeoutScope::Call => "the deadline of the whole call",
        })
    }
}
