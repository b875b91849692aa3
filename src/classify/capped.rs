//! Classification of a whole post: the classifier reads only its first
//! `MAX_CLASSIFIED_CHARS`, and a cut says so in the explanation. Used by the loop and by
//! `bulk` (import, reclassify), so a post classifies the same whichever way it arrived.

use super::{Classification, Classifier};

/// Characters of a post the classifier reads: classification time grows faster than the text,
/// and a trade signal sits in a post's first paragraphs. The stored text stays whole.
pub const MAX_CLASSIFIED_CHARS: usize = 20_000;

/// The part of a post the classifier reads (`MAX_CLASSIFIED_CHARS`), and whether it is cut.
pub fn classified_part(text: &str) -> (&str, bool) {
    match text.char_indices().nth(MAX_CLASSIFIED_CHARS) {
        Some((at, _)) => (&text[..at], true),
        None => (text, false),
    }
}

/// Classifies a post's text, only its first `MAX_CLASSIFIED_CHARS` characters; a cut is
/// recorded in the explanation that analysts and alerts see.
pub fn classify_capped(classifier: &Classifier, text: &str) -> (Classification, String) {
    let (part, cut) = classified_part(text);
    let (mut c, words) = classifier.classify_indexed(part);
    if cut {
        note_cut(&mut c, text);
    }
    (c, words)
}

/// Records in the explanation that only the first `MAX_CLASSIFIED_CHARS` of `text` were read.
pub fn note_cut(c: &mut Classification, text: &str) {
    let note = format!(
        "(Classified on the first {MAX_CLASSIFIED_CHARS} of {} characters.)",
        text.chars().count()
    );
    c.explanation = if c.explanation.is_empty() {
        note
    } else {
        format!("{} {note}", c.explanation)
    };
}
