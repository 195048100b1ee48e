//! The settings a client's calls share, and the per-call overrides.
//!
//! A value module: the client builds these, the call pipeline and the
//! transport hooks read them, and none of them imports the others.

use std::time::Duration;

use reqwest::header::HeaderValue;

/// The variable that holds the API token: `LINQ_API_V3_API_KEY`.
pub const API_KEY_ENV: &str = "LINQ_API_V3_API_KEY";
/// The variable that overrides the base URL: `LINQ_API_V3_BASE_URL`.
pub const BASE_URL_ENV: &str = "LINQ_API_V3_BASE_URL";
/// Linq's production base URL: `https://api.linqapp.com/api/partner`.
pub const DEFAULT_BASE_URL: &str = "https://api.linqapp.com/api/partner";
/// How long one attempt may take unless configured otherwise: 60 s.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// How many bytes of a response body are read at most unless configured
/// otherwise: 1 MiB (1,048,576).
pub const DEFAULT_MAX_BODY_BYTES: usize = 1024 * 1024;
/// How many times a failed call is retried unless configured otherwise: 2.
pub const DEFAULT_MAX_RETRIES: u32 = 2;
/// The longest wait a server may ask for (`retry-after`) and still be
/// obeyed: 60 s.
pub const DEFAULT_MAX_RETRY_WAIT: Duration = Duration::from_secs(60);
/// The first wait between attempts when the server asks for none: 500 ms;
/// it doubles with each retry, up to 8 s.
pub const DEFAULT_RETRY_BACKOFF: Duration = Duration::from_millis(500);

/// What every call of a client shares.
pub(crate) struct Settings {
    pub(crate) http: reqwest::Client,
    /// The HTTP client is the caller's own, so it may follow redirects; the
    /// transport then checks where each answer came from.
    pub(crate) http_is_callers: bool,
    pub(crate) base_url: String,
    /// `Bearer <token>`, marked sensitive so that reqwest and `http` never print it.
    pub(crate) authorization: HeaderValue,
    pub(crate) user_agent: HeaderValue,
    pub(crate) timeout: Duration,
    pub(crate) max_body_bytes: usize,
    pub(crate) retry: RetryPolicy,
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("base_url", &self.base_url)
            .field("api_key", &"<redacted>")
            .field("timeout", &self.timeout)
            .field("max_body_bytes", &self.max_body_bytes)
            .field("max_retries", &self.retry.max_retries)
            .field("max_retry_wait", &self.retry.max_server_wait)
            .field("deadline", &self.retry.deadline)
            .finish_non_exhaustive()
    }
}

/// How a call retries; set per client and per call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RetryPolicy {
    /// Retries after the first attempt; 0 disables retrying.
    pub(crate) max_retries: u32,
    /// The longest wait a server may ask for and still be obeyed.
    pub(crate) max_server_wait: Duration,
    /// The limit for the whole call, retries and waits included.
    pub(crate) deadline: Option<Duration>,
    /// The first wait when the server asks for none.
    pub(crate) backoff: Duration,
}

/// Settings one call overrides; `None` keeps the client's.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct CallOptions {
    pub(crate) timeout: Option<Duration>,
    pub(crate) max_retries: Option<u32>,
    pub(crate) deadline: Option<Duration>,
}

impl Settings {
    /// The timeout of one attempt and the retry policy for a call.
    pub(crate) fn for_call(&self, options: CallOptions) -> (Duration, RetryPolicy) {
        let policy = RetryPolicy {
            max_retries: options.max_retries.unwrap_or(self.retry.max_retries),
            deadline: options.deadline.or(self.retry.deadline),
            ..self.retry
        };
        (options.timeout.unwrap_or(self.timeout), policy)
    }
}
