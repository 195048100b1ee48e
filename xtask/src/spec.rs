//! Linq's published OpenAPI 3.1 document → our `openapi.yaml` (3.0.3, which
//! is what progenitor reads).
//!
//! 1. Keep the participants path, everything it references (transitively),
//!    the security schemes it uses, and the participant webhook schemas.
//! 2. Convert the 3.1 constructs met on the way: `type` arrays with `null`
//!    become `nullable`, a schema's `examples` becomes `example`, `const` a
//!    one-value `enum`, numeric `exclusiveMinimum`/`exclusiveMaximum` the
//!    3.0 boolean form; `webhooks`, `jsonSchemaDialect`, `$schema` and other
//!    3.1-only keys are dropped. Anything else 3.0 cannot say is an error
//!    naming its JSON pointer.
//! 3. Apply the overlay: our additions, each with the reason for it.
//! 4. Write YAML with every map's keys sorted, so that the output depends on
//!    the input alone and running it again changes nothing.

use serde_json::{Map, Value};

/// The one path this crate covers.
pub const PATH: &str = "/v3/chats/{chatId}/participants";

/// Webhook payload schemas kept when the document has them (the
/// participant events confirm what the path only queues).
const WEBHOOK_SCHEMAS: [&str; 7] = [
    "WebhookEnvelopeBase",
    "WebhookEventType",
    "ChatHandle",
    "ParticipantAddedWebhook",
    "ParticipantAddedEvent",
    "ParticipantRemovedWebhook",
    "ParticipantRemovedEvent",
];

/// Schema keywords of JSON Schema 2020-12 that OpenAPI 3.0 has no way to say.
const UNCONVERTIBLE: [&str; 14] = [
    "prefixItems",
    "$dynamicRef",
    "$dynamicAnchor",
    "if",
    "then",
    "else",
    "dependentSchemas",
    "dependentRequired",
    "unevaluatedProperties",
    "unevaluatedItems",
    "patternProperties",
    "contains",
    "propertyNames",
    "contentSchema",
];

/// Keys dropped wherever they appear in a schema: annotations 3.0 ignores.
const DROPPED_IN_SCHEMAS: [&str; 4] = ["$schema", "$id", "$comment", "$anchor"];

const HEADER: &str = "# Written by `cargo xtask spec sync` from Linq's published OpenAPI document\n\
# (the participants path and what it references, converted to OpenAPI 3.0.3)\n\
# and spec/overlay.yaml. Do not edit by hand: change the overlay and sync again.\n";

/// The whole conversion, text to text.
pub fn sync_text(document: &str, overlay: &str) -> Result<String, String> {
    let document: Value = if document.trim_start().starts_with('{') {
        serde_json::from_str(document).map_err(|e| format!("the document is not JSON: {e}"))?
    } else {
        serde_yaml::from_str(document).map_err(|e| format!("the document is not YAML: {e}"))?
    };
    let overlay: Value =
        serde_yaml::from_str(overlay).map_err(|e| format!("the overlay is not YAML: {e}"))?;
    let synced = sync(&document, &overlay)?;
    let yaml =
        serde_yaml::to_string(&sorted(&synced)).map_err(|e| format!("cannot write YAML: {e}"))?;
    Ok(format!("{HEADER}{yaml}"))
}

/// Steps 1 to 3 on parsed documents.
pub fn sync(document: &Value, overlay: &Value) -> Result<Value, String> {
    let version = document["openapi"].as_str().unwrap_or("");
    if !(version.starts_with("3.1") || version.starts_with("3.0")) {
        return Err(format!(
            "/openapi: expected 3.1 (or 3.0), found {version:?}"
        ));
    }
    let mut out = extract(document)?;
    convert_document(&mut out)?;
    apply_overlay(&mut out, overlay)?;
    Ok(out)
}

/// Step 1: the participants path and its transitive references.
fn extract(document: &Value) -> Result<Value, String> {
    let path = document["paths"]
        .get(PATH)
        .ok_or_else(|| format!("/paths: the document has no {PATH}"))?;
    let mut out = Map::new();
    out.insert("openapi".into(), "3.0.3".into());
    for key in ["info", "servers", "security", "tags", "externalDocs"] {
        if let Some(value) = document.get(key) {
            out.insert(key.into(), value.clone());
        }
    }
    let mut paths = Map::new();
    paths.insert(PATH.into(), path.clone());
    out.insert("paths".into(), Value::Object(paths));

    // References still to copy, as (kind, name) under /components.
    let mut pending: Vec<(String, String)> = Vec::new();
    collect_refs(path, &pointer(&["paths", PATH]), &mut pending)?;
    for name in WEBHOOK_SCHEMAS {
        if document["components"]["schemas"].get(name).is_some() {
            pending.push(("schemas".into(), name.into()));
        }
    }
    for requirement in security_requirements(document, path) {
        pending.push(("securitySchemes".into(), requirement));
    }

    let mut components = Map::new();
    while let Some((kind, name)) = pending.pop() {
        let kept = components
            .entry(kind.clone())
            .or_insert_with(|| Value::Object(Map::new()));
        if kept.get(&name).is_some() {
            continue;
        }
        let at = pointer(&["components", &kind, &name]);
        let value = document["components"][&kind]
            .get(&name)
            .ok_or_else(|| format!("{at}: referenced but not in the document"))?;
        collect_refs(value, &at, &mut pending)?;
        kept[&name] = value.clone();
    }
    out.insert("components".into(), Value::Object(components));
    Ok(Value::Object(out))
}

/// Security schemes named by the document's and the operations' requirements.
fn security_requirements(document: &Value, path: &Value) -> Vec<String> {
    let mut lists = vec![&document["security"]];
    if let Some(operations) = path.as_object() {
        lists.extend(operations.values().map(|operation| &operation["security"]));
    }
    lists
        .into_iter()
        .filter_map(Value::as_array)
        .flatten()
        .filter_map(Value::as_object)
        .flat_map(|requirement| requirement.keys().cloned())
        .collect()
}

fn collect_refs(
    value: &Value,
    at: &str,
    pending: &mut Vec<(String, String)>,
) -> Result<(), String> {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                let here = format!("{at}/{}", escape(key));
                if key == "$ref" {
                    let target = child.as_str().unwrap_or("");
                    let parts: Vec<&str> = target
                        .strip_prefix("#/components/")
                        .map(|rest| rest.split('/').collect())
                        .unwrap_or_default();
                    match parts.as_slice() {
                        [kind, name] => pending.push((unescape(kind), unescape(name))),
                        _ => {
                            return Err(format!(
                                "{here}: only references into #/components/ can be kept, not {target:?}"
                            ));
                        }
                    }
                } else {
                    collect_refs(child, &here, pending)?;
                }
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                collect_refs(child, &format!("{at}/{index}"), pending)?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// Step 2 for the whole kept document.
fn convert_document(document: &mut Value) -> Result<(), String> {
    if let Some(info) = document.get_mut("info").and_then(Value::as_object_mut) {
        info.remove("summary");
        if let Some(license) = info.get_mut("license").and_then(Value::as_object_mut) {
            license.remove("identifier");
        }
    }
    let paths = document.get_mut("paths").expect("extract keeps paths");
    walk(paths, "/paths")?;
    if let Some(components) = document
        .get_mut("components")
        .and_then(Value::as_object_mut)
    {
        for (kind, entries) in components.iter_mut() {
            let Some(entries) = entries.as_object_mut() else {
                continue;
            };
            for (name, entry) in entries.iter_mut() {
                let at = pointer(&["components", kind, name]);
                if kind == "schemas" {
                    convert_schema(entry, &at)?;
                } else {
                    walk(entry, &at)?;
                }
            }
        }
    }
    Ok(())
}

/// Walks a non-schema part of the document; a `schema` key holds a schema.
fn walk(value: &mut Value, at: &str) -> Result<(), String> {
    match value {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                let here = format!("{at}/{}", escape(key));
                if key == "schema" {
                    convert_schema(child, &here)?;
                } else {
                    walk(child, &here)?;
                }
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter_mut().enumerate() {
                walk(child, &format!("{at}/{index}"))?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// Converts one schema and the schemas inside it.
fn convert_schema(schema: &mut Value, at: &str) -> Result<(), String> {
    let Some(map) = schema.as_object_mut() else {
        // `true`/`false` schemas: 3.0 has no boolean schemas.
        return Err(format!(
            "{at}: a boolean schema cannot be written in OpenAPI 3.0"
        ));
    };
    if let Some(keyword) = UNCONVERTIBLE.iter().find(|k| map.contains_key(**k)) {
        return Err(format!(
            "{at}/{}: `{keyword}` cannot be written in OpenAPI 3.0",
            escape(keyword)
        ));
    }
    for key in DROPPED_IN_SCHEMAS {
        map.remove(key);
    }
    if let Some(Value::Array(types)) = map.get("type").cloned() {
        let named: Vec<&Value> = types
            .iter()
            .filter(|t| t.as_str() != Some("null"))
            .collect();
        match named.as_slice() {
            [one] => {
                map.insert("type".into(), (*one).clone());
                if named.len() < types.len() {
                    map.insert("nullable".into(), true.into());
                }
            }
            _ => {
                return Err(format!(
                    "{at}/type: {} cannot be written in OpenAPI 3.0 (one type, optionally with null)",
                    Value::Array(types.clone())
                ));
            }
        }
    }
    if map.get("type").and_then(Value::as_str) == Some("null") {
        return Err(format!(
            "{at}/type: a schema of type null alone cannot be written in OpenAPI 3.0"
        ));
    }
    if let Some(examples) = map.remove("examples") {
        match examples {
            Value::Array(examples) => {
                if let Some(first) = examples.into_iter().next() {
                    map.entry("example").or_insert(first);
                }
            }
            _ => return Err(format!("{at}/examples: expected a list of examples")),
        }
    }
    if let Some(value) = map.remove("const") {
        // 3.0's enum says nothing of the type, which generators want.
        let implied = match &value {
            Value::String(_) => Some("string"),
            Value::Bool(_) => Some("boolean"),
            Value::Number(number) if number.is_f64() => Some("number"),
            Value::Number(_) => Some("integer"),
            _ => None,
        };
        if let Some(implied) = implied {
            map.entry("type").or_insert(implied.into());
        }
        map.insert("enum".into(), Value::Array(vec![value]));
    }
    for (bound, limit) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        if let Some(number @ Value::Number(_)) = map.get(bound).cloned() {
            map.insert(limit.into(), number);
            map.insert(bound.into(), true.into());
        }
    }
    for key in ["anyOf", "oneOf"] {
        if let Some(Value::Array(members)) = map.get_mut(key) {
            let before = members.len();
            members.retain(|member| member.get("type").and_then(Value::as_str) != Some("null"));
            if members.len() < before {
                map.insert("nullable".into(), true.into());
            }
        }
    }

    // The schemas inside.
    for key in ["items", "not", "additionalProperties"] {
        if let Some(child) = map.get_mut(key)
            && child.is_object()
        {
            convert_schema(child, &format!("{at}/{key}"))?;
        }
    }
    for key in ["allOf", "anyOf", "oneOf"] {
        if let Some(Value::Array(members)) = map.get_mut(key) {
            for (index, member) in members.iter_mut().enumerate() {
                convert_schema(member, &format!("{at}/{key}/{index}"))?;
            }
        }
    }
    if let Some(Value::Object(properties)) = map.get_mut("properties") {
        for (name, property) in properties.iter_mut() {
            convert_schema(property, &format!("{at}/properties/{}", escape(name)))?;
        }
    }
    Ok(())
}

/// Step 3: each overlay entry merges `merge` (RFC 7396 merge patch: `null`
/// removes a key) into the node at `at`, a JSON pointer that follows `$ref`s
/// on the way, so that entries need not know Linq's schema names.
fn apply_overlay(document: &mut Value, overlay: &Value) -> Result<(), String> {
    let entries = overlay
        .as_array()
        .ok_or("the overlay is a list of {why, at, merge} entries")?;
    for (index, entry) in entries.iter().enumerate() {
        let why = entry["why"].as_str().unwrap_or("");
        if why.trim().is_empty() {
            return Err(format!(
                "overlay entry {index}: every entry says why it exists"
            ));
        }
        let at = entry["at"]
            .as_str()
            .ok_or_else(|| format!("overlay entry {index}: `at` is a JSON pointer"))?;
        let patch = entry
            .get("merge")
            .ok_or_else(|| format!("overlay entry {index}: nothing to `merge`"))?;
        let target = resolve(document, at)
            .ok_or_else(|| format!("overlay entry {index}: {at} is not in the document"))?;
        let node = document
            .pointer_mut(&target)
            .expect("resolve returns pointers that exist");
        merge(node, patch);
    }
    Ok(())
}

/// The concrete pointer `at` leads to, following `$ref`s into the document
/// before each step and at the end. To add a key, point at its parent and
/// merge `{key: value}`.
fn resolve(document: &Value, at: &str) -> Option<String> {
    let follow = |mut concrete: String| {
        // A few levels, so that a reference loop cannot hang.
        for _ in 0..8 {
            match document
                .pointer(&concrete)?
                .get("$ref")
                .and_then(Value::as_str)
            {
                Some(target) => concrete = target.strip_prefix('#')?.to_owned(),
                None => return Some(concrete),
            }
        }
        None
    };
    let mut concrete = String::new();
    for token in at.strip_prefix('/')?.split('/') {
        concrete = format!("{}/{}", follow(concrete)?, token);
        document.pointer(&concrete)?;
    }
    follow(concrete)
}

/// RFC 7396 merge patch.
fn merge(target: &mut Value, patch: &Value) {
    let Value::Object(patch) = patch else {
        *target = patch.clone();
        return;
    };
    if !target.is_object() {
        *target = Value::Object(Map::new());
    }
    let target = target.as_object_mut().expect("made an object above");
    for (key, value) in patch {
        if value.is_null() {
            target.remove(key);
        } else {
            merge(target.entry(key.clone()).or_insert(Value::Null), value);
        }
    }
}

/// The value as YAML with every map's keys in sorted order.
fn sorted(value: &Value) -> serde_yaml::Value {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            let mut out = serde_yaml::Mapping::new();
            for key in keys {
                out.insert(serde_yaml::Value::String(key.clone()), sorted(&map[key]));
            }
            serde_yaml::Value::Mapping(out)
        }
        Value::Array(items) => serde_yaml::Value::Sequence(items.iter().map(sorted).collect()),
        other => serde_yaml::to_value(other).unwrap_or(serde_yaml::Value::Null),
    }
}

fn pointer(tokens: &[&str]) -> String {
    tokens.iter().map(|t| format!("/{}", escape(t))).collect()
}

fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIXTURE: &str = include_str!("../tests/fixtures/published-3.1.yaml");
    const OVERLAY: &str = include_str!("../../spec/overlay.yaml");

    #[test]
    fn a_published_document_becomes_our_spec() {
        let synced = sync_text(FIXTURE, OVERLAY).unwrap();
        insta::assert_snapshot!(synced);
    }

    #[test]
    fn the_synced_spec_is_one_the_generator_reads() {
        let synced = sync_text(FIXTURE, OVERLAY).unwrap();
        let code = crate::generate::generate(synced.as_bytes(), "").unwrap();
        assert!(code.contains("pub async fn remove_participant"));
        assert!(code.contains("pub async fn add_participant"));
    }

    #[test]
    fn syncing_again_changes_nothing() {
        let once = sync_text(FIXTURE, OVERLAY).unwrap();
        assert_eq!(sync_text(FIXTURE, OVERLAY).unwrap(), once);
        let body = once.strip_prefix(HEADER).unwrap();
        assert_eq!(
            sync_text(body, OVERLAY).unwrap(),
            once,
            "the output is a fixed point"
        );
    }

    #[test]
    fn json_input_gives_the_same_spec() {
        let value: Value = serde_yaml::from_str(FIXTURE).unwrap();
        let json = serde_json::to_string(&value).unwrap();
        assert_eq!(
            sync_text(&json, OVERLAY).unwrap(),
            sync_text(FIXTURE, OVERLAY).unwrap()
        );
    }

    #[test]
    fn unconvertible_constructs_name_their_pointer() {
        for (construct, replacement, pointer) in [
            (
                "          type: [string, \"null\"]\n          description: A human-readable summary.",
                "          prefixItems: [{type: string}]\n          description: A human-readable summary.",
                "/components/schemas/ParticipantRemoveResponse/properties/message/prefixItems",
            ),
            (
                "          type: [string, \"null\"]\n          description: A human-readable summary.",
                "          type: [string, integer]\n          description: A human-readable summary.",
                "/components/schemas/ParticipantRemoveResponse/properties/message/type",
            ),
            (
                "$ref: \"#/components/schemas/ParticipantRemoveResponse\"",
                "$ref: \"https://example.com/other.yaml#/Thing\"",
                "/paths/~1v3~1chats~1{chatId}~1participants/delete/responses/202/content/application~1json/schema/$ref",
            ),
        ] {
            assert!(FIXTURE.contains(construct), "{construct}");
            let broken = FIXTURE.replacen(construct, replacement, 1);
            let error = sync_text(&broken, OVERLAY).unwrap_err();
            assert!(error.starts_with(pointer), "{error}");
        }
    }

    #[test]
    fn overlay_entries_must_say_why_and_land_somewhere() {
        let value: Value = serde_yaml::from_str(FIXTURE).unwrap();
        let silent: Value = serde_yaml::from_str("- {at: /info, merge: {x: 1}}").unwrap();
        assert!(sync(&value, &silent).unwrap_err().contains("why"));
        let lost: Value =
            serde_yaml::from_str("- {why: test, at: /components/nowhere/deep, merge: {x: 1}}")
                .unwrap();
        assert!(
            sync(&value, &lost)
                .unwrap_err()
                .contains("/components/nowhere/deep")
        );
    }
}
