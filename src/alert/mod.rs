//! Alerts: which channels want a flagged post (`plan`, pure), what the message says
//! (`message`, pure templates), and the outbox dispatcher (`deliver`): corroboration and
//! operator alerts, quiet hours, per-channel rate limits that fold alerts into one digest,
//! in-order retries with exponential backoff and jitter, then `failed`.
//!
//! Channels are a closed `enum Channel`, one file each: webhook, slack, discord, feishu,
//! dingtalk, wecom, telegram, ntfy, email, exec, and log.

mod channel;
pub mod config;
pub mod derive;
pub mod dingtalk;
pub mod discord;
pub mod email;
pub mod exec;
pub mod feishu;
pub mod message;
pub mod ntfy;
pub mod shared;
pub mod slack;
pub mod telegram;
mod transport;
pub mod webhook;
pub mod wecom;

use std::time::Duration;

use chrono::{DateTime, Utc};
use rand::Rng;
use sha2::{Digest, Sha256};

use crate::classify::{Classification, Label};
use crate::secret::redact_values;
use crate::sources::Post;
use crate::store::{AlertRow, AlertStatus, PlannedAlert, Store, Unrecorded};

pub use channel::Channel;
pub use config::AlertConfig;
pub use message::{AlertMessage, DigestItem, MessageKind, Rendered, SourceMention, Style};
pub use transport::{webhook_value, AlertError, Answer, ALERT_USER_AGENT, IDEMPOTENCY_HEADER};

/// First retry delay for a failed send; doubles per attempt up to `MAX_RETRY_DELAY`.
pub const FIRST_RETRY_DELAY: Duration = Duration::from_secs(30);
pub const MAX_RETRY_DELAY: Duration = Duration::from_secs(3600);
/// Stable per post + label + channel, so a receiver can drop a resend after a crash.
pub fn idempotency_key(
    source_id: &str,
    platform_id: &str,
    label: Label,
    channel_id: &str,
) -> String {
    hash_key(&[source_id, platform_id, label.as_str(), channel_id])
}

/// A stable key from its parts (SHA-256 of the parts joined by U+001F, first 16 bytes in hex):
/// the same parts always give the same key, so a repeat is recognised.
pub(crate) fn hash_key(parts: &[&str]) -> String {
    let mut h = Sha256::new();
    h.update(parts.join("\u{1f}"));
    hex::encode(&h.finalize()[..16])
}

/// The alerts a newly stored post raises: one per (channel, label) the channel wants.
pub fn plan(
    source_id: &str,
    source_name: &str,
    post: &Post,
    c: &Classification,
    channels: &[AlertConfig],
) -> Vec<PlannedAlert> {
    let mut out = Vec::new();
    for ch in channels.iter().filter(|ch| ch.wants_source(source_id)) {
        for l in &c.labels {
            if !ch.wants(l.label, l.score) {
                continue;
            }
            let key = idempotency_key(source_id, &post.platform_id, l.label, &ch.id);
            let msg = message(&key, source_id, source_name, post, c, l.label);
            out.push(PlannedAlert {
                label: l.label,
                channel_id: ch.id.clone(),
                score: l.score,
                idempotency_key: key,
                payload: serde_json::to_string(&msg).unwrap_or_else(|_| "{}".into()),
            });
        }
    }
    out
}

pub fn message(
    key: &str,
    source_id: &str,
    source_name: &str,
    post: &Post,
    c: &Classification,
    label: Label,
) -> AlertMessage {
    let ls = c.labels.iter().find(|l| l.label == label);
    let score = ls.map(|l| l.score).unwrap_or(0.0);
    // The account's name as analysts know it (玉渊谭天), else the configured source name.
    let who = if post.author.is_empty() {
        source_name
    } else {
        &post.author
    };
    AlertMessage {
        idempotency_key: key.to_string(),
        title: message::title(label, who, score),
        label: Some(label),
        label_name: label.english().to_string(),
        score,
        source: source_id.to_string(),
        source_name: source_name.to_string(),
        author: post.author.clone(),
        post_url: post.url.clone(),
        text: post.full_text(),
        explanation: c.explanation.clone(),
        evidence: ls.map(|l| l.evidence.clone()).unwrap_or_default(),
        created_at: crate::store::ts(post.created_at),
        created_at_beijing: message::beijing_label(post.created_at),
        created_at_utc: message::utc(post.created_at),
        kind: MessageKind::Post,
        severity: "normal".into(),
        review_url: None,
        sources: Vec::new(),
        items: Vec::new(),
    }
}

/// Renders a message for a channel (its override template, if any).
pub fn render(ch: &AlertConfig, msg: &AlertMessage) -> Result<Rendered, AlertError> {
    message::render(
        msg,
        ch.channel.style(),
        ch.template.as_deref(),
        matches!(ch.channel, Channel::Email(_)),
    )
    .map_err(|e| AlertError::Template {
        channel: ch.id.clone(),
        error: format!("{e:#}"),
    })
}

/// Sends one message on one channel and returns the service's answer. Pure IO: the outcome
/// is recorded by the dispatcher.
pub async fn send(
    client: &reqwest::Client,
    ch: &AlertConfig,
    msg: &AlertMessage,
    now: DateTime<Utc>,
) -> Result<Answer, AlertError> {
    let r = render(ch, msg)?;
    let id = ch.id.as_str();
    match &ch.channel {
        Channel::Log => {
            tracing::info!(channel = %id, key = %msg.idempotency_key, "Alert: {}.", r.title);
            Ok(Answer {
                status: 0,
                body: "logged".into(),
            })
        }
        Channel::Webhook(w) => webhook::send(client, id, w, msg, &r).await,
        Channel::Slack(s) => slack::send(client, id, s, &r).await,
        Channel::Discord(d) => discord::send(client, id, d, &r).await,
        Channel::Feishu(f) => feishu::send(client, id, f, msg, &r, now).await,
        Channel::DingTalk(d) => dingtalk::send(client, id, d, &r, now).await,
        Channel::WeCom(w) => wecom::send(client, id, w, &r).await,
        Channel::Telegram(t) => telegram::send(client, id, t, &r).await,
        Channel::Ntfy(n) => ntfy::send(client, id, n, msg, &r).await,
        Channel::Email(e) => email::send(id, e, msg, &r).await,
        Channel::Exec(x) => exec::send(id, x, msg, &r).await,
    }
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct DispatchReport {
    pub sent: usize,
    pub retrying: usize,
    pub failed: usize,
    /// Alerts held back by quiet hours or a full rate limit.
    pub held: usize,
    /// Digest messages sent (each carrying several alerts, counted in `sent`).
    pub digests: usize,
    /// Alerts not tried because their channel waits for the database to record an earlier
    /// outcome (see `store::Unrecorded`).
    pub paused: usize,
}

impl DispatchReport {
    fn add(&mut self, o: DispatchReport) {
        self.sent += o.sent;
        self.retrying += o.retrying;
        self.failed += o.failed;
        self.held += o.held;
        self.digests += o.digests;
        self.paused += o.paused;
    }
}

pub(crate) fn retry_delay(attempts: u32) -> Duration {
    let base = FIRST_RETRY_DELAY
        .as_secs()
        .saturating_mul(1 << attempts.min(12));
    let capped = base.min(MAX_RETRY_DELAY.as_secs());
    let jitter = rand::rng().random_range(0..=capped / 5);
    Duration::from_secs(capped + jitter)
}

/// What the dispatcher reads of the configuration, assembled by `config` (`From<&Config>`):
/// alerts know their own channels and nothing else of the configuration.
#[derive(Debug, Clone)]
pub struct Alerting<'a> {
    pub channels: &'a [AlertConfig],
    /// The watched sources, for operator alerts.
    pub sources: Vec<WatchedSource<'a>>,
    /// `[review] public_url`: alerts link to the post's review page when set.
    pub review_public_url: Option<&'a url::Url>,
    /// `[corroboration] window`.
    pub corroboration_window: Duration,
    /// Every configured secret value, redacted from errors before they are stored or logged.
    pub secrets: Vec<String>,
}

/// A source as operator alerts name and judge it.
#[derive(Debug, Clone, Copy)]
pub struct WatchedSource<'a> {
    pub id: &'a str,
    pub name: &'a str,
    /// Without a good run this long, the source is stale.
    pub stale_after: Duration,
}

impl Alerting<'_> {
    /// A remote answer made fit to show or store: every configured secret redacted.
    pub fn redact(&self, text: &str) -> String {
        redact_values(text, &self.secrets)
    }
}

/// One dispatcher round: raise corroborated, operator and daily-digest alerts, then send
/// every due alert.
pub async fn deliver<'a>(
    store: &Store,
    client: &reqwest::Client,
    cfg: impl Into<Alerting<'a>>,
    now: DateTime<Utc>,
) -> crate::store::Result<DispatchReport> {
    let cfg = &cfg.into();
    resume_after_write_fault(store, cfg, now).await;
    derive::raise(store, cfg, now).await?;
    let mut report = dispatch_due(store, client, cfg, now).await?;
    report.add(derive::daily_digests(store, client, cfg, now).await?);
    Ok(report)
}

/// Records an outcome; when the database refuses it, keeps it in memory (which pauses its
/// channel) and returns `false`: the caller sends nothing more on that channel.
pub(crate) async fn record(
    store: &Store,
    outcome: Unrecorded,
    now: DateTime<Utc>,
) -> Result<Option<AlertStatus>, ()> {
    let o = outcome.clone();
    match store.call(move |s| s.record_outcome(&o)).await {
        Ok(status) => Ok(status),
        Err(e) => {
            tracing::error!(
                channel = %outcome.channel_id(),
                error = %e,
                "An alert outcome cannot be recorded; the channel sends nothing more until the database takes writes again (the outcome is kept in memory)."
            );
            store.keep_unrecorded(outcome, &e, now);
            Err(())
        }
    }
}

/// Writes the outcomes kept while the database refused writes; once they are in, queues an
/// operator alert saying what happened.
async fn resume_after_write_fault(store: &Store, cfg: &Alerting<'_>, now: DateTime<Utc>) {
    let cleared = match store.call(|s| s.flush_unrecorded()).await {
        Ok(Some(c)) => c,
        Ok(None) => return,
        Err(e) => {
            tracing::debug!(error = %e, "The database still refuses writes; alert channels stay paused.");
            return;
        }
    };
    tracing::warn!(
        since = %crate::store::ts(cleared.since),
        recorded = cleared.recorded,
        "The database takes writes again; kept alert outcomes recorded, alert channels resume."
    );
    let stamp = crate::store::ts(cleared.since);
    for ch in cfg.channels.iter().filter(|c| c.operator) {
        let key = hash_key(&["store-unwritable", &ch.id, &stamp]);
        let msg = derive::store_fault_message(&key, store.path(), &cleared, now);
        let a = crate::store::NewAlert {
            post_id: None,
            kind: crate::states::AlertKind::Operator,
            label: "operator".into(),
            channel_id: ch.id.clone(),
            score: 0.0,
            idempotency_key: key,
            payload: serde_json::to_string(&msg).unwrap_or_default(),
        };
        if let Err(e) = store.call(move |s| s.queue_alert(&a, now)).await {
            tracing::error!(channel = %ch.id, error = %e, "Cannot queue the operator alert about the database.");
        }
    }
}

/// Sends every due alert, per channel in order (channels in parallel), and records each
/// outcome. A channel stops at its first failure in a round so its alerts stay in order, and
/// sends nothing while an earlier outcome of it waits to be recorded.
pub async fn dispatch_due(
    store: &Store,
    client: &reqwest::Client,
    cfg: &Alerting<'_>,
    now: DateTime<Utc>,
) -> crate::store::Result<DispatchReport> {
    let due = store.call(move |s| s.due_alerts_in_order(now, 500)).await?;
    let paused = store.paused_channels();
    let mut report = DispatchReport::default();
    let mut groups: Vec<(String, Vec<AlertRow>)> = Vec::new();
    for row in due {
        if paused.contains(&row.channel_id) {
            report.paused += 1;
            continue;
        }
        match groups.iter_mut().find(|g| g.0 == row.channel_id) {
            Some(g) => g.1.push(row),
            None => groups.push((row.channel_id.clone(), vec![row])),
        }
    }
    let results = futures::future::join_all(groups.into_iter().map(|(channel_id, rows)| {
        let ch = cfg.channels.iter().find(|c| c.id == channel_id);
        dispatch_channel(store, client, cfg, ch, channel_id, rows, now)
    }))
    .await;
    for r in results {
        report.add(r?);
    }
    Ok(report)
}

async fn dispatch_channel(
    store: &Store,
    client: &reqwest::Client,
    cfg: &Alerting<'_>,
    ch: Option<&AlertConfig>,
    channel_id: String,
    rows: Vec<AlertRow>,
    now: DateTime<Utc>,
) -> crate::store::Result<DispatchReport> {
    let mut report = DispatchReport::default();
    let Some(ch) = ch else {
        for row in rows {
            let err = AlertError::Unconfigured {
                channel: channel_id.clone(),
            };
            record_failure(store, cfg, &row, &err, 1, now, &mut report).await?;
        }
        return Ok(report);
    };
    // Quiet hours hold everything below the urgent score until they end.
    let mut ready = Vec::new();
    let mut held = Vec::new();
    let quiet_until = ch.quiet_hours.and_then(|q| q.until(now));
    for row in rows {
        match quiet_until {
            Some(_) if row.score < ch.urgent_score => held.push(row.id),
            _ => ready.push(row),
        }
    }
    if let (Some(until), false) = (quiet_until, held.is_empty()) {
        report.held += held.len();
        tracing::debug!(channel = %ch.id, alerts = held.len(), until = %until, "Quiet hours: alerts held.");
        store.call(move |s| s.hold_alerts(&held, until)).await?;
    }
    if ready.is_empty() {
        return Ok(report);
    }
    // Rate limits: the room left in every window; above it, the rest folds into one digest.
    let mut room = u32::MAX;
    let mut free_at = now;
    for (limit, window) in ch.rate_limits() {
        let since = now - chrono::Duration::from_std(window).unwrap_or_default();
        let cid = ch.id.clone();
        let (used, oldest) = store
            .call(move |s| s.channel_sends_since(&cid, since))
            .await?;
        room = room.min(limit.saturating_sub(used));
        if used >= limit {
            if let Some(o) = oldest {
                let at = o + chrono::Duration::from_std(window).unwrap_or_default();
                free_at = free_at.max(at);
            }
        }
    }
    if room == 0 {
        let ids: Vec<i64> = ready.iter().map(|r| r.id).collect();
        report.held += ids.len();
        let until = free_at.max(now + chrono::Duration::seconds(1));
        tracing::debug!(channel = %ch.id, alerts = ids.len(), until = %until, "Rate limit reached: alerts held for the next digest.");
        store.call(move |s| s.hold_alerts(&ids, until)).await?;
        return Ok(report);
    }
    let fold = ready.split_off(singles_within(ready.len(), room));
    for row in ready {
        let mut msg = match serde_json::from_str::<AlertMessage>(&row.payload) {
            Ok(m) => m,
            Err(e) => {
                let err = AlertError::Template {
                    channel: ch.id.clone(),
                    error: format!("stored payload unreadable: {e}"),
                };
                record_failure(store, cfg, &row, &err, 1, now, &mut report).await?;
                continue;
            }
        };
        msg.review_url = review_url(cfg, row.post_id);
        // Marked before the request: a send the database cannot even mark is not made.
        let id = row.id;
        if let Err(e) = store.call(move |s| s.mark_sending(&[id], now)).await {
            tracing::error!(channel = %ch.id, error = %e, "Cannot mark an alert as being sent; the channel sends nothing this round.");
            report.paused += 1;
            return Ok(report);
        }
        match send(client, ch, &msg, now).await {
            Ok(_) => {
                report.sent += 1;
                let sent = Unrecorded::Sent {
                    channel_id: ch.id.clone(),
                    ids: vec![row.id],
                    message_key: row.idempotency_key.clone(),
                    digest_key: None,
                    at: now,
                };
                if record(store, sent, now).await.is_err() {
                    return Ok(report);
                }
            }
            Err(e) => {
                record_failure(store, cfg, &row, &e, ch.max_attempts, now, &mut report).await?;
                // Later alerts wait behind this one (in order), without spending attempts.
                return Ok(report);
            }
        }
    }
    if !fold.is_empty() {
        send_digest(store, client, cfg, ch, fold, now, &mut report).await?;
    }
    Ok(report)
}

/// The link to a post on the review page, when `[review] public_url` is set.
pub fn review_url(cfg: &Alerting<'_>, post_id: Option<i64>) -> Option<String> {
    let base = cfg.review_public_url.as_ref()?;
    let id = post_id?;
    Some(format!(
        "{}/posts/{id}",
        base.as_str().trim_end_matches('/')
    ))
}

/// A digest message carrying several alerts (rate-limit folds and daily digests).
pub fn digest_message(key: &str, title: String, msgs: &[AlertMessage]) -> AlertMessage {
    let items = msgs
        .iter()
        .map(|m| DigestItem {
            title: m.title.clone(),
            label_name: m.label_name.clone(),
            score: m.score,
            source_name: m.source_name.clone(),
            post_url: m.review_url.clone().unwrap_or_else(|| m.post_url.clone()),
            text: m.text.clone(),
            created_at_beijing: m.created_at_beijing.clone(),
        })
        .collect();
    AlertMessage {
        idempotency_key: key.to_string(),
        title,
        label: None,
        label_name: "Digest".into(),
        score: msgs.iter().map(|m| m.score).fold(0.0, f64::max),
        source: String::new(),
        source_name: String::new(),
        author: String::new(),
        post_url: String::new(),
        text: String::new(),
        explanation: String::new(),
        evidence: Vec::new(),
        created_at: String::new(),
        created_at_beijing: String::new(),
        created_at_utc: String::new(),
        kind: MessageKind::Digest,
        severity: "normal".into(),
        review_url: None,
        sources: Vec::new(),
        items,
    }
}

/// How many of `ready` due alerts go out one by one when the channel may send `room` more
/// messages (`room` > 0): all when they fit; else `room - 1`, and the rest fold into one
/// digest, the last message the limit allows. Pure.
pub fn singles_within(ready: usize, room: u32) -> usize {
    match usize::try_from(room) {
        Ok(room) if ready > room => room.saturating_sub(1),
        _ => ready,
    }
}

/// The digest of alerts folded over a channel's rate limit, from their idempotency keys,
/// stored payloads and posts; its key names the channel and every alert in it, so a resend
/// of the same fold carries the same key. Pure.
pub fn fold_digest<'r>(
    cfg: &Alerting<'_>,
    ch: &AlertConfig,
    rows: impl Iterator<Item = (&'r str, &'r str, Option<i64>)> + Clone,
) -> AlertMessage {
    let keys: Vec<&str> = rows.clone().map(|(key, _, _)| key).collect();
    let key = hash_key(&[&["digest", ch.id.as_str()][..], &keys].concat());
    let msgs: Vec<AlertMessage> = rows
        .filter_map(|(_, payload, post_id)| {
            let mut m = serde_json::from_str::<AlertMessage>(payload).ok()?;
            m.review_url = review_url(cfg, post_id);
            Some(m)
        })
        .collect();
    let title = format!("windvane digest · {} alerts (rate limit)", keys.len());
    digest_message(&key, title, &msgs)
}

async fn send_digest(
    store: &Store,
    client: &reqwest::Client,
    cfg: &Alerting<'_>,
    ch: &AlertConfig,
    rows: Vec<AlertRow>,
    now: DateTime<Utc>,
    report: &mut DispatchReport,
) -> crate::store::Result<()> {
    let msg = fold_digest(
        cfg,
        ch,
        rows.iter()
            .map(|r| (r.idempotency_key.as_str(), r.payload.as_str(), r.post_id)),
    );
    let key = msg.idempotency_key.clone();
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    if let Err(e) = store.call(move |s| s.mark_sending(&ids, now)).await {
        tracing::error!(channel = %ch.id, error = %e, "Cannot mark a digest as being sent; the channel sends nothing this round.");
        report.paused += rows.len();
        return Ok(());
    }
    match send(client, ch, &msg, now).await {
        Ok(_) => {
            report.sent += rows.len();
            report.digests += 1;
            tracing::info!(channel = %ch.id, alerts = rows.len(), "Rate limit reached: alerts sent as one digest.");
            let sent = Unrecorded::Sent {
                channel_id: ch.id.clone(),
                ids: rows.iter().map(|r| r.id).collect(),
                message_key: key.clone(),
                digest_key: Some(key),
                at: now,
            };
            let _ = record(store, sent, now).await;
        }
        Err(e) => {
            for row in &rows {
                record_failure(store, cfg, row, &e, ch.max_attempts, now, report).await?;
            }
        }
    }
    Ok(())
}

async fn record_failure(
    store: &Store,
    cfg: &Alerting<'_>,
    row: &AlertRow,
    e: &AlertError,
    max_attempts: u32,
    now: DateTime<Utc>,
    report: &mut DispatchReport,
) -> crate::store::Result<()> {
    let next = now + chrono::Duration::from_std(retry_delay(row.attempts)).unwrap_or_default();
    // The error quotes the service's answer, which may echo the channel's URL or token.
    let msg = cfg.redact(&e.to_string());
    tracing::warn!(channel = %row.channel_id, alert = row.id, error = %msg, "Alert send failed.");
    let failed = Unrecorded::Failed {
        channel_id: row.channel_id.clone(),
        id: row.id,
        error: msg,
        next_at: next,
        max_attempts,
    };
    match record(store, failed, now).await {
        Ok(Some(AlertStatus::Failed)) => report.failed += 1,
        Ok(_) => report.retrying += 1,
        // Kept: counted once the database takes it.
        Err(()) => report.paused += 1,
    }
    Ok(())
}

/// The alert `windvane alerts test` sends: a real flagged post as a real alert would carry
/// it (the channel's template renders it as usual), titled `[test] …` and with its own
/// idempotency key so it never collides with the real alert. The post is `stored` (the newest
/// flagged post of the database, either backend), else the first of the demo's bundled real
/// posts (src/demo, 2019 posts by media accounts) that `classify` flags. `None` when neither
/// exists.
pub fn test_message(
    stored: Option<crate::store::ReviewPost>,
    classify: &dyn Fn(&str) -> crate::classify::Classification,
    channel_id: &str,
    now: DateTime<Utc>,
) -> Option<AlertMessage> {
    let (source_id, source_name, post, c) = match stored {
        Some(p) => {
            let post = Post {
                platform_id: p.platform_id.clone(),
                author: p.author.clone(),
                text: p.text.clone(),
                created_at: p.created_at,
                created_at_raw: String::new(),
                url: p.url.clone(),
                pinned: false,
                truncated: p.truncated,
                edit_count: u32::try_from(p.edit_count).unwrap_or(0),
                retweet: p.retweet_text.clone().map(|text| crate::sources::Retweet {
                    platform_id: String::new(),
                    author: p.retweet_author.clone(),
                    text,
                }),
                raw: String::new(),
            };
            let c = crate::classify::Classification {
                labels: p.labels.clone(),
                explanation: p.explanation.clone().unwrap_or_default(),
                // Stored classifications keep the explanation, not the events.
                events: Vec::new(),
                version: p.classifier_version.clone().unwrap_or_default(),
            };
            (p.source_id, p.source_name, post, c)
        }
        None => {
            let page = match crate::sources::weibo::parse_timeline(
                crate::samples::MEDIA2019_GETINDEX.as_bytes(),
                now,
            ) {
                Ok(crate::sources::weibo::TimelineResponse::Page(page)) => page,
                _ => return None,
            };
            let (post, c) = page.posts.into_iter().find_map(|p| {
                let c = classify(&p.full_text());
                (!c.labels.is_empty()).then_some((p, c))
            })?;
            ("demo".to_string(), post.author.clone(), post, c)
        }
    };
    let label = c.labels.first()?.label;
    let key = hash_key(&["test", channel_id, &now.timestamp_millis().to_string()]);
    let mut msg = message(&key, &source_id, &source_name, &post, &c, label);
    msg.title = format!("[test] {}", msg.title);
    Some(msg)
}

#[cfg(test)]
mod tests;
