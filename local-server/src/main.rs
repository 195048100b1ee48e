//! `linq-local`: serves the participants endpoint on loopback until Ctrl-C.
//! `linq-local --help` lists every option and variable.
//!
//! With `--webhook-url`, applied changes are delivered there, signed with
//! the secret in `LINQ_WEBHOOK_SECRET` (kept off the command line; the same
//! variable a receiver built with Linq's SDKs reads), or with a generated
//! one. The secret is never printed.
//!
//! The first Ctrl-C stops accepting connections and gives requests being
//! served the grace period; a second one exits at once.

use std::{net::SocketAddr, process::ExitCode, time::Duration};

use linq_local::{LocalServer, LocalServerBuilder, parse_chats};

/// The webhook signing secret's variable: the name Linq's SDKs read.
const SECRET_ENV: &str = "LINQ_WEBHOOK_SECRET";
/// The name earlier versions read.
const OLD_SECRET_ENV: &str = "LINQ_LOCAL_WEBHOOK_SECRET";

const USAGE: &str = "\
usage: linq-local [OPTIONS]

A local stand-in for Linq's chat participants endpoint, on 127.0.0.1.

options:
  --port N                   listen on this port (default: a free one)
  --token T                  the bearer token to accept (default: local-dev-token)
  --chats FILE.json          the chats to start with (default: the demo chats)
  --apply-delay-ms N         how long a queued change takes to apply (default: 0)
  --history N                removed participants kept per chat (default: 100)
  --head-timeout-ms N        time a client has to send a request head (default: 10000)
  --body-timeout-ms N        time a client has to send a request body (default: 10000)
  --max-connections N        connections open at once (default: 512)
  --max-in-flight N          requests handled at once (default: 256)
  --shutdown-grace-ms N      time requests being served get at shutdown (default: 3000)
  --webhook-url URL          deliver participant events to this http:// URL, signed
                             with both Linq header sets (Standard Webhooks and the
                             deprecated X-Webhook-*), retried on Linq's schedule;
                             given again, deliveries go to each URL in turn
                             (round robin, as a load balancer would send them)
  --webhook-retry-unit-ms N  how long one second of that schedule lasts (default: 1000)
  -h, --help                 this text

environment:
  LINQ_WEBHOOK_SECRET        the whsec_ secret webhook deliveries are signed with;
                             unset, a fresh one is generated (never printed)";

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("linq-local: {message}\n{USAGE}");
            ExitCode::FAILURE
        }
    }
}

fn number<T: std::str::FromStr>(flag: &str, value: &str) -> Result<T, String> {
    value
        .parse()
        .map_err(|_| format!("{flag}: {value:?} is not a number"))
}

fn millis(flag: &str, value: &str) -> Result<Duration, String> {
    number(flag, value).map(Duration::from_millis)
}

async fn run() -> Result<(), String> {
    let mut builder = LocalServer::builder();
    let mut token_from =
        "the default, linq_local::DEFAULT_TOKEN (give your own with --token)".to_owned();
    let mut webhooks_to: Vec<String> = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        if flag == "--help" || flag == "-h" {
            println!("{USAGE}");
            return Ok(());
        }
        let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
        builder = apply(builder, &flag, &value)?;
        if flag == "--token" {
            token_from = "the one given with --token".to_owned();
        }
        if flag == "--webhook-url" {
            webhooks_to.push(value.clone());
        }
    }
    // The secret is read once, after the options: never from the command
    // line, where other users of the machine could see it.
    let secret_from = match webhooks_to.is_empty() {
        false => match webhook_secret()? {
            Some(secret) => {
                builder = builder.webhook_secret(secret);
                format!("the secret in {SECRET_ENV} (set)")
            }
            None => format!("a generated secret (not shown; set {SECRET_ENV} to choose one)"),
        },
        true => String::new(),
    };
    let server = builder.start().await.map_err(|e| match e.kind() {
        std::io::ErrorKind::InvalidInput => e.to_string(),
        _ => format!("cannot listen: {e}"),
    })?;
    println!(
        "Linq participants endpoint on {}; token: {token_from}. Ctrl-C stops it.",
        server.url()
    );
    if !webhooks_to.is_empty() {
        println!(
            "webhooks to {}, signed with {secret_from}",
            webhooks_to.join(" and ")
        );
    }
    tokio::signal::ctrl_c().await.map_err(|e| e.to_string())?;
    println!("stopping: requests being served may finish; Ctrl-C again exits at once");
    tokio::select! {
        () = server.stop() => Ok(()),
        _ = tokio::signal::ctrl_c() => std::process::exit(130),
    }
}

fn apply(
    builder: LocalServerBuilder,
    flag: &str,
    value: &str,
) -> Result<LocalServerBuilder, String> {
    Ok(match flag {
        "--port" => {
            let port: u16 = value
                .parse()
                .map_err(|_| format!("--port: {value:?} is not a port number"))?;
            builder.address(SocketAddr::from(([127, 0, 0, 1], port)))
        }
        "--token" if value.trim().is_empty() => {
            return Err("--token cannot be empty: every call would be refused".into());
        }
        "--token" => builder.token(value),
        "--chats" => {
            let text =
                std::fs::read_to_string(value).map_err(|e| format!("--chats {value}: {e}"))?;
            let chats = parse_chats(&text).map_err(|e| format!("--chats {value}: {e}"))?;
            linq_local::check_chats(&chats).map_err(|problems| {
                problems
                    .iter()
                    .map(|problem| format!("--chats {value}: {problem}"))
                    .collect::<Vec<_>>()
                    .join("\n")
            })?;
            builder.chats(chats)
        }
        "--apply-delay-ms" => builder.apply_delay(millis(flag, value)?),
        "--history" => builder.history(number(flag, value)?),
        "--head-timeout-ms" => builder.head_timeout(millis(flag, value)?),
        "--body-timeout-ms" => builder.body_timeout(millis(flag, value)?),
        "--max-connections" => builder.max_connections(number(flag, value)?),
        "--max-in-flight" => builder.max_in_flight(number(flag, value)?),
        "--shutdown-grace-ms" => builder.shutdown_grace(millis(flag, value)?),
        "--webhook-url" => builder.webhook(value),
        "--webhook-retry-unit-ms" => builder.webhook_retry_unit(millis(flag, value)?),
        other => return Err(format!("unknown option {other}")),
    })
}

/// `LINQ_WEBHOOK_SECRET`, when set; the name earlier versions read is
/// refused with the new one, rather than silently ignored.
fn webhook_secret() -> Result<Option<String>, String> {
    let set = |name: &str| {
        std::env::var_os(name)
            .map(|value| value.to_string_lossy().into_owned())
            .filter(|value| !value.trim().is_empty())
    };
    match set(SECRET_ENV) {
        Some(secret) => Ok(Some(secret)),
        None if set(OLD_SECRET_ENV).is_some() => Err(format!(
            "{OLD_SECRET_ENV} is no longer read: rename it to {SECRET_ENV}, the variable Linq's SDKs read"
        )),
        None => Ok(None),
    }
}
