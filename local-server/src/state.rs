//! The chats the server knows and Linq's rules for changing who is in them.
//!
//! A change is decided and recorded at once, under one lock, so concurrent
//! calls can never lose or double a participant. It becomes *visible* only
//! after the configured delay, the way Linq queues it: a participant carries
//! the instants its joining and leaving take effect.

use std::{
    collections::HashMap,
    time::{Duration, Instant, SystemTime},
};

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::rules::check_handle;

/// The most active participants a chat holds here.
pub const MAX_PARTICIPANTS: usize = 256;

/// The messaging service a chat runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub enum Service {
    /// Apple's iMessage: phone numbers and email addresses.
    #[serde(rename = "iMessage")]
    IMessage,
    /// SMS: phone numbers only.
    #[serde(rename = "SMS")]
    Sms,
    /// RCS: phone numbers only.
    #[serde(rename = "RCS")]
    Rcs,
}

impl std::fmt::Display for Service {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl Service {
    /// The service's name as Linq writes it: `iMessage`, `SMS`, `RCS`.
    pub fn name(self) -> &'static str {
        match self {
            Service::IMessage => "iMessage",
            Service::Sms => "SMS",
            Service::Rcs => "RCS",
        }
    }

    fn accepts(self, handle: &str) -> bool {
        match self {
            Service::IMessage => true,
            Service::Sms | Service::Rcs => handle.starts_with('+'),
        }
    }
}

/// A chat as it is loaded: from JSON ([`parse_chats`](crate::parse_chats)),
/// or one of [`demo_chats`](crate::demo_chats) changed in code.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ChatSeed {
    /// The chat's id.
    pub id: Uuid,
    /// A name to show.
    #[serde(default)]
    pub display_name: Option<String>,
    /// The service the chat runs on.
    pub service: Service,
    /// Whether it is a group chat; direct chats refuse every change.
    #[serde(default = "yes")]
    pub is_group: bool,
    /// Whether Linq currently refuses changes to it (409, code 2013).
    #[serde(default)]
    pub unavailable: bool,
    /// The handle of the partner's own number in the chat.
    pub me: String,
    /// Everyone else.
    pub participants: Vec<String>,
}

fn yes() -> bool {
    true
}

/// Why a change was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Refusal {
    /// No chat with this id.
    UnknownChat,
    /// The chat refuses changes for now.
    Unavailable,
    /// A direct chat.
    NotAGroup,
    /// The handle is already an active participant.
    AlreadyPresent,
    /// The handle is not an active participant.
    NotPresent,
    /// Removal would leave fewer than three participants.
    TooFewLeft {
        /// How many would remain.
        remaining: usize,
    },
    /// The handle cannot use the chat's service.
    CrossService(Service),
    /// The partner's own number cannot be removed.
    RemovingMe,
    /// The chat holds as many participants as this server keeps.
    Full {
        /// The most it holds.
        limit: usize,
    },
}

#[derive(Debug, Clone)]
struct Member {
    id: Uuid,
    handle: String,
    is_me: bool,
    joined: Moment,
    left: Option<Moment>,
}

impl Member {
    /// The member once every queued change has taken effect.
    fn applied(&self, service: Service) -> HandleView {
        HandleView {
            id: self.id,
            handle: self.handle.clone(),
            service,
            status: if self.left.is_some() {
                "removed"
            } else {
                "active"
            }
            .to_owned(),
            joined_at: timestamp(self.joined.wall),
            left_at: self.left.map(|left| timestamp(left.wall)),
            is_me: self.is_me,
        }
    }
}

/// When a change takes effect, in both clocks: the monotonic one decides
/// visibility, the wall clock is what the API shows.
#[derive(Debug, Clone, Copy)]
struct Moment {
    at: Instant,
    wall: SystemTime,
}

impl Moment {
    fn after(delay: Duration) -> Self {
        Self {
            // A delay too long to represent: the change never shows.
            at: Instant::now()
                .checked_add(delay)
                .unwrap_or_else(|| Instant::now() + Duration::from_secs(100 * 365 * 24 * 3600)),
            wall: SystemTime::now()
                .checked_add(delay)
                .unwrap_or(SystemTime::UNIX_EPOCH + Duration::from_secs(253_402_300_799)),
        }
    }

    fn passed(&self, now: Instant) -> bool {
        self.at <= now
    }
}

#[derive(Debug, Clone)]
struct Chat {
    seed: ChatSeed,
    members: Vec<Member>,
    /// When the server loaded it: the chat's `created_at`.
    created: SystemTime,
}

impl Chat {
    fn new(seed: ChatSeed) -> Self {
        let epoch = Moment {
            at: Instant::now(),
            wall: SystemTime::now(),
        };
        let member = |handle: &String, is_me| Member {
            id: Uuid::new_v4(),
            handle: handle.clone(),
            is_me,
            joined: epoch,
            left: None,
        };
        let mut members = vec![member(&seed.me, true)];
        members.extend(seed.participants.iter().map(|h| member(h, false)));
        Self {
            seed,
            members,
            created: epoch.wall,
        }
    }

    /// Members once every queued change has taken effect.
    fn settled(&self) -> impl Iterator<Item = &Member> {
        self.members.iter().filter(|m| m.left.is_none())
    }

    /// Forgets the earliest removed members beyond `history`, so that a
    /// chat's size, and the cost of every call on it, stays bounded however
    /// many calls came before.
    fn prune(&mut self, history: usize) {
        let removed = self.members.iter().filter(|m| m.left.is_some()).count();
        let mut excess = removed.saturating_sub(history);
        if excess > 0 {
            self.members.retain(|m| {
                let forget = excess > 0 && m.left.is_some();
                excess -= usize::from(forget);
                !forget
            });
        }
    }
}

/// Every chat, the delay before queued changes show, and how many removed
/// participants each chat remembers.
#[derive(Debug)]
pub struct Chats {
    chats: HashMap<Uuid, Chat>,
    apply_delay: Duration,
    history: usize,
}

impl Chats {
    /// Loads the seeds (checked first with [`check_chats`]).
    pub fn new(seeds: Vec<ChatSeed>, apply_delay: Duration, history: usize) -> Self {
        Self {
            chats: seeds
                .into_iter()
                .map(|seed| (seed.id, Chat::new(seed)))
                .collect(),
            apply_delay,
            history,
        }
    }

    fn group(&mut self, chat: Uuid) -> Result<&mut Chat, Refusal> {
        let chat = self.chats.get_mut(&chat).ok_or(Refusal::UnknownChat)?;
        if chat.seed.unavailable {
            return Err(Refusal::Unavailable);
        }
        if !chat.seed.is_group {
            return Err(Refusal::NotAGroup);
        }
        Ok(chat)
    }

    /// Queues the addition of `handle`; returns the participant as it will
    /// be once the change applies.
    pub fn add(&mut self, chat: Uuid, handle: &str) -> Result<HandleView, Refusal> {
        let when = Moment::after(self.apply_delay);
        let chat = self.group(chat)?;
        if chat.settled().any(|m| m.handle == handle) {
            return Err(Refusal::AlreadyPresent);
        }
        if !chat.seed.service.accepts(handle) {
            return Err(Refusal::CrossService(chat.seed.service));
        }
        if chat.settled().count() >= MAX_PARTICIPANTS {
            return Err(Refusal::Full {
                limit: MAX_PARTICIPANTS,
            });
        }
        let member = Member {
            id: Uuid::new_v4(),
            handle: handle.to_owned(),
            is_me: false,
            joined: when,
            left: None,
        };
        let applied = member.applied(chat.seed.service);
        chat.members.push(member);
        Ok(applied)
    }

    /// Queues the removal of `handle`; returns the participant as it will
    /// be once the change applies.
    pub fn remove(&mut self, chat: Uuid, handle: &str) -> Result<HandleView, Refusal> {
        let when = Moment::after(self.apply_delay);
        let history = self.history;
        let chat = self.group(chat)?;
        let count = chat.settled().count();
        let member = chat
            .members
            .iter_mut()
            .find(|m| m.left.is_none() && m.handle == handle)
            .ok_or(Refusal::NotPresent)?;
        if member.is_me {
            return Err(Refusal::RemovingMe);
        }
        if count - 1 < 3 {
            return Err(Refusal::TooFewLeft {
                remaining: count - 1,
            });
        }
        member.left = Some(when);
        let applied = member.applied(chat.seed.service);
        chat.prune(history);
        Ok(applied)
    }

    /// The chat as `GET /v3/chats/{chatId}` shows it now.
    pub fn view(&self, chat: Uuid) -> Option<ChatView> {
        let chat = self.chats.get(&chat)?;
        let now = Instant::now();
        // The last change that has taken effect.
        let updated = chat
            .members
            .iter()
            .flat_map(|m| [Some(m.joined), m.left])
            .flatten()
            .filter(|moment| moment.passed(now))
            .map(|moment| moment.wall)
            .fold(chat.created, SystemTime::max);
        let handles = chat
            .members
            .iter()
            .filter(|m| m.joined.passed(now))
            .map(|m| {
                let left = m.left.filter(|left| left.passed(now));
                HandleView {
                    id: m.id,
                    handle: m.handle.clone(),
                    service: chat.seed.service,
                    status: if left.is_some() { "removed" } else { "active" }.to_owned(),
                    joined_at: timestamp(m.joined.wall),
                    left_at: left.map(|l| timestamp(l.wall)),
                    is_me: m.is_me,
                }
            })
            .collect();
        Some(ChatView {
            id: chat.seed.id,
            display_name: chat.seed.display_name.clone(),
            service: chat.seed.service,
            handles,
            is_archived: false,
            is_group: chat.seed.is_group,
            created_at: timestamp(chat.created),
            updated_at: timestamp(updated),
        })
    }
}

/// Checks chats before a server starts with them, naming every problem by
/// chat (its position and id) and field.
///
/// ```
/// let mut chats = linq_local::demo_chats();
/// assert!(linq_local::check_chats(&chats).is_ok());
/// chats[1].participants.push("not a handle".into());
/// let problems = linq_local::check_chats(&chats).unwrap_err();
/// assert!(problems[0].contains("participants[2]"), "{problems:?}");
/// ```
pub fn check_chats(chats: &[ChatSeed]) -> Result<(), Vec<String>> {
    let mut problems = Vec::new();
    let mut ids: HashMap<Uuid, usize> = HashMap::new();
    for (index, chat) in chats.iter().enumerate() {
        let mut problem = |field: &str, what: String| {
            problems.push(format!("chat {index} (id {}): {field}: {what}", chat.id));
        };
        if let Some(first) = ids.insert(chat.id, index) {
            problem("id", format!("the same as chat {first}'s"));
        }
        if let Err(why) = check_handle(&chat.me) {
            problem("me", format!("{:?} is not a handle ({why:?})", chat.me));
        }
        if chat.participants.len() + 1 > MAX_PARTICIPANTS {
            problem(
                "participants",
                format!("at most {} besides me", MAX_PARTICIPANTS - 1),
            );
        }
        if chat
            .display_name
            .as_ref()
            .is_some_and(|name| name.chars().count() > 256)
        {
            problem("display_name", "at most 256 characters".into());
        }
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for (position, handle) in chat.participants.iter().enumerate() {
            let field = format!("participants[{position}]");
            if let Err(why) = check_handle(handle) {
                problem(&field, format!("{handle:?} is not a handle ({why:?})"));
            } else if !chat.service.accepts(handle) {
                problem(
                    &field,
                    format!("{handle:?} cannot be in an {} chat", chat.service.name()),
                );
            }
            if *handle == chat.me {
                problem(
                    &field,
                    "the same as me: the partner's number is given once".into(),
                );
            }
            if let Some(first) = seen.insert(handle, position) {
                problem(&field, format!("the same as participants[{first}]"));
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

/// RFC 3339 for any time: one past the year 9999 (a delay too long to
/// show) is written as its last millisecond, which RFC 3339 can hold.
fn timestamp(at: SystemTime) -> String {
    let latest = SystemTime::UNIX_EPOCH + Duration::from_millis(253_402_300_799_999);
    humantime::format_rfc3339_millis(at.min(latest)).to_string()
}

/// A chat and everyone who is or was in it, in the shape of Linq's `Chat`
/// (every field Linq's document requires).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[non_exhaustive]
pub struct ChatView {
    /// The chat's id.
    pub id: Uuid,
    /// A name to show (`null` when it has none).
    pub display_name: Option<String>,
    /// The service the chat runs on.
    pub service: Service,
    /// Participants, current and removed.
    pub handles: Vec<HandleView>,
    /// Whether the chat is archived (never, here).
    pub is_archived: bool,
    /// Whether it is a group chat.
    pub is_group: bool,
    /// When the server loaded the chat (RFC 3339).
    pub created_at: String,
    /// When the last change took effect (RFC 3339).
    pub updated_at: String,
}

impl ChatView {
    /// The handles of the active participants, in the order they joined.
    pub fn active_handles(&self) -> Vec<&str> {
        self.handles
            .iter()
            .filter(|h| h.status == "active")
            .map(|h| h.handle.as_str())
            .collect()
    }
}

/// One participant of a chat.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[non_exhaustive]
pub struct HandleView {
    /// The participant's id.
    pub id: Uuid,
    /// Phone number or email address.
    pub handle: String,
    /// The service they use in this chat.
    pub service: Service,
    /// `active`, or `removed` once a queued removal has taken effect.
    pub status: String,
    /// When they joined (RFC 3339).
    pub joined_at: String,
    /// When they left, if they did.
    pub left_at: Option<String>,
    /// Whether this is the partner's own number.
    pub is_me: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chat(participants: &[&str]) -> (Chats, Uuid) {
        let id = Uuid::new_v4();
        let seed = ChatSeed {
            id,
            display_name: None,
            service: Service::Sms,
            is_group: true,
            unavailable: false,
            me: "+15550000000".into(),
            participants: participants.iter().map(|p| p.to_string()).collect(),
        };
        (Chats::new(vec![seed], Duration::ZERO, 100), id)
    }

    #[test]
    fn removal_keeps_three() {
        let (mut chats, id) = chat(&["+15550000001", "+15550000002", "+15550000003"]);
        assert!(chats.remove(id, "+15550000001").is_ok());
        assert_eq!(
            chats.remove(id, "+15550000002"),
            Err(Refusal::TooFewLeft { remaining: 2 })
        );
        assert_eq!(chats.remove(id, "+15550000001"), Err(Refusal::NotPresent));
        assert_eq!(chats.remove(id, "+15550000000"), Err(Refusal::RemovingMe));
    }

    #[test]
    fn additions_follow_the_service() {
        let (mut chats, id) = chat(&["+15550000001", "+15550000002"]);
        assert_eq!(
            chats.add(id, "user@example.com"),
            Err(Refusal::CrossService(Service::Sms))
        );
        assert!(chats.add(id, "+15550000009").is_ok());
        assert_eq!(chats.add(id, "+15550000009"), Err(Refusal::AlreadyPresent));
        let view = chats.view(id).unwrap();
        assert_eq!(view.active_handles().len(), 4);
    }

    #[test]
    fn history_is_bounded() {
        let (mut chats, id) = chat(&["+15550000001", "+15550000002", "+15550000003"]);
        chats.history = 5;
        for round in 0..1000 {
            let handle = format!("+1666{round:07}");
            chats.add(id, &handle).unwrap();
            chats.remove(id, &handle).unwrap();
        }
        let view = chats.view(id).unwrap();
        assert_eq!(view.active_handles().len(), 4);
        assert_eq!(view.handles.len(), 4 + 5);
    }

    #[test]
    fn seeds_are_checked_field_by_field() {
        let mut chats = crate::demo_chats();
        chats[1].id = chats[0].id;
        let (first, me) = (chats[0].participants[0].clone(), chats[0].me.clone());
        chats[0].participants.push(first);
        chats[0].participants.push(me);
        chats[1].participants.push("ana@example.com".into());
        chats[2].me = "me\u{7}".into();
        let problems = check_chats(&chats).unwrap_err();
        let text = problems.join("\n");
        for expected in [
            "chat 1 (id 550e8400-e29b-41d4-a716-446655440000): id: the same as chat 0's",
            "chat 0 (id 550e8400-e29b-41d4-a716-446655440000): participants[3]: the same as participants[0]",
            "participants[4]: the same as me",
            "chat 1 (id 550e8400-e29b-41d4-a716-446655440000): participants[2]: \"ana@example.com\" cannot be in an SMS chat",
            "chat 2 (id 7a2b3c4d-5e6f-4a1b-9c2d-3e4f5a6b7c8d): me:",
        ] {
            assert!(text.contains(expected), "missing {expected:?} in\n{text}");
        }
    }

    #[test]
    fn changes_show_after_the_delay() {
        let id = Uuid::new_v4();
        let seed = ChatSeed {
            id,
            display_name: None,
            service: Service::IMessage,
            is_group: true,
            unavailable: false,
            me: "+15550000000".into(),
            participants: vec!["+15550000001".into(), "+15550000002".into()],
        };
        let mut chats = Chats::new(vec![seed], Duration::from_secs(3600), 100);
        chats.add(id, "user@example.com").unwrap();
        assert_eq!(
            chats.view(id).unwrap().active_handles().len(),
            3,
            "not visible yet"
        );
        assert_eq!(
            chats.add(id, "user@example.com"),
            Err(Refusal::AlreadyPresent),
            "but already decided"
        );
    }
}
