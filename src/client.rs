//! The [`Client`] and its [`ClientBuilder`].

use std::{fmt, sync::Arc, time::Duration};

use reqwest::{Url, header::HeaderValue, redirect};

use crate::{
    chats::Chats,
    error::{ConfigError, ConfigProblem, Error},
    settings::{
        API_KEY_ENV, BASE_URL_ENV, DEFAULT_BASE_URL, DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_RETRIES,
        DEFAULT_MAX_RETRY_WAIT, DEFAULT_RETRY_BACKOFF, DEFAULT_TIMEOUT, RetryPolicy, Settings,
    },
    text::{SHORT_CHARS, shown},
};

/// A client for the Linq Partner API v3.
///
/// Cheap to clone (one reference count) and safe to share between tasks: all
/// clones use the same connection pool.
///
/// Failed calls are retried as Linq's official SDKs do: connection failures,
/// timeouts, 408, 409, 429 and statuses from 500, twice by default, waiting
/// what `retry-after-ms` or `retry-after` asks (up to
/// [`max_retry_wait`](ClientBuilder::max_retry_wait)) or else 0.5 s × 2ⁿ
/// capped at 8 s with jitter. `x-should-retry` on an answer overrides.
///
/// ```no_run
/// # async fn run() -> Result<(), linq_partner::Error> {
/// let client = linq_partner::Client::from_env()?;
/// let queued = client
///     .chats()
///     .participants()
///     .remove("550e8400-e29b-41d4-a716-446655440000", "+12052499136")
///     .await?;
/// println!("queued, trace id {}", queued.trace_id().unwrap_or("-"));
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Client {
    settings: Arc<Settings>,
}

impl Client {
    /// Builds a client from `LINQ_API_V3_API_KEY` and, when set,
    /// `LINQ_API_V3_BASE_URL`.
    ///
    /// ```no_run
    /// let client = linq_partner::Client::from_env()?;
    /// # Ok::<(), linq_partner::Error>(())
    /// ```
    pub fn from_env() -> Result<Self, Error> {
        Self::builder().from_env()?.build()
    }

    /// Starts a [`ClientBuilder`].
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let client = linq_partner::Client::builder()
    ///     .api_key("my-token")
    ///     .base_url("http://127.0.0.1:8080")
    ///     .timeout(Duration::from_secs(10))
    ///     .build()?;
    /// assert_eq!(client.base_url(), "http://127.0.0.1:8080");
    /// # Ok::<(), linq_partner::Error>(())
    /// ```
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The chats resource.
    ///
    /// ```no_run
    /// # async fn run(client: linq_partner::Client) -> Result<(), linq_partner::Error> {
    /// client.chats().participants().add("550e8400-e29b-41d4-a716-446655440000", "user@example.com").await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn chats(&self) -> Chats<'_> {
        Chats::new(&self.settings)
    }

    /// The generated client, set up like this one: the token, user agent,
    /// timeout and body-size limit are applied through its hooks (a body over
    /// the limit reaches it cut at the limit). It does not retry, and returns
    /// progenitor's untyped errors.
    ///
    /// ```no_run
    /// # async fn run(client: linq_partner::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// let chat: uuid::Uuid = "550e8400-e29b-41d4-a716-446655440000".parse()?;
    /// let answer = client
    ///     .raw()
    ///     .remove_participant()
    ///     .chat_id(chat)
    ///     .body_map(|body| body.handle("+12052499136"))
    ///     .send()
    ///     .await?;
    /// println!("{:?}", answer.into_inner().trace_id);
    /// # Ok(())
    /// # }
    /// ```
    pub fn raw(&self) -> crate::raw::Client {
        crate::transport::passing_through(&self.settings)
    }

    /// The base URL calls go to, without a trailing `/`.
    pub fn base_url(&self) -> &str {
        &self.settings.base_url
    }

    /// The timeout for one attempt.
    pub fn timeout(&self) -> Duration {
        self.settings.timeout
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Client").field(&self.settings).finish()
    }
}

/// Configures a [`Client`].
///
/// ```
/// let client = linq_partner::Client::builder()
///     .api_key("my-token")
///     .user_agent("my-service/1.2")
///     .build()?;
/// # Ok::<(), linq_partner::Error>(())
/// ```
#[derive(Default)]
pub struct ClientBuilder {
    api_key: Option<String>,
    base_url: Option<String>,
    timeout: Option<Duration>,
    user_agent: Option<String>,
    http: Option<reqwest::Client>,
    max_body_bytes: Option<usize>,
    max_retries: Option<u32>,
    max_retry_wait: Option<Duration>,
    retry_backoff: Option<Duration>,
    deadline: Option<Duration>,
    allow_insecure_http: bool,
}

impl ClientBuilder {
    /// Takes the token from `LINQ_API_V3_API_KEY` (an error naming the
    /// variable when it is missing or empty) and the base URL from
    /// `LINQ_API_V3_BASE_URL` when that is set.
    ///
    /// ```no_run
    /// let client = linq_partner::Client::builder().from_env()?.build()?;
    /// # Ok::<(), linq_partner::Error>(())
    /// ```
    pub fn from_env(mut self) -> Result<Self, Error> {
        match std::env::var(API_KEY_ENV) {
            Ok(key) if !key.trim().is_empty() => self.api_key = Some(key),
            _ => {
                return Err(config(
                    ConfigProblem::MissingApiKey,
                    format!("{API_KEY_ENV} is not set; set it to your Linq partner API token"),
                ));
            }
        }
        if let Ok(url) = std::env::var(BASE_URL_ENV)
            && !url.trim().is_empty()
        {
            self.base_url = Some(url);
        }
        Ok(self)
    }

    /// The partner API token, sent as `Authorization: Bearer <token>`.
    ///
    /// ```
    /// let builder = linq_partner::Client::builder().api_key("my-token");
    /// ```
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = Some(key.into());
        self
    }

    /// Where calls go; Linq's production URL by default.
    ///
    /// ```
    /// let builder = linq_partner::Client::builder().base_url("http://127.0.0.1:8080");
    /// ```
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// How long one attempt may take, from connecting to the last byte of the
    /// body; 60 s by default.
    ///
    /// ```
    /// let builder = linq_partner::Client::builder().timeout(std::time::Duration::from_secs(5));
    /// ```
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The `User-Agent` header; `linq-partner-rust/<version>` by default.
    ///
    /// ```
    /// let builder = linq_partner::Client::builder().user_agent("my-service/1.2");
    /// ```
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// Uses the caller's own `reqwest::Client` (proxies, TLS roots, pool
    /// settings). The token and timeouts are still applied per request.
    ///
    /// Build it with `redirect(reqwest::redirect::Policy::none())`: Linq's
    /// API does not redirect, and the SDK's own client never follows a
    /// redirect. reqwest's default follows them, resending the request to
    /// another location (as a `GET` without its body for 301, 302 and 303);
    /// the SDK notices from where the answer came and fails the call with
    /// [`ErrorKind::Redirect`](crate::ErrorKind::Redirect), but by then the request has been sent there.
    ///
    /// Leave `connection_verbose` off: with it, reqwest logs every byte it
    /// writes at `TRACE` level, the bearer token included.
    ///
    /// ```
    /// use linq_partner::reqwest;
    ///
    /// let http = reqwest::Client::builder()
    ///     .redirect(reqwest::redirect::Policy::none())
    ///     .build()?;
    /// let client = linq_partner::Client::builder().api_key("my-token").http_client(http).build()?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// The most bytes of a response body that are read; 1 MiB by default.
    /// A longer body fails the call with [`ErrorKind::Decode`](crate::ErrorKind::Decode).
    ///
    /// ```
    /// let builder = linq_partner::Client::builder().max_body_bytes(64 * 1024);
    /// ```
    pub fn max_body_bytes(mut self, limit: usize) -> Self {
        self.max_body_bytes = Some(limit);
        self
    }

    /// How many times a failed call is retried; 2 by default, 0 disables
    /// retries. Connection failures, timeouts, 408, 409, 429 and statuses from
    /// 500 are retried, unless the answer says `x-should-retry: false`.
    ///
    /// ```
    /// let builder = linq_partner::Client::builder().max_retries(5);
    /// ```
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = Some(retries);
        self
    }

    /// The longest wait a server may ask for with `retry-after` or
    /// `retry-after-ms` and still be obeyed; 60 s by default. A longer request
    /// ends the call at once with an error that says how long was asked.
    ///
    /// ```
    /// let builder = linq_partner::Client::builder().max_retry_wait(std::time::Duration::from_secs(10));
    /// ```
    pub fn max_retry_wait(mut self, limit: Duration) -> Self {
        self.max_retry_wait = Some(limit);
        self
    }

    /// The first wait between attempts when the answer asks for none
    /// (0.5 s by default); it doubles with each retry, up to 8 s, less up to
    /// 25% jitter. `Duration::ZERO` retries at once: for tests against a
    /// local server, where waiting only slows the suite. Keep the default
    /// against Linq. Waits the server asks for (`retry-after`) are obeyed
    /// whatever this says.
    ///
    /// ```
    /// // In a test: injected failures are retried without waiting.
    /// let builder = linq_partner::Client::builder().retry_backoff(std::time::Duration::ZERO);
    /// ```
    pub fn retry_backoff(mut self, first: Duration) -> Self {
        self.retry_backoff = Some(first);
        self
    }

    /// A limit for each whole call, retries and waits included; none by
    /// default.
    ///
    /// ```
    /// let builder = linq_partner::Client::builder().deadline(std::time::Duration::from_secs(30));
    /// ```
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// Allows a plain `http://` base URL on a host other than loopback. Off
    /// by default, because the token would cross the network in clear.
    ///
    /// ```
    /// let client = linq_partner::Client::builder()
    ///     .api_key("my-token")
    ///     .base_url("http://linq-proxy.internal:8080")
    ///     .allow_insecure_http(true)
    ///     .build()?;
    /// # Ok::<(), linq_partner::Error>(())
    /// ```
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }

    /// Checks the settings and builds the client.
    ///
    /// ```
    /// let err = linq_partner::Client::builder().build().unwrap_err();
    /// assert!(err.to_string().contains("API key"));
    /// ```
    pub fn build(self) -> Result<Client, Error> {
        let key = self
            .api_key
            .filter(|key| !key.trim().is_empty())
            .ok_or_else(|| {
                config(
                    ConfigProblem::MissingApiKey,
                    format!("no API key: call api_key() or set {API_KEY_ENV}"),
                )
            })?;
        let mut authorization = HeaderValue::try_from(format!("Bearer {key}")).map_err(|_| {
            config(
                ConfigProblem::InvalidApiKey,
                "the API key contains characters not allowed in an HTTP header",
            )
        })?;
        authorization.set_sensitive(true);

        let base_url = normalise_base_url(
            self.base_url.as_deref().unwrap_or(DEFAULT_BASE_URL),
            self.allow_insecure_http,
        )?;

        let user_agent = self
            .user_agent
            .unwrap_or_else(|| concat!("linq-partner-rust/", env!("CARGO_PKG_VERSION")).to_owned());
        let user_agent = HeaderValue::try_from(user_agent).map_err(|_| {
            config(
                ConfigProblem::InvalidUserAgent,
                "the user agent contains characters not allowed in an HTTP header",
            )
        })?;

        let http_is_callers = self.http.is_some();
        let http = match self.http {
            Some(http) => http,
            // Linq's API does not redirect; following one would resend the
            // change elsewhere, or turn it into a GET without its body.
            None => reqwest::Client::builder()
                .redirect(redirect::Policy::none())
                .build()
                .map_err(http_client_error)?,
        };

        Ok(Client {
            settings: Arc::new(Settings {
                http,
                http_is_callers,
                base_url,
                authorization,
                user_agent,
                timeout: self.timeout.unwrap_or(DEFAULT_TIMEOUT),
                max_body_bytes: self.max_body_bytes.unwrap_or(DEFAULT_MAX_BODY_BYTES),
                retry: RetryPolicy {
                    max_retries: self.max_retries.unwrap_or(DEFAULT_MAX_RETRIES),
                    max_server_wait: self.max_retry_wait.unwrap_or(DEFAULT_MAX_RETRY_WAIT),
                    deadline: self.deadline,
                    backoff: self.retry_backoff.unwrap_or(DEFAULT_RETRY_BACKOFF),
                },
            }),
        })
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("api_key", &self.api_key.as_ref().map(|_| "<redacted>"))
            .field("base_url", &self.base_url)
            .field("timeout", &self.timeout)
            .field("user_agent", &self.user_agent)
            .field("max_retries", &self.max_retries)
            .field("deadline", &self.deadline)
            .finish_non_exhaustive()
    }
}

/// Checks the scheme, refuses to send the token in clear across a network,
/// and drops a trailing `/` so that paths join cleanly.
fn normalise_base_url(raw: &str, allow_insecure_http: bool) -> Result<String, Error> {
    let url = Url::parse(raw).map_err(|e| {
        config(
            ConfigProblem::InvalidBaseUrl,
            format!("base URL{} is not a URL: {e}", quoted_if_plain(raw)),
        )
    })?;
    if !url.username().is_empty() || url.password().is_some() {
        // The URL is not echoed: it holds a secret.
        return Err(config(
            ConfigProblem::InvalidBaseUrl,
            "the base URL cannot carry a user name or password; use api_key()",
        ));
    }
    // What the errors show of the URL: never its query or fragment, where
    // a key may have been put.
    let shown_url = format!(
        "{}://{}{}",
        url.scheme(),
        url.host_str().unwrap_or(""),
        url.port()
            .map(|port| format!(":{port}"))
            .unwrap_or_default()
    );
    let shown_url = shown(&shown_url, SHORT_CHARS);
    match url.scheme() {
        "https" => {}
        "http" if allow_insecure_http || is_loopback(&url) => {}
        "http" => {
            return Err(config(
                ConfigProblem::InsecureBaseUrl,
                format!(
                    "base URL \"{shown_url}\" would send the API token unencrypted; use https, \
                     or call allow_insecure_http(true) if that is really meant"
                ),
            ));
        }
        other => {
            return Err(config(
                ConfigProblem::InvalidBaseUrl,
                format!(
                    "base URL \"{shown_url}\" must use https (or http), not {}",
                    shown(other, SHORT_CHARS)
                ),
            ));
        }
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(config(
            ConfigProblem::InvalidBaseUrl,
            format!("base URL \"{shown_url}\" cannot have a query or fragment (not shown here)"),
        ));
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

fn config(problem: ConfigProblem, detail: impl Into<String>) -> Error {
    ConfigError::new(problem, detail).into()
}

fn http_client_error(e: impl fmt::Display) -> Error {
    config(
        ConfigProblem::HttpClient,
        format!("cannot build the HTTP client: {e}"),
    )
}

/// ` "<url>"` for text that cannot be carrying a secret in a user name,
/// query or fragment; nothing otherwise.
fn quoted_if_plain(raw: &str) -> String {
    if raw.contains(['@', '?', '#']) {
        String::new()
    } else {
        format!(" \"{}\"", shown(raw, SHORT_CHARS))
    }
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}
