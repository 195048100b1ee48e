//! The generator's version and settings: progenitor over `openapi.yaml`,
//! formatted with prettyplease. Shared, as source, by `build.rs` (with the
//! `codegen` feature) and `cargo xtask codegen`; its text is part of the
//! fingerprint, so changing a setting here makes the committed copy stale.
//!
//! Generator: progenitor-impl =0.15.1 (pinned in both manifests).

use progenitor_impl::{GenerationSettings, Generator, HooksMode, InterfaceStyle, TagStyle};

/// The raw client's source for `spec`, after `header`.
pub fn generate(spec: &[u8], header: &str) -> Result<String, String> {
    let spec: openapiv3::OpenAPI = serde_yaml::from_slice(spec)
        .map_err(|e| format!("openapi.yaml is not a valid OpenAPI 3.0 document: {e}"))?;

    let mut settings = GenerationSettings::new();
    settings
        .with_interface(InterfaceStyle::Builder)
        .with_tag(TagStyle::Merged)
        // The wrapper supplies the token, timeouts and the wire record
        // through `ClientHooks`; the generated code must not compile without it.
        .with_hooks(HooksMode::Expected)
        .with_inner_type(
            "crate::exchange::Exchange"
                .parse::<proc_macro2::TokenStream>()
                .map_err(|e| format!("the inner type is not a type path: {e}"))?,
        );

    let mut generator = Generator::new(&settings);
    let tokens = generator
        .generate_tokens(&spec)
        .map_err(|e| format!("progenitor failed on openapi.yaml: {e}"))?;
    let file: syn::File =
        syn::parse2(tokens).map_err(|e| format!("progenitor produced unparsable code: {e}"))?;
    Ok(format!("{header}{}", prettyplease::unparse(&file)))
}
