//! The loop's last reading step: stored previews get another chance at their full text,
//! through the kind's `SourceSpec::complete` hook (Weibo long texts, HTML articles), and are
//! classified again.

use std::collections::HashSet;

use chrono::Utc;

use super::{Context, SourceReport};
use crate::alert;
use crate::classify::capped::classify_capped;
use crate::config::SourceConfig;
use crate::sources::run::RunError;

/// Stored previews whose full text a pass tries again to fetch, per source.
const LONG_TEXT_RETRIES_PER_RUN: usize = 5;

/// Stored previews (`truncated = 1`: Weibo long texts, HTML articles that could not be read)
/// get another chance at their full text. A completed text replaces the preview and is
/// classified again; only labels no earlier classification reported raise alerts.
pub(super) async fn retry_truncated(
    ctx: &Context,
    src: &SourceConfig,
    tried: &HashSet<String>,
    report: &mut SourceReport,
) -> Result<(), RunError> {
    let (sid, version) = (src.id.clone(), ctx.classifier.version().to_string());
    let limit = LONG_TEXT_RETRIES_PER_RUN + tried.len();
    let due = ctx
        .store
        .call(move |s| s.truncated_stored_posts(&sid, &version, limit))
        .await?;
    let due = due
        .into_iter()
        .filter(|p| !tried.contains(&p.post.platform_id));
    for stored in due.take(LONG_TEXT_RETRIES_PER_RUN) {
        let Some(full) = src.spec.complete(&ctx.env(src), &stored.post).await else {
            let post_id = stored.id;
            ctx.store
                .call(move |s| s.mark_full_text_tried(post_id, Utc::now()))
                .await?;
            continue;
        };
        let mut post = stored.post.clone();
        post.text = full;
        post.truncated = false;
        let classifier = ctx.classifier.clone();
        let text = post.full_text();
        let (c, words) = tokio::task::spawn_blocking(move || classify_capped(&classifier, &text))
            .await
            .map_err(|e| RunError::Parse(format!("classifier task failed: {e}")))?;
        let mut fresh = c.clone();
        fresh
            .labels
            .retain(|l| !stored.prior_labels.contains(&l.label));
        let alerts = alert::plan(
            &stored.source_id,
            &stored.source_name,
            &post,
            &fresh,
            &ctx.cfg.alerts,
        );
        let post_id = stored.id;
        let done = ctx
            .store
            .call(move |s| {
                s.complete_and_reclassify(post_id, &post.text, &words, &c, &alerts, Utc::now())
            })
            .await?;
        if let Some(r) = done {
            report.long_texts_completed += 1;
            report.flagged += r.flagged;
            report.alerts_queued += r.alerts_queued;
            report
                .flagged_labels
                .extend(fresh.labels.iter().map(|l| l.label.as_str().to_string()));
        }
    }
    Ok(())
}
