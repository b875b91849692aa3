//! The review commands: `review list|show|confirm|dismiss|stats`, `search`, `export`, `serve`.

use std::io::{IsTerminal, Write};
use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::Context as _;
use chrono::Utc;
use clap::{Args, Subcommand};

use super::exit::{stdout_error, Exit, EXIT_CONFIG, EXIT_FAILURE, EXIT_OK};
use crate::classify::{Classifier, Label};
use crate::config::Config;
use crate::review::{self, shown, Action, ExportFormat, PostView, QueueQuery, ReviewError};
use crate::store::{AnyStore, ReviewPost, ReviewStatus};

#[derive(Debug, Subcommand)]
pub enum ReviewCommand {
    /// Flagged posts, newest first: id, time (Beijing), source, labels with scores, first line.
    List(ListArgs),
    /// One post: text with evidence highlighted, glosses, explanation, scores, link, history.
    Show { id: i64 },
    /// The classifier's labels are right (or, with --label, these are the right labels).
    Confirm {
        id: i64,
        /// The right label; repeat for several. Labels the classifier gave but not named here
        /// are dismissed; named labels it missed are recorded as added.
        #[arg(long)]
        label: Vec<Label>,
        #[arg(long, default_value = "")]
        note: String,
        #[command(flatten)]
        who: Reviewer,
        #[command(flatten)]
        seen: Seen,
    },
    /// Every label of the post is wrong.
    Dismiss {
        id: i64,
        #[arg(long, default_value = "")]
        note: String,
        #[command(flatten)]
        who: Reviewer,
        #[command(flatten)]
        seen: Seen,
    },
    /// Per label: reviewed, confirmed, precision from verdicts, in total and per month.
    Stats,
}

#[derive(Debug, Args)]
pub struct Reviewer {
    /// Who decides (default: $WINDVANE_REVIEWER, else $USER).
    #[arg(long, env = "WINDVANE_REVIEWER")]
    reviewer: Option<String>,
}

impl Reviewer {
    fn name(&self) -> String {
        self.reviewer
            .clone()
            .or_else(|| std::env::var("USER").ok())
            .filter(|s| !s.trim().is_empty())
            .unwrap_or_else(|| "analyst".into())
    }
}

#[derive(Debug, Args)]
pub struct Seen {
    /// The verdict version `review show` printed: the verdict is refused if another analyst
    /// recorded one since (default: the version when this command reads the post).
    #[arg(long, value_name = "VERSION")]
    expect_version: Option<i64>,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    #[arg(long)]
    label: Option<Label>,
    /// A source id.
    #[arg(long)]
    source: Option<String>,
    /// Posts created on or after this day (YYYY-MM-DD, Beijing).
    #[arg(long)]
    since: Option<String>,
    /// Only posts with a label scored at least this (that label's score with --label).
    #[arg(long)]
    min_score: Option<f64>,
    /// unreviewed, confirmed or dismissed.
    #[arg(long)]
    status: Option<ReviewStatus>,
    #[arg(long, default_value_t = 50)]
    limit: usize,
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// Words to find, all of them (e.g. 关税 谈判).
    #[arg(required = true)]
    query: Vec<String>,
    #[arg(long, default_value_t = 20)]
    limit: usize,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[arg(long, value_enum)]
    format: ExportFormat,
    /// Only posts with at least one label.
    #[arg(long)]
    flagged: bool,
    /// Posts created on or after this day (YYYY-MM-DD, Beijing).
    #[arg(long)]
    since: Option<String>,
    /// Write here instead of stdout.
    #[arg(long)]
    out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on (default: `[review] listen`, 127.0.0.1:8090).
    #[arg(long)]
    listen: Option<SocketAddr>,
}

fn usage(msg: String) -> Exit {
    Exit {
        code: EXIT_CONFIG,
        error: Some(anyhow::anyhow!(msg)),
    }
}

fn review_err(e: ReviewError) -> Exit {
    let code = match e {
        ReviewError::Store(_) | ReviewError::Stale(_) => EXIT_FAILURE,
        ReviewError::NotFound(_) | ReviewError::NoLabels(_) => EXIT_CONFIG,
    };
    Exit {
        code,
        error: Some(e.into()),
    }
}

fn date(flag: &str, s: &Option<String>) -> Result<Option<chrono::DateTime<Utc>>, Exit> {
    match s {
        None => Ok(None),
        Some(s) => review::parse_date(s)
            .map(Some)
            .ok_or_else(|| usage(format!("{flag} `{s}` is not a date (YYYY-MM-DD)"))),
    }
}

fn classifier(cfg: &Config) -> Result<Classifier, Exit> {
    Ok(Classifier::load(
        cfg.classifier.signals_dir.as_deref(),
        cfg.classifier.user_dict.as_deref(),
    )?)
}

/// `search`: every stored post containing all the words.
pub async fn search(cfg: &Config, a: &SearchArgs) -> Result<i32, Exit> {
    let store = super::open_store(cfg).await?;
    let classifier = classifier(cfg)?;
    let query = a.query.join(" ");
    let posts = review::search(&store, &classifier.segmenter, &query, a.limit)
        .await
        .map_err(review_err)?;
    print_table(&posts).map_err(stdout_error)?;
    eprintln!("{} posts match `{query}`", posts.len());
    Ok(EXIT_OK)
}

/// `export`: posts as CSV or JSONL, to a file or stdout.
pub async fn export(cfg: &Config, a: &ExportArgs) -> Result<i32, Exit> {
    let store = super::open_store(cfg).await?;
    let q = QueueQuery {
        since: date("--since", &a.since)?,
        flagged_only: a.flagged,
        ..Default::default()
    };
    let n = match &a.out {
        Some(path) => {
            let file = std::fs::File::create(path)
                .with_context(|| format!("cannot create `{}`", path.display()))?;
            let mut w = std::io::BufWriter::new(file);
            review::export(&store, a.format, &q, &mut w)
                .await
                .with_context(|| format!("cannot write `{}`", path.display()))?
        }
        None => {
            let stdout = std::io::stdout();
            let mut lock = stdout.lock();
            review::export(&store, a.format, &q, &mut lock).await?
        }
    };
    eprintln!("{n} posts exported");
    Ok(EXIT_OK)
}

/// `serve`: the review desk until SIGTERM/SIGINT.
pub async fn serve(cfg: &Config, a: &ServeArgs) -> Result<i32, Exit> {
    let listen = a.listen.unwrap_or(cfg.review.listen);
    review::web::check_token(cfg.review.token.as_ref()).map_err(|e| usage(e.to_string()))?;
    let listener = review::web::bind(listen, cfg.review.token.is_some())
        .await
        .map_err(|e| usage(e.to_string()))?;
    let desk = review::web::Desk {
        store: super::open_store(cfg).await?,
        segmenter: classifier(cfg)?.segmenter,
        token: cfg.review.token.clone(),
    };
    let addr = listener.local_addr().map_err(anyhow::Error::from)?;
    // Tests and scripts read this line to find the port.
    outln!("review desk on http://{addr}/")?;
    std::io::stdout().flush().map_err(anyhow::Error::from)?;
    review::web::serve(listener, desk, crate::daemon::shutdown_signal())
        .await
        .context("the review desk stopped")?;
    Ok(EXIT_OK)
}

/// `review list|show|confirm|dismiss|stats`.
pub async fn review(cfg: &Config, command: &ReviewCommand) -> Result<i32, Exit> {
    let store = super::open_store(cfg).await?;
    match command {
        ReviewCommand::List(a) => {
            if let Some(x) = a.min_score {
                if !(0.0..=1.0).contains(&x) {
                    return Err(usage(format!("--min-score {x} is outside 0..1")));
                }
            }
            let q = QueueQuery {
                label: a.label,
                source: a.source.clone(),
                since: date("--since", &a.since)?,
                min_score: a.min_score,
                status: a.status,
                flagged_only: true,
                limit: Some(a.limit),
                ..Default::default()
            };
            let posts = store.review_queue(&q).await.map_err(anyhow::Error::from)?;
            print_table(&posts).map_err(stdout_error)?;
            Ok(EXIT_OK)
        }
        ReviewCommand::Show { id } => {
            let view = review::post_view(&store, *id).await.map_err(review_err)?;
            let colour = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            let stdout = std::io::stdout();
            print_post(&mut stdout.lock(), &view, colour).map_err(stdout_error)?;
            Ok(EXIT_OK)
        }
        ReviewCommand::Confirm {
            id,
            label,
            note,
            who,
            seen,
        } => {
            let action = Action::Confirm {
                labels: label.clone(),
            };
            decide(&store, *id, seen, &action, note, &who.name()).await
        }
        ReviewCommand::Dismiss {
            id,
            note,
            who,
            seen,
        } => decide(&store, *id, seen, &Action::Dismiss, note, &who.name()).await,
        ReviewCommand::Stats => {
            let s = review::stats(&store).await.map_err(review_err)?;
            let stdout = std::io::stdout();
            print_stats(&mut stdout.lock(), &s).map_err(stdout_error)?;
            Ok(EXIT_OK)
        }
    }
}

async fn decide(
    store: &AnyStore,
    id: i64,
    seen: &Seen,
    action: &Action,
    note: &str,
    reviewer: &str,
) -> Result<i32, Exit> {
    let expected = seen.expect_version;
    let v = review::review(store, id, expected, action, note, reviewer, Utc::now())
        .await
        .map_err(review_err)?;
    let what = review::verdicts_summary(&v);
    outln!(
        "post {id}: {what} (now {})",
        review::status_after(&v).as_str()
    )?;
    Ok(EXIT_OK)
}

fn labels_text(p: &ReviewPost) -> String {
    review::labels_summary(p)
}

fn print_table(posts: &[ReviewPost]) -> std::io::Result<()> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    writeln!(
        out,
        "{:>6}  {:<16}  {:<16}  {:<30}  {:<10}  text",
        "id", "time (Beijing)", "source", "labels", "status"
    )?;
    for p in posts {
        writeln!(
            out,
            "{:>6}  {:<16}  {:<16}  {:<30}  {:<10}  {}",
            p.id,
            review::beijing_minute(p.created_at),
            shown(&p.source_id),
            labels_text(p),
            p.status.as_str(),
            shown(&review::first_line(&p.full_text(), 60))
        )?;
    }
    Ok(())
}

/// ANSI: bold yellow on the evidence when writing to a terminal.
const ON: &str = "\x1b[1;33m";
const OFF: &str = "\x1b[0m";

pub fn print_post(out: &mut dyn Write, view: &PostView, colour: bool) -> std::io::Result<()> {
    let p = &view.post;
    writeln!(
        out,
        "post {} · {} ({}) · {} · {} Beijing · {}",
        p.id,
        shown(&p.source_name),
        shown(&p.source_id),
        shown(&p.author),
        review::beijing_minute(p.created_at),
        p.status.as_str()
    )?;
    writeln!(out, "{}", shown(&p.url))?;
    // What `review confirm|dismiss --expect-version` takes to refuse a verdict recorded since.
    writeln!(out, "verdict version {}", p.version)?;
    if p.edit_count > 0 {
        writeln!(out, "edited {} times", p.edit_count)?;
    }
    if p.truncated {
        writeln!(out, "preview only: the full text is not fetched yet")?;
    }
    writeln!(out)?;
    for piece in review::highlight(&p.full_text(), &p.labels) {
        match (&piece.mark, colour) {
            (None, _) => write!(out, "{}", shown(&piece.text))?,
            (Some(_), true) => write!(out, "{ON}{}{OFF}", shown(&piece.text))?,
            (Some(_), false) => write!(out, "[[{}]]", shown(&piece.text))?,
        }
    }
    writeln!(out, "\n")?;
    if p.labels.is_empty() {
        writeln!(out, "labels: none")?;
    }
    for l in &p.labels {
        writeln!(out, "{} ({}) {:.2}", l.label, l.label.english(), l.score)?;
        for e in &l.evidence {
            writeln!(out, "  {} — {}", e.term, e.gloss)?;
        }
    }
    if let Some(ex) = &p.explanation {
        writeln!(out, "explanation: {}", shown(ex))?;
    }
    if let Some(v) = &p.classifier_version {
        writeln!(out, "classifier: {v}")?;
    }
    if let Some((visibility, at, marker)) = &view.gone {
        writeln!(
            out,
            "gone: {visibility} (confirmed {at}): {}",
            shown(marker)
        )?;
    }
    if !view.versions.is_empty() {
        writeln!(out, "edits:")?;
        for v in &view.versions {
            writeln!(
                out,
                "  version {} · seen {} · edit count {}: {}",
                v.version,
                v.seen_at,
                v.edit_count,
                shown(&v.text)
            )?;
        }
    }
    if !view.reviews.is_empty() {
        writeln!(out, "reviews:")?;
        for r in &view.reviews {
            writeln!(
                out,
                "  {} {}: {} {}{}",
                review::beijing_minute(r.created_at),
                shown(&r.reviewer),
                r.label.map(Label::as_str).unwrap_or("post"),
                r.verdict.as_str(),
                if r.note.is_empty() {
                    String::new()
                } else {
                    format!(" — {}", shown(&r.note))
                }
            )?;
        }
    }
    if !view.alerts.is_empty() {
        writeln!(out, "alerts:")?;
        for a in &view.alerts {
            writeln!(
                out,
                "  {} → {}: {} ({} attempts)",
                a.label, a.channel_id, a.status, a.attempts
            )?;
        }
    }
    Ok(())
}

fn print_stats(out: &mut dyn Write, s: &review::Stats) -> std::io::Result<()> {
    let row = |out: &mut dyn Write, period: &str, l: Label, st: &review::LabelStats| {
        writeln!(
            out,
            "{:<8}  {:<14}  {:>8}  {:>9}  {:>9}  {:>5}  {:>9}",
            period,
            l.as_str(),
            st.reviewed,
            st.confirmed,
            st.dismissed,
            st.added,
            st.precision()
                .map(|p| format!("{p:.2}"))
                .unwrap_or_else(|| "-".into())
        )
    };
    writeln!(
        out,
        "{:<8}  {:<14}  {:>8}  {:>9}  {:>9}  {:>5}  {:>9}",
        "period", "label", "reviewed", "confirmed", "dismissed", "added", "precision"
    )?;
    for l in Label::ALL {
        row(
            out,
            "all",
            l,
            s.total.get(&l).unwrap_or(&Default::default()),
        )?;
    }
    for (month, labels) in &s.by_month {
        for (l, st) in labels {
            row(out, month, *l, st)?;
        }
    }
    Ok(())
}
