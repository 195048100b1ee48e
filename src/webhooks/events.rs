//! Typed webhook events. The payloads are decoded by the wrapper's own
//! lenient types (the spec's webhook schemas document them, and
//! `tests/spec_agreement.rs` decodes the spec's examples with these types),
//! so that a schema Linq renames or tightens changes nothing here.
//!
//! Decoding never fails: the delivery is already verified, and an authentic
//! delivery must be answered 2xx whatever it holds. A body this version
//! cannot type becomes [`EventKind::Other`] with the reason. What the schema
//! promises is typed (`event_id` and a participant's `id` are UUIDs, times
//! are RFC 3339); what it does not promise is kept as text (`chat_id`,
//! services, statuses), and fields this version does not name are kept.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize, de::IgnoredAny};
use serde_json::{Map, Value};
use uuid::Uuid;

use super::signed::Scheme;
use crate::{
    chat::Participant,
    ids::ChatId,
    text::{MESSAGE_CHARS, capped_debug, shown_string},
};

/// A verified delivery: how it was verified, the envelope, and the event
/// inside.
#[derive(Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Event {
    id: Option<String>,
    scheme: Scheme,
    subscription_id: Option<String>,
    envelope: Envelope,
    kind: EventKind,
}

impl Event {
    /// The delivery's id, the key to drop repeated deliveries on: the
    /// `webhook-id` header (Standard Webhooks), or for a delivery verified
    /// with the deprecated headers the body's `event_id`. Every attempt to
    /// deliver one event carries the same id.
    pub fn id(&self) -> Option<&str> {
        self.id.as_deref()
    }

    /// Which signature the delivery was verified with.
    pub fn scheme(&self) -> Scheme {
        self.scheme
    }

    /// What every event carries.
    pub fn envelope(&self) -> &Envelope {
        &self.envelope
    }

    /// The event itself.
    pub fn kind(&self) -> &EventKind {
        &self.kind
    }

    /// `X-Webhook-Subscription-ID`, when the delivery had it (it is not
    /// signed).
    pub fn subscription_id(&self) -> Option<&str> {
        self.subscription_id.as_deref()
    }

    /// An event as a verified delivery would give it, its id the envelope's
    /// `event_id`; for tests of code that handles events.
    ///
    /// ```
    /// use linq_partner::webhooks::{Envelope, Event, EventKind, ParticipantChanged};
    ///
    /// let id = "0b6f4a5e-1c2d-4e3f-8a9b-0c1d2e3f4a5b".parse()?;
    /// let event = Event::new(
    ///     Envelope::new(id, "participant.removed"),
    ///     EventKind::ParticipantRemoved(ParticipantChanged::new().with_handle("+12052499136")),
    /// );
    /// assert_eq!(event.id(), Some("0b6f4a5e-1c2d-4e3f-8a9b-0c1d2e3f4a5b"));
    /// # Ok::<(), uuid::Error>(())
    /// ```
    #[cfg(feature = "test-util")]
    #[cfg_attr(docsrs, doc(cfg(feature = "test-util")))]
    pub fn new(envelope: Envelope, kind: EventKind) -> Self {
        Self {
            id: envelope.event_id.map(|id| id.to_string()),
            scheme: Scheme::StandardWebhooks,
            subscription_id: None,
            envelope,
            kind,
        }
    }
}

/// What every event carries around its data. Every field is optional: an
/// authentic body that lacks one still arrives.
#[derive(Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Envelope {
    event_id: Option<Uuid>,
    event_type: String,
    created_at: Option<DateTime<Utc>>,
    trace_id: Option<String>,
    partner_id: Option<String>,
    webhook_version: Option<String>,
    api_version: Option<String>,
    unknown_fields: Map<String, Value>,
}

impl Envelope {
    /// An envelope with an id and a type; for tests.
    #[cfg(feature = "test-util")]
    #[cfg_attr(docsrs, doc(cfg(feature = "test-util")))]
    pub fn new(event_id: Uuid, event_type: impl Into<String>) -> Self {
        Self {
            event_id: Some(event_id),
            event_type: event_type.into(),
            ..Self::default()
        }
    }

    /// Unique per event: repeated deliveries of one event share it.
    pub fn event_id(&self) -> Option<Uuid> {
        self.event_id
    }

    /// Such as `participant.removed`: the body's `event_type`, else the
    /// `X-Webhook-Event` header, else empty.
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

    /// Fields of the envelope this version does not name, as they arrived
    /// (`data` is the event's, not listed here).
    pub fn unknown_fields(&self) -> &Map<String, Value> {
        &self.unknown_fields
    }
}

/// The event inside a delivery.
///
/// ```
/// use linq_partner::webhooks::{Event, EventKind};
///
/// fn handle(event: &Event) {
///     match event.kind() {
///         EventKind::ParticipantAdded(added) => println!("{:?} joined", added.handle()),
///         EventKind::ParticipantRemoved(removed) => println!("{:?} left", removed.handle()),
///         EventKind::Other(other) => match other.problem() {
///             Some(problem) => eprintln!("could not type {:?}: {problem}", other.event_type()),
///             None => println!("{:?} is not handled here", other.event_type()),
///         },
///         _ => {} // kinds a later version types
///     }
/// }
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[cfg_attr(
    feature = "schemars",
    schemars(description = "The event inside a delivery.")
)]
#[non_exhaustive]
pub enum EventKind {
    /// `participant.added`: a queued addition took effect.
    ParticipantAdded(ParticipantChanged),
    /// `participant.removed`: a queued removal took effect.
    ParticipantRemoved(ParticipantChanged),
    /// An authentic event this version does not type: a type it does not
    /// know (such as `message.sent`, or one Linq adds later), or a body that
    /// does not fit its types. Opaque, so that a later version typing the
    /// event does not silently change which arm of a `match` runs.
    Other(OtherEvent),
}

/// An event this version does not type, kept as it arrived.
#[derive(Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct OtherEvent {
    event_type: String,
    body: Value,
    problem: Option<String>,
}

static NULL: Value = Value::Null;

impl OtherEvent {
    /// An event of `event_type` with `data`; for tests.
    ///
    /// ```
    /// use linq_partner::webhooks::OtherEvent;
    ///
    /// let other = OtherEvent::new("message.sent", serde_json::json!({"chat_id": "c1"}));
    /// assert_eq!(other.data()["chat_id"], "c1");
    /// assert_eq!(other.problem(), None);
    /// ```
    #[cfg(feature = "test-util")]
    #[cfg_attr(docsrs, doc(cfg(feature = "test-util")))]
    pub fn new(event_type: impl Into<String>, data: Value) -> Self {
        let event_type = event_type.into();
        Self {
            body: serde_json::json!({ "event_type": event_type, "data": data }),
            event_type,
            problem: None,
        }
    }

    /// The event's type, as [`Envelope::event_type`] gives it.
    pub fn event_type(&self) -> &str {
        &self.event_type
    }

    /// The event's `data`, as it arrived (`null` when there is none).
    pub fn data(&self) -> &Value {
        self.body.get("data").unwrap_or(&NULL)
    }

    /// The whole body as JSON, as it arrived (`null` when it is not JSON:
    /// the raw bytes are the ones given to `verify`).
    pub fn body(&self) -> &Value {
        &self.body
    }

    /// Why this version could not type the event, escaped and cut short;
    /// `None` when its type is simply not one this version types.
    pub fn problem(&self) -> Option<&str> {
        self.problem.as_deref()
    }
}

/// The data of `participant.added` and `participant.removed`.
#[derive(Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct ParticipantChanged {
    chat_id: Option<String>,
    handle: Option<String>,
    participant: Option<Participant>,
    /// `added_at` or `removed_at`.
    at: Option<DateTime<Utc>>,
    unknown_fields: Map<String, Value>,
}

impl ParticipantChanged {
    /// Data with no fields; add them with the `with_` methods. For tests.
    ///
    /// ```
    /// use linq_partner::webhooks::ParticipantChanged;
    ///
    /// let change = ParticipantChanged::new()
    ///     .with_chat_id("550e8400-e29b-41d4-a716-446655440000")
    ///     .with_handle("+12052499136");
    /// assert!(change.parsed_chat_id().is_some());
    /// assert_eq!(change.handle(), Some("+12052499136"));
    /// ```
    #[cfg(feature = "test-util")]
    #[cfg_attr(docsrs, doc(cfg(feature = "test-util")))]
    pub fn new() -> Self {
        Self::default()
    }

    /// The same data with this `chat_id`.
    #[cfg(feature = "test-util")]
    #[cfg_attr(docsrs, doc(cfg(feature = "test-util")))]
    pub fn with_chat_id(mut self, chat_id: impl Into<String>) -> Self {
        self.chat_id = Some(chat_id.into());
        self
    }

    /// The same data with this (deprecated) top-level `handle`.
    #[cfg(feature = "test-util")]
    #[cfg_attr(docsrs, doc(cfg(feature = "test-util")))]
    pub fn with_handle(mut self, handle: impl Into<String>) -> Self {
        self.handle = Some(handle.into());
        self
    }

    /// The chat, as the event names it. Linq's schema does not promise a
    /// UUID; [`ParticipantChanged::parsed_chat_id`] gives one when it is.
    pub fn chat_id(&self) -> Option<&str> {
        self.chat_id.as_deref()
    }

    /// The chat as a [`ChatId`], when the event names it with a UUID.
    pub fn parsed_chat_id(&self) -> Option<ChatId> {
        self.chat_id.as_deref()?.parse().ok()
    }

    /// The participant's handle: `participant.handle` when present, else
    /// the deprecated top-level `handle`.
    pub fn handle(&self) -> Option<&str> {
        self.participant
            .as_ref()
            .and_then(Participant::handle)
            .or(self.handle.as_deref())
    }

    /// The participant as Linq describes it.
    pub fn participant(&self) -> Option<&Participant> {
        self.participant.as_ref()
    }

    /// When the change took effect (`added_at` / `removed_at`).
    pub fn at(&self) -> Option<DateTime<Utc>> {
        self.at
    }

    /// Fields of the data this version does not name, as they arrived.
    pub fn unknown_fields(&self) -> &Map<String, Value> {
        &self.unknown_fields
    }
}

/// What every delivery carries, as it arrives.
#[derive(Deserialize)]
struct WireEnvelope {
    #[serde(default)]
    event_id: Option<Uuid>,
    #[serde(default)]
    event_type: Option<String>,
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
    /// Read separately, from the JSON itself.
    #[serde(default)]
    #[allow(dead_code)]
    data: Option<IgnoredAny>,
    #[serde(flatten)]
    unknown_fields: Map<String, Value>,
}

/// The data of both participant events, as it arrives, but for the time
/// (`added_at` or `removed_at`, read first).
#[derive(Deserialize)]
struct WireParticipantChange {
    #[serde(default)]
    chat_id: Option<String>,
    #[serde(default)]
    handle: Option<String>,
    #[serde(default)]
    participant: Option<Participant>,
    #[serde(flatten)]
    unknown_fields: Map<String, Value>,
}

/// The verified body of a delivery as an [`Event`]; never fails.
pub(crate) fn decode_event(
    body: &[u8],
    scheme: Scheme,
    id: Option<String>,
    subscription_id: Option<String>,
    type_header: Option<&str>,
) -> Event {
    let (envelope, kind) = decode(body, type_header.unwrap_or_default());
    Event {
        id: id.or_else(|| envelope.event_id.map(|id| id.to_string())),
        scheme,
        subscription_id,
        envelope,
        kind,
    }
}

/// A participant event as a body that [`decode_event`] reads back into the
/// same event: how a shared registry stores it. `None` for other kinds,
/// which no registry stores.
#[cfg(feature = "postgres")]
pub(crate) fn participant_body(event: &Event) -> Option<Value> {
    let (data, time_key) = match &event.kind {
        EventKind::ParticipantAdded(data) => (data, "added_at"),
        EventKind::ParticipantRemoved(data) => (data, "removed_at"),
        EventKind::Other(_) => return None,
    };
    let envelope = &event.envelope;
    let mut body = envelope.unknown_fields.clone();
    let put = |map: &mut Map<String, Value>, key: &str, value: Option<Value>| {
        if let Some(value) = value {
            map.insert(key.to_owned(), value);
        }
    };
    let text = |value: &Option<String>| value.clone().map(Value::String);
    let time = |value: Option<DateTime<Utc>>| {
        value.map(|at| Value::String(at.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)))
    };
    put(
        &mut body,
        "event_id",
        envelope.event_id.map(|id| Value::String(id.to_string())),
    );
    put(
        &mut body,
        "event_type",
        Some(Value::String(envelope.event_type.clone())),
    );
    put(&mut body, "created_at", time(envelope.created_at));
    put(&mut body, "trace_id", text(&envelope.trace_id));
    put(&mut body, "partner_id", text(&envelope.partner_id));
    put(
        &mut body,
        "webhook_version",
        text(&envelope.webhook_version),
    );
    put(&mut body, "api_version", text(&envelope.api_version));
    let mut fields = data.unknown_fields.clone();
    put(&mut fields, "chat_id", text(&data.chat_id));
    put(&mut fields, "handle", text(&data.handle));
    put(
        &mut fields,
        "participant",
        data.participant
            .as_ref()
            .and_then(|p| serde_json::to_value(p).ok()),
    );
    put(&mut fields, time_key, time(data.at));
    body.insert("data".to_owned(), Value::Object(fields));
    Some(Value::Object(body))
}

/// Why a part of the body did not fit, safe to print.
fn problem(what: &str, error: impl std::fmt::Display) -> Option<String> {
    Some(shown_string(&format!("{what}: {error}"), MESSAGE_CHARS))
}

fn decode(body: &[u8], type_header: &str) -> (Envelope, EventKind) {
    let other = |envelope: Envelope, body: Value, problem: Option<String>| {
        let kind = EventKind::Other(OtherEvent {
            event_type: envelope.event_type.clone(),
            body,
            problem,
        });
        (envelope, kind)
    };
    let json: Value = match serde_json::from_slice(body) {
        Ok(json) => json,
        Err(error) => {
            let envelope = Envelope {
                event_type: type_header.to_owned(),
                ..Envelope::default()
            };
            return other(
                envelope,
                Value::Null,
                problem("the body is not JSON", error),
            );
        }
    };
    let wire = match WireEnvelope::deserialize(&json) {
        Ok(wire) => wire,
        Err(error) => {
            // Keep what can be read of the envelope, field by field.
            let text = |name: &str| json.get(name).and_then(Value::as_str);
            let envelope = Envelope {
                event_id: text("event_id").and_then(|id| Uuid::try_parse(id).ok()),
                event_type: text("event_type").unwrap_or(type_header).to_owned(),
                ..Envelope::default()
            };
            return other(
                envelope,
                json,
                problem("the body is not a webhook envelope", error),
            );
        }
    };
    let envelope = Envelope {
        event_id: wire.event_id,
        event_type: wire.event_type.unwrap_or_else(|| type_header.to_owned()),
        created_at: wire.created_at,
        trace_id: wire.trace_id,
        partner_id: wire.partner_id,
        webhook_version: wire.webhook_version,
        api_version: wire.api_version,
        unknown_fields: wire.unknown_fields,
    };
    let data = json.get("data").unwrap_or(&NULL);
    let typed = match envelope.event_type.as_str() {
        "participant.added" => {
            participant_change(data, "added_at").map(EventKind::ParticipantAdded)
        }
        "participant.removed" => {
            participant_change(data, "removed_at").map(EventKind::ParticipantRemoved)
        }
        // Any other type, including those added later, is kept as it came.
        _ => Err(None),
    };
    match typed {
        Ok(kind) => (envelope, kind),
        Err(problem) => other(envelope, json, problem),
    }
}

/// The data of a participant event; the time is under `time_key`.
fn participant_change(data: &Value, time_key: &str) -> Result<ParticipantChanged, Option<String>> {
    let Value::Object(data) = data else {
        return Err(problem("data", "not an object"));
    };
    let mut data = data.clone();
    let at = match data.remove(time_key) {
        None | Some(Value::Null) => None,
        Some(time) => {
            Some(DateTime::<Utc>::deserialize(&time).map_err(|error| problem(time_key, error))?)
        }
    };
    let wire = WireParticipantChange::deserialize(Value::Object(data))
        .map_err(|error| problem("data", error))?;
    Ok(ParticipantChanged {
        chat_id: wire.chat_id,
        handle: wire.handle,
        participant: wire.participant,
        at,
        unknown_fields: wire.unknown_fields,
    })
}

capped_debug!(Event {
    id,
    scheme,
    subscription_id,
    envelope,
    kind,
});

capped_debug!(Envelope {
    event_id,
    event_type,
    created_at,
    trace_id,
    partner_id,
    webhook_version,
    api_version,
    unknown_fields,
});

capped_debug!(OtherEvent {
    event_type,
    body,
    problem,
});

capped_debug!(ParticipantChanged {
    chat_id,
    handle,
    participant,
    at,
    unknown_fields,
});

#[cfg(test)]
mod tests {
    use super::*;

    /// A stored participant event reads back as the same event: every
    /// field, known or not, and every time to the nanosecond.
    #[cfg(feature = "postgres")]
    #[test]
    fn a_stored_participant_event_reads_back_the_same() {
        for (event_type, at_key) in [
            ("participant.added", "added_at"),
            ("participant.removed", "removed_at"),
        ] {
            let body = serde_json::json!({
                "api_version": "v3",
                "webhook_version": "2026-02-03",
                "event_type": event_type,
                "event_id": "0b6f4a5e-1c2d-4e3f-8a9b-0c1d2e3f4a5b",
                "created_at": "2026-12-01T09:00:00.123456789Z",
                "trace_id": "t-1",
                "partner_id": "p-1",
                "region": {"name": "eu", "shards": [1, 2.5, null]},
                "data": {
                    "chat_id": "550e8400-e29b-41d4-a716-446655440000",
                    "handle": "+12052499136",
                    at_key: "2026-12-01T09:00:00.5+05:30",
                    "participant": {"id": "7a2b3c4d-5e6f-4a1b-9c2d-3e4f5a6b7c8d",
                                    "handle": "+12052499136", "service": "iMessage",
                                    "status": "someday", "is_me": false, "color": "teal"},
                    "reason": "invited",
                },
            });
            let bytes = serde_json::to_vec(&body).unwrap();
            let event = decode_event(
                &bytes,
                Scheme::XWebhook,
                Some("msg_1".into()),
                Some("sub_1".into()),
                None,
            );
            assert!(!matches!(event.kind, EventKind::Other(_)), "{event:?}");
            let stored = participant_body(&event).unwrap().to_string();
            let read = decode_event(
                stored.as_bytes(),
                Scheme::XWebhook,
                Some("msg_1".into()),
                Some("sub_1".into()),
                None,
            );
            assert_eq!(read, event, "{stored}");
        }
    }

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
            let event = decode_event(
                body.to_string().as_bytes(),
                Scheme::StandardWebhooks,
                None,
                None,
                None,
            );
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
