//! Search terms: what the full-text index stores for a text, and the index query for what an
//! analyst typed, so that a search finds exactly the posts containing the typed string.
//!
//! jieba's words made a poor index: a word inside a longer token (磋商 in 经贸磋商) was never
//! found, and a prefix query over words matched strings that were not there (中美 in 中美洲).
//! The index therefore holds character n-grams, independent of any segmenter: every run of
//! letters and digits (CJK or not) becomes its overlapping bigrams followed by its last
//! character. A query string of n ≥ 3 characters is then the phrase of its n − 1 bigrams, which
//! matches exactly where the string occurs (a phrase of bigrams cannot cross from one run into
//! the next, as the run's last character sits between them); two characters are one bigram,
//! and one character is a prefix query (bigrams starting with it, or it as a run's last
//! character). Spaces and punctuation separate query words; a post must contain every word.
//!
//! Both sides go through `normalize` (full-width, case, traditional → simplified), so 關稅
//! finds 关税 and ＷＴＯ finds wto.

use super::normalize::normalize;

/// Characters that make up runs: letters and digits of any script.
fn is_run_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// The runs of letters and digits of a normalised text, in order.
fn runs(norm: &str) -> impl Iterator<Item = &str> {
    norm.split(|c: char| !is_run_char(c))
        .filter(|r| !r.is_empty())
}

/// Index terms of an already normalised text, space-separated for FTS5's `ascii` tokenizer
/// (which splits on ASCII spaces and keeps every non-ASCII character in a token).
pub fn index_terms(norm: &str) -> String {
    let mut out = String::with_capacity(norm.len() * 2);
    for run in runs(norm) {
        let mut prev: Option<char> = None;
        for c in run.chars() {
            if let Some(p) = prev {
                if !out.is_empty() {
                    out.push(' ');
                }
                out.push(p);
                out.push(c);
            }
            prev = Some(c);
        }
        if let Some(last) = prev {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push(last);
        }
    }
    out
}

/// The index condition for one run of a query word.
fn run_condition(run: &str) -> String {
    let chars: Vec<char> = run.chars().collect();
    match chars.len() {
        // Runs hold only letters and digits, so no quote needs escaping.
        1 => format!("\"{}\"*", chars[0]),
        _ => {
            let grams: Vec<String> = chars.windows(2).map(|w| w.iter().collect()).collect();
            format!("\"{}\"", grams.join(" "))
        }
    }
}

/// A search as the index runs it: an FTS5 expression over [`index_terms`].
#[derive(Debug, Clone, PartialEq)]
pub struct SearchQuery {
    /// The FTS5 MATCH expression: every word required.
    pub match_expr: String,
    /// The normalised query words: the runs of letters and digits typed (spaces and
    /// punctuation separate words, as an analyst separates them: `关税，谈判` is two words).
    pub words: Vec<String>,
}

impl SearchQuery {
    /// What an analyst typed, or `None` when it holds no letter or digit.
    pub fn parse(typed: &str) -> Option<SearchQuery> {
        let norm = normalize(typed).text;
        let mut words: Vec<String> = runs(&norm).map(str::to_string).collect();
        words.sort();
        words.dedup();
        let conditions: Vec<String> = words.iter().map(|w| run_condition(w)).collect();
        (!conditions.is_empty()).then(|| SearchQuery {
            match_expr: conditions.join(" AND "),
            words,
        })
    }

    /// Whether a post's full text (not normalised) contains every query word: what the index
    /// answers, stated plainly (for tests and checks).
    pub fn accepts(&self, text: &str) -> bool {
        let norm = normalize(text).text;
        self.words.iter().all(|w| norm.contains(w.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_are_bigrams_then_the_last_character_of_each_run() {
        assert_eq!(index_terms("中美经贸磋商"), "中美 美经 经贸 贸磋 磋商 商");
        assert_eq!(
            index_terms("暂停90天, wto 会"),
            "暂停 停9 90 0天 天 wt to o 会"
        );
        assert_eq!(index_terms(""), "");
        assert_eq!(index_terms("，。"), "");
    }

    #[test]
    fn query_expressions() {
        let q = |s: &str| SearchQuery::parse(s).map(|q| q.match_expr);
        assert_eq!(q("磋商").as_deref(), Some("\"磋商\""));
        assert_eq!(q("高级别磋商").as_deref(), Some("\"高级 级别 别磋 磋商\""));
        assert_eq!(q("税").as_deref(), Some("\"税\"*"));
        assert_eq!(q("中美 　關稅").as_deref(), Some("\"中美\" AND \"关税\""));
        assert_eq!(q("关税，谈判！").as_deref(), Some("\"关税\" AND \"谈判\""));
        assert_eq!(q("，。 \" *"), None);
    }

    #[test]
    fn fts_syntax_is_data_not_operators() {
        let q = SearchQuery::parse("tariff\" OR NEAR(x").unwrap();
        assert_eq!(
            q.match_expr,
            "\"ne ea ar\" AND \"or\" AND \"ta ar ri if ff\" AND \"x\"*"
        );
    }

    #[test]
    fn accepts_states_what_the_index_answers() {
        let q = SearchQuery::parse("中美 磋商").unwrap();
        assert!(q.accepts("中美经贸高级别磋商"));
        assert!(!q.accepts("美中经贸磋商"));
    }
}
