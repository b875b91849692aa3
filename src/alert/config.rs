//! `[[alerts]]` tables: what serde reads (`RawAlert`) and the validated channel
//! (`AlertConfig`). Kind-specific keys are checked here; a key of another kind is an error.
//! Secrets (URLs with tokens, signing secrets, bot tokens, SMTP passwords) only come from
//! environment variables named by `*_env` keys, and never appear in `Debug` or errors.

use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

use chrono::{DateTime, NaiveTime, TimeZone, Utc};
use serde::Deserialize;
use url::Url;

use super::channel::Channel;
pub use super::email::SmtpTls;
use super::{dingtalk, discord, email, exec, feishu, ntfy, slack, telegram, webhook, wecom};
use crate::classify::Label;
use crate::secret::{Environment, Secret};

/// Attempts before an alert is `failed`.
pub const DEFAULT_MAX_ATTEMPTS: u32 = 8;
/// The score a label needs to alert a channel.
pub const DEFAULT_MIN_SCORE: f64 = 0.6;
/// Alerts scored at least this go out during quiet hours.
pub const DEFAULT_URGENT_SCORE: f64 = 0.9;
pub const DEFAULT_TELEGRAM_API: &str = "https://api.telegram.org";
pub const DEFAULT_NTFY_URL: &str = "https://ntfy.sh";
pub const DEFAULT_SIGNATURE_HEADER: &str = "X-Windvane-Signature";
pub const DEFAULT_EXEC_TIMEOUT: Duration = Duration::from_secs(30);
pub const DEFAULT_SMTP_TIMEOUT: Duration = Duration::from_secs(30);

#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum AlertKind {
    Webhook,
    Slack,
    Discord,
    Feishu,
    Dingtalk,
    Wecom,
    Telegram,
    Ntfy,
    Email,
    Exec,
    Log,
}

impl fmt::Display for AlertKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = match self {
            AlertKind::Webhook => "webhook",
            AlertKind::Slack => "slack",
            AlertKind::Discord => "discord",
            AlertKind::Feishu => "feishu",
            AlertKind::Dingtalk => "dingtalk",
            AlertKind::Wecom => "wecom",
            AlertKind::Telegram => "telegram",
            AlertKind::Ntfy => "ntfy",
            AlertKind::Email => "email",
            AlertKind::Exec => "exec",
            AlertKind::Log => "log",
        };
        f.write_str(s)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAlert {
    /// Required; `Option` so a missing one is reported with every other problem.
    pub id: Option<String>,
    pub kind: Option<AlertKind>,
    // HTTP channels
    pub url: Option<String>,
    /// Name of an environment variable holding the URL (keeps secrets out of the file).
    pub url_env: Option<String>,
    /// webhook (HMAC-SHA256 of the body), feishu, dingtalk (signing): env var with the secret.
    pub secret_env: Option<String>,
    pub signature_header: Option<String>,
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    // telegram, ntfy
    pub token_env: Option<String>,
    pub chat_id: Option<String>,
    pub api_base: Option<String>,
    pub topic: Option<String>,
    // email
    pub smtp_host: Option<String>,
    pub smtp_port: Option<u16>,
    pub tls: Option<SmtpTls>,
    pub username: Option<String>,
    pub password_env: Option<String>,
    pub from: Option<String>,
    #[serde(default)]
    pub to: Vec<String>,
    // exec
    #[serde(default)]
    pub command: Vec<String>,
    #[serde(default, deserialize_with = "crate::duration::bounded_duration")]
    pub timeout: Option<Duration>,
    // filters
    #[serde(default)]
    pub labels: Vec<String>,
    pub min_score: Option<f64>,
    #[serde(default)]
    pub sources: Vec<String>,
    /// "22:00-07:00", read in `timezone`.
    pub quiet_hours: Option<String>,
    pub timezone: Option<String>,
    pub urgent_score: Option<f64>,
    // delivery
    pub max_attempts: Option<u32>,
    pub max_per_hour: Option<u32>,
    #[serde(default)]
    pub operator: bool,
    /// A daily digest at this local time ("08:00", in `timezone`).
    pub digest_at: Option<String>,
    /// A minijinja template replacing the channel's default message text.
    pub template: Option<String>,
    #[serde(default = "yes")]
    pub enabled: bool,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone)]
pub struct AlertConfig {
    pub id: String,
    pub channel: Channel,
    /// Labels this channel wants; empty means all four.
    pub labels: Vec<Label>,
    pub min_score: f64,
    /// Source ids this channel wants; empty means all.
    pub sources: Vec<String>,
    pub quiet_hours: Option<QuietHours>,
    pub urgent_score: f64,
    pub max_attempts: u32,
    pub max_per_hour: Option<u32>,
    /// Receives operator alerts (a source needs a cookie, is stale, or its layout changed).
    pub operator: bool,
    /// Local time of the daily digest, in `timezone`.
    pub digest_at: Option<(NaiveTime, chrono_tz::Tz)>,
    pub template: Option<String>,
}

impl AlertConfig {
    pub fn wants(&self, label: Label, score: f64) -> bool {
        (self.labels.is_empty() || self.labels.contains(&label)) && score >= self.min_score
    }

    pub fn wants_source(&self, source_id: &str) -> bool {
        self.sources.is_empty() || self.sources.iter().any(|s| s == source_id)
    }

    /// The configured secrets of this channel, and the parts of secret URLs that a service
    /// may echo alone (a query value such as DingTalk's `access_token` or WeCom's `key`, a long
    /// path segment such as Slack's or Discord's token), for `redact`.
    pub fn secret_values(&self) -> Vec<String> {
        let mut urls = Vec::new();
        let mut plain = Vec::new();
        match &self.channel {
            Channel::Webhook(w) => {
                urls.push(&w.url);
                plain.extend(w.secret.as_ref());
            }
            Channel::Slack(x) => urls.push(&x.url),
            Channel::Discord(x) => urls.push(&x.url),
            Channel::Feishu(x) => {
                urls.push(&x.url);
                plain.extend(x.secret.as_ref());
            }
            Channel::DingTalk(x) => {
                urls.push(&x.url);
                plain.extend(x.secret.as_ref());
            }
            Channel::WeCom(x) => urls.push(&x.url),
            Channel::Telegram(x) => plain.push(&x.token),
            Channel::Ntfy(x) => {
                urls.push(&x.base);
                plain.extend(x.token.as_ref());
            }
            Channel::Email(e) => plain.extend(e.credentials.as_ref().map(|c| &c.1)),
            Channel::Exec(_) | Channel::Log => {}
        }
        let mut out: Vec<String> = plain.iter().map(|s| s.expose().to_string()).collect();
        for u in urls {
            out.push(u.expose().to_string());
            if let Ok(parsed) = url::Url::parse(u.expose()) {
                out.extend(
                    parsed
                        .query_pairs()
                        .map(|(_, v)| v.into_owned())
                        .filter(|v| v.len() >= 6),
                );
                out.extend(
                    parsed
                        .path_segments()
                        .into_iter()
                        .flatten()
                        .filter(|p| p.len() >= 16)
                        .map(str::to_string),
                );
            }
        }
        out.retain(|s| s.len() >= 4);
        out
    }

    /// Messages per window this channel accepts: `max_per_hour`, and the service's own limit
    /// (DingTalk robots take 20 a minute).
    pub fn rate_limits(&self) -> Vec<(u32, Duration)> {
        let mut v = Vec::new();
        if let Some(n) = self.max_per_hour {
            v.push((n, Duration::from_secs(3600)));
        }
        if let Channel::DingTalk(_) = self.channel {
            v.push((dingtalk::MAX_PER_MINUTE, Duration::from_secs(60)));
        }
        v
    }
}

/// Quiet hours in a time zone: `start..end` local time, wrapping past midnight when
/// `end <= start`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct QuietHours {
    pub start: NaiveTime,
    pub end: NaiveTime,
    pub tz: chrono_tz::Tz,
}

impl QuietHours {
    pub fn parse(text: &str, tz: chrono_tz::Tz) -> Result<QuietHours, String> {
        let (a, b) = text
            .split_once('-')
            .ok_or_else(|| format!("`{text}` is not a range like \"22:00-07:00\""))?;
        let t = |s: &str| {
            NaiveTime::parse_from_str(s.trim(), "%H:%M")
                .map_err(|_| format!("`{}` is not a time like \"07:00\"", s.trim()))
        };
        let (start, end) = (t(a)?, t(b)?);
        if start == end {
            return Err(format!("`{text}` is empty: start and end are the same"));
        }
        Ok(QuietHours { start, end, tz })
    }

    /// When `now` falls in quiet hours, the instant they end.
    pub fn until(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let local = now.with_timezone(&self.tz);
        let t = local.time();
        let wraps = self.end <= self.start;
        let inside = if wraps {
            t >= self.start || t < self.end
        } else {
            t >= self.start && t < self.end
        };
        if !inside {
            return None;
        }
        let mut day = local.date_naive();
        if wraps && t >= self.start {
            day = day.succ_opt()?;
        }
        let end = day.and_time(self.end);
        // A DST gap swallows the local end time: end an hour later instead.
        let end = self.tz.from_local_datetime(&end).earliest().or_else(|| {
            self.tz
                .from_local_datetime(&(end + chrono::Duration::hours(1)))
                .earliest()
        })?;
        Some(end.with_timezone(&Utc))
    }
}

fn env_secret(
    env: &Environment,
    var: &str,
    key: String,
    enabled: bool,
    problem: &mut dyn FnMut(String, String),
) -> Option<Secret> {
    match env.var(var) {
        Some(v) if !v.trim().is_empty() => Some(Secret::new(v.trim())),
        _ => {
            if enabled {
                problem(
                    key,
                    format!("environment variable `{var}` is not set or empty"),
                );
            }
            None
        }
    }
}

/// What every check of one `[[alerts]]` table needs: the table, its index and its kind.
struct Table<'a> {
    a: &'a RawAlert,
    i: usize,
    kind: AlertKind,
    /// Where `*_env` keys are looked up.
    env: &'a Environment,
}

impl Table<'_> {
    fn key(&self, k: &str) -> String {
        format!("alerts[{}].{k}", self.i)
    }

    /// A secret named by an environment variable (`*_env`); missing is a problem only for an
    /// enabled channel.
    fn secret(
        &self,
        var: &Option<String>,
        name: &str,
        problem: &mut dyn FnMut(String, String),
    ) -> Option<Secret> {
        var.as_ref()
            .and_then(|v| env_secret(self.env, v, self.key(name), self.a.enabled, problem))
    }

    /// The URL of an HTTP channel: `url` or `url_env`, never echoed (it usually is the secret).
    fn url(
        &self,
        default: Option<&str>,
        problem: &mut dyn FnMut(String, String),
    ) -> Option<Secret> {
        let (a, kind, enabled, env) = (self.a, self.kind, self.a.enabled, self.env);
        let key = |k: &str| self.key(k);
        let text = match (&a.url, &a.url_env) {
            (Some(u), None) => Some(Secret::new(u.clone())),
            (None, Some(var)) => match env.var(var) {
                Some(v) if !v.trim().is_empty() => Some(Secret::new(v.trim())),
                _ => {
                    if enabled {
                        problem(
                            key("url_env"),
                            format!("environment variable `{var}` is not set or empty"),
                        );
                    }
                    return None;
                }
            },
            (Some(_), Some(_)) => {
                problem(
                    key("url"),
                    "give either `url` or `url_env`, not both".into(),
                );
                return None;
            }
            (None, None) => match default {
                Some(d) => Some(Secret::new(d)),
                None => {
                    problem(
                        key("url"),
                        format!("a {} channel needs `url` (or `url_env`)", kind),
                    );
                    return None;
                }
            },
        }?;
        match Url::parse(text.expose()) {
            Ok(u) if u.scheme() == "http" || u.scheme() == "https" => Some(text),
            _ => {
                problem(key("url"), "is not an http(s) URL".into());
                None
            }
        }
    }
}

/// Validates one `[[alerts]]` table; every problem goes through `problem`. `None` when the
/// channel is disabled or broken.
pub fn validate(
    a: RawAlert,
    i: usize,
    default_tz: chrono_tz::Tz,
    source_ids: &[String],
    env: &Environment,
    problem: &mut impl FnMut(String, String),
) -> Option<AlertConfig> {
    let problem: &mut dyn FnMut(String, String) = problem;
    let key = |k: &str| format!("alerts[{i}].{k}");
    let id = match &a.id {
        Some(id) if id.trim().is_empty() => {
            problem(key("id"), "must not be empty".into());
            id.clone()
        }
        Some(id) => id.clone(),
        None => {
            problem(key("id"), "an alert channel needs `id`".into());
            String::new()
        }
    };
    let Some(kind) = a.kind else {
        problem(
            key("kind"),
            "an alert channel needs `kind`: webhook, slack, discord, feishu, dingtalk, wecom, telegram, ntfy, email, exec or log".into(),
        );
        return None;
    };
    let t = Table {
        a: &a,
        i,
        kind,
        env,
    };
    check_kind_keys(&t, problem);
    let (labels, min_score, urgent_score) = filters(&t, source_ids, problem);
    let (quiet_hours, digest_at) = timing(&t, default_tz, problem);
    let channel = channel(&t, problem);
    // A template is rendered now, against a sample of every kind of message, so a mistake
    // (an unknown filter, a field that does not exist) is a config error at check time and on
    // reload instead of a failure of every alert.
    if let Some(t) = &a.template {
        let style = channel.as_ref().unwrap_or(&Channel::Log).style();
        if let Err(e) = check_template(t, style, kind == AlertKind::Email) {
            problem(key("template"), format!("channel `{id}`: {e}"));
        }
    }
    if !a.enabled {
        return None;
    }
    Some(AlertConfig {
        id,
        channel: channel?,
        labels,
        min_score,
        sources: a.sources,
        quiet_hours,
        urgent_score,
        max_attempts: a.max_attempts.unwrap_or(DEFAULT_MAX_ATTEMPTS),
        max_per_hour: a.max_per_hour,
        operator: a.operator,
        digest_at,
        template: a.template,
    })
}

/// Keys that belong to other kinds are mistakes worth naming, not silently ignored.
fn check_kind_keys(t: &Table<'_>, problem: &mut dyn FnMut(String, String)) {
    let (a, kind, key) = (t.a, t.kind, |k: &str| t.key(k));
    use AlertKind::*;
    let http = &[Webhook, Slack, Discord, Feishu, Dingtalk, Wecom, Ntfy][..];
    let given: [(&str, bool, &[AlertKind]); 17] = [
        ("url", a.url.is_some(), http),
        ("url_env", a.url_env.is_some(), http),
        (
            "secret_env",
            a.secret_env.is_some(),
            &[Webhook, Feishu, Dingtalk],
        ),
        ("signature_header", a.signature_header.is_some(), &[Webhook]),
        ("headers", !a.headers.is_empty(), &[Webhook]),
        ("token_env", a.token_env.is_some(), &[Telegram, Ntfy]),
        ("chat_id", a.chat_id.is_some(), &[Telegram]),
        ("api_base", a.api_base.is_some(), &[Telegram]),
        ("topic", a.topic.is_some(), &[Ntfy]),
        ("smtp_host", a.smtp_host.is_some(), &[Email]),
        ("smtp_port", a.smtp_port.is_some(), &[Email]),
        ("tls", a.tls.is_some(), &[Email]),
        ("username", a.username.is_some(), &[Email]),
        ("password_env", a.password_env.is_some(), &[Email]),
        ("from", a.from.is_some(), &[Email]),
        ("to", !a.to.is_empty(), &[Email]),
        ("command", !a.command.is_empty(), &[Exec]),
    ];
    crate::keys::refuse_other_kinds(&given, &kind, "channel", &key, problem);
    if a.timeout.is_some() && kind != Exec && kind != Email {
        problem(
            key("timeout"),
            format!("is not used by a `{}` channel; remove it", kind),
        );
    }
}

/// Which posts the channel wants: labels, sources, scores.
fn filters(
    t: &Table<'_>,
    source_ids: &[String],
    problem: &mut dyn FnMut(String, String),
) -> (Vec<Label>, f64, f64) {
    let (a, i, key) = (t.a, t.i, |k: &str| t.key(k));
    let mut labels = Vec::new();
    for (j, l) in a.labels.iter().enumerate() {
        match l.parse::<Label>() {
            Ok(l) => labels.push(l),
            Err(e) => problem(format!("alerts[{i}].labels[{j}]"), e),
        }
    }
    for (j, s) in a.sources.iter().enumerate() {
        if !source_ids.contains(s) {
            problem(
                format!("alerts[{i}].sources[{j}]"),
                format!("`{s}` is not the id of a `[[sources]]` table"),
            );
        }
    }
    let min_score = a.min_score.unwrap_or(DEFAULT_MIN_SCORE);
    if !(0.0..=1.0).contains(&min_score) {
        problem(key("min_score"), format!("{min_score} is outside 0..1"));
    }
    let urgent_score = a.urgent_score.unwrap_or(DEFAULT_URGENT_SCORE);
    if !(0.0..=1.0).contains(&urgent_score) {
        problem(
            key("urgent_score"),
            format!("{urgent_score} is outside 0..1"),
        );
    }
    (labels, min_score, urgent_score)
}

/// When the channel sends: quiet hours and the daily digest in its zone, attempts and limits.
fn timing(
    t: &Table<'_>,
    default_tz: chrono_tz::Tz,
    problem: &mut dyn FnMut(String, String),
) -> (Option<QuietHours>, Option<(NaiveTime, chrono_tz::Tz)>) {
    let (a, key) = (t.a, |k: &str| t.key(k));
    let tz = match &a.timezone {
        None => default_tz,
        Some(name) => name.parse::<chrono_tz::Tz>().unwrap_or_else(|_| {
            problem(
                key("timezone"),
                format!("unknown time zone `{name}`; use an IANA name such as \"Europe/Berlin\""),
            );
            default_tz
        }),
    };
    let quiet_hours = a.quiet_hours.as_deref().and_then(|q| {
        QuietHours::parse(q, tz)
            .map_err(|e| problem(key("quiet_hours"), e))
            .ok()
    });
    let digest_at = a.digest_at.as_deref().and_then(|d| {
        NaiveTime::parse_from_str(d.trim(), "%H:%M")
            .map(|t| (t, tz))
            .map_err(|_| {
                problem(
                    key("digest_at"),
                    format!("`{d}` is not a time like \"08:00\""),
                )
            })
            .ok()
    });
    if a.max_attempts == Some(0) {
        problem(
            key("max_attempts"),
            "must be at least 1 (the attempts before an alert is marked failed)".into(),
        );
    }
    if a.max_per_hour == Some(0) {
        problem(
            key("max_per_hour"),
            "must be at least 1 (leave it out for no limit)".into(),
        );
    }

    (quiet_hours, digest_at)
}

/// The channel itself, from its kind's keys.
fn channel(t: &Table<'_>, problem: &mut dyn FnMut(String, String)) -> Option<Channel> {
    use AlertKind::*;
    let signing = t.secret(&t.a.secret_env, "secret_env", problem);
    match t.kind {
        Log => Some(Channel::Log),
        Webhook => webhook_channel(t, signing, problem),
        Slack => t
            .url(None, problem)
            .map(|url| Channel::Slack(slack::Slack { url })),
        Discord => t
            .url(None, problem)
            .map(|url| Channel::Discord(discord::Discord { url })),
        Wecom => t
            .url(None, problem)
            .map(|url| Channel::WeCom(wecom::WeCom { url })),
        Feishu => t.url(None, problem).map(|url| {
            Channel::Feishu(feishu::Feishu {
                url,
                secret: signing,
            })
        }),
        Dingtalk => t.url(None, problem).map(|url| {
            Channel::DingTalk(dingtalk::DingTalk {
                url,
                secret: signing,
            })
        }),
        Ntfy => ntfy_channel(t, problem),
        Telegram => telegram_channel(t, problem),
        Email => email_channel(t, problem),
        Exec => exec_channel(t, problem),
    }
}

fn webhook_channel(
    t: &Table<'_>,
    signing: Option<Secret>,
    problem: &mut dyn FnMut(String, String),
) -> Option<Channel> {
    let (a, key) = (t.a, |k: &str| t.key(k));
    let mut headers = Vec::new();
    for (name, value) in &a.headers {
        match (
            reqwest::header::HeaderName::from_bytes(name.as_bytes()),
            reqwest::header::HeaderValue::from_str(value),
        ) {
            (Ok(n), Ok(v)) => headers.push((n, v)),
            _ => problem(
                key("headers"),
                format!("`{name}` is not a valid HTTP header"),
            ),
        }
    }
    let signature_header = a
        .signature_header
        .clone()
        .unwrap_or_else(|| DEFAULT_SIGNATURE_HEADER.into());
    if reqwest::header::HeaderName::from_bytes(signature_header.as_bytes()).is_err() {
        problem(
            key("signature_header"),
            format!("`{signature_header}` is not a header name"),
        );
    }
    t.url(None, problem).map(|url| {
        Channel::Webhook(webhook::Webhook {
            url,
            secret: signing,
            signature_header,
            headers,
        })
    })
}

fn ntfy_channel(t: &Table<'_>, problem: &mut dyn FnMut(String, String)) -> Option<Channel> {
    let (a, key) = (t.a, |k: &str| t.key(k));
    let base = t.url(Some(DEFAULT_NTFY_URL), problem);
    let token = t.secret(&a.token_env, "token_env", problem);
    let topic = a.topic.clone().unwrap_or_default();
    if topic.trim().is_empty() {
        problem(key("topic"), "an ntfy channel needs `topic`".into());
    }
    base.filter(|_| !topic.trim().is_empty())
        .map(|base| Channel::Ntfy(ntfy::Ntfy { base, topic, token }))
}

fn telegram_channel(t: &Table<'_>, problem: &mut dyn FnMut(String, String)) -> Option<Channel> {
    let (a, key) = (t.a, |k: &str| t.key(k));
    let token = match &a.token_env {
        Some(var) => t.secret(&Some(var.clone()), "token_env", problem),
        None => {
            problem(
                key("token_env"),
                "a telegram channel needs `token_env` (the bot token's variable)".into(),
            );
            None
        }
    };
    let chat_id = a.chat_id.clone().unwrap_or_default();
    if chat_id.trim().is_empty() {
        problem(key("chat_id"), "a telegram channel needs `chat_id`".into());
    }
    let api_base = a
        .api_base
        .clone()
        .unwrap_or_else(|| DEFAULT_TELEGRAM_API.into());
    let api_ok =
        matches!(Url::parse(&api_base), Ok(u) if u.scheme() == "http" || u.scheme() == "https");
    if !api_ok {
        problem(
            key("api_base"),
            format!("`{api_base}` is not an http(s) URL"),
        );
    }
    match token {
        Some(token) if api_ok && !chat_id.trim().is_empty() => {
            Some(Channel::Telegram(telegram::Telegram {
                api_base: api_base.trim_end_matches('/').to_string(),
                token,
                chat_id,
            }))
        }
        _ => None,
    }
}

fn email_channel(t: &Table<'_>, problem: &mut dyn FnMut(String, String)) -> Option<Channel> {
    let (a, i, key) = (t.a, t.i, |k: &str| t.key(k));
    let host = a.smtp_host.clone().unwrap_or_default();
    if host.trim().is_empty() {
        problem(
            key("smtp_host"),
            "an email channel needs `smtp_host`".into(),
        );
    }
    let tls = a.tls.unwrap_or(SmtpTls::Starttls);
    let port = a.smtp_port.unwrap_or(match tls {
        SmtpTls::Starttls => 587,
        SmtpTls::Tls => 465,
        SmtpTls::None => 25,
    });
    let mailbox = |s: &str, k: String, problem: &mut dyn FnMut(String, String)| {
        s.parse::<lettre::message::Mailbox>()
            .map_err(|e| problem(k, format!("`{s}` is not an e-mail address: {e}")))
            .ok()
    };
    let from = match &a.from {
        Some(f) => mailbox(f, key("from"), problem),
        None => {
            problem(key("from"), "an email channel needs `from`".into());
            None
        }
    };
    if a.to.is_empty() {
        problem(
            key("to"),
            "an email channel needs at least one `to` address".into(),
        );
    }
    let to: Vec<_> =
        a.to.iter()
            .enumerate()
            .filter_map(|(j, t)| mailbox(t, format!("alerts[{i}].to[{j}]"), problem))
            .collect();
    let password = t.secret(&a.password_env, "password_env", problem);
    if a.password_env.is_some() && a.username.is_none() {
        problem(key("username"), "is needed with `password_env`".into());
    }
    match from {
        Some(from) if !host.trim().is_empty() && to.len() == a.to.len() && !to.is_empty() => {
            Some(Channel::Email(email::Email {
                host,
                port,
                tls,
                credentials: a.username.clone().zip(password),
                from,
                to,
                timeout: a.timeout.unwrap_or(DEFAULT_SMTP_TIMEOUT),
            }))
        }
        _ => None,
    }
}

fn exec_channel(t: &Table<'_>, problem: &mut dyn FnMut(String, String)) -> Option<Channel> {
    let (a, key) = (t.a, |k: &str| t.key(k));
    if a.command.is_empty() || a.command[0].trim().is_empty() {
        problem(
            key("command"),
            "an exec channel needs `command` (program and arguments, e.g. [\"/usr/local/bin/notify\", \"--json\"])".into(),
        );
        None
    } else {
        Some(Channel::Exec(exec::Exec {
            command: a.command.clone(),
            timeout: a.timeout.unwrap_or(DEFAULT_EXEC_TIMEOUT),
        }))
    }
}

/// Compiles a channel's template and renders it with each kind of message a channel gets.
pub fn check_template(src: &str, style: super::message::Style, html: bool) -> Result<(), String> {
    super::message::check_template(src).map_err(|e| format!("does not compile: {e}"))?;
    for msg in template_samples() {
        super::message::render(&msg, style, Some(src), html)
            .map_err(|e| format!("does not render a sample {} alert: {e}", msg.kind.as_str()))?;
    }
    Ok(())
}

/// One message of every kind (post, corroborated, operator, digest), filled like real ones.
fn template_samples() -> Vec<super::message::AlertMessage> {
    use super::message::{beijing_label, title, utc, AlertMessage, MessageKind, SourceMention};
    let at = DateTime::parse_from_rfc3339("2025-04-11T02:30:00Z")
        .expect("a valid RFC 3339 time")
        .with_timezone(&Utc);
    let post = AlertMessage {
        idempotency_key: "config-check".into(),
        title: title(Label::Talks, "玉渊谭天", 0.93),
        label: Some(Label::Talks),
        label_name: Label::Talks.english().into(),
        score: 0.93,
        source: "yuyuan-tiantian".into(),
        source_name: "玉渊谭天".into(),
        author: "玉渊谭天".into(),
        post_url: "https://m.weibo.cn/detail/0".into(),
        text: "美方近期通过多种渠道主动接触中方，希望就关税问题进行谈判。".into(),
        explanation: "The US reached out to China seeking tariff talks.".into(),
        evidence: vec![crate::classify::Evidence {
            term: "主动接触".into(),
            start: 10,
            end: 14,
            gloss: "reached out".into(),
        }],
        created_at: crate::store::ts(at),
        created_at_beijing: beijing_label(at),
        created_at_utc: utc(at),
        kind: MessageKind::Post,
        severity: "normal".into(),
        review_url: Some("https://review.example/posts/1".into()),
        sources: Vec::new(),
        items: Vec::new(),
    };
    let mut corroborated = post.clone();
    corroborated.kind = MessageKind::Corroborated;
    corroborated.severity = "high".into();
    corroborated.sources = vec![SourceMention {
        id: "cctv-news".into(),
        name: "央视新闻".into(),
        score: 0.81,
        post_url: "https://m.weibo.cn/detail/1".into(),
    }];
    let mut operator = post.clone();
    operator.kind = MessageKind::Operator;
    operator.label = None;
    operator.evidence = Vec::new();
    let digest = super::digest_message(
        "config-check-digest",
        "windvane digest · 2 alerts".into(),
        &[post.clone(), corroborated.clone()],
    );
    vec![post, corroborated, operator, digest]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn quiet_hours_wrap_midnight_in_their_time_zone() {
        let q = QuietHours::parse("22:00-07:00", chrono_tz::Europe::Berlin).unwrap();
        // 23:30 Berlin (CEST, UTC+2) on 2025-06-10 → quiet until 07:00 Berlin = 05:00 UTC.
        assert_eq!(
            q.until(at("2025-06-10T21:30:00Z")),
            Some(at("2025-06-11T05:00:00Z"))
        );
        // 03:00 Berlin → same end.
        assert_eq!(
            q.until(at("2025-06-11T01:00:00Z")),
            Some(at("2025-06-11T05:00:00Z"))
        );
        // 12:00 Berlin → not quiet.
        assert_eq!(q.until(at("2025-06-11T10:00:00Z")), None);
        let day = QuietHours::parse("12:00-13:30", chrono_tz::Asia::Shanghai).unwrap();
        assert_eq!(
            day.until(at("2025-06-11T04:30:00Z")),
            Some(at("2025-06-11T05:30:00Z"))
        );
        assert!(QuietHours::parse("7-8", chrono_tz::UTC).is_err());
    }
}
