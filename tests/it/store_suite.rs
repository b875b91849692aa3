//! The same store test-suite on both backends: every test below is written once over
//! `AnyStore` and run twice (`sqlite::…` on a SQLite file in a temp folder, `postgres::…` on a
//! throwaway PostgreSQL), each time on the same posts written through that backend's own ingest
//! path (`Store::ingest` as one process stores a run; `PgStore::commit_run_items` as a cluster
//! instance commits a leased run). Search, history, review list/show, verdicts (a stale one
//! refused), stats and the outbox listing must give the answers written here on both, and
//! `both_backends_answer_alike` compares everything else they show.

use std::collections::HashMap;
use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use windvane::classify::{Classification, Evidence, Label, LabelScore};
use windvane::review::web::Desk;
use windvane::review::{self, Action, ReviewError};
use windvane::sources::Post;
use windvane::store::pg::{PgStore, RunItem, RunOutcome, RunPost, SourceSpec};
use windvane::store::{
    AlertStatus, AnyStore, HistoryQuery, NewPost, Period, PlannedAlert, QueueQuery, ReviewPost,
    ReviewStatus, Store,
};
use windvane::text::Segmenter;

use crate::cluster::TempPostgres;

/// One seeded post: platform id, source, text, creation time, labels (label, score, evidence
/// term), and the channel it alerts.
struct Seed {
    id: &'static str,
    source: &'static str,
    text: &'static str,
    at: (u32, u32, u32),
    labels: &'static [(Label, f64, &'static str)],
    alert: Option<Label>,
}

const SOURCES: [(&str, &str); 2] = [("xinhua", "新华社"), ("people", "人民日报")];

/// Oldest first, stored in this order. Beijing days: p1 1 March (a Saturday), p2 2 March (its
/// Sunday), p3 3 March, p4 10 March (both Mondays).
const SEEDS: [Seed; 4] = [
    Seed {
        id: "p1",
        source: "xinhua",
        text: "中美经贸磋商取得进展，双方同意继续谈判。",
        at: (3, 1, 2),
        labels: &[(Label::Talks, 0.9, "磋商")],
        alert: Some(Label::Talks),
    },
    Seed {
        id: "p2",
        source: "xinhua",
        text: "美方加征关税，中方坚决反制。",
        at: (3, 1, 20),
        labels: &[
            (Label::Escalation, 0.8, "反制"),
            (Label::Talks, 0.3, "关税"),
        ],
        alert: Some(Label::Escalation),
    },
    Seed {
        id: "p3",
        source: "people",
        text: "今日北京天气晴朗。",
        at: (3, 3, 1),
        labels: &[],
        alert: None,
    },
    Seed {
        id: "p4",
        source: "people",
        text: "中方将扩大采购美国大豆，中美经贸关系稳定。",
        at: (3, 10, 1),
        labels: &[
            (Label::Purchase, 0.7, "采购"),
            (Label::DeEscalation, 0.6, "稳定"),
        ],
        alert: None,
    },
];

const CHANNEL: &str = "hook";

fn created(s: &Seed) -> DateTime<Utc> {
    let (m, d, h) = s.at;
    Utc.with_ymd_and_hms(2025, m, d, h, 0, 0).unwrap()
}

/// A classification made by hand, so the suite does not depend on the classifier's rules.
fn classification(s: &Seed) -> Classification {
    Classification {
        labels: s
            .labels
            .iter()
            .map(|&(label, score, term)| {
                // Evidence offsets are chars into the text.
                let at = s.text[..s.text.find(term).unwrap()].chars().count();
                LabelScore {
                    label,
                    score,
                    evidence: vec![Evidence {
                        term: term.into(),
                        start: at,
                        end: at + term.chars().count(),
                        gloss: format!("{term} gloss"),
                    }],
                }
            })
            .collect(),
        explanation: format!("explained {}", s.id),
        events: Vec::new(),
        version: "suite-1".into(),
    }
}

fn planned(s: &Seed) -> Vec<PlannedAlert> {
    s.alert
        .map(|label| PlannedAlert {
            label,
            channel_id: CHANNEL.into(),
            score: s.labels.iter().find(|l| l.0 == label).map(|l| l.1).unwrap(),
            idempotency_key: format!("{}:{label}:{CHANNEL}", s.id),
            payload: format!("{{\"title\":\"{}\"}}", s.id),
        })
        .into_iter()
        .collect()
}

/// A seeded backend: the store, the post ids by platform id, and what keeps it alive.
struct Backend {
    db: AnyStore,
    ids: HashMap<&'static str, i64>,
    segmenter: Segmenter,
    /// The database itself, for the few states a test sets up by hand.
    raw: Raw,
    _keep: Box<dyn std::any::Any + Send + Sync>,
}

enum Raw {
    Sqlite(std::path::PathBuf),
    Postgres(String),
}

impl Raw {
    /// Runs one statement taking one integer, outside the store (test set-up only).
    async fn execute(&self, sql: &str, n: i64) {
        match self {
            Raw::Sqlite(path) => {
                let c = rusqlite::Connection::open(path).unwrap();
                c.execute(&sql.replace("$1", "?1"), [n]).unwrap();
            }
            Raw::Postgres(url) => {
                let (client, conn) = tokio_postgres::connect(url, tokio_postgres::NoTls)
                    .await
                    .unwrap();
                tokio::spawn(conn);
                client.execute(sql, &[&n]).await.unwrap();
            }
        }
    }
}

impl Backend {
    fn id(&self, platform_id: &str) -> i64 {
        self.ids[platform_id]
    }

    /// Platform ids of posts, in their order.
    fn names(&self, posts: &[ReviewPost]) -> Vec<String> {
        posts.iter().map(|p| p.platform_id.clone()).collect()
    }

    async fn list(&self, q: QueueQuery) -> Vec<String> {
        self.names(&self.db.review_queue(&q).await.unwrap())
    }

    async fn search(&self, query: &str) -> Vec<String> {
        let found = review::search(&self.db, &self.segmenter, query, 100)
            .await
            .unwrap();
        self.names(&found)
    }

    async fn decide(
        &self,
        post: &str,
        expected: Option<i64>,
        action: Action,
        who: &str,
    ) -> Result<(), ReviewError> {
        let at = Utc.with_ymd_and_hms(2025, 4, 1, 8, 0, 0).unwrap();
        review::review(&self.db, self.id(post), expected, &action, "", who, at)
            .await
            .map(|_| ())
    }

    async fn post(&self, platform_id: &str) -> ReviewPost {
        self.db
            .review_post(self.id(platform_id))
            .await
            .unwrap()
            .unwrap()
    }
}

async fn ids_of(db: &AnyStore) -> HashMap<&'static str, i64> {
    let all = db.review_queue(&QueueQuery::default()).await.unwrap();
    SEEDS
        .iter()
        .map(|s| {
            let p = all.iter().find(|p| p.platform_id == s.id).unwrap();
            (s.id, p.id)
        })
        .collect()
}

/// The seeds through one process's ingest path, into a SQLite file.
async fn sqlite() -> Backend {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("windvane.db");
    let store = Store::open(&path).unwrap();
    let segmenter = Segmenter::new(None, []).unwrap();
    for (id, name) in SOURCES {
        store.ensure_source(id, "weibo", name).unwrap();
    }
    for s in &SEEDS {
        let post = Post {
            platform_id: s.id.into(),
            author: s.source.into(),
            text: s.text.into(),
            created_at: created(s),
            created_at_raw: format!("raw {}", s.id),
            url: format!("https://example.org/{}", s.id),
            pinned: false,
            truncated: false,
            edit_count: 0,
            retweet: None,
            raw: "{}".into(),
        };
        let class = classification(s);
        let words = segmenter.index_words(&post.full_text());
        let item = NewPost {
            post: &post,
            classification: &class,
            alerts: planned(s),
            index_words: &words,
        };
        store.ingest(s.source, &[item], Utc::now()).unwrap();
    }
    let db = AnyStore::from(store);
    Backend {
        ids: ids_of(&db).await,
        db,
        segmenter,
        raw: Raw::Sqlite(path),
        _keep: Box::new(dir),
    }
}

async fn postgres() -> Backend {
    let server = TempPostgres::start();
    let pg = seed_postgres(&server).await;
    let db = AnyStore::from(pg);
    Backend {
        ids: ids_of(&db).await,
        db,
        segmenter: Segmenter::new(None, []).unwrap(),
        raw: Raw::Postgres(server.url()),
        _keep: Box::new(server),
    }
}

/// The seeds through a cluster instance's path into `server`: each source leased, its posts
/// committed with their classifications and alerts in the run's fenced transaction.
pub async fn seed_postgres(server: &TempPostgres) -> PgStore {
    let pg: PgStore = server.store().await;
    for (id, name) in SOURCES {
        pg.upsert_source(&SourceSpec {
            id: id.into(),
            kind: "weibo".into(),
            name: name.into(),
            egress: None,
            every: Duration::from_secs(300),
        })
        .await
        .unwrap();
    }
    // One run per post, oldest first, so posts are stored in the same order as on SQLite.
    for s in &SEEDS {
        let lease = loop {
            let leases = pg
                .claim_due("suite", "direct", 10, Duration::from_secs(60))
                .await
                .unwrap();
            // Release the other source's lease untouched: only this post's run commits.
            let mut mine = None;
            for l in leases {
                if l.source_id == s.source {
                    mine = Some(l);
                } else {
                    pg.commit_run_items(&l, &[], RunOutcome::Ok, None, None)
                        .await
                        .unwrap();
                }
            }
            if let Some(l) = mine {
                break l;
            }
            // A source committed just now is due again only after `every`: make it due.
            pg_make_due(server, s.source).await;
        };
        let item = RunItem {
            post: RunPost {
                platform_id: s.id.into(),
                author: s.source.into(),
                text: s.text.into(),
                url: format!("https://example.org/{}", s.id),
                created_at: created(s),
                created_at_raw: format!("raw {}", s.id),
            },
            raw: "{}".into(),
            truncated: false,
            classification: Some(classification(s)),
            alerts: planned(s),
            ..RunItem::default()
        };
        let committed = pg
            .commit_run_items(&lease, &[item], RunOutcome::Ok, None, None)
            .await
            .unwrap();
        assert_eq!(committed.new_posts, 1);
    }
    pg
}

/// Makes a source due now (a test shortcut past its schedule), through psql-free SQL.
async fn pg_make_due(server: &TempPostgres, source: &str) {
    let (client, conn) = tokio_postgres::connect(&server.url(), tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(conn);
    client
        .execute(
            "UPDATE sources SET next_due = now() WHERE id = $1",
            &[&source],
        )
        .await
        .unwrap();
}

fn flagged() -> QueueQuery {
    QueueQuery {
        flagged_only: true,
        ..QueueQuery::default()
    }
}

fn names(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

// ---------------------------------------------------------------------------------------------
// The suite, written once.

async fn search_finds_the_posts_with_every_word(b: Backend) {
    // The most recently stored first.
    assert_eq!(b.search("中美经贸").await, names(&["p4", "p1"]));
    assert_eq!(b.search("关税 反制").await, names(&["p2"]));
    assert_eq!(b.search("关税，谈判").await, Vec::<String>::new());
    assert_eq!(b.search("天气").await, names(&["p3"]));
    assert_eq!(
        b.search("大").await,
        names(&["p4"]),
        "one character: a prefix"
    );
    assert_eq!(b.search("   ").await, Vec::<String>::new());
    let hits = review::search(&b.db, &b.segmenter, "中美", 1)
        .await
        .unwrap();
    assert_eq!(b.names(&hits), names(&["p4"]), "the limit");
}

async fn history_counts_per_beijing_day_and_week(b: Backend) {
    let rows = |period, label: Option<&str>, source: Option<&str>| {
        let db = b.db.clone();
        let q = HistoryQuery {
            period,
            label: label.map(str::to_string),
            source: source.map(str::to_string),
            ..HistoryQuery::default()
        };
        async move {
            db.history_between(&q)
                .await
                .unwrap()
                .into_iter()
                .map(|r| (r.period, r.label, r.flagged, r.posts, r.max_score))
                .collect::<Vec<_>>()
        }
    };
    let row = |p: &str, l: &str, f, n, max| (p.to_string(), l.to_string(), f, n, max);
    assert_eq!(
        rows(Period::Day, None, None).await,
        vec![
            row("2025-03-01", "talks", 1, 1, 0.9),
            row("2025-03-02", "escalation", 1, 1, 0.8),
            row("2025-03-02", "talks", 1, 1, 0.3),
            row("2025-03-10", "de_escalation", 1, 1, 0.6),
            row("2025-03-10", "purchase", 1, 1, 0.7),
        ]
    );
    // Weeks start on Monday: 1 and 2 March are the week of 24 February.
    assert_eq!(
        rows(Period::Week, None, None).await,
        vec![
            row("2025-02-24", "escalation", 1, 2, 0.8),
            row("2025-02-24", "talks", 2, 2, 0.9),
            row("2025-03-10", "de_escalation", 1, 1, 0.6),
            row("2025-03-10", "purchase", 1, 1, 0.7),
        ]
    );
    let week =
        b.db.history_between(&HistoryQuery {
            period: Period::Week,
            label: Some("talks".into()),
            ..HistoryQuery::default()
        })
        .await
        .unwrap();
    assert_eq!(week.len(), 1);
    assert!((week[0].mean_score - 0.6).abs() < 1e-9, "{week:?}");
    assert_eq!(
        rows(Period::Day, None, Some("people")).await,
        vec![
            row("2025-03-10", "de_escalation", 1, 1, 0.6),
            row("2025-03-10", "purchase", 1, 1, 0.7),
        ]
    );
    // A range: [2 March Beijing, 10 March Beijing).
    let since = Utc.with_ymd_and_hms(2025, 3, 1, 16, 0, 0).unwrap();
    let until = Utc.with_ymd_and_hms(2025, 3, 9, 16, 0, 0).unwrap();
    let ranged =
        b.db.history_between(&HistoryQuery {
            since: Some(since),
            until: Some(until),
            ..HistoryQuery::default()
        })
        .await
        .unwrap();
    let labels: Vec<&str> = ranged.iter().map(|r| r.label.as_str()).collect();
    assert_eq!(labels, ["escalation", "talks"]);
    // A confirmed verdict is counted for its day and label.
    b.decide("p1", None, Action::Confirm { labels: vec![] }, "alice")
        .await
        .unwrap();
    let day =
        b.db.history_between(&HistoryQuery {
            label: Some("talks".into()),
            ..HistoryQuery::default()
        })
        .await
        .unwrap();
    let confirmed: Vec<(String, i64)> = day.into_iter().map(|r| (r.period, r.confirmed)).collect();
    assert_eq!(
        confirmed,
        vec![("2025-03-01".into(), 1), ("2025-03-02".into(), 0)]
    );
    assert_eq!(
        b.db.oldest_post_time().await.unwrap(),
        Some(created(&SEEDS[0]))
    );
}

async fn review_list_filters_and_orders_newest_first(b: Backend) {
    assert_eq!(b.list(flagged()).await, names(&["p4", "p2", "p1"]));
    assert_eq!(
        b.list(QueueQuery::default()).await,
        names(&["p4", "p3", "p2", "p1"])
    );
    let q = |f: fn(&mut QueueQuery)| {
        let mut q = flagged();
        f(&mut q);
        q
    };
    assert_eq!(
        b.list(q(|q| q.label = Some(Label::Talks))).await,
        names(&["p2", "p1"])
    );
    assert_eq!(
        b.list(q(|q| {
            q.label = Some(Label::Talks);
            q.min_score = Some(0.5);
        }))
        .await,
        names(&["p1"])
    );
    assert_eq!(
        b.list(q(|q| q.min_score = Some(0.75))).await,
        names(&["p2", "p1"])
    );
    assert_eq!(
        b.list(q(|q| q.source = Some("people".into()))).await,
        names(&["p4"])
    );
    assert_eq!(
        b.list(q(
            |q| q.since = Some(Utc.with_ymd_and_hms(2025, 3, 1, 16, 0, 0).unwrap())
        ))
        .await,
        names(&["p4", "p2"])
    );
    assert_eq!(
        b.list(q(
            |q| q.until = Some(Utc.with_ymd_and_hms(2025, 3, 1, 16, 0, 0).unwrap())
        ))
        .await,
        names(&["p1"])
    );
    assert_eq!(
        b.list(q(|q| {
            q.limit = Some(1);
            q.offset = 1;
        }))
        .await,
        names(&["p2"])
    );
    b.decide("p2", None, Action::Dismiss, "alice")
        .await
        .unwrap();
    assert_eq!(
        b.list(q(|q| q.status = Some(ReviewStatus::Unreviewed)))
            .await,
        names(&["p4", "p1"])
    );
    assert_eq!(
        b.list(q(|q| q.status = Some(ReviewStatus::Dismissed)))
            .await,
        names(&["p2"])
    );
}

async fn review_show_has_labels_evidence_and_alerts(b: Backend) {
    let view = review::post_view(&b.db, b.id("p2")).await.unwrap();
    let p = &view.post;
    assert_eq!(
        (
            p.source_id.as_str(),
            p.source_name.as_str(),
            p.author.as_str()
        ),
        ("xinhua", "新华社", "xinhua")
    );
    assert_eq!(p.full_text(), SEEDS[1].text);
    assert_eq!(p.url, "https://example.org/p2");
    assert_eq!(p.created_at, created(&SEEDS[1]));
    let labels: Vec<(Label, f64)> = p.labels.iter().map(|l| (l.label, l.score)).collect();
    assert_eq!(labels, [(Label::Escalation, 0.8), (Label::Talks, 0.3)]);
    let ev = &p.labels[0].evidence[0];
    assert_eq!((ev.term.as_str(), ev.start, ev.end), ("反制", 11, 13));
    assert_eq!(ev.gloss, "反制 gloss");
    assert_eq!(p.explanation.as_deref(), Some("explained p2"));
    assert_eq!(p.classifier_version.as_deref(), Some("suite-1"));
    assert_eq!((p.status, p.version), (ReviewStatus::Unreviewed, 0));
    assert!(view.reviews.is_empty() && view.versions.is_empty() && view.gone.is_none());
    let alerts: Vec<(String, String, AlertStatus)> = view
        .alerts
        .iter()
        .map(|a| (a.label.clone(), a.channel_id.clone(), a.status))
        .collect();
    assert_eq!(
        alerts,
        [("escalation".into(), CHANNEL.into(), AlertStatus::Pending)]
    );
    let extras = b.db.post_extras(b.id("p2")).await.unwrap().unwrap();
    assert_eq!(extras.created_at_raw, "raw p2");
    assert!(matches!(
        review::post_view(&b.db, 987_654).await,
        Err(ReviewError::NotFound(987_654))
    ));
}

async fn a_verdict_on_a_stale_version_is_refused(b: Backend) {
    // Two analysts open p1 at version 0; alice confirms first.
    assert_eq!(b.post("p1").await.version, 0);
    b.decide("p1", Some(0), Action::Confirm { labels: vec![] }, "alice")
        .await
        .unwrap();
    let p = b.post("p1").await;
    assert_eq!((p.status, p.version), (ReviewStatus::Confirmed, 1));
    // bob, still on version 0, dismisses: refused, naming alice; nothing written.
    let err = b
        .decide("p1", Some(0), Action::Dismiss, "bob")
        .await
        .unwrap_err();
    let ReviewError::Stale(stale) = &err else {
        panic!("expected a stale verdict, got {err:?}");
    };
    assert_eq!(
        (stale.post_id, stale.expected, stale.current),
        (b.id("p1"), 0, 1)
    );
    assert_eq!(stale.by.as_deref(), Some("alice"));
    assert_eq!(
        stale.at,
        Some(Utc.with_ymd_and_hms(2025, 4, 1, 8, 0, 0).unwrap())
    );
    let message = err.to_string();
    assert!(
        message.contains(&format!("post {}", b.id("p1")))
            && message.contains("alice")
            && message.contains("Reload"),
        "{message}"
    );
    let p = b.post("p1").await;
    assert_eq!((p.status, p.version), (ReviewStatus::Confirmed, 1));
    assert_eq!(b.db.reviews_of(b.id("p1")).await.unwrap().len(), 1);
    // After reloading (version 1) bob's verdict is recorded.
    b.decide("p1", Some(1), Action::Dismiss, "bob")
        .await
        .unwrap();
    let p = b.post("p1").await;
    assert_eq!((p.status, p.version), (ReviewStatus::Dismissed, 2));
    let who: Vec<String> =
        b.db.reviews_of(b.id("p1"))
            .await
            .unwrap()
            .into_iter()
            .map(|r| format!("{} {}", r.reviewer, r.verdict.as_str()))
            .collect();
    assert_eq!(who, ["alice confirmed", "bob dismissed"]);
    // Without a version, the version read now: recorded.
    b.decide("p1", None, Action::Confirm { labels: vec![] }, "carol")
        .await
        .unwrap();
    assert_eq!(b.post("p1").await.version, 3);
    // Another post's version is its own.
    assert_eq!(b.post("p2").await.version, 0);
}

/// Analysts deciding at once on the version they all saw: exactly one verdict is recorded.
async fn concurrent_verdicts_on_one_version_record_one(b: Backend) {
    let b = std::sync::Arc::new(b);
    let tasks: Vec<_> = (0..8)
        .map(|i| {
            let b = b.clone();
            tokio::spawn(async move {
                let action = if i % 2 == 0 {
                    Action::Dismiss
                } else {
                    Action::Confirm { labels: vec![] }
                };
                b.decide("p2", Some(0), action, &format!("analyst-{i}"))
                    .await
            })
        })
        .collect();
    let mut recorded = 0;
    for t in tasks {
        match t.await.unwrap() {
            Ok(()) => recorded += 1,
            Err(ReviewError::Stale(s)) => assert_eq!((s.expected, s.current), (0, 1)),
            Err(e) => panic!("{e}"),
        }
    }
    assert_eq!(recorded, 1);
    assert_eq!(b.post("p2").await.version, 1);
    let batches: std::collections::HashSet<i64> =
        b.db.reviews_of(b.id("p2"))
            .await
            .unwrap()
            .iter()
            .map(|r| r.batch)
            .collect();
    assert_eq!(batches.len(), 1, "one review batch");
}

async fn stats_count_each_posts_current_verdicts(b: Backend) {
    b.decide("p1", None, Action::Dismiss, "alice")
        .await
        .unwrap();
    // Confirmed again later: only the latest review counts.
    b.decide("p1", None, Action::Confirm { labels: vec![] }, "alice")
        .await
        .unwrap();
    // Escalation right, talks wrong, purchase missed.
    let relabel = Action::Confirm {
        labels: vec![Label::Escalation, Label::Purchase],
    };
    b.decide("p2", None, relabel, "bob").await.unwrap();
    b.decide("p4", None, Action::Dismiss, "bob").await.unwrap();
    let s = review::stats(&b.db).await.unwrap();
    let total = |l: Label| {
        let t = s.total.get(&l).cloned().unwrap_or_default();
        (t.reviewed, t.confirmed, t.dismissed, t.added)
    };
    assert_eq!(total(Label::Talks), (2, 1, 1, 0));
    assert_eq!(total(Label::Escalation), (1, 1, 0, 0));
    assert_eq!(total(Label::Purchase), (1, 0, 1, 1));
    assert_eq!(total(Label::DeEscalation), (1, 0, 1, 0));
    assert_eq!(s.by_month.keys().collect::<Vec<_>>(), ["2025-03"]);
    let p2 = b.post("p2").await;
    assert_eq!(p2.status, ReviewStatus::Relabelled);
    assert_eq!(p2.analyst_labels, [Label::Escalation, Label::Purchase]);
    assert_eq!(
        p2.relabelled(),
        Some(&[Label::Escalation, Label::Purchase][..])
    );
    assert_eq!(
        b.list(QueueQuery {
            status: Some(ReviewStatus::Relabelled),
            ..flagged()
        })
        .await,
        names(&["p2"])
    );
}

async fn alerts_list_the_outbox_and_requeue_failed_ones(b: Backend) {
    let all = b.db.alerts(None).await.unwrap();
    let rows: Vec<(Option<i64>, String, String, f64, AlertStatus, u32)> = all
        .iter()
        .map(|a| {
            (
                a.post_id,
                a.label.clone(),
                a.idempotency_key.clone(),
                a.score,
                a.status,
                a.attempts,
            )
        })
        .collect();
    assert_eq!(
        rows,
        vec![
            (
                Some(b.id("p1")),
                "talks".into(),
                "p1:talks:hook".into(),
                0.9,
                AlertStatus::Pending,
                0
            ),
            (
                Some(b.id("p2")),
                "escalation".into(),
                "p2:escalation:hook".into(),
                0.8,
                AlertStatus::Pending,
                0
            ),
        ]
    );
    assert_eq!(all[0].payload, "{\"title\":\"p1\"}");
    assert_eq!(all[0].kind.as_str(), "post");
    assert_eq!(
        b.db.alerts(Some(AlertStatus::Pending)).await.unwrap().len(),
        2
    );
    assert!(b
        .db
        .alerts(Some(AlertStatus::Failed))
        .await
        .unwrap()
        .is_empty());
    // Nothing failed, so nothing to requeue; a failed one is requeued, due again.
    assert_eq!(b.db.retry_alerts(None, Utc::now()).await.unwrap(), 0);
    b.raw
        .execute(
            "UPDATE alerts SET status = 'failed', attempts = 5, last_error = 'HTTP 500'
             WHERE id = $1",
            all[1].id,
        )
        .await;
    let failed = b.db.alerts(Some(AlertStatus::Failed)).await.unwrap();
    let failed: Vec<(i64, u32, Option<String>)> = failed
        .into_iter()
        .map(|a| (a.id, a.attempts, a.last_error))
        .collect();
    assert_eq!(failed, [(all[1].id, 5, Some("HTTP 500".into()))]);
    assert_eq!(
        b.db.retry_alerts(Some(all[0].id), Utc::now())
            .await
            .unwrap(),
        0,
        "a pending alert is not requeued"
    );
    assert_eq!(
        b.db.retry_alerts(Some(all[1].id), Utc::now())
            .await
            .unwrap(),
        1
    );
    let after = b.db.alerts(None).await.unwrap();
    assert_eq!(
        after
            .iter()
            .map(|a| (a.status, a.attempts))
            .collect::<Vec<_>>(),
        [(AlertStatus::Pending, 0), (AlertStatus::Pending, 0)]
    );
    let sources: Vec<(String, String, i64)> =
        b.db.source_statuses()
            .await
            .unwrap()
            .into_iter()
            .map(|s| (s.id, s.name, s.posts))
            .collect();
    assert_eq!(
        sources,
        vec![
            ("people".into(), "人民日报".into(), 2),
            ("xinhua".into(), "新华社".into(), 2)
        ]
    );
}

async fn backtest_reads_each_label_of_the_flagged_posts_in_a_window(b: Backend) {
    let from = Utc.with_ymd_and_hms(2025, 3, 1, 0, 0, 0).unwrap();
    let to = Utc.with_ymd_and_hms(2025, 3, 5, 0, 0, 0).unwrap();
    let rows = |label| {
        let db = b.db.clone();
        async move {
            db.flagged_between(from, to, label)
                .await
                .unwrap()
                .into_iter()
                .map(|f| (f.post_id, f.source_name, f.created_at, f.label, f.score))
                .collect::<Vec<_>>()
        }
    };
    let (p1, p2) = (b.id("p1"), b.id("p2"));
    let (t1, t2) = (created(&SEEDS[0]), created(&SEEDS[1]));
    let xinhua = || "新华社".to_string();
    assert_eq!(
        rows(None).await,
        vec![
            (p1, xinhua(), t1, Label::Talks, 0.9),
            (p2, xinhua(), t2, Label::Escalation, 0.8),
            (p2, xinhua(), t2, Label::Talks, 0.3),
        ]
    );
    assert_eq!(
        rows(Some(Label::Talks)).await,
        vec![
            (p1, xinhua(), t1, Label::Talks, 0.9),
            (p2, xinhua(), t2, Label::Talks, 0.3)
        ]
    );
}

async fn the_desk_answers_409_to_a_stale_verdict(b: Backend) {
    let (addr, _stop) = crate::review_web::serve_desk(Desk {
        store: b.db.clone(),
        segmenter: b.segmenter.clone(),
        token: None,
    })
    .await;
    let http = crate::review_web::reqwest_client();
    let id = b.id("p1");
    let page_url = format!("http://{addr}/posts/{id}");
    // The post page as both analysts loaded it: a session, its CSRF token, version 0.
    let page = http.get(&page_url).send().await.unwrap();
    let session = crate::review_web::session_cookie(&page);
    let html = page.text().await.unwrap();
    let field = crate::review_web::form_field;
    let csrf = field(&html, "csrf").unwrap();
    assert_eq!(field(&html, "version").as_deref(), Some("0"));
    let post = |form: String, json: bool| {
        let mut r = http
            .post(format!("{page_url}/review"))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("cookie", &session)
            .body(form);
        if json {
            r = r.header("accept", "application/json");
        }
        r.send()
    };
    let form = |action: &str, who: &str, version: &str| {
        format!("action={action}&reviewer={who}&csrf={csrf}&version={version}")
    };
    // alice saves first.
    let r = post(form("confirm", "alice", "0"), false).await.unwrap();
    assert_eq!(r.status(), 303);
    // bob's page still says version 0: refused, with a page naming alice and a reload link.
    let r = post(form("dismiss", "bob", "0"), false).await.unwrap();
    assert_eq!(r.status(), 409);
    let body = r.text().await.unwrap();
    assert!(body.contains("alice recorded a verdict"), "{body}");
    assert!(
        body.contains(&format!("href=\"/posts/{id}\" id=\"reload\"")),
        "{body}"
    );
    // A script asking for JSON gets the same as JSON.
    let r = post(form("dismiss", "bob", "0"), true).await.unwrap();
    assert_eq!(r.status(), 409);
    let v: serde_json::Value = r.json().await.unwrap();
    assert_eq!(v["error"], "stale_verdict");
    assert_eq!(v["changed_by"], "alice");
    assert_eq!(
        (v["your_version"].as_i64(), v["current_version"].as_i64()),
        (Some(0), Some(1))
    );
    assert!(v["message"].as_str().unwrap().contains("Reload"), "{v}");
    // Nothing of bob's was written; after a reload (version 1) his verdict is.
    let p = b.post("p1").await;
    assert_eq!((p.status, p.version), (ReviewStatus::Confirmed, 1));
    let html = http
        .get(&page_url)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(field(&html, "version").as_deref(), Some("1"));
    let r = post(form("dismiss", "bob", "1"), false).await.unwrap();
    assert_eq!(r.status(), 303);
    let p = b.post("p1").await;
    assert_eq!((p.status, p.version), (ReviewStatus::Dismissed, 2));
}

/// Instantiates each test of the suite for both backends.
macro_rules! on_both_backends {
    ($($test:ident),+ $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $test() {
                    super::$test(super::sqlite().await).await;
                }
            )+
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $test() {
                    super::$test(super::postgres().await).await;
                }
            )+
        }
    };
}

on_both_backends!(
    search_finds_the_posts_with_every_word,
    history_counts_per_beijing_day_and_week,
    review_list_filters_and_orders_newest_first,
    review_show_has_labels_evidence_and_alerts,
    a_verdict_on_a_stale_version_is_refused,
    concurrent_verdicts_on_one_version_record_one,
    stats_count_each_posts_current_verdicts,
    alerts_list_the_outbox_and_requeue_failed_ones,
    the_desk_answers_409_to_a_stale_verdict,
    backtest_reads_each_label_of_the_flagged_posts_in_a_window,
);

/// Everything a post shows, without ids and storage times (which differ by backend).
fn shown(p: &ReviewPost) -> String {
    format!(
        "{} {} {} {} {} {} {:?} {:?} {:?} {:?} {:?} {} {}",
        p.platform_id,
        p.source_id,
        p.source_name,
        p.author,
        p.full_text(),
        p.created_at,
        p.labels,
        p.analyst_labels,
        p.explanation,
        p.classifier_version,
        p.status,
        p.version,
        p.url,
    )
}

/// After the same verdicts, both backends answer every read alike.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn both_backends_answer_alike() {
    let (a, b) = (sqlite().await, postgres().await);
    for x in [&a, &b] {
        x.decide("p1", None, Action::Confirm { labels: vec![] }, "alice")
            .await
            .unwrap();
        let relabel = Action::Confirm {
            labels: vec![Label::Purchase],
        };
        x.decide("p2", None, relabel, "bob").await.unwrap();
        x.decide("p4", Some(0), Action::Dismiss, "bob")
            .await
            .unwrap();
        assert!(x
            .decide("p4", Some(0), Action::Dismiss, "carol")
            .await
            .is_err());
    }
    let all = |x: &Backend| {
        let db = x.db.clone();
        async move {
            let posts = db.review_queue(&QueueQuery::default()).await.unwrap();
            posts.iter().map(shown).collect::<Vec<_>>()
        }
    };
    assert_eq!(all(&a).await, all(&b).await);
    for q in ["中美", "关税", "采购 大豆", "晴"] {
        let (x, y) = (a.search(q).await, b.search(q).await);
        assert_eq!(x, y, "{q}");
    }
    for period in [Period::Day, Period::Week] {
        let history = |x: &Backend| {
            let db = x.db.clone();
            async move {
                let q = HistoryQuery {
                    period,
                    ..HistoryQuery::default()
                };
                let rows = db.history_between(&q).await;
                rows.unwrap()
                    .into_iter()
                    .map(|r| {
                        // Means to 1e-9: the two databases may sum in another order.
                        let mean = format!("{:.9}", r.mean_score);
                        (r.period, r.label, r.flagged, r.confirmed, r.posts, mean)
                    })
                    .collect::<Vec<_>>()
            }
        };
        assert_eq!(history(&a).await, history(&b).await);
    }
    assert_eq!(
        a.db.verdict_counts().await.unwrap(),
        b.db.verdict_counts().await.unwrap()
    );
    for p in ["p1", "p2", "p4"] {
        let reviews = |x: &Backend| {
            let (db, id) = (x.db.clone(), x.id(p));
            async move {
                db.reviews_of(id)
                    .await
                    .unwrap()
                    .into_iter()
                    .map(|r| (r.label, r.verdict, r.note, r.reviewer, r.created_at))
                    .collect::<Vec<_>>()
            }
        };
        assert_eq!(reviews(&a).await, reviews(&b).await, "{p}");
    }
    let alerts = |x: &Backend| {
        let db = x.db.clone();
        async move {
            db.alerts(None)
                .await
                .unwrap()
                .into_iter()
                .map(|r| (r.label, r.channel_id, r.idempotency_key, r.status, r.kind))
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(alerts(&a).await, alerts(&b).await);
}
