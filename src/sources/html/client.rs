//! Fetching an HTML source: the list page (conditional GET, JavaScript redirect stubs, a
//! selector that stops matching), each new item's article, and articles completed later.
//! Every parse runs on the blocking pool, behind the markup check.

use std::collections::HashMap;

use chrono::Utc;
use url::Url;

/// JavaScript redirects followed from one list page.
const MAX_JS_REDIRECTS: usize = 3;

use super::{js_redirect, parse_article, parse_list, to_post, Article, HtmlSpec, ListItem};
use crate::fetch::{FetchError, Fetched, Validators};
use crate::post::Post;
use crate::sources::markup;
use crate::sources::run::{Env, PageCommit, RunError, Sink};

/// Reads the list page, the articles of its new items (when the source has a `body`
/// selector), and hands the new posts to `sink`.
pub async fn read(
    env: &Env<'_>,
    spec: &HtmlSpec,
    sink: &mut impl Sink,
) -> Result<Option<PageCommit>, RunError> {
    let (items, commit) = list(env, spec, sink).await?;
    sink.tally().fetched = items.len();
    let now = Utc::now();
    let posts: Vec<Post> = items
        .iter()
        .map(|i| to_post(i, None, env.source_name, now))
        .collect();
    let fresh = env.only_new(posts).await?;
    let fresh = articles(env, spec, &items, fresh, sink).await;
    sink.store(fresh).await?;
    Ok(Some(commit))
}

/// Fetches and reads the list page, following JavaScript redirect stubs. A selector that
/// matches nothing is an error: `layout-changed` when it matched before, counted per source.
async fn list(
    env: &Env<'_>,
    spec: &HtmlSpec,
    sink: &mut impl Sink,
) -> Result<(Vec<ListItem>, PageCommit), RunError> {
    let (sid, u) = (env.source_id.to_string(), spec.url.to_string());
    let memory = env.store.call(move |s| s.page_memory(&sid, &u)).await?;
    let f = env
        .fetcher
        .get(&spec.url, &memory.validators.request_headers())
        .await?;
    if f.not_modified() {
        tracing::debug!(url = %spec.url, "List page not modified.");
        let commit = PageCommit {
            url: spec.url.to_string(),
            validators: memory.validators,
            matched: 0,
        };
        return Ok((Vec::new(), commit));
    }
    let validators = Validators::from_headers(&f.headers);
    let mut page_url = f.url.clone();
    let text = f.html_text();
    let now = Utc::now();
    // The page, and where it redirects to when it is only a JavaScript redirect stub.
    let read = |text: String, url: url::Url| {
        let spec = spec.clone();
        env.parse("list page parse", move || {
            markup::check(&text).map_err(|e| RunError::Parse(format!("{e} ({url})")))?;
            let list =
                parse_list(&text, &url, &spec, now).map_err(|e| RunError::Parse(e.to_string()))?;
            let target = (list.matched == 0)
                .then(|| js_redirect(&text, &url))
                .flatten();
            Ok::<_, RunError>((list, target))
        })
    };
    let (mut list, mut target) = read(text, page_url.clone()).await??;
    for _ in 0..MAX_JS_REDIRECTS {
        let Some(to) = target.take() else {
            break;
        };
        tracing::debug!(from = %page_url, to = %to, "Following a JavaScript redirect.");
        let f = env.fetcher.get(&to, &[]).await?;
        page_url = f.url.clone();
        (list, target) = read(f.html_text(), page_url.clone()).await??;
    }
    if list.matched == 0 {
        let url = page_url.to_string();
        if memory.ever_matched {
            let (sid, u) = (env.source_id.to_string(), spec.url.to_string());
            let total = env
                .store
                .call(move |s| {
                    s.forget_validators(&sid, &u)?;
                    s.count_layout_change(&sid)
                })
                .await?;
            tracing::warn!(url = %url, selector = %spec.item, layout_changes = total, "Layout changed: the item selector matched nothing.");
            return Err(RunError::LayoutChanged {
                selector: spec.item.clone(),
                url,
            });
        }
        return Err(RunError::NoItems {
            selector: spec.item.clone(),
            url,
        });
    }
    for issue in &list.issues {
        tracing::warn!(item = %issue.item, problem = %issue.problem, "Skipped a list item.");
    }
    sink.tally().parse_issues += list.issues.len();
    let commit = PageCommit {
        url: spec.url.to_string(),
        validators,
        matched: list.matched,
    };
    Ok((list.items, commit))
}

/// For new items, reads each article (when the source has a `body` selector): its text and
/// `meta[name=PubDate]`. An article that cannot be fetched now (timeout, 5xx) is left for the
/// next pass; one that answers 4xx (listed before it is published, or moved) is stored with its
/// title only, marked pending (`truncated`), and read again by later passes as Weibo previews are.
async fn articles(
    env: &Env<'_>,
    spec: &HtmlSpec,
    items: &[ListItem],
    fresh: Vec<Post>,
    sink: &mut impl Sink,
) -> Vec<Post> {
    let Some(body_sel) = spec.body.as_deref() else {
        return fresh;
    };
    let by_url: HashMap<&str, &ListItem> = items.iter().map(|i| (i.url.as_str(), i)).collect();
    let mut out = Vec::with_capacity(fresh.len());
    for post in fresh {
        let Some(item) = by_url.get(post.platform_id.as_str()) else {
            out.push(post);
            continue;
        };
        match article(env, &item.url, body_sel).await {
            Ok(article) => {
                if article.text.is_empty() {
                    sink.tally().parse_issues += 1;
                    tracing::warn!(url = %item.url, selector = %body_sel, "The body selector matched nothing; keeping the title only.");
                }
                out.push(to_post(item, Some(&article), env.source_name, Utc::now()));
            }
            Err(e) if matches!(&e, FetchError::Status { status, .. } if status.is_client_error()) =>
            {
                tracing::warn!(url = %item.url, error = %e, "Article unavailable; keeping the title, to be completed by a later pass.");
                sink.tally().tried.insert(post.platform_id.clone());
                out.push(Post {
                    truncated: true,
                    ..post
                });
            }
            Err(e) => {
                tracing::warn!(url = %item.url, error = %e, "Article fetch failed; the item waits for the next pass.");
            }
        }
    }
    out
}

async fn article(env: &Env<'_>, url: &Url, body_sel: &str) -> Result<Article, FetchError> {
    // An article page that cannot be parsed (too deep, over budget) keeps its title only.
    let read = |text: String, page: url::Url| {
        let sel = body_sel.to_string();
        let shown = page.clone();
        async move {
            let r = env
                .parse("article parse", move || {
                    markup::check(&text)?;
                    let article = parse_article(&text, Some(&sel), Utc::now());
                    let target = article
                        .text
                        .is_empty()
                        .then(|| js_redirect(&text, &page))
                        .flatten();
                    Ok((article, target))
                })
                .await;
            match r {
                Ok(Ok(a)) => a,
                Ok(Err(e)) => {
                    let e: markup::MarkupError = e;
                    tracing::warn!(url = %shown, error = %e, "Article not parsed; keeping the title only.");
                    (Article::default(), None)
                }
                Err(e) => {
                    tracing::warn!(url = %shown, error = %e, "Article not parsed; keeping the title only.");
                    (Article::default(), None)
                }
            }
        }
    };
    let f: Fetched = env.fetcher.get(url, &[]).await?;
    let (mut article, target) = read(f.html_text(), f.url.clone()).await;
    if let Some(target) = target {
        let f = env.fetcher.get(&target, &[]).await?;
        article = read(f.html_text(), f.url.clone()).await.0;
    }
    Ok(article)
}

/// The full text of an item stored with its title only (its article answered 4xx): the
/// article page again, read with the `body` selector; `None` keeps the title for a later pass.
pub async fn complete(env: &Env<'_>, body_sel: &str, post: &Post) -> Option<String> {
    let url = url::Url::parse(&post.url).ok()?;
    match article(env, &url, body_sel).await {
        Ok(a) if !a.text.is_empty() => {
            // As `html::to_post` joins them: the title, then the body.
            let title = &post.text;
            Some(if a.text.starts_with(title.as_str()) {
                a.text
            } else {
                format!("{title}\n{}", a.text)
            })
        }
        Ok(_) => None,
        Err(e) => {
            tracing::debug!(url = %url, error = %e, "The article is still unavailable; keeping the title for a later pass.");
            None
        }
    }
}
