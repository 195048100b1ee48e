//! `cargo xtask spec diff OLD NEW`: the API change between two OpenAPI 3.x
//! documents, in words a reviewer reads in a minute. The operations this
//! crate covers come first, field by field; then the operations added or
//! removed elsewhere, and the values enumerations gained or lost.
//!
//! Schemas are read as far as a reviewer needs: `$ref`s resolved within the
//! document, `allOf` merged, `oneOf`/`anyOf` branches read as optional,
//! nested objects and list items to three levels. Enumerations are read
//! from `enum`, `const` or `x-known-values` (what `spec sync` turns them
//! into), so a synced spec and Linq's own document compare alike.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::spec::OPERATIONS;

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "patch", "options", "head", "trace",
];
const DEPTH: usize = 3;

/// What one operation says, flattened for comparison.
#[derive(Default)]
struct Operation {
    id: String,
    /// `in name` → required.
    parameters: BTreeMap<String, bool>,
    /// Request body field path → required.
    request: BTreeMap<String, bool>,
    /// Status → response body field path → required.
    responses: BTreeMap<String, BTreeMap<String, bool>>,
}

/// The whole change, as text (Markdown).
pub fn summary(old: &Value, new: &Value) -> String {
    let (before, after) = (operations(old), operations(new));
    let covered: BTreeSet<String> = OPERATIONS
        .iter()
        .map(|(path, method)| format!("{} {path}", method.to_uppercase()))
        .collect();
    let mut out = String::new();

    let mut lines = Vec::new();
    for key in &covered {
        match (before.get(key), after.get(key)) {
            (Some(old), Some(new)) => {
                let changes = compare(old, new);
                if !changes.is_empty() {
                    if !lines.is_empty() {
                        lines.push(String::new());
                    }
                    lines.push(format!("### {key} ({})\n", new.id));
                    lines.extend(changes);
                }
            }
            (Some(old), None) => lines.push(format!("### {key} ({}): **removed**", old.id)),
            (None, Some(new)) => lines.push(format!("### {key} ({}): added", new.id)),
            (None, None) => {}
        }
    }
    section(&mut out, "Operations this crate covers", lines);

    let mut lines = Vec::new();
    for (key, op) in &after {
        if !covered.contains(key) && !before.contains_key(key) {
            lines.push(format!("- added: {key} ({})", op.id));
        }
    }
    for (key, op) in &before {
        if !covered.contains(key) && !after.contains_key(key) {
            lines.push(format!("- removed: {key} ({})", op.id));
        }
    }
    for (key, new) in &after {
        if let Some(old) = before.get(key).filter(|_| !covered.contains(key)) {
            let changes = compare(old, new);
            if !changes.is_empty() {
                lines.push(format!(
                    "- changed: {key} ({}), {} changes",
                    new.id,
                    changes.len()
                ));
            }
        }
    }
    section(&mut out, "Other operations", lines);

    let (old_enums, new_enums) = (enumerations(old), enumerations(new));
    let mut lines = Vec::new();
    for (at, values) in &new_enums {
        let had = old_enums.get(at);
        let added: Vec<_> = values
            .iter()
            .filter(|v| had.is_none_or(|h| !h.contains(*v)))
            .collect();
        let removed: Vec<_> = had
            .map(|h| h.iter().filter(|v| !values.contains(*v)).collect())
            .unwrap_or_default();
        if had.is_some() && (!added.is_empty() || !removed.is_empty()) {
            lines.push(format!(
                "- `{at}`:{}{}",
                listed(" added", &added),
                listed(" removed", &removed)
            ));
        }
    }
    section(&mut out, "Enumerations", lines);

    if out.is_empty() {
        out.push_str("No change to operations, fields, statuses or enumerations.\n");
    }
    out
}

fn section(out: &mut String, title: &str, lines: Vec<String>) {
    if lines.is_empty() {
        return;
    }
    out.push_str(&format!("## {title}\n\n"));
    for line in lines {
        out.push_str(&line);
        out.push('\n');
    }
    out.push('\n');
}

fn listed(what: &str, values: &[&String]) -> String {
    if values.is_empty() {
        return String::new();
    }
    let values: Vec<String> = values.iter().map(|v| format!("`{v}`")).collect();
    format!("{what} {}", values.join(", "))
}

/// The changes of one operation, one line each.
fn compare(old: &Operation, new: &Operation) -> Vec<String> {
    let mut lines = Vec::new();
    fields(&mut lines, "parameter", &old.parameters, &new.parameters);
    fields(&mut lines, "request field", &old.request, &new.request);
    let statuses: BTreeSet<&String> = old.responses.keys().chain(new.responses.keys()).collect();
    for status in statuses {
        match (old.responses.get(status), new.responses.get(status)) {
            (Some(_), None) => lines.push(format!("- documented status removed: {status}")),
            (None, Some(_)) => lines.push(format!("- documented status added: {status}")),
            (Some(old), Some(new)) => {
                fields(&mut lines, &format!("response {status} field"), old, new)
            }
            (None, None) => {}
        }
    }
    lines
}

fn fields(
    lines: &mut Vec<String>,
    what: &str,
    old: &BTreeMap<String, bool>,
    new: &BTreeMap<String, bool>,
) {
    let required = |r: bool| if r { "required" } else { "optional" };
    for (name, now) in new {
        match old.get(name) {
            None => lines.push(format!("- {what} added: `{name}` ({})", required(*now))),
            Some(before) if before != now => lines.push(format!(
                "- {what} `{name}` made {}",
                if *now { "required" } else { "optional" }
            )),
            Some(_) => {}
        }
    }
    for (name, before) in old {
        if !new.contains_key(name) {
            lines.push(format!(
                "- {what} removed: `{name}` (was {})",
                required(*before)
            ));
        }
    }
}

/// Every operation, keyed `METHOD /path`.
fn operations(document: &Value) -> BTreeMap<String, Operation> {
    let mut out = BTreeMap::new();
    let Some(paths) = document["paths"].as_object() else {
        return out;
    };
    for (path, item) in paths {
        let shared = item["parameters"].as_array().cloned().unwrap_or_default();
        for method in METHODS {
            let op = &item[method];
            if !op.is_object() {
                continue;
            }
            let mut operation = Operation {
                id: op["operationId"]
                    .as_str()
                    .unwrap_or("no operationId")
                    .to_owned(),
                ..Operation::default()
            };
            let own = op["parameters"].as_array().cloned().unwrap_or_default();
            for parameter in shared.iter().chain(&own) {
                let parameter = resolve(document, parameter);
                let name = format!(
                    "{} {}",
                    parameter["in"].as_str().unwrap_or("?"),
                    parameter["name"].as_str().unwrap_or("?")
                );
                let required = parameter["required"].as_bool().unwrap_or(false);
                operation.parameters.insert(name, required);
            }
            let body = resolve(document, &op["requestBody"]);
            if let Some(schema) = json_schema(body) {
                flatten(document, schema, "", DEPTH, true, &mut operation.request);
            }
            if let Some(responses) = op["responses"].as_object() {
                for (status, response) in responses {
                    let mut fields = BTreeMap::new();
                    if let Some(schema) = json_schema(resolve(document, response)) {
                        flatten(document, schema, "", DEPTH, true, &mut fields);
                    }
                    operation.responses.insert(status.clone(), fields);
                }
            }
            out.insert(format!("{} {path}", method.to_uppercase()), operation);
        }
    }
    out
}

/// The JSON schema of a request body or response, when it has one.
fn json_schema(body: &Value) -> Option<&Value> {
    let content = body["content"].as_object()?;
    content
        .iter()
        .find(|(media, _)| media.contains("json"))
        .or_else(|| content.iter().next())
        .map(|(_, media)| &media["schema"])
}

/// Follows a local `$ref` (one hop at a time, at most 32).
fn resolve<'a>(document: &'a Value, mut value: &'a Value) -> &'a Value {
    for _ in 0..32 {
        let Some(target) = value["$ref"].as_str().and_then(|r| r.strip_prefix('#')) else {
            return value;
        };
        match document.pointer(target) {
            Some(next) => value = next,
            None => return value,
        }
    }
    value
}

/// Field paths of `schema` (with whether each is required) into `out`.
fn flatten(
    document: &Value,
    schema: &Value,
    prefix: &str,
    depth: usize,
    required_here: bool,
    out: &mut BTreeMap<String, bool>,
) {
    let schema = resolve(document, schema);
    for (key, optional) in [("allOf", false), ("oneOf", true), ("anyOf", true)] {
        for branch in schema[key].as_array().into_iter().flatten() {
            flatten(
                document,
                branch,
                prefix,
                depth,
                required_here && !optional,
                out,
            );
        }
    }
    if let Some(items) = schema.get("items") {
        flatten(
            document,
            items,
            &format!("{prefix}[]"),
            depth,
            required_here,
            out,
        );
    }
    let Some(properties) = schema["properties"].as_object() else {
        return;
    };
    let required: BTreeSet<&str> = schema["required"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    for (name, property) in properties {
        let path = if prefix.is_empty() {
            name.clone()
        } else {
            format!("{prefix}.{name}")
        };
        let is_required = required_here && required.contains(name.as_str());
        out.entry(path.clone())
            .and_modify(|r| *r |= is_required)
            .or_insert(is_required);
        if depth > 1 {
            flatten(document, property, &path, depth - 1, is_required, out);
        }
    }
}

/// Every enumeration in the document's component schemas, keyed
/// `Schema.field` (or `Schema` for an enumeration of its own).
fn enumerations(document: &Value) -> BTreeMap<String, BTreeSet<String>> {
    let mut out = BTreeMap::new();
    if let Some(schemas) = document
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    {
        for (name, schema) in schemas {
            collect_enums(schema, name, DEPTH, &mut out);
        }
    }
    out
}

fn collect_enums(
    schema: &Value,
    at: &str,
    depth: usize,
    out: &mut BTreeMap<String, BTreeSet<String>>,
) {
    // A reference is recorded where it is defined, not at each use.
    if schema.get("$ref").is_some() {
        return;
    }
    let values = schema["enum"]
        .as_array()
        .or_else(|| schema["x-known-values"].as_array())
        .cloned()
        .or_else(|| schema.get("const").map(|c| vec![c.clone()]));
    if let Some(values) = values {
        let shown = values
            .iter()
            .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned));
        out.entry(at.to_owned()).or_default().extend(shown);
    }
    if depth == 0 {
        return;
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        for branch in schema[key].as_array().into_iter().flatten() {
            collect_enums(branch, at, depth - 1, out);
        }
    }
    if let Some(items) = schema.get("items") {
        collect_enums(items, &format!("{at}[]"), depth - 1, out);
    }
    for (name, property) in schema["properties"].as_object().into_iter().flatten() {
        collect_enums(property, &format!("{at}.{name}"), depth - 1, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> Value {
        let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(&path).unwrap();
        crate::source::parse(&path, &text).unwrap()
    }

    #[test]
    fn the_next_release_in_words() {
        let summary = summary(
            &fixture("published-3.1.yaml"),
            &fixture("next-release.yaml"),
        );
        insta::assert_snapshot!(summary);
    }

    #[test]
    fn the_same_document_has_no_change() {
        let document = fixture("published-3.1.yaml");
        assert_eq!(
            summary(&document, &document),
            "No change to operations, fields, statuses or enumerations.\n"
        );
    }
}
