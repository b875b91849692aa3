//! Alerts beyond single posts, raised by the dispatcher from what the store holds:
//! corroboration (two or more sources raising one label within the window → one
//! "corroborated" alert naming them all, high severity), operator alerts (a source needs a
//! cookie, its layout changed, or it has failed longer than `stale_after` → one alert per
//! incident, not per tick) and the optional daily digest per channel.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use super::{
    hash_key, message, review_url, send, AlertConfig, AlertMessage, Alerting, DispatchReport,
    MessageKind, SourceMention, WatchedSource,
};
use crate::classify::Label;
use crate::states::{AlertKind, SourceState};
use crate::store::{LabelHit, NewAlert, SourceRunState, Store};

/// The labels a channel sees corroborated: per label, the best hit of each distinct source,
/// when there are at least two sources. Pure.
pub fn corroborations<'a>(
    hits: &'a [LabelHit],
    ch: &AlertConfig,
) -> Vec<(Label, Vec<&'a LabelHit>)> {
    let mut by_label: BTreeMap<&str, BTreeMap<&str, &LabelHit>> = BTreeMap::new();
    for h in hits {
        let Ok(label) = h.label.parse::<Label>() else {
            continue;
        };
        if !ch.wants_source(&h.source_id) || !ch.wants(label, h.score) {
            continue;
        }
        let best = by_label
            .entry(h.label.as_str())
            .or_default()
            .entry(h.source_id.as_str())
            .or_insert(h);
        if h.score > best.score {
            *best = h;
        }
    }
    by_label
        .into_iter()
        .filter(|(_, s)| s.len() >= 2)
        .filter_map(|(l, s)| {
            let mut v: Vec<&LabelHit> = s.into_values().collect();
            v.sort_by(|a, b| b.score.total_cmp(&a.score));
            Some((l.parse().ok()?, v))
        })
        .collect()
}

pub fn corroborated_message(
    key: &str,
    label: Label,
    hits: &[&LabelHit],
    window: std::time::Duration,
) -> AlertMessage {
    let best = hits[0];
    let names: Vec<&str> = hits.iter().map(|h| h.source_name.as_str()).collect();
    let score = best.score;
    AlertMessage {
        idempotency_key: key.to_string(),
        title: format!(
            "Corroborated · {}",
            message::title(label, &names.join(" + "), score)
        ),
        label: Some(label),
        label_name: label.english().to_string(),
        score,
        source: best.source_id.clone(),
        source_name: best.source_name.clone(),
        author: best.source_name.clone(),
        post_url: best.url.clone(),
        text: best.text.clone(),
        explanation: format!(
            "{} sources raised {} within {}: {}.",
            hits.len(),
            label.english(),
            humantime::format_duration(window),
            names.join(", ")
        ),
        evidence: Vec::new(),
        created_at: crate::store::ts(best.created_at),
        created_at_beijing: message::beijing_label(best.created_at),
        created_at_utc: message::utc(best.created_at),
        kind: MessageKind::Corroborated,
        severity: "high".into(),
        review_url: None,
        sources: hits
            .iter()
            .map(|h| SourceMention {
                id: h.source_id.clone(),
                name: h.source_name.clone(),
                score: h.score,
                post_url: h.url.clone(),
            })
            .collect(),
        items: Vec::new(),
    }
}

/// What an operator must fix about a source, if anything. Pure.
pub fn operator_condition(
    h: &SourceRunState,
    stale_after: std::time::Duration,
    now: DateTime<Utc>,
) -> Option<&'static str> {
    match h.state {
        SourceState::Ok => None,
        s if s.needs_operator() => Some(s.as_str()),
        _ => {
            let since = h.failing_since?;
            let stale = chrono::Duration::from_std(stale_after).unwrap_or_default();
            (now - since >= stale).then_some("stale")
        }
    }
}

pub fn operator_message(
    key: &str,
    src: &WatchedSource<'_>,
    h: &SourceRunState,
    condition: &str,
    now: DateTime<Utc>,
) -> AlertMessage {
    let (what, todo) = match condition {
        "needs-cookie" => (
            "needs a new cookie",
            "Weibo refuses the requests. Put a fresh logged-in cookie in the source's `cookie_file` or `cookie_env`, or wait for the visitor cookie to renew.",
        ),
        "layout-changed" => (
            "changed its page layout",
            "The item selector matches nothing where it used to. Update the source's selectors (`item`, `title`, `link`, `date`).",
        ),
        _ => (
            "has been failing too long",
            "No good run within the source's `stale_after`. Check the source's URL, the network and the logs.",
        ),
    };
    let since = h
        .failing_since
        .map(|t| format!(" Last good run: {}.", message::utc(t)))
        .unwrap_or_default();
    AlertMessage {
        idempotency_key: key.to_string(),
        title: format!("Operator · source {} ({}) {what}", src.id, src.name),
        label: None,
        label_name: "Operator".into(),
        score: 0.0,
        source: src.id.to_string(),
        source_name: src.name.to_string(),
        author: String::new(),
        post_url: String::new(),
        text: h.last_error.clone().unwrap_or_default(),
        explanation: format!("{todo}{since}"),
        evidence: Vec::new(),
        created_at: crate::store::ts(now),
        created_at_beijing: message::beijing_label(now),
        created_at_utc: message::utc(now),
        kind: MessageKind::Operator,
        severity: "normal".into(),
        review_url: None,
        sources: Vec::new(),
        items: Vec::new(),
    }
}

/// The operator alert after the database refused to record alert outcomes for a while.
pub fn store_fault_message(
    key: &str,
    db: &std::path::Path,
    cleared: &crate::store::FaultCleared,
    now: DateTime<Utc>,
) -> AlertMessage {
    AlertMessage {
        idempotency_key: key.to_string(),
        title: "Operator · the database refused writes; alert channels were paused".into(),
        label: None,
        label_name: "Operator".into(),
        score: 0.0,
        source: String::new(),
        source_name: String::new(),
        author: String::new(),
        post_url: String::new(),
        text: cleared.error.clone(),
        explanation: format!(
            "From {} to {}, `{}` did not take writes. Channels whose alert outcome could not be recorded sent nothing more (no repeats); {} kept outcomes are now recorded and sending has resumed. Check the disk's free space and the file's permissions.",
            message::utc(cleared.since),
            message::utc(now),
            db.display(),
            cleared.recorded
        ),
        evidence: Vec::new(),
        created_at: crate::store::ts(now),
        created_at_beijing: message::beijing_label(now),
        created_at_utc: message::utc(now),
        kind: MessageKind::Operator,
        severity: "high".into(),
        review_url: None,
        sources: Vec::new(),
        items: Vec::new(),
    }
}

/// The outbox row a corroboration raises on a channel; its key names the channel, the label
/// and the posts, so the same corroboration is queued once. Pure.
pub fn corroborated_alert(
    ch: &AlertConfig,
    label: Label,
    group: &[&LabelHit],
    window: std::time::Duration,
) -> NewAlert {
    let mut ids: Vec<String> = group.iter().map(|h| h.post_id.to_string()).collect();
    ids.sort();
    let mut parts = vec!["corroborated", ch.id.as_str(), label.as_str()];
    parts.extend(ids.iter().map(String::as_str));
    let key = hash_key(&parts);
    let msg = corroborated_message(&key, label, group, window);
    NewAlert {
        post_id: group.first().map(|h| h.post_id),
        kind: AlertKind::Corroborated,
        label: label.as_str().into(),
        channel_id: ch.id.clone(),
        score: msg.score,
        idempotency_key: key,
        payload: serde_json::to_string(&msg).unwrap_or_default(),
    }
}

/// What a round does about a source's operator incident.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IncidentStep {
    /// Nothing: healthy with no incident, or the open incident still holds.
    Keep,
    /// Open an incident for this condition (or change the open one) and raise its alerts.
    Open(&'static str),
    /// The source is healthy again: close its incident.
    Close,
}

/// The step for a source with health `h` and open incident `open` (its condition): one alert
/// per incident, not one per round. Pure.
pub fn incident_step(
    h: &SourceRunState,
    stale_after: std::time::Duration,
    open: Option<&str>,
    now: DateTime<Utc>,
) -> IncidentStep {
    match (operator_condition(h, stale_after, now), open) {
        (Some(c), Some(o)) if c == o => IncidentStep::Keep,
        (Some(c), _) => IncidentStep::Open(c),
        (None, Some(_)) => IncidentStep::Close,
        (None, None) => IncidentStep::Keep,
    }
}

/// A watched source's incident step this round, with what it was judged on.
#[derive(Debug, Clone, Copy)]
pub struct SourceIncident<'a> {
    pub src: &'a WatchedSource<'a>,
    pub health: &'a SourceRunState,
    /// The condition of its open incident, if any.
    pub open: Option<&'a str>,
    pub step: IncidentStep,
}

/// Every watched source's incident step, from every source's health and the open incidents
/// `(source_id, condition)`; a source with no health row yet has none. Pure.
pub fn incident_steps<'a>(
    cfg: &'a Alerting<'_>,
    health: &'a [SourceRunState],
    incidents: &'a [(String, String)],
    now: DateTime<Utc>,
) -> Vec<SourceIncident<'a>> {
    cfg.sources
        .iter()
        .filter_map(|src| {
            let h = health.iter().find(|h| h.id == src.id)?;
            let open = incidents
                .iter()
                .find(|i| i.0 == src.id)
                .map(|i| i.1.as_str());
            Some(SourceIncident {
                src,
                health: h,
                open,
                step: incident_step(h, src.stale_after, open, now),
            })
        })
        .collect()
}

/// The operator alerts an incident raises, one per channel that takes operator alerts;
/// keyed by the incident's time, so a later incident of the same kind alerts again. Pure.
pub fn operator_alerts(
    cfg: &Alerting<'_>,
    src: &WatchedSource<'_>,
    h: &SourceRunState,
    condition: &str,
    now: DateTime<Utc>,
) -> Vec<NewAlert> {
    let stamp = crate::store::ts(now);
    cfg.channels
        .iter()
        .filter(|ch| ch.operator)
        .map(|ch| {
            let key = hash_key(&["operator", &ch.id, src.id, condition, &stamp]);
            let msg = operator_message(&key, src, h, condition, now);
            NewAlert {
                post_id: None,
                kind: AlertKind::Operator,
                label: "operator".into(),
                channel_id: ch.id.clone(),
                score: 0.0,
                idempotency_key: key,
                payload: serde_json::to_string(&msg).unwrap_or_default(),
            }
        })
        .collect()
}

/// The local day (`YYYY-MM-DD`) whose digest a channel owes at `now`: once its local time
/// has passed `digest_at`; `None` before that or without a daily digest. Pure.
pub fn daily_digest_day(ch: &AlertConfig, now: DateTime<Utc>) -> Option<String> {
    let (at, tz) = ch.digest_at?;
    let local = now.with_timezone(&tz);
    (local.time() >= at).then(|| local.date_naive().to_string())
}

/// A channel's daily digest for `day` from the label hits of the last 24 hours: counts per
/// label and the top five posts the channel wants. Pure.
pub fn daily_digest(
    cfg: &Alerting<'_>,
    ch: &AlertConfig,
    hits: &[LabelHit],
    day: &str,
) -> AlertMessage {
    let mut wanted: Vec<&LabelHit> = hits
        .iter()
        .filter(|h| {
            ch.wants_source(&h.source_id)
                && h.label.parse::<Label>().is_ok_and(|l| ch.wants(l, h.score))
        })
        .collect();
    let mut counts = Vec::new();
    for l in Label::ALL {
        let n = wanted.iter().filter(|h| h.label == l.as_str()).count();
        counts.push(format!("{}: {n}", l.english()));
    }
    wanted.sort_by(|a, b| b.score.total_cmp(&a.score));
    let top: Vec<AlertMessage> = wanted
        .iter()
        .take(5)
        .map(|h| {
            let label: Label = h.label.parse().unwrap_or(Label::Talks);
            let mut m = corroborated_message("", label, &[h], cfg.corroboration_window);
            m.title = message::title(label, &h.source_name, h.score);
            m.review_url = review_url(cfg, Some(h.post_id));
            m
        })
        .collect();
    let key = hash_key(&["daily", &ch.id, day]);
    let mut msg = super::digest_message(
        &key,
        format!("windvane daily digest · {day} · {} signals", wanted.len()),
        &top,
    );
    msg.explanation = counts.join(" · ");
    msg
}

/// Queues corroborated and operator alerts that are due.
pub async fn raise(
    store: &Store,
    cfg: &Alerting<'_>,
    now: DateTime<Utc>,
) -> crate::store::Result<()> {
    let window = cfg.corroboration_window;
    let since = now - chrono::Duration::from_std(window).unwrap_or_default();
    let hits = store.call(move |s| s.label_hits_since(since)).await?;
    for ch in cfg.channels {
        for (label, group) in corroborations(&hits, ch) {
            let (cid, l) = (ch.id.clone(), label.as_str());
            if store
                .call(move |s| s.alert_queued_since(AlertKind::Corroborated, l, &cid, since))
                .await?
            {
                continue;
            }
            let a = corroborated_alert(ch, label, &group, window);
            tracing::info!(channel = %ch.id, label = %label, sources = group.len(), "Corroborated signal; alert queued.");
            store.call(move |s| s.queue_alert(&a, now)).await?;
        }
    }

    let health = store.call(|s| s.source_health()).await?;
    let incidents = store.call(|s| s.operator_incidents()).await?;
    for SourceIncident {
        src,
        health: h,
        step,
        ..
    } in incident_steps(cfg, &health, &incidents, now)
    {
        match step {
            IncidentStep::Keep => {}
            IncidentStep::Open(c) => {
                let alerts = operator_alerts(cfg, src, h, c, now);
                tracing::warn!(source = %src.id, condition = c, channels = alerts.len(), "Source needs an operator; alert queued.");
                let (sid, c) = (src.id.to_string(), c.to_string());
                store
                    .call(move |s| s.open_incident(&sid, &c, &alerts, now))
                    .await?;
            }
            IncidentStep::Close => {
                let sid = src.id.to_string();
                store.call(move |s| s.close_incident(&sid)).await?;
            }
        }
    }
    Ok(())
}

/// Sends each channel's daily digest once its local time has passed `digest_at`: counts per
/// label and the top posts of the last 24 hours. Not in the outbox: a failed digest is tried
/// again next round until the day is over.
pub async fn daily_digests(
    store: &Store,
    client: &reqwest::Client,
    cfg: &Alerting<'_>,
    now: DateTime<Utc>,
) -> crate::store::Result<DispatchReport> {
    let mut report = DispatchReport::default();
    for ch in cfg.channels {
        let Some(day) = daily_digest_day(ch, now) else {
            continue;
        };
        let (cid, d) = (ch.id.clone(), day.clone());
        if store.call(move |s| s.daily_digest_sent(&cid, &d)).await? {
            continue;
        }
        let since = now - chrono::Duration::hours(24);
        let hits = store.call(move |s| s.label_hits_since(since)).await?;
        let msg = daily_digest(cfg, ch, &hits, &day);
        if store.paused_channels().contains(&ch.id) {
            continue;
        }
        match send(client, ch, &msg, now).await {
            Ok(_) => {
                report.digests += 1;
                let done = crate::store::Unrecorded::DailyDigest {
                    channel_id: ch.id.clone(),
                    day: day.clone(),
                    at: now,
                };
                let _ = super::record(store, done, now).await;
            }
            Err(e) => {
                tracing::warn!(channel = %ch.id, error = %cfg.redact(&e.to_string()), "Daily digest failed; will retry.")
            }
        }
    }
    Ok(report)
}
