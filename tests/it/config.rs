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
