//! The one call pipeline every operation goes through: attempts, retries,
//! the deadline, the tracing span, and the decoding of each answer from its
//! wire record.
//!
//! Each attempt is classified by what the wire carried:
//! - nothing could be sent, or it may have been sent and no status line
//!   came back (a close, a reset, a timeout before the head): retried, as the
//!   official SDKs do, and the error says which it was;
//! - a head the HTTP library refused: final (the server answered);
//! - a 2xx status line arrived: final. Linq accepted the change, so it is
//!   never sent again; the answer is the value when its body decodes, and
//!   otherwise an error that says the change was accepted;
//! - any other status line: Linq's error body, decoded by one decoder
//!   whether or not the spec lists the status, and retried or not by the
//!   policy in [`retry`](crate::retry).
//!
//! An operation supplies only a [`Request`]: the generated client's method
//! to call, and the value its answer decodes into; see `participants.rs`.
//! [`Call`] is the builder every operation returns: per-call options, then
//! `.await`.

use std::{
    fmt,
    future::{Future, IntoFuture},
    pin::Pin,
    sync::{Arc, OnceLock},
    time::Duration,
};

use tokio::time::Instant;
use tracing::{Instrument, Span};

use crate::{
    decode,
    error::{Delivery, Error, ErrorKind, InvalidInput, RefusedWait, TimeoutScope, WaitLimit},
    raw,
    response::{Answer, SuccessBody},
    retry::{self, Verdict},
    settings::{CallOptions, RetryPolicy, Settings},
    text, transport,
    wire::{Failure, NoAnswer},
};

/// A call, ready to be sent: per-call settings go before the `.await` (or
/// [`send`](Call::send), or [`send_with_response`](Call::send_with_response)).
/// Every operation returns one; `R` is the operation with its inputs (a
/// participants call is a [`ParticipantCall`](crate::ParticipantCall),
/// `Call<'a, ParticipantChange>`, which can also wait for its change to
/// show), and what it answers with is `R::Body`.
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
///     .max_retries(1)
///     .deadline(Duration::from_secs(20))
///     .send_with_response()
///     .await?;
/// println!("{} {:?}", answer.status(), answer.value().trace_id());
/// # Ok(())
/// # }
/// ```
#[must_use = "a call does nothing until it is awaited"]
pub struct Call<'a, R> {
    settings: &'a Arc<Settings>,
    options: CallOptions,
    span: Span,
    /// The operation with its inputs, or why its inputs were refused.
    request: Result<R, InvalidInput>,
}

/// A call on its way, boxed for `.await` on the builder.
type Sending<'a, T> = Pin<Box<dyn Future<Output = Result<Answer<T>, Error>> + Send + 'a>>;

impl<'a, R: Request + Send + 'a> Call<'a, R> {
    /// A call of `request` (or, when the inputs were refused, of nothing:
    /// the refusal is its outcome). `span` comes from [`call_span!`].
    pub(crate) fn new(
        settings: &'a Arc<Settings>,
        span: Span,
        request: Result<R, InvalidInput>,
    ) -> Self {
        Self {
            settings,
            options: CallOptions::default(),
            span,
            request,
        }
    }

    /// The operation with its inputs, or why they were refused.
    pub(crate) fn request(&self) -> Result<R, Error>
    where
        R: Clone,
    {
        self.request.clone().map_err(Error::from)
    }

    /// The client's settings the call runs with.
    pub(crate) fn settings(&self) -> &'a Arc<Settings> {
        self.settings
    }

    /// Overrides the client's timeout for each attempt of this call.
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
    ///     .get("550e8400-e29b-41d4-a716-446655440000")
    ///     .deadline(std::time::Duration::from_secs(10))
    ///     .await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.options.deadline = Some(deadline);
        self
    }

    /// Sends the call and returns its value.
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
    pub fn send(self) -> impl Future<Output = Result<R::Body, Error>> + Send + 'a {
        let sending = self.send_with_response();
        async move { sending.await.map(Answer::into_value) }
    }

    /// Sends the call and returns its value with the HTTP status and headers.
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
    pub fn send_with_response(
        self,
    ) -> impl Future<Output = Result<Answer<R::Body>, Error>> + Send + 'a {
        let Call {
            settings,
            options,
            span,
            request,
        } = self;
        async move { run(settings, options, span, &request?).await }
    }
}

impl<R: fmt::Debug> fmt::Debug for Call<'_, R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Call")
            .field("request", &self.request)
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

impl<'a, R: Request + Send + 'a> IntoFuture for Call<'a, R> {
    type Output = Result<R::Body, Error>;
    type IntoFuture = CallFuture<'a, R::Body>;

    fn into_future(self) -> Self::IntoFuture {
        CallFuture(Box::pin(self.send_with_response()))
    }
}

/// A call on its way, from `.await` on a [`Call`]: its value without the
/// status and headers. The call's one boxed future, not boxed again.
#[must_use = "a call does nothing until it is awaited"]
pub struct CallFuture<'a, T>(Sending<'a, T>);

impl<T> Future for CallFuture<'_, T> {
    type Output = Result<T, Error>;

    fn poll(
        mut self: Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Self::Output> {
        self.0
            .as_mut()
            .poll(cx)
            .map(|answer| answer.map(Answer::into_value))
    }
}

impl<T> fmt::Debug for CallFuture<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CallFuture").finish_non_exhaustive()
    }
}

/// One operation with its inputs: the generated client's method to call on
/// each attempt. The pipeline does everything else. Public only so that
/// [`Call`] can name what it answers with; it cannot be implemented
/// outside this crate (the module is private).
pub trait Request: Sync {
    /// The success value.
    type Body: SuccessBody;

    /// Whether the operation changes something, so that a 2xx answer means
    /// Linq accepted a change (a read's 2xx accepts nothing).
    const CHANGES: bool;

    /// Calls the generated method once; `sent` turns its result into what
    /// the pipeline needs.
    #[doc(hidden)]
    fn send<'a>(
        &'a self,
        raw: &'a raw::Client,
    ) -> impl Future<Output = Result<(), NotBuilt>> + Send + 'a;
}

/// What the generated client alone knows of an attempt: that its request
/// could not be built, so nothing was sent. Everything else is in the wire
/// record.
#[derive(Debug)]
pub struct NotBuilt(String);

/// The generated method's result without its types: the success value and
/// error body it decoded are not used (the wire record is decoded instead).
pub(crate) fn sent<T, E>(
    result: Result<raw::ResponseValue<T>, raw::Error<E>>,
) -> Result<(), NotBuilt> {
    match result {
        Err(raw::Error::InvalidRequest(reason) | raw::Error::Custom(reason)) => {
            Err(NotBuilt(reason))
        }
        _ => Ok(()),
    }
}

/// The span of one call, with the fields the pipeline fills in.
macro_rules! call_span {
    ($name:literal, $($fields:tt)*) => {
        tracing::info_span!(
            $name,
            $($fields)*,
            attempt = tracing::field::Empty,
            status = tracing::field::Empty,
            trace_id = tracing::field::Empty,
            duration_ms = tracing::field::Empty,
        )
    };
}
pub(crate) use call_span;

/// Runs one call of `request`, on a fresh generated client per attempt.
/// `span` comes from [`call_span!`].
pub(crate) async fn run<Q: Request>(
    settings: &Arc<Settings>,
    options: CallOptions,
    span: Span,
    request: &Q,
) -> Result<Answer<Q::Body>, Error> {
    let (timeout, policy) = settings.for_call(options);
    // Made where it is awaited: a future held in a local and then awaited
    // takes room twice in this one's state, and is copied between them.
    let attempts = || {
        retry_loop(
            &policy,
            timeout,
            |attempt, limit| {
                span.record("attempt", attempt);
                one_attempt(settings, limit, request)
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
        )
    };
    // With no subscriber listening, the span is disabled: timing the call
    // and filling in its fields would be wasted work.
    if span.is_disabled() {
        return attempts().await;
    }
    let started = std::time::Instant::now();
    let outcome = attempts().instrument(span.clone()).await;
    let (status, trace_id) = match &outcome {
        Ok(answer) => (Some(answer.status()), answer.value().trace_id()),
        Err(error) => (error.status(), error.trace_id()),
    };
    if let Some(status) = status {
        span.record("status", status.as_u16());
    }
    if let Some(trace_id) = trace_id {
        span.record(
            "trace_id",
            text::shown_string(trace_id, text::SHORT_CHARS).as_str(),
        );
    }
    span.record(
        "duration_ms",
        u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
    );
    outcome
}

/// The time one attempt may take, and what runs out when it does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Limit {
    /// Given to the HTTP client as the attempt's timeout.
    time: Duration,
    scope: TimeoutScope,
    /// What a timeout error reports: the attempt's timeout or the call's deadline.
    after: Duration,
}

/// One attempt: a fresh recording exchange, the generated client's call,
/// and the decoding of what the wire carried.
async fn one_attempt<Q: Request>(
    settings: &Arc<Settings>,
    limit: Limit,
    request: &Q,
) -> Result<Answer<Q::Body>, Error> {
    let raw = transport::recording(settings, limit.time);
    let result = request.send(&raw).await;
    match (raw.inner.record.and_then(OnceLock::into_inner), result) {
        (Some(Ok(record)), _) => decode::answer(record, Q::CHANGES),
        (Some(Err(silence)), _) => Err(no_answer(silence, limit)),
        (None, Err(NotBuilt(reason))) => Err(ErrorKind::Internal(format!(
            "could not build the request: {}",
            text::shown(&reason, text::MESSAGE_CHARS)
        ))
        .into()),
        // Every answer passes through the hooks and is recorded: an error
        // rather than a panic all the same.
        (None, Ok(())) => Err(ErrorKind::Internal(
            "an answer arrived without passing through the client's hooks".into(),
        )
        .into()),
    }
}

/// An attempt without a usable status line, as the caller sees it.
fn no_answer(silence: NoAnswer, limit: Limit) -> Error {
    let NoAnswer {
        failure,
        timed_out,
        source,
    } = silence;
    let error: Error = match (failure, timed_out) {
        (Failure::HeadRefused, _) => return ErrorKind::UnreadableAnswer { source }.into(),
        (_, true) => ErrorKind::Timeout {
            after: limit.after,
            scope: limit.scope,
        }
        .into(),
        (_, false) => ErrorKind::Connection { source }.into(),
    };
    error.delivered(match failure {
        Failure::NotSent => Delivery::NotSent,
        _ => Delivery::MayHaveReached,
    })
}

/// Runs `attempt` until it succeeds, the policy gives up, or the deadline
/// passes. Each attempt's time is its timeout, or what is left of the
/// deadline when that is less, so that the deadline ends an attempt through
/// the HTTP client's own timeout and the answer's record is never lost
/// mid-attempt. The error says how many attempts were made, how far they
/// got, and the wait a limit refused when that ended the call. `on_retry`
/// hears of each retry before its wait.
pub(crate) async fn retry_loop<T, A, Fut>(
    policy: &RetryPolicy,
    timeout: Duration,
    mut attempt: A,
    mut on_retry: impl FnMut(u32, &Error, Duration),
) -> Result<T, Error>
where
    A: FnMut(u32, Limit) -> Fut,
    Fut: Future<Output = Result<T, Error>>,
{
    let per_attempt = Limit {
        time: timeout,
        scope: TimeoutScope::Attempt,
        after: timeout,
    };
    // Only a deadline needs the clock.
    let started = policy.deadline.map(|deadline| (Instant::now(), deadline));
    let mut made = 0;
    // How far the failed attempts so far got.
    let mut earlier = Delivery::NotSent;
    loop {
        let limit = match started {
            Some((at, deadline)) => {
                let left = deadline.saturating_sub(at.elapsed());
                if left < timeout {
                    Limit {
                        time: left,
                        scope: TimeoutScope::Call,
                        after: deadline,
                    }
                } else {
                    per_attempt
                }
            }
            None => per_attempt,
        };
        made += 1;
        let error = match attempt(made, limit).await {
            Ok(value) => return Ok(value),
            Err(error) => error,
        };
        let Some(seen) = retry::seen(&error) else {
            // Nothing went out on this attempt: the requests sent are the
            // attempts before it.
            return Err(error.ending_call(made - 1, earlier, None));
        };
        match retry::decide(seen, made - 1, policy) {
            Verdict::Stop => return Err(error.ending_call(made, earlier, None)),
            Verdict::WaitTooLong(wait) => {
                let refused = RefusedWait::over_max_retry_wait(wait, policy.max_server_wait);
                return Err(error.ending_call(made, earlier, Some(refused)));
            }
            Verdict::Retry { wait, asked } => {
                // No point waiting for an attempt the deadline would cut
                // off: the last real answer says more than a timeout, and
                // the error names the wait the deadline refused.
                if let Some((at, deadline)) = started
                    && at.elapsed().saturating_add(wait) >= deadline
                {
                    let refused = RefusedWait {
                        wait,
                        asked_by_server: asked,
                        limit: WaitLimit::Deadline(deadline),
                    };
                    return Err(error.ending_call(made, earlier, Some(refused)));
                }
                earlier = earlier.and_then(error.delivery());
                on_retry(made, &error, wait);
                tokio::time::sleep(wait).await;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use reqwest::{StatusCode, header::HeaderMap};

    use super::*;
    use crate::error::ApiError;

    fn api_error(status: u16, pairs: &[(&'static str, &str)]) -> Error {
        Error::from(ApiError {
            status: StatusCode::from_u16(status).unwrap(),
            code: None,
            message: None,
            trace_id: None,
            headers: pairs
                .iter()
                .map(|(name, value)| {
                    (
                        reqwest::header::HeaderName::from_static(name),
                        value.parse().unwrap(),
                    )
                })
                .collect::<HeaderMap>(),
        })
    }

    fn timeout(limit: Limit) -> Error {
        Error::from(ErrorKind::Timeout {
            after: limit.after,
            scope: limit.scope,
        })
    }

    const POLICY: RetryPolicy = RetryPolicy {
        max_retries: 2,
        max_server_wait: Duration::from_secs(60),
        deadline: None,
        backoff: Duration::from_millis(500),
    };
    const TIMEOUT: Duration = Duration::from_secs(60);

    /// One scripted attempt: its outcome, given the limit it was handed.
    type Step = Box<dyn FnMut(Limit) -> Result<u32, Error>>;

    /// Runs the loop on paused time against scripted outcomes; returns the
    /// result, the limits each attempt was given and the virtual time spent.
    async fn scripted(
        policy: RetryPolicy,
        mut script: Vec<Step>,
    ) -> (Result<u32, Error>, Vec<Limit>, Duration) {
        script.reverse();
        let started = Instant::now();
        let mut limits = Vec::new();
        let outcome = retry_loop(
            &policy,
            TIMEOUT,
            |_, limit| {
                limits.push(limit);
                let next = script.pop().map_or(Ok(0), |mut step| step(limit));
                async move { next }
            },
            |_, _, _| {},
        )
        .await;
        (outcome, limits, started.elapsed())
    }

    fn answer(outcome: Result<u32, Error>) -> Box<dyn FnMut(Limit) -> Result<u32, Error>> {
        let mut outcome = Some(outcome);
        Box::new(move |_| outcome.take().unwrap())
    }

    #[tokio::test(start_paused = true)]
    async fn waits_what_retry_after_asks() {
        let (outcome, limits, waited) = scripted(
            POLICY,
            vec![
                answer(Err(api_error(429, &[("retry-after", "2")]))),
                answer(Ok(7)),
            ],
        )
        .await;
        assert_eq!(outcome.unwrap(), 7);
        assert_eq!(limits.len(), 2);
        assert_eq!(waited, Duration::from_secs(2));
    }

    #[tokio::test(start_paused = true)]
    async fn backs_off_then_reports_attempts() {
        let (outcome, limits, waited) = scripted(
            POLICY,
            (0..3).map(|_| answer(Err(api_error(503, &[])))).collect(),
        )
        .await;
        assert_eq!(outcome.unwrap_err().attempts(), 3);
        assert_eq!(limits.len(), 3);
        assert!(
            (Duration::from_millis(1125)..=Duration::from_millis(1500)).contains(&waited),
            "{waited:?}"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_2xx_that_failed_to_decode_is_not_retried() {
        let accepted = Error::from(crate::error::DecodeError::of_answer(
            StatusCode::ACCEPTED,
            HeaderMap::new(),
            "cut off",
            b"{",
        ));
        let (outcome, limits, _) = scripted(POLICY, vec![answer(Err(accepted))]).await;
        let error = outcome.unwrap_err();
        assert!(error.change_accepted(), "{error}");
        assert_eq!((limits.len(), error.attempts()), (1, 1));
    }

    #[tokio::test(start_paused = true)]
    async fn refuses_long_waits_and_respects_the_deadline() {
        let (outcome, limits, waited) = scripted(
            POLICY,
            vec![answer(Err(api_error(503, &[("retry-after", "61")])))],
        )
        .await;
        let error = outcome.unwrap_err();
        assert!(matches!(error.kind(), ErrorKind::Api(_)), "{error:?}");
        assert_eq!(
            (
                error.refused_wait().map(|refused| refused.wait()),
                limits.len(),
                waited
            ),
            (Some(Duration::from_secs(61)), 1, Duration::ZERO)
        );

        let deadline = RetryPolicy {
            deadline: Some(Duration::from_secs(5)),
            ..POLICY
        };
        let (outcome, limits, waited) = scripted(
            deadline,
            vec![
                answer(Err(api_error(429, &[("retry-after", "6")]))),
                answer(Ok(1)),
            ],
        )
        .await;
        assert_eq!(
            outcome.unwrap_err().status(),
            Some(StatusCode::TOO_MANY_REQUESTS),
            "the last answer, not a timeout"
        );
        assert_eq!((limits.len(), waited), (1, Duration::ZERO));
    }

    #[tokio::test(start_paused = true)]
    async fn the_deadline_shortens_the_last_attempt() {
        // Each attempt "takes" its whole limit, then times out.
        let slow = || -> Step { Box::new(|limit| Err(timeout(limit))) };
        let policy = RetryPolicy {
            deadline: Some(Duration::from_secs(3)),
            max_retries: 5,
            ..POLICY
        };
        let started = Instant::now();
        let mut limits = Vec::new();
        let mut script = vec![slow(), slow(), slow()];
        let outcome: Result<u32, Error> = retry_loop(
            &policy,
            Duration::from_secs(2),
            |_, limit| {
                limits.push(limit);
                let next = script.pop().map_or(Ok(0), |mut step| step(limit));
                async move {
                    tokio::time::sleep(limit.time).await;
                    next
                }
            },
            |_, _, _| {},
        )
        .await;
        assert_eq!(limits[0].scope, TimeoutScope::Attempt);
        assert_eq!(limits[0].time, Duration::from_secs(2));
        assert_eq!(limits[1].scope, TimeoutScope::Call);
        assert!(limits[1].time < Duration::from_millis(625), "{limits:?}");
        let error = outcome.unwrap_err();
        assert!(
            matches!(
                error.kind(),
                ErrorKind::Timeout {
                    scope: TimeoutScope::Call,
                    after,
                } if *after == Duration::from_secs(3)
            ) && error.attempts() == 2,
            "{error:?}"
        );
        assert_eq!(started.elapsed(), Duration::from_secs(3));
    }

    #[tokio::test(start_paused = true)]
    async fn input_and_config_errors_are_final() {
        let invalid: Error = "x".parse::<crate::ids::Handle>().unwrap_err().into();
        let (outcome, limits, _) = scripted(POLICY, vec![answer(Err(invalid))]).await;
        assert!(matches!(
            outcome.unwrap_err().kind(),
            ErrorKind::InvalidInput(_)
        ));
        assert_eq!(limits.len(), 1);
    }
}
