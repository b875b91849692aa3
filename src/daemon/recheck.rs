//! Edits and deletions: at its own, slower pace (`recheck_every`), a Weibo source's posts of
//! the last `recheck_window` are compared with what the timeline shows now (the requests are
//! the Weibo client's: `read_back`, `confirm`; this module keeps the store's side). A changed text or
//! `edit_count` stores a new version; a post missing from the part of the timeline that was
//! read is confirmed through its own page (`statuses/show`, then `statuses/extend`) before it
//! is marked deleted or invisible. A post older than the oldest one read is never taken for
//! deleted. Flagged posts raise `edited` / `deleted` / `invisible` alerts through the outbox.
//!
//! The same recheck runs on either store (`Book`): one process's SQLite file, or in cluster
//! mode PostgreSQL under the source's lease (`daemon::cluster` rechecks a leased source after
//! its read, before the run's commit releases it), each write fenced by that lease and its
//! change alerts in the shared outbox with the same idempotency keys.

use chrono::{DateTime, Utc};
use serde_json::Value;

use crate::config::{SourceConfig, SourceSpec, WeiboSpec};
use crate::pipeline::{Context, RunError};
use crate::sources::weibo::presence::Presence;
use crate::sources::weibo::{self, client};
use crate::sources::Post;
use crate::states::AlertEvent;
use crate::store::{Book, ChangeAlert, Edit, FlaggedAlert, Gone, StoreError, TrackedPost};

/// Timeline pages a recheck reads at most (it stops earlier once past the window).
pub const RECHECK_MAX_PAGES: u32 = 10;
/// Missing posts confirmed per recheck (one or two requests each); the rest wait.
pub const MAX_CONFIRMS: usize = 10;

impl Book<'_> {
    async fn tracked_posts(
        self,
        source_id: &str,
        since: DateTime<Utc>,
    ) -> Result<Vec<TrackedPost>, RunError> {
        match self {
            Book::Local(store) => {
                let sid = source_id.to_string();
                Ok(store.call(move |s| s.tracked_posts(&sid, since)).await?)
            }
            Book::Shared { pg, .. } => pg
                .tracked_posts(source_id, since)
                .await
                .map_err(RunError::from),
        }
    }

    async fn flagged_alerts(self, post_id: i64) -> Result<Vec<FlaggedAlert>, RunError> {
        match self {
            Book::Local(store) => Ok(store.call(move |s| s.flagged_alerts(post_id)).await?),
            Book::Shared { pg, .. } => pg.flagged_alerts(post_id).await.map_err(RunError::from),
        }
    }

    async fn versions(self, post_id: i64) -> Result<usize, RunError> {
        match self {
            Book::Local(store) => Ok(store.call(move |s| s.post_versions(post_id)).await?.len()),
            Book::Shared { pg, .. } => Ok(pg
                .post_versions(post_id)
                .await
                .map_err(RunError::from)?
                .len()),
        }
    }

    /// Stores the edit as the post's next version with its details and change alerts, in one
    /// transaction; returns the version.
    async fn record_edit(
        self,
        post_id: i64,
        edit: Edit<'_>,
        alerts: Vec<ChangeAlert>,
    ) -> Result<u32, RunError> {
        match self {
            Book::Local(store) => {
                let (text, raw, count, detail) = (
                    edit.text.to_string(),
                    edit.raw.to_string(),
                    edit.edit_count,
                    edit.detail.clone(),
                );
                let version = store
                    .call(move |s| {
                        let now = Utc::now();
                        let version = s.record_edit(post_id, &text, count, &raw, now, &alerts)?;
                        // The edit's time (and the pictures and counts now) beside the new text.
                        s.update_post_detail(post_id, &detail)?;
                        Ok::<_, StoreError>(version)
                    })
                    .await?;
                Ok(version)
            }
            Book::Shared { pg, lease } => pg
                .record_edit(lease, post_id, &edit, &alerts)
                .await
                .map_err(RunError::from),
        }
    }

    async fn mark_gone(
        self,
        post_id: i64,
        gone: Gone,
        marker: String,
        alerts: Vec<ChangeAlert>,
    ) -> Result<bool, RunError> {
        match self {
            Book::Local(store) => Ok(store
                .call(move |s| s.mark_gone(post_id, gone, &marker, Utc::now(), &alerts))
                .await?),
            Book::Shared { pg, lease } => pg
                .mark_gone(lease, post_id, gone, &marker, &alerts)
                .await
                .map_err(RunError::from),
        }
    }

    /// The posts seen on the timeline, and that the source was rechecked at `now`.
    async fn mark_rechecked(
        self,
        source_id: &str,
        seen: Vec<i64>,
        now: DateTime<Utc>,
    ) -> Result<(), RunError> {
        match self {
            Book::Local(store) => {
                let sid = source_id.to_string();
                store
                    .call(move |s| {
                        s.mark_seen(&seen, now)?;
                        s.mark_rechecked(&sid, now)
                    })
                    .await?;
                Ok(())
            }
            Book::Shared { pg, lease } => pg
                .mark_rechecked(lease, &seen)
                .await
                .map_err(RunError::from),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecheckReport {
    /// Stored posts inside the window.
    pub tracked: usize,
    /// Of those, seen again on the timeline.
    pub seen: usize,
    pub edited: usize,
    pub deleted: usize,
    pub invisible: usize,
    /// Missing posts whose confirming request said neither "exists" nor "gone".
    pub unconfirmed: usize,
    pub alerts_queued: usize,
}

/// A short diff of two texts: the common start and end are cut to a few characters of
/// context, the changed middle shown as `[-old-]{+new+}`.
pub fn diff(old: &str, new: &str) -> String {
    const CONTEXT: usize = 12;
    let a: Vec<char> = old.chars().collect();
    let b: Vec<char> = new.chars().collect();
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let max_suffix = a.len().min(b.len()) - prefix;
    let suffix = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take(max_suffix)
        .take_while(|(x, y)| x == y)
        .count();
    let mut out = String::new();
    if prefix > CONTEXT {
        out.push('…');
    }
    out.extend(&a[prefix.saturating_sub(CONTEXT)..prefix]);
    let removed: String = a[prefix..a.len() - suffix].iter().collect();
    let added: String = b[prefix..b.len() - suffix].iter().collect();
    if !removed.is_empty() {
        out.push_str(&format!("[-{removed}-]"));
    }
    if !added.is_empty() {
        out.push_str(&format!("{{+{added}+}}"));
    }
    out.extend(&a[a.len() - suffix..(a.len() - suffix + CONTEXT.min(suffix))]);
    if suffix > CONTEXT {
        out.push('…');
    }
    out
}

/// The change alerts of a flagged post: one per channel that was alerted about it, each from
/// the original payload with the event, a new title, and (for edits) the texts and diff. Keys
/// are stable per original key + event + `tag` (the version), so a repeat never re-alerts.
pub fn change_alerts(
    flagged: &[FlaggedAlert],
    event: AlertEvent,
    tag: &str,
    previous: Option<&str>,
    current: Option<&str>,
) -> Vec<ChangeAlert> {
    let mut out: Vec<ChangeAlert> = Vec::new();
    for f in flagged {
        if out.iter().any(|a| a.channel_id == f.channel_id) {
            continue;
        }
        let key = crate::alert::hash_key(&[&f.idempotency_key, event.as_str(), tag]);
        let mut payload = serde_json::from_str::<Value>(&f.payload)
            .ok()
            .filter(Value::is_object)
            .unwrap_or_else(|| serde_json::json!({}));
        let title = payload
            .get("title")
            .and_then(Value::as_str)
            .unwrap_or(&f.label)
            .to_string();
        let verb = match event {
            AlertEvent::Flagged => "Flagged",
            AlertEvent::Edited => "Edited",
            AlertEvent::Deleted => "Deleted",
            AlertEvent::Invisible => "Made invisible",
        };
        if let Some(o) = payload.as_object_mut() {
            o.insert("idempotency_key".into(), key.clone().into());
            o.insert("event".into(), event.as_str().into());
            o.insert("title".into(), format!("{verb}: {title}").into());
            if let (Some(p), Some(c)) = (previous, current) {
                o.insert("previous_text".into(), p.into());
                o.insert("text".into(), c.into());
                o.insert("diff".into(), diff(p, c).into());
            }
        }
        out.push(ChangeAlert {
            event,
            channel_id: f.channel_id.clone(),
            label: f.label.clone(),
            score: f.score,
            idempotency_key: key,
            payload: payload.to_string(),
        });
    }
    out
}

fn same_text(a: &str, b: &str) -> bool {
    a.split_whitespace().eq(b.split_whitespace())
}

/// Rechecks the source when its `recheck_every` has passed. `None` when nothing was due (or
/// the source's kind is not rechecked: only Weibo timelines are, for now).
pub async fn maybe_recheck(
    ctx: &Context,
    src: &SourceConfig,
) -> Option<Result<RecheckReport, String>> {
    maybe_recheck_in(ctx, src, Book::Local(&ctx.store), Utc::now()).await
}

/// `maybe_recheck` on either store; `now` is the time the recheck's window is counted back
/// from (in cluster mode the database's, at the lease's claim).
pub async fn maybe_recheck_in(
    ctx: &Context,
    src: &SourceConfig,
    book: Book<'_>,
    now: DateTime<Utc>,
) -> Option<Result<RecheckReport, String>> {
    let SourceSpec::Weibo(w) = &src.spec else {
        return None;
    };
    if src.watch.recheck_window.is_zero() {
        return None;
    }
    let (sid, every) = (src.id.clone(), src.watch.recheck_every);
    let due = match book {
        Book::Local(store) => store
            .call(move |s| s.recheck_due(&sid, every, now))
            .await
            .map_err(|e| e.to_string()),
        Book::Shared { pg, .. } => pg.recheck_due(&sid, every).await.map_err(|e| e.to_string()),
    };
    match due {
        Ok(true) => {}
        Ok(false) => return None,
        Err(e) => return Some(Err(e)),
    }
    let r = recheck_in(ctx, src, w, book, now)
        .await
        .map_err(|e| e.to_string());
    match &r {
        Ok(r) => tracing::info!(
            source = %src.id,
            tracked = r.tracked,
            seen = r.seen,
            edited = r.edited,
            deleted = r.deleted,
            invisible = r.invisible,
            unconfirmed = r.unconfirmed,
            alerted = r.alerts_queued,
            "Recheck done."
        ),
        Err(e) => tracing::warn!(source = %src.id, error = %e, "Recheck failed; will retry."),
    }
    Some(r)
}

/// One recheck of a Weibo source (one process's store).
pub async fn recheck(
    ctx: &Context,
    src: &SourceConfig,
    w: &WeiboSpec,
    now: DateTime<Utc>,
) -> Result<RecheckReport, RunError> {
    recheck_in(ctx, src, w, Book::Local(&ctx.store), now).await
}

/// One recheck of a Weibo source, on either store.
pub async fn recheck_in(
    ctx: &Context,
    src: &SourceConfig,
    w: &WeiboSpec,
    book: Book<'_>,
    now: DateTime<Utc>,
) -> Result<RecheckReport, RunError> {
    let window =
        chrono::Duration::from_std(src.watch.recheck_window).unwrap_or(chrono::Duration::MAX);
    let window_start = now
        .checked_sub_signed(window)
        .unwrap_or(DateTime::<Utc>::MIN_UTC);
    let tracked = book.tracked_posts(&src.id, window_start).await?;
    let mut report = RecheckReport {
        tracked: tracked.len(),
        ..Default::default()
    };
    if tracked.is_empty() {
        book.mark_rechecked(&src.id, Vec::new(), now).await?;
        return Ok(report);
    }

    // Read the timeline back to the window's start (or as far as it goes).
    let env = ctx.env(src);
    let (seen, oldest) = client::read_back(&env, w, window_start, RECHECK_MAX_PAGES).await?;

    let mut seen_ids = Vec::new();
    let mut missing = Vec::new();
    for t in &tracked {
        match seen.get(&t.platform_id) {
            Some(p) => {
                seen_ids.push(t.id);
                let count_changed = p.edit_count > t.edit_count;
                let text_changed = !p.truncated && !t.truncated && !same_text(&p.text, &t.text);
                if !(count_changed || text_changed) {
                    continue;
                }
                let mut text = p.text.clone();
                if p.truncated {
                    match client::full_text(&env, w, &t.platform_id).await {
                        Some(full) => text = full,
                        // Never store a preview as a version; the next recheck tries again.
                        None => continue,
                    }
                }
                if same_text(&text, &t.text) && !count_changed {
                    continue;
                }
                report.alerts_queued += record_edit(book, t, &text, p).await?;
                report.edited += 1;
            }
            // Only a post inside the part of the timeline that was read can be missing.
            None if oldest.is_some_and(|o| t.created_at >= o) => missing.push(t.clone()),
            None => {}
        }
    }
    report.seen = seen_ids.len();

    for t in missing.into_iter().take(MAX_CONFIRMS) {
        match client::confirm(&env, w, &t.platform_id).await {
            Presence::Gone(gone, marker) => {
                let flagged = book.flagged_alerts(t.id).await?;
                let alerts = change_alerts(&flagged, gone.event(), "", None, None);
                let n = alerts.len();
                let changed = book.mark_gone(t.id, gone, marker, alerts).await?;
                if changed {
                    tracing::info!(source = %src.id, post = %t.platform_id, visibility = gone.as_str(), "Post gone (confirmed).");
                    report.alerts_queued += n;
                    match gone {
                        Gone::Deleted => report.deleted += 1,
                        Gone::Invisible => report.invisible += 1,
                    }
                }
            }
            Presence::Exists(_) => {
                tracing::debug!(source = %src.id, post = %t.platform_id, "Post missing from the timeline but its page has it.");
            }
            Presence::Unknown => report.unconfirmed += 1,
        }
    }
    book.mark_rechecked(&src.id, seen_ids, now).await?;
    Ok(report)
}

async fn record_edit(
    book: Book<'_>,
    t: &TrackedPost,
    text: &str,
    p: &Post,
) -> Result<usize, RunError> {
    let flagged = book.flagged_alerts(t.id).await?;
    // The version this edit will become: the tag keeps repeated edits apart.
    let versions = book.versions(t.id).await?;
    let tag = format!("v{}", versions.max(1) + 1);
    let alerts = change_alerts(
        &flagged,
        AlertEvent::Edited,
        &tag,
        Some(&t.text),
        Some(text),
    );
    let n = alerts.len();
    let detail = weibo::post_detail_from_raw(&p.raw, Utc::now());
    let edit = Edit {
        text,
        edit_count: p.edit_count.max(t.edit_count),
        raw: &p.raw,
        detail: &detail,
    };
    let version = book.record_edit(t.id, edit, alerts).await?;
    tracing::info!(post = %t.platform_id, version, "Post edited; new version stored.");
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diffs() {
        assert_eq!(diff("abc", "abc"), "abc");
        assert_eq!(
            diff("中方愿意谈判", "中方拒绝谈判"),
            "中方[-愿意-]{+拒绝+}谈判"
        );
        assert_eq!(diff("", "新"), "{+新+}");
        assert_eq!(diff("旧", ""), "[-旧-]");
        let long_a = format!("{}X{}", "前".repeat(30), "后".repeat(30));
        let d = diff(&long_a, &long_a.replace('X', "Y"));
        assert!(d.starts_with('…') && d.ends_with('…'), "{d}");
        assert!(d.contains("[-X-]{+Y+}"), "{d}");
        // Repeated characters around the change never overlap prefix and suffix.
        assert_eq!(diff("aaa", "aa"), "aa[-a-]");
    }

    #[test]
    fn change_alert_keys_are_stable_and_per_channel() {
        let f = |ch: &str, label: &str| FlaggedAlert {
            channel_id: ch.into(),
            label: label.into(),
            score: 0.9,
            idempotency_key: format!("k-{ch}-{label}"),
            payload: r#"{"title":"Talks · 央视新闻 · 0.90","text":"old"}"#.into(),
        };
        let flagged = [
            f("hook", "talks"),
            f("hook", "escalation"),
            f("log", "talks"),
        ];
        let a = change_alerts(&flagged, AlertEvent::Edited, "v2", Some("旧"), Some("新"));
        assert_eq!(a.len(), 2, "one per channel");
        let b = change_alerts(&flagged, AlertEvent::Edited, "v2", Some("旧"), Some("新"));
        assert_eq!(a[0].idempotency_key, b[0].idempotency_key);
        let c = change_alerts(&flagged, AlertEvent::Edited, "v3", Some("旧"), Some("新"));
        assert_ne!(a[0].idempotency_key, c[0].idempotency_key);
        let v: Value = serde_json::from_str(&a[0].payload).unwrap();
        assert_eq!(v["event"], "edited");
        assert_eq!(v["title"], "Edited: Talks · 央视新闻 · 0.90");
        assert_eq!(v["diff"], "[-旧-]{+新+}");
        let d = change_alerts(&flagged, AlertEvent::Deleted, "", None, None);
        let v: Value = serde_json::from_str(&d[0].payload).unwrap();
        assert_eq!(v["text"], "old");
        assert!(v.get("diff").is_none());
    }
}
