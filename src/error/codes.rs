//! Linq's numeric error codes, open to codes added later.

use std::fmt;

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
            Unknown(UnknownErrorCode),
        }

        impl ErrorCode {
            /// The code for a number.
            pub fn from_number(number: i64) -> Self {
                match number {
                    $($code => Self::$variant,)*
                    other => Self::Unknown(UnknownErrorCode(other)),
                }
            }

            /// The number Linq sends.
            pub fn number(self) -> i64 {
                match self {
                    $(Self::$variant => $code,)*
                    Self::Unknown(UnknownErrorCode(number)) => number,
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
pub struct UnknownErrorCode(i64);

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
