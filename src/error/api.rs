//! Linq's error answer, decoded, and the class of its status.

use std::fmt;

use reqwest::{StatusCode, header::HeaderMap};

use super::{ErrorCode, capped_debug};
use crate::text::{MESSAGE_CHARS, SHORT_CHARS, shown};

/// An error answer from Linq, decoded.
#[derive(Clone)]
pub struct ApiError {
    pub(crate) status: StatusCode,
    pub(crate) code: Option<ErrorCode>,
    pub(crate) message: Option<String>,
    pub(crate) trace_id: Option<String>,
    pub(crate) headers: HeaderMap,
}

impl ApiError {
    /// An API error with this status and nothing else; add the rest with
    /// the `with_` methods. For tests of code
    /// that handles the SDK's errors.
    ///
    /// ```
    /// use linq_partner::{Error, ErrorCode, reqwest::StatusCode, error::ApiError};
    ///
    /// let error = Error::from(
    ///     ApiError::new(StatusCode::CONFLICT)
    ///         .with_code(ErrorCode::ChatUnavailable)
    ///         .with_message("This chat is unavailable"),
    /// );
    /// assert!(error.to_string().contains("2013"));
    /// ```
    #[cfg(feature = "test-util")]
    #[cfg_attr(docsrs, doc(cfg(feature = "test-util")))]
    pub fn new(status: StatusCode) -> Self {
        Self {
            status,
            code: None,
            message: None,
            trace_id: None,
            headers: HeaderMap::new(),
        }
    }

    /// The same error with Linq's code.
    #[cfg(feature = "test-util")]
    #[cfg_attr(docsrs, doc(cfg(feature = "test-util")))]
    pub fn with_code(mut self, code: ErrorCode) -> Self {
        self.code = Some(code);
        self
    }

    /// The same error with Linq's message.
    #[cfg(feature = "test-util")]
    #[cfg_attr(docsrs, doc(cfg(feature = "test-util")))]
    pub fn with_message(mut self, message: impl Into<String>) -> Self {
        self.message = Some(message.into());
        self
    }

    /// The same error with a trace id.
    #[cfg(feature = "test-util")]
    #[cfg_attr(docsrs, doc(cfg(feature = "test-util")))]
    pub fn with_trace_id(mut self, trace_id: impl Into<String>) -> Self {
        self.trace_id = Some(trace_id.into());
        self
    }

    /// The same error with these headers.
    #[cfg(feature = "test-util")]
    #[cfg_attr(docsrs, doc(cfg(feature = "test-util")))]
    pub fn with_headers(mut self, headers: HeaderMap) -> Self {
        self.headers = headers;
        self
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The class of error, from the HTTP status, as the official SDKs name it.
    pub fn class(&self) -> StatusClass {
        StatusClass::from_status(self.status)
    }

    /// Linq's error code.
    pub fn code(&self) -> Option<ErrorCode> {
        self.code
    }

    /// Linq's explanation, whole and unescaped (`Display` shows it escaped
    /// and cut to a few hundred characters).
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// The identifier Linq support asks for, whole and unescaped.
    pub fn trace_id(&self) -> Option<&str> {
        self.trace_id.as_deref()
    }

    /// The answer's headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Linq answered {} ({})", self.status, self.class())?;
        match self.code {
            Some(code) => write!(f, ", code {code}")?,
            None => f.write_str(", no error code")?,
        }
        match &self.message {
            Some(message) => write!(f, ": \"{}\"", shown(message, MESSAGE_CHARS))?,
            None => f.write_str(": no message")?,
        }
        match &self.trace_id {
            Some(trace_id) => write!(f, " (trace id {})", shown(trace_id, SHORT_CHARS)),
            None => f.write_str(" (no trace id)"),
        }
    }
}

impl fmt::Debug for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiError")
            .field("status", &self.status.as_u16())
            .field("class", &self.class())
            .field("code", &self.code)
            .field("message", &self.message.as_deref().map(capped_debug))
            .field("trace_id", &self.trace_id.as_deref().map(capped_debug))
            .finish_non_exhaustive()
    }
}

impl std::error::Error for ApiError {}

/// The class of an API error, by HTTP status, matching the official SDKs'
/// error classes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum StatusClass {
    /// 400.
    BadRequest,
    /// 401.
    Authentication,
    /// 403.
    PermissionDenied,
    /// 404.
    NotFound,
    /// 409.
    Conflict,
    /// 422.
    UnprocessableEntity,
    /// 429.
    RateLimited,
    /// 500 to 599.
    InternalServer,
    /// Any other status, including those from 600 on, which HTTP does not
    /// define. Opaque, so that a later version giving a status its own class
    /// does not silently change which `match` arm runs; the status is
    /// [`OtherStatus::status`].
    Other(OtherStatus),
}

/// A status the [`StatusClass`] classes do not name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct OtherStatus(StatusCode);

impl OtherStatus {
    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.0
    }
}

impl StatusClass {
    /// The class of a status.
    ///
    /// ```
    /// use linq_partner::error::StatusClass;
    /// use reqwest::StatusCode;
    ///
    /// assert_eq!(StatusClass::from_status(StatusCode::CONFLICT), StatusClass::Conflict);
    /// ```
    pub fn from_status(status: StatusCode) -> Self {
        match status.as_u16() {
            400 => Self::BadRequest,
            401 => Self::Authentication,
            403 => Self::PermissionDenied,
            404 => Self::NotFound,
            409 => Self::Conflict,
            422 => Self::UnprocessableEntity,
            429 => Self::RateLimited,
            500..=599 => Self::InternalServer,
            _ => Self::Other(OtherStatus(status)),
        }
    }
}

impl fmt::Display for StatusClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::BadRequest => "bad request",
            Self::Authentication => "authentication",
            Self::PermissionDenied => "permission denied",
            Self::NotFound => "not found",
            Self::Conflict => "conflict",
            Self::UnprocessableEntity => "unprocessable entity",
            Self::RateLimited => "rate limited",
            Self::InternalServer => "internal server error",
            Self::Other(_) => "unexpected status",
        })
    }
}
