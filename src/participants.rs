//! `client.chats().participants()`: add people to, and remove people from,
//! group chats. The builders here check the inputs and hand the generated
//! client's method to the call pipeline, which does everything else.

use std::sync::Arc;

use crate::{
    call::{self, Call, Request, Unanswered, call_span},
    error::InvalidInput,
    ids::{ChatId, IntoChatId, IntoHandle},
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

    /// Queues the addition of `handle` to the group chat `chat`.
    ///
    /// The chat id and handle are checked first; a bad one fails the call
    /// with [`Error::InvalidInput`] and nothing is sent.
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
        change(self.settings, Operation::Add, chat, handle)
    }

    /// Queues the removal of `handle` from the group chat `chat`. Linq refuses
    /// it when fewer than three participants would remain.
    ///
    /// The chat id and handle are checked first; a bad one fails the call
    /// with [`Error::InvalidInput`] and nothing is sent.
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
        change(self.settings, Operation::Remove, chat, handle)
    }
}

/// A participants call, ready to be awaited: see [`Call`] for the per-call
/// settings.
pub type ParticipantCall<'a> = Call<'a, Queued>;

/// Which participants operation a request performs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Operation {
    /// `POST /v3/chats/{chatId}/participants`.
    Add,
    /// `DELETE /v3/chats/{chatId}/participants`.
    Remove,
}

fn change<'a>(
    settings: &'a Arc<Settings>,
    operation: Operation,
    chat: impl IntoChatId,
    handle: impl IntoHandle,
) -> ParticipantCall<'a> {
    let request = chat
        .into_chat_id()
        .map_err(InvalidInput::from)
        .and_then(|chat| {
            Ok(ParticipantRequest {
                operation,
                chat,
                handle: handle.into_handle()?.into(),
            })
        });
    let (operation_id, chat_id) = match &request {
        Ok(request) => (request.operation.id(), Some(request.chat)),
        Err(_) => (operation.id(), None),
    };
    let span = call_span!(
        "linq.participants",
        operation = operation_id,
        chat_id = chat_id.map(tracing::field::display)
    );
    Call::new(settings, span, request)
}

impl Operation {
    /// The operation's id in `openapi.yaml`.
    fn id(self) -> &'static str {
        match self {
            Operation::Add => "addParticipant",
            Operation::Remove => "removeParticipant",
        }
    }
}

/// One add or remove, as the pipeline sends it. The generated builders are
/// used by field name only, so a renamed or inlined body schema, or a new
/// optional parameter, changes nothing here.
struct ParticipantRequest {
    operation: Operation,
    chat: ChatId,
    handle: String,
}

impl Request for ParticipantRequest {
    type Body = Queued;

    async fn send(&self, raw: &raw::Client) -> Result<(), Unanswered> {
        let chat = *self.chat.as_uuid();
        let handle = self.handle.clone();
        match self.operation {
            Operation::Add => {
                let call = raw.add_participant().chat_id(chat);
                call::sent(call.body_map(|body| body.handle(handle)).send().await)
            }
            Operation::Remove => {
                let call = raw.remove_participant().chat_id(chat);
                call::sent(call.body_map(|body| body.handle(handle)).send().await)
            }
        }
    }
}
