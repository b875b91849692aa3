//! Re-runs the classifier over stored posts after rules or model change. A post keeps every
//! earlier classification; a new one is stored under the new version, and only labels no
//! earlier classification reported raise alerts (the idempotency key stops any repeat).
//! The same on either backend: the SQLite file, or cluster mode's PostgreSQL.

use std::sync::mpsc::Receiver;

use chrono::{DateTime, Utc};

use super::Writer;
use crate::alert;
use crate::classify::{Classification, Classifier};
use crate::config::AlertConfig;
use crate::store::{AnyStore, IngestReport, Reclassified, Store, StoredPost};

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
    crate::classify::map_parallel(texts, threads, |t| {
        let (part, cut) = crate::pipeline::classified_part(t);
        let mut c = classifier.classify(part);
        if cut {
            crate::pipeline::note_cut(&mut c, t);
        }
        c
    })
}

/// Reclassifies every stored post (created at or after `since`) that has no classification of
/// this classifier's version. Batches are read, classified on `threads` threads, and written
/// by one writer thread, which stores batch N while batch N + 1 is classified.
pub fn reclassify(
    store: &Store,
    classifier: &Classifier,
    channels: &[AlertConfig],
    since: Option<DateTime<Utc>>,
    threads: usize,
) -> crate::store::Result<ReclassifyReport> {
    reclassify_in(
        &AnyStore::Local(store.clone()),
        classifier,
        channels,
        since,
        threads,
    )
}

/// `reclassify` on either backend. With PostgreSQL it must run on a thread of a tokio
/// runtime that may block (`spawn_blocking`): its threads wait on that runtime.
pub fn reclassify_in(
    store: &AnyStore,
    classifier: &Classifier,
    channels: &[AlertConfig],
    since: Option<DateTime<Utc>>,
    threads: usize,
) -> crate::store::Result<ReclassifyReport> {
    let store = &Writer::of(store, "starting a reclassify on PostgreSQL")?;
    let version = classifier.version();
    let read = |after: i64| match store {
        Writer::Local(s) => s.posts_after(after, since, version, BATCH),
        Writer::Shared(pg, rt) => Ok(rt.block_on(pg.posts_after(after, since, version, BATCH))?),
    };
    let mut read_total = 0;
    let write = |batches: Receiver<(Vec<StoredPost>, Vec<Classification>)>| {
        let mut report = ReclassifyReport::default();
        for (todo, results) in batches {
            let items: Vec<Reclassified<'_>> = todo
                .iter()
                .zip(&results)
                .map(|(p, c)| {
                    let mut fresh = c.clone();
                    fresh.labels.retain(|l| !p.prior_labels.contains(&l.label));
                    Reclassified {
                        post_id: p.id,
                        classification: c,
                        alerts: alert::plan(
                            &p.source_id,
                            &p.source_name,
                            &p.post,
                            &fresh,
                            channels,
                        ),
                    }
                })
                .collect();
            let IngestReport {
                new_posts,
                flagged,
                alerts_queued,
            } = match store {
                Writer::Local(s) => s.store_reclassified(&items, Utc::now())?,
                Writer::Shared(pg, rt) => rt.block_on(pg.store_reclassified(&items))?,
            };
            report.reclassified += new_posts;
            report.flagged += flagged;
            report.alerts_queued += alerts_queued;
        }
        Ok(report)
    };
    let mut report = super::classify_while_writing(write, |to_writer| {
        let mut next = read(0);
        loop {
            let batch = next?;
            let Some(last) = batch.last().map(|p| p.id) else {
                return Ok(());
            };
            read_total += batch.len();
            let todo: Vec<StoredPost> = batch.into_iter().filter(|p| !p.has_version).collect();
            let texts: Vec<String> = todo.iter().map(|p| p.post.full_text()).collect();
            let results = classify_parallel(classifier, &texts, threads);
            // Read the next batch before handing this one over: the store is free now.
            next = read(last);
            if to_writer.send((todo, results)).is_err() {
                return Ok(()); // the writer stopped on an error, returned by the pipeline
            }
        }
    })?;
    report.read = read_total;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parallel_classification_keeps_the_order() {
        let c = Classifier::load(None, None).unwrap();
        let base = [
            "美方通过多种渠道主动接触中方，希望就关税问题进行谈判。",
            "中方将不得不采取必要反制措施。",
            "今天北京天气晴朗。",
            "中方同意扩大采购美国农产品。",
        ];
        // Enough texts for several chunks per thread, and a ragged last chunk.
        let texts: Vec<String> = (0..crate::classify::CHUNK * 5 + 7)
            .map(|i| format!("{}（{i}）", base[i % base.len()]))
            .collect();
        let one: Vec<_> = texts.iter().map(|t| c.classify(t)).collect();
        for threads in [1, 2, 3] {
            let many = classify_parallel(&c, &texts, threads);
            assert_eq!(many.len(), texts.len());
            for (a, b) in one.iter().zip(&many) {
                assert_eq!(a.labels, b.labels);
                assert_eq!(a.explanation, b.explanation);
            }
        }
        assert!(classify_parallel(&c, &[], 2).is_empty());
    }
}
