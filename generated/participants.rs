// Generated from openapi.yaml by `cargo xtask codegen` (fingerprint 7f2f066b7614349f of the spec and
// the generator's version and settings). Do not edit: change the spec, then run it again.

#[allow(unused_imports)]
pub use progenitor_client::{ByteStream, ClientInfo, Error, ResponseValue};
#[allow(unused_imports)]
use progenitor_client::{encode_path, ClientHooks, OperationInfo, RequestBuilderExt};
/// Types used as operation parameters and responses.
#[allow(clippy::all)]
pub mod types {
    ///`AddParticipantRequest`
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug)]
    pub struct AddParticipantRequest {
        pub handle: ::std::string::String,
    }
    impl AddParticipantRequest {
        pub fn builder() -> builder::AddParticipantRequest {
            Default::default()
        }
    }
    ///`AddParticipantResponse`
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, Default)]
    pub struct AddParticipantResponse {
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub message: ::std::option::Option<::std::string::String>,
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub status: ::std::option::Option<::std::string::String>,
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub trace_id: ::std::option::Option<::std::string::String>,
    }
    impl AddParticipantResponse {
        pub fn builder() -> builder::AddParticipantResponse {
            Default::default()
        }
    }
    ///`Chat`
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug)]
    pub struct Chat {
        pub created_at: ::chrono::DateTime<::chrono::offset::Utc>,
        #[serde(deserialize_with = "::std::option::Option::deserialize")]
        pub display_name: ::std::option::Option<::std::string::String>,
        pub handles: ::std::vec::Vec<ChatHandle>,
        pub id: ::uuid::Uuid,
        pub is_archived: bool,
        pub is_group: bool,
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub service: ::std::option::Option<::std::string::String>,
        pub updated_at: ::chrono::DateTime<::chrono::offset::Utc>,
    }
    impl Chat {
        pub fn builder() -> builder::Chat {
            Default::default()
        }
    }
    ///`ChatHandle`
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug)]
    pub struct ChatHandle {
        pub handle: ::std::string::String,
        pub id: ::uuid::Uuid,
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub is_me: ::std::option::Option<bool>,
        pub joined_at: ::chrono::DateTime<::chrono::offset::Utc>,
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub left_at: ::std::option::Option<::chrono::DateTime<::chrono::offset::Utc>>,
        pub service: ::std::string::String,
        #[serde(default = "defaults::chat_handle_status")]
        pub status: ::std::option::Option<::std::string::String>,
    }
    impl ChatHandle {
        pub fn builder() -> builder::ChatHandle {
            Default::default()
        }
    }
    /**Linq's error code; the thousands digit is its family (1 request, 2 resource, 3 infrastructure, 4 delivery, 5 attachments). New codes appear over time.
*/
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug)]
    #[serde(transparent)]
    pub struct ErrorCode(pub i64);
    impl ::std::ops::Deref for ErrorCode {
        type Target = i64;
        fn deref(&self) -> &i64 {
            &self.0
        }
    }
    impl ::std::convert::From<ErrorCode> for i64 {
        fn from(value: ErrorCode) -> Self {
            value.0
        }
    }
    impl ::std::convert::From<i64> for ErrorCode {
        fn from(value: i64) -> Self {
            Self(value)
        }
    }
    impl ::std::fmt::Display for ErrorCode {
        fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
            self.0.fmt(f)
        }
    }
    impl ::std::str::FromStr for ErrorCode {
        type Err = <i64 as ::std::str::FromStr>::Err;
        fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
            Ok(Self(value.parse()?))
        }
    }
    impl ::std::convert::TryFrom<&str> for ErrorCode {
        type Error = <i64 as ::std::str::FromStr>::Err;
        fn try_from(value: &str) -> ::std::result::Result<Self, Self::Error> {
            value.parse()
        }
    }
    impl ::std::convert::TryFrom<String> for ErrorCode {
        type Error = <i64 as ::std::str::FromStr>::Err;
        fn try_from(value: String) -> ::std::result::Result<Self, Self::Error> {
            value.parse()
        }
    }
    ///`ErrorDetail`
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, Default)]
    pub struct ErrorDetail {
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub code: ::std::option::Option<ErrorCode>,
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub message: ::std::option::Option<::std::string::String>,
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub status: ::std::option::Option<i64>,
    }
    impl ErrorDetail {
        pub fn builder() -> builder::ErrorDetail {
            Default::default()
        }
    }
    /**The body of every error answer.
*/
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug)]
    pub struct ErrorResponse {
        pub error: ErrorDetail,
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub success: ::std::option::Option<bool>,
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub trace_id: ::std::option::Option<::std::string::String>,
    }
    impl ErrorResponse {
        pub fn builder() -> builder::ErrorResponse {
            Default::default()
        }
    }
    ///`ParticipantAddedEvent`
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug)]
    pub struct ParticipantAddedEvent {
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub added_at: ::std::option::Option<::chrono::DateTime<::chrono::offset::Utc>>,
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub chat_id: ::std::option::Option<::std::string::String>,
        pub handle: ::std::string::String,
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub participant: ::std::option::Option<ChatHandle>,
    }
    impl ParticipantAddedEvent {
        pub fn builder() -> builder::ParticipantAddedEvent {
            Default::default()
        }
    }
    ///`ParticipantAddedWebhook`
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug)]
    pub struct ParticipantAddedWebhook {
        pub api_version: ::std::string::String,
        pub created_at: ::chrono::DateTime<::chrono::offset::Utc>,
        pub data: ParticipantAddedEvent,
        pub event_id: ::uuid::Uuid,
        pub event_type: WebhookEventType,
        pub partner_id: ::std::string::String,
        pub trace_id: ::std::string::String,
        pub webhook_version: ::std::string::String,
    }
    impl ParticipantAddedWebhook {
        pub fn builder() -> builder::ParticipantAddedWebhook {
            Default::default()
        }
    }
    ///`ParticipantRemovedEvent`
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug)]
    pub struct ParticipantRemovedEvent {
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub chat_id: ::std::option::Option<::std::string::String>,
        pub handle: ::std::string::String,
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub participant: ::std::option::Option<ChatHandle>,
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub removed_at: ::std::option::Option<::chrono::DateTime<::chrono::offset::Utc>>,
    }
    impl ParticipantRemovedEvent {
        pub fn builder() -> builder::ParticipantRemovedEvent {
            Default::default()
        }
    }
    ///`ParticipantRemovedWebhook`
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug)]
    pub struct ParticipantRemovedWebhook {
        pub api_version: ::std::string::String,
        pub created_at: ::chrono::DateTime<::chrono::offset::Utc>,
        pub data: ParticipantRemovedEvent,
        pub event_id: ::uuid::Uuid,
        pub event_type: WebhookEventType,
        pub partner_id: ::std::string::String,
        pub trace_id: ::std::string::String,
        pub webhook_version: ::std::string::String,
    }
    impl ParticipantRemovedWebhook {
        pub fn builder() -> builder::ParticipantRemovedWebhook {
            Default::default()
        }
    }
    ///`RemoveParticipantRequest`
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug)]
    pub struct RemoveParticipantRequest {
        pub handle: ::std::string::String,
    }
    impl RemoveParticipantRequest {
        pub fn builder() -> builder::RemoveParticipantRequest {
            Default::default()
        }
    }
    ///`RemoveParticipantResponse`
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, Default)]
    pub struct RemoveParticipantResponse {
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub message: ::std::option::Option<::std::string::String>,
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub status: ::std::option::Option<::std::string::String>,
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub trace_id: ::std::option::Option<::std::string::String>,
    }
    impl RemoveParticipantResponse {
        pub fn builder() -> builder::RemoveParticipantResponse {
            Default::default()
        }
    }
    ///`WebhookEnvelopeBase`
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug)]
    pub struct WebhookEnvelopeBase {
        pub api_version: ::std::string::String,
        pub created_at: ::chrono::DateTime<::chrono::offset::Utc>,
        pub data: ::serde_json::Value,
        pub event_id: ::uuid::Uuid,
        pub event_type: WebhookEventType,
        pub partner_id: ::std::string::String,
        pub trace_id: ::std::string::String,
        pub webhook_version: ::std::string::String,
    }
    impl WebhookEnvelopeBase {
        pub fn builder() -> builder::WebhookEnvelopeBase {
            Default::default()
        }
    }
    ///`WebhookEventType`
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Debug,
        Eq,
        Hash,
        Ord,
        PartialEq,
        PartialOrd
    )]
    #[serde(transparent)]
    pub struct WebhookEventType(pub ::std::string::String);
    impl ::std::ops::Deref for WebhookEventType {
        type Target = ::std::string::String;
        fn deref(&self) -> &::std::string::String {
            &self.0
        }
    }
    impl ::std::convert::From<WebhookEventType> for ::std::string::String {
        fn from(value: WebhookEventType) -> Self {
            value.0
        }
    }
    impl ::std::convert::From<::std::string::String> for WebhookEventType {
        fn from(value: ::std::string::String) -> Self {
            Self(value)
        }
    }
    impl ::std::fmt::Display for WebhookEventType {
        fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
            self.0.fmt(f)
        }
    }
    impl ::std::str::FromStr for WebhookEventType {
        type Err = ::std::convert::Infallible;
        fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
            Ok(Self(value.to_string()))
        }
    }
    /// Types for composing complex structures.
    pub mod builder {
        #[derive(Clone, Debug)]
        pub struct AddParticipantRequest {
            handle: ::std::result::Result<::std::string::String, ::std::string::String>,
        }
        impl ::std::default::Default for AddParticipantRequest {
            fn default() -> Self {
                Self {
                    handle: Err("no value supplied for handle".to_string()),
                }
            }
        }
        impl AddParticipantRequest {
            pub fn handle<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::string::String>,
                T::Error: ::std::fmt::Display,
            {
                self.handle = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for handle: {e}")
                    });
                self
            }
        }
        impl ::std::convert::TryFrom<AddParticipantRequest>
        for super::AddParticipantRequest {
            type Error = super::error::ConversionError;
            fn try_from(
                value: AddParticipantRequest,
            ) -> ::std::result::Result<Self, super::error::ConversionError> {
                Ok(Self { handle: value.handle? })
            }
        }
        impl ::std::convert::From<super::AddParticipantRequest>
        for AddParticipantRequest {
            fn from(value: super::AddParticipantRequest) -> Self {
                Self { handle: Ok(value.handle) }
            }
        }
        #[derive(Clone, Debug)]
        pub struct AddParticipantResponse {
            message: ::std::result::Result<
                ::std::option::Option<::std::string::String>,
                ::std::string::String,
            >,
            status: ::std::result::Result<
                ::std::option::Option<::std::string::String>,
                ::std::string::String,
            >,
            trace_id: ::std::result::Result<
                ::std::option::Option<::std::string::String>,
                ::std::string::String,
            >,
        }
        impl ::std::default::Default for AddParticipantResponse {
            fn default() -> Self {
                Self {
                    message: Ok(Default::default()),
                    status: Ok(Default::default()),
                    trace_id: Ok(Default::default()),
                }
            }
        }
        impl AddParticipantResponse {
            pub fn message<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.message = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for message: {e}")
                    });
                self
            }
            pub fn status<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.status = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for status: {e}")
                    });
                self
            }
            pub fn trace_id<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.trace_id = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for trace_id: {e}")
                    });
                self
            }
        }
        impl ::std::convert::TryFrom<AddParticipantResponse>
        for super::AddParticipantResponse {
            type Error = super::error::ConversionError;
            fn try_from(
                value: AddParticipantResponse,
            ) -> ::std::result::Result<Self, super::error::ConversionError> {
                Ok(Self {
                    message: value.message?,
                    status: value.status?,
                    trace_id: value.trace_id?,
                })
            }
        }
        impl ::std::convert::From<super::AddParticipantResponse>
        for AddParticipantResponse {
            fn from(value: super::AddParticipantResponse) -> Self {
                Self {
                    message: Ok(value.message),
                    status: Ok(value.status),
                    trace_id: Ok(value.trace_id),
                }
            }
        }
        #[derive(Clone, Debug)]
        pub struct Chat {
            created_at: ::std::result::Result<
                ::chrono::DateTime<::chrono::offset::Utc>,
                ::std::string::String,
            >,
            display_name: ::std::result::Result<
                ::std::option::Option<::std::string::String>,
                ::std::string::String,
            >,
            handles: ::std::result::Result<
                ::std::vec::Vec<super::ChatHandle>,
                ::std::string::String,
            >,
            id: ::std::result::Result<::uuid::Uuid, ::std::string::String>,
            is_archived: ::std::result::Result<bool, ::std::string::String>,
            is_group: ::std::result::Result<bool, ::std::string::String>,
            service: ::std::result::Result<
                ::std::option::Option<::std::string::String>,
                ::std::string::String,
            >,
            updated_at: ::std::result::Result<
                ::chrono::DateTime<::chrono::offset::Utc>,
                ::std::string::String,
            >,
        }
        impl ::std::default::Default for Chat {
            fn default() -> Self {
                Self {
                    created_at: Err("no value supplied for created_at".to_string()),
                    display_name: Err("no value supplied for display_name".to_string()),
                    handles: Err("no value supplied for handles".to_string()),
                    id: Err("no value supplied for id".to_string()),
                    is_archived: Err("no value supplied for is_archived".to_string()),
                    is_group: Err("no value supplied for is_group".to_string()),
                    service: Ok(Default::default()),
                    updated_at: Err("no value supplied for updated_at".to_string()),
                }
            }
        }
        impl Chat {
            pub fn created_at<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::chrono::DateTime<::chrono::offset::Utc>>,
                T::Error: ::std::fmt::Display,
            {
                self.created_at = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for created_at: {e}")
                    });
                self
            }
            pub fn display_name<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.display_name = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for display_name: {e}")
                    });
                self
            }
            pub fn handles<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::vec::Vec<super::ChatHandle>>,
                T::Error: ::std::fmt::Display,
            {
                self.handles = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for handles: {e}")
                    });
                self
            }
            pub fn id<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::uuid::Uuid>,
                T::Error: ::std::fmt::Display,
            {
                self.id = value
                    .try_into()
                    .map_err(|e| format!("error converting supplied value for id: {e}"));
                self
            }
            pub fn is_archived<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<bool>,
                T::Error: ::std::fmt::Display,
            {
                self.is_archived = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for is_archived: {e}")
                    });
                self
            }
            pub fn is_group<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<bool>,
                T::Error: ::std::fmt::Display,
            {
                self.is_group = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for is_group: {e}")
                    });
                self
            }
            pub fn service<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.service = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for service: {e}")
                    });
                self
            }
            pub fn updated_at<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::chrono::DateTime<::chrono::offset::Utc>>,
                T::Error: ::std::fmt::Display,
            {
                self.updated_at = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for updated_at: {e}")
                    });
                self
            }
        }
        impl ::std::convert::TryFrom<Chat> for super::Chat {
            type Error = super::error::ConversionError;
            fn try_from(
                value: Chat,
            ) -> ::std::result::Result<Self, super::error::ConversionError> {
                Ok(Self {
                    created_at: value.created_at?,
                    display_name: value.display_name?,
                    handles: value.handles?,
                    id: value.id?,
                    is_archived: value.is_archived?,
                    is_group: value.is_group?,
                    service: value.service?,
                    updated_at: value.updated_at?,
                })
            }
        }
        impl ::std::convert::From<super::Chat> for Chat {
            fn from(value: super::Chat) -> Self {
                Self {
                    created_at: Ok(value.created_at),
                    display_name: Ok(value.display_name),
                    handles: Ok(value.handles),
                    id: Ok(value.id),
                    is_archived: Ok(value.is_archived),
                    is_group: Ok(value.is_group),
                    service: Ok(value.service),
                    updated_at: Ok(value.updated_at),
                }
            }
        }
        #[derive(Clone, Debug)]
        pub struct ChatHandle {
            handle: ::std::result::Result<::std::string::String, ::std::string::String>,
            id: ::std::result::Result<::uuid::Uuid, ::std::string::String>,
            is_me: ::std::result::Result<
                ::std::option::Option<bool>,
                ::std::string::String,
            >,
            joined_at: ::std::result::Result<
                ::chrono::DateTime<::chrono::offset::Utc>,
                ::std::string::String,
            >,
            left_at: ::std::result::Result<
                ::std::option::Option<::chrono::DateTime<::chrono::offset::Utc>>,
                ::std::string::String,
            >,
            service: ::std::result::Result<::std::string::String, ::std::string::String>,
            status: ::std::result::Result<
                ::std::option::Option<::std::string::String>,
                ::std::string::String,
            >,
        }
        impl ::std::default::Default for ChatHandle {
            fn default() -> Self {
                Self {
                    handle: Err("no value supplied for handle".to_string()),
                    id: Err("no value supplied for id".to_string()),
                    is_me: Ok(Default::default()),
                    joined_at: Err("no value supplied for joined_at".to_string()),
                    left_at: Ok(Default::default()),
                    service: Err("no value supplied for service".to_string()),
                    status: Ok(super::defaults::chat_handle_status()),
                }
            }
        }
        impl ChatHandle {
            pub fn handle<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::string::String>,
                T::Error: ::std::fmt::Display,
            {
                self.handle = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for handle: {e}")
                    });
                self
            }
            pub fn id<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::uuid::Uuid>,
                T::Error: ::std::fmt::Display,
            {
                self.id = value
                    .try_into()
                    .map_err(|e| format!("error converting supplied value for id: {e}"));
                self
            }
            pub fn is_me<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<bool>>,
                T::Error: ::std::fmt::Display,
            {
                self.is_me = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for is_me: {e}")
                    });
                self
            }
            pub fn joined_at<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::chrono::DateTime<::chrono::offset::Utc>>,
                T::Error: ::std::fmt::Display,
            {
                self.joined_at = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for joined_at: {e}")
                    });
                self
            }
            pub fn left_at<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<
                    ::std::option::Option<::chrono::DateTime<::chrono::offset::Utc>>,
                >,
                T::Error: ::std::fmt::Display,
            {
                self.left_at = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for left_at: {e}")
                    });
                self
            }
            pub fn service<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::string::String>,
                T::Error: ::std::fmt::Display,
            {
                self.service = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for service: {e}")
                    });
                self
            }
            pub fn status<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.status = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for status: {e}")
                    });
                self
            }
        }
        impl ::std::convert::TryFrom<ChatHandle> for super::ChatHandle {
            type Error = super::error::ConversionError;
            fn try_from(
                value: ChatHandle,
            ) -> ::std::result::Result<Self, super::error::ConversionError> {
                Ok(Self {
                    handle: value.handle?,
                    id: value.id?,
                    is_me: value.is_me?,
                    joined_at: value.joined_at?,
                    left_at: value.left_at?,
                    service: value.service?,
                    status: value.status?,
                })
            }
        }
        impl ::std::convert::From<super::ChatHandle> for ChatHandle {
            fn from(value: super::ChatHandle) -> Self {
                Self {
                    handle: Ok(value.handle),
                    id: Ok(value.id),
                    is_me: Ok(value.is_me),
                    joined_at: Ok(value.joined_at),
                    left_at: Ok(value.left_at),
                    service: Ok(value.service),
                    status: Ok(value.status),
                }
            }
        }
        #[derive(Clone, Debug)]
        pub struct ErrorDetail {
            code: ::std::result::Result<
                ::std::option::Option<super::ErrorCode>,
                ::std::string::String,
            >,
            message: ::std::result::Result<
                ::std::option::Option<::std::string::String>,
                ::std::string::String,
            >,
            status: ::std::result::Result<
                ::std::option::Option<i64>,
                ::std::string::String,
            >,
        }
        impl ::std::default::Default for ErrorDetail {
            fn default() -> Self {
                Self {
                    code: Ok(Default::default()),
                    message: Ok(Default::default()),
                    status: Ok(Default::default()),
                }
            }
        }
        impl ErrorDetail {
            pub fn code<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<super::ErrorCode>>,
                T::Error: ::std::fmt::Display,
            {
                self.code = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for code: {e}")
                    });
                self
            }
            pub fn message<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.message = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for message: {e}")
                    });
                self
            }
            pub fn status<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<i64>>,
                T::Error: ::std::fmt::Display,
            {
                self.status = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for status: {e}")
                    });
                self
            }
        }
        impl ::std::convert::TryFrom<ErrorDetail> for super::ErrorDetail {
            type Error = super::error::ConversionError;
            fn try_from(
                value: ErrorDetail,
            ) -> ::std::result::Result<Self, super::error::ConversionError> {
                Ok(Self {
                    code: value.code?,
                    message: value.message?,
                    status: value.status?,
                })
            }
        }
        impl ::std::convert::From<super::ErrorDetail> for ErrorDetail {
            fn from(value: super::ErrorDetail) -> Self {
                Self {
                    code: Ok(value.code),
                    message: Ok(value.message),
                    status: Ok(value.status),
                }
            }
        }
        #[derive(Clone, Debug)]
        pub struct ErrorResponse {
            error: ::std::result::Result<super::ErrorDetail, ::std::string::String>,
            success: ::std::result::Result<
                ::std::option::Option<bool>,
                ::std::string::String,
            >,
            trace_id: ::std::result::Result<
                ::std::option::Option<::std::string::String>,
                ::std::string::String,
            >,
        }
        impl ::std::default::Default for ErrorResponse {
            fn default() -> Self {
                Self {
                    error: Err("no value supplied for error".to_string()),
                    success: Ok(Default::default()),
                    trace_id: Ok(Default::default()),
                }
            }
        }
        impl ErrorResponse {
            pub fn error<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<super::ErrorDetail>,
                T::Error: ::std::fmt::Display,
            {
                self.error = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for error: {e}")
                    });
                self
            }
            pub fn success<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<bool>>,
                T::Error: ::std::fmt::Display,
            {
                self.success = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for success: {e}")
                    });
                self
            }
            pub fn trace_id<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.trace_id = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for trace_id: {e}")
                    });
                self
            }
        }
        impl ::std::convert::TryFrom<ErrorResponse> for super::ErrorResponse {
            type Error = super::error::ConversionError;
            fn try_from(
                value: ErrorResponse,
            ) -> ::std::result::Result<Self, super::error::ConversionError> {
                Ok(Self {
                    error: value.error?,
                    success: value.success?,
                    trace_id: value.trace_id?,
                })
            }
        }
        impl ::std::convert::From<super::ErrorResponse> for ErrorResponse {
            fn from(value: super::ErrorResponse) -> Self {
                Self {
                    error: Ok(value.error),
                    success: Ok(value.success),
                    trace_id: Ok(value.trace_id),
                }
            }
        }
        #[derive(Clone, Debug)]
        pub struct ParticipantAddedEvent {
            added_at: ::std::result::Result<
                ::std::option::Option<::chrono::DateTime<::chrono::offset::Utc>>,
                ::std::string::String,
            >,
            chat_id: ::std::result::Result<
                ::std::option::Option<::std::string::String>,
                ::std::string::String,
            >,
            handle: ::std::result::Result<::std::string::String, ::std::string::String>,
            participant: ::std::result::Result<
                ::std::option::Option<super::ChatHandle>,
                ::std::string::String,
            >,
        }
        impl ::std::default::Default for ParticipantAddedEvent {
            fn default() -> Self {
                Self {
                    added_at: Ok(Default::default()),
                    chat_id: Ok(Default::default()),
                    handle: Err("no value supplied for handle".to_string()),
                    participant: Ok(Default::default()),
                }
            }
        }
        impl ParticipantAddedEvent {
            pub fn added_at<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<
                    ::std::option::Option<::chrono::DateTime<::chrono::offset::Utc>>,
                >,
                T::Error: ::std::fmt::Display,
            {
                self.added_at = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for added_at: {e}")
                    });
                self
            }
            pub fn chat_id<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.chat_id = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for chat_id: {e}")
                    });
                self
            }
            pub fn handle<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::string::String>,
                T::Error: ::std::fmt::Display,
            {
                self.handle = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for handle: {e}")
                    });
                self
            }
            pub fn participant<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<super::ChatHandle>>,
                T::Error: ::std::fmt::Display,
            {
                self.participant = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for participant: {e}")
                    });
                self
            }
        }
        impl ::std::convert::TryFrom<ParticipantAddedEvent>
        for super::ParticipantAddedEvent {
            type Error = super::error::ConversionError;
            fn try_from(
                value: ParticipantAddedEvent,
            ) -> ::std::result::Result<Self, super::error::ConversionError> {
                Ok(Self {
                    added_at: value.added_at?,
                    chat_id: value.chat_id?,
                    handle: value.handle?,
                    participant: value.participant?,
                })
            }
        }
        impl ::std::convert::From<super::ParticipantAddedEvent>
        for ParticipantAddedEvent {
            fn from(value: super::ParticipantAddedEvent) -> Self {
                Self {
                    added_at: Ok(value.added_at),
                    chat_id: Ok(value.chat_id),
                    handle: Ok(value.handle),
                    participant: Ok(value.participant),
                }
            }
        }
        #[derive(Clone, Debug)]
        pub struct ParticipantAddedWebhook {
            api_version: ::std::result::Result<
                ::std::string::String,
                ::std::string::String,
            >,
            created_at: ::std::result::Result<
                ::chrono::DateTime<::chrono::offset::Utc>,
                ::std::string::String,
            >,
            data: ::std::result::Result<
                super::ParticipantAddedEvent,
                ::std::string::String,
            >,
            event_id: ::std::result::Result<::uuid::Uuid, ::std::string::String>,
            event_type: ::std::result::Result<
                super::WebhookEventType,
                ::std::string::String,
            >,
            partner_id: ::std::result::Result<
                ::std::string::String,
                ::std::string::String,
            >,
            trace_id: ::std::result::Result<
                ::std::string::String,
                ::std::string::String,
            >,
            webhook_version: ::std::result::Result<
                ::std::string::String,
                ::std::string::String,
            >,
        }
        impl ::std::default::Default for ParticipantAddedWebhook {
            fn default() -> Self {
                Self {
                    api_version: Err("no value supplied for api_version".to_string()),
                    created_at: Err("no value supplied for created_at".to_string()),
                    data: Err("no value supplied for data".to_string()),
                    event_id: Err("no value supplied for event_id".to_string()),
                    event_type: Err("no value supplied for event_type".to_string()),
                    partner_id: Err("no value supplied for partner_id".to_string()),
                    trace_id: Err("no value supplied for trace_id".to_string()),
                    webhook_version: Err(
                        "no value supplied for webhook_version".to_string(),
                    ),
                }
            }
        }
        impl ParticipantAddedWebhook {
            pub fn api_version<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::string::String>,
                T::Error: ::std::fmt::Display,
            {
                self.api_version = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for api_version: {e}")
                    });
                self
            }
            pub fn created_at<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::chrono::DateTime<::chrono::offset::Utc>>,
                T::Error: ::std::fmt::Display,
            {
                self.created_at = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for created_at: {e}")
                    });
                self
            }
            pub fn data<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<super::ParticipantAddedEvent>,
                T::Error: ::std::fmt::Display,
            {
                self.data = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for data: {e}")
                    });
                self
            }
            pub fn event_id<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::uuid::Uuid>,
                T::Error: ::std::fmt::Display,
            {
                self.event_id = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for event_id: {e}")
                    });
                self
            }
            pub fn event_type<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<super::WebhookEventType>,
                T::Error: ::std::fmt::Display,
            {
                self.event_type = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for event_type: {e}")
                    });
                self
            }
            pub fn partner_id<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::string::String>,
                T::Error: ::std::fmt::Display,
            {
                self.partner_id = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for partner_id: {e}")
                    });
                self
            }
            pub fn trace_id<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::string::String>,
                T::Error: ::std::fmt::Display,
            {
                self.trace_id = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for trace_id: {e}")
                    });
                self
            }
            pub fn webhook_version<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::string::String>,
                T::Error: ::std::fmt::Display,
            {
                self.webhook_version = value
                    .try_into()
                    .map_err(|e| {
                        format!(
                            "error converting supplied value for webhook_version: {e}"
                        )
                    });
                self
            }
        }
        impl ::std::convert::TryFrom<ParticipantAddedWebhook>
        for super::ParticipantAddedWebhook {
            type Error = super::error::ConversionError;
            fn try_from(
                value: ParticipantAddedWebhook,
            ) -> ::std::result::Result<Self, super::error::ConversionError> {
                Ok(Self {
                    api_version: value.api_version?,
                    created_at: value.created_at?,
                    data: value.data?,
                    event_id: value.event_id?,
                    event_type: value.event_type?,
                    partner_id: value.partner_id?,
                    trace_id: value.trace_id?,
                    webhook_version: value.webhook_version?,
                })
            }
        }
        impl ::std::convert::From<super::ParticipantAddedWebhook>
        for ParticipantAddedWebhook {
            fn from(value: super::ParticipantAddedWebhook) -> Self {
                Self {
                    api_version: Ok(value.api_version),
                    created_at: Ok(value.created_at),
                    data: Ok(value.data),
                    event_id: Ok(value.event_id),
                    event_type: Ok(value.event_type),
                    partner_id: Ok(value.partner_id),
                    trace_id: Ok(value.trace_id),
                    webhook_version: Ok(value.webhook_version),
                }
            }
        }
        #[derive(Clone, Debug)]
        pub struct ParticipantRemovedEvent {
            chat_id: ::std::result::Result<
                ::std::option::Option<::std::string::String>,
                ::std::string::String,
            >,
            handle: ::std::result::Result<::std::string::String, ::std::string::String>,
            participant: ::std::result::Result<
                ::std::option::Option<super::ChatHandle>,
                ::std::string::String,
            >,
            removed_at: ::std::result::Result<
                ::std::option::Option<::chrono::DateTime<::chrono::offset::Utc>>,
                ::std::string::String,
            >,
        }
        impl ::std::default::Default for ParticipantRemovedEvent {
            fn default() -> Self {
                Self {
                    chat_id: Ok(Default::default()),
                    handle: Err("no value supplied for handle".to_string()),
                    participant: Ok(Default::default()),
                    removed_at: Ok(Default::default()),
                }
            }
        }
        impl ParticipantRemovedEvent {
            pub fn chat_id<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.chat_id = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for chat_id: {e}")
                    });
                self
            }
            pub fn handle<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::string::String>,
                T::Error: ::std::fmt::Display,
            {
                self.handle = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for handle: {e}")
                    });
                self
            }
            pub fn participant<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<super::ChatHandle>>,
                T::Error: ::std::fmt::Display,
            {
                self.participant = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for participant: {e}")
                    });
                self
            }
            pub fn removed_at<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<
                    ::std::option::Option<::chrono::DateTime<::chrono::offset::Utc>>,
                >,
                T::Error: ::std::fmt::Display,
            {
                self.removed_at = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for removed_at: {e}")
                    });
                self
            }
        }
        impl ::std::convert::TryFrom<ParticipantRemovedEvent>
        for super::ParticipantRemovedEvent {
            type Error = super::error::ConversionError;
            fn try_from(
                value: ParticipantRemovedEvent,
            ) -> ::std::result::Result<Self, super::error::ConversionError> {
                Ok(Self {
                    chat_id: value.chat_id?,
                    handle: value.handle?,
                    participant: value.participant?,
                    removed_at: value.removed_at?,
                })
            }
        }
        impl ::std::convert::From<super::ParticipantRemovedEvent>
        for ParticipantRemovedEvent {
            fn from(value: super::ParticipantRemovedEvent) -> Self {
                Self {
                    chat_id: Ok(value.chat_id),
                    handle: Ok(value.handle),
                    participant: Ok(value.participant),
                    removed_at: Ok(value.removed_at),
                }
            }
        }
        #[derive(Clone, Debug)]
        pub struct ParticipantRemovedWebhook {
            api_version: ::std::result::Result<
                ::std::string::String,
                ::std::string::String,
            >,
            created_at: ::std::result::Result<
                ::chrono::DateTime<::chrono::offset::Utc>,
                ::std::string::String,
            >,
            data: ::std::result::Result<
                super::ParticipantRemovedEvent,
                ::std::string::String,
            >,
            event_id: ::std::result::Result<::uuid::Uuid, ::std::string::String>,
            event_type: ::std::result::Result<
                super::WebhookEventType,
                ::std::string::String,
            >,
            partner_id: ::std::result::Result<
                ::std::string::String,
                ::std::string::String,
            >,
            trace_id: ::std::result::Result<
                ::std::string::String,
                ::std::string::String,
            >,
            webhook_version: ::std::result::Result<
                ::std::string::String,
                ::std::string::String,
            >,
        }
        impl ::std::default::Default for ParticipantRemovedWebhook {
            fn default() -> Self {
                Self {
                    api_version: Err("no value supplied for api_version".to_string()),
                    created_at: Err("no value supplied for created_at".to_string()),
                    data: Err("no value supplied for data".to_string()),
                    event_id: Err("no value supplied for event_id".to_string()),
                    event_type: Err("no value supplied for event_type".to_string()),
                    partner_id: Err("no value supplied for partner_id".to_string()),
                    trace_id: Err("no value supplied for trace_id".to_string()),
                    webhook_version: Err(
                        "no value supplied for webhook_version".to_string(),
                    ),
                }
            }
        }
        impl ParticipantRemovedWebhook {
            pub fn api_version<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::string::String>,
                T::Error: ::std::fmt::Display,
            {
                self.api_version = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for api_version: {e}")
                    });
                self
            }
            pub fn created_at<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::chrono::DateTime<::chrono::offset::Utc>>,
                T::Error: ::std::fmt::Display,
            {
                self.created_at = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for created_at: {e}")
                    });
                self
            }
            pub fn data<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<super::ParticipantRemovedEvent>,
                T::Error: ::std::fmt::Display,
            {
                self.data = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for data: {e}")
                    });
                self
            }
            pub fn event_id<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::uuid::Uuid>,
                T::Error: ::std::fmt::Display,
            {
                self.event_id = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for event_id: {e}")
                    });
                self
            }
            pub fn event_type<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<super::WebhookEventType>,
                T::Error: ::std::fmt::Display,
            {
                self.event_type = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for event_type: {e}")
                    });
                self
            }
            pub fn partner_id<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::string::String>,
                T::Error: ::std::fmt::Display,
            {
                self.partner_id = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for partner_id: {e}")
                    });
                self
            }
            pub fn trace_id<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::string::String>,
                T::Error: ::std::fmt::Display,
            {
                self.trace_id = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for trace_id: {e}")
                    });
                self
            }
            pub fn webhook_version<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::string::String>,
                T::Error: ::std::fmt::Display,
            {
                self.webhook_version = value
                    .try_into()
                    .map_err(|e| {
                        format!(
                            "error converting supplied value for webhook_version: {e}"
                        )
                    });
                self
            }
        }
        impl ::std::convert::TryFrom<ParticipantRemovedWebhook>
        for super::ParticipantRemovedWebhook {
            type Error = super::error::ConversionError;
            fn try_from(
                value: ParticipantRemovedWebhook,
            ) -> ::std::result::Result<Self, super::error::ConversionError> {
                Ok(Self {
                    api_version: value.api_version?,
                    created_at: value.created_at?,
                    data: value.data?,
                    event_id: value.event_id?,
                    event_type: value.event_type?,
                    partner_id: value.partner_id?,
                    trace_id: value.trace_id?,
                    webhook_version: value.webhook_version?,
                })
            }
        }
        impl ::std::convert::From<super::ParticipantRemovedWebhook>
        for ParticipantRemovedWebhook {
            fn from(value: super::ParticipantRemovedWebhook) -> Self {
                Self {
                    api_version: Ok(value.api_version),
                    created_at: Ok(value.created_at),
                    data: Ok(value.data),
                    event_id: Ok(value.event_id),
                    event_type: Ok(value.event_type),
                    partner_id: Ok(value.partner_id),
                    trace_id: Ok(value.trace_id),
                    webhook_version: Ok(value.webhook_version),
                }
            }
        }
        #[derive(Clone, Debug)]
        pub struct RemoveParticipantRequest {
            handle: ::std::result::Result<::std::string::String, ::std::string::String>,
        }
        impl ::std::default::Default for RemoveParticipantRequest {
            fn default() -> Self {
                Self {
                    handle: Err("no value supplied for handle".to_string()),
                }
            }
        }
        impl RemoveParticipantRequest {
            pub fn handle<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::string::String>,
                T::Error: ::std::fmt::Display,
            {
                self.handle = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for handle: {e}")
                    });
                self
            }
        }
        impl ::std::convert::TryFrom<RemoveParticipantRequest>
        for super::RemoveParticipantRequest {
            type Error = super::error::ConversionError;
            fn try_from(
                value: RemoveParticipantRequest,
            ) -> ::std::result::Result<Self, super::error::ConversionError> {
                Ok(Self { handle: value.handle? })
            }
        }
        impl ::std::convert::From<super::RemoveParticipantRequest>
        for RemoveParticipantRequest {
            fn from(value: super::RemoveParticipantRequest) -> Self {
                Self { handle: Ok(value.handle) }
            }
        }
        #[derive(Clone, Debug)]
        pub struct RemoveParticipantResponse {
            message: ::std::result::Result<
                ::std::option::Option<::std::string::String>,
                ::std::string::String,
            >,
            status: ::std::result::Result<
                ::std::option::Option<::std::string::String>,
                ::std::string::String,
            >,
            trace_id: ::std::result::Result<
                ::std::option::Option<::std::string::String>,
                ::std::string::String,
            >,
        }
        impl ::std::default::Default for RemoveParticipantResponse {
            fn default() -> Self {
                Self {
                    message: Ok(Default::default()),
                    status: Ok(Default::default()),
                    trace_id: Ok(Default::default()),
                }
            }
        }
        impl RemoveParticipantResponse {
            pub fn message<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.message = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for message: {e}")
                    });
                self
            }
            pub fn status<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.status = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for status: {e}")
                    });
                self
            }
            pub fn trace_id<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.trace_id = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for trace_id: {e}")
                    });
                self
            }
        }
        impl ::std::convert::TryFrom<RemoveParticipantResponse>
        for super::RemoveParticipantResponse {
            type Error = super::error::ConversionError;
            fn try_from(
                value: RemoveParticipantResponse,
            ) -> ::std::result::Result<Self, super::error::ConversionError> {
                Ok(Self {
                    message: value.message?,
                    status: value.status?,
                    trace_id: value.trace_id?,
                })
            }
        }
        impl ::std::convert::From<super::RemoveParticipantResponse>
        for RemoveParticipantResponse {
            fn from(value: super::RemoveParticipantResponse) -> Self {
                Self {
                    message: Ok(value.message),
                    status: Ok(value.status),
                    trace_id: Ok(value.trace_id),
                }
            }
        }
        #[derive(Clone, Debug)]
        pub struct WebhookEnvelopeBase {
            api_version: ::std::result::Result<
                ::std::string::String,
                ::std::string::String,
            >,
            created_at: ::std::result::Result<
                ::chrono::DateTime<::chrono::offset::Utc>,
                ::std::string::String,
            >,
            data: ::std::result::Result<::serde_json::Value, ::std::string::String>,
            event_id: ::std::result::Result<::uuid::Uuid, ::std::string::String>,
            event_type: ::std::result::Result<
                super::WebhookEventType,
                ::std::string::String,
            >,
            partner_id: ::std::result::Result<
                ::std::string::String,
                ::std::string::String,
            >,
            trace_id: ::std::result::Result<
                ::std::string::String,
                ::std::string::String,
            >,
            webhook_version: ::std::result::Result<
                ::std::string::String,
                ::std::string::String,
            >,
        }
        impl ::std::default::Default for WebhookEnvelopeBase {
            fn default() -> Self {
                Self {
                    api_version: Err("no value supplied for api_version".to_string()),
                    created_at: Err("no value supplied for created_at".to_string()),
                    data: Err("no value supplied for data".to_string()),
                    event_id: Err("no value supplied for event_id".to_string()),
                    event_type: Err("no value supplied for event_type".to_string()),
                    partner_id: Err("no value supplied for partner_id".to_string()),
                    trace_id: Err("no value supplied for trace_id".to_string()),
                    webhook_version: Err(
                        "no value supplied for webhook_version".to_string(),
                    ),
                }
            }
        }
        impl WebhookEnvelopeBase {
            pub fn api_version<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::string::String>,
                T::Error: ::std::fmt::Display,
            {
                self.api_version = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for api_version: {e}")
                    });
                self
            }
            pub fn created_at<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::chrono::DateTime<::chrono::offset::Utc>>,
                T::Error: ::std::fmt::Display,
            {
                self.created_at = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for created_at: {e}")
                    });
                self
            }
            pub fn data<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::serde_json::Value>,
                T::Error: ::std::fmt::Display,
            {
                self.data = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for data: {e}")
                    });
                self
            }
            pub fn event_id<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::uuid::Uuid>,
                T::Error: ::std::fmt::Display,
            {
                self.event_id = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for event_id: {e}")
                    });
                self
            }
            pub fn event_type<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<super::WebhookEventType>,
                T::Error: ::std::fmt::Display,
            {
                self.event_type = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for event_type: {e}")
                    });
                self
            }
            pub fn partner_id<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::string::String>,
                T::Error: ::std::fmt::Display,
            {
                self.partner_id = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for partner_id: {e}")
                    });
                self
            }
            pub fn trace_id<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::string::String>,
                T::Error: ::std::fmt::Display,
            {
                self.trace_id = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for trace_id: {e}")
                    });
                self
            }
            pub fn webhook_version<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::string::String>,
                T::Error: ::std::fmt::Display,
            {
                self.webhook_version = value
                    .try_into()
                    .map_err(|e| {
                        format!(
                            "error converting supplied value for webhook_version: {e}"
                        )
                    });
                self
            }
        }
        impl ::std::convert::TryFrom<WebhookEnvelopeBase>
        for super::WebhookEnvelopeBase {
            type Error = super::error::ConversionError;
            fn try_from(
                value: WebhookEnvelopeBase,
            ) -> ::std::result::Result<Self, super::error::ConversionError> {
                Ok(Self {
                    api_version: value.api_version?,
                    created_at: value.created_at?,
                    data: value.data?,
                    event_id: value.event_id?,
                    event_type: value.event_type?,
                    partner_id: value.partner_id?,
                    trace_id: value.trace_id?,
                    webhook_version: value.webhook_version?,
                })
            }
        }
        impl ::std::convert::From<super::WebhookEnvelopeBase> for WebhookEnvelopeBase {
            fn from(value: super::WebhookEnvelopeBase) -> Self {
                Self {
                    api_version: Ok(value.api_version),
                    created_at: Ok(value.created_at),
                    data: Ok(value.data),
                    event_id: Ok(value.event_id),
                    event_type: Ok(value.event_type),
                    partner_id: Ok(value.partner_id),
                    trace_id: Ok(value.trace_id),
                    webhook_version: Ok(value.webhook_version),
                }
            }
        }
    }
    /// Generation of default values for serde.
    pub mod defaults {
        pub(super) fn chat_handle_status() -> ::std::option::Option<
            ::std::string::String,
        > {
            ::std::option::Option::Some("active".to_string())
        }
    }
    /// Error types.
    pub mod error {
        /// Error from a `TryFrom` or `FromStr` implementation.
        pub struct ConversionError(::std::borrow::Cow<'static, str>);
        impl ::std::error::Error for ConversionError {}
        impl ::std::fmt::Display for ConversionError {
            fn fmt(
                &self,
                f: &mut ::std::fmt::Formatter<'_>,
            ) -> Result<(), ::std::fmt::Error> {
                ::std::fmt::Display::fmt(&self.0, f)
            }
        }
        impl ::std::fmt::Debug for ConversionError {
            fn fmt(
                &self,
                f: &mut ::std::fmt::Formatter<'_>,
            ) -> Result<(), ::std::fmt::Error> {
                ::std::fmt::Debug::fmt(&self.0, f)
            }
        }
        impl From<&'static str> for ConversionError {
            fn from(value: &'static str) -> Self {
                Self(value.into())
            }
        }
        impl From<String> for ConversionError {
            fn from(value: String) -> Self {
                Self(value.into())
            }
        }
    }
}
#[derive(Clone, Debug)]
/**Client for Linq Partner API

The part of Linq's Partner API v3 this crate covers: reading a chat and changing who is in a group chat. Participant changes are only queued: a 202 means Linq accepted the change, and the participant webhook events confirm it. Every answer carries a `trace_id` for Linq support.


Version: 1.0.0*/
pub struct Client {
    pub(crate) baseurl: String,
    pub(crate) client: reqwest::Client,
    pub(crate) inner: crate::exchange::Exchange,
}
impl Client {
    /// Create a new client.
    ///
    /// `baseurl` is the base URL provided to the internal
    /// `reqwest::Client`, and should include a scheme and hostname,
    /// as well as port and a path stem if applicable.
    pub fn new(baseurl: &str, inner: crate::exchange::Exchange) -> Self {
        #[cfg(not(target_arch = "wasm32"))]
        let client = {
            let dur = ::std::time::Duration::from_secs(15u64);
            reqwest::ClientBuilder::new().connect_timeout(dur).timeout(dur)
        };
        #[cfg(target_arch = "wasm32")]
        let client = reqwest::ClientBuilder::new();
        Self::new_with_client(baseurl, client.build().unwrap(), inner)
    }
    /// Construct a new client with an existing `reqwest::Client`,
    /// allowing more control over its configuration.
    ///
    /// `baseurl` is the base URL provided to the internal
    /// `reqwest::Client`, and should include a scheme and hostname,
    /// as well as port and a path stem if applicable.
    pub fn new_with_client(
        baseurl: &str,
        client: reqwest::Client,
        inner: crate::exchange::Exchange,
    ) -> Self {
        Self {
            baseurl: baseurl.to_string(),
            client,
            inner,
        }
    }
}
impl ClientInfo<crate::exchange::Exchange> for Client {
    fn api_version() -> &'static str {
        "1.0.0"
    }
    fn baseurl(&self) -> &str {
        self.baseurl.as_str()
    }
    fn client(&self) -> &reqwest::Client {
        &self.client
    }
    fn inner(&self) -> &crate::exchange::Exchange {
        &self.inner
    }
}
const _: () = {
    #[allow(dead_code)]
    fn assert_client_hooks()
    where
        Client: ClientHooks<crate::exchange::Exchange>,
    {}
};
impl Client {
    /**Reads one chat: its service, whether it is a group, and every handle in it with its status and join and leave times.


Sends a `GET` request to `/v3/chats/{chatId}`

```ignore
let response = client.get_chat()
    .chat_id(chat_id)
    .send()
    .await;
```*/
    pub fn get_chat(&self) -> builder::GetChat<'_> {
        builder::GetChat::new(self)
    }
    /**Queues the addition of a handle to a group chat of three or more people. The handle must be reachable over the chat's service; a handle on another service is refused.


Sends a `POST` request to `/v3/chats/{chatId}/participants`

```ignore
let response = client.add_participant()
    .chat_id(chat_id)
    .body(body)
    .send()
    .await;
```*/
    pub fn add_participant(&self) -> builder::AddParticipant<'_> {
        builder::AddParticipant::new(self)
    }
    /**Queues the removal of a handle from a group chat. The request has a JSON body although the method is DELETE, and Linq refuses a removal that would leave fewer than three people.


Sends a `DELETE` request to `/v3/chats/{chatId}/participants`

```ignore
let response = client.remove_participant()
    .chat_id(chat_id)
    .body(body)
    .send()
    .await;
```*/
    pub fn remove_participant(&self) -> builder::RemoveParticipant<'_> {
        builder::RemoveParticipant::new(self)
    }
}
/// Types for composing operation parameters.
#[allow(clippy::all)]
pub mod builder {
    use super::types;
    #[allow(unused_imports)]
    use super::{
        encode_path, ByteStream, ClientInfo, ClientHooks, Error, OperationInfo,
        RequestBuilderExt, ResponseValue,
    };
    /**Builder for [`Client::get_chat`]

[`Client::get_chat`]: super::Client::get_chat*/
    #[derive(Debug, Clone)]
    pub struct GetChat<'a> {
        client: &'a super::Client,
        chat_id: Result<::uuid::Uuid, String>,
    }
    impl<'a> GetChat<'a> {
        pub fn new(client: &'a super::Client) -> Self {
            Self {
                client: client,
                chat_id: Err("chat_id was not initialized".to_string()),
            }
        }
        pub fn chat_id<V>(mut self, value: V) -> Self
        where
            V: std::convert::TryInto<::uuid::Uuid>,
        {
            self.chat_id = value
                .try_into()
                .map_err(|_| {
                    "conversion to `:: uuid :: Uuid` for chat_id failed".to_string()
                });
            self
        }
        ///Sends a `GET` request to `/v3/chats/{chatId}`
        pub async fn send(
            self,
        ) -> Result<ResponseValue<types::Chat>, Error<types::ErrorResponse>> {
            let Self { client, chat_id } = self;
            let chat_id = chat_id.map_err(Error::InvalidRequest)?;
            let url = format!(
                "{}/v3/chats/{}", client.baseurl, encode_path(& chat_id.to_string()),
            );
            let mut header_map = ::reqwest::header::HeaderMap::with_capacity(1usize);
            header_map
                .append(
                    ::reqwest::header::HeaderName::from_static("api-version"),
                    ::reqwest::header::HeaderValue::from_static(
                        super::Client::api_version(),
                    ),
                );
            #[allow(unused_mut)]
            let mut request = client
                .client
                .get(url)
                .header(
                    ::reqwest::header::ACCEPT,
                    ::reqwest::header::HeaderValue::from_static("application/json"),
                )
                .headers(header_map)
                .build()?;
            let info = OperationInfo {
                operation_id: "get_chat",
            };
            client.pre(&mut request, &info).await?;
            let result = client.exec(request, &info).await;
            client.post(&result, &info).await?;
            let response = result?;
            match response.status().as_u16() {
                200u16 => ResponseValue::from_response(response).await,
                401u16 => {
                    Err(
                        Error::ErrorResponse(
                            ResponseValue::from_response(response).await?,
                        ),
                    )
                }
                404u16 => {
                    Err(
                        Error::ErrorResponse(
                            ResponseValue::from_response(response).await?,
                        ),
                    )
                }
                500u16 => {
                    Err(
                        Error::ErrorResponse(
                            ResponseValue::from_response(response).await?,
                        ),
                    )
                }
                _ => Err(Error::UnexpectedResponse(response)),
            }
        }
    }
    /**Builder for [`Client::add_participant`]

[`Client::add_participant`]: super::Client::add_participant*/
    #[derive(Debug, Clone)]
    pub struct AddParticipant<'a> {
        client: &'a super::Client,
        chat_id: Result<::uuid::Uuid, String>,
        body: Result<types::builder::AddParticipantRequest, String>,
    }
    impl<'a> AddParticipant<'a> {
        pub fn new(client: &'a super::Client) -> Self {
            Self {
                client: client,
                chat_id: Err("chat_id was not initialized".to_string()),
                body: Ok(::std::default::Default::default()),
            }
        }
        pub fn chat_id<V>(mut self, value: V) -> Self
        where
            V: std::convert::TryInto<::uuid::Uuid>,
        {
            self.chat_id = value
                .try_into()
                .map_err(|_| {
                    "conversion to `:: uuid :: Uuid` for chat_id failed".to_string()
                });
            self
        }
        pub fn body<V>(mut self, value: V) -> Self
        where
            V: std::convert::TryInto<types::AddParticipantRequest>,
            <V as std::convert::TryInto<
                types::AddParticipantRequest,
            >>::Error: std::fmt::Display,
        {
            self.body = value
                .try_into()
                .map(From::from)
                .map_err(|s| {
                    format!(
                        "conversion to `AddParticipantRequest` for body failed: {}", s
                    )
                });
            self
        }
        pub fn body_map<F>(mut self, f: F) -> Self
        where
            F: std::ops::FnOnce(
                types::builder::AddParticipantRequest,
            ) -> types::builder::AddParticipantRequest,
        {
            self.body = self.body.map(f);
            self
        }
        ///Sends a `POST` request to `/v3/chats/{chatId}/participants`
        pub async fn send(
            self,
        ) -> Result<
            ResponseValue<types::AddParticipantResponse>,
            Error<types::ErrorResponse>,
        > {
            let Self { client, chat_id, body } = self;
            let chat_id = chat_id.map_err(Error::InvalidRequest)?;
            let body = body
                .and_then(|v| {
                    types::AddParticipantRequest::try_from(v).map_err(|e| e.to_string())
                })
                .map_err(Error::InvalidRequest)?;
            let url = format!(
                "{}/v3/chats/{}/participants", client.baseurl, encode_path(& chat_id
                .to_string()),
            );
            let mut header_map = ::reqwest::header::HeaderMap::with_capacity(1usize);
            header_map
                .append(
                    ::reqwest::header::HeaderName::from_static("api-version"),
                    ::reqwest::header::HeaderValue::from_static(
                        super::Client::api_version(),
                    ),
                );
            #[allow(unused_mut)]
            let mut request = client
                .client
                .post(url)
                .header(
                    ::reqwest::header::ACCEPT,
                    ::reqwest::header::HeaderValue::from_static("application/json"),
                )
                .json(&body)
                .headers(header_map)
                .build()?;
            let info = OperationInfo {
                operation_id: "add_participant",
            };
            client.pre(&mut request, &info).await?;
            let result = client.exec(request, &info).await;
            client.post(&result, &info).await?;
            let response = result?;
            match response.status().as_u16() {
                202u16 => ResponseValue::from_response(response).await,
                400u16 => {
                    Err(
                        Error::ErrorResponse(
                            ResponseValue::from_response(response).await?,
                        ),
                    )
                }
                401u16 => {
                    Err(
                        Error::ErrorResponse(
                            ResponseValue::from_response(response).await?,
                        ),
                    )
                }
                404u16 => {
                    Err(
                        Error::ErrorResponse(
                            ResponseValue::from_response(response).await?,
                        ),
                    )
                }
                409u16 => {
                    Err(
                        Error::ErrorResponse(
                            ResponseValue::from_response(response).await?,
                        ),
                    )
                }
                500u16 => {
                    Err(
                        Error::ErrorResponse(
                            ResponseValue::from_response(response).await?,
                        ),
                    )
                }
                _ => Err(Error::UnexpectedResponse(response)),
            }
        }
    }
    /**Builder for [`Client::remove_participant`]

[`Client::remove_participant`]: super::Client::remove_participant*/
    #[derive(Debug, Clone)]
    pub struct RemoveParticipant<'a> {
        client: &'a super::Client,
        chat_id: Result<::uuid::Uuid, String>,
        body: Result<types::builder::RemoveParticipantRequest, String>,
    }
    impl<'a> RemoveParticipant<'a> {
        pub fn new(client: &'a super::Client) -> Self {
            Self {
                client: client,
                chat_id: Err("chat_id was not initialized".to_string()),
                body: Ok(::std::default::Default::default()),
            }
        }
        pub fn chat_id<V>(mut self, value: V) -> Self
        where
            V: std::convert::TryInto<::uuid::Uuid>,
        {
            self.chat_id = value
                .try_into()
                .map_err(|_| {
                    "conversion to `:: uuid :: Uuid` for chat_id failed".to_string()
                });
            self
        }
        pub fn body<V>(mut self, value: V) -> Self
        where
            V: std::convert::TryInto<types::RemoveParticipantRequest>,
            <V as std::convert::TryInto<
                types::RemoveParticipantRequest,
            >>::Error: std::fmt::Display,
        {
            self.body = value
                .try_into()
                .map(From::from)
                .map_err(|s| {
                    format!(
                        "conversion to `RemoveParticipantRequest` for body failed: {}", s
                    )
                });
            self
        }
        pub fn body_map<F>(mut self, f: F) -> Self
        where
            F: std::ops::FnOnce(
                types::builder::RemoveParticipantRequest,
            ) -> types::builder::RemoveParticipantRequest,
        {
            self.body = self.body.map(f);
            self
        }
        ///Sends a `DELETE` request to `/v3/chats/{chatId}/participants`
        pub async fn send(
            self,
        ) -> Result<
            ResponseValue<types::RemoveParticipantResponse>,
            Error<types::ErrorResponse>,
        > {
            let Self { client, chat_id, body } = self;
            let chat_id = chat_id.map_err(Error::InvalidRequest)?;
            let body = body
                .and_then(|v| {
                    types::RemoveParticipantRequest::try_from(v)
                        .map_err(|e| e.to_string())
                })
                .map_err(Error::InvalidRequest)?;
            let url = format!(
                "{}/v3/chats/{}/participants", client.baseurl, encode_path(& chat_id
                .to_string()),
            );
            let mut header_map = ::reqwest::header::HeaderMap::with_capacity(1usize);
            header_map
                .append(
                    ::reqwest::header::HeaderName::from_static("api-version"),
                    ::reqwest::header::HeaderValue::from_static(
                        super::Client::api_version(),
                    ),
                );
            #[allow(unused_mut)]
            let mut request = client
                .client
                .delete(url)
                .header(
                    ::reqwest::header::ACCEPT,
                    ::reqwest::header::HeaderValue::from_static("application/json"),
                )
                .json(&body)
                .headers(header_map)
                .build()?;
            let info = OperationInfo {
                operation_id: "remove_participant",
            };
            client.pre(&mut request, &info).await?;
            let result = client.exec(request, &info).await;
            client.post(&result, &info).await?;
            let response = result?;
            match response.status().as_u16() {
                202u16 => ResponseValue::from_response(response).await,
                400u16 => {
                    Err(
                        Error::ErrorResponse(
                            ResponseValue::from_response(response).await?,
                        ),
                    )
                }
                401u16 => {
                    Err(
                        Error::ErrorResponse(
                            ResponseValue::from_response(response).await?,
                        ),
                    )
                }
                404u16 => {
                    Err(
                        Error::ErrorResponse(
                            ResponseValue::from_response(response).await?,
                        ),
                    )
                }
                409u16 => {
                    Err(
                        Error::ErrorResponse(
                            ResponseValue::from_response(response).await?,
                        ),
                    )
                }
                500u16 => {
                    Err(
                        Error::ErrorResponse(
                            ResponseValue::from_response(response).await?,
                        ),
                    )
                }
                _ => Err(Error::UnexpectedResponse(response)),
            }
        }
    }
}
/// Items consumers will typically use such as the Client.
pub mod prelude {
    pub use self::super::Client;
}
