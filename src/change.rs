//! A participant change, as a value: which chat, which handle, added or
//! removed. Calls carry it, and waiting for a change to show starts from it.

use crate::{
    chat::{Chat, ParticipantStatus},
    ids::{ChatId, Handle},
};

/// The addition or the removal of a handle in a chat.
///
/// ```
/// use linq_partner::{ChatId, Handle, ParticipantChange};
///
/// let chat: ChatId = "550e8400-e29b-41d4-a716-446655440000".parse()?;
/// let handle: Handle = "+12052499136".parse()?;
/// let change = ParticipantChange::removal(chat, handle);
/// assert_eq!(change.handle().as_str(), "+12052499136");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ParticipantChange {
    kind: ChangeKind,
    chat: ChatId,
    handle: Handle,
}

/// Whether a change adds or removes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ChangeKind {
    /// `addParticipant`, confirmed by `participant.added`.
    Addition,
    /// `removeParticipant`, confirmed by `participant.removed`.
    Removal,
}

impl ParticipantChange {
    /// The addition of `handle` to `chat`.
    pub fn addition(chat: ChatId, handle: Handle) -> Self {
        Self {
            kind: ChangeKind::Addition,
            chat,
            handle,
        }
    }

    /// The removal of `handle` from `chat`.
    pub fn removal(chat: ChatId, handle: Handle) -> Self {
        Self {
            kind: ChangeKind::Removal,
            chat,
            handle,
        }
    }

    /// Addition or removal.
    pub fn kind(&self) -> ChangeKind {
        self.kind
    }

    /// The chat.
    pub fn chat(&self) -> ChatId {
        self.chat
    }

    /// The handle.
    pub fn handle(&self) -> &Handle {
        &self.handle
    }

    /// Whether `chat`, as read, shows the change: an added handle active in
    /// it; a removed one gone, `left` or `removed` (a status this version
    /// does not know shows no removal).
    pub fn shows_in(&self, chat: &Chat) -> bool {
        let member = chat.participant(self.handle.as_str());
        match self.kind {
            ChangeKind::Addition => member.is_some_and(|m| m.is_active()),
            ChangeKind::Removal => member.is_none_or(|m| {
                matches!(
                    m.status(),
                    Some(ParticipantStatus::Left | ParticipantStatus::Removed)
                )
            }),
        }
    }
}
