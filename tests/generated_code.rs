//! `generated/participants.rs` must be exactly what progenitor produces from
//! `openapi.yaml`, so that every change of the generated client shows up as a
//! plain diff in review. Only meaningful with the `codegen` feature, which
//! makes `build.rs` run the generator (the test command turns it on).
#![cfg(feature = "codegen")]

use std::{fs, path::Path};

const REFRESH: &str = "cargo xtask codegen";

#[test]
fn committed_copy_matches_the_build_output() {
    let built = fs::read_to_string(Path::new(env!("OUT_DIR")).join("participants.rs"))
        .expect("build.rs wrote its output");
    let committed_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("generated/participants.rs");

    let committed = fs::read_to_string(&committed_path).unwrap_or_default();
    if committed != built {
        let diff = similar::TextDiff::from_lines(&committed, &built)
            .unified_diff()
            .context_radius(3)
            .header(
                "generated/participants.rs (committed)",
                "build output (from openapi.yaml)",
            )
            .to_string();
        panic!(
            "generated/participants.rs is out of date with openapi.yaml.\n\
             Refresh it with:\n\n    {REFRESH}\n\nthen review and commit the diff:\n\n{diff}"
        );
    }
}
