//! Alert channels against real receivers on 127.0.0.1 (HTTP and SMTP), asserting the payload
//! each service expects; delivery guarantees (retries in order, crash between flag and send,
//! rate-limit digests, quiet hours in a time zone) and corroboration / operator alerts, with
//! the clock injected into `alert::deliver`.

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Router;
use base64::Engine;
use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use windvane::alert;
use windvane::classify::{Classification, Evidence, Label, LabelScore};
use windvane::config::{Config, Environment};
use windvane::store::{NewPost, Store};

use crate::common::serve;

#[derive(Debug, Clone)]
struct Hit {
    path: String,
    query: HashMap<String, String>,
    headers: HeaderMap,
    body: String,
}

impl Hit {
    fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or(serde_json::Value::Null)
    }
}

/// Records every request; answers like the real service (per path), or fails / hangs.
#[derive(Default)]
struct Services {
    hits: Mutex<Vec<Hit>>,
    /// Idempotency keys of every request as it arrives (before hanging or failing).
    arrived: Mutex<Vec<String>>,
    /// Answer 503 to the next N requests.
    fail_next: Mutex<usize>,
    /// Never answer (until the client gives up).
    hang: AtomicBool,
    /// Path → (status, body) overriding the service's usual success answer.
    answers: Mutex<HashMap<String, (u16, String)>>,
}

impl Services {
    fn on(&self, prefix: &str) -> Vec<Hit> {
        self.hits
            .lock()
            .unwrap()
            .iter()
            .filter(|h| h.path.starts_with(prefix))
            .cloned()
            .collect()
    }
}

async fn record(
    State(st): State<Arc<Services>>,
    uri: Uri,
    headers: HeaderMap,
    body: String,
) -> Response {
    st.arrived.lock().unwrap().push(
        headers
            .get("idempotency-key")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string(),
    );
    if st.hang.load(Ordering::SeqCst) {
        tokio::time::sleep(Duration::from_secs(60)).await;
    }
    {
        let mut f = st.fail_next.lock().unwrap();
        if *f > 0 {
            *f -= 1;
            return (StatusCode::SERVICE_UNAVAILABLE, "down").into_response();
        }
    }
    let path = uri.path().to_string();
    let query = url::form_urlencoded::parse(uri.query().unwrap_or("").as_bytes())
        .into_owned()
        .collect();
    st.hits.lock().unwrap().push(Hit {
        path: path.clone(),
        query,
        headers,
        body,
    });
    if let Some((s, b)) = st.answers.lock().unwrap().get(&path).cloned() {
        return (StatusCode::from_u16(s).unwrap(), b).into_response();
    }
    let ok = if path.starts_with("/slack") {
        "ok"
    } else if path.starts_with("/dingtalk") || path.starts_with("/wecom") {
        r#"{"errcode":0,"errmsg":"ok"}"#
    } else if path.starts_with("/feishu") {
        r#"{"code":0,"data":{},"msg":"success"}"#
    } else if path.contains("/sendMessage") {
        r#"{"ok":true,"result":{"message_id":1}}"#
    } else if path.starts_with("/discord") {
        return StatusCode::NO_CONTENT.into_response();
    } else {
        r#"{"id":"x"}"#
    };
    (StatusCode::OK, ok).into_response()
}

async fn services() -> (Arc<Services>, std::net::SocketAddr) {
    let st = Arc::new(Services::default());
    let addr = serve(Router::new().fallback(record).with_state(st.clone())).await;
    (st, addr)
}

const SOURCES: &str = r#"
[[sources]]
id = "yyt"
name = "玉渊谭天"
kind = "weibo"
uid = "7419834215"
schedule = "every 1h"

[[sources]]
id = "cctv"
name = "央视新闻"
kind = "weibo"
uid = "2656274875"
schedule = "every 1h"
"#;

fn config_text(dir: &Path, alerts: &str) -> String {
    format!(
        "[store]\npath = \"{}\"\n\n[review]\npublic_url = \"https://review.example/\"\n{SOURCES}\n{alerts}",
        dir.join("w.db").display()
    )
}

fn config(dir: &Path, alerts: &str) -> Config {
    Config::from_toml_str(&config_text(dir, alerts), None).unwrap_or_else(|e| panic!("{e}"))
}

fn store(cfg: &Config) -> Store {
    let s = Store::open(&cfg.store_path).unwrap();
    for src in &cfg.sources {
        s.ensure_source(&src.id, "weibo", &src.name).unwrap();
    }
    s
}

const TEXT: &str = "【独家】美方近期通过多种渠道主动接触中方，希望就关税问题进行谈判。中方的立场是一贯的：打，奉陪到底；谈，大门敞开。";

/// Stores one new post flagged `label` at `score`, with the alerts `plan` gives it.
fn flag(
    store: &Store,
    cfg: &Config,
    source: &str,
    id: &str,
    label: Label,
    score: f64,
    at: DateTime<Utc>,
) -> usize {
    let name = &cfg.sources.iter().find(|s| s.id == source).unwrap().name;
    let post = crate::common::weibo_post(id, name, TEXT, at);
    let c = Classification {
        labels: vec![LabelScore {
            label,
            score,
            evidence: vec![Evidence {
                term: "主动接触".into(),
                start: 13,
                end: 17,
                gloss: "reached out".into(),
            }],
        }],
        explanation: "The US reached out seeking tariff talks.".into(),
        events: Vec::new(),
        version: "test".into(),
    };
    let alerts = alert::plan(source, name, &post, &c, &cfg.alerts);
    let r = store
        .ingest(
            source,
            &[NewPost {
                post: &post,
                classification: &c,
                alerts,
                index_words: "",
            }],
            at,
        )
        .unwrap();
    r.alerts_queued
}

/// The daemon's own HTTP client (rustls with ring, timeouts).
fn client() -> reqwest::Client {
    let cfg = windvane::config::FetchConfig {
        timeout: Duration::from_secs(5),
        ..Default::default()
    };
    windvane::fetch::Fetcher::new(&cfg)
        .unwrap()
        .alert_client()
        .clone()
}

fn ts(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn hmac_b64(key: &[u8], msg: &[u8]) -> String {
    let mut m = Hmac::<Sha256>::new_from_slice(key).unwrap();
    m.update(msg);
    base64::engine::general_purpose::STANDARD.encode(m.finalize().into_bytes())
}

fn statuses(store: &Store) -> Vec<String> {
    store
        .alerts(None)
        .unwrap()
        .into_iter()
        .map(|a| a.status.to_string())
        .collect()
}

#[tokio::test]
async fn every_channel_sends_the_payload_its_service_expects() {
    let (svc, addr) = services().await;
    let dir = tempfile::tempdir().unwrap();
    // The secrets come from a map handed to the loader, not from `std::env::set_var`: the
    // process environment is shared by every test thread of this binary (a race).
    let env = Environment::vars([
        ("WV_IT_HOOK_SECRET", "hook-secret".to_string()),
        ("WV_IT_FEISHU_SECRET", "feishu-secret".into()),
        ("WV_IT_DING_SECRET", "SECding".into()),
        ("WV_IT_TG_TOKEN", "123456:ABC-token".into()),
        (
            "WV_IT_SLACK_URL",
            format!("http://{addr}/slack/T000/B000/XXXX"),
        ),
    ]);
    let exec_out = dir.path().join("exec.json");
    let alerts = format!(
        r#"
[[alerts]]
id = "hook"
kind = "webhook"
url = "http://{addr}/hook"
secret_env = "WV_IT_HOOK_SECRET"
headers = {{ "X-Team" = "trade-desk" }}

[[alerts]]
id = "slack"
kind = "slack"
url_env = "WV_IT_SLACK_URL"

[[alerts]]
id = "discord"
kind = "discord"
url = "http://{addr}/discord/api/webhooks/1/abc"

[[alerts]]
id = "feishu"
kind = "feishu"
url = "http://{addr}/feishu/open-apis/bot/v2/hook/abc"
secret_env = "WV_IT_FEISHU_SECRET"

[[alerts]]
id = "ding"
kind = "dingtalk"
url = "http://{addr}/dingtalk/robot/send?access_token=tok"
secret_env = "WV_IT_DING_SECRET"

[[alerts]]
id = "wecom"
kind = "wecom"
url = "http://{addr}/wecom/cgi-bin/webhook/send?key=k"

[[alerts]]
id = "tg"
kind = "telegram"
token_env = "WV_IT_TG_TOKEN"
chat_id = "-100123"
api_base = "http://{addr}/tg"

[[alerts]]
id = "ntfy"
kind = "ntfy"
url = "http://{addr}/ntfy"
topic = "windvane-trade"

[[alerts]]
id = "exec"
kind = "exec"
command = ["sh", "-c", "cat > '{}'"]

[[alerts]]
id = "log"
kind = "log"
"#,
        exec_out.display()
    );
    let cfg = Config::from_toml_str_in(&config_text(dir.path(), &alerts), None, &env)
        .unwrap_or_else(|e| panic!("{e}"));
    let store = store(&cfg);
    let posted = Utc::now() - chrono::Duration::minutes(10);
    assert_eq!(
        flag(
            &store,
            &cfg,
            "yyt",
            "5152395046175139",
            Label::Talks,
            0.93,
            posted
        ),
        10
    );
    let before = Utc::now();
    let report = alert::deliver(&store, &client(), &cfg, Utc::now())
        .await
        .unwrap();
    let after = Utc::now();
    assert_eq!(
        report.sent,
        10,
        "{report:?} {:?}",
        store.alerts(None).unwrap()
    );
    assert!(statuses(&store).iter().all(|s| s == "sent"));
    let title = "Negotiation signal · 玉渊谭天 · 0.93";

    // webhook: the alert JSON, Idempotency-Key, custom header, HMAC of the exact body.
    let h = &svc.on("/hook")[0];
    let body = h.json();
    assert_eq!(body["title"], title);
    assert_eq!(body["label"], "talks");
    assert_eq!(body["source"], "yyt");
    assert_eq!(body["text"], TEXT);
    assert_eq!(body["evidence"][0]["gloss"], "reached out");
    assert!(body["message"].as_str().unwrap().contains("Evidence:"));
    assert_eq!(
        h.headers["idempotency-key"],
        body["idempotency_key"].as_str().unwrap()
    );
    assert_eq!(h.headers["x-team"], "trade-desk");
    // An honest agent, not the mobile browser the shared client shows Weibo.
    assert_eq!(
        h.headers["user-agent"],
        concat!("windvane/", env!("CARGO_PKG_VERSION"))
    );
    for path in [
        "/slack",
        "/discord",
        "/feishu",
        "/dingtalk",
        "/wecom",
        "/tg",
        "/ntfy",
    ] {
        let call = &svc.on(path)[0];
        assert_eq!(
            call.headers["user-agent"],
            windvane::alert::ALERT_USER_AGENT,
            "{path}"
        );
    }
    let mut m = Hmac::<Sha256>::new_from_slice(b"hook-secret").unwrap();
    m.update(h.body.as_bytes());
    assert_eq!(
        h.headers["x-windvane-signature"],
        format!("sha256={}", hex::encode(m.finalize().into_bytes())).as_str()
    );
    assert!(body["review_url"]
        .as_str()
        .unwrap()
        .starts_with("https://review.example/posts/"));

    // slack: {"text": mrkdwn}
    let s = svc.on("/slack/T000/B000/XXXX")[0].json();
    let text = s["text"].as_str().unwrap();
    assert!(text.starts_with(&format!("*{title}*")), "{text}");
    assert!(text.contains("<https://m.weibo.cn/detail/5152395046175139|Original post>"));
    assert_eq!(s.as_object().unwrap().len(), 1);

    // discord: content ≤ 2000 chars, no mentions parsed.
    let d = svc.on("/discord")[0].json();
    assert!(d["content"].as_str().unwrap().contains(TEXT));
    assert!(d["content"].as_str().unwrap().chars().count() <= 2000);
    assert_eq!(d["allowed_mentions"]["parse"], serde_json::json!([]));

    // feishu: card, timestamp (seconds) and sign in the body, recomputed here.
    let f = svc.on("/feishu")[0].json();
    assert_eq!(f["msg_type"], "interactive");
    assert_eq!(f["card"]["header"]["title"]["content"], title);
    assert_eq!(f["card"]["elements"][0]["text"]["tag"], "lark_md");
    assert!(f["card"]["elements"][0]["text"]["content"]
        .as_str()
        .unwrap()
        .contains("reached out"));
    let fts: i64 = f["timestamp"].as_str().unwrap().parse().unwrap();
    assert!(fts >= before.timestamp() && fts <= after.timestamp());
    assert_eq!(
        f["sign"].as_str().unwrap(),
        hmac_b64(format!("{fts}\nfeishu-secret").as_bytes(), b"")
    );

    // dingtalk: markdown body; timestamp (ms) and sign in the query, recomputed here.
    let dt = &svc.on("/dingtalk")[0];
    assert_eq!(dt.query["access_token"], "tok");
    let ms: i64 = dt.query["timestamp"].parse().unwrap();
    assert!(ms >= before.timestamp_millis() && ms <= after.timestamp_millis());
    assert_eq!(
        dt.query["sign"],
        hmac_b64(b"SECding", format!("{ms}\nSECding").as_bytes())
    );
    let db = dt.json();
    assert_eq!(db["msgtype"], "markdown");
    assert_eq!(db["markdown"]["title"], title);
    assert!(db["markdown"]["text"]
        .as_str()
        .unwrap()
        .contains("> 【独家】"));

    // wecom: text message within 2048 bytes.
    let w = svc.on("/wecom")[0].json();
    assert_eq!(w["msgtype"], "text");
    let content = w["text"]["content"].as_str().unwrap();
    assert!(content.starts_with(title) && content.len() <= 2048);

    // telegram: bot token in the path under the custom API base.
    let t = &svc.on("/tg")[0];
    assert_eq!(t.path, "/tg/bot123456:ABC-token/sendMessage");
    let tb = t.json();
    assert_eq!(tb["chat_id"], "-100123");
    assert_eq!(tb["disable_web_page_preview"], true);
    assert!(tb["text"].as_str().unwrap().contains("(Beijing)"));

    // ntfy: JSON publishing with the Chinese title intact.
    let n = svc.on("/ntfy")[0].json();
    assert_eq!(n["topic"], "windvane-trade");
    assert_eq!(n["title"], title);
    assert_eq!(n["priority"], 4);
    assert_eq!(n["tags"], serde_json::json!(["windvane", "post", "talks"]));
    assert!(n["click"]
        .as_str()
        .unwrap()
        .starts_with("https://review.example/posts/"));

    // exec: the alert JSON on stdin.
    let e: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&exec_out).unwrap()).unwrap();
    assert_eq!(e["title"], title);
    assert_eq!(e["label"], "talks");

    // Each service got exactly one request.
    assert_eq!(svc.hits.lock().unwrap().len(), 8);
    // A second round sends nothing more.
    let again = alert::deliver(&store, &client(), &cfg, Utc::now())
        .await
        .unwrap();
    assert_eq!(again.sent, 0);
    assert_eq!(svc.hits.lock().unwrap().len(), 8);
}

#[tokio::test]
async fn error_bodies_behind_2xx_are_failures_and_secrets_stay_out_of_errors() {
    let (svc, addr) = services().await;
    let dir = tempfile::tempdir().unwrap();
    for (path, body) in [
        (
            "/dingtalk/robot/send",
            r#"{"errcode":310000,"errmsg":"sign not match"}"#,
        ),
        (
            "/feishu/hook/secret-hook-id",
            r#"{"code":19021,"msg":"sign match fail"}"#,
        ),
        ("/slack/secret-path", "no_text"),
        (
            "/wecom/send",
            r#"{"errcode":93000,"errmsg":"invalid webhook url"}"#,
        ),
    ] {
        svc.answers
            .lock()
            .unwrap()
            .insert(path.into(), (200, body.into()));
    }
    let alerts = format!(
        r#"
[[alerts]]
id = "ding"
kind = "dingtalk"
url = "http://{addr}/dingtalk/robot/send?access_token=secret-token"
[[alerts]]
id = "feishu"
kind = "feishu"
url = "http://{addr}/feishu/hook/secret-hook-id"
[[alerts]]
id = "slack"
kind = "slack"
url = "http://{addr}/slack/secret-path"
[[alerts]]
id = "wecom"
kind = "wecom"
url = "http://{addr}/wecom/send?key=secret-key"
[[alerts]]
id = "down"
kind = "webhook"
url = "http://127.0.0.1:9/secret-down"
"#
    );
    let cfg = config(dir.path(), &alerts);
    let store = store(&cfg);
    flag(&store, &cfg, "yyt", "1", Label::Talks, 0.93, Utc::now());
    let r = alert::deliver(&store, &client(), &cfg, Utc::now())
        .await
        .unwrap();
    assert_eq!((r.sent, r.retrying), (0, 5), "{r:?}");
    for a in store.alerts(None).unwrap() {
        assert_eq!((a.status.as_str(), a.attempts), ("pending", 1));
        let err = a.last_error.unwrap();
        assert!(
            err.contains(&format!("channel `{}`", a.channel_id)),
            "{err}"
        );
        assert!(!err.contains("secret"), "secret leaked: {err}");
        match a.channel_id.as_str() {
            "ding" => assert!(err.contains("310000"), "{err}"),
            "feishu" => assert!(err.contains("19021"), "{err}"),
            "slack" => assert!(err.contains("no_text"), "{err}"),
            "wecom" => assert!(err.contains("93000"), "{err}"),
            _ => assert!(err.contains("cannot reach"), "{err}"),
        }
    }
    assert!(
        !format!("{cfg:?}").contains("secret-token"),
        "URL leaked into Debug"
    );
}

/// A minimal SMTP server: accepts one message and returns its DATA.
async fn smtp_server() -> (std::net::SocketAddr, tokio::sync::oneshot::Receiver<String>) {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (tx, rx) = tokio::sync::oneshot::channel();
    tokio::spawn(async move {
        let (sock, _) = listener.accept().await.unwrap();
        let (r, mut w) = sock.into_split();
        let mut r = BufReader::new(r);
        w.write_all(b"220 localhost ESMTP test\r\n").await.unwrap();
        let mut data = String::new();
        let mut tx = Some(tx);
        loop {
            let mut line = String::new();
            if r.read_line(&mut line).await.unwrap() == 0 {
                break;
            }
            let cmd = line.trim_end().to_ascii_uppercase();
            let reply: &[u8] = if cmd.starts_with("EHLO") {
                b"250-localhost\r\n250 8BITMIME\r\n"
            } else if cmd.starts_with("DATA") {
                w.write_all(b"354 go ahead\r\n").await.unwrap();
                loop {
                    let mut l = String::new();
                    r.read_line(&mut l).await.unwrap();
                    if l == ".\r\n" {
                        break;
                    }
                    data.push_str(&l);
                }
                if let Some(tx) = tx.take() {
                    let _ = tx.send(data.clone());
                }
                b"250 2.0.0 queued as 42\r\n"
            } else if cmd.starts_with("QUIT") {
                w.write_all(b"221 bye\r\n").await.unwrap();
                break;
            } else {
                b"250 ok\r\n"
            };
            w.write_all(reply).await.unwrap();
        }
    });
    (addr, rx)
}

fn decode_words(s: &str) -> String {
    // RFC 2047 encoded words (=?utf-8?b?...?=), possibly folded over several lines.
    // Whitespace between two encoded words is dropped; any other is kept.
    let mut out = String::new();
    let mut prev_encoded = false;
    for word in s.split_whitespace() {
        let lower = word.to_ascii_lowercase();
        let encoded = lower.starts_with("=?utf-8?b?") && word.ends_with("?=");
        if !(out.is_empty() || encoded && prev_encoded) {
            out.push(' ');
        }
        if encoded {
            let b = &word[10..word.len() - 2];
            let bytes = base64::engine::general_purpose::STANDARD.decode(b).unwrap();
            out.push_str(&String::from_utf8(bytes).unwrap());
        } else {
            out.push_str(word);
        }
        prev_encoded = encoded;
    }
    out
}

fn decode_part(headers: &str, body: &str) -> String {
    let h = headers.to_ascii_lowercase();
    if h.contains("content-transfer-encoding: base64") {
        let b: String = body.split_whitespace().collect();
        String::from_utf8(base64::engine::general_purpose::STANDARD.decode(b).unwrap()).unwrap()
    } else if h.contains("content-transfer-encoding: quoted-printable") {
        let joined = body.replace("=\r\n", "");
        let bytes = joined.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'=' && i + 2 < bytes.len() {
                out.push(u8::from_str_radix(&joined[i + 1..i + 3], 16).unwrap());
                i += 3;
            } else {
                out.push(bytes[i]);
                i += 1;
            }
        }
        String::from_utf8(out).unwrap()
    } else {
        body.to_string()
    }
}

#[tokio::test]
async fn email_arrives_with_utf8_subject_and_both_parts() {
    let (addr, data) = smtp_server().await;
    let dir = tempfile::tempdir().unwrap();
    let alerts = format!(
        r#"
[[alerts]]
id = "mail"
kind = "email"
smtp_host = "127.0.0.1"
smtp_port = {}
tls = "none"
from = "windvane <windvane@example.org>"
to = ["analyst@example.org"]
"#,
        addr.port()
    );
    let cfg = config(dir.path(), &alerts);
    let store = store(&cfg);
    flag(&store, &cfg, "yyt", "77", Label::Purchase, 0.88, Utc::now());
    let r = alert::deliver(&store, &client(), &cfg, Utc::now())
        .await
        .unwrap();
    assert_eq!(r.sent, 1, "{:?}", store.alerts(None).unwrap());
    let raw = tokio::time::timeout(Duration::from_secs(5), data)
        .await
        .unwrap()
        .unwrap();
    let (head, body) = raw.split_once("\r\n\r\n").unwrap();
    // Unfold headers, then read the subject.
    let head = head.replace("\r\n ", " ").replace("\r\n\t", " ");
    let subject = head
        .lines()
        .find_map(|l| l.strip_prefix("Subject: "))
        .unwrap();
    assert_eq!(
        decode_words(subject),
        "Purchase commitment · 玉渊谭天 · 0.88"
    );
    assert!(head.contains("To: analyst@example.org"), "{head}");
    let boundary = head
        .split("boundary=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap();
    let parts: Vec<&str> = body
        .split(&format!("--{boundary}"))
        .filter(|p| p.contains("Content-Type"))
        .collect();
    assert_eq!(parts.len(), 2, "{body}");
    let read = |p: &str| {
        let (h, b) = p.trim_start().split_once("\r\n\r\n").unwrap();
        (h.to_string(), decode_part(h, b))
    };
    let (h1, plain) = read(parts[0]);
    let (h2, html) = read(parts[1]);
    assert!(
        h1.to_ascii_lowercase()
            .contains("text/plain; charset=utf-8"),
        "{h1}"
    );
    assert!(
        h2.to_ascii_lowercase().contains("text/html; charset=utf-8"),
        "{h2}"
    );
    assert!(plain.contains(TEXT), "{plain}");
    assert!(plain.contains("reached out"));
    assert!(html.contains("<blockquote lang=\"zh\">【独家】"), "{html}");
    assert!(html.contains("<h2>Purchase commitment · 玉渊谭天 · 0.88</h2>"));
}

#[tokio::test]
async fn a_receiver_down_for_a_while_gets_every_alert_once_in_order() {
    let (svc, addr) = services().await;
    *svc.fail_next.lock().unwrap() = 4;
    let dir = tempfile::tempdir().unwrap();
    let cfg = config(
        dir.path(),
        &format!("[[alerts]]\nid = \"hook\"\nkind = \"webhook\"\nurl = \"http://{addr}/hook\"\nmax_attempts = 20\n"),
    );
    let store = store(&cfg);
    let t0 = Utc::now();
    for i in 0..3 {
        flag(
            &store,
            &cfg,
            "yyt",
            &format!("p{i}"),
            Label::Escalation,
            0.9,
            t0,
        );
    }
    let queued: Vec<String> = store
        .alerts(None)
        .unwrap()
        .into_iter()
        .map(|a| a.idempotency_key)
        .collect();
    // A new alert arriving while the first waits out its backoff must not overtake it.
    let mut now = t0;
    for round in 0..12 {
        if round == 1 {
            flag(&store, &cfg, "yyt", "late", Label::Escalation, 0.9, t0);
        }
        alert::deliver(&store, &client(), &cfg, now).await.unwrap();
        now += chrono::Duration::hours(2);
    }
    let got: Vec<String> = svc
        .on("/hook")
        .iter()
        .map(|h| h.headers["idempotency-key"].to_str().unwrap().to_string())
        .collect();
    let mut want = queued;
    want.push(store.alerts(None).unwrap()[3].idempotency_key.clone());
    assert_eq!(got, want, "every alert once, in order");
    assert!(statuses(&store).iter().all(|s| s == "sent"));
    assert_eq!(*svc.fail_next.lock().unwrap(), 0);
}

#[tokio::test]
async fn rate_limit_folds_the_excess_into_one_digest() {
    let (svc, addr) = services().await;
    let dir = tempfile::tempdir().unwrap();
    let cfg = config(
        dir.path(),
        &format!(
            r#"
[[alerts]]
id = "hook"
kind = "webhook"
url = "http://{addr}/hook"
max_per_hour = 3

[[alerts]]
id = "ding"
kind = "dingtalk"
url = "http://{addr}/dingtalk/send?access_token=t"
"#
        ),
    );
    let store = store(&cfg);
    let t0 = Utc::now();
    for i in 0..25 {
        flag(&store, &cfg, "yyt", &format!("p{i}"), Label::Talks, 0.8, t0);
    }
    let r = alert::deliver(&store, &client(), &cfg, t0).await.unwrap();
    assert_eq!(r.sent, 50, "{r:?}");
    assert_eq!(r.digests, 2);
    // Webhook: 2 alerts on their own, then one digest carrying the other 23.
    let hook = svc.on("/hook");
    assert_eq!(hook.len(), 3);
    let digest = hook[2].json();
    assert_eq!(digest["kind"], "digest");
    assert_eq!(digest["items"].as_array().unwrap().len(), 23);
    assert!(digest["message"].as_str().unwrap().contains("23. "));
    // DingTalk (20 a minute built in): 19 alone, then one digest of 6.
    let ding = svc.on("/dingtalk");
    assert_eq!(ding.len(), 20);
    let last = ding[19].json();
    assert!(last["markdown"]["title"]
        .as_str()
        .unwrap()
        .contains("6 alerts"));
    assert!(statuses(&store).iter().all(|s| s == "sent"));
    let folded = store
        .alerts(None)
        .unwrap()
        .iter()
        .filter(|a| a.digest_key.is_some())
        .count();
    assert_eq!(folded, 29);

    // The hour is used up: a new alert is held (not dropped), and goes out when room frees.
    flag(&store, &cfg, "yyt", "later", Label::Talks, 0.8, t0);
    let r = alert::deliver(&store, &client(), &cfg, t0 + chrono::Duration::minutes(5))
        .await
        .unwrap();
    assert_eq!((r.sent, r.held), (1, 1), "{r:?}"); // dingtalk's minute has passed; the hook's hour has not
    assert_eq!(svc.on("/hook").len(), 3);
    let r = alert::deliver(&store, &client(), &cfg, t0 + chrono::Duration::minutes(61))
        .await
        .unwrap();
    assert_eq!(r.sent, 1);
    assert_eq!(svc.on("/hook").len(), 4);
    assert_eq!(svc.on("/hook")[3].json()["kind"], "post");
}

#[tokio::test]
async fn quiet_hours_hold_alerts_in_their_time_zone_unless_urgent() {
    let (svc, addr) = services().await;
    let dir = tempfile::tempdir().unwrap();
    let cfg = config(
        dir.path(),
        &format!(
            r#"
[[alerts]]
id = "hook"
kind = "webhook"
url = "http://{addr}/hook"
quiet_hours = "22:00-07:00"
timezone = "America/New_York"
urgent_score = 0.9
"#
        ),
    );
    let store = store(&cfg);
    // 23:30 in New York (EDT, UTC-4) on 2025-06-10 = 03:30 UTC on the 11th.
    let night = ts("2025-06-11T03:30:00Z");
    flag(&store, &cfg, "yyt", "calm", Label::Talks, 0.7, night);
    flag(
        &store,
        &cfg,
        "yyt",
        "urgent",
        Label::Escalation,
        0.95,
        night,
    );
    let r = alert::deliver(&store, &client(), &cfg, night)
        .await
        .unwrap();
    assert_eq!((r.sent, r.held), (1, 1));
    assert_eq!(svc.on("/hook")[0].json()["label"], "escalation");
    // 06:59 New York: still quiet.
    let r = alert::deliver(&store, &client(), &cfg, ts("2025-06-11T10:59:00Z"))
        .await
        .unwrap();
    assert_eq!(r.sent, 0);
    // 07:00 New York = 11:00 UTC: the held alert goes out.
    let r = alert::deliver(&store, &client(), &cfg, ts("2025-06-11T11:00:00Z"))
        .await
        .unwrap();
    assert_eq!(r.sent, 1);
    let hook = svc.on("/hook");
    assert_eq!(hook.len(), 2);
    assert_eq!(hook[1].json()["label"], "talks");
    assert_eq!(
        store.alerts(None).unwrap()[0].attempts,
        1,
        "holding spends no attempt"
    );
}

#[tokio::test]
async fn two_sources_on_one_label_raise_one_corroborated_alert() {
    let (svc, addr) = services().await;
    let dir = tempfile::tempdir().unwrap();
    let cfg = config(
        dir.path(),
        &format!("[[alerts]]\nid = \"hook\"\nkind = \"webhook\"\nurl = \"http://{addr}/hook\"\n\n[[alerts]]\nid = \"only-cctv\"\nkind = \"webhook\"\nurl = \"http://{addr}/cctv\"\nsources = [\"cctv\"]\n"),
    );
    let store = store(&cfg);
    let now = Utc::now();
    flag(
        &store,
        &cfg,
        "yyt",
        "a1",
        Label::Talks,
        0.93,
        now - chrono::Duration::hours(5),
    );
    flag(
        &store,
        &cfg,
        "cctv",
        "b1",
        Label::Talks,
        0.81,
        now - chrono::Duration::hours(1),
    );
    // Outside the 12 h window: does not count.
    flag(
        &store,
        &cfg,
        "yyt",
        "old",
        Label::Escalation,
        0.9,
        now - chrono::Duration::hours(20),
    );
    flag(&store, &cfg, "cctv", "b2", Label::Escalation, 0.9, now);
    alert::deliver(&store, &client(), &cfg, now).await.unwrap();
    let hook = svc.on("/hook");
    let corroborated: Vec<_> = hook
        .iter()
        .map(|h| h.json())
        .filter(|b| b["kind"] == "corroborated")
        .collect();
    assert_eq!(corroborated.len(), 1, "{hook:?}");
    let c = &corroborated[0];
    assert_eq!(c["label"], "talks");
    assert_eq!(c["severity"], "high");
    assert_eq!(
        c["title"],
        "Corroborated · Negotiation signal · 玉渊谭天 + 央视新闻 · 0.93"
    );
    let names: Vec<&str> = c["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["玉渊谭天", "央视新闻"]);
    assert!(c["message"]
        .as_str()
        .unwrap()
        .contains("Corroborated by 2 sources"));
    // The channel limited to one source never sees corroboration.
    assert!(svc.on("/cctv").iter().all(|h| h.json()["kind"] == "post"));
    // Later rounds, and a third post on the same label, raise no second one within the window.
    flag(&store, &cfg, "cctv", "b3", Label::Talks, 0.85, now);
    alert::deliver(&store, &client(), &cfg, now + chrono::Duration::minutes(1))
        .await
        .unwrap();
    let n = svc
        .on("/hook")
        .iter()
        .filter(|h| h.json()["kind"] == "corroborated")
        .count();
    assert_eq!(n, 1);
}

#[tokio::test]
async fn a_broken_source_raises_one_operator_alert_per_incident() {
    let (svc, addr) = services().await;
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = config(
        dir.path(),
        &format!("[[alerts]]\nid = \"ops\"\nkind = \"webhook\"\nurl = \"http://{addr}/ops\"\noperator = true\n\n[[alerts]]\nid = \"analysts\"\nkind = \"webhook\"\nurl = \"http://{addr}/analysts\"\n"),
    );
    cfg.sources[1].watch.stale_after = Duration::from_secs(3600);
    let store = store(&cfg);
    let t0 = Utc::now();
    let run = |src: &str, state: &str, at: DateTime<Utc>| windvane::store::FetchRun {
        source_id: src.into(),
        started_at: at,
        finished_at: at,
        fetched: 0,
        new_posts: 0,
        flagged: 0,
        error: (state != "ok").then(|| {
            (
                "http-432".to_string(),
                "Weibo refused the request".to_string(),
            )
        }),
        state: state.into(),
    };
    store.record_run(&run("yyt", "ok", t0)).unwrap();
    store.record_run(&run("cctv", "ok", t0)).unwrap();
    for tick in 0..3 {
        let at = t0 + chrono::Duration::minutes(5 * tick);
        store.record_run(&run("yyt", "needs-cookie", at)).unwrap();
        alert::deliver(&store, &client(), &cfg, at).await.unwrap();
    }
    let ops = svc.on("/ops");
    assert_eq!(ops.len(), 1, "one alert, not one per tick");
    let b = ops[0].json();
    assert_eq!(b["kind"], "operator");
    assert!(
        b["title"]
            .as_str()
            .unwrap()
            .contains("yyt (玉渊谭天) needs a new cookie"),
        "{b}"
    );
    assert!(
        svc.on("/analysts").is_empty(),
        "operator alerts only go to operator channels"
    );

    // cctv fails: nothing until stale_after (1 h) has passed since its last good run.
    store
        .record_run(&run("cctv", "failing", t0 + chrono::Duration::minutes(30)))
        .unwrap();
    alert::deliver(&store, &client(), &cfg, t0 + chrono::Duration::minutes(30))
        .await
        .unwrap();
    assert_eq!(svc.on("/ops").len(), 1);
    store
        .record_run(&run("cctv", "failing", t0 + chrono::Duration::minutes(70)))
        .unwrap();
    alert::deliver(&store, &client(), &cfg, t0 + chrono::Duration::minutes(70))
        .await
        .unwrap();
    alert::deliver(&store, &client(), &cfg, t0 + chrono::Duration::minutes(75))
        .await
        .unwrap();
    let ops = svc.on("/ops");
    assert_eq!(ops.len(), 2);
    assert!(ops[1].json()["title"]
        .as_str()
        .unwrap()
        .contains("cctv (央视新闻) has been failing too long"));

    // yyt recovers, then breaks again: a new incident, a new alert.
    let t1 = t0 + chrono::Duration::minutes(80);
    store.record_run(&run("yyt", "ok", t1)).unwrap();
    alert::deliver(&store, &client(), &cfg, t1).await.unwrap();
    store.record_run(&run("yyt", "layout-changed", t1)).unwrap();
    alert::deliver(&store, &client(), &cfg, t1 + chrono::Duration::minutes(1))
        .await
        .unwrap();
    let ops = svc.on("/ops");
    assert_eq!(ops.len(), 3);
    assert!(ops[2].json()["title"]
        .as_str()
        .unwrap()
        .contains("changed its page layout"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_alert_survives_the_process_being_killed_between_flag_and_send() {
    const UID: &str = "6279793937";
    let weibo = Arc::new(crate::common::WeiboState::default());
    weibo.timelines.lock().unwrap().insert(
        format!("107603{UID}"),
        crate::common::read_fixture("weibo/mixed_trade_getindex.json"),
    );
    let waddr = crate::common::weibo_server(weibo).await;
    let (svc, haddr) = services().await;
    svc.hang.store(true, Ordering::SeqCst);
    let dir = tempfile::tempdir().unwrap();
    let config = crate::common::write_config(dir.path(), waddr, haddr, UID);
    let db = dir.path().join("windvane.db");

    // The post is flagged and stored with its alert; the send hangs; SIGKILL.
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("windvane"))
        .arg("--config")
        .arg(&config)
        .arg("once")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    for _ in 0..200 {
        if !svc.arrived.lock().unwrap().is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    let first = svc.arrived.lock().unwrap().clone();
    assert_eq!(first.len(), 1, "the send started");
    child.kill().unwrap(); // SIGKILL on Unix
    child.wait().unwrap();
    let status = |db: &Path| -> (String, i64) {
        rusqlite::Connection::open(db)
            .unwrap()
            .query_row("SELECT status, attempts FROM alerts", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap()
    };
    assert_eq!(status(&db), ("pending".to_string(), 0));
    assert!(svc.on("/hook").is_empty());

    // Restart: the alert goes out, with the same idempotency key.
    svc.hang.store(false, Ordering::SeqCst);
    let out = tokio::task::spawn_blocking(move || {
        assert_cmd::Command::cargo_bin("windvane")
            .unwrap()
            .arg("--config")
            .arg(&config)
            .arg("once")
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let hook = svc.on("/hook");
    assert_eq!(hook.len(), 1);
    assert_eq!(
        hook[0].headers["idempotency-key"].to_str().unwrap(),
        first[0]
    );
    assert_eq!(hook[0].json()["label"], "talks");
    assert_eq!(status(&db).0, "sent");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cli_tests_a_channel_lists_and_retries_alerts() {
    let (svc, addr) = services().await;
    let dir = tempfile::tempdir().unwrap();
    let alerts = format!(
        "[[alerts]]\nid = \"hook\"\nkind = \"webhook\"\nurl = \"http://{addr}/hook\"\nmax_attempts = 1\n"
    );
    let path = dir.path().join("w.toml");
    std::fs::write(&path, config_text(dir.path(), &alerts)).unwrap();
    let run = |args: &'static [&'static str]| {
        let path = path.clone();
        tokio::task::spawn_blocking(move || {
            assert_cmd::Command::cargo_bin("windvane")
                .unwrap()
                .arg("--config")
                .arg(&path)
                .args(args)
                .output()
                .unwrap()
        })
    };
    let out = run(&["alerts", "test", "hook"]).await.unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("hook (webhook): sent; the service answered 200"),
        "{stdout}"
    );
    // No database yet: a bundled real post (src/demo), as the classifier flags it, through
    // the channel's real message.
    let b = svc.on("/hook")[0].json();
    assert!(b["title"].as_str().unwrap().starts_with("[test] "), "{b}");
    assert_eq!(b["source"], "demo");
    let text = b["text"].as_str().unwrap();
    assert!(
        !text.contains("测试消息"),
        "not a hand-written sentence: {text}"
    );
    let demo: String = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/demo/media2019_getindex.json"),
    )
    .unwrap();
    let first_words: String = text.chars().take(12).collect();
    assert!(demo.contains(&first_words), "{text}");
    let evidence = b["evidence"].as_array().unwrap();
    assert!(!evidence.is_empty(), "{b}");
    for e in evidence {
        assert!(text.contains(e["term"].as_str().unwrap()), "{e}");
    }
    assert!(b["message"].as_str().unwrap().contains("Evidence:"), "{b}");
    let out = run(&["alerts", "test", "nope"]).await.unwrap();
    assert_eq!(out.status.code(), Some(2));

    // One alert fails for good (max_attempts = 1), is listed, and is requeued.
    let cfg = config(dir.path(), &alerts);
    let store = store(&cfg);
    flag(&store, &cfg, "yyt", "x", Label::Talks, 0.9, Utc::now());
    *svc.fail_next.lock().unwrap() = 1;
    let r = alert::deliver(&store, &client(), &cfg, Utc::now())
        .await
        .unwrap();
    assert_eq!(r.failed, 1);
    let out = run(&["alerts", "list", "--status", "failed"])
        .await
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("failed") && stdout.contains("HTTP 503"),
        "{stdout}"
    );
    assert!(stdout.contains("1 alerts"), "{stdout}");
    let out = run(&["alerts", "retry", "--failed"]).await.unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("1 alerts requeued"));
    assert_eq!(statuses(&store), ["pending"]);
    let r = alert::deliver(&store, &client(), &cfg, Utc::now())
        .await
        .unwrap();
    assert_eq!(r.sent, 1);

    // With a flagged post stored, the test alert carries that post.
    let out = run(&["alerts", "test", "hook"]).await.unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let hooks = svc.on("/hook");
    let b = hooks.last().unwrap().json();
    assert_eq!(b["text"], TEXT);
    assert_eq!(b["source"], "yyt");
    assert_eq!(b["title"], "[test] Negotiation signal · 玉渊谭天 · 0.90");
    assert_ne!(
        hooks.last().unwrap().headers["idempotency-key"],
        hooks[hooks.len() - 2].headers["idempotency-key"]
    );
}

/// A receiver that moves: `/moved` answers 302, `/see` 303, `/temp` 307 (same host),
/// `/away` 308 to another host name; `/final` records what reaches it, with its method.
async fn moving_receiver() -> (
    Arc<Mutex<Vec<(String, String, String)>>>,
    std::net::SocketAddr,
) {
    let seen: Arc<Mutex<Vec<(String, String, String)>>> = Arc::default();
    let s = seen.clone();
    let app = Router::new().fallback(
        move |method: axum::http::Method, uri: Uri, headers: HeaderMap, body: String| {
            let s = s.clone();
            async move {
                let port = headers
                    .get("host")
                    .and_then(|h| h.to_str().ok())
                    .and_then(|h| h.rsplit(':').next())
                    .unwrap_or("")
                    .to_string();
                let to = |status: u16, loc: String| {
                    (
                        StatusCode::from_u16(status).unwrap(),
                        [("location", loc)],
                        "",
                    )
                        .into_response()
                };
                match uri.path() {
                    "/moved" => to(302, "/final".into()),
                    "/see" => to(303, "/final?token=s3cret".into()),
                    "/temp" => to(307, "/final".into()),
                    "/loop" => to(307, "/loop".into()),
                    "/away" => to(308, format!("http://localhost:{port}/final")),
                    _ => {
                        let key = headers
                            .get("idempotency-key")
                            .and_then(|v| v.to_str().ok())
                            .unwrap_or("")
                            .to_string();
                        s.lock()
                            .unwrap()
                            .push((method.to_string(), key, body.clone()));
                        StatusCode::OK.into_response()
                    }
                }
            }
        },
    );
    (seen, serve(app).await)
}

#[tokio::test]
async fn redirects_never_turn_an_alert_into_a_bodyless_get() {
    let (seen, addr) = moving_receiver().await;
    let dir = tempfile::tempdir().unwrap();
    let hook = |id: &str, path: &str| {
        format!("[[alerts]]\nid = \"{id}\"\nkind = \"webhook\"\nurl = \"http://{addr}{path}\"\n")
    };
    let cfg = config(
        dir.path(),
        &[
            hook("moved", "/moved"),
            hook("see", "/see"),
            hook("temp", "/temp"),
            hook("loop", "/loop"),
            hook("away", "/away"),
        ]
        .concat(),
    );
    let store = store(&cfg);
    assert_eq!(
        flag(&store, &cfg, "yyt", "r1", Label::Talks, 0.9, Utc::now()),
        5
    );
    let r = alert::deliver(&store, &client(), &cfg, Utc::now())
        .await
        .unwrap();
    assert_eq!((r.sent, r.retrying), (1, 4), "{r:?}");
    let by_channel: HashMap<String, windvane::store::AlertRow> = store
        .alerts(None)
        .unwrap()
        .into_iter()
        .map(|a| (a.channel_id.clone(), a))
        .collect();
    // 307 on the same host: followed with the same method, body and key.
    assert_eq!(by_channel["temp"].status, "sent");
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 1, "only the 307 reached /final: {seen:?}");
    let (method, key, body) = &seen[0];
    assert_eq!(method, "POST");
    assert_eq!(key, &by_channel["temp"].idempotency_key);
    assert!(body.contains("美方"), "{body}");
    // 302/303: a failure naming the new location (without its query); never a GET.
    for (ch, status) in [("moved", 302), ("see", 303)] {
        let a = &by_channel[ch];
        assert_eq!(a.status, "pending");
        let err = a.last_error.as_deref().unwrap_or("");
        assert!(
            err.contains(&format!("HTTP {status}"))
                && err.contains(&format!("http://{addr}/final")),
            "{ch}: {err}"
        );
        assert!(!err.contains("s3cret"), "{err}");
    }
    // 308 to another host, and an endless 307: failures too.
    let away = by_channel["away"].last_error.as_deref().unwrap_or("");
    assert!(
        away.contains("HTTP 308") && away.contains("localhost") && away.contains("own host"),
        "{away}"
    );
    let looped = by_channel["loop"].last_error.as_deref().unwrap_or("");
    assert!(looped.contains("too many redirects"), "{looped}");
}

#[tokio::test]
async fn a_secret_echoed_by_the_service_is_redacted_wherever_the_answer_is_kept() {
    // The robot answers with the request's own address (token included) in its error, and
    // Slack-style with the path token.
    let app = Router::new().fallback(|uri: Uri| async move {
        (
            StatusCode::OK,
            format!(
                r#"{{"errcode":310000,"errmsg":"keywords not in content; you called {uri} (access_token={})"}}"#,
                uri.query().unwrap_or("").trim_start_matches("access_token=")
            ),
        )
    });
    let addr = serve(app).await;
    let dir = tempfile::tempdir().unwrap();
    let cfg = config(
        dir.path(),
        &format!("[[alerts]]\nid = \"ding\"\nkind = \"dingtalk\"\nurl = \"http://{addr}/robot/send?access_token=SECRETTOKEN123456\"\n"),
    );
    let store = store(&cfg);
    flag(&store, &cfg, "yyt", "s1", Label::Talks, 0.9, Utc::now());
    let r = alert::deliver(&store, &client(), &cfg, Utc::now())
        .await
        .unwrap();
    assert_eq!(r.retrying, 1, "{r:?}");
    let err = store.alerts(None).unwrap()[0]
        .last_error
        .clone()
        .unwrap_or_default();
    assert!(err.contains("310000"), "{err}");
    assert!(!err.contains("SECRETTOKEN123456"), "{err}");
    assert!(err.contains("<redacted>"), "{err}");
}
