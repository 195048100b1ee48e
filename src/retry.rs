//! Which attempts are retried and how long to wait between them: pure
//! functions of what the wire carried.
//!
//! The policy is the official SDKs': connection failures, timeouts, 408, 409,
//! 429 and every status from 500 to 599 are retried; `x-should-retry:
//! true|false` overrides that; the wait is `retry-after-ms`, else
//! `retry-after` (seconds or an HTTP date), else 0.5 s × 2^n capped at 8 s
//! and shortened by up to 25% jitter. Three rules go further: a 2xx status
//! line is final whatever else the answer says (the change is accepted, and
//! sending it again would repeat it); so is a redirect or an answer whose
//! head the HTTP library refused (the request reached a server); and a
//! server asking for a wait over the limit, or too long to represent, is not
//! waited on. A failure without a status line is retried whether or not the
//! request may have reached Linq (see `transport::no_answer`): a repeated
//! add or remove is a set change and changes nothing more.

use std::{
    hash::{BuildHasher, RandomState},
    time::{Duration, SystemTime},
};

use reqwest::{StatusCode, header::HeaderMap};

use crate::{
    error::{Error, ErrorKind},
    settings::RetryPolicy,
};

const MAX_BACKOFF: Duration = Duration::from_secs(8);

/// What the wire carried for a failed attempt.
#[derive(Debug, Clone, Copy)]
pub(crate) enum FailedAttempt<'a> {
    /// No status line: the connection could not be made, closed or broke,
    /// or the time ran out before the answer's head arrived.
    NoStatusLine,
    /// A status line, with the answer's headers.
    Answer(StatusCode, &'a HeaderMap),
    /// A read's 2xx answer whose body broke off or timed out: asking again
    /// changes nothing, so it is retried like a missing answer.
    BrokenRead,
    /// An answer that ends the call whatever its headers say: a redirect
    /// (Linq's API does not redirect, and a followed one may have reached
    /// another host), or an answer whose head the HTTP library refused (the
    /// request reached the server).
    Final,
}

/// What the wire carried for a failed attempt, as the errors keep it: an
/// error made from an answer holds that answer's status line and headers.
/// `None` for errors raised before anything was sent.
pub(crate) fn seen(error: &Error) -> Option<FailedAttempt<'_>> {
    match error.kind() {
        ErrorKind::Timeout { .. } | ErrorKind::Connection { .. } => {
            Some(FailedAttempt::NoStatusLine)
        }
        ErrorKind::Redirect(_) | ErrorKind::UnreadableAnswer { .. } => Some(FailedAttempt::Final),
        ErrorKind::Decode(decode)
            if !decode.changing && decode.status.is_success() && decode.broke_off =>
        {
            Some(FailedAttempt::BrokenRead)
        }
        _ => error
            .status()
            .zip(error.headers())
            .map(|(status, headers)| FailedAttempt::Answer(status, headers)),
    }
}

/// What to do after a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Verdict {
    /// Wait this long, then try again; `asked` when the server asked for
    /// the wait.
    Retry { wait: Duration, asked: bool },
    /// Give up: the failure is final or the retries are spent.
    Stop,
    /// Give up: the server asked for a wait longer than the limit
    /// (`Duration::MAX` when too long to represent).
    WaitTooLong(Duration),
}

/// Decides about a failed attempt, `retries_done` retries into the call.
pub(crate) fn decide(seen: FailedAttempt<'_>, retries_done: u32, policy: &RetryPolicy) -> Verdict {
    let retryable = match seen {
        // Linq accepted the change: never sent again, whatever the headers say.
        FailedAttempt::Answer(status, _) if status.is_success() => false,
        FailedAttempt::Answer(status, headers) => {
            should_retry_header(headers).unwrap_or_else(|| retryable_status(status))
        }
        FailedAttempt::NoStatusLine | FailedAttempt::BrokenRead => true,
        FailedAttempt::Final => false,
    };
    if !retryable || retries_done >= policy.max_retries {
        return Verdict::Stop;
    }
    let asked = match seen {
        FailedAttempt::Answer(_, headers) => server_wait(headers),
        FailedAttempt::NoStatusLine | FailedAttempt::BrokenRead | FailedAttempt::Final => {
            ServerWait::None
        }
    };
    match asked {
        ServerWait::Beyond => Verdict::WaitTooLong(Duration::MAX),
        ServerWait::For(wait) if wait > policy.max_server_wait => Verdict::WaitTooLong(wait),
        ServerWait::For(wait) => Verdict::Retry { wait, asked: true },
        ServerWait::None => Verdict::Retry {
            wait: backoff(policy.backoff, retries_done),
            asked: false,
        },
    }
}

pub(crate) fn retryable_status(status: StatusCode) -> bool {
    matches!(status.as_u16(), 408 | 409 | 429 | 500..=599)
}

fn should_retry_header(headers: &HeaderMap) -> Option<bool> {
    match headers.get("x-should-retry")?.to_str().ok()?.trim() {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    }
}

/// The wait a server asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ServerWait {
    /// Nothing understood was asked.
    None,
    /// This long (zero for a date in the past or a negative number).
    For(Duration),
    /// A number too large for a `Duration`: longer than any limit.
    Beyond,
}

/// The wait the server asked for: `retry-after-ms` when it is a number,
/// else `retry-after` as seconds or an HTTP date. Text that is neither is
/// ignored, so it never hides the other header.
pub(crate) fn server_wait(headers: &HeaderMap) -> ServerWait {
    let header = |name: &str| headers.get(name)?.to_str().ok().map(str::trim);
    if let Some(ms) = header("retry-after-ms").and_then(|v| v.parse::<f64>().ok()) {
        return seconds(ms / 1000.0);
    }
    let Some(value) = header("retry-after") else {
        return ServerWait::None;
    };
    if let Ok(secs) = value.parse::<f64>() {
        return seconds(secs);
    }
    match httpdate::parse_http_date(value) {
        Ok(at) => ServerWait::For(
            at.duration_since(SystemTime::now())
                .unwrap_or(Duration::ZERO),
        ),
        Err(_) => ServerWait::None,
    }
}

/// A number of seconds as a wait. Negative means now; NaN says nothing;
/// what does not fit a `Duration` (infinity included) is beyond any limit.
fn seconds(secs: f64) -> ServerWait {
    if secs.is_nan() {
        return ServerWait::None;
    }
    match Duration::try_from_secs_f64(secs.max(0.0)) {
        Ok(wait) => ServerWait::For(wait),
        Err(_) => ServerWait::Beyond,
    }
}

/// 0.5 s × 2^n, capped at 8 s, shortened by a random 0 to 25%.
pub(crate) fn backoff(first: Duration, retries_done: u32) -> Duration {
    let full = first
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

    const POLICY: RetryPolicy = RetryPolicy {
        max_retries: 2,
        max_server_wait: Duration::from_secs(60),
        deadline: None,
        backoff: Duration::from_millis(500),
    };

    fn verdict(status: u16, pairs: &[(&'static str, &str)]) -> Verdict {
        let headers = headers(pairs);
        decide(
            FailedAttempt::Answer(StatusCode::from_u16(status).unwrap(), &headers),
            0,
            &POLICY,
        )
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
                let wait = backoff(POLICY.backoff, retries).as_millis() as u64;
                assert!(
                    (full_ms * 3 / 4..=full_ms).contains(&wait),
                    "retry {retries}: {wait} ms not in 75%..100% of {full_ms} ms"
                );
            }
        }
    }

    #[test]
    fn jitter_varies() {
        let waits: std::collections::HashSet<_> =
            (0..20).map(|_| backoff(POLICY.backoff, 0)).collect();
        assert!(waits.len() > 1, "jitter should not be constant");
    }

    #[test]
    fn server_waits() {
        let wait = |pairs: &[(&'static str, &str)]| server_wait(&headers(pairs));
        assert_eq!(
            wait(&[("retry-after-ms", "1500")]),
            ServerWait::For(Duration::from_millis(1500))
        );
        assert_eq!(
            wait(&[("retry-after-ms", "250"), ("retry-after", "9")]),
            ServerWait::For(Duration::from_millis(250)),
            "retry-after-ms wins"
        );
        assert_eq!(
            wait(&[("retry-after", "2")]),
            ServerWait::For(Duration::from_secs(2))
        );
        assert_eq!(
            wait(&[("retry-after", "-3")]),
            ServerWait::For(Duration::ZERO)
        );
        assert_eq!(
            wait(&[("retry-after", "Wed, 21 Oct 2015 07:28:00 GMT")]),
            ServerWait::For(Duration::ZERO),
            "a date in the past means now"
        );
        let soon = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(30));
        let ServerWait::For(soon) = wait(&[("retry-after", &soon)]) else {
            panic!("a date is a wait")
        };
        assert!(
            (Duration::from_secs(28)..=Duration::from_secs(30)).contains(&soon),
            "{soon:?}"
        );
        assert_eq!(wait(&[("retry-after", "soon")]), ServerWait::None);
        assert_eq!(wait(&[("retry-after-ms", "NaN")]), ServerWait::None);
        assert_eq!(
            wait(&[("retry-after-ms", "soon"), ("retry-after", "3")]),
            ServerWait::For(Duration::from_secs(3)),
            "garbage in one header does not hide the other"
        );
        for beyond in [
            &[("retry-after-ms", "1e300")][..],
            &[("retry-after-ms", "inf")],
            &[("retry-after", "1e20")],
            &[("retry-after", "18446744073709551616")],
            &[("retry-after", "inf")],
            &[("retry-after-ms", "1e300"), ("retry-after", "120")],
        ] {
            assert_eq!(wait(beyond), ServerWait::Beyond, "{beyond:?}");
        }
    }

    #[test]
    fn waits_that_do_not_fit_or_exceed_the_limit_are_refused() {
        assert_eq!(
            verdict(503, &[("retry-after", "61")]),
            Verdict::WaitTooLong(Duration::from_secs(61))
        );
        assert_eq!(
            verdict(429, &[("retry-after", "1e20")]),
            Verdict::WaitTooLong(Duration::MAX)
        );
        assert_eq!(
            verdict(429, &[("retry-after-ms", "1e300"), ("retry-after", "120")]),
            Verdict::WaitTooLong(Duration::MAX)
        );
        assert_eq!(
            verdict(429, &[("retry-after-ms", "60000")]),
            Verdict::Retry {
                wait: Duration::from_secs(60),
                asked: true
            },
            "the limit itself is still obeyed"
        );
    }

    #[test]
    fn a_2xx_is_final_whatever_the_headers_say() {
        for status in [200, 202, 204, 299] {
            assert_eq!(verdict(status, &[]), Verdict::Stop);
            assert_eq!(
                verdict(status, &[("x-should-retry", "true"), ("retry-after", "1")]),
                Verdict::Stop,
                "{status}"
            );
        }
    }

    #[test]
    fn which_statuses_are_retried() {
        for status in [408, 409, 429, 500, 502, 503, 504, 599] {
            assert!(
                matches!(verdict(status, &[]), Verdict::Retry { .. }),
                "{status}"
            );
        }
        for status in [100, 301, 302, 400, 401, 403, 404, 418, 422, 600, 700, 999] {
            assert_eq!(verdict(status, &[]), Verdict::Stop, "{status}");
        }
        assert_eq!(verdict(503, &[("x-should-retry", "false")]), Verdict::Stop);
        assert!(matches!(
            verdict(400, &[("x-should-retry", "true")]),
            Verdict::Retry { .. }
        ));
        assert!(matches!(
            decide(FailedAttempt::NoStatusLine, 0, &POLICY),
            Verdict::Retry { .. }
        ));
        assert_eq!(
            decide(FailedAttempt::NoStatusLine, 2, &POLICY),
            Verdict::Stop
        );
    }
}
