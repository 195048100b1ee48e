//! The wire record of an answer, turned into a value or an [`Error`].
//!
//! One decoder for every operation and every status, listed in the spec or
//! not: a 2xx is the operation's value (an empty body meaning no fields), a
//! redirect is refused, and anything else is Linq's error body when it has
//! that shape. Whatever cannot be understood keeps its status, headers and
//! an excerpt.

use std::sync::Arc;

use reqwest::header::LOCATION;
use serde::Deserialize;

use crate::{
    error::{ApiError, DecodeError, Error, ErrorCode, RedirectError},
    response::{Answer, SuccessBody},
    wire::{Body, WireRecord},
};

/// Linq's error body, read as leniently as its schema allows: every field
/// but `error` may be missing, unknown fields are ignored, and numbers may
/// take any JSON form of an integer (`2004.0`, a status wider than 64 bits).
/// Only `error` is required, so that another JSON body is not taken for one.
#[derive(Deserialize)]
struct LinqError {
    error: LinqErrorDetail,
    #[serde(default)]
    trace_id: Option<String>,
}

#[derive(Deserialize)]
struct LinqErrorDetail {
    #[serde(default)]
    code: Option<serde_json::Number>,
    #[serde(default)]
    message: Option<String>,
}

/// An integral JSON number that fits an `i64`.
fn integral(number: &serde_json::Number) -> Option<i64> {
    number.as_i64().or_else(|| {
        number
            .as_f64()
            .filter(|value| value.fract() == 0.0 && value.abs() < 9.2e18)
            .map(|value| value as i64)
    })
}

/// Decodes one answer to a call that asked for a change (`changing`) or
/// only read.
pub(crate) fn answer<T: SuccessBody>(
    record: WireRecord,
    changing: bool,
) -> Result<Answer<T>, Error> {
    let WireRecord {
        status,
        headers,
        body,
        redirected_to,
    } = record;
    let undecodable = |headers, reason: String, bytes: &[u8]| DecodeError {
        changing,
        ..DecodeError::of_answer(status, headers, reason, bytes)
    };

    if redirected_to.is_some() || status.is_redirection() {
        return Err(RedirectError {
            status,
            followed: redirected_to.is_some(),
            location: redirected_to.map(|url| url.to_string()).or_else(|| {
                let location = headers.get(LOCATION)?;
                Some(String::from_utf8_lossy(location.as_bytes()).into_owned())
            }),
            headers,
        }
        .into());
    }

    let bytes = match body {
        Body::Complete(bytes) => bytes,
        Body::TooLong(start) => {
            let reason = format!("the body is longer than the {}-byte limit", start.len());
            return Err(undecodable(headers, reason, &start).into());
        }
        Body::Broken(start, cut) => {
            let what = if cut.timed_out {
                "the time ran out"
            } else {
                "the connection broke"
            };
            let reason = format!(
                "{what} while the body was arriving ({} bytes read)",
                start.len()
            );
            let mut error = undecodable(headers, reason, &start);
            error.source = Some(Arc::from(cut.source));
            error.broke_off = true;
            return Err(Error::from(error));
        }
    };

    if status.is_success() {
        if bytes.iter().all(u8::is_ascii_whitespace)
            && let Some(value) = T::from_empty()
        {
            return Ok(Answer::answered(value, status, headers));
        }
        return match crate::lenient::decode::<T>(&bytes) {
            Ok(value) => Ok(Answer::answered(value, status, headers)),
            Err(e) => Err(undecodable(
                headers,
                format!("not the answer this operation describes: {e}"),
                &bytes,
            )
            .into()),
        };
    }

    match serde_json::from_slice::<LinqError>(&bytes) {
        Ok(body) => Err(ApiError {
            status,
            code: body
                .error
                .code
                .as_ref()
                .and_then(integral)
                .map(ErrorCode::from_number),
            message: body.error.message,
            trace_id: body.trace_id,
            headers,
        }
        .into()),
        Err(e) => Err(undecodable(headers, format!("not Linq's error format: {e}"), &bytes).into()),
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use reqwest::{StatusCode, header::HeaderMap};

    use super::*;
    use crate::wire::BodyStopped;
    use crate::{error::ErrorKind, queued::Queued};

    fn record(status: u16, body: Body) -> WireRecord {
        WireRecord {
            status: StatusCode::from_u16(status).unwrap(),
            headers: HeaderMap::new(),
            body,
            redirected_to: None,
        }
    }

    /// Bodies that are sometimes Linq-shaped JSON, sometimes noise.
    fn bodies() -> impl Strategy<Value = Vec<u8>> {
        prop_oneof![
            proptest::collection::vec(any::<u8>(), 0..2048),
            "\\PC{0,200}".prop_map(String::into_bytes),
            (any::<i64>(), "\\PC{0,40}", proptest::option::of("[a-z0-9_]{0,12}")).prop_map(|(code, message, trace)| {
                serde_json::json!({"error": {"status": 400, "code": code, "message": message}, "trace_id": trace})
                    .to_string()
                    .into_bytes()
            }),
            ("\\PC{0,40}", any::<bool>()).prop_map(|(message, extra)| {
                let mut value = serde_json::json!({"message": message, "status": "accepted"});
                if extra {
                    value["unexpected"] = serde_json::json!([1, {"nested": null}]);
                }
                value.to_string().into_bytes()
            }),
        ]
    }

    fn bodies_as_read() -> impl Strategy<Value = Body> {
        (bodies(), 0..3u8).prop_map(|(bytes, how)| match how {
            0 => Body::Complete(bytes.into()),
            1 => Body::TooLong(bytes.into()),
            _ => Body::Broken(
                bytes.into(),
                BodyStopped {
                    timed_out: false,
                    source: "cut".into(),
                },
            ),
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]

        /// Any status with any body, read whole or not: never a panic, the
        /// status is kept, and the outcome follows the status class.
        #[test]
        fn decoding_never_panics(status in 100u16..=999, body in bodies_as_read()) {
            let complete = matches!(body, Body::Complete(_));
            let outcome = answer::<Queued>(record(status, body), true);
            let success = (200..300).contains(&status);
            match outcome.as_ref().map_err(|error| (error, error.kind())) {
                Ok(answer) => prop_assert!(success && complete && answer.status().as_u16() == status),
                Err((_, ErrorKind::Api(api))) => prop_assert!(!success && complete && api.status().as_u16() == status),
                Err((_, ErrorKind::Redirect(redirect))) => prop_assert!((300..400).contains(&status) && redirect.status().as_u16() == status),
                Err((error, ErrorKind::Decode(decode))) => {
                    prop_assert_eq!(decode.status().as_u16(), status);
                    prop_assert_eq!(error.change_accepted(), success);
                    prop_assert!(decode.excerpt().len() <= 3 * DecodeError::EXCERPT_BYTES);
                    prop_assert!(decode.to_string().len() < 2048);
                }
                Err((other, _)) => prop_assert!(false, "unexpected {other:?}"),
            }
            if let Err(error) = outcome {
                let shown = format!("{error}");
                prop_assert!(!shown.chars().any(char::is_control), "{}", shown);
                let _ = format!("{error:?}");
            }
        }
    }

    #[test]
    fn error_numbers_in_any_integral_form() {
        for (number, expected) in [
            ("2004", Some(2004)),
            ("2004.0", Some(2004)),
            ("2.004e3", Some(2004)),
            ("2004.5", None),
            ("1e30", None),
            ("-7", Some(-7)),
        ] {
            let parsed: serde_json::Number = serde_json::from_str(number).unwrap();
            assert_eq!(integral(&parsed), expected, "{number}");
        }
    }

    #[test]
    fn an_empty_2xx_is_a_value_with_no_fields() {
        for status in [200, 202, 204] {
            let answer = answer::<Queued>(record(status, Body::Complete("".into())), true).unwrap();
            assert_eq!(answer.status().as_u16(), status);
            assert!(answer.value().message().is_none());
        }
    }
}
