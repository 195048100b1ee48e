//! The one error type every call returns, and Linq's error codes.
//!
//! An [`Error`] is what happened ([`ErrorKind`]) plus the facts of the call
//! it ended (attempts made, a wait the server asked for and was refused),
//! set in one place when the call ends. Every `Display` here says what
//! happened in one level; causes are reached through `source()`, as reqwest
//! does, so that error reporters print each cause once. Server text
//! (messages, trace ids, locations, body excerpts) is escaped and capped
//! before it is shown.

use std::{fmt, time::Duration};

use reqwest::{StatusCode, header::HeaderMap};

mod api;
mod codes;
mod delivery;
mod not_confirmed;
mod registry;
mod settings;
mod unreadable;

pub use api::{ApiError, OtherStatus, StatusClass};
pub use codes::{ErrorCode, UnknownErrorCode};
pub use delivery::{Delivery, RefusedWait, WaitLimit};
pub use not_confirmed::NotConfirmed;
pub use registry::{RegistryError, RegistryProblem};
pub use settings::{ConfigError, ConfigProblem, InvalidInput, TimeoutScope};
pub use unreadable::{DecodeError, RedirectError};

pub use crate::ids::{ChatIdError, HandleError, HandleProblem};

/// Server text in `Debug` output: cut like in `Display` (`Debug` of a
/// `String` escapes it already).
fn capped_debug(text: &str) -> String {
    crate::text::capped(text.to_owned(), crate::text::MESSAGE_CHARS)
}

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
    /// The registry of [`Confirmations`](crate::webhooks::Confirmations)
    /// failed before anything was sent: its database could not store an
    /// event or register a wait, or a setting was refused.
    #[error(transparent)]
    Registry(RegistryError),
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
    /// use linq_partner::{Error, error::TimeoutScope};
    ///
    /// let error = Error::timeout(Duration::from_secs(60), TimeoutScope::Attempt);
    /// assert_eq!(error.attempts(), 1);
    /// ```
    #[cfg(feature = "test-util")]
    #[cfg_attr(docsrs, doc(cfg(feature = "test-util")))]
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
            ErrorKind::InvalidInput(_)
            | ErrorKind::Config(_)
            | ErrorKind::Registry(_)
            | ErrorKind::Internal(_) => 0,
            ErrorKind::NotConfirmed(ref waited) => waited.reads(),
            _ => 1,
        };
        let delivery = match &kind {
            ErrorKind::InvalidInput(_)
            | ErrorKind::Config(_)
            | ErrorKind::Registry(_)
            | ErrorKind::Internal(_) => Delivery::NotSent,
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
    RegistryError => Registry,
    InvalidInput => InvalidInput,
    ChatIdError => InvalidInput,
    HandleError => InvalidInput,
}
