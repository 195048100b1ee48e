// Generated from openapi.yaml by `cargo xtask codegen` (fingerprint 91a2cde28181cbff of the spec and
// the generator's version and settings). Do not edit: change the spec, then run it again.

#[allow(unused_imports)]
pub use progenitor_client::{ByteStream, ClientInfo, Error, ResponseValue};
#[allow(unused_imports)]
use progenitor_client::{encode_path, ClientHooks, OperationInfo, RequestBuilderExt};
/// Types used as operation parameters and responses.
#[allow(clippy::all)]
pub mod types {
    ///A participant of a chat.
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Debug,
        Default,
        schemars::JsonSchema
    )]
    pub struct ChatHandle {
        ///Phone number (E.164) or email address.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub handle: ::std::option::Option<::std::string::String>,
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub id: ::std::option::Option<::uuid::Uuid>,
        ///Whether this is the partner's own number.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub is_me: ::std::option::Option<bool>,
        ///When the participant joined (RFC 3339).
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub joined_at: ::std::option::Option<::std::string::String>,
        ///When the participant left (RFC 3339), if they did.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub left_at: ::std::option::Option<::std::string::String>,
        ///`iMessage`, `SMS` or `RCS`; an open string.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub service: ::std::option::Option<::std::string::String>,
        ///`active`, `left` or `removed`; an open string.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub status: ::std::option::Option<::std::string::String>,
    }
    /**What went wrong. Linq normally sends all three fields; none is required
so that a partial answer still reaches the caller as an API error.
*/
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Debug,
        Default,
        schemars::JsonSchema
    )]
    pub struct ErrorDetail {
        /**Linq's error code. The thousands digit is the family: 1 request,
2 resource, 3 infrastructure, 4 delivery, 5 attachments. New codes
appear as the API grows.
*/
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub code: ::std::option::Option<i64>,
        ///A human-readable explanation.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub message: ::std::option::Option<::std::string::String>,
        ///The HTTP status again (unbounded in Linq's schema).
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub status: ::std::option::Option<i64>,
    }
    /**The body of every error answer. `success` and `trace_id` are left out
by some answers, so neither is required.
*/
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Debug,
        schemars::JsonSchema
    )]
    pub struct ErrorResponse {
        pub error: ErrorDetail,
        ///Always false when present.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub success: ::std::option::Option<bool>,
        ///The identifier Linq support asks for.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub trace_id: ::std::option::Option<::std::string::String>,
    }
    ///The `data` of a `participant.added` event.
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Debug,
        schemars::JsonSchema
    )]
    pub struct ParticipantAddedEvent {
        ///When the addition took effect (RFC 3339).
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub added_at: ::std::option::Option<::std::string::String>,
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub chat_id: ::std::option::Option<::uuid::Uuid>,
        ///The participant's handle; prefer `participant.handle`.
        pub handle: ::std::string::String,
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub participant: ::std::option::Option<ChatHandle>,
    }
    /**Linq's acknowledgement that a participant change is queued. Every field
is optional: Linq does not promise any of them.
*/
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Debug,
        Default,
        schemars::JsonSchema
    )]
    pub struct ParticipantChangeQueued {
        ///A human-readable summary.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub message: ::std::option::Option<::std::string::String>,
        ///The state of the request, `accepted` when queued.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub status: ::std::option::Option<::std::string::String>,
        ///The identifier Linq support asks for.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub trace_id: ::std::option::Option<::std::string::String>,
    }
    ///Names the participant an operation acts on.
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Debug,
        schemars::JsonSchema
    )]
    pub struct ParticipantHandle {
        ///A phone number in E.164 form (`+` and up to 15 digits) or an email address.
        pub handle: ::std::string::String,
    }
    ///The `data` of a `participant.removed` event.
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Debug,
        schemars::JsonSchema
    )]
    pub struct ParticipantRemovedEvent {
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub chat_id: ::std::option::Option<::uuid::Uuid>,
        ///The participant's handle; prefer `participant.handle`.
        pub handle: ::std::string::String,
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub participant: ::std::option::Option<ChatHandle>,
        ///When the removal took effect (RFC 3339).
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub removed_at: ::std::option::Option<::std::string::String>,
    }
    /**What every webhook delivery carries around its event. Linq signs the
raw body; see the `X-Webhook-Signature` and `X-Webhook-Timestamp`
headers. Fields not listed here may appear and are kept out of the
way.
*/
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Debug,
        schemars::JsonSchema
    )]
    pub struct WebhookEnvelope {
        ///The API version the event belongs to.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub api_version: ::std::option::Option<::std::string::String>,
        ///When the event happened (RFC 3339).
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub created_at: ::std::option::Option<::std::string::String>,
        ///The event itself; its shape depends on `event_type`.
        #[serde(default, skip_serializing_if = "::serde_json::Map::is_empty")]
        pub data: ::serde_json::Map<::std::string::String, ::serde_json::Value>,
        ///Unique per event; deliveries of the same event repeat it.
        pub event_id: ::uuid::Uuid,
        /**What happened, such as `participant.added` or
`participant.removed`. Linq adds types over time, so this is an
open string rather than an enumeration.
*/
        pub event_type: ::std::string::String,
        ///The partner account the event belongs to.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub partner_id: ::std::option::Option<::std::string::String>,
        ///The identifier Linq support asks for.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub trace_id: ::std::option::Option<::std::string::String>,
        ///The payload version the subscription chose, such as `2026-02-03`.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub webhook_version: ::std::option::Option<::std::string::String>,
    }
    /**The event types Linq documented when this spec was written. A
receiver must expect others: `WebhookEnvelope.event_type` is an open
string for that reason, and this list documents the known values.
*/
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Copy,
        Debug,
        Eq,
        Hash,
        Ord,
        PartialEq,
        PartialOrd,
        schemars::JsonSchema
    )]
    pub enum WebhookEventType {
        #[serde(rename = "message.sent")]
        MessageSent,
        #[serde(rename = "message.received")]
        MessageReceived,
        #[serde(rename = "message.read")]
        MessageRead,
        #[serde(rename = "message.delivered")]
        MessageDelivered,
        #[serde(rename = "message.failed")]
        MessageFailed,
        #[serde(rename = "reaction.added")]
        ReactionAdded,
        #[serde(rename = "reaction.removed")]
        ReactionRemoved,
        #[serde(rename = "participant.added")]
        ParticipantAdded,
        #[serde(rename = "participant.removed")]
        ParticipantRemoved,
        #[serde(rename = "chat.created")]
        ChatCreated,
        #[serde(rename = "chat.group_name_updated")]
        ChatGroupNameUpdated,
        #[serde(rename = "chat.group_icon_updated")]
        ChatGroupIconUpdated,
        #[serde(rename = "chat.group_name_update_failed")]
        ChatGroupNameUpdateFailed,
        #[serde(rename = "chat.group_icon_update_failed")]
        ChatGroupIconUpdateFailed,
        #[serde(rename = "chat.typing_indicator.started")]
        ChatTypingIndicatorStarted,
        #[serde(rename = "chat.typing_indicator.stopped")]
        ChatTypingIndicatorStopped,
        #[serde(rename = "phone_number.status_updated")]
        PhoneNumberStatusUpdated,
    }
    impl ::std::fmt::Display for WebhookEventType {
        fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
            match *self {
                Self::MessageSent => f.write_str("message.sent"),
                Self::MessageReceived => f.write_str("message.received"),
                Self::MessageRead => f.write_str("message.read"),
                Self::MessageDelivered => f.write_str("message.delivered"),
                Self::MessageFailed => f.write_str("message.failed"),
                Self::ReactionAdded => f.write_str("reaction.added"),
                Self::ReactionRemoved => f.write_str("reaction.removed"),
                Self::ParticipantAdded => f.write_str("participant.added"),
                Self::ParticipantRemoved => f.write_str("participant.removed"),
                Self::ChatCreated => f.write_str("chat.created"),
                Self::ChatGroupNameUpdated => f.write_str("chat.group_name_updated"),
                Self::ChatGroupIconUpdated => f.write_str("chat.group_icon_updated"),
                Self::ChatGroupNameUpdateFailed => {
                    f.write_str("chat.group_name_update_failed")
                }
                Self::ChatGroupIconUpdateFailed => {
                    f.write_str("chat.group_icon_update_failed")
                }
                Self::ChatTypingIndicatorStarted => {
                    f.write_str("chat.typing_indicator.started")
                }
                Self::ChatTypingIndicatorStopped => {
                    f.write_str("chat.typing_indicator.stopped")
                }
                Self::PhoneNumberStatusUpdated => {
                    f.write_str("phone_number.status_updated")
                }
            }
        }
    }
    impl ::std::str::FromStr for WebhookEventType {
        type Err = self::error::ConversionError;
        fn from_str(
            value: &str,
        ) -> ::std::result::Result<Self, self::error::ConversionError> {
            match value {
                "message.sent" => Ok(Self::MessageSent),
                "message.received" => Ok(Self::MessageReceived),
                "message.read" => Ok(Self::MessageRead),
                "message.delivered" => Ok(Self::MessageDelivered),
                "message.failed" => Ok(Self::MessageFailed),
                "reaction.added" => Ok(Self::ReactionAdded),
                "reaction.removed" => Ok(Self::ReactionRemoved),
                "participant.added" => Ok(Self::ParticipantAdded),
                "participant.removed" => Ok(Self::ParticipantRemoved),
                "chat.created" => Ok(Self::ChatCreated),
                "chat.group_name_updated" => Ok(Self::ChatGroupNameUpdated),
                "chat.group_icon_updated" => Ok(Self::ChatGroupIconUpdated),
                "chat.group_name_update_failed" => Ok(Self::ChatGroupNameUpdateFailed),
                "chat.group_icon_update_failed" => Ok(Self::ChatGroupIconUpdateFailed),
                "chat.typing_indicator.started" => Ok(Self::ChatTypingIndicatorStarted),
                "chat.typing_indicator.stopped" => Ok(Self::ChatTypingIndicatorStopped),
                "phone_number.status_updated" => Ok(Self::PhoneNumberStatusUpdated),
                _ => Err("invalid value".into()),
            }
        }
    }
    impl ::std::convert::TryFrom<&str> for WebhookEventType {
        type Error = self::error::ConversionError;
        fn try_from(
            value: &str,
        ) -> ::std::result::Result<Self, self::error::ConversionError> {
            value.parse()
        }
    }
    impl ::std::convert::TryFrom<::std::string::String> for WebhookEventType {
        type Error = self::error::ConversionError;
        fn try_from(
            value: ::std::string::String,
        ) -> ::std::result::Result<Self, self::error::ConversionError> {
            value.parse()
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
/**Client for Linq Partner API v3 - chat participants

The part of Linq's Partner API v3 that changes who is in a group chat.
Both operations only queue the change: a 202 answer means Linq accepted it,
and the `participant.added` / `participant.removed` webhook events confirm it.
Every answer carries a `trace_id` that Linq support asks for.


Version: 3.0.0*/
pub struct Client {
    pub(crate) baseurl: String,
    pub(crate) client: reqwest::Client,
    pub(crate) inner: crate::transport::Exchange,
}
impl Client {
    /// Create a new client.
    ///
    /// `baseurl` is the base URL provided to the internal
    /// `reqwest::Client`, and should include a scheme and hostname,
    /// as well as port and a path stem if applicable.
    pub fn new(baseurl: &str, inner: crate::transport::Exchange) -> Self {
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
        inner: crate::transport::Exchange,
    ) -> Self {
        Self {
            baseurl: baseurl.to_string(),
            client,
            inner,
        }
    }
}
impl ClientInfo<crate::transport::Exchange> for Client {
    fn api_version() -> &'static str {
        "3.0.0"
    }
    fn baseurl(&self) -> &str {
        self.baseurl.as_str()
    }
    fn client(&self) -> &reqwest::Client {
        &self.client
    }
    fn inner(&self) -> &crate::transport::Exchange {
        &self.inner
    }
}
const _: () = {
    #[allow(dead_code)]
    fn assert_client_hooks()
    where
        Client: ClientHooks<crate::transport::Exchange>,
    {}
};
#[allow(clippy::all)]
impl Client {
    /**Add a participant to a group chat

Queues the addition of a handle to an existing group chat.
Only group chats (three or more participants) accept additions, and the
new participant must be reachable over the chat's service (iMessage,
SMS or RCS); a handle on another service is refused.


Sends a `POST` request to `/v3/chats/{chatId}/participants`

Arguments:
- `chat_id`: The chat's identifier.
- `body`
*/
    pub async fn add_participant<'a>(
        &'a self,
        chat_id: &'a ::uuid::Uuid,
        body: &'a types::ParticipantHandle,
    ) -> Result<
        ResponseValue<types::ParticipantChangeQueued>,
        Error<types::ErrorResponse>,
    > {
        let url = format!(
            "{}/v3/chats/{}/participants", self.baseurl, encode_path(& chat_id
            .to_string()),
        );
        let mut header_map = ::reqwest::header::HeaderMap::with_capacity(1usize);
        header_map
            .append(
                ::reqwest::header::HeaderName::from_static("api-version"),
                ::reqwest::header::HeaderValue::from_static(Self::api_version()),
            );
        #[allow(unused_mut)]
        let mut request = self
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
        self.pre(&mut request, &info).await?;
        let result = self.exec(request, &info).await;
        self.post(&result, &info).await?;
        let response = result?;
        match response.status().as_u16() {
            202u16 => ResponseValue::from_response(response).await,
            400u16 => {
                Err(Error::ErrorResponse(ResponseValue::from_response(response).await?))
            }
            401u16 => {
                Err(Error::ErrorResponse(ResponseValue::from_response(response).await?))
            }
            404u16 => {
                Err(Error::ErrorResponse(ResponseValue::from_response(response).await?))
            }
            409u16 => {
                Err(Error::ErrorResponse(ResponseValue::from_response(response).await?))
            }
            500u16 => {
                Err(Error::ErrorResponse(ResponseValue::from_response(response).await?))
            }
            _ => Err(Error::UnexpectedResponse(response)),
        }
    }
    /**Remove a participant from a group chat

Queues the removal of a handle from an existing group chat. The request
carries a JSON body even though the method is DELETE.
Only group chats accept removals, and the chat must still have three or
more participants once the handle is gone.


Sends a `DELETE` request to `/v3/chats/{chatId}/participants`

Arguments:
- `chat_id`: The chat's identifier.
- `body`
*/
    pub async fn remove_participant<'a>(
        &'a self,
        chat_id: &'a ::uuid::Uuid,
        body: &'a types::ParticipantHandle,
    ) -> Result<
        ResponseValue<types::ParticipantChangeQueued>,
        Error<types::ErrorResponse>,
    > {
        let url = format!(
            "{}/v3/chats/{}/participants", self.baseurl, encode_path(& chat_id
            .to_string()),
        );
        let mut header_map = ::reqwest::header::HeaderMap::with_capacity(1usize);
        header_map
            .append(
                ::reqwest::header::HeaderName::from_static("api-version"),
                ::reqwest::header::HeaderValue::from_static(Self::api_version()),
            );
        #[allow(unused_mut)]
        let mut request = self
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
        self.pre(&mut request, &info).await?;
        let result = self.exec(request, &info).await;
        self.post(&result, &info).await?;
        let response = result?;
        match response.status().as_u16() {
            202u16 => ResponseValue::from_response(response).await,
            400u16 => {
                Err(Error::ErrorResponse(ResponseValue::from_response(response).await?))
            }
            401u16 => {
                Err(Error::ErrorResponse(ResponseValue::from_response(response).await?))
            }
            404u16 => {
                Err(Error::ErrorResponse(ResponseValue::from_response(response).await?))
            }
            409u16 => {
                Err(Error::ErrorResponse(ResponseValue::from_response(response).await?))
            }
            500u16 => {
                Err(Error::ErrorResponse(ResponseValue::from_response(response).await?))
            }
            _ => Err(Error::UnexpectedResponse(response)),
        }
    }
}
/// Items consumers will typically use such as the Client.
pub mod prelude {
    #[allow(unused_imports)]
    pub use super::Client;
}
