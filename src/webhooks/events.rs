//! Typed webhook events, decoded through the types the generator makes from
//! the spec's webhook schemas, so that a spec change flows into them.

use schemars::JsonSchema;
use serde::Serialize;
use uuid::Uuid;

use super::verify::VerifyError;
use crate::{ids::ChatId, raw::types};

/// A verified delivery: the envelope, and the event inside.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Event {
    envelope: Envelope,
    kind: EventKind,
    subscription_id: Option<String>,
}

impl Event {
    /// What every event carries.
    pub fn envelope(&self) -> &Envelope {
        &self.envelope
    }

    /// The event itself.
    pub fn kind(&self) -> &EventKind {
        &self.kind
    }

    /// `X-Webhook-Subscription-ID`, when the delivery had it.
    pub fn subscription_id(&self) -> Option<&str> {
        self.subscription_id.as_deref()
    }

    /// An event as a verified delivery would give it; for tests of code that
    /// handles events.
    pub fn new(envelope: Envelope, kind: EventKind) -> Self {
        Self {
            envelope,
            kind,
            subscription_id: None,
        }
    }
}

/// What every event carries around its data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Envelope {
    event_id: Uuid,
    event_type: String,
    created_at: Option<String>,
    trace_id: Option<String>,
    partner_id: Option<String>,
    webhook_version: Option<String>,
    api_version: Option<String>,
}

impl Envelope {
    /// An envelope with an id and a type; for tests.
    pub fn new(event_id: Uuid, event_type: impl Into<String>) -> Self {
        Self {
            event_id,
            event_type: event_type.into(),
            created_at: None,
            trace_id: None,
            partner_id: None,
            webhook_version: None,
            api_version: None,
        }
    }

    /// Unique per event: repeated deliveries of one event share it.
    pub fn event_id(&self) -> Uuid {
        self.event_id
    }

    /// Such as `participant.removed`.
    pub fn event_type(&self) -> &str {
        &self.event_type
    }

    /// When the event happened (RFC 3339), as Linq wrote it.
    pub fn created_at(&self) -> Option<&str> {
        self.created_at.as_deref()
    }

    /// The identifier Linq support asks for.
    pub fn trace_id(&self) -> Option<&str> {
        self.trace_id.as_deref()
    }

    /// The partner account.
    pub fn partner_id(&self) -> Option<&str> {
        self.partner_id.as_deref()
    }

    /// The payload version the subscription chose (`2025-01-01`, `2026-02-03`).
    pub fn webhook_version(&self) -> Option<&str> {
        self.webhook_version.as_deref()
    }

    /// The API version.
    pub fn api_version(&self) -> Option<&str> {
        self.api_version.as_deref()
    }
}

/// The event inside a delivery.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[non_exhaustive]
pub enum EventKind {
    /// `participant.added`: a queued addition took effect.
    ParticipantAdded(ParticipantChanged),
    /// `participant.removed`: a queued removal took effect.
    ParticipantRemoved(ParticipantChanged),
    /// Any other type, kept whole: types this crate does not decode (such as
    /// `message.sent`) and types Linq adds later.
    Other {
        /// The event's `data`, as it arrived.
        data: serde_json::Value,
    },
}

/// The data of `participant.added` and `participant.removed`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct ParticipantChanged {
    chat_id: Option<ChatId>,
    handle: String,
    participant: Option<Participant>,
    /// `added_at` or `removed_at`.
    at: Option<String>,
}

impl ParticipantChanged {
    /// The change's data; for tests.
    pub fn new(chat_id: Option<ChatId>, handle: impl Into<String>) -> Self {
        Self {
            chat_id,
            handle: handle.into(),
            participant: None,
            at: None,
        }
    }

    /// The chat, when the event names it.
    pub fn chat_id(&self) -> Option<ChatId> {
        self.chat_id
    }

    /// The participant's handle: `participant.handle` when present, else
    /// the (deprecated) top-level `handle`.
    pub fn handle(&self) -> &str {
        self.participant
            .as_ref()
            .and_then(|p| p.handle.as_deref())
            .unwrap_or(&self.handle)
    }

    /// The participant as Linq describes it.
    pub fn participant(&self) -> Option<&Participant> {
        self.participant.as_ref()
    }

    /// When the change took effect (`added_at` / `removed_at`, RFC 3339).
    pub fn at(&self) -> Option<&str> {
        self.at.as_deref()
    }
}

/// A participant of a chat, as events describe it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Participant {
    id: Option<Uuid>,
    handle: Option<String>,
    service: Option<String>,
    status: Option<String>,
    joined_at: Option<String>,
    left_at: Option<String>,
    is_me: Option<bool>,
}

impl Participant {
    /// The participant's id.
    pub fn id(&self) -> Option<Uuid> {
        self.id
    }
    /// Phone number or email address.
    pub fn handle(&self) -> Option<&str> {
        self.handle.as_deref()
    }
    /// `iMessage`, `SMS` or `RCS` (open: new services keep their name).
    pub fn service(&self) -> Option<&str> {
        self.service.as_deref()
    }
    /// `active`, `left` or `removed` (open).
    pub fn status(&self) -> Option<&str> {
        self.status.as_deref()
    }
    /// When they joined (RFC 3339).
    pub fn joined_at(&self) -> Option<&str> {
        self.joined_at.as_deref()
    }
    /// When they left (RFC 3339).
    pub fn left_at(&self) -> Option<&str> {
        self.left_at.as_deref()
    }
    /// Whether this is the partner's own number.
    pub fn is_me(&self) -> Option<bool> {
        self.is_me
    }
}

impl From<types::ChatHandle> for Participant {
    fn from(raw: types::ChatHandle) -> Self {
        Self {
            id: raw.id,
            handle: raw.handle,
            service: raw.service,
            status: raw.status,
            joined_at: raw.joined_at,
            left_at: raw.left_at,
            is_me: raw.is_me,
        }
    }
}

/// The two participant events share their fields but the time's name.
fn changed(
    chat_id: Option<Uuid>,
    handle: String,
    participant: Option<types::ChatHandle>,
    at: Option<String>,
) -> ParticipantChanged {
    ParticipantChanged {
        chat_id: chat_id.map(ChatId::from_uuid),
        handle,
        participant: participant.map(Participant::from),
        at,
    }
}

/// The body of a delivery as an [`Event`].
pub(crate) fn decode_event(
    body: &[u8],
    subscription_id: Option<String>,
) -> Result<Event, VerifyError> {
    let text =
        |e: serde_json::Error| crate::text::capped(e.to_string(), crate::text::MESSAGE_CHARS);
    let value: serde_json::Value =
        serde_json::from_slice(body).map_err(|e| VerifyError::BodyNotJson(text(e)))?;
    let raw: types::WebhookEnvelope =
        serde_json::from_value(value).map_err(|e| VerifyError::NotAnEvent(text(e)))?;
    let data = serde_json::Value::Object(raw.data);
    // Which types are known is the spec's word (`WebhookEventType`); any
    // other type, including those added later, is kept as it came.
    let kind = match raw.event_type.parse::<types::WebhookEventType>() {
        Ok(types::WebhookEventType::ParticipantAdded) => {
            let added: types::ParticipantAddedEvent =
                serde_json::from_value(data).map_err(|e| VerifyError::NotAnEvent(text(e)))?;
            EventKind::ParticipantAdded(changed(
                added.chat_id,
                added.handle,
                added.participant,
                added.added_at,
            ))
        }
        Ok(types::WebhookEventType::ParticipantRemoved) => {
            let removed: types::ParticipantRemovedEvent =
                serde_json::from_value(data).map_err(|e| VerifyError::NotAnEvent(text(e)))?;
            EventKind::ParticipantRemoved(changed(
                removed.chat_id,
                removed.handle,
                removed.participant,
                removed.removed_at,
            ))
        }
        _ => EventKind::Other { data },
    };
    Ok(Event {
        envelope: Envelope {
            event_id: raw.event_id,
            event_type: raw.event_type,
            created_at: raw.created_at,
            trace_id: raw.trace_id,
            partner_id: raw.partner_id,
            webhook_version: raw.webhook_version,
            api_version: raw.api_version,
        },
        kind,
        subscription_id,
    })
}
