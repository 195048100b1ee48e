//! The record of what the wire carried for one attempt.
//!
//! The transport hooks write it; the decoder and the retry decision read it.
//! It is the single source of truth about an answer: the generated client's
//! own result is used only for what never reached the wire record (a
//! request that could not be sent, or the cause of a body that broke off).

use bytes::Bytes;
use reqwest::{StatusCode, Url, header::HeaderMap};

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
    /// is what arrived before. The cause is the generated client's
    /// communication error.
    Broken(Bytes),
}
