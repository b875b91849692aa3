//! Configuration: `RawConfig` is exactly what serde read from TOML; `Config` is the validated,
//! runtime form. Validation collects every problem so `check-config` can report them all at once.

use std::collections::HashSet;
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;
use url::Url;

use crate::schedule::Schedule;

mod cluster;
mod files;
pub use crate::store::pg::{ClusterConfig, DEFAULT_EGRESS, DEFAULT_LEASE_TTL};
pub use cluster::{RawInstance, EGRESS_ENV, MIN_LEASE_TTL, PGPASSWORD};
use files::Problems;
pub use files::{FileRef, SourceOrigin, BUILTIN_FILES, MAX_INCLUDE_DEPTH};

/// The built-in default configuration, used when neither `--config` nor `./windvane.toml` exists.
pub const DEFAULT_CONFIG: &str = include_str!("../config/windvane.toml");
/// Label under which the built-in config is reported in errors.
pub const DEFAULT_CONFIG_NAME: &str = "<built-in config/windvane.toml>";

pub const DEFAULT_API_BASE: &str = "https://m.weibo.cn";
pub const DEFAULT_PASSPORT_BASE: &str = "https://passport.weibo.com";
/// Timeline pages read on a source's first run (and at most on any run).
pub const DEFAULT_BACKFILL_PAGES: u32 = 3;
pub const DEFAULT_MAX_CONCURRENCY: usize = 4;
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

pub use crate::duration::MAX_DURATION;
pub use crate::fetch::{
    FetchConfig, DEFAULT_BREAKER_COOLDOWN, DEFAULT_BREAKER_THRESHOLD, DEFAULT_JITTER,
    DEFAULT_MAX_BODY_BYTES, DEFAULT_MIN_INTERVAL_PER_HOST, DEFAULT_RETRIES, DEFAULT_RETRY_BACKOFF,
    DEFAULT_TIMEOUT, DEFAULT_USER_AGENT, DEFAULT_VISITOR_COOLDOWN, MAX_RETRIES,
};
pub use crate::secret::{redact_values, Environment, Secret};
pub use crate::sources::html::HtmlSpec;
pub use crate::sources::weibo::WeiboSpec;
pub use crate::sources::SourceSpec;

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
    /// Cluster mode only (with `store.url`).
    pub instance: Option<RawInstance>,
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
    #[serde(default, deserialize_with = "crate::duration::bounded_duration")]
    pub window: Option<Duration>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawStore {
    /// SQLite (the default, `windvane.db`).
    pub path: Option<PathBuf>,
    #[serde(default, deserialize_with = "crate::duration::bounded_duration")]
    pub busy_timeout: Option<Duration>,
    /// PostgreSQL (cluster mode): `postgres://user@host:port/db`.
    pub url: Option<String>,
    /// The variable holding PostgreSQL's password (default: libpq's `PGPASSWORD`).
    pub password_env: Option<String>,
}

fn default_store_path() -> PathBuf {
    PathBuf::from("windvane.db")
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawDaemon {
    pub timezone: Option<String>,
    pub max_concurrency: Option<usize>,
    #[serde(default, deserialize_with = "crate::duration::bounded_duration")]
    pub shutdown_grace: Option<Duration>,
    #[serde(default, deserialize_with = "crate::duration::bounded_duration")]
    pub dispatch_interval: Option<Duration>,
    pub metrics_listen: Option<String>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawFetch {
    #[serde(default, deserialize_with = "crate::duration::bounded_duration")]
    pub timeout: Option<Duration>,
    pub user_agent: Option<String>,
    pub max_body_bytes: Option<u64>,
    #[serde(default, deserialize_with = "crate::duration::bounded_duration")]
    pub min_interval_per_host: Option<Duration>,
    pub retries: Option<u32>,
    #[serde(default, deserialize_with = "crate::duration::bounded_duration")]
    pub retry_backoff: Option<Duration>,
    #[serde(default, deserialize_with = "crate::duration::bounded_duration")]
    pub jitter: Option<Duration>,
    pub breaker_threshold: Option<u32>,
    #[serde(default, deserialize_with = "crate::duration::bounded_duration")]
    pub breaker_cooldown: Option<Duration>,
    #[serde(default, deserialize_with = "crate::duration::bounded_duration")]
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
    /// Required; `Option` so a missing one is reported with every other problem.
    pub id: Option<String>,
    pub kind: Option<SourceKind>,
    /// Display name (the account's screen name); defaults to the id.
    pub name: Option<String>,
    pub schedule: Option<String>,
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
    #[serde(default, deserialize_with = "crate::duration::bounded_duration")]
    pub schedule_jitter: Option<Duration>,
    /// Without a success this recent the source is stale: `/healthz`, `status`, and one
    /// operator alert.
    #[serde(default, deserialize_with = "crate::duration::bounded_duration")]
    pub stale_after: Option<Duration>,
    #[serde(default, deserialize_with = "crate::duration::bounded_duration")]
    pub recheck_window: Option<Duration>,
    #[serde(default, deserialize_with = "crate::duration::bounded_duration")]
    pub recheck_every: Option<Duration>,
    /// Cluster mode: fetched only by instances on this egress (a login bound to an IP).
    pub egress: Option<String>,
}

fn yes() -> bool {
    true
}

pub use crate::alert::config::{
    AlertConfig, AlertKind, RawAlert, DEFAULT_MAX_ATTEMPTS, DEFAULT_MIN_SCORE,
};

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
    /// Sources validated but switched off (`enabled = false`), for `check-config`.
    pub disabled_sources: Vec<DisabledSource>,
    pub alerts: Vec<AlertConfig>,
    /// `[review] public_url`: alerts link to the post on the review page when set.
    pub review_public_url: Option<Url>,
    /// `[corroboration] window`.
    pub corroboration_window: Duration,
    pub review: ReviewConfig,
    /// `[store] url`: this process is an instance of a cluster on PostgreSQL.
    pub cluster: Option<ClusterConfig>,
}

/// The review desk (`serve`, and `run` when enabled).
#[derive(Debug, Clone)]
pub struct ReviewConfig {
    pub enabled: bool,
    pub listen: std::net::SocketAddr,
    /// Required on every request when set; required to listen beyond loopback.
    pub token: Option<Secret>,
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
    /// The file that defines it (the main config or an included list), as errors name it.
    pub origin: String,
    /// Cluster mode: only instances on this egress fetch it; `None`: any egress.
    pub egress: Option<String>,
}

/// A source switched off with `enabled = false` (its keys are still checked).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisabledSource {
    pub id: String,
    pub name: String,
    pub origin: String,
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

/// The configuration as the alert dispatcher reads it.
impl<'a> From<&'a Config> for crate::alert::Alerting<'a> {
    fn from(cfg: &'a Config) -> Self {
        crate::alert::Alerting {
            channels: &cfg.alerts,
            sources: cfg
                .sources
                .iter()
                .map(|s| crate::alert::WatchedSource {
                    id: &s.id,
                    name: &s.name,
                    stale_after: s.watch.stale_after,
                })
                .collect(),
            review_public_url: cfg.review_public_url.as_ref(),
            corroboration_window: cfg.corroboration_window,
            secrets: cfg.secret_values(),
        }
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

    /// Parses and validates TOML text. `origin` names the file in errors and anchors relative
    /// paths and includes; without it the text stands for the built-in `config/windvane.toml`
    /// (its includes are the compiled-in lists).
    pub fn from_toml_str(text: &str, origin: Option<&Path>) -> Result<Config, ConfigError> {
        Config::from_toml_str_in(text, origin, &Environment::Process)
    }

    /// [`Config::from_toml_str`] with the `*_env` variables looked up in `env`.
    pub fn from_toml_str_in(
        text: &str,
        origin: Option<&Path>,
        env: &Environment,
    ) -> Result<Config, ConfigError> {
        let root = match origin {
            Some(p) => FileRef::Disk(p.to_path_buf()),
            None => FileRef::Builtin("windvane.toml".into()),
        };
        let mut problems = Problems::new(root.display());
        let raw = files::merge(text, &root, &mut problems).and_then(|tree| {
            files::deserialize_lenient::<RawConfig>(toml::Value::Table(tree), &mut problems)
        });
        let Some(raw) = raw else {
            return Err(ConfigError {
                problems: problems.list,
            });
        };
        let cfg = validate(
            raw,
            &root.base(),
            origin.map(Path::to_path_buf),
            env,
            &mut problems,
        );
        match cfg {
            Some(cfg) if problems.is_empty() => Ok(cfg),
            _ => Err(ConfigError {
                problems: problems.list,
            }),
        }
    }
}

/// The resolved sources, one per line with the file that defines each (for `check-config`).
pub fn describe_sources(cfg: &Config) -> String {
    let width = cfg
        .sources
        .iter()
        .map(|s| s.id.len())
        .chain(cfg.disabled_sources.iter().map(|s| s.id.len()))
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for s in &cfg.sources {
        let schedule = match &s.schedule {
            Schedule::Every(d) => format!("every {}", humantime::format_duration(*d)),
            Schedule::Cron(line) => format!("cron \"{line}\""),
        };
        let jitter = if s.watch.schedule_jitter.is_zero() {
            String::new()
        } else {
            format!(
                " (+0–{} jitter)",
                humantime::format_duration(s.watch.schedule_jitter)
            )
        };
        let what = match &s.spec {
            SourceSpec::Weibo(w) => match &w.screen_name {
                Some(n) if w.uid.is_empty() => format!("@{n} (screen_name)"),
                _ => format!("uid {} ({})", w.uid, s.name),
            },
            SourceSpec::Rss { url } => format!("{url} ({})", s.name),
            SourceSpec::Html(h) => format!("{} ({})", h.url, s.name),
        };
        out.push_str(&format!(
            "  {:<width$}  {:<5}  {schedule}{jitter}  {what}  from {}\n",
            s.id,
            s.kind().to_string(),
            s.origin
        ));
    }
    for s in &cfg.disabled_sources {
        out.push_str(&format!(
            "  {:<width$}  disabled ({})  from {}\n",
            s.id, s.name, s.origin
        ));
    }
    out
}

fn validate(
    raw: RawConfig,
    base: &Path,
    origin: Option<PathBuf>,
    env: &Environment,
    problems: &mut Problems,
) -> Option<Config> {
    let origins = problems.origins.clone();
    let mut problem = |key: String, message: String| problems.push(key, message);

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

    let fetch = fetch_section(raw.fetch, &mut problem);
    let (sources, disabled_sources, source_ids) = sources_section(
        raw.sources,
        &origins,
        base,
        timezone,
        &fetch,
        env,
        &mut problem,
    );
    let alerts = alerts_section(raw.alerts, timezone, &source_ids, env, &mut problem);
    let corroboration_window = raw
        .corroboration
        .window
        .unwrap_or(DEFAULT_CORROBORATION_WINDOW);
    let (review, review_public_url) = review_section(raw.review, env, &mut problem);
    let metrics_listen = metrics_listen(raw.daemon.metrics_listen.as_deref(), &mut problem);
    let cluster = cluster::cluster_section(
        raw.store.url,
        raw.store.path.is_some(),
        raw.store.password_env,
        raw.instance,
        env,
        &mut problem,
    );
    let store_path = raw.store.path.unwrap_or_else(default_store_path);

    Some(Config {
        origin,
        store_path: resolve(&store_path),
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
        disabled_sources,
        alerts,
        review,
        review_public_url,
        corroboration_window,
        cluster,
    })
}

/// `[fetch]`: the validated `FetchConfig`.
fn fetch_section(raw: RawFetch, problem: &mut impl FnMut(String, String)) -> FetchConfig {
    let fetch = FetchConfig {
        timeout: raw.timeout.unwrap_or(DEFAULT_TIMEOUT),
        user_agent: raw
            .user_agent
            .unwrap_or_else(|| DEFAULT_USER_AGENT.to_string()),
        max_body_bytes: raw.max_body_bytes.unwrap_or(DEFAULT_MAX_BODY_BYTES),
        min_interval_per_host: raw
            .min_interval_per_host
            .unwrap_or(DEFAULT_MIN_INTERVAL_PER_HOST),
        retries: raw.retries.unwrap_or(DEFAULT_RETRIES),
        retry_backoff: raw.retry_backoff.unwrap_or(DEFAULT_RETRY_BACKOFF),
        jitter: raw.jitter.unwrap_or(DEFAULT_JITTER),
        breaker_threshold: raw.breaker_threshold.unwrap_or(DEFAULT_BREAKER_THRESHOLD),
        breaker_cooldown: raw.breaker_cooldown.unwrap_or(DEFAULT_BREAKER_COOLDOWN),
        visitor_cooldown: raw.visitor_cooldown.unwrap_or(DEFAULT_VISITOR_COOLDOWN),
    };
    if fetch.timeout.is_zero() {
        problem("fetch.timeout".into(), "must be longer than 0s".into());
    }
    // Each run may take timeout × (retries + 1); more retries only hammer a failing host.
    if fetch.retries > MAX_RETRIES {
        problem(
            "fetch.retries".into(),
            format!("{} is more than {MAX_RETRIES}", fetch.retries),
        );
    }
    if fetch.max_body_bytes < 1024 {
        problem(
            "fetch.max_body_bytes".into(),
            "must be at least 1024 bytes".into(),
        );
    }

    fetch
}

/// `[[sources]]`: the enabled sources, the disabled ones, and every id (for `[[alerts]]`).
fn sources_section(
    raw: Vec<RawSource>,
    origins: &[SourceOrigin],
    base: &Path,
    timezone: chrono_tz::Tz,
    fetch: &FetchConfig,
    env: &Environment,
    problem: &mut impl FnMut(String, String),
) -> (Vec<SourceConfig>, Vec<DisabledSource>, Vec<String>) {
    let mut seen = HashSet::new();
    let mut sources = Vec::new();
    let mut disabled_sources = Vec::new();
    for (i, s) in raw.into_iter().enumerate() {
        let key = |k: &str| format!("sources[{i}].{k}");
        let from = origins.get(i);
        let id = s.id.clone().unwrap_or_default();
        match &s.id {
            None => problem(
                key("id"),
                "a source needs `id` (ASCII letters, digits, `-` or `_`)".into(),
            ),
            Some(id)
                if id.trim().is_empty()
                    || !id
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') =>
            {
                problem(
                    key("id"),
                    format!("`{id}` must be non-empty ASCII letters, digits, `-` or `_`"),
                )
            }
            // Duplicates were reported (naming both files) when the files were merged.
            Some(id) => {
                seen.insert(id.clone());
            }
        }
        let schedule = match s.schedule.as_deref().map(Schedule::parse) {
            None => {
                problem(
                    key("schedule"),
                    "a source needs `schedule` (\"every 10m\" or a cron line with seconds)".into(),
                );
                None
            }
            Some(Ok(sch)) => Some(sch),
            Some(Err(e)) => {
                problem(key("schedule"), e);
                None
            }
        };
        if let Some(sch @ Schedule::Cron(line)) = &schedule {
            // A valid line can name a date that does not exist (30 February): it would never run.
            if sch.next_cron_after(chrono::Utc::now(), timezone).is_none() {
                problem(
                    key("schedule"),
                    format!("`{line}` never fires: no date matches its day and month fields (30 February?)"),
                );
            }
        }
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
        // A list's relative paths resolve against the list, an override's against the main file.
        let source_base = match from {
            Some(o) if !o.overridden.contains("cookie_file") => o.base.clone(),
            _ => base.to_path_buf(),
        };
        let spec = match s.kind {
            Some(kind) => source_spec(&s, kind, &id, &source_base, env, &mut *problem, &key),
            None => {
                problem(
                    key("kind"),
                    "a source needs `kind`: \"weibo\", \"rss\" or \"html\"".into(),
                );
                None
            }
        };
        let watch = source_watch(&s, schedule.as_ref(), &mut *problem, &key);
        if s.egress.as_deref().is_some_and(|e| e.trim().is_empty()) {
            problem(
                key("egress"),
                "must name an egress (leave it out to fetch through any)".into(),
            );
        }
        let origin_file = from.map(|o| o.file.clone()).unwrap_or_default();
        let name = s.name.clone().unwrap_or_else(|| id.clone());
        if !s.enabled {
            disabled_sources.push(DisabledSource {
                id,
                name,
                origin: origin_file,
            });
            continue;
        }
        if let (Some(schedule), Some(spec)) = (schedule, spec) {
            sources.push(SourceConfig {
                name,
                id,
                schedule,
                spec,
                watch,
                origin: origin_file,
                egress: s.egress.clone(),
            });
        }
    }

    (sources, disabled_sources, seen.into_iter().collect())
}

/// `[[alerts]]`: each channel validated by `alert::config::validate`; ids unique.
fn alerts_section(
    raw: Vec<RawAlert>,
    timezone: chrono_tz::Tz,
    source_ids: &[String],
    env: &Environment,
    problem: &mut impl FnMut(String, String),
) -> Vec<AlertConfig> {
    let mut alert_ids = HashSet::new();
    let mut alerts = Vec::new();
    for (i, a) in raw.into_iter().enumerate() {
        if let Some(id) = &a.id {
            if !alert_ids.insert(id.clone()) {
                problem(
                    format!("alerts[{i}].id"),
                    format!("`{id}` is used by another alert channel"),
                );
            }
        }
        alerts.extend(crate::alert::config::validate(
            a,
            i,
            timezone,
            source_ids,
            env,
            &mut *problem,
        ));
    }
    alerts
}

/// `[review]`: the desk, and the public URL alerts link to.
fn review_section(
    raw: RawReview,
    env: &Environment,
    problem: &mut impl FnMut(String, String),
) -> (ReviewConfig, Option<Url>) {
    let review_public_url = raw
        .public_url
        .as_deref()
        .and_then(|u| http_url(u, "review.public_url".into(), &mut *problem));

    let review_listen = raw.listen.as_deref().unwrap_or(DEFAULT_REVIEW_LISTEN);
    let listen = review_listen
        .parse::<std::net::SocketAddr>()
        .unwrap_or_else(|_| {
            problem(
                "review.listen".into(),
                format!("`{review_listen}` is not an address with a port, e.g. \"127.0.0.1:8090\""),
            );
            std::net::SocketAddr::from(([127, 0, 0, 1], 8090))
        });
    let token_env = raw.token_env.as_deref().unwrap_or(DEFAULT_REVIEW_TOKEN_ENV);
    let token = env
        .var(token_env)
        .or(raw.token)
        .filter(|t| !t.trim().is_empty())
        .map(Secret::new);
    let review = ReviewConfig {
        enabled: raw.enabled.unwrap_or(false),
        listen,
        token,
    };
    if review.enabled && !review.listen.ip().is_loopback() && review.token.is_none() {
        problem(
            "review.listen".into(),
            format!("{listen} is not a loopback address: set an access token in `{token_env}` (or `review.token`)"),
        );
    }

    (review, review_public_url)
}

/// `daemon.metrics_listen`: where `/healthz` and `/metrics` listen, `None` when "off".
fn metrics_listen(
    raw: Option<&str>,
    problem: &mut impl FnMut(String, String),
) -> Option<std::net::SocketAddr> {
    match raw {
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
    }
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
        Some(Schedule::Every(d)) => d.saturating_mul(3).max(Duration::from_secs(15 * 60)),
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

/// What is wrong with a CSS selector, in words: scraper's own Display asks the user to report
/// most mistakes ("Unexpected error … DanglingCombinator") to its developer. The parser's
/// error kinds are matched by name, so no second copy of the `selectors` crate is pinned to
/// scraper's.
fn selector_error(e: &scraper::error::SelectorErrorKind) -> String {
    use scraper::error::SelectorErrorKind as K;
    let attr = "has a malformed attribute selector; write `[name]`, `[name=value]` or `[name^=\"prefix\"]`";
    let text = match e {
        K::UnexpectedToken => "has a character that cannot stand there",
        K::EndOfLine => {
            "ends too early (a class or id name, a closing `]` or `)`, or a quote is missing)"
        }
        K::ExpectedColonOnPseudoElement | K::ExpectedIdentityOnPseudoElement => {
            "has a malformed pseudo-element (`::name`)"
        }
        K::UnexpectedSelectorParseError(kind) => match format!("{kind:?}").as_str() {
            "DanglingCombinator" => {
                "ends with a combinator (`>`, `+` or `~`) with nothing after it"
            }
            "EmptySelector" => "is empty, or has an empty part between commas",
            "ClassNeedsIdent" => "has a `.` without a class name after it",
            "NoIdentForPseudo" => "has a `:` without a pseudo-class name after it",
            "UnsupportedPseudoClassOrElement" => {
                "uses a pseudo-class or pseudo-element that is not supported"
            }
            "NoQualifiedNameInAttributeSelector"
            | "UnexpectedTokenInAttributeSelector"
            | "ExpectedBarInAttr"
            | "BadValueInAttr"
            | "InvalidQualNameInAttr"
            | "UnexpectedIdent" => attr,
            other => return format!("it is not valid CSS ({other})"),
        },
        other => return format!("it is not valid CSS ({other})"),
    };
    format!("it {text}")
}

/// Checks one source table's kind-specific keys; every problem is reported through `problem`.
fn source_spec(
    s: &RawSource,
    kind: SourceKind,
    id: &str,
    base: &Path,
    env: &Environment,
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
    crate::keys::refuse_other_kinds(&given, &kind, "source", key, problem);
    match kind {
        SourceKind::Weibo => weibo_spec(s, base, env, problem, key),
        SourceKind::Rss => rss_spec(s, problem, key),
        SourceKind::Html => html_spec(s, id, problem, key),
    }
}

/// A weibo source: `uid` or `screen_name`, the API and passport bases, the backfill depth
/// and a login cookie, if any.
fn weibo_spec(
    s: &RawSource,
    base: &Path,
    env: &Environment,
    problem: &mut impl FnMut(String, String),
    key: &dyn Fn(&str) -> String,
) -> Option<SourceSpec> {
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
    let cookie = weibo_cookie(s, base, env, problem, key);
    Some(SourceSpec::Weibo(WeiboSpec {
        uid,
        screen_name,
        api_base: api_base?,
        passport_base: passport_base?,
        backfill_pages,
        cookie,
    }))
}

/// The login cookie of a weibo source, from `cookie_file` (relative to `base`) or
/// `cookie_env` (looked up in `env`); read only for an enabled source.
fn weibo_cookie(
    s: &RawSource,
    base: &Path,
    env: &Environment,
    problem: &mut impl FnMut(String, String),
    key: &dyn Fn(&str) -> String,
) -> Option<Secret> {
    match (&s.cookie_file, &s.cookie_env) {
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
        (None, Some(var)) if s.enabled => match env.var(var) {
            Some(c) if !c.trim().is_empty() => Some(Secret::new(c.trim())),
            _ => {
                problem(
                    key("cookie_env"),
                    format!("environment variable `{var}` is not set or empty"),
                );
                None
            }
        },
        _ => None,
    }
}

/// An rss source: its feed's `url`.
fn rss_spec(
    s: &RawSource,
    problem: &mut impl FnMut(String, String),
    key: &dyn Fn(&str) -> String,
) -> Option<SourceSpec> {
    let Some(u) = &s.url else {
        problem(
            key("url"),
            "an rss source needs `url` (the feed's address)".into(),
        );
        return None;
    };
    http_url(u, key("url"), problem).map(|url| SourceSpec::Rss { url })
}

/// An html source: the list page's `url` and its CSS selectors.
fn html_spec(
    s: &RawSource,
    id: &str,
    problem: &mut impl FnMut(String, String),
    key: &dyn Fn(&str) -> String,
) -> Option<SourceSpec> {
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
                problem(
                    key(name),
                    format!(
                        "source `{id}`: `{v}` is not a CSS selector: {}",
                        selector_error(&e)
                    ),
                );
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

    fn source<'a>(cfg: &'a Config, id: &str) -> &'a SourceConfig {
        cfg.sources
            .iter()
            .find(|s| s.id == id)
            .unwrap_or_else(|| panic!("no source `{id}`"))
    }

    #[track_caller]
    fn problems(text: &str, path: &Path) -> Vec<ConfigProblem> {
        match Config::from_toml_str(text, Some(path)) {
            Ok(_) => panic!("expected problems"),
            Err(e) => e.problems,
        }
    }

    #[test]
    fn the_default_watches_yuyuan_tiantian_from_the_state_media_list() {
        let cfg = Config::load(None).expect("built-in config must load");
        let yyt = source(&cfg, "yuyuan-tiantian");
        let SourceSpec::Weibo(w) = &yyt.spec else {
            panic!("weibo")
        };
        assert_eq!(
            (w.uid.as_str(), w.screen_name.as_deref()),
            ("", Some("玉渊谭天"))
        );
        assert_eq!(yyt.origin, "<built-in config/watchlists/state-media.toml>");
        assert_eq!(yyt.schedule, Schedule::Every(Duration::from_secs(600)));
        assert_eq!(yyt.watch.schedule_jitter, Duration::from_secs(120));
        // The issue's accounts and pages are all there; customs is listed but off.
        for id in [
            "cctv-news",
            "peoples-daily",
            "xinhua",
            "xinhua-viewpoint",
            "global-times",
            "china-daily",
            "chinanews",
            "mfa-spokesperson-office",
            "mofcom-news-office",
            "mofcom-spokesperson",
            "mfa-spokesperson",
            "tariff-commission",
        ] {
            source(&cfg, id);
        }
        assert_eq!(
            cfg.disabled_sources
                .iter()
                .map(|d| d.id.as_str())
                .collect::<Vec<_>>(),
            ["customs-announcements"]
        );
        let SourceSpec::Html(tariffs) = &source(&cfg, "tariff-commission").spec else {
            panic!("html")
        };
        assert_eq!(tariffs.url.host_str(), Some("gss.mof.gov.cn"));
    }

    #[test]
    fn the_lists_parse_comment_every_entry_and_use_only_known_uids() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("config/watchlists");
        let mut on_disk = Vec::new();
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let name = format!("watchlists/{}", path.file_name().unwrap().to_string_lossy());
            let text = std::fs::read_to_string(&path).unwrap();
            // The compiled-in copy is this file (a list added on disk is added to BUILTIN_FILES).
            assert_eq!(files::builtin(&name), Some(text.as_str()), "{name}");
            on_disk.push(name.clone());
            let main = format!("include = [{:?}]\n", path.display().to_string());
            let cfg = Config::from_toml_str(&main, Some(&dir.join("main.toml")))
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            assert!(!cfg.sources.is_empty(), "{name}");
            // Every entry says who it is: a comment right above its `[[sources]]`.
            let lines: Vec<&str> = text.lines().collect();
            for (n, l) in lines.iter().enumerate() {
                if l.trim() == "[[sources]]" {
                    assert!(
                        n > 0 && lines[n - 1].starts_with('#'),
                        "{name}:{}: an entry without a comment",
                        n + 1
                    );
                }
            }
            // uids only where captured data showed them (see each entry's comment).
            let known = [
                "2656274875",
                "2803301701",
                "1699432410",
                "1974576991",
                "1663072851",
            ];
            for s in &cfg.sources {
                if let SourceSpec::Weibo(w) = &s.spec {
                    assert!(
                        w.uid.is_empty() || known.contains(&w.uid.as_str()),
                        "{name}: uid {} of {} is not one seen in the fixtures",
                        w.uid,
                        s.id
                    );
                }
            }
        }
        assert!(on_disk.contains(&"watchlists/state-media.toml".to_string()));
    }

    #[test]
    fn includes_resolve_against_the_including_file_and_overrides_apply_per_id() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("conf/lists/more")).unwrap();
        std::fs::write(
            dir.path().join("conf/lists/a.toml"),
            "include = [\"more/b.toml\"]\n[[sources]]\nid = \"a1\"\nkind = \"weibo\"\nscreen_name = \"甲\"\nschedule = \"every 10m\"\nschedule_jitter = \"1m\"\n",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("conf/lists/more/b.toml"),
            "[[sources]]\nid = \"b1\"\nkind = \"rss\"\nurl = \"http://127.0.0.1/feed\"\nschedule = \"every 10m\"\n",
        )
        .unwrap();
        let main = dir.path().join("conf/main.toml");
        let text = "include = [\"lists/a.toml\"]\n\n[overrides.a1]\nschedule = \"every 2m\"\nuid = \"123\"\n\n[overrides.b1]\nenabled = false\n";
        let cfg = Config::from_toml_str(text, Some(&main)).unwrap_or_else(|e| panic!("{e}"));
        let a1 = source(&cfg, "a1");
        assert_eq!(a1.schedule, Schedule::Every(Duration::from_secs(120)));
        // Keys the override leaves alone keep the list's value.
        assert_eq!(a1.watch.schedule_jitter, Duration::from_secs(60));
        // `uid` replaces the list's `screen_name`.
        let SourceSpec::Weibo(w) = &a1.spec else {
            panic!("weibo")
        };
        assert_eq!((w.uid.as_str(), w.screen_name.as_deref()), ("123", None));
        assert_eq!(
            a1.origin,
            dir.path().join("conf/lists/a.toml").display().to_string()
        );
        assert_eq!(cfg.disabled_sources[0].id, "b1");
        assert_eq!(
            cfg.disabled_sources[0].origin,
            dir.path()
                .join("conf/lists/more/b.toml")
                .display()
                .to_string()
        );
        // A list the folder lacks is the compiled-in one, and says so.
        let cfg =
            Config::from_toml_str("include = [\"watchlists/state-media.toml\"]\n", Some(&main))
                .unwrap();
        assert_eq!(
            source(&cfg, "yuyuan-tiantian").origin,
            "<built-in config/watchlists/state-media.toml>"
        );
    }

    #[test]
    fn an_include_cycle_is_named_with_its_files() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a.toml"), dir.path().join("b.toml"));
        std::fs::write(&a, "include = [\"b.toml\"]\n").unwrap();
        std::fs::write(&b, "include = [\"a.toml\"]\n").unwrap();
        let p = problems("include = [\"b.toml\"]\n", &a);
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!(
            (p[0].file.as_str(), p[0].key.as_str()),
            (b.display().to_string().as_str(), "include[0]")
        );
        assert_eq!(
            p[0].message,
            format!(
                "include cycle: {} → {} → {}; remove one of these includes",
                a.display(),
                b.display(),
                a.display()
            )
        );
        // A file including itself.
        std::fs::write(&b, "include = [\"./b.toml\"]\n").unwrap();
        let p = problems("include = [\"b.toml\"]\n", &a);
        assert!(p[0].message.starts_with("include cycle:"), "{p:?}");
        // A chain deeper than the limit (no cycle) stops with its own message.
        for n in 0..=MAX_INCLUDE_DEPTH + 1 {
            std::fs::write(
                dir.path().join(format!("c{n}.toml")),
                format!("include = [\"c{}.toml\"]\n", n + 1),
            )
            .unwrap();
        }
        let p = problems("include = [\"c0.toml\"]\n", &a);
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(p[0].message.contains("nest deeper than 8"), "{p:?}");
        // A missing file.
        let p = problems("include = [\"nope.toml\"]\n", &a);
        assert_eq!(p[0].key, "include[0]");
        assert!(p[0].message.contains("nope.toml"), "{p:?}");
    }

    #[test]
    fn a_duplicate_id_across_files_names_both_files() {
        let dir = tempfile::tempdir().unwrap();
        let list = dir.path().join("list.toml");
        std::fs::write(&list, "[[sources]]\nid = \"x\"\nkind = \"rss\"\nurl = \"http://127.0.0.1/a\"\nschedule = \"every 10m\"\n[[sources]]\nid = \"y\"\nkind = \"rss\"\nurl = \"http://127.0.0.1/b\"\nschedule = \"every 10m\"\n").unwrap();
        let main = dir.path().join("main.toml");
        let p = problems(
            "include = [\"list.toml\"]\n[[sources]]\nid = \"y\"\nkind = \"rss\"\nurl = \"http://127.0.0.1/c\"\nschedule = \"every 10m\"\n",
            &main,
        );
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!(
            (p[0].file.as_str(), p[0].key.as_str()),
            (main.display().to_string().as_str(), "sources[0].id")
        );
        assert!(
            p[0].message.contains(&format!(
                "`y` is also the id of sources[1] in `{}`",
                list.display()
            )),
            "{p:?}"
        );
        // Within one file as well.
        let p = problems(
            "[[sources]]\nid = \"y\"\nkind = \"rss\"\nurl = \"http://127.0.0.1/c\"\nschedule = \"every 10m\"\n[[sources]]\nid = \"y\"\nkind = \"rss\"\nurl = \"http://127.0.0.1/d\"\nschedule = \"every 10m\"\n",
            &main,
        );
        assert_eq!(p[0].key, "sources[1].id");
        // The same list twice is one mistake, not one per id.
        let p = problems("include = [\"list.toml\", \"./list.toml\"]\n", &main);
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!(p[0].key, "include[1]");
        assert!(p[0].message.contains("already included"), "{p:?}");
    }

    #[test]
    fn problems_in_a_list_or_an_override_name_the_file_that_wrote_them() {
        let dir = tempfile::tempdir().unwrap();
        let list = dir.path().join("list.toml");
        std::fs::write(&list, "[[sources]]\nid = \"x\"\nkind = \"rss\"\nurl = \"http://127.0.0.1/a\"\nschedule = \"every 10m\"\n[[sources]]\nid = \"y\"\nkind = \"rss\"\nurl = \"http://127.0.0.1/b\"\nschedule = \"every banana\"\n[fetch]\ntimeout = \"1s\"\n").unwrap();
        let main = dir.path().join("main.toml");
        let p = problems(
            "include = [\"list.toml\"]\n[overrides.x]\nschedule = \"every apple\"\nkind = \"html\"\nshedule = \"every 1h\"\n[overrides.zzz]\nenabled = false\n",
            &main,
        );
        let got: Vec<(String, String)> = p
            .iter()
            .map(|p| {
                (
                    p.file.replace(&dir.path().display().to_string(), ""),
                    p.key.clone(),
                )
            })
            .collect();
        for want in [
            ("/list.toml", "fetch"),
            ("/list.toml", "sources[1].schedule"),
            ("/main.toml", "overrides.x.kind"),
            ("/main.toml", "overrides.x.schedule"),
            ("/main.toml", "overrides.x.shedule"),
            ("/main.toml", "overrides.zzz"),
        ] {
            assert!(
                got.contains(&(want.0.to_string(), want.1.to_string())),
                "{want:?} missing from {got:?}"
            );
        }
        assert_eq!(got.len(), 6, "{got:?}");
    }

    #[test]
    fn one_bad_value_hides_nothing_else() {
        // Nine problems; the unreadable duration comes first and used to stop the reading.
        let text = r#"
[fetch]
timeout = "20 parsecs"
retries = -1

[daemon]
max_concurrency = 0
colour = "red"

[[sources]]
id = "a"
kind = "wiebo"
schedule = "every 10m"

[[sources]]
kind = "rss"
url = "ftp://x"

[[alerts]]
id = "w"
kind = "webhook"
labels = ["talks", 7]
"#;
        let err = Config::from_toml_str(text, Some(Path::new("w.toml"))).unwrap_err();
        let mut keys: Vec<_> = err.problems.iter().map(|p| p.key.as_str()).collect();
        keys.sort_unstable();
        assert_eq!(
            keys,
            [
                "alerts[0].labels[1]",
                "alerts[0].url",
                "daemon.colour",
                "daemon.max_concurrency",
                "fetch.retries",
                "fetch.timeout",
                "sources[0].kind",
                "sources[1].id",
                "sources[1].schedule",
                "sources[1].url",
            ],
            "{err}"
        );
        // A refused `kind` is reported once, not again as missing.
        let kind = err.problems.iter().find(|p| p.key == "sources[0].kind");
        assert!(kind.unwrap().message.contains("unknown variant `wiebo`"));
    }

    #[test]
    fn templates_are_rendered_against_every_kind_of_sample_alert() {
        let hook = |template: &str| {
            format!("[[alerts]]\nid = \"desk\"\nkind = \"slack\"\nurl = \"http://127.0.0.1/h\"\ntemplate = {template:?}\n")
        };
        let err = Config::from_toml_str(&hook("{{ title | nosuchfilter }}"), None).unwrap_err();
        assert_eq!(err.problems.len(), 1, "{err}");
        assert_eq!(err.problems[0].key, "alerts[0].template");
        assert!(
            err.problems[0]
                .message
                .starts_with("channel `desk`: does not render a sample post alert: unknown filter"),
            "{err}"
        );
        // Compiles and renders for posts, but operator alerts have no evidence: caught too.
        let err =
            Config::from_toml_str(&hook("{{ evidence[0].gloss | upper }}"), None).unwrap_err();
        assert!(
            err.problems[0].message.contains("sample operator alert"),
            "{err}"
        );
        let err = Config::from_toml_str(&hook("{% if %}"), None).unwrap_err();
        assert!(
            err.problems[0].message.contains("does not compile"),
            "{err}"
        );
        // Guarded the way the built-in templates are: fine.
        Config::from_toml_str(
            &hook("{{ title }}{% if evidence %} {{ evidence[0].gloss }}{% endif %}{% for i in items %} {{ i.text | cut(20) }}{% endfor %}"),
            None,
        )
        .unwrap_or_else(|e| panic!("{e}"));
    }

    #[test]
    fn an_invalid_selector_names_the_source_and_key_in_words() {
        for (selector, says) in [
            ("ul >", "ends with a combinator"),
            ("li.", "ends too early"),
            ("li[", "ends too early"),
            (
                "li:nosuch",
                "uses a pseudo-class or pseudo-element that is not supported",
            ),
            ("", "is empty"),
            ("a[=x]", "has a malformed attribute selector"),
        ] {
            let text = format!("[[sources]]\nid = \"gov\"\nkind = \"html\"\nurl = \"http://127.0.0.1/\"\nschedule = \"every 10m\"\nitem = \"li\"\ntitle = {selector:?}\n");
            let err = Config::from_toml_str(&text, None).unwrap_err();
            let p = &err.problems[0];
            assert_eq!(p.key, "sources[0].title", "{err}");
            assert!(
                p.message.starts_with(&format!(
                    "source `gov`: `{selector}` is not a CSS selector: it {says}"
                )),
                "{selector}: {}",
                p.message
            );
            assert!(!p.message.contains("developer"), "{}", p.message);
        }
    }

    #[test]
    fn edge_values_are_config_errors_not_panics() {
        let text = r#"
[fetch]
retries = 4294967295
breaker_cooldown = "18446744073709551615s"

[[sources]]
id = "huge"
kind = "rss"
url = "http://127.0.0.1/a"
schedule = "every 18446744073709551615s"

[[sources]]
id = "feb30"
kind = "rss"
url = "http://127.0.0.1/b"
schedule = "0 0 12 30 2 *"
stale_after = "9999 days"

[[sources]]
id = "leap"
kind = "rss"
url = "http://127.0.0.1/c"
schedule = "0 0 12 29 2 *"

[[alerts]]
id = "log"
kind = "log"
max_attempts = 0
"#;
        let err = Config::from_toml_str(text, Some(Path::new("w.toml"))).unwrap_err();
        let got: Vec<(&str, &str)> = err
            .problems
            .iter()
            .map(|p| (p.key.as_str(), p.message.as_str()))
            .collect();
        let says = |key: &str, what: &str| {
            assert!(
                got.iter().any(|(k, m)| *k == key && m.contains(what)),
                "{key}: {what} not in {got:#?}"
            )
        };
        says(
            "sources[0].schedule",
            "the interval must be at most 366 days",
        );
        says("sources[1].schedule", "`0 0 12 30 2 *` never fires");
        says("sources[1].stale_after", "longer than 366 days");
        says("fetch.breaker_cooldown", "longer than 366 days");
        says("fetch.retries", "more than 20");
        says("alerts[0].max_attempts", "must be at least 1");
        // 29 February fires every four years: accepted.
        assert_eq!(got.len(), 6, "{got:#?}");
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
    fn env_keys_are_read_from_the_given_environment_only() {
        let text = r#"
[[sources]]
id = "wb"
kind = "weibo"
uid = "1"
schedule = "every 10m"
cookie_env = "WV_UNIT_COOKIE"

[[alerts]]
id = "hook"
kind = "webhook"
url_env = "WV_UNIT_HOOK_URL"
secret_env = "PATH"
"#;
        let env = Environment::vars([
            ("WV_UNIT_COOKIE", "SUB=abc"),
            ("WV_UNIT_HOOK_URL", "http://127.0.0.1:1/hook"),
        ]);
        // `PATH` is set in every process environment, but not in this map: a problem.
        let err = Config::from_toml_str_in(text, None, &env).unwrap_err();
        let keys: Vec<_> = err.problems.iter().map(|p| p.key.as_str()).collect();
        assert_eq!(keys, ["alerts[0].secret_env"], "{err}");

        let env = Environment::vars([
            ("WV_UNIT_COOKIE", "SUB=abc"),
            ("WV_UNIT_HOOK_URL", "http://127.0.0.1:1/hook"),
            ("PATH", "hook-key"),
        ]);
        let cfg = Config::from_toml_str_in(text, None, &env).unwrap_or_else(|e| panic!("{e}"));
        let secrets = cfg.secret_values();
        for v in ["SUB=abc", "http://127.0.0.1:1/hook", "hook-key"] {
            assert!(secrets.iter().any(|s| s == v), "{v} in {secrets:?}");
        }
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
    fn store_url_selects_cluster_mode() {
        let env = Environment::vars([("WV_PG", "s3cret"), ("HOSTNAME", "host-a")]);
        let text = "[store]\nurl = \"postgres://windvane@db:5432/windvane\"\npassword_env = \"WV_PG\"\n\n[instance]\negress = \"proxy-1\"\n";
        let cfg = Config::from_toml_str_in(text, None, &env).unwrap();
        let c = cfg.cluster.expect("cluster mode");
        assert_eq!(c.url, "postgres://windvane@db:5432/windvane");
        assert_eq!(c.password.as_ref().map(Secret::expose), Some("s3cret"));
        assert_eq!(
            (c.instance_id.as_str(), c.egress.as_str(), c.lease_ttl),
            ("host-a", "proxy-1", DEFAULT_LEASE_TTL)
        );
        // libpq's PGPASSWORD when no password_env; SQLite when no url.
        let env = Environment::vars([("PGPASSWORD", "pw")]);
        let text =
            "[store]\nurl = \"postgres://w@db/w\"\n[instance]\nid = \"a\"\nlease_ttl = \"5s\"\n";
        let c = Config::from_toml_str_in(text, None, &env)
            .unwrap()
            .cluster
            .unwrap();
        assert_eq!(c.password.as_ref().map(Secret::expose), Some("pw"));
        assert_eq!(
            (c.instance_id.as_str(), c.egress.as_str()),
            ("a", DEFAULT_EGRESS)
        );
        assert_eq!(c.lease_ttl, Duration::from_secs(5));
        let sqlite = Config::from_toml_str("[store]\npath = \"w.db\"\n", None).unwrap();
        assert!(sqlite.cluster.is_none());
        // A source pinned to an egress; an empty pin is a problem.
        let pinned = |egress: &str| {
            format!("[store]\nurl = \"postgres://w@db/w\"\n[[sources]]\nid = \"s\"\nkind = \"rss\"\nurl = \"http://127.0.0.1/f\"\nschedule = \"every 10m\"\negress = \"{egress}\"\n")
        };
        let cfg = Config::from_toml_str_in(&pinned("e1"), None, &env).unwrap();
        assert_eq!(cfg.sources[0].egress.as_deref(), Some("e1"));
        let err = Config::from_toml_str_in(&pinned(" "), None, &env).unwrap_err();
        assert_eq!(err.problems[0].key, "sources[0].egress", "{err}");
    }

    #[test]
    fn cluster_problems_are_reported_together_with_their_keys() {
        let env = Environment::vars::<&str, &str>([]);
        let text = "[store]\npath = \"w.db\"\nurl = \"postgres://w:pw@db/w\"\npassword_env = \"NOPE\"\n\n[instance]\nid = \"\"\negress = \" \"\nlease_ttl = \"1s\"\n";
        let err = Config::from_toml_str_in(text, Some(Path::new("/etc/w.toml")), &env).unwrap_err();
        let keys: Vec<_> = err.problems.iter().map(|p| p.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "store.url",
                "store.url",
                "store.password_env",
                "instance.id",
                "instance.egress",
                "instance.lease_ttl"
            ],
            "{err}"
        );
        assert!(
            err.problems[0].message.contains("both `store.path`"),
            "{err}"
        );
        assert!(
            err.problems[1].message.contains("holds a password"),
            "{err}"
        );
        assert!(
            err.problems.iter().all(|p| p.file == "/etc/w.toml"),
            "{err}"
        );
        let err = Config::from_toml_str("[store]\nurl = \"mysql://x\"\n", None).unwrap_err();
        assert!(err.problems[0].message.contains("postgres://"), "{err}");
        let err = Config::from_toml_str("[instance]\nid = \"a\"\n", None).unwrap_err();
        assert_eq!(err.problems[0].key, "instance", "{err}");
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
