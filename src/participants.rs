//! `client.chats().participants()`: add people to, and remove people from,
//! group chats. The builders here check the inputs and hand the generated
//! client's method to the call pipeline, which does everything else.

use std::sync::Arc;
#[cfg(feature = "webhooks")]
use std::time::Duration;

#[cfg(feature = "webhooks")]
use crate::webhooks::{Confirmations, Event};
use crate::{
    call::{self, Call, NotBuilt, Request, call_span},
    change::{ChangeKind, ParticipantChange},
    chat::Chat,
    confirmed::Confirmed,
    error::{Error, InvalidInput},
    ids::{ChatId, Handle, IntoChatId, IntoHandle},
    polling::{self, Polling},
    queued::Queued,
    raw,
    settings::Settings,
};

/// The participants resource, from [`Chats::participants`](crate::Chats::participants).
#[derive(Debug, Clone, Copy)]
pub struct Participants<'a> {
    settings: &'a Arc<Settings>,
}

impl<'a> Participants<'a> {
    pub(crate) fn new(settings: &'a Arc<Settings>) -> Self {
        Self { settings }
    }

    /// The client's settings.
    pub(crate) fn settings(&self) -> &'a Arc<Settings> {
        self.settings
    }

    /// Queues the addition of `handle` to the group chat `chat`.
    ///
    /// The chat id and handle are checked first; a bad one fails the call
    /// with [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput) and nothing is sent.
    ///
    /// ```no_run
    /// # async fn run(client: linq_partner::Client) -> Result<(), linq_partner::Error> {
    /// let queued = client
    ///     .chats()
    ///     .participants()
    ///     .add("550e8400-e29b-41d4-a716-446655440000", "user@example.com")
    ///     .await?;
    /// assert!(queued.is_accepted());
    /// # Ok(())
    /// # }
    /// ```
    pub fn add(&self, chat: impl IntoChatId, handle: impl IntoHandle) -> ParticipantCall<'a> {
        change(
            self.settings,
            "addParticipant",
            ParticipantChange::addition,
            chat,
            handle,
        )
    }

    /// Queues the removal of `handle` from the group chat `chat`. Linq refuses
    /// it when fewer than three participants would remain, and for direct
    /// chats: a 400 [`ErrorKind::Api`](crate::ErrorKind::Api) with
    /// [`ErrorCode::InvalidParameter`](crate::ErrorCode::InvalidParameter)
    /// (1005) or [`ErrorCode::CannotUpdateDm`](crate::ErrorCode::CannotUpdateDm)
    /// (1006); the README lists every refusal.
    ///
    /// The chat id and handle are checked first; a bad one fails the call
    /// with [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput) and nothing is sent.
    ///
    /// ```no_run
    /// # async fn run(client: linq_partner::Client) -> Result<(), linq_partner::Error> {
    /// let queued = client
    ///     .chats()
    ///     .participants()
    ///     .remove("550e8400-e29b-41d4-a716-446655440000", "+12052499136")
    ///     .await?;
    /// println!("{:?}", queued.trace_id());
    /// # Ok(())
    /// # }
    /// ```
    pub fn remove(&self, chat: impl IntoChatId, handle: impl IntoHandle) -> ParticipantCall<'a> {
        change(
            self.settings,
            "removeParticipant",
            ParticipantChange::removal,
            chat,
            handle,
        )
    }
}

/// A participants call, ready to be awaited: see [`Call`] for the per-call
/// settings. It carries its [`ParticipantChange`], so that it can also wait
/// for the change to show.
pub type ParticipantCall<'a> = Call<'a, ParticipantChange>;

impl ParticipantCall<'_> {
    /// Sends the change for a wait that confirms it: fails only when Linq
    /// did not accept it. An accepted change whose answer could not be read
    /// (`None`) is waited for all the same; the wait shows whether it applied.
    pub(crate) async fn queue(self) -> Result<Option<Queued>, Error> {
        match self.send().await {
            Ok(queued) => Ok(Some(queued)),
            Err(error) if error.change_accepted() => Ok(None),
            Err(error) => Err(error),
        }
    }
}

fn change<'a>(
    settings: &'a Arc<Settings>,
    operation: &'static str,
    kind: fn(ChatId, Handle) -> ParticipantChange,
    chat: impl IntoChatId,
    handle: impl IntoHandle,
) -> ParticipantCall<'a> {
    let change = chat
        .into_chat_id()
        .map_err(InvalidInput::from)
        .and_then(|chat| Ok(kind(chat, handle.into_handle()?)));
    let span = call_span!(
        "linq.participants",
        operation,
        chat_id = change
            .as_ref()
            .ok()
            .map(|c| tracing::field::display(c.chat()))
    );
    Call::new(settings, span, change)
}

/// One add or remove, as the pipeline sends it. The generated builders are
/// used by field name only, so a renamed or inlined body schema, or a new
/// optional parameter, changes nothing here.
impl Request for ParticipantChange {
    type Body = Queued;
    const CHANGES: bool = true;

    async fn send(&self, raw: &raw::Client) -> Result<(), NotBuilt> {
        let chat = *self.chat().as_uuid();
        let handle = self.handle().as_str().to_owned();
        match self.kind() {
            ChangeKind::Addition => {
                let call = raw.add_participant().chat_id(chat);
                call::sent(call.body_map(|body| body.handle(handle)).send().await)
            }
            ChangeKind::Removal => {
                let call = raw.remove_participant().chat_id(chat);
                call::sent(call.body_map(|body| body.handle(handle)).send().await)
            }
        }
    }
}

impl<'a> ParticipantCall<'a> {
    /// Sends the change, then waits for it to show by reading the chat;
    /// returns Linq's answer to the change with the chat as read when it
    /// shows. For callers without a webhook endpoint (see [`Polling`] for
    /// the pace). Only reads made after the change was accepted count.
    ///
    /// The send's failure comes back as it is, unless Linq accepted the change
    /// and only its answer could not be read: then the wait goes on. Once
    /// Linq has accepted the change, every failure is
    /// [`ErrorKind::NotConfirmed`](crate::ErrorKind::NotConfirmed) (its
    /// `change_accepted()` is true, so it is not sent again): the change did
    /// not show in time, or a read of the chat failed for good (that read's
    /// error is its `source()`).
    ///
    /// ```no_run
    /// # async fn run(client: linq_partner::Client) -> Result<(), linq_partner::Error> {
    /// use std::time::Duration;
    /// use linq_partner::Polling;
    ///
    /// let confirmed = client
    ///     .chats()
    ///     .participants()
    ///     .add("550e8400-e29b-41d4-a716-446655440000", "+12052499136")
    ///     .confirm_by_polling(Polling::within(Duration::from_secs(60)))
    ///     .await?;
    /// let chat = confirmed.by();
    /// assert!(chat.participant("+12052499136").is_some_and(|p| p.is_active()));
    /// # Ok(())
    /// # }
    /// ```
    pub async fn confirm_by_polling(self, polling: Polling) -> Result<Confirmed<Chat>, Error> {
        let settings = self.settings();
        let change = self.request()?;
        let queued = self.queue().await?;
        let chat = polling::wait(settings, &change, polling).await?;
        Ok(Confirmed::new(queued, chat))
    }

    #[cfg(feature = "webhooks")]
    #[cfg_attr(docsrs, doc(cfg(feature = "webhooks")))]
    /// Registers a wait in `confirmations`, sends the change, and waits up
    /// to `within` for the webhook event that confirms it, fed to
    /// `confirmations` by your webhook handler; returns Linq's answer to the
    /// change together with that event.
    ///
    /// One error says which step failed: [`ErrorKind::Registry`](crate::ErrorKind::Registry)
    /// when a shared registry could not register the wait (nothing was
    /// sent), the send's own error (Linq did not accept the change), or [`ErrorKind::NotConfirmed`](crate::ErrorKind::NotConfirmed)
    /// when no event came in time (the change may still apply later), the
    /// same error as [`confirm_by_polling`](ParticipantCall::confirm_by_polling)'s.
    ///
    /// ```no_run
    /// # async fn run(client: linq_partner::Client, confirmations: linq_partner::webhooks::Confirmations) -> Result<(), linq_partner::Error> {
    /// use std::time::Duration;
    ///
    /// let confirmed = client
    ///     .chats()
    ///     .participants()
    ///     .add("550e8400-e29b-41d4-a716-446655440000", "+12052499136")
    ///     .confirmed_by(&confirmations, Duration::from_secs(60))
    ///     .await?;
    /// println!("trace id {:?}, event {:?}", confirmed.queued().and_then(|q| q.trace_id()), confirmed.by().id());
    /// # Ok(())
    /// # }
    /// ```
    pub async fn confirmed_by(
        self,
        confirmations: &Confirmations,
        within: Duration,
    ) -> Result<Confirmed<Event>, Error> {
        let change = self.request()?;
        let expected = confirmations.expect(&change).await?;
        let queued = self.queue().await?;
        let event = expected.wait(within).await?;
        Ok(Confirmed::new(queued, event))
    }
}

impl Participants<'_> {
    /// Waits for a change already sent to show, by reading the chat; returns
    /// the chat as read when it does, or [`ErrorKind::NotConfirmed`](crate::ErrorKind::NotConfirmed).
    ///
    /// ```no_run
    /// # async fn run(client: linq_partner::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// use std::time::Duration;
    /// use linq_partner::{ParticipantChange, Polling};
    ///
    /// let change = ParticipantChange::removal(
    ///     "550e8400-e29b-41d4-a716-446655440000".parse()?,
    ///     "+12052499136".parse()?,
    /// );
    /// let participants = client.chats().participants();
    /// participants.remove(change.chat(), change.handle()).await?;
    /// participants.wait_for(&change, Polling::within(Duration::from_secs(60))).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn wait_for(
        &self,
        change: &ParticipantChange,
        polling: Polling,
    ) -> Result<Chat, Error> {
        polling::wait(self.settings(), change, polling).await
    }
}
