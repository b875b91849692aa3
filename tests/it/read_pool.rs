//! The store's read pool: a slow read from the desk (a search over 200,000 posts) runs while
//! `once` ingests a feed, and neither waits on the other's connection. The same run without
//! the pool (every read on the writer) is measured beside it; both pairs of durations are
//! printed (`cargo test --test it read_pool -- --nocapture`). Only the waits are asserted:
//! durations on a shared machine prove nothing.

use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::State;
use axum::routing::get;
use axum::Router;
use windvane::config::Config;
use windvane::pipeline::{self, Context};
use windvane::store::{LockWaits, Store};

use crate::common::serve;

const STORED_POSTS: usize = 200_000;
/// New items per feed answer: enough classification and writing for `once` to take a while.
const FEED_ITEMS: usize = 300;
/// The desk's query: in every stored post, so the search reads them all.
const QUERY: &str = "贸易";

/// A feed of `FEED_ITEMS` items, new ones at every request (`round`).
async fn feed(
    State(round): State<Arc<AtomicUsize>>,
) -> ([(&'static str, &'static str); 1], String) {
    let r = round.fetch_add(1, Ordering::SeqCst);
    let items: String = (0..FEED_ITEMS)
        .map(|i| {
            format!(
                "<item><title>第{r}批第{i}条：美方宣布对华加征关税，商务部表示将坚决反制</title>\
                 <link>http://127.0.0.1/{r}/{i}</link><guid>r{r}-{i}</guid>\
                 <description>中美经贸磋商第{i}轮，双方就关税问题交换意见。</description>\
                 <pubDate>Mon, 01 Dec 2025 08:00:00 +0800</pubDate></item>"
            )
        })
        .collect();
    (
        [("content-type", "application/rss+xml; charset=utf-8")],
        format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel><title>t</title>{items}</channel></rss>"),
    )
}

/// Stores `STORED_POSTS` posts with their search rows, straight into the file (as an import
/// would have left them), under a source of their own.
fn fill(db: &Path, index_words: impl Fn(&str) -> String) {
    let mut c = rusqlite::Connection::open(db).unwrap();
    let tx = c.transaction().unwrap();
    tx.execute(
        "INSERT INTO sources (id, kind, name) VALUES ('archive', 'rss', 'archive')",
        [],
    )
    .unwrap();
    {
        let mut post = tx
            .prepare(
                "INSERT INTO posts (id, source_id, platform_id, author, text, url, created_at,
                    created_at_raw, fetched_at, raw)
                 VALUES (?1, 'archive', ?1, 'a', ?2, '', '2024-01-01T00:00:00Z', '',
                    '2024-01-01T00:00:00Z', '')",
            )
            .unwrap();
        let mut fts = tx
            .prepare("INSERT INTO posts_fts (rowid, words) VALUES (?1, ?2)")
            .unwrap();
        for i in 1..=STORED_POSTS as i64 {
            let text = format!("中美贸易第{i}号文件：双方重申稳定经贸关系");
            post.execute(rusqlite::params![i, text]).unwrap();
            fts.execute(rusqlite::params![i, index_words(&text)])
                .unwrap();
        }
    }
    tx.commit().unwrap();
}

struct Figures {
    once: Duration,
    searches: Vec<Duration>,
    waits: LockWaits,
}

/// Searches in a loop on a blocking thread from before `once` starts until it has ended, and
/// times both.
async fn search_while_once_ingests(ctx: &Context) -> Figures {
    let (store, segmenter) = (ctx.store.clone(), ctx.classifier.segmenter.clone());
    let done = Arc::new(AtomicBool::new(false));
    let (started_tx, started_rx) = tokio::sync::oneshot::channel();
    let before = ctx.store.lock_waits();
    let searcher = {
        let done = done.clone();
        tokio::task::spawn_blocking(move || {
            let mut started = Some(started_tx);
            let mut searches = Vec::new();
            loop {
                if let Some(tx) = started.take() {
                    let _ = tx.send(());
                }
                let t = Instant::now();
                let found = store
                    .search(&segmenter, QUERY, STORED_POSTS)
                    .expect("the search runs");
                searches.push(t.elapsed());
                assert_eq!(found.len(), STORED_POSTS, "every stored post has the word");
                // Checked after a search: the last one ran, at least in part, during `once`.
                if done.load(Ordering::SeqCst) {
                    return searches;
                }
            }
        })
    };
    started_rx.await.expect("the searcher started");
    let t = Instant::now();
    let report = pipeline::run_pass(ctx, None).await;
    let once = t.elapsed();
    done.store(true, Ordering::SeqCst);
    let searches = searcher.await.expect("the searcher ends");
    assert!(report.all_ok(), "{:?}", report.sources);
    assert_eq!(report.sources[0].new_posts, FEED_ITEMS);
    let after = ctx.store.lock_waits();
    Figures {
        once,
        searches,
        waits: LockWaits {
            writer: after.writer - before.writer,
            reader: after.reader - before.reader,
        },
    }
}

fn show(name: &str, f: &Figures) {
    let total: Duration = f.searches.iter().sum();
    let longest = f.searches.iter().max().copied().unwrap_or_default();
    println!(
        "{name}: once {:.2}s; {} searches over {STORED_POSTS} posts meanwhile, mean {:.2}s, longest {:.2}s; lock waits: writer {}, reader {}",
        f.once.as_secs_f64(),
        f.searches.len(),
        total.as_secs_f64() / f.searches.len().max(1) as f64,
        longest.as_secs_f64(),
        f.waits.writer,
        f.waits.reader,
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_long_search_and_an_ingest_never_wait_on_each_other() {
    let round = Arc::new(AtomicUsize::new(0));
    let addr = serve(
        Router::new()
            .route("/feed", get(feed))
            .with_state(round.clone()),
    )
    .await;
    let config = format!(
        "[store]\npath = \"windvane.db\"\n\n[fetch]\nmin_interval_per_host = \"0s\"\njitter = \"0s\"\n\n\
         [[sources]]\nid = \"feed\"\nname = \"feed\"\nkind = \"rss\"\nurl = \"http://{addr}/feed\"\nschedule = \"every 5m\"\n"
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("windvane.toml");
    std::fs::write(&path, config).unwrap();
    let ctx = Context::new(Config::load(Some(&path)).unwrap()).unwrap();
    fill(ctx.store.path(), |t| {
        ctx.classifier.segmenter.index_words(t)
    });

    let pooled = search_while_once_ingests(&ctx).await;

    // The same, every read on the writer (as before the pool): a second feed round.
    let mut single = ctx.clone();
    single.store = Store::open_with_readers(ctx.store.path(), 0).unwrap();
    let unpooled = search_while_once_ingests(&single).await;

    show("with the read pool", &pooled);
    show("without (one connection)", &unpooled);
    assert_eq!(
        pooled.waits,
        LockWaits::default(),
        "with the pool, the search and the ingest never waited for a connection"
    );
}
