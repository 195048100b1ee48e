//! Generates the raw client from `openapi.yaml` into `OUT_DIR/participants.rs`.
//!
//! The output is formatted with prettyplease so that it reads well and is
//! byte-identical to the reviewed copy in `generated/` (a test checks that).
//! This script writes nowhere but `OUT_DIR`.

use std::{env, fs, path::PathBuf};

use progenitor_impl::{GenerationSettings, Generator, HooksMode, InterfaceStyle, TagStyle};

const SPEC: &str = "openapi.yaml";
const OUTPUT: &str = "participants.rs";

fn main() {
    println!("cargo:rerun-if-changed={SPEC}");
    println!("cargo:rerun-if-changed=build.rs");

    let text =
        fs::read_to_string(SPEC).unwrap_or_else(|e| fail(&format!("cannot read {SPEC}: {e}")));
    let spec: openapiv3::OpenAPI = serde_yaml::from_str(&text)
        .unwrap_or_else(|e| fail(&format!("{SPEC} is not a valid OpenAPI 3.0 document: {e}")));

    let mut settings = GenerationSettings::new();
    settings
        .with_interface(InterfaceStyle::Positional)
        .with_tag(TagStyle::Merged)
        // The wrapper supplies the token, timeouts and the exchange capture
        // through `ClientHooks`; the generated code must not compile without it.
        .with_hooks(HooksMode::Expected)
        .with_inner_type(
            "crate::transport::Exchange"
                .parse::<proc_macro2::TokenStream>()
                .expect("a valid type path"),
        )
        // Lets the public request and response types publish a JSON Schema,
        // so a contract change shows up as a snapshot diff.
        .with_derive("schemars::JsonSchema");

    let mut generator = Generator::new(&settings);
    let tokens = generator
        .generate_tokens(&spec)
        .unwrap_or_else(|e| fail(&format!("progenitor failed on {SPEC}: {e}")));
    let file: syn::File = syn::parse2(tokens)
        .unwrap_or_else(|e| fail(&format!("progenitor produced unparsable code: {e}")));
    let code = format!(
        "// Generated from openapi.yaml by build.rs. Do not edit: change the spec and\n\
         // refresh with `LINQ_REFRESH_GENERATED=1 cargo test --test generated_code`.\n\n{}",
        prettyplease::unparse(&file)
    );

    let out = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR")).join(OUTPUT);
    fs::write(&out, code).unwrap_or_else(|e| fail(&format!("cannot write {}: {e}", out.display())));
}

fn fail(message: &str) -> ! {
    eprintln!("error: {message}");
    std::process::exit(1);
}
