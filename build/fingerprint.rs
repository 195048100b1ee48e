//! What ties `generated/participants.rs` to its inputs: a fingerprint of the
//! spec and of the generator's source (its pinned version and settings),
//! recorded in the file's first line. Shared, as source, by `build.rs` and
//! `cargo xtask codegen`; standard library only.

/// The command that regenerates the committed client.
pub const REFRESH: &str = "cargo xtask codegen";

/// FNV-1a over the spec, then the generator's source, line endings
/// normalised so that a checkout that converts them still matches.
pub fn fingerprint(spec: &[u8], generator: &[u8]) -> String {
    let hash = spec
        .iter()
        .chain(b"\0generator\0")
        .chain(generator)
        .filter(|&&byte| byte != b'\r')
        .fold(0xcbf2_9ce4_8422_2325_u64, |hash, &byte| {
            (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
        });
    format!("{hash:016x}")
}

/// The first lines of the generated file.
pub fn header(spec: &[u8], generator: &[u8]) -> String {
    format!(
        "// Generated from openapi.yaml by `{REFRESH}` (fingerprint {} of the spec and\n\
         // the generator's version and settings). Do not edit: change the spec, then run it again.\n\n",
        fingerprint(spec, generator)
    )
}

/// Whether `generated` was made from this spec by this generator; the error
/// says how to refresh it.
pub fn check(spec: &[u8], generator: &[u8], generated: &str) -> Result<(), String> {
    if generated
        .replace('\r', "")
        .starts_with(&header(spec, generator))
    {
        Ok(())
    } else {
        Err(format!(
            "generated/participants.rs was not generated from this openapi.yaml with this \
             generator (version or settings in build/generate.rs).\n\
             Regenerate it with `{REFRESH}`, review the diff, and commit both."
        ))
    }
}
