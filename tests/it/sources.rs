//! Sources against real HTTP servers on 127.0.0.1: Weibo paging, cookies and long texts, RSS
//! with conditional GET, HTML list pages with charsets, redirects and layout changes, and
//! every failure mode with its recorded outcome.

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use windvane::config::Config;
use windvane::pipeline::{run_source, Context, SourceReport};
use windvane::store::FetchRun;

use crate::common::*;

const UID: &str = "6279793937";
const FAST: &str = r#"min_interval_per_host = "1ms"
retries = 1
retry_backoff = "10ms"
timeout = "2s"
jitter = "0s"
"#;

fn context(dir: &Path, fetch: &str, sources: &str) -> Context {
    let text = format!(
        "[store]\npath = \"w.db\"\n\n[fetch]\n{fetch}\n\n{sources}\n[[alerts]]\nid = \"log\"\nkind = \"log\"\n"
    );
    let cfg =
        Config::from_toml_str(&text, Some(&dir.join("w.toml"))).unwrap_or_else(|e| panic!("{e}"));
    Context::new(cfg).unwrap()
}

fn weibo_source(addr: std::net::SocketAddr, extra: &str) -> String {
    format!(
        "[[sources]]\nid = \"wb\"\nkind = \"weibo\"\nuid = \"{UID}\"\nschedule = \"every 1h\"\napi_base = \"http://{addr}\"\npassport_base = \"http://{addr}\"\n{extra}\n"
    )
}

async fn run(ctx: &Context) -> SourceReport {
    let src = ctx.cfg.sources[0].clone();
    run_source(ctx, &src).await
}

fn runs(ctx: &Context) -> Vec<FetchRun> {
    ctx.store.fetch_runs(&ctx.cfg.sources[0].id).unwrap()
}

fn kinds(ctx: &Context) -> Vec<String> {
    runs(ctx)
        .iter()
        .map(|r| r.error.as_ref().map_or("ok".to_string(), |e| e.0.clone()))
        .collect()
}

fn count(ctx: &Context, sql: &str) -> i64 {
    rusqlite::Connection::open(ctx.store.path())
        .unwrap()
        .query_row(sql, [], |r| r.get(0))
        .unwrap()
}

fn state(ctx: &Context) -> String {
    runs(ctx)
        .last()
        .map(|r| r.state.to_string())
        .unwrap_or_default()
}

fn json_without_cards_except(body: &str, keep: &[&str], since_id: &str) -> String {
    let mut v: serde_json::Value = serde_json::from_str(body).unwrap();
    let cards = v["data"]["cards"].as_array().unwrap().clone();
    let kept: Vec<_> = cards
        .into_iter()
        .filter(|c| {
            c["mblog"]["mid"]
                .as_str()
                .is_some_and(|m| keep.contains(&m))
        })
        .collect();
    v["data"]["cards"] = serde_json::Value::Array(kept);
    v["data"]["cardlistInfo"]["since_id"] = serde_json::json!(since_id.parse::<u64>().unwrap());
    v.to_string()
}

// ---------------------------------------------------------------------------------------------
// Weibo

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn weibo_backfills_then_stops_at_the_newest_stored_post_ignoring_pinned() {
    let st = Arc::new(WeiboState::default());
    let cid = format!("107603{UID}");
    let ak0 = read_fixture("weibo/weibo_ak_list_0.json");
    let ak1 = read_fixture("weibo/weibo_ak_list_1.json");
    // First run: page 1 = ak_list_0 (since_id 4646131823281332), page 2 = ys_list_0 (no since_id).
    st.timelines
        .lock()
        .unwrap()
        .insert(cid.clone(), ak0.clone());
    st.pages.lock().unwrap().insert(
        format!("{cid}@4646131823281332"),
        read_fixture("weibo/weibo_ys_list_0.json"),
    );
    let addr = weibo_server(st.clone()).await;
    let dir = tempfile::tempdir().unwrap();
    let ctx = context(dir.path(), FAST, &weibo_source(addr, "backfill_pages = 3"));

    let r = run(&ctx).await;
    assert_eq!(r.error, None);
    assert_eq!(st.count("getIndex"), 2, "backfill read both pages");
    assert_eq!(r.new_posts, 21, "10 + 11 posts");
    assert_eq!(count(&ctx, "SELECT count(*) FROM posts"), 21);

    // Second run: page 1 has only the (stored) pinned post and one new post, then points at a
    // page of stored posts. The pinned post must not stop paging; the stored page must.
    let page1 = json_without_cards_except(
        &ak1,
        &["4645748019299849", "4649106427873349"],
        "4646131823281332",
    );
    st.timelines.lock().unwrap().insert(cid.clone(), page1);
    st.pages
        .lock()
        .unwrap()
        .insert(format!("{cid}@4646131823281332"), ak0.clone());
    let r = run(&ctx).await;
    assert_eq!(r.error, None);
    assert_eq!(
        st.count("getIndex"),
        4,
        "second run read two pages, not three"
    );
    assert_eq!(r.new_posts, 1);
    assert_eq!(
        count(
            &ctx,
            "SELECT count(*) FROM posts WHERE platform_id = '4649106427873349'"
        ),
        1
    );

    // Third run: page 1 = ak_list_1 (all stored but nothing new on top) → one request only.
    st.timelines.lock().unwrap().insert(cid, ak1);
    let r = run(&ctx).await;
    assert_eq!((r.error, r.new_posts), (None, 0));
    assert_eq!(st.count("getIndex"), 5);
    assert_eq!(kinds(&ctx), ["ok", "ok", "ok"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn weibo_long_text_extend_then_show_then_a_later_pass() {
    let st = Arc::new(WeiboState::default());
    st.timelines.lock().unwrap().insert(
        format!("107603{UID}"),
        read_fixture("weibo/weibo_ak_list_0.json"),
    );
    // 4645748019299849: extend works. 4649031014551911: extend empty, show has the full text.
    // The other four long posts: both fail → kept truncated.
    st.extends.lock().unwrap().insert(
        "4645748019299849".into(),
        read_fixture("weibo/weibo_detail_4645748019299849.json"),
    );
    st.shows.lock().unwrap().insert(
        "4649031014551911".into(),
        r#"{"ok":1,"data":{"text":"完整正文：来自 statuses/show 的全文<br />第二行"}}"#.into(),
    );
    let addr = weibo_server(st.clone()).await;
    let dir = tempfile::tempdir().unwrap();
    let ctx = context(dir.path(), FAST, &weibo_source(addr, "backfill_pages = 1"));
    let r = run(&ctx).await;
    assert_eq!(r.error, None);
    assert_eq!(r.new_posts, 10);
    assert_eq!(
        count(&ctx, "SELECT count(*) FROM posts WHERE truncated = 1"),
        4
    );
    assert_eq!(
        ctx.store
            .post_text("wb", "4649031014551911")
            .unwrap()
            .unwrap(),
        "完整正文：来自 statuses/show 的全文\n第二行"
    );
    assert!(!ctx
        .store
        .post_text("wb", "4645748019299849")
        .unwrap()
        .unwrap()
        .contains("全文"));
    assert_eq!(
        st.count("show"),
        5,
        "show tried for the 5 posts extend failed"
    );

    // A later pass: extend now answers for one of the four.
    let truncated: String = rusqlite::Connection::open(ctx.store.path())
        .unwrap()
        .query_row(
            "SELECT platform_id FROM posts WHERE truncated = 1 ORDER BY created_at DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    st.extends.lock().unwrap().insert(
        truncated.clone(),
        r#"{"ok":1,"data":{"ok":1,"longTextContent":"后来补全的长文"}}"#.into(),
    );
    let r = run(&ctx).await;
    assert_eq!((r.error, r.new_posts), (None, 0));
    assert_eq!(r.long_texts_completed, 1);
    assert_eq!(
        ctx.store.post_text("wb", &truncated).unwrap().unwrap(),
        "后来补全的长文"
    );
    assert_eq!(
        count(&ctx, "SELECT count(*) FROM posts WHERE truncated = 1"),
        3
    );
}

/// A refusal on the long-text path is a refusal like any other: the visitor cookie is renewed
/// and the request made again, rather than the preview kept as if there were no long text.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_long_text_request_renews_the_visitor_cookie() {
    let st = Arc::new(WeiboState::default());
    st.timelines.lock().unwrap().insert(
        format!("107603{UID}"),
        read_fixture("weibo/weibo_ak_list_0.json"),
    );
    st.extends.lock().unwrap().insert(
        "4645748019299849".into(),
        read_fixture("weibo/weibo_detail_4645748019299849.json"),
    );
    *st.visitor.lock().unwrap() = ("_2AkMvisitor".into(), "0033WrSX".into());
    *st.long_text_cookie.lock().unwrap() = Some("SUB=_2AkMvisitor; SUBP=0033WrSX".into());
    let addr = weibo_server(st.clone()).await;
    let dir = tempfile::tempdir().unwrap();
    let ctx = context(dir.path(), FAST, &weibo_source(addr, "backfill_pages = 1"));
    let r = run(&ctx).await;
    assert_eq!((r.error.as_deref(), r.new_posts), (None, 10));
    assert_eq!(
        *st.passport_calls.lock().unwrap(),
        1,
        "one renewal, then reused"
    );
    assert!(!ctx
        .store
        .post_text("wb", "4645748019299849")
        .unwrap()
        .unwrap()
        .contains("全文"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn http_432_renews_the_visitor_cookie_once_and_reuses_it() {
    let st = Arc::new(WeiboState::default());
    st.timelines.lock().unwrap().insert(
        format!("107603{UID}"),
        read_fixture("weibo/weibo_ak_list_0.json"),
    );
    *st.visitor.lock().unwrap() = ("_2AkMvisitor".into(), "0033WrSX".into());
    *st.require_cookie.lock().unwrap() = Some("SUB=_2AkMvisitor; SUBP=0033WrSX".into());
    let addr = weibo_server(st.clone()).await;
    let dir = tempfile::tempdir().unwrap();
    let ctx = context(dir.path(), FAST, &weibo_source(addr, "backfill_pages = 1"));
    let r = run(&ctx).await;
    assert_eq!(r.error, None);
    assert_eq!(r.new_posts, 10);
    assert_eq!(*st.passport_calls.lock().unwrap(), 1);
    // The first request (the profile, resolving the container) met the 432.
    assert_eq!(st.count("profile"), 2, "432, then success with the cookie");
    assert_eq!(
        st.count("getIndex"),
        1,
        "the timeline was asked with the cookie"
    );
    assert_eq!(state(&ctx), "ok");
    // The next run sends the cached cookie at once: no 432, no passport call, and the
    // resolved account comes from the database.
    let r = run(&ctx).await;
    assert_eq!(r.error, None);
    assert_eq!(*st.passport_calls.lock().unwrap(), 1);
    assert_eq!((st.count("profile"), st.count("getIndex")), (2, 2));
    assert_eq!(
        st.cookies_seen
            .lock()
            .unwrap()
            .last()
            .cloned()
            .flatten()
            .as_deref(),
        Some("SUB=_2AkMvisitor; SUBP=0033WrSX")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ok_minus_100_renews_then_needs_cookie_and_respects_the_cooldown() {
    let st = Arc::new(WeiboState::default());
    *st.refuse_with_ok_minus_100.lock().unwrap() = true;
    *st.require_cookie.lock().unwrap() = Some("SUB=a-cookie-weibo-never-accepts".into());
    *st.visitor.lock().unwrap() = ("_2AkMrejected".into(), "x".into());
    let addr = weibo_server(st.clone()).await;
    let dir = tempfile::tempdir().unwrap();
    let ctx = context(dir.path(), FAST, &weibo_source(addr, ""));
    let r = run(&ctx).await;
    assert!(r.error.as_deref().unwrap().contains("ok:-100"), "{r:?}");
    assert_eq!(*st.passport_calls.lock().unwrap(), 1);
    // The profile request (resolving the container) was refused twice; no timeline asked.
    assert_eq!((st.count("profile"), st.count("getIndex")), (2, 0));
    assert_eq!(kinds(&ctx), ["blocked"]);
    assert_eq!(state(&ctx), "needs-cookie");
    // Right after: the cooldown (5m default) forbids another renewal.
    let r = run(&ctx).await;
    assert!(r.error.as_deref().unwrap().contains("allowed in"), "{r:?}");
    assert_eq!(*st.passport_calls.lock().unwrap(), 1, "no second renewal");
    assert_eq!(state(&ctx), "needs-cookie");
    assert_eq!(count(&ctx, "SELECT count(*) FROM posts"), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rejected_login_cookie_means_needs_cookie_and_is_never_shown() {
    let st = Arc::new(WeiboState::default());
    *st.require_cookie.lock().unwrap() = Some("SUB=something-else".into());
    let addr = weibo_server(st.clone()).await;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("cookie.txt"),
        "SUB=top-secret-login-cookie\n",
    )
    .unwrap();
    let ctx = context(
        dir.path(),
        FAST,
        &weibo_source(addr, "cookie_file = \"cookie.txt\""),
    );
    let r = run(&ctx).await;
    let err = r.error.unwrap();
    assert!(err.contains("HTTP 432"), "{err}");
    assert!(!err.contains("top-secret"), "cookie leaked: {err}");
    assert_eq!(kinds(&ctx), ["cookie-rejected"]);
    assert_eq!(state(&ctx), "needs-cookie");
    assert_eq!(
        *st.passport_calls.lock().unwrap(),
        0,
        "a login cookie is never replaced"
    );
    assert_eq!(
        st.cookies_seen.lock().unwrap().as_slice(),
        [Some("SUB=top-secret-login-cookie".to_string())]
    );
    let stored: String = rusqlite::Connection::open(ctx.store.path())
        .unwrap()
        .query_row("SELECT group_concat(error) FROM fetch_runs", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert!(!stored.contains("top-secret"));
    assert!(!format!("{:?}", ctx.cfg).contains("top-secret"));
}

const AK_NAME: &str = "明日方舟Arknights";

fn account(ctx: &Context) -> Option<windvane::store::WeiboAccount> {
    ctx.store.weibo_account("wb").unwrap()
}

fn screen_name_source(addr: std::net::SocketAddr, name: &str) -> String {
    format!(
        "[[sources]]\nid = \"wb\"\nkind = \"weibo\"\nscreen_name = \"{name}\"\nschedule = \"every 1h\"\napi_base = \"http://{addr}\"\npassport_base = \"http://{addr}\"\nbackfill_pages = 1\n"
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_screen_name_is_resolved_once_cached_and_resolved_again_when_it_stops_working() {
    let st = Arc::new(WeiboState::default());
    st.names.lock().unwrap().insert(AK_NAME.into(), UID.into());
    let profile = read_fixture("weibo/weibo_ak_profile.json");
    st.profiles
        .lock()
        .unwrap()
        .insert(UID.into(), profile.clone());
    // The real profile's "微博" tab is 1076036279793937.
    st.timelines.lock().unwrap().insert(
        "1076036279793937".into(),
        read_fixture("weibo/weibo_ak_list_0.json"),
    );
    let addr = weibo_server(st.clone()).await;
    let dir = tempfile::tempdir().unwrap();
    let ctx = context(dir.path(), FAST, &screen_name_source(addr, AK_NAME));
    let r = run(&ctx).await;
    assert_eq!((r.error.as_deref(), r.new_posts), (None, 10));
    let requests = |prefix: &str| st.count(prefix);
    assert_eq!(
        (requests("name"), requests("profile"), requests("getIndex")),
        (1, 1, 1)
    );
    let a = account(&ctx).unwrap();
    assert_eq!(
        (
            a.uid.as_str(),
            a.containerid.as_str(),
            a.container_from.as_str()
        ),
        (UID, "1076036279793937", "tabsInfo")
    );
    assert_eq!(a.screen_name.as_deref(), Some(AK_NAME));
    assert_eq!(a.configured, format!("screen_name:{AK_NAME}"));

    // Second run: from the database, no lookup.
    let r = run(&ctx).await;
    assert_eq!((r.error.as_deref(), r.new_posts), (None, 0));
    assert_eq!(
        (requests("name"), requests("profile"), requests("getIndex")),
        (1, 1, 2)
    );

    // The container stops answering (ok:0) and the profile now names another one: the next
    // run resolves again and reads the new container at once.
    st.timelines.lock().unwrap().remove("1076036279793937");
    st.timelines.lock().unwrap().insert(
        format!("230413{UID}"),
        read_fixture("weibo/weibo_ak_list_1.json"),
    );
    st.profiles.lock().unwrap().insert(
        UID.into(),
        profile.replace("\"1076036279793937\"", &format!("\"230413{UID}\"")),
    );
    let r = run(&ctx).await;
    assert_eq!((r.error.as_deref(), r.new_posts), (None, 1), "{r:?}");
    assert_eq!(
        (requests("name"), requests("profile"), requests("getIndex")),
        (2, 2, 4)
    );
    assert_eq!(account(&ctx).unwrap().containerid, format!("230413{UID}"));
    assert_eq!(kinds(&ctx), ["ok", "ok", "ok"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_uid_without_tabs_info_uses_107603_and_an_unknown_screen_name_is_a_visible_failure() {
    // A uid whose profile answers ok:0: the default container, cached as such.
    let st = Arc::new(WeiboState::default());
    st.timelines.lock().unwrap().insert(
        format!("107603{UID}"),
        read_fixture("weibo/weibo_ak_list_0.json"),
    );
    let addr = weibo_server(st.clone()).await;
    let dir = tempfile::tempdir().unwrap();
    let ctx = context(dir.path(), FAST, &weibo_source(addr, "backfill_pages = 1"));
    let r = run(&ctx).await;
    assert_eq!((r.error.as_deref(), r.new_posts), (None, 10));
    let a = account(&ctx).unwrap();
    assert_eq!(
        (a.containerid, a.container_from),
        (format!("107603{UID}"), "default".to_string())
    );
    assert_eq!((st.count("profile"), st.count("getIndex")), (1, 1));

    // A screen name Weibo does not know: a recorded, visible failure naming it.
    let dir = tempfile::tempdir().unwrap();
    let ctx = context(dir.path(), FAST, &screen_name_source(addr, "没有这个人"));
    let r = run(&ctx).await;
    let err = r.error.unwrap();
    assert!(
        err.contains("cannot resolve the Weibo screen name `没有这个人`"),
        "{err}"
    );
    assert_eq!(kinds(&ctx), ["account-unresolved"]);
    assert_eq!(state(&ctx), "failing");
    assert_eq!(account(&ctx), None);
    assert_eq!(st.count("getIndex"), 1, "no timeline without a uid");
}

/// A `detail/{mid}` page as m.weibo.cn serves it, around an mblog.
fn detail_page(mblog: &serde_json::Value) -> String {
    let render = serde_json::json!([{"status": mblog, "call": "1"}]);
    format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>微博</title></head><body><div id=\"app\"></div><script>\nvar $render_data = {render}[0] || {{}};\nvar __wb_performance_data = {{v: \"v8\"}};\n</script></body></html>"
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn long_text_falls_back_to_the_detail_page_after_extend_and_show() {
    let st = Arc::new(WeiboState::default());
    st.timelines.lock().unwrap().insert(
        format!("107603{UID}"),
        read_fixture("weibo/weibo_ak_list_0.json"),
    );
    // 4649031014551911: extend answers empty, show refuses (403), the detail page has the
    // post, its text being the real long text (from the captured extend answer).
    let long: serde_json::Value =
        serde_json::from_str(&read_fixture("weibo/weibo_detail_4649031014551911.json")).unwrap();
    let full_html = long["data"]["longTextContent"].as_str().unwrap();
    let mblog = serde_json::json!({"id": "4649031014551911", "mid": "4649031014551911",
        "isLongText": false, "text": full_html, "created_at": "Thu Jun 17 11:00:31 +0800 2021"});
    st.details
        .lock()
        .unwrap()
        .insert("4649031014551911".into(), detail_page(&mblog));
    let addr = weibo_server(st.clone()).await;
    let dir = tempfile::tempdir().unwrap();
    let ctx = context(dir.path(), FAST, &weibo_source(addr, "backfill_pages = 1"));
    let r = run(&ctx).await;
    assert_eq!((r.error.as_deref(), r.new_posts), (None, 10));
    let text = ctx
        .store
        .post_text("wb", "4649031014551911")
        .unwrap()
        .unwrap();
    assert_eq!(
        text,
        read_fixture("weibo/expected/4649031014551911.txt"),
        "the detail page's full text"
    );
    assert!(text.contains("06月17日16:00闪断更新公告") && !text.contains("全文"));
    // Every long post went extend → show → detail; the other five stay previews.
    assert_eq!(
        (st.count("extend"), st.count("show"), st.count("detail")),
        (6, 6, 6)
    );
    assert_eq!(
        count(&ctx, "SELECT count(*) FROM posts WHERE truncated = 1"),
        5
    );
    // Edit time, pictures and counts are stored beside the text.
    let (edit_at, edit_raw, reposts, pics): (String, String, i64, String) =
        rusqlite::Connection::open(ctx.store.path())
            .unwrap()
            .query_row(
                "SELECT edit_at, edit_at_raw, reposts_count, pics FROM posts WHERE platform_id = '4645748019299849'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .unwrap();
    assert_eq!(
        (edit_at.as_str(), edit_raw.as_str(), reposts, pics.as_str()),
        (
            "2021-06-16T02:51:10Z",
            "Wed Jun 16 10:51:10 +0800 2021",
            9079,
            "[]"
        )
    );
    assert_eq!(
        count(
            &ctx,
            "SELECT json_array_length(pics) FROM posts WHERE platform_id = '4646917039199914'"
        ),
        4
    );
    assert_eq!(
        count(
            &ctx,
            "SELECT count(*) FROM posts WHERE attitudes_count IS NULL OR comments_count IS NULL"
        ),
        0
    );
}

/// The real trade post of mixed_trade_getindex.json (4338185154550112), served as a long post
/// whose preview stops before any trade term, beside the three short posts of that page:
/// `(timeline, the post's real mblog)`.
fn trade_post_as_a_preview() -> (String, serde_json::Value) {
    let mut v: serde_json::Value =
        serde_json::from_str(&read_fixture("weibo/mixed_trade_getindex.json")).unwrap();
    let cards = v["data"]["cards"].as_array_mut().unwrap();
    // Only the short posts beside it, so the retry of this one preview is the whole story.
    cards.retain(|c| c["mblog"]["isLongText"] != true);
    let card = cards
        .iter_mut()
        .find(|c| c["mblog"]["mid"] == "4338185154550112")
        .unwrap();
    let real = card["mblog"].clone();
    card["mblog"]["isLongText"] = true.into();
    card["mblog"]["text"] =
        "中国商务部网站9日消息 ...<a href=\"/status/4338185154550112\">全文</a>".into();
    (v.to_string(), real)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_long_text_completed_on_a_later_pass_is_reclassified_and_alerts_once() {
    let st = Arc::new(WeiboState::default());
    let (timeline, real) = trade_post_as_a_preview();
    st.timelines
        .lock()
        .unwrap()
        .insert(format!("107603{UID}"), timeline);
    let addr = weibo_server(st.clone()).await;
    let dir = tempfile::tempdir().unwrap();
    let ctx = context(dir.path(), FAST, &weibo_source(addr, "backfill_pages = 1"));
    let labels = |ctx: &Context| -> String {
        rusqlite::Connection::open(ctx.store.path())
            .unwrap()
            .query_row(
                "SELECT coalesce(group_concat(l.label), '') FROM posts p
                 JOIN classifications c ON c.post_id = p.id
                 AND c.id = (SELECT max(id) FROM classifications WHERE post_id = p.id)
                 LEFT JOIN classification_labels l ON l.classification_id = c.id
                 WHERE p.platform_id = '4338185154550112'",
                [],
                |r| r.get(0),
            )
            .unwrap()
    };
    // Pass 1: every full-text endpoint fails; the preview is stored, marked, not flagged.
    let r = run(&ctx).await;
    assert_eq!((r.error.as_deref(), r.new_posts), (None, 4));
    assert_eq!(
        count(
            &ctx,
            "SELECT truncated FROM posts WHERE platform_id = '4338185154550112'"
        ),
        1
    );
    assert_eq!(labels(&ctx), "");
    assert_eq!(count(&ctx, "SELECT count(*) FROM alerts"), 0);

    // Pass 2: the detail page answers now; the completed text is classified again.
    st.details
        .lock()
        .unwrap()
        .insert("4338185154550112".into(), detail_page(&real));
    let r = run(&ctx).await;
    assert_eq!((r.error.as_deref(), r.new_posts), (None, 0));
    assert_eq!(r.long_texts_completed, 1);
    assert_eq!((r.flagged, r.alerts_queued), (1, 1), "{r:?}");
    let text = ctx
        .store
        .post_text("wb", "4338185154550112")
        .unwrap()
        .unwrap();
    assert!(
        text.starts_with("【美中经贸高级别磋商将于本月14至15日举行】"),
        "{text}"
    );
    assert!(labels(&ctx).contains("talks"), "{}", labels(&ctx));
    assert_eq!(
        count(&ctx, "SELECT count(*) FROM alerts WHERE label = 'talks'"),
        1
    );
    // The preview's classification is kept beside the new one; the search index has the new text.
    assert_eq!(
        count(&ctx, "SELECT count(*) FROM classifications c JOIN posts p ON p.id = c.post_id WHERE p.platform_id = '4338185154550112'"),
        2
    );
    assert_eq!(
        count(
            &ctx,
            "SELECT count(*) FROM classifications WHERE classifier_version LIKE '%+preview'"
        ),
        1
    );
    assert_eq!(
        count(&ctx, "SELECT count(*) FROM posts_fts WHERE rowid = (SELECT id FROM posts WHERE platform_id = '4338185154550112')"),
        1
    );
    // Pass 3: nothing left to complete for it, nothing alerted again.
    let detail_requests = st.count("detail 4338185154550112");
    let r = run(&ctx).await;
    assert_eq!((r.error.as_deref(), r.long_texts_completed), (None, 0));
    assert_eq!(st.count("detail 4338185154550112"), detail_requests);
    assert_eq!(count(&ctx, "SELECT count(*) FROM alerts"), 1);
}

// ---------------------------------------------------------------------------------------------
// Failure modes on a scripted server

/// What a profile request (getIndex without a container) gets from the scripted servers:
/// the real "no content" answer, so the source uses the default container 107603{uid}.
const NO_PROFILE: &str = r#"{"ok":0,"msg":"这里还没有内容","data":{"cards":[]}}"#;

fn is_timeline(q: &axum::extract::RawQuery) -> bool {
    q.0.as_deref().is_some_and(|q| q.contains("containerid="))
}

/// A server whose getIndex timeline answers come from `answer(n)` for the n-th timeline
/// request (0-based); profile requests get `NO_PROFILE` and are not counted.
async fn scripted<F>(answer: F) -> (std::net::SocketAddr, Arc<AtomicUsize>)
where
    F: Fn(usize) -> Response + Clone + Send + Sync + 'static,
{
    let hits = Arc::new(AtomicUsize::new(0));
    let h = hits.clone();
    let app = Router::new().route(
        "/api/container/getIndex",
        get(move |q: axum::extract::RawQuery| {
            let answer = answer.clone();
            let timeline = is_timeline(&q);
            let n = if timeline {
                h.fetch_add(1, Ordering::SeqCst)
            } else {
                0
            };
            async move {
                if timeline {
                    answer(n)
                } else {
                    json(NO_PROFILE.into())
                }
            }
        }),
    );
    (serve(app).await, hits)
}

fn json(body: String) -> Response {
    ([("content-type", "application/json")], body).into_response()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn http_418_then_success() {
    let body = read_fixture("weibo/weibo_ak_list_0.json");
    let (addr, hits) = scripted(move |n| {
        if n == 0 {
            StatusCode::IM_A_TEAPOT.into_response()
        } else {
            json(body.clone())
        }
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let ctx = context(dir.path(), FAST, &weibo_source(addr, "backfill_pages = 1"));
    let r = run(&ctx).await;
    assert_eq!(r.error, None);
    assert_eq!(hits.load(Ordering::SeqCst), 2, "418 retried once");
    assert_eq!(r.new_posts, 10);
    assert_eq!(kinds(&ctx), ["ok"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn truncated_json_is_a_recorded_parse_failure() {
    let (addr, hits) =
        scripted(|_| json(r#"{"ok":1,"data":{"cards":[{"card_type":9,"mblog":{"mid":"1"#.into()))
            .await;
    let dir = tempfile::tempdir().unwrap();
    let ctx = context(dir.path(), FAST, &weibo_source(addr, ""));
    let r = run(&ctx).await;
    assert!(r.error.unwrap().contains("not JSON"));
    assert_eq!(hits.load(Ordering::SeqCst), 1, "a bad body is not retried");
    assert_eq!(kinds(&ctx), ["parse"]);
    assert_eq!(state(&ctx), "failing");
    assert_eq!(count(&ctx, "SELECT count(*) FROM posts"), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_endless_body_is_cut_at_the_cap() {
    let (addr, _) = scripted(|_| {
        let chunk = bytes_chunk();
        let stream = futures::stream::repeat_with(move || Ok::<_, std::io::Error>(chunk.clone()));
        Response::new(Body::from_stream(stream))
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let fetch = format!("{FAST}max_body_bytes = 65536\n");
    let ctx = context(dir.path(), &fetch, &weibo_source(addr, ""));
    // A generous deadline: without the cap the run would read for ever.
    let r = tokio::time::timeout(Duration::from_secs(60), run(&ctx))
        .await
        .expect("the run stops at the cap");
    assert!(r.error.unwrap().contains("65536"));
    assert_eq!(kinds(&ctx), ["too-large"]);
    assert_eq!(state(&ctx), "failing");
}

fn bytes_chunk() -> axum::body::Bytes {
    axum::body::Bytes::from(vec![b' '; 8192])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_server_times_out_and_is_retried_once() {
    let hits = Arc::new(AtomicUsize::new(0));
    let h = hits.clone();
    let app = Router::new().route(
        "/api/container/getIndex",
        get(move |q: axum::extract::RawQuery| {
            let timeline = is_timeline(&q);
            if timeline {
                h.fetch_add(1, Ordering::SeqCst);
            }
            async move {
                if !timeline {
                    return json(NO_PROFILE.into());
                }
                tokio::time::sleep(Duration::from_secs(3)).await;
                json("{}".into())
            }
        }),
    );
    let addr = serve(app).await;
    let dir = tempfile::tempdir().unwrap();
    let fetch = FAST.replace("timeout = \"2s\"", "timeout = \"300ms\"");
    let ctx = context(dir.path(), &fetch, &weibo_source(addr, ""));
    // The server answers after 3 s; the client gives up at 300 ms (twice): had it waited, the
    // error would be the answer's (unreadable `{}`), not a timeout.
    let r = tokio::time::timeout(Duration::from_secs(60), run(&ctx))
        .await
        .expect("the run ends");
    assert!(r.error.unwrap().contains("timed out"));
    assert_eq!(hits.load(Ordering::SeqCst), 2);
    assert_eq!(kinds(&ctx), ["timeout"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_circuit_breaker_skips_a_failing_source_until_the_cooldown() {
    let (addr, hits) = scripted(|_| StatusCode::BAD_GATEWAY.into_response()).await;
    let dir = tempfile::tempdir().unwrap();
    let fetch = FAST.replace("retries = 1", "retries = 0")
        + "breaker_threshold = 2\nbreaker_cooldown = \"1h\"\n";
    let ctx = context(dir.path(), &fetch, &weibo_source(addr, ""));
    for _ in 0..3 {
        run(&ctx).await;
    }
    assert_eq!(
        hits.load(Ordering::SeqCst),
        2,
        "the third run made no request"
    );
    assert_eq!(kinds(&ctx), ["http-5xx", "http-5xx", "circuit-open"]);
    assert_eq!(state(&ctx), "failing");
    let r = run(&ctx).await;
    assert!(
        r.skipped
            && r.error
                .unwrap()
                .contains("circuit open after 2 failed runs")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_418_and_432_storm_backs_off_opens_the_breaker_and_shows_in_status() {
    // One host answers every timeline request 418 ("too fast"); request times are kept.
    let times = Arc::new(Mutex::new(Vec::<Instant>::new()));
    let t = times.clone();
    let (teapot, hits) = scripted(move |_| {
        t.lock().unwrap().push(Instant::now());
        StatusCode::IM_A_TEAPOT.into_response()
    })
    .await;
    // Another answers 432 to every cookie, the fresh visitor cookie included.
    let st = Arc::new(WeiboState::default());
    *st.require_cookie.lock().unwrap() = Some("SUB=nothing-weibo-hands-out".into());
    *st.visitor.lock().unwrap() = ("_2AkMstorm".into(), "x".into());
    let blocked = weibo_server(st.clone()).await;
    let dir = tempfile::tempdir().unwrap();
    let source = |id: &str, addr: std::net::SocketAddr| {
        format!(
            "[[sources]]\nid = \"{id}\"\nkind = \"weibo\"\nuid = \"{UID}\"\nschedule = \"every 1h\"\napi_base = \"http://{addr}\"\npassport_base = \"http://{addr}\"\n"
        )
    };
    let text = format!(
        "[store]\npath = \"w.db\"\n\n[fetch]\nmin_interval_per_host = \"1ms\"\nretries = 3\nretry_backoff = \"100ms\"\ntimeout = \"2s\"\njitter = \"0s\"\nbreaker_threshold = 3\nbreaker_cooldown = \"1h\"\n\n{}\n{}\n[[alerts]]\nid = \"log\"\nkind = \"log\"\n",
        source("teapot", teapot),
        source("blocked", blocked)
    );
    let path = dir.path().join("w.toml");
    std::fs::write(&path, &text).unwrap();
    let ctx = Context::new(Config::load(Some(&path)).unwrap()).unwrap();
    for _ in 0..4 {
        for src in ctx.cfg.sources.clone() {
            run_source(&ctx, &src).await;
        }
    }
    let kinds_of = |id: &str| -> Vec<String> {
        ctx.store
            .fetch_runs(id)
            .unwrap()
            .iter()
            .map(|r| r.error.as_ref().map_or("ok".into(), |e| e.0.clone()))
            .collect()
    };
    // 418: four tries a run (retries = 3), backoff doubling between them; three failed runs
    // open the breaker and the fourth run sends nothing.
    assert_eq!(hits.load(Ordering::SeqCst), 12);
    assert_eq!(
        kinds_of("teapot"),
        ["http-418", "http-418", "http-418", "circuit-open"]
    );
    let times = times.lock().unwrap().clone();
    let gaps: Vec<Duration> = times[..4].windows(2).map(|w| w[1] - w[0]).collect();
    assert!(
        gaps[0] >= Duration::from_millis(100)
            && gaps[1] > gaps[0]
            && gaps[2] > gaps[1]
            && gaps[2] >= Duration::from_millis(400),
        "backoff grows: {gaps:?}"
    );
    eprintln!("418 storm: gaps between the four tries of run 1: {gaps:?}");
    // 432: one visitor renewal, then the cooldown forbids more; needs-cookie all along, and
    // the breaker opens on it too.
    assert_eq!(*st.passport_calls.lock().unwrap(), 1);
    assert_eq!((st.count("profile"), st.count("getIndex")), (4, 0));
    assert_eq!(
        kinds_of("blocked"),
        ["blocked", "blocked", "blocked", "circuit-open"]
    );
    // `windvane status` (the real binary, reading the database) shows both.
    let out = tokio::task::spawn_blocking(move || {
        assert_cmd::Command::cargo_bin("windvane")
            .unwrap()
            .arg("--config")
            .arg(&path)
            .arg("status")
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    let line = |id: &str| {
        stdout
            .lines()
            .find(|l| l.starts_with(id))
            .unwrap_or_else(|| panic!("no {id} in {stdout}"))
            .to_string()
    };
    let teapot_line = line("teapot");
    assert!(
        teapot_line.contains("failing") && teapot_line.contains("circuit open after 3 failed runs"),
        "{teapot_line}"
    );
    let blocked_line = line("blocked");
    assert!(
        blocked_line.contains("needs-cookie")
            && blocked_line.contains("circuit open after 3 failed runs"),
        "{blocked_line}"
    );
    assert!(stdout.contains("needs a cookie: blocked"), "{stdout}");
}

// ---------------------------------------------------------------------------------------------
// RSS

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rss_feed_with_conditional_get() {
    let feed = read_fixture("rss/rsshub_weibo_user_1935396210_demo.xml");
    let conditional = Arc::new(Mutex::new(Vec::<Option<String>>::new()));
    let c = conditional.clone();
    let app = Router::new().route(
        "/weibo/user/1935396210",
        get(move |headers: HeaderMap| {
            let inm = headers
                .get("if-none-match")
                .and_then(|v| v.to_str().ok())
                .map(str::to_string);
            c.lock().unwrap().push(inm.clone());
            let feed = feed.clone();
            async move {
                if inm.as_deref() == Some("\"v1\"") {
                    return StatusCode::NOT_MODIFIED.into_response();
                }
                (
                    [("content-type", "application/rss+xml"), ("etag", "\"v1\"")],
                    feed,
                )
                    .into_response()
            }
        }),
    );
    let addr = serve(app).await;
    let dir = tempfile::tempdir().unwrap();
    let src = format!(
        "[[sources]]\nid = \"jump\"\nkind = \"rss\"\nurl = \"http://{addr}/weibo/user/1935396210\"\nschedule = \"every 1h\"\n"
    );
    let ctx = context(dir.path(), FAST, &src);
    let r = run(&ctx).await;
    assert_eq!(r.error, None);
    assert_eq!(r.new_posts, 2);
    let text = ctx
        .store
        .post_text("jump", "https://weibo.com/1935396210/PzxMFDdIO")
        .unwrap()
        .unwrap();
    assert!(
        text.starts_with("『致不灭的你』动画第三季「现世篇」视觉图公开！"),
        "{text}"
    );
    assert!(
        text.contains("#致不灭的你#") && !text.contains('<'),
        "{text}"
    );
    let (author, created): (String, String) = rusqlite::Connection::open(ctx.store.path())
        .unwrap()
        .query_row(
            "SELECT author, created_at FROM posts WHERE platform_id = 'https://weibo.com/1935396210/PzxMFDdIO'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(
        (author.as_str(), created.as_str()),
        ("少年JUMP吧", "2025-07-04T07:51:28Z")
    );
    let r = run(&ctx).await;
    assert_eq!((r.error, r.fetched, r.new_posts), (None, 0, 0));
    assert_eq!(
        conditional.lock().unwrap().as_slice(),
        [None, Some("\"v1\"".to_string())]
    );
    assert_eq!(kinds(&ctx), ["ok", "ok"]);
}

// ---------------------------------------------------------------------------------------------
// HTML

fn html(body: impl Into<Body>, content_type: &'static str) -> Response {
    ([("content-type", content_type)], body.into()).into_response()
}

pub(crate) const LIST_V1: &str = r#"<html><head><meta charset="utf-8"><title>新闻发言人谈话</title></head><body>
<ul class="nav"><li><a href="/">首页</a></li><li><a href="/about/">关于</a></li></ul>
<ul class="list">
<li><a href="../../articles/people_1.html" title="女儿出嫁，郑板桥画了几笔兰花当嫁妆">女儿出嫁，郑板桥…</a><span>[2019-06-15]</span></li>
<li><a href="/articles/shanxi_1.html">山西品牌丝路行（南美站）正式启动</a><span>[2019-09-18]</span></li>
<li><a href="/articles/xinhuanet_1.html">法国罢工</a><span>[2019-12-10]</span></li>
<li><a href="/articles/gbk.html">商务部新闻发言人谈话</a><span>[2025-04-04]</span></li>
</ul></body></html>"#;

const LIST_V2: &str = r#"<html><body><div class="news-list"><div class="row"><a href="/articles/new.html">新版式</a><em>2025-05-01</em></div></div></body></html>"#;

pub(crate) async fn html_site(
    list: Arc<Mutex<&'static str>>,
    article_hits: Arc<AtomicUsize>,
) -> std::net::SocketAddr {
    let gbk_article = encoding_rs::GBK
        .encode("<html><head><meta name=\"PubDate\" content=\"2025-04-04 10:30\"></head><body><div id=\"zoom\"><p>商务部新闻发言人就美方宣布对华加征关税发表谈话：中方坚决反对。</p></div></body></html>")
        .0
        .into_owned();
    let app = Router::new()
        // The configured URL is a JavaScript redirect stub, as some ministry pages are.
        .route(
            "/ag/",
            get(|| async {
                html(
                    "<html><head><script>window.location.href='/ag/list/index.html';</script></head><body></body></html>",
                    "text/html",
                )
            }),
        )
        .route(
            "/ag/list/index.html",
            get(move || {
                let l = *list.lock().unwrap();
                async move { html(l, "text/html; charset=utf-8") }
            }),
        )
        .route(
            "/articles/{name}",
            get(move |axum::extract::Path(name): axum::extract::Path<String>| {
                article_hits.fetch_add(1, Ordering::SeqCst);
                let gbk = gbk_article.clone();
                async move {
                    match name.as_str() {
                        // A GBK page whose only charset hint is the header.
                        "gbk.html" => html(gbk, "text/html; charset=GBK"),
                        "people_1.html" | "shanxi_1.html" | "xinhuanet_1.html" => html(
                            std::fs::read(fixture(&format!("html/{name}"))).unwrap(),
                            // Served without a charset: people_1's meta says GB2312, its bytes are UTF-8.
                            "text/html",
                        ),
                        _ => StatusCode::NOT_FOUND.into_response(),
                    }
                }
            }),
        );
    serve(app).await
}

pub(crate) fn html_source(addr: std::net::SocketAddr) -> String {
    format!(
        r##"[[sources]]
id = "mofcom"
name = "商务部新闻发言人谈话"
kind = "html"
url = "http://{addr}/ag/"
schedule = "every 1h"
item = "ul li"
title = "a"
link = "a@href"
date = "span"
body = "#p-detail, .box_con, .article-body, #zoom"
"##
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn html_list_follows_redirect_reads_articles_in_every_charset() {
    let list = Arc::new(Mutex::new(LIST_V1));
    let hits = Arc::new(AtomicUsize::new(0));
    let addr = html_site(list, hits.clone()).await;
    let dir = tempfile::tempdir().unwrap();
    let ctx = context(dir.path(), FAST, &html_source(addr));
    let r = run(&ctx).await;
    assert_eq!(r.error, None);
    assert_eq!(
        (r.fetched, r.new_posts, r.parse_issues),
        (4, 4, 0),
        "nav items skipped"
    );
    assert_eq!(hits.load(Ordering::SeqCst), 4);
    let text = |file: &str| {
        ctx.store
            .post_text("mofcom", &format!("http://{addr}/articles/{file}"))
            .unwrap()
            .unwrap_or_else(|| panic!("{file} not stored (relative link resolved?)"))
    };
    let people = text("people_1.html");
    assert!(
        people.starts_with("女儿出嫁，郑板桥画了几笔兰花当嫁妆\n"),
        "{people}"
    );
    assert!(
        people.contains("郑板桥") && !people.contains('\u{FFFD}'),
        "UTF-8 despite the GB2312 meta"
    );
    assert!(people.chars().count() > 300, "article body read: {people}");
    let gbk = text("gbk.html");
    assert!(gbk.contains("中方坚决反对"), "{gbk}");
    let shanxi = text("shanxi_1.html");
    assert!(shanxi.chars().count() > 200, "{shanxi}");
    assert!(text("xinhuanet_1.html").chars().count() > 200);
    // meta[name=PubDate] wins over the list's date; Beijing time stored as UTC.
    let created = |file: &str| -> String {
        rusqlite::Connection::open(ctx.store.path())
            .unwrap()
            .query_row(
                "SELECT created_at FROM posts WHERE platform_id LIKE '%' || ?1",
                [file],
                |r| r.get(0),
            )
            .unwrap()
    };
    assert_eq!(created("shanxi_1.html"), "2019-09-17T22:23:00Z");
    assert_eq!(created("gbk.html"), "2025-04-04T02:30:00Z");
    assert_eq!(created("people_1.html"), "2019-06-14T16:00:00Z");
    // Second run: nothing new, no article fetched again.
    let r = run(&ctx).await;
    assert_eq!((r.error, r.new_posts), (None, 0));
    assert_eq!(hits.load(Ordering::SeqCst), 4);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_layout_change_is_recorded_counted_and_not_silent() {
    let list = Arc::new(Mutex::new(LIST_V1));
    let addr = html_site(list.clone(), Arc::new(AtomicUsize::new(0))).await;
    let dir = tempfile::tempdir().unwrap();
    let ctx = context(dir.path(), FAST, &html_source(addr));
    assert_eq!(run(&ctx).await.error, None);
    *list.lock().unwrap() = LIST_V2;
    let r = run(&ctx).await;
    assert!(r.error.unwrap().contains("used to match"));
    let r = run(&ctx).await;
    assert!(r.error.is_some());
    assert_eq!(kinds(&ctx), ["ok", "layout-changed", "layout-changed"]);
    assert_eq!(state(&ctx), "layout-changed");
    assert_eq!(ctx.store.layout_changes("mofcom").unwrap(), 2);
    assert_eq!(count(&ctx, "SELECT count(*) FROM posts"), 4);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_selector_that_never_matched_is_a_config_problem_not_a_layout_change() {
    let list = Arc::new(Mutex::new(LIST_V2));
    let addr = html_site(list, Arc::new(AtomicUsize::new(0))).await;
    let dir = tempfile::tempdir().unwrap();
    let ctx = context(dir.path(), FAST, &html_source(addr));
    let r = run(&ctx).await;
    assert!(r
        .error
        .unwrap()
        .contains("check the source's `item` selector"));
    assert_eq!(kinds(&ctx), ["no-items"]);
    // The documented state, not `failing`: in the run record and in what `status` reads.
    assert_eq!(state(&ctx), "no-items");
    let sources = ctx.store.source_statuses().unwrap();
    assert_eq!(sources[0].state, "no-items");
    assert_eq!(ctx.store.layout_changes("mofcom").unwrap(), 0);
}
