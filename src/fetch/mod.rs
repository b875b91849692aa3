//! HTTP fetching: one reqwest client per process, a per-host rate limit with jitter, bounded
//! retries with backoff (honouring Retry-After), request timeouts, a cap on body size, a
//! per-source circuit breaker (`breaker`) and charset decoding of HTML (`charset`).

pub mod breaker;
pub mod charset;

use std::num::NonZeroU32;
use std::sync::{Arc, Once};
use std::time::Duration;

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use rand::Rng;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, RETRY_AFTER};
use reqwest::StatusCode;
use url::Url;

use crate::states::ErrorKind;

/// Longest wait between retries, whatever Retry-After says.
pub const MAX_BACKOFF: Duration = Duration::from_secs(120);

pub const DEFAULT_JITTER: Duration = Duration::from_secs(1);
pub const DEFAULT_BREAKER_THRESHOLD: u32 = 5;
pub const DEFAULT_BREAKER_COOLDOWN: Duration = Duration::from_secs(30 * 60);
/// Shortest time between two visitor-cookie renewals (one renewal at a time in any case).
pub const DEFAULT_VISITOR_COOLDOWN: Duration = Duration::from_secs(5 * 60);
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(20);
pub const DEFAULT_MAX_BODY_BYTES: u64 = 5 * 1024 * 1024;
pub const DEFAULT_MIN_INTERVAL_PER_HOST: Duration = Duration::from_secs(2);
pub const DEFAULT_RETRIES: u32 = 3;
pub const MAX_RETRIES: u32 = 20;
pub const DEFAULT_RETRY_BACKOFF: Duration = Duration::from_secs(2);
pub const DEFAULT_USER_AGENT: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";

/// `[fetch]` as the configuration validated it.
#[derive(Debug, Clone)]
pub struct FetchConfig {
    pub timeout: Duration,
    pub user_agent: String,
    pub max_body_bytes: u64,
    pub min_interval_per_host: Duration,
    pub retries: u32,
    /// First retry delay; doubles on each attempt.
    pub retry_backoff: Duration,
    /// Random extra wait, up to this, before each request (after the per-host interval).
    pub jitter: Duration,
    /// Consecutive failed runs that open a source's circuit breaker (0 = never).
    pub breaker_threshold: u32,
    /// How long an open breaker skips the source before one trial run.
    pub breaker_cooldown: Duration,
    /// Shortest time between two Weibo visitor-cookie renewals.
    pub visitor_cooldown: Duration,
}

impl Default for FetchConfig {
    fn default() -> Self {
        Self {
            timeout: DEFAULT_TIMEOUT,
            user_agent: DEFAULT_USER_AGENT.to_string(),
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            min_interval_per_host: DEFAULT_MIN_INTERVAL_PER_HOST,
            retries: DEFAULT_RETRIES,
            retry_backoff: DEFAULT_RETRY_BACKOFF,
            jitter: DEFAULT_JITTER,
            breaker_threshold: DEFAULT_BREAKER_THRESHOLD,
            breaker_cooldown: DEFAULT_BREAKER_COOLDOWN,
            visitor_cooldown: DEFAULT_VISITOR_COOLDOWN,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("timed out after {timeout:?} fetching {url}")]
    Timeout { url: Url, timeout: Duration },
    #[error("HTTP {status} from {url}")]
    Status { url: Url, status: StatusCode },
    #[error("the body from {url} is larger than {limit} bytes; it was cut and dropped")]
    TooLarge { url: Url, limit: u64 },
    #[error("cannot reach {url}: {error}")]
    Network { url: Url, error: String },
}

/// Conditional GET validators from an earlier response (ETag / Last-Modified).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

impl Validators {
    /// The validators a response carries, for the next conditional GET.
    pub fn from_headers(headers: &HeaderMap) -> Validators {
        let get = |name: reqwest::header::HeaderName| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        Validators {
            etag: get(reqwest::header::ETAG),
            last_modified: get(reqwest::header::LAST_MODIFIED),
        }
    }

    /// `If-None-Match` / `If-Modified-Since` headers for a conditional GET.
    pub fn request_headers(&self) -> Vec<(&'static str, String)> {
        let mut h = Vec::new();
        if let Some(e) = &self.etag {
            h.push(("If-None-Match", e.clone()));
        }
        if let Some(l) = &self.last_modified {
            h.push(("If-Modified-Since", l.clone()));
        }
        h
    }

    pub fn is_empty(&self) -> bool {
        self.etag.is_none() && self.last_modified.is_none()
    }
}

impl FetchError {
    /// What kind of failure, for fetch-run records and metrics.
    pub fn kind(&self) -> ErrorKind {
        match self {
            FetchError::Timeout { .. } => ErrorKind::Timeout,
            FetchError::Status { status, .. } if status.as_u16() == 418 => ErrorKind::Http418,
            FetchError::Status { status, .. } if status.as_u16() == 432 => ErrorKind::Http432,
            FetchError::Status { status, .. } if status.as_u16() == 429 => ErrorKind::Http429,
            FetchError::Status { status, .. } if status.is_server_error() => ErrorKind::Http5xx,
            FetchError::Status { .. } => ErrorKind::Http4xx,
            FetchError::TooLarge { .. } => ErrorKind::TooLarge,
            FetchError::Network { .. } => ErrorKind::Network,
        }
    }

    fn retryable(&self) -> bool {
        match self {
            FetchError::Timeout { .. } | FetchError::Network { .. } => true,
            FetchError::Status { status, .. } => should_retry(*status),
            FetchError::TooLarge { .. } => false,
        }
    }
}

/// Statuses that may heal by waiting: 5xx, 408, 429 and Weibo's 418 ("too fast").
pub fn should_retry(status: StatusCode) -> bool {
    status.is_server_error() || matches!(status.as_u16(), 408 | 418 | 429)
}

/// A successful response, body read in full (within the cap). A `304 Not Modified` (answer to a
/// conditional GET) also counts as success, with an empty body.
#[derive(Debug)]
pub struct Fetched {
    pub url: Url,
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Fetched {
    pub fn not_modified(&self) -> bool {
        self.status == StatusCode::NOT_MODIFIED
    }

    /// The `Content-Type` header, if any.
    pub fn content_type(&self) -> Option<&str> {
        self.headers
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
    }

    /// The body as text, with the charset from the header, the page's meta tags or sniffing.
    pub fn html_text(&self) -> String {
        charset::decode_html(&self.body, self.content_type(), self.url.host_str()).0
    }
}

/// A request body for `post_form`.
type Form<'a> = &'a [(&'a str, String)];

#[derive(Clone)]
pub struct Fetcher {
    client: reqwest::Client,
    /// For alerts: follows no redirect by itself (see `alert::post`), because reqwest turns a
    /// POST answered 301/302/303 into a body-less GET that a receiver may answer 200.
    alert_client: reqwest::Client,
    limiter: Option<Arc<DefaultKeyedRateLimiter<String>>>,
    cfg: FetchConfig,
}

static CRYPTO: Once = Once::new();

impl Fetcher {
    pub fn new(cfg: &FetchConfig) -> anyhow::Result<Fetcher> {
        CRYPTO.call_once(|| {
            // reqwest is built without a provider (see Cargo.toml); ring is ours.
            let _ = rustls::crypto::ring::default_provider().install_default();
        });
        let client = reqwest::Client::builder()
            .user_agent(cfg.user_agent.clone())
            .connect_timeout(cfg.timeout.min(Duration::from_secs(10)))
            .timeout(cfg.timeout)
            .redirect(reqwest::redirect::Policy::limited(5))
            .build()?;
        let alert_client = reqwest::Client::builder()
            .user_agent(cfg.user_agent.clone())
            .connect_timeout(cfg.timeout.min(Duration::from_secs(10)))
            .timeout(cfg.timeout)
            .redirect(reqwest::redirect::Policy::none())
            .build()?;
        let limiter = Quota::with_period(cfg.min_interval_per_host)
            .map(|q| Arc::new(RateLimiter::keyed(q.allow_burst(NonZeroU32::MIN))));
        Ok(Fetcher {
            client,
            alert_client,
            limiter,
            cfg: cfg.clone(),
        })
    }

    pub fn client(&self) -> &reqwest::Client {
        &self.client
    }

    /// The client alerts are sent with: it never follows a redirect on its own.
    pub fn alert_client(&self) -> &reqwest::Client {
        &self.alert_client
    }

    /// GET with retries. Returns the last real error after the final attempt.
    pub async fn get(&self, url: &Url, headers: &[(&str, String)]) -> Result<Fetched, FetchError> {
        self.send(url, headers, None).await
    }

    /// POST of a form (Weibo's visitor passport), with the same limits and retries as `get`.
    pub async fn post_form(
        &self,
        url: &Url,
        headers: &[(&str, String)],
        form: Form<'_>,
    ) -> Result<Fetched, FetchError> {
        self.send(url, headers, Some(form)).await
    }

    async fn send(
        &self,
        url: &Url,
        headers: &[(&str, String)],
        form: Option<Form<'_>>,
    ) -> Result<Fetched, FetchError> {
        let attempts = self.cfg.retries + 1;
        let mut last = None;
        for attempt in 0..attempts {
            match self.send_once(url, headers, form).await {
                Ok(f) => return Ok(f),
                Err((e, retry_after)) => {
                    if !e.retryable() || attempt + 1 == attempts {
                        return Err(e);
                    }
                    let backoff = retry_after
                        .unwrap_or_else(|| self.backoff(attempt))
                        .min(MAX_BACKOFF);
                    tracing::debug!(url = %url, error = %e, delay = ?backoff, "Retrying after backoff.");
                    tokio::time::sleep(backoff).await;
                    last = Some(e);
                }
            }
        }
        Err(last.unwrap_or_else(|| FetchError::Network {
            url: url.clone(),
            error: "no attempt was made".into(),
        }))
    }

    fn backoff(&self, attempt: u32) -> Duration {
        let base = self.cfg.retry_backoff.as_millis() as u64;
        let exp = base.saturating_mul(1u64 << attempt.min(10));
        let jitter = rand::rng().random_range(0..=exp / 4 + 1);
        Duration::from_millis(exp + jitter)
    }

    /// Waits for the host's turn, then a random extra of up to `fetch.jitter`, so requests to
    /// one host never come at a machine-regular beat.
    async fn wait_turn(&self, url: &Url) {
        if let Some(lim) = &self.limiter {
            let host = url.host_str().unwrap_or("").to_string();
            lim.until_key_ready(&host).await;
        }
        let jitter = self.cfg.jitter.as_millis() as u64;
        if jitter > 0 {
            let extra = Duration::from_millis(rand::rng().random_range(0..=jitter));
            tracing::debug!(host = url.host_str().unwrap_or(""), delay = ?extra, "Jitter before request.");
            tokio::time::sleep(extra).await;
        }
    }

    async fn send_once(
        &self,
        url: &Url,
        headers: &[(&str, String)],
        form: Option<Form<'_>>,
    ) -> Result<Fetched, (FetchError, Option<Duration>)> {
        self.wait_turn(url).await;
        let mut req = match form {
            None => self.client.get(url.clone()),
            Some(f) => self.client.post(url.clone()).form(f),
        };
        for (k, v) in headers {
            if let (Ok(k), Ok(v)) = (HeaderName::try_from(*k), HeaderValue::from_str(v)) {
                req = req.header(k, v);
            }
        }
        let net = |e: reqwest::Error| {
            if e.is_timeout() {
                FetchError::Timeout {
                    url: url.clone(),
                    timeout: self.cfg.timeout,
                }
            } else {
                FetchError::Network {
                    url: url.clone(),
                    error: crate::errors::error_chain(&e),
                }
            }
        };
        let mut resp = req.send().await.map_err(|e| (net(e), None))?;
        let status = resp.status();
        if !status.is_success() && status != StatusCode::NOT_MODIFIED {
            let retry_after = resp
                .headers()
                .get(RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<u64>().ok())
                .map(Duration::from_secs);
            return Err((
                FetchError::Status {
                    url: url.clone(),
                    status,
                },
                retry_after,
            ));
        }
        let headers = resp.headers().clone();
        let limit = self.cfg.max_body_bytes;
        if resp.content_length().is_some_and(|n| n > limit) {
            return Err((
                FetchError::TooLarge {
                    url: url.clone(),
                    limit,
                },
                None,
            ));
        }
        let mut body = Vec::new();
        while let Some(chunk) = resp.chunk().await.map_err(|e| (net(e), None))? {
            if body.len() as u64 + chunk.len() as u64 > limit {
                return Err((
                    FetchError::TooLarge {
                        url: url.clone(),
                        limit,
                    },
                    None,
                ));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Fetched {
            url: resp.url().clone(),
            status,
            headers,
            body,
        })
    }
}
