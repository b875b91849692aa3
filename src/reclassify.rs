//! Re-runs the classifier over stored posts after rules or model change. A post keeps every
//! earlier classification; a new one is stored under the new version, and only labels no
//! earlier classification reported raise alerts (the idempotency key stops any repeat).

use chrono::{DateTime, Utc};

use crate::alert;
use crate::classify::{Classification, Classifier};
use crate::config::AlertConfig;
use crate::store::{IngestReport, Reclassified, Store, StoredPost};

/// Posts read, classified and written per transaction.
pub const BATCH: usize = 5000;

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct ReclassifyReport {
    pub read: usize,
    pub reclassified: usize,
    pub flagged: usize,
    pub alerts_queued: usize,
}

/// Classifies a batch on `threads` threads; order is kept.
pub fn classify_parallel(
    classifier: &Classifier,
    texts: &[String],
    threads: usize,
) -> Vec<Classification> {
    let threads = threads.max(1);
    let chunk = texts.len().div_ceil(threads).max(1);
    std::thread::scope(|s| {
        let handles: Vec<_> = texts
            .chunks(chunk)
            .map(|part| {
                s.spawn(move || {
                    part.iter()
                        .map(|t| classifier.classify(t))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    })
}

pub fn reclassify(
    store: &Store,
    classifier: &Classifier,
    channels: &[AlertConfig],
    since: Option<DateTime<Utc>>,
    threads: usize,
) -> crate::store::Result<ReclassifyReport> {
    let mut report = ReclassifyReport::default();
    let mut after = 0i64;
    loop {
        let batch: Vec<StoredPost> =
            store.posts_after(after, since, classifier.version(), BATCH)?;
        let Some(last) = batch.last() else { break };
        after = last.id;
        report.read += batch.len();
        let todo: Vec<&StoredPost> = batch.iter().filter(|p| !p.has_version).collect();
        let texts: Vec<String> = todo.iter().map(|p| p.post.full_text()).collect();
        let results = classify_parallel(classifier, &texts, threads);
        let items: Vec<Reclassified<'_>> = todo
            .iter()
            .zip(&results)
            .map(|(p, c)| {
                let mut fresh = c.clone();
                fresh.labels.retain(|l| !p.prior_labels.contains(&l.label));
                Reclassified {
                    post_id: p.id,
                    classification: c,
                    alerts: alert::plan(&p.source_id, &p.source_name, &p.post, &fresh, channels),
                }
            })
            .collect();
        let IngestReport {
            new_posts,
            flagged,
            alerts_queued,
        } = store.store_reclassified(&items, Utc::now())?;
        report.reclassified += new_posts;
        report.flagged += flagged;
        report.alerts_queued += alerts_queued;
    }
    Ok(report)
}
