//! The front door: which connections are served, and the head of each
//! request, before any HTTP machinery sees them.
//!
//! - At most `max_connections` connections are open at once. When a new one
//!   arrives at the limit, the oldest connection still waiting for its
//!   request head is closed to make room: a client that sends its request
//!   promptly is always served, however many slow ones hold sockets.
//! - The head is read here, bounded in time (`head_timeout`) and size, and
//!   checked: framing (`content-length`, `transfer-encoding`), size against
//!   the body limit. Anything wrong is answered in Linq's error shape and the
//!   connection closed.
//! - A good request goes to hyper and the router with what was read, one
//!   request per connection (every answer closes it), so that every head
//!   passes through these checks.
//! - On shutdown no connection is accepted, those waiting for a head are
//!   closed, the others get `shutdown_grace` to finish, and what remains is
//!   cut off.

use std::{
    collections::BTreeMap,
    io,
    pin::Pin,
    sync::{Arc, Mutex},
    task::{Context, Poll},
    time::Duration,
};

use axum::Router;
use hyper_util::{
    rt::{TokioIo, TokioTimer},
    service::TowerToHyperService,
};
use tokio::{
    io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf},
    net::{TcpListener, TcpStream},
    sync::{OwnedSemaphorePermit, Semaphore, oneshot, watch},
    task::JoinSet,
};

use crate::{answers::raw_error, http::lock};

/// The bounds the server keeps; see `LocalServerBuilder` for each.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    pub(crate) head_timeout: Duration,
    pub(crate) body_timeout: Duration,
    pub(crate) max_connections: usize,
    pub(crate) max_in_flight: usize,
    pub(crate) max_head_bytes: usize,
    pub(crate) max_body_bytes: usize,
    pub(crate) shutdown_grace: Duration,
}

/// Headers a request may carry.
const MAX_HEADERS: usize = 64;
/// How long an error answer may take to write before the client is dropped.
const WRITE_TIMEOUT: Duration = Duration::from_secs(1);

/// Connections still waiting for their request head, oldest first, with the
/// means to close each.
#[derive(Default)]
struct Waiting {
    next: u64,
    closers: BTreeMap<u64, oneshot::Sender<()>>,
}

impl Waiting {
    fn enter(&mut self) -> (u64, oneshot::Receiver<()>) {
        let (close, closed) = oneshot::channel();
        let id = self.next;
        self.next += 1;
        self.closers.insert(id, close);
        (id, closed)
    }

    /// Closes the oldest waiting connection; false when none waits.
    fn evict_oldest(&mut self) -> bool {
        match self.closers.pop_first() {
            Some((_, close)) => {
                let _ = close.send(());
                true
            }
            None => false,
        }
    }
}

/// Serves `listener` until `shutdown` turns true, then winds down within
/// the grace period.
pub(crate) async fn serve(
    listener: TcpListener,
    router: Router,
    limits: Limits,
    mut shutdown: watch::Receiver<bool>,
) {
    let connections = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let in_flight = Arc::new(Semaphore::new(limits.max_in_flight.max(1)));
    let waiting = Arc::new(Mutex::new(Waiting::default()));
    let mut tasks = JoinSet::new();
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            _ = shutdown.wait_for(|stop| *stop) => break,
        };
        // Finished connections leave the set as they go.
        while tasks.try_join_next().is_some() {}
        let stream = match accepted {
            Ok((stream, _)) => stream,
            // Out of file descriptors or a connection reset while queued:
            // wait a moment rather than spin, and keep serving.
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(10)).await;
                continue;
            }
        };
        let permit = match Arc::clone(&connections).try_acquire_owned() {
            Ok(permit) => permit,
            Err(_) => {
                // At the limit: close the oldest connection still waiting
                // for its head. Without one, every connection is being
                // served, each bounded by the body timeout: wait for one.
                lock(&waiting).evict_oldest();
                let permit = tokio::select! {
                    permit = Arc::clone(&connections).acquire_owned() => permit,
                    _ = shutdown.wait_for(|stop| *stop) => break,
                };
                match permit {
                    Ok(permit) => permit,
                    Err(_) => break,
                }
            }
        };
        let (id, closed) = lock(&waiting).enter();
        tasks.spawn(connection(
            stream,
            Connection {
                router: router.clone(),
                limits,
                waiting: Arc::clone(&waiting),
                in_flight: Arc::clone(&in_flight),
                id,
                _permit: permit,
            },
            closed,
        ));
    }
    drop(listener);

    // Shutting down: slow heads are closed now, requests being served get
    // the grace period.
    {
        let mut waiting = lock(&waiting);
        while waiting.evict_oldest() {}
    }
    let drained = async { while tasks.join_next().await.is_some() {} };
    if tokio::time::timeout(limits.shutdown_grace, drained)
        .await
        .is_err()
    {
        tasks.shutdown().await;
    }
}

/// What a connection's task needs.
struct Connection {
    router: Router,
    limits: Limits,
    waiting: Arc<Mutex<Waiting>>,
    in_flight: Arc<Semaphore>,
    id: u64,
    /// Held while the connection is open: one of `max_connections`.
    _permit: OwnedSemaphorePermit,
}

async fn connection(mut stream: TcpStream, conn: Connection, closed: oneshot::Receiver<()>) {
    let limits = conn.limits;
    let head = tokio::select! {
        head = read_head(&mut stream, &limits) => Some(head),
        _ = tokio::time::sleep(limits.head_timeout) => None,
        // Evicted to make room, or the server is stopping.
        _ = closed => return,
    };
    lock(&conn.waiting).closers.remove(&conn.id);
    let buffered = match head {
        None => {
            let message = format!(
                "The request head did not arrive within {} ms",
                limits.head_timeout.as_millis()
            );
            return refuse(&mut stream, 408, "Request Timeout", 1003, &message).await;
        }
        Some(Err(HeadError::Closed)) => return,
        Some(Err(HeadError::Refused {
            status,
            reason,
            code,
            message,
        })) => return refuse(&mut stream, status, reason, code, &message).await,
        Some(Ok(buffered)) => buffered,
    };

    let Ok(_slot) = conn.in_flight.acquire().await else {
        return;
    };
    let io = TokioIo::new(Rewind {
        buffered,
        offset: 0,
        stream,
    });
    let mut http = hyper::server::conn::http1::Builder::new();
    http.keep_alive(false)
        .timer(TokioTimer::new())
        // hyper adds the timeout to the current instant unchecked: a day is
        // as good as forever, and cannot overflow.
        .header_read_timeout(limits.head_timeout.min(Duration::from_secs(24 * 3600)))
        .max_headers(MAX_HEADERS);
    let _ = http
        .serve_connection(io, TowerToHyperService::new(conn.router))
        .await;
}

/// Answers in Linq's shape and closes the connection, giving a client that
/// does not read at most [`WRITE_TIMEOUT`].
async fn refuse(stream: &mut TcpStream, status: u16, reason: &str, code: u32, message: &str) {
    let answer = raw_error(status, reason, code, message);
    let _ = tokio::time::timeout(WRITE_TIMEOUT, async {
        stream.write_all(&answer).await?;
        stream.shutdown().await
    })
    .await;
}

enum HeadError {
    /// The client went away before a full head arrived.
    Closed,
    /// The head is refused with this answer.
    Refused {
        status: u16,
        reason: &'static str,
        code: u32,
        message: String,
    },
}

fn refused(status: u16, reason: &'static str, code: u32, message: impl Into<String>) -> HeadError {
    HeadError::Refused {
        status,
        reason,
        code,
        message: message.into(),
    }
}

/// Reads until the head is complete (returning every byte read, which may
/// include the start of the body), within `max_head_bytes`, and checks it.
async fn read_head(stream: &mut TcpStream, limits: &Limits) -> Result<Vec<u8>, HeadError> {
    let mut buffer = Vec::with_capacity(1024);
    let mut chunk = [0u8; 4096];
    loop {
        let n = stream
            .read(&mut chunk)
            .await
            .map_err(|_| HeadError::Closed)?;
        if n == 0 {
            return Err(HeadError::Closed);
        }
        buffer.extend_from_slice(&chunk[..n]);
        let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
        let mut request = httparse::Request::new(&mut headers);
        match request.parse(&buffer) {
            Ok(httparse::Status::Complete(_)) => {
                check_framing(request.headers, limits)?;
                return Ok(buffer);
            }
            Ok(httparse::Status::Partial) if buffer.len() > limits.max_head_bytes => {
                // No line end yet: the request line itself is too long.
                return Err(if !buffer.windows(2).any(|w| w == b"\r\n") {
                    refused(
                        414,
                        "URI Too Long",
                        1005,
                        format!(
                            "The request line is longer than {} bytes",
                            limits.max_head_bytes
                        ),
                    )
                } else {
                    refused(
                        431,
                        "Request Header Fields Too Large",
                        1005,
                        format!(
                            "The request head is longer than {} bytes",
                            limits.max_head_bytes
                        ),
                    )
                });
            }
            Ok(httparse::Status::Partial) => {}
            Err(httparse::Error::TooManyHeaders) => {
                return Err(refused(
                    431,
                    "Request Header Fields Too Large",
                    1005,
                    format!("A request may carry at most {MAX_HEADERS} headers"),
                ));
            }
            Err(e) => {
                return Err(refused(
                    400,
                    "Bad Request",
                    1003,
                    format!("The request is not well-formed HTTP/1.1: {e}"),
                ));
            }
        }
    }
}

/// One unambiguous body framing, and a body within the limit.
fn check_framing(headers: &[httparse::Header<'_>], limits: &Limits) -> Result<(), HeadError> {
    let framing = |message: &str| refused(400, "Bad Request", 1003, message);
    let mut length: Option<u64> = None;
    let mut chunked = false;
    for header in headers {
        if header.name.eq_ignore_ascii_case("content-length") {
            let value = std::str::from_utf8(header.value)
                .ok()
                .map(str::trim)
                .filter(|v| !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()))
                .and_then(|v| v.parse::<u64>().ok())
                .ok_or_else(|| framing("content-length must be a number"))?;
            if length.is_some_and(|known| known != value) {
                return Err(framing(
                    "The request has conflicting content-length headers",
                ));
            }
            length = Some(value);
        } else if header.name.eq_ignore_ascii_case("transfer-encoding") {
            let value = std::str::from_utf8(header.value).unwrap_or("");
            if !value.trim().eq_ignore_ascii_case("chunked") || chunked {
                return Err(framing("transfer-encoding may only be chunked"));
            }
            chunked = true;
        }
    }
    if chunked && length.is_some() {
        return Err(framing(
            "A request cannot carry both content-length and transfer-encoding",
        ));
    }
    if let Some(length) = length
        && length > limits.max_body_bytes as u64
    {
        return Err(refused(
            413,
            "Content Too Large",
            1003,
            format!(
                "The request body is larger than {} bytes",
                limits.max_body_bytes
            ),
        ));
    }
    Ok(())
}

/// The connection with the bytes already read put back in front.
struct Rewind {
    buffered: Vec<u8>,
    offset: usize,
    stream: TcpStream,
}

impl AsyncRead for Rewind {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = &mut *self;
        if this.offset < this.buffered.len() {
            let rest = &this.buffered[this.offset..];
            let n = rest.len().min(buf.remaining());
            buf.put_slice(&rest[..n]);
            this.offset += n;
            if this.offset == this.buffered.len() {
                this.buffered = Vec::new();
                this.offset = 0;
            }
            return Poll::Ready(Ok(()));
        }
        Pin::new(&mut this.stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for Rewind {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }
}
