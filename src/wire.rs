//! The record of what the wire carried for one attempt.
//!
//! The transport hooks write it; the decoder and the retry decision read it.
//! It is the single source of truth about an attempt: the generated
//! client's own result is used only to learn that a request could not be
//! built.

use bytes::Bytes;
use reqwest::{StatusCode, Url, header::HeaderMap};

/// A transport error.
pub(crate) type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// What one attempt got: a status line and what followed it, or none.
pub(crate) type AttemptRecord = Result<WireRecord, NoAnswer>;

/// An answer: its status line and headers, and its body as far as it was read.
#[derive(Debug)]
pub(crate) struct WireRecord {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Body,
    /// Where the answer came from, when an HTTP client supplied by the
    /// caller followed a redirect to get it.
    pub(crate) redirected_to: Option<Url>,
}

/// How much of a body arrived.
#[derive(Debug)]
pub(crate) enum Body {
    /// All of it.
    Complete(Bytes),
    /// It was longer than the limit; this is its start, and the rest was
    /// never read.
    TooLong(Bytes),
    /// The connection broke or the time ran out while it was arriving; this
    /// is what arrived before.
    Broken(Bytes, BodyStopped),
}

/// Why a body stopped arriving.
#[derive(Debug)]
pub(crate) struct BodyStopped {
    pub(crate) timed_out: bool,
    pub(crate) source: BoxError,
}

/// An attempt without a usable status line.
#[derive(Debug)]
pub(crate) struct NoAnswer {
    pub(crate) failure: Failure,
    /// A time limit ran out (rather than the connection failing).
    pub(crate) timed_out: bool,
    pub(crate) source: BoxError,
}

/// How far an attempt without a usable status line got, as far as the HTTP
/// library can tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Failure {
    /// No connection was made, or the request was never written.
    NotSent,
    /// The request may have been written, and no head arrived (the
    /// connection closed or broke, or the time ran out): it may have reached
    /// the server.
    NoHead,
    /// A head arrived and the HTTP library refused it: the server answered.
    HeadRefused,
}
