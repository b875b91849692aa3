//! Rechecks in cluster mode (SQLite: `store/versions.rs`): the posts a recheck tracks, post
//! versions, confirmed deletions and invisibility, and the change alerts they raise in the
//! shared outbox. A recheck runs under its source's lease; every write here commits only while
//! that lease's fence is still the source's (`PgError::LeaseLost` otherwise), so an instance
//! whose lease was taken over cannot record what it saw.

use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio_postgres::Transaction;

use super::{count, pics_json, tsvector_literal, Context as _, Lease, PgError, PgStore};
use crate::store::{ts, ChangeAlert, Edit, FlaggedAlert, Gone, TrackedPost};

impl PgStore {
    /// Whether the source's last recheck is `every` or more ago (or it never had one), by the
    /// database's clock.
    pub async fn recheck_due(&self, source_id: &str, every: Duration) -> Result<bool, PgError> {
        let row = self
            .client()
            .await?
            .query_opt(
                "SELECT last_recheck_at IS NULL
                        OR last_recheck_at <= now() - make_interval(secs => $2)
                 FROM sources WHERE id = $1",
                &[&source_id, &every.as_secs_f64()],
            )
            .await
            .context("read the last recheck")?;
        Ok(row.is_some_and(|r| r.get(0)))
    }

    /// Visible posts of a source created at or after `since`, newest first.
    pub async fn tracked_posts(
        &self,
        source_id: &str,
        since: DateTime<Utc>,
    ) -> Result<Vec<TrackedPost>, PgError> {
        // A window as long as time (the recheck counts back from `MIN_UTC` then) is out of
        // timestamptz's range: no post is older than the epoch anyway.
        let since = since.max(DateTime::UNIX_EPOCH);
        let rows = self
            .client()
            .await?
            .query(
                "SELECT id, platform_id, text, edit_count, truncated, pinned, created_at FROM posts
                 WHERE source_id = $1 AND visibility = 'visible' AND created_at >= $2
                 ORDER BY created_at DESC",
                &[&source_id, &since],
            )
            .await
            .context("list posts to recheck")?;
        Ok(rows
            .iter()
            .map(|r| TrackedPost {
                id: r.get(0),
                platform_id: r.get(1),
                text: r.get(2),
                edit_count: u32::try_from(r.get::<_, i32>(3)).unwrap_or(0),
                truncated: r.get(4),
                pinned: r.get(5),
                created_at: r.get(6),
            })
            .collect())
    }

    /// The `flagged` alerts a post raised, one per channel and label.
    pub async fn flagged_alerts(&self, post_id: i64) -> Result<Vec<FlaggedAlert>, PgError> {
        let rows = self
            .client()
            .await?
            .query(
                "SELECT channel_id, label, score, idempotency_key, payload FROM alerts
                 WHERE post_id = $1 AND event = 'flagged' ORDER BY id",
                &[&post_id],
            )
            .await
            .context("list a post's alerts")?;
        Ok(rows
            .iter()
            .map(|r| FlaggedAlert {
                channel_id: r.get(0),
                label: r.get(1),
                score: r.get(2),
                idempotency_key: r.get(3),
                payload: r.get(4),
            })
            .collect())
    }

    /// Stores a new text of a post as its next version (the first text becomes version 1 when
    /// the first change is seen), updates the post (text, search row, edit time, pictures,
    /// counts) and queues the change alerts, in one transaction fenced by `lease`. Returns the
    /// new version number.
    pub async fn record_edit(
        &self,
        lease: &Lease,
        post_id: i64,
        edit: &Edit<'_>,
        alerts: &[ChangeAlert],
    ) -> Result<u32, PgError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.context("begin an edit record")?;
        hold(&tx, lease).await?;
        let last: Option<i32> = tx
            .query_one(
                "SELECT max(version) FROM post_versions WHERE post_id = $1",
                &[&post_id],
            )
            .await
            .context("read a post's versions")?
            .get(0);
        let last = match last {
            Some(v) => v,
            None => {
                tx.execute(
                    "INSERT INTO post_versions (post_id, version, text, edit_count, seen_at, raw)
                     SELECT id, 1, text, edit_count, fetched_at, raw FROM posts WHERE id = $1",
                    &[&post_id],
                )
                .await
                .context("store a post's first version")?;
                1
            }
        };
        let version = last + 1;
        let edit_count = i32::try_from(edit.edit_count).unwrap_or(i32::MAX);
        tx.execute(
            "INSERT INTO post_versions (post_id, version, text, edit_count, seen_at, raw)
             VALUES ($1, $2, $3, $4, now(), $5)",
            &[&post_id, &version, &edit.text, &edit_count, &edit.raw],
        )
        .await
        .context("store a post version")?;
        let d = edit.detail;
        let search = tsvector_literal(&crate::text::normalize(edit.text).text);
        tx.execute(
            "UPDATE posts SET text = $2, edit_count = $3, truncated = false, last_seen_at = now(),
                 search = $4::text::tsvector, edit_at = $5, edit_at_raw = $6, pics = $7,
                 reposts_count = $8, comments_count = $9, attitudes_count = $10
             WHERE id = $1",
            &[
                &post_id,
                &edit.text,
                &edit_count,
                &search,
                &d.edit_at,
                &d.edit_at_raw,
                &pics_json(&d.pics),
                &count(d.reposts),
                &count(d.comments),
                &count(d.attitudes),
            ],
        )
        .await
        .context("update an edited post")?;
        insert_change_alerts(&tx, post_id, alerts).await?;
        tx.commit().await.context("commit an edit record")?;
        Ok(u32::try_from(version).unwrap_or(0))
    }

    /// Marks a post deleted or invisible (after its own page confirmed it) and queues the
    /// change alerts, in one transaction fenced by `lease`. False when the post was not
    /// visible any more.
    pub async fn mark_gone(
        &self,
        lease: &Lease,
        post_id: i64,
        gone: Gone,
        reason: &str,
        alerts: &[ChangeAlert],
    ) -> Result<bool, PgError> {
        let mut client = self.client().await?;
        let tx = client
            .transaction()
            .await
            .context("begin a deletion record")?;
        hold(&tx, lease).await?;
        let n = tx
            .execute(
                "UPDATE posts SET visibility = $2, gone_at = now(), gone_reason = $3
                 WHERE id = $1 AND visibility = 'visible'",
                &[&post_id, &gone.as_str(), &reason],
            )
            .await
            .context("mark a post gone")?;
        if n > 0 {
            insert_change_alerts(&tx, post_id, alerts).await?;
        }
        tx.commit().await.context("commit a deletion record")?;
        Ok(n > 0)
    }

    /// Notes that a recheck saw these posts on the timeline, and that the source was
    /// rechecked (its next recheck is `recheck_every` from now), fenced by `lease`.
    pub async fn mark_rechecked(&self, lease: &Lease, seen: &[i64]) -> Result<(), PgError> {
        let mut client = self.client().await?;
        let tx = client
            .transaction()
            .await
            .context("begin a recheck record")?;
        hold(&tx, lease).await?;
        tx.execute(
            "UPDATE posts SET last_seen_at = now() WHERE id = ANY($1)",
            &[&seen],
        )
        .await
        .context("mark posts seen")?;
        tx.execute(
            "UPDATE sources SET last_recheck_at = now() WHERE id = $1",
            &[&lease.source_id],
        )
        .await
        .context("record a recheck")?;
        tx.commit().await.context("commit a recheck record")
    }

    /// A post's visibility and, when it is gone, when and by which marker that was confirmed.
    pub async fn post_gone(
        &self,
        post_id: i64,
    ) -> Result<Option<(String, String, String)>, PgError> {
        let row = self
            .client()
            .await?
            .query_opt(
                "SELECT visibility, gone_at, coalesce(gone_reason, '') FROM posts
                 WHERE id = $1 AND visibility <> 'visible'",
                &[&post_id],
            )
            .await
            .context("read whether a post is gone")?;
        Ok(row.map(|r| {
            let at: Option<DateTime<Utc>> = r.get(1);
            (r.get(0), at.map(ts).unwrap_or_default(), r.get(2))
        }))
    }
}

/// Holds the source's row (a claim raising its fence waits for this transaction) while the
/// lease is still `lease`; `LeaseLost` when another instance took the source over.
pub(super) async fn hold(tx: &Transaction<'_>, lease: &Lease) -> Result<(), PgError> {
    let held = tx
        .query_opt(
            "SELECT 1 FROM sources WHERE id = $1 AND fence = $2 AND lease_owner = $3 FOR SHARE",
            &[&lease.source_id, &lease.fence, &lease.owner],
        )
        .await
        .context("check a lease")?;
    match held {
        Some(_) => Ok(()),
        None => Err(PgError::LeaseLost {
            source_id: lease.source_id.clone(),
            fence: lease.fence,
        }),
    }
}

/// Change alerts into the shared outbox; a key already there (a repeated recheck) is skipped.
async fn insert_change_alerts(
    tx: &Transaction<'_>,
    post_id: i64,
    alerts: &[ChangeAlert],
) -> Result<(), PgError> {
    for a in alerts {
        tx.execute(
            "INSERT INTO alerts (post_id, label, channel_id, score, idempotency_key, payload, event)
             VALUES ($1, $2, $3, $4, $5, $6, $7)
             ON CONFLICT (idempotency_key) DO NOTHING",
            &[
                &post_id,
                &a.label,
                &a.channel_id,
                &a.score,
                &a.idempotency_key,
                &a.payload,
                &a.event.as_str(),
            ],
        )
        .await
        .context("queue a change alert")?;
    }
    Ok(())
}
