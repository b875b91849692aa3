//! Cluster mode's alerts beyond single posts (issue 15, "Shared outbox"): corroborated and
//! operator alerts, the daily digest and the rate-limit digest keep one process's semantics
//! when several instances share one PostgreSQL. Each "instance" here is a `PgStore` handle with
//! its own owner name going through the same rounds as the daemon's outbox loop
//! (`alert::shared`); the last test runs three real binaries.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Router;
use chrono::{DateTime, Utc};
use windvane::alert::derive::{self, IncidentStep};
use windvane::alert::{self, Alerting, DispatchReport};
use windvane::classify::{Classification, Label, LabelScore};
use windvane::config::Config;
use windvane::states::{AlertKind, AlertStatus, SourceState};
use windvane::store::pg::{PgStore, RunItem, RunOutcome, SourceSpec};

use super::TempPostgres;
use crate::common::serve;

/// One request a channel's receiver got.
#[derive(Debug, Clone)]
struct Hit {
    path: String,
    body: serde_json::Value,
}

/// A loopback receiver for every channel: records each request and answers as DingTalk does
/// (a webhook takes any 2xx), or 503 while a path has failures left.
#[derive(Default)]
struct Receivers {
    hits: Mutex<Vec<Hit>>,
    fail: Mutex<HashMap<String, usize>>,
}

impl Receivers {
    fn on(&self, path: &str) -> Vec<serde_json::Value> {
        self.hits
            .lock()
            .unwrap()
            .iter()
            .filter(|h| h.path == path)
            .map(|h| h.body.clone())
            .collect()
    }

    fn kinds(&self, path: &str, kind: &str) -> Vec<serde_json::Value> {
        self.on(path)
            .into_iter()
            .filter(|b| b["kind"] == kind)
            .collect()
    }
}

async fn receive(
    State(st): State<Arc<Receivers>>,
    uri: Uri,
    _headers: HeaderMap,
    body: String,
) -> Response {
    let path = uri.path().to_string();
    if let Some(n) = st.fail.lock().unwrap().get_mut(&path) {
        if *n > 0 {
            *n -= 1;
            return (StatusCode::SERVICE_UNAVAILABLE, "down").into_response();
        }
    }
    st.hits.lock().unwrap().push(Hit {
        path,
        body: serde_json::from_str(&body).unwrap_or(serde_json::Value::Null),
    });
    (StatusCode::OK, r#"{"errcode":0,"errmsg":"ok"}"#).into_response()
}

/// A shared database, the configuration every instance reads and the channels' receivers.
struct Cluster {
    _pg: TempPostgres,
    db: PgStore,
    cfg: Config,
    rx: Arc<Receivers>,
    client: reqwest::Client,
    _dir: tempfile::TempDir,
}

const TEXT: &str = "美方近期通过多种渠道主动接触中方，希望就关税问题进行谈判。";

const SOURCES: [(&str, &str); 3] = [
    ("yyt", "玉渊谭天"),
    ("cctv", "央视新闻"),
    ("xinhua", "新华社"),
];

/// A webhook channel `id` posting to the receivers' `/{id}`, with more `keys`.
fn webhook(id: &str, keys: &str) -> String {
    format!(
        "[[alerts]]\nid = \"{id}\"\nkind = \"webhook\"\nurl = \"http://{{addr}}/{id}\"\n{keys}\n\n"
    )
}

/// A daily digest at 00:00 UTC: due all day long, whenever the test runs.
const DAILY: &str = "digest_at = \"00:00\"\ntimezone = \"UTC\"";

/// `alerts` is the `[[alerts]]` tables, with `{addr}` standing for the receivers' address.
async fn cluster(alerts: &str) -> Cluster {
    let dir = tempfile::tempdir().unwrap();
    let pg = TempPostgres::start();
    let db = pg.store().await;
    let rx = Arc::new(Receivers::default());
    let addr: SocketAddr = serve(Router::new().fallback(receive).with_state(rx.clone())).await;
    let mut text = format!(
        "[store]\npath = \"{}\"\n",
        dir.path().join("w.db").display()
    );
    for (i, (id, name)) in SOURCES.iter().enumerate() {
        text.push_str(&format!(
            "\n[[sources]]\nid = \"{id}\"\nname = \"{name}\"\nkind = \"weibo\"\nuid = \"74198342{i}\"\nschedule = \"every 1h\"\n"
        ));
        db.upsert_source(&SourceSpec {
            id: id.to_string(),
            kind: "weibo".into(),
            name: name.to_string(),
            egress: None,
            every: Duration::from_secs(3600),
        })
        .await
        .unwrap();
    }
    text.push('\n');
    text.push_str(&alerts.replace("{addr}", &addr.to_string()));
    let cfg = Config::from_toml_str(&text, None).unwrap_or_else(|e| panic!("{e}"));
    let fetch = windvane::config::FetchConfig {
        timeout: Duration::from_secs(5),
        ..Default::default()
    };
    let client = windvane::fetch::Fetcher::new(&fetch)
        .unwrap()
        .alert_client()
        .clone();
    Cluster {
        _pg: pg,
        db,
        cfg,
        rx,
        client,
        _dir: dir,
    }
}

impl Cluster {
    /// Stores new posts of `source`, flagged `label` at `score`, with the alerts `plan` gives
    /// them, as a run would.
    async fn flag(&self, source: &str, ids: &[&str], label: Label, score: f64, at: DateTime<Utc>) {
        let name = &self
            .cfg
            .sources
            .iter()
            .find(|s| s.id == source)
            .unwrap()
            .name;
        let items: Vec<RunItem> = ids
            .iter()
            .map(|id| {
                let post = crate::common::weibo_post(id, name, TEXT, at);
                let c = Classification {
                    labels: vec![LabelScore {
                        label,
                        score,
                        evidence: Vec::new(),
                    }],
                    explanation: "The US reached out seeking tariff talks.".into(),
                    events: Vec::new(),
                    version: "test".into(),
                };
                let alerts = alert::plan(source, name, &post, &c, &self.cfg.alerts);
                RunItem::new(&post, c, alerts)
            })
            .collect();
        self.db.ingest(source, "weibo", name, &items).await.unwrap();
    }

    /// One outbox round of instance `owner`, as the daemon's: operator incidents, then every
    /// channel it can take; at the end it lets its channels go, so the next round may be
    /// another instance's (a change of holder).
    async fn round(&self, owner: &str) -> DispatchReport {
        let cfg = Alerting::from(&self.cfg);
        alert::shared::raise_operator(&self.db, &cfg).await.unwrap();
        let mut total = DispatchReport::default();
        for ch in &self.cfg.alerts {
            let Some(lease) = self
                .db
                .take_channel(&ch.id, owner, Duration::from_secs(60))
                .await
                .unwrap()
            else {
                continue;
            };
            let r = alert::shared::send_channel(&self.db, &self.client, &cfg, ch, &lease)
                .await
                .unwrap();
            total.sent += r.sent;
            total.held += r.held;
            total.digests += r.digests;
            total.failed += r.failed;
            total.retrying += r.retrying;
            self.db.release_channel(&lease).await.unwrap();
        }
        total
    }

    /// Rounds of instances `a` and `b` at the same time.
    async fn race(&self) {
        tokio::join!(self.round("a"), self.round("b"));
    }

    async fn alerts_of(&self, kind: AlertKind) -> Vec<windvane::store::AlertRow> {
        self.db
            .alerts(None)
            .await
            .unwrap()
            .into_iter()
            .filter(|a| a.kind == kind)
            .collect()
    }
}

/// A failed run of `source` leaving it in `state` (or a good run), due again at once.
async fn run(db: &PgStore, source: &str, outcome: RunOutcome) {
    let ids = vec![source.to_string()];
    let lease = db
        .claim_due_among("runner", "direct", 1, Duration::from_secs(60), Some(&ids))
        .await
        .unwrap()
        .pop()
        .expect("the source is due");
    let error = (outcome != RunOutcome::Ok).then_some("HTTP 432 from m.weibo.cn");
    db.commit_run_items(&lease, &[], outcome, error, Some(Duration::ZERO))
        .await
        .unwrap();
}

/// Two sources raising `talks` within the window give one corroborated alert per channel,
/// however many instances hold the channel in turn or race for it: the third source that
/// joins later (a different set of posts, so a different idempotency key) raises none within
/// the window. The break tried: `raise_corroborated` without its window condition (the
/// `WHERE corroborated_labels.raised_at <= …`) sends a second corroborated alert here.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_corroboration_is_raised_once_per_window_whoever_holds_the_channel() {
    let c = cluster(
        &[
            webhook("hook", r#"labels = ["talks"]"#),
            webhook("other", r#"labels = ["escalation"]"#),
        ]
        .concat(),
    )
    .await;
    let t0 = Utc::now() - chrono::Duration::minutes(10);
    c.flag("yyt", &["p1"], Label::Talks, 0.8, t0).await;
    c.flag("cctv", &["p2"], Label::Talks, 0.7, t0).await;
    c.round("a").await;
    let corroborated = c.rx.kinds("/hook", "corroborated");
    assert_eq!(corroborated.len(), 1, "{corroborated:?}");
    let names: Vec<&str> = corroborated[0]["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["yyt", "cctv"], "best score first");
    assert_eq!(c.rx.kinds("/hook", "post").len(), 2);

    // A third source within the window; the channel changes hands and instances race.
    c.flag("xinhua", &["p3"], Label::Talks, 0.9, t0).await;
    c.round("b").await;
    for _ in 0..3 {
        c.race().await;
    }
    assert_eq!(c.rx.kinds("/hook", "post").len(), 3);
    assert_eq!(
        c.rx.kinds("/hook", "corroborated").len(),
        1,
        "one corroborated alert per label and window"
    );
    assert!(
        c.rx.on("/other").is_empty(),
        "a channel that does not want the label"
    );
    let rows = c.alerts_of(AlertKind::Corroborated).await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].status, AlertStatus::Sent);
}

/// A source that needs a cookie raises one operator alert per operator channel, not one per
/// round: two instances opening the incident at once queue one alert between them, and rounds
/// racing while the source keeps failing add none; once it is healthy the incident closes,
/// and a new failure is a new incident with its own alert. The break tried: `open_incident`
/// without `WHERE operator_incidents.condition <> excluded.condition` queues both racers'
/// alerts.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_operator_incident_alerts_once_across_instances() {
    let c = cluster(
        &[
            webhook("ops", "operator = true\nlabels = [\"purchase\"]"),
            webhook("analysts", ""),
        ]
        .concat(),
    )
    .await;
    run(&c.db, "cctv", RunOutcome::Ok).await;
    run(&c.db, "yyt", RunOutcome::Failed(SourceState::NeedsCookie)).await;
    // Two instances judged the source at the same time, each on its own round: both found no
    // incident open and both open one, with alerts keyed by their own round's time.
    let cfg = Alerting::from(&c.cfg);
    let src = cfg.sources.iter().find(|s| s.id == "yyt").unwrap();
    let health = c.db.source_health().await.unwrap();
    let h = health.iter().find(|h| h.id == "yyt").unwrap();
    let t = c.db.now().await.unwrap();
    assert_eq!(
        derive::incident_step(h, src.stale_after, None, t),
        IncidentStep::Open("needs-cookie")
    );
    let a = derive::operator_alerts(&cfg, src, h, "needs-cookie", t);
    let b = derive::operator_alerts(
        &cfg,
        src,
        h,
        "needs-cookie",
        t + chrono::Duration::seconds(1),
    );
    assert_ne!(a[0].idempotency_key, b[0].idempotency_key);
    let (qa, qb) = tokio::join!(
        c.db.open_incident("yyt", "needs-cookie", &a),
        c.db.open_incident("yyt", "needs-cookie", &b)
    );
    assert_eq!(qa.unwrap() + qb.unwrap(), 1, "one of them queues the alert");
    for _ in 0..3 {
        run(&c.db, "yyt", RunOutcome::Failed(SourceState::NeedsCookie)).await;
        c.race().await;
    }
    let ops = c.rx.kinds("/ops", "operator");
    assert_eq!(
        ops.len(),
        1,
        "one alert per incident, not per round: {ops:?}"
    );
    let title = ops[0]["title"].as_str().unwrap();
    assert!(
        title.contains("yyt (玉渊谭天) needs a new cookie"),
        "{title}"
    );
    assert!(c.rx.on("/analysts").is_empty(), "only operator channels");

    // Healthy again: the incident closes without an alert; failing again is a new incident.
    run(&c.db, "yyt", RunOutcome::Ok).await;
    c.race().await;
    assert_eq!(c.rx.kinds("/ops", "operator").len(), 1);
    run(&c.db, "yyt", RunOutcome::Failed(SourceState::LayoutChanged)).await;
    c.race().await;
    c.race().await;
    let ops = c.rx.kinds("/ops", "operator");
    assert_eq!(ops.len(), 2, "{ops:?}");
    assert!(ops[1]["title"]
        .as_str()
        .unwrap()
        .contains("changed its page layout"));
    assert_eq!(c.alerts_of(AlertKind::Operator).await.len(), 2);
}

/// Over a channel's rate limit the rest of the due alerts go out as one digest, the last
/// message the limit allows, as in one process (tests/it/alerts.rs
/// `rate_limit_folds_the_excess_into_one_digest`, same figures): a webhook with
/// `max_per_hour = 3` gets 2 alerts and a digest of 23; DingTalk (20 a minute) 19 and a digest
/// of 6. A digest counts as one message: a later alert waits, it does not go out. The break
/// tried: `shared::send_due` not sending the fold (the rest waiting for room, as before) gets
/// the webhook 2 messages, not 3.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn alerts_over_a_rate_limit_fold_into_one_digest() {
    let c = cluster(
        &[
            webhook("hook", "max_per_hour = 3"),
            "[[alerts]]\nid = \"ding\"\nkind = \"dingtalk\"\n".into(),
            "url = \"http://{addr}/dingtalk/send?access_token=t\"\n".into(),
        ]
        .concat(),
    )
    .await;
    let t0 = Utc::now();
    let ids: Vec<String> = (0..25).map(|i| format!("p{i}")).collect();
    let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    c.flag("yyt", &ids, Label::Talks, 0.8, t0).await;
    for _ in 0..3 {
        c.race().await;
    }
    let hook = c.rx.on("/hook");
    assert_eq!(hook.len(), 3, "messages on the webhook");
    assert_eq!(hook[2]["kind"], "digest");
    assert_eq!(hook[2]["items"].as_array().unwrap().len(), 23);
    let ding = c.rx.on("/dingtalk/send");
    assert_eq!(ding.len(), 20);
    let title = ding[19]["markdown"]["title"].as_str().unwrap();
    assert!(title.contains("6 alerts"), "{title}");
    let rows = c.db.alerts(None).await.unwrap();
    assert!(rows.iter().all(|a| a.status == AlertStatus::Sent));
    assert_eq!(rows.iter().filter(|a| a.digest_key.is_some()).count(), 29);

    // The hour's room is spent (3 messages, however many alerts they carried): a new alert
    // waits on the webhook, while DingTalk's minute is spent too.
    c.flag("yyt", &["late"], Label::Talks, 0.8, t0).await;
    c.race().await;
    assert_eq!(c.rx.on("/hook").len(), 3);
    let pending = c.db.alerts(Some(AlertStatus::Pending)).await.unwrap();
    assert_eq!(pending.len(), 2, "one per channel, held");
}

/// A failed send keeps the channel's later alerts waiting behind it (they go out in order
/// once it does), whichever instance holds the channel next, as in one process. The break
/// tried: `due_alerts` without its `NOT EXISTS` clause sends the two later alerts in the
/// second round, ahead of the first.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_alert_keeps_the_later_ones_of_its_channel_waiting() {
    let c = cluster(&webhook("hook", "")).await;
    c.rx.fail.lock().unwrap().insert("/hook".into(), 1);
    c.flag("yyt", &["p1", "p2", "p3"], Label::Talks, 0.8, Utc::now())
        .await;
    let first = c.round("a").await;
    assert_eq!((first.sent, first.retrying), (0, 1));
    c.round("b").await;
    c.race().await;
    assert!(
        c.rx.on("/hook").is_empty(),
        "the later alerts wait behind the first"
    );
    let pending = c.db.alerts(Some(AlertStatus::Pending)).await.unwrap();
    assert_eq!(pending.len(), 3);
    assert_eq!(pending[0].attempts, 1);
}

/// The daily digest goes out once per channel and day across the cluster: the holder sends
/// it, later rounds of any instance do not; one that failed is sent by the next holder, once.
/// The break tried: `send_daily_digest` without the `daily_digest_sent` look-up and
/// `mark_daily_digest` without `WHERE daily_digests.sent_at IS NULL` sends it every round.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_daily_digest_goes_out_once_per_channel_and_day() {
    let c = cluster(
        &[
            webhook("hook", DAILY),
            webhook("late", &format!("labels = [\"escalation\"]\n{DAILY}")),
        ]
        .concat(),
    )
    .await;
    c.rx.fail.lock().unwrap().insert("/late".into(), 1);
    c.flag("yyt", &["p1"], Label::Talks, 0.8, Utc::now()).await;
    let first = c.round("a").await;
    assert_eq!(first.digests, 1, "the hook's digest; the late one failed");
    for _ in 0..3 {
        c.race().await;
    }
    let digests: Vec<serde_json::Value> =
        c.rx.on("/hook")
            .into_iter()
            .filter(|b| b["title"].as_str().unwrap_or("").contains("daily digest"))
            .collect();
    assert_eq!(digests.len(), 1, "daily digests on the hook");
    assert!(digests[0]["title"].as_str().unwrap().contains("1 signals"));
    assert_eq!(c.rx.on("/late").len(), 1, "sent once after its failure");
    assert_eq!(c.rx.kinds("/hook", "post").len(), 1);
}

/// Three instances (real binaries) on one database: two accounts post the same `talks`
/// post, and one account answers 404 on every run. However the instances share the
/// channel's rounds and the runs, the webhook gets exactly one corroborated alert and the
/// operator channel exactly one operator alert for the stale account (not one per tick or per
/// instance). The break tried: the daemon's outbox round not raising operator alerts
/// (`raise_operator` left out of `send_held_channels`) fails the wait for them.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn three_instances_raise_one_corroborated_and_one_operator_alert() {
    use super::binary::{every_account_fetched, logs, until, world, Instance};
    const ACCOUNTS: usize = 6;
    let mut w = world(ACCOUNTS, "2s", "5s").await;
    w.setup.extra = format!(
        r#"
[[alerts]]
id = "ops"
kind = "webhook"
url = "http://{hook}/hook"
operator = true
labels = ["purchase"]
min_score = 0.99

[[sources]]
id = "gone"
kind = "weibo"
uid = "5999999999"
schedule = "every 2s"
stale_after = "1s"
api_base = "http://{weibo}"
passport_base = "http://{weibo}"
"#,
        hook = w.setup.hook,
        weibo = w.setup.weibo,
    );
    let instances: Vec<Instance> = ["i1", "i2", "i3"]
        .iter()
        .map(|id| Instance::start(&w.setup, id, "direct"))
        .collect();
    let kinds = |kind: &str| {
        w.hook
            .calls
            .lock()
            .unwrap()
            .iter()
            .filter(|c| c.body["kind"] == kind)
            .count()
    };
    let refs: Vec<&Instance> = instances.iter().collect();
    assert!(
        until(Duration::from_secs(90), || async {
            kinds("corroborated") >= 1 && kinds("operator") >= 1
        })
        .await,
        "no corroborated or operator alert\n{}",
        logs(&refs)
    );
    // Several more runs and outbox rounds on every instance while the incident stays open.
    let seen = w.fake.fetches().values().copied().min().unwrap_or(0);
    assert!(
        until(Duration::from_secs(90), || every_account_fetched(
            &w.fake,
            ACCOUNTS,
            seen + 3
        ))
        .await,
        "the accounts were not fetched again\n{}",
        logs(&refs)
    );
    for mut i in instances {
        assert!(i.stop().success(), "{}", i.log_text());
    }
    assert_eq!(kinds("corroborated"), 1, "one corroborated alert");
    assert_eq!(
        kinds("operator"),
        1,
        "one operator alert for the whole cluster"
    );
    assert_eq!(kinds("post"), 2, "accounts 0 and 3 post `talks`");
    let ops = w.admin.alerts(None).await.unwrap();
    assert_eq!(
        ops.iter().filter(|a| a.kind == AlertKind::Operator).count(),
        1
    );
}
