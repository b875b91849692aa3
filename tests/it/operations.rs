//! Operations: an HTML article that answers 404 stays pending and is completed by a later
//! pass; health says `starting` until each source had its first run, and `status` words a
//! stale source by when it last succeeded (or that it never did).

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;
use chrono::{Duration, Utc};
use windvane::config::Config;
use windvane::pipeline::{run_source, Context};
use windvane::store::FetchRun;

use crate::common::serve;

fn context(dir: &Path, sources: &str) -> Context {
    let text = format!(
        "[store]\npath = \"w.db\"\n\n[fetch]\nmin_interval_per_host = \"1ms\"\nretries = 0\n\
         timeout = \"2s\"\njitter = \"0s\"\n\n{sources}\n"
    );
    let cfg =
        Config::from_toml_str(&text, Some(&dir.join("w.toml"))).unwrap_or_else(|e| panic!("{e}"));
    Context::new(cfg).unwrap()
}

const ARTICLE: &str = "<html><head><meta name=\"PubDate\" content=\"2025-04-04 10:30\"></head><body><div id=\"zoom\"><p>商务部新闻发言人就美方宣布对华加征关税发表谈话：中方坚决反对。</p></div></body></html>";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_article_answering_404_stays_pending_and_is_completed_later() {
    let published = Arc::new(AtomicBool::new(false));
    let p = published.clone();
    let app = axum::Router::new()
        .route(
            "/list.html",
            get(|| async {
                (
                    [("content-type", "text/html; charset=utf-8")],
                    "<html><body><ul><li><a href=\"/a/1.html\">商务部新闻发言人谈话</a><span>[2025-04-04]</span></li></ul></body></html>",
                )
            }),
        )
        .route(
            "/a/1.html",
            get(move || {
                let ready = p.load(Ordering::SeqCst);
                async move {
                    if ready {
                        ([("content-type", "text/html; charset=utf-8")], ARTICLE).into_response()
                    } else {
                        StatusCode::NOT_FOUND.into_response()
                    }
                }
            }),
        );
    let addr = serve(app).await;
    let dir = tempfile::tempdir().unwrap();
    let ctx = context(
        dir.path(),
        &format!(
            "[[sources]]\nid = \"mofcom\"\nname = \"商务部\"\nkind = \"html\"\n\
             url = \"http://{addr}/list.html\"\nschedule = \"every 1h\"\nitem = \"ul li\"\n\
             title = \"a\"\nlink = \"a@href\"\ndate = \"span\"\nbody = \"#zoom\"\n"
        ),
    );
    let src = ctx.cfg.sources[0].clone();
    let stored = |ctx: &Context| -> (String, bool) {
        rusqlite::Connection::open(ctx.store.path())
            .unwrap()
            .query_row("SELECT text, truncated FROM posts", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap()
    };

    let r = run_source(&ctx, &src).await;
    assert_eq!((r.error, r.new_posts), (None, 1));
    assert_eq!(
        stored(&ctx),
        ("商务部新闻发言人谈话".to_string(), true),
        "kept pending with its title"
    );

    // Still missing: still pending, tried again.
    let r = run_source(&ctx, &src).await;
    assert_eq!((r.error, r.new_posts, r.long_texts_completed), (None, 0, 0));
    assert!(stored(&ctx).1);

    // Published: the next pass completes it and classifies the full text.
    published.store(true, Ordering::SeqCst);
    let r = run_source(&ctx, &src).await;
    assert_eq!((r.error, r.new_posts, r.long_texts_completed), (None, 0, 1));
    let (text, pending) = stored(&ctx);
    assert!(!pending);
    assert!(text.contains("中方坚决反对"), "{text}");
    let labels: i64 = rusqlite::Connection::open(ctx.store.path())
        .unwrap()
        .query_row(
            "SELECT count(*) FROM classification_labels l JOIN classifications c
               ON c.id = l.classification_id WHERE c.id = (SELECT max(id) FROM classifications)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(labels >= 1, "the full text is classified (escalation)");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_is_starting_until_each_source_had_its_first_run() {
    let dir = tempfile::tempdir().unwrap();
    let ctx = context(
        dir.path(),
        "[[sources]]\nid = \"feed\"\nname = \"feed\"\nkind = \"rss\"\n\
         url = \"http://127.0.0.1:9/feed\"\nschedule = \"every 5m\"\nstale_after = \"15m\"\n",
    );
    let now = Utc::now();
    // A run of an earlier process, long ago: stale.
    ctx.store
        .record_run(&FetchRun {
            source_id: "feed".into(),
            started_at: now - Duration::hours(5),
            finished_at: now - Duration::hours(5),
            fetched: 1,
            new_posts: 1,
            flagged: 0,
            error: None,
            state: "ok".into(),
        })
        .unwrap();
    let h = windvane::health::evaluate(&ctx.store, &ctx.cfg, now);
    assert!(!h.healthy);
    assert_eq!(h.status, "unhealthy");
    let reason = h.reasons.join("; ");
    assert!(
        reason.contains("source `feed` last succeeded 5h ago, at "),
        "{reason}"
    );
    assert!(reason.contains("(stale after 15m)"), "{reason}");

    // The daemon starts: starting (healthy) until the source runs.
    ctx.store.mark_starting(&["feed".to_string()]).unwrap();
    let h = windvane::health::evaluate(&ctx.store, &ctx.cfg, now);
    assert!(h.healthy, "{:?}", h.reasons);
    assert_eq!(h.status, "starting");
    assert!(!h.needs_operator, "{:?}", h.reasons);

    // Its first run fails, and it never succeeded since: judged, and worded so.
    ctx.store
        .record_run(&FetchRun {
            source_id: "feed".into(),
            started_at: now,
            finished_at: now,
            fetched: 0,
            new_posts: 0,
            flagged: 0,
            error: Some(("timeout".into(), "timed out".into())),
            state: "failing".into(),
        })
        .unwrap();
    let h = windvane::health::evaluate(&ctx.store, &ctx.cfg, now + Duration::seconds(5));
    assert!(!h.healthy);
    assert_eq!(h.status, "unhealthy");
    let text = windvane::status::render(&h);
    assert!(text.contains("last succeeded 5h"), "{text}");
    assert!(!text.contains("no success for 5s"), "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn status_says_when_a_source_never_succeeded() {
    let dir = tempfile::tempdir().unwrap();
    let ctx = context(
        dir.path(),
        "[[sources]]\nid = \"feed\"\nname = \"feed\"\nkind = \"rss\"\n\
         url = \"http://127.0.0.1:9/feed\"\nschedule = \"every 5m\"\n",
    );
    let now = Utc::now();
    ctx.store
        .record_run(&FetchRun {
            source_id: "feed".into(),
            started_at: now,
            finished_at: now,
            fetched: 0,
            new_posts: 0,
            flagged: 0,
            error: Some(("timeout".into(), "timed out".into())),
            state: "failing".into(),
        })
        .unwrap();
    let h = windvane::health::evaluate(&ctx.store, &ctx.cfg, now + Duration::seconds(5));
    let text = windvane::status::render(&h);
    assert!(
        text.contains("source `feed` has never succeeded (last tried 5s ago, at "),
        "{text}"
    );
    assert!(text.contains("failing (never ok)"), "{text}");
    assert!(!text.contains("no success for"), "{text}");
}
