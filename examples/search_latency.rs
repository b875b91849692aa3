//! Full-text search latency over a stored database, as the review desk and `windvane search`
//! run it (index check, query terms, FTS5 match, best 20 with their labels).
//! Used by scripts/bench-history.sh:
//!
//!     cargo run --release --example search_latency -- DB [ROUNDS] [QUERY…]
//!
//! Prints per query the hits and the median, then the median and p95 over every run.

use std::time::Instant;

use windvane::classify::Classifier;
use windvane::store::Store;

const QUERIES: &[&str] = &[
    "关税",
    "谈判",
    "关税 谈判",
    "中美 经贸 磋商",
    "加征关税",
    "反制",
    "大豆 采购",
    "疫情",
    "新冠肺炎 疫苗",
    "北京",
    "习近平",
    "出口管制",
    "美方 合作",
    "足球",
    "稀土",
];

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let db = args
        .next()
        .ok_or_else(|| anyhow::anyhow!("usage: search_latency DB [ROUNDS] [QUERY…]"))?;
    let rounds: usize = args.next().map(|r| r.parse()).transpose()?.unwrap_or(20);
    let given: Vec<String> = args.collect();
    let queries: Vec<String> = if given.is_empty() {
        QUERIES.iter().map(|q| q.to_string()).collect()
    } else {
        given
    };
    let store = Store::open(std::path::Path::new(&db))?;
    let classifier = Classifier::load(None, None)?;
    println!("{} posts in {db}", store.post_count()?);
    // One warm-up pass: the first query also pays for the index check and the page cache.
    for q in &queries {
        store.search(&classifier.segmenter, q, 20)?;
    }
    // Where the time goes, for the first query: the index check, the query's words, the SQL.
    if let Some(q) = queries.first() {
        let t = Instant::now();
        store.index_missing(&|t| classifier.segmenter.index_words(t))?;
        let check = t.elapsed();
        let t = Instant::now();
        let query = windvane::text::SearchQuery::parse(q);
        let expr = query
            .as_ref()
            .map(|q| q.match_expr.clone())
            .unwrap_or_default();
        let words = t.elapsed();
        let t = Instant::now();
        let n = store.search_posts(&expr, 20)?.len();
        println!(
            "{q}: index check {:.2} ms, query words {:.2} ms, SQL {:.2} ms ({n} hits, `{expr}`)",
            check.as_secs_f64() * 1e3,
            words.as_secs_f64() * 1e3,
            t.elapsed().as_secs_f64() * 1e3
        );
    }
    let mut all = Vec::new();
    for q in &queries {
        let mut times = Vec::new();
        let mut hits = 0;
        for _ in 0..rounds {
            let t = Instant::now();
            hits = store.search(&classifier.segmenter, q, 20)?.len();
            times.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        times.sort_by(f64::total_cmp);
        println!(
            "{q:<16} {hits:>3} hits  median {:>7.2} ms  p95 {:>7.2} ms",
            percentile(&times, 0.5),
            percentile(&times, 0.95)
        );
        all.extend(times);
    }
    all.sort_by(f64::total_cmp);
    println!(
        "all {} queries x {rounds}: median {:.2} ms, p95 {:.2} ms, max {:.2} ms",
        queries.len(),
        percentile(&all, 0.5),
        percentile(&all, 0.95),
        all.last().copied().unwrap_or(0.0)
    );
    Ok(())
}
