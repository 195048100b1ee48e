//! Turns what the generated client returned, together with the exchange the
//! wire saw, into the wrapper's result.
//!
//! progenitor's own outcome is used where it is complete. Where it is not
//! (a body that does not match the spec loses its status; a status the spec
//! does not list comes back unread; an empty 202 fails to decode), the
//! captured exchange fills the gap.

use progenitor_client::ResponseValue;
use reqwest::{StatusCode, header::HeaderMap};

use crate::{
    Error,
    error::{ApiError, DecodeError, ErrorCode, TimeoutScope},
    participants::{Headers, Queued, Response},
    raw::{
        self,
        types::{ErrorResponse, ParticipantChangeQueued},
    },
    transport::{Captured, Exchange},
};

type RawResult = Result<ResponseValue<ParticipantChangeQueued>, raw::Error<ErrorResponse>>;

pub(crate) fn interpret(
    result: RawResult,
    exchange: &Exchange,
    wanted: Headers,
) -> Result<Response<Queued>, Error> {
    let captured = exchange.take_captured();
    if let Some(captured) = &captured
        && captured.truncated
    {
        return Err(decode_error(
            captured.status,
            captured.headers.clone(),
            format!(
                "the body is longer than the {}-byte limit",
                captured.body.len()
            ),
            &captured.body,
        ));
    }
    match result {
        Ok(value) => {
            let status = value.status();
            let headers = match wanted {
                Headers::Keep => value.headers().clone(),
                Headers::Drop => HeaderMap::new(),
            };
            Ok(Response::new(
                Queued::from(value.into_inner()),
                status,
                headers,
            ))
        }
        Err(raw::Error::ErrorResponse(value)) => {
            let status = value.status();
            // The capture's copy of a failure's headers is already owned.
            let headers = match captured {
                Some(captured) => captured.headers,
                None => value.headers().clone(),
            };
            Err(api_error(status, headers, value.into_inner()))
        }
        Err(raw::Error::CommunicationError(source) | raw::Error::ResponseBodyError(source)) => {
            Err(transport_error(source, exchange))
        }
        Err(raw::Error::InvalidUpgrade(source)) => Err(Error::Connection {
            source,
            attempts: 1,
        }),
        Err(raw::Error::InvalidRequest(reason) | raw::Error::Custom(reason)) => Err(Error::Config(
            format!("could not build the request: {reason}"),
        )),
        Err(raw::Error::InvalidResponsePayload(body, _)) => match captured {
            Some(captured) => decode_leniently(captured),
            // Only a 202 reaches the generated client uncaptured; its bytes
            // are in the error.
            None => decode_leniently(Captured {
                status: StatusCode::ACCEPTED,
                headers: HeaderMap::new(),
                body,
                truncated: false,
            }),
        },
        Err(raw::Error::UnexpectedResponse(_)) => match captured {
            Some(captured) => decode_leniently(captured),
            None => Err(missing_capture()),
        },
    }
}

/// Decodes a response progenitor could not: any 2xx is a success (an empty
/// body meaning no fields), anything else is an API error if it has Linq's
/// error shape, and an undecodable answer that keeps its status otherwise.
fn decode_leniently(captured: Captured) -> Result<Response<Queued>, Error> {
    let Captured {
        status,
        headers,
        body,
        ..
    } = captured;
    if status.is_success() {
        if body.iter().all(u8::is_ascii_whitespace) {
            return Ok(Response::new(Queued::default(), status, headers));
        }
        return match serde_json::from_slice::<ParticipantChangeQueued>(&body) {
            Ok(value) => Ok(Response::new(Queued::from(value), status, headers)),
            Err(e) => Err(decode_error(
                status,
                headers,
                format!("not a participant-change answer: {e}"),
                &body,
            )),
        };
    }
    match serde_json::from_slice::<ErrorResponse>(&body) {
        Ok(value) => Err(api_error(status, headers, value)),
        Err(e) => Err(decode_error(
            status,
            headers,
            format!("not Linq's error format: {e}"),
            &body,
        )),
    }
}

/// The exchange captures every response whose status the generated client
/// does not decode, so this does not happen; it is an error rather than a
/// panic all the same.
fn missing_capture() -> Error {
    Error::Config("a response arrived without passing through the client's hooks".into())
}

fn api_error(status: StatusCode, headers: HeaderMap, body: ErrorResponse) -> Error {
    Error::Api(Box::new(ApiError {
        status,
        code: body.error.code.map(ErrorCode::from_number),
        message: body.error.message,
        trace_id: body.trace_id,
        headers,
        attempts: 1,
        refused_wait: None,
    }))
}

fn decode_error(status: StatusCode, headers: HeaderMap, reason: String, body: &[u8]) -> Error {
    Error::Decode(Box::new(DecodeError::new(status, headers, reason, body)))
}

fn transport_error(source: reqwest::Error, exchange: &Exchange) -> Error {
    if source.is_timeout() {
        Error::Timeout {
            after: exchange.timeout(),
            scope: TimeoutScope::Attempt,
            attempts: 1,
        }
    } else {
        Error::Connection {
            source,
            attempts: 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn captured(status: u16, body: Vec<u8>, truncated: bool) -> Captured {
        Captured {
            status: StatusCode::from_u16(status).unwrap(),
            headers: HeaderMap::new(),
            body: body.into(),
            truncated,
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

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// Any status with any body: never a panic, and the outcome follows
        /// the status class.
        #[test]
        fn decoding_never_panics(status in 100u16..=599, body in bodies()) {
            let outcome = decode_leniently(captured(status, body, false));
            match &outcome {
                Ok(answer) => prop_assert!((200..300).contains(&status) && answer.status().as_u16() == status),
                Err(Error::Api(api)) => prop_assert!(!(200..300).contains(&status) && api.status().as_u16() == status),
                Err(Error::Decode(decode)) => {
                    prop_assert_eq!(decode.status().as_u16(), status);
                    prop_assert!(decode.excerpt().len() <= 3 * DecodeError::EXCERPT_BYTES);
                    prop_assert!(decode.to_string().len() < 1024);
                }
                Err(other) => prop_assert!(false, "unexpected {other:?}"),
            }
            if let Err(error) = outcome {
                let _ = format!("{error} {error:?}");
            }
        }
    }
}
