//! Configuration as a user meets it: watch lists included from a config, their accounts
//! resolved through a real (loopback) Weibo server, and `check-config` run as a binary.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use assert_cmd::Command;
use windvane::config::{Config, SourceSpec};
use windvane::pipeline::{run_source, Context};

use crate::common::*;

fn windvane() -> Command {
    let mut c = Command::cargo_bin("windvane").unwrap();
    c.current_dir(env!("CARGO_TARGET_TMPDIR"));
    c
}

fn state_media() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("config/watchlists/state-media.toml")
}

/// Runs `check-config` on `text` written to `dir/name`: (exit code, stdout, stderr).
fn check_config(dir: &Path, name: &str, text: &str) -> (Option<i32>, String, String) {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    let out = windvane()
        .arg("--config")
        .arg(&path)
        .arg("check-config")
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// 玉渊谭天 as the shipped list gives it (a screen name, no uid), with only its address
/// overridden to a loopback Weibo: resolved through `n/<name>`, cached, its timeline read.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_screen_named_account_from_the_list_resolves_like_any_other() {
    const UID: &str = "6279793937";
    let st = Arc::new(WeiboState::default());
    st.names
        .lock()
        .unwrap()
        .insert("玉渊谭天".into(), UID.into());
    st.profiles
        .lock()
        .unwrap()
        .insert(UID.into(), read_fixture("weibo/weibo_ak_profile.json"));
    st.timelines.lock().unwrap().insert(
        "1076036279793937".into(),
        read_fixture("weibo/weibo_ak_list_0.json"),
    );
    let addr = weibo_server(st.clone()).await;
    let dir = tempfile::tempdir().unwrap();
    let text = format!(
        "include = [{:?}]\n\n[store]\npath = \"w.db\"\n\n[fetch]\nmin_interval_per_host = \"1ms\"\njitter = \"0s\"\ntimeout = \"5s\"\n\n[overrides.yuyuan-tiantian]\napi_base = \"http://{addr}\"\npassport_base = \"http://{addr}\"\nbackfill_pages = 1\n",
        state_media().display().to_string()
    );
    let cfg = Config::from_toml_str(&text, Some(&dir.path().join("w.toml")))
        .unwrap_or_else(|e| panic!("{e}"));
    let src = cfg
        .sources
        .iter()
        .find(|s| s.id == "yuyuan-tiantian")
        .unwrap()
        .clone();
    assert_eq!(src.origin, state_media().display().to_string());
    let SourceSpec::Weibo(w) = &src.spec else {
        panic!("weibo")
    };
    assert_eq!(
        (w.uid.as_str(), w.screen_name.as_deref()),
        ("", Some("玉渊谭天"))
    );
    let ctx = Context::new(cfg).unwrap();

    let r = run_source(&ctx, &src).await;
    assert_eq!((r.error.as_deref(), r.new_posts), (None, 10), "{r:?}");
    assert_eq!(
        (st.count("name"), st.count("profile"), st.count("getIndex")),
        (1, 1, 1)
    );
    let a = ctx.store.weibo_account("yuyuan-tiantian").unwrap().unwrap();
    // The loopback Weibo answers with a captured profile (明日方舟Arknights), whose name is
    // stored; what the list configured is kept beside it.
    assert_eq!(
        (
            a.uid.as_str(),
            a.containerid.as_str(),
            a.screen_name.as_deref()
        ),
        (UID, "1076036279793937", Some("明日方舟Arknights"))
    );
    assert_eq!(a.configured, "screen_name:玉渊谭天");

    // The next run reads the cached account: no second lookup.
    let r = run_source(&ctx, &src).await;
    assert_eq!((r.error.as_deref(), r.new_posts), (None, 0));
    assert_eq!((st.count("name"), st.count("getIndex")), (1, 2));
}

#[test]
fn check_config_lists_each_source_with_the_file_it_came_from() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!(
        "include = [{:?}]\n\n[[sources]]\nid = \"cctv-finance\"\nkind = \"weibo\"\nuid = \"2258727970\"\nschedule = \"every 10m\"\n\n[overrides.customs-announcements]\nenabled = true\n",
        state_media().display().to_string()
    );
    let (code, out, err) = check_config(dir.path(), "main.toml", &text);
    assert_eq!(code, Some(0), "{err}");
    let line = |id: &str| {
        out.lines()
            .find(|l| l.split_whitespace().next() == Some(id))
            .unwrap_or_else(|| panic!("no line for {id}:\n{out}"))
            .to_string()
    };
    let list = state_media().display().to_string();
    assert!(line("yuyuan-tiantian").contains("@玉渊谭天"), "{out}");
    assert!(
        line("yuyuan-tiantian").ends_with(&format!("from {list}")),
        "{out}"
    );
    assert!(
        line("tariff-commission").contains("gss.mof.gov.cn"),
        "{out}"
    );
    assert!(line("customs-announcements").ends_with(&format!("from {list}")));
    assert!(!line("customs-announcements").contains("disabled"), "{out}");
    assert!(
        line("cctv-finance").ends_with(&format!("from {}", dir.path().join("main.toml").display())),
        "{out}"
    );
    assert!(out.contains("ok (15 sources"), "{out}");

    // Without a file: the built-in config, its list compiled in.
    let out = windvane().arg("check-config").output().unwrap();
    let out = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.lines().any(|l| l.contains("yuyuan-tiantian")
            && l.ends_with("from <built-in config/watchlists/state-media.toml>")),
        "{out}"
    );
}

#[test]
fn check_config_names_include_cycles_and_duplicate_ids() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("list.toml"),
        "include = [\"main.toml\"]\n[[sources]]\nid = \"feed\"\nkind = \"rss\"\nurl = \"http://127.0.0.1/f\"\nschedule = \"every 10m\"\n",
    )
    .unwrap();
    let (code, _, err) = check_config(
        dir.path(),
        "main.toml",
        "include = [\"list.toml\"]\n[[sources]]\nid = \"feed\"\nkind = \"rss\"\nurl = \"http://127.0.0.1/g\"\nschedule = \"every 10m\"\n",
    );
    assert_eq!(code, Some(2), "{err}");
    let (main, list) = (
        dir.path().join("main.toml").display().to_string(),
        dir.path().join("list.toml").display().to_string(),
    );
    assert!(
        err.contains(&format!(
            "{list}: `include[0]`: include cycle: {main} → {list} → {main}"
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "{main}: `sources[0].id`: `feed` is also the id of sources[0] in `{list}`"
        )),
        "{err}"
    );
    assert!(err.starts_with("2 configuration problems"), "{err}");
}

/// The issue's file: an unknown key, a bad schedule, a missing uid, an unreadable duration,
/// an invalid selector and a template with an unknown filter, all reported by one run.
#[test]
fn check_config_reports_every_problem_in_one_pass() {
    let dir = tempfile::tempdir().unwrap();
    let text = r#"
[fetch]
timeout = "20 parsecs"

[[sources]]
id = "wb"
kind = "weibo"
schedule = "every banana"
colour = "red"

[[sources]]
id = "gov-page"
kind = "html"
url = "http://127.0.0.1/list"
schedule = "every 10m"
item = "ul >"
title = "a"

[[alerts]]
id = "desk-hook"
kind = "webhook"
url = "http://127.0.0.1/hook"
template = "{{ title | nosuchfilter }}"
"#;
    let (code, _, err) = check_config(dir.path(), "broken.toml", text);
    assert_eq!(code, Some(2), "{err}");
    for (key, says) in [
        (
            "fetch.timeout",
            "`20 parsecs` is not a duration (unknown time unit \"parsecs\"",
        ),
        ("sources[0].colour", "unknown field `colour`"),
        ("sources[0].schedule", "`every banana`"),
        ("sources[0].uid", "needs `uid`"),
        (
            "sources[1].item",
            "source `gov-page`: `ul >` is not a CSS selector: it ends with a combinator",
        ),
        (
            "alerts[0].template",
            "channel `desk-hook`: does not render a sample post alert: unknown filter",
        ),
    ] {
        let line = err
            .lines()
            .find(|l| l.contains(&format!("broken.toml: `{key}`: ")))
            .unwrap_or_else(|| panic!("{key} missing:\n{err}"));
        assert!(line.contains(says), "{key}: {line}");
    }
    assert!(err.starts_with("6 configuration problems"), "{err}");
    assert!(!err.contains("report this to the developer"), "{err}");
}

/// SIGHUP with a template that cannot render: the reload is rejected naming channel and key,
/// and the daemon keeps running.
#[test]
fn a_reload_with_a_template_that_cannot_render_is_rejected() {
    use std::process::Stdio;
    use std::time::{Duration, Instant};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("windvane.toml");
    let good = "[store]\npath = \"w.db\"\n\n[daemon]\nmetrics_listen = \"off\"\nshutdown_grace = \"2s\"\n\n[[alerts]]\nid = \"desk\"\nkind = \"log\"\ntemplate = \"{{ title }}\"\n";
    std::fs::write(&path, good).unwrap();
    let log = dir.path().join("daemon.log");
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("windvane"))
        .arg("--config")
        .arg(&path)
        .arg("run")
        .env("RUST_LOG", "windvane=info")
        .env("NO_COLOR", "1")
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    let text = || std::fs::read_to_string(&log).unwrap_or_default();
    let wait_for = |what: &str| {
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(60) {
            if text().contains(what) {
                return true;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        false
    };
    let pid = child.id().to_string();
    let signal = |sig: &str| {
        let ok = std::process::Command::new("kill")
            .arg(format!("-{sig}"))
            .arg(&pid)
            .status()
            .unwrap()
            .success();
        assert!(ok, "kill -{sig}");
    };
    assert!(wait_for("windvane running."), "{}", text());
    std::fs::write(
        &path,
        good.replace("{{ title }}", "{{ title | nosuchfilter }}"),
    )
    .unwrap();
    signal("HUP");
    assert!(wait_for("Reload rejected"), "{}", text());
    let log_text = text();
    assert!(
        log_text.contains("`alerts[0].template`: channel `desk`: does not render a sample post alert: unknown filter"),
        "{log_text}"
    );
    assert!(child.try_wait().unwrap().is_none(), "still running");
    signal("TERM");
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break Some(s);
        }
        if start.elapsed() > Duration::from_secs(30) {
            let _ = child.kill();
            break None;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(status.and_then(|s| s.code()), Some(0), "{}", text());
}

/// The issue's values: check-config exits 2 with a message per key, never 101 (a panic).
#[test]
fn check_config_refuses_edge_values_without_panicking() {
    let dir = tempfile::tempdir().unwrap();
    let text = "[[sources]]\nid = \"wb\"\nkind = \"weibo\"\nuid = \"1\"\nschedule = \"every 18446744073709551615s\"\n\n[[sources]]\nid = \"feb\"\nkind = \"weibo\"\nuid = \"2\"\nschedule = \"0 0 12 30 2 *\"\n\n[[alerts]]\nid = \"log\"\nkind = \"log\"\nmax_attempts = 0\n";
    let (code, _, err) = check_config(dir.path(), "edge.toml", text);
    assert_eq!(code, Some(2), "{err}");
    for want in [
        "edge.toml: `sources[0].schedule`: `every 18446744073709551615s`: the interval must be at most 366 days",
        "edge.toml: `sources[1].schedule`: `0 0 12 30 2 *` never fires",
        "edge.toml: `alerts[0].max_attempts`: must be at least 1",
    ] {
        assert!(err.contains(want), "{want} missing:\n{err}");
    }
    assert!(!err.contains("panicked"), "{err}");
}

/// A database that cannot be written when `once` starts: the error names the file and what to
/// check. As root, permissions do not stop writes, so the binary runs as `nobody` (setpriv).
#[test]
fn an_unwritable_database_at_start_names_the_file_and_what_to_check() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("w.toml");
    std::fs::write(
        &path,
        "[store]\npath = \"w.db\"\n\n[[sources]]\nid = \"feed\"\nkind = \"rss\"\nurl = \"http://127.0.0.1:9/feed\"\nschedule = \"every 10m\"\n\n[[alerts]]\nid = \"log\"\nkind = \"log\"\n",
    )
    .unwrap();
    // Created (and migrated) first, by the test's own user.
    let db = dir.path().join("w.db");
    windvane::store::Store::open(&db).unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o444)).unwrap();
    let root = String::from_utf8_lossy(
        &std::process::Command::new("id")
            .arg("-u")
            .output()
            .unwrap()
            .stdout,
    )
    .trim()
        == "0";
    let bin = assert_cmd::cargo::cargo_bin("windvane");
    let mut cmd = if root {
        if std::process::Command::new("setpriv")
            .arg("--version")
            .output()
            .is_err()
        {
            eprintln!("SKIPPED: running as root without setpriv; cannot drop to a user that read-only permissions stop");
            return;
        }
        let mut c = std::process::Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(&bin);
        c
    } else {
        std::process::Command::new(&bin)
    };
    let out = cmd
        .arg("--config")
        .arg(&path)
        .arg("once")
        .current_dir(dir.path())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains(&format!(
            "the database `{}` cannot be written",
            db.display()
        )),
        "{err}"
    );
    assert!(
        err.contains("may write the file and its folder") && err.contains("mounted read-only"),
        "{err}"
    );
}
