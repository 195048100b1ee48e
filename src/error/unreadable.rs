//! Answers that are not Linq's value nor its error: a body that could not
//! be decoded or read, and a redirect.

use std::{fmt, sync::Arc};

use reqwest::{StatusCode, header::HeaderMap};

use super::capped_debug;
use crate::text::{MESSAGE_CHARS, SHORT_CHARS, shown};

/// An answer that could not be decoded, or whose body could not be read:
/// the status and headers are kept, and a bounded excerpt of the body.
#[derive(Clone)]
pub struct DecodeError {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) reason: String,
    pub(crate) excerpt: String,
    pub(crate) bytes_read: usize,
    pub(crate) source: Option<Arc<dyn std::error::Error + Send + Sync>>,
    /// The call asked for a change (a read's 2xx accepts nothing).
    pub(crate) changing: bool,
    /// The body broke off or its time ran out while it arrived (rather than
    /// arriving whole and failing to decode): a read is then worth repeating.
    pub(crate) broke_off: bool,
}

impl DecodeError {
    /// How many bytes of the body are kept, at most.
    pub const EXCERPT_BYTES: usize = 512;

    /// A decoding error for an answer with this status, headers and body,
    /// to a call that asked for a change; for tests of code that handles the
    /// SDK's errors. The reason is cut to a few hundred characters and the
    /// body to [`Self::EXCERPT_BYTES`].
    ///
    /// ```
    /// use linq_partner::{reqwest::{StatusCode, header::HeaderMap}, error::DecodeError};
    ///
    /// let error = DecodeError::new(StatusCode::ACCEPTED, HeaderMap::new(), "cut off", b"{\"mess");
    /// assert!(error.change_accepted());
    /// ```
    #[cfg(feature = "test-util")]
    #[cfg_attr(docsrs, doc(cfg(feature = "test-util")))]
    pub fn new(
        status: StatusCode,
        headers: HeaderMap,
        reason: impl Into<String>,
        body: &[u8],
    ) -> Self {
        Self::of_answer(status, headers, reason, body)
    }

    /// A decoding error for an answer, as the decoder makes it.
    pub(crate) fn of_answer(
        status: StatusCode,
        headers: HeaderMap,
        reason: impl Into<String>,
        body: &[u8],
    ) -> Self {
        let cut = &body[..body.len().min(Self::EXCERPT_BYTES)];
        Self {
            status,
            headers,
            reason: crate::text::capped(reason.into(), MESSAGE_CHARS),
            excerpt: String::from_utf8_lossy(cut).into_owned(),
            bytes_read: body.len(),
            source: None,
            changing: true,
            broke_off: false,
        }
    }

    /// The answer's headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// Whether the call asked for a change and the status was 2xx: Linq
    /// accepted the change, and the call was not sent again.
    pub fn change_accepted(&self) -> bool {
        self.changing && self.status.is_success()
    }

    /// Why decoding failed.
    pub fn reason(&self) -> &str {
        &self.reason
    }

    /// The start of the body, at most [`Self::EXCERPT_BYTES`] bytes, invalid
    /// UTF-8 replaced.
    pub fn excerpt(&self) -> &str {
        &self.excerpt
    }

    /// How many bytes of the body were read (at most the client's size limit).
    pub fn bytes_read(&self) -> usize {
        self.bytes_read
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        /// Enough of the body to recognise it in a log line.
        const DISPLAY_CHARS: usize = 120;
        if self.change_accepted() {
            write!(
                f,
                "Linq accepted the change ({}) but its answer could not be read: {}; \
                 the change was not sent again",
                self.status,
                shown(&self.reason, MESSAGE_CHARS)
            )?;
        } else if self.status.is_success() {
            write!(
                f,
                "Linq answered {} but its answer could not be read: {}",
                self.status,
                shown(&self.reason, MESSAGE_CHARS)
            )?;
        } else {
            write!(
                f,
                "Linq answered {} with a body that could not be decoded: {}",
                self.status,
                shown(&self.reason, MESSAGE_CHARS)
            )?;
        }
        if self.excerpt.is_empty() {
            f.write_str("; the body is empty")?;
        } else {
            write!(
                f,
                "; the body starts \"{}\"",
                shown(&self.excerpt, DISPLAY_CHARS)
            )?;
        }
        Ok(())
    }
}

impl fmt::Debug for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DecodeError")
            .field("status", &self.status.as_u16())
            .field("reason", &self.reason)
            .field("excerpt", &self.excerpt)
            .field("bytes_read", &self.bytes_read)
            .field("source", &self.source)
            .finish_non_exhaustive()
    }
}

impl std::error::Error for DecodeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|source| source as &(dyn std::error::Error + 'static))
    }
}

/// A redirect answer, which is not followed: Linq's API does not redirect,
/// and following one would send the change somewhere else (or, for 301, 302
/// and 303, turn it into a `GET` without its body).
#[derive(Clone)]
pub struct RedirectError {
    pub(crate) status: StatusCode,
    pub(crate) location: Option<String>,
    pub(crate) headers: HeaderMap,
    /// The caller's own HTTP client followed it before the SDK saw it.
    pub(crate) followed: bool,
}

impl RedirectError {
    /// A redirect answer that was not followed; for tests of code that
    /// handles the SDK's errors.
    ///
    /// ```
    /// use linq_partner::{reqwest::StatusCode, error::RedirectError};
    ///
    /// let error = RedirectError::new(StatusCode::FOUND, Some("https://example.com/".into()));
    /// assert!(!error.followed());
    /// ```
    #[cfg(feature = "test-util")]
    #[cfg_attr(docsrs, doc(cfg(feature = "test-util")))]
    pub fn new(status: StatusCode, location: Option<String>) -> Self {
        Self {
            status,
            location,
            headers: HeaderMap::new(),
            followed: false,
        }
    }

    /// The HTTP status: the redirect's, or, when the caller's HTTP client
    /// followed it, the status found at its end.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// Where the redirect pointed (the `Location` header, or the URL the
    /// caller's HTTP client ended up at), unescaped.
    pub fn location(&self) -> Option<&str> {
        self.location.as_deref()
    }

    /// The answer's headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// Whether the caller's own HTTP client followed the redirect before the
    /// SDK saw the answer: then the request did reach the other location.
    /// The SDK's own HTTP client never follows redirects.
    pub fn followed(&self) -> bool {
        self.followed
    }
}

impl fmt::Display for RedirectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let location = self.location.as_deref().unwrap_or("nowhere (no Location)");
        if self.followed {
            write!(
                f,
                "the HTTP client followed a redirect to \"{}\" and got {} there; Linq's API \
                 does not redirect, so the answer is not taken as Linq's",
                shown(location, SHORT_CHARS),
                self.status
            )
        } else {
            write!(
                f,
                "Linq answered {} redirecting to \"{}\"; redirects are not followed, so \
                 nothing was sent there",
                self.status,
                shown(location, SHORT_CHARS)
            )
        }
    }
}

impl fmt::Debug for RedirectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedirectError")
            .field("status", &self.status.as_u16())
            .field("location", &self.location.as_deref().map(capped_debug))
            .field("followed", &self.followed)
            .finish_non_exhaustive()
    }
}

impl std::error::Error for RedirectError {}
