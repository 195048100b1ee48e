//! The SDK's own HTTP/1.1 connections, which note whether an answer had
//! begun to arrive when an exchange failed.
//!
//! reqwest reports a connection closed or reset after part of a status line
//! exactly as one closed before any byte came back. The first must never be
//! sent again (the request reached Linq, which began to answer); the second
//! is retried, as the official SDKs do. So the SDK's own client sends
//! through hyper directly, over connections that count what they read since
//! their current request began; the count travels with the connection's
//! metadata into any error, where the transport reads it. Everything else is
//! what reqwest would do: the same rustls configuration (reqwest's own
//! crypto provider and the platform's verifier, nothing process-wide), a
//! connection pool, HTTP/1.1.
//!
//! Calls through a proxy, with a caller's own `reqwest::Client`, or with the
//! `http2` or `native-tls` feature go through reqwest instead, without this
//! evidence (README, "Reliability").

use std::{
    future::Future,
    io,
    mem::MaybeUninit,
    pin::Pin,
    sync::{
        Arc,
        atomic::{AtomicBool, AtomicU64, Ordering},
    },
    task::{Context, Poll, ready},
    time::Duration,
};

use hyper::rt::{Read, ReadBuf, ReadBufCursor, Write};
use hyper_util::{
    client::{
        legacy::{
            self,
            connect::{Connected, Connection, HttpConnector, capture_connection},
        },
        proxy::matcher::Matcher,
    },
    rt::{TokioExecutor, TokioTimer},
};
use tokio::time::Instant;
use tower_service::Service;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// How long an idle pooled connection is kept (reqwest's default).
const POOL_IDLE: Duration = Duration::from_secs(90);
/// TCP keepalive time and interval (reqwest's defaults).
const KEEPALIVE: Duration = Duration::from_secs(15);

/// The SDK's own HTTP/1.1 client.
#[derive(Clone)]
pub(crate) struct Http1 {
    client: legacy::Client<Counting<hyper_rustls::HttpsConnector<HttpConnector>>, reqwest::Body>,
    /// The system's proxy settings, as reqwest reads them: a call they
    /// route through a proxy goes through reqwest.
    proxies: Arc<Matcher>,
}

/// Why an exchange produced no answer.
#[derive(Debug)]
pub(crate) struct Failed {
    /// Bytes of an answer had arrived: the request reached the server.
    pub(crate) answered: bool,
    /// The time ran out (before a status line).
    pub(crate) timed_out: bool,
    pub(crate) source: BoxError,
}

impl Http1 {
    /// The client, with reqwest's TLS choices for its `rustls` feature.
    pub(crate) fn new() -> Result<Self, BoxError> {
        // An application's own process-wide provider (a FIPS one, say) is
        // used as reqwest would; this crate installs none.
        let provider = rustls::crypto::CryptoProvider::get_default()
            .cloned()
            .unwrap_or_else(|| Arc::new(rustls::crypto::aws_lc_rs::default_provider()));
        let verifier = rustls_platform_verifier::Verifier::new(provider.clone())?;
        let tls = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()?
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(verifier))
            .with_no_client_auth();
        let mut http = HttpConnector::new();
        http.enforce_http(false);
        http.set_nodelay(true);
        // reqwest's TCP keepalive.
        http.set_keepalive(Some(KEEPALIVE));
        http.set_keepalive_interval(Some(KEEPALIVE));
        http.set_keepalive_retries(Some(3));
        let https = hyper_rustls::HttpsConnectorBuilder::new()
            .with_tls_config(tls)
            .https_or_http()
            .enable_http1()
            .wrap_connector(http);
        let client = legacy::Client::builder(TokioExecutor::new())
            .pool_idle_timeout(POOL_IDLE)
            .pool_timer(TokioTimer::new())
            .build(Counting(https));
        Ok(Self {
            client,
            proxies: Arc::new(Matcher::from_system()),
        })
    }

    /// Whether a call to `url` goes straight to the server (no proxy).
    pub(crate) fn routes_directly(&self, url: &reqwest::Url) -> bool {
        url.as_str()
            .parse::<http::Uri>()
            .is_ok_and(|uri| self.proxies.intercept(&uri).is_none())
    }

    /// Sends `request` and returns the answer's head (its body still to be
    /// read), or why there is none; a status line must arrive by `ends`.
    pub(crate) async fn send(
        &self,
        request: reqwest::Request,
        ends: Option<Instant>,
    ) -> Result<reqwest::Response, Failed> {
        let mut request = http::Request::try_from(request).map_err(|e| Failed {
            answered: false,
            timed_out: false,
            source: Box::new(e),
        })?;
        // The connection the request goes out on, for its count should the
        // time run out before an answer (or a failure) says anything.
        let connection = capture_connection(&mut request);
        let sending = self.client.request(request);
        let sent = match ends {
            Some(ends) => tokio::time::timeout_at(ends, sending).await,
            None => Ok(sending.await),
        };
        match sent {
            Ok(Ok(response)) => Ok(reqwest::Response::from(response.map(reqwest::Body::wrap))),
            Ok(Err(error)) => Err(Failed {
                answered: heard_back(error.connect_info()),
                timed_out: false,
                source: Box::new(error),
            }),
            Err(_) => Err(Failed {
                answered: heard_back(connection.connection_metadata().as_ref()),
                timed_out: true,
                source: "no status line before the attempt's timeout".into(),
            }),
        }
    }
}

/// Marks the answer to the connection's current request as read to its
/// end: the connection's next write begins another request, and the count
/// starts again. (A response that did not come through these connections
/// carries no count, and nothing happens.)
pub(crate) fn answer_read(response: &reqwest::Response) {
    if let Some(Heard(reads)) = response.extensions().get::<Heard>() {
        reads.finished.store(true, Ordering::Release);
    }
}

/// Whether the connection a failed exchange used had read anything since
/// its request began.
fn heard_back(connected: Option<&Connected>) -> bool {
    let Some(connected) = connected else {
        return false;
    };
    let mut extensions = http::Extensions::new();
    connected.get_extras(&mut extensions);
    extensions
        .get::<Heard>()
        .is_some_and(|heard| heard.0.since_request.load(Ordering::Acquire) > 0)
}

/// What one connection has read since its current request began.
#[derive(Debug, Default)]
struct Reads {
    since_request: AtomicU64,
    /// The answer to the current request was read to its end (the transport
    /// says so): the next write begins a new request. Bytes that arrive
    /// while a request is still being written (an early answer) count for
    /// that request.
    finished: AtomicBool,
}

/// The [`Reads`] of a connection, as it travels in its metadata.
#[derive(Debug, Clone)]
struct Heard(Arc<Reads>);

/// A connector whose connections count what they read.
#[derive(Clone)]
struct Counting<C>(C);

impl<C> Service<http::Uri> for Counting<C>
where
    C: Service<http::Uri>,
    C::Future: Send + 'static,
{
    type Response = Counted<C::Response>;
    type Error = C::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, Self::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.0.poll_ready(cx)
    }

    fn call(&mut self, uri: http::Uri) -> Self::Future {
        let connecting = self.0.call(uri);
        Box::pin(async move {
            Ok(Counted {
                io: connecting.await?,
                reads: Arc::default(),
            })
        })
    }
}

/// A connection that counts what it reads.
struct Counted<T> {
    io: T,
    reads: Arc<Reads>,
}

/// Bytes read at most per call, through a buffer of our own (so that the
/// count needs no unsafe code).
const READ_CHUNK: usize = 8 * 1024;

impl<T: Read + Unpin> Read for Counted<T> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        mut buf: ReadBufCursor<'_>,
    ) -> Poll<io::Result<()>> {
        let mut scratch = [MaybeUninit::<u8>::uninit(); READ_CHUNK];
        let room = buf.remaining().min(READ_CHUNK);
        let mut read = ReadBuf::uninit(&mut scratch[..room]);
        ready!(Pin::new(&mut self.io).poll_read(cx, read.unfilled()))?;
        let filled = read.filled();
        if !filled.is_empty() {
            self.reads
                .since_request
                .fetch_add(filled.len() as u64, Ordering::AcqRel);
        }
        buf.put_slice(filled);
        Poll::Ready(Ok(()))
    }
}

impl<T: Write + Unpin> Write for Counted<T> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        self.next_request();
        Pin::new(&mut self.io).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        self.next_request();
        Pin::new(&mut self.io).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_shutdown(cx)
    }
}

impl<T> Counted<T> {
    /// The first write after the previous answer was read begins the next
    /// request (HTTP/1.1 carries one exchange at a time): its count starts.
    fn next_request(&self) {
        if self.reads.finished.swap(false, Ordering::AcqRel) {
            self.reads.since_request.store(0, Ordering::Release);
        }
    }
}

impl<T: Connection> Connection for Counted<T> {
    fn connected(&self) -> Connected {
        self.io.connected().extra(Heard(Arc::clone(&self.reads)))
    }
}
