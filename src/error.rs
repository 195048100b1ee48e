//! The one error type every call returns, and Linq's error codes.

use std::{fmt, time::Duration};

use reqwest::{StatusCode, header::HeaderMap};

use crate::ids::{ChatIdError, HandleError};

/// Everything that can go wrong in a call.
///
/// `Display` always says what happened: for an API error the HTTP status,
/// Linq's code and message, and the trace id Linq support asks for.
///
/// ```
/// # async fn run(client: linq_partner::Client) {
/// use linq_partner::{Error, ErrorCode};
///
/// match client.chats().participants().remove("550e8400-e29b-41d4-a716-446655440000", "+12052499136").await {
///     Ok(queued) => println!("queued, trace id {:?}", queued.trace_id()),
///     Err(Error::Api(api)) if api.code() == Some(ErrorCode::ChatUnavailable) => {
///         eprintln!("the chat is unavailable; try later ({api})")
///     }
///     Err(other) => eprintln!("{other}"),
/// }
/// # }
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Linq answered with an error status and a body in its error format.
    #[error(transparent)]
    Api(Box<ApiError>),
    /// No complete answer arrived in time: within one attempt's timeout, or
    /// within the whole call's deadline.
    #[error("no answer from Linq within {after:?} ({scope}){}", attempts_note(*attempts))]
    Timeout {
        /// The time limit that ran out.
        after: Duration,
        /// Which limit it was.
        scope: TimeoutScope,
        /// How many attempts were made.
        attempts: u32,
    },
    /// The request could not be delivered, or the connection broke.
    #[error("could not talk to Linq: {}{}", with_causes(source), attempts_note(*attempts))]
    Connection {
        /// What went wrong underneath.
        #[source]
        source: reqwest::Error,
        /// How many attempts were made.
        attempts: u32,
    },
    /// An argument was refused before anything was sent.
    #[error("{0}; nothing was sent")]
    InvalidInput(#[from] InvalidInput),
    /// An answer arrived that could not be understood.
    #[error(transparent)]
    Decode(Box<DecodeError>),
    /// The client could not be built from the settings given.
    #[error("client configuration: {0}")]
    Config(String),
}

impl Error {
    /// The HTTP status of the answer, when one arrived.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(api) => Some(api.status),
            Error::Decode(decode) => Some(decode.status),
            Error::Connection { source, .. } => source.status(),
            _ => None,
        }
    }

    /// How many attempts the call made before it failed (0 when nothing was
    /// sent).
    pub fn attempts(&self) -> u32 {
        match self {
            Error::Api(api) => api.attempts,
            Error::Decode(decode) => decode.attempts,
            Error::Timeout { attempts, .. } | Error::Connection { attempts, .. } => *attempts,
            Error::InvalidInput(_) | Error::Config(_) => 0,
        }
    }

    /// Records the attempts made and, when the server asked for a wait over
    /// the limit, that wait.
    pub(crate) fn finish(mut self, made: u32, refused_wait: Option<Duration>) -> Self {
        match &mut self {
            Error::Api(api) => {
                api.attempts = made;
                api.refused_wait = refused_wait;
            }
            Error::Decode(decode) => {
                decode.attempts = made;
                decode.refused_wait = refused_wait;
            }
            Error::Timeout { attempts, .. } | Error::Connection { attempts, .. } => {
                *attempts = made
            }
            Error::InvalidInput(_) | Error::Config(_) => {}
        }
        self
    }

    /// The trace id Linq gave the answer, when there is one.
    pub fn trace_id(&self) -> Option<&str> {
        match self {
            Error::Api(api) => api.trace_id(),
            _ => None,
        }
    }
}

impl From<ChatIdError> for Error {
    fn from(error: ChatIdError) -> Self {
        Error::InvalidInput(InvalidInput::ChatId(error))
    }
}

impl From<HandleError> for Error {
    fn from(error: HandleError) -> Self {
        Error::InvalidInput(InvalidInput::Handle(error))
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
    pub(crate) attempts: u32,
    pub(crate) refused_wait: Option<Duration>,
}

impl ApiError {
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

    /// Linq's explanation.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// The identifier Linq support asks for.
    pub fn trace_id(&self) -> Option<&str> {
        self.trace_id.as_deref()
    }

    /// The answer's headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// How many attempts the call made.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// The wait Linq asked for when it was longer than the client's limit,
    /// which is why the call was not retried.
    pub fn refused_wait(&self) -> Option<Duration> {
        self.refused_wait
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
            Some(message) => write!(f, ": {message:?}")?,
            None => f.write_str(": no message")?,
        }
        match &self.trace_id {
            Some(trace_id) => write!(f, " (trace id {trace_id})")?,
            None => f.write_str(" (no trace id)")?,
        }
        write_retry_notes(f, self.attempts, self.refused_wait)
    }
}

impl fmt::Debug for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiError")
            .field("status", &self.status.as_u16())
            .field("kind", &self.kind())
            .field("code", &self.code)
            .field("message", &self.message)
            .field("trace_id", &self.trace_id)
            .field("attempts", &self.attempts)
            .field("refused_wait", &self.refused_wait)
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
    /// 500 and above.
    InternalServer,
    /// Any other status.
    Other,
}

impl ApiErrorKind {
    /// The class of a status.
    pub fn from_status(status: StatusCode) -> Self {
        match status.as_u16() {
            400 => Self::BadRequest,
            401 => Self::Authentication,
            403 => Self::PermissionDenied,
            404 => Self::NotFound,
            409 => Self::Conflict,
            422 => Self::UnprocessableEntity,
            429 => Self::RateLimited,
            500.. => Self::InternalServer,
            _ => Self::Other,
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
            Self::Other => "unexpected status",
        })
    }
}

/// An answer that could not be decoded: the status and headers are kept, and
/// a bounded excerpt of the body.
#[derive(Clone)]
pub struct DecodeError {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) reason: String,
    pub(crate) excerpt: String,
    pub(crate) bytes_read: usize,
    pub(crate) attempts: u32,
    pub(crate) refused_wait: Option<Duration>,
}

impl DecodeError {
    /// How many bytes of the body are kept, at most.
    pub const EXCERPT_BYTES: usize = 512;

    pub(crate) fn new(
        status: StatusCode,
        headers: HeaderMap,
        reason: impl Into<String>,
        body: &[u8],
    ) -> Self {
        let cut = &body[..body.len().min(Self::EXCERPT_BYTES)];
        Self {
            status,
            headers,
            reason: reason.into(),
            excerpt: String::from_utf8_lossy(cut).into_owned(),
            bytes_read: body.len(),
            attempts: 1,
            refused_wait: None,
        }
    }

    /// The answer's headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// How many attempts the call made.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
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
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        /// Enough of the body to recognise it in a log line.
        const DISPLAY_CHARS: usize = 120;
        write!(
            f,
            "Linq answered {} with a body that could not be decoded: {}",
            self.status, self.reason
        )?;
        if self.excerpt.is_empty() {
            f.write_str("; the body is empty")?;
        } else {
            let shown: String = self.excerpt.chars().take(DISPLAY_CHARS).collect();
            let more = if shown.len() < self.bytes_read {
                "…"
            } else {
                ""
            };
            write!(f, "; the body starts {shown:?}{more}")?;
        }
        write_retry_notes(f, self.attempts, self.refused_wait)
    }
}

impl fmt::Debug for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DecodeError")
            .field("status", &self.status.as_u16())
            .field("reason", &self.reason)
            .field("excerpt", &self.excerpt)
            .field("bytes_read", &self.bytes_read)
            .field("attempts", &self.attempts)
            .field("refused_wait", &self.refused_wait)
            .finish_non_exhaustive()
    }
}

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

/// reqwest's message alone ("error sending request") hides the cause, such
/// as a refused connection, in its sources.
fn with_causes(error: &reqwest::Error) -> String {
    let mut message = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    message
}

fn attempts_note(attempts: u32) -> String {
    if attempts > 1 {
        format!(", after {attempts} attempts")
    } else {
        String::new()
    }
}

fn write_retry_notes(
    f: &mut fmt::Formatter<'_>,
    attempts: u32,
    refused_wait: Option<Duration>,
) -> fmt::Result {
    f.write_str(&attempts_note(attempts))?;
    match refused_wait {
        Some(wait) => write!(
            f,
            "; not retried: Linq asked to wait {wait:?}, longer than this client's limit"
        ),
        None => Ok(()),
    }
}

impl std::error::Error for DecodeError {}

macro_rules! error_codes {
    ($($(#[$doc:meta])* $variant:ident = $code:literal, $name:literal;)*) => {
        /// Linq's numeric error codes. The thousands digit is the family:
        /// 1 request, 2 resource, 3 infrastructure, 4 delivery, 5 attachments.
        /// Codes published after this crate keep their number in
        /// [`ErrorCode::Unknown`].
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum ErrorCode {
            $($(#[$doc])* $variant,)*
            /// A code this version of the crate does not know yet.
            Unknown(i64),
        }

        impl ErrorCode {
            /// The code for a number.
            pub fn from_number(number: i64) -> Self {
                match number {
                    $($code => Self::$variant,)*
                    other => Self::Unknown(other),
                }
            }

            /// The number Linq sends.
            pub fn number(self) -> i64 {
                match self {
                    $(Self::$variant => $code,)*
                    Self::Unknown(number) => number,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for number in [
            1001, 1007, 2001, 2008, 2013, 3001, 3007, 4001, 4004, 5001, 5006,
        ] {
            let code = ErrorCode::from_number(number);
            assert!(code.name().is_some(), "{number} should be known");
            assert_eq!(code.number(), number);
        }
        assert_eq!(ErrorCode::from_number(9999), ErrorCode::Unknown(9999));
        assert_eq!(
            ErrorCode::Unknown(9999).to_string(),
            "9999 (not known to this client)"
        );
        assert_eq!(
            ErrorCode::ChatUnavailable.to_string(),
            "2013 chat_unavailable"
        );
    }

    #[test]
    fn kinds_follow_status() {
        let kind = |n| ApiErrorKind::from_status(StatusCode::from_u16(n).unwrap());
        assert_eq!(kind(400), ApiErrorKind::BadRequest);
        assert_eq!(kind(401), ApiErrorKind::Authentication);
        assert_eq!(kind(403), ApiErrorKind::PermissionDenied);
        assert_eq!(kind(404), ApiErrorKind::NotFound);
        assert_eq!(kind(409), ApiErrorKind::Conflict);
        assert_eq!(kind(422), ApiErrorKind::UnprocessableEntity);
        assert_eq!(kind(429), ApiErrorKind::RateLimited);
        assert_eq!(kind(503), ApiErrorKind::InternalServer);
        assert_eq!(kind(418), ApiErrorKind::Other);
    }
}
