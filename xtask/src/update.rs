//! `cargo xtask spec update SOURCE [--summary FILE]`: the whole loop for a
//! new Linq document, the same on a maintainer's laptop and in the scheduled
//! job. Sync `openapi.yaml`, regenerate the raw client, run the tests with
//! changed snapshots accepted (they become ordinary diffs in the pull
//! request), run the test command again as CI does, and end with a summary:
//! the API change in words, then whether each step passed.
//!
//! Linq's operations outside the crate's slice are listed in
//! `spec/linq-operations.txt` (method, path and id only, no prose), so that
//! the next update can say which operations Linq added or removed.

use std::{collections::BTreeSet, fmt::Write as _, fs, path::Path, process::Command};

use serde_json::Value;

use crate::{codegen, diff, source, sync_document};

/// The features the test command builds with (see `scripts/test`).
const FEATURES: &str =
    "linq-partner/codegen,linq-partner/schemars,linq-partner/webhooks,linq-partner/test-util";
const OPERATIONS_FILE: &str = "spec/linq-operations.txt";

/// One step of the loop.
type Step<'a> = dyn Fn() -> Result<(), String> + 'a;

pub fn update(root: &Path, input: &str, summary_file: Option<&Path>) -> Result<(), String> {
    let spec_path = root.join("openapi.yaml");
    let old_spec = fs::read_to_string(&spec_path).unwrap_or_default();
    let old_operations = fs::read_to_string(root.join(OPERATIONS_FILE)).unwrap_or_default();

    // Fetched once: the sync and the list of Linq's operations read the
    // same document.
    let (text, document) = source::load_parsed(input)?;
    let operations = operation_list(&document);
    let spec_changed = sync_document(&text, &[])?;
    fs::write(root.join(OPERATIONS_FILE), &operations)
        .map_err(|e| format!("cannot write {OPERATIONS_FILE}: {e}"))?;
    let new_spec = fs::read_to_string(&spec_path)
        .map_err(|e| format!("cannot read {}: {e}", spec_path.display()))?;

    let mut summary = String::from("# Linq's API document changed\n\n");
    let _ = writeln!(summary, "Source: `{input}`\n");
    let old = source::parse("the previous openapi.yaml", &old_spec);
    let new = source::parse("the new openapi.yaml", &new_spec)?;
    match old {
        Ok(old) => summary.push_str(&diff::summary(&old, &new)),
        Err(_) => summary.push_str("(no previous openapi.yaml to compare with)\n\n"),
    }
    summary.push_str(&operations_changed(&old_operations, &operations));

    let mut failed = false;
    summary.push_str("## Build and tests\n\n");
    if !spec_changed {
        summary.push_str("- `openapi.yaml` is unchanged: nothing to regenerate or test\n");
    } else {
        let steps: [(&str, &Step); 3] = [
            ("regenerate the raw client (`cargo xtask codegen`)", &|| {
                codegen(false)
            }),
            (
                "tests, changed snapshots accepted (`cargo insta test --accept`)",
                &|| {
                    run(
                        root,
                        "cargo",
                        &[
                            "insta",
                            "test",
                            "--workspace",
                            "--features",
                            FEATURES,
                            "--accept",
                            "--unreferenced=delete",
                        ],
                    )
                },
            ),
            ("the test command, as CI runs it (`scripts/test`)", &|| {
                run(root, "./scripts/test", &[])
            }),
        ];
        for (step, action) in steps {
            if failed {
                let _ = writeln!(summary, "- {step}: not run");
                continue;
            }
            match action() {
                Ok(()) => {
                    let _ = writeln!(summary, "- {step}: passed");
                }
                Err(why) => {
                    failed = true;
                    let _ = writeln!(summary, "- {step}: **failed** ({why})");
                }
            }
        }
        let snapshots = changed_snapshots(root);
        if !snapshots.is_empty() {
            let _ = writeln!(
                summary,
                "\nSnapshots changed (review them in this diff, or locally with `cargo insta review`):\n"
            );
            for file in snapshots {
                let _ = writeln!(summary, "- `{file}`");
            }
        }
    }

    print!("{summary}");
    if let Some(file) = summary_file {
        fs::write(file, &summary).map_err(|e| format!("cannot write {}: {e}", file.display()))?;
    }
    if failed {
        return Err("the wrapper does not build or pass its tests against the new document".into());
    }
    Ok(())
}

/// `METHOD /path operationId`, one line per operation, sorted.
fn operation_list(document: &Value) -> String {
    let mut lines = BTreeSet::new();
    for (path, item) in document["paths"].as_object().into_iter().flatten() {
        for (method, operation) in item.as_object().into_iter().flatten() {
            if let Some(id) = operation.get("operationId").and_then(Value::as_str) {
                lines.insert(format!("{} {path} {id}", method.to_uppercase()));
            }
        }
    }
    lines.into_iter().map(|line| line + "\n").collect()
}

fn operations_changed(old: &str, new: &str) -> String {
    let old: BTreeSet<&str> = old.lines().collect();
    let new: BTreeSet<&str> = new.lines().collect();
    let mut out = String::new();
    for line in new.difference(&old) {
        let _ = writeln!(out, "- Linq added: {line}");
    }
    for line in old.difference(&new) {
        let _ = writeln!(out, "- Linq removed: {line}");
    }
    if out.is_empty() {
        return out;
    }
    format!("## Linq's operations\n\n{out}\n")
}

fn run(root: &Path, program: &str, args: &[&str]) -> Result<(), String> {
    let status = Command::new(program)
        .args(args)
        .current_dir(root)
        .status()
        .map_err(|e| format!("cannot run {program}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!(
            "`{program} {}` exited with {status}",
            args.join(" ")
        ))
    }
}

/// Snapshot files the work tree changed, added or deleted.
fn changed_snapshots(root: &Path) -> Vec<String> {
    let Ok(output) = Command::new("git")
        .args(["status", "--porcelain", "--", "*.snap"])
        .current_dir(root)
        .output()
    else {
        return Vec::new();
    };
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| line.get(3..).map(str::to_owned))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operations_added_and_removed_are_named() {
        let old = "GET /v3/chats/{chatId} getChat\nPOST /v3/old old\n";
        let new = "GET /v3/chats/{chatId} getChat\nPOST /v3/chats/{chatId}/leave leaveChat\n";
        assert_eq!(
            operations_changed(old, new),
            "## Linq's operations\n\n- Linq added: POST /v3/chats/{chatId}/leave leaveChat\n\
             - Linq removed: POST /v3/old old\n\n"
        );
        assert_eq!(operations_changed(new, new), "");
    }
}
