//! `linq-local`: serves the participants endpoint on loopback until Ctrl-C.
//!
//! ```text
//! linq-local [--port N] [--token T] [--chats FILE.json] [--apply-delay-ms N]
//!            [--history N] [--head-timeout-ms N] [--body-timeout-ms N]
//!            [--max-connections N] [--max-in-flight N] [--shutdown-grace-ms N]
//!            [--webhook-url URL] [--webhook-retry-unit-ms N]
//! ```
//!
//! With `--webhook-url`, applied changes are delivered there signed with the
//! secret in `LINQ_LOCAL_WEBHOOK_SECRET` (kept off the command line).
//!
//! The first Ctrl-C stops accepting connections and gives requests being
//! served the grace period; a second one exits at once.

use std::{net::SocketAddr, process::ExitCode, time::Duration};

use linq_local::{LocalServer, LocalServerBuilder, parse_chats};

const USAGE: &str =
    "usage: linq-local [--port N] [--token T] [--chats FILE.json] [--apply-delay-ms N]
                  [--history N] [--head-timeout-ms N] [--body-timeout-ms N]
                  [--max-connections N] [--max-in-flight N] [--shutdown-grace-ms N]";

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
    }
    let server = builder.start().await.map_err(|e| match e.kind() {
        std::io::ErrorKind::InvalidInput => e.to_string(),
        _ => format!("cannot listen: {e}"),
    })?;
    println!(
        "Linq participants endpoint on {}; token: {token_from}. Ctrl-C stops it.",
        server.url()
    );
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
        "--webhook-url" => {
            let secret = std::env::var("LINQ_LOCAL_WEBHOOK_SECRET").map_err(|_| {
                "--webhook-url: set LINQ_LOCAL_WEBHOOK_SECRET to the signing secret".to_owned()
            })?;
            builder.webhook(value, secret)
        }
        "--webhook-retry-unit-ms" => builder.webhook_retry_unit(millis(flag, value)?),
        other => return Err(format!("unknown option {other}")),
    })
}
