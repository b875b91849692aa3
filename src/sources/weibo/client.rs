//! The Weibo client: every request to m.weibo.cn (`get`: the cookie attached and refusals
//! handled in one place), the account (uid and container, cached in the store), timeline
//! pages stored page by page with a backfill cursor, long texts, and the requests a recheck
//! makes. Parsing is `parse.rs` (pure).

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::cookies::RenewError;
use super::parse::{self, TimelinePage, TimelineResponse};
use super::presence::{verdict_from_body, Presence};
use super::WeiboSpec;
use crate::fetch::{FetchError, Fetched};
use crate::post::Post;
use crate::sources::run::{Env, RunError, Sink};
use crate::states::ErrorKind;
use crate::store::WeiboAccount;

/// The headers that m.weibo.cn expects from its own mobile site (`get` adds the cookie).
pub fn headers(uid: &str, mid: Option<&str>) -> Vec<(&'static str, String)> {
    let referer = match mid {
        Some(m) => format!("https://m.weibo.cn/detail/{m}"),
        None if uid.is_empty() => "https://m.weibo.cn/".to_string(),
        None => format!("https://m.weibo.cn/u/{uid}"),
    };
    vec![
        ("MWeibo-Pwa", "1".into()),
        ("X-Requested-With", "XMLHttpRequest".into()),
        ("Referer", referer),
        ("Accept", "application/json, text/plain, */*".into()),
    ]
}

/// The cookie to send: the user's login cookie, else the current visitor cookie (if any).
async fn cookie(env: &Env<'_>, w: &WeiboSpec) -> Option<String> {
    match &w.cookie {
        Some(c) => Some(c.expose().to_string()),
        None => env.visitor.current(&w.passport_base).await,
    }
}

/// A GET to m.weibo.cn with `headers` plus the cookie: every Weibo request goes through here,
/// so the cookie is attached and refusals are handled in this one place. On a refusal (HTTP
/// 432, `ok:-100`, a redirect into the visitor or login system) without a login cookie,
/// renews the visitor cookie once and tries again; with a login cookie the source needs a new
/// cookie from its operator.
pub async fn get(
    env: &Env<'_>,
    w: &WeiboSpec,
    url: &url::Url,
    headers: &[(&'static str, String)],
) -> Result<Fetched, RunError> {
    let mut renewed = false;
    loop {
        let cookie = cookie(env, w).await;
        let mut h = headers.to_vec();
        if let Some(c) = &cookie {
            h.push(("Cookie", c.clone()));
        }
        let refusal = match env.fetcher.get(url, &h).await {
            Ok(f) => match parse::refusal(&f.body) {
                Some(r) => r,
                None if parse::is_passport_address(&f.url) => format!(
                    "redirected to {}{}",
                    f.url.host_str().unwrap_or(""),
                    f.url.path()
                ),
                None => return Ok(f),
            },
            Err(e) if e.kind() == ErrorKind::Http432 => format!("HTTP 432 from {url}"),
            Err(e) => return Err(e.into()),
        };
        if w.cookie.is_some() {
            return Err(RunError::CookieRejected(refusal));
        }
        if renewed {
            return Err(RunError::Blocked(format!(
                "{refusal}, even with a fresh visitor cookie"
            )));
        }
        match env
            .visitor
            .renew(env.fetcher, &w.passport_base, cookie.as_deref())
            .await
        {
            Ok(_) => renewed = true,
            // The shared database failing is not the host refusing this egress.
            Err(e @ RenewError::Shared(_)) => return Err(RunError::Shared(e.to_string())),
            Err(e) => return Err(RunError::Blocked(format!("{refusal}; {e}"))),
        }
    }
}

/// What the config names: `uid:<uid>` or `screen_name:<name>`.
fn configured_account(w: &WeiboSpec) -> String {
    match &w.screen_name {
        Some(n) => format!("screen_name:{n}"),
        None => format!("uid:{}", w.uid),
    }
}

/// The account a Weibo source reads: the resolution cached in the database when it matches
/// the config, else resolved now (and cached). The flag says whether it was resolved now.
pub async fn account_of(env: &Env<'_>, w: &WeiboSpec) -> Result<(WeiboAccount, bool), RunError> {
    let sid = env.source_id.to_string();
    let cached = env.store.call(move |s| s.weibo_account(&sid)).await?;
    let configured = configured_account(w);
    if let Some(a) = cached.filter(|a| a.configured == configured) {
        return Ok((a, false));
    }
    let account = resolve(env, w, configured).await?;
    let (sid, a) = (env.source_id.to_string(), account.clone());
    // A cache that cannot be written costs a resolution next run, not this run.
    if let Err(e) = env
        .store
        .call(move |s| s.save_weibo_account(&sid, &a, Utc::now()))
        .await
    {
        tracing::warn!(error = %e, "Cannot cache the resolved Weibo account.");
    }
    tracing::info!(uid = %account.uid, container = %account.containerid, from = %account.container_from, "Resolved the Weibo account.");
    Ok((account, true))
}

/// Resolves the uid (a `screen_name` through `m.weibo.cn/n/{name}`, which redirects to
/// `/u/{uid}`) and the timeline container (the profile's `tabsInfo` "微博" tab, else
/// 107603{uid} when the profile has none or is refused with a 4xx).
async fn resolve(
    env: &Env<'_>,
    w: &WeiboSpec,
    configured: String,
) -> Result<WeiboAccount, RunError> {
    let uid = match &w.screen_name {
        None => w.uid.clone(),
        Some(name) => {
            let url = parse::screen_name_url(&w.api_base, name);
            let headers = [
                ("Accept", "text/html,application/xhtml+xml".to_string()),
                ("Referer", "https://m.weibo.cn/".to_string()),
            ];
            let f = get(env, w, &url, &headers).await?;
            parse::uid_from_profile_address(&f.url).ok_or_else(|| RunError::Unresolved {
                name: name.clone(),
                reason: format!("{url} led to {}, not to a profile (/u/<uid>)", f.url),
            })?
        }
    };
    let url = parse::profile_url(&w.api_base, &uid);
    let headers = headers(&uid, None);
    let profile = match get(env, w, &url, &headers).await {
        Ok(f) => parse::parse_profile(&f.body),
        // A profile refused for good (403: the API changed): the default container serves.
        Err(RunError::Fetch(e @ FetchError::Status { status, .. })) if status.is_client_error() => {
            tracing::warn!(error = %e, "Cannot read the account's profile; using the default timeline container.");
            None
        }
        // Refusals, timeouts, 5xx, 418 after retries: the timeline, on the same host, would
        // fare no better; the run fails now with that kind and the next run asks again.
        Err(e) => return Err(e),
    };
    let container = profile.as_ref().and_then(|p| p.containerid.clone());
    Ok(WeiboAccount {
        configured,
        screen_name: profile
            .and_then(|p| p.screen_name)
            .or_else(|| w.screen_name.clone()),
        container_from: if container.is_some() {
            "tabsInfo"
        } else {
            "default"
        }
        .into(),
        containerid: container.unwrap_or_else(|| parse::default_container(&uid)),
        uid,
    })
}

/// Reads timeline pages, newest first, following `since_id`, and stores each page before
/// reading the next (a long first run that is cut short keeps every page it stored): at most
/// `backfill_pages` pages, and after the first run only until a page holds a post already
/// stored. Pinned posts are ignored for that decision (a pinned old post would otherwise stop
/// paging at once). While a backfill is under way its next page is recorded
/// (`Store::backfill_cursor`), so the run after an interruption, having met the stored posts,
/// goes on from there. A cached account whose timeline answers empty is resolved again, once.
pub async fn timeline(env: &Env<'_>, w: &WeiboSpec, sink: &mut impl Sink) -> Result<(), RunError> {
    let source_id = env.source_id;
    let sid = source_id.to_string();
    let cursor = env.store.call(move |s| s.backfill_cursor(&sid)).await?;
    let (mut account, mut fresh) = account_of(env, w).await?;
    let mut since: Option<String> = None;
    let (mut met_stored, mut wrote_cursor, mut page_failed) = (false, false, false);
    for page_no in 0..w.backfill_pages {
        let mut answer = timeline_page(env, w, &account, since.as_deref()).await;
        if page_no == 0 && !fresh && matches!(answer, Ok(None)) {
            tracing::warn!(container = %account.containerid, "The timeline answered empty; resolving the account again.");
            let sid = source_id.to_string();
            env.store
                .call(move |s| s.forget_weibo_account(&sid))
                .await?;
            let (again, _) = account_of(env, w).await?;
            fresh = true;
            if again.containerid != account.containerid {
                account = again;
                answer = timeline_page(env, w, &account, None).await;
            }
        }
        // `ok: 1` (a page), not `ok: 0` (Weibo's own "nothing here").
        let answered_page = matches!(answer, Ok(Some(_)));
        let page = match answer {
            Ok(p) => p.unwrap_or_default(),
            // Later pages are a bonus: keep what the first pages gave.
            Err(e) if page_no > 0 => {
                tracing::warn!(page = page_no + 1, error = %e, "Timeline page failed; keeping the pages before it.");
                page_failed = true;
                break;
            }
            Err(e) => return Err(e),
        };
        for issue in &page.issues {
            tracing::warn!(item = %issue.item, problem = %issue.problem, "Skipped a malformed card.");
        }
        // One bad card costs one card; a page of nothing but bad cards is a failed read.
        if let (true, Some(first)) = (page.posts.is_empty(), page.issues.first()) {
            if page_no == 0 {
                return Err(RunError::Parse(format!(
                    "every card of the timeline is malformed ({}; first at {}: {})",
                    page.issues.len(),
                    first.item,
                    first.problem
                )));
            }
        }
        // The right shape with nothing in it: say so, rather than a quiet "fetched 0".
        if page_no == 0 && answered_page && page.cards == 0 {
            return Err(RunError::EmptyTimeline {
                container: account.containerid.clone(),
            });
        }
        sink.tally().parse_issues += page.issues.len();
        let ids: Vec<String> = page
            .posts
            .iter()
            .filter(|p| !p.pinned)
            .map(|p| p.platform_id.clone())
            .collect();
        let known = env.known_ids(ids).await?;
        let empty = page.posts.is_empty();
        let next = page.since_id.clone();
        // Where a restart goes on, recorded before this page is stored, and always a page
        // whose predecessors are stored: this page itself (it may be stored already when the
        // restart reads it again; its posts are then skipped). For the top page, the next
        // one: every run reads the top page anyway. A backfill already under way keeps its
        // own cursor (resumed below).
        if known.is_empty() && !empty && cursor.is_none() {
            let at = match (page_no, &since) {
                (0, _) => next.clone().map(|n| (n, w.backfill_pages - 1)),
                (_, Some(s)) => Some((s.clone(), w.backfill_pages - page_no)),
                (_, None) => None,
            };
            save_cursor(env, at.filter(|(_, left)| *left > 0)).await?;
            wrote_cursor = true;
        }
        store_page(env, w, page.posts, sink).await?;
        if !known.is_empty() {
            met_stored = true;
            break;
        }
        if empty {
            break;
        }
        match next {
            Some(s) => since = Some(s),
            None => break,
        }
    }
    // This run's paging ended on its own (stored posts met, the end, the page limit): nothing
    // of it is left to backfill. After a failed page the cursor stays for the next run.
    if wrote_cursor && !page_failed {
        save_cursor(env, None).await?;
    }
    // An interrupted backfill: on from its next page, storing page by page.
    if let (true, Some((next, left))) = (met_stored, cursor) {
        resume_backfill(env, w, &account, next, left, sink).await?;
    }
    Ok(())
}

/// Where the next run goes on with a backfill (its next page and the pages left), or `None`
/// when nothing is left.
async fn save_cursor(env: &Env<'_>, next: Option<(String, u32)>) -> Result<(), RunError> {
    let sid = env.source_id.to_string();
    Ok(env
        .store
        .call(move |s| s.set_backfill_cursor(&sid, next.as_ref().map(|(a, n)| (a.as_str(), *n))))
        .await?)
}

/// Reads on an interrupted backfill from its `next` page, storing page by page and moving the
/// cursor; a page that fails leaves the cursor for the next run.
async fn resume_backfill(
    env: &Env<'_>,
    w: &WeiboSpec,
    account: &WeiboAccount,
    mut next: String,
    left: u32,
    sink: &mut impl Sink,
) -> Result<(), RunError> {
    tracing::info!(pages_left = left, "Resuming an interrupted backfill.");
    for i in 0..left {
        let page = match timeline_page(env, w, account, Some(&next)).await {
            Ok(p) => p.unwrap_or_default(),
            Err(e) => {
                tracing::warn!(error = %e, "Backfill page failed; it is tried again next run.");
                return Ok(());
            }
        };
        sink.tally().parse_issues += page.issues.len();
        let empty = page.posts.is_empty();
        let following = page.since_id.clone();
        store_page(env, w, page.posts, sink).await?;
        let remaining = left - i - 1;
        match following.filter(|_| !empty && remaining > 0) {
            Some(f) => {
                save_cursor(env, Some((f.clone(), remaining))).await?;
                next = f;
            }
            None => {
                save_cursor(env, None).await?;
                break;
            }
        }
    }
    Ok(())
}

/// Stores the new posts of one timeline page (long texts completed first).
async fn store_page(
    env: &Env<'_>,
    w: &WeiboSpec,
    posts: Vec<Post>,
    sink: &mut impl Sink,
) -> Result<(), RunError> {
    sink.tally().fetched += posts.len();
    let mut fresh = env.only_new(posts).await?;
    for p in fresh.iter_mut().filter(|p| p.truncated) {
        sink.tally().tried.insert(p.platform_id.clone());
        if let Some(full) = full_text(env, w, &p.platform_id).await {
            p.text = full;
            p.truncated = false;
            sink.tally().long_texts_completed += 1;
        }
    }
    if fresh.is_empty() {
        return Ok(());
    }
    sink.store(fresh).await
}

/// One timeline page of the account's container; `None` when Weibo answered `ok:0` (no
/// cards: a wrong container, an empty or private account).
pub async fn timeline_page(
    env: &Env<'_>,
    w: &WeiboSpec,
    account: &WeiboAccount,
    since: Option<&str>,
) -> Result<Option<TimelinePage>, RunError> {
    let url = parse::timeline_url(&w.api_base, &account.uid, &account.containerid, since);
    let headers = headers(&account.uid, None);
    let f = get(env, w, &url, &headers).await?;
    let body = f.body;
    let parsed = env
        .parse("timeline parse", move || {
            parse::parse_timeline(&body, Utc::now())
        })
        .await?;
    match parsed {
        Ok(TimelineResponse::Page(page)) => Ok(Some(page)),
        Ok(TimelineResponse::Empty { msg }) => {
            tracing::warn!(msg = %msg, "Weibo returned no cards (ok:0).");
            Ok(None)
        }
        // `get` catches refusals; one that slipped through is still one.
        Ok(TimelineResponse::Blocked { url }) => Err(RunError::Blocked(format!("ok:-100, {url}"))),
        Err(e) => Err(RunError::Parse(format!("{e} (from {url})"))),
    }
}

/// The full text of a long post: `statuses/extend`, else `statuses/show`, else the post's
/// `detail` HTML page (`$render_data`); `None` keeps the preview (and `truncated = 1`, so a
/// later pass tries again). Each request goes through `get`: a refusal renews the visitor
/// cookie as it does for the timeline, rather than passing for "no long text".
pub async fn full_text(env: &Env<'_>, w: &WeiboSpec, mid: &str) -> Option<String> {
    let headers = headers("", Some(mid));
    let extend = parse::extend_url(&w.api_base, mid);
    match get(env, w, &extend, &headers).await {
        Ok(f) => {
            if let Some(t) = parse::parse_long_text(&f.body) {
                return Some(t);
            }
            tracing::debug!(post = %mid, "statuses/extend had no long text; trying statuses/show.");
        }
        Err(e) => {
            tracing::debug!(post = %mid, error = %e, "statuses/extend failed; trying statuses/show.")
        }
    }
    let show = parse::show_url(&w.api_base, mid);
    match get(env, w, &show, &headers).await {
        Ok(f) => {
            if let Some(t) = parse::parse_show(&f.body) {
                return Some(t);
            }
            tracing::debug!(post = %mid, "statuses/show had no full text; trying the detail page.");
        }
        Err(e) => {
            tracing::debug!(post = %mid, error = %e, "statuses/show failed; trying the detail page.")
        }
    }
    let detail = parse::detail_url(&w.api_base, mid);
    let headers = [
        ("Accept", "text/html,application/xhtml+xml".to_string()),
        ("Referer", "https://m.weibo.cn/".to_string()),
    ];
    match get(env, w, &detail, &headers).await {
        Ok(f) => parse::parse_detail_page(&f.html_text()).or_else(|| {
            tracing::debug!(post = %mid, "No full text yet; keeping the preview for a later pass.");
            None
        }),
        Err(e) => {
            tracing::debug!(post = %mid, error = %e, "The detail page failed; keeping the preview for a later pass.");
            None
        }
    }
}

/// Whether a post missing from the timeline still exists: its `statuses/show`, then its
/// `statuses/extend`, each through `get` (refusals handled there); the first answer that is
/// not `Unknown` wins.
pub async fn confirm(env: &Env<'_>, w: &WeiboSpec, mid: &str) -> Presence {
    let headers = headers("", Some(mid));
    for url in [
        parse::show_url(&w.api_base, mid),
        parse::extend_url(&w.api_base, mid),
    ] {
        match get(env, w, &url, &headers).await {
            Ok(f) => match verdict_from_body(&f.body) {
                Presence::Unknown => {}
                v => return v,
            },
            Err(e) => {
                tracing::debug!(post = %mid, error = %e, "Confirming request failed.");
            }
        }
    }
    Presence::Unknown
}

/// The posts of the timeline, read back from the newest to `window_start` (or as far as it
/// goes, `max_pages` at most), and the oldest time read (pinned posts aside).
pub async fn read_back(
    env: &Env<'_>,
    w: &WeiboSpec,
    window_start: DateTime<Utc>,
    max_pages: u32,
) -> Result<(HashMap<String, Post>, Option<DateTime<Utc>>), RunError> {
    let (account, _) = account_of(env, w).await?;
    let mut seen: HashMap<String, Post> = HashMap::new();
    let mut oldest: Option<DateTime<Utc>> = None;
    let mut since: Option<String> = None;
    for page_no in 0..max_pages {
        let page = match timeline_page(env, w, &account, since.as_deref()).await {
            Ok(p) => p.unwrap_or_default(),
            Err(e) if page_no == 0 => return Err(e),
            Err(e) => {
                tracing::debug!(source = %env.source_id, page = page_no + 1, error = %e, "Recheck page failed; deciding on the pages read.");
                break;
            }
        };
        if page.posts.is_empty() {
            break;
        }
        for p in page.posts {
            if !p.pinned {
                oldest = Some(oldest.map_or(p.created_at, |o| o.min(p.created_at)));
            }
            seen.entry(p.platform_id.clone()).or_insert(p);
        }
        if oldest.is_some_and(|o| o < window_start) {
            break;
        }
        match page.since_id {
            Some(s) => since = Some(s),
            None => break,
        }
    }
    Ok((seen, oldest))
}
