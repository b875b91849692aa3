//! Completing stored previews in cluster mode (SQLite: `Store::truncated_stored_posts`,
//! `mark_full_text_tried`, `complete_and_reclassify`): Weibo long texts and HTML articles
//! stored as previews get their full text later. The instance holding the source's lease
//! does it, during its run; every write commits only while that lease's fence is still the
//! source's (`PgError::LeaseLost` otherwise), as a recheck's.

use super::versions::hold;
use super::{tsvector_literal, Attach, Context as _, Lease, PgError, PgStore, RunCommitted};
use crate::classify::Classification;
use crate::store::{IngestReport, PlannedAlert, StoredPost};

impl PgStore {
    /// Stored previews of a source: those never retried first (newest first), then those
    /// whose last try is oldest; each with what a reclassification needs.
    pub async fn truncated_stored_posts(
        &self,
        source_id: &str,
        version: &str,
        limit: usize,
    ) -> Result<Vec<StoredPost>, PgError> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        self.stored_posts(
            "WHERE p.source_id = $1 AND p.truncated = $2
             ORDER BY p.full_text_tried_at IS NOT NULL, p.full_text_tried_at,
                      p.created_at DESC, p.id DESC
             LIMIT $4",
            &[&source_id, &true, &version, &limit],
            "list stored previews",
        )
        .await
    }

    /// Records a failed try to complete a preview (on the database's clock), fenced by
    /// `lease`.
    pub async fn mark_full_text_tried(&self, lease: &Lease, post_id: i64) -> Result<(), PgError> {
        let mut client = self.client().await?;
        let tx = client
            .transaction()
            .await
            .context("begin a long-text try record")?;
        hold(&tx, lease).await?;
        tx.execute(
            "UPDATE posts SET full_text_tried_at = now() WHERE id = $1",
            &[&post_id],
        )
        .await
        .context("record a long-text try")?;
        tx.commit().await.context("commit a long-text try record")
    }

    /// A stored preview completed: `text` replaces it, `truncated` is cleared, the search
    /// row is rewritten and the new text's classification is stored with the alerts of its
    /// newly reported labels, in one transaction fenced by `lease`. A classification of the
    /// preview under the same version is kept, renamed `<version>+preview`. `None` when the
    /// post was no longer a preview.
    pub async fn complete_and_reclassify(
        &self,
        lease: &Lease,
        post_id: i64,
        text: &str,
        classification: &Classification,
        alerts: &[PlannedAlert],
    ) -> Result<Option<IngestReport>, PgError> {
        let mut client = self.client().await?;
        let tx = client
            .transaction()
            .await
            .context("begin a long-text completion")?;
        hold(&tx, lease).await?;
        let search = tsvector_literal(&crate::text::normalize(text).text);
        let updated = tx
            .execute(
                "UPDATE posts SET text = $2, truncated = false, search = $3::text::tsvector
                 WHERE id = $1 AND truncated",
                &[&post_id, &text, &search],
            )
            .await
            .context("complete a post's text")?;
        if updated == 0 {
            return Ok(None);
        }
        tx.execute(
            "UPDATE classifications SET classifier_version = classifier_version || '+preview'
             WHERE post_id = $1 AND classifier_version = $2",
            &[&post_id, &classification.version],
        )
        .await
        .context("keep the preview's classification")?;
        let attach = Attach::prepare(&tx).await?;
        let mut out = RunCommitted::default();
        attach
            .write(&tx, post_id, Some(classification), alerts, &mut out)
            .await?;
        tx.commit().await.context("commit a long-text completion")?;
        let n = |x: u64| usize::try_from(x).unwrap_or(usize::MAX);
        Ok(Some(IngestReport {
            new_posts: 0,
            flagged: n(out.flagged),
            alerts_queued: n(out.alerts_queued),
        }))
    }
}
