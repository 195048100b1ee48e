//! Typed webhook events. The payloads are decoded by the wrapper's own
//! lenient types (the spec's webhook schemas document them, and
//! `tests/spec_agreement.rs` decodes the spec's examples with these types),
//! so that a schema Linq renames or tightens changes nothing here.

use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use uuid::Uuid;

use super::verify::VerifyError;
use crate::ids::ChatId;

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
    created_at: Option<DateTime<Utc>>,
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

    /// When the event happened.
    pub fn created_at(&self) -> Option<DateTime<Utc>> {
        self.created_at
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
    at: Option<DateTime<Utc>>,
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

    /// When the change took effect (`added_at` / `removed_at`).
    pub fn at(&self) -> Option<DateTime<Utc>> {
        self.at
    }
}

/// A participant of a chat, as events describe it. Every field is optional:
/// events decode whatever Linq leaves out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Participant {
    #[serde(default)]
    id: Option<Uuid>,
    #[serde(default)]
    handle: Option<String>,
    #[serde(default)]
    service: Option<String>,
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    joined_at: Option<DateTime<Utc>>,
    #[serde(default)]
    left_at: Option<DateTime<Utc>>,
    #[serde(default)]
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
    /// When they joined.
    pub fn joined_at(&self) -> Option<DateTime<Utc>> {
        self.joined_at
    }
    /// When they left.
    pub fn left_at(&self) -> Option<DateTime<Utc>> {
        self.left_at
    }
    /// Whether this is the partner's own number.
    pub fn is_me(&self) -> Option<bool> {
        self.is_me
    }
}

/// What every delivery carries, as it arrives.
#[derive(Deserialize)]
struct WireEnvelope {
    event_id: Uuid,
    event_type: String,
    #[serde(default)]
    created_at: Option<DateTime<Utc>>,
    #[serde(default)]
    trace_id: Option<String>,
    #[serde(default)]
    partner_id: Option<String>,
    #[serde(default)]
    webhook_version: Option<String>,
    #[serde(default)]
    api_version: Option<String>,
    #[serde(default)]
    data: Map<String, Value>,
}

/// The data of both participant events, as it arrives; the time's name
/// differs (`added_at`, `removed_at`).
#[derive(Deserialize)]
struct WireParticipantChange {
    #[serde(default)]
    chat_id: Option<Uuid>,
    handle: String,
    #[serde(default)]
    participant: Option<Participant>,
    #[serde(default, alias = "added_at", alias = "removed_at")]
    at: Option<DateTime<Utc>>,
}

/// The body of a delivery as an [`Event`].
pub(crate) fn decode_event(
    body: &[u8],
    subscription_id: Option<String>,
) -> Result<Event, VerifyError> {
    let text =
        |e: serde_json::Error| crate::text::capped(e.to_string(), crate::text::MESSAGE_CHARS);
    let value: Value =
        serde_json::from_slice(body).map_err(|e| VerifyError::BodyNotJson(text(e)))?;
    let raw: WireEnvelope =
        serde_json::from_value(value).map_err(|e| VerifyError::NotAnEvent(text(e)))?;
    let data = Value::Object(raw.data);
    let change = |data: Value| -> Result<ParticipantChanged, VerifyError> {
        let change: WireParticipantChange =
            serde_json::from_value(data).map_err(|e| VerifyError::NotAnEvent(text(e)))?;
        Ok(ParticipantChanged {
            chat_id: change.chat_id.map(ChatId::from_uuid),
            handle: change.handle,
            participant: change.participant,
            at: change.at,
        })
    };
    let kind = match raw.event_type.as_str() {
        "participant.added" => EventKind::ParticipantAdded(change(data)?),
        "participant.removed" => EventKind::ParticipantRemoved(change(data)?),
        // Any other type, including those added later, is kept as it came.
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Every way RFC 3339 lets Linq write a time decodes, to the same
    /// instant an independent reading gives.
    #[test]
    fn times_in_any_rfc_3339_form() {
        for (written, utc) in [
            ("2026-12-01T09:00:00Z", "2026-12-01T09:00:00+00:00"),
            ("2026-12-01t09:00:00z", "2026-12-01T09:00:00+00:00"),
            ("2026-12-01 09:00:00Z", "2026-12-01T09:00:00+00:00"),
            ("2026-12-01T09:00:00.5Z", "2026-12-01T09:00:00.500+00:00"),
            (
                "2026-12-01T09:00:00.123456789Z",
                "2026-12-01T09:00:00.123456789+00:00",
            ),
            ("2026-12-01T14:30:00+05:30", "2026-12-01T09:00:00+00:00"),
            ("2026-12-01T04:00:00.000-05:00", "2026-12-01T09:00:00+00:00"),
            ("2026-12-01T09:00:00-00:00", "2026-12-01T09:00:00+00:00"),
            // A leap second, which RFC 3339 allows.
            ("2016-12-31T23:59:60Z", "2016-12-31T23:59:60+00:00"),
        ] {
            let body = serde_json::json!({
                "event_id": "0b6f4a5e-1c2d-4e3f-8a9b-0c1d2e3f4a5b",
                "event_type": "participant.added",
                "created_at": written,
                "data": {"handle": "+12052499136", "added_at": written,
                         "participant": {"joined_at": written, "left_at": written}},
            });
            let event = decode_event(body.to_string().as_bytes(), None)
                .unwrap_or_else(|e| panic!("{written}: {e}"));
            let created = event.envelope().created_at().unwrap();
            assert_eq!(created.to_rfc3339(), utc, "{written}");
            let EventKind::ParticipantAdded(added) = event.kind() else {
                panic!("{written}")
            };
            let participant = added.participant().unwrap();
            assert_eq!(
                [added.at(), participant.joined_at(), participant.left_at()],
                [Some(created); 3],
                "{written}"
            );
        }
    }
}
