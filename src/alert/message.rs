//! The message: what an alert says (`AlertMessage`, stored in the outbox as JSON when the post
//! is flagged) and how each channel shows it (minijinja templates, rendered at send time so a
//! template fix applies to alerts already queued). Pure: no clock, no IO.

use chrono::{DateTime, FixedOffset, Utc};
use minijinja::value::Serde;
use minijinja::{context, Environment};
use serde::{Deserialize, Serialize};

use crate::classify::{Evidence, Label};

/// What a message is about.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Default)]
#[serde(rename_all = "lowercase")]
pub enum MessageKind {
    /// One flagged post.
    #[default]
    Post,
    /// Two or more sources raised the same label within the window.
    Corroborated,
    /// A source needs an operator (cookie, layout change, stale).
    Operator,
    /// Several alerts folded into one message (rate limit) or the daily digest.
    Digest,
}

impl MessageKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MessageKind::Post => "post",
            MessageKind::Corroborated => "corroborated",
            MessageKind::Operator => "operator",
            MessageKind::Digest => "digest",
        }
    }
}

/// A source named in a corroborated alert.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SourceMention {
    pub id: String,
    pub name: String,
    pub score: f64,
    pub post_url: String,
}

/// One alert inside a digest.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct DigestItem {
    pub title: String,
    pub label_name: String,
    pub score: f64,
    pub source_name: String,
    pub post_url: String,
    pub text: String,
    pub created_at_beijing: String,
}

/// What a channel receives (the webhook body; the data every template reads).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct AlertMessage {
    pub idempotency_key: String,
    pub title: String,
    /// `None` for operator alerts and digests.
    pub label: Option<Label>,
    pub label_name: String,
    pub score: f64,
    pub source: String,
    pub source_name: String,
    pub author: String,
    pub post_url: String,
    pub text: String,
    pub explanation: String,
    pub evidence: Vec<Evidence>,
    /// UTC, RFC 3339.
    pub created_at: String,
    pub created_at_beijing: String,
    #[serde(default)]
    pub created_at_utc: String,
    #[serde(default)]
    pub kind: MessageKind,
    /// "normal", or "high" for corroborated alerts.
    #[serde(default = "normal")]
    pub severity: String,
    /// The post on the review page (`[review] public_url`), filled in at send time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review_url: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<SourceMention>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<DigestItem>,
}

fn normal() -> String {
    "normal".into()
}

/// `YYYY-MM-DD HH:MM (Beijing)`, as alerts show a post's time.
pub fn beijing_label(t: DateTime<Utc>) -> String {
    let bj = FixedOffset::east_opt(8 * 3600).expect("UTC+8 is valid");
    t.with_timezone(&bj)
        .format("%Y-%m-%d %H:%M (Beijing)")
        .to_string()
}

pub fn utc(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M UTC").to_string()
}

/// The title analysts see first: "Negotiation signal · 玉渊谭天 · 0.93".
pub fn title(label: Label, who: &str, score: f64) -> String {
    format!("{} · {} · {:.2}", label.english(), who, score)
}

/// Cuts `text` to at most `max` characters, at the end of a sentence when one ends in the
/// last third, else mid-sentence; marks the cut with "…".
pub fn cut(text: &str, max: usize) -> String {
    let text = text.trim();
    if text.chars().count() <= max {
        return text.to_string();
    }
    let max = max.max(2);
    let head: Vec<char> = text.chars().take(max - 1).collect();
    let floor = head.len() * 2 / 3;
    let end = head
        .iter()
        .enumerate()
        .rev()
        .take_while(|(i, _)| *i >= floor)
        .find(|(_, c)| matches!(c, '。' | '！' | '？' | '；' | '!' | '?' | ';' | '\n'))
        .map(|(i, _)| i + 1)
        .unwrap_or(head.len());
    let mut out: String = head[..end].iter().collect();
    out.truncate(out.trim_end().len());
    out.push('…');
    out
}

/// Cuts rendered output to `max` bytes at a character boundary (services count bytes).
pub fn cut_bytes(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_string();
    }
    let mut end = max.saturating_sub('…'.len_utf8());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &text[..end])
}

/// The default templates: `text` (plain), `markdown` (DingTalk, Feishu, Discord), `slack`
/// (mrkdwn) and `email.html` (HTML-escaped).
pub const TEMPLATES: [(&str, &str); 4] = [
    ("text", include_str!("templates/text.j2")),
    ("markdown", include_str!("templates/markdown.j2")),
    ("slack", include_str!("templates/slack.j2")),
    ("email.html", include_str!("templates/email.html")),
];

/// Name under which a channel's override is registered.
const OVERRIDE: &str = "override";

fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_syntax(
        minijinja::syntax::SyntaxConfig::builder()
            .trim_blocks(true)
            .lstrip_blocks(true)
            .build()
            .expect("the default delimiters are valid"),
    );
    env.set_auto_escape_callback(|name| {
        if name.ends_with(".html") {
            minijinja::AutoEscape::Html
        } else {
            minijinja::AutoEscape::None
        }
    });
    env.add_filter("cut", |s: String, n: usize| cut(&s, n));
    env.add_filter("num", |x: f64| format!("{x:.2}"));
    for (name, src) in TEMPLATES {
        env.add_template(name, src)
            .expect("built-in templates compile (tested)");
    }
    env
}

/// Checks a template from the config compiles.
pub fn check_template(src: &str) -> Result<(), String> {
    let mut env = environment();
    env.add_template_owned(OVERRIDE, src.to_string())
        .map_err(|e| e.to_string())
}

/// How one channel shows a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    /// The default template (`text`, `markdown`, `slack`).
    pub template: &'static str,
    /// Characters of Chinese text shown for one post.
    pub text_limit: usize,
    /// Characters per post inside a digest.
    pub item_limit: usize,
    /// The service's cap on the whole message, in bytes (0 = none).
    pub max_bytes: usize,
}

/// The parts a channel sends.
#[derive(Debug, Clone, PartialEq)]
pub struct Rendered {
    pub title: String,
    pub body: String,
    /// The HTML part (e-mail only).
    pub html: Option<String>,
}

/// Renders a message in a channel's style, with its override template when it has one.
pub fn render(
    msg: &AlertMessage,
    style: Style,
    override_src: Option<&str>,
    with_html: bool,
) -> Result<Rendered, minijinja::Error> {
    let mut env = environment();
    let name = match override_src {
        Some(src) => {
            env.add_template_owned(OVERRIDE, src.to_string())?;
            OVERRIDE
        }
        None => style.template,
    };
    let ctx = context! {
        text_limit => style.text_limit,
        item_limit => style.item_limit,
        ..minijinja::Value::from(Serde(msg))
    };
    let body = env.get_template(name)?.render(&ctx)?;
    let body = tidy(&body);
    let body = if style.max_bytes > 0 {
        cut_bytes(&body, style.max_bytes)
    } else {
        body
    };
    let html = if with_html {
        Some(env.get_template("email.html")?.render(&ctx)?)
    } else {
        None
    };
    Ok(Rendered {
        title: msg.title.clone(),
        body,
        html,
    })
}

/// Trims trailing spaces and collapses runs of blank lines left by template branches.
fn tidy(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut blank = 0;
    for line in s.trim().lines() {
        let line = line.trim_end();
        if line.is_empty() {
            blank += 1;
            if blank > 1 {
                continue;
            }
        } else {
            blank = 0;
        }
        out.push_str(line);
        out.push('\n');
    }
    out.truncate(out.trim_end().len());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cut_prefers_sentence_ends_and_marks_the_cut() {
        let t = "中方对此表示欢迎。美方近期多次通过不同渠道向中方表达希望就关税问题举行会谈的意愿。谈，大门敞开。";
        assert_eq!(cut(t, 100), t);
        let c = cut(t, 45);
        assert!(c.ends_with("意愿。…"), "{c}");
        assert!(c.chars().count() <= 45);
        // No sentence end in the last third: cut mid-sentence.
        assert_eq!(cut(t, 20).chars().count(), 20);
        let c = cut("一二三四五六七八九十", 5);
        assert_eq!(c, "一二三四…");
        assert_eq!(cut_bytes("一二三四", 8), "一…");
    }
}
