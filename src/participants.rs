//! `client.chats().participants()`: add people to, and remove people from,
//! group chats. The builders here check the inputs and hand the generated
//! client's method to the call pipeline, which does everything else.

use std::{
    fmt,
    future::{Future, IntoFuture},
    pin::Pin,
    sync::Arc,
    time::Duration,
};

use crate::{
    Error,
    call::{self, Request, Unanswered, call_span},
    error::InvalidInput,
    ids::{ChatId, Handle, IntoChatId, IntoHandle},
    queued::Queued,
    raw,
    response::Answer,
    settings::{CallOptions, Settings},
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
        ParticipantCall::new(self.settings, Operation::Add, chat, handle)
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
        ParticipantCall::new(self.settings, Operation::Remove, chat, handle)
    }
}

/// Which participants operation a call performs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Operation {
    /// `POST /v3/chats/{chatId}/participants`.
    Add,
    /// `DELETE /v3/chats/{chatId}/participants`.
    Remove,
}

impl Operation {
    /// The operation's id in `openapi.yaml`.
    pub fn operation_id(self) -> &'static str {
        match self {
            Operation::Add => "addParticipant",
            Operation::Remove => "removeParticipant",
        }
    }
}

/// A participants call, ready to be awaited. Per-call settings go before the
/// `.await`.
///
/// ```no_run
/// # async fn run(client: linq_partner::Client) -> Result<(), linq_partner::Error> {
/// use std::time::Duration;
///
/// let answer = client
///     .chats()
///     .participants()
///     .remove("550e8400-e29b-41d4-a716-446655440000", "+12052499136")
///     .timeout(Duration::from_secs(5))
///     .send_with_response()
///     .await?;
/// println!("{} {:?}", answer.http_status(), answer.value().trace_id());
/// # Ok(())
/// # }
/// ```
#[must_use = "a call does nothing until it is awaited"]
pub struct ParticipantCall<'a> {
    settings: &'a Arc<Settings>,
    operation: Operation,
    input: Result<(ChatId, Handle), InvalidInput>,
    options: CallOptions,
}

impl<'a> ParticipantCall<'a> {
    fn new(
        settings: &'a Arc<Settings>,
        operation: Operation,
        chat: impl IntoChatId,
        handle: impl IntoHandle,
    ) -> Self {
        let input = chat
            .into_chat_id()
            .map_err(InvalidInput::from)
            .and_then(|chat| Ok((chat, handle.into_handle()?)));
        Self {
            settings,
            operation,
            input,
            options: CallOptions::default(),
        }
    }

    /// The operation this call performs.
    pub fn operation(&self) -> Operation {
        self.operation
    }

    /// Overrides the client's timeout for this call.
    ///
    /// ```no_run
    /// # async fn run(client: linq_partner::Client) -> Result<(), linq_partner::Error> {
    /// client
    ///     .chats()
    ///     .participants()
    ///     .add("550e8400-e29b-41d4-a716-446655440000", "+12052499136")
    ///     .timeout(std::time::Duration::from_secs(2))
    ///     .await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.options.timeout = Some(timeout);
        self
    }

    /// Overrides the client's retry count for this call (0 disables retries).
    ///
    /// ```no_run
    /// # async fn run(client: linq_partner::Client) -> Result<(), linq_partner::Error> {
    /// client
    ///     .chats()
    ///     .participants()
    ///     .remove("550e8400-e29b-41d4-a716-446655440000", "+12052499136")
    ///     .max_retries(0)
    ///     .await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.options.max_retries = Some(retries);
        self
    }

    /// Limits this whole call, retries and waits included.
    ///
    /// ```no_run
    /// # async fn run(client: linq_partner::Client) -> Result<(), linq_partner::Error> {
    /// client
    ///     .chats()
    ///     .participants()
    ///     .remove("550e8400-e29b-41d4-a716-446655440000", "+12052499136")
    ///     .deadline(std::time::Duration::from_secs(10))
    ///     .await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.options.deadline = Some(deadline);
        self
    }

    /// Sends the call and returns the queued result.
    ///
    /// ```no_run
    /// # async fn run(client: linq_partner::Client) -> Result<(), linq_partner::Error> {
    /// let queued = client
    ///     .chats()
    ///     .participants()
    ///     .remove("550e8400-e29b-41d4-a716-446655440000", "+12052499136")
    ///     .send()
    ///     .await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn send(self) -> Result<Queued, Error> {
        self.send_with_response().await.map(Answer::into_value)
    }

    /// Sends the call and returns the queued result with the HTTP status and
    /// headers.
    ///
    /// ```no_run
    /// # async fn run(client: linq_partner::Client) -> Result<(), linq_partner::Error> {
    /// let answer = client
    ///     .chats()
    ///     .participants()
    ///     .remove("550e8400-e29b-41d4-a716-446655440000", "+12052499136")
    ///     .send_with_response()
    ///     .await?;
    /// assert_eq!(answer.http_status().as_u16(), 202);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn send_with_response(self) -> Result<Answer<Queued>, Error> {
        let (chat, handle) = self.input?;
        let operation = self.operation;
        let span = call_span!(
            "linq.participants",
            operation = operation.operation_id(),
            chat_id = %chat
        );
        let request = ParticipantRequest {
            operation,
            chat,
            handle: handle.into(),
        };
        call::run(self.settings, self.options, span, &request).await
    }
}

impl fmt::Debug for ParticipantCall<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ParticipantCall")
            .field("operation", &self.operation)
            .field("input", &self.input)
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

impl<'a> IntoFuture for ParticipantCall<'a> {
    type Output = Result<Queued, Error>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send + 'a>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
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
