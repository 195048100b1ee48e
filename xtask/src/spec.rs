//! Linq's published OpenAPI 3.1 document → our `openapi.yaml` (3.0.3, which
//! is what progenitor reads).
//!
//! 1. Keep the operations this crate covers ([`OPERATIONS`]), everything
//!    they reference (transitively), the security schemes they use, and the
//!    participant webhook schemas.
//! 2. Leave Linq's prose behind: descriptions, summaries, tag documentation,
//!    contact details and `x-` extensions are dropped. Structure and
//!    examples (facts) stay.
//! 3. Convert the 3.1 constructs met on the way: `type` arrays with `null`
//!    become `nullable`, a schema's `examples` becomes `example`, `const` a
//!    one-value enumeration, numeric `exclusiveMinimum`/`exclusiveMaximum` the
//!    3.0 boolean form; `webhooks`, `jsonSchemaDialect`, `$schema` and other
//!    3.1-only keys are dropped. Anything else 3.0 cannot say is an error
//!    naming its JSON pointer.
//! 4. Open every enumeration: Linq adds event types, services, statuses and
//!    error codes every month, and a generated closed enum turns tomorrow's
//!    value into a decoding failure. The values become `x-known-values`, a
//!    record of what the document listed (the wrapper's own enums are
//!    checked against it), and the schema accepts any value of its type. A
//!    `const` is a one-value enumeration and is opened the same way (the
//!    kept operations use no discriminated unions).
//! 5. Apply the overlay (our additions, each with the reason for it), then
//!    our own descriptions (`spec/descriptions.yaml`). A response left
//!    without one gets a neutral `HTTP <status>` (3.0 requires the field).
//! 6. Write YAML with every map's keys sorted, so that the output depends on
//!    the input alone and running it again changes nothing.

use serde_json::{Map, Value};

/// The operations this crate covers, as (path, method).
pub const OPERATIONS: [(&str, &str); 3] = [
    ("/v3/chats/{chatId}", "get"),
    ("/v3/chats/{chatId}/participants", "post"),
    ("/v3/chats/{chatId}/participants", "delete"),
];

/// Keys of a path item that are not operations but apply to all of them.
const PATH_ITEM_SHARED: [&str; 2] = ["parameters", "servers"];

/// Prose keys, dropped wherever they appear outside of example data.
const PROSE: [&str; 3] = ["description", "summary", "externalDocs"];

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
# (the operations the crate covers and what they reference, converted to\n\
# OpenAPI 3.0.3, without Linq's prose), spec/overlay.yaml and\n\
# spec/descriptions.yaml. Do not edit by hand: change those and sync again.\n";

/// The whole conversion, text to text.
pub fn sync_text(document: &str, overlay: &str, descriptions: &str) -> Result<String, String> {
    let document: Value = if document.trim_start().starts_with('{') {
        serde_json::from_str(document).map_err(|e| format!("the document is not JSON: {e}"))?
    } else {
        serde_yaml::from_str(document).map_err(|e| format!("the document is not YAML: {e}"))?
    };
    let overlay: Value =
        serde_yaml::from_str(overlay).map_err(|e| format!("the overlay is not YAML: {e}"))?;
    let descriptions: Value = serde_yaml::from_str(descriptions)
        .map_err(|e| format!("the descriptions are not YAML: {e}"))?;
    let synced = sync(&document, &overlay, &descriptions)?;
    let yaml =
        serde_yaml::to_string(&sorted(&synced)).map_err(|e| format!("cannot write YAML: {e}"))?;
    Ok(format!("{HEADER}{yaml}"))
}

/// Steps 1 to 5 on parsed documents.
pub fn sync(document: &Value, overlay: &Value, descriptions: &Value) -> Result<Value, String> {
    let version = document["openapi"].as_str().unwrap_or("");
    if !(version.starts_with("3.1") || version.starts_with("3.0")) {
        return Err(format!(
            "/openapi: expected 3.1 (or 3.0), found {version:?}"
        ));
    }
    let mut out = extract(document)?;
    drop_prose(&mut out);
    convert_document(&mut out)?;
    apply_overlay(&mut out, overlay)?;
    apply_descriptions(&mut out, descriptions)?;
    describe_bare_responses(&mut out);
    Ok(out)
}

/// Step 1: the covered operations and their transitive references.
fn extract(document: &Value) -> Result<Value, String> {
    let mut out = Map::new();
    out.insert("openapi".into(), "3.0.3".into());
    for key in ["info", "servers", "security"] {
        if let Some(value) = document.get(key) {
            out.insert(key.into(), value.clone());
        }
    }
    let mut paths = Map::new();
    for (path, method) in OPERATIONS {
        let item = document["paths"]
            .get(path)
            .ok_or_else(|| format!("/paths: the document has no {path}"))?;
        let operation = item.get(method).ok_or_else(|| {
            format!(
                "{}: the document has no {method}",
                pointer(&["paths", path])
            )
        })?;
        let kept = paths
            .entry(path.to_owned())
            .or_insert_with(|| Value::Object(Map::new()));
        kept[method] = operation.clone();
        for key in PATH_ITEM_SHARED {
            if let Some(value) = item.get(key) {
                kept[key] = value.clone();
            }
        }
    }
    let paths = Value::Object(paths);

    // References still to copy, as (kind, name) under /components.
    let mut pending: Vec<(String, String)> = Vec::new();
    collect_refs(&paths, "/paths", &mut pending)?;
    for name in WEBHOOK_SCHEMAS {
        if document["components"]["schemas"].get(name).is_some() {
            pending.push(("schemas".into(), name.into()));
        }
    }
    for requirement in security_requirements(document, &paths) {
        pending.push(("securitySchemes".into(), requirement));
    }
    out.insert("tags".into(), tags(&paths));
    out.insert("paths".into(), paths);

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

/// The tags the kept operations use, by name alone (their documentation is
/// Linq's prose, and mostly about other operations).
fn tags(paths: &Value) -> Value {
    let mut names: Vec<&str> = operations(paths)
        .filter_map(|operation| operation["tags"].as_array())
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    names.sort_unstable();
    names.dedup();
    names
        .into_iter()
        .map(|name| serde_json::json!({ "name": name }))
        .collect()
}

/// Every operation object under `paths`.
fn operations(paths: &Value) -> impl Iterator<Item = &Value> {
    paths
        .as_object()
        .into_iter()
        .flat_map(Map::values)
        .filter_map(Value::as_object)
        .flat_map(|item| {
            item.iter()
                .filter(|(key, _)| !PATH_ITEM_SHARED.contains(&key.as_str()))
                .map(|(_, operation)| operation)
        })
}

/// Security schemes named by the document's and the operations' requirements.
fn security_requirements(document: &Value, paths: &Value) -> Vec<String> {
    let mut lists = vec![&document["security"]];
    lists.extend(operations(paths).map(|operation| &operation["security"]));
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

/// Where an opened enumeration's values are kept (step 4).
const KNOWN_VALUES: &str = "x-known-values";

/// Keys whose value is example data, kept as it is.
const DATA: [&str; 5] = ["example", "value", "default", "enum", "const"];

/// Keys whose value maps names (of properties, statuses, media types,
/// components…) to objects: the names are never prose keys.
const NAMED: [&str; 13] = [
    "paths",
    "components",
    "schemas",
    "properties",
    "responses",
    "parameters",
    "requestBodies",
    "securitySchemes",
    "headers",
    "content",
    "encoding",
    "links",
    "callbacks",
];

/// Step 2: Linq's words stay in Linq's document. `info` keeps its title and
/// version; everywhere else descriptions, summaries, external documentation
/// and `x-` extensions go, except inside example data.
fn drop_prose(document: &mut Value) {
    if let Some(info) = document.get_mut("info").and_then(Value::as_object_mut) {
        info.retain(|key, _| key == "title" || key == "version");
    }
    for key in ["servers", "paths", "components"] {
        if let Some(value) = document.get_mut(key) {
            strip_prose(value, key == "paths" || key == "components");
        }
    }
}

/// Removes prose keys from the objects under `value`. When `names` is true,
/// `value`'s own keys are names, not keywords, and only its values are
/// stripped.
fn strip_prose(value: &mut Value, names: bool) {
    match value {
        Value::Object(map) => {
            if !names {
                map.retain(|key, _| {
                    !PROSE.contains(&key.as_str())
                        && (!key.starts_with("x-") || key == KNOWN_VALUES)
                });
            }
            for (key, child) in map.iter_mut() {
                if names {
                    strip_prose(child, false);
                } else if DATA.contains(&key.as_str()) {
                    continue;
                } else if key == "examples" {
                    // A schema's `examples` is a list of data; a media
                    // type's, a map of named example objects.
                    if child.is_object() {
                        strip_prose(child, true);
                    }
                } else {
                    strip_prose(child, NAMED.contains(&key.as_str()));
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| strip_prose(item, false)),
        _ => {}
    }
}

/// Step 3 for the whole kept document.
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
    // Step 4: an enumeration (or a `const`, a one-value enumeration) becomes
    // a record of the values known today.
    if let Some(value) = map.remove("const") {
        // The type the value implies, which generators want.
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
    if let Some(Value::Array(values)) = map.remove("enum") {
        let known: Vec<Value> = values.into_iter().filter(|v| !v.is_null()).collect();
        map.insert(KNOWN_VALUES.into(), Value::Array(known));
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

/// Step 5: each overlay entry merges `merge` (RFC 7396 merge patch: `null`
/// removes a key) into the node at `at`, a JSON pointer that follows `$ref`s
/// on the way, so that entries need not know Linq's schema names. A `$ref`
/// inside `merge` may point anywhere the same way; it is written as the
/// component it leads to.
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
        let mut patch = patch.clone();
        concrete_refs(document, &mut patch)
            .map_err(|reason| format!("overlay entry {index}: {reason}"))?;
        let target = resolve(document, at)
            .ok_or_else(|| format!("overlay entry {index}: {at} is not in the document"))?;
        let node = document
            .pointer_mut(&target)
            .expect("resolve returns pointers that exist");
        merge(node, &patch);
    }
    Ok(())
}

/// Rewrites each `$ref` in `patch` as the component it leads to.
fn concrete_refs(document: &Value, patch: &mut Value) -> Result<(), String> {
    match patch {
        Value::Object(map) => {
            if let Some(Value::String(target)) = map.get_mut("$ref") {
                let concrete = target
                    .strip_prefix('#')
                    .and_then(|at| resolve(document, at))
                    .filter(|at| at.starts_with("/components/"))
                    .ok_or_else(|| format!("$ref {target} does not lead to a component"))?;
                *target = format!("#{concrete}");
            }
            map.values_mut()
                .try_for_each(|child| concrete_refs(document, child))
        }
        Value::Array(items) => items
            .iter_mut()
            .try_for_each(|child| concrete_refs(document, child)),
        _ => Ok(()),
    }
}

/// Step 5, continued: our own descriptions, a map from JSON pointers (which
/// follow `$ref`s, as the overlay's do) to text. Each must land.
fn apply_descriptions(document: &mut Value, descriptions: &Value) -> Result<(), String> {
    let Some(entries) = descriptions.as_object() else {
        return if descriptions.is_null() {
            Ok(())
        } else {
            Err("the descriptions are a map from JSON pointers to text".into())
        };
    };
    for (at, text) in entries {
        let text = text
            .as_str()
            .ok_or_else(|| format!("descriptions: {at} is not text"))?;
        let target = resolve(document, at)
            .ok_or_else(|| format!("descriptions: {at} is not in the document"))?;
        match document.pointer_mut(&target) {
            Some(Value::Object(node)) => {
                node.insert("description".into(), text.into());
            }
            _ => return Err(format!("descriptions: {at} is not an object")),
        }
    }
    Ok(())
}

/// OpenAPI 3.0 requires a response's description: one we did not describe
/// gets a neutral one.
fn describe_bare_responses(document: &mut Value) {
    let bare = |text: String, response: &mut Value| {
        if let Some(response) = response.as_object_mut()
            && !response.contains_key("$ref")
        {
            response.entry("description").or_insert(text.into());
        }
    };
    if let Some(paths) = document.get_mut("paths").and_then(Value::as_object_mut) {
        for item in paths.values_mut().filter_map(Value::as_object_mut) {
            for (key, operation) in item.iter_mut() {
                if PATH_ITEM_SHARED.contains(&key.as_str()) {
                    continue;
                }
                if let Some(responses) = operation
                    .get_mut("responses")
                    .and_then(Value::as_object_mut)
                {
                    responses
                        .iter_mut()
                        .for_each(|(status, r)| bare(format!("HTTP {status}"), r));
                }
            }
        }
    }
    if let Some(responses) = document
        .pointer_mut("/components/responses")
        .and_then(Value::as_object_mut)
    {
        responses
            .iter_mut()
            .for_each(|(name, r)| bare(format!("The {name} answer"), r));
    }
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
    const DESCRIPTIONS: &str = include_str!("../../spec/descriptions.yaml");

    #[test]
    fn a_published_document_becomes_our_spec() {
        let synced = sync_text(FIXTURE, OVERLAY, DESCRIPTIONS).unwrap();
        insta::assert_snapshot!(synced);
    }

    #[test]
    fn the_synced_spec_is_one_the_generator_reads() {
        let synced = sync_text(FIXTURE, OVERLAY, DESCRIPTIONS).unwrap();
        let code = crate::generate::generate(synced.as_bytes(), "").unwrap();
        for operation in ["get_chat", "add_participant", "remove_participant"] {
            assert!(
                code.contains(&format!("pub fn {operation}(")),
                "{operation}"
            );
        }
        assert!(!code.contains("update_chat"), "only the covered operations");
    }

    #[test]
    fn syncing_again_changes_nothing() {
        let once = sync_text(FIXTURE, OVERLAY, DESCRIPTIONS).unwrap();
        assert_eq!(sync_text(FIXTURE, OVERLAY, DESCRIPTIONS).unwrap(), once);
        let body = once.strip_prefix(HEADER).unwrap();
        assert_eq!(
            sync_text(body, OVERLAY, DESCRIPTIONS).unwrap(),
            once,
            "the output is a fixed point"
        );
    }

    #[test]
    fn json_input_gives_the_same_spec() {
        let value: Value = serde_yaml::from_str(FIXTURE).unwrap();
        let json = serde_json::to_string(&value).unwrap();
        assert_eq!(
            sync_text(&json, OVERLAY, DESCRIPTIONS).unwrap(),
            sync_text(FIXTURE, OVERLAY, DESCRIPTIONS).unwrap()
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
            let error = sync_text(&broken, OVERLAY, DESCRIPTIONS).unwrap_err();
            assert!(error.starts_with(pointer), "{error}");
        }
    }

    #[test]
    fn overlay_entries_must_say_why_and_land_somewhere() {
        let value: Value = serde_yaml::from_str(FIXTURE).unwrap();
        let silent: Value = serde_yaml::from_str("- {at: /info, merge: {x: 1}}").unwrap();
        assert!(
            sync(&value, &silent, &Value::Null)
                .unwrap_err()
                .contains("why")
        );
        let lost: Value =
            serde_yaml::from_str("- {why: test, at: /components/nowhere/deep, merge: {x: 1}}")
                .unwrap();
        assert!(
            sync(&value, &lost, &Value::Null)
                .unwrap_err()
                .contains("/components/nowhere/deep")
        );
    }
}
