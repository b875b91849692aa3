//! The store's side of history at scale, on a generated corpus of modest size: real state-media
//! sentences (benches/fixtures/state_media_posts.txt) recombined with a fixed seed.
//! - `ingest`: one import batch (10,000 classified posts with their search rows) written into
//!   a database file in one transaction, tuned as `import` tunes it;
//! - `search`: full-text queries over 20,000 stored posts (the review desk's path);
//! - `history` and `flagged_between`: the signal series and the backtest's read.
//!
//! Classification is done once, outside the timings (benches/classify.rs measures it).
//! The 1,000,000-post figures come from scripts/bench-history.sh.

use std::sync::atomic::{AtomicU64, Ordering};

use chrono::{DateTime, Duration, Utc};
use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use windvane::classify::{Classification, Classifier};
use windvane::sources::Post;
use windvane::store::{NewPost, Period, Store};

const CORPUS_POSTS: usize = 20_000;
/// As `import` writes them.
const BATCH: usize = 10_000;

fn sentences() -> Vec<String> {
    let text = std::fs::read_to_string("benches/fixtures/state_media_posts.txt")
        .expect("benchmark corpus present");
    text.lines()
        .flat_map(|l| l.split_inclusive(['。', '！', '？']))
        .map(str::trim)
        .filter(|s| s.chars().count() >= 8)
        .map(str::to_string)
        .collect()
}

/// `n` posts of 2–5 recombined sentences, over 2019–2025, ids from `first_id`.
fn posts(rng: &mut StdRng, pool: &[String], first_id: u64, n: usize) -> Vec<Post> {
    let start = DateTime::parse_from_rfc3339("2019-01-01T00:00:00Z")
        .expect("a valid time")
        .with_timezone(&Utc);
    (0..n)
        .map(|i| {
            let k = rng.random_range(2..=5);
            let text: String = (0..k)
                .map(|_| pool[rng.random_range(0..pool.len())].as_str())
                .collect();
            let created_at = start + Duration::seconds(rng.random_range(0..7 * 365 * 86_400));
            Post {
                platform_id: (first_id + i as u64).to_string(),
                author: "bench".into(),
                text,
                created_at,
                created_at_raw: created_at.to_rfc3339(),
                url: String::new(),
                pinned: false,
                truncated: false,
                edit_count: 0,
                retweet: None,
                raw: String::new(),
            }
        })
        .collect()
}

fn classified(c: &Classifier, posts: &[Post]) -> Vec<(Classification, String)> {
    posts
        .iter()
        .map(|p| (c.classify(&p.text), c.segmenter.index_words(&p.text)))
        .collect()
}

fn ingest(store: &Store, posts: &[Post], done: &[(Classification, String)]) -> usize {
    let items: Vec<NewPost<'_>> = posts
        .iter()
        .zip(done)
        .map(|(p, (c, w))| NewPost {
            post: p,
            classification: c,
            alerts: Vec::new(),
            index_words: w,
        })
        .collect();
    store
        .ingest("bench", &items, Utc::now())
        .expect("ingest")
        .new_posts
}

fn bench(c: &mut Criterion) {
    let classifier = Classifier::load(None, None).expect("built-in classifier");
    let pool = sentences();
    let mut rng = StdRng::seed_from_u64(20_190_510);
    let dir = tempfile::tempdir().expect("a temp dir");

    // One batch into a growing database file: fresh ids every iteration.
    let store = Store::open(&dir.path().join("ingest.db")).expect("store");
    store.tune_for_bulk_writes().expect("bulk settings");
    store
        .ensure_source("bench", "import", "bench")
        .expect("source");
    let batch = posts(&mut rng, &pool, 0, BATCH);
    let done = classified(&classifier, &batch);
    let next = AtomicU64::new(1_000_000);
    let mut g = c.benchmark_group("store");
    g.throughput(Throughput::Elements(BATCH as u64));
    g.sample_size(10);
    g.bench_function(format!("ingest batch of {BATCH} with FTS"), |b| {
        b.iter_batched(
            || {
                let first = next.fetch_add(BATCH as u64, Ordering::Relaxed);
                batch
                    .iter()
                    .enumerate()
                    .map(|(i, p)| Post {
                        platform_id: (first + i as u64).to_string(),
                        ..p.clone()
                    })
                    .collect::<Vec<_>>()
            },
            |fresh| assert_eq!(ingest(&store, &fresh, &done), BATCH),
            BatchSize::LargeInput,
        )
    });
    g.finish();

    // A 20,000-post database to read.
    let store = Store::open(&dir.path().join("read.db")).expect("store");
    store
        .ensure_source("bench", "import", "bench")
        .expect("source");
    for chunk in 0..CORPUS_POSTS / BATCH {
        let part = posts(&mut rng, &pool, (chunk * BATCH) as u64, BATCH);
        ingest(&store, &part, &classified(&classifier, &part));
    }
    let mut g = c.benchmark_group(format!("read {CORPUS_POSTS} posts"));
    for q in ["关税", "疫情 防控", "中美 经贸 磋商", "足球"] {
        g.bench_function(format!("search {q}"), |b| {
            b.iter(|| {
                store
                    .search(&classifier.segmenter, q, 20)
                    .expect("search")
                    .len()
            })
        });
    }
    g.bench_function("history by week", |b| {
        b.iter(|| {
            store
                .history(Period::Week, None, None)
                .expect("history")
                .len()
        })
    });
    let (from, to) = (
        DateTime::parse_from_rfc3339("2019-01-01T00:00:00Z")
            .expect("a valid time")
            .with_timezone(&Utc),
        Utc::now(),
    );
    g.bench_function("flagged_between (all)", |b| {
        b.iter(|| {
            store
                .flagged_between(from, to, None)
                .expect("flagged")
                .len()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
