//! Cluster mode's coordinator on a real PostgreSQL: a throwaway cluster made with `initdb` in a
//! temp folder, reached over a Unix socket in that folder (no TCP port to race for), removed
//! afterwards. Debian's PostgreSQL (`/usr/lib/postgresql/*/bin`) is installed by
//! `scripts/test` when missing.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use windvane::store::pg::{Lease, PgError, PgStore, RunOutcome, RunPost, SourceSpec};

mod analyst;
mod binary;
mod copy;
mod derived;
mod parity;

/// A PostgreSQL server of our own, for one test.
pub struct TempPostgres {
    child: Option<Child>,
    data: PathBuf,
    socket_dir: PathBuf,
    _dir: tempfile::TempDir,
}

/// The newest installed PostgreSQL's programs.
fn pg_bin(name: &str) -> PathBuf {
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .expect("PostgreSQL is installed (scripts/test installs it)")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("bin").join(name).exists())
        .collect();
    versions.sort_by_key(|p| {
        p.file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.parse::<u32>().ok())
            .unwrap_or(0)
    });
    versions
        .pop()
        .unwrap_or_else(|| panic!("no /usr/lib/postgresql/*/bin/{name}"))
        .join("bin")
        .join(name)
}

/// initdb and postgres refuse to run as root: as root, run them as the `postgres` user the
/// package creates.
fn as_server_user(cmd: &mut Command, dirs: &[&Path]) {
    use std::os::unix::process::CommandExt;
    let uid = current_id("-u");
    if uid != 0 {
        return;
    }
    let pg_uid = id_of("postgres", "-u");
    let pg_gid = id_of("postgres", "-g");
    for d in dirs {
        std::os::unix::fs::chown(d, Some(pg_uid), Some(pg_gid)).expect("chown the temp cluster");
    }
    cmd.uid(pg_uid).gid(pg_gid);
}

fn current_id(flag: &str) -> u32 {
    let out = Command::new("id").arg(flag).output().expect("run id");
    String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse()
        .expect("id prints a number")
}

fn id_of(user: &str, flag: &str) -> u32 {
    let out = Command::new("id")
        .args([flag, user])
        .output()
        .expect("run id");
    String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse()
        .unwrap_or_else(|_| panic!("no `{user}` user for the test cluster"))
}

impl TempPostgres {
    pub fn start() -> TempPostgres {
        let dir = tempfile::Builder::new()
            .prefix("windvane-pg")
            .tempdir()
            .unwrap();
        let data = dir.path().join("data");
        let socket_dir = dir.path().join("sock");
        std::fs::create_dir(&socket_dir).unwrap();
        let mut init = Command::new(pg_bin("initdb"));
        init.args(["-D"])
            .arg(&data)
            .args([
                "-U",
                "windvane",
                "--auth=trust",
                "-E",
                "UTF8",
                "--no-locale",
            ])
            .stdout(Stdio::null());
        as_server_user(&mut init, &[dir.path(), &socket_dir]);
        let status = init.status().expect("run initdb");
        assert!(status.success(), "initdb failed: {status}");
        let mut pg = TempPostgres {
            child: None,
            data,
            socket_dir,
            _dir: dir,
        };
        pg.spawn_server();
        pg
    }

    fn spawn_server(&mut self) {
        let mut server = Command::new(pg_bin("postgres"));
        server
            .arg("-D")
            .arg(&self.data)
            .arg("-k")
            .arg(&self.socket_dir)
            // Unix socket only; durability settings off: the cluster lives for one test.
            .args(["-c", "listen_addresses=", "-c", "fsync=off"])
            .args(["-c", "synchronous_commit=off", "-c", "full_page_writes=off"])
            .args(["-c", "max_connections=50"])
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        as_server_user(&mut server, &[]);
        self.child = Some(server.spawn().expect("start postgres"));
        // The socket appears before the server accepts sessions ("the database system is
        // starting up"): wait for pg_isready, as a supervisor's health check would.
        let deadline = Instant::now() + Duration::from_secs(60);
        while !self.accepts_connections() {
            assert!(Instant::now() < deadline, "postgres did not start in 60 s");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn accepts_connections(&self) -> bool {
        self.socket_dir.join(".s.PGSQL.5432").exists()
            && Command::new(pg_bin("pg_isready"))
                .arg("-h")
                .arg(&self.socket_dir)
                .args(["-p", "5432", "-U", "windvane", "-d", "postgres", "-q"])
                .status()
                .is_ok_and(|s| s.success())
    }

    /// Stops the server (fast shutdown: open sessions are cut) and waits for it to exit.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = Command::new("kill")
                .args(["-INT", &child.id().to_string()])
                .status();
            let _ = child.wait();
        }
    }

    /// Starts the server again on the same data after `stop`.
    pub fn restart_after_stop(&mut self) {
        self.spawn_server();
    }

    /// A connection string for the `postgres` database over the socket.
    pub fn url(&self) -> String {
        format!(
            "host={} port=5432 user=windvane dbname=postgres",
            self.socket_dir.display()
        )
    }

    /// A connection, retried while the server finishes starting.
    pub async fn connect(&self) -> PgStore {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            match PgStore::connect(&self.url()).await {
                Ok(s) => return s,
                Err(_) if Instant::now() < deadline => {
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Err(e) => panic!("cannot connect to the test cluster: {e}"),
            }
        }
    }

    /// A plain driver connection, for the few states and rows a test reads or sets by hand.
    pub async fn client(&self) -> tokio_postgres::Client {
        let (client, conn) = tokio_postgres::connect(&self.url(), tokio_postgres::NoTls)
            .await
            .unwrap();
        tokio::spawn(conn);
        client
    }

    /// A migrated store.
    pub async fn store(&self) -> PgStore {
        let s = self.connect().await;
        s.migrate().await.expect("migrate");
        s
    }
}

impl Drop for TempPostgres {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

fn source(i: usize, egress: Option<&str>, every: Duration) -> SourceSpec {
    SourceSpec {
        id: format!("acct-{i:04}"),
        kind: "weibo".into(),
        name: format!("account {i}"),
        egress: egress.map(str::to_string),
        every,
    }
}

fn post(id: String) -> RunPost {
    RunPost {
        url: format!("https://m.weibo.cn/detail/{id}"),
        platform_id: id,
        author: "test".into(),
        text: "中美经贸磋商".into(),
        created_at: chrono::Utc::now(),
        created_at_raw: "刚刚".into(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn migrations_apply_once_when_instances_start_together() {
    let pg = TempPostgres::start();
    let mut stores = Vec::new();
    for _ in 0..3 {
        stores.push(pg.connect().await);
    }
    let runs = stores.into_iter().map(|s| {
        tokio::spawn(async move {
            let n = s.migrate().await.expect("migrate");
            (n, s)
        })
    });
    let mut applied = 0;
    let mut last = None;
    for r in runs {
        let (n, s) = r.await.unwrap();
        applied += n;
        last = Some(s);
    }
    let files =
        std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations/postgres"))
            .unwrap()
            .count();
    assert_eq!(applied, files, "each migration applied exactly once");
    assert_eq!(last.unwrap().migrate().await.unwrap(), 0);
}

/// Three instances claim 300 sources on a 1-second schedule for a few rounds: a source is never
/// held by two at once, every source is fetched, every post is stored once, every run recorded.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn leases_never_overlap_and_every_source_is_fetched() {
    let pg = TempPostgres::start();
    let admin = pg.store().await;
    for i in 0..300 {
        admin
            .upsert_source(&source(i, None, Duration::from_secs(1)))
            .await
            .unwrap();
    }
    let held: Arc<Mutex<HashSet<String>>> = Arc::default();
    let overlaps = Arc::new(Mutex::new(Vec::<String>::new()));
    let fetched: Arc<Mutex<HashMap<String, u32>>> = Arc::default();
    let end = Instant::now() + Duration::from_secs(4);
    let mut instances = Vec::new();
    for n in 0..3 {
        let store = pg.store().await;
        let (held, overlaps, fetched) = (held.clone(), overlaps.clone(), fetched.clone());
        instances.push(tokio::spawn(async move {
            let me = format!("instance-{n}");
            let mut commits = 0u64;
            while Instant::now() < end {
                let leases = store
                    .claim_due(&me, "direct", 25, Duration::from_secs(30))
                    .await
                    .unwrap();
                if leases.is_empty() {
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    continue;
                }
                for l in &leases {
                    if !held.lock().unwrap().insert(l.source_id.clone()) {
                        overlaps.lock().unwrap().push(l.source_id.clone());
                    }
                }
                for l in leases {
                    *fetched
                        .lock()
                        .unwrap()
                        .entry(l.source_id.clone())
                        .or_default() += 1;
                    let p = post(format!("{}-{}", l.source_id, l.fence));
                    // Released from the test's book before the database releases it: a
                    // claim by another instance after the commit is then no overlap.
                    held.lock().unwrap().remove(&l.source_id);
                    let done = store
                        .commit_run(&l, &[p], RunOutcome::Ok, None)
                        .await
                        .unwrap();
                    assert_eq!(done.new_posts, 1);
                    commits += 1;
                }
            }
            commits
        }));
    }
    let mut commits = 0;
    for i in instances {
        commits += i.await.unwrap();
    }
    assert!(
        overlaps.lock().unwrap().is_empty(),
        "{:?}",
        overlaps.lock().unwrap()
    );
    let fetched = fetched.lock().unwrap().clone();
    assert_eq!(fetched.len(), 300, "every source fetched");
    assert!(
        fetched.values().all(|&n| n >= 2),
        "every source fetched again once due: {:?}",
        fetched.values().min()
    );
    let (posts, runs) = admin.counts().await.unwrap();
    assert_eq!(posts as u64, commits, "every post stored once");
    assert_eq!(runs as u64, commits, "every run recorded once");
}

/// An instance paused past its lease cannot commit with its stale fence: its run is rolled
/// back whole, and the instance that took over commits.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stale_fence_cannot_commit() {
    let pg = TempPostgres::start();
    let a = pg.store().await;
    let b = pg.store().await;
    a.upsert_source(&source(1, None, Duration::from_secs(60)))
        .await
        .unwrap();
    let la: Vec<Lease> = a
        .claim_due("a", "direct", 10, Duration::from_millis(300))
        .await
        .unwrap();
    assert_eq!(la.len(), 1);
    assert!(
        b.claim_due("b", "direct", 10, Duration::from_secs(30))
            .await
            .unwrap()
            .is_empty(),
        "a live lease is not claimable"
    );
    tokio::time::sleep(Duration::from_millis(600)).await;
    let lb = b
        .claim_due("b", "direct", 10, Duration::from_secs(30))
        .await
        .unwrap();
    assert_eq!(lb.len(), 1, "an expired lease is taken over");
    assert!(lb[0].fence > la[0].fence);
    assert!(
        !a.renew(&la[0], Duration::from_secs(30)).await.unwrap(),
        "a lost lease cannot be renewed"
    );
    let stale = a
        .commit_run(&la[0], &[post("x1".into())], RunOutcome::Ok, None)
        .await;
    assert!(
        matches!(stale, Err(PgError::LeaseLost { ref source_id, fence }) if source_id == "acct-0001" && fence == la[0].fence),
        "{stale:?}"
    );
    assert_eq!(
        a.counts().await.unwrap(),
        (0, 0),
        "nothing of the stale run was written"
    );
    b.commit_run(&lb[0], &[post("x1".into())], RunOutcome::Ok, None)
        .await
        .unwrap();
    assert_eq!(b.counts().await.unwrap(), (1, 1));
}

/// A 418 on one egress cools it down for every instance on it; the other egress takes the
/// unpinned sources, and the pinned one waits for its own egress.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cooling_egress_leaves_unpinned_sources_to_the_other() {
    let pg = TempPostgres::start();
    let s = pg.store().await;
    for i in 0..4 {
        s.upsert_source(&source(i, None, Duration::from_secs(60)))
            .await
            .unwrap();
    }
    s.upsert_source(&source(9, Some("ip-a"), Duration::from_secs(60)))
        .await
        .unwrap();
    let first = s
        .cool_down("ip-a", Duration::from_secs(60), Duration::from_secs(3600))
        .await
        .unwrap();
    let second = s
        .cool_down("ip-a", Duration::from_secs(60), Duration::from_secs(3600))
        .await
        .unwrap();
    assert!(first.as_secs() >= 58 && first.as_secs() <= 60, "{first:?}");
    assert!(
        second.as_secs() >= 118 && second.as_secs() <= 120,
        "doubles: {second:?}"
    );

    let other = pg.store().await; // another instance on the same egress
    assert!(other
        .claim_due("a2", "ip-a", 10, Duration::from_secs(30))
        .await
        .unwrap()
        .is_empty());
    let b: Vec<String> = s
        .claim_due("b1", "ip-b", 10, Duration::from_secs(30))
        .await
        .unwrap()
        .into_iter()
        .map(|l| l.source_id)
        .collect();
    assert_eq!(b.len(), 4, "{b:?}");
    assert!(!b.contains(&"acct-0009".to_string()), "pinned to ip-a");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn instances_are_listed_with_their_egress() {
    let pg = TempPostgres::start();
    let s = pg.store().await;
    s.announce("host-1", "ip-a", "0.1.0").await.unwrap();
    s.announce("host-2", "ip-b", "0.1.0").await.unwrap();
    s.announce("host-1", "ip-c", "0.1.1").await.unwrap();
    let rows = s.instances().await.unwrap();
    let got: Vec<(&str, &str, &str)> = rows
        .iter()
        .map(|r| (r.id.as_str(), r.egress.as_str(), r.version.as_str()))
        .collect();
    assert_eq!(
        got,
        [("host-1", "ip-c", "0.1.1"), ("host-2", "ip-b", "0.1.0")]
    );
}

/// The database restarts while an instance works: the calls in flight fail with a clear error,
/// and the same store (no operator, no new instance) carries on once the database is back,
/// losing nothing it committed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_store_resumes_after_a_database_restart() {
    let mut pg = TempPostgres::start();
    let s = pg.store().await;
    s.upsert_source(&source(1, None, Duration::from_secs(1)))
        .await
        .unwrap();
    let l = s
        .claim_due("i1", "direct", 10, Duration::from_secs(30))
        .await
        .unwrap();
    s.commit_run(&l[0], &[post("before".into())], RunOutcome::Ok, None)
        .await
        .unwrap();

    pg.stop();
    let down = s.counts().await;
    assert!(
        down.is_err(),
        "a call while the database is down fails: {down:?}"
    );
    let shown = down.unwrap_err().to_string();
    assert!(shown.contains("PostgreSQL"), "{shown}");
    pg.restart_after_stop();

    let deadline = Instant::now() + Duration::from_secs(60);
    let counts = loop {
        match s.counts().await {
            Ok(c) => break c,
            Err(e) => {
                assert!(
                    Instant::now() < deadline,
                    "the store did not come back: {e}"
                );
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        }
    };
    assert_eq!(
        counts,
        (1, 1),
        "what was committed before the restart is there"
    );
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let l = s
        .claim_due("i1", "direct", 10, Duration::from_secs(30))
        .await
        .unwrap();
    assert_eq!(l.len(), 1, "the source is due again and claimable");
    s.commit_run(&l[0], &[post("after".into())], RunOutcome::Ok, None)
        .await
        .unwrap();
    assert_eq!(s.counts().await.unwrap(), (2, 2));
}

/// A run commits the next due time its source's own schedule gives (cron, jitter and active
/// hours are computed by the instance; `every_secs` is only the fallback), and a source
/// claimed outside its active hours is given back unread: due later, and no run recorded.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn runs_commit_their_schedules_next_due_time_and_deferred_sources_record_no_run() {
    let pg = TempPostgres::start();
    let s = pg.store().await;
    for i in [1, 2] {
        s.upsert_source(&source(i, None, Duration::from_secs(1)))
            .await
            .unwrap();
    }
    let ttl = Duration::from_secs(30);
    let mut l = s.claim_due("i1", "direct", 10, ttl).await.unwrap();
    l.sort_by(|a, b| a.source_id.cmp(&b.source_id));
    assert_eq!(l.len(), 2);
    s.commit_run_items(
        &l[0],
        &[],
        RunOutcome::Ok,
        None,
        Some(Duration::from_secs(3600)),
    )
    .await
    .unwrap();
    assert!(s.defer(&l[1], Duration::from_secs(3600)).await.unwrap());
    assert!(
        !s.defer(&l[1], Duration::from_secs(1)).await.unwrap(),
        "a lease given back is no longer held"
    );
    // Both would be due again after a second on `every_secs`; neither is.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let again = s.claim_due("i1", "direct", 10, ttl).await.unwrap();
    assert!(again.is_empty(), "{again:?}");
    // One run recorded (the committed one), none for the deferred source.
    assert_eq!(
        s.runs_by_instance().await.unwrap(),
        vec![("i1".to_string(), 1)]
    );
}

/// The same searches answer the same posts on both backends: the fixture timelines imported
/// into SQLite, their posts committed into PostgreSQL, 50 queries of 1–4 characters compared.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_answers_the_same_posts_as_on_sqlite() {
    use windvane::classify::Classifier;
    use windvane::import::{import_files, ImportOptions};
    use windvane::store::Store;

    let dir = tempfile::tempdir().unwrap();
    let cfg = crate::search::config(dir.path());
    let sqlite = Store::open(&cfg.store_path).unwrap();
    let cls = Classifier::load(None, None).unwrap();
    let files = [
        crate::common::fixture("import/人民日报_2803301701.csv"),
        crate::common::fixture("import/央视新闻_2656274875.json"),
    ];
    import_files(
        &cfg,
        &sqlite,
        &cls,
        &files,
        &ImportOptions::default(),
        chrono::Utc::now(),
    )
    .unwrap();

    // Every SQLite post, by id: its source, platform id and full text as search reads it.
    let c = rusqlite::Connection::open(&cfg.store_path).unwrap();
    let mut stmt = c
        .prepare("SELECT id, source_id, platform_id, text, retweet_text FROM posts")
        .unwrap();
    let rows: Vec<(i64, String, String, String)> = stmt
        .query_map([], |r| {
            let (text, rt): (String, Option<String>) = (r.get(3)?, r.get(4)?);
            let full = match rt {
                Some(rt) if !rt.is_empty() => format!("{text}\n//{rt}"),
                _ => text,
            };
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, full))
        })
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert!(rows.len() > 1500, "{}", rows.len());
    let key_of: HashMap<i64, (String, String)> = rows
        .iter()
        .map(|(id, s, p, _)| (*id, (s.clone(), p.clone())))
        .collect();

    let pg = TempPostgres::start();
    let store = pg.store().await;
    let mut by_source: HashMap<String, Vec<RunPost>> = HashMap::new();
    for (_, source_id, platform_id, text) in &rows {
        by_source
            .entry(source_id.clone())
            .or_default()
            .push(RunPost {
                platform_id: platform_id.clone(),
                text: text.clone(),
                ..post(String::new())
            });
    }
    for (i, id) in by_source.keys().enumerate() {
        let mut spec = source(i, None, Duration::from_secs(60));
        spec.id = id.clone();
        store.upsert_source(&spec).await.unwrap();
    }
    for l in store
        .claim_due("copy", "direct", 100, Duration::from_secs(60))
        .await
        .unwrap()
    {
        store
            .commit_run(&l, &by_source[&l.source_id], RunOutcome::Ok, None)
            .await
            .unwrap();
    }
    assert_eq!(store.counts().await.unwrap().0 as usize, rows.len());

    let normalized: Vec<(i64, String)> = rows
        .iter()
        .map(|(id, _, _, t)| (*id, windvane::text::normalize(t).text))
        .collect();
    let found = same_search_answers(
        crate::search::queries(&normalized),
        &sqlite,
        &cls,
        &key_of,
        &store,
    )
    .await;
    // The queries past the fixed examples are taken from the posts: they all find some.
    assert!(found >= 41, "only {found} of 50 queries found anything");
}

/// deploy/compose.yaml's instances read deploy/cluster.toml: it loads as cluster mode with
/// each instance's hostname and egress from the environment, and the compose file gives each
/// instance its own egress and the password only through the environment.
#[test]
fn the_compose_files_configuration_is_cluster_mode() {
    use windvane::config::{Config, Environment};
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let path = repo.join("deploy/cluster.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let env = Environment::vars([
        ("HOSTNAME", "windvane-2"),
        ("WINDVANE_EGRESS", "egress-2"),
        ("PGPASSWORD", "pw"),
    ]);
    let cfg = Config::from_toml_str_in(&text, Some(&path), &env).unwrap();
    let c = cfg.cluster.expect("[store] url selects cluster mode");
    assert_eq!(
        (c.instance_id.as_str(), c.egress.as_str()),
        ("windvane-2", "egress-2")
    );
    assert_eq!(c.lease_ttl, Duration::from_secs(60));
    assert!(c.password.is_some());
    assert!(
        !cfg.sources.is_empty(),
        "the state-media watch list is included"
    );

    let compose = std::fs::read_to_string(repo.join("deploy/compose.yaml")).unwrap();
    for n in 1..=3 {
        assert!(
            compose.contains(&format!("hostname: windvane-{n}")),
            "instance {n}"
        );
        assert!(
            compose.contains(&format!("WINDVANE_EGRESS: egress-{n}")),
            "egress {n}"
        );
    }
    assert!(compose.contains("./cluster.toml:/config/cluster.toml:ro"));
    assert!(!text.contains("password ="), "no password in the file");
}

/// A channel is held by one sender at a time: another instance cannot take it while the
/// lease runs, takes it (with a higher fence) once it lapses, and the old holder can then no
/// longer mark a send; the new holder can, and each alert is marked once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_alert_channel_has_one_sender_at_a_time() {
    use windvane::classify::Label;
    use windvane::store::pg::{RunItem, SendOutcome};
    use windvane::store::PlannedAlert;

    let pg = TempPostgres::start();
    let s = pg.store().await;
    s.upsert_source(&source(1, None, Duration::from_secs(60)))
        .await
        .unwrap();
    let lease = s
        .claim_due("a", "direct", 1, Duration::from_secs(60))
        .await
        .unwrap()
        .pop()
        .unwrap();
    let items: Vec<RunItem> = (0..2)
        .map(|i| RunItem {
            post: post(format!("p{i}")),
            alerts: vec![PlannedAlert {
                label: Label::Talks,
                channel_id: "hook".into(),
                score: 0.9,
                idempotency_key: format!("key-{i}"),
                payload: "{}".into(),
            }],
            ..RunItem::default()
        })
        .collect();
    let done = s
        .commit_run_items(&lease, &items, RunOutcome::Ok, None, None)
        .await
        .unwrap();
    assert_eq!((done.new_posts, done.alerts_queued), (2, 2));

    let ttl = Duration::from_millis(600);
    let a = s.take_channel("hook", "a", ttl).await.unwrap().unwrap();
    assert!(s.take_channel("hook", "b", ttl).await.unwrap().is_none());
    let again = s.take_channel("hook", "a", ttl).await.unwrap().unwrap();
    assert_eq!(again.fence, a.fence, "the holder keeps its fence");
    let due = s.due_alerts(&a, 10).await.unwrap();
    assert_eq!(
        due.iter()
            .map(|r| r.idempotency_key.as_str())
            .collect::<Vec<_>>(),
        ["key-0", "key-1"],
        "in outbox order"
    );
    assert!(s.mark_sending(&a, due[0].id).await.unwrap());
    s.record_send(&a, due[0].id, &SendOutcome::Sent)
        .await
        .unwrap();

    tokio::time::sleep(ttl + Duration::from_millis(200)).await;
    let b = s.take_channel("hook", "b", ttl).await.unwrap().unwrap();
    assert!(b.fence > a.fence, "a new holder raises the fence");
    assert!(
        !s.mark_sending(&a, due[1].id).await.unwrap(),
        "the old holder cannot mark a send"
    );
    let left = s.due_alerts(&b, 10).await.unwrap();
    assert_eq!(left.len(), 1, "the sent alert is not due again");
    assert!(s.mark_sending(&b, left[0].id).await.unwrap());
    s.record_send(&b, left[0].id, &SendOutcome::Sent)
        .await
        .unwrap();
    assert!(s.due_alerts(&b, 10).await.unwrap().is_empty());
    assert_eq!(
        s.alert_counts().await.unwrap(),
        vec![("sent".to_string(), 2)]
    );
}

/// Runs every query on both backends and asserts that the same posts (by source and platform
/// id) answer it; returns how many queries found something.
pub async fn same_search_answers(
    queries: impl IntoIterator<Item = String>,
    sqlite: &windvane::store::Store,
    cls: &windvane::classify::Classifier,
    key_of: &HashMap<i64, (String, String)>,
    store: &PgStore,
) -> usize {
    let mut found = 0;
    for q in queries {
        let parsed = windvane::text::SearchQuery::parse(&q).unwrap();
        let on_sqlite: HashSet<(String, String)> = sqlite
            .search(&cls.segmenter, &q, usize::MAX >> 1)
            .unwrap()
            .into_iter()
            .map(|p| key_of[&p.id].clone())
            .collect();
        let on_pg: HashSet<(String, String)> = store
            .search_posts(&parsed, usize::MAX >> 1)
            .await
            .unwrap()
            .into_iter()
            .map(|p| (p.source_id, p.platform_id))
            .collect();
        assert_eq!(on_pg, on_sqlite, "search `{q}`");
        found += usize::from(!on_pg.is_empty());
    }
    found
}
