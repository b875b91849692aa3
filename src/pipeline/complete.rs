//! The loop's last reading step: stored previews get another chance at their full text,
//! through the kind's `SourceSpec::complete` hook (Weibo long texts, HTML articles), and are
//! classified again. The same pass runs on either store (`store::Book`): one process's SQLite
//! file, or in cluster mode PostgreSQL under the source's lease (`daemon::cluster` runs it
//! after a leased read, before the run's commit gives the lease back), each write fenced.

use std::collections::HashSet;

use chrono::Utc;

use super::{Context, SourceReport};
use crate::alert;
use crate::classify::capped::classify_capped;
use crate::config::SourceConfig;
use crate::post::Post;
use crate::sources::run::RunError;
use crate::store::{Book, IngestReport, PlannedAlert, StoredPost};

/// Stored previews whose full text a pass tries again to fetch, per source.
const LONG_TEXT_RETRIES_PER_RUN: usize = 5;

/// What completing previews reads and writes, on either store.
impl Book<'_> {
    async fn stored_previews(
        self,
        source_id: &str,
        version: &str,
        limit: usize,
    ) -> Result<Vec<StoredPost>, RunError> {
        match self {
            Book::Local(store) => {
                let (sid, version) = (source_id.to_string(), version.to_string());
                Ok(store
                    .call(move |s| s.truncated_stored_posts(&sid, &version, limit))
                    .await?)
            }
            Book::Shared { pg, .. } => {
                let mut due = pg
                    .truncated_stored_posts(source_id, version, limit)
                    .await
                    .map_err(RunError::from)?;
                // PostgreSQL keeps a repost's original after the post's own text (its full
                // text); the original is split off again so only the post's own preview is
                // replaced and the classifier reads both, as on SQLite.
                for p in &mut due {
                    split_original(&mut p.post);
                }
                Ok(due)
            }
        }
    }

    async fn full_text_tried(self, post_id: i64) -> Result<(), RunError> {
        match self {
            Book::Local(store) => Ok(store
                .call(move |s| s.mark_full_text_tried(post_id, Utc::now()))
                .await?),
            Book::Shared { pg, lease } => pg
                .mark_full_text_tried(lease, post_id)
                .await
                .map_err(RunError::from),
        }
    }

    async fn complete_preview(
        self,
        post_id: i64,
        post: Post,
        words: String,
        c: crate::classify::Classification,
        alerts: Vec<PlannedAlert>,
    ) -> Result<Option<IngestReport>, RunError> {
        match self {
            Book::Local(store) => Ok(store
                .call(move |s| {
                    s.complete_and_reclassify(post_id, &post.text, &words, &c, &alerts, Utc::now())
                })
                .await?),
            Book::Shared { pg, lease } => pg
                .complete_and_reclassify(lease, post_id, &post.full_text(), &c, &alerts)
                .await
                .map_err(RunError::from),
        }
    }
}

/// Splits a stored full text (`own\n//original`, see `Post::full_text`) back into the
/// post's text and its repost's.
fn split_original(post: &mut Post) {
    if let Some((own, original)) = post.text.split_once("\n//") {
        post.retweet = Some(crate::post::Retweet {
            platform_id: String::new(),
            author: None,
            text: original.to_string(),
        });
        post.text = own.to_string();
    }
}

/// Stored previews (`truncated = 1`: Weibo long texts, HTML articles that could not be read)
/// get another chance at their full text. A completed text replaces the preview and is
/// classified again; only labels no earlier classification reported raise alerts.
pub async fn retry_truncated(
    ctx: &Context,
    src: &SourceConfig,
    book: Book<'_>,
    tried: &HashSet<String>,
    report: &mut SourceReport,
) -> Result<(), RunError> {
    let limit = LONG_TEXT_RETRIES_PER_RUN + tried.len();
    let due = book
        .stored_previews(&src.id, ctx.classifier.version(), limit)
        .await?;
    let due = due
        .into_iter()
        .filter(|p| !tried.contains(&p.post.platform_id));
    for stored in due.take(LONG_TEXT_RETRIES_PER_RUN) {
        let Some(full) = src.spec.complete(&ctx.env(src), &stored.post).await else {
            book.full_text_tried(stored.id).await?;
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
        let done = book
            .complete_preview(stored.id, post, words, c, alerts)
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
