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

mod answers;
mod front;
mod http;
mod rules;
mod state;
mod webhooks;

use std::{
    net::SocketAddr,
    sync::{Arc, Mutex},
    time::Duration,
};

pub use state::{ChatSeed, ChatView, HandleView, MAX_PARTICIPANTS, Service, check_chats};
use tokio::{net::TcpListener, sync::watch, task::JoinHandle};
/// The UUID type the demo ids and [`LocalServer::chat`] use.
pub use uuid;
use uuid::Uuid;
pub use webhooks::Delivery;

use crate::{
    front::Limits,
    http::{Faults, Shared, check_delay, check_fault, lock},
};

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
pub struct LocalServer {
    url: String,
    token: String,
    shared: Arc<Shared>,
    stop: watch::Sender<bool>,
    task: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for LocalServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LocalServer")
            .field("url", &self.url)
            .field("token", &"<redacted>")
            .finish_non_exhaustive()
    }
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
    pub fn chat(&self, id: impl Into<Uuid>) -> Option<ChatView> {
        lock(&self.shared.chats).view(id.into())
    }

    /// Sends webhook deliveries to `url` (an `http://` address) from now on,
    /// signed with the server's secret ([`LocalServer::webhook_secret`]):
    /// for tests that bind their receiver after the server starts. Replaces
    /// any earlier target; deliveries already scheduled keep theirs.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let server = linq_local::LocalServer::start().await?;
    /// assert!(server.webhook_secret().is_none());
    /// server.set_webhook("http://127.0.0.1:9000/hooks")?;
    /// assert!(server.webhook_secret().is_some());
    /// assert!(server.set_webhook("https://example.com/hooks").is_err()); // http:// only
    /// # Ok(())
    /// # }
    /// ```
    pub fn set_webhook(&self, url: &str) -> Result<(), WebhookError> {
        self.set_webhooks(&[url])
    }

    /// Sends webhook deliveries to several receivers from now on, round
    /// robin: each attempt goes to the next URL in the list, as a load
    /// balancer in front of several replicas would send them
    /// ([`Delivery::receiver`] says which). Replaces any earlier target.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let server = linq_local::LocalServer::start().await?;
    /// server.set_webhooks(&["http://127.0.0.1:9001/hooks", "http://127.0.0.1:9002/hooks"])?;
    /// assert!(server.set_webhooks(&[] as &[&str]).is_err());
    /// # Ok(())
    /// # }
    /// ```
    pub fn set_webhooks<S: AsRef<str>>(&self, urls: &[S]) -> Result<(), WebhookError> {
        let target = webhooks::Target::new(
            urls,
            self.shared.webhook_secret.clone(),
            self.shared.webhook_unit,
        )
        .map_err(WebhookError)?;
        *lock(&self.shared.webhook) = Some(target);
        Ok(())
    }

    /// Makes the next `count` authenticated participant calls fail with
    /// `status` and a Linq-shaped error body. The status must be an error
    /// status, 400 to 599: a fault that is not an error would make a
    /// caller's test pass for the wrong reason, so any other is refused.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let server = linq_local::LocalServer::start().await?;
    /// server.fail_next(2, 503)?;
    /// assert!(server.fail_next(1, 204).is_err());
    /// # Ok(())
    /// # }
    /// ```
    pub fn fail_next(&self, count: u32, status: u16) -> Result<(), FaultError> {
        check_fault(status, 0).map_err(FaultError)?;
        let mut faults = lock(&self.shared.faults);
        faults.fail_next = count;
        faults.status = status;
        Ok(())
    }

    /// Every webhook delivery attempt so far, oldest first.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let server = linq_local::LocalServer::start().await?;
    /// assert!(server.deliveries().is_empty()); // no webhook target
    /// # Ok(())
    /// # }
    /// ```
    pub fn deliveries(&self) -> Vec<Delivery> {
        lock(&self.shared.deliveries).clone()
    }

    /// The secret webhook deliveries are signed with (`whsec_` and base64):
    /// the one given to [`LocalServerBuilder::webhook_secret`], or the one
    /// generated at start. `None` without a webhook target.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let server = linq_local::LocalServer::builder()
    ///     .webhook("http://127.0.0.1:9000/hooks")
    ///     .start()
    ///     .await?;
    /// assert!(server.webhook_secret().is_some_and(|secret| secret.starts_with("whsec_")));
    /// # Ok(())
    /// # }
    /// ```
    pub fn webhook_secret(&self) -> Option<String> {
        lock(&self.shared.webhook)
            .as_ref()
            .map(|target| target.secret.text.to_string())
    }

    /// Delivers an event of any type to the webhook target at once, signed
    /// and retried like the participant events; gives its `event_id` (also
    /// its `webhook-id`). For tests of a receiver with events this server
    /// does not make itself: `message.received`, a type Linq adds later, a
    /// body the receiver cannot type.
    ///
    /// Fails without a webhook target, or for an event type that is not 1
    /// to 100 letters, digits, `.`, `_` or `-`.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let server = linq_local::LocalServer::start().await?;
    /// let sent = server.send_event("message.received", serde_json::json!({"chat_id": "c1"}));
    /// assert!(sent.is_err()); // no webhook target
    /// # Ok(())
    /// # }
    /// ```
    pub fn send_event(
        &self,
        event_type: &str,
        data: serde_json::Value,
    ) -> Result<Uuid, WebhookError> {
        webhooks::check_event_type(event_type).map_err(WebhookError)?;
        let deliverer = self.shared.deliverer().ok_or_else(|| {
            WebhookError("the server has no webhook target (LocalServerBuilder::webhook)".into())
        })?;
        Ok(webhooks::schedule(
            deliverer,
            event_type.to_owned(),
            data,
            Duration::ZERO,
        ))
    }

    /// Delays every participant answer by `delay` (zero to stop); at most
    /// ten minutes, as the fault route allows.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let server = linq_local::LocalServer::start().await?;
    /// server.delay_answers(std::time::Duration::from_millis(50))?;
    /// assert!(server.delay_answers(std::time::Duration::from_secs(3600)).is_err());
    /// # Ok(())
    /// # }
    /// ```
    pub fn delay_answers(&self, delay: Duration) -> Result<(), FaultError> {
        let delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX);
        check_delay(delay_ms).map_err(FaultError)?;
        lock(&self.shared.faults).delay_ms = delay_ms;
        Ok(())
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
    ///
    /// No connection is accepted from then on; requests being served get
    /// the shutdown grace period ([`LocalServerBuilder::shutdown_grace`]) to
    /// finish, and are then cut off, so this returns within about that long.
    pub async fn stop(mut self) {
        let _ = self.stop.send(true);
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for LocalServer {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
    }
}

/// A fault setting that was refused, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FaultError(String);

impl std::fmt::Display for FaultError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for FaultError {}

/// An event that could not be sent, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookError(String);

impl std::fmt::Display for WebhookError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for WebhookError {}

/// Settings for a [`LocalServer`].
#[derive(Clone)]
pub struct LocalServerBuilder {
    address: SocketAddr,
    token: String,
    chats: Vec<ChatSeed>,
    apply_delay: Duration,
    history: usize,
    limits: Limits,
    webhooks: Vec<String>,
    webhook_secret: Option<String>,
    webhook_retry_unit: Duration,
}

impl std::fmt::Debug for LocalServerBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LocalServerBuilder")
            .field("address", &self.address)
            .field("token", &"<redacted>")
            .field("chats", &self.chats.len())
            .field("apply_delay", &self.apply_delay)
            .field("history", &self.history)
            .field("limits", &self.limits)
            .field("webhook_urls", &self.webhooks)
            .field(
                "webhook_secret",
                &self.webhook_secret.as_ref().map(|_| "<redacted>"),
            )
            .field("webhook_retry_unit", &self.webhook_retry_unit)
            .finish()
    }
}

impl Default for LocalServerBuilder {
    fn default() -> Self {
        Self {
            address: SocketAddr::from(([127, 0, 0, 1], 0)),
            token: DEFAULT_TOKEN.to_owned(),
            chats: demo_chats(),
            apply_delay: Duration::ZERO,
            history: 100,
            limits: Limits {
                head_timeout: Duration::from_secs(10),
                body_timeout: Duration::from_secs(10),
                max_connections: 512,
                max_in_flight: 256,
                max_head_bytes: 16 * 1024,
                max_body_bytes: 16 * 1024,
                shutdown_grace: Duration::from_secs(3),
            },
            webhooks: Vec::new(),
            webhook_secret: None,
            webhook_retry_unit: Duration::from_secs(1),
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

    /// How many removed participants each chat remembers (100 by default);
    /// the earliest are forgotten first.
    ///
    /// ```
    /// let builder = linq_local::LocalServer::builder().history(10);
    /// ```
    pub fn history(mut self, removed: usize) -> Self {
        self.history = removed;
        self
    }

    /// How long a client may take to send a request's head (10 s by
    /// default); a slower one gets a 408 and is disconnected.
    ///
    /// ```
    /// let builder = linq_local::LocalServer::builder().head_timeout(std::time::Duration::from_secs(2));
    /// ```
    pub fn head_timeout(mut self, timeout: Duration) -> Self {
        self.limits.head_timeout = timeout;
        self
    }

    /// How long a client may take to send a request's body (10 s by
    /// default); a slower one gets a 408.
    ///
    /// ```
    /// let builder = linq_local::LocalServer::builder().body_timeout(std::time::Duration::from_secs(2));
    /// ```
    pub fn body_timeout(mut self, timeout: Duration) -> Self {
        self.limits.body_timeout = timeout;
        self
    }

    /// How many connections are open at once (512 by default). At the
    /// limit, a new connection closes the oldest one still waiting for its
    /// request head.
    ///
    /// ```
    /// let builder = linq_local::LocalServer::builder().max_connections(64);
    /// ```
    pub fn max_connections(mut self, connections: usize) -> Self {
        self.limits.max_connections = connections;
        self
    }

    /// How many requests are handled at once (256 by default); more wait
    /// their turn.
    ///
    /// ```
    /// let builder = linq_local::LocalServer::builder().max_in_flight(32);
    /// ```
    pub fn max_in_flight(mut self, requests: usize) -> Self {
        self.limits.max_in_flight = requests;
        self
    }

    /// The largest request head and the largest body accepted (16 KiB each
    /// by default); larger ones get a 431 (or 414) and a 413.
    ///
    /// ```
    /// let builder = linq_local::LocalServer::builder().max_request_bytes(4096, 4096);
    /// ```
    pub fn max_request_bytes(mut self, head: usize, body: usize) -> Self {
        self.limits.max_head_bytes = head;
        self.limits.max_body_bytes = body;
        self
    }

    /// How long requests being served may take to finish once the server is
    /// told to stop (3 s by default).
    ///
    /// ```
    /// let builder = linq_local::LocalServer::builder().shutdown_grace(std::time::Duration::from_millis(500));
    /// ```
    pub fn shutdown_grace(mut self, grace: Duration) -> Self {
        self.limits.shutdown_grace = grace;
        self
    }

    /// Announces every applied change to `url` (an `http://` address) as
    /// Linq does today: a `participant.added` or `participant.removed`
    /// signed with both header sets, the Standard Webhooks ones
    /// (`webhook-id`, `webhook-timestamp`, `webhook-signature`) and the
    /// deprecated `X-Webhook-*` ones. A delivery the receiver fails (5xx,
    /// 429, no answer within 10 s, no connection) is retried on Linq's
    /// current schedule, up to 10 times over about 25 minutes (after 5, 10,
    /// 20, 40, 80 and 160 s, then every 300 s; Linq does not publish each
    /// wait); a 2xx or another 4xx ends it. Attempts are listed by
    /// [`LocalServer::deliveries`]; pending ones end when the server stops.
    ///
    /// The secret is [`LocalServerBuilder::webhook_secret`]'s, or a fresh one
    /// ([`LocalServer::webhook_secret`] gives it).
    ///
    /// Called again, adds another receiver: attempts go to each in turn,
    /// round robin, as a load balancer in front of several replicas would
    /// send them ([`Delivery::receiver`] says which).
    ///
    /// ```
    /// let one = linq_local::LocalServer::builder().webhook("http://127.0.0.1:9000/hooks");
    /// let two = linq_local::LocalServer::builder()
    ///     .webhook("http://127.0.0.1:9001/hooks")
    ///     .webhook("http://127.0.0.1:9002/hooks");
    /// ```
    pub fn webhook(mut self, url: impl Into<String>) -> Self {
        self.webhooks.push(url.into());
        self
    }

    /// The signing secret of webhook deliveries, as Linq shows it: `whsec_`
    /// and base64 (checked at start). Without it, one is generated.
    ///
    /// ```
    /// let builder = linq_local::LocalServer::builder()
    ///     .webhook("http://127.0.0.1:9000/hooks")
    ///     .webhook_secret("whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=");
    /// ```
    pub fn webhook_secret(mut self, secret: impl Into<String>) -> Self {
        self.webhook_secret = Some(secret.into());
        self
    }

    /// How long one second of the delivery schedule lasts (1 s by default):
    /// tests shorten it to see retries quickly. The receiver's 10 s to answer
    /// scale alike.
    ///
    /// ```
    /// let builder = linq_local::LocalServer::builder().webhook_retry_unit(std::time::Duration::from_millis(10));
    /// ```
    pub fn webhook_retry_unit(mut self, unit: Duration) -> Self {
        self.webhook_retry_unit = unit;
        self
    }

    /// Binds the address and starts serving in a background task.
    ///
    /// Fails (with [`std::io::ErrorKind::InvalidInput`]) for an empty token,
    /// chats [`check_chats`] refuses (naming each problem), or a webhook URL
    /// or secret that is not usable.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let server = linq_local::LocalServer::builder().start().await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn start(self) -> std::io::Result<LocalServer> {
        let invalid =
            |message: String| std::io::Error::new(std::io::ErrorKind::InvalidInput, message);
        if self.token.trim().is_empty() {
            return Err(invalid(
                "the token cannot be empty: every call would be refused".into(),
            ));
        }
        check_chats(&self.chats).map_err(|problems| invalid(problems.join("\n")))?;
        // A secret given without a URL serves a target set later.
        let secret = match &self.webhook_secret {
            Some(secret) => webhooks::Secret::parse(secret).map_err(invalid)?,
            None => webhooks::Secret::generate(),
        };
        let webhook = match self.webhooks.is_empty() {
            false => Some(
                webhooks::Target::new(&self.webhooks, secret.clone(), self.webhook_retry_unit)
                    .map_err(invalid)?,
            ),
            true => None,
        };
        let listener = TcpListener::bind(self.address).await?;
        let address = listener.local_addr()?;
        let (stop, stopped) = watch::channel(false);
        let shared = Arc::new(Shared {
            token: self.token.clone(),
            chats: Mutex::new(state::Chats::new(
                self.chats,
                self.apply_delay,
                self.history,
            )),
            faults: Mutex::new(Faults::default()),
            max_body_bytes: self.limits.max_body_bytes,
            body_timeout: self.limits.body_timeout,
            webhook: Mutex::new(webhook),
            webhook_secret: secret,
            webhook_unit: self.webhook_retry_unit,
            deliveries: Arc::default(),
            pending_deliveries: Arc::default(),
            apply_delay: self.apply_delay,
            stopped: stopped.clone(),
            runtime: tokio::runtime::Handle::current(),
        });
        let app = http::router(Arc::clone(&shared));
        let task = tokio::spawn(front::serve(listener, app, self.limits, stopped));
        Ok(LocalServer {
            url: format!("http://{address}"),
            token: self.token,
            shared,
            stop,
            task: Some(task),
        })
    }
}
