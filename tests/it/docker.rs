//! The Docker image's default set-up, without a container engine: the binary run as the image
//! runs it (WINDVANE_CONFIG pointing into a read-only config folder, the working folder the
//! writable data volume) stores its database in the data folder and `once` works.

use std::path::Path;

use assert_cmd::Command;
use axum::routing::get;

use crate::common::{read_fixture, serve};

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Lines that are not comments or blank.
fn settings(text: &str) -> Vec<&str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
}

#[test]
fn the_image_config_is_the_default_but_stores_on_the_data_volume() {
    let dockerfile = std::fs::read_to_string(repo().join("Dockerfile")).unwrap();
    for line in [
        "COPY config/docker.toml /config/windvane.toml",
        "WORKDIR /data",
        "VOLUME [\"/data\"]",
    ] {
        assert!(
            dockerfile.lines().any(|l| l.trim() == line),
            "Dockerfile lacks `{line}`"
        );
    }
    assert!(dockerfile.contains("ENV WINDVANE_CONFIG=/config/windvane.toml"));
    assert!(dockerfile.contains("chown windvane /data"));

    // The same settings as the built-in default, but the database path.
    let builtin = std::fs::read_to_string(repo().join("config/windvane.toml")).unwrap();
    let docker = std::fs::read_to_string(repo().join("config/docker.toml")).unwrap();
    let (b, d) = (settings(&builtin), settings(&docker));
    assert_eq!(b.len(), d.len());
    for (b, d) in b.iter().zip(&d) {
        if b.starts_with("path = ") {
            assert_eq!(*d, "path = \"../data/windvane.db\"");
        } else {
            assert_eq!(b, d);
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn once_runs_as_the_image_runs_it() {
    let feed = read_fixture("rss/rsshub_weibo_user_1935396210_demo.xml");
    let app = axum::Router::new().route(
        "/feed",
        get(move || {
            let feed = feed.clone();
            async move { ([("content-type", "application/rss+xml")], feed) }
        }),
    );
    let addr = serve(app).await;

    // /config and /data as siblings, as in the image.
    let root = tempfile::tempdir().unwrap();
    let (config_dir, data_dir) = (root.path().join("config"), root.path().join("data"));
    std::fs::create_dir(&config_dir).unwrap();
    std::fs::create_dir(&data_dir).unwrap();
    // The image's config with its sources swapped for one loopback feed (tests stay off the
    // network); [store] and everything before the sources are the image's own.
    let docker = std::fs::read_to_string(repo().join("config/docker.toml")).unwrap();
    // The shipped watch list is left out too: its accounts are real hosts.
    let head: String = docker
        .split("[[sources]]")
        .next()
        .unwrap()
        .lines()
        .filter(|l| !l.trim_start().starts_with("include"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(
        config_dir.join("windvane.toml"),
        format!(
            "{head}[[sources]]\nid = \"feed\"\nname = \"feed\"\nkind = \"rss\"\n\
             url = \"http://{addr}/feed\"\nschedule = \"every 5m\"\n"
        ),
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&config_dir, std::fs::Permissions::from_mode(0o555)).unwrap();
    }

    let config = config_dir.join("windvane.toml");
    let out = tokio::task::spawn_blocking(move || {
        Command::cargo_bin("windvane")
            .unwrap()
            .env("WINDVANE_CONFIG", &config)
            .current_dir(&data_dir)
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
    let db = root.path().join("data/windvane.db");
    assert!(db.exists(), "the database is on the data volume");
    assert!(
        !root.path().join("config/windvane.db").exists(),
        "nothing is written beside the config"
    );
    let posts: i64 = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row("SELECT count(*) FROM posts", [], |r| r.get(0))
        .unwrap();
    assert_eq!(posts, 2);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(
            root.path().join("config"),
            std::fs::Permissions::from_mode(0o755),
        )
        .unwrap();
    }
}
