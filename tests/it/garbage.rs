//! Stable-Rust stand-in for the fuzzers (scripts/fuzz): seeded random bytes, and mutations of
//! real fixtures (flips, cuts, splices), fed to every parser of outside input. Any panic fails
//! the test with the input that caused it. `WINDVANE_GARBAGE_ROUNDS` raises the count.

use std::panic::{catch_unwind, AssertUnwindSafe};

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use windvane::fuzzing;

use crate::common::read_fixture;

fn rounds() -> usize {
    std::env::var("WINDVANE_GARBAGE_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300)
}

fn mutate(rng: &mut StdRng, seed: &[u8]) -> Vec<u8> {
    let mut v = seed.to_vec();
    match rng.random_range(0..5) {
        0 => {
            let n: usize = rng.random_range(0..256);
            (0..n).map(|_| rng.random()).collect()
        }
        1 => {
            if !v.is_empty() {
                let cut = rng.random_range(0..v.len());
                v.truncate(cut);
            }
            v
        }
        2 => {
            for _ in 0..rng.random_range(1..16) {
                if v.is_empty() {
                    break;
                }
                let i = rng.random_range(0..v.len());
                v[i] = rng.random();
            }
            v
        }
        3 => {
            // Splice a chunk of the input into itself (repeats brackets, tags, escapes).
            if v.len() > 2 {
                let a = rng.random_range(0..v.len());
                let b = rng.random_range(a..v.len().min(a + 64));
                let chunk = v[a..b].to_vec();
                let at = rng.random_range(0..v.len());
                v.splice(at..at, chunk);
            }
            v
        }
        _ => {
            let tokens: [&[u8]; 10] = [
                b"{",
                b"}",
                b"[",
                b"\"",
                b"\\u",
                b"<",
                b"]]>",
                b"\xff",
                "全文".as_bytes(),
                b"null",
            ];
            let at = rng.random_range(0..=v.len());
            let t = tokens[rng.random_range(0..tokens.len())];
            v.splice(at..at, t.iter().copied());
            v
        }
    }
}

fn hammer(name: &str, seeds: &[Vec<u8>], f: fn(&[u8])) {
    let mut rng = StdRng::seed_from_u64(0x5eed ^ name.len() as u64);
    for i in 0..rounds() {
        let seed = &seeds[i % seeds.len()];
        let input = mutate(&mut rng, seed);
        if catch_unwind(AssertUnwindSafe(|| f(&input))).is_err() {
            panic!(
                "{name} panicked on input #{i}: {:?}",
                String::from_utf8_lossy(&input)
            );
        }
    }
}

fn fixtures(names: &[&str]) -> Vec<Vec<u8>> {
    names.iter().map(|n| read_fixture(n).into_bytes()).collect()
}

#[test]
fn weibo_parsers_survive_garbage() {
    let mut seeds = fixtures(&[
        "weibo/mixed_trade_getindex.json",
        "weibo/weibo_ak_list_0.json",
        "weibo/weibo_detail_4645748019299849.json",
    ]);
    seeds.push(r#"{"ok":0,"msg":"抱歉，此微博已被作者删除。"}"#.as_bytes().to_vec());
    seeds.push(br#"visitor_gray_callback({"data":{"sub":"s","subp":"p"}})"#.to_vec());
    hammer("weibo", &seeds, fuzzing::weibo);
}

#[test]
fn feed_and_html_parsers_survive_garbage() {
    let mut seeds: Vec<Vec<u8>> = vec![
        b"<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>t</title><item><title>a</title><link>http://x/1</link><pubDate>Tue, 22 Apr 2025 10:00:00 +0800</pubDate></item></channel></rss>".to_vec(),
        b"<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry><id>1</id><title>t</title></entry></feed>".to_vec(),
        "<html><meta charset=gbk><ul><li><a href='/a/1.html'>标题</a><span>[2025-04-03]</span></li></ul><div id=zoom>正文</div><script>window.location.href='/x'</script></html>".as_bytes().to_vec(),
    ];
    seeds.push(vec![0xb2, 0xe2, 0xca, 0xd4, b'<', b'a', b'>']);
    hammer("feeds_html", &seeds, fuzzing::feeds_html);
}

#[test]
fn time_parser_survives_garbage() {
    let seeds: Vec<Vec<u8>> = [
        "Tue Apr 22 10:00:00 +0800 2025",
        "刚刚",
        "5分钟前",
        "昨天 12:30",
        "04-22",
        "2025年4月3日",
        "今天 08:15",
        "12月31日 23:59",
        "2025-04-03 10:00:00",
        "99999999999小时前",
    ]
    .iter()
    .map(|s| s.as_bytes().to_vec())
    .collect();
    hammer("time", &seeds, fuzzing::time);
}

#[test]
fn config_loader_survives_garbage() {
    let seeds = vec![
        std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/config/example.toml")).unwrap(),
        b"[[sources]]\nid = \"a\"\nkind = \"weibo\"\nuid = \"1\"\nschedule = \"0 0 9 * * *\"\nactive_hours = \"23:00-01:00\"\n".to_vec(),
    ];
    hammer("config", &seeds, fuzzing::config);
}
