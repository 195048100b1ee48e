//! Configuration from the environment.
//!
//! This binary holds one test, so that changing the process's environment
//! (`unsafe` since the 2024 edition) cannot race another thread reading it:
//! nothing else runs in this process, and no client or runtime exists yet
//! while the variables change.

use linq_partner::{
    Client, ErrorKind,
    defaults::{API_KEY_ENV, BASE_URL_ENV, DEFAULT_BASE_URL},
};

fn set(name: &str, value: Option<&str>) {
    // SAFETY: the only thread of this test binary that runs code is this
    // test's (see the module comment), and no other code reads the
    // environment meanwhile.
    unsafe {
        match value {
            Some(value) => std::env::set_var(name, value),
            None => std::env::remove_var(name),
        }
    }
}

#[test]
fn configuration_comes_from_the_environment() {
    set(API_KEY_ENV, None);
    set(BASE_URL_ENV, None);
    let error = Client::from_env().unwrap_err();
    assert!(matches!(error.kind(), ErrorKind::Config(_)));
    assert!(error.to_string().contains(API_KEY_ENV), "{error}");

    set(API_KEY_ENV, Some("   "));
    assert!(Client::from_env().is_err(), "a blank key is no key");

    set(API_KEY_ENV, Some("env-token-123"));
    let client = Client::from_env().unwrap();
    assert_eq!(client.base_url(), DEFAULT_BASE_URL);
    assert!(!format!("{client:?}").contains("env-token-123"));

    set(BASE_URL_ENV, Some("http://127.0.0.1:8080/"));
    let client = Client::from_env().unwrap();
    assert_eq!(client.base_url(), "http://127.0.0.1:8080");

    set(BASE_URL_ENV, Some(""));
    assert_eq!(Client::from_env().unwrap().base_url(), DEFAULT_BASE_URL);

    set(BASE_URL_ENV, Some("http://linq.example/?key=sekrit"));
    let error = Client::from_env().unwrap_err();
    assert!(!error.to_string().contains("sekrit"), "{error}");

    // The builder's own settings win over nothing, and the environment
    // fills in what it leaves.
    set(BASE_URL_ENV, Some("http://localhost:9999"));
    let client = Client::builder().from_env().unwrap().build().unwrap();
    assert_eq!(client.base_url(), "http://localhost:9999");
}
