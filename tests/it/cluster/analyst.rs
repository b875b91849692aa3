//! The analyst's commands in cluster mode, with the real binary: with `[store] url` set,
//! `search`, `history`, `backtest`, `review list|show|confirm|dismiss|stats`, `alerts list`,
//! `export` and the desk (`serve`) read and write the shared PostgreSQL (posts committed there by an instance's fenced run),
//! never a SQLite file; a verdict on a stale version is refused, naming who changed the post.

use std::path::Path;
use std::process::Output;

use windvane::store::{AnyStore, QueueQuery, ReviewStatus};

use super::{binary::url_of, TempPostgres};

/// The desk's process, stopped however the test ends.
struct KillOnDrop(std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The binary on `config`, with `args`.
fn windvane(config: &Path, args: &[&str]) -> Output {
    command(config).args(args).output().unwrap()
}

fn command(config: &Path) -> assert_cmd::Command {
    let mut c = assert_cmd::Command::cargo_bin("windvane").unwrap();
    c.arg("--config")
        .arg(config)
        .env_remove("PGPASSWORD")
        .env("NO_COLOR", "1");
    c
}

/// stdout of a command that must succeed.
fn ok(config: &Path, args: &[&str]) -> String {
    crate::review::stdout(command(config).args(args))
}

/// A throwaway PostgreSQL holding the store suite's posts, and a configuration on it (as
/// database role `role`, then `extra`).
struct Seeded {
    server: TempPostgres,
    dir: tempfile::TempDir,
    config: std::path::PathBuf,
    db: AnyStore,
    /// Post ids by platform id.
    ids: std::collections::HashMap<String, i64>,
}

async fn seeded(role: &str, extra: &str) -> Seeded {
    let server = TempPostgres::start();
    let db = AnyStore::from(crate::store_suite::seed_postgres(&server).await);
    let posts = db.review_queue(&QueueQuery::default()).await.unwrap();
    let ids = posts.into_iter().map(|p| (p.platform_id, p.id)).collect();
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("windvane.toml");
    let url = url_of(&server).replace("windvane@", &format!("{role}@"));
    std::fs::write(&config, format!("[store]\nurl = \"{url}\"\n\n{extra}")).unwrap();
    Seeded {
        server,
        dir,
        config,
        db,
        ids,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_analysts_commands_use_the_shared_database() {
    let s = seeded("windvane", "[instance]\nid = \"desk-1\"\n").await;
    let (db, dir, config) = (&s.db, &s.dir, s.config.clone());
    let id = |platform: &str| s.ids[platform];

    let found = ok(&config, &["search", "中美经贸"]);
    assert_eq!(
        crate::review::ids_listed(&found),
        [id("p4"), id("p1")],
        "{found}"
    );
    let history = ok(&config, &["history", "--format", "csv"]);
    assert!(
        history.contains("2025-03-02,escalation,1,1,0.8000,0.8000,0"),
        "{history}"
    );
    let list = ok(&config, &["review", "list"]);
    assert_eq!(
        crate::review::ids_listed(&list),
        [id("p4"), id("p2"), id("p1")],
        "{list}"
    );
    let show = ok(&config, &["review", "show", &id("p2").to_string()]);
    assert!(show.contains("verdict version 0"), "{show}");
    assert!(show.contains("[[反制]]"), "evidence marked: {show}");

    // alice confirms p1 at the version she saw; bob, still on version 0, is refused.
    let p1 = id("p1").to_string();
    let saved = ok(
        &config,
        &[
            "review",
            "confirm",
            &p1,
            "--expect-version",
            "0",
            "--reviewer",
            "alice",
        ],
    );
    assert!(saved.contains("talks confirmed (now confirmed)"), "{saved}");
    let refused = windvane(
        &config,
        &[
            "review",
            "dismiss",
            &p1,
            "--expect-version",
            "0",
            "--reviewer",
            "bob",
        ],
    );
    assert_eq!(refused.status.code(), Some(1));
    let err = String::from_utf8_lossy(&refused.stderr);
    assert!(
        err.contains(&format!(
            "post {p1} changed since you read it: alice recorded"
        )),
        "{err}"
    );
    assert!(err.contains("Reload the post"), "{err}");
    let p = db.review_post(id("p1")).await.unwrap().unwrap();
    assert_eq!((p.status, p.version), (ReviewStatus::Confirmed, 1));
    assert!(ok(&config, &["review", "show", &p1]).contains("verdict version 1"));

    let stats = ok(&config, &["review", "stats"]);
    let talks = stats
        .lines()
        .find(|l| l.starts_with("all") && l.contains("talks"))
        .unwrap();
    let cells: Vec<&str> = talks.split_whitespace().collect();
    assert_eq!(cells[2..], ["1", "1", "0", "0", "1.00"], "{stats}");
    let alerts = ok(&config, &["alerts", "list"]);
    assert!(alerts.trim_end().ends_with("2 alerts"), "{alerts}");
    assert!(
        alerts.contains("escalation") && alerts.contains("pending"),
        "{alerts}"
    );
    let export = ok(&config, &["export", "--format", "jsonl", "--flagged"]);
    assert_eq!(export.lines().count(), 3, "{export}");
    assert!(export.contains("\"created_at_raw\":\"raw p2\""), "{export}");

    let events = dir.path().join("events.csv");
    std::fs::write(
        &events,
        "date,label,description\n2025-03-02,talks,a round of talks\n",
    )
    .unwrap();
    let backtest = ok(
        &config,
        &[
            "backtest",
            events.to_str().unwrap(),
            "--window-days",
            "3",
            "--format",
            "csv",
        ],
    );
    // The first talks post before the event (p1, 14 h ahead) and after it (p2, 4 h later).
    let row = format!(
        "2025-03-02,talks,a round of talks,{},2025-03-01 10:00,新华社,14.0,1,{},2025-03-02 04:00,新华社,4.0,1",
        id("p1"),
        id("p2")
    );
    assert!(backtest.contains(&row), "{backtest}");
    std::fs::remove_file(&events).unwrap();

    // The desk (`serve`) on the same database: the queue and a post page with its version.
    let mut desk = KillOnDrop(
        std::process::Command::new(env!("CARGO_BIN_EXE_windvane"))
            .arg("--config")
            .arg(&config)
            .args(["serve", "--listen", "127.0.0.1:0"])
            .env_remove("WINDVANE_REVIEW_TOKEN")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap(),
    );
    let mut line = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(desk.0.stdout.take().unwrap()),
        &mut line,
    )
    .unwrap();
    let base = line
        .trim()
        .strip_prefix("review desk on ")
        .unwrap_or_else(|| panic!("no address line: {line:?}"))
        .trim_end_matches('/')
        .to_string();
    let http = crate::review_web::reqwest_client();
    let get = |path: String| {
        let http = http.clone();
        let url = format!("{base}{path}");
        async move {
            let r = http.get(&url).send().await.unwrap();
            assert_eq!(r.status(), 200, "{url}");
            r.text().await.unwrap()
        }
    };
    let queue = get("/?status=any".into()).await;
    for p in ["p1", "p2", "p4"] {
        assert!(queue.contains(&format!("/posts/{}", id(p))), "{p}: {queue}");
    }
    let page = get(format!("/posts/{p1}")).await;
    assert!(page.contains("name=\"version\" value=\"1\""), "{page}");
    let found = get("/search?q=%E5%A4%A7%E8%B1%86".into()).await;
    assert!(found.contains(&format!("/posts/{}", id("p4"))), "{found}");
    // The sources page: both sources with their last run, posts read and new.
    let sources = get("/sources".into()).await;
    assert!(
        sources.contains("新华社") && sources.contains("人民日报"),
        "{sources}"
    );
    assert_eq!(sources.matches("<td>1 / 1</td>").count(), 2, "{sources}");
    let alerts = get("/alerts".into()).await;
    assert!(alerts.contains("Pending (2)"), "{alerts}");
    // The chart over all history: from the oldest post's Beijing day, talks counted.
    let chart = get("/timeline?range=all&by=day".into()).await;
    assert!(chart.contains("per day, 2025-03-01 to "), "{chart}");
    assert!(
        chart.contains("2025-03-01: 1 flagged, 1 confirmed"),
        "{chart}"
    );
    assert!(chart.contains("2 flagged, 1 confirmed"), "{chart}");
    drop(desk);

    // Nothing of this touched a SQLite file.
    let files: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(files, ["windvane.toml"]);
}

/// The summary line of `import`: `N files: … alerts queued`.
fn summary(out: &str) -> String {
    out.lines()
        .find(|l| l.contains(" files: ") && l.ends_with("alerts queued"))
        .unwrap_or_else(|| panic!("no summary in {out}"))
        .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn import_into_the_shared_database_stores_what_sqlite_stores() {
    let server = TempPostgres::start();
    // Connected (retried while the server finishes starting) and migrated before the binary.
    let pg = AnyStore::from(server.store().await);
    let dir = tempfile::tempdir().unwrap();
    // A channel that wants talks and escalation, so `--alert` queues alerts (none is sent).
    let channel = "[[alerts]]\nid = \"hook\"\nkind = \"webhook\"\nurl = \"http://127.0.0.1:9/hook\"\nlabels = [\"talks\", \"escalation\"]\nmin_score = 0.5\n";
    let cluster = dir.path().join("cluster.toml");
    std::fs::write(
        &cluster,
        format!("[store]\nurl = \"{}\"\n\n{channel}", url_of(&server)),
    )
    .unwrap();
    let local = dir.path().join("local.toml");
    std::fs::write(&local, format!("[store]\npath = \"local.db\"\n\n{channel}")).unwrap();
    let file = crate::common::fixture("import/人民日报_2803301701.csv");
    let file = file.to_str().unwrap();

    let on_pg = summary(&ok(&cluster, &["import", "--alert", file]));
    let on_sqlite = summary(&ok(&local, &["import", "--alert", file]));
    assert_eq!(on_pg, on_sqlite);
    assert!(!on_pg.contains(" 0 stored"), "{on_pg}");
    assert!(!on_pg.contains(" 0 alerts queued"), "{on_pg}");
    // Again: every post is a duplicate and nothing is queued twice.
    let again = summary(&ok(&cluster, &["import", "--alert", file]));
    assert!(
        again.contains(" 0 stored") && again.ends_with(" 0 alerts queued"),
        "{again}"
    );

    // The imported posts answer on PostgreSQL as on SQLite.
    let sqlite =
        AnyStore::from(windvane::store::Store::open(&dir.path().join("local.db")).unwrap());
    let flagged = QueueQuery {
        flagged_only: true,
        ..QueueQuery::default()
    };
    let keys = |posts: Vec<windvane::store::ReviewPost>| {
        posts
            .into_iter()
            .map(|p| {
                (
                    p.source_id,
                    p.platform_id,
                    p.status,
                    format!("{:?}", p.labels),
                )
            })
            .collect::<Vec<_>>()
    };
    let (a, b) = (
        keys(pg.review_queue(&flagged).await.unwrap()),
        keys(sqlite.review_queue(&flagged).await.unwrap()),
    );
    assert!(!a.is_empty());
    assert_eq!(a, b);
    assert_eq!(
        pg.alerts(None).await.unwrap().len(),
        sqlite.alerts(None).await.unwrap().len()
    );
}

/// `reclassify` with `[store] url`: every post of the shared database gets a classification
/// of the current classifier beside the suite's hand-made one (kept), the review queue shows
/// the new one, and a second run has nothing left to do.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reclassify_rewrites_the_shared_databases_classifications() {
    let s = seeded("windvane", "").await;
    let versions = || async {
        let mut v: Vec<(String, Option<String>)> =
            s.db.review_queue(&QueueQuery::default())
                .await
                .unwrap()
                .into_iter()
                .map(|p| (p.platform_id, p.classifier_version))
                .collect();
        v.sort();
        v
    };
    let before = versions().await;
    assert_eq!(before.len(), 4);
    assert!(before.iter().all(|(_, v)| v.as_deref() == Some("suite-1")));

    let out = ok(&s.config, &["reclassify"]);
    assert!(out.contains("4 posts read, 4 reclassified with "), "{out}");
    let after = versions().await;
    assert!(
        after
            .iter()
            .all(|(_, v)| v.is_some() && v.as_deref() != Some("suite-1")),
        "the current classifier's version is each post's latest: {after:?}"
    );
    let client = s.server.client().await;
    let count = |sql: &'static str| {
        let client = &client;
        async move { client.query_one(sql, &[]).await.unwrap().get::<_, i64>(0) }
    };
    assert_eq!(count("SELECT count(*) FROM classifications").await, 8);
    assert_eq!(
        count("SELECT count(*) FROM classifications WHERE classifier_version = 'suite-1'").await,
        4,
        "the earlier classifications are kept"
    );
    // The talks post is still talks under the current rules.
    let p1 =
        s.db.review_queue(&QueueQuery::default())
            .await
            .unwrap()
            .into_iter()
            .find(|p| p.platform_id == "p1")
            .unwrap();
    assert!(
        p1.labels
            .iter()
            .any(|l| l.label == windvane::classify::Label::Talks),
        "{:?}",
        p1.labels
    );

    let again = ok(&s.config, &["reclassify"]);
    assert!(again.contains("4 posts read, 0 reclassified"), "{again}");
    assert_eq!(count("SELECT count(*) FROM classifications").await, 8);
}

/// `train --from-reviews` with `[store] url`: the shared database's verdicts become labelled
/// examples; a model that scores worse than the current one on `--eval` is refused (nothing
/// written), a better one is written.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn train_from_reviews_reads_the_shared_databases_verdicts() {
    let s = seeded("windvane", "").await;
    let config = s.config.clone();
    ok(&config, &["review", "confirm", &s.ids["p1"].to_string()]);
    ok(&config, &["review", "dismiss", &s.ids["p2"].to_string()]);
    let examples = s.db.reviewed_examples().await.unwrap();
    assert_eq!(examples.len(), 2, "{examples:?}");

    let url = url_of(&s.server);
    crate::review::trains_from_two_verdicts(s.dir.path(), &|| command(&config), &|signals| {
        std::fs::write(
            &config,
            format!(
                "[store]\nurl = \"{url}\"\n\n[classifier]\nsignals_dir = \"{}\"\n",
                signals.display()
            ),
        )
        .unwrap();
    });
}

/// `alerts test` with `[store] url` sends the shared database's newest flagged post (p4),
/// not a bundled one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn alerts_test_sends_the_shared_databases_newest_flagged_post() {
    let hook = std::sync::Arc::new(crate::common::Receiver::default());
    let addr = crate::common::webhook_server(hook.clone()).await;
    let s = seeded(
        "windvane",
        &format!(
            "[[alerts]]\nid = \"hook\"\nkind = \"webhook\"\nurl = \"http://{addr}/hook\"\nlabels = [\"talks\", \"purchase\"]\nmin_score = 0.5\n"
        ),
    )
    .await;
    let config = s.config.clone();
    // The binary blocks this thread; the webhook server runs on the test's other worker.
    let out = tokio::task::spawn_blocking(move || ok(&config, &["alerts", "test", "hook"]))
        .await
        .unwrap();
    assert!(out.contains("hook (webhook): sent"), "{out}");
    let calls = hook.calls.lock().unwrap().clone();
    assert_eq!(calls.len(), 1);
    assert_eq!(
        calls[0].body["text"], "中方将扩大采购美国大豆，中美经贸关系稳定。",
        "{:?}",
        calls[0].body
    );
}

/// `run` with `[review] enabled` in cluster mode: the instance serves the desk on PostgreSQL.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cluster_instance_serves_the_desk_on_the_shared_database() {
    let s = seeded(
        "windvane",
        "[instance]\nid = \"desk-1\"\n\n[daemon]\nmetrics_listen = \"off\"\n\n[review]\nenabled = true\nlisten = \"127.0.0.1:0\"\n",
    )
    .await;
    let d = crate::daemon::Daemon::start(&s.config);
    let addr = crate::daemon::logged_addr(&d, "Review desk listening", "addr=").await;
    let http = crate::review_web::reqwest_client();
    let get = |path: &'static str| {
        let request = http.get(format!("http://{addr}{path}")).send();
        async move {
            let r = request.await.unwrap();
            assert_eq!(r.status(), 200, "{path}");
            r.text().await.unwrap()
        }
    };
    let queue = get("/?status=any").await;
    // The sources page names the instances sharing the database (this one, announced).
    let sources = get("/sources").await;
    drop(d);
    assert!(sources.contains("<h1>Instances</h1>"), "{sources}");
    assert!(
        sources.contains("<td><strong>desk-1</strong></td><td>default</td>"),
        "{sources}"
    );
    for p in ["p1", "p2", "p4"] {
        let href = format!("href=\"/posts/{}\"", s.ids[p]);
        assert!(queue.contains(&href), "{p}: {queue}");
    }
    assert!(!queue.contains(&format!("href=\"/posts/{}\"", s.ids["p3"])));
}

/// A cluster instance's `/healthz` judges its standing in the shared database: 200 while it
/// announces itself there, 503 naming the database once that stops answering.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cluster_instances_healthz_judges_the_shared_database() {
    let mut server = TempPostgres::start();
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("windvane.toml");
    std::fs::write(
        &config,
        format!(
            "[store]\nurl = \"{}\"\n\n[instance]\nid = \"health-1\"\n\n[daemon]\nmetrics_listen = \"127.0.0.1:0\"\n",
            url_of(&server)
        ),
    )
    .unwrap();
    let d = crate::daemon::Daemon::start(&config);
    let addr = crate::daemon::health_addr(&d).await;
    let http = crate::review_web::reqwest_client();
    let healthz = || async {
        let r = http
            .get(format!("http://{addr}/healthz"))
            .send()
            .await
            .unwrap();
        let code = r.status().as_u16();
        (code, r.json::<serde_json::Value>().await.unwrap())
    };
    let (code, body) = healthz().await;
    assert_eq!(code, 200, "{body}");
    assert_eq!(body["instance"], "health-1");
    assert_eq!(body["healthy"], true);
    let ids: Vec<&str> = body["instances"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|i| i["id"].as_str())
        .collect();
    assert_eq!(ids, ["health-1"]);
    server.stop();
    let (code, body) = healthz().await;
    drop(d);
    assert_eq!(code, 503, "{body}");
    assert_eq!(body["healthy"], false);
    let reason = body["reasons"][0].as_str().unwrap();
    assert!(
        reason.starts_with("the shared database does not answer"),
        "{body}"
    );
}

/// An analyst's database role may read and record verdicts but not change the schema: on a
/// database already migrated, the commands only read which migrations are applied.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_analysts_role_without_ddl_rights_reviews() {
    let s = seeded("analyst", "").await;
    let (client, conn) = tokio_postgres::connect(&s.server.url(), tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(conn);
    // PostgreSQL 15 lets no other role create tables in `public`.
    client
        .batch_execute(
            "CREATE ROLE analyst LOGIN;
             GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA public TO analyst;
             GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO analyst;",
        )
        .await
        .unwrap();
    let config = &s.config;
    let p1 = s.ids["p1"];
    let list = ok(config, &["review", "list"]);
    assert_eq!(crate::review::ids_listed(&list).len(), 3, "{list}");
    let saved = ok(
        config,
        &[
            "review",
            "confirm",
            &p1.to_string(),
            "--expect-version",
            "0",
        ],
    );
    assert!(saved.contains("(now confirmed)"), "{saved}");
}
