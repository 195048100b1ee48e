//! The record of what the wire carried for one attempt.
//!
//! The transport hooks write it; the decoder and the retry decision read it.
//! It is the single source of truth about an attempt: the generated
//! client's own result is used only to learn that a request could not be
//! built.

use bytes::Bytes;
use reqwest::{StatusCode, Url, header::HeaderMap};

/// A transport error, from reqwest or from the SDK's own connections.
pub(crate) type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// What one attempt got: a status line and what followed it, or none.
pub(crate) type Exchanged = Result<WireRecord, NoAnswer>;

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
    Broken(Bytes, Cut),
}

/// Why a body stopped arriving.
#[derive(Debug)]
pub(crate) struct Cut {
    pub(crate) timed_out: bool,
    pub(crate) source: BoxError,
}

/// An attempt without a usable status line.
#[derive(Debug)]
pub(crate) struct NoAnswer {
    pub(crate) kind: Silence,
    pub(crate) source: BoxError,
}

/// What is known of an attempt without a usable status line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Silence {
    /// Nothing came back: the connection could not be made, or it closed or
    /// broke before any byte of an answer.
    Nothing,
    /// The time ran out before a status line.
    TimedOut,
    /// Bytes of an answer came back, but no head that could be read (a
    /// malformed head, or one that broke off): the request reached the
    /// server.
    Unreadable,
}
