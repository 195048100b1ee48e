//! Reading a 2xx body that strict decoding refuses only because of a field
//! this crate does not read.
//!
//! Unknown fields are kept as `serde_json::Value`s, and some JSON cannot be
//! held in one: a number beyond `f64`'s range (`1e400`), nesting deeper than
//! serde_json's limit of 128 levels. Invalid UTF-8 fails any JSON decoder.
//! None of that may turn an answer whose known fields are fine into an
//! error (for a change, an accepted answer reported as undecodable), so such
//! a body is read again here: invalid UTF-8 replaced with U+FFFD, and the
//! unknown fields that still cannot be held left out and named.

use std::collections::BTreeMap;

use serde_json::{Map, Value, value::RawValue};

use crate::response::SuccessBody;

/// Decodes `bytes` as `T`, strictly first; when that fails, leniently as
/// above. The strict error is the one returned when both fail.
pub(crate) fn decode<T: SuccessBody>(bytes: &[u8]) -> Result<T, serde_json::Error> {
    match serde_json::from_slice::<T>(bytes) {
        Ok(value) => Ok(value),
        Err(strict) => leniently(bytes).ok_or(strict),
    }
}

fn leniently<T: SuccessBody>(bytes: &[u8]) -> Option<T> {
    let text = String::from_utf8_lossy(bytes);
    // Raw values are only scanned, so neither depth nor range limits them.
    let fields: BTreeMap<String, Box<RawValue>> = serde_json::from_str(&text).ok()?;
    let mut kept = Map::new();
    let mut left_out = Vec::new();
    for (name, raw) in fields {
        match serde_json::from_str::<Value>(raw.get()) {
            Ok(value) => {
                kept.insert(name, value);
            }
            // A field the crate reads must be readable: the answer is bad.
            Err(_) if T::FIELDS.contains(&name.as_str()) => return None,
            Err(_) => left_out.push(name),
        }
    }
    let mut value: T = serde_json::from_value(Value::Object(kept)).ok()?;
    value.set_left_out(left_out);
    Some(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::queued::Queued;

    const KNOWN: &str =
        r#""message":"Participant removal queued","status":"accepted","trace_id":"tr_1""#;

    fn queued(extra: &[u8]) -> Queued {
        let mut body = format!("{{{KNOWN},").into_bytes();
        body.extend_from_slice(extra);
        body.push(b'}');
        decode::<Queued>(&body)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(extra)))
    }

    #[test]
    fn extra_fields_no_value_can_hold_never_fail_an_answer() {
        let deep = format!("\"deep\":{}1{}", "[".repeat(10_000), "]".repeat(10_000));
        for (extra, left_out) in [
            (&b"\"big\":1e400"[..], &["big"][..]),
            (deep.as_bytes(), &["deep"]),
            (b"\"bytes\":\"\xff\xfe\"", &[]),
            (b"\"big\":-1e999,\"fine\":1", &["big"]),
        ] {
            let queued = queued(extra);
            assert_eq!(queued.trace_id(), Some("tr_1"));
            assert!(queued.is_accepted());
            assert_eq!(queued.left_out_fields(), left_out);
        }
        assert_eq!(queued(b"\"fine\":1").unknown_fields()["fine"], 1);
        assert_eq!(
            queued(b"\"bytes\":\"a\xffb\"").unknown_fields()["bytes"],
            "a\u{fffd}b"
        );
    }

    #[test]
    fn a_known_field_that_cannot_be_read_is_still_an_error() {
        assert!(decode::<Queued>(br#"{"message":1e400}"#).is_err());
        assert!(decode::<Queued>(br#"{"status":5}"#).is_err());
        assert!(decode::<Queued>(b"[1]").is_err());
        assert!(decode::<Queued>(b"{\"a\":1").is_err());
    }
}
