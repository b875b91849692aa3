//! Test servers: a Weibo-format API and a webhook receiver, both real HTTP on 127.0.0.1.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;

pub fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel)
}

pub fn read_fixture(rel: &str) -> String {
    std::fs::read_to_string(fixture(rel)).unwrap_or_else(|e| panic!("fixture {rel}: {e}"))
}

/// What the fake Weibo serves: getIndex bodies by containerid (or by `containerid@since_id`
/// in `pages`), extend and show bodies by id, and a visitor passport.
#[derive(Default)]
pub struct WeiboState {
    pub timelines: Mutex<HashMap<String, String>>,
    pub pages: Mutex<HashMap<String, String>>,
    pub extends: Mutex<HashMap<String, String>>,
    pub shows: Mutex<HashMap<String, String>>,
    /// `detail/{mid}` HTML pages by id (404 otherwise).
    pub details: Mutex<HashMap<String, String>>,
    /// Profile answers (`getIndex?type=uid&value=…` without a container) by uid; `ok:0`
    /// otherwise.
    pub profiles: Mutex<HashMap<String, String>>,
    /// `n/{screen_name}` → uid: a 302 to `/u/{uid}`; unknown names answer a plain page.
    pub names: Mutex<HashMap<String, String>>,
    pub requests: Mutex<Vec<String>>,
    /// When set, getIndex answers without this exact `Cookie` header are refused.
    pub require_cookie: Mutex<Option<String>>,
    /// When set, statuses/extend answers HTTP 432 without this exact `Cookie` header.
    pub long_text_cookie: Mutex<Option<String>>,
    /// How a refusal looks: HTTP 432 (false) or `{"ok":-100}` (true).
    pub refuse_with_ok_minus_100: Mutex<bool>,
    /// An `ok:-100` refusal quotes the refused `Cookie` header in its url (as a careless
    /// proxy might): whatever quotes the refusal must redact it.
    pub echo_refused_cookie: Mutex<bool>,
    /// `(sub, subp)` the visitor passport hands out.
    pub visitor: Mutex<(String, String)>,
    pub passport_calls: Mutex<usize>,
    /// Cookie headers seen on getIndex, in order.
    pub cookies_seen: Mutex<Vec<Option<String>>>,
}

impl WeiboState {
    pub fn count(&self, prefix: &str) -> usize {
        self.requests
            .lock()
            .unwrap()
            .iter()
            .filter(|r| r.starts_with(prefix))
            .count()
    }
}

async fn get_index(
    State(st): State<Arc<WeiboState>>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let cid = q.get("containerid").cloned();
    let since = q.get("since_id").cloned();
    let uid = q.get("value").cloned().unwrap_or_default();
    st.requests.lock().unwrap().push(match (&cid, &since) {
        (None, _) => format!("profile {uid}"),
        (Some(cid), Some(s)) => format!("getIndex {cid}@{s}"),
        (Some(cid), None) => format!("getIndex {cid}"),
    });
    let cookie = headers
        .get("cookie")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    st.cookies_seen.lock().unwrap().push(cookie.clone());
    let required = st.require_cookie.lock().unwrap().clone();
    if let Some(req) = required {
        if cookie.as_deref() != Some(req.as_str()) {
            if *st.refuse_with_ok_minus_100.lock().unwrap() {
                let mut url = "https://passport.weibo.com/sso/signin?entry=wapsso".to_string();
                if *st.echo_refused_cookie.lock().unwrap() {
                    url.push_str(&format!("&refused={}", cookie.clone().unwrap_or_default()));
                }
                let body = serde_json::json!({"ok": -100, "url": url}).to_string();
                return ([("content-type", "application/json")], body).into_response();
            }
            return StatusCode::from_u16(432).unwrap().into_response();
        }
    }
    let Some(cid) = cid else {
        return match st.profiles.lock().unwrap().get(&uid) {
            Some(body) => ([("content-type", "application/json")], body.clone()).into_response(),
            None => (
                [("content-type", "application/json")],
                r#"{"ok":0,"msg":"这里还没有内容","data":{"cards":[]}}"#,
            )
                .into_response(),
        };
    };
    if let Some(s) = &since {
        if let Some(body) = st.pages.lock().unwrap().get(&format!("{cid}@{s}")) {
            return ([("content-type", "application/json")], body.clone()).into_response();
        }
    }
    match st.timelines.lock().unwrap().get(&cid) {
        Some(body) => ([("content-type", "application/json")], body.clone()).into_response(),
        None => (
            [("content-type", "application/json")],
            r#"{"ok":0,"msg":"这里还没有内容","data":{"cards":[]}}"#,
        )
            .into_response(),
    }
}

async fn extend(
    State(st): State<Arc<WeiboState>>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let id = q.get("id").cloned().unwrap_or_default();
    st.requests.lock().unwrap().push(format!("extend {id}"));
    let cookie = headers.get("cookie").and_then(|v| v.to_str().ok());
    let required = st.long_text_cookie.lock().unwrap().clone();
    if required.is_some_and(|r| cookie != Some(r.as_str())) {
        return StatusCode::from_u16(432).unwrap().into_response();
    }
    let body = st
        .extends
        .lock()
        .unwrap()
        .get(&id)
        .cloned()
        .unwrap_or_else(|| r#"{"ok":1,"data":{}}"#.into());
    ([("content-type", "application/json")], body).into_response()
}

async fn show(
    State(st): State<Arc<WeiboState>>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let id = q.get("id").cloned().unwrap_or_default();
    st.requests.lock().unwrap().push(format!("show {id}"));
    match st.shows.lock().unwrap().get(&id) {
        Some(b) => ([("content-type", "application/json")], b.clone()).into_response(),
        None => StatusCode::FORBIDDEN.into_response(),
    }
}

async fn detail(
    State(st): State<Arc<WeiboState>>,
    axum::extract::Path(id): axum::extract::Path<String>,
) -> Response {
    st.requests.lock().unwrap().push(format!("detail {id}"));
    match st.details.lock().unwrap().get(&id) {
        Some(b) => ([("content-type", "text/html; charset=utf-8")], b.clone()).into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

/// `n/{screen_name}`: a 302 to the account's `/u/{uid}`, as m.weibo.cn answers.
async fn by_name(
    State(st): State<Arc<WeiboState>>,
    axum::extract::Path(name): axum::extract::Path<String>,
) -> Response {
    st.requests.lock().unwrap().push(format!("name {name}"));
    match st.names.lock().unwrap().get(&name) {
        Some(uid) => (StatusCode::FOUND, [("location", format!("/u/{uid}"))]).into_response(),
        None => (
            [("content-type", "text/html")],
            "<html><body>用户不存在</body></html>",
        )
            .into_response(),
    }
}

async fn user_page(axum::extract::Path(uid): axum::extract::Path<String>) -> Response {
    (
        [("content-type", "text/html")],
        format!("<html><body>u/{uid}</body></html>"),
    )
        .into_response()
}

async fn genvisitor(State(st): State<Arc<WeiboState>>, body: String) -> Response {
    *st.passport_calls.lock().unwrap() += 1;
    assert!(body.contains("cb=visitor_gray_callback"), "{body}");
    let (sub, subp) = st.visitor.lock().unwrap().clone();
    let jsonp = format!(
        r#"window.visitor_gray_callback && visitor_gray_callback({{"retcode":20000000,"msg":"succ","data":{{"sub":"{sub}","subp":"{subp}"}}}});"#
    );
    ([("content-type", "application/javascript")], jsonp).into_response()
}

/// The fake m.weibo.cn, which is also its own visitor passport (`passport_base`).
pub async fn weibo_server(state: Arc<WeiboState>) -> SocketAddr {
    let app = Router::new()
        .route("/api/container/getIndex", get(get_index))
        .route("/statuses/extend", get(extend))
        .route("/statuses/show", get(show))
        .route("/detail/{id}", get(detail))
        .route("/n/{name}", get(by_name))
        .route("/u/{uid}", get(user_page))
        .route("/visitor/genvisitor2", post(genvisitor))
        .with_state(state);
    serve(app).await
}

/// One webhook call as received.
#[derive(Debug, Clone)]
pub struct Received {
    pub idempotency_key: Option<String>,
    pub body: serde_json::Value,
}

#[derive(Default)]
pub struct Receiver {
    pub calls: Mutex<Vec<Received>>,
    /// Answer with this status for the next N calls, then 200.
    pub fail_next: Mutex<usize>,
}

async fn hook(State(st): State<Arc<Receiver>>, headers: HeaderMap, body: String) -> StatusCode {
    {
        let mut f = st.fail_next.lock().unwrap();
        if *f > 0 {
            *f -= 1;
            return StatusCode::SERVICE_UNAVAILABLE;
        }
    }
    st.calls.lock().unwrap().push(Received {
        idempotency_key: headers
            .get("idempotency-key")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string),
        body: serde_json::from_str(&body).unwrap_or(serde_json::Value::Null),
    });
    StatusCode::OK
}

pub async fn webhook_server(state: Arc<Receiver>) -> SocketAddr {
    serve(Router::new().route("/hook", post(hook)).with_state(state)).await
}

pub async fn serve(app: Router) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    addr
}

/// A config for one weibo source and one webhook, in `dir`.
pub fn write_config(dir: &Path, weibo: SocketAddr, hook: SocketAddr, uid: &str) -> PathBuf {
    let text = format!(
        r#"
[store]
path = "windvane.db"

[fetch]
min_interval_per_host = "10ms"
retries = 1
retry_backoff = "10ms"
timeout = "5s"
jitter = "0s"

[[sources]]
id = "test-weibo"
kind = "weibo"
uid = "{uid}"
schedule = "every 1h"
api_base = "http://{weibo}"
passport_base = "http://{weibo}"

[[alerts]]
id = "hook"
kind = "webhook"
url = "http://{hook}/hook"
labels = ["talks"]
min_score = 0.6
"#
    );
    let path = dir.join("windvane.toml");
    std::fs::write(&path, text).unwrap();
    path
}

/// A post as a Weibo timeline gives it: `id` by `author`, created `at`.
pub fn weibo_post(
    id: &str,
    author: &str,
    text: &str,
    at: chrono::DateTime<chrono::Utc>,
) -> windvane::sources::Post {
    windvane::sources::Post {
        platform_id: id.into(),
        author: author.into(),
        text: text.into(),
        created_at: at,
        created_at_raw: at.to_rfc2822(),
        url: format!("https://m.weibo.cn/detail/{id}"),
        pinned: false,
        truncated: false,
        edit_count: 0,
        retweet: None,
        raw: "{}".into(),
    }
}
