//! The cluster coordinator's cost on a real PostgreSQL (issue 15's figures): N instances
//! claim due sources and commit one post per run, fetching nothing, for a fixed time.
//! Prints runs per second, claim queries per second and the p50/p99/max delay between a
//! source's due time and its claim. Run by scripts/bench-cluster.sh, which starts a
//! throwaway cluster; by hand:
//!
//!     cargo run --release --example lease_bench -- URL SOURCES EVERY_SECS SECONDS INSTANCES

use std::time::{Duration, Instant};

use windvane::store::pg::{PgStore, RunOutcome, RunPost, SourceSpec};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let [_, url, sources, every, secs, instances] = &args[..] else {
        anyhow::bail!("usage: lease_bench URL SOURCES EVERY_SECS SECONDS INSTANCES");
    };
    let (sources, every, secs, instances): (usize, u64, u64, usize) = (
        sources.parse()?,
        every.parse()?,
        secs.parse()?,
        instances.parse()?,
    );
    let admin = PgStore::connect(url).await?;
    admin.migrate().await?;
    for i in 0..sources {
        admin
            .upsert_source(&SourceSpec {
                id: format!("bench-{i:05}"),
                kind: "weibo".into(),
                name: format!("bench {i}"),
                egress: None,
                every: Duration::from_secs(every),
            })
            .await?;
    }
    let (posts0, runs0) = admin.counts().await?;
    let end = Instant::now() + Duration::from_secs(secs);
    let mut tasks = Vec::new();
    for n in 0..instances {
        let store = PgStore::connect(url).await?;
        tasks.push(tokio::spawn(async move {
            let me = format!("bench-instance-{n}");
            let (mut claims, mut delays_ms) = (0u64, Vec::new());
            while Instant::now() < end {
                let leases = store
                    .claim_due(&me, "direct", 50, Duration::from_secs(60))
                    .await?;
                claims += 1;
                if leases.is_empty() {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
                for l in leases {
                    delays_ms.push((l.claimed_at - l.due_at).num_milliseconds().max(0));
                    let post = RunPost {
                        platform_id: format!("{}-{}", l.source_id, l.fence),
                        author: "bench".into(),
                        text: "中美经贸磋商".into(),
                        url: String::new(),
                        created_at: chrono::Utc::now(),
                        created_at_raw: "刚刚".into(),
                    };
                    store.commit_run(&l, &[post], RunOutcome::Ok, None).await?;
                }
            }
            anyhow::Ok((claims, delays_ms))
        }));
    }
    let (mut claims, mut delays) = (0, Vec::new());
    for t in tasks {
        let (c, d) = t.await??;
        claims += c;
        delays.extend(d);
    }
    let (posts, runs) = admin.counts().await?;
    let (posts, runs) = (posts - posts0, runs - runs0);
    delays.sort_unstable();
    let pct = |p: f64| {
        delays
            .get(((delays.len() as f64 - 1.0) * p).round() as usize)
            .copied()
            .unwrap_or(0)
    };
    println!(
        "instances {instances}: {sources} sources every {every}s for {secs}s: {:.0} runs/s, {:.0} claim queries/s, due→claim delay p50 {} ms p99 {} ms max {} ms; posts {posts}, runs {runs}",
        runs as f64 / secs as f64,
        claims as f64 / secs as f64,
        pct(0.5),
        pct(0.99),
        delays.last().copied().unwrap_or(0),
    );
    Ok(())
}
