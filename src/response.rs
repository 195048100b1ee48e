//! A decoded answer together with its HTTP status and headers.

use reqwest::{StatusCode, header::HeaderMap};

/// A decoded answer together with its HTTP status and headers, from
/// `send_with_response()`.
///
/// ```
/// use linq_partner::{Answer, Queued, reqwest::{StatusCode, header::HeaderMap}};
///
/// // As a test might build one:
/// let answer = Answer::new(Queued::new().with_trace_id("tr_1"), StatusCode::ACCEPTED, HeaderMap::new());
/// assert_eq!(answer.http_status(), StatusCode::ACCEPTED);
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
    pub fn new(value: T, http_status: StatusCode, headers: HeaderMap) -> Self {
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
    pub fn http_status(&self) -> StatusCode {
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

    /// The same answer with its value converted.
    pub(crate) fn map<U>(self, convert: impl FnOnce(T) -> U) -> Answer<U> {
        Answer {
            value: convert(self.value),
            http_status: self.http_status,
            headers: self.headers,
        }
    }
}
