//! A decoded answer together with its HTTP status and headers.

use std::ops::Deref;

use reqwest::{StatusCode, header::HeaderMap};

/// A decoded answer together with its HTTP status and headers.
#[derive(Debug, Clone)]
pub struct Response<T> {
    value: T,
    status: StatusCode,
    headers: HeaderMap,
}

impl<T> Response<T> {
    pub(crate) fn new(value: T, status: StatusCode, headers: HeaderMap) -> Self {
        Self {
            value,
            status,
            headers,
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
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
    pub(crate) fn map<U>(self, convert: impl FnOnce(T) -> U) -> Response<U> {
        Response {
            value: convert(self.value),
            status: self.status,
            headers: self.headers,
        }
    }
}

impl<T> Deref for Response<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.value
    }
}
