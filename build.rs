//! Ties the raw client to the spec.
//!
//! Without the `codegen` feature (what users build) it only checks that the
//! committed `generated/participants.rs`, which the crate compiles in place,
//! was made from this `openapi.yaml` by this generator, and fails the build
//! with the refresh command otherwise. With `codegen` it runs the generator
//! into `OUT_DIR`, which the crate then compiles instead, and a test checks
//! that it matches the committed copy.
//!
//! This script writes nowhere but `OUT_DIR`.

use std::fs;

#[path = "build/fingerprint.rs"]
#[allow(dead_code)]
mod fingerprint;
#[cfg(feature = "codegen")]
#[path = "build/generate.rs"]
mod generate;

const SPEC: &str = "openapi.yaml";
const GENERATOR: &str = "build/generate.rs";
const COMMITTED: &str = "generated/participants.rs";

fn main() {
    for input in [
        SPEC,
        GENERATOR,
        COMMITTED,
        "build/fingerprint.rs",
        "build.rs",
    ] {
        println!("cargo:rerun-if-changed={input}");
    }
    let spec = read(SPEC);
    let generator = read(GENERATOR);
    let header = fingerprint::header(&spec, &generator);

    #[cfg(feature = "codegen")]
    {
        let code = generate::generate(&spec, &header).unwrap_or_else(|e| fail(&e));
        let out =
            std::path::PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"))
                .join("participants.rs");
        fs::write(&out, code)
            .unwrap_or_else(|e| fail(&format!("cannot write {}: {e}", out.display())));
    }
    #[cfg(not(feature = "codegen"))]
    {
        let _ = header;
        let committed = String::from_utf8(read(COMMITTED)).unwrap_or_default();
        if let Err(message) = fingerprint::check(&spec, &generator, &committed) {
            fail(&message);
        }
    }
}

fn read(path: &str) -> Vec<u8> {
    fs::read(path).unwrap_or_else(|e| fail(&format!("cannot read {path}: {e}")))
}

fn fail(message: &str) -> ! {
    eprintln!("error: {message}");
    std::process::exit(1);
}
