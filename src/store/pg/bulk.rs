//! What the analyst's bulk commands read and write on the shared database (SQLite:
//! `store/posts.rs`, `store/review.rs`): `reclassify`'s posts and new classifications, and
//! `train --from-reviews`' reviewed examples.

use chrono::{DateTime, Utc};

use super::{Attach, Context as _, PgError, PgStore, RunCommitted};
use crate::classify::Label;
use crate::post::Post;
use crate::store::review::reviewed_examples_of;
use crate::store::{IngestReport, Reclassified, StoredPost};

impl PgStore {
    /// Stored posts with id > `after_id` (and created at or after `since`), oldest id first,
    /// each with the labels earlier classifications reported and whether `version` has
    /// classified it already. A post's stored text is its full text (a repost's original
    /// after `//`), as the classifier reads it.
    pub async fn posts_after(
        &self,
        after_id: i64,
        since: Option<DateTime<Utc>>,
        version: &str,
        limit: usize,
    ) -> Result<Vec<StoredPost>, PgError> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        self.stored_posts(
            "WHERE p.id > $1 AND ($2::timestamptz IS NULL OR p.created_at >= $2)
             ORDER BY p.id LIMIT $4",
            &[&after_id, &since, &version, &limit],
            "read posts to reclassify",
        )
        .await
    }

    /// `STORED_POST_SELECT` with `rest` (its WHERE, ORDER BY and `LIMIT $4`) and `params`.
    pub(super) async fn stored_posts(
        &self,
        rest: &str,
        params: &[&(dyn tokio_postgres::types::ToSql + Sync)],
        doing: &'static str,
    ) -> Result<Vec<StoredPost>, PgError> {
        let rows = self
            .client()
            .await?
            .query(&format!("{STORED_POST_SELECT} {rest}"), params)
            .await
            .context(doing)?;
        Ok(rows.iter().map(stored_post_from_row).collect())
    }

    /// Stores new classifications of stored posts with the alerts their newly reported labels
    /// raise, in one transaction; a post that already has the version is skipped with its
    /// alerts. `new_posts` counts the classifications written.
    pub async fn store_reclassified(
        &self,
        items: &[Reclassified<'_>],
    ) -> Result<IngestReport, PgError> {
        let mut client = self.client().await?;
        let tx = client
            .transaction()
            .await
            .context("begin a reclassify batch")?;
        let attach = Attach::prepare(&tx).await?;
        let mut out = RunCommitted::default();
        let mut written = 0;
        for item in items {
            let new = attach
                .write(
                    &tx,
                    item.post_id,
                    Some(item.classification),
                    &item.alerts,
                    &mut out,
                )
                .await?;
            written += usize::from(new);
        }
        tx.commit().await.context("commit a reclassify batch")?;
        let n = |x: u64| usize::try_from(x).unwrap_or(usize::MAX);
        Ok(IngestReport {
            new_posts: written,
            flagged: n(out.flagged),
            alerts_queued: n(out.alerts_queued),
        })
    }

    /// Every reviewed post's full text with the labels analysts judged it to carry (its
    /// latest batch), for training (SQLite: `Store::reviewed_examples`).
    pub async fn reviewed_examples(&self) -> Result<Vec<(String, Vec<Label>)>, PgError> {
        let rows = self
            .client()
            .await?
            .query(
                "SELECT r.post_id, p.text, r.label, r.verdict
                 FROM reviews r JOIN posts p ON p.id = r.post_id
                 WHERE r.batch = (SELECT max(batch) FROM reviews WHERE post_id = r.post_id)
                 ORDER BY r.post_id, r.id",
                &[],
            )
            .await
            .context("read reviewed posts")?;
        // The stored text is already the full text: no retweet column to join.
        Ok(reviewed_examples_of(rows.iter().map(|r| {
            (
                r.get::<_, i64>(0),
                r.get::<_, String>(1),
                None,
                r.get::<_, Option<String>>(2),
                r.get::<_, String>(3),
            )
        })))
    }
}

/// A stored post with the labels earlier classifications reported and whether version `$3`
/// has classified it already (what `StoredPost` carries); the caller adds WHERE, ORDER BY and
/// `LIMIT $4`.
pub(super) const STORED_POST_SELECT: &str =
    "SELECT p.id, p.source_id, s.name, p.platform_id, p.author, p.text, p.url,
        p.created_at, p.created_at_raw, p.pinned, p.truncated, p.edit_count,
        (SELECT string_agg(DISTINCT l.label, ',') FROM classifications c
           JOIN classification_labels l ON l.classification_id = c.id
         WHERE c.post_id = p.id),
        EXISTS (SELECT 1 FROM classifications c
                WHERE c.post_id = p.id AND c.classifier_version = $3)
     FROM posts p JOIN sources s ON s.id = p.source_id";

/// A row of `STORED_POST_SELECT`. The stored text is the post's full text (a repost's
/// original after `//`), as the classifier reads it.
pub(super) fn stored_post_from_row(r: &tokio_postgres::Row) -> StoredPost {
    StoredPost {
        id: r.get(0),
        source_id: r.get(1),
        source_name: r.get(2),
        post: Post {
            platform_id: r.get(3),
            author: r.get(4),
            text: r.get(5),
            url: r.get(6),
            created_at: r.get(7),
            created_at_raw: r.get(8),
            pinned: r.get(9),
            truncated: r.get(10),
            edit_count: u32::try_from(r.get::<_, i32>(11)).unwrap_or(0),
            retweet: None,
            raw: String::new(),
        },
        prior_labels: r
            .get::<_, Option<String>>(12)
            .unwrap_or_default()
            .split(',')
            .filter_map(|l| l.parse::<Label>().ok())
            .collect(),
        has_version: r.get(13),
    }
}
