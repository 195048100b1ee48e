//! The `linq-local` program: its help, and how it takes the webhook secret.

use std::{
    io::{BufRead, BufReader},
    process::{Command, Stdio},
    time::{Duration, Instant},
};

const SECRET: &str = "whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

fn linq_local() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_linq-local"));
    command
        .env_remove("LINQ_WEBHOOK_SECRET")
        .env_remove("LINQ_LOCAL_WEBHOOK_SECRET");
    command
}

#[test]
fn help_lists_every_option_and_variable() {
    let output = linq_local().arg("--help").output().unwrap();
    assert!(output.status.success());
    let help = String::from_utf8(output.stdout).unwrap();
    // Every option the program matches on, read from its source.
    let source = include_str!("../src/main.rs");
    let options: Vec<&str> = source
        .lines()
        .filter_map(|line| line.trim().strip_prefix('"'))
        .filter_map(|rest| rest.split_once('"').map(|(name, _)| name))
        .filter(|name| name.starts_with("--"))
        .collect();
    assert!(options.len() >= 12, "{options:?}");
    for option in options.iter().chain(&["-h", "LINQ_WEBHOOK_SECRET"]) {
        assert!(
            help.contains(option),
            "--help does not mention {option}:\n{help}"
        );
    }
}

#[test]
fn the_webhook_secret_comes_from_the_environment_and_is_never_printed() {
    let start = |secret: Option<(&str, &str)>| {
        let mut command = linq_local();
        command
            .args(["--port", "0", "--webhook-url", "http://127.0.0.1:9/hooks"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if let Some((name, value)) = secret {
            command.env(name, value);
        }
        command.spawn().unwrap()
    };
    for (secret, says) in [
        (
            Some(("LINQ_WEBHOOK_SECRET", SECRET)),
            "LINQ_WEBHOOK_SECRET (set)",
        ),
        (None, "a generated secret (not shown"),
    ] {
        let mut child = start(secret);
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let mut seen = String::new();
        let deadline = Instant::now() + Duration::from_secs(30);
        while !seen.contains("webhooks to") && Instant::now() < deadline {
            match lines.next() {
                Some(Ok(line)) => seen.push_str(&line),
                _ => break,
            }
        }
        child.kill().unwrap();
        child.wait().unwrap();
        assert!(seen.contains(says), "{seen}");
        assert!(!seen.contains("whsec_"), "the secret was printed: {seen}");
    }

    // Refused before the server starts: a malformed secret, and the old
    // variable alone.
    for (name, value, says) in [
        ("LINQ_WEBHOOK_SECRET", "not-a-whsec", "whsec_"),
        (
            "LINQ_LOCAL_WEBHOOK_SECRET",
            SECRET,
            "rename it to LINQ_WEBHOOK_SECRET",
        ),
    ] {
        let output = start(Some((name, value))).wait_with_output().unwrap();
        assert!(!output.status.success(), "{name}");
        let error = String::from_utf8_lossy(&output.stderr);
        assert!(error.contains(says), "{error}");
        assert!(!error.contains(value) || value == "not-a-whsec", "{error}");
    }
}
