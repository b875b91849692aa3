//! A cluster instance does what one process does (issue 15): visitor cookies shared per egress
//! in the database (login cookies never there), rechecks of edits and deletions under the
//! source's lease with their alerts through the shared outbox, and posts that keep their
//! pictures, counts and edit times. Instances here are in-process (`daemon::cluster::connect`
//! and `run_once`, what `windvane once` runs) against a throwaway PostgreSQL and the loopback
//! Weibo server of tests/it/common.rs.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use serde_json::json;
use windvane::config::Config;
use windvane::daemon::cluster;
use windvane::pipeline::Context;
use windvane::store::pg::{PgError, PgStore};
use windvane::store::{AnyStore, ChangeAlert, Edit, Gone, QueueQuery};

use super::binary::url_of;
use super::{source, TempPostgres};
use crate::common::{webhook_server, weibo_server, Receiver, WeiboState};
use crate::daemon::{card, timeline, weibo_source, TALKS, UID};

/// An instance's configuration (`[store] url`, its id and egress, fast fetches) with `body`
/// appended, loaded, connected and migrated: what `windvane once` has before its pass.
async fn instance(dir: &Path, url: &str, id: &str, egress: &str, body: &str) -> Context {
    let text = format!(
        r#"
[store]
url = "{url}"

[instance]
id = "{id}"
egress = "{egress}"
lease_ttl = "30s"

[daemon]
metrics_listen = "off"
dispatch_interval = "1s"

[fetch]
min_interval_per_host = "1ms"
retries = 0
# Below the recheck test's 1-second schedule; the loopback server answers at once.
timeout = "900ms"
jitter = "0s"
{body}
"#
    );
    let path = dir.join(format!("{id}.toml"));
    std::fs::write(&path, text).unwrap();
    let cfg = Config::load(Some(&path)).unwrap();
    let mut ctx = Context::new(cfg).unwrap();
    cluster::connect(&mut ctx).await.unwrap();
    ctx
}

/// A loopback Weibo serving `cards` as the test account's timeline, a throwaway PostgreSQL
/// (migrated) and a folder for the instances' configurations.
struct World {
    weibo: Arc<WeiboState>,
    addr: std::net::SocketAddr,
    pg: TempPostgres,
    admin: PgStore,
    dir: tempfile::TempDir,
}

async fn world(cards: &[serde_json::Value]) -> World {
    let weibo = Arc::new(WeiboState::default());
    weibo
        .timelines
        .lock()
        .unwrap()
        .insert(format!("107603{UID}"), timeline(cards, None));
    let addr = weibo_server(weibo.clone()).await;
    let pg = TempPostgres::start();
    let admin = pg.store().await;
    World {
        weibo,
        addr,
        pg,
        admin,
        dir: tempfile::tempdir().unwrap(),
    }
}

impl World {
    async fn instance(&self, id: &str, egress: &str, body: &str) -> Context {
        instance(self.dir.path(), &url_of(&self.pg), id, egress, body).await
    }

    /// Instance `a` with `recheck_body`'s source and webhook, and what the webhook receives.
    async fn recheck_instance(&self) -> (Arc<Receiver>, Context) {
        let hook = Arc::new(Receiver::default());
        let hook_addr = webhook_server(hook.clone()).await;
        let ctx = self
            .instance("a", "e1", &recheck_body(self.addr, hook_addr))
            .await;
        (hook, ctx)
    }
}

/// Every text value of every row of every table, as PostgreSQL prints the row.
async fn every_row_text(pg: &TempPostgres) -> String {
    let client = pg.client().await;
    let tables: Vec<String> = client
        .query(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'",
            &[],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert!(tables.len() > 5, "{tables:?}");
    let mut all = String::new();
    for t in tables {
        for r in client
            .query(&format!("SELECT t::text FROM \"{t}\" t"), &[])
            .await
            .unwrap()
        {
            all.push_str(r.get::<_, &str>(0));
            all.push('\n');
        }
    }
    all
}

const VISITOR: &str = "SUB=_2AkMshared; SUBP=0033WrSX";

/// Two instances on one egress use one visitor cookie: the first renews it (one passport
/// request) and stores it for the egress; the second sends that cookie from its first
/// request on and never asks the passport. An instance on another egress gets its own.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn instances_on_one_egress_share_one_visitor_cookie() {
    let w = world(&[card("900", "今天天气晴。", hours_ago(1), 0)]).await;
    let (st, admin) = (&w.weibo, &w.admin);
    *st.visitor.lock().unwrap() = ("_2AkMshared".into(), "0033WrSX".into());
    *st.require_cookie.lock().unwrap() = Some(VISITOR.into());
    let src = |id: &str| weibo_source(id, w.addr, "every 1h");

    let a = w.instance("a", "e1", &src("wa")).await;
    assert_eq!(cluster::run_once(&a).await.unwrap(), (1, 0));
    assert_eq!(*st.passport_calls.lock().unwrap(), 1, "a renewed once");

    let b = w.instance("b", "e1", &src("wb")).await;
    let before = st.cookies_seen.lock().unwrap().len();
    assert_eq!(cluster::run_once(&b).await.unwrap(), (1, 0));
    assert_eq!(
        *st.passport_calls.lock().unwrap(),
        1,
        "b used the egress's cookie and asked the passport nothing"
    );
    let seen_by_b = st.cookies_seen.lock().unwrap()[before..].to_vec();
    assert!(!seen_by_b.is_empty());
    assert!(
        seen_by_b.iter().all(|c| c.as_deref() == Some(VISITOR)),
        "every request of b carried the shared cookie: {seen_by_b:?}"
    );
    assert_eq!(admin.visitor_renewals("e1").await.unwrap(), 1);

    let c = w.instance("c", "e2", &src("wc")).await;
    assert_eq!(cluster::run_once(&c).await.unwrap(), (1, 0));
    assert_eq!(
        *st.passport_calls.lock().unwrap(),
        2,
        "another egress has its own cookie"
    );
    assert_eq!(admin.visitor_renewals("e2").await.unwrap(), 1);
}

/// A login cookie (`cookie_file`) is sent as it is and never written to the database:
/// neither when Weibo takes it, nor when a refusal quotes it back (the run's error is
/// redacted), nor as a visitor cookie.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_login_cookie_never_reaches_the_database() {
    const ACCEPTED: &str = "SUB=login-secret-accepted-0123456789";
    const REFUSED: &str = "SUB=login-secret-refused-0123456789";
    let w = world(&[card("901", TALKS, hours_ago(1), 0)]).await;
    let st = &w.weibo;
    *st.require_cookie.lock().unwrap() = Some(ACCEPTED.into());
    *st.refuse_with_ok_minus_100.lock().unwrap() = true;
    *st.echo_refused_cookie.lock().unwrap() = true;
    std::fs::write(w.dir.path().join("ok.cookie"), ACCEPTED).unwrap();
    std::fs::write(w.dir.path().join("refused.cookie"), REFUSED).unwrap();
    let body = format!(
        "{}cookie_file = \"ok.cookie\"\n{}cookie_file = \"refused.cookie\"\n",
        weibo_source("login-ok", w.addr, "every 1h"),
        weibo_source("login-refused", w.addr, "every 1h"),
    );
    let ctx = w.instance("a", "e1", &body).await;
    assert_eq!(cluster::run_once(&ctx).await.unwrap(), (1, 1));
    let seen = st.cookies_seen.lock().unwrap().clone();
    assert!(seen.iter().any(|c| c.as_deref() == Some(ACCEPTED)));
    assert!(seen.iter().any(|c| c.as_deref() == Some(REFUSED)));
    assert_eq!(*st.passport_calls.lock().unwrap(), 0, "no visitor cookie");

    let rows = every_row_text(&w.pg).await;
    assert!(rows.contains("901"), "the accepted run stored its post");
    assert!(
        rows.contains("needs-cookie") || rows.contains("ok:-100"),
        "the refused run is recorded: {rows}"
    );
    for secret in ["login-secret-accepted", "login-secret-refused"] {
        assert!(
            !rows.contains(secret),
            "`{secret}` is in the database:\n{rows}"
        );
    }
}

fn hours_ago(n: i64) -> chrono::DateTime<Utc> {
    Utc::now() - chrono::Duration::hours(n)
}

/// Sources on a 1-second schedule with a 1-second recheck, a webhook for `talks`.
fn recheck_body(addr: std::net::SocketAddr, hook: std::net::SocketAddr) -> String {
    format!(
        "{}recheck_window = \"48h\"\nrecheck_every = \"1s\"\n\n[[alerts]]\nid = \"hook\"\nkind = \"webhook\"\nurl = \"http://{hook}/hook\"\nlabels = [\"talks\"]\nmin_score = 0.5\n",
        weibo_source("wb", addr, "every 1s")
    )
}

/// A recheck in cluster mode: a flagged post edited on the loopback server is stored as a new
/// version (its text, search row and edit time updated), a flagged post gone from the
/// timeline and confirmed deleted by its own page is marked deleted, and each raises one
/// alert through the shared outbox, sent once; a recheck that finds nothing new sends
/// nothing more.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_recheck_stores_edits_and_deletions_and_alerts_once() {
    let cid = format!("107603{UID}");
    let w = world(&[
        card("500", TALKS, hours_ago(1), 0),
        card("400", &format!("{TALKS} 第二条"), hours_ago(2), 0),
        card("150", "一条普通微博。", hours_ago(5), 0),
    ])
    .await;
    let (st, admin) = (&w.weibo, &w.admin);
    let (hook, ctx) = w.recheck_instance().await;
    assert_eq!(cluster::run_once(&ctx).await.unwrap(), (1, 0));
    assert_eq!(hook.calls.lock().unwrap().len(), 2, "500 and 400 flagged");

    // Later: 500 edited, 400 deleted (its page says so), 150 unchanged.
    let edited = TALKS.replace("希望", "急切希望");
    let mut edited_card = card("500", &edited, hours_ago(1), 1);
    edited_card["mblog"]["edit_at"] = json!("Wed Jun 16 10:51:10 +0800 2021");
    let later = [edited_card, card("150", "一条普通微博。", hours_ago(5), 0)];
    st.timelines
        .lock()
        .unwrap()
        .insert(cid.clone(), timeline(&later, None));
    st.shows.lock().unwrap().insert(
        "400".into(),
        r#"{"ok":0,"msg":"抱歉，此微博已被作者删除。查看帮助：http://t.cn/Rfd3rQV"}"#.into(),
    );
    // Past the schedule and the recheck's pace (both a second).
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(cluster::run_once(&ctx).await.unwrap(), (1, 0));

    let db = AnyStore::from(admin.clone());
    let posts = db.review_queue(&QueueQuery::default()).await.unwrap();
    let id = |mid: &str| posts.iter().find(|p| p.platform_id == mid).unwrap().id;
    let versions = db.post_versions(id("500")).await.unwrap();
    assert_eq!(
        versions
            .iter()
            .map(|v| (v.version, v.text.as_str(), v.edit_count))
            .collect::<Vec<_>>(),
        [(1, TALKS, 0), (2, edited.as_str(), 1)]
    );
    let extras = db.post_extras(id("500")).await.unwrap().unwrap();
    assert_eq!(extras.edit_at.as_deref(), Some("2021-06-16T02:51:10Z"));
    let found = admin
        .search_posts(&windvane::text::SearchQuery::parse("急切希望").unwrap(), 10)
        .await
        .unwrap();
    assert_eq!(found.len(), 1, "the edited text is searchable");
    let gone = db.post_gone(id("400")).await.unwrap().unwrap();
    assert_eq!(gone.0, "deleted");
    assert!(gone.2.contains("已被作者删除"), "{gone:?}");
    assert_eq!(db.post_gone(id("150")).await.unwrap(), None);

    let sent = || {
        hook.calls
            .lock()
            .unwrap()
            .iter()
            .map(|c| {
                // A change alert's title names the change (`recheck::change_alerts`).
                let title = c.body["title"].as_str().unwrap_or("");
                let event = match title.split_once(": ") {
                    Some(("Edited", _)) => "edited",
                    Some(("Deleted", _)) => "deleted",
                    _ => "flagged",
                };
                (
                    event.to_string(),
                    c.idempotency_key.clone().unwrap_or_default(),
                )
            })
            .collect::<Vec<_>>()
    };
    let calls = sent();
    let of = |ev: &str| calls.iter().filter(|(e, _)| e == ev).count();
    assert_eq!(
        (of("flagged"), of("edited"), of("deleted")),
        (2, 1, 1),
        "{calls:?}"
    );
    let keys: std::collections::HashSet<_> = calls.iter().map(|(_, k)| k).collect();
    assert_eq!(keys.len(), 4, "one key per alert: {calls:?}");

    // Again: nothing changed, nothing more is queued or sent.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(cluster::run_once(&ctx).await.unwrap(), (1, 0));
    assert_eq!(sent(), calls);
    assert_eq!(
        admin.alert_counts().await.unwrap(),
        vec![("sent".to_string(), 4)]
    );
}

/// A recheck's writes are fenced by its source's lease: an instance whose lease was taken
/// over can neither store a version, nor mark a post deleted, nor queue its alerts; the new
/// holder can, once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_recheck_whose_lease_was_taken_over_writes_nothing() {
    let pg = TempPostgres::start();
    let s: PgStore = pg.store().await;
    s.upsert_source(&source(1, None, Duration::from_secs(1)))
        .await
        .unwrap();
    let first = s
        .claim_due("a", "direct", 1, Duration::from_secs(30))
        .await
        .unwrap();
    s.commit_run(
        &first[0],
        &[super::post("p1".into())],
        super::RunOutcome::Ok,
        None,
    )
    .await
    .unwrap();
    let post_id = s
        .tracked_posts("acct-0001", chrono::DateTime::<Utc>::MIN_UTC)
        .await
        .unwrap()[0]
        .id;
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let stale = s
        .claim_due("a", "direct", 1, Duration::from_millis(300))
        .await
        .unwrap()
        .pop()
        .unwrap();
    tokio::time::sleep(Duration::from_millis(600)).await;
    let live = s
        .claim_due("b", "direct", 1, Duration::from_secs(30))
        .await
        .unwrap()
        .pop()
        .unwrap();
    let alert = ChangeAlert {
        event: windvane::states::AlertEvent::Deleted,
        channel_id: "hook".into(),
        label: "talks".into(),
        score: 0.9,
        idempotency_key: "p1:deleted".into(),
        payload: "{}".into(),
    };
    let detail = Default::default();
    let edit = Edit {
        text: "改过的文字",
        edit_count: 1,
        raw: "{}",
        detail: &detail,
    };
    fn lost<T>(r: Result<T, PgError>) -> bool {
        matches!(r, Err(PgError::LeaseLost { .. }))
    }
    assert!(lost(
        s.mark_gone(
            &stale,
            post_id,
            Gone::Deleted,
            "gone",
            std::slice::from_ref(&alert)
        )
        .await
    ));
    assert!(lost(s.record_edit(&stale, post_id, &edit, &[]).await));
    assert!(lost(s.mark_rechecked(&stale, &[post_id]).await));
    let db = AnyStore::from(s.clone());
    assert_eq!(db.post_gone(post_id).await.unwrap(), None);
    assert!(db.post_versions(post_id).await.unwrap().is_empty());
    assert!(s.alert_counts().await.unwrap().is_empty());

    assert!(s
        .mark_gone(
            &live,
            post_id,
            Gone::Deleted,
            "gone",
            std::slice::from_ref(&alert)
        )
        .await
        .unwrap());
    assert!(!s
        .mark_gone(&live, post_id, Gone::Deleted, "gone", &[alert])
        .await
        .unwrap());
    assert_eq!(
        s.alert_counts().await.unwrap(),
        vec![("pending".to_string(), 1)]
    );
}

/// A post's pictures, counts and edit time are kept on PostgreSQL as SQLite keeps them (the
/// same timeline through one process's pipeline and a cluster run give the same export
/// extras), and the run records how many posts it read.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn posts_keep_pictures_counts_and_edit_times_and_runs_their_fetched_count() {
    let mut rich = card("700", TALKS, hours_ago(1), 2);
    rich["mblog"]["edit_at"] = json!("Wed Jun 16 10:51:10 +0800 2021");
    rich["mblog"]["pics"] = json!([{
        "pid": "p1",
        "url": "https://wx1.sinaimg.cn/orj360/p1.jpg",
        "large": {"size": "large", "url": "https://wx1.sinaimg.cn/large/p1.jpg"}
    }]);
    rich["mblog"]["reposts_count"] = json!(12);
    rich["mblog"]["comments_count"] = json!("100万+");
    rich["mblog"]["attitudes_count"] = json!(3);
    let w = world(&[rich, card("701", "城市公园里的花开了。", hours_ago(2), 0)]).await;
    let (addr, admin) = (w.addr, &w.admin);
    let ctx = w
        .instance("a", "e1", &weibo_source("wb", addr, "every 1h"))
        .await;
    assert_eq!(cluster::run_once(&ctx).await.unwrap(), (1, 0));

    // The same timeline through one process's pipeline, into SQLite.
    let local_dir = tempfile::tempdir().unwrap();
    let path = local_dir.path().join("windvane.toml");
    std::fs::write(
        &path,
        crate::daemon::config_text(
            "metrics_listen = \"off\"",
            "5s",
            &weibo_source("wb", addr, "every 1h"),
        ),
    )
    .unwrap();
    let local = Context::new(Config::load(Some(&path)).unwrap()).unwrap();
    let r = windvane::pipeline::run_source(&local, &local.cfg.sources[0]).await;
    assert!(r.error.is_none(), "{r:?}");

    let extras = |db: AnyStore| async move {
        let posts = db.review_queue(&QueueQuery::default()).await.unwrap();
        let id = posts.iter().find(|p| p.platform_id == "700").unwrap().id;
        db.post_extras(id).await.unwrap().unwrap()
    };
    let on_pg = extras(AnyStore::from(admin.clone())).await;
    let on_sqlite = extras(AnyStore::Local(local.store.clone())).await;
    assert_eq!(on_pg.pics, ["https://wx1.sinaimg.cn/large/p1.jpg"]);
    assert_eq!(
        (
            on_pg.reposts_count,
            on_pg.comments_count,
            on_pg.attitudes_count
        ),
        (Some(12), Some(1_000_000), Some(3))
    );
    assert_eq!(on_pg.edit_at.as_deref(), Some("2021-06-16T02:51:10Z"));
    assert_eq!(on_pg, on_sqlite, "as SQLite keeps them");

    let runs = AnyStore::from(admin.clone()).last_runs().await.unwrap();
    assert_eq!(runs.len(), 1);
    assert_eq!((runs[0].fetched, runs[0].new_posts), (Some(2), 2));
    // Due again (a shortcut past the hourly schedule): both posts read, none new.
    w.pg.client()
        .await
        .execute("UPDATE sources SET next_due = now() WHERE id = 'wb'", &[])
        .await
        .unwrap();
    assert_eq!(cluster::run_once(&ctx).await.unwrap(), (1, 0));
    let runs = AnyStore::from(admin.clone()).last_runs().await.unwrap();
    assert_eq!((runs[0].fetched, runs[0].new_posts), (Some(2), 0));
}

/// A Weibo preview (`isLongText`) whose full text cannot be had when it is first read is
/// stored as a preview and completed by a later run, as in one process: under the source's
/// lease, its full text stored (and searchable), classified again, and the label only the
/// full text carries alerted once; a completion with a lease taken over writes nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stored_preview_is_completed_by_a_later_run() {
    const PREVIEW: &str = "美方通过多种渠道...全文";
    let mut long = card("800", PREVIEW, hours_ago(1), 0);
    long["mblog"]["isLongText"] = json!(true);
    let w = world(&[long]).await;
    let (st, admin) = (&w.weibo, &w.admin);
    let (hook, ctx) = w.recheck_instance().await;
    // First run: extend, show and the detail page have nothing: kept as a preview.
    assert_eq!(cluster::run_once(&ctx).await.unwrap(), (1, 0));
    let text_of = || async {
        let rows =
            w.pg.client()
                .await
                .query(
                    "SELECT text, truncated FROM posts WHERE platform_id = '800'",
                    &[],
                )
                .await
                .unwrap();
        rows.iter()
            .map(|r| (r.get::<_, String>(0), r.get::<_, bool>(1)))
            .collect::<Vec<_>>()
    };
    let first = text_of().await;
    assert_eq!(first.len(), 1);
    assert!(first[0].1, "stored as a preview: {first:?}");
    assert!(
        hook.calls.lock().unwrap().is_empty(),
        "the preview is not flagged"
    );

    // A lease taken over: its completion is refused and writes nothing.
    let stale = windvane::store::pg::Lease {
        source_id: "wb".into(),
        fence: 0,
        owner: "a".into(),
        claimed_at: Utc::now(),
        due_at: Utc::now(),
    };
    let post_id: i64 =
        w.pg.client()
            .await
            .query_one("SELECT id FROM posts WHERE platform_id = '800'", &[])
            .await
            .unwrap()
            .get(0);
    let c = windvane::classify::Classification {
        labels: Vec::new(),
        explanation: String::new(),
        events: Vec::new(),
        version: "test".into(),
    };
    assert!(matches!(
        admin
            .complete_and_reclassify(&stale, post_id, TALKS, &c, &[])
            .await,
        Err(PgError::LeaseLost { .. })
    ));
    assert!(matches!(
        admin.mark_full_text_tried(&stale, post_id).await,
        Err(PgError::LeaseLost { .. })
    ));
    assert_eq!(text_of().await, first);

    // Later statuses/extend has the full text: the next run completes it.
    st.extends.lock().unwrap().insert(
        "800".into(),
        json!({"ok": 1, "data": {"longTextContent": TALKS}}).to_string(),
    );
    let extends_before = st.count("extend 800");
    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert_eq!(cluster::run_once(&ctx).await.unwrap(), (1, 0));
    assert!(st.count("extend 800") > extends_before, "asked again");
    assert_eq!(text_of().await, [(TALKS.to_string(), false)]);
    let found = admin
        .search_posts(&windvane::text::SearchQuery::parse("谈判").unwrap(), 10)
        .await
        .unwrap();
    assert_eq!(found.len(), 1, "the full text is searchable");
    let labels: Vec<String> =
        w.pg.client()
            .await
            .query(
                "SELECT c.classifier_version, l.label FROM classifications c
             JOIN classification_labels l ON l.classification_id = c.id
             WHERE c.post_id = $1",
                &[&post_id],
            )
            .await
            .unwrap()
            .iter()
            .map(|r| format!("{}:{}", r.get::<_, String>(0), r.get::<_, String>(1)))
            .collect();
    assert!(
        labels
            .iter()
            .any(|l| l.ends_with(":talks") && !l.contains("+preview")),
        "the full text is classified: {labels:?}"
    );
    assert_eq!(hook.calls.lock().unwrap().len(), 1, "alerted once");

    // Again: nothing left to complete, nothing more sent.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let extends = st.count("extend 800");
    assert_eq!(cluster::run_once(&ctx).await.unwrap(), (1, 0));
    assert_eq!(st.count("extend 800"), extends);
    assert_eq!(hook.calls.lock().unwrap().len(), 1);
}
