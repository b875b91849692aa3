//! The review desk in the browser: axum router and handlers, HTML rendered on the server with
//! maud (every interpolation is escaped; posts are untrusted input). Works without JavaScript;
//! the pages carry none, and the Content-Security-Policy forbids any.
//!
//! Security: loopback only unless an access token is set (then every request needs it); without
//! a token only loopback `Host` names are answered (DNS rebinding); every state change is a
//! same-origin form POST carrying its session's CSRF token; no secret (cookie, webhook URL,
//! token) is rendered, and the token cookie holds an HMAC of the token, not the token. Wrong
//! tokens are logged and limited per client.

use std::collections::HashMap;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, Query, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use chrono::Utc;
use maud::{html, Markup, DOCTYPE};
use rand::Rng;

use super::{Action, PostView, QueueQuery, ReviewError, Timeline};
use crate::classify::Label;
use crate::config::Secret;
use crate::store::{AnyStore, Period, ReviewPost, ReviewStatus, StaleVerdict};
use crate::text::Segmenter;

/// Posts per queue page.
pub const PAGE_SIZE: usize = 50;
/// Days the timeline chart covers.
pub const TIMELINE_DAYS: usize = 90;
/// The cookie a `?token=` visit sets, so a browser need not send a header.
const TOKEN_COOKIE: &str = "windvane_token";

const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; \
                   frame-ancestors 'none'; base-uri 'none'";

#[derive(Debug, thiserror::Error)]
pub enum WebError {
    #[error("the review access token is {0} characters; use at least {MIN_TOKEN_CHARS} (a random one: `openssl rand -hex 16`) in the variable named by `review.token_env`")]
    ShortToken(usize),
    #[error("refusing to listen on {0}: it is not a loopback address and no access token is set; set one in the environment variable named by `review.token_env` (default WINDVANE_REVIEW_TOKEN) or listen on 127.0.0.1")]
    NeedsToken(SocketAddr),
    #[error("cannot listen on {addr}: {error}; is another program using the port?")]
    Bind {
        addr: SocketAddr,
        error: std::io::Error,
    },
}

/// What the desk needs: the database (either backend, chosen where the configuration is
/// read), the segmenter (for search) and the access token.
#[derive(Clone)]
pub struct Desk {
    pub store: AnyStore,
    pub segmenter: Segmenter,
    pub token: Option<Secret>,
}

struct AppState {
    desk: Desk,
    /// Per process: CSRF tokens and session cookies are HMACs under it.
    key: [u8; 32],
    /// Failed access-token guesses per client address: (count, window start).
    failures: std::sync::Mutex<HashMap<std::net::IpAddr, (u32, std::time::Instant)>>,
}

/// The CSRF token of the request's session (see `guard`), for pages and POST checks.
#[derive(Clone)]
struct Session {
    csrf: String,
}

/// The cookie naming a browser's session (random; the CSRF token is an HMAC of it).
const SESSION_COOKIE: &str = "windvane_session";
/// Shortest access token accepted: a short one falls to guessing.
pub const MIN_TOKEN_CHARS: usize = 16;
/// Wrong access tokens a client may send per `GUESS_WINDOW` before it is refused outright.
const MAX_GUESSES: u32 = 10;
const GUESS_WINDOW: std::time::Duration = std::time::Duration::from_secs(60);

fn hmac_hex(key: &[u8], msg: &str) -> String {
    use hmac::{Hmac, Mac};
    let mut mac =
        Hmac::<sha2::Sha256>::new_from_slice(key).expect("HMAC takes a key of any length");
    mac.update(msg.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// What the token cookie holds: an HMAC of the access token, never the token itself.
fn token_cookie_value(token: &str) -> String {
    hmac_hex(token.as_bytes(), "windvane review desk session")
}

type St = State<Arc<AppState>>;

/// Binds the listener, refusing a non-loopback address without an access token.
pub async fn bind(
    listen: SocketAddr,
    has_token: bool,
) -> Result<tokio::net::TcpListener, WebError> {
    if !listen.ip().is_loopback() && !has_token {
        return Err(WebError::NeedsToken(listen));
    }
    tokio::net::TcpListener::bind(listen)
        .await
        .map_err(|error| WebError::Bind {
            addr: listen,
            error,
        })
}

/// Refuses an access token short enough to guess.
pub fn check_token(token: Option<&Secret>) -> Result<(), WebError> {
    match token.map(|t| t.expose().chars().count()) {
        Some(n) if n < MIN_TOKEN_CHARS => Err(WebError::ShortToken(n)),
        _ => Ok(()),
    }
}

/// Serves until `shutdown` resolves.
pub async fn serve(
    listener: tokio::net::TcpListener,
    desk: Desk,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    if let Ok(addr) = listener.local_addr() {
        tracing::info!(addr = %addr, token = desk.token.is_some(), "Review desk listening.");
    }
    if let Err(e) = check_token(desk.token.as_ref()) {
        return Err(std::io::Error::new(std::io::ErrorKind::InvalidInput, e));
    }
    axum::serve(
        listener,
        router(desk).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}

pub fn router(desk: Desk) -> Router {
    let state = Arc::new(AppState {
        desk,
        key: rand::rng().random::<[u8; 32]>(),
        failures: std::sync::Mutex::default(),
    });
    Router::new()
        .route("/", get(queue))
        .route("/posts/{id}", get(post_page))
        .route("/posts/{id}/review", post(review_post))
        .route("/search", get(search_page))
        .route("/timeline", get(timeline_page))
        .route("/timeline.svg", get(timeline_svg))
        .route("/sources", get(sources_page))
        .route("/alerts", get(alerts_page))
        .route("/alerts/{id}/retry", post(retry_alert))
        .route("/style.css", get(style))
        .layer(middleware::from_fn_with_state(state.clone(), guard))
        .with_state(state)
}

// ---------------------------------------------------------------------------------------------
// Guard: host check, access token, security headers.

fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

fn loopback_host(headers: &HeaderMap) -> bool {
    let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else {
        return false;
    };
    let name = if host.starts_with('[') {
        host.split(']').next().map(|h| format!("{h}]"))
    } else {
        host.split(':').next().map(str::to_string)
    };
    matches!(
        name.as_deref(),
        Some("127.0.0.1") | Some("localhost") | Some("[::1]")
    )
}

fn cookie_value<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// A path to send a browser back to after `?token=`: local only (`//host/x` and `/\host`
/// would leave the site).
fn local_path(path: &str) -> &str {
    if path.starts_with('/') && !path.starts_with("//") && !path.starts_with("/\\") {
        path
    } else {
        "/"
    }
}

/// Whether a POST comes from the desk's own pages: an `Origin` naming another host, or a
/// `Sec-Fetch-Site` saying another site, is refused, and so is any body but a form (a
/// `text/plain` POST needs no CORS preflight).
fn same_origin_form(headers: &HeaderMap) -> Result<(), &'static str> {
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    let fetch_site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok());
    if fetch_site.is_some_and(|v| v == "cross-site" || v == "same-site") {
        return Err("cross-site POST refused");
    }
    // Browsers send `Origin: null` for the desk's own forms under `Referrer-Policy:
    // no-referrer`; then `Sec-Fetch-Site` (above) decides.
    match headers.get(header::ORIGIN).and_then(|o| o.to_str().ok()) {
        None | Some("null") => {}
        Some(origin) => {
            let origin_host = origin.split_once("://").map(|(_, h)| h);
            if origin_host.is_none() || origin_host != host {
                return Err("cross-origin POST refused");
            }
        }
    }
    let form = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if form {
        Ok(())
    } else {
        Err("only form posts are accepted")
    }
}

/// Counts a wrong token from `ip`; `false` once it has used up its guesses for the window.
fn note_failure(st: &AppState, ip: Option<std::net::IpAddr>) -> bool {
    let Some(ip) = ip else {
        return true;
    };
    let now = std::time::Instant::now();
    let mut f = st.failures.lock().unwrap_or_else(|p| p.into_inner());
    if f.len() > 10_000 {
        f.retain(|_, (_, start)| now.duration_since(*start) < GUESS_WINDOW);
    }
    let e = f.entry(ip).or_insert((0, now));
    if now.duration_since(e.1) >= GUESS_WINDOW {
        *e = (0, now);
    }
    e.0 += 1;
    if e.0 <= MAX_GUESSES {
        tracing::warn!(client = %ip, failures = e.0, "Review desk: wrong or missing access token.");
    } else if e.0 == MAX_GUESSES + 1 {
        tracing::warn!(client = %ip, window_s = GUESS_WINDOW.as_secs(), "Review desk: too many wrong access tokens; refusing this client for the rest of the window.");
    }
    e.0 <= MAX_GUESSES
}

fn throttled(st: &AppState, ip: Option<std::net::IpAddr>) -> bool {
    let Some(ip) = ip else {
        return false;
    };
    let f = st.failures.lock().unwrap_or_else(|p| p.into_inner());
    f.get(&ip)
        .is_some_and(|(n, start)| *n > MAX_GUESSES && start.elapsed() < GUESS_WINDOW)
}

fn set_cookie(resp: &mut Response, cookie: String) {
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        resp.headers_mut().append(header::SET_COOKIE, v);
    }
}

async fn guard(State(st): St, mut req: Request, next: Next) -> Response {
    let ip = req
        .extensions()
        .get::<axum::extract::ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip());
    match &st.desk.token {
        None => {
            // Only reachable on loopback; refuse other host names so a rebinding DNS name
            // cannot make a browser read the pages (and their CSRF token).
            if !loopback_host(req.headers()) {
                return (StatusCode::MISDIRECTED_REQUEST, "unknown host").into_response();
            }
        }
        Some(token) => {
            if throttled(&st, ip) {
                return with_security_headers(
                    (
                        StatusCode::TOO_MANY_REQUESTS,
                        [(header::RETRY_AFTER, GUESS_WINDOW.as_secs().to_string())],
                        "too many wrong access tokens; try again later",
                    )
                        .into_response(),
                );
            }
            let token = token.expose();
            let bearer = req
                .headers()
                .get(header::AUTHORIZATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.strip_prefix("Bearer "));
            let cookie = cookie_value(req.headers(), TOKEN_COOKIE);
            let ok = bearer.is_some_and(|b| same(b, token))
                || cookie.is_some_and(|c| same(c, &token_cookie_value(token)));
            if !ok {
                let from_query = req.uri().query().and_then(|q| {
                    url::form_urlencoded::parse(q.as_bytes())
                        .find(|(k, _)| k == "token")
                        .map(|(_, v)| v.into_owned())
                });
                if req.method() == Method::GET
                    && from_query.as_deref().is_some_and(|t| same(t, token))
                {
                    let mut resp = Redirect::to(local_path(req.uri().path())).into_response();
                    set_cookie(
                        &mut resp,
                        format!(
                            "{TOKEN_COOKIE}={}; HttpOnly; SameSite=Strict; Path=/",
                            token_cookie_value(token)
                        ),
                    );
                    return with_security_headers(resp);
                }
                // A request without any token is a first visit, not a guess.
                let guessed = bearer.is_some() || cookie.is_some() || from_query.is_some();
                if guessed && !note_failure(&st, ip) {
                    return with_security_headers(
                        (
                            StatusCode::TOO_MANY_REQUESTS,
                            "too many wrong access tokens; try again later",
                        )
                            .into_response(),
                    );
                }
                return with_security_headers(
                    (
                        StatusCode::UNAUTHORIZED,
                        "access token required: send `Authorization: Bearer <token>` or open /?token=<token>",
                    )
                        .into_response(),
                );
            }
        }
    }
    if req.method() == Method::POST {
        if let Err(why) = same_origin_form(req.headers()) {
            return with_security_headers((StatusCode::FORBIDDEN, why).into_response());
        }
    }
    // One session per browser: its CSRF token is an HMAC of the session cookie, so a token
    // read in one session is worth nothing in another.
    let existing = cookie_value(req.headers(), SESSION_COOKIE)
        .filter(|v| v.len() == 32 && v.bytes().all(|b| b.is_ascii_hexdigit()))
        .map(str::to_string);
    let (sid, new) = match existing {
        Some(s) => (s, false),
        None => (hex::encode(rand::rng().random::<[u8; 16]>()), true),
    };
    req.extensions_mut().insert(Session {
        csrf: hmac_hex(&st.key, &sid),
    });
    let mut resp = next.run(req).await;
    if new {
        set_cookie(
            &mut resp,
            format!("{SESSION_COOKIE}={sid}; HttpOnly; SameSite=Strict; Path=/"),
        );
    }
    with_security_headers(resp)
}

fn with_security_headers(mut resp: Response) -> Response {
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    resp
}

// ---------------------------------------------------------------------------------------------
// Errors

enum PageError {
    NotFound(String),
    Forbidden(&'static str),
    BadRequest(String),
    /// A verdict on a post that changed since the page was read.
    Conflict(String),
    Internal(String),
}

impl From<ReviewError> for PageError {
    fn from(e: ReviewError) -> Self {
        match e {
            ReviewError::NotFound(_) => PageError::NotFound(e.to_string()),
            ReviewError::NoLabels(_) => PageError::BadRequest(e.to_string()),
            ReviewError::Stale(_) => PageError::Conflict(e.to_string()),
            ReviewError::Store(e) => PageError::from(e),
        }
    }
}

impl From<crate::store::StoreError> for PageError {
    fn from(e: crate::store::StoreError) -> Self {
        tracing::error!(error = %e, "Review desk: database error.");
        PageError::Internal("database error; see the server log".into())
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let (status, msg) = match self {
            PageError::NotFound(m) => (StatusCode::NOT_FOUND, m),
            PageError::Forbidden(m) => (StatusCode::FORBIDDEN, m.to_string()),
            PageError::BadRequest(m) => (StatusCode::BAD_REQUEST, m),
            PageError::Conflict(m) => (StatusCode::CONFLICT, m),
            PageError::Internal(m) => (StatusCode::INTERNAL_SERVER_ERROR, m),
        };
        (status, page("Error", "", html! { p.error { (msg) } })).into_response()
    }
}

type PageResult = Result<Response, PageError>;

// ---------------------------------------------------------------------------------------------
// Layout

fn page(title: &str, query: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · windvane" }
                link rel="stylesheet" href="/style.css";
            }
            body {
                header {
                    nav {
                        a.brand href="/" { "风向标 windvane" }
                        a href="/" { "Queue" }
                        a href="/timeline" { "Timeline" }
                        a href="/sources" { "Sources" }
                        a href="/alerts" { "Alerts" }
                        form.search method="get" action="/search" {
                            input type="search" name="q" value=(query) placeholder="Search posts: 关税 谈判" aria-label="Search";
                            button type="submit" { "Search" }
                        }
                    }
                }
                main { (body) }
            }
        }
    }
}

fn label_badges(labels: &[crate::classify::LabelScore]) -> Markup {
    html! {
        @if labels.is_empty() { span.muted { "none" } }
        @for l in labels {
            span class=(format!("badge lb-{}", l.label)) title=(l.label.english()) {
                (l.label.as_str()) " " (format!("{:.2}", l.score))
            }
            " "
        }
    }
}

fn status_badge(s: ReviewStatus) -> Markup {
    html! { span class=(format!("status st-{}", s.as_str())) { (s.as_str()) } }
}

/// Only http(s) links are rendered as links: a scraped `javascript:` URL stays text.
fn safe_link(url: &str) -> Option<&str> {
    (url.starts_with("https://") || url.starts_with("http://")).then_some(url)
}

fn post_rows(posts: &[ReviewPost]) -> Markup {
    html! {
        table.posts {
            thead { tr { th { "id" } th { "time (Beijing)" } th { "source" } th { "labels" } th { "status" } th { "text" } } }
            tbody {
                @for p in posts {
                    tr {
                        td { a href=(format!("/posts/{}", p.id)) { (p.id) } }
                        td.nowrap { (super::beijing_minute(p.created_at)) }
                        td { (p.source_name) }
                        td {
                            @if let Some(analyst) = p.relabelled() {
                                @for l in analyst {
                                    span class=(format!("badge lb-{l}")) title=(l.english()) { (l.as_str()) " (analyst)" }
                                    " "
                                }
                                br;
                                span.muted { "classifier: " (label_badges(&p.labels)) }
                            } @else {
                                (label_badges(&p.labels))
                            }
                        }
                        td { (status_badge(p.status)) }
                        td { a.firstline href=(format!("/posts/{}", p.id)) { (super::first_line(&p.full_text(), 80)) } }
                    }
                }
            }
        }
        @if posts.is_empty() { p.muted { "No posts match." } }
    }
}

// ---------------------------------------------------------------------------------------------
// Queue

/// Queue filters as read from the query string; bad values are reported, not fatal.
struct Filters {
    q: QueueQuery,
    label: String,
    source: String,
    status: String,
    min_score: String,
    since: String,
    until: String,
    page: usize,
    problems: Vec<String>,
}

fn filters(params: &HashMap<String, String>) -> Filters {
    let get = |k: &str| {
        params
            .get(k)
            .map(|v| v.trim().to_string())
            .unwrap_or_default()
    };
    let mut problems = Vec::new();
    let mut q = QueueQuery {
        flagged_only: true,
        limit: Some(PAGE_SIZE + 1),
        ..Default::default()
    };
    let label = get("label");
    if !label.is_empty() {
        match label.parse::<Label>() {
            Ok(l) => q.label = Some(l),
            Err(e) => problems.push(e),
        }
    }
    let source = get("source");
    if !source.is_empty() {
        q.source = Some(source.clone());
    }
    // The desk opens on what still needs a verdict.
    let status = params
        .get("status")
        .map(|s| s.trim().to_string())
        .unwrap_or_else(|| "unreviewed".into());
    if !status.is_empty() && status != "any" {
        match status.parse::<ReviewStatus>() {
            Ok(s) => q.status = Some(s),
            Err(e) => problems.push(e),
        }
    }
    let min_score = get("min_score");
    if !min_score.is_empty() {
        match min_score.parse::<f64>() {
            Ok(x) if (0.0..=1.0).contains(&x) => q.min_score = Some(x),
            _ => problems.push(format!("min score `{min_score}` is not a number in 0..1")),
        }
    }
    let since = get("since");
    if !since.is_empty() {
        match super::parse_date(&since) {
            Some(t) => q.since = Some(t),
            None => problems.push(format!("`{since}` is not a date (YYYY-MM-DD)")),
        }
    }
    let until = get("until");
    if !until.is_empty() {
        match super::parse_date(&until) {
            // Inclusive: up to the end of that day.
            Some(t) => q.until = Some(t + chrono::Duration::days(1)),
            None => problems.push(format!("`{until}` is not a date (YYYY-MM-DD)")),
        }
    }
    let page = get("page").parse::<usize>().unwrap_or(1).max(1);
    q.offset = (page - 1) * PAGE_SIZE;
    Filters {
        q,
        label,
        source,
        status,
        min_score,
        since,
        until,
        page,
        problems,
    }
}

fn page_link(f: &Filters, page: usize) -> String {
    let mut s = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in [
        ("label", &f.label),
        ("source", &f.source),
        ("status", &f.status),
        ("min_score", &f.min_score),
        ("since", &f.since),
        ("until", &f.until),
    ] {
        s.append_pair(k, v);
    }
    s.append_pair("page", &page.to_string());
    format!("/?{}", s.finish())
}

async fn queue(State(st): St, Query(params): Query<HashMap<String, String>>) -> PageResult {
    let f = filters(&params);
    let store = &st.desk.store;
    let mut posts = store.review_queue(&f.q).await?;
    let sources = store.source_statuses().await?;
    let more = posts.len() > PAGE_SIZE;
    posts.truncate(PAGE_SIZE);
    let body = html! {
        h1 { "Review queue" }
        p.chartlinks {
            "Signal chart: "
            a href="/timeline?range=90d" { "last 90 days" } " · "
            a href="/timeline?range=all" id="chart-all" { "all history" }
            @if !f.since.is_empty() || !f.until.is_empty() {
                " · "
                a href=(format!("/timeline?{}", url::form_urlencoded::Serializer::new(String::new())
                    .append_pair("from", &f.since).append_pair("to", &f.until).finish())) { "the queue's dates" }
            }
        }
        form.filters method="get" action="/" {
            label { "Label " select name="label" {
                option value="" selected[f.label.is_empty()] { "any" }
                @for l in Label::ALL {
                    option value=(l.as_str()) selected[f.label == l.as_str()] { (l.as_str()) }
                }
            } }
            label { "Source " select name="source" {
                option value="" selected[f.source.is_empty()] { "any" }
                @for s in &sources {
                    option value=(s.id) selected[f.source == s.id] { (s.name) }
                }
            } }
            label { "Status " select name="status" {
                @for s in ["unreviewed", "confirmed", "relabelled", "dismissed", "any"] {
                    option value=(s) selected[f.status == s] { (s) }
                }
            } }
            label { "Min score " input type="number" name="min_score" min="0" max="1" step="0.05" value=(f.min_score); }
            label { "From " input type="date" name="since" value=(f.since); }
            label { "To " input type="date" name="until" value=(f.until); }
            button type="submit" { "Filter" }
        }
        @for p in &f.problems { p.error { (p) } }
        (post_rows(&posts))
        nav.paging {
            @if f.page > 1 { a rel="prev" href=(page_link(&f, f.page - 1)) { "← newer" } }
            span { "page " (f.page) }
            @if more { a rel="next" href=(page_link(&f, f.page + 1)) { "older →" } }
        }
    };
    Ok(page("Queue", "", body).into_response())
}

// ---------------------------------------------------------------------------------------------
// Post page and review

async fn post_page(
    State(st): St,
    axum::Extension(session): axum::Extension<Session>,
    Path(id): Path<i64>,
    Query(params): Query<HashMap<String, String>>,
) -> PageResult {
    let view = super::post_view(&st.desk.store, id).await?;
    let saved = params.get("saved").cloned();
    Ok(page(
        &format!("Post {id}"),
        "",
        render_post(&view, &session.csrf, saved.as_deref()),
    )
    .into_response())
}

fn render_post(view: &PostView, csrf: &str, saved: Option<&str>) -> Markup {
    let p = &view.post;
    let text = p.full_text();
    let pieces = super::highlight(&text, &p.labels);
    html! {
        h1 { "Post " (p.id) " " (status_badge(p.status)) }
        @if let Some(s) = saved { p.saved { "Saved: " (s) "." } }
        p.meta {
            (p.source_name) " · " (p.author) " · " (super::beijing_minute(p.created_at)) " Beijing · "
            @match safe_link(&p.url) {
                Some(u) => a href=(u) rel="noopener noreferrer" { "original ↗" },
                None => span { (p.url) },
            }
            @if p.edit_count > 0 { " · edited " (p.edit_count) "×" }
            @if p.truncated { " · preview only (full text not fetched yet)" }
        }
        div.text id="post-text" {
            @for piece in &pieces {
                @match &piece.mark {
                    Some(m) => mark class=(format!("ev lb-{}", m.label)) title=(format!("{}: {}", m.label, m.gloss)) { (piece.text) },
                    None => (piece.text),
                }
            }
        }
        h2 { "Signals" }
        @if p.labels.is_empty() { p.muted { "No labels." } }
        @for l in &p.labels {
            div.signal {
                h3 { span class=(format!("badge lb-{}", l.label)) { (l.label.as_str()) } " " (l.label.english()) " — score " (format!("{:.2}", l.score)) }
                ul.evidence {
                    @for e in &l.evidence {
                        li { mark class=(format!("ev lb-{}", l.label)) { (e.term) } " — " (e.gloss) }
                    }
                }
            }
        }
        @if let Some(ex) = &p.explanation { p.explanation { strong { "Explanation: " } (ex) } }
        @if let Some(v) = &p.classifier_version { p.muted { "classifier " (v) } }
        h2 { "Verdict" }
        form.review method="post" action=(format!("/posts/{}/review", p.id)) {
            input type="hidden" name="csrf" value=(csrf);
            // The verdict version this page shows: a verdict recorded since is not overwritten.
            input type="hidden" name="version" value=(p.version);
            fieldset {
                legend { "Labels (for relabel)" }
                @for l in Label::ALL {
                    label.check {
                        input type="checkbox" name="label" value=(l.as_str()) checked[p.score(l).is_some()];
                        " " (l.as_str())
                    }
                }
            }
            label { "Note " input type="text" name="note" size="50"; }
            label { "Reviewer " input type="text" name="reviewer" value="analyst" size="12"; }
            div.buttons {
                button type="submit" name="action" value="confirm" id="confirm" { "Confirm" }
                button type="submit" name="action" value="dismiss" id="dismiss" { "Dismiss" }
                button type="submit" name="action" value="relabel" id="relabel" { "Relabel as checked" }
            }
        }
        @if let Some((visibility, at, marker)) = &view.gone {
            p.gone { "This post is " strong { (visibility) } " (confirmed " (at) "): " (marker) }
        }
        @if !view.versions.is_empty() {
            h2 { "Edits" }
            ol.versions {
                @for v in &view.versions {
                    li { "version " (v.version) " · seen " (v.seen_at) " · edit count " (v.edit_count) p { (v.text) } }
                }
            }
        }
        h2 { "History" }
        @if view.reviews.is_empty() { p.muted { "Not reviewed yet." } }
        ul.history {
            @for r in &view.reviews {
                li {
                    (super::beijing_minute(r.created_at)) " · " (r.reviewer) ": "
                    (r.label.map(Label::as_str).unwrap_or("post")) " " (r.verdict.as_str())
                    @if !r.note.is_empty() { " — " (r.note) }
                }
            }
        }
        h2 { "Alerts" }
        @if view.alerts.is_empty() { p.muted { "No alerts raised." } }
        ul.alerts {
            @for a in &view.alerts {
                li { (a.label) " → " (a.channel_id) ": " (a.status) " (" (a.attempts) " attempts)" }
            }
        }
    }
}

fn form_pairs(body: &[u8]) -> Vec<(String, String)> {
    url::form_urlencoded::parse(body).into_owned().collect()
}

fn check_csrf(session: &Session, form: &[(String, String)]) -> Result<(), PageError> {
    match form.iter().find(|(k, _)| k == "csrf") {
        Some((_, v)) if same(v, &session.csrf) => Ok(()),
        _ => Err(PageError::Forbidden(
            "missing or wrong CSRF token: reload the page and submit again",
        )),
    }
}

/// Whether a client asked for JSON (a script) rather than a page.
fn wants_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("application/json"))
}

/// 409 for a verdict on a post reviewed since its page was read: a page naming who changed
/// it, with a link to reload the post, or the same as JSON.
fn stale_response(s: &StaleVerdict, json: bool) -> Response {
    let message = ReviewError::Stale(s.clone()).to_string();
    if json {
        let body = serde_json::json!({
            "error": "stale_verdict",
            "post_id": s.post_id,
            "your_version": s.expected,
            "current_version": s.current,
            "changed_by": s.by,
            "changed_at": s.at,
            "message": message,
        });
        return (
            StatusCode::CONFLICT,
            [(header::CONTENT_TYPE, "application/json")],
            body.to_string(),
        )
            .into_response();
    }
    let body = html! {
        h1 { "Verdict not saved" }
        p.error id="stale" { (message) }
        p { a href=(format!("/posts/{}", s.post_id)) id="reload" { "Reload post " (s.post_id) } }
    };
    (StatusCode::CONFLICT, page("Verdict not saved", "", body)).into_response()
}

async fn review_post(
    State(st): St,
    axum::Extension(session): axum::Extension<Session>,
    Path(id): Path<i64>,
    headers: HeaderMap,
    body: Bytes,
) -> PageResult {
    let form = form_pairs(&body);
    check_csrf(&session, &form)?;
    let field = |k: &str| {
        form.iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.trim().to_string())
            .unwrap_or_default()
    };
    let labels: Vec<Label> = form
        .iter()
        .filter(|(k, _)| k == "label")
        .filter_map(|(_, v)| v.parse().ok())
        .collect();
    let action = match field("action").as_str() {
        "confirm" => Action::Confirm { labels: Vec::new() },
        "dismiss" => Action::Dismiss,
        "relabel" if labels.is_empty() => Action::Dismiss,
        "relabel" => Action::Confirm { labels },
        other => return Err(PageError::BadRequest(format!("unknown action `{other}`"))),
    };
    let note = field("note");
    let reviewer = match field("reviewer") {
        r if r.is_empty() => "web".to_string(),
        r => r.chars().take(64).collect(),
    };
    // A form without a version (an older page, a script) decides on the version read now.
    let expected = match field("version") {
        v if v.is_empty() => None,
        v => Some(
            v.parse::<i64>()
                .map_err(|_| PageError::BadRequest(format!("version `{v}` is not a number")))?,
        ),
    };
    let decided = super::review(
        &st.desk.store,
        id,
        expected,
        &action,
        &note,
        &reviewer,
        Utc::now(),
    )
    .await;
    let verdicts = match decided {
        Err(ReviewError::Stale(s)) => return Ok(stale_response(&s, wants_json(&headers))),
        other => other?,
    };
    let summary = super::verdicts_summary(&verdicts);
    let mut s = url::form_urlencoded::Serializer::new(String::new());
    s.append_pair("saved", &summary);
    Ok(Redirect::to(&format!("/posts/{id}?{}", s.finish())).into_response())
}

// ---------------------------------------------------------------------------------------------
// Search

async fn search_page(State(st): St, Query(params): Query<HashMap<String, String>>) -> PageResult {
    let q = params.get("q").cloned().unwrap_or_default();
    let posts = if q.trim().is_empty() {
        Vec::new()
    } else {
        super::search(&st.desk.store, &st.desk.segmenter, &q, 100).await?
    };
    let body = html! {
        h1 { "Search" }
        @if q.trim().is_empty() {
            p.muted { "Type words in the search box; every word must appear (关税 谈判)." }
        } @else {
            p { (posts.len()) " posts with " strong { (q) } }
            (post_rows(&posts))
        }
    };
    Ok(page("Search", &q, body).into_response())
}

// ---------------------------------------------------------------------------------------------
// Timeline

fn label_colour(l: Label) -> (&'static str, &'static str) {
    // (confirmed, flagged) fills.
    match l {
        Label::Talks => ("#1f5fa8", "#a9c6ea"),
        Label::DeEscalation => ("#23804a", "#a8dcbc"),
        Label::Escalation => ("#b3261e", "#f0b0aa"),
        Label::Purchase => ("#8a5a00", "#ecd199"),
    }
}

/// Small multiples: one row of daily bars per label; the dark part of a bar is the share an
/// analyst confirmed. SVG elements are closed explicitly (`{}`): inside inline SVG a `<rect>`
/// without `/>` would swallow everything after it.
pub fn chart(t: &Timeline) -> Markup {
    let n = t.days.len().max(1);
    let (left, width, row_h, bar_h) = (150.0, 900.0, 70.0, 52.0);
    let bw = width / n as f64;
    let height = row_h * Label::ALL.len() as f64 + 40.0;
    html! {
        svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img"
            viewBox=(format!("0 0 {} {}", left + width + 10.0, height))
            aria-label="Signals per day per label" {
            @for (row, l) in Label::ALL.iter().enumerate() {
                @let base = row_h * (row as f64 + 1.0);
                @let counts = t.counts.get(l).cloned().unwrap_or_default();
                @let max = counts.iter().map(|c| c.0).max().unwrap_or(0).max(1);
                @let total: i64 = counts.iter().map(|c| c.0).sum();
                @let conf: i64 = counts.iter().map(|c| c.1).sum();
                @let (dark, light) = label_colour(*l);
                text x="4" y=(base - 30.0) font-size="13" font-weight="bold" { (l.as_str()) }
                text x="4" y=(base - 14.0) font-size="11" fill="#555" {
                    (total) " flagged, " (conf) " confirmed"
                }
                text x=(left - 6.0) y=(base - bar_h + 9.0) font-size="10" text-anchor="end" fill="#777" { (max) }
                line x1=(left) y1=(base) x2=(left + width) y2=(base) stroke="#bbb" stroke-width="1" {}
                @for (i, (flagged, confirmed)) in counts.iter().enumerate() {
                    @if *flagged > 0 {
                        @let h = bar_h * *flagged as f64 / max as f64;
                        @let hc = bar_h * *confirmed as f64 / max as f64;
                        @let x = left + i as f64 * bw;
                        g {
                            title { (t.days.get(i).map(String::as_str).unwrap_or("")) ": " (flagged) " flagged, " (confirmed) " confirmed" }
                            rect x=(format!("{x:.1}")) y=(format!("{:.1}", base - h)) width=(format!("{:.1}", (bw - 1.0).max(1.0))) height=(format!("{h:.1}")) fill=(light) {}
                            @if *confirmed > 0 {
                                rect x=(format!("{x:.1}")) y=(format!("{:.1}", base - hc)) width=(format!("{:.1}", (bw - 1.0).max(1.0))) height=(format!("{hc:.1}")) fill=(dark) {}
                            }
                        }
                    }
                }
            }
            @let y = height - 12.0;
            @if let Some(first) = t.days.first() { text x=(left) y=(y) font-size="11" { (first) } }
            @if let Some(last) = t.days.last() { text x=(left + width) y=(y) font-size="11" text-anchor="end" { (last) } }
            text x=(left + width / 2.0) y=(y) font-size="11" text-anchor="middle" fill="#555" {
                "light: flagged · dark: confirmed by an analyst"
            }
        }
    }
}

/// The chart's range and period as read from the query string: `range` = `90d` (default),
/// `1y` or `all`; or `from`/`to` dates (YYYY-MM-DD, Beijing); `by` = `day` or `week` (default:
/// day up to 180 days, else week). Bad values are reported and the default is used.
struct ChartQuery {
    range: String,
    from: String,
    to: String,
    by: String,
    problems: Vec<String>,
}

fn chart_query(params: &HashMap<String, String>) -> ChartQuery {
    let get = |k: &str| {
        params
            .get(k)
            .map(|v| v.trim().to_string())
            .unwrap_or_default()
    };
    ChartQuery {
        range: get("range"),
        from: get("from"),
        to: get("to"),
        by: get("by"),
        problems: Vec::new(),
    }
}

async fn load_timeline(
    st: &Arc<AppState>,
    params: &HashMap<String, String>,
) -> Result<(Timeline, ChartQuery), PageError> {
    let mut cq = chart_query(params);
    let now = Utc::now();
    let today = now.with_timezone(&chrono_tz::Asia::Shanghai).date_naive();
    let date = |s: &str, problems: &mut Vec<String>| -> Option<chrono::NaiveDate> {
        if s.is_empty() {
            return None;
        }
        let d = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
        if d.is_none() {
            problems.push(format!("`{s}` is not a date (YYYY-MM-DD)"));
        }
        d
    };
    let from = date(&cq.from, &mut cq.problems);
    let to = date(&cq.to, &mut cq.problems).unwrap_or(today);
    let preset = |range: &str| match range {
        "1y" => Some(today - chrono::Duration::days(364)),
        "" | "90d" => Some(today - chrono::Duration::days(TIMELINE_DAYS as i64 - 1)),
        _ => None,
    };
    let first = match (from, cq.range.as_str()) {
        (Some(f), _) => Some(f),
        (None, "all") => None,
        (None, r) => Some(preset(r).unwrap_or_else(|| {
            cq.problems.push(format!(
                "unknown range `{r}`; expected 90d, 1y or all (or from/to dates)"
            ));
            today - chrono::Duration::days(TIMELINE_DAYS as i64 - 1)
        })),
    };
    let store = &st.desk.store;
    let first = match first {
        Some(f) => f,
        None => super::oldest_day(store, now).await?,
    };
    let period = match cq.by.as_str() {
        "day" => Period::Day,
        "week" => Period::Week,
        other => {
            if !other.is_empty() {
                let problem = format!("unknown period `{other}`; expected day or week");
                cq.problems.push(problem);
            }
            if (to - first).num_days() > 180 {
                Period::Week
            } else {
                Period::Day
            }
        }
    };
    let t = super::timeline_between(store, first, to, period).await?;
    Ok((t, cq))
}

/// The chart's query string for another range or period, keeping the rest.
fn chart_link(cq: &ChartQuery, range: Option<&str>, by: Option<&str>) -> String {
    let mut s = url::form_urlencoded::Serializer::new(String::new());
    match range {
        Some(r) => {
            s.append_pair("range", r);
        }
        None => {
            for (k, v) in [("range", &cq.range), ("from", &cq.from), ("to", &cq.to)] {
                if !v.is_empty() {
                    s.append_pair(k, v);
                }
            }
        }
    }
    if let Some(b) = by.or((!cq.by.is_empty()).then_some(cq.by.as_str())) {
        s.append_pair("by", b);
    }
    format!("?{}", s.finish())
}

async fn timeline_page(State(st): St, Query(params): Query<HashMap<String, String>>) -> PageResult {
    let (t, cq) = load_timeline(&st, &params).await?;
    let per = match t.period {
        Period::Day => "day",
        Period::Week => "week",
    };
    let (first, last) = (
        t.days.first().cloned().unwrap_or_default(),
        t.days.last().cloned().unwrap_or_default(),
    );
    let body = html! {
        h1 { "Signals per " (per) ", " (first) " to " (last) " (Beijing)" }
        nav.chartnav {
            "Range: "
            a href=(format!("/timeline{}", chart_link(&cq, Some("90d"), None))) { "last 90 days" } " · "
            a href=(format!("/timeline{}", chart_link(&cq, Some("1y"), None))) { "last year" } " · "
            a href=(format!("/timeline{}", chart_link(&cq, Some("all"), None))) id="range-all" { "all history" }
            " — per "
            a href=(format!("/timeline{}", chart_link(&cq, None, Some("day")))) { "day" } " · "
            a href=(format!("/timeline{}", chart_link(&cq, None, Some("week")))) { "week" }
        }
        form.filters method="get" action="/timeline" {
            label { "From " input type="date" name="from" value=(cq.from); }
            label { "To " input type="date" name="to" value=(cq.to); }
            label { "Per " select name="by" {
                @for b in ["", "day", "week"] {
                    option value=(b) selected[cq.by == b] { (if b.is_empty() { "auto" } else { b }) }
                }
            } }
            button type="submit" { "Show" }
        }
        @for p in &cq.problems { p.error { (p) } }
        (chart(&t))
    };
    Ok(page("Timeline", "", body).into_response())
}

async fn timeline_svg(State(st): St, Query(params): Query<HashMap<String, String>>) -> PageResult {
    let (t, _) = load_timeline(&st, &params).await?;
    Ok((
        [(header::CONTENT_TYPE, "image/svg+xml; charset=utf-8")],
        chart(&t).into_string(),
    )
        .into_response())
}

// ---------------------------------------------------------------------------------------------
// Sources and alerts

async fn sources_page(State(st): St) -> PageResult {
    let sources = st.desk.store.source_statuses().await?;
    let runs = st.desk.store.last_runs().await?;
    // In cluster mode: the instances sharing the work, who fetches what, and cool-downs.
    let cluster = st.desk.store.cluster_view().await?;
    let body = html! {
        @if let Some(c) = &cluster {
            h1 { "Instances" }
            table.instances {
                thead { tr { th { "instance" } th { "egress" } th { "version" } th { "last seen" } th { "fetching now" } } }
                tbody {
                    @for i in &c.roster {
                        @let held = c.sources.iter().filter(|s| s.leased_by.as_deref() == Some(i.id.as_str())).count();
                        tr {
                            td { strong { (i.id) } }
                            td { (i.egress) }
                            td { (i.version) }
                            td.nowrap { (format!("{:.0} s ago", i.seen_secs_ago)) }
                            td { (held) }
                        }
                    }
                }
            }
            @if !c.cooling.is_empty() {
                p.muted {
                    "Cooling down after a block: "
                    @for (n, (egress, left)) in c.cooling.iter().enumerate() {
                        @if n > 0 { ", " }
                        (egress) " (" (format!("{} s left", left.as_secs())) ")"
                    }
                }
            }
        }
        h1 { "Sources" }
        table.sources {
            thead { tr { th { "source" } th { "kind" } th { "state" } th { "last fetch" } th { "outcome" } th { "fetched / new" } th { "last success" } th { "error" } th { "posts" } } }
            tbody {
                @for s in &sources {
                    @let run = runs.iter().find(|r| r.source_id == s.id);
                    tr {
                        td { strong { (s.name) } br; span.muted { (s.id) } }
                        td { (s.kind) }
                        td { span class=(format!("state state-{}", s.state)) { (s.state) } }
                        td.nowrap { (s.last_run_at.as_deref().and_then(crate::store::parse_ts).map(super::beijing_minute).unwrap_or_else(|| "never".into())) }
                        td { @if let Some(r) = run { (r.outcome) @if let Some(k) = &r.error_kind { " (" (k) ")" } } }
                        td { @if let Some(r) = run { (r.fetched.map(|n| n.to_string()).unwrap_or_else(|| "–".into())) " / " (r.new_posts) } }
                        td.nowrap { (s.last_success_at.as_deref().and_then(crate::store::parse_ts).map(super::beijing_minute).unwrap_or_else(|| "never".into())) }
                        td.err { (s.last_error.as_deref().unwrap_or("")) }
                        td { (s.posts) }
                    }
                }
            }
        }
    };
    Ok(page("Sources", "", body).into_response())
}

async fn alerts_page(
    State(st): St,
    axum::Extension(session): axum::Extension<Session>,
) -> PageResult {
    use crate::store::AlertStatus;
    let pending = st.desk.store.alerts(Some(AlertStatus::Pending)).await?;
    let failed = st.desk.store.alerts(Some(AlertStatus::Failed)).await?;
    let table = |rows: &[crate::store::AlertRow], retry: bool| {
        html! {
            table.alerts {
                thead { tr { th { "alert" } th { "post" } th { "label" } th { "channel" } th { "score" } th { "attempts" } th { "last error" } @if retry { th {} } } }
                tbody {
                    @for a in rows {
                        tr {
                            td { (a.id) }
                            td {
                                @if let Some(pid) = a.post_id {
                                    a href=(format!("/posts/{pid}")) { (pid) }
                                } @else {
                                    span.muted { (a.kind) }
                                }
                            }
                            td { (a.label) }
                            td { (a.channel_id) }
                            td { (format!("{:.2}", a.score)) }
                            td { (a.attempts) }
                            td.err { (a.last_error.as_deref().unwrap_or("")) }
                            @if retry {
                                td {
                                    form method="post" action=(format!("/alerts/{}/retry", a.id)) {
                                        input type="hidden" name="csrf" value=(session.csrf);
                                        button type="submit" { "Retry" }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            @if rows.is_empty() { p.muted { "None." } }
        }
    };
    let body = html! {
        h1 { "Alerts" }
        h2 { "Failed (" (failed.len()) ")" }
        (table(&failed, true))
        h2 { "Pending (" (pending.len()) ")" }
        (table(&pending, false))
    };
    Ok(page("Alerts", "", body).into_response())
}

async fn retry_alert(
    State(st): St,
    axum::Extension(session): axum::Extension<Session>,
    Path(id): Path<i64>,
    body: Bytes,
) -> PageResult {
    check_csrf(&session, &form_pairs(&body))?;
    st.desk.store.retry_alerts(Some(id), Utc::now()).await?;
    Ok(Redirect::to("/alerts").into_response())
}

async fn style() -> Response {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], STYLE).into_response()
}

const STYLE: &str = r#"
body { font: 15px/1.5 system-ui, "Noto Sans CJK SC", "PingFang SC", sans-serif; margin: 0; color: #1d1d1f; background: #fafafa; }
header { background: #22313f; padding: .5em 1em; }
header nav { display: flex; gap: 1em; align-items: center; flex-wrap: wrap; }
header a { color: #fff; text-decoration: none; }
header a.brand { font-weight: bold; margin-right: 1em; }
form.search { margin-left: auto; display: flex; gap: .3em; }
main { padding: 1em 1.5em; max-width: 1200px; }
table { border-collapse: collapse; width: 100%; background: #fff; }
th, td { text-align: left; padding: .35em .5em; border-bottom: 1px solid #e4e4e4; vertical-align: top; }
th { background: #f0f0f0; font-weight: 600; }
.nowrap { white-space: nowrap; }
.muted { color: #777; }
.error { color: #b3261e; font-weight: 600; }
.saved { background: #e6f4ea; padding: .4em .8em; border-left: 4px solid #23804a; }
.badge { display: inline-block; padding: 0 .45em; border-radius: .6em; font-size: .85em; white-space: nowrap; }
.lb-talks { background: #a9c6ea; } .lb-de_escalation { background: #a8dcbc; }
.lb-escalation { background: #f0b0aa; } .lb-purchase { background: #ecd199; }
.status { font-size: .85em; padding: 0 .4em; border-radius: .3em; border: 1px solid #ccc; }
.st-confirmed { background: #e6f4ea; } .st-dismissed { background: #eee; color: #666; }
.st-unreviewed { background: #fff8e1; }
form.filters { display: flex; flex-wrap: wrap; gap: .8em; align-items: end; margin-bottom: 1em; }
.text { white-space: pre-wrap; background: #fff; border: 1px solid #ddd; padding: 1em; font-size: 1.1em; line-height: 1.8; }
mark.ev { padding: 0 .1em; border-radius: .2em; border-bottom: 2px solid #333; }
.meta { color: #444; }
form.review { background: #fff; border: 1px solid #ddd; padding: 1em; display: flex; flex-direction: column; gap: .6em; }
form.review .buttons { display: flex; gap: .6em; }
button { padding: .3em .9em; cursor: pointer; }
#confirm { background: #23804a; color: #fff; border: 0; } #dismiss { background: #777; color: #fff; border: 0; }
.paging { display: flex; gap: 1em; margin: 1em 0; }
svg.chart { width: 100%; height: auto; background: #fff; border: 1px solid #ddd; }
.state-ok { color: #23804a; } .state-failing, .state-needs-cookie, .state-layout-changed { color: #b3261e; font-weight: 600; }
td.err { color: #8a1c16; font-size: .9em; max-width: 30em; }
"#;
