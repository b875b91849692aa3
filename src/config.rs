//! Configuration: `RawConfig` is exactly what serde read from TOML; `Config` is the validated,
//! runtime form. Validation collects every problem so `check-config` can report them all at once.

use std::collections::HashSet;
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;
use url::Url;

use crate::schedule::Schedule;

/// The built-in default configuration, used when neither `--config` nor `./windvane.toml` exists.
pub const DEFAULT_CONFIG: &str = include_str!("../config/windvane.toml");
/// Label under which the built-in config is reported in errors.
pub const DEFAULT_CONFIG_NAME: &str = "<built-in config/windvane.toml>";

pub const DEFAULT_API_BASE: &str = "https://m.weibo.cn";
pub const DEFAULT_PASSPORT_BASE: &str = "https://passport.weibo.com";
/// Timeline pages read on a source's first run (and at most on any run).
pub const DEFAULT_BACKFILL_PAGES: u32 = 3;
pub const DEFAULT_JITTER: Duration = Duration::from_secs(1);
pub const DEFAULT_BREAKER_THRESHOLD: u32 = 5;
pub const DEFAULT_BREAKER_COOLDOWN: Duration = Duration::from_secs(30 * 60);
/// Shortest time between two visitor-cookie renewals (one renewal at a time in any case).
pub const DEFAULT_VISITOR_COOLDOWN: Duration = Duration::from_secs(5 * 60);
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(20);
pub const DEFAULT_MAX_BODY_BYTES: u64 = 5 * 1024 * 1024;
pub const DEFAULT_MIN_INTERVAL_PER_HOST: Duration = Duration::from_secs(2);
pub const DEFAULT_RETRIES: u32 = 3;
pub const DEFAULT_RETRY_BACKOFF: Duration = Duration::from_secs(2);
pub const DEFAULT_MAX_ATTEMPTS: u32 = 8;
pub const DEFAULT_MIN_SCORE: f64 = 0.6;
pub const DEFAULT_MAX_CONCURRENCY: usize = 4;
pub const DEFAULT_USER_AGENT: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";
pub const DEFAULT_GRACE: Duration = Duration::from_secs(10);
pub const DEFAULT_TIMEZONE: &str = "Asia/Shanghai";
/// The review desk listens on loopback only unless an access token is set.
pub const DEFAULT_REVIEW_LISTEN: &str = "127.0.0.1:8090";
pub const DEFAULT_REVIEW_TOKEN_ENV: &str = "WINDVANE_REVIEW_TOKEN";
pub const DEFAULT_CORROBORATION_WINDOW: Duration = Duration::from_secs(12 * 3600);
/// `/healthz` and `/metrics`; `"off"` disables the listener.
pub const DEFAULT_METRICS_LISTEN: &str = "127.0.0.1:9464";
pub const DEFAULT_BUSY_TIMEOUT: Duration = Duration::from_secs(10);
/// Posts younger than this are re-visited for edits and deletions.
pub const DEFAULT_RECHECK_WINDOW: Duration = Duration::from_secs(48 * 3600);
/// How often a source's recent posts are re-visited (slower than the schedule).
pub const DEFAULT_RECHECK_EVERY: Duration = Duration::from_secs(30 * 60);
/// A cron source's default `stale_after` (an `every` source's is 3 intervals, at least 15m).
pub const DEFAULT_CRON_STALE_AFTER: Duration = Duration::from_secs(25 * 3600);

// ---------------------------------------------------------------------------------------------
// Raw form: what the file says.

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawConfig {
    #[serde(default)]
    pub store: RawStore,
    #[serde(default)]
    pub daemon: RawDaemon,
    #[serde(default)]
    pub fetch: RawFetch,
    #[serde(default)]
    pub classifier: RawClassifier,
    #[serde(default)]
    pub sources: Vec<RawSource>,
    #[serde(default)]
    pub alerts: Vec<RawAlert>,
    #[serde(default)]
    pub review: RawReview,
    #[serde(default)]
    pub corroboration: RawCorroboration,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawReview {
    /// Serve the review desk inside `run`.
    pub enabled: Option<bool>,
    pub listen: Option<String>,
    /// The access token itself (prefer `token_env`).
    pub token: Option<String>,
    /// An environment variable holding the access token.
    pub token_env: Option<String>,
    /// Where analysts open the review page; alerts link to the post there.
    pub public_url: Option<String>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawCorroboration {
    /// Distinct sources raising one label within this window make a corroborated alert.
    #[serde(default, with = "humantime_serde")]
    pub window: Option<Duration>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStore {
    #[serde(default = "default_store_path")]
    pub path: PathBuf,
    #[serde(default, with = "humantime_serde")]
    pub busy_timeout: Option<Duration>,
}

impl Default for RawStore {
    fn default() -> Self {
        Self {
            path: default_store_path(),
            busy_timeout: None,
        }
    }
}

fn default_store_path() -> PathBuf {
    PathBuf::from("windvane.db")
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawDaemon {
    pub timezone: Option<String>,
    pub max_concurrency: Option<usize>,
    #[serde(default, with = "humantime_serde")]
    pub shutdown_grace: Option<Duration>,
    #[serde(default, with = "humantime_serde")]
    pub dispatch_interval: Option<Duration>,
    pub metrics_listen: Option<String>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawFetch {
    #[serde(default, with = "humantime_serde")]
    pub timeout: Option<Duration>,
    pub user_agent: Option<String>,
    pub max_body_bytes: Option<u64>,
    #[serde(default, with = "humantime_serde")]
    pub min_interval_per_host: Option<Duration>,
    pub retries: Option<u32>,
    #[serde(default, with = "humantime_serde")]
    pub retry_backoff: Option<Duration>,
    #[serde(default, with = "humantime_serde")]
    pub jitter: Option<Duration>,
    pub breaker_threshold: Option<u32>,
    #[serde(default, with = "humantime_serde")]
    pub breaker_cooldown: Option<Duration>,
    #[serde(default, with = "humantime_serde")]
    pub visitor_cooldown: Option<Duration>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawClassifier {
    /// A folder of `*.toml` rule files replacing the built-in ones.
    pub signals_dir: Option<PathBuf>,
    /// A user dictionary for jieba added to the built-in one.
    pub user_dict: Option<PathBuf>,
}

#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    Weibo,
    Rss,
    Html,
}

impl fmt::Display for SourceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SourceKind::Weibo => f.write_str("weibo"),
            SourceKind::Rss => f.write_str("rss"),
            SourceKind::Html => f.write_str("html"),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSource {
    pub id: String,
    pub kind: SourceKind,
    /// Display name (the account's screen name); defaults to the id.
    pub name: Option<String>,
    pub schedule: String,
    #[serde(default = "yes")]
    pub enabled: bool,
    // weibo
    pub uid: Option<String>,
    /// The account's screen name, instead of `uid`: resolved once through the mobile site.
    pub screen_name: Option<String>,
    pub api_base: Option<String>,
    pub passport_base: Option<String>,
    pub backfill_pages: Option<u32>,
    /// A file holding a logged-in Weibo cookie header value (never logged).
    pub cookie_file: Option<PathBuf>,
    /// An environment variable holding a logged-in Weibo cookie header value (never logged).
    pub cookie_env: Option<String>,
    // rss and html
    pub url: Option<String>,
    // html
    pub item: Option<String>,
    pub title: Option<String>,
    pub link: Option<String>,
    pub date: Option<String>,
    pub date_format: Option<String>,
    pub body: Option<String>,
    // daemon: see `SourceWatch`
    pub active_hours: Option<String>,
    #[serde(default, with = "humantime_serde")]
    pub schedule_jitter: Option<Duration>,
    /// Without a success this recent the source is stale: `/healthz`, `status`, and one
    /// operator alert.
    #[serde(default, with = "humantime_serde")]
    pub stale_after: Option<Duration>,
    #[serde(default, with = "humantime_serde")]
    pub recheck_window: Option<Duration>,
    #[serde(default, with = "humantime_serde")]
    pub recheck_every: Option<Duration>,
}

fn yes() -> bool {
    true
}

pub use crate::alert::config::{AlertConfig, AlertKind, RawAlert};

// ---------------------------------------------------------------------------------------------
// Validated form.

#[derive(Debug, Clone)]
pub struct Config {
    /// The file this came from, or `None` for the built-in default.
    pub origin: Option<PathBuf>,
    pub store_path: PathBuf,
    pub timezone: chrono_tz::Tz,
    pub max_concurrency: usize,
    pub shutdown_grace: Duration,
    pub dispatch_interval: Duration,
    /// Where `/healthz` and `/metrics` listen; `None` when off.
    pub metrics_listen: Option<std::net::SocketAddr>,
    /// How long a store call waits for a lock held by another connection or process.
    pub store_busy_timeout: Duration,
    pub fetch: FetchConfig,
    pub classifier: ClassifierConfig,
    pub sources: Vec<SourceConfig>,
    pub alerts: Vec<AlertConfig>,
    /// `[review] public_url`: alerts link to the post on the review page when set.
    pub review_public_url: Option<Url>,
    /// `[corroboration] window`.
    pub corroboration_window: Duration,
    pub review: ReviewConfig,
}

/// The review desk (`serve`, and `run` when enabled).
#[derive(Debug, Clone)]
pub struct ReviewConfig {
    pub enabled: bool,
    pub listen: std::net::SocketAddr,
    /// Required on every request when set; required to listen beyond loopback.
    pub token: Option<Secret>,
}

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

#[derive(Debug, Clone, Default)]
pub struct ClassifierConfig {
    pub signals_dir: Option<PathBuf>,
    pub user_dict: Option<PathBuf>,
}

#[derive(Debug, Clone)]
pub struct SourceConfig {
    pub id: String,
    pub name: String,
    pub schedule: Schedule,
    pub spec: SourceSpec,
    pub watch: SourceWatch,
}

/// How the daemon treats a source beyond its schedule.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceWatch {
    /// Ticks outside this daily window (daemon.timezone) are skipped.
    pub active_hours: Option<crate::schedule::ActiveHours>,
    /// Each scheduled run starts a random 0..this later.
    pub schedule_jitter: Duration,
    /// `/healthz` and `status` call the source stale without a success this recent.
    pub stale_after: Duration,
    /// Posts this young are re-visited for edits and deletions; zero turns rechecks off.
    pub recheck_window: Duration,
    pub recheck_every: Duration,
}

#[derive(Debug, Clone)]
pub enum SourceSpec {
    Weibo(WeiboSpec),
    Rss { url: Url },
    Html(HtmlSpec),
}

#[derive(Debug, Clone)]
pub struct WeiboSpec {
    /// The configured numeric uid; empty when the account is configured by `screen_name`
    /// (then resolved at run time and cached in the database: `pipeline::weibo_account`).
    pub uid: String,
    /// The configured screen name (`screen_name`), when the uid is not given.
    pub screen_name: Option<String>,
    pub api_base: Url,
    /// Weibo's visitor passport (genvisitor2); tests point it at 127.0.0.1.
    pub passport_base: Url,
    pub backfill_pages: u32,
    /// A user's login cookie. When set, it is never replaced by a visitor cookie: if it stops
    /// working the source goes to `needs-cookie`.
    pub cookie: Option<Secret>,
}

/// A list page read through CSS selectors.
#[derive(Debug, Clone)]
pub struct HtmlSpec {
    pub url: Url,
    /// One element per item (`ul.list li`).
    pub item: String,
    /// Inside an item: the title's element (its text).
    pub title: String,
    /// Inside an item: the link's element (`a` of `a@href`); `None` is the item itself (`@href`).
    pub link: Option<String>,
    /// The attribute holding the URL (`href` of `a@href`).
    pub link_attr: String,
    /// Inside an item: the date's element (its text), optional.
    pub date: Option<String>,
    /// A chrono format for `date` (`%Y-%m-%d`); without it every known format is tried.
    pub date_format: Option<String>,
    /// On the article page: the body's element. When set, each new link is fetched.
    pub body: Option<String>,
}

/// A secret string (cookie, token) that never shows in `Debug` output, logs or errors.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(s: impl Into<String>) -> Secret {
        Secret(s.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

/// `text` with every value in `secrets` replaced by `<redacted>`, longest first (so a URL
/// goes whole before its token).
pub fn redact_values(text: &str, secrets: &[String]) -> String {
    let mut sorted: Vec<&String> = secrets.iter().filter(|s| !s.is_empty()).collect();
    sorted.sort_by_key(|s| std::cmp::Reverse(s.len()));
    let mut out = text.to_string();
    for s in sorted {
        if out.contains(s.as_str()) {
            out = out.replace(s.as_str(), "<redacted>");
        }
    }
    out
}

impl Config {
    /// Every configured secret: alert channels' URLs, tokens and keys, login cookies, the
    /// review token.
    pub fn secret_values(&self) -> Vec<String> {
        let mut out: Vec<String> = self.alerts.iter().flat_map(|a| a.secret_values()).collect();
        for s in &self.sources {
            if let SourceSpec::Weibo(w) = &s.spec {
                if let Some(c) = &w.cookie {
                    out.push(c.expose().to_string());
                    // A server may echo one cookie value rather than the whole header.
                    out.extend(
                        c.expose()
                            .split(';')
                            .filter_map(|kv| kv.split_once('=').map(|(_, v)| v.trim()))
                            .filter(|v| v.len() >= 8)
                            .map(str::to_string),
                    );
                }
            }
        }
        out.extend(self.review.token.as_ref().map(|t| t.expose().to_string()));
        out
    }

    /// A remote answer (an error body, a refusal) made fit to show or store: every
    /// configured secret value redacted.
    pub fn redact(&self, text: &str) -> String {
        redact_values(text, &self.secret_values())
    }
}

impl SourceConfig {
    pub fn kind(&self) -> SourceKind {
        match self.spec {
            SourceSpec::Weibo(_) => SourceKind::Weibo,
            SourceSpec::Rss { .. } => SourceKind::Rss,
            SourceSpec::Html(_) => SourceKind::Html,
        }
    }
}

/// One thing wrong with a configuration: which file, which key, what.
#[derive(Debug, Clone, PartialEq)]
pub struct ConfigProblem {
    pub file: String,
    pub key: String,
    pub message: String,
}

impl fmt::Display for ConfigProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: `{}`: {}", self.file, self.key, self.message)
    }
}

/// Every problem found in one configuration.
#[derive(Debug, thiserror::Error)]
pub struct ConfigError {
    pub problems: Vec<ConfigProblem>,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.problems.len();
        writeln!(
            f,
            "{n} configuration problem{}:",
            if n == 1 { "" } else { "s" }
        )?;
        for p in &self.problems {
            writeln!(f, "  - {p}")?;
        }
        Ok(())
    }
}

impl Config {
    /// Which file `--config` or the defaults point at: the explicit path, else `./windvane.toml`
    /// when present, else `None` for the built-in default.
    pub fn locate(explicit: Option<&Path>) -> Option<PathBuf> {
        if let Some(p) = explicit {
            return Some(p.to_path_buf());
        }
        let local = PathBuf::from("windvane.toml");
        local.exists().then_some(local)
    }

    /// Loads a file, or the built-in default when `path` is `None`.
    pub fn load(path: Option<&Path>) -> Result<Config, ConfigError> {
        match path {
            None => Config::from_toml_str(DEFAULT_CONFIG, None),
            Some(p) => {
                let text = std::fs::read_to_string(p).map_err(|e| ConfigError {
                    problems: vec![ConfigProblem {
                        file: p.display().to_string(),
                        key: "(file)".into(),
                        message: format!("cannot read the file: {e}"),
                    }],
                })?;
                Config::from_toml_str(&text, Some(p))
            }
        }
    }

    /// Parses and validates TOML text. `origin` names the file in errors and anchors relative paths.
    pub fn from_toml_str(text: &str, origin: Option<&Path>) -> Result<Config, ConfigError> {
        let file = origin
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| DEFAULT_CONFIG_NAME.to_string());
        let raw: RawConfig = toml::from_str(text).map_err(|e| ConfigError {
            problems: vec![ConfigProblem {
                file: file.clone(),
                key: toml_error_key(text, &e),
                message: e.message().to_string()
                    + &toml_error_location(text, &e).unwrap_or_default(),
            }],
        })?;
        let base = origin
            .and_then(|p| p.parent())
            .map(Path::to_path_buf)
            .unwrap_or_default();
        validate(raw, &file, &base, origin.map(Path::to_path_buf))
    }
}

/// Best-effort dotted key for a TOML error: the table header above the error plus the key on
/// the error's line (the toml crate reports a span, not a key path).
fn toml_error_key(text: &str, e: &toml::de::Error) -> String {
    let Some(span) = e.span() else {
        return "(document)".into();
    };
    let before = &text[..span.start.min(text.len())];
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let line_end = text[line_start..]
        .find('\n')
        .map(|i| line_start + i)
        .unwrap_or(text.len());
    let line = &text[line_start..line_end];
    let mut header = String::new();
    let mut index: std::collections::HashMap<String, usize> = Default::default();
    for l in text[..line_start].lines() {
        let t = l.trim();
        if let Some(name) = t.strip_prefix("[[").and_then(|r| r.strip_suffix("]]")) {
            let n = index.entry(name.to_string()).or_insert(0);
            header = format!("{name}[{n}]");
            *n += 1;
        } else if let Some(name) = t.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
            header = name.to_string();
        }
    }
    let key = line
        .split('=')
        .next()
        .map(str::trim)
        .filter(|k| !k.is_empty() && !k.starts_with('['))
        .unwrap_or("");
    match (header.is_empty(), key.is_empty()) {
        (true, true) => "(document)".into(),
        (true, false) => key.into(),
        (false, true) => header,
        (false, false) => format!("{header}.{key}"),
    }
}

fn toml_error_location(text: &str, e: &toml::de::Error) -> Option<String> {
    let span = e.span()?;
    let before = &text[..span.start.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before
        .rfind('\n')
        .map(|i| before.len() - i)
        .unwrap_or(before.len() + 1);
    Some(format!(" (line {line}, column {col})"))
}

fn validate(
    raw: RawConfig,
    file: &str,
    base: &Path,
    origin: Option<PathBuf>,
) -> Result<Config, ConfigError> {
    let mut problems = Vec::new();
    let mut problem = |key: String, message: String| {
        problems.push(ConfigProblem {
            file: file.to_string(),
            key,
            message,
        })
    };

    let resolve = |p: &Path| {
        if p.is_absolute() {
            p.to_path_buf()
        } else {
            base.join(p)
        }
    };

    let tz_name = raw.daemon.timezone.as_deref().unwrap_or(DEFAULT_TIMEZONE);
    let timezone = tz_name.parse::<chrono_tz::Tz>().unwrap_or_else(|_| {
        problem(
            "daemon.timezone".into(),
            format!("unknown time zone `{tz_name}`; use an IANA name such as \"Asia/Shanghai\""),
        );
        chrono_tz::Asia::Shanghai
    });
    let max_concurrency = raw
        .daemon
        .max_concurrency
        .unwrap_or(DEFAULT_MAX_CONCURRENCY);
    if max_concurrency == 0 {
        problem("daemon.max_concurrency".into(), "must be at least 1".into());
    }

    let fetch = FetchConfig {
        timeout: raw.fetch.timeout.unwrap_or(DEFAULT_TIMEOUT),
        user_agent: raw
            .fetch
            .user_agent
            .unwrap_or_else(|| DEFAULT_USER_AGENT.to_string()),
        max_body_bytes: raw.fetch.max_body_bytes.unwrap_or(DEFAULT_MAX_BODY_BYTES),
        min_interval_per_host: raw
            .fetch
            .min_interval_per_host
            .unwrap_or(DEFAULT_MIN_INTERVAL_PER_HOST),
        retries: raw.fetch.retries.unwrap_or(DEFAULT_RETRIES),
        retry_backoff: raw.fetch.retry_backoff.unwrap_or(DEFAULT_RETRY_BACKOFF),
        jitter: raw.fetch.jitter.unwrap_or(DEFAULT_JITTER),
        breaker_threshold: raw
            .fetch
            .breaker_threshold
            .unwrap_or(DEFAULT_BREAKER_THRESHOLD),
        breaker_cooldown: raw
            .fetch
            .breaker_cooldown
            .unwrap_or(DEFAULT_BREAKER_COOLDOWN),
        visitor_cooldown: raw
            .fetch
            .visitor_cooldown
            .unwrap_or(DEFAULT_VISITOR_COOLDOWN),
    };
    if fetch.timeout.is_zero() {
        problem("fetch.timeout".into(), "must be longer than 0s".into());
    }
    if fetch.max_body_bytes < 1024 {
        problem(
            "fetch.max_body_bytes".into(),
            "must be at least 1024 bytes".into(),
        );
    }

    let mut seen = HashSet::new();
    let mut sources = Vec::new();
    for (i, s) in raw.sources.into_iter().enumerate() {
        let key = |k: &str| format!("sources[{i}].{k}");
        if s.id.trim().is_empty()
            || !s
                .id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            problem(
                key("id"),
                format!(
                    "`{}` must be non-empty ASCII letters, digits, `-` or `_`",
                    s.id
                ),
            );
        }
        if !seen.insert(s.id.clone()) {
            problem(key("id"), format!("`{}` is used by another source", s.id));
        }
        let schedule = match Schedule::parse(&s.schedule) {
            Ok(sch) => Some(sch),
            Err(e) => {
                problem(key("schedule"), e);
                None
            }
        };
        if let Some(sch) = &schedule {
            if let Some(every) = sch.interval() {
                if every <= fetch.timeout {
                    problem(
                        key("schedule"),
                        format!(
                            "runs every {} but fetch.timeout is {}; the schedule must be longer than the timeout",
                            humantime::format_duration(every),
                            humantime::format_duration(fetch.timeout)
                        ),
                    );
                }
            }
        }
        let spec = source_spec(&s, base, &mut problem, &key);
        let watch = source_watch(&s, schedule.as_ref(), &mut problem, &key);
        if !s.enabled {
            continue;
        }
        if let (Some(schedule), Some(spec)) = (schedule, spec) {
            sources.push(SourceConfig {
                name: s.name.clone().unwrap_or_else(|| s.id.clone()),
                id: s.id,
                schedule,
                spec,
                watch,
            });
        }
    }

    let mut alert_ids = HashSet::new();
    let mut alerts = Vec::new();
    let source_ids: Vec<String> = seen.iter().cloned().collect();
    for (i, a) in raw.alerts.into_iter().enumerate() {
        if !alert_ids.insert(a.id.clone()) {
            problem(
                format!("alerts[{i}].id"),
                format!("`{}` is used by another alert channel", a.id),
            );
        }
        alerts.extend(crate::alert::config::validate(
            a,
            i,
            timezone,
            &source_ids,
            &mut problem,
        ));
    }
    let review_public_url = raw
        .review
        .public_url
        .as_deref()
        .and_then(|u| http_url(u, "review.public_url".into(), &mut problem));
    let corroboration_window = raw
        .corroboration
        .window
        .unwrap_or(DEFAULT_CORROBORATION_WINDOW);

    let review_listen = raw
        .review
        .listen
        .as_deref()
        .unwrap_or(DEFAULT_REVIEW_LISTEN);
    let listen = review_listen
        .parse::<std::net::SocketAddr>()
        .unwrap_or_else(|_| {
            problem(
                "review.listen".into(),
                format!("`{review_listen}` is not an address with a port, e.g. \"127.0.0.1:8090\""),
            );
            std::net::SocketAddr::from(([127, 0, 0, 1], 8090))
        });
    let token_env = raw
        .review
        .token_env
        .as_deref()
        .unwrap_or(DEFAULT_REVIEW_TOKEN_ENV);
    let token = std::env::var(token_env)
        .ok()
        .or(raw.review.token)
        .filter(|t| !t.trim().is_empty())
        .map(Secret::new);
    let review = ReviewConfig {
        enabled: raw.review.enabled.unwrap_or(false),
        listen,
        token,
    };
    if review.enabled && !review.listen.ip().is_loopback() && review.token.is_none() {
        problem(
            "review.listen".into(),
            format!("{listen} is not a loopback address: set an access token in `{token_env}` (or `review.token`)"),
        );
    }

    let metrics_listen = match raw.daemon.metrics_listen.as_deref() {
        None => DEFAULT_METRICS_LISTEN.parse().ok(),
        Some("off") | Some("") => None,
        Some(a) => match a.parse::<std::net::SocketAddr>() {
            Ok(addr) => Some(addr),
            Err(_) => {
                problem(
                    "daemon.metrics_listen".into(),
                    format!("`{a}` is not an address like \"127.0.0.1:9464\" (or \"off\")"),
                );
                None
            }
        },
    };

    if !problems.is_empty() {
        return Err(ConfigError { problems });
    }
    Ok(Config {
        origin,
        store_path: resolve(&raw.store.path),
        timezone,
        max_concurrency,
        shutdown_grace: raw.daemon.shutdown_grace.unwrap_or(DEFAULT_GRACE),
        dispatch_interval: raw
            .daemon
            .dispatch_interval
            .unwrap_or(Duration::from_secs(15)),
        metrics_listen,
        store_busy_timeout: raw.store.busy_timeout.unwrap_or(DEFAULT_BUSY_TIMEOUT),
        fetch,
        classifier: ClassifierConfig {
            signals_dir: raw.classifier.signals_dir.as_deref().map(resolve),
            user_dict: raw.classifier.user_dict.as_deref().map(resolve),
        },
        sources,
        alerts,
        review,
        review_public_url,
        corroboration_window,
    })
}

fn http_url(text: &str, key: String, problem: &mut impl FnMut(String, String)) -> Option<Url> {
    match Url::parse(text) {
        Ok(u) if u.scheme() == "http" || u.scheme() == "https" => Some(u),
        Ok(_) => {
            problem(key, format!("`{text}` must be an http(s) URL"));
            None
        }
        Err(e) => {
            problem(key, format!("`{text}` is not a URL: {e}"));
            None
        }
    }
}

/// A source's daemon keys: active hours, jitter, staleness and rechecks.
fn source_watch(
    s: &RawSource,
    schedule: Option<&Schedule>,
    problem: &mut impl FnMut(String, String),
    key: &dyn Fn(&str) -> String,
) -> SourceWatch {
    let active_hours =
        s.active_hours
            .as_deref()
            .and_then(|a| match crate::schedule::ActiveHours::parse(a) {
                Ok(h) => Some(h),
                Err(e) => {
                    problem(key("active_hours"), e);
                    None
                }
            });
    let schedule_jitter = s.schedule_jitter.unwrap_or(Duration::ZERO);
    if let Some(every) = schedule.and_then(Schedule::interval) {
        if schedule_jitter >= every {
            problem(
                key("schedule_jitter"),
                "must be shorter than the schedule's interval".into(),
            );
        }
    }
    let stale_after = s.stale_after.unwrap_or_else(|| match schedule {
        Some(Schedule::Every(d)) => (*d * 3).max(Duration::from_secs(15 * 60)),
        _ => DEFAULT_CRON_STALE_AFTER,
    });
    if stale_after.is_zero() {
        problem(key("stale_after"), "must be longer than 0s".into());
    }
    let recheck_every = s.recheck_every.unwrap_or(DEFAULT_RECHECK_EVERY);
    if recheck_every.is_zero() {
        problem(key("recheck_every"), "must be longer than 0s".into());
    }
    SourceWatch {
        active_hours,
        schedule_jitter,
        stale_after,
        recheck_window: s.recheck_window.unwrap_or(DEFAULT_RECHECK_WINDOW),
        recheck_every,
    }
}

/// Checks one source table's kind-specific keys; every problem is reported through `problem`.
fn source_spec(
    s: &RawSource,
    base: &Path,
    problem: &mut impl FnMut(String, String),
    key: &dyn Fn(&str) -> String,
) -> Option<SourceSpec> {
    // Keys that belong to other kinds are mistakes worth naming, not silently ignored.
    let given: [(&str, bool, &[SourceKind]); 14] = [
        ("uid", s.uid.is_some(), &[SourceKind::Weibo]),
        ("screen_name", s.screen_name.is_some(), &[SourceKind::Weibo]),
        ("api_base", s.api_base.is_some(), &[SourceKind::Weibo]),
        (
            "passport_base",
            s.passport_base.is_some(),
            &[SourceKind::Weibo],
        ),
        (
            "backfill_pages",
            s.backfill_pages.is_some(),
            &[SourceKind::Weibo],
        ),
        ("cookie_file", s.cookie_file.is_some(), &[SourceKind::Weibo]),
        ("cookie_env", s.cookie_env.is_some(), &[SourceKind::Weibo]),
        ("url", s.url.is_some(), &[SourceKind::Rss, SourceKind::Html]),
        ("item", s.item.is_some(), &[SourceKind::Html]),
        ("title", s.title.is_some(), &[SourceKind::Html]),
        ("link", s.link.is_some(), &[SourceKind::Html]),
        ("date", s.date.is_some(), &[SourceKind::Html]),
        ("date_format", s.date_format.is_some(), &[SourceKind::Html]),
        ("body", s.body.is_some(), &[SourceKind::Html]),
    ];
    for (name, present, kinds) in given {
        if present && !kinds.contains(&s.kind) {
            problem(
                key(name),
                format!("is not used by a `{}` source; remove it", s.kind),
            );
        }
    }
    match s.kind {
        SourceKind::Weibo => {
            let uid = s
                .uid
                .as_deref()
                .map(str::trim)
                .unwrap_or_default()
                .to_string();
            let screen_name = s
                .screen_name
                .as_deref()
                .map(|n| n.trim().trim_start_matches('@').to_string());
            match (s.uid.is_some(), &screen_name) {
                (true, Some(_)) => problem(
                    key("screen_name"),
                    "give either `uid` or `screen_name`, not both".into(),
                ),
                (false, None) => problem(
                    key("uid"),
                    "a weibo source needs `uid` (the account's numeric id) or `screen_name`".into(),
                ),
                (false, Some(n)) if n.is_empty() => problem(key("screen_name"), "is empty".into()),
                (false, Some(n)) if n.chars().any(|c| c == '/' || c.is_whitespace()) => problem(
                    key("screen_name"),
                    format!("`{n}` cannot be a Weibo screen name (no spaces or `/`)"),
                ),
                (true, None) if uid.is_empty() || !uid.chars().all(|c| c.is_ascii_digit()) => {
                    problem(key("uid"), format!("`{uid}` is not a numeric Weibo uid"))
                }
                _ => {}
            }
            let api_base = http_url(
                s.api_base.as_deref().unwrap_or(DEFAULT_API_BASE),
                key("api_base"),
                problem,
            );
            let passport_base = http_url(
                s.passport_base.as_deref().unwrap_or(DEFAULT_PASSPORT_BASE),
                key("passport_base"),
                problem,
            );
            let backfill_pages = s.backfill_pages.unwrap_or(DEFAULT_BACKFILL_PAGES);
            if backfill_pages == 0 {
                problem(key("backfill_pages"), "must be at least 1".into());
            }
            let cookie = match (&s.cookie_file, &s.cookie_env) {
                (Some(_), Some(_)) => {
                    problem(
                        key("cookie_file"),
                        "give either `cookie_file` or `cookie_env`, not both".into(),
                    );
                    None
                }
                (Some(f), None) if s.enabled => {
                    let path = if f.is_absolute() {
                        f.clone()
                    } else {
                        base.join(f)
                    };
                    match std::fs::read_to_string(&path) {
                        Ok(c) if !c.trim().is_empty() => Some(Secret::new(c.trim())),
                        Ok(_) => {
                            problem(
                                key("cookie_file"),
                                format!("`{}` is empty; paste the `Cookie` header value of a logged-in m.weibo.cn session", path.display()),
                            );
                            None
                        }
                        Err(e) => {
                            problem(
                                key("cookie_file"),
                                format!("cannot read `{}`: {e}", path.display()),
                            );
                            None
                        }
                    }
                }
                (None, Some(var)) if s.enabled => match std::env::var(var) {
                    Ok(c) if !c.trim().is_empty() => Some(Secret::new(c.trim())),
                    _ => {
                        problem(
                            key("cookie_env"),
                            format!("environment variable `{var}` is not set or empty"),
                        );
                        None
                    }
                },
                _ => None,
            };
            Some(SourceSpec::Weibo(WeiboSpec {
                uid,
                screen_name,
                api_base: api_base?,
                passport_base: passport_base?,
                backfill_pages,
                cookie,
            }))
        }
        SourceKind::Rss => {
            let Some(u) = &s.url else {
                problem(
                    key("url"),
                    "an rss source needs `url` (the feed's address)".into(),
                );
                return None;
            };
            http_url(u, key("url"), problem).map(|url| SourceSpec::Rss { url })
        }
        SourceKind::Html => {
            let url = match &s.url {
                Some(u) => http_url(u, key("url"), problem),
                None => {
                    problem(
                        key("url"),
                        "an html source needs `url` (the list page)".into(),
                    );
                    None
                }
            };
            let mut selector = |name: &str, value: Option<&String>, required: bool| match value {
                None if required => {
                    problem(
                        key(name),
                        format!("an html source needs `{name}` (a CSS selector)"),
                    );
                    None
                }
                None => None,
                Some(v) => match scraper::Selector::parse(v) {
                    Ok(_) => Some(v.clone()),
                    Err(e) => {
                        problem(key(name), format!("`{v}` is not a CSS selector: {e}"));
                        None
                    }
                },
            };
            let item = selector("item", s.item.as_ref(), true);
            let title = selector("title", s.title.as_ref(), true);
            let date = selector("date", s.date.as_ref(), false);
            let body = selector("body", s.body.as_ref(), false);
            // `a@href`: the selector, then the attribute holding the URL.
            let (link_sel, link_attr) = match s.link.as_deref() {
                None => (Some(Some("a".to_string())), "href".to_string()),
                Some(l) => {
                    let (sel, attr) = l.rsplit_once('@').unwrap_or((l, "href"));
                    let sel = if sel.trim().is_empty() {
                        Some(None)
                    } else {
                        selector("link", Some(&sel.to_string()), true).map(Some)
                    };
                    (sel, attr.trim().to_string())
                }
            };
            if link_attr.is_empty() {
                problem(
                    key("link"),
                    "the attribute after `@` is empty; write `a@href`".into(),
                );
            }
            if s.date_format.is_some() && s.date.is_none() {
                problem(key("date_format"), "is set but `date` is not".into());
            }
            Some(SourceSpec::Html(HtmlSpec {
                url: url?,
                item: item?,
                title: title?,
                link: link_sel?,
                link_attr,
                date,
                date_format: s.date_format.clone(),
                body,
            }))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_default_is_valid() {
        let cfg = Config::load(None).expect("built-in config must load");
        assert!(cfg
            .sources
            .iter()
            .any(|s| matches!(&s.spec, SourceSpec::Weibo(w) if w.uid == "2656274875")));
        assert!(cfg
            .sources
            .iter()
            .any(|s| matches!(&s.spec, SourceSpec::Html(h) if h.url.host_str() == Some("www.mofcom.gov.cn"))));
        assert!(cfg
            .sources
            .iter()
            .any(|s| matches!(&s.spec, SourceSpec::Html(h) if h.url.host_str() == Some("www.fmprc.gov.cn"))));
    }

    #[test]
    fn example_is_valid() {
        let text = include_str!("../config/example.toml");
        Config::from_toml_str(text, Some(Path::new("config/example.toml")))
            .expect("config/example.toml must load");
    }

    #[test]
    fn unknown_key_names_file_and_key() {
        let text = "[store]\npath = \"x.db\"\n\n[[sources]]\nid = \"a\"\nkind = \"weibo\"\nuid = \"1\"\nshedule = \"every 5m\"\n";
        let err = Config::from_toml_str(text, Some(Path::new("bad.toml"))).unwrap_err();
        let p = &err.problems[0];
        assert_eq!(p.file, "bad.toml");
        assert_eq!(p.key, "sources[0].shedule");
        assert!(p.message.contains("unknown field"), "{}", p.message);
    }

    #[test]
    fn collects_every_problem() {
        let text = r#"
[[sources]]
id = "a"
kind = "weibo"
uid = "abc"
schedule = "every banana"

[[alerts]]
id = "w"
kind = "webhook"
labels = ["talks", "gossip"]
min_score = 1.5
"#;
        let err = Config::from_toml_str(text, None).unwrap_err();
        let keys: Vec<_> = err.problems.iter().map(|p| p.key.as_str()).collect();
        assert!(keys.contains(&"sources[0].uid"), "{keys:?}");
        assert!(keys.contains(&"sources[0].schedule"), "{keys:?}");
        assert!(keys.contains(&"alerts[0].labels[1]"), "{keys:?}");
        assert!(keys.contains(&"alerts[0].min_score"), "{keys:?}");
        assert!(keys.contains(&"alerts[0].url"), "{keys:?}");
    }

    #[test]
    fn source_kinds_are_checked_and_every_problem_collected() {
        let text = r#"
[[sources]]
id = "feed"
kind = "rss"
schedule = "every 10m"
item = "li"

[[sources]]
id = "page"
kind = "html"
url = "ftp://x"
schedule = "every 10m"
item = "li[["
link = "a@"
date_format = "%Y"

[[sources]]
id = "wb"
kind = "weibo"
uid = "1"
schedule = "every 10m"
backfill_pages = 0
cookie_env = "WINDVANE_TEST_COOKIE_THAT_IS_NOT_SET"
"#;
        let err = Config::from_toml_str(text, None).unwrap_err();
        let keys: Vec<_> = err.problems.iter().map(|p| p.key.as_str()).collect();
        for want in [
            "sources[0].url",
            "sources[0].item",
            "sources[1].url",
            "sources[1].item",
            "sources[1].title",
            "sources[1].link",
            "sources[1].date_format",
            "sources[2].backfill_pages",
            "sources[2].cookie_env",
        ] {
            assert!(keys.contains(&want), "{want} missing from {keys:?}");
        }
    }

    #[test]
    fn html_link_syntax_and_cookie_secret() {
        let dir = std::env::temp_dir().join(format!("windvane-cfg-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("cookie.txt"), "SUB=secret-value; SUBP=x\n").unwrap();
        let text = r#"
[[sources]]
id = "page"
kind = "html"
url = "http://127.0.0.1/list/"
schedule = "every 10m"
item = "ul li"
title = "a"
link = "@data-href"

[[sources]]
id = "wb"
kind = "weibo"
uid = "1"
schedule = "every 10m"
cookie_file = "cookie.txt"
"#;
        let cfg = Config::from_toml_str(text, Some(&dir.join("w.toml"))).unwrap();
        let SourceSpec::Html(h) = &cfg.sources[0].spec else {
            panic!("html")
        };
        assert_eq!(
            (h.link.as_deref(), h.link_attr.as_str()),
            (None, "data-href")
        );
        let SourceSpec::Weibo(w) = &cfg.sources[1].spec else {
            panic!("weibo")
        };
        assert_eq!(w.backfill_pages, DEFAULT_BACKFILL_PAGES);
        assert_eq!(
            w.cookie.as_ref().unwrap().expose(),
            "SUB=secret-value; SUBP=x"
        );
        assert!(
            !format!("{cfg:?}").contains("secret-value"),
            "cookie leaked into Debug"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_weibo_account_is_a_uid_or_a_screen_name_exactly() {
        let source = |keys: &str| {
            format!(
                "[[sources]]\nid = \"wb\"\nkind = \"weibo\"\nschedule = \"every 10m\"\n{keys}\n"
            )
        };
        let problems = |keys: &str| -> Vec<(String, String, String)> {
            match Config::from_toml_str(&source(keys), Some(Path::new("w.toml"))) {
                Ok(_) => Vec::new(),
                Err(e) => e
                    .problems
                    .into_iter()
                    .map(|p| (p.file, p.key, p.message))
                    .collect(),
            }
        };
        let both = problems("uid = \"1\"\nscreen_name = \"央视新闻\"");
        assert_eq!(both.len(), 1, "{both:?}");
        assert_eq!(
            (both[0].0.as_str(), both[0].1.as_str()),
            ("w.toml", "sources[0].screen_name")
        );
        assert!(both[0].2.contains("not both"), "{both:?}");
        let neither = problems("");
        assert_eq!(neither.len(), 1, "{neither:?}");
        assert_eq!(
            (neither[0].0.as_str(), neither[0].1.as_str()),
            ("w.toml", "sources[0].uid")
        );
        assert!(neither[0].2.contains("or `screen_name`"), "{neither:?}");
        assert_eq!(
            problems("screen_name = \"央视 新闻\"")[0].1,
            "sources[0].screen_name"
        );
        let cfg = Config::from_toml_str(&source("screen_name = \"@央视新闻\""), None).unwrap();
        let SourceSpec::Weibo(w) = &cfg.sources[0].spec else {
            panic!("weibo")
        };
        assert_eq!(
            (w.uid.as_str(), w.screen_name.as_deref()),
            ("", Some("央视新闻"))
        );
        let rss = "[[sources]]\nid = \"f\"\nkind = \"rss\"\nurl = \"http://127.0.0.1/f\"\nschedule = \"every 10m\"\nscreen_name = \"x\"\n";
        let err = Config::from_toml_str(rss, None).unwrap_err();
        assert_eq!(err.problems[0].key, "sources[0].screen_name");
    }

    #[test]
    fn relative_store_path_resolves_against_config_folder() {
        let cfg = Config::from_toml_str(
            "[store]\npath = \"data/w.db\"\n",
            Some(Path::new("/etc/windvane/windvane.toml")),
        )
        .unwrap();
        assert_eq!(cfg.store_path, PathBuf::from("/etc/windvane/data/w.db"));
    }
}
