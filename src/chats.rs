//! `client.chats()`: the resources under `/v3/chats`, and reading a chat.

use std::sync::Arc;

use crate::{
    call::{self, Call, NotBuilt, Request, call_span},
    chat::Chat,
    error::InvalidInput,
    ids::{ChatId, IntoChatId},
    participants::Participants,
    raw,
    settings::Settings,
};

/// The chats resource, from [`Client::chats`](crate::Client::chats).
#[derive(Debug, Clone, Copy)]
pub struct Chats<'a> {
    settings: &'a Arc<Settings>,
}

impl<'a> Chats<'a> {
    pub(crate) fn new(settings: &'a Arc<Settings>) -> Self {
        Self { settings }
    }

    /// Reads a chat: its service, and everyone in it with their status and
    /// join and leave times.
    ///
    /// ```no_run
    /// # async fn run(client: linq_partner::Client) -> Result<(), linq_partner::Error> {
    /// let chat = client.chats().get("550e8400-e29b-41d4-a716-446655440000").await?;
    /// for participant in chat.participants() {
    ///     println!("{:?} {:?}", participant.handle(), participant.status());
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn get(&self, chat: impl IntoChatId) -> Call<'a, ChatId> {
        let chat = chat.into_chat_id().map_err(InvalidInput::from);
        let chat_id = chat.as_ref().ok().copied();
        let span = call_span!(
            "linq.chats",
            operation = "getChat",
            chat_id = chat_id.map(tracing::field::display)
        );
        Call::new(self.settings, span, chat)
    }

    /// The participants of group chats.
    ///
    /// ```no_run
    /// # async fn run(client: linq_partner::Client) -> Result<(), linq_partner::Error> {
    /// let participants = client.chats().participants();
    /// participants.add("550e8400-e29b-41d4-a716-446655440000", "+442071234567").await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn participants(&self) -> Participants<'a> {
        Participants::new(self.settings)
    }
}

/// `getChat` of a chat, as the pipeline sends it.
impl Request for ChatId {
    type Body = Chat;
    const CHANGES: bool = false;

    async fn send(&self, raw: &raw::Client) -> Result<(), NotBuilt> {
        call::sent(raw.get_chat().chat_id(*self.as_uuid()).send().await)
    }
}
