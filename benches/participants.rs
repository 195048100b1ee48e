//! What the SDK costs over hand-written reqwest code, measured in one run.
//!
//! ```text
//! cargo bench --bench participants [-- --requests 20000 --rounds 7]
//! ```
//!
//! A minimal HTTP server runs in its own process on 127.0.0.1 and answers
//! every request with Linq's 202 body. For each mode (one request at a time,
//! and 64 in flight on one client) and each round, three client processes
//! run in turn, the order rotating between rounds:
//!
//! - **wrapper**: `client.chats().participants().remove(chat, handle)`;
//! - **raw**: the generated client, `client.raw().remove_participant(..)`;
//! - **reqwest**: plain reqwest sending the same request (same headers, JSON
//!   body and 60 s timeout) and decoding the same answer into a struct by
//!   hand.
//!
//! The server is pinned to the first core and the clients to the second.
//! Each client process warms up, then reports wall time, CPU time (user and
//! system, from `getrusage`) and peak RSS. Separate processes keep the
//! variants' memory apart and the server's CPU out of the client's. The table
//! gives medians over the rounds and the ratios to plain reqwest.

use std::{
    io::{BufRead, BufReader},
    process::{Child, Command, Stdio},
    sync::Arc,
    time::{Duration, Instant},
};

use axum::{
    Router,
    http::{StatusCode, header},
};
use linq_partner::Client;
use reqwest::header::{ACCEPT, AUTHORIZATION, HeaderValue, USER_AGENT};
use serde::{Deserialize, Serialize};

const CHAT: &str = "550e8400-e29b-41d4-a716-446655440000";
const HANDLE: &str = "+12052499136";
const TOKEN: &str = "bench-token";
const QUEUED: &str = r#"{"message":"Participant removal queued","status":"accepted","trace_id":"0af7651916cd43dd8448eb211c80319c"}"#;
const IN_FLIGHT: usize = 64;
const VARIANTS: [&str; 3] = ["wrapper", "raw", "reqwest"];
const MODES: [&str; 2] = ["sequential", "64-in-flight"];

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("serve") => serve(),
        Some("client") => run_client(&args[1..]),
        _ => orchestrate(&args),
    }
}

/// Answers every request with the 202 body, on one thread.
fn serve() {
    pin_to_cpu(0);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        println!("http://{}", listener.local_addr().unwrap());
        let app = Router::new().fallback(|_body: axum::body::Bytes| async {
            (
                StatusCode::ACCEPTED,
                [(header::CONTENT_TYPE, "application/json")],
                QUEUED,
            )
        });
        axum::serve(listener, app).await.unwrap();
    });
}

/// One measured client process: `client <variant> <mode> <url> <requests>`.
fn run_client(args: &[String]) {
    let [variant, mode, url, requests] = args else {
        panic!("usage: client <variant> <mode> <url> <requests>")
    };
    let requests: usize = requests.parse().unwrap();
    pin_to_cpu(1);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let caller = Caller::new(variant, url);
        let concurrency = if mode == "sequential" { 1 } else { IN_FLIGHT };
        drive(&caller, (requests / 10).max(IN_FLIGHT), concurrency).await;
        let cpu_before = cpu_time();
        let started = Instant::now();
        drive(&caller, requests, concurrency).await;
        let wall = started.elapsed();
        let cpu = cpu_time() - cpu_before;
        println!(
            "{} {} {}",
            wall.as_secs_f64(),
            cpu.as_secs_f64(),
            peak_rss_kib()
        );
    });
}

async fn drive(caller: &Caller, requests: usize, concurrency: usize) {
    let mut tasks = tokio::task::JoinSet::new();
    for worker in 0..concurrency {
        let caller = caller.clone();
        let share = requests / concurrency + usize::from(worker < requests % concurrency);
        tasks.spawn(async move {
            for _ in 0..share {
                caller.call().await;
            }
        });
    }
    while let Some(done) = tasks.join_next().await {
        done.unwrap();
    }
}

/// The answer, decoded by hand for the plain-reqwest variant.
#[derive(Deserialize)]
#[allow(dead_code)]
struct Queued {
    message: Option<String>,
    status: Option<String>,
    trace_id: Option<String>,
}

#[derive(Serialize)]
struct HandleBody<'a> {
    handle: &'a str,
}

#[derive(Clone)]
enum Caller {
    Wrapper(Client),
    Raw(Arc<linq_partner::raw::Client>, uuid::Uuid),
    Reqwest {
        http: reqwest::Client,
        base: Arc<str>,
        authorization: HeaderValue,
        user_agent: HeaderValue,
    },
}

impl Caller {
    fn new(variant: &str, url: &str) -> Self {
        let client = Client::builder()
            .api_key(TOKEN)
            .base_url(url)
            .build()
            .unwrap();
        match variant {
            "wrapper" => Caller::Wrapper(client),
            "raw" => Caller::Raw(Arc::new(client.raw()), CHAT.parse().unwrap()),
            _ => {
                let mut authorization = HeaderValue::try_from(format!("Bearer {TOKEN}")).unwrap();
                authorization.set_sensitive(true);
                Caller::Reqwest {
                    http: reqwest::Client::new(),
                    base: url.into(),
                    authorization,
                    user_agent: HeaderValue::from_static("bench/1.0"),
                }
            }
        }
    }

    async fn call(&self) {
        match self {
            Caller::Wrapper(client) => {
                let queued = client
                    .chats()
                    .participants()
                    .remove(CHAT, HANDLE)
                    .await
                    .unwrap();
                std::hint::black_box(queued);
            }
            Caller::Raw(raw, chat) => {
                let queued = raw
                    .remove_participant()
                    .chat_id(*chat)
                    .body_map(|body| body.handle(HANDLE))
                    .send()
                    .await
                    .unwrap()
                    .into_inner();
                std::hint::black_box(queued);
            }
            Caller::Reqwest {
                http,
                base,
                authorization,
                user_agent,
            } => {
                let response = http
                    .delete(format!("{base}/v3/chats/{CHAT}/participants"))
                    .header(ACCEPT, HeaderValue::from_static("application/json"))
                    .header(AUTHORIZATION, authorization.clone())
                    .header(USER_AGENT, user_agent.clone())
                    .json(&HandleBody { handle: HANDLE })
                    .timeout(Duration::from_secs(60))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(response.status(), reqwest::StatusCode::ACCEPTED);
                let body = response.bytes().await.unwrap();
                let queued: Queued = serde_json::from_slice(&body).unwrap();
                std::hint::black_box(queued);
            }
        }
    }
}

/// Keeps the server and the measured client on separate cores, so that the
/// scheduler moving them around does not add noise to the comparison.
fn pin_to_cpu(cpu: usize) {
    if std::thread::available_parallelism().map_or(1, |n| n.get()) <= cpu {
        return;
    }
    // SAFETY: the set is initialised by CPU_ZERO before use, and
    // sched_setaffinity only reads it.
    unsafe {
        let mut set = std::mem::zeroed::<libc::cpu_set_t>();
        libc::CPU_ZERO(&mut set);
        libc::CPU_SET(cpu, &mut set);
        libc::sched_setaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &set);
    }
}

fn cpu_time() -> Duration {
    // SAFETY: getrusage only writes into the struct it is given.
    let usage = unsafe {
        let mut usage = std::mem::zeroed::<libc::rusage>();
        libc::getrusage(libc::RUSAGE_SELF, &mut usage);
        usage
    };
    let micros = |t: libc::timeval| t.tv_sec as u64 * 1_000_000 + t.tv_usec as u64;
    Duration::from_micros(micros(usage.ru_utime) + micros(usage.ru_stime))
}

fn peak_rss_kib() -> u64 {
    // SAFETY: as above.
    let usage = unsafe {
        let mut usage = std::mem::zeroed::<libc::rusage>();
        libc::getrusage(libc::RUSAGE_SELF, &mut usage);
        usage
    };
    usage.ru_maxrss as u64
}

#[derive(Clone, Copy)]
struct Sample {
    requests_per_second: f64,
    cpu_micros_per_request: f64,
    peak_rss_kib: f64,
}

fn orchestrate(args: &[String]) {
    let option = |name: &str, default: usize| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .map(|v| v.parse().expect("a number"))
            .unwrap_or(default)
    };
    let requests = option("--requests", 20_000);
    let rounds = option("--rounds", 7);
    let exe = std::env::current_exe().unwrap();

    let mut server = Command::new(&exe)
        .arg("serve")
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let url = first_line(&mut server);
    println!("machine: {}", machine());
    println!("{requests} requests per client process, {rounds} rounds, medians; server at {url}\n");
    println!(
        "| mode | client | req/s | CPU µs/req | peak RSS MiB | CPU ÷ reqwest | req/s ÷ reqwest | RSS ÷ reqwest |"
    );
    println!("|---|---|---:|---:|---:|---:|---:|---:|");

    for mode in MODES {
        let mut samples: Vec<Vec<Sample>> = vec![Vec::new(); VARIANTS.len()];
        for round in 0..rounds {
            for offset in 0..VARIANTS.len() {
                let index = (round + offset) % VARIANTS.len();
                samples[index].push(measure(&exe, VARIANTS[index], mode, &url, requests));
            }
        }
        let medians: Vec<Sample> = samples.iter().map(|s| median(s)).collect();
        let floor = medians[VARIANTS.len() - 1];
        for (variant, m) in VARIANTS.iter().zip(&medians) {
            println!(
                "| {mode} | {variant} | {:.0} | {:.1} | {:.1} | {:.3} | {:.3} | {:.3} |",
                m.requests_per_second,
                m.cpu_micros_per_request,
                m.peak_rss_kib / 1024.0,
                m.cpu_micros_per_request / floor.cpu_micros_per_request,
                m.requests_per_second / floor.requests_per_second,
                m.peak_rss_kib / floor.peak_rss_kib,
            );
        }
    }
    let _ = server.kill();
    let _ = server.wait();
}

fn measure(exe: &std::path::Path, variant: &str, mode: &str, url: &str, requests: usize) -> Sample {
    let output = Command::new(exe)
        .args(["client", variant, mode, url, &requests.to_string()])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{variant} {mode}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let line = String::from_utf8(output.stdout).unwrap();
    let fields: Vec<f64> = line
        .split_whitespace()
        .map(|f| f.parse().unwrap())
        .collect();
    let [wall, cpu, rss] = fields[..] else {
        panic!("unexpected output {line:?}")
    };
    Sample {
        requests_per_second: requests as f64 / wall,
        cpu_micros_per_request: cpu * 1e6 / requests as f64,
        peak_rss_kib: rss,
    }
}

fn median(samples: &[Sample]) -> Sample {
    let pick = |f: fn(&Sample) -> f64| {
        let mut values: Vec<f64> = samples.iter().map(f).collect();
        values.sort_by(f64::total_cmp);
        values[values.len() / 2]
    };
    Sample {
        requests_per_second: pick(|s| s.requests_per_second),
        cpu_micros_per_request: pick(|s| s.cpu_micros_per_request),
        peak_rss_kib: pick(|s| s.peak_rss_kib),
    }
}

fn first_line(child: &mut Child) -> String {
    let mut line = String::new();
    BufReader::new(child.stdout.as_mut().unwrap())
        .read_line(&mut line)
        .unwrap();
    line.trim().to_owned()
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(0);
    format!("{cpu}, {cores} cores")
}
