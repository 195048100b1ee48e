//! Which failures are retried, how long to wait between attempts, and the
//! loop that does it.
//!
//! The policy is the official SDKs': connection failures, timeouts, 408, 409,
//! 429 and every status from 500 are retried; `x-should-retry: true|false`
//! overrides that; the wait is `retry-after-ms`, else `retry-after` (seconds or
//! an HTTP date), else 0.5 s × 2^n capped at 8 s and shortened by up to 25%
//! jitter. Two things go further: a server asking for a wait over the limit
//! is not waited on (the error comes back at once and says so), and an
//! optional deadline bounds the whole call.

use std::{
    future::Future,
    hash::{BuildHasher, RandomState},
    time::{Duration, SystemTime},
};

use reqwest::{StatusCode, header::HeaderMap};
use tokio::time::Instant;

use crate::{Error, error::TimeoutScope};

/// How a call retries; set per client and per call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RetryPolicy {
    /// Retries after the first attempt; 0 disables retrying.
    pub(crate) max_retries: u32,
    /// The longest wait a server may ask for and still be obeyed.
    pub(crate) max_server_wait: Duration,
    /// The limit for the whole call, retries and waits included.
    pub(crate) deadline: Option<Duration>,
}

const INITIAL_BACKOFF: Duration = Duration::from_millis(500);
const MAX_BACKOFF: Duration = Duration::from_secs(8);

/// What to do after a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Verdict {
    /// Wait this long, then try again.
    Retry(Duration),
    /// Give up: the failure is final or the retries are spent.
    Stop,
    /// Give up: the server asked for a wait longer than the limit.
    WaitTooLong(Duration),
}

/// Decides about a failed attempt, `retries_done` retries into the call.
pub(crate) fn decide(error: &Error, retries_done: u32, policy: &RetryPolicy) -> Verdict {
    let (status, headers) = match error {
        Error::Api(api) => (Some(api.status), Some(&api.headers)),
        Error::Decode(decode) => (Some(decode.status), Some(&decode.headers)),
        Error::Timeout { .. } | Error::Connection { .. } => (None, None),
        Error::InvalidInput(_) | Error::Config(_) => return Verdict::Stop,
    };
    let retryable = match headers.and_then(should_retry_header) {
        Some(forced) => forced,
        None => status.is_none_or(retryable_status),
    };
    if !retryable || retries_done >= policy.max_retries {
        return Verdict::Stop;
    }
    match headers.and_then(server_wait) {
        Some(wait) if wait > policy.max_server_wait => Verdict::WaitTooLong(wait),
        Some(wait) => Verdict::Retry(wait),
        None => Verdict::Retry(backoff(retries_done)),
    }
}

fn retryable_status(status: StatusCode) -> bool {
    matches!(status.as_u16(), 408 | 409 | 429 | 500..)
}

fn should_retry_header(headers: &HeaderMap) -> Option<bool> {
    match headers.get("x-should-retry")?.to_str().ok()?.trim() {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    }
}

/// The wait the server asked for: `retry-after-ms`, else `retry-after` as
/// seconds or an HTTP date. A date in the past means no wait.
pub(crate) fn server_wait(headers: &HeaderMap) -> Option<Duration> {
    let header = |name: &str| headers.get(name)?.to_str().ok().map(str::trim);
    if let Some(ms) = header("retry-after-ms").and_then(|v| v.parse::<f64>().ok()) {
        return non_negative_seconds(ms / 1000.0);
    }
    let value = header("retry-after")?;
    if let Ok(seconds) = value.parse::<f64>() {
        return non_negative_seconds(seconds);
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(
        at.duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

fn non_negative_seconds(seconds: f64) -> Option<Duration> {
    Duration::try_from_secs_f64(seconds.max(0.0)).ok()
}

/// 0.5 s × 2^n, capped at 8 s, shortened by a random 0 to 25%.
pub(crate) fn backoff(retries_done: u32) -> Duration {
    let full = INITIAL_BACKOFF
        .saturating_mul(2u32.saturating_pow(retries_done))
        .min(MAX_BACKOFF);
    full.mul_f64(1.0 - 0.25 * unit_random())
}

/// A number in [0, 1). Jitter only needs to spread clients apart, so the
/// standard library's randomly keyed hasher is enough.
fn unit_random() -> f64 {
    let bits = RandomState::new().hash_one(()) >> 11;
    bits as f64 / (1u64 << 53) as f64
}

/// Runs `attempt` until it succeeds, the policy gives up, or the deadline
/// passes. The error says how many attempts were made. `on_retry` hears of
/// each retry before its wait.
pub(crate) async fn run<T, A, F>(
    policy: &RetryPolicy,
    mut attempt: A,
    mut on_retry: impl FnMut(u32, &Error, Duration),
) -> Result<T, Error>
where
    A: FnMut(u32) -> F,
    F: Future<Output = Result<T, Error>>,
{
    // Only a deadline needs the clock.
    let started = policy.deadline.map(|deadline| (Instant::now(), deadline));
    let mut made = 0;
    let attempts = async {
        loop {
            made += 1;
            let error = match attempt(made).await {
                Ok(value) => return Ok(value),
                Err(error) => error,
            };
            match decide(&error, made - 1, policy) {
                Verdict::Stop => return Err(error.finish(made, None)),
                Verdict::WaitTooLong(wait) => return Err(error.finish(made, Some(wait))),
                Verdict::Retry(wait) => {
                    // No point waiting for an attempt the deadline would cut
                    // off: the last real answer says more than a timeout.
                    if started
                        .is_some_and(|(at, deadline)| at.elapsed().saturating_add(wait) >= deadline)
                    {
                        return Err(error.finish(made, None));
                    }
                    on_retry(made, &error, wait);
                    tokio::time::sleep(wait).await;
                }
            }
        }
    };
    match policy.deadline {
        None => attempts.await,
        Some(deadline) => match tokio::time::timeout(deadline, attempts).await {
            Ok(outcome) => outcome,
            Err(_) => Err(Error::Timeout {
                after: deadline,
                scope: TimeoutScope::Call,
                attempts: made,
            }),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        pairs
            .iter()
            .map(|(name, value)| {
                (
                    reqwest::header::HeaderName::from_static(name),
                    value.parse().unwrap(),
                )
            })
            .collect()
    }

    #[test]
    fn backoff_doubles_with_jitter_and_caps() {
        for (retries, full_ms) in [
            (0, 500),
            (1, 1000),
            (2, 2000),
            (3, 4000),
            (4, 8000),
            (5, 8000),
            (40, 8000),
        ] {
            for _ in 0..50 {
                let wait = backoff(retries).as_millis() as u64;
                assert!(
                    (full_ms * 3 / 4..=full_ms).contains(&wait),
                    "retry {retries}: {wait} ms not in 75%..100% of {full_ms} ms"
                );
            }
        }
    }

    #[test]
    fn jitter_varies() {
        let waits: std::collections::HashSet<_> = (0..20).map(|_| backoff(0)).collect();
        assert!(waits.len() > 1, "jitter should not be constant");
    }

    #[test]
    fn server_waits() {
        assert_eq!(
            server_wait(&headers(&[("retry-after-ms", "1500")])),
            Some(Duration::from_millis(1500))
        );
        assert_eq!(
            server_wait(&headers(&[("retry-after-ms", "250"), ("retry-after", "9")])),
            Some(Duration::from_millis(250)),
            "retry-after-ms wins"
        );
        assert_eq!(
            server_wait(&headers(&[("retry-after", "2")])),
            Some(Duration::from_secs(2))
        );
        assert_eq!(
            server_wait(&headers(&[("retry-after", "-3")])),
            Some(Duration::ZERO)
        );
        assert_eq!(
            server_wait(&headers(&[(
                "retry-after",
                "Wed, 21 Oct 2015 07:28:00 GMT"
            )])),
            Some(Duration::ZERO),
            "a date in the past means now"
        );
        let soon = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(30));
        let wait = server_wait(&headers(&[("retry-after", &soon)])).unwrap();
        assert!(
            (Duration::from_secs(28)..=Duration::from_secs(30)).contains(&wait),
            "{wait:?}"
        );
        assert_eq!(server_wait(&headers(&[("retry-after", "soon")])), None);
        assert_eq!(
            server_wait(&headers(&[("retry-after-ms", "NaN")])),
            Some(Duration::ZERO)
        );
        assert_eq!(server_wait(&headers(&[("retry-after-ms", "1e300")])), None);
    }

    fn api_error(status: u16, pairs: &[(&'static str, &str)]) -> Error {
        Error::Api(Box::new(crate::error::ApiError {
            status: StatusCode::from_u16(status).unwrap(),
            code: None,
            message: None,
            trace_id: None,
            headers: headers(pairs),
            attempts: 1,
            refused_wait: None,
        }))
    }

    const POLICY: RetryPolicy = RetryPolicy {
        max_retries: 2,
        max_server_wait: Duration::from_secs(60),
        deadline: None,
    };

    /// Runs the loop on paused time against scripted outcomes; returns the
    /// result, the attempts made and the virtual time spent.
    async fn scripted(
        policy: RetryPolicy,
        mut script: Vec<Result<u32, Error>>,
    ) -> (Result<u32, Error>, u32, Duration) {
        script.reverse();
        let started = Instant::now();
        let mut calls = 0;
        let outcome = run(
            &policy,
            |_| {
                calls += 1;
                let next = script.pop().unwrap_or(Ok(0));
                async move { next }
            },
            |_, _, _| {},
        )
        .await;
        (outcome, calls, started.elapsed())
    }

    #[tokio::test(start_paused = true)]
    async fn waits_what_retry_after_asks() {
        let (outcome, calls, waited) = scripted(
            POLICY,
            vec![Err(api_error(429, &[("retry-after", "2")])), Ok(7)],
        )
        .await;
        assert_eq!(outcome.unwrap(), 7);
        assert_eq!(calls, 2);
        assert_eq!(waited, Duration::from_secs(2));
    }

    #[tokio::test(start_paused = true)]
    async fn backs_off_then_reports_attempts() {
        let (outcome, calls, waited) = scripted(
            POLICY,
            vec![
                Err(api_error(503, &[])),
                Err(api_error(503, &[])),
                Err(api_error(503, &[])),
            ],
        )
        .await;
        assert_eq!(outcome.unwrap_err().attempts(), 3);
        assert_eq!(calls, 3);
        assert!(
            (Duration::from_millis(1125)..=Duration::from_millis(1500)).contains(&waited),
            "{waited:?}"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn refuses_long_waits_and_respects_the_deadline() {
        let (outcome, calls, waited) =
            scripted(POLICY, vec![Err(api_error(503, &[("retry-after", "61")]))]).await;
        let Err(Error::Api(api)) = outcome else {
            panic!()
        };
        assert_eq!(
            (api.refused_wait, calls, waited),
            (Some(Duration::from_secs(61)), 1, Duration::ZERO)
        );

        let deadline = RetryPolicy {
            deadline: Some(Duration::from_secs(5)),
            ..POLICY
        };
        let (outcome, calls, waited) = scripted(
            deadline,
            vec![Err(api_error(429, &[("retry-after", "6")])), Ok(1)],
        )
        .await;
        assert_eq!(
            outcome.unwrap_err().status(),
            Some(StatusCode::TOO_MANY_REQUESTS),
            "the last answer, not a timeout"
        );
        assert_eq!((calls, waited), (1, Duration::ZERO));
    }

    #[tokio::test(start_paused = true)]
    async fn input_and_config_errors_are_final() {
        let invalid: Error = "x".parse::<crate::Handle>().unwrap_err().into();
        let (outcome, calls, _) = scripted(POLICY, vec![Err(invalid)]).await;
        assert!(matches!(outcome, Err(Error::InvalidInput(_))));
        assert_eq!(calls, 1);
    }
}
