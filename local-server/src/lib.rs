//! A local, stateful stand-in for Linq's chat participants endpoint.
//!
//! Linq has no sandbox, so this server lets you try the SDK and test your own
//! code without an account. It keeps group chats in memory and applies
//! Linq's rules: a bearer token is required, only group chats change, a
//! removal must leave at least three participants, SMS and RCS chats take
//! phone numbers only, and changes are queued (they show after a delay you
//! choose). Errors have Linq's body shape; where Linq's reference shows an
//! example for the situation, the bytes are the same.
//!
//! Start it in a test in one line:
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> std::io::Result<()> {
//! let server = linq_local::LocalServer::start().await?;
//! println!("{} accepts the token {}", server.url(), server.token());
//! # Ok(())
//! # }
//! ```
//!
//! Routes: `POST` and `DELETE /v3/chats/{chatId}/participants` as Linq
//! defines them, `GET /v3/chats/{chatId}` to see a chat's participants, and
//! `POST /_local/faults` with `{"fail_next": 2, "status": 503, "delay_ms": 0}`
//! to make it misbehave on purpose.
#![warn(missing_docs)]

mod http;
mod state;

use std::{
    net::SocketAddr,
    sync::{Arc, Mutex},
    time::Duration,
};

pub use state::{ChatSeed, ChatView, HandleView, Service};
use tokio::{net::TcpListener, sync::oneshot, task::JoinHandle};
use uuid::Uuid;

use crate::http::{Faults, Shared, lock};

/// The token [`LocalServer::start`] accepts.
pub const DEFAULT_TOKEN: &str = "local-dev-token";

/// The demo chats: ids of the chats in [`demo_chats`].
pub mod demo {
    use uuid::{Uuid, uuid};

    /// An iMessage group: the partner's number and three others.
    pub const GROUP: Uuid = uuid!("550e8400-e29b-41d4-a716-446655440000");
    /// An SMS group of exactly three: removing anyone is refused.
    pub const TRIO: Uuid = uuid!("6f1c2a34-9b7d-4e21-8c55-0a1b2c3d4e5f");
    /// A direct chat: no changes allowed.
    pub const DIRECT: Uuid = uuid!("7a2b3c4d-5e6f-4a1b-9c2d-3e4f5a6b7c8d");
    /// A group Linq reports as unavailable (409, code 2013).
    pub const UNAVAILABLE: Uuid = uuid!("8b3c4d5e-6f7a-4b2c-8d3e-4f5a6b7c8d9e");
}

/// The chats a server starts with unless told otherwise (see [`demo`]).
///
/// ```
/// let chats = linq_local::demo_chats();
/// assert_eq!(chats.len(), 4);
/// ```
pub fn demo_chats() -> Vec<ChatSeed> {
    parse_chats(include_str!("../demo-chats.json")).unwrap_or_default()
}

/// Reads chats from JSON: an array of [`ChatSeed`] objects.
///
/// ```
/// let chats = linq_local::parse_chats(r#"[{"id": "550e8400-e29b-41d4-a716-446655440000",
///     "service": "SMS", "me": "+12025550100", "participants": ["+13125550111", "+13125550122"]}]"#)?;
/// assert!(chats[0].is_group);
/// # Ok::<(), serde_json::Error>(())
/// ```
pub fn parse_chats(json: &str) -> Result<Vec<ChatSeed>, serde_json::Error> {
    serde_json::from_str(json)
}

/// A running server. It stops when dropped.
#[derive(Debug)]
pub struct LocalServer {
    url: String,
    token: String,
    shared: Arc<Shared>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl LocalServer {
    /// Starts a server on a free loopback port with the demo chats and
    /// [`DEFAULT_TOKEN`].
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let server = linq_local::LocalServer::start().await?;
    /// assert!(server.url().starts_with("http://127.0.0.1:"));
    /// # Ok(())
    /// # }
    /// ```
    pub async fn start() -> std::io::Result<Self> {
        Self::builder().start().await
    }

    /// Configures a server before starting it.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// use std::time::Duration;
    ///
    /// let server = linq_local::LocalServer::builder()
    ///     .token("secret")
    ///     .apply_delay(Duration::from_millis(200))
    ///     .start()
    ///     .await?;
    /// assert_eq!(server.token(), "secret");
    /// # Ok(())
    /// # }
    /// ```
    pub fn builder() -> LocalServerBuilder {
        LocalServerBuilder::default()
    }

    /// The base URL to give the SDK, such as `http://127.0.0.1:40123`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The bearer token the server accepts.
    pub fn token(&self) -> &str {
        &self.token
    }

    /// The chat as `GET /v3/chats/{chatId}` shows it now.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let server = linq_local::LocalServer::start().await?;
    /// let chat = server.chat(linq_local::demo::GROUP).expect("a demo chat");
    /// assert_eq!(chat.active_handles().len(), 4);
    /// # Ok(())
    /// # }
    /// ```
    pub fn chat(&self, id: Uuid) -> Option<ChatView> {
        lock(&self.shared.chats).view(id)
    }

    /// Makes the next `count` participant calls fail with `status` and a
    /// Linq-shaped error body.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let server = linq_local::LocalServer::start().await?;
    /// server.fail_next(2, 503);
    /// # Ok(())
    /// # }
    /// ```
    pub fn fail_next(&self, count: u32, status: u16) {
        let mut faults = lock(&self.shared.faults);
        faults.fail_next = count;
        faults.status = status;
    }

    /// Delays every participant answer by `delay` (zero to stop).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let server = linq_local::LocalServer::start().await?;
    /// server.delay_answers(std::time::Duration::from_millis(50));
    /// # Ok(())
    /// # }
    /// ```
    pub fn delay_answers(&self, delay: Duration) {
        lock(&self.shared.faults).delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX);
    }

    /// Stops the server and waits until it has.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let server = linq_local::LocalServer::start().await?;
    /// server.stop().await;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for LocalServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// Settings for a [`LocalServer`].
#[derive(Debug, Clone)]
pub struct LocalServerBuilder {
    address: SocketAddr,
    token: String,
    chats: Vec<ChatSeed>,
    apply_delay: Duration,
}

impl Default for LocalServerBuilder {
    fn default() -> Self {
        Self {
            address: SocketAddr::from(([127, 0, 0, 1], 0)),
            token: DEFAULT_TOKEN.to_owned(),
            chats: demo_chats(),
            apply_delay: Duration::ZERO,
        }
    }
}

impl LocalServerBuilder {
    /// Where to listen; `127.0.0.1:0` (a free loopback port) by default.
    ///
    /// ```
    /// let builder = linq_local::LocalServer::builder().address(([127, 0, 0, 1], 8080).into());
    /// ```
    pub fn address(mut self, address: SocketAddr) -> Self {
        self.address = address;
        self
    }

    /// The bearer token to accept.
    ///
    /// ```
    /// let builder = linq_local::LocalServer::builder().token("secret");
    /// ```
    pub fn token(mut self, token: impl Into<String>) -> Self {
        self.token = token.into();
        self
    }

    /// The chats to start with, instead of the demo chats.
    ///
    /// ```
    /// let builder = linq_local::LocalServer::builder().chats(linq_local::demo_chats());
    /// ```
    pub fn chats(mut self, chats: Vec<ChatSeed>) -> Self {
        self.chats = chats;
        self
    }

    /// How long a queued change takes to show; zero by default.
    ///
    /// ```
    /// let builder = linq_local::LocalServer::builder().apply_delay(std::time::Duration::from_secs(1));
    /// ```
    pub fn apply_delay(mut self, delay: Duration) -> Self {
        self.apply_delay = delay;
        self
    }

    /// Binds the address and starts serving in a background task.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let server = linq_local::LocalServer::builder().start().await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn start(self) -> std::io::Result<LocalServer> {
        let listener = TcpListener::bind(self.address).await?;
        let address = listener.local_addr()?;
        let shared = Arc::new(Shared {
            token: self.token.clone(),
            chats: Mutex::new(state::Chats::new(self.chats, self.apply_delay)),
            faults: Mutex::new(Faults::default()),
        });
        let (stop, stopped) = oneshot::channel::<()>();
        let app = http::router(Arc::clone(&shared));
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = stopped.await;
                })
                .await;
        });
        Ok(LocalServer {
            url: format!("http://{address}"),
            token: self.token,
            shared,
            stop: Some(stop),
            task: Some(task),
        })
    }
}
