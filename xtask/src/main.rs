//! Contributor tasks, run as `cargo xtask …` (an alias in `.cargo/config.toml`):
//!
//! - `cargo xtask codegen` regenerates `generated/participants.rs` from
//!   `openapi.yaml`; `cargo xtask codegen --check` fails, with the diff, when
//!   the committed copy is not what the generator makes.
//! - `cargo xtask spec sync LINQ_SPEC [--overlay FILE] [--descriptions FILE]
//!   [--out FILE]` writes `openapi.yaml` from Linq's published OpenAPI 3.1
//!   document (YAML or JSON): the operations the crate covers and what they
//!   reference, converted to OpenAPI 3.0.3 without Linq's prose, with
//!   `spec/overlay.yaml` and `spec/descriptions.yaml` applied.
//! - `cargo xtask drill [FIXTURE]` rehearses Linq's next release: syncs a
//!   fixture document that carries every change the wrapper must survive
//!   into a scratch copy of the workspace, regenerates, and builds the SDK,
//!   the local server and the quickstart there.
//!
//! Neither `codegen` nor `spec sync` compiles the SDK, so a spec change that breaks the wrapper can
//! still be regenerated and reviewed.

mod drill;
#[path = "../../build/fingerprint.rs"]
#[allow(dead_code)]
mod fingerprint;
#[path = "../../build/generate.rs"]
mod generate;
mod spec;

use std::{
    fs,
    path::{Path, PathBuf},
    process::ExitCode,
};

const USAGE: &str = "usage: cargo xtask codegen [--check]
       cargo xtask spec sync LINQ_SPEC.(yaml|json) [--overlay FILE] [--descriptions FILE] [--out FILE]
       cargo xtask drill [FIXTURE]";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let outcome = match args.as_slice() {
        ["codegen"] => codegen(false),
        ["codegen", "--check"] => codegen(true),
        ["spec", "sync", input, options @ ..] => sync(input, options),
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

fn sync(input: &str, options: &[&str]) -> Result<(), String> {
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
    let document = String::from_utf8(read(Path::new(input))?)
        .map_err(|_| format!("{input} is not UTF-8 text"))?;
    let overlay_text = String::from_utf8(read(&overlay)?)
        .map_err(|_| format!("{} is not UTF-8 text", overlay.display()))?;
    let descriptions_text = String::from_utf8(read(&descriptions)?)
        .map_err(|_| format!("{} is not UTF-8 text", descriptions.display()))?;
    let synced = spec::sync_text(&document, &overlay_text, &descriptions_text)?;
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
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

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
