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

/// What the fake Weibo serves: getIndex bodies by containerid, extend bodies by id.
#[derive(Default)]
pub struct WeiboState {
    pub timelines: Mutex<HashMap<String, String>>,
    pub extends: Mutex<HashMap<String, String>>,
    pub requests: Mutex<Vec<String>>,
}

async fn get_index(
    State(st): State<Arc<WeiboState>>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let cid = q.get("containerid").cloned().unwrap_or_default();
    st.requests.lock().unwrap().push(format!("getIndex {cid}"));
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
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let id = q.get("id").cloned().unwrap_or_default();
    st.requests.lock().unwrap().push(format!("extend {id}"));
    let body = st
        .extends
        .lock()
        .unwrap()
        .get(&id)
        .cloned()
        .unwrap_or_else(|| r#"{"ok":1,"data":{}}"#.into());
    ([("content-type", "application/json")], body).into_response()
}

pub async fn weibo_server(state: Arc<WeiboState>) -> SocketAddr {
    let app = Router::new()
        .route("/api/container/getIndex", get(get_index))
        .route("/statuses/extend", get(extend))
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

async fn serve(app: Router) -> SocketAddr {
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

[[sources]]
id = "test-weibo"
kind = "weibo"
uid = "{uid}"
schedule = "every 1h"
api_base = "http://{weibo}"

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
