//! Search finds what analysts type: over the real fixture timelines (人民日报 and 央视新闻
//! crawler archives, the 2019 trade-war Weibo searches), `search` returns exactly the posts
//! whose text contains every query word, whatever jieba made of the text.

use std::collections::BTreeSet;
use std::path::Path;

use chrono::Utc;
use windvane::classify::Classifier;
use windvane::config::Config;
use windvane::import::{import_files, ImportOptions};
use windvane::store::Store;
use windvane::text::normalize;

use crate::common::fixture;

pub fn config(dir: &Path) -> Config {
    let path = dir.join("windvane.toml");
    std::fs::write(&path, "[store]\npath = \"windvane.db\"\n").unwrap();
    Config::load(Some(&path)).unwrap()
}

/// Every post's id and normalised full text (text, then the reposted text), as search reads it.
pub fn all_posts(db: &Path) -> Vec<(i64, String)> {
    let c = rusqlite::Connection::open(db).unwrap();
    let mut stmt = c
        .prepare("SELECT id, text, retweet_text FROM posts")
        .unwrap();
    let rows = stmt
        .query_map([], |r| {
            let (id, text, rt): (i64, String, Option<String>) = (r.get(0)?, r.get(1)?, r.get(2)?);
            let full = match rt {
                Some(rt) if !rt.is_empty() => format!("{text}\n//{rt}"),
                _ => text,
            };
            Ok((id, normalize(&full).text))
        })
        .unwrap();
    rows.map(Result::unwrap).collect()
}

/// Queries of 1–4 characters: the examples, and substrings taken from the posts at
/// fixed pseudo-random places (so they occur at least once), deduplicated.
pub fn queries(posts: &[(i64, String)]) -> Vec<String> {
    let mut out: Vec<String> = [
        "磋商", "会晤", "关税", "贸易", "中美", "美中", "税", "谈判", "反制",
    ]
    .map(String::from)
    .to_vec();
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    while out.len() < 50 {
        let (_, text) = &posts[next() as usize % posts.len()];
        let chars: Vec<char> = text.chars().collect();
        let len = 1 + next() as usize % 4;
        if chars.len() < len {
            continue;
        }
        let at = next() as usize % (chars.len() - len + 1);
        let q: String = chars[at..at + len].iter().collect();
        // Letters and digits only: the query is one word, as an analyst types it.
        if q.chars().all(char::is_alphanumeric) && !out.contains(&q) {
            out.push(q);
        }
    }
    out
}

#[test]
fn search_finds_exactly_the_posts_containing_the_query() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = config(dir.path());
    let store = Store::open(&cfg.store_path).unwrap();
    let cls = Classifier::load(None, None).unwrap();
    let mut files = vec![
        fixture("import/人民日报_2803301701.csv"),
        fixture("import/央视新闻_2656274875.json"),
    ];
    let mut searches: Vec<_> = std::fs::read_dir(fixture("tradewar_2019/data"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    searches.sort();
    files.extend(searches);
    let r = import_files(
        &cfg,
        &store,
        &cls,
        &files,
        &ImportOptions::default(),
        Utc::now(),
    )
    .unwrap();
    assert!(r.stored > 1500, "{r:?}");

    let posts = all_posts(&cfg.store_path);
    let qs = queries(&posts);
    assert_eq!(qs.len(), 50);
    let mut broad = 0;
    for q in &qs {
        let want: BTreeSet<i64> = posts
            .iter()
            .filter(|(_, t)| t.contains(q.as_str()))
            .map(|(id, _)| *id)
            .collect();
        let got: BTreeSet<i64> = store
            .search(&cls.segmenter, q, usize::MAX >> 1)
            .unwrap()
            .into_iter()
            .map(|p| p.id)
            .collect();
        assert_eq!(
            got.len(),
            want.len(),
            "`{q}`: search found {} posts, {} contain it; missing {:?}, extra {:?}",
            got.len(),
            want.len(),
            want.difference(&got).take(5).collect::<Vec<_>>(),
            got.difference(&want).take(5).collect::<Vec<_>>()
        );
        assert_eq!(got, want, "`{q}`");
        if want.len() > 20 {
            broad += 1;
        }
    }
    // The comparison means something: many queries match many posts.
    assert!(broad >= 10, "only {broad} queries match over 20 posts");

    // Several words: every word must occur, anywhere.
    let both = |a: &str, b: &str| -> BTreeSet<i64> {
        posts
            .iter()
            .filter(|(_, t)| t.contains(a) && t.contains(b))
            .map(|(id, _)| *id)
            .collect()
    };
    for (a, b) in [("中美", "磋商"), ("关税", "美方"), ("经贸", "谈判")] {
        let want = both(a, b);
        assert!(!want.is_empty(), "{a} {b}");
        let got: BTreeSet<i64> = store
            .search(&cls.segmenter, &format!("{a} {b}"), 100_000)
            .unwrap()
            .into_iter()
            .map(|p| p.id)
            .collect();
        assert_eq!(got, want, "`{a} {b}`");
    }

    // Punctuation separates words as a space does.
    let got: BTreeSet<i64> = store
        .search(&cls.segmenter, "中美，磋商", 100_000)
        .unwrap()
        .into_iter()
        .map(|p| p.id)
        .collect();
    assert_eq!(got, both("中美", "磋商"));
}
