//! The one error type every call returns, and Linq's error codes.
//!
//! An [`Error`] is what happened ([`ErrorKind`]) plus the facts of the call
//! it ended (attempts made, a wait the server asked for and was refused),
//! set in one place when the call ends. Every `Display` here says what
//! happened in one level; causes are reached through `source()`, as reqwest
//! does, so that error reporters print each cause once. Server text
//! (messages, trace ids, locations, body excerpts) is escaped and capped
//! before it is shown.

use std::{fmt, sync::Arc, time::Duration};

use reqwest::{StatusCode, header::HeaderMap};

use crate::{
    change::{ChangeKind, ParticipantChange},
    delivery::{Delivery, RefusedWait},
    ids::{ChatIdError, HandleError},
    text::{MESSAGE_CHARS, SHORT_CHARS, shown},
};

/// Everything that can go wrong in a call: what happened, [`Error::kind`],
/// and how the call went: how far its requests got ([`Error::delivery`]),
/// how many were made ([`Error::attempts`]), and the wait that was refused
/// when that is why it stopped ([`Error::refused_wait`]).
///
/// `Display` always says what happened: for an API error the HTTP status,
/// Linq's code and message, and the trace id Linq support asks for.
///
/// ```
/// # async fn run(client: linq_partner::Client) {
/// use linq_partner::{ErrorCode, ErrorKind};
///
/// match client.chats().participants().remove("550e8400-e29b-41d4-a716-446655440000", "+12052499136").await {
///     Ok(queued) => println!("queued, trace id {:?}", queued.trace_id()),
///     Err(error) if error.change_accepted() => {
///         eprintln!("Linq accepted the change, but its answer was unreadable: {error}")
///     }
///     Err(error) => match error.kind() {
///         ErrorKind::Api(api) if api.code() == Some(ErrorCode::ChatUnavailable) => {
///             eprintln!("the chat is unavailable; try later ({error})")
///         }
///         _ => eprintln!("{error}"),
///     },
/// }
/// # }
/// ```
pub struct Error(Box<Facts>);

/// An error's kind and its call's facts, behind one pointer so that a
/// `Result` stays small.
struct Facts {
    kind: ErrorKind,
    attempts: u32,
    delivery: Delivery,
    refused_wait: Option<RefusedWait>,
}

/// What went wrong, from [`Error::kind`].
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Linq answered with an error status and a body in its error format.
    #[error(transparent)]
    Api(ApiError),
    /// No complete answer arrived in time: within one attempt's timeout, or
    /// within the whole call's deadline. No status line had arrived (a
    /// timeout after a 2xx status line is a [`ErrorKind::Decode`] that says
    /// the change was accepted). Unless the time ran out while connecting,
    /// the request may have reached Linq ([`Error::delivery`]).
    #[error("no answer from Linq within {after:?} ({scope})")]
    #[non_exhaustive]
    Timeout {
        /// The time limit that ran out.
        after: Duration,
        /// Which limit it was.
        scope: TimeoutScope,
    },
    /// No connection could be made ([`Delivery::NotSent`]), or the
    /// connection closed or broke after the request may have been written
    /// and before a status line arrived ([`Delivery::MayHaveReached`]):
    /// [`Error::delivery`] tells which. The cause is the
    /// [`source`](std::error::Error::source).
    #[error("could not talk to Linq")]
    #[non_exhaustive]
    Connection {
        /// What went wrong underneath.
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// The server answered, but the HTTP library refused the answer's head
    /// (a malformed status line or headers, such as two different
    /// `content-length` values). The request reached the server, so it was
    /// not sent again; whether a change was applied is not known
    /// ([`Delivery::MayHaveReached`]). The reason is the
    /// [`source`](std::error::Error::source).
    #[error(
        "the server answered, but its answer could not be read; the request was not sent again"
    )]
    #[non_exhaustive]
    UnreadableAnswer {
        /// What the HTTP library refused, or how the answer broke off.
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// An argument was refused before anything was sent. (Not a `source()`:
    /// the message already says all of it.)
    #[error("{0}; nothing was sent")]
    InvalidInput(InvalidInput),
    /// An answer arrived that could not be understood, or whose body could
    /// not be read. When its status was 2xx, Linq accepted the change
    /// ([`Error::change_accepted`]) and it was not sent again.
    #[error(transparent)]
    Decode(DecodeError),
    /// The answer was a redirect. Linq's API does not redirect, so it is not
    /// followed: the call was not sent anywhere else.
    #[error(transparent)]
    Redirect(RedirectError),
    /// A queued change could not be confirmed: it did not show in the chat
    /// within the time given to wait for it (see [`Polling`](crate::Polling)),
    /// or reading the chat failed for good (the failed read is the
    /// [`source`](std::error::Error::source)). Linq had accepted the change,
    /// which may still apply later.
    #[error(transparent)]
    NotConfirmed(NotConfirmed),
    /// The client could not be built from the settings given; match on
    /// [`ConfigError::problem`] to tell which.
    #[error("client configuration: {0}")]
    Config(ConfigError),
    /// Something this crate should have prevented happened (a request the
    /// generated client could not build from the wrapper's values, an answer
    /// that bypassed the recording hooks). Nothing was sent, or the answer
    /// is unknown. Please report it.
    #[error("internal error in linq-partner: {0}")]
    Internal(String),
}

impl Error {
    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.0.kind
    }

    /// What went wrong, taken out of the error.
    pub fn into_kind(self) -> ErrorKind {
        self.0.kind
    }

    /// How many requests the call made before it failed: its attempts, or
    /// for [`ErrorKind::NotConfirmed`] the reads of the chat (0 when nothing
    /// was sent).
    pub fn attempts(&self) -> u32 {
        self.0.attempts
    }

    /// How far the call's requests got, over all its attempts: not sent,
    /// refused, may have reached Linq, or accepted.
    ///
    /// ```
    /// use linq_partner::{Delivery, Error, ErrorKind};
    ///
    /// let error = Error::from(ErrorKind::Internal("example".into()));
    /// assert_eq!(error.delivery(), Delivery::NotSent);
    /// ```
    pub fn delivery(&self) -> Delivery {
        self.0.delivery
    }

    /// The wait before the next attempt that a limit refused (the longest
    /// wait a server may ask for, or the call's deadline), when that is why
    /// a call that could have been retried stopped.
    pub fn refused_wait(&self) -> Option<RefusedWait> {
        self.0.refused_wait
    }

    /// A timeout error, as a call that ran out of time returns it after one
    /// attempt; for tests of code that handles the SDK's errors. Other kinds
    /// convert with `From` (`Error::from(ApiError::new(status))`).
    ///
    /// ```
    /// use std::time::Duration;
    /// use linq_partner::{Error, TimeoutScope};
    ///
    /// let error = Error::timeout(Duration::from_secs(60), TimeoutScope::Attempt);
    /// assert_eq!(error.attempts(), 1);
    /// ```
    pub fn timeout(after: Duration, scope: TimeoutScope) -> Self {
        ErrorKind::Timeout { after, scope }.into()
    }

    /// The same error, as the end of a call that made `attempts` attempts,
    /// whose earlier attempts got as far as `earlier`, and that stopped
    /// because `refused_wait` was refused.
    pub(crate) fn ending_call(
        mut self,
        attempts: u32,
        earlier: Delivery,
        refused_wait: Option<RefusedWait>,
    ) -> Self {
        self.0.attempts = attempts;
        self.0.delivery = earlier.and_then(self.0.delivery);
        self.0.refused_wait = refused_wait;
        self
    }

    /// The same error, for an attempt known to have got as far as `delivery`.
    pub(crate) fn delivered(mut self, delivery: Delivery) -> Self {
        self.0.delivery = delivery;
        self
    }

    /// The HTTP status of the answer, when one arrived.
    pub fn status(&self) -> Option<StatusCode> {
        self.answer_head().map(|(status, _)| status)
    }

    /// The answer's headers, when one arrived.
    pub fn headers(&self) -> Option<&HeaderMap> {
        self.answer_head().map(|(_, headers)| headers)
    }

    /// The status line and headers of the answer the error was made from.
    fn answer_head(&self) -> Option<(StatusCode, &HeaderMap)> {
        match self.kind() {
            ErrorKind::Api(api) => Some((api.status, &api.headers)),
            ErrorKind::Decode(decode) => Some((decode.status, &decode.headers)),
            ErrorKind::Redirect(redirect) => Some((redirect.status, &redirect.headers)),
            _ => None,
        }
    }

    /// Whether Linq answered a change with a 2xx status, and so accepted it,
    /// although the call failed afterwards: its answer could not be read
    /// ([`ErrorKind::Decode`]), or the change could not be confirmed
    /// ([`ErrorKind::NotConfirmed`]). Such a change is never sent again:
    /// sending it a second time would repeat it.
    ///
    /// ```
    /// # async fn run(client: linq_partner::Client) -> Result<(), linq_partner::Error> {
    /// let outcome = client.chats().participants().remove("550e8400-e29b-41d4-a716-446655440000", "+12052499136").await;
    /// match outcome {
    ///     Ok(_) => {}
    ///     Err(error) if error.change_accepted() => {} // queued all the same
    ///     Err(error) => return Err(error),
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn change_accepted(&self) -> bool {
        match self.kind() {
            ErrorKind::Decode(decode) => decode.change_accepted(),
            ErrorKind::NotConfirmed(_) => true,
            _ => false,
        }
    }

    /// The trace id Linq gave the answer, when there is one. It is the
    /// server's text, unescaped: escape it before printing it raw.
    pub fn trace_id(&self) -> Option<&str> {
        match self.kind() {
            ErrorKind::Api(api) => api.trace_id(),
            _ => None,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.kind(), f)?;
        // A wait's own message counts its reads of the chat.
        if self.0.attempts > 1 && !matches!(self.kind(), ErrorKind::NotConfirmed(_)) {
            write!(f, ", after {} attempts", self.0.attempts)?;
        }
        // Where the kind alone does not say how far the requests got.
        match (self.kind(), self.0.delivery) {
            (ErrorKind::Connection { .. } | ErrorKind::Timeout { .. }, delivery) => {
                write!(f, "; {delivery}")?
            }
            (ErrorKind::UnreadableAnswer { .. } | ErrorKind::Redirect(_), _) => {}
            (_, Delivery::MayHaveReached) => {
                f.write_str("; an earlier attempt may have reached Linq")?
            }
            _ => {}
        }
        match &self.0.refused_wait {
            Some(refused) => write!(f, "; {refused}"),
            None => Ok(()),
        }
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("kind", self.kind())
            .field("attempts", &self.0.attempts)
            .field("delivery", &self.0.delivery)
            .field("refused_wait", &self.0.refused_wait)
            .finish()
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        std::error::Error::source(self.kind())
    }
}

impl From<ErrorKind> for Error {
    /// An error of this kind, as after one attempt when the kind is made
    /// from an attempt, and after none otherwise; its delivery is what the
    /// kind alone tells (a connection failure or timeout may have reached
    /// Linq unless known otherwise).
    fn from(kind: ErrorKind) -> Self {
        let attempts = match kind {
            ErrorKind::InvalidInput(_) | ErrorKind::Config(_) | ErrorKind::Internal(_) => 0,
            ErrorKind::NotConfirmed(ref waited) => waited.reads,
            _ => 1,
        };
        let delivery = match &kind {
            ErrorKind::InvalidInput(_) | ErrorKind::Config(_) | ErrorKind::Internal(_) => {
                Delivery::NotSent
            }
            ErrorKind::Api(_) => Delivery::Refused,
            ErrorKind::Decode(decode) if decode.status.is_success() => Delivery::Accepted,
            ErrorKind::Decode(_) => Delivery::Refused,
            ErrorKind::Redirect(redirect) if !redirect.followed => Delivery::Refused,
            ErrorKind::NotConfirmed(_) => Delivery::Accepted,
            ErrorKind::Timeout { .. }
            | ErrorKind::Connection { .. }
            | ErrorKind::UnreadableAnswer { .. }
            | ErrorKind::Redirect(_) => Delivery::MayHaveReached,
        };
        Self(Box::new(Facts {
            kind,
            attempts,
            delivery,
            refused_wait: None,
        }))
    }
}

/// `From` conversions into [`Error`] through its [`ErrorKind`].
macro_rules! into_error {
    ($($source:ty => $variant:ident),* $(,)?) => {$(
        impl From<$source> for Error {
            fn from(value: $source) -> Self {
                ErrorKind::$variant(value.into()).into()
            }
        }
    )*};
}

into_error! {
    ApiError => Api,
    DecodeError => Decode,
    RedirectError => Redirect,
    NotConfirmed => NotConfirmed,
    ConfigError => Config,
    InvalidInput => InvalidInput,
    ChatIdError => InvalidInput,
    HandleError => InvalidInput,
}

/// Why a client could not be built, from [`ErrorKind::Config`].
///
/// ```
/// use linq_partner::{ConfigProblem, ErrorKind};
///
/// let error = linq_partner::Client::builder().build().unwrap_err();
/// let ErrorKind::Config(config) = error.kind() else { panic!("{error}") };
/// assert_eq!(config.problem(), ConfigProblem::MissingApiKey);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{detail}")]
pub struct ConfigError {
    problem: ConfigProblem,
    detail: String,
}

impl ConfigError {
    pub(crate) fn new(problem: ConfigProblem, detail: impl Into<String>) -> Self {
        Self {
            problem,
            detail: detail.into(),
        }
    }

    /// Which setting is wrong.
    pub fn problem(&self) -> ConfigProblem {
        self.problem
    }
}

/// Which setting a [`ConfigError`] is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ConfigProblem {
    /// No API key was given (nor set in the environment).
    MissingApiKey,
    /// The API key cannot go in an HTTP header.
    InvalidApiKey,
    /// The base URL is not a URL, or has parts it cannot have.
    InvalidBaseUrl,
    /// The base URL would send the token unencrypted.
    InsecureBaseUrl,
    /// The user agent cannot go in an HTTP header.
    InvalidUserAgent,
    /// The HTTP client could not be built.
    HttpClient,
}

/// A queued change that could not be confirmed, from
/// [`ErrorKind::NotConfirmed`]: it did not show in time, or reading the chat
/// failed for good. Linq had accepted the change, which may still apply.
#[derive(Debug, Clone)]
pub struct NotConfirmed {
    change: ParticipantChange,
    within: Duration,
    reads: u32,
    last_seen: Option<String>,
    /// Waited for a webhook event rather than by reading the chat.
    by_webhook: bool,
    /// The read of the chat that ended the wait early.
    failed_read: Option<Arc<Error>>,
}

impl fmt::Display for NotConfirmed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (what, preposition, event) = match self.change.kind() {
            ChangeKind::Addition => ("addition", "to", "participant.added"),
            _ => ("removal", "from", "participant.removed"),
        };
        write!(
            f,
            "the {what} of {} {preposition} chat {} ",
            self.change.handle(),
            self.change.chat(),
        )?;
        let reads = match self.reads {
            1 => "1 read".to_owned(),
            reads => format!("{reads} reads"),
        };
        if self.failed_read.is_some() {
            return write!(
                f,
                "was queued but could not be confirmed: reading the chat failed ({reads})"
            );
        }
        write!(f, "did not show within {:?} ", self.within)?;
        if self.by_webhook {
            return write!(f, "(no {event} webhook event arrived)");
        }
        let seen = self.last_seen.as_deref().map_or_else(
            || "nothing yet".to_owned(),
            |seen| shown(seen, MESSAGE_CHARS).to_string(),
        );
        write!(f, "({reads} of the chat; last seen: {seen})")
    }
}

impl std::error::Error for NotConfirmed {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.failed_read
            .as_deref()
            .map(|error| error as &(dyn std::error::Error + 'static))
    }
}

impl NotConfirmed {
    /// The change did not show in `reads` reads of the chat within `within`.
    pub(crate) fn new(
        change: ParticipantChange,
        within: Duration,
        reads: u32,
        last_seen: Option<String>,
    ) -> Self {
        Self {
            change,
            within,
            reads,
            last_seen,
            by_webhook: false,
            failed_read: None,
        }
    }

    /// The wait ended at its `reads`th read of the chat, which failed with
    /// `error` and is not worth repeating; `last_seen` is what the reads
    /// before it showed.
    pub(crate) fn read_failed(
        change: ParticipantChange,
        within: Duration,
        reads: u32,
        last_seen: Option<String>,
        error: Error,
    ) -> Self {
        Self {
            failed_read: Some(Arc::new(error)),
            ..Self::new(change, within, reads, last_seen)
        }
    }

    /// No webhook event confirmed `change` within `within`.
    #[cfg(feature = "webhooks")]
    pub(crate) fn by_webhook(change: ParticipantChange, within: Duration) -> Self {
        Self {
            by_webhook: true,
            ..Self::new(change, within, 0, None)
        }
    }

    /// The change waited for.
    pub fn change(&self) -> &ParticipantChange {
        &self.change
    }

    /// How long it was to be waited for.
    pub fn within(&self) -> Duration {
        self.within
    }

    /// How many times the chat was read (0 when the wait was for a webhook
    /// event).
    pub fn reads(&self) -> u32 {
        self.reads
    }

    /// What the last read that answered showed of the handle (or why it
    /// failed in a way worth reading again), as text.
    pub fn last_seen(&self) -> Option<&str> {
        self.last_seen.as_deref()
    }

    /// The read of the chat that failed for good and ended the wait early
    /// (a refusal such as 401 or 404, or a wait Linq asked for that is over
    /// the client's limit); also the [`source`](std::error::Error::source).
    pub fn failed_read(&self) -> Option<&Error> {
        self.failed_read.as_deref()
    }
}

/// An argument that was refused before the call went out.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum InvalidInput {
    /// The chat id is not a UUID.
    #[error(transparent)]
    ChatId(#[from] ChatIdError),
    /// The handle is neither an E.164 phone number nor an email address.
    #[error(transparent)]
    Handle(#[from] HandleError),
}

/// An error answer from Linq, decoded.
#[derive(Clone)]
pub struct ApiError {
    pub(crate) status: StatusCode,
    pub(crate) code: Option<ErrorCode>,
    pub(crate) message: Option<String>,
    pub(crate) trace_id: Option<String>,
    pub(crate) headers: HeaderMap,
}

impl ApiError {
    /// An API error with this status and nothing else; add the rest with
    /// the `with_` methods. For tests of code
    /// that handles the SDK's errors.
    ///
    /// ```
    /// use linq_partner::{ApiError, Error, ErrorCode, reqwest::StatusCode};
    ///
    /// let error = Error::from(
    ///     ApiError::new(StatusCode::CONFLICT)
    ///         .with_code(ErrorCode::ChatUnavailable)
    ///         .with_message("This chat is unavailable"),
    /// );
    /// assert!(error.to_string().contains("2013"));
    /// ```
    pub fn new(status: StatusCode) -> Self {
        Self {
            status,
            code: None,
            message: None,
            trace_id: None,
            headers: HeaderMap::new(),
        }
    }

    /// The same error with Linq's code.
    pub fn with_code(mut self, code: ErrorCode) -> Self {
        self.code = Some(code);
        self
    }

    /// The same error with Linq's message.
    pub fn with_message(mut self, message: impl Into<String>) -> Self {
        self.message = Some(message.into());
        self
    }

    /// The same error with a trace id.
    pub fn with_trace_id(mut self, trace_id: impl Into<String>) -> Self {
        self.trace_id = Some(trace_id.into());
        self
    }

    /// The same error with these headers.
    pub fn with_headers(mut self, headers: HeaderMap) -> Self {
        self.headers = headers;
        self
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The class of error, from the HTTP status, as the official SDKs name it.
    pub fn kind(&self) -> ApiErrorKind {
        ApiErrorKind::from_status(self.status)
    }

    /// Linq's error code.
    pub fn code(&self) -> Option<ErrorCode> {
        self.code
    }

    /// Linq's explanation, whole and unescaped (`Display` shows it escaped
    /// and cut to a few hundred characters).
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// The identifier Linq support asks for, whole and unescaped.
    pub fn trace_id(&self) -> Option<&str> {
        self.trace_id.as_deref()
    }

    /// The answer's headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Linq answered {} ({})", self.status, self.kind())?;
        match self.code {
            Some(code) => write!(f, ", code {code}")?,
            None => f.write_str(", no error code")?,
        }
        match &self.message {
            Some(message) => write!(f, ": \"{}\"", shown(message, MESSAGE_CHARS))?,
            None => f.write_str(": no message")?,
        }
        match &self.trace_id {
            Some(trace_id) => write!(f, " (trace id {})", shown(trace_id, SHORT_CHARS)),
            None => f.write_str(" (no trace id)"),
        }
    }
}

impl fmt::Debug for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiError")
            .field("status", &self.status.as_u16())
            .field("kind", &self.kind())
            .field("code", &self.code)
            .field("message", &self.message.as_deref().map(capped_debug))
            .field("trace_id", &self.trace_id.as_deref().map(capped_debug))
            .finish_non_exhaustive()
    }
}

impl std::error::Error for ApiError {}

/// The class of an API error, by HTTP status, matching the official SDKs'
/// error classes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ApiErrorKind {
    /// 400.
    BadRequest,
    /// 401.
    Authentication,
    /// 403.
    PermissionDenied,
    /// 404.
    NotFound,
    /// 409.
    Conflict,
    /// 422.
    UnprocessableEntity,
    /// 429.
    RateLimited,
    /// 500 to 599.
    InternalServer,
    /// Any other status, including those from 600 on, which HTTP does not
    /// define. Opaque, so that a later version giving a status its own class
    /// does not silently change which `match` arm runs; the status is
    /// [`OtherStatus::status`].
    Other(OtherStatus),
}

/// A status the [`ApiErrorKind`] classes do not name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct OtherStatus(StatusCode);

impl OtherStatus {
    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.0
    }
}

impl ApiErrorKind {
    /// The class of a status.
    ///
    /// ```
    /// use linq_partner::ApiErrorKind;
    /// use reqwest::StatusCode;
    ///
    /// assert_eq!(ApiErrorKind::from_status(StatusCode::CONFLICT), ApiErrorKind::Conflict);
    /// ```
    pub fn from_status(status: StatusCode) -> Self {
        match status.as_u16() {
            400 => Self::BadRequest,
            401 => Self::Authentication,
            403 => Self::PermissionDenied,
            404 => Self::NotFound,
            409 => Self::Conflict,
            422 => Self::UnprocessableEntity,
            429 => Self::RateLimited,
            500..=599 => Self::InternalServer,
            _ => Self::Other(OtherStatus(status)),
        }
    }
}

impl fmt::Display for ApiErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::BadRequest => "bad request",
            Self::Authentication => "authentication",
            Self::PermissionDenied => "permission denied",
            Self::NotFound => "not found",
            Self::Conflict => "conflict",
            Self::UnprocessableEntity => "unprocessable entity",
            Self::RateLimited => "rate limited",
            Self::InternalServer => "internal server error",
            Self::Other(_) => "unexpected status",
        })
    }
}

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
    /// use linq_partner::{DecodeError, reqwest::{StatusCode, header::HeaderMap}};
    ///
    /// let error = DecodeError::new(StatusCode::ACCEPTED, HeaderMap::new(), "cut off", b"{\"mess");
    /// assert!(error.change_accepted());
    /// ```
    pub fn new(
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
    /// use linq_partner::{RedirectError, reqwest::StatusCode};
    ///
    /// let error = RedirectError::new(StatusCode::FOUND, Some("https://example.com/".into()));
    /// assert!(!error.followed());
    /// ```
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

/// Which time limit ran out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TimeoutScope {
    /// One attempt's timeout.
    Attempt,
    /// The deadline of the whole call, retries and waits included.
    Call,
}

impl fmt::Display for TimeoutScope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TimeoutScope::Attempt => "the timeout of one attempt",
            TimeoutScope::Call => "the deadline of the whole call",
        })
    }
}

/// Server text in `Debug` output: cut like in `Display` (`Debug` of a
/// `String` escapes it already).
fn capped_debug(text: &str) -> String {
    crate::text::capped(text.to_owned(), MESSAGE_CHARS)
}

macro_rules! error_codes {
    ($($(#[$doc:meta])* $variant:ident = $code:literal, $name:literal;)*) => {
        /// Linq's numeric error codes. The thousands digit is the family:
        /// 1 request, 2 resource, 3 infrastructure, 4 delivery, 5 attachments.
        /// Codes published after this crate keep their number in
        /// [`ErrorCode::Unknown`].
        ///
        /// ```
        /// use linq_partner::ErrorCode;
        ///
        /// assert_eq!(ErrorCode::from_number(2013), ErrorCode::ChatUnavailable);
        /// let later = ErrorCode::from_number(9999);
        /// assert!(matches!(later, ErrorCode::Unknown(_)));
        /// assert_eq!((later.number(), later.name()), (9999, None));
        /// ```
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum ErrorCode {
            $($(#[$doc])* $variant,)*
            /// A code this version of the crate does not know yet. Its number
            /// is [`ErrorCode::number`]; the value cannot be matched on, so
            /// that a later version naming the code does not silently change
            /// which arm of a `match` runs.
            Unknown(UnknownCode),
        }

        impl ErrorCode {
            /// The code for a number.
            pub fn from_number(number: i64) -> Self {
                match number {
                    $($code => Self::$variant,)*
                    other => Self::Unknown(UnknownCode(other)),
                }
            }

            /// The number Linq sends.
            pub fn number(self) -> i64 {
                match self {
                    $(Self::$variant => $code,)*
                    Self::Unknown(UnknownCode(number)) => number,
                }
            }

            /// Linq's name for the code, `None` for an unknown one.
            pub fn name(self) -> Option<&'static str> {
                match self {
                    $(Self::$variant => Some($name),)*
                    Self::Unknown(_) => None,
                }
            }
        }
    };
}

/// An error code this version of the crate does not name: opaque, so that it
/// is compared through [`ErrorCode::number`] and never matched by value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct UnknownCode(i64);

error_codes! {
    /// A required field is missing.
    MissingRequiredField = 1001, "missing_required_field";
    /// A phone number is not in E.164 form.
    InvalidPhoneFormat = 1002, "invalid_phone_format";
    /// The request body is not valid.
    InvalidRequestBody = 1003, "invalid_request_body";
    /// Message content is not valid.
    InvalidMessageContent = 1004, "invalid_message_content";
    /// A parameter is not valid.
    InvalidParameter = 1005, "invalid_parameter";
    /// Direct-message chats cannot be changed.
    CannotUpdateDm = 1006, "cannot_update_dm";
    /// Too many requests.
    RateLimitExceeded = 1007, "rate_limit_exceeded";
    /// The chat does not exist (also used for any missing resource).
    ChatNotFound = 2001, "chat_not_found";
    /// The message does not exist.
    MessageNotFound = 2002, "message_not_found";
    /// The attachment does not exist.
    AttachmentNotFound = 2003, "attachment_not_found";
    /// The token is missing or not valid.
    Unauthorized = 2004, "unauthorized";
    /// The token may not do this.
    AccessDenied = 2005, "access_denied";
    /// The token may not use this phone number.
    PhonePermissionDenied = 2006, "phone_permission_denied";
    /// The attachment is still being processed.
    AttachmentNotReady = 2007, "attachment_not_ready";
    /// The recipient is not allowed.
    RecipientNotAllowed = 2008, "recipient_not_allowed";
    /// The chat is unavailable for now.
    ChatUnavailable = 2013, "chat_unavailable";
    /// Linq could not reach its database.
    DatabaseConnection = 3001, "database_connection";
    /// A database query failed.
    DatabaseQuery = 3002, "database_query";
    /// Linq could not reach its event stream.
    EventStreamConnection = 3003, "event_stream_connection";
    /// Publishing to the event stream failed.
    EventStreamPublish = 3004, "event_stream_publish";
    /// An internal network call timed out.
    NetworkTimeout = 3005, "network_timeout";
    /// An internal error.
    InternalError = 3006, "internal_error";
    /// Linq gave up after its own retries.
    RetriesExhausted = 3007, "retries_exhausted";
    /// Delivery failed.
    DeliveryFailed = 4001, "delivery_failed";
    /// The phone number is not available.
    PhoneNotAvailable = 4002, "phone_not_available";
    /// A webhook could not be delivered.
    WebhookDeliveryFailed = 4003, "webhook_delivery_failed";
    /// A downstream service is unavailable.
    ServiceUnavailable = 4004, "service_unavailable";
    /// A file upload failed.
    FileUploadFailed = 5001, "file_upload_failed";
    /// A file download failed.
    FileDownloadFailed = 5002, "file_download_failed";
    /// A presigned URL could not be made.
    PresignedUrlFailed = 5003, "presigned_url_failed";
    /// The file type is not accepted.
    InvalidFileType = 5004, "invalid_file_type";
    /// The file is too large.
    FileTooLarge = 5005, "file_too_large";
    /// The content type does not match the file.
    ContentTypeMismatch = 5006, "content_type_mismatch";
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(name) => write!(f, "{} {name}", self.number()),
            None => write!(f, "{} (not known to this client)", self.number()),
        }
    }
}
