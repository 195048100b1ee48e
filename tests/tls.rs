//! With the default TLS feature, the SDK changes no process-wide state and
//! every other reqwest client in the application keeps working, whatever the
//! order in which they are built.
#![cfg(feature = "rustls")]

use linq_partner::{Client, reqwest};

#[test]
fn other_reqwest_clients_build_before_and_after_ours() {
    let before = reqwest::Client::new();
    let ours = Client::builder().api_key("tls-token").build().unwrap();
    let after = reqwest::Client::builder().build().unwrap();
    let tuned = reqwest::Client::builder()
        .https_only(true)
        .build()
        .expect("a TLS-only client builds");
    drop((before, ours, after, tuned));
    assert!(
        rustls::crypto::CryptoProvider::get_default().is_none(),
        "no process-wide crypto provider was installed"
    );
}
