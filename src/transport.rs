//! How the wrapper plugs into the generated client without editing it.
//!
//! Every attempt builds a short-lived [`raw::Client`] whose inner value is an
//! [`Exchange`]. Through progenitor's `ClientHooks` the exchange
//! - sets the bearer token, the user agent and the timeout on the request,
//!   and drops the `api-version` header progenitor adds (Linq does not define
//!   it, so it is noise on the wire);
//! - passes the usual answer, a 202 of announced, acceptable length, straight
//!   to the generated client;
//! - reads every other answer itself, up to a limit, and keeps its status,
//!   headers and bytes, because progenitor forgets the status when a body
//!   fails to decode, leaves bodies of statuses the spec omits unread, and
//!   reads bodies without any bound.

use std::{
    sync::{Arc, Mutex},
    time::Duration,
};

use bytes::{Bytes, BytesMut};
use progenitor_client::{ClientHooks, ClientInfo, OperationInfo};
use reqwest::{
    ResponseBuilderExt, StatusCode,
    header::{AUTHORIZATION, HeaderMap, HeaderName, USER_AGENT},
};

use crate::{client::Settings, raw};

/// The header progenitor adds from `info.version`; Linq does not define it.
const API_VERSION: HeaderName = HeaderName::from_static("api-version");

/// One attempt's settings and, once it is answered, what the wire carried.
pub struct Exchange {
    settings: Arc<Settings>,
    timeout: Duration,
    captured: Mutex<Option<Captured>>,
}

/// The response as it arrived, body bounded.
#[derive(Debug)]
pub(crate) struct Captured {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
    /// The body was longer than the limit; `body` holds only its start.
    pub(crate) truncated: bool,
}

impl Exchange {
    /// A raw client for one attempt.
    pub(crate) fn client(settings: &Arc<Settings>, timeout: Duration) -> raw::Client {
        raw::Client::new_with_client(
            &settings.base_url,
            settings.http.clone(),
            Exchange {
                settings: Arc::clone(settings),
                timeout,
                captured: Mutex::new(None),
            },
        )
    }

    fn capture(&self, captured: Captured) {
        *self
            .captured
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(captured);
    }

    /// The response this exchange read itself, if it did: every answer but
    /// a 202 that went to the generated client untouched.
    pub(crate) fn take_captured(&self) -> Option<Captured> {
        self.captured
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .take()
    }

    pub(crate) fn timeout(&self) -> Duration {
        self.timeout
    }
}

/// The generated client derives `Clone`; a clone is a new exchange that has
/// seen nothing yet.
impl Clone for Exchange {
    fn clone(&self) -> Self {
        Exchange {
            settings: Arc::clone(&self.settings),
            timeout: self.timeout,
            captured: Mutex::new(None),
        }
    }
}

impl std::fmt::Debug for Exchange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Exchange")
            .field("timeout", &self.timeout)
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
        let limit = exchange.settings.max_body_bytes;
        let mut response = self.client().execute(request).await?;
        let status = response.status();

        // The usual answer, a non-empty 202 whose announced length fits, goes
        // to the generated client untouched and uncaptured: it reads the body
        // (bounded by that length) and, should decoding fail, its error
        // carries the bytes. (An empty one is read here: the generated client
        // would fail on it and drop its headers.)
        if status == StatusCode::ACCEPTED
            && response
                .content_length()
                .is_some_and(|len| len > 0 && len <= limit as u64)
        {
            return Ok(response);
        }

        // Anything else is read here, within the limit, and kept whole:
        // the generated client loses the status of an error body it cannot
        // decode, and does not read bodies of statuses the spec omits.
        let (body, truncated) = read_bounded(&mut response, limit).await?;
        let headers = std::mem::take(response.headers_mut());
        exchange.capture(Captured {
            status,
            headers: headers.clone(),
            body: body.clone(),
            truncated,
        });
        Ok(replay(status, headers, response.url().clone(), body))
    }
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

/// Reads at most `limit` bytes of the body. A longer body is cut there and
/// the rest never read, so memory stays bounded whatever the server sends.
/// A body that arrives in one piece, the usual case, is not copied.
async fn read_bounded(
    response: &mut reqwest::Response,
    limit: usize,
) -> reqwest::Result<(Bytes, bool)> {
    let Some(first) = response.chunk().await? else {
        return Ok((Bytes::new(), false));
    };
    if first.len() > limit {
        return Ok((first.slice(..limit), true));
    }
    let Some(second) = response.chunk().await? else {
        return Ok((first, false));
    };
    let announced = response.content_length().unwrap_or(0);
    let mut body = BytesMut::with_capacity(announced.min(limit as u64) as usize);
    body.extend_from_slice(&first);
    let mut next = Some(second);
    while let Some(chunk) = next {
        let room = limit - body.len();
        if chunk.len() > room {
            body.extend_from_slice(&chunk[..room]);
            return Ok((body.freeze(), true));
        }
        body.extend_from_slice(&chunk);
        next = response.chunk().await?;
    }
    Ok((body.freeze(), false))
}
