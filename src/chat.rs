//! What reading a chat returns: the chat and its participants, in the
//! wrapper's own lenient types (fields Linq adds are kept, values it adds to
//! its enumerations are kept opaque).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::{ids::ChatId, open_enum::open_enum, response::SuccessBody, text::capped_debug};

/// A chat as `getChat` returns it.
///
/// ```
/// use linq_partner::{Chat, ParticipantStatus, Service};
///
/// let chat: Chat = serde_json::from_str(r#"{
///     "id": "550e8400-e29b-41d4-a716-446655440000", "is_group": true, "service": "iMessage",
///     "handles": [{"handle": "+12052499136", "service": "iMessage", "status": "active",
///                  "joined_at": "2025-05-21T15:30:00.000Z"}]
/// }"#)?;
/// assert_eq!(chat.service(), Some(&Service::IMessage));
/// let member = chat.participant("+12052499136").unwrap();
/// assert_eq!(member.status(), Some(&ParticipantStatus::Active));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Chat {
    id: ChatId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    display_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    service: Option<Service>,
    #[serde(default)]
    handles: Vec<Participant>,
    #[serde(default)]
    is_archived: bool,
    #[serde(default)]
    is_group: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    created_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    updated_at: Option<DateTime<Utc>>,
    #[serde(flatten)]
    unknown_fields: Map<String, Value>,
    /// Unknown fields that arrived but could not be kept.
    #[serde(skip)]
    left_out: Vec<String>,
}

impl Chat {
    /// The chat's id.
    pub fn id(&self) -> ChatId {
        self.id
    }

    /// The name shown for the chat, when it has one.
    pub fn display_name(&self) -> Option<&str> {
        self.display_name.as_deref()
    }

    /// The service the chat runs on.
    pub fn service(&self) -> Option<&Service> {
        self.service.as_ref()
    }

    /// Everyone Linq lists for the chat, the partner's own number, and
    /// people who left or were removed, included.
    pub fn participants(&self) -> &[Participant] {
        &self.handles
    }

    /// The participant with this handle, as Linq wrote it (phone numbers
    /// exactly, email addresses in any case).
    pub fn participant(&self, handle: &str) -> Option<&Participant> {
        self.handles
            .iter()
            .find(|p| p.handle().is_some_and(|h| same_handle(h, handle)))
    }

    /// Whether the chat is archived.
    pub fn is_archived(&self) -> bool {
        self.is_archived
    }

    /// Whether the chat is a group chat.
    pub fn is_group(&self) -> bool {
        self.is_group
    }

    /// When the chat was created.
    pub fn created_at(&self) -> Option<DateTime<Utc>> {
        self.created_at
    }

    /// When the chat last changed.
    pub fn updated_at(&self) -> Option<DateTime<Utc>> {
        self.updated_at
    }

    /// Fields of the answer this version of the crate does not name.
    pub fn unknown_fields(&self) -> &Map<String, Value> {
        &self.unknown_fields
    }

    /// The names of top-level unknown fields whose values could not be
    /// kept, as for [`Queued::left_out_fields`](crate::Queued::left_out_fields).
    pub fn left_out_fields(&self) -> &[String] {
        &self.left_out
    }
}

impl SuccessBody for Chat {
    fn trace_id(&self) -> Option<&str> {
        self.unknown_fields.get("trace_id").and_then(Value::as_str)
    }

    const FIELDS: &'static [&'static str] = &[
        "id",
        "display_name",
        "service",
        "handles",
        "is_archived",
        "is_group",
        "created_at",
        "updated_at",
    ];

    fn set_left_out(&mut self, names: Vec<String>) {
        self.left_out = names;
    }
}

/// Phone numbers compare exactly; email addresses without regard to case.
fn same_handle(a: &str, b: &str) -> bool {
    a == b || (a.contains('@') && a.eq_ignore_ascii_case(b))
}

/// A participant of a chat, as chats and participant events describe it.
/// Every field is optional, so that nothing Linq leaves out fails a call.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Participant {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    id: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    handle: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    service: Option<Service>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    status: Option<ParticipantStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    joined_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    left_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    is_me: Option<bool>,
    #[serde(flatten)]
    unknown_fields: Map<String, Value>,
}

impl Participant {
    /// The participant's id.
    pub fn id(&self) -> Option<Uuid> {
        self.id
    }
    /// Phone number (E.164) or email address.
    pub fn handle(&self) -> Option<&str> {
        self.handle.as_deref()
    }
    /// The service they use in the chat.
    pub fn service(&self) -> Option<&Service> {
        self.service.as_ref()
    }
    /// Whether they are in the chat, left, or were removed. Linq documents
    /// `active` as the default, so a missing status reads as `None` here and
    /// [`is_active`](Participant::is_active) treats it as active.
    pub fn status(&self) -> Option<&ParticipantStatus> {
        self.status.as_ref()
    }
    /// Whether they are in the chat now: status `active`, or none given.
    pub fn is_active(&self) -> bool {
        matches!(self.status, None | Some(ParticipantStatus::Active))
    }
    /// When they joined.
    pub fn joined_at(&self) -> Option<DateTime<Utc>> {
        self.joined_at
    }
    /// When they left, if they did.
    pub fn left_at(&self) -> Option<DateTime<Utc>> {
        self.left_at
    }
    /// Whether this is the partner's own number.
    pub fn is_me(&self) -> Option<bool> {
        self.is_me
    }
    /// Fields this version of the crate does not name (such as a
    /// `line_type` Linq added later).
    pub fn unknown_fields(&self) -> &Map<String, Value> {
        &self.unknown_fields
    }
}

open_enum! {
    /// The service a chat, or a participant in it, uses.
    ///
    /// ```
    /// use linq_partner::Service;
    ///
    /// assert_eq!(Service::from("SMS".to_owned()), Service::Sms);
    /// let later = Service::from("WhatsApp".to_owned());
    /// assert!(matches!(later, Service::Other(_)));
    /// assert_eq!(later.as_str(), "WhatsApp");
    /// ```
    #[cfg_attr(feature = "schemars", schemars(description = "`iMessage`, `SMS`, `RCS`, or a service Linq adds later."))]
    Service / UnknownService {
        /// `iMessage`.
        IMessage = "iMessage",
        /// `SMS`.
        Sms = "SMS",
        /// `RCS`.
        Rcs = "RCS",
    }
}

open_enum! {
    /// Where a participant stands in a chat.
    ///
    /// ```
    /// use linq_partner::ParticipantStatus;
    ///
    /// assert_eq!(ParticipantStatus::from("removed".to_owned()), ParticipantStatus::Removed);
    /// assert_eq!(ParticipantStatus::from("pending".to_owned()).as_str(), "pending");
    /// ```
    #[cfg_attr(feature = "schemars", schemars(description = "`active`, `left`, `removed`, or a status Linq adds later."))]
    ParticipantStatus / UnknownParticipantStatus {
        /// `active`: in the chat.
        Active = "active",
        /// `left`: they left.
        Left = "left",
        /// `removed`: they were removed.
        Removed = "removed",
    }
}

capped_debug!(Chat {
    id,
    display_name,
    service,
    handles,
    is_archived,
    is_group,
    created_at,
    updated_at,
    unknown_fields,
    left_out,
});

capped_debug!(Participant {
    id,
    handle,
    service,
    status,
    joined_at,
    left_at,
    is_me,
    unknown_fields,
});
