//! `client.chats()`: the resources under `/v3/chats`.

use std::sync::Arc;

use crate::{participants::Participants, settings::Settings};

/// The chats resource, from [`Client::chats`](crate::Client::chats).
#[derive(Debug, Clone, Copy)]
pub struct Chats<'a> {
    settings: &'a Arc<Settings>,
}

impl<'a> Chats<'a> {
    pub(crate) fn new(settings: &'a Arc<Settings>) -> Self {
        Self { settings }
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
