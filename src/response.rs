//! A decoded answer together with its HTTP status and headers.

use reqwest::{StatusCode, header::HeaderMap};
use serde::de::DeserializeOwned;

/// An operation's success value: the wrapper's own type, decoded leniently
/// from the answer's bytes, so that it never depends on what the generator
/// names the spec's schemas.
pub trait SuccessBody: DeserializeOwned + Send {
    /// The trace id in the answer, for the call's span.
    fn trace_id(&self) -> Option<&str>;

    /// What an empty 2xx body stands for, when the operation allows one.
    fn from_empty() -> Option<Self> {
        None
    }

    /// The top-level fields the type reads: a value one of them has that
    /// cannot be read makes the answer undecodable.
    const FIELDS: &'static [&'static str];

    /// Names the unknown fields that arrived but could not be kept.
    fn set_left_out(&mut self, names: Vec<String>);
}

/// A decoded answer together with its HTTP status and headers, from
/// `send_with_response()`.
///
/// ```
/// use linq_partner::{Answer, Queued, reqwest::{StatusCode, header::HeaderMap}};
///
/// // As a test might build one:
/// let answer = Answer::new(Queued::new().with_trace_id("tr_1"), StatusCode::ACCEPTED, HeaderMap::new());
/// assert_eq!(answer.status(), StatusCode::ACCEPTED);
/// assert_eq!(answer.value().trace_id(), Some("tr_1"));
/// ```
#[derive(Debug, Clone)]
pub struct Answer<T> {
    value: T,
    http_status: StatusCode,
    headers: HeaderMap,
}

impl<T> Answer<T> {
    /// An answer with this value, status and headers.
    #[cfg(feature = "test-util")]
    #[cfg_attr(docsrs, doc(cfg(feature = "test-util")))]
    pub fn new(value: T, http_status: StatusCode, headers: HeaderMap) -> Self {
        Self::answered(value, http_status, headers)
    }

    pub(crate) fn answered(value: T, http_status: StatusCode, headers: HeaderMap) -> Self {
        Self {
            value,
            http_status,
            headers,
        }
    }

    /// The decoded value.
    pub fn value(&self) -> &T {
        &self.value
    }

    /// The HTTP status line's code, such as 202.
    pub fn status(&self) -> StatusCode {
        self.http_status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The decoded value, dropping status and headers.
    pub fn into_value(self) -> T {
        self.value
    }
}
