//! The review desk in a real headless Chromium (Debian's `chromium` + `chromium-driver`, which
//! scripts/test installs), driven over WebDriver by fantoccini; plus its HTTP guards.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use windvane::classify::Classifier;
use windvane::config::Secret;
use windvane::review::web::{self, Desk, WebError};
use windvane::store::Store;

use crate::review::{seed, HOSTILE};

/// Starts the desk on 127.0.0.1 with a free port; it stops when the returned sender drops.
async fn start_desk(
    db: &Path,
    token: Option<&str>,
) -> (SocketAddr, tokio::sync::oneshot::Sender<()>) {
    let classifier = Classifier::load(None, None).unwrap();
    serve_desk(Desk {
        store: Store::open(db).unwrap().into(),
        segmenter: classifier.segmenter,
        token: token.map(Secret::new),
    })
    .await
}

/// Serves `desk` on 127.0.0.1 with a free port; it stops when the returned sender drops.
pub async fn serve_desk(desk: Desk) -> (SocketAddr, tokio::sync::oneshot::Sender<()>) {
    let listener = web::bind("127.0.0.1:0".parse().unwrap(), desk.token.is_some())
        .await
        .unwrap();
    let addr = listener.local_addr().unwrap();
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(web::serve(listener, desk, async move {
        let _ = rx.await;
    }));
    (addr, tx)
}

/// The session cookie (`name=value`) a desk page set.
pub fn session_cookie(page: &reqwest::Response) -> String {
    page.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string()
}

/// The value of a page's form field (`name="csrf" value="…"`).
pub fn form_field(html: &str, name: &str) -> Option<String> {
    html.split(&format!("name=\"{name}\" value=\""))
        .nth(1)
        .and_then(|r| r.split('"').next())
        .map(str::to_string)
}

/// The first of `names` found as a file in the directories of `path` (a PATH value).
fn which_in(names: &[&str], path: &std::ffi::OsStr) -> Option<PathBuf> {
    names.iter().find_map(|n| {
        std::env::split_paths(path)
            .map(|d| d.join(n))
            .find(|p| p.is_file())
    })
}

/// A tool the browser tests need, or the message to fail with: it names the Debian package and
/// README's test command, which installs it.
fn require_tool(names: &[&str], package: &str, path: &std::ffi::OsStr) -> Result<PathBuf, String> {
    which_in(names, path).ok_or_else(|| {
        format!(
            "{} not found on PATH: the browser tests need Debian's `{package}`. Run the tests \
             with `scripts/test` (README's test command), which installs chromium, \
             chromium-driver and a CJK font when missing, or `apt-get install -y chromium \
             chromium-driver`.",
            names[0]
        )
    })
}

#[test]
fn a_missing_chromedriver_names_scripts_test() {
    let empty = tempfile::tempdir().unwrap();
    let err = require_tool(
        &["chromedriver"],
        "chromium-driver",
        empty.path().as_os_str(),
    )
    .expect_err("no chromedriver in an empty folder");
    assert!(err.starts_with("chromedriver not found"), "{err}");
    assert!(err.contains("`scripts/test`"), "{err}");
    assert!(err.contains("`chromium-driver`"), "{err}");
    // And one that is there is found.
    std::fs::write(empty.path().join("chromedriver"), "").unwrap();
    assert_eq!(
        require_tool(
            &["chromedriver"],
            "chromium-driver",
            empty.path().as_os_str()
        ),
        Ok(empty.path().join("chromedriver"))
    );
}

/// The port of chromedriver's "ChromeDriver was started successfully on port 41235." line.
fn started_on_port(line: &str) -> Option<u16> {
    line.split_once("started successfully on port ")?
        .1
        .trim_end()
        .trim_end_matches('.')
        .parse()
        .ok()
}

#[test]
fn chromedrivers_port_line_is_read() {
    assert_eq!(
        started_on_port("ChromeDriver was started successfully on port 33135."),
        Some(33135)
    );
    assert_eq!(
        started_on_port("Starting ChromeDriver 156.0 on port 0"),
        None
    );
}

/// chromedriver on a loopback port it chose itself, killed on drop.
struct Driver {
    child: Child,
    port: u16,
    _profile: tempfile::TempDir,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn browser() -> (Driver, Client) {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let driver = require_tool(&["chromedriver"], "chromium-driver", &path)
        .unwrap_or_else(|message| panic!("{message}"));
    let chromium = require_tool(&["chromium", "chromium-browser"], "chromium", &path)
        .unwrap_or_else(|message| panic!("{message}"));
    // chromedriver binds port 0 itself and prints the port it got: no port found free here
    // and dropped, which another test (or process) could take before chromedriver binds it.
    let mut child = std::process::Command::new(driver)
        .arg("--port=0")
        .arg("--allowed-ips=127.0.0.1")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    let stdout = child.stdout.take().expect("stdout is piped");
    let profile = tempfile::tempdir().unwrap();
    let (tx, rx) = tokio::sync::oneshot::channel();
    std::thread::spawn(move || {
        use std::io::BufRead;
        let mut tx = Some(tx);
        let mut seen = String::new();
        // Reads on after the port line too, so chromedriver never blocks on a full pipe.
        for line in std::io::BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if let Some(port) = started_on_port(&line) {
                if let Some(tx) = tx.take() {
                    let _ = tx.send(Ok(port));
                }
            } else if tx.is_some() {
                seen.push_str(&line);
                seen.push('\n');
            }
        }
        if let Some(tx) = tx.take() {
            let _ = tx.send(Err(seen));
        }
    });
    let port = match tokio::time::timeout(Duration::from_secs(30), rx).await {
        Ok(Ok(Ok(port))) => port,
        Ok(Ok(Err(out))) => panic!("chromedriver exited without reporting its port:\n{out}"),
        Ok(Err(_)) => panic!("chromedriver's reader stopped without a port"),
        Err(_) => panic!("chromedriver reported no port within 30 s"),
    };
    let d = Driver {
        child,
        port,
        _profile: profile,
    };
    let http = reqwest_client();
    let status = format!("http://127.0.0.1:{port}/status");
    let mut ready = false;
    for _ in 0..300 {
        if http
            .get(&status)
            .send()
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            ready = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        ready,
        "chromedriver did not answer on port {port} within 30s"
    );
    let caps = serde_json::json!({
        "browserName": "chrome",
        "goog:chromeOptions": {
            "binary": chromium,
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1280,1000",
                format!("--user-data-dir={}", d._profile.path().display()),
            ]
        }
    });
    let serde_json::Value::Object(caps) = caps else {
        unreachable!()
    };
    let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{}", d.port))
        .await
        .expect("a headless Chromium session");
    (d, client)
}

pub fn reqwest_client() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap()
}

fn screenshot_dir() -> PathBuf {
    // CARGO_TARGET_TMPDIR is <target>/tmp; screenshots go to <target>/screenshots.
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .unwrap()
        .join("screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

async fn save_screenshot(c: &Client, name: &str) -> PathBuf {
    let png = c.screenshot().await.unwrap();
    assert!(png.starts_with(b"\x89PNG"), "a PNG screenshot");
    let path = screenshot_dir().join(name);
    std::fs::write(&path, png).unwrap();
    path
}

/// Waits (up to 10 s) for a navigation to a URL containing `needle`.
async fn wait_for_url(c: &Client, needle: &str) {
    for _ in 0..100 {
        if c.current_url().await.unwrap().as_str().contains(needle) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!(
        "the browser never reached a URL with `{needle}`; it is at {}",
        c.current_url().await.unwrap()
    );
}

async fn rows(c: &Client) -> Vec<i64> {
    let mut ids = Vec::new();
    for tr in c
        .find_all(Locator::Css("table.posts tbody tr td:first-child a"))
        .await
        .unwrap()
    {
        ids.push(tr.text().await.unwrap().trim().parse().unwrap());
    }
    ids
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn analyst_reviews_in_chromium() {
    let dir = tempfile::tempdir().unwrap();
    let s = seed(dir.path());
    let (talks, esc, purchase, hostile) = (s.ids[0], s.ids[1], s.ids[2], s.ids[4]);
    let (addr, _stop) = start_desk(&s.db, None).await;
    let base = format!("http://{addr}");
    let (_driver, c) = browser().await;

    // The queue: flagged, unreviewed, newest first.
    c.goto(&format!("{base}/")).await.unwrap();
    assert_eq!(rows(&c).await, vec![hostile, purchase, esc, talks]);
    let queue_png = save_screenshot(&c, "review-queue.png").await;

    // Filter by label with the form.
    c.find(Locator::Css("select[name=label]"))
        .await
        .unwrap()
        .select_by_value("talks")
        .await
        .unwrap();
    c.find(Locator::Css("form.filters button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_url(&c, "label=talks").await;
    assert_eq!(rows(&c).await, vec![hostile, talks]);

    // Open the talks post: evidence highlighted, glossed, explained.
    c.find(Locator::Css(&format!("a.firstline[href='/posts/{talks}']")))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_url(&c, &format!("/posts/{talks}")).await;
    let marks = c.find_all(Locator::Css("#post-text mark")).await.unwrap();
    let mut marked = Vec::new();
    for m in &marks {
        marked.push(m.text().await.unwrap());
    }
    assert!(marked.iter().any(|m| m == "主动接触"), "{marked:?}");
    let body = c
        .find(Locator::Css("main"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(body.contains("Explanation:"), "{body}");
    assert!(body.contains("Negotiation signal"), "{body}");
    let post_png = save_screenshot(&c, "review-post.png").await;

    // Confirm it with a note.
    c.find(Locator::Css("input[name=note]"))
        .await
        .unwrap()
        .send_keys("seen on MOFCOM too")
        .await
        .unwrap();
    c.find(Locator::Id("confirm"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_url(&c, "saved=").await;
    let saved = c
        .find(Locator::Css("p.saved"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(saved.contains("talks confirmed"), "{saved}");
    save_screenshot(&c, "review-post-confirmed.png").await;
    let conn = rusqlite::Connection::open(&s.db).unwrap();
    let (verdict, note): (String, String) = conn
        .query_row(
            "SELECT verdict, note FROM reviews WHERE post_id = ?1 AND label = 'talks'",
            [talks],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(
        (verdict.as_str(), note.as_str()),
        ("confirmed", "seen on MOFCOM too")
    );
    // It left the unreviewed queue.
    c.goto(&format!("{base}/?label=talks")).await.unwrap();
    assert_eq!(rows(&c).await, vec![hostile]);

    // Untrusted markup shows as text and runs nothing.
    c.goto(&format!("{base}/posts/{hostile}")).await.unwrap();
    let text = c
        .find(Locator::Id("post-text"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        text.contains("<script>document.title='pwned'</script>"),
        "{text}"
    );
    assert!(text.contains("<img src=x onerror="), "{text}");
    assert!(c
        .find_all(Locator::Css(
            "#post-text script, #post-text img, main img, main script"
        ))
        .await
        .unwrap()
        .is_empty());
    assert_eq!(
        c.title().await.unwrap(),
        format!("Post {hostile} · windvane")
    );
    let hostile_text = HOSTILE.replace('\n', "");
    assert!(
        text.replace('\n', "").contains(&hostile_text),
        "whole text shown: {text}"
    );

    // Search box and timeline render.
    c.goto(&format!(
        "{base}/search?q=%E5%85%B3%E7%A8%8E+%E8%B0%88%E5%88%A4"
    ))
    .await
    .unwrap();
    let mut found = rows(&c).await;
    found.sort();
    assert_eq!(found, vec![talks, hostile]);
    // Bring two posts into the chart's 90 days: the confirmed talks post yesterday, the hostile
    // one today; the chart draws a light bar for each and a dark one for the confirmed share.
    let recent = |days: i64| windvane::store::ts(chrono::Utc::now() - chrono::Duration::days(days));
    conn.execute(
        "UPDATE posts SET created_at = ?2 WHERE id = ?1",
        rusqlite::params![talks, recent(1)],
    )
    .unwrap();
    conn.execute(
        "UPDATE posts SET created_at = ?2 WHERE id = ?1",
        rusqlite::params![hostile, recent(0)],
    )
    .unwrap();
    c.goto(&format!("{base}/timeline")).await.unwrap();
    let bars = c.find_all(Locator::Css("svg.chart rect")).await.unwrap();
    assert_eq!(bars.len(), 3, "two flagged bars, one confirmed part");
    // Every bar and the last row's label are drawn (an unclosed SVG element would hide them).
    for b in &bars {
        assert!(b.is_displayed().await.unwrap(), "a bar is drawn");
    }
    let texts = c.find_all(Locator::Css("svg.chart text")).await.unwrap();
    let last = texts.last().unwrap();
    assert!(
        last.is_displayed().await.unwrap(),
        "the chart's legend is drawn"
    );
    let timeline_png = save_screenshot(&c, "review-timeline.png").await;
    let chart = c
        .find(Locator::Css("svg.chart"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for l in ["talks", "de_escalation", "escalation", "purchase"] {
        assert!(chart.contains(l), "a row per label: {chart}");
    }
    c.goto(&format!("{base}/sources")).await.unwrap();
    let src = c
        .find(Locator::Css("table.sources"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(src.contains("央视新闻"), "{src}");
    c.goto(&format!("{base}/alerts")).await.unwrap();
    let alerts = c
        .find(Locator::Css("main"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(alerts.contains("Pending (1)"), "{alerts}");

    c.close().await.unwrap();
    for p in [&queue_png, &post_png, &timeline_png] {
        assert!(
            std::fs::metadata(p).unwrap().len() > 10_000,
            "{} is a real picture",
            p.display()
        );
    }
}

#[tokio::test]
async fn posts_without_the_csrf_token_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let s = seed(dir.path());
    let (addr, _stop) = start_desk(&s.db, None).await;
    let http = reqwest_client();
    let url = format!("http://{addr}/posts/{}/review", s.ids[0]);
    for body in [
        "action=confirm",
        "action=confirm&csrf=",
        "action=confirm&csrf=0000",
    ] {
        let r = http
            .post(&url)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403, "{body}");
    }
    let r = http
        .post(format!("http://{addr}/alerts/1/retry"))
        .body("")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    // State-changing routes refuse GET.
    assert_eq!(http.get(&url).send().await.unwrap().status(), 405);
    let conn = rusqlite::Connection::open(&s.db).unwrap();
    let n: i64 = conn
        .query_row("SELECT count(*) FROM reviews", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 0, "nothing recorded");

    // With the page's token the same POST works.
    let page = http
        .get(format!("http://{addr}/posts/{}", s.ids[0]))
        .send()
        .await
        .unwrap();
    let csp = page.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(csp.contains("default-src 'none'"), "{csp}");
    let session = session_cookie(&page);
    assert!(session.starts_with("windvane_session="), "{session}");
    let html = page.text().await.unwrap();
    let token = form_field(&html, "csrf").unwrap();
    let form = format!("action=confirm&csrf={token}");
    // The token is worth nothing in another session, from another origin, or as text/plain.
    for (cookie, origin, ctype) in [
        (
            "windvane_session=00000000000000000000000000000000",
            None,
            "application/x-www-form-urlencoded",
        ),
        ("", None, "application/x-www-form-urlencoded"),
        (
            session.as_str(),
            Some("http://evil.example"),
            "application/x-www-form-urlencoded",
        ),
        (session.as_str(), None, "text/plain"),
    ] {
        let mut req = http
            .post(&url)
            .header("content-type", ctype)
            .body(form.clone());
        if !cookie.is_empty() {
            req = req.header("cookie", cookie);
        }
        if let Some(o) = origin {
            req = req.header("origin", o);
        }
        let r = req.send().await.unwrap();
        assert_eq!(r.status(), 403, "{cookie} {origin:?} {ctype}");
    }
    let r = http
        .post(&url)
        .header("content-type", "application/x-www-form-urlencoded")
        .header("cookie", &session)
        .header("origin", "null")
        .header("sec-fetch-site", "cross-site")
        .body(form.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403, "a cross-site form with a null Origin");
    let r = http
        .post(&url)
        .header("content-type", "application/x-www-form-urlencoded")
        .header("cookie", &session)
        .header("origin", format!("http://{addr}"))
        .body(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let n: i64 = conn
        .query_row("SELECT count(*) FROM reviews", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 1);

    // Without a token, only loopback host names are answered (DNS rebinding).
    let r = http
        .get(format!("http://{addr}/"))
        .header("host", "attacker.example")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 421);
}

#[tokio::test]
async fn a_token_guards_every_page_and_a_public_address_needs_one() {
    match web::bind("0.0.0.0:0".parse().unwrap(), false).await {
        Err(WebError::NeedsToken(_)) => {}
        other => panic!("expected a refusal, got {other:?}"),
    }
    let dir = tempfile::tempdir().unwrap();
    let s = seed(dir.path());
    let (addr, _stop) = start_desk(&s.db, Some("s3cret-token-0123456789")).await;
    let http = reqwest_client();
    let r = http.get(format!("http://{addr}/")).send().await.unwrap();
    assert_eq!(r.status(), 401);
    let r = http
        .get(format!("http://{addr}/"))
        .bearer_auth("wrong")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let r = http
        .get(format!("http://{addr}/sources"))
        .bearer_auth("s3cret-token-0123456789")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    assert!(
        !html.contains("s3cret-token-0123456789"),
        "the token is never in a page"
    );
    // A browser opens /?token=… once and gets a cookie.
    let r = http
        .get(format!("http://{addr}/?token=s3cret-token-0123456789"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/");
    let cookie = r.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    let pair = cookie.split(';').next().unwrap().to_string();
    assert!(
        !pair.contains("s3cret-token-0123456789"),
        "the cookie is not the token: {pair}"
    );
    // Redirects after ?token= stay on the desk.
    let r = http
        .get(format!(
            "http://{addr}//evil.example/x?token=s3cret-token-0123456789"
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/");
    let r = http
        .get(format!("http://{addr}/alerts"))
        .header("cookie", pair)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    // Guessing is throttled per client: ten wrong tokens a minute, then 429, even for the
    // right one.
    let mut codes = Vec::new();
    for i in 0..12 {
        let r = http
            .get(format!("http://{addr}/"))
            .bearer_auth(format!("guess-{i}"))
            .send()
            .await
            .unwrap();
        codes.push(r.status().as_u16());
    }
    // One wrong token was sent above.
    assert_eq!(&codes[..9], &[401; 9], "{codes:?}");
    assert_eq!(&codes[9..], &[429; 3], "{codes:?}");
    let r = http
        .get(format!("http://{addr}/sources"))
        .bearer_auth("s3cret-token-0123456789")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 429);
    // A short token is refused at start.
    assert!(web::check_token(Some(&Secret::new("short-token"))).is_err());
    assert!(web::check_token(Some(&Secret::new("0123456789abcdef"))).is_ok());
}
