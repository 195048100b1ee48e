//! `client.chats().participants()`: add people to, and remove people from,
//! group chats.

use std::{
    fmt,
    future::{Future, IntoFuture},
    ops::Deref,
    pin::Pin,
    sync::Arc,
    time::Duration,
};

use progenitor_client::ClientInfo;
use reqwest::{StatusCode, header::HeaderMap};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use tracing::{Instrument, field::Empty};

use crate::{
    Client, Error,
    client::Settings,
    error::InvalidInput,
    ids::{ChatId, Handle, IntoChatId, IntoHandle},
    outcome, raw,
    retry::{self, RetryPolicy},
    transport::Exchange,
};

/// The chats resource, from [`Client::chats`].
#[derive(Debug, Clone, Copy)]
pub struct Chats<'a> {
    client: &'a Client,
}

impl<'a> Chats<'a> {
    pub(crate) fn new(client: &'a Client) -> Self {
        Self { client }
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
        Participants {
            client: self.client,
        }
    }
}

/// The participants resource, from [`Chats::participants`].
#[derive(Debug, Clone, Copy)]
pub struct Participants<'a> {
    client: &'a Client,
}

impl<'a> Participants<'a> {
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
        ParticipantCall::new(self.client, Operation::Add, chat, handle)
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
        ParticipantCall::new(self.client, Operation::Remove, chat, handle)
    }
}

/// Which participants operation a call performs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
/// println!("{} {:?}", answer.status(), answer.trace_id());
/// # Ok(())
/// # }
/// ```
#[must_use = "a call does nothing until it is awaited"]
pub struct ParticipantCall<'a> {
    client: &'a Client,
    operation: Operation,
    input: Result<(ChatId, Handle), InvalidInput>,
    timeout: Option<Duration>,
    max_retries: Option<u32>,
    deadline: Option<Duration>,
}

impl<'a> ParticipantCall<'a> {
    fn new(
        client: &'a Client,
        operation: Operation,
        chat: impl IntoChatId,
        handle: impl IntoHandle,
    ) -> Self {
        let input = chat
            .into_chat_id()
            .map_err(InvalidInput::from)
            .and_then(|chat| Ok((chat, handle.into_handle()?)));
        Self {
            client,
            operation,
            input,
            timeout: None,
            max_retries: None,
            deadline: None,
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
        self.timeout = Some(timeout);
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
        self.max_retries = Some(retries);
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
        self.deadline = Some(deadline);
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
        self.execute(Headers::Drop).await.map(Response::into_value)
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
    /// assert_eq!(answer.status().as_u16(), 202);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn send_with_response(self) -> Result<Response<Queued>, Error> {
        self.execute(Headers::Keep).await
    }

    async fn execute(self, headers: Headers) -> Result<Response<Queued>, Error> {
        let (chat, handle) = self.input?;
        let settings = &self.client.settings;
        let policy = RetryPolicy {
            max_retries: self.max_retries.unwrap_or(settings.retry.max_retries),
            deadline: self.deadline.or(settings.retry.deadline),
            ..settings.retry
        };
        let timeout = self.timeout.unwrap_or(settings.timeout);
        let operation = self.operation;
        let body = raw::types::ParticipantHandle {
            handle: handle.into(),
        };

        let span = tracing::info_span!(
            "linq.participants",
            operation = operation.operation_id(),
            chat_id = %chat,
            attempt = Empty,
            status = Empty,
            trace_id = Empty,
            duration_ms = Empty,
        );
        let attempts = retry::run(
            &policy,
            |attempt| {
                span.record("attempt", attempt);
                send_once(settings, operation, chat, &body, timeout, headers)
            },
            |attempt, error, wait| {
                tracing::info!(
                    parent: &span,
                    attempt,
                    wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
                    reason = %error,
                    "retrying"
                );
            },
        );
        // With no subscriber listening, the span is disabled: entering it on
        // every poll and timing the call would be wasted work.
        if span.is_disabled() {
            return attempts.await;
        }
        let started = std::time::Instant::now();
        let outcome = attempts.instrument(span.clone()).await;
        let (status, trace_id) = match &outcome {
            Ok(answer) => (Some(answer.status()), answer.trace_id()),
            Err(error) => (error.status(), error.trace_id()),
        };
        if let Some(status) = status {
            span.record("status", status.as_u16());
        }
        if let Some(trace_id) = trace_id {
            span.record("trace_id", trace_id);
        }
        span.record(
            "duration_ms",
            u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
        );
        outcome
    }
}

/// One attempt: a fresh exchange, the generated client's call, and the
/// interpretation of what came back.
async fn send_once(
    settings: &Arc<Settings>,
    operation: Operation,
    chat: ChatId,
    body: &raw::types::ParticipantHandle,
    timeout: Duration,
    headers: Headers,
) -> Result<Response<Queued>, Error> {
    let raw = Exchange::client(settings, timeout);
    let result = match operation {
        Operation::Add => raw.add_participant(chat.as_uuid(), body).await,
        Operation::Remove => raw.remove_participant(chat.as_uuid(), body).await,
    };
    outcome::interpret(result, raw.inner(), headers)
}

impl fmt::Debug for ParticipantCall<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ParticipantCall")
            .field("operation", &self.operation)
            .field("input", &self.input)
            .field("timeout", &self.timeout)
            .field("max_retries", &self.max_retries)
            .field("deadline", &self.deadline)
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

/// Whether the caller wants a success's headers; `send()` does not, and
/// copying them costs a little on every call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Headers {
    Keep,
    Drop,
}

/// Linq's acknowledgement that a participant change is queued. The change
/// itself happens later; the `participant.added` and `participant.removed`
/// webhook events confirm it.
///
/// Every field is optional because Linq does not promise any of them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Queued {
    /// A human-readable summary.
    message: Option<String>,
    /// The state of the request, `accepted` when queued.
    status: Option<QueueStatus>,
    /// The identifier Linq support asks for.
    trace_id: Option<String>,
}

impl Queued {
    /// Linq's summary, such as "Participant removal queued".
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// The state of the request.
    pub fn status(&self) -> Option<&QueueStatus> {
        self.status.as_ref()
    }

    /// Whether Linq said `accepted`.
    pub fn is_accepted(&self) -> bool {
        self.status == Some(QueueStatus::Accepted)
    }

    /// The identifier Linq support asks for.
    pub fn trace_id(&self) -> Option<&str> {
        self.trace_id.as_deref()
    }
}

impl From<raw::types::ParticipantChangeQueued> for Queued {
    fn from(value: raw::types::ParticipantChangeQueued) -> Self {
        Self {
            message: value.message,
            status: value.status.map(QueueStatus::from),
            trace_id: value.trace_id,
        }
    }
}

/// The `status` of a queued change.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(from = "String", into = "String")]
pub enum QueueStatus {
    /// `accepted`: Linq queued the change.
    Accepted,
    /// A status this version of the crate does not know.
    Other(String),
}

impl From<String> for QueueStatus {
    fn from(value: String) -> Self {
        if value == "accepted" {
            Self::Accepted
        } else {
            Self::Other(value)
        }
    }
}

impl From<QueueStatus> for String {
    fn from(value: QueueStatus) -> Self {
        match value {
            QueueStatus::Accepted => "accepted".to_owned(),
            QueueStatus::Other(other) => other,
        }
    }
}

/// A decoded answer together with its HTTP status and headers.
#[derive(Debug, Clone)]
pub struct Response<T> {
    value: T,
    status: StatusCode,
    headers: HeaderMap,
}

impl<T> Response<T> {
    pub(crate) fn new(value: T, status: StatusCode, headers: HeaderMap) -> Self {
        Self {
            value,
            status,
            headers,
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The decoded value, dropping status and headers.
    pub fn into_value(self) -> T {
        self.value
    }
}

impl<T> Deref for Response<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.value
    }
}
