//! normalise + segment + classify over a fixed corpus of real posts of 80–300 characters
//! (the labelled set's texts). Throughput is reported in posts per second (one core).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use windvane::classify::Classifier;

fn corpus() -> Vec<String> {
    let mut out = Vec::new();
    for f in [
        "tests/fixtures/labelled/train.tsv",
        "tests/fixtures/labelled/test.tsv",
    ] {
        let text = std::fs::read_to_string(f).expect("labelled fixtures present");
        for line in text.lines().skip(1) {
            if let Some(t) = line.split('\t').next() {
                let n = t.chars().count();
                if (80..=300).contains(&n) {
                    out.push(t.to_string());
                }
            }
        }
    }
    out
}

fn bench(c: &mut Criterion) {
    let classifier = Classifier::load(None, None).expect("built-in classifier");
    let posts = corpus();
    let mut g = c.benchmark_group("classify");
    g.throughput(Throughput::Elements(posts.len() as u64));
    g.bench_function(
        format!("normalise+segment+classify x{}", posts.len()),
        |b| {
            b.iter(|| {
                let mut flagged = 0usize;
                for p in &posts {
                    flagged += classifier.classify(p).labels.len();
                }
                flagged
            })
        },
    );
    let rules_only = classifier.with_model(None);
    g.bench_function("normalise+code events+segment (no model)", |b| {
        b.iter(|| {
            posts
                .iter()
                .map(|p| rules_only.classify(p).labels.len())
                .sum::<usize>()
        })
    });
    g.bench_function("segment only", |b| {
        b.iter(|| {
            posts
                .iter()
                .map(|p| classifier.segmenter.segment(p).tokens.len())
                .sum::<usize>()
        })
    });
    g.finish();

    // What the daemon really reads: state-media timelines, mostly not about trade.
    let timeline: Vec<String> = std::fs::read_to_string("benches/fixtures/state_media_posts.txt")
        .expect("benchmark corpus present")
        .lines()
        .map(str::to_string)
        .collect();
    let mut g = c.benchmark_group("classify-timelines");
    g.throughput(Throughput::Elements(timeline.len() as u64));
    g.bench_function(
        format!("normalise+segment+classify x{}", timeline.len()),
        |b| {
            b.iter(|| {
                timeline
                    .iter()
                    .map(|p| classifier.classify(p).labels.len())
                    .sum::<usize>()
            })
        },
    );
    g.finish();

    // Hostile posts of the longest length coded: repeated titles and names (read for the
    // officials they introduce), and one sentence of impositions and easings. Each must stay
    // near the time of an ordinary long post, not grow with the square of its mentions.
    let repeat = |unit: &str| unit.repeat(20_000 / unit.chars().count());
    let hostile = [
        ("repeated official", repeat("墨西哥总统辛鲍姆表示，")),
        (
            "repeated easing of impositions",
            repeat("对美加征的关税并暂停，"),
        ),
        ("one long sentence", repeat("暂停加征的关税，")),
        // One clause with no punctuation at all: every scan that reads a clause or every
        // earlier act of it is paid per act.
        ("one run-on clause of suspensions", repeat("暂停加征关税")),
        (
            "one run-on clause of talks, costs and buyers",
            repeat("讨论暂停加征关税的成本进口美国大豆的企业在欧洲与中方会面"),
        ),
    ];
    let mut g = c.benchmark_group("classify-hostile");
    g.sample_size(10);
    for (name, text) in &hostile {
        g.bench_function(*name, |b| b.iter(|| classifier.classify(text).labels.len()));
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
