//! Normalisation before matching: full-width → half-width, zero-width characters dropped,
//! whitespace runs collapsed to one space, URLs removed. Every normalised character remembers
//! the index of the original character it came from, so evidence can highlight the original.

/// Normalised text plus, for each of its characters, the char index in the original text.
#[derive(Debug, Clone, PartialEq)]
pub struct Normalized {
    pub text: String,
    /// `origin[i]` = char index in the original of normalised char `i`; one extra entry at the
    /// end holds the original's length, so a half-open span maps with `origin[end]`.
    pub origin: Vec<usize>,
}

impl Normalized {
    /// Maps a half-open span of normalised char indices to one in the original text.
    pub fn original_span(&self, start: usize, end: usize) -> (usize, usize) {
        let last = self.origin.len().saturating_sub(1);
        let s = self.origin[start.min(last)];
        // The end maps to one past the original index of the last char in the span.
        let e = if end == 0 {
            s
        } else {
            self.origin[(end - 1).min(last)] + 1
        };
        (s, e.max(s))
    }
}

fn is_ideograph(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

fn is_zero_width(c: char) -> bool {
    matches!(
        c,
        '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}'
    )
}

/// Full-width ASCII variants and the ideographic space to their half-width forms. CJK
/// punctuation (，。：) is kept: it marks sentence and clause ends for the rules.
fn half_width(c: char) -> char {
    match c {
        '\u{3000}' => ' ',
        '\u{FF01}'..='\u{FF5E}' => {
            let half = c as u32 - 0xFF01 + 0x21;
            match char::from_u32(half) {
                // Keep full-width comma/colon/semicolon/!/? as CJK clause marks are meaningful.
                Some(h) if h.is_ascii_alphanumeric() || "%+-./@#&$".contains(h) => h,
                _ => c,
            }
        }
        _ => c,
    }
}

/// Normalises `raw` for matching. Pure and allocation-light: one pass over the characters.
pub fn normalize(raw: &str) -> Normalized {
    let chars: Vec<char> = raw.chars().collect();
    let mut text = String::with_capacity(raw.len());
    let mut origin = Vec::with_capacity(chars.len() + 1);
    let mut i = 0;
    let mut pending_space: Option<usize> = None;
    while i < chars.len() {
        let c = chars[i];
        // Most characters are CJK ideographs or punctuation: kept as they are, no case.
        if ('\u{3001}'..='\u{9fff}').contains(&c) {
            if let Some(at) = pending_space.take() {
                // Characters spaced out for emphasis (中 美 经 贸 磋 商) are one word: a space
                // between two ideographs that each stand alone is dropped.
                let spaced_out = is_ideograph(c)
                    && chars.get(i + 1).is_none_or(|n| !is_ideograph(*n))
                    && origin.last().is_some_and(|&p| {
                        is_ideograph(chars[p]) && (p == 0 || !is_ideograph(chars[p - 1]))
                    });
                if !text.is_empty() && !spaced_out {
                    text.push(' ');
                    origin.push(at);
                }
            }
            text.push(c);
            origin.push(i);
            i += 1;
            continue;
        }
        // URLs carry no signal and confuse segmentation.
        if (c == 'h' || c == 'H') && starts_url(&chars[i..]) {
            while i < chars.len() && is_url_char(chars[i]) {
                i += 1;
            }
            pending_space.get_or_insert(i.saturating_sub(1));
            continue;
        }
        if is_zero_width(c) {
            i += 1;
            continue;
        }
        let c = half_width(c);
        // A thousands separator (2,500亿美元) is part of its number, not a clause break:
        // dropped, as the clause and sentence scans read every comma as one.
        if c == ',' && thousands_separator(&chars, i) {
            i += 1;
            continue;
        }
        if c.is_whitespace() {
            pending_space.get_or_insert(i);
            i += 1;
            continue;
        }
        if let Some(at) = pending_space.take() {
            if !text.is_empty() {
                text.push(' ');
                origin.push(at);
            }
        }
        if c.is_ascii() {
            text.push(c.to_ascii_lowercase());
            origin.push(i);
        } else if ('\u{3000}'..='\u{9fff}').contains(&c) {
            // CJK punctuation and ideographs have no case: skip the Unicode tables.
            text.push(c);
            origin.push(i);
        } else {
            for lc in c.to_lowercase() {
                text.push(lc);
                origin.push(i);
            }
        }
        i += 1;
    }
    origin.push(chars.len());
    let text = to_simplified(text, &mut origin);
    let text = cantonese_to_mandarin(text);
    Normalized { text, origin }
}

/// Characters written only in Cantonese, each with the Mandarin one it stands for (唔再加征 is
/// 不再加征). One for one, so the offset map stays exact.
const CANTONESE: &[(char, char)] = &[
    ('唔', '不'),
    ('嘅', '的'),
    ('咗', '了'),
    ('喺', '在'),
    ('佢', '他'),
    ('哋', '们'),
    ('啲', '些'),
    ('冇', '没'),
    ('嚟', '来'),
    ('睇', '看'),
    ('搵', '找'),
    ('俾', '给'),
];

/// Whether `c` is a key of `CANTONESE`, matched on the characters themselves: most posts have
/// none, and pass after one cheap scan.
fn is_cantonese(c: char) -> bool {
    matches!(
        c,
        '唔' | '嘅' | '咗' | '喺' | '佢' | '哋' | '啲' | '冇' | '嚟' | '睇' | '搵' | '俾'
    )
}

/// Cantonese posts (Hong Kong forums and outlets) read as Mandarin: the characters of
/// `CANTONESE`, and, in a post that has one of them, 倾 as "talk" (中美再倾贸易), not as
/// "lean" or "dump" (倾向, 倾销).
fn cantonese_to_mandarin(text: String) -> String {
    if !text.chars().any(is_cantonese) {
        return text;
    }
    let chars: Vec<char> = text.chars().collect();
    chars
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            if let Some(&(_, m)) = CANTONESE.iter().find(|&&(k, _)| k == c) {
                return m;
            }
            let talk = c == '倾'
                && !chars
                    .get(i + 1)
                    .is_some_and(|n| "销向斜听尽注诉覆泻倒巢城家力囊全心".contains(*n));
            if talk {
                '谈'
            } else {
                c
            }
        })
        .collect()
}

/// Whether the comma at `i` sits between a digit and exactly three digits (2,500 or
/// 1,200,000), not between two numbers of a list (1,2,3 or 10,20).
fn thousands_separator(chars: &[char], i: usize) -> bool {
    let digit = |k: usize| {
        chars
            .get(k)
            .is_some_and(|c| half_width(*c).is_ascii_digit())
    };
    i > 0 && digit(i - 1) && digit(i + 1) && digit(i + 2) && digit(i + 3) && !digit(i + 4)
}

/// Traditional → simplified (posts from Hong Kong and Taiwan outlets). Conversion is by
/// phrase; when it keeps the length (nearly always) the offset map stays as it is, otherwise
/// each character is converted on its own so the map stays exact.
fn to_simplified(text: String, origin: &mut [usize]) -> String {
    // Pure ASCII and common simplified text pass through the converter unchanged; skip it
    // for ASCII, which is cheap to detect.
    if text.is_ascii() || !text.chars().any(is_traditional) {
        return text;
    }
    let converted = zhconv::zhconv(&text, zhconv::Variant::ZhCN);
    if converted.chars().count() == text.chars().count() {
        return converted;
    }
    let _ = origin;
    let mut out = String::with_capacity(text.len());
    let mut buf = [0u8; 4];
    for c in text.chars() {
        let one = zhconv::zhconv(c.encode_utf8(&mut buf), zhconv::Variant::ZhCN);
        match (one.chars().next(), one.chars().count()) {
            (Some(s), 1) => out.push(s),
            _ => out.push(c),
        }
    }
    out
}

/// Whether `c` is a traditional character: a one-character key of zhconv's traditional →
/// simplified table. A text with none is taken as simplified and skips the converter, whose
/// scan was a sixth of classification time. What is given up: the converter also rewrites a
/// few phrases that hold no traditional character (Taiwan vocabulary in simplified script,
/// 著 → 着 after some verbs); among the 1,990 fixture and benchmark texts one changes (部分 →
/// 部份, which the rules do not care about). Characters beyond the BMP always convert.
fn is_traditional(c: char) -> bool {
    static TRADITIONAL: std::sync::OnceLock<Vec<u64>> = std::sync::OnceLock::new();
    let bits = TRADITIONAL.get_or_init(|| {
        let mut bits = vec![0u64; 0x1_0000 / 64];
        for table in zhconv::get_builtin_tables(zhconv::Variant::ZhHans) {
            for (from, to) in zhconv::tables::expand_table(*table) {
                let mut cs = from.chars();
                if let (Some(f), None) = (cs.next(), cs.next()) {
                    if from != to && (f as u32) < 0x1_0000 {
                        bits[f as usize / 64] |= 1 << (f as usize % 64);
                    }
                }
            }
        }
        bits
    });
    let i = c as usize;
    !c.is_ascii() && (i >= 0x1_0000 || bits[i / 64] & (1 << (i % 64)) != 0)
}

fn starts_url(chars: &[char]) -> bool {
    let prefix = |p: &str| {
        p.chars().count() <= chars.len()
            && p.chars()
                .zip(chars.iter())
                .all(|(a, b)| a == b.to_ascii_lowercase())
    };
    prefix("http://") || prefix("https://")
}

fn is_url_char(c: char) -> bool {
    c.is_ascii() && !c.is_ascii_whitespace() && !matches!(c, '"' | '<' | '>' | '）' | ')')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_width_zero_width_whitespace_urls() {
        let n = normalize("美方\u{200B}　希望  ＡＢＣ１２ 谈判 https://t.cn/A6x?u=1 关税");
        assert_eq!(n.text, "美方 希望 abc12 谈判 关税");
        assert_eq!(n.origin.len(), n.text.chars().count() + 1);
    }

    #[test]
    fn cantonese_reads_as_mandarin_one_for_one() {
        let raw = "中美喺倫敦再傾咗貿易，美國唔再加徵關稅";
        let n = normalize(raw);
        assert_eq!(n.text, "中美在伦敦再谈了贸易，美国不再加征关税");
        assert_eq!(n.origin.len(), n.text.chars().count() + 1);
        // The quick scan knows every character of the table.
        assert!(CANTONESE.iter().all(|&(k, _)| is_cantonese(k)));
        // 倾 is "talk" only in a Cantonese post, and never in 倾销.
        assert_eq!(normalize("傾銷調查唔會停").text, "倾销调查不会停");
        assert_eq!(normalize("中方傾向於談判").text, "中方倾向于谈判");
    }

    #[test]
    fn characters_spaced_out_for_emphasis_join() {
        let n = normalize("【中 美 经 贸 磋 商】取得进展 习近平 特朗普 通话");
        assert_eq!(n.text, "【中美经贸磋商】取得进展 习近平 特朗普 通话");
        let (s, e) = n.original_span(1, 3);
        assert_eq!((s, e), (1, 4));
    }

    #[test]
    fn thousands_separators_join_their_number() {
        let raw = "把2,500億美元中國商品、1,200,000噸大豆，以及1,2,3號清單";
        let n = normalize(raw);
        assert_eq!(
            n.text,
            "把2500亿美元中国商品、1200000吨大豆，以及1,2,3号清单"
        );
        let start = n.text.chars().position(|c| c == '亿').unwrap();
        let (s, e) = n.original_span(start - 4, start);
        assert_eq!(raw.chars().skip(s).take(e - s).collect::<String>(), "2,500");
    }

    #[test]
    fn spans_map_back_to_original() {
        let raw = "据悉，\u{200B}美方  主动接触中方";
        let n = normalize(raw);
        let start = n.text.chars().position(|c| c == '接').unwrap();
        let (s, e) = n.original_span(start, start + 2);
        let orig: String = raw.chars().skip(s).take(e - s).collect();
        assert_eq!(orig, "接触");
    }

    #[test]
    fn traditional_becomes_simplified_with_offsets_intact() {
        let raw = "美國公佈對華剩餘3000億美元關稅清單";
        let n = normalize(raw);
        assert_eq!(n.text, "美国公布对华剩余3000亿美元关税清单");
        let start = n.text.chars().position(|c| c == '关').unwrap();
        let (s, e) = n.original_span(start, start + 2);
        assert_eq!(raw.chars().skip(s).take(e - s).collect::<String>(), "關稅");
    }

    #[test]
    fn only_simplified_text_skips_the_converter() {
        // The labelled texts and benchmark posts, each as written and in traditional script.
        let root = env!("CARGO_MANIFEST_DIR");
        let (mut skipped, mut differs, mut total) = (0, 0, 0);
        for f in [
            "tests/fixtures/labelled/train.tsv",
            "tests/fixtures/labelled/test.tsv",
            "benches/fixtures/state_media_posts.txt",
        ] {
            let text = std::fs::read_to_string(format!("{root}/{f}")).unwrap();
            for line in text.lines() {
                let t = line.split('\t').next().unwrap_or(line);
                let hant = zhconv::zhconv(t, zhconv::Variant::ZhTW);
                for (t, traditional) in [(t, false), (hant.as_str(), true)] {
                    total += 1;
                    if t.chars().any(is_traditional) {
                        continue;
                    }
                    skipped += 1;
                    let converted = zhconv::zhconv(t, zhconv::Variant::ZhCN);
                    // A traditional rendering skips only if it has nothing to convert but
                    // 著 → 着, the trade-off `is_traditional` names (著 is also simplified:
                    // 意味著 as Taiwan writes 意味着; no codebook term holds 着).
                    assert!(
                        !traditional || converted == t || converted == t.replace('著', "着"),
                        "{t}"
                    );
                    differs += usize::from(converted != t);
                }
            }
        }
        // Nearly all simplified texts skip; hardly any of those would have changed.
        assert!(skipped * 5 > total * 2, "{skipped} of {total} skipped");
        assert!(
            differs * 500 <= skipped,
            "{differs} of {skipped} skipped would change"
        );
    }

    #[test]
    fn keeps_cjk_punctuation_and_topics() {
        let n = normalize("#中美经贸磋商#，@玉渊谭天：谈！");
        assert_eq!(n.text, "#中美经贸磋商#，@玉渊谭天：谈！");
    }
}
