//! How the wrapper plugs into the generated client without editing it.
//!
//! Every attempt builds a short-lived [`raw::Client`] whose inner value is an
//! [`Exchange`]. Through progenitor's `ClientHooks` the exchange
//! - sets the bearer token, the user agent and the timeout on the request,
//!   and drops the `api-version` header progenitor adds (Linq does not define
//!   it, so it is noise on the wire);
//! - sends the request through reqwest (the SDK's own client or the
//!   caller's: one HTTP stack, whatever the features, proxy or TLS);
//! - reads every answer itself, body bounded by the size limit, and writes
//!   what the attempt got ([`AttemptRecord`]): the status line, headers and
//!   bytes of an answer, or, when none arrived, how far the request got by
//!   the one rule table of this crate ([`no_answer`]).
//!
//! The call pipeline decodes from that record alone, so in that mode the
//! generated client is handed an answer whose body is already consumed (or
//! an empty stand-in when there was none): its own decoding would be wasted
//! work, and its result is not consulted. A client from `Client::raw()`
//! records nothing and hands the generated client the whole answer (body
//! bounded), or reqwest's error, as progenitor expects.

use std::{sync::Arc, sync::OnceLock, time::Duration};

use bytes::{Bytes, BytesMut};
use progenitor_client::{ClientHooks, ClientInfo, OperationInfo};
use reqwest::{
    ResponseBuilderExt, StatusCode,
    header::{AUTHORIZATION, HeaderMap, HeaderName, USER_AGENT},
};

use crate::{
    exchange::Exchange,
    raw,
    settings::Settings,
    wire::{AttemptRecord, Body, BodyStopped, Failure, NoAnswer, WireRecord},
};

/// The header progenitor adds from `info.version`; Linq does not define it.
const API_VERSION: HeaderName = HeaderName::from_static("api-version");

/// What is read of a body before the first allocation that grows with it;
/// a larger body grows the buffer as its bytes arrive, never by what a
/// header announces.
const FIRST_BUFFER: usize = 16 * 1024;

/// A raw client for one attempt of the call pipeline: the answer is
/// recorded.
pub(crate) fn recording(settings: &Arc<Settings>, timeout: Duration) -> raw::Client {
    client(settings, timeout, Some(OnceLock::new()))
}

/// A raw client for callers of the generated client: nothing is recorded.
pub(crate) fn passing_through(settings: &Arc<Settings>) -> raw::Client {
    client(settings, settings.timeout, None)
}

fn client(
    settings: &Arc<Settings>,
    timeout: Duration,
    record: Option<OnceLock<AttemptRecord>>,
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
        let Some(slot) = &exchange.record else {
            return pass_through(self.client(), settings, request).await;
        };
        let url = request.url().clone();
        // A new exchange per attempt, one outcome per exchange: the slot is
        // empty. Should it not be, the first outcome stands.
        let record = |outcome| {
            let _ = slot.set(outcome);
        };
        // The record holds the truth; the generated client gets a stand-in.
        let stand_in = || replay(StatusCode::OK, HeaderMap::new(), url.clone(), Bytes::new());

        let mut response = match self.client().execute(request).await {
            Ok(response) => response,
            Err(error) => {
                record(Err(no_answer(error)));
                return Ok(stand_in());
            }
        };
        let status = response.status();
        // Only a caller's own HTTP client can follow redirects (ours is
        // built not to), so only then can the answer come from elsewhere.
        let redirected_to =
            (settings.http_is_callers && *response.url() != url).then(|| response.url().clone());
        // The request's timeout, set in `pre`, covers the body too.
        let body = read_bounded(&mut response, settings.max_body_bytes).await;
        let headers = std::mem::take(response.headers_mut());
        // Its body read to the end, the response itself is handed on,
        // empty; a body cut short must not be read further.
        let drained = matches!(body, Body::Complete(_));
        record(Ok(WireRecord {
            status,
            headers,
            body,
            redirected_to,
        }));
        Ok(if drained { response } else { stand_in() })
    }
}

/// The rule table: how far a request got when no usable status line came
/// back, from what reqwest and hyper report. What they tell apart is told
/// apart; what they do not is not guessed.
///
/// | reported | the request |
/// |---|---|
/// | no connection made (`is_connect`), or hyper never wrote it (`is_canceled`) | was not sent |
/// | hyper refused the answer's head (`is_parse`) | reached the server, which answered |
/// | anything else: closed, reset, incomplete, a timeout before the head | may have reached the server |
pub(crate) fn no_answer(error: reqwest::Error) -> NoAnswer {
    let failure = if error.is_connect() || hyper_says(&error, hyper::Error::is_canceled) {
        Failure::NotSent
    } else if hyper_says(&error, hyper::Error::is_parse) {
        Failure::HeadRefused
    } else {
        Failure::NoHead
    };
    NoAnswer {
        failure,
        timed_out: error.is_timeout(),
        source: Box::new(error),
    }
}

/// Whether a hyper error among the causes of `error` says `what`.
fn hyper_says(error: &(dyn std::error::Error + 'static), what: fn(&hyper::Error) -> bool) -> bool {
    let mut cause = Some(error);
    while let Some(error) = cause {
        if error.downcast_ref::<hyper::Error>().is_some_and(what) {
            return true;
        }
        cause = error.source();
    }
    false
}

/// For callers of the generated client: reqwest's answer or error, with the
/// body bounded.
async fn pass_through(
    http: &reqwest::Client,
    settings: &Settings,
    request: reqwest::Request,
) -> reqwest::Result<reqwest::Response> {
    let mut response = http.execute(request).await?;
    // An announced length within the limit bounds the body already (hyper
    // reads no more than it), so the generated client reads it itself.
    if response
        .content_length()
        .is_some_and(|len| len <= settings.max_body_bytes as u64)
    {
        return Ok(response);
    }
    // Otherwise it gets the bytes read here (a body over the limit cut
    // there); a body that broke off ends the call with reqwest's error.
    let body = match read_bounded(&mut response, settings.max_body_bytes).await {
        Body::Complete(bytes) | Body::TooLong(bytes) => bytes,
        Body::Broken(bytes, cut) => match cut.source.downcast::<reqwest::Error>() {
            Ok(error) => return Err(*error),
            // Every cut is reqwest's own error; should one not be, the
            // bytes that arrived are the body.
            Err(_) => bytes,
        },
    };
    let headers = std::mem::take(response.headers_mut());
    Ok(replay(
        response.status(),
        headers,
        response.url().clone(),
        body,
    ))
}

/// Reads at most `limit` bytes of the body. A longer
/// body is cut there and the rest never read, so memory stays bounded
/// whatever the server sends; the buffer grows with the bytes that arrive,
/// never with what a header announces. A body that arrives in one piece,
/// the usual case, is not copied. When the body breaks off, returns what
/// arrived before, and why.
async fn read_bounded(response: &mut reqwest::Response, limit: usize) -> Body {
    let first = match next_chunk(response).await {
        Ok(Some(first)) => first,
        Ok(None) => return Body::Complete(Bytes::new()),
        Err(cut) => return Body::Broken(Bytes::new(), cut),
    };
    if first.len() > limit {
        return Body::TooLong(first.slice(..limit));
    }
    let second = match next_chunk(response).await {
        Ok(Some(second)) => second,
        Ok(None) => return Body::Complete(first),
        Err(cut) => return Body::Broken(first, cut),
    };
    let mut body = BytesMut::with_capacity((first.len() + second.len()).min(FIRST_BUFFER));
    body.extend_from_slice(&first);
    let mut next = Some(second);
    while let Some(chunk) = next {
        let room = limit - body.len();
        if chunk.len() > room {
            body.extend_from_slice(&chunk[..room]);
            return Body::TooLong(body.freeze());
        }
        body.extend_from_slice(&chunk);
        next = match next_chunk(response).await {
            Ok(next) => next,
            Err(cut) => return Body::Broken(body.freeze(), cut),
        };
    }
    Body::Complete(body.freeze())
}

/// The body's next piece, or why it stopped.
async fn next_chunk(response: &mut reqwest::Response) -> Result<Option<Bytes>, BodyStopped> {
    response.chunk().await.map_err(|error| BodyStopped {
        timed_out: error.is_timeout(),
        source: Box::new(error),
    })
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
