//! How the wrapper plugs into the generated client without editing it.
//!
//! Every attempt builds a short-lived [`raw::Client`] whose inner value is an
//! [`Exchange`]. Through progenitor's `ClientHooks` the exchange
//! - sets the bearer token, the user agent and the timeout on the request,
//!   and drops the `api-version` header progenitor adds (Linq does not define
//!   it, so it is noise on the wire);
//! - sends the request: through the SDK's own HTTP/1.1 connections
//!   ([`Http1`]) when it can, which tell an answer that broke off from no
//!   answer at all, through reqwest otherwise;
//! - reads every answer itself, body bounded by the size limit, and writes
//!   what the attempt got ([`Exchanged`]): the status line, headers and
//!   bytes of an answer, or what is known of the silence.
//!
//! The call pipeline decodes from that record alone, so in that mode the
//! generated client is handed an answer whose body is already consumed (or
//! an empty stand-in when there was none): its own decoding would be wasted
//! work, and its result is not consulted. A client from `Client::raw()`
//! records nothing and hands the generated client the whole answer (body
//! bounded), or reqwest's error, as progenitor expects.

use std::{sync::Arc, sync::OnceLock, time::Duration};

use tokio::time::Instant;

use bytes::{Bytes, BytesMut};
use progenitor_client::{ClientHooks, ClientInfo, OperationInfo};
use reqwest::{
    ResponseBuilderExt, StatusCode,
    header::{AUTHORIZATION, HeaderMap, HeaderName, USER_AGENT},
};

#[cfg(feature = "rustls")]
use crate::connection::Http1;
use crate::{
    exchange::Exchange,
    raw,
    settings::Settings,
    wire::{Body, BoxError, Cut, Exchanged, NoAnswer, Silence, WireRecord},
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
    record: Option<OnceLock<Exchanged>>,
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

        // `None` for a timeout too long to represent: no limit.
        let ends = Instant::now().checked_add(exchange.timeout);
        let (mut response, body_ends) = match send(self.client(), settings, request, ends).await {
            Ok(sent) => sent,
            Err(silence) => {
                record(Err(silence));
                return Ok(stand_in());
            }
        };
        let status = response.status();
        // Only a caller's own HTTP client can follow redirects (ours is
        // built not to), so only then can the answer come from elsewhere.
        let redirected_to =
            (settings.http_is_callers && *response.url() != url).then(|| response.url().clone());
        let body = read_bounded(&mut response, settings.max_body_bytes, body_ends).await;
        let headers = std::mem::take(response.headers_mut());
        // Its body read to the end, the response itself is handed on,
        // empty; a body cut short must not be read further.
        let drained = matches!(body, Body::Complete(_));
        #[cfg(feature = "rustls")]
        if drained {
            crate::connection::answer_read(&response);
        }
        record(Ok(WireRecord {
            status,
            headers,
            body,
            redirected_to,
        }));
        Ok(if drained { response } else { stand_in() })
    }
}

/// Sends one request of the call pipeline: the answer's head and when its
/// body must have arrived (`None` when reqwest enforces the timeout), or
/// what is known of the silence.
async fn send(
    http: &reqwest::Client,
    settings: &Settings,
    request: reqwest::Request,
    ends: Option<Instant>,
) -> Result<(reqwest::Response, Option<Instant>), NoAnswer> {
    #[cfg(feature = "rustls")]
    if let Some(own) = settings
        .own
        .as_ref()
        .filter(|own| own.routes_directly(request.url()))
    {
        return send_own(own, request, ends).await;
    }
    let _ = (settings, ends);
    match http.execute(request).await {
        Ok(response) => Ok((response, None)),
        Err(error) => Err(silence(error)),
    }
}

/// Through the SDK's own connections, which know whether bytes of an
/// answer had arrived when the exchange failed.
#[cfg(feature = "rustls")]
async fn send_own(
    own: &Http1,
    request: reqwest::Request,
    ends: Option<Instant>,
) -> Result<(reqwest::Response, Option<Instant>), NoAnswer> {
    match own.send(request, ends).await {
        Ok(response) => Ok((response, ends)),
        Err(failed) => Err(NoAnswer {
            // Bytes of an answer had arrived: whatever else happened, the
            // request reached the server.
            kind: if failed.answered || parse_error(&*failed.source) {
                Silence::Unreadable
            } else if failed.timed_out {
                Silence::TimedOut
            } else {
                Silence::Nothing
            },
            source: failed.source,
        }),
    }
}

/// What a reqwest error says of the silence: reqwest cannot tell an answer
/// that broke off in its head from none at all, but it does report a head it
/// read and refused.
fn silence(error: reqwest::Error) -> NoAnswer {
    let kind = if error.is_timeout() {
        Silence::TimedOut
    } else if parse_error(&error) {
        Silence::Unreadable
    } else {
        Silence::Nothing
    };
    NoAnswer {
        kind,
        source: Box::new(error),
    }
}

/// Whether the HTTP library read bytes of an answer and refused them.
fn parse_error(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut cause = Some(error);
    while let Some(error) = cause {
        if error
            .downcast_ref::<hyper::Error>()
            .is_some_and(hyper::Error::is_parse)
        {
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
    let body = match read_bounded(&mut response, settings.max_body_bytes, None).await {
        Body::Complete(bytes) | Body::TooLong(bytes) => bytes,
        Body::Broken(bytes, cut) => match cut.source.downcast::<reqwest::Error>() {
            Ok(error) => return Err(*error),
            // Without a deadline every cut is reqwest's own error; should
            // one not be, the bytes that arrived are the body.
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

/// Reads at most `limit` bytes of the body, by `ends` when given. A longer
/// body is cut there and the rest never read, so memory stays bounded
/// whatever the server sends; the buffer grows with the bytes that arrive,
/// never with what a header announces. A body that arrives in one piece,
/// the usual case, is not copied. When the body breaks off, returns what
/// arrived before, and why.
async fn read_bounded(
    response: &mut reqwest::Response,
    limit: usize,
    ends: Option<Instant>,
) -> Body {
    let first = match next_chunk(response, ends).await {
        Ok(Some(first)) => first,
        Ok(None) => return Body::Complete(Bytes::new()),
        Err(cut) => return Body::Broken(Bytes::new(), cut),
    };
    if first.len() > limit {
        return Body::TooLong(first.slice(..limit));
    }
    let second = match next_chunk(response, ends).await {
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
        next = match next_chunk(response, ends).await {
            Ok(next) => next,
            Err(cut) => return Body::Broken(body.freeze(), cut),
        };
    }
    Body::Complete(body.freeze())
}

/// The body's next piece, or why it stopped.
async fn next_chunk(
    response: &mut reqwest::Response,
    ends: Option<Instant>,
) -> Result<Option<Bytes>, Cut> {
    let chunk = match ends {
        Some(ends) => match tokio::time::timeout_at(ends, response.chunk()).await {
            Ok(chunk) => chunk,
            Err(_) => {
                return Err(Cut {
                    timed_out: true,
                    source: BoxError::from("the attempt's timeout ran out while the body arrived"),
                });
            }
        },
        None => response.chunk().await,
    };
    chunk.map_err(|error| Cut {
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
