//! Contributor tasks, run as `cargo xtask …` (an alias in `.cargo/config.toml`):
//!
//! - `cargo xtask codegen` regenerates `generated/participants.rs` from
//!   `openapi.yaml`; `cargo xtask codegen --check` fails, with the diff, when
//!   the committed copy is not what the generator makes.
//! - `cargo xtask spec sync SOURCE [--overlay FILE] [--descriptions FILE]
//!   [--out FILE]` writes `openapi.yaml` from Linq's OpenAPI 3.1 document
//!   (YAML or JSON, a file or an http(s) URL): the operations the crate covers and what they
//!   reference, converted to OpenAPI 3.0.3 without Linq's prose, with
//!   `spec/overlay.yaml` and `spec/descriptions.yaml` applied.
//! - `cargo xtask spec diff OLD NEW` says what changed between two OpenAPI
//!   3.x documents (files or URLs), covered operations first.
//! - `cargo xtask spec update SOURCE [--summary FILE]` runs the whole loop
//!   for a new Linq document: sync, regenerate, run the tests accepting
//!   changed snapshots (so that they become ordinary diffs to review), run
//!   the test command again, and summarise the API change and the outcome.
//! - `cargo xtask drill [FIXTURE]` rehearses Linq's next release: syncs a
//!   fixture document that carries every change the wrapper must survive
//!   into a scratch copy of the workspace, regenerates, and builds the SDK,
//!   the local server and the quickstart there.
//!
//! Neither `codegen` nor `spec sync` compiles the SDK, so a spec change that breaks the wrapper can
//! still be regenerated and reviewed.

mod diff;
mod drill;
#[path = "../../build/fingerprint.rs"]
#[allow(dead_code)]
mod fingerprint;
#[path = "../../build/generate.rs"]
mod generate;
mod source;
mod spec;
mod update;

use std::{
    fs,
    path::{Path, PathBuf},
    process::ExitCode,
};

const USAGE: &str = "usage: cargo xtask codegen [--check]
       cargo xtask spec sync (FILE|URL) [--overlay FILE] [--descriptions FILE] [--out FILE]
       cargo xtask spec diff (OLD_FILE|URL) (NEW_FILE|URL)
       cargo xtask spec update (FILE|URL) [--summary FILE]
       cargo xtask drill [FIXTURE]";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let outcome = match args.as_slice() {
        ["codegen"] => codegen(false),
        ["codegen", "--check"] => codegen(true),
        ["spec", "sync", input, options @ ..] => sync(input, options).map(|_| ()),
        ["spec", "diff", old, new] => spec_diff(old, new),
        ["spec", "update", input] => update::update(&root(), input, None),
        ["spec", "update", input, "--summary", file] => {
            update::update(&root(), input, Some(Path::new(file)))
        }
        ["drill"] => drill::drill(&root(), &root().join(drill::FIXTURE)),
        ["drill", fixture] => drill::drill(&root(), Path::new(fixture)),
        _ => Err(USAGE.to_owned()),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root, where `openapi.yaml` lives.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_path_buf()
}

fn read(path: &Path) -> Result<Vec<u8>, String> {
    fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

fn spec_diff(old: &str, new: &str) -> Result<(), String> {
    let (_, old) = source::load_parsed(old)?;
    let (_, new) = source::load_parsed(new)?;
    print!("{}", diff::summary(&old, &new));
    Ok(())
}

fn codegen(check: bool) -> Result<(), String> {
    let root = root();
    let spec = read(&root.join("openapi.yaml"))?;
    let generator = read(&root.join("build/generate.rs"))?;
    let code = generate::generate(&spec, &fingerprint::header(&spec, &generator))?;
    let path = root.join("generated/participants.rs");
    let committed = fs::read_to_string(&path).unwrap_or_default();
    if committed == code {
        println!("generated/participants.rs is up to date");
        return Ok(());
    }
    if check {
        let diff = similar::TextDiff::from_lines(&committed, &code)
            .unified_diff()
            .context_radius(3)
            .header("generated/participants.rs (committed)", "generator output")
            .to_string();
        return Err(format!(
            "generated/participants.rs is not what the generator makes from openapi.yaml.\n\
             Run `{}`, review the diff and commit it:\n\n{diff}",
            fingerprint::REFRESH
        ));
    }
    fs::write(&path, code).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    println!("wrote generated/participants.rs; review its diff");
    Ok(())
}

/// Syncs `openapi.yaml` from `input`; says whether it changed.
fn sync(input: &str, options: &[&str]) -> Result<bool, String> {
    sync_document(&source::load(input)?, options)
}

/// Syncs `openapi.yaml` from a document already loaded; says whether it
/// changed.
fn sync_document(document: &str, options: &[&str]) -> Result<bool, String> {
    let root = root();
    let mut overlay = root.join("spec/overlay.yaml");
    let mut descriptions = root.join("spec/descriptions.yaml");
    let mut out = root.join("openapi.yaml");
    let mut rest = options.iter();
    while let Some(option) = rest.next() {
        let value = rest
            .next()
            .ok_or_else(|| format!("{option} needs a value\n{USAGE}"))?;
        match *option {
            "--overlay" => overlay = PathBuf::from(value),
            "--descriptions" => descriptions = PathBuf::from(value),
            "--out" => out = PathBuf::from(value),
            other => return Err(format!("unknown option {other}\n{USAGE}")),
        }
    }
    let overlay_text = String::from_utf8(read(&overlay)?)
        .map_err(|_| format!("{} is not UTF-8 text", overlay.display()))?;
    let descriptions_text = String::from_utf8(read(&descriptions)?)
        .map_err(|_| format!("{} is not UTF-8 text", descriptions.display()))?;
    let synced = spec::sync_text(document, &overlay_text, &descriptions_text)?;
    let unchanged = fs::read_to_string(&out).is_ok_and(|old| old == synced);
    fs::write(&out, synced).map_err(|e| format!("cannot write {}: {e}", out.display()))?;
    if unchanged {
        println!("{} is unchanged", out.display());
    } else {
        println!(
            "wrote {}; now run `cargo xtask codegen` and the tests, and review all three diffs",
            out.display()
        );
    }
    Ok(!unchanged)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sync_reads_a_url_as_it_reads_a_file() {
        let fixture = root().join("xtask/tests/fixtures/published-3.1.yaml");
        let url = source::tests::serve(
            200,
            "application/yaml",
            fs::read_to_string(&fixture).unwrap(),
        );
        let scratch = std::env::temp_dir().join(format!("xtask-sync-{}", std::process::id()));
        fs::create_dir_all(&scratch).unwrap();
        let (from_file, from_url) = (scratch.join("file.yaml"), scratch.join("url.yaml"));
        let out = |path: &Path| path.to_str().unwrap().to_owned();
        sync(fixture.to_str().unwrap(), &["--out", &out(&from_file)]).unwrap();
        sync(&format!("{url}/openapi.yaml"), &["--out", &out(&from_url)]).unwrap();
        let synced = fs::read_to_string(&from_url).unwrap();
        assert!(
            synced.contains("operationId: removeParticipant"),
            "{synced}"
        );
        assert_eq!(fs::read(&from_file).unwrap(), synced.as_bytes());
        let _ = fs::remove_dir_all(&scratch);
    }

    /// The default build runs `fingerprint::check` (see build.rs): a spec
    /// edited without regenerating fails it, naming the refresh command.
    #[test]
    fn a_spec_edit_without_regeneration_is_refused() {
        let root = root();
        let spec = read(&root.join("openapi.yaml")).unwrap();
        let generator = read(&root.join("build/generate.rs")).unwrap();
        let committed = fs::read_to_string(root.join("generated/participants.rs")).unwrap();
        fingerprint::check(&spec, &generator, &committed).expect("the committed copy is current");

        let mut edited = spec.clone();
        edited.extend_from_slice(b"\n# an edit\n");
        let error = fingerprint::check(&edited, &generator, &committed).unwrap_err();
        assert!(error.contains("cargo xtask codegen"), "{error}");

        let mut retuned = generator.clone();
        retuned.extend_from_slice(b"\n// a changed setting\n");
        assert!(fingerprint::check(&spec, &retuned, &committed).is_err());
    }
}
