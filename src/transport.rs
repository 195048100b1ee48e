//! How the wrapper plugs into the generated client without editing it.
//!
//! Every attempt builds a short-lived [`raw::Client`] whose inner value is an
//! [`Exchange`]. Through progenitor's `ClientHooks` the exchange
//! - sets the bearer token, the user agent and the timeout on the request,
//!   and drops the `api-version` header progenitor adds (Linq does not define
//!   it, so it is noise on the wire);
//! - reads every answer itself, body bounded by the size limit, and writes
//!   the [`WireRecord`] of it: status line, headers, bytes.
//!
//! The call pipeline decodes from that record alone, so in that mode the
//! generated client is handed the answer with its headers moved into the
//! record and its body already consumed: its own decoding of the same bytes
//! would be wasted work, and its result is not consulted when a record
//! exists. A client from `Client::raw()` records nothing and hands the
//! generated client the whole answer (body bounded), as progenitor expects.

use std::{sync::Arc, sync::OnceLock, time::Duration};

use bytes::{Bytes, BytesMut};
use progenitor_client::{ClientHooks, ClientInfo, OperationInfo};
use reqwest::{
    ResponseBuilderExt, StatusCode,
    header::{AUTHORIZATION, HeaderMap, HeaderName, USER_AGENT},
};

use crate::{
    raw,
    settings::Settings,
    wire::{Body, WireRecord},
};

/// The header progenitor adds from `info.version`; Linq does not define it.
const API_VERSION: HeaderName = HeaderName::from_static("api-version");

/// What is read of a body before the first allocation that grows with it;
/// a larger body grows the buffer as its bytes arrive, never by what a
/// header announces.
const FIRST_BUFFER: usize = 16 * 1024;

/// The generated client's inner value: one attempt's settings (token, user
/// agent, timeout, body limit) and, once it is answered, what the wire
/// carried. Made by the wrapper only ([`Client::raw`](crate::Client::raw)
/// gives a generated client that carries one).
pub struct Exchange {
    settings: Arc<Settings>,
    timeout: Duration,
    /// `Some` for the call pipeline, which decodes from the record; `None`
    /// for `Client::raw()`, whose callers read the generated client's result.
    record: Option<OnceLock<WireRecord>>,
}

impl Exchange {
    /// A raw client for one attempt of the call pipeline: the answer is
    /// recorded.
    pub(crate) fn recording(settings: &Arc<Settings>, timeout: Duration) -> raw::Client {
        Self::client(settings, timeout, Some(OnceLock::new()))
    }

    /// A raw client for callers of the generated client: nothing is recorded.
    pub(crate) fn passing_through(settings: &Arc<Settings>) -> raw::Client {
        Self::client(settings, settings.timeout, None)
    }

    fn client(
        settings: &Arc<Settings>,
        timeout: Duration,
        record: Option<OnceLock<WireRecord>>,
    ) -> raw::Client {
        raw::Client::new_with_client(
            &settings.base_url,
            settings.http.clone(),
            Exchange {
                settings: Arc::clone(settings),
                timeout,
                record,
            },
        )
    }

    /// The record of the answer, if a status line arrived.
    pub(crate) fn into_record(self) -> Option<WireRecord> {
        self.record.and_then(OnceLock::into_inner)
    }
}

/// The generated client derives `Clone`; a clone is a new exchange that has
/// seen nothing yet.
impl Clone for Exchange {
    fn clone(&self) -> Self {
        Exchange {
            settings: Arc::clone(&self.settings),
            timeout: self.timeout,
            record: self.record.as_ref().map(|_| OnceLock::new()),
        }
    }
}

impl std::fmt::Debug for Exchange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Exchange")
            .field("timeout", &self.timeout)
            .field("recording", &self.record.is_some())
            .finish_non_exhaustive()
    }
}

impl ClientHooks<Exchange> for raw::Client {
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        _info: &OperationInfo,
    ) -> Result<(), progenitor_client::Error<E>> {
        let exchange = self.inner();
        let headers = request.headers_mut();
        headers.remove(API_VERSION);
        headers.insert(AUTHORIZATION, exchange.settings.authorization.clone());
        headers.insert(USER_AGENT, exchange.settings.user_agent.clone());
        *request.timeout_mut() = Some(exchange.timeout);
        Ok(())
    }

    async fn exec(
        &self,
        request: reqwest::Request,
        _info: &OperationInfo,
    ) -> reqwest::Result<reqwest::Response> {
        let exchange = self.inner();
        let settings = &exchange.settings;
        // Only a caller's own HTTP client can follow redirects (ours is
        // built not to), so only then is the URL worth keeping.
        let sent_to = settings.http_is_callers.then(|| request.url().clone());
        let mut response = self.client().execute(request).await?;
        let status = response.status();
        let redirected_to = sent_to
            .filter(|sent_to| response.url() != sent_to)
            .map(|_| response.url().clone());

        let Some(slot) = &exchange.record else {
            // Passing through: an announced length within the limit bounds
            // the body already (hyper reads no more than it), so the
            // generated client reads it itself.
            if response
                .content_length()
                .is_some_and(|len| len <= settings.max_body_bytes as u64)
            {
                return Ok(response);
            }
            // Otherwise it gets the bytes read here (a body over the limit
            // cut there), or the error that cut them off.
            let read = read_bounded(&mut response, settings.max_body_bytes).await;
            let body = read.map_err(|(_, error)| error)?.bytes();
            let headers = std::mem::take(response.headers_mut());
            return Ok(replay(status, headers, response.url().clone(), body));
        };

        let read = read_bounded(&mut response, settings.max_body_bytes).await;
        let headers = std::mem::take(response.headers_mut());
        let (body, broken) = match read {
            Ok(Read::Complete(bytes)) => (Body::Complete(bytes), None),
            Ok(Read::TooLong(bytes)) => (Body::TooLong(bytes), None),
            Err((bytes, error)) => (Body::Broken(bytes), Some(error)),
        };
        let drained = matches!(body, Body::Complete(_));
        // A new exchange per attempt, one answer per exchange: the slot is
        // empty. Should it not be, the first answer stands.
        let _ = slot.set(WireRecord {
            status,
            headers,
            body,
            redirected_to,
        });
        match broken {
            // The cause reaches the pipeline as the generated client's
            // communication error.
            Some(error) => Err(error),
            // Its body read to the end, the response itself is handed on,
            // empty; a body cut at the limit must not be read further.
            None if drained => Ok(response),
            None => Ok(replay(
                status,
                HeaderMap::new(),
                response.url().clone(),
                Bytes::new(),
            )),
        }
    }
}

/// A body as far as [`read_bounded`] read it.
enum Read {
    Complete(Bytes),
    TooLong(Bytes),
}

impl Read {
    fn bytes(self) -> Bytes {
        match self {
            Read::Complete(bytes) | Read::TooLong(bytes) => bytes,
        }
    }
}

/// Reads at most `limit` bytes of the body. A longer body is cut there and
/// the rest never read, so memory stays bounded whatever the server sends;
/// the buffer grows with the bytes that arrive, never with what a header
/// announces. A body that arrives in one piece, the usual case, is not
/// copied. On a read error, returns what arrived before it.
async fn read_bounded(
    response: &mut reqwest::Response,
    limit: usize,
) -> Result<Read, (Bytes, reqwest::Error)> {
    let first = match response.chunk().await {
        Ok(Some(first)) => first,
        Ok(None) => return Ok(Read::Complete(Bytes::new())),
        Err(error) => return Err((Bytes::new(), error)),
    };
    if first.len() > limit {
        return Ok(Read::TooLong(first.slice(..limit)));
    }
    let second = match response.chunk().await {
        Ok(Some(second)) => second,
        Ok(None) => return Ok(Read::Complete(first)),
        Err(error) => return Err((first, error)),
    };
    let mut body = BytesMut::with_capacity((first.len() + second.len()).min(FIRST_BUFFER));
    body.extend_from_slice(&first);
    let mut next = Some(second);
    while let Some(chunk) = next {
        let room = limit - body.len();
        if chunk.len() > room {
            body.extend_from_slice(&chunk[..room]);
            return Ok(Read::TooLong(body.freeze()));
        }
        body.extend_from_slice(&chunk);
        next = match response.chunk().await {
            Ok(next) => next,
            Err(error) => return Err((body.freeze(), error)),
        };
    }
    Ok(Read::Complete(body.freeze()))
}

/// A response with the body already in memory, for the generated client to
/// decode. The URL is carried over so that reqwest need not invent one.
fn replay(
    status: StatusCode,
    headers: HeaderMap,
    url: reqwest::Url,
    body: Bytes,
) -> reqwest::Response {
    let mut response = match http::Response::builder()
        .status(status)
        .url(url)
        .body(body.clone())
    {
        Ok(response) => response,
        Err(_) => {
            let mut response = http::Response::new(body);
            *response.status_mut() = status;
            response
        }
    };
    *response.headers_mut() = headers;
    reqwest::Response::from(response)
}
