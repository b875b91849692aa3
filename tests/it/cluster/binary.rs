//! Cluster mode with the real binary: several `windvane run` processes on one throwaway
//! PostgreSQL, a loopback Weibo-format server that records every request per account (and any
//! two in flight at once for one account), and a loopback webhook.

use std::collections::{HashMap, HashSet};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use chrono::Utc;
use windvane::store::pg::PgStore;

use super::TempPostgres;
use crate::common::{serve, webhook_server, Receiver};
use crate::daemon::{card, TALKS};

/// uids are `UID_BASE + i`.
const UID_BASE: u64 = 6_000_000_000;

/// The fake m.weibo.cn: per account two posts (every third account's first post is a `talks`
/// post, which alerts), answered after `delay`; requests whose User-Agent contains `refuse`
/// are answered 418.
#[derive(Default)]
pub(super) struct Fake {
    bodies: HashMap<String, String>,
    in_flight: Mutex<HashMap<String, u32>>,
    /// Accounts that had two requests in flight at once.
    overlaps: Mutex<Vec<String>>,
    /// Timeline requests answered 200, per uid.
    fetches: Mutex<HashMap<String, u32>>,
    /// Requests per User-Agent (answered or refused).
    by_agent: Mutex<HashMap<String, u32>>,
    delay: Mutex<Duration>,
    refuse: Mutex<Option<String>>,
}

impl Fake {
    fn new(accounts: usize) -> Fake {
        let created = Utc::now() - chrono::Duration::hours(1);
        let bodies = (0..accounts)
            .map(|i| {
                let uid = (UID_BASE + i as u64).to_string();
                let first = if i % 3 == 0 {
                    TALKS
                } else {
                    "今天的天气很好，市民出门散步。"
                };
                let cards = [
                    card(&format!("{uid}01"), first, created, 0),
                    card(
                        &format!("{uid}02"),
                        "城市公园里的花开了。",
                        created - chrono::Duration::minutes(5),
                        0,
                    ),
                ];
                let body = serde_json::json!({"ok": 1, "data": {
                    "cardlistInfo": {"containerid": format!("107603{uid}"), "total": 2},
                    "cards": cards}})
                .to_string();
                (uid, body)
            })
            .collect();
        Fake {
            bodies,
            ..Fake::default()
        }
    }

    pub(super) fn fetches(&self) -> HashMap<String, u32> {
        self.fetches.lock().unwrap().clone()
    }

    fn agent_count(&self, needle: &str) -> u32 {
        self.by_agent
            .lock()
            .unwrap()
            .iter()
            .filter(|(a, _)| a.contains(needle))
            .map(|(_, n)| *n)
            .sum()
    }
}

/// Counts a request in flight for an account until dropped (also when the client goes away).
struct InFlight<'a> {
    fake: &'a Fake,
    uid: String,
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        if let Some(n) = self.fake.in_flight.lock().unwrap().get_mut(&self.uid) {
            *n -= 1;
        }
    }
}

async fn get_index(
    State(fake): State<Arc<Fake>>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let agent = headers
        .get("user-agent")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    *fake
        .by_agent
        .lock()
        .unwrap()
        .entry(agent.clone())
        .or_default() += 1;
    let uid = match q.get("containerid") {
        Some(cid) => cid.trim_start_matches("107603").to_string(),
        None => q.get("value").cloned().unwrap_or_default(),
    };
    {
        let mut f = fake.in_flight.lock().unwrap();
        let n = f.entry(uid.clone()).or_default();
        *n += 1;
        if *n > 1 {
            fake.overlaps.lock().unwrap().push(uid.clone());
        }
    }
    let _guard = InFlight {
        fake: &fake,
        uid: uid.clone(),
    };
    let delay = *fake.delay.lock().unwrap();
    tokio::time::sleep(delay).await;
    let refuse = fake.refuse.lock().unwrap().clone();
    if refuse.is_some_and(|r| agent.contains(&r)) {
        return StatusCode::IM_A_TEAPOT.into_response();
    }
    if !q.contains_key("containerid") {
        // No profile: the client uses the default container 107603{uid}.
        return (
            [("content-type", "application/json")],
            r#"{"ok":0,"msg":"这里还没有内容","data":{"cards":[]}}"#,
        )
            .into_response();
    }
    match fake.bodies.get(&uid) {
        Some(body) => {
            *fake.fetches.lock().unwrap().entry(uid).or_default() += 1;
            ([("content-type", "application/json")], body.clone()).into_response()
        }
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

async fn fake_weibo(fake: Arc<Fake>) -> SocketAddr {
    serve(
        Router::new()
            .route("/api/container/getIndex", get(get_index))
            .with_state(fake),
    )
    .await
}

/// The test cluster's connection string: the socket folder percent-encoded as the host.
pub fn url_of(pg: &TempPostgres) -> String {
    let host = pg.socket_dir.display().to_string().replace('/', "%2F");
    format!("postgres://windvane@{host}:5432/postgres")
}

/// What every instance's configuration shares.
pub(super) struct Setup {
    dir: PathBuf,
    url: String,
    pub(super) weibo: SocketAddr,
    pub(super) hook: SocketAddr,
    accounts: usize,
    every: &'static str,
    lease_ttl: &'static str,
    concurrency: usize,
    /// The first this many accounts are pinned to egress `b`.
    pinned_to_b: usize,
    /// TOML appended to every instance's configuration (more channels, sources).
    pub(super) extra: String,
}

impl Setup {
    fn config(&self, id: &str, egress: &str) -> PathBuf {
        let mut text = format!(
            r#"
[store]
url = "{url}"

[instance]
id = "{id}"
egress = "{egress}"
lease_ttl = "{ttl}"
egress_cooldown = "1h"

[daemon]
max_concurrency = {conc}
metrics_listen = "off"
dispatch_interval = "1s"
shutdown_grace = "10s"

[fetch]
user_agent = "windvane-test instance={id} egress={egress}"
min_interval_per_host = "2ms"
retries = 0
timeout = "1s"
jitter = "0s"

[[alerts]]
id = "hook"
kind = "webhook"
url = "http://{hook}/hook"
labels = ["talks"]
min_score = 0.5
"#,
            url = self.url,
            ttl = self.lease_ttl,
            conc = self.concurrency,
            hook = self.hook,
        );
        for i in 0..self.accounts {
            text.push_str(&self.source(i));
        }
        text.push_str(&self.extra);
        let path = self.dir.join(format!("{id}.toml"));
        std::fs::write(&path, text).unwrap();
        path
    }
}

impl Setup {
    /// The `[[sources]]` table of account `i` (`acct-{i:03}`).
    fn source(&self, i: usize) -> String {
        let mut text = format!(
            "\n[[sources]]\nid = \"acct-{i:03}\"\nkind = \"weibo\"\nuid = \"{uid}\"\nschedule = \"every {every}\"\napi_base = \"http://{w}\"\npassport_base = \"http://{w}\"\n",
            uid = UID_BASE + i as u64,
            every = self.every,
            w = self.weibo,
        );
        if i < self.pinned_to_b {
            text.push_str("egress = \"b\"\n");
        }
        text
    }
}

/// One `windvane run` process, logging to `<id>-<n>.log`.
pub(super) struct Instance {
    id: String,
    child: Child,
    log: PathBuf,
}

impl Instance {
    pub(super) fn start(setup: &Setup, id: &str, egress: &str) -> Instance {
        let config = setup.config(id, egress);
        let log = (0..)
            .map(|n| setup.dir.join(format!("{id}-{n}.log")))
            .find(|p| !p.exists())
            .unwrap();
        let child = Command::new(env!("CARGO_BIN_EXE_windvane"))
            .arg("--config")
            .arg(&config)
            .arg("run")
            .env("RUST_LOG", "windvane=info,warn")
            .env("NO_COLOR", "1")
            .env_remove("PGPASSWORD")
            .env_remove("WINDVANE_REVIEW_TOKEN")
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .unwrap();
        Instance {
            id: id.to_string(),
            child,
            log,
        }
    }

    fn signal(&self, sig: &str) {
        let ok = Command::new("kill")
            .arg(format!("-{sig}"))
            .arg(self.child.id().to_string())
            .status()
            .unwrap()
            .success();
        assert!(ok, "kill -{sig} {}", self.id);
    }

    pub(super) fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// SIGTERM, then the exit (within 30 s).
    pub(super) fn stop(&mut self) -> ExitStatus {
        self.signal("TERM");
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(30) {
            if let Some(s) = self.child.try_wait().unwrap() {
                return s;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("{} did not stop within 30 s:\n{}", self.id, self.log_text());
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Polls `cond` every 100 ms until it holds or `within` passes; returns whether it held.
pub(super) async fn until<F, Fut>(within: Duration, mut cond: F) -> bool
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let start = Instant::now();
    while start.elapsed() < within {
        if cond().await {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    cond().await
}

pub(super) async fn every_account_fetched(fake: &Fake, accounts: usize, times: u32) -> bool {
    let f = fake.fetches();
    f.len() == accounts && f.values().all(|&n| n >= times)
}

/// The logs of instances that failed an assertion, for the panic message.
pub(super) fn logs(instances: &[&Instance]) -> String {
    instances
        .iter()
        .map(|i| {
            let t = i.log_text();
            let tail: Vec<&str> = t.lines().rev().take(15).collect();
            let db: Vec<&str> = t
                .lines()
                .filter(|l| l.contains("PostgreSQL") || l.contains("ERROR"))
                .take(10)
                .collect();
            format!(
                "--- {} (database lines) ---\n{}\n--- {} (last lines) ---\n{}",
                i.id,
                db.join("\n"),
                i.id,
                tail.into_iter().rev().collect::<Vec<_>>().join("\n")
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

pub(super) struct World {
    pg: TempPostgres,
    pub(super) admin: PgStore,
    pub(super) fake: Arc<Fake>,
    pub(super) hook: Arc<Receiver>,
    pub(super) setup: Setup,
    _dir: tempfile::TempDir,
}

pub(super) async fn world(accounts: usize, every: &'static str, lease_ttl: &'static str) -> World {
    let dir = tempfile::tempdir().unwrap();
    let pg = TempPostgres::start();
    let admin = pg.store().await;
    let fake = Arc::new(Fake::new(accounts));
    let weibo = fake_weibo(fake.clone()).await;
    let hook = Arc::new(Receiver::default());
    let hook_addr = webhook_server(hook.clone()).await;
    let setup = Setup {
        dir: dir.path().to_path_buf(),
        url: url_of(&pg),
        weibo,
        hook: hook_addr,
        accounts,
        every,
        lease_ttl,
        concurrency: 8,
        pinned_to_b: 0,
        extra: String::new(),
    };
    World {
        pg,
        admin,
        fake,
        hook,
        setup,
        _dir: dir,
    }
}

/// The alerts `accounts` accounts raise on the webhook: one per `talks` post (every third
/// account's), and one corroborated alert, since several accounts raise `talks` within the
/// corroboration window.
fn expected_alerts(accounts: usize) -> i64 {
    accounts.div_ceil(3) as i64 + 1
}

/// Every alert the database holds was sent, and the webhook got each key: `(alerts, calls,
/// distinct keys)`.
async fn alert_tally(w: &World) -> (i64, i64, usize, usize) {
    let counts = w.admin.alert_counts().await.unwrap();
    let total: i64 = counts.iter().map(|(_, n)| n).sum();
    let sent = counts
        .iter()
        .find(|(s, _)| s == "sent")
        .map(|(_, n)| *n)
        .unwrap_or(0);
    let calls = w.hook.calls.lock().unwrap();
    let keys: HashSet<String> = calls
        .iter()
        .filter_map(|c| c.idempotency_key.clone())
        .collect();
    (total, sent, calls.len(), keys.len())
}

/// Three instances, 300 accounts on a 10-second schedule: every account is fetched at every
/// due time (at least twice here), never by two instances at once, every post is stored
/// once and every alert reaches the webhook once; all three instances take part.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn three_instances_share_300_accounts_without_overlap() {
    const ACCOUNTS: usize = 300;
    let w = world(ACCOUNTS, "10s", "5s").await;
    *w.fake.delay.lock().unwrap() = Duration::from_millis(20);
    let mut instances: Vec<Instance> = ["a", "b", "c"]
        .iter()
        .map(|id| Instance::start(&w.setup, id, "direct"))
        .collect();
    let fetched_twice = until(Duration::from_secs(50), || {
        every_account_fetched(&w.fake, ACCOUNTS, 2)
    })
    .await;
    let refs: Vec<&Instance> = instances.iter().collect();
    assert!(
        fetched_twice,
        "every account fetched at two due times: {} accounts, min {:?}\n{}",
        w.fake.fetches().len(),
        w.fake.fetches().values().min(),
        logs(&refs)
    );
    let delivered = until(Duration::from_secs(20), || async {
        let (total, sent, _, keys) = alert_tally(&w).await;
        total == expected_alerts(ACCOUNTS) && sent == total && keys as i64 == total
    })
    .await;
    // `status` reads the shared database: the three instances, the sources, the outbox.
    let status = status_json(&w.setup, "a", &[]);
    let ids: Vec<&str> = status["instances"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|i| i["id"].as_str())
        .collect();
    assert_eq!(ids, ["a", "b", "c"], "{status}");
    assert_eq!(status["sources"].as_array().unwrap().len(), ACCOUNTS);
    assert_eq!(status["healthy"], true, "{status}");
    // An instance that never announced itself is not healthy (the compose health check).
    let unseen = Command::new(env!("CARGO_BIN_EXE_windvane"))
        .arg("--config")
        .arg(w.setup.config("z", "direct"))
        .args(["status", "--health"])
        .env_remove("PGPASSWORD")
        .output()
        .unwrap();
    assert_eq!(unseen.status.code(), Some(1), "{unseen:?}");
    for i in &mut instances {
        assert!(i.stop().success(), "{} exits cleanly", i.id);
    }
    assert!(
        w.fake.overlaps.lock().unwrap().is_empty(),
        "accounts fetched by two instances at once: {:?}",
        w.fake.overlaps.lock().unwrap()
    );
    let (posts, runs) = w.admin.counts().await.unwrap();
    assert_eq!(posts, 2 * ACCOUNTS as i64, "every post stored once");
    assert!(runs >= 2 * ACCOUNTS as i64, "{runs} runs recorded");
    let per_instance = w.admin.runs_by_instance().await.unwrap();
    assert_eq!(
        per_instance.len(),
        3,
        "all three took part: {per_instance:?}"
    );
    let (total, sent, calls, keys) = alert_tally(&w).await;
    assert!(
        delivered,
        "alerts: {total} in the outbox, {sent} sent, {calls} webhook calls, {keys} keys"
    );
    assert_eq!(
        total,
        expected_alerts(ACCOUNTS),
        "one alert per talks post and one corroborated"
    );
    assert_eq!(calls, keys, "every alert delivered once");
    assert_eq!(keys as i64, total);
}

/// `windvane status --json` (plus `extra` arguments) with instance `id`'s configuration.
fn status_json(setup: &Setup, id: &str, extra: &[&str]) -> serde_json::Value {
    let out = Command::new(env!("CARGO_BIN_EXE_windvane"))
        .arg("--config")
        .arg(setup.dir.join(format!("{id}.toml")))
        .args(["status", "--json"])
        .args(extra)
        .env_remove("PGPASSWORD")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "status: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Sources leased by `owner` right now, with their fences.
async fn held_by(admin: &PgStore, owner: &str) -> HashMap<String, i64> {
    admin
        .source_leases()
        .await
        .unwrap()
        .into_iter()
        .filter(|l| l.live && l.owner.as_deref() == Some(owner))
        .map(|l| (l.source_id, l.fence))
        .collect()
}

/// The sources `owner` holds, waited for (up to 20 s) until it holds some.
async fn holding(admin: &PgStore, owner: &str) -> HashMap<String, i64> {
    let start = Instant::now();
    loop {
        let held = held_by(admin, owner).await;
        if !held.is_empty() {
            return held;
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "{owner} never held a source"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Whether every source in `held` has been claimed again since (its fence moved on).
async fn taken_over(admin: &PgStore, held: &HashMap<String, i64>) -> bool {
    let now: HashMap<String, i64> = admin
        .source_leases()
        .await
        .unwrap()
        .into_iter()
        .map(|l| (l.source_id, l.fence))
        .collect();
    held.iter()
        .all(|(id, f)| now.get(id).is_some_and(|n| n > f))
}

/// SIGKILL an instance twice (the first one restarted between): the sources it held are
/// claimed by the others once its leases run out (a killed instance never gives them back, so
/// only expiry can hand them over), and in the end every post is stored once and every alert
/// sent. SIGSTOP an instance past its lease, SIGCONT it: its commit with the stale fence is
/// refused and logged. A receiver may see the one alert in flight at each of these faults
/// twice, with its key: a sender stopped between its request and the record of it is, to the
/// others, a sender that died there.
///
/// The waits are bounds on a loaded CI machine (two cores shared with the other tests, debug
/// builds of three instances and PostgreSQL), not speed targets: each returns as soon as its
/// condition holds.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn killed_and_paused_instances_lose_their_sources_and_nothing_else() {
    const ACCOUNTS: usize = 60;
    const TTL: Duration = Duration::from_secs(3);
    let w = world(ACCOUNTS, "4s", "3s").await;
    // Slow answers: at any moment an instance has runs in hand.
    *w.fake.delay.lock().unwrap() = Duration::from_millis(400);
    let mut instances: Vec<Instance> = ["a", "b", "c"]
        .iter()
        .map(|id| Instance::start(&w.setup, id, "direct"))
        .collect();
    let first_round = until(Duration::from_secs(60), || {
        every_account_fetched(&w.fake, ACCOUNTS, 1)
    })
    .await;
    assert!(
        first_round,
        "{}",
        logs(&instances.iter().collect::<Vec<_>>())
    );

    // How long the others may take, after a lease runs out, to claim what it covered.
    const MARGIN: Duration = Duration::from_secs(20);
    let mut faults = 0;
    for victim in [0usize, 1] {
        let id = instances[victim].id.clone();
        let held = holding(&w.admin, &id).await;
        instances[victim].signal("KILL");
        let _ = instances[victim].child.wait();
        faults += 1;
        let killed_at = Instant::now();
        let ok = until(TTL + MARGIN, || taken_over(&w.admin, &held)).await;
        assert!(
            ok,
            "{id}'s {} sources taken over within the lease TTL (+{MARGIN:?}); after {:?}\n{}",
            held.len(),
            killed_at.elapsed(),
            logs(&instances.iter().collect::<Vec<_>>())
        );
        // Restarted under the same name, as a supervisor would.
        instances[victim] = Instance::start(&w.setup, &id, "direct");
    }

    // SIGSTOP past the lease, then SIGCONT: the stale commit is refused.
    let paused = &instances[2];
    let held = holding(&w.admin, &paused.id).await;
    paused.signal("STOP");
    faults += 1;
    let ok = until(TTL + MARGIN, || taken_over(&w.admin, &held)).await;
    paused.signal("CONT");
    assert!(
        ok,
        "the paused instance's sources were taken over\n{}",
        logs(&instances.iter().collect::<Vec<_>>())
    );
    let refused = until(Duration::from_secs(30), || async {
        paused.log_text().contains("Lease lost")
    })
    .await;
    assert!(
        refused,
        "the stale commit is refused:\n{}",
        paused.log_text()
    );

    // Everything lands: every account fetched again, every alert sent.
    let before = w.fake.fetches();
    let again = until(Duration::from_secs(60), || async {
        let now = w.fake.fetches();
        before
            .iter()
            .all(|(uid, n)| now.get(uid).is_some_and(|m| m > n))
    })
    .await;
    assert!(again, "{}", logs(&instances.iter().collect::<Vec<_>>()));
    let delivered = until(Duration::from_secs(40), || async {
        let (total, sent, _, keys) = alert_tally(&w).await;
        total == expected_alerts(ACCOUNTS) && sent == total && keys as i64 == total
    })
    .await;
    let tails = logs(&instances.iter().collect::<Vec<_>>());
    for i in &mut instances {
        i.stop();
    }
    let (posts, _) = w.admin.counts().await.unwrap();
    assert_eq!(
        posts,
        2 * ACCOUNTS as i64,
        "nothing lost, nothing stored twice"
    );
    let (total, sent, calls, keys) = alert_tally(&w).await;
    assert!(
        delivered,
        "alerts: {total} in the outbox, {sent} sent, {calls} webhook calls, {keys} keys\n{tails}"
    );
    assert_eq!(total, expected_alerts(ACCOUNTS));
    assert!(
        calls - keys <= faults,
        "only an alert in flight at a kill or the pause may arrive twice: {calls} calls, {keys} keys"
    );
}

/// A 418 on egress `b` (two instances) cools `b` down for both: after the first refusals
/// neither sends more than the runs it had in hand, and the instance on egress `a` fetches
/// every account not pinned to `b`; the accounts pinned to `b` wait.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_418_cools_the_egress_down_for_every_instance_on_it() {
    const ACCOUNTS: usize = 40;
    const PINNED: usize = 5;
    let mut w = world(ACCOUNTS, "5s", "5s").await;
    w.setup.pinned_to_b = PINNED;
    *w.fake.refuse.lock().unwrap() = Some("egress=b".into());
    *w.fake.delay.lock().unwrap() = Duration::from_millis(20);
    let mut instances = vec![
        Instance::start(&w.setup, "b1", "b"),
        Instance::start(&w.setup, "b2", "b"),
    ];
    // The b instances alone: they meet the 418 and back off.
    let cooled = until(Duration::from_secs(30), || async {
        w.admin
            .cooling_egresses()
            .await
            .unwrap()
            .iter()
            .any(|(e, left)| e == "b" && *left > Duration::from_secs(60))
    })
    .await;
    assert!(
        cooled,
        "egress b cooling down\n{}",
        logs(&instances.iter().collect::<Vec<_>>())
    );
    // Runs in hand when the cool-down was set may still meet the 418; nothing after.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let refused_then = w.fake.agent_count("egress=b");
    instances.push(Instance::start(&w.setup, "a1", "a"));
    let all = until(Duration::from_secs(30), || async {
        let f = w.fake.fetches();
        (PINNED..ACCOUNTS).all(|i| f.contains_key(&(UID_BASE + i as u64).to_string()))
    })
    .await;
    let refs: Vec<&Instance> = instances.iter().collect();
    assert!(
        all,
        "egress a fetched every unpinned account\n{}",
        logs(&refs)
    );
    // A further schedule round passes without egress b asking anything.
    tokio::time::sleep(Duration::from_secs(6)).await;
    let refused_after = w.fake.agent_count("egress=b");
    for i in &mut instances {
        i.stop();
    }
    assert!(refused_then >= 1, "egress b was refused");
    assert!(
        refused_then <= 2 * 8 * 2,
        "at most the runs in hand on b (2 instances × 8 runs × 2 requests): {refused_then}"
    );
    assert_eq!(
        refused_after, refused_then,
        "no request through b while it cools down"
    );
    let runs = w.admin.runs_by_instance().await.unwrap();
    let a_runs = runs.iter().find(|(i, _)| i == "a1").map(|(_, n)| *n);
    assert!(
        a_runs.unwrap_or(0) >= (ACCOUNTS - PINNED) as i64,
        "{runs:?}"
    );
    let (posts, _) = w.admin.counts().await.unwrap();
    assert_eq!(posts, 2 * (ACCOUNTS - PINNED) as i64);
    let f = w.fake.fetches();
    assert!(
        (0..PINNED).all(|i| !f.contains_key(&(UID_BASE + i as u64).to_string())),
        "accounts pinned to b are not fetched through a: {f:?}"
    );
    let cooled_down_logged = instances
        .iter()
        .take(2)
        .any(|i| i.log_text().contains("every instance on it backs off"));
    assert!(cooled_down_logged);
}

/// An instance started while the database is down waits for it, and says both when it
/// cannot reach it and when it can again, then fetches.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_instance_started_during_an_outage_says_when_it_ends() {
    const ACCOUNTS: usize = 3;
    let mut w = world(ACCOUNTS, "2s", "3s").await;
    w.pg.stop();
    let mut instance = Instance::start(&w.setup, "a", "direct");
    let waiting = until(Duration::from_secs(20), || async {
        instance.log_text().contains("Cannot reach PostgreSQL yet")
    })
    .await;
    w.pg.restart_after_stop();
    let back = until(Duration::from_secs(40), || async {
        instance
            .log_text()
            .contains("PostgreSQL is reachable again")
            && every_account_fetched(&w.fake, ACCOUNTS, 1).await
    })
    .await;
    let refs = [&instance];
    assert!(waiting, "the outage at start is logged\n{}", logs(&refs));
    assert!(
        back,
        "its end is logged and the accounts fetched\n{}",
        logs(&refs)
    );
    assert!(instance.stop().success());
}

/// The database restarts under two running instances: both log it, retry, and resume
/// without help; every account is fetched again and stored runs carry on.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn instances_ride_out_a_database_restart() {
    const ACCOUNTS: usize = 30;
    let mut w = world(ACCOUNTS, "2s", "3s").await;
    *w.fake.delay.lock().unwrap() = Duration::from_millis(20);
    let mut instances = vec![
        Instance::start(&w.setup, "a", "direct"),
        Instance::start(&w.setup, "b", "direct"),
    ];
    assert!(
        until(Duration::from_secs(40), || every_account_fetched(
            &w.fake, ACCOUNTS, 1
        ))
        .await,
        "{}",
        logs(&instances.iter().collect::<Vec<_>>())
    );
    let (_, runs_before) = w.admin.counts().await.unwrap();
    w.pg.stop();
    let noticed = until(Duration::from_secs(20), || async {
        instances
            .iter()
            .all(|i| i.log_text().contains("PostgreSQL is unreachable"))
    })
    .await;
    w.pg.restart_after_stop();
    let before = w.fake.fetches();
    let resumed = until(Duration::from_secs(60), || async {
        let now = w.fake.fetches();
        let fetched = before
            .iter()
            .all(|(uid, n)| now.get(uid).is_some_and(|m| m > n));
        let back = instances
            .iter()
            .all(|i| i.log_text().contains("reachable again"));
        fetched && back
    })
    .await;
    let refs: Vec<&Instance> = instances.iter().collect();
    assert!(noticed, "both instances logged the outage\n{}", logs(&refs));
    assert!(resumed, "both resumed\n{}", logs(&refs));
    let resumed_runs = until(Duration::from_secs(20), || async {
        matches!(w.admin.counts().await, Ok((_, n)) if n >= runs_before + ACCOUNTS as i64)
    })
    .await;
    for i in &mut instances {
        assert!(i.stop().success());
    }
    assert!(resumed_runs, "runs are committed again after the restart");
    let (posts, _) = w.admin.counts().await.unwrap();
    assert_eq!(posts, 2 * ACCOUNTS as i64);
}

/// `windvane once` in cluster mode: claims every due source, commits its posts and alerts,
/// sends the channel it can take, and exits; a second `once` finds nothing due and stores
/// nothing twice.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn once_runs_every_due_source_and_sends_its_alerts() {
    const ACCOUNTS: usize = 12;
    let w = world(ACCOUNTS, "1h", "10s").await;
    let config = w.setup.config("one", "direct");
    let once = || {
        Command::new(env!("CARGO_BIN_EXE_windvane"))
            .arg("--config")
            .arg(&config)
            .arg("once")
            .env_remove("PGPASSWORD")
            .env("RUST_LOG", "windvane=warn")
            .output()
            .unwrap()
    };
    let out = once();
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "{text}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        text.contains("cluster: 12 runs committed, 0 failed"),
        "{text}"
    );
    assert!(every_account_fetched(&w.fake, ACCOUNTS, 1).await);
    assert_eq!(
        w.admin.counts().await.unwrap(),
        (2 * ACCOUNTS as i64, ACCOUNTS as i64)
    );
    let (total, sent, calls, keys) = alert_tally(&w).await;
    assert_eq!(total, expected_alerts(ACCOUNTS));
    assert_eq!((sent, calls, keys as i64), (total, total as usize, total));

    let again = once();
    let text = String::from_utf8_lossy(&again.stdout).to_string();
    assert!(text.contains("cluster: 0 runs committed"), "{text}");
    assert_eq!(w.admin.counts().await.unwrap().0, 2 * ACCOUNTS as i64);
    assert_eq!(w.hook.calls.lock().unwrap().len(), total as usize);
}

/// SIGHUP in cluster mode: a configuration file with a problem is refused (logged with its
/// key) and the instance runs on with its old sources; a good one adds a source (registered
/// in PostgreSQL and fetched) and drops one (no longer claimed by this instance, its row and
/// posts kept).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sighup_reloads_the_sources_of_a_cluster_instance() {
    let mut w = world(3, "2s", "5s").await;
    let uid = |i: u64| (UID_BASE + i).to_string();
    let fetched = |i: u64| w.fake.fetches().get(&uid(i)).copied().unwrap_or(0);
    // acct-000 and acct-002 at first.
    w.setup.accounts = 1;
    w.setup.extra = w.setup.source(2);
    let mut a = Instance::start(&w.setup, "a", "e1");
    assert!(
        until(Duration::from_secs(60), || async {
            fetched(0) >= 1 && fetched(2) >= 1
        })
        .await,
        "both first sources fetched:\n{}",
        logs(&[&a])
    );
    assert_eq!(fetched(1), 0, "acct-001 is not configured yet");

    // A broken file: refused with its key named, the old sources run on.
    let path = w.setup.config("a", "e1");
    let good = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        format!("{good}\n[[sources]]\nid = \"broken\"\nkind = \"weibo\"\nschedule = \"every 2s\"\nuid = 12\n"),
    )
    .unwrap();
    a.signal("HUP");
    assert!(
        until(Duration::from_secs(30), || async {
            a.log_text().contains("Reload rejected")
        })
        .await,
        "the broken file is refused:\n{}",
        logs(&[&a])
    );
    assert!(
        a.log_text()
            .contains("a.toml: `sources[2].uid`: invalid type"),
        "the problem names its file and key:\n{}",
        logs(&[&a])
    );
    let (before0, before2) = (fetched(0), fetched(2));
    assert!(
        until(Duration::from_secs(60), || async {
            fetched(0) > before0 + 1 && fetched(2) > before2 + 1
        })
        .await,
        "the old sources run on after a refused reload:\n{}",
        logs(&[&a])
    );
    assert!(a.child.try_wait().unwrap().is_none(), "still running");
    assert_eq!(fetched(1), 0);

    // A good file: acct-001 added, acct-002 removed.
    w.setup.accounts = 2;
    w.setup.extra = String::new();
    w.setup.config("a", "e1");
    a.signal("HUP");
    assert!(
        until(Duration::from_secs(60), || async {
            a.log_text().contains("Configuration reloaded.")
        })
        .await,
        "the good file is taken:\n{}",
        logs(&[&a])
    );
    let after2 = fetched(2);
    let fence2 = || async {
        let leases = w.admin.source_leases().await.unwrap();
        leases
            .into_iter()
            .find(|l| l.source_id == "acct-002")
            .map(|l| l.fence)
    };
    let claims2 = fence2().await;
    assert!(
        until(Duration::from_secs(60), || async { fetched(1) >= 3 }).await,
        "the added source is fetched:\n{}",
        logs(&[&a])
    );
    assert_eq!(
        fetched(2),
        after2,
        "the removed source is not fetched by this instance any more"
    );
    assert_eq!(fence2().await, claims2, "nor claimed");
    let sources: Vec<String> = w
        .admin
        .source_leases()
        .await
        .unwrap()
        .into_iter()
        .map(|l| l.source_id)
        .collect();
    assert_eq!(
        sources,
        ["acct-000", "acct-001", "acct-002"],
        "rows are kept"
    );
    assert!(a.stop().success(), "{}", logs(&[&a]));
}
