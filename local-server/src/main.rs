//! `linq-local`: serves the participants endpoint on loopback until Ctrl-C.
//!
//! ```text
//! linq-local [--port N] [--token T] [--chats FILE.json] [--apply-delay-ms N]
//! ```

use std::{net::SocketAddr, process::ExitCode, time::Duration};

use linq_local::{LocalServer, parse_chats};

const USAGE: &str =
    "usage: linq-local [--port N] [--token T] [--chats FILE.json] [--apply-delay-ms N]";

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

async fn run() -> Result<(), String> {
    let mut builder = LocalServer::builder();
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        if flag == "--help" || flag == "-h" {
            println!("{USAGE}");
            return Ok(());
        }
        let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
        builder = match flag.as_str() {
            "--port" => {
                let port: u16 = value
                    .parse()
                    .map_err(|_| format!("--port: {value:?} is not a port number"))?;
                builder.address(SocketAddr::from(([127, 0, 0, 1], port)))
            }
            "--token" => builder.token(value),
            "--chats" => {
                let text =
                    std::fs::read_to_string(&value).map_err(|e| format!("--chats {value}: {e}"))?;
                builder.chats(parse_chats(&text).map_err(|e| format!("--chats {value}: {e}"))?)
            }
            "--apply-delay-ms" => {
                let ms: u64 = value
                    .parse()
                    .map_err(|_| format!("--apply-delay-ms: {value:?} is not a number"))?;
                builder.apply_delay(Duration::from_millis(ms))
            }
            other => return Err(format!("unknown option {other}")),
        };
    }
    let server = builder
        .start()
        .await
        .map_err(|e| format!("cannot listen: {e}"))?;
    println!(
        "Linq participants endpoint on {} (token {:?}); Ctrl-C stops it",
        server.url(),
        server.token()
    );
    tokio::signal::ctrl_c().await.map_err(|e| e.to_string())?;
    server.stop().await;
    Ok(())
}
