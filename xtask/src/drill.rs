//! `cargo xtask drill`: rehearses Linq's next release. A scratch copy of the
//! workspace (the files git tracks) gets the spec synced from a fixture
//! document that carries every kind of change the wrapper promises to
//! survive, and the raw client regenerated from it; then the SDK (default
//! features and `webhooks`), the local server and the quickstart must
//! compile there unchanged. The build cache of this workspace is reused, so
//! only the workspace's own crates are compiled again.

use std::{
    fs,
    path::{Path, PathBuf},
    process::Command,
};

use crate::{fingerprint, generate, read, spec};

/// The fixture used when none is named.
pub const FIXTURE: &str = "xtask/tests/fixtures/next-release.yaml";

/// What must hold of the code generated from the fixture, so that the drill
/// cannot pass by regenerating nothing: (needle, present, why).
const GENERATED: [(&str, bool, &str); 4] = [
    ("pub fn notify<", true, "the new query parameter on add"),
    ("pub fn idempotency_key<", true, "the new header on remove"),
    ("pub line_type:", true, "the participant's new field"),
    ("AddParticipantRequest", false, "the renamed request schema"),
];

/// The cargo invocations that must succeed in the scratch workspace.
const BUILDS: [&[&str]; 4] = [
    &["check", "--locked", "-p", "linq-partner"],
    &[
        "check",
        "--locked",
        "-p",
        "linq-partner",
        "--features",
        "webhooks",
    ],
    &["check", "--locked", "-p", "linq-local"],
    &["check", "--locked", "-p", "linq-quickstart"],
];

pub fn drill(root: &Path, fixture: &Path) -> Result<(), String> {
    let scratch = root.join("target/drill");
    if scratch.exists() {
        fs::remove_dir_all(&scratch)
            .map_err(|e| format!("cannot clear {}: {e}", scratch.display()))?;
    }
    copy_tracked(root, &scratch)?;

    let text = |path: &Path| {
        String::from_utf8(read(path)?).map_err(|_| format!("{} is not UTF-8", path.display()))
    };
    let synced = spec::sync_text(
        &text(fixture)?,
        &text(&scratch.join("spec/overlay.yaml"))?,
        &text(&scratch.join("spec/descriptions.yaml"))?,
    )?;
    if synced == text(&root.join("openapi.yaml"))? {
        return Err("the fixture syncs to the committed spec: it rehearses nothing".into());
    }
    write(&scratch.join("openapi.yaml"), synced.as_bytes())?;
    let generator = read(&scratch.join("build/generate.rs"))?;
    let code = generate::generate(
        synced.as_bytes(),
        &fingerprint::header(synced.as_bytes(), &generator),
    )?;
    for (needle, present, why) in GENERATED {
        if code.contains(needle) != present {
            return Err(format!(
                "the generated client {} `{needle}` ({why}): is the fixture still the rehearsal?",
                if present { "lacks" } else { "still has" }
            ));
        }
    }
    write(&scratch.join("generated/participants.rs"), code.as_bytes())?;
    println!(
        "drill: synced {} into {}",
        fixture.display(),
        scratch.display()
    );

    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    for args in BUILDS {
        println!("drill: cargo {}", args.join(" "));
        let status = Command::new(&cargo)
            .args(args)
            .current_dir(&scratch)
            .env("CARGO_TARGET_DIR", root.join("target"))
            .status()
            .map_err(|e| format!("cannot run cargo: {e}"))?;
        if !status.success() {
            return Err(format!(
                "`cargo {}` failed against the next release: a hand-written line depends on \
                 something the release changed",
                args.join(" ")
            ));
        }
    }
    println!("drill: the SDK, the local server and the quickstart build against the next release");
    Ok(())
}

/// Copies the files git tracks (the checkout as committed, plus edits) into
/// `to`.
fn copy_tracked(root: &Path, to: &Path) -> Result<(), String> {
    let listed = Command::new("git")
        .args(["ls-files", "-z"])
        .current_dir(root)
        .output()
        .map_err(|e| format!("cannot run git ls-files: {e}"))?;
    if !listed.status.success() {
        return Err("git ls-files failed: the drill copies the files git tracks".into());
    }
    for name in listed
        .stdout
        .split(|byte| *byte == 0)
        .filter(|n| !n.is_empty())
    {
        let name = PathBuf::from(String::from_utf8_lossy(name).into_owned());
        let from = root.join(&name);
        if !from.is_file() {
            continue; // deleted in the work tree
        }
        let target = to.join(&name);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        fs::copy(&from, &target).map_err(|e| format!("cannot copy {}: {e}", from.display()))?;
    }
    Ok(())
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), String> {
    fs::write(path, bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))
}
