//! Word segmentation with jieba-rs. Building the dictionary takes a fraction of a second, so a
//! `Segmenter` is built once per process and shared (`cut` takes `&self`).

use std::io::BufReader;
use std::path::Path;
use std::sync::Arc;

use anyhow::Context;
use jieba_rs::Jieba;

use super::normalize::{normalize, Normalized};

/// Trade terms and names that must segment as one word (config/dict/windvane.dict).
pub const BUILTIN_USER_DICT: &str = include_str!("../../config/dict/windvane.dict");

/// One word of the normalised text; positions are char indices into `Normalized::text`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub start: usize,
    pub end: usize,
    pub byte_start: usize,
    pub byte_end: usize,
}

/// A normalised text and its words.
#[derive(Debug, Clone)]
pub struct Segmented {
    pub norm: Normalized,
    pub tokens: Vec<Token>,
}

impl Segmented {
    pub fn word(&self, t: &Token) -> &str {
        &self.norm.text[t.byte_start..t.byte_end]
    }

    pub fn words(&self) -> impl Iterator<Item = &str> {
        self.tokens.iter().map(|t| self.word(t))
    }
}

#[derive(Clone)]
pub struct Segmenter {
    jieba: Arc<Jieba>,
}

impl std::fmt::Debug for Segmenter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Segmenter")
    }
}

impl Segmenter {
    /// jieba's default dictionary plus the built-in user dictionary, an optional user file,
    /// and `extra_words` (the classifier's rule terms, so each segments as one word).
    pub fn new<'a>(
        user_dict: Option<&Path>,
        extra_words: impl IntoIterator<Item = &'a str>,
    ) -> anyhow::Result<Segmenter> {
        let mut jieba = Jieba::new();
        jieba
            .load_dict(&mut BUILTIN_USER_DICT.as_bytes())
            .context("built-in user dictionary config/dict/windvane.dict is malformed")?;
        if let Some(path) = user_dict {
            let file = std::fs::File::open(path)
                .with_context(|| format!("cannot open user dictionary `{}`", path.display()))?;
            jieba
                .load_dict(&mut BufReader::new(file))
                .with_context(|| format!("user dictionary `{}` is malformed", path.display()))?;
        }
        for w in extra_words {
            if !w.is_empty() && w.chars().count() > 1 && !jieba.has_word(w) {
                jieba.add_word(w, Some(20_000), None);
            }
        }
        Ok(Segmenter {
            jieba: Arc::new(jieba),
        })
    }

    /// Normalises and segments raw text.
    pub fn segment(&self, raw: &str) -> Segmented {
        self.segment_normalized(normalize(raw))
    }

    /// Segments an already normalised text.
    pub fn segment_normalized(&self, norm: Normalized) -> Segmented {
        let tokens = self
            .jieba
            .cut(&norm.text, false)
            .into_iter()
            .map(|t| Token {
                start: t.start,
                end: t.end,
                byte_start: t.byte_start,
                byte_end: t.byte_end,
            })
            .collect();
        Segmented { norm, tokens }
    }

    /// The full-text index terms of a raw text (`text::search::index_terms`; no jieba).
    pub fn index_words(&self, raw: &str) -> String {
        super::search::index_terms(&normalize(raw).text)
    }
}

/// Whether a token is a word rather than punctuation or space: it has a letter or digit.
/// CJK ideographs and ASCII are answered without Unicode table look-ups (most tokens).
pub fn is_wordlike(w: &str) -> bool {
    w.chars().any(|c| {
        c.is_ascii_alphanumeric()
            || ('\u{4e00}'..='\u{9fff}').contains(&c)
            || (!c.is_ascii() && c.is_alphanumeric())
    })
}

impl Segmented {
    /// The full-text index terms of the text (`text::search::index_terms`): character
    /// n-grams of the normalised text, whatever the segmentation.
    pub fn index_words(&self) -> String {
        super::search::index_terms(&self.norm.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_dictionary_terms_stay_whole() {
        let seg = Segmenter::new(None, []).unwrap();
        let s = seg.segment("美方宣布对等关税，何立峰与贝森特举行经贸磋商。");
        let words: Vec<&str> = s.words().collect();
        for w in ["对等关税", "何立峰", "贝森特", "经贸磋商"] {
            assert!(words.contains(&w), "{w} not whole in {words:?}");
        }
    }

    #[test]
    fn tokens_cover_the_text_in_order() {
        let seg = Segmenter::new(None, []).unwrap();
        let s = seg.segment("中方 正进行评估");
        let joined: String = s.words().collect();
        assert_eq!(joined, s.norm.text);
    }
}
