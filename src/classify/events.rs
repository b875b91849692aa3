//! Event coding: who did what to whom, with which instrument, how much, and in which mode.
//! Pure: normalised text in, events out. Labels are derived from events (talks = contact or
//! agreement between China and the US; de_escalation = an easing; escalation = imposing,
//! raising, threatening or vowing; purchase = China buying US goods), and each event renders
//! the English sentence alerts carry.
//!
//! The coder works sentence by sentence over the codebook's leftmost-longest matches: an
//! action's actor is the side named before it in its clause (else in its sentence, else the
//! previous sentence's actor), its target a side marked by 对/向/与… or named after it. An
//! event counts only when both its sides are China and the US (a third party in the clause
//! ends it) and it is about trade (an instrument, a trade topic or a trade negotiator).

use serde::{Deserialize, Serialize};

use super::codebook::{Action, ActionClass, Codebook, Cue, Kind, Pair, SideId, CHN, USA};
use super::{Evidence, Label};
use crate::text::Normalized;

/// How an event is reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    Actual,
    Planned,
    Threatened,
    Conditional,
    /// A recap of earlier events ("此前…"): still reported, as LABELS.md asks.
    Recap,
    Denied,
    /// Only a principle ("对话协商是正确途径"): no event.
    Principle,
    /// A demand for an easing ("要求美方取消"): not an easing.
    Demanded,
    /// Named as the subject spoken about ("关于中美经贸磋商，…") or as what was breached
    /// ("违背…会晤共识"): not reported as happening.
    Mentioned,
    /// Forecast or proposed by someone who is no side: an analyst, a bank, the market, a
    /// scholar ("野村证券预计，美方将…加征25%关税"): not an act.
    Forecast,
}

impl Mode {
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Actual => "actual",
            Mode::Planned => "planned",
            Mode::Threatened => "threatened",
            Mode::Conditional => "conditional",
            Mode::Recap => "recap",
            Mode::Denied => "denied",
            Mode::Principle => "principle",
            Mode::Demanded => "demanded",
            Mode::Mentioned => "mentioned",
            Mode::Forecast => "forecast",
        }
    }
}

/// One coded event. Offsets are char indices into the original text (the action's words).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub actor: String,
    pub action: String,
    pub target: Option<String>,
    pub instrument: Option<String>,
    pub magnitude: Option<String>,
    pub mode: Mode,
    pub start: usize,
    pub end: usize,
    /// The label the event stands for, when its mode lets it count.
    pub label: Option<Label>,
    /// The event in one English sentence.
    pub sentence: String,
}

/// Everything the coder found in one text: events, evidence and the trade gate.
#[derive(Debug, Clone, Default)]
pub struct Coded {
    pub events: Vec<Event>,
    /// Whether the text is in trade context at all (an instrument, topic or negotiator).
    pub trade: bool,
    pub hedged: bool,
    pub evidence: [Vec<Evidence>; 4],
    /// Model features: the kinds of event coded (`talks:meet:actual`, …).
    pub features: Vec<String>,
    /// Where each label's evidence starts: a term is listed once, found in constant time
    /// (a run-on clause of thousands of acts would otherwise rescan the list per term).
    evidence_at: [std::collections::HashSet<usize>; 4],
}

impl Coded {
    /// The labels that have at least one counting event.
    pub fn has_event(&self, l: Label) -> bool {
        self.events.iter().any(|e| e.label == Some(l))
    }
}

/// A matched term with its place in the normalised text.
#[derive(Debug, Clone, Copy)]
struct Mention {
    /// Char offsets into the normalised text.
    start: usize,
    end: usize,
    pattern: usize,
    sentence: usize,
    clause: usize,
}

/// Characters that end a sentence or a clause for the coder.
fn is_sentence_end(c: char) -> bool {
    matches!(
        c,
        '。' | '！' | '？' | '!' | '?' | '；' | ';' | '\n' | '…' | '【' | '】' | '#'
    )
}

/// Whether the comma at `i` follows a measure named as a topic (…的措施，将推迟…) and comes
/// right before a verb that postpones or suspends it.
/// The clause after it must go on without a subject of its own (将, 被 or the verb itself:
/// …的决定，中方暂停… has one; a subject that declares the hold, 川普政府宣布延后两周实施,
/// does not count after a measure named as such), and the verb must have no object of its own (将暂停从中国进口
/// 大豆 has one): only a date, a span or 实施 may follow it (将自1月1日起被暂停三个月,
/// 将延后至10月15日实施, 将于12月15日起恢复加征).
fn topic_comma(chars: &[char], i: usize) -> bool {
    const TOPICS: [&str; 7] = [
        "的措施",
        "的计划",
        "的决定",
        "的时间",
        "的举措",
        "的安排",
        "的规定",
    ];
    // (A cut too, said of the tariff named before: …加征的15%关税，将于2月14日起减半至7.5%.)
    const HOLDS: [&str; 21] = [
        "推迟",
        "延后",
        "暂停",
        "暂缓",
        "押后",
        "延期",
        "延迟",
        "推后",
        "恢复",
        "延至",
        "停止",
        "不再",
        "暂不",
        "免征",
        "撤回",
        "撤销",
        "取消",
        "减半",
        "降至",
        "下调至",
        "调降至",
    ];
    // Adverbs between the subject and the hold (宣布已经取消, 决定无限期推迟).
    const ADVERBS: [&str; 7] = ["一律", "均", "已经", "已", "将", "无限期", "经评估后"];
    if !matches!(chars[i], '，' | ',') {
        return false;
    }
    // (Closing quotes are skipped: 对24%的“对等关税”，双方均暂停实施90天.)
    let mut end = i;
    while end > 0 && matches!(chars[end - 1], '”' | '」' | '"' | '’' | '』') {
        end -= 1;
    }
    let before: String = chars[end.saturating_sub(3)..end].iter().collect();
    // A notice named by number and then spelled out (暂停实施2024年第46号公告第二款，即有关
    // 镓、锗、锑…对美国出口的相关规定): what it says is the object of the verb before.
    if chars.get(i + 1) == Some(&'即')
        && !chars
            .get(i + 2)
            .is_some_and(|c| "将使便日时可刻".contains(*c))
        && ["公告", "款", "号令", "规定", "决定"]
            .iter()
            .any(|w| before.ends_with(w))
    {
        return true;
    }
    // A tariff rate as the topic of its new level (…加征的关税税率，10%的调整为5%): one
    // clause, the rate and its change.
    if before.ends_with("税率") {
        let next: String = chars[i + 1..].iter().take(14).collect();
        // (An adverb may come first: …税率，分别调降至5%和2.5%.)
        let next = ["分别", "均", "统一", "一律"]
            .iter()
            .find_map(|w| next.strip_prefix(w))
            .map_or(next.clone(), str::to_string);
        let bare = next
            .trim_start_matches(['由', '从'])
            .trim_start_matches(|c: char| c.is_ascii_digit() || c == '%' || c == '.')
            .trim_start_matches('的');
        return (next.starts_with(|c: char| c.is_ascii_digit() || c == '由' || c == '从')
            || !bare.is_empty() && bare.len() == next.len())
            && [
                "调整为",
                "调整至",
                "下调至",
                "下调为",
                "降至",
                "降为",
                "降低至",
                "降低为",
                "调降至",
                "调降为",
                "调低至",
                "减至",
                "降到",
            ]
            .iter()
            .any(|v| bare.starts_with(v));
    }
    // Firms put on a list, named first with 对 (对…列入不可靠实体清单的17家美国实体，自5月14日
    // 起暂停实施相关处理措施90天): the hold is of the measures on them.
    let listed_firms = || {
        let clause: String = chars[clause_start(chars, i)..end].iter().collect();
        clause.starts_with('对')
            && ["清单", "名单"].iter().any(|w| clause.contains(w))
            && ["实体", "企业", "公司"].iter().any(|w| before.ends_with(w))
    };
    if !(TOPICS.iter().any(|t| before == *t)
        || before.ends_with("关税")
        // (Port fees too: …包括对中国船舶收取的港口服务费，暂停实施一年.)
        || ["港口费", "服务费", "港务费"].contains(&before.as_str())
        || before == "关税中"
        || listed_firms())
    {
        return false;
    }
    let next: String = chars[i + 1..]
        .iter()
        .take(20)
        .take_while(|&&c| !is_clause_end(c) && !is_sentence_end(c))
        .collect();
    // (A share of the tariff put first counts as no subject: …关税中，24%暂停实施90天.)
    // (Nor does 其中 before the share of a tariff named as levied, …加征的34%的对等关税，
    // 其中24%暂停实施90天; a tariff announced with its share held, 宣布加征34%的对等关税，其中
    // 24%暂停…, is news of both.)
    // (A part of the goods as the subject, …的计划，部分品项将延至12月15日实施, is the
    // plan's share too.)
    let next = ["部分品项", "部分商品", "部分产品", "部分清单"]
        .iter()
        .find_map(|p| next.strip_prefix(p))
        .map_or(next.clone(), |rest| rest.to_string());
    if next.starts_with("其中") {
        let clause: String = chars[clause_start(chars, i)..i].iter().collect();
        if !["加征的", "征收的", "实施的"]
            .iter()
            .any(|w| clause.contains(w))
        {
            return false;
        }
    }
    let bare = next
        .trim_start_matches("其中")
        .trim_start_matches(|c: char| c.is_ascii_digit() || c == '%' || c == '.');
    // (A date the hold takes effect is no subject: …关税，自下月起不再执行.)
    let bare = match bare
        .strip_prefix(['自', '从'])
        .and_then(|b| b.split_once('起'))
    {
        Some((date, rest)) if date.chars().count() <= 10 => rest,
        _ => bare,
    };
    // (Nor is the date it is moved from: …的时间，从10月1日推迟至10月15日.)
    let bare = match bare.strip_prefix('从').and_then(|b| {
        HOLDS
            .iter()
            .filter_map(|h| b.find(h))
            .min()
            .filter(|&k| b[..k].chars().count() <= 10 && b[..k].contains(['月', '日']))
            .map(|k| &b[k..])
    }) {
        Some(rest) => rest,
        None => bare,
    };
    let bare = bare.strip_prefix("一律").unwrap_or(bare);
    // (A time before the verb is no subject: 24%在初始90天内暂停实施.)
    let bare = match bare
        .strip_prefix('在')
        .and_then(|b| b.find('内').map(|k| &b[k + '内'.len_utf8()..]))
    {
        Some(rest) if rest.chars().count() + 12 >= bare.chars().count() => rest,
        _ => bare,
    };
    let subjectless = bare.starts_with(['将', '被']) || HOLDS.iter().any(|h| bare.starts_with(h));
    let Some((at, hold)) = HOLDS.iter().find_map(|h| next.find(h).map(|at| (at, h))) else {
        return false;
    };
    let rest = next[at + hold.len()..]
        .trim_start_matches("实施")
        .trim_start_matches("执行");
    let alone = rest.is_empty()
        || rest.starts_with(['至', '到', '半', '期'])
        || rest.starts_with(|c: char| c.is_ascii_digit() || "一二两三四五六七八九十".contains(c))
        || *hold == "恢复" && (rest.starts_with("加征") || rest.starts_with("征收"));
    // A subject that declares the hold (…的措施，川普政府宣布延后两周实施) keeps the measure
    // its object too, when the measure is named as such (not a bare 关税).
    let subject = &next[..at];
    let subject = ADVERBS
        .iter()
        .find_map(|w| subject.strip_suffix(w))
        .unwrap_or(subject);
    let declared = TOPICS.iter().any(|t| before == *t)
        && subject.chars().count() <= 10
        && ["宣布", "决定", "表示", "同意", "称"]
            .iter()
            .any(|d| subject.ends_with(d));
    // So does the pair or a side after a clause opened by 对 (对24%的对等关税，双方均暂停
    // 实施90天): what it holds off is the tariff named.
    let opened_by_dui = chars[clause_start(chars, i)..].first() == Some(&'对');
    let sides_hold = opened_by_dui
        && ["双方", "两国", "中方", "美方", "中美", "美中"]
            .iter()
            .any(|w| next[..at].starts_with(w))
        && next[..at].chars().count() <= 4;
    (subjectless || declared || sides_hold)
        && (alone || listed_firms() && (anaphoric_measures(rest) || rest.starts_with('《')))
}

/// What a topic comma is read as: neither a clause end nor a space (a space between words
/// separates parts of a headline for the sides, see `space_between_words`).
const TOPIC_JOINER: char = '\u{2060}';

/// Whether a side is one of the two that count.
fn us_or_china(s: SideId) -> bool {
    s == CHN || s == USA
}

/// Whether the act at `a` is told as done before what follows: 后, 以后, 之后 or 以来 right
/// after it (关税大幅下调后), or 已 just before it.
fn done_before(chars: &[char], a: &Mention) -> bool {
    let after: String = chars.iter().skip(a.end).take(3).collect();
    let before: String = chars[a.start.saturating_sub(3)..a.start].iter().collect();
    ["后", "以后", "之后", "以来"]
        .iter()
        .any(|w| after.starts_with(w))
        || before.contains('已')
}

/// Whether the ministry `term` at `start` belongs to the party whose name ends at `end`:
/// right after it (印度商务部长, 日本外交部) or after the rest of the ministry's own name
/// (韩国企划财政部, 印度商工部), a few characters with no pause or conjunction between.
fn ministry_of_the_party_before(chars: &[char], end: usize, start: usize, term: &str) -> bool {
    MINISTRIES.contains(&term)
        && end <= start
        && start - end <= 4
        && !chars[end..start]
            .iter()
            .any(|&c| !is_cjk(c) || "与和同及对向在的".contains(c))
}

/// China, the US and their leaders, as a meeting's other side is named after a venue.
const SIDE_LEADERS: [&str; 8] = [
    "中国",
    "美国",
    "中方",
    "美方",
    "习近平",
    "特朗普",
    "川普",
    "拜登",
];

/// The text from each partner China or the US is named as, after 与 or 同 (与中方代表…,
/// 同习近平…): where what is done with it is read.
fn after_partner(text: &str) -> impl Iterator<Item = &str> {
    ["与", "同"].into_iter().flat_map(move |w| {
        text.match_indices(w)
            .map(move |(i, _)| &text[i + w.len()..])
            .filter(|rest| SIDE_LEADERS.iter().any(|p| rest.starts_with(p)))
    })
}

/// Whether the place at `m` is where a meeting is held: 在 right before it and a word of
/// meeting soon after it in its clause (在阿根廷会晤, 在大阪G20峰会期间).
fn venue_at(chars: &[char], m: &Mention) -> bool {
    const MEETING: [&str; 10] = [
        "会晤", "会谈", "举行", "峰会", "磋商", "谈判", "召开", "期间", "会面", "通话",
    ];
    let after: String = clause_text_after(chars, m.end).chars().take(10).collect();
    // The two sides must be named before it in the clause (美国在越南举行贸易谈判 is the US
    // and Vietnam).
    let before: String = chars[clause_start(chars, m.start)..m.start]
        .iter()
        .collect();
    // Or the meeting's other side named after the place (计划在韩国与中国国家主席习近平
    // 会晤), a city of it maybe between (在瑞士日内瓦与中方牵头人…举行会谈).
    let longer: String = clause_text_after(chars, m.end).chars().take(24).collect();
    let with_side = longer
        .chars()
        .take(5)
        .any(|c| matches!(c, '与' | '同' | '和'))
        && SIDE_LEADERS.iter().any(|p| longer.contains(p))
        && MEETING.iter().any(|w| longer.contains(w));
    // (Or the other side named with 与 before 在: 他将于本月底与中方代表在欧洲会面.)
    let partner_before = after_partner(&before).next().is_some();
    let at = m.start > 0
        && chars[m.start - 1] == '在'
        && (MEETING.iter().any(|w| after.contains(w))
            && (["中美", "美中", "两国", "双方"]
                .iter()
                .any(|p| before.contains(p))
                || partner_before)
            || with_side);
    // Or the place right after the leaders of the pair and right before the meeting, as a
    // chronology writes it (中美元首阿根廷会晤).
    let after_leaders = ["元首", "首脑", "领导人", "经贸团队"]
        .iter()
        .any(|w| before.ends_with(w))
        && ["中美", "美中", "两国", "双方"]
            .iter()
            .any(|p| before.contains(p))
        && {
            let next: String = after.chars().take(5).collect();
            MEETING.iter().any(|w| next.contains(w))
        };
    // Or the place opening the clause with a summit held there, the pair's meeting after it
    // (阿根廷G20峰会期间川习共进晚宴).
    let clause: String = clause_text_after(chars, m.end);
    let summit = before.is_empty()
        && clause.find("期间").is_some_and(|at| {
            let (head, tail) = clause.split_at(at);
            head.chars().count() <= 8
                && ["峰会", "G20", "g20", "APEC", "apec", "二十国集团"]
                    .iter()
                    .any(|w| head.contains(w))
                && [
                    "中美",
                    "美中",
                    "两国",
                    "双方",
                    "川习",
                    "习川",
                    "特习",
                    "习特",
                    "习近平",
                ]
                .iter()
                .any(|p| tail.contains(p))
        });
    // Or the place a side travels to for a meeting with the other (赴瑞士与美方牵头人举行
    // 会谈).
    // (Also with the occasion between: 前往南韩出席亚太经合会期间与习近平会面.)
    let wider: String = clause_text_after(chars, m.end).chars().take(28).collect();
    let meets_side_later =
        after_partner(&wider).any(|rest| MEETING.iter().any(|w| rest.contains(w)));
    let travelled_to = (with_side || meets_side_later)
        && ["赴", "前往", "飞赴", "抵达"]
            .iter()
            .any(|w| before.ends_with(w));
    at || after_leaders || summit || travelled_to
}

/// Whether the institution at `m` (世贸组织) is named for its rules or frame (按照世贸组织规则,
/// 在世贸组织框架下), not as a party.
fn rules_of(chars: &[char], m: &Mention, p: &super::codebook::Pattern) -> bool {
    const FRAMES: [&str; 7] = ["规则", "框架", "原则", "规定", "协定", "义务", "精神"];
    ["世贸组织", "世卫组织", "联合国"].contains(&p.term.as_str()) && {
        let after: String = chars[m.end..].iter().take(3).collect();
        FRAMES.iter().any(|f| after.starts_with(f))
    } || complaint_forum(chars, m, p)
}

/// Whether the WTO at `m` is where a complaint goes (向世贸组织追加起诉, 诉诸世贸组织): the
/// forum of one side's case against the other, not a party to it.
fn complaint_forum(chars: &[char], m: &Mention, p: &super::codebook::Pattern) -> bool {
    p.term == "世贸组织" && {
        let before: String = chars[m.start.saturating_sub(2)..m.start].iter().collect();
        let after: String = chars[m.end..].iter().take(8).collect();
        before.ends_with('向')
            || before.ends_with('到')
            || before == "诉诸"
            || ["起诉", "申诉", "诉讼", "争端解决"]
                .iter()
                .any(|w| after.contains(w))
    }
}

/// A space between two Chinese characters separates the parts of a headline or a post
/// (美对华芯片禁令 中国外交部回应：…) as a comma would; spaces inside Latin names do not.
/// Whether the space at `i` separates two parts of a headline (美國撤銷中興出口禁令　美企
/// 可恢復供貨): between words of Chinese, and not inside a clause spaced out, where a hold, a
/// modal or a negation goes on with the words before it (美国对华加征关税 暂停90天, 美方：
/// 不会 取消对华关税).
fn headline_space(chars: &[char], i: usize) -> bool {
    // (A rate may end the words before it: 美对华芬太尼关税降至10% 中方恢复采购美国大豆.)
    let word_end = |c: char| is_cjk(c) || c == '%';
    // (Or a Latin name run straight into the next words: 暂停部分美国农产品采购 USDA仍报告
    // 对华销售; not a name set apart, 美国贸易代表办公室 USTR 宣布.)
    let latin_opens_words = || {
        let run = chars[i + 1..]
            .iter()
            .take_while(|c| c.is_ascii_alphabetic())
            .count();
        run > 0 && chars.get(i + 1 + run).copied().is_some_and(is_cjk)
    };
    if !(chars[i].is_whitespace()
        && word_end(chars[i - 1])
        && (is_cjk(chars[i + 1]) || is_cjk(chars[i - 1]) && latin_opens_words()))
    {
        return false;
    }
    // (A rate and the tariff it sizes stay together: 征收34% 对等关税.)
    let next: String = chars[i + 1..].iter().take(2).collect();
    if chars[i - 1] == '%'
        && ["关税", "对等", "附加", "额外", "报复", "惩罚", "税率"].contains(&next.as_str())
    {
        return false;
    }
    let after: String = chars[i + 1..].iter().take(2).collect();
    let before: String = chars[i.saturating_sub(2)..i].iter().collect();
    ![
        "暂", "推迟", "延", "将", "不", "没", "自", "于", "至", "到", "取消", "也", "的",
    ]
    .iter()
    .any(|w| after.starts_with(w))
        && !["不会", "不", "将", "没有", "会", "要", "已", "再"]
            .iter()
            .any(|w| before.ends_with(w))
}

pub(super) fn is_cjk(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

fn is_clause_end(c: char) -> bool {
    matches!(c, '，' | ',' | '：' | ':')
}

/// Characters before a side that make it the target rather than the actor (对美, 向中方,
/// 原产于美国, 美国商务部将华为…列入: the object of 将/把, 28家中国实体: counted firms).
/// Whether the side at `start` is the object of 将/把/对/向 with only a count between (将多间
/// 中国企业纳入实体清单, 把部分美国实体列入): the side is what the measure falls on.
fn object_of_ba(chars: &[char], start: usize) -> bool {
    const COUNT: &str =
        "0123456789一二三四五六七八九十百千多数几家余间個个批些部分其所有上述更有关相又再另新堆";
    // 将 + a relative clause + 的 + the side (将受出口管制的中国实体…纳入管制范围).
    if start > 0 && chars[start - 1] == '的' {
        let from = back_units(chars, start, 13);
        let before = &chars[from..start - 1];
        // (Or 对 + a relative clause: 对部分列入不可靠实体清单的美国企业，暂停实施相关措施.)
        let after_dui = |j: usize| {
            before[j] == '对' && (from + j == 0 || !"反应面绝相".contains(chars[from + j - 1]))
        };
        if let Some(j) = before
            .iter()
            .enumerate()
            .rposition(|(j, &c)| c == '将' || c == '把' || after_dui(j))
        {
            let after_ba = before.get(j + 1).copied();
            let clean = !before[j..]
                .iter()
                .any(|&c| is_clause_end(c) || is_sentence_end(c));
            if clean
                && !matches!(
                    after_ba,
                    Some('于' | '在' | '会' | '要' | '来' | '近' | '对')
                )
            {
                return true;
            }
        }
    }
    // 将 + named firms + 等 + the side (将洛克希德·马丁等美国军工企业列入…).
    if start > 0 && chars[start - 1] == '等' {
        let from = start.saturating_sub(16);
        if let Some(j) = chars[from..start - 1]
            .iter()
            .rposition(|&c| c == '将' || c == '把')
        {
            if !chars[from + j..start]
                .iter()
                .any(|&c| is_clause_end(c) || is_sentence_end(c))
            {
                return true;
            }
        }
    }
    let mut i = start;
    let mut skipped = 0;
    while i > 0 && skipped < 6 {
        let c = chars[i - 1];
        if matches!(c, '将' | '把') {
            return skipped > 0;
        }
        // 对 + a count + the side (对部分中国医疗物资给予关税排除), unless 对 ends a verb
        // (反对, 应对, 面对, 绝对, 相对).
        if c == '对' {
            let verb = i > 1 && "反应面绝相".contains(chars[i - 2]);
            return skipped > 0 && !verb;
        }
        // So does 向 (中方向部分美国企业发放稀土出口许可), unless it ends a word (转向, 面向,
        // 倾向, 意向; 方向, but not 中方向 or 美方向).
        if c == '向' {
            let word = i > 1
                && ("转面走倾导指朝意动去志".contains(chars[i - 2])
                    || chars[i - 2] == '方' && (i < 3 || !"中美双我".contains(chars[i - 3])));
            return skipped > 0 && !word;
        }
        if !COUNT.contains(c) {
            return false;
        }
        i -= 1;
        skipped += 1;
    }
    false
}

/// The index `n` units before `at`, where a run of Latin letters, digits and spaces is one
/// unit: a brand (Calvin Klein和Tommy Hilfiger品牌的美国PVH集团) is a word, not a dozen.
fn back_units(chars: &[char], at: usize, n: usize) -> usize {
    let mut i = at;
    for _ in 0..n {
        if i == 0 {
            break;
        }
        if chars[i - 1].is_ascii_alphanumeric() {
            while i > 0 && (chars[i - 1].is_ascii_alphanumeric() || chars[i - 1] == ' ') {
                i -= 1;
            }
        } else {
            i -= 1;
        }
    }
    i
}

fn marks_target(c: char) -> bool {
    matches!(
        c,
        '对' | '向'
            // 应中方请求: at the request of, not the actor.
            | '应'
            | '与'
            | '同'
            | '和'
            | '跟'
            | '自'
            | '从'
            | '给'
            | '及'
            | '于'
            | '将'
            | '把'
            | '家'
    )
}

/// Whether the count starting at `start` (50个国家, 以上的国家和地区 after 75个) follows 等 that
/// closes a list naming China or the US in the same clause: `spans` are the (start, end, side)
/// of the side mentions read so far.
fn sums_up_a_list(chars: &[char], start: usize, spans: &[(usize, usize, SideId)]) -> bool {
    let mut i = start;
    while i > 0 && (chars[i - 1].is_ascii_digit() || "个多余几数十百千".contains(chars[i - 1]))
    {
        i -= 1;
    }
    if i == 0 || chars[i - 1] != '等' {
        return false;
    }
    let etc = i - 1;
    spans.iter().rev().take(6).any(|&(_, end, side)| {
        us_or_china(side)
            && end <= etc
            && etc - end <= 16
            && !chars[end..etc]
                .iter()
                .any(|&c| is_clause_end(c) || is_sentence_end(c))
    })
}

/// Titles that introduce an official by name after a country's (墨西哥总统辛鲍姆), longest
/// first.
const OFFICIAL_TITLES: &[&str] = &[
    "外交部长",
    "财政部长",
    "商务部长",
    "贸易部长",
    "经济部长",
    "贸易代表",
    "副总理",
    "总统",
    "总理",
    "首相",
    "外长",
    "财长",
    "大臣",
    "部长",
    "大使",
];

/// Characters that begin no name after a title (总统表示, 总统在…, 总统与…).
const NOT_A_NAME_START: &str = "表宣称说在于与和对将已也都是的了就向会被把从同此周今日月年曾再又还亦则即并而及等后前时当为所本该";

/// Whether the side named at `start` is a partner marked by 与/和/同/跟, with at most a title
/// between (与国家主席习近平, 与美国总统): the other party is the subject before it.
fn partnered_across_title(chars: &[char], start: usize) -> bool {
    let before: String = chars[clause_start(chars, start)..start].iter().collect();
    let bare = PARTNER_TITLES
        .iter()
        .find_map(|t| before.strip_suffix(t))
        .unwrap_or(&before);
    bare.ends_with(['与', '和', '同', '跟'])
}

/// Titles between 与 and a leader's name.
const PARTNER_TITLES: &[&str] = &[
    "国家主席",
    "国务院副总理",
    "国务院总理",
    "副总理",
    "副主席",
    "副总统",
    "总统",
    "总理",
    "首相",
    "主席",
    "国务卿",
];

/// Whether 在…基础上 at `m` is the manner of an act, not a principle: offered before it
/// (中方愿在平等、尊重、互惠的基础上与美方…磋商) or done after it (双方在…原则的基础上，已就
/// 协议文本达成一致).
fn basis_of_an_act(chars: &[char], m: &Mention) -> bool {
    let opened: String = chars[clause_start(chars, m.start)..m.start]
        .iter()
        .collect();
    let after: String = chars[m.end.min(chars.len())..]
        .iter()
        .take_while(|&&c| !is_sentence_end(c))
        .take(16)
        .collect();
    // (Or agreed before it: 中美元首…同意在平等和相互尊重的基础上重启经贸磋商.)
    ["愿", "准备", "同意", "决定"]
        .iter()
        .any(|w| opened.contains(w))
        || ["已", "达成", "同意", "签署"]
            .iter()
            .any(|w| after.contains(w))
}

/// The longest text coded: a cap keeps a pathological post linear and bounded.
pub const MAX_CODED_CHARS: usize = 20_000;

impl Codebook {
    fn mentions(&self, text: &str) -> (Vec<Mention>, Vec<char>) {
        let mut chars: Vec<char> = text.chars().take(MAX_CODED_CHARS).collect();
        // A measure named as the topic before a comma (…上调至30%的措施，将推迟至10月15日
        // 实施) is the object of the postponement after it: one clause. The comma is read as
        // a space (same length), so every clause scan sees it too.
        let topic_commas: Vec<usize> = (1..chars.len())
            .filter(|&i| topic_comma(&chars, i))
            .collect();
        for &i in &topic_commas {
            chars[i] = TOPIC_JOINER;
        }
        // A space between two words of Chinese is a headline's separator (美國撤銷中興出口禁令
        // 　美企可恢復供貨): a clause end, as the mentions' clause numbers count it, so the
        // clause scans over these characters stop there too.
        let headline_spaces: Vec<usize> = (1..chars.len().saturating_sub(1))
            .filter(|&i| headline_space(&chars, i))
            .collect();
        for &i in &headline_spaces {
            chars[i] = '，';
        }
        let byte_limit = text
            .char_indices()
            .nth(MAX_CODED_CHARS)
            .map_or(text.len(), |(b, _)| b);
        let text = &text[..byte_limit];
        // A date's 日 is not Japan: "6日美国" must read 美国, not the pair 日美 (Japan–US).
        // 号 has the same length in chars and bytes, so every offset stays the same.
        let dated = undate(text);
        // 中 before a word is "in" or "among", not China: 清单中加征 must not read the pair 中加
        // (China–Canada) and lose 加征. 〇 has the same length in chars and bytes.
        let dated = match unpair(&dated) {
            std::borrow::Cow::Owned(s) => std::borrow::Cow::Owned(s),
            std::borrow::Cow::Borrowed(_) => dated,
        };
        let mut out = Vec::new();
        // Walk characters once alongside the matches: char offsets, sentence and clause.
        let (mut byte, mut ch, mut sentence, mut clause) = (0usize, 0usize, 0usize, 0usize);
        let mut iter = text.char_indices().peekable();
        // 美加 before 征/税 is the US imposing (回应美加征关税), not the US and Canada: the
        // pair is read as 美 and the matching starts again at 加.
        let us = self.patterns.iter().position(|p| p.term == "美");
        let mut from = 0;
        while let Some(found) = self
            .matcher
            .find(aho_corasick::Input::new(&*dated).span(from..dated.len()))
        {
            let split = us.filter(|_| {
                let rest = &dated[found.end()..];
                // (Not a tax treaty: 美加税收协定.)
                self.patterns[found.pattern().as_usize()].term == "美加"
                    && (rest.starts_with('征')
                        || rest.starts_with('税')
                            && !["税收", "税务", "税制", "税法"]
                                .iter()
                                .any(|w| rest.starts_with(w)))
            });
            let m = match split {
                Some(us) => {
                    aho_corasick::Match::must(us, found.start()..found.start() + '美'.len_utf8())
                }
                None => found,
            };
            from = m.end();
            while let Some(&(b, c)) = iter.peek() {
                if b >= m.start() {
                    break;
                }
                if is_sentence_end(c) {
                    sentence += 1;
                    clause += 1;
                } else if (is_clause_end(c) && !topic_commas.contains(&ch))
                    || headline_spaces.binary_search(&ch).is_ok()
                {
                    clause += 1;
                }
                ch += 1;
                byte = b + c.len_utf8();
                iter.next();
            }
            let _ = byte;
            let len = text[m.start()..m.end()].chars().count();
            let pattern = m.pattern().as_usize();
            if !self.patterns[pattern].kinds.is_empty() {
                out.push(Mention {
                    start: ch,
                    end: ch + len,
                    pattern,
                    sentence,
                    clause,
                });
            }
        }
        self.officials_named_in_post(&mut out, &chars);
        self.ministries_listed_with_a_us_organ(&mut out, &chars);
        (out, chars)
    }

    /// A bare ministry listed right after a US organ (与美国贸易代表署、商务部保持密切联系)
    /// is that government's ministry, not China's: it takes the US ministry's pattern.
    fn ministries_listed_with_a_us_organ(&self, out: &mut [Mention], chars: &[char]) {
        for i in 1..out.len() {
            let term = self.patterns[out[i].pattern].term.as_str();
            if !matches!(term, "商务部" | "财政部") {
                continue;
            }
            let (prev, m) = (&out[i - 1], &out[i]);
            // (A closing bracket may end the organ: 美国贸易代表署（USTR）、商务部.)
            let mut sep = prev.end;
            while matches!(chars.get(sep), Some('）' | ')')) {
                sep += 1;
            }
            let listed = sep + 1 == m.start && matches!(chars.get(sep), Some('、' | '和' | '及'));
            let us_organ = self.patterns[prev.pattern].kinds.contains(&Kind::Side(USA));
            if !(listed && us_organ) {
                continue;
            }
            let us_term = format!("美国{term}");
            if let Some(p) = self.patterns.iter().position(|p| p.term == us_term) {
                out[i].pattern = p;
            }
        }
    }

    /// A third country's official introduced by title and name (墨西哥总统辛鲍姆) names that
    /// country wherever the name recurs in the post (…特朗普与辛鲍姆通话): no dictionary can
    /// list every foreign minister. The name is the longest run of two to four characters
    /// after the title that occurs again; each later occurrence becomes a mention of the
    /// country.
    fn officials_named_in_post(&self, out: &mut Vec<Mention>, chars: &[char]) {
        let third = |m: &Mention| {
            self.patterns[m.pattern]
                .kinds
                .iter()
                .any(|k| matches!(k, Kind::Side(s) if *s != CHN && *s != USA))
        };
        // Each name is looked for once, and only the first few names: a post that repeats
        // titles thousands of times must stay linear.
        const MAX_NAMES: usize = 8;
        // (A name found nowhere else, or only inside other terms, 墨西哥总统辛鲍姆 where
        // 辛鲍姆 is itself in the codebook, is still looked for only once: at most this many
        // candidate names are tried in all.)
        const MAX_TRIED: usize = 32;
        let mut seen: Vec<&[char]> = Vec::new();
        let mut tried: Vec<&[char]> = Vec::new();
        let mut learned: Vec<(usize, usize, usize)> = Vec::new();
        // Mentions are in text order, their ends too (leftmost-longest matches).
        let overlaps = |i: usize, len: usize| {
            let k = out.partition_point(|o| o.end <= i);
            out.get(k).is_some_and(|o| o.start < i + len)
        };
        for m in out.iter().filter(|m| third(m)) {
            if seen.len() >= MAX_NAMES {
                break;
            }
            let Some(title) = OFFICIAL_TITLES.iter().find(|t| word_at(chars, m.end, t)) else {
                continue;
            };
            let from = m.end + title.chars().count();
            let run = chars[from.min(chars.len())..]
                .iter()
                .take(4)
                .take_while(|c| is_cjk(**c) || **c == '·')
                .count();
            if run < 2 || NOT_A_NAME_START.contains(chars[from]) {
                continue;
            }
            for len in (2..=run).rev() {
                let name = &chars[from..from + len];
                if seen.contains(&name) || tried.contains(&name) || tried.len() >= MAX_TRIED {
                    break;
                }
                tried.push(name);
                let later: Vec<usize> = (from + len..chars.len().saturating_sub(len - 1))
                    .filter(|&i| &chars[i..i + len] == name)
                    .filter(|&i| !overlaps(i, len))
                    .collect();
                if !later.is_empty() {
                    seen.push(name);
                    learned.extend(later.into_iter().map(|i| (i, i + len, m.pattern)));
                    break;
                }
            }
        }
        if learned.is_empty() {
            return;
        }
        learned.sort_unstable();
        let (mut at, mut sentence, mut clause) = (0, 0, 0);
        for (start, end, pattern) in learned {
            for &c in &chars[at..start] {
                if is_sentence_end(c) {
                    sentence += 1;
                    clause += 1;
                } else if is_clause_end(c) {
                    clause += 1;
                }
            }
            at = start;
            out.push(Mention {
                start,
                end,
                pattern,
                sentence,
                clause,
            });
        }
        out.sort_by_key(|m| m.start);
        out.dedup_by_key(|m| m.start);
    }

    /// Codes the events of one normalised text.
    pub fn code(&self, norm: &Normalized) -> Coded {
        let (mut mentions, chars) = self.mentions(&norm.text);
        // "Any country" in a post whose only named foreign party is the US (坚决反对任何国家
        // 根据自身国内法对中国实体实施单边制裁…中方已就此事向美方提出了严正交涉) is the US
        // veiled: it names no third party.
        let side_here = |s: SideId| {
            mentions
                .iter()
                .any(|m| self.kinds(m).any(|k| *k == Kind::Side(s)))
        };
        if side_here(USA) {
            let veiled = |m: &Mention| VEILED_US.contains(&self.pat(m).term.as_str());
            let other_third = mentions.iter().any(|m| {
                !veiled(m)
                    && self
                        .kinds(m)
                        .any(|k| matches!(k, Kind::Side(x) if *x != CHN && *x != USA))
            });
            if !other_third {
                mentions.retain(|m| !veiled(m));
            }
        }
        // 恢复 alone restores relief named after it (恢复…大豆输华资格); before anything else
        // (恢复加征关税, 恢复磋商) it is no act of its own.
        // Before a tariff (恢复更高水平的关税, 关税将恢复至34%) it reinstates the tariff.
        // 建立 and 扩大 are acts only on the lists they set up or widen (建立“不可靠实体清单”
        // 制度, 将实体清单管制扩大至…子公司); elsewhere (建立磋商机制, 扩大开放) they are not.
        mentions.retain(|m| match self.patterns[m.pattern].term.as_str() {
            // An outlet named for a country (德国之声, 美国之音) is no party.
            _ if ["之声", "之音"].iter().any(|w| word_at(&chars, m.end, w))
                && self.kinds(m).any(|k| matches!(k, Kind::Side(_))) =>
            {
                false
            }
            "建立" => sets_up_a_list(&chars, m),
            // Stopping the grant of licences (停止向中国商飞发放…出口许可) is the grant
            // withheld, coded at 发放 (see `code_action`): no easing of its own.
            "停止" | "暂停" | "中止"
                if {
                    let after: String = clause_text_after(&chars, m.end).chars().take(30).collect();
                    after
                        .find("发放")
                        .is_some_and(|g| g <= 14 * 3 && after[g..].contains("许可"))
                } =>
            {
                false
            }
            // Blocking, vetoing or ordering is an investment restriction only before an
            // acquisition or a sale (阻止一家中国企业收购…, 责令…出售其在美业务).
            "阻止" | "否决" | "责令" | "勒令" => {
                let after: String = clause_text_after(&chars, m.end).chars().take(24).collect();
                ["收购", "并购", "出售", "剥离"]
                    .iter()
                    .any(|w| after.contains(w))
            }
            // A case opened is a trade investigation only under competition or trade-remedy
            // law (涉嫌违反《反垄断法》立案调查), not a police case.
            "立案调查" | "开展进一步调查" => {
                sentence_has(&chars, m.start, &["垄断", "倾销", "补贴", "市场监管"])
            }
            // Case-by-case review replaces a presumption of denial (由"推定拒绝"调整为"逐案
            // 审查"): licences eased, only with the denial named before it.
            "逐案审查" | "逐案审批" => chars[sentence_start(&chars, m.start)..m.start]
                .iter()
                .collect::<String>()
                .contains("推定拒绝"),
            "资质" | "资格" => {
                let before = clause_text_before(&chars, m.start, 16);
                ["输华", "对华出口", "输美", "对美出口"]
                    .iter()
                    .any(|w| before.contains(w))
            }
            "扩大" => widens_a_list(&chars, m),
            // Names added to a list (美方新增27家中国实体进入出口管制名单): only with the list
            // after it in its clause (新增病例 is no act).
            "新增" => {
                let after: String = clause_text_after(&chars, m.end).chars().take(24).collect();
                ["清单", "名单"].iter().any(|w| after.contains(w))
            }
            // A ban on a film, a visit or a flight (解除对一部美国电影的上映禁令) is no trade
            // ban.
            "禁令" => !NON_TRADE_BANS
                .iter()
                .any(|w| clause_text(&chars, m.start).contains(w)),
            // A flow to China halted or resumed (美国对华大豆出口中断, 对华高粱出口在中断五个
            // 月后重新恢复) is China's purchases seen from the seller's side: only with the
            // flow to China named before it in its clause.
            "出口中断" | "出口停滞" | "出口陷入停滞" | "出口为零" | "出口量为零" | "出口归零"
            | "销售中断" | "销售停滞" | "出口恢复" | "出口重启" | "重新恢复" | "重新启动"
            | "重新活跃" => flow_to_china_before(&chars, m),
            // Raising or cutting a forecast, a rating or a balance (上调中国今年GDP增长预测至
            // 4.6%) is no tariff move.
            _ if self
                .action_at(m)
                .is_some_and(|x| matches!(x.id.as_str(), "raise" | "cut"))
                && figure_raised_or_cut(&chars, m) =>
            {
                false
            }
            // A refusal (驳回, 不予批准…) counts only with a licence beside it.
            _ if self.action_at(m).is_some_and(|x| x.id == "refuse_licence") => {
                licence_beside(&chars, m)
            }
            "讨论" => discussed_with_a_partner(&chars, m),
            // Tariffs paid (企业此前已缴纳的加征关税) or collected at a new rate (按调整后的税率
            // 征收) are money, not a measure.
            "加征关税" | "加征" | "征收"
                if {
                    let before = clause_text_before(&chars, m.start, 12);
                    before.ends_with("缴纳的")
                        || before.ends_with("缴纳")
                        || before.ends_with("支付的")
                        || ["按调整后", "按照调整后", "按新"]
                            .iter()
                            .any(|w| before.contains(w))
                } =>
            {
                false
            }
            // Measures taken that were told before (两国政府将于5月14日前采取上述措施) are
            // those measures, coded where told.
            "采取"
                if ["上述", "以上", "前述", "上列"].iter().any(|w| {
                    clause_text_after(&chars, m.end)
                        .trim_start_matches(['了', '的'])
                        .starts_with(w)
                }) =>
            {
                false
            }
            // A carrier's surcharge (多家船公司宣布自6月1日起征收旺季附加费) is freight.
            "征收" if after_has(&chars, m.end, 12, &["附加费"]) => false,
            // Duty at the original rate (对清单所列商品，按原税率征税) is what an exclusion
            // leaves, not a levy.
            "征税" | "征收"
                if ["按原税率", "按原关税税率", "按照原税率"]
                    .iter()
                    .any(|w| clause_text_before(&chars, m.start, 8).ends_with(w)) =>
            {
                false
            }
            // Measures carried on (其他对美加征关税措施继续实施) are the status quo.
            "实施" if m.start >= 2 && word_at(&chars, m.start - 2, "继续") => false,
            // Purchases carried out (已经开始实施采购美国大豆) impose nothing.
            "实施" => {
                let after: String = clause_text_after(&chars, m.end).chars().take(2).collect();
                !["采购", "购买"].contains(&after.as_str())
            }
            // A truce as the subject of its troubles (美中贸易休战出现裂痕, 休战前景不明) is
            // news of the truce at risk, not one agreed.
            "休战" | "休兵" | "贸易休战" | "关税休战"
                if [
                    "出现裂痕",
                    "出现变数",
                    "前景",
                    "面临",
                    "破裂",
                    "告急",
                    "岌岌可危",
                    "生变",
                ]
                .iter()
                .any(|w| {
                    clause_after(&chars, m.end)
                        .take(6)
                        .collect::<String>()
                        .starts_with(w)
                }) =>
            {
                false
            }
            // Sales to China stopped (停止对华芯片设计软件（EDA）销售) are coded at the sale, as
            // exports halted; the stop is no easing of its own.
            "停止" | "暂停" | "中止"
                if {
                    let after: String = clause_text_after(&chars, m.end)
                        .chars()
                        .filter(|c| !"（）()".contains(*c) && !c.is_ascii_alphabetic())
                        .take(16)
                        .collect();
                    (after.starts_with("对华") || after.starts_with("向中国"))
                        && ["销售", "出售"].iter().any(|w| after.contains(w))
                } =>
            {
                false
            }
            // A pause button pressed (双边贸易基本就是按下暂停键了) is a figure of speech.
            "暂停" if chars.get(m.end) == Some(&'键') => false,
            // Ready to take measures (随时准备采取必要措施) offers no talks.
            "随时准备" => {
                let after: String = clause_text_after(&chars, m.end).chars().take(3).collect();
                !["采取", "应对", "反制", "作出", "回应", "反击"]
                    .iter()
                    .any(|w| after.starts_with(w))
            }
            // Dealings with someone suspended (谷歌随后宣布暂停与华为部分业务往来, 公司暂停与
            // 晋华的合作研发) cut ties; they ease nothing.
            "暂停" | "中止" | "停止"
                if ['与', '和', '同']
                    .iter()
                    .any(|&c| chars.get(m.end) == Some(&c)) =>
            {
                false
            }
            // Necessary measures spelled out at once as a levy (美国贸易代表办公室称，正在采取
            // 必要措施，对剩余约3000亿美元的输美商品征收关税) are the levy, not a counter-move:
            // the levy is coded on its own.
            // (Nor measures to make a deal work: 致力于采取必要措施确保协议成功.)
            "必要措施" | "必要的措施" | "一切必要措施" => {
                !spelled_out_as_levy(&chars, m)
                    && !["确保", "保证", "推动", "落实", "促进"]
                        .iter()
                        .any(|w| word_at(&chars, m.end, w))
            }
            // A side's request granted (应中国副总理刘鹤的请求，将…关税上调延后) is a contact
            // between the sides: with 应 opening the phrase and a side named in it.
            "的请求" => {
                let before = clause_text_before(&chars, m.start, 16);
                before.starts_with('应') || before.contains("应中") || before.contains("应美")
            }
            // Results or figures published (公布对华贸易政策评估结果) propose no measure.
            // (Nor the details of a deal: 美方公布中美经贸安排细节.)
            // (Nor a review's result: 公布对原产于中国的…轮胎反倾销第七次行政复审终裁结果.)
            // 公开 publishes a measure only when a list follows (公开了对约3000亿美元中国输美商品
            // 加征关税的清单); 公开表示 and 公开信 publish nothing.
            "公布" | "公开" => {
                let after: String = clause_text_after(&chars, m.end).chars().take(28).collect();
                let near: String = after.chars().take(14).collect();
                (self.patterns[m.pattern].term != "公开" || after.contains("清单"))
                    && !after.contains("复审")
                    && ![
                        "结果",
                        "评估",
                        "数据",
                        "统计",
                        "细节",
                        "事实清单",
                        "全文",
                        "成果",
                    ]
                    .iter()
                    .any(|w| near.contains(w))
            }
            // Progress of the relationship at large (视美中关系整体进展而定) is no progress in
            // talks.
            // (Nor how events unfold: 中方将密切关注事态进展.)
            "进展" => {
                let before = clause_text_before(&chars, m.start, 6);
                ![
                    "关系", "事态", "局势", "形势", "情况", "采购", "购买", "进口", "政策", "后续",
                    "工作", "补贴", "停摆",
                ]
                .iter()
                .any(|w| before.contains(w))
            }
            // Approvals sped up are rare earths let through only with rare earths named after
            // them (加快审批对美国企业的稀土磁铁出口许可).
            "加快审批" => clause_text_after(&chars, m.end)
                .chars()
                .take(20)
                .collect::<String>()
                .contains("稀土"),
            // Weighing an offer is talks; weighing an impact is not (企业表示正在评估影响,
            // 白宫正在评估对美国农民的影响).
            "正进行评估" | "正在评估" | "正在进行评估" => {
                let after: String = clause_text_after(&chars, m.end).chars().take(10).collect();
                !["影响", "风险", "后果", "损失", "冲击"]
                    .iter()
                    .any(|w| after.contains(w))
            }
            // Rare-earth export applications are let through only when approved (依法审批符合
            // 条件的稀土出口申请), and an approval only of applications with rare earths named
            // before it in the sentence (…稀土出口问题…，符合条件的申请将予以批准).
            "稀土出口申请" => ["审批", "批准", "受理", "放行", "核发"]
                .iter()
                .any(|w| clause_text_before(&chars, m.start, 16).contains(w)),
            "予以批准" => {
                let from = sentence_start(&chars, m.start);
                let before: String = chars[from..m.start].iter().collect();
                before.contains("稀土") && before.contains("申请")
            }
            // 达成 alone is an agreement reached only with the agreement named after it in its
            // clause and what it settles between (中美在日内瓦达成暂停部分关税的协议, 他对达成的
            // 协议感到满意), not a target met (达成目标) nor a deal hoped for (争取达成一个互利
            // 双赢的协议).
            "达成" => {
                let after: String = clause_text_after(&chars, m.end).chars().take(24).collect();
                let before = clause_text_before(&chars, m.start, 12);
                let settled = ["关税", "管制", "休战", "采购", "的协议", "的共识", "的框架"]
                    .iter()
                    .any(|w| after.contains(w));
                // (A truce reached names its deal in one word: 双方在釜山达成休兵.)
                let truce = ["休兵", "休战", "停火"]
                    .iter()
                    .any(|w| after.starts_with(w));
                (truce
                    || settled
                        && ["协议", "共识", "协定", "框架", "谅解"]
                            .iter()
                            .any(|w| after.contains(w)))
                    && ![
                        "争取",
                        "希望",
                        "能否",
                        "能不能",
                        "早日",
                        "力争",
                        "推动",
                        "期待",
                    ]
                    .iter()
                    .any(|w| before.contains(w))
                    && !["互利", "双赢", "一个", "一份", "某种"]
                        .iter()
                        .any(|w| after.contains(w))
            }
            // The two sides agreeing (双方同意将…关税降低10个百分点) is an agreement reached;
            // anyone else's consent (国会同意, 同意退货) is not.
            "同意" => {
                // Adverbs may stand between the pair and the verb (美中已同意, 双方都同意).
                let at = before_adverbs(&chars, m.start);
                ["双方", "两国", "中美", "美中", "双方均", "双方一致"]
                    .iter()
                    .any(|w| {
                        at.checked_sub(w.chars().count())
                            .is_some_and(|from| word_at(&chars, from, w))
                    })
                    // (So do the two capitals joined: 北京和华盛顿同意将关税休战延长90天.)
                    || {
                        let before = clause_text_before(&chars, m.start, 12);
                        ['和', '与', '同', '跟'].iter().any(|j| before.contains(*j))
                            && ["北京", "中国", "中方"].iter().any(|w| before.contains(w))
                            && ["华盛顿", "华府", "美国", "美方"]
                                .iter()
                                .any(|w| before.contains(w))
                    }
            }
            // (So are countermeasures on people: 对美国国会议员等6人实施反制.)
            // (The goods a countermeasure fell on, 已实施加征关税的对美反制商品, are named, not
            // countered anew.)
            "反制" if ["商品", "产品"].iter().any(|w| word_at(&chars, m.end, w)) => false,
            "制裁" | "制裁措施" | "反制" | "反制措施" => {
                !sanctions_on_people(&chars, m)
            }
            // Goods held at the border are a trade measure; people, luggage, contraband and
            // fakes held are not (入境时被美国海关扣留, 扣押一批走私入境的手机).
            "扣留" | "扣押" | "暂扣" | "扣货" => {
                let from = m.start.saturating_sub(30);
                let to = (m.end + 30).min(chars.len());
                let near: String = chars[from..to].iter().collect();
                !NOT_TRADE_DETENTIONS.iter().any(|w| near.contains(w))
            }
            // A renewal counts only refused (拒绝续期…出口豁免, 不续期…临时通用许可证): a
            // renewal suspended (暂停…注册续期) is the suspension's object.
            "续期" | "续发" => refused_right_before(&chars, m.start),
            // Plain words of rising (涨到, 加到, 翻了一番) raise a tariff only with the tariff
            // named shortly before them (美方把对华关税一路加到145%), not an index or a price.
            "加到" | "加至" | "涨到" | "涨至" | "翻了一番" | "翻一番" | "再翻一番" | "拉到"
            | "拉至" | "减到" | "减至" | "减返" | "砍了一半" | "砍一半" | "打对折"
            | "打了个对折" => {
                let before = clause_text_before(&chars, m.start, 20);
                ["关税", "税率"].iter().any(|w| before.contains(w))
            }
            // Plain words of taking off (撤了, 拿掉) lift a levy or a listing named shortly
            // before them (对美加征的那层税撤掉了, 从加税名单里拿掉), not a post or a stall.
            "撤了" | "撤掉" | "撤返" | "拿掉" => {
                let before = clause_text_before(&chars, m.start, 20);
                ['税', '单', '制'].iter().any(|w| before.contains(*w))
            }
            // Controlled items (管制物项) are goods, not a control imposed.
            // (Approving their export is no control: 审批管制物项出口申请.)
            "管制" => {
                !chars[m.end..].starts_with(&['物', '项'])
                    || !["申请", "审批", "许可", "放行"]
                        .iter()
                        .any(|w| clause_text(&chars, m.start).contains(w))
            }
            _ => true,
        });
        mentions.retain(|m| {
            self.patterns[m.pattern].term != "恢复"
                || restores_relief(&chars, m)
                || reinstates_tariff(&chars, m)
        });
        // Whether the post is in Taiwan's voice: read from the text at most once, and only
        // when a first person or the trade gate asks.
        let taiwan = std::cell::OnceCell::new();
        let taiwan_post = || {
            *taiwan.get_or_init(|| {
                TAIWAN_VOICE.iter().any(|t| norm.text.contains(t))
                    || names_taiwans_economy_ministry(&chars)
            })
        };
        self.taiwan_voice(taiwan_post, &mut mentions);
        self.third_party_voice(&chars, &mut mentions);
        // "打，奉陪到底；谈，大门敞开" is China's formula for the trade war with the US: the
        // two halves together are trade, and the US the other side when no one else is named.
        // Its second half alone (谈，大门敞开) is China's offer of talks, LABELS.md says.
        let door_open = DOOR_OPEN.iter().any(|w| norm.text.contains(w));
        // (A government's door: not peace talks, 和谈，大门, nor a door to investment or a
        // deal between firms.)
        // (Or talks named right after the door: 中方的大门始终敞开，但谈判必须….)
        let talks_after_door = || {
            DOOR_OPEN
                .iter()
                .filter_map(|w| norm.text.find(w).map(|at| at + w.len()))
                .any(|end| {
                    let next: String = norm.text[end..].chars().take(12).collect();
                    next.contains("谈判") || next.contains("磋商")
                })
        };
        let talk_first = (["谈，大门", "谈,大门", "谈的话，大门", "想谈，", "要谈，"]
            .iter()
            .any(|w| norm.text.contains(w))
            || talks_after_door())
            && !norm.text.contains("和谈")
            && ["中方", "外交部", "商务部", "发言人", "美方", "美国"]
                .iter()
                .any(|w| norm.text.contains(w))
            && !["开放的大门", "投资", "外资", "外商", "收购"]
                .iter()
                .any(|w| norm.text.contains(w));
        let formula = door_open && (norm.text.contains("奉陪到底") || talk_first);
        let mut coded = Coded {
            trade: formula || self.is_trade(&mentions, &chars),
            hedged: mentions.iter().any(|m| self.cue(m, Cue::Hedge)),
            ..Coded::default()
        };
        if !coded.trade {
            return coded;
        }
        // A post in Taiwan's voice (行政院…赴美进行关税谈判) is about Taiwan: its unnamed
        // partner is Taiwan's, never China's.
        let (mut post_sides, mut us_china_post) = self.post_sides(&mentions, &chars, taiwan_post());
        if formula && post_sides & !(1 << CHN | 1 << USA) == 0 {
            post_sides |= 1 << CHN | 1 << USA;
            us_china_post = true;
        }

        // A briefing's transcript (记者：…？ 发言人：… several times over) is a run of
        // exchanges on unrelated subjects: each exchange names its own parties, and 双方 or an
        // unnamed partner in an answer about India or Africa is not the US named three
        // questions before. Sides are read per exchange then.
        let turns = transcript_turns(&chars);
        let turn_of = |at: usize| turns.iter().rposition(|&t| t <= at);
        let turn_sides: Vec<(u64, bool)> = (0..turns.len())
            .map(|t| {
                let end = turns.get(t + 1).copied().unwrap_or(usize::MAX);
                self.post_sides(
                    mentions
                        .iter()
                        .filter(|m| m.start >= turns[t] && m.start < end),
                    &chars,
                    false,
                )
            })
            .collect();

        let n_sentences = mentions.last().map_or(0, |m| m.sentence + 1);
        let mut by_sentence: Vec<Vec<&Mention>> = vec![Vec::new(); n_sentences];
        for m in &mentions {
            by_sentence[m.sentence].push(m);
        }
        // Sanctions are the one instrument as often political as trade: in a post about the
        // epidemic or an election (美参议员妄图制裁中国…竞选…疫情) they are not trade, however
        // far apart the words are.
        let off_topic_at = |m: &Mention| self.cue(m, Cue::OffTopic) && !marks_time(&chars, m.end);
        let off_topic_post = mentions.iter().any(off_topic_at);
        let sanctions = |m: &Mention| {
            self.instrument_at(m)
                .is_some_and(|i| self.instruments[i as usize].id == "sanctions")
        };
        let third_pair_before = self.third_pair_before(&mentions, &chars);
        // (Not a third party's own flow: 印度输美商品 and 印度对美加征 are India's with the US.)
        let third_ends: Vec<usize> = mentions
            .iter()
            .filter(|m| {
                self.kinds(m)
                    .any(|k| matches!(k, Kind::Side(s) if *s != CHN && *s != USA))
            })
            .map(|m| m.end)
            .collect();
        let us_implied = US_IMPLIED.iter().any(|w| {
            let w: Vec<char> = w.chars().collect();
            (0..chars.len()).any(|i| {
                chars[i..].starts_with(&w) && !third_ends.iter().any(|&e| e <= i && e + 2 >= i)
            })
        });
        let mut last_actor: Option<Participant> = None;
        let mut third_earlier = taiwan_post();
        let mut named_before = 0u64;
        let mut eased_before = false;
        // Where the post calls a report untrue (这一说法不属实, 纯属捕风捉影, 目前并无相关安排):
        // the talks a report before it claimed are what it denies.
        let rumour_denied_at = first_of(&norm.text, TALKS_DENIED);
        let debunked_at = first_of(&norm.text, DEBUNKED);
        let mut turn_now: Option<usize> = None;
        for ms in by_sentence {
            let coded_before = coded.events.len();
            // (In a transcript, an exchange starts afresh: its own parties, no actor or third
            // party carried over from the exchange before.)
            let turn = ms.first().and_then(|m| turn_of(m.start));
            let (post_sides, us_china_post) = match turn {
                Some(t) => {
                    if turn_now != Some(t) {
                        turn_now = Some(t);
                        last_actor = None;
                        third_earlier = false;
                        named_before = 0;
                    }
                    // (An exchange that names no party, 问：您怎么看？答：这是积极信号, is on
                    // the subject of the text.)
                    if turn_sides[t].0 == 0 {
                        (post_sides, us_china_post)
                    } else {
                        turn_sides[t]
                    }
                }
                None => (post_sides, us_china_post),
            };
            // Words that are never trade (病例, 中东局势, 选举) void the acts near them in their
            // sentence, not a whole run-on Weibo sentence of commas (…不再对中国出口的产品增加
            // 关税，…，因为MYZ对选举不利啊).
            // (Defence firms put on a trade list, 将多家美国军工企业列入不可靠实体清单，禁止其
            // 从事…进出口活动, are a trade measure, whatever prompted it.)
            // (So are they put on China's export-control list, 列入出口管制管控名单.)
            let trade_list_here = ms.iter().any(|m| {
                self.instrument_at(m)
                    .is_some_and(|i| self.instruments[i as usize].id == "unreliable_entity_list")
                    || self.pat(m).term.ends_with("管控名单")
            });
            // (Nor are firms put on the Entity List or under export controls on a political
            // pretext, 以所谓涉疆人权问题为借口将28个中国实体列入…实体清单: the pretext is
            // why, the list is trade. Sanctions on officials over it are not.)
            let export_list_here = trade_list_here
                || ms.iter().any(|m| {
                    self.instrument_at(m).is_some_and(|i| {
                        matches!(
                            self.instruments[i as usize].id.as_str(),
                            "entity_list" | "export_control"
                        )
                    })
                });
            // (Nor are tariff exclusions for medical supplies, 对用于新冠疫情防控的…医疗物资
            // 暂时豁免301关税: the epidemic is why goods are exempted, the exemption is trade.)
            let tariff_relief_here = ms.iter().any(|m| {
                self.action_at(m)
                    .is_some_and(|x| matches!(x.id.as_str(), "exempt" | "relief"))
            }) && ms.iter().any(|m| self.pat(m).term.contains("关税"));
            // (Nor a tariff rate pledged on the campaign trail, 川普在竞选期间扬言…课征60%以上
            // 的关税: the election is when, the rate is trade.)
            // (One scan of the sentence from its first mention, and only when an election word
            // is in it.)
            let tariff_rate_here = || {
                ms.iter().any(|m| self.pat(m).term.contains("关税"))
                    && ms.first().is_some_and(|m| {
                        chars[m.start..]
                            .iter()
                            .take_while(|&&c| !is_sentence_end(c))
                            .any(|&c| c == '%')
                    })
            };
            let off_topic: Vec<usize> = ms
                .iter()
                .filter(|m| off_topic_at(m))
                .filter(|m| !(ELECTIONS.contains(&self.pat(m).term.as_str()) && tariff_rate_here()))
                .filter(|m| !(trade_list_here && ARMS.contains(&self.pat(m).term.as_str())))
                .filter(|m| !(export_list_here && PRETEXTS.contains(&self.pat(m).term.as_str())))
                .filter(|m| !(tariff_relief_here && EPIDEMIC.contains(&self.pat(m).term.as_str())))
                // (Hong Kong beside the mainland is China's goods, 美国取消对来自中国内地及
                // 香港小额包裹的免税安排, 对所有中国进口商品（包括香港）征收10%额外关税, not
                // Hong Kong politics.)
                .filter(|m| {
                    !(self.pat(m).term == "香港" && {
                        let before: String =
                            chars[m.start.saturating_sub(3)..m.start].iter().collect();
                        let near: String =
                            chars[m.start.saturating_sub(5)..m.start].iter().collect();
                        let china_before: String =
                            chars[m.start.saturating_sub(14)..m.start].iter().collect();
                        before.starts_with("内地")
                            || before.starts_with("大陆")
                            || ["（", "(", "包括", "含", "及"]
                                .iter()
                                .any(|w| near.contains(w))
                                && ["中国", "内地", "大陆"]
                                    .iter()
                                    .any(|w| china_before.contains(w))
                    })
                })
                .map(|m| m.start)
                .collect();
            // 双方 in a post in China's voice naming no other party (商务部…双方经贸团队一直
            // 保持着有效沟通) are China and the US: a partner left unnamed in Chinese trade
            // news is the US. (China's own acts there get no implied counterpart.)
            let (here, _) = self.post_sides(ms.iter().copied(), &chars, false);
            // China's formula said in a sentence naming no one else (外交部发言人表示，“打，
            // 奉陪到底；谈，大门敞开”) answers the US, whatever other pair a later sentence
            // is about (同月，日本谈判代表…展开美日关税谈判).
            let formula_here = formula
                && here & !(1 << CHN | 1 << USA) == 0
                && ms.iter().any(|m| self.pat(m).term == "奉陪到底");
            let us_china_pair = us_china_post || post_sides == 1 << CHN || formula_here;
            let mut sides =
                SentenceSides::read(self, &ms, &chars, us_china_pair, &third_pair_before);
            sides.third_earlier = third_earlier;
            third_earlier |= here & !(1 << CHN | 1 << USA) != 0;
            sides.named_before = named_before;
            named_before |= here;
            if let Some(a) = sides.first_actor() {
                last_actor = Some(a);
            }
            let mut s = Sentence {
                trade: ms.iter().any(|m| {
                    self.pat(m).trade
                        || self.kinds(m).any(|k| {
                            matches!(k, Kind::Instrument(i) if !self.instruments[*i as usize].firms)
                                || *k == Kind::Topic
                        })
                }),
                concrete: ms.iter().any(|m| self.cue(m, Cue::Concrete)),
                principle: ms.iter().any(|m| self.principle_cue(m, &chars)),
                recap: ms.iter().any(|m| self.cue(m, Cue::Recap)),
                ms,
                chars: &chars,
                sides,
                last_actor,
                post_sides: if formula_here {
                    post_sides & (1 << CHN | 1 << USA)
                } else {
                    post_sides
                },
                us_china_post: us_china_post || formula_here,
                us_implied,
                answered: Vec::new(),
                offered: Vec::new(),
                wish_clauses: Vec::new(),
                eased_before,
            };
            s.wish_clauses =
                s.ms.iter()
                    .filter(|m| self.cue(m, Cue::Demand))
                    .map(|m| m.clause)
                    .collect();
            s.wish_clauses.dedup();
            // Acts inside a condition are coded last, once it is known whether an escalation
            // answers them (see `code_action`).
            let mut conditions = Vec::new();
            // (The report's own sentence up to the act: 此前有传言称中美将于月内举行高层经贸
            // 会谈，但白宫官员随后表示，目前并无相关安排.)
            let reported_then_debunked = |at: usize| {
                debunked_at.is_some_and(|d| {
                    at < d && {
                        let text = sentence_text_before(&chars, at, 2 * CLAUSE_REACH);
                        // (称 of a report's source, 媒体称/知情人士称; a side's own claim,
                        // 川普…并称正在与中国积极谈判, counts whatever the other says: LABELS.md.)
                        ["报道", "传言", "放风", "传出"]
                            .iter()
                            .any(|w| text.contains(w))
                            || text.contains('称')
                                && [
                                    "媒体", "消息", "知情", "外媒", "彭博", "路透", "日报", "人士",
                                ]
                                .iter()
                                .any(|w| text.contains(w))
                    }
                }) || rumour_denied_at.is_some_and(|d| {
                    at < d
                        && ["传闻", "传言"]
                            .iter()
                            .any(|w| clause_text_before(&chars, at, 24).contains(w))
                })
            };
            for ai in 0..s.ms.len() {
                let at = s.ms[ai].start;
                if off_topic.iter().any(|&o| o.abs_diff(at) <= OFF_TOPIC_REACH)
                    || off_topic_post && sanctions(s.ms[ai])
                    || reported_then_debunked(at)
                        && self
                            .action_at(s.ms[ai])
                            .is_some_and(|x| x.class == ActionClass::Talks)
                {
                    continue;
                }
                let clause = s.ms[ai].clause;
                if s.sides.conditional_clauses.contains(&clause) {
                    conditions.push(ai);
                    continue;
                }
                let before = coded.events.len();
                self.code_action(&s, ai, norm, &mut coded);
                if coded.events[before..]
                    .iter()
                    .any(|e| e.label == Some(Label::Escalation))
                {
                    s.answered.push(clause);
                }
                if coded.events[before..].iter().any(|e| e.action == "offer") {
                    s.offered.push(clause);
                }
            }
            for ai in conditions {
                self.code_action(&s, ai, norm, &mut coded);
            }
            eased_before = coded.events[coded_before..]
                .iter()
                .any(|e| e.label == Some(Label::DeEscalation));
        }
        coded
    }

    /// Whether the sentence's principle language bears on the talks at `a`: a principle
    /// set as a condition after a concrete offer (中方的大门是敞开的，但谈判必须在平等的
    /// 基础上进行) qualifies the offer and does not turn it into a principle.
    /// So is one in a later clause after an offer or a readiness to talk (「谈，大门敞开」，
    /// 强调任何谈判都必须建立在平等基础上).
    fn principle_governs(&self, s: &Sentence, a: &Mention, action: &Action) -> bool {
        let offered = matches!(action.id.as_str(), "offer" | "willing");
        // (Nor one in the condition set on the other side before an offer, or in what it
        // asks of them: 如果美方真的想谈，就应该拿出平等…的态度，中方的大门是敞开的; nor a stance
        // the conditional offer spells out: 中方的立场是一贯的，如果美方想谈，大门是敞开的.)
        let first_condition =
            s.ms.iter()
                .find(|c| self.cue(c, Cue::Conditional))
                .map_or(usize::MAX, |c| c.start);
        s.ms.iter().any(|m| {
            self.principle_cue(m, s.chars)
                && !(offered
                    && m.clause != a.clause
                    && m.start < a.start
                    && (first_condition < a.start
                        // (Nor a stance said to be unchanged, which the offer then spells
                        // out: 中方的立场是一贯的，谈，大门敞开.)
                        || self.pat(m).term == "一贯的"))
                && !(m.start > a.end
                    && m.clause != a.clause
                    && (offered || between_has(s.chars, a.end, m.start, &["但", "不过"])))
                // (Nor the manner of what is offered, in the offer's own clause: 中方随时准备
                // 与美方…进行平等对话.)
                && !(offered && m.clause == a.clause && m.start > a.end)
        })
    }

    fn principle_cue(&self, m: &Mention, chars: &[char]) -> bool {
        // (On top of a rate, 在现行适用关税税率基础上加征34%关税, is no principle; nor a
        // baseline year, 在2017年基础上扩大自美采购.)
        self.cue(m, Cue::Principle)
            && !(self.pat(m).term == "基础上"
                && (m.start >= 2
                    && matches!(chars[m.start - 2..m.start], ['税', '率'] | ['关', '税'])
                    || chars[m.start.saturating_sub(4)..m.start].contains(&'年')
                    || basis_of_an_act(chars, m)))
    }

    /// In a post written from Taiwan (it names the island's government: 行政院, 赖清德…),
    /// 我国/我方 is Taiwan, a third party, not China: "美国对我国课征对等关税" is not a
    /// US–China event.
    fn taiwan_voice(&self, taiwan_post: impl Fn() -> bool, mentions: &mut [Mention]) {
        // Most posts name no 我国: look at the text only when one does.
        let first_person = |m: &Mention| FIRST_PERSON.contains(&self.pat(m).term.as_str());
        if !mentions.iter().any(first_person) || !taiwan_post() {
            return;
        }
        let Some(taiwan) = self.patterns.iter().position(|p| p.term == "台湾") else {
            return;
        };
        for m in mentions.iter_mut() {
            if first_person(m) {
                m.pattern = taiwan;
            }
        }
    }

    /// 我国 in the words of a third country's speaker (泰国商业部长表示，我国正与美方谈判; 韩国
    /// 产业部表示，美方已将我国汽车关税…) is that country, as Singapore's papers write it of
    /// Singapore. The nearest speaker named before it in its sentence decides; China's own
    /// speaker (商务部新闻发言人表示，美方对我国…) keeps it China's.
    fn third_party_voice(&self, chars: &[char], mentions: &mut [Mention]) {
        let first_person = |m: &Mention| FIRST_PERSON.contains(&self.pat(m).term.as_str());
        for i in 0..mentions.len() {
            if !first_person(&mentions[i]) {
                continue;
            }
            let at = &mentions[i];
            let speaker = mentions[..i]
                .iter()
                .rev()
                .take_while(|m| m.sentence == at.sentence)
                .filter(|m| !first_person(m))
                .filter_map(|m| {
                    let side = self.kinds(m).find_map(|k| match *k {
                        Kind::Side(id) => Some(id),
                        _ => None,
                    })?;
                    speaks_after(chars, m.end, 16).then_some((m.pattern, side))
                })
                .next();
            if let Some((pattern, side)) = speaker {
                if !us_or_china(side) {
                    mentions[i].pattern = pattern;
                }
            }
        }
    }

    /// Whether the talks at `s.ms[ai]` are wished for by a third party: a word of hoping,
    /// urging or offering before them whose speaker, the side named last before it in the
    /// sentence, is neither China nor the US, with only the pair (中美, 双方, or both named)
    /// between the wish and the talks.
    fn wished_by_a_third_party(&self, s: &Sentence, ai: usize) -> bool {
        let a = s.ms[ai];
        // (Only wishes shortly before the talks are read, so a run-on clause of many talks
        // stays linear.)
        s.ms[..ai]
            .iter()
            .rev()
            .take_while(|m| m.start + 40 >= a.start)
            .any(|m| {
                let wish = self.cue(m, Cue::Demand)
                    || ["愿意", "愿", "建议", "愿为"].contains(&self.pat(m).term.as_str());
                if !wish {
                    return false;
                }
                let wisher_is_third = s
                    .sides
                    .named
                    .iter()
                    .rfind(|n| n.0 < m.start)
                    .is_some_and(|n| !us_or_china(n.2))
                    // (Or a voice outside government: 美国商会会长表示，…希望两国政府尽快恢复
                    // 经贸磋商; 美国前财长…表示，中美应加强对话.)
                    || {
                        // (40 characters back within the sentence: a run-on sentence of many
                        // wishes stays linear.)
                        let before = sentence_text_before(s.chars, m.start, 40);
                        UNOFFICIAL_VOICES.iter().any(|w| before.contains(w))
                    };
                let between: Vec<SideId> = s
                    .sides
                    .named
                    .iter()
                    .filter(|n| n.0 > m.start && n.0 < a.start)
                    .map(|n| n.2)
                    .collect();
                // (Relief pleaded for names the side that would grant it: 希望美国政府免除….)
                // (So does a deal urged on one side with the other: 美国大豆协会致函川普，…呼吁
                // 尽快与北京达成…协议; talks it names as under way, 敦促政府在与北京的谈判中…, are
                // still talks.)
                let addressee_before = |x: SideId| {
                    s.sides
                        .named
                        .iter()
                        .any(|n| n.0 < m.start && n.2 == x && n.0 + 60 >= m.start)
                };
                wisher_is_third
                    && (self
                        .action_at(a)
                        .is_some_and(|x| x.class == ActionClass::Ease)
                        || !between.iter().any(|&x| us_or_china(x))
                        || between.contains(&CHN) && between.contains(&USA)
                        || self.action_at(a).is_some_and(|x| x.id == "agree")
                            && (between.iter().all(|&x| x == CHN) && addressee_before(USA)
                                || between.iter().all(|&x| x == USA) && addressee_before(CHN)))
            })
    }

    /// Whether the arrival at `a` is of US goods in China: the US named before it in its
    /// sentence with goods between, no third party in the sentence, and a Chinese port (or
    /// China) right after the verb.
    fn us_goods_arrive_in_china(&self, s: &Sentence, a: &Mention) -> bool {
        // (Within 40 characters before the verb: a run-on clause is not read per arrival.)
        let us_goods = s.sides.named.iter().any(|n| {
            n.2 == USA
                && n.0 < a.start
                && n.0 + 40 >= a.start
                && s.ms.iter().any(|m| {
                    m.start >= n.0 && m.start < a.start && self.kinds(m).any(|k| *k == Kind::Goods)
                })
        });
        let third = s.sides.named.iter().any(|n| !us_or_china(n.2));
        let after: String = clause_after(s.chars, a.end).take(12).collect();
        us_goods && !third && ARRIVAL_PLACES.iter().any(|w| after.contains(w))
    }

    /// Whether the demand cue `m` asks someone else for the easing or purchase after it. At a
    /// side's request (中方应美方要求增加采购) is no demand on the buyer. For a purchase, China's
    /// own order to its buyers (北京已要求国内航空公司暂停接收波音飞机, 中国买家要求推迟发货)
    /// is its act, and weighing one (正考虑采购) a plan; a modal (中方应尽快恢复采购) binds the
    /// side before it, so someone else demands.
    fn demand_on_another(&self, s: &Sentence, m: &Mention, class: ActionClass) -> bool {
        let term = self.pat(m).term.as_str();
        if term == "要求" && s.chars[m.start.saturating_sub(6)..m.start].contains(&'应') {
            return false;
        }
        if class != ActionClass::Purchase {
            return true;
        }
        if ["考虑", "期待", "盼着"].contains(&term) {
            return false;
        }
        term.starts_with('应')
            || term.starts_with("必须")
            || s.sides
                .named
                .iter()
                .rfind(|n| n.1 == m.clause && n.0 < m.start)
                .is_none_or(|n| n.2 != CHN)
    }

    /// Whether the agreement at `s.ms[ai]` is reached with a firm (美国商务部宣布与中兴通讯
    /// 达成协议): the partner after 与/同/跟 in the clause, just before the act, is a company
    /// (和 joins topics too: 就关税和字节跳动问题举行会谈),
    /// so the deal is a settlement, not talks between the governments.
    fn deal_with_a_firm(&self, s: &Sentence, ai: usize) -> bool {
        let a = s.ms[ai];
        s.ms[..ai]
            .iter()
            .rev()
            .find(|m| m.clause == a.clause && self.kinds(m).any(|k| matches!(k, Kind::Side(_))))
            .is_some_and(|m| {
                self.names_firms(m)
                    && m.start > 0
                    && matches!(s.chars[m.start - 1], '与' | '同' | '跟')
                    && a.start >= m.end
                    && a.start - m.end <= 6
            })
    }

    fn pat(&self, m: &Mention) -> &super::codebook::Pattern {
        &self.patterns[m.pattern]
    }

    fn kinds<'b>(&'b self, m: &Mention) -> std::slice::Iter<'b, Kind> {
        self.patterns[m.pattern].kinds.iter()
    }

    fn cue(&self, m: &Mention, c: Cue) -> bool {
        self.pat(m).has(|k| *k == Kind::Cue(c))
    }

    fn action_at(&self, m: &Mention) -> Option<&Action> {
        self.kinds(m).find_map(|k| match k {
            Kind::Action(x) => Some(&self.actions[*x as usize]),
            _ => None,
        })
    }

    fn instrument_at(&self, m: &Mention) -> Option<u8> {
        self.kinds(m).find_map(|k| match k {
            Kind::Instrument(i) => Some(*i),
            _ => None,
        })
    }

    /// Whether `m` names firms (华为, 中兴) rather than a measure.
    fn names_firms(&self, m: &Mention) -> bool {
        self.instrument_at(m)
            .is_some_and(|i| self.instruments[i as usize].firms)
    }

    /// The trade gate: an instrument, trade topic, trade negotiator or named process
    /// somewhere in the post, or one of the narrower contexts below.
    fn is_trade(&self, mentions: &[Mention], chars: &[char]) -> bool {
        // (Trade said to be left out, 双方未谈及经贸议题, 并未涉及关税和贸易议题, makes no post
        // about trade.)
        let left_out = |m: &Mention| {
            let before = clause_text_before(chars, m.start, 10);
            [
                "未涉及",
                "未谈及",
                "没有涉及",
                "不涉及",
                "没有谈及",
                "未触及",
                "未讨论",
                "未提及",
                "未有提及",
                "没有提及",
                "并未提及",
                "未曾提及",
            ]
            .iter()
            .any(|w| before.contains(w))
        };
        let trade_word = |m: &Mention| {
            (self.pat(m).trade
                // (The Phase One and Phase Two deals are trade deals by name.)
                || self.pat(m).term.starts_with("第一阶段")
                || self.pat(m).term.starts_with("第二阶段")
                || self.kinds(m).any(|k| {
                    matches!(k, Kind::Instrument(i) if !self.instruments[*i as usize].firms)
                        || matches!(k, Kind::Topic | Kind::Goods)
                        || matches!(k, Kind::Action(a) if self.actions[*a as usize].trade)
                }))
                && !left_out(m)
        };
        // A bare counter (反制, 反击) is a trade word only against the US: with the US neither
        // named nor implied it is a rally's, a game's or a drill's (关键局完成漂亮反制, 无人机
        // 反制系统).
        // (Read only for a post whose one trade word is a bare counter: most posts never get
        // here, and the text is not rebuilt for them.)
        let us_in_post = || {
            mentions
                .iter()
                .any(|m| self.kinds(m).any(|k| *k == Kind::Side(USA)))
                || {
                    let text: String = chars.iter().collect();
                    US_IMPLIED.iter().any(|w| text.contains(w))
                }
        };
        let bare_counter = |m: &Mention| BARE_COUNTERS.contains(&self.pat(m).term.as_str());
        if mentions.iter().any(|m| trade_word(m) && !bare_counter(m))
            || mentions.iter().any(|m| trade_word(m) && bare_counter(m)) && us_in_post()
        {
            return true;
        }
        // Sales to China allowed or resumed (恢复向中国商飞供应发动机) are trade, whatever
        // the goods.
        if mentions.iter().any(|m| {
            let term = self.pat(m).term.as_str();
            allows_or_grants(term) && sale_to_china_after(chars, m, term)
                // So are goods let into China (批准美国鳄梨输华).
                || goods_let_into_china(chars, m, term)
        }) {
            return true;
        }
        // A firm named beside a restriction or its easing in one sentence (限制华为…) is
        // trade; the firm's name alone is not.
        // (A vow is a firm's as often as a state's: 腾讯反击360 is a quarrel between firms.)
        let measure_at = |m: &Mention| {
            self.action_at(m).is_some_and(|a| {
                matches!(a.class, ActionClass::Escalate | ActionClass::Ease) && a.id != "vow"
            })
        };
        if mentions.iter().any(|f| {
            self.names_firms(f)
                && mentions
                    .iter()
                    .any(|m| m.sentence == f.sentence && measure_at(m))
        }) {
            return true;
        }
        // Negotiations between China and the US named as such (中美…磋商) are trade talks in
        // everything windvane watches; military or climate talks carry off-topic words.
        let us_china_pair = |m: &Mention| {
            self.kinds(m).any(|k| {
                matches!(k, Kind::Pair(Pair::Sides(a, b)) if (*a == CHN && *b == USA) || (*a == USA && *b == CHN))
            })
        };
        let names_side = |s: SideId| {
            mentions
                .iter()
                .any(|m| self.kinds(m).any(|k| *k == Kind::Side(s)))
        };
        // 双方 negotiating in a post that names no party but China (a spokesperson's "双方磋商
        // 已经取得了实质性进展") is the same pair.
        let unnamed_pair = |m: &Mention| {
            self.kinds(m).any(|k| *k == Kind::Pair(Pair::Both))
                && !mentions.iter().any(|x| {
                    self.kinds(x).any(|k| {
                        matches!(k, Kind::Side(s) if *s != CHN)
                            || matches!(k, Kind::Pair(Pair::Sides(..)))
                    })
                })
        };
        // Talks of any kind at a place where the trade rounds were held (在伦敦举行…会谈,
        // 日内瓦共识) are a round.
        // (Not a meeting of foreign or defence ministers, scientists or maritime officials, or
        // one on another subject, that happens to be held there: 中美两国防长在吉隆坡会晤.)
        let talks_at_a_round_place = mentions.iter().any(|p| {
            self.kinds(p).any(|k| *k == Kind::Place)
                && !sentence_has(chars, p.start, NOT_TRADE_MEETINGS)
                && mentions.iter().any(|m| {
                    m.sentence == p.sentence
                        && self
                            .action_at(m)
                            .is_some_and(|a| a.class == ActionClass::Talks)
                })
        });
        let negotiation = |m: &Mention| {
            self.action_at(m).is_some_and(|a| a.id == "negotiate")
                && !sentence_has(chars, m.start, NOT_TRADE_MEETINGS)
                && !talks_of_a_body_or_on_a_topic(chars, m.start)
        };
        // With only China named, 双方 and a bare 对话 are as often an interview's (对话双方
        // 高层) as a negotiation's: the unnamed pair needs a word of negotiating.
        // (With no side named at all and no trade word, 双方 are anyone's: a contract ended
        // 经双方友好协商, a wage dispute, a transfer. Only 磋商, the spokesperson's word for
        // the trade rounds (双方磋商已经取得了实质性进展), names them then, and not with a
        // party named beside it: 与业委会磋商 is a landlord's. A trade word anywhere has
        // already made the post trade above.)
        let named_party_talks = || {
            mentions.iter().any(|m| {
                self.action_at(m)
                    .is_some_and(|a| a.class == ActionClass::Talks)
                    && chars[clause_start_within(chars, m.start, 40)..m.start].contains(&'与')
            })
        };
        let consultations = mentions
            .iter()
            .any(|m| negotiation(m) && self.pat(m).term.contains("磋商"));
        let unnamed_pair_negotiates = mentions.iter().any(unnamed_pair)
            && (names_side(CHN) || consultations && !named_party_talks())
            && (talks_at_a_round_place
                || mentions
                    .iter()
                    .any(|m| negotiation(m) && self.pat(m).term != "对话"));
        (mentions.iter().any(us_china_pair)
            || names_side(CHN) && names_side(USA)
            || unnamed_pair_negotiates)
            && (talks_at_a_round_place || mentions.iter().any(negotiation))
            && !mentions.iter().any(|m| self.cue(m, Cue::OffTopic))
    }

    /// The sides named anywhere in the post (a bit per side), for implicit counterparts and
    /// 双方, and whether an unnamed pair (双方/两国) is China and the US.
    /// Starts of the 双方/两国 mentions whose two sides named last before them in the post
    /// (pair words count as both their sides; venues and former officials as none) are not
    /// China and the US: 加拿大…与美国…。加拿大总理表示，两国将… is Canada and the US.
    /// Once the post has named China and the US one after the other, 双方 stays theirs (美国
    /// 与中国代表在日内瓦会面，此前美国刚与英国达成协议。双方同意…); each named only beside a
    /// third party does not make them the pair (加拿大与中国恢复经贸对话…渥太华与北京的接触
    /// 不会影响加美贸易谈判。双方同意…继续磋商).
    fn third_pair_before(&self, mentions: &[Mention], chars: &[char]) -> Vec<usize> {
        let mut last_two: [Option<SideId>; 2] = [None, None];
        // Where the two were named (each run of a side's names, from its first start to its
        // last end), for a third pair met in 双方's own sentence.
        let mut where_two: [Option<(usize, usize)>; 2] = [None, None];
        let mut paired = false;
        let mut out = Vec::new();
        let note = |s: SideId,
                    m: &Mention,
                    last: &mut [Option<SideId>; 2],
                    at: &mut [Option<(usize, usize)>; 2],
                    paired: &mut bool| {
            if last[1] != Some(s) {
                *last = [last[1], Some(s)];
                *at = [at[1], Some((m.start, m.end))];
            } else if let Some((start, _)) = at[1] {
                // (A run of one side's names, 欧盟委员会主席冯德莱恩, ends at its last.)
                at[1] = Some((start, m.end));
            }
            *paired |=
                matches!(last, [Some(a), Some(b)] if us_or_china(*a) && us_or_china(*b) && a != b);
        };
        // A third party and one of the two joined by 与/同/和/跟 right before 双方 in its own
        // sentence (欧盟委员会主席冯德莱恩同日与中国总理李强通电话，双方同意加强沟通协调) met
        // each other, whatever pair the post named before.
        let met_here = |at: &[Option<(usize, usize)>; 2], m: &Mention| match at {
            [Some((_, first_end)), Some((second_start, _))] => {
                // (Both after the start of 双方's sentence.)
                let sentence = sentence_start(chars, m.start);
                *first_end >= sentence
                    && first_end < second_start
                    && second_start - first_end <= 12
                    && chars[*first_end..*second_start]
                        .iter()
                        .any(|c| matches!(c, '与' | '同' | '和' | '跟'))
            }
            _ => false,
        };
        for m in mentions {
            // (Nor do the stops of a trip: 格里尔将访问亚洲，行程包括日本、韩国和新加坡，并将…
            // 与中国商务部部长王文涛举行会谈。此前双方已多次通电话.)
            if former_official_after(chars, m.end) || self.at_large(chars, m) {
                continue;
            }
            let a_stop = || {
                chars[clause_start_within(chars, m.start, 24)..m.start]
                    .iter()
                    .any(|&c| c == '访' || c == '程')
                    && ["行程包括", "出访", "巡访"]
                        .iter()
                        .any(|w| clause_text_before(chars, m.start, 24).contains(w))
            };
            for k in self.kinds(m) {
                match *k {
                    Kind::Pair(Pair::Both) => {
                        if let [Some(a), Some(b)] = last_two {
                            if !(us_or_china(a) && us_or_china(b))
                                && (!paired || met_here(&where_two, m))
                            {
                                out.push(m.start);
                            }
                        }
                    }
                    Kind::Side(s) if s != CHN && s != USA && venue_at(chars, m) => {}
                    Kind::Side(_) if a_stop() => {}
                    Kind::Side(s) => note(s, m, &mut last_two, &mut where_two, &mut paired),
                    // (A pair word is its two sides, whatever was named before it: 北京…美日
                    // is no China–US pair.)
                    Kind::Pair(Pair::Sides(a, b)) => {
                        where_two = [None, None];
                        last_two = [Some(a), Some(b)];
                        paired |= us_or_china(a) && us_or_china(b) && a != b;
                    }
                    _ => {}
                }
            }
        }
        out
    }

    /// Whether `m` names the world at large (全球, 各国) or a count of countries a rule reaches
    /// (将出口许可要求扩大至40多个国家): the scene, not a party to the post's events.
    fn at_large(&self, chars: &[char], m: &Mention) -> bool {
        let term = self.pat(m).term.as_str();
        WORLD_AT_LARGE.contains(&term)
            || term == "多个国家" && m.start > 0 && chars[m.start - 1].is_ascii_digit()
    }

    fn post_sides<'m>(
        &self,
        mentions: impl IntoIterator<Item = &'m Mention>,
        chars: &[char],
        taiwan_post: bool,
    ) -> (u64, bool) {
        let mut post_sides: u64 = 0;
        if taiwan_post {
            if let Some(Kind::Side(tw)) = self
                .patterns
                .iter()
                .find(|p| p.term == "台湾")
                .and_then(|p| p.kinds.first())
            {
                post_sides |= 1 << tw;
            }
        }
        // The side of the mention just before, when it ends where the next begins (印度 +
        // 商务部): a ministry after a third party's name is that party's, as in a sentence.
        let mut third_before: Option<(usize, SideId)> = None;
        for m in mentions {
            let after_third = third_before
                .filter(|&(end, _)| {
                    ministry_of_the_party_before(chars, end, m.start, &self.pat(m).term)
                        || end == m.start
                        // (A third party's exports, 台湾输美商品, 墨西哥所有输美商品.)
                        || self.pat(m).term.starts_with("输美") && end <= m.start && m.start - end <= 4
                })
                .map(|t| t.1);
            third_before = self.kinds(m).find_map(|k| match *k {
                Kind::Side(s) if s != CHN && s != USA => Some((m.end, s)),
                _ => None,
            });
            // The world at large (全球, 各国) is the scene, not a party to the post's events;
            // a former official (美国前财长) no longer speaks for a side.
            if self.at_large(chars, m) || former_official_after(chars, m.end) {
                continue;
            }
            for k in self.kinds(m) {
                match *k {
                    Kind::Side(CHN)
                        if after_third.is_some()
                            && (MINISTRIES.contains(&self.pat(m).term.as_str())
                                || self.pat(m).term.starts_with("输美")) => {}
                    // A venue (在阿根廷会晤) is no party to the post either.
                    Kind::Side(s) if s != CHN && s != USA && venue_at(chars, m) => {}
                    Kind::Side(s) => post_sides |= 1 << s,
                    Kind::Pair(Pair::Sides(a, b)) => post_sides |= 1 << a | 1 << b,
                    _ => {}
                }
            }
        }
        let third_in_post = post_sides & !(1 << CHN | 1 << USA) != 0;
        // 双方/两国 name China and the US unless the post is about a third party only; in
        // Chinese trade news an unnamed pair is that one.
        // A trade post that names no side at all (a spokesperson's answer: "双方经贸团队一直
        // 保持着沟通") is about that pair too: third-party trade news names its parties.
        let us_china = post_sides & (1 << USA) != 0 && !third_in_post
            || post_sides & (1 << CHN | 1 << USA) == (1 << CHN | 1 << USA)
            || post_sides == 0;
        (post_sides, us_china)
    }

    /// Codes the action at `s.ms[ai]`, if it is one, into `coded`.
    fn code_action(&self, s: &Sentence, ai: usize, norm: &Normalized, coded: &mut Coded) {
        let a = s.ms[ai];
        let Some(mut action) = self.action_at(a) else {
            return;
        };
        // Tariffs kept high (关税可能维持在100%以上) are pressure kept up, not a raise forgone.
        if action.id == "hold"
            && ["以上", "高位", "高水平"]
                .iter()
                .any(|w| clause_text_after(s.chars, a.end).contains(w))
        {
            return;
        }
        // Firms keeping in touch with each other (中国有关航空公司与波音保持沟通, 企业及时与
        // 主管部门沟通) is business, not contact between the two states.
        if action.id == "contact" && firms_in_touch(s.chars, a) {
            return;
        }
        // 再加 levies only with a rate after it (对中国再加100%关税); 再加上 is "plus".
        if self.pat(a).term == "再加"
            && !s
                .chars
                .get(a.end)
                .is_some_and(|c| c.is_ascii_digit() || "一二三四五六七八九十百到至".contains(*c))
        {
            return;
        }
        // A firm's progress (公司国产替代进展如何) is no progress of talks.
        if self.pat(a).term == "进展"
            && [
                "替代",
                "研发",
                "建设",
                "项目",
                "业务",
                "生产",
                "产能",
                "认证",
                "国产化",
                "开发",
            ]
            .iter()
            .any(|w| clause_text_before(s.chars, a.start, 6).ends_with(w))
        {
            return;
        }
        // A list of links to other articles (相关阅读：…| 美国加征关税清单全文 | …) names their
        // titles, not news of this text.
        if links_list(s.chars, a.start) {
            return;
        }
        // Welcoming is an offer of talks only with the talks in its own clause (欢迎美方…来华
        // 磋商); 对此表示欢迎 welcomes what came before, and the talks named after it are news
        // of their own.
        if self.pat(a).term == "欢迎"
            && !s.ms[ai + 1..].iter().any(|m| {
                m.clause == a.clause
                    && self
                        .action_at(m)
                        .is_some_and(|x| x.class == ActionClass::Talks)
            })
        {
            return;
        }
        // Undergoing (受到/遭到) is a measure only with one named right after it (将自动受到
        // 相同的出口限制, 遭到美国制裁), not an effect (出口受到一定影响).
        if matches!(self.pat(a).term.as_str(), "受到" | "遭到")
            && !s.ms.iter().any(|m| {
                m.clause == a.clause
                    && m.start >= a.end
                    && m.start <= a.end + 8
                    && self.instrument_at(m).is_some()
            })
        {
            return;
        }
        // A neutral change of rate (从125%调整为10%) goes the way its numbers go.
        if action.id == "adjust" {
            // The old rate may be in the clause before only when this clause names no side
            // (美国…至145%，中方将加征税率调整为125%: 145% is another side's).
            let look_back = !s
                .sides
                .named
                .iter()
                .any(|n| n.1 == a.clause && n.0 < a.start);
            match rate_change(s.chars, a, look_back) {
                Some(std::cmp::Ordering::Less) => {}
                Some(std::cmp::Ordering::Greater) => {
                    match self.actions.iter().find(|x| x.id == "raise") {
                        Some(raise) => action = raise,
                        None => return,
                    }
                }
                _ => return,
            }
        }
        // A limit lowered (算力阈值下调, 免税门槛由800美元下调至零, 进口配额下调30%) lets
        // less through: the restriction is tightened.
        if action.id == "cut" && limit_lowered(s.chars, a) {
            match self.actions.iter().find(|x| x.id == "restrict") {
                Some(restrict) => action = restrict,
                None => return,
            }
        }
        // A grant stopped or refused, with the licence named after it (停止向中国商飞发放…出口
        // 许可, 不再向华为发放任何新的出口许可证), holds licences back: an export control
        // applied.
        if action.class == ActionClass::Ease
            && (GRANTS.contains(&self.pat(a).term.as_str()) || self.pat(a).term == "发放许可")
        {
            let before = clause_text_before(s.chars, a.start, 12);
            let after: String = clause_text_after(s.chars, a.end).chars().take(24).collect();
            if ["暂停", "停止", "不再", "拒绝", "中止", "撤销", "撤回"]
                .iter()
                .any(|w| before.contains(w))
                && (after.contains("许可") || self.pat(a).term == "发放许可")
            {
                match self.actions.iter().find(|x| x.id == "refuse_licence") {
                    Some(refuse) => action = refuse,
                    None => return,
                }
            }
        }
        // Trade in goods stopped (特朗普威胁停止食用油贸易) is a measure threatened, not an
        // easing: 贸易 ends the object, and no war or friction is what stops.
        if action.class == ActionClass::Ease
            && matches!(self.pat(a).term.as_str(), "停止" | "暂停" | "中止")
            && {
                let object: String = clause_after(s.chars, a.end).take(10).collect();
                object.find("贸易").is_some_and(|i| {
                    let rest = &object[i + "贸易".len()..];
                    !["战", "摩擦", "冲突", "限制", "壁垒", "措施", "报复", "争端"]
                        .iter()
                        .any(|w| rest.starts_with(w))
                        && !object[..i].contains("关税")
                })
            }
        {
            return;
        }
        // Sales to China stopped (停止芯片设计软件（EDA）对华销售) are exports halted, not
        // controls suspended.
        // (Only when no other act comes between: 暂停部分美国农产品采购 USDA仍报告对华销售
        // halts purchases, and the sales go on.)
        if action.class == ActionClass::Ease
            && matches!(self.pat(a).term.as_str(), "停止" | "暂停" | "中止")
            && s.ms[ai + 1..]
                .iter()
                .take_while(|m| m.clause == a.clause)
                .find(|m| self.instrument_at(m).is_some() || self.action_at(m).is_some())
                .is_some_and(|m| {
                    ["对华销售", "对华出售", "向中国出售", "向中方出售"]
                        .contains(&self.pat(m).term.as_str())
                })
        {
            match self.actions.iter().find(|x| x.id == "halt_exports") {
                Some(halt) => action = halt,
                None => return,
            }
        }
        // An easing ruled out (排除了近期下调对华关税的可能性), or one China is left out of
        // (中国商品被排除在本轮关税豁免之外, 豁免清单公布，中国产品未被列入), eases nothing.
        if action.class == ActionClass::Ease && self.easing_withheld(s, ai) {
            return;
        }
        // Market access widened with the US not named in its clause (中国将进一步大幅放宽
        // 市场准入，为外资企业…提供更多便利) is opening to all comers, not an easing toward the
        // other side.
        if action.class == ActionClass::Ease && {
            let clause = clause_text(s.chars, a.start);
            clause.contains("市场准入")
                && !clause.contains("美资")
                && !s.sides.named.iter().any(|n| n.1 == a.clause && n.2 == USA)
        } {
            return;
        }
        // Lifting relief (撤销…关税豁免, 停止向华为供货) withdraws it: an escalation.
        // The first purchase in a long time (今年以来首次采购美国大豆, 时隔半年再次采购) is
        // a resumption.
        if action.id == "buy" && first_in_a_while(s.chars, a) {
            if let Some(resume) = self.actions.iter().find(|x| x.id == "resume_buying") {
                action = resume;
            }
        }
        let mut revoked = None;
        if matches!(action.id.as_str(), "lift" | "suspend") {
            revoked = self.relief_revoked(s, ai);
            if revoked.is_some() {
                match self.actions.iter().find(|x| x.id == "revoke") {
                    Some(revoke) => action = revoke,
                    None => return,
                }
            }
        }
        // An extension or renewal of relief refused (拒绝延长对中芯国际的出口许可, 不续期对
        // 华为的临时通用许可证) lets it lapse.
        let refused_renewal = action.id == "exempt"
            && ["延长", "续期", "续发"].contains(&self.pat(a).term.as_str())
            && refused_right_before(s.chars, a.start);
        // Relief left to lapse (关税排除将于年底到期且不再延长, 关税休战失效后…) ends it: an
        // escalation, as a withdrawal is.
        if revoked.is_none()
            && matches!(
                action.id.as_str(),
                "exempt" | "suspend" | "truce" | "extend_truce" | "postpone" | "relief"
            )
            && (refused_renewal
                || relief_lapses(
                    s.chars,
                    a,
                    action.id.starts_with("truce") || action.id == "extend_truce",
                ))
        {
            match self.actions.iter().find(|x| x.id == "end_relief") {
                Some(end) => action = end,
                None => return,
            }
        }
        // Relief that ends by itself (关税豁免期满后自动终止) lapses: the relief is coded as
        // ending (see `relief_lapses`), and 终止 is no lifting of its own.
        if action.id == "lift" && self.pat(a).term == "终止" && {
            let before = clause_text_before(s.chars, a.start, 12);
            before.ends_with("自动")
                && ["豁免", "排除", "暂停", "休战"]
                    .iter()
                    .any(|w| before.contains(w))
        } {
            return;
        }
        // Trade itself ended (将考虑终止与中国的食用油等贸易往来) is a restriction on it.
        let ends_trade = action.id == "lift" && self.pat(a).term == "终止" && {
            // (Not a trade war or talks ended: 终止与中国的贸易战.)
            let object: String = clause_after(s.chars, a.end).take(16).collect();
            let trade_itself = object.find("的贸易").is_some_and(|b| {
                !object[b + "的贸易".len()..].starts_with(['战', '谈', '磋', '协'])
            });
            object.starts_with('与')
                && (["贸易往来", "贸易关系"].iter().any(|w| object.contains(w)) || trade_itself)
        };
        if ends_trade {
            match self.actions.iter().find(|x| x.id == "restrict") {
                Some(restrict) => action = restrict,
                None => return,
            }
        }
        // Suspending exports (暂停向美国出口稀土磁体) restricts trade; suspending export
        // controls (暂停出口管制) eases it, and is read as before.
        // (出口 before a tariff act in the clause names the goods the tariff falls on:
        // 暂停对中国出口至美国的部分商品加征关税.)
        if action.id == "suspend"
            && exports_halted(s.chars, a)
            && !s.ms[ai + 1..].iter().any(|m| {
                m.clause == a.clause
                    && (self
                        .action_at(m)
                        .is_some_and(|x| x.class == ActionClass::Escalate)
                        || self
                            .instrument_at(m)
                            .is_some_and(|i| self.instruments[i as usize].id.contains("tariff")))
            })
        {
            match self.actions.iter().find(|x| x.id == "halt_exports") {
                Some(halt) => action = halt,
                None => return,
            }
        }
        // A truce that commentary is about (中美休兵只是暂时的, 休兵期结束后会如何发展, 休兵
        // 期能否延长, 休兵之下科技战仍未停歇, 休兵协议背后的算计) is the scene of the text, not
        // news of one agreed or extended.
        if action.id == "truce" && truce_as_topic(s.chars, a) {
            return;
        }
        // A truce with 延长 before it in its clause (延长对华关税休战期) or right after it
        // (关税休战延长90天) is the truce extended.
        if action.id == "truce" {
            let extended = s.ms[..ai]
                .iter()
                .any(|m| m.clause == a.clause && self.pat(m).term == "延长")
                || s.chars
                    .iter()
                    .skip(a.end)
                    .take(3)
                    .collect::<String>()
                    .contains("延长");
            if extended {
                if let Some(x) = self.actions.iter().find(|x| x.id == "extend_truce") {
                    action = x;
                }
            }
        }
        // No longer imposing new tariffs (不再对中国出口产品加征新的关税) rules them out;
        // 不再对…加征关税 alone stops the ones there are.
        if action.id == "suspend"
            && self.pat(a).term.starts_with("不再")
            && clause_text_after(s.chars, a.end).contains("新的关税")
        {
            if let Some(x) = self.actions.iter().find(|x| x.id == "forgo") {
                action = x;
            }
        }
        // 恢复 that restores no relief reinstates a tariff (see `reinstates_tariff`).
        if self.pat(a).term == "恢复" && !restores_relief(s.chars, a) {
            match self.actions.iter().find(|x| x.id == "reinstate") {
                Some(x) => action = x,
                None => return,
            }
        }
        // 延长 alone extends whatever its clause names: relief (延长…临时许可, 排除期限延长)
        // eases, a measure (延长对华为的出口禁令, 延长制裁) stays in force longer.
        if action.id == "exempt" && self.pat(a).term == "延长" && !extends_relief(s.chars, a) {
            match self.actions.iter().find(|x| x.id == "extend_measure") {
                Some(x) => action = x,
                None => return,
            }
        }
        // A scope widened is a measure's only: purchases, imports, talks, exclusions or
        // licences widened (中方对美采购范围扩大至能源和服务) are not escalations.
        if action.id == "widen"
            && [
                "采购", "进口", "谈判", "磋商", "排除", "豁免", "许可", "合作", "购买",
            ]
            .iter()
            .any(|w| clause_text(s.chars, a.start).contains(w))
        {
            return;
        }
        if self.governed(s, ai, action) {
            return;
        }
        let Some(mut instrument) = self.object(s, ai, action) else {
            return;
        };
        // A launch with nothing after it in its clause and no measure named (美国对华乙烷出口
        // 在停滞两个月后重新启动) is something started again, not a measure launched.
        if instrument.is_none()
            && ["启动", "发起"].contains(&self.pat(a).term.as_str())
            && clause_text_after(s.chars, a.end).is_empty()
        {
            return;
        }
        // Bullying faced (面对关税霸凌，中国不会退缩) is rhetoric about measures, not one.
        if action.id == "face"
            && ["霸凌", "大棒", "讹诈"]
                .iter()
                .any(|w| clause_text_after(s.chars, a.end).contains(w))
        {
            return;
        }
        // Sales to China published (美国农业部连续三天公布对华销售) are figures, not a
        // control proposed: the sales term names no measure without a restricting verb.
        // (Nor are trade figures published, 财政部今日公布10月出口金额达618亿美元.)
        // (An amount in it, 出口金额达500亿美元, is the figure, not a list's value.)
        if action.id == "propose" && {
            // (The clause after the verb read once, for the sales and the figures.)
            let rest = clause_text_after(s.chars, a.end);
            instrument.is_none() && rest.contains("销售")
                // (Nor is a deal's text published, 美方公布的中美经贸安排: the deal is no
                // measure proposed.)
                || instrument.is_none()
                    && ["经贸安排", "协议", "共识", "联合声明", "成果"]
                        .iter()
                        .any(|w| rest.contains(w))
                || ["金额", "数据", "统计", "出口额", "进口额", "贸易额"]
                    .iter()
                    .any(|w| rest.contains(w))
                || s.ms[ai + 1..]
                    .iter()
                    .find(|m| m.clause == a.clause && self.instrument_at(m).is_some())
                    .is_some_and(|m| {
                        ["对华销售", "对华出售", "向中国出售", "向中方出售"]
                            .contains(&self.pat(m).term.as_str())
                    })
        } {
            return;
        }
        // Licences withdrawn (撤销…出口许可证) are export controls tightened; a firm's
        // right to ship withdrawn (暂停…输华资格) is an import restriction. Said so, not
        // as a tariff.
        let measure_of_relief = |r: &str| match r {
            "许可证" | "出口许可" | "供货许可" | "许可" | "临时许可" | "通用许可" | "执照"
            | "牌照" => Some("export_control"),
            "输华资格" | "输美资格" | "出口资格" | "输华资质" | "输美资质" | "出口资质"
            | "对华出口资质" | "对华出口资格" | "资质" | "资格" => {
                Some("import_restrictions")
            }
            _ => None,
        };
        if let Some(id) = revoked.and_then(measure_of_relief) {
            if instrument.is_none_or(|i| self.instruments[i as usize].id.contains("tariff")) {
                instrument = self.instrument_named(id).or(instrument);
            }
        }
        let in_clause = |m: &&&Mention| m.clause == a.clause;
        let goods_in_sentence =
            s.ms.iter()
                .any(|m| self.kinds(m).any(|k| *k == Kind::Goods));
        let explicit_instrument =
            s.ms.iter()
                .filter(in_clause)
                .any(|m| self.instrument_at(m).is_some());
        // Talks between China and the US in a post about trade are about trade (a
        // spokesperson's "双方磋商取得进展" names no tariff); other acts need trade words in
        // their own sentence.
        let trade_here = s.trade
            || explicit_instrument
            // Import restrictions lifted from goods (解除对美国禽肉输华的限制) are trade, though
            // no word of the sentence is.
            || instrument.is_some_and(|i| self.instruments[i as usize].id == "import_restrictions")
            // Nor do exports restricted by a side (美国限制芯片对华出口): `object` found the
            // flow they restrict.
            || (action.id == "restrict"
                && instrument
                    .is_some_and(|i| self.instruments[i as usize].id == "export_control"))
            || self.pat(a).trade
            || action.trade
            // An easing of a trade act named after it in its clause (暂缓对中国商品加税,
            // 推迟对华加税), or fronted before a postponement (将对华加税推迟).
            || (action.class == ActionClass::Ease
                && action.needs_object
                && s.ms.iter().filter(in_clause).any(|m| {
                    self.action_at(m).is_some_and(|x| x.trade)
                        && (m.start > a.start || fronted_act(s.chars, m, a, action))
                }))
            || action.class == ActionClass::Talks
            // Sales to China allowed, or licences granted for them, are export controls eased
            // whatever words name the goods (允许英伟达向中国客户出售H200芯片; see `object`).
            || sale_to_china_allowed(self.pat(a).term.as_str(), instrument, self)
            || goods_let_into_china(s.chars, a, &self.pat(a).term)
            // A vow of countermeasures answers the trade measure the post is about
            // (…贸易摩擦。中方将坚决反制).
            || action.id == "vow"
            || (action.class == ActionClass::Purchase && goods_in_sentence);
        if !trade_here
            || self.talks_on_another_issue(s, ai, action)
            || action.id == "agree" && self.deal_with_a_firm(s, ai)
            || action.class == ActionClass::Talks && unofficial_talks(s.chars, a)
        {
            return;
        }
        // A visit is trade talks when a negotiator makes it or its clause names trade; a
        // former president's visit in a post that mentions trade elsewhere is not.
        // (Or trade is done during it: 特朗普访华期间，中方宣布采购波音飞机.)
        let trade_during = || {
            clause_text_after(s.chars, a.end).starts_with("期间")
                && s.ms.iter().any(|m| {
                    m.clause != a.clause
                        && self.action_at(m).is_some_and(|x| {
                            matches!(
                                x.class,
                                ActionClass::Purchase | ActionClass::Ease | ActionClass::Escalate
                            )
                        })
                })
        };
        if action.id == "visit"
            && !s.ms.iter().any(|m| {
                self.pat(m).trade && self.kinds(m).any(|k| matches!(k, Kind::Side(_)))
                    || m.clause == a.clause
                        && (self.instrument_at(m).is_some()
                            || self.kinds(m).any(|k| *k == Kind::Topic))
            })
            && !trade_during()
        {
            return;
        }
        if action.id == "arrive" && !self.us_goods_arrive_in_china(s, a) {
            return;
        }
        if action.id == "sell"
            && !s
                .sides
                .us_sells_to_china(a, self.pat(a).term.contains("中国"))
        {
            return;
        }
        // Talks joined by 或/和 to talks denied (没有就关税问题进行任何磋商或者谈判) are denied
        // too.
        if action.class == ActionClass::Talks && ai > 0 && {
            let prev = s.ms[ai - 1];
            let joiner: String = s.chars[prev.end.min(a.start)..a.start].iter().collect();
            ["或", "或者", "和", "及", "与", "、"].contains(&joiner.as_str())
                && self
                    .action_at(prev)
                    .is_some_and(|x| x.class == ActionClass::Talks)
                && ["没有", "并未", "从未", "未曾", "不存在", "并没有"]
                    .iter()
                    .any(|w| clause_text_before(s.chars, prev.start, 20).contains(w))
        } {
            return;
        }
        // Negotiators said to hold no talks (中美经贸团队目前没有任何磋商) are the subject of
        // the denial that follows, not talks held.
        if action.class == ActionClass::Talks && {
            after_has(
                s.chars,
                a.end,
                8,
                &["没有", "并未", "从未", "未曾", "未进行", "未再"],
            ) && s.ms[ai + 1..]
                .iter()
                .take_while(|m| m.clause == a.clause)
                .any(|m| {
                    m.start - a.end <= 14
                        && self
                            .action_at(m)
                            .is_some_and(|x| x.class == ActionClass::Talks)
                })
        } {
            return;
        }
        // Talks named as a rumour (#外交部回应中美关税谈判传闻#) are the rumour's topic.
        if action.class == ActionClass::Talks
            && ["传闻", "传言", "的说法", "报道"].iter().any(|w| {
                clause_after(s.chars, a.end)
                    .take(4)
                    .collect::<String>()
                    .starts_with(w)
            })
        {
            return;
        }
        // Talks ended (终止与中方关于会谈请求的所有讨论) are not held.
        // (Only talks the verb governs: 同意停止加征关税并继续谈判 goes on talking.)
        if action.class == ActionClass::Talks
            && governing_verb_before(
                s.chars,
                a.start,
                16,
                &["终止", "中止", "停止", "中断"],
                &["并", "继续", "关税", "措施", "，"],
            )
            // (Talks ended before and now restarted: 重启中断数月的贸易磋商.)
            .is_some_and(|earlier| !["重启", "恢复", "重新"].iter().any(|x| earlier.contains(x)))
        {
            return;
        }
        // Talks called off (原计划月底在韩国与中国领导人的会晤“似乎已无必要”, 会谈被取消)
        // are not held.
        if action.class == ActionClass::Talks && {
            let after: String = clause_after(s.chars, a.end)
                .filter(|c| !"“”\"「」'".contains(**c))
                .take(10)
                .collect();
            ["无必要", "没有必要", "作罢", "告吹", "被取消"]
                .iter()
                .any(|w| after.contains(w))
        } {
            return;
        }
        // Talks asked about rhetorically (在这种情况下如何进行谈判？) are refused, not held.
        // (A question about the next round, 双方下一步将如何磋商？, is no refusal: only 怎能/
        // 何以, or 如何 under pressure named, 在这种情况下.)
        let before = clause_text_before(s.chars, a.start, 10);
        if action.class == ActionClass::Talks
            && (["怎能", "何以"].iter().any(|w| before.contains(w))
                || ["如何", "怎么"].iter().any(|w| before.contains(w))
                    && sentence_has(
                        s.chars,
                        a.start,
                        &["这种情况下", "这样的情况下", "这种情形下"],
                    ))
            && (a.end..s.chars.len())
                .find(|&i| is_sentence_end(s.chars[i]))
                .is_some_and(|i| matches!(s.chars[i], '？' | '?'))
        {
            return;
        }
        // Sales or imports a court stops over patents (法院…要求苹果公司在中国停止销售和进口
        // 涉及侵犯高通专利的iPhone) are a lawsuit's remedy, not China's purchases.
        if action.class == ActionClass::Purchase
            && near_has(s.chars, a, &["专利", "侵权", "诉中禁令"])
        {
            return;
        }
        // Sales to China stopped (停止对华芯片设计软件（EDA）销售) are exports halted.
        if action.id == "sell"
            && ["停止", "暂停", "中止", "禁止"]
                .iter()
                .any(|w| clause_text_before(s.chars, a.start, 24).contains(w))
        {
            if let Some(x) = self.actions.iter().find(|x| x.id == "halt_exports") {
                action = x;
            }
        }
        // Chips sold or shipped to China (允许公司恢复向中国大陆客户销售H20芯片, 允许英伟达H200
        // 芯片对华出口, 模拟芯片进口数量累计增长37%) are a matter of export controls or of
        // trade remedies, coded elsewhere, not China's purchase commitments.
        // (China's own buying stays: 中方要求国内企业停止采购英伟达H20芯片.)
        let term = self.pat(a).term.as_str();
        let sellers_side = action.id == "sell"
            || ["出口", "销售", "出售"].iter().any(|w| term.contains(w))
            || term.contains("进口")
                && ["数量", "累计", "增长"]
                    .iter()
                    .any(|w| clause_text(s.chars, a.start).contains(w));
        if action.class == ActionClass::Purchase
            && action.id != "halt_exports"
            && sellers_side
            && near_has(s.chars, a, &["芯片", "晶片", "半导体"])
        {
            return;
        }
        // A firm's charges (计提了约55亿美元的库存和采购相关费用) are accounts, not purchases;
        // nor is paperwork (相关企业已开始办理进口手续).
        if action.class == ActionClass::Purchase && {
            let after: String = clause_after(s.chars, a.end).take(4).collect();
            after.contains("费用")
                || after.contains("成本")
                || after.starts_with("手续")
                // (Nor is how a firm buys, 公司采购安排以官方发布为准.)
                || after.starts_with("安排以")
                // (Nor the way in, 美国原木进口通道重新打通: access, coded by its verb.)
                || ["通道", "渠道", "口岸"].iter().any(|w| after.starts_with(w))
                // (Nor importers, 乙烷进口企业已被要求自行申报: firms, not a purchase.)
                || self.pat(a).term == "进口" && after.starts_with("企业")
        } {
            return;
        }
        // Imports from China (适用对象包括自中国大陆进口的相关产品) are another country's
        // buying of Chinese goods.
        if action.class == ActionClass::Purchase
            && self.pat(a).term.contains("进口")
            && [
                "自中国",
                "从中国",
                "自华",
                "从华",
                "自中国大陆",
                "从中国大陆",
            ]
            .iter()
            .any(|w| clause_text_before(s.chars, a.start, 8).ends_with(w))
        {
            return;
        }
        // A carrier's surcharge (船公司宣布对美东航线加收港口拥堵附加费) is a price, not a
        // state's levy.
        if self.pat(a).term == "加收"
            && clause_after(s.chars, a.end)
                .take(12)
                .collect::<String>()
                .contains("附加费")
        {
            return;
        }
        let (action, mode) = self.mode(s, ai, action);
        // Tariff lines counted by the tariff they carry (涉及211个加征25%关税的税目) are the
        // scope of the act around them, not an imposition.
        // Goods already levied (对2019年9月1日起已加征10%关税的商品，加征税率调整为5%) are
        // the scope of the act on them, as are tariff lines counted by their tariff.
        let mode = if action.id == "impose"
            && (counted_tariff_lines(s.chars, a) || goods_already_levied(s.chars, a))
        {
            Mode::Mentioned
        } else {
            mode
        };
        // An agreement cited for what it binds (根据第一阶段协议，中方承诺…; 仅完成协议目标的
        // 58%) is the frame of a purchase or a tally, not news of talks.
        let mode = if matches!(action.id.as_str(), "agree" | "sign_deal")
            && (agreement_cited(s.chars, a) || commitment_tally(s.chars, a.start))
            && !consensus_of_the_two(s.chars, a, &self.pat(a).term)
        {
            Mode::Mentioned
        } else {
            mode
        };
        // What talks were about (双方就取消加征关税等问题进行交流) is their topic, not an act.
        let mode = if action.class != ActionClass::Talks
            && topic_of_talks(s.chars, a, action.class == ActionClass::Ease)
        {
            Mode::Mentioned
        } else {
            mode
        };
        // The act a condition is about (如果美方执意加征关税，中方将坚决反制; 中国若报复，将再
        // 加征50%关税) is the premise of the escalation coded after it, not news of its own.
        if mode == Mode::Conditional
            && action.class == ActionClass::Escalate
            && s.answered.iter().any(|&c| c > a.clause)
        {
            return;
        }
        // So is the wish a door answers (如果美方想谈，大门是敞开的): no side sought talks.
        if mode == Mode::Conditional
            && action.id == "seek"
            && s.offered.iter().any(|&c| c > a.clause)
        {
            return;
        }
        // Acts whose other side goes without saying when no third party is in the post: a
        // vow in a trade war (我们必然会奉陪到底), and the tariff lists and tariffs of the
        // US–China conflict (3000亿加税清单, 芬太尼关税), and the tariff truce extended
        // (特朗普宣布将关税休战再延长90天): a truce has two parties, and a third would be named.
        let term = &self.pat(a).term;
        // Export controls on a flow to China (取消对华出口乙烷的许可证要求, 发放…对华出口
        // 许可证) name China in the flow, which the purchase term 对华出口 takes whole.
        // (Or before a licence required: 对华出口人工智能芯片须事先获得许可证.)
        let flow_to_china = || {
            let after: String = clause_text_after(s.chars, a.end).chars().take(24).collect();
            let before = || clause_text_before(s.chars, a.start, 24);
            instrument.is_some_and(|i| self.instruments[i as usize].id == "export_control")
                && (SALES_TO_CHINA.iter().any(|w| after.contains(w))
                    || action.id == "require_licence"
                        && SALES_TO_CHINA.iter().any(|w| before().contains(w)))
        };
        // The Tariff Commission's additional tariffs (国务院关税税则委员会…停止执行…加征关税
        // 措施) are its answers to the US: every list of them was on US goods.
        // (Its easings only: what it says of tariffs at large, 单边加征关税不解决任何问题, and
        // its export duties, 加征出口关税, answer no one.)
        // (Read only when a cheaper test has passed: most acts need no clause text.)
        let clause = std::cell::OnceCell::new();
        let clause = || {
            clause
                .get_or_init(|| clause_text(s.chars, a.start))
                .as_str()
        };
        let tariff_commission_levy = || {
            action.class == ActionClass::Ease
                && s.ms.iter().any(|m| {
                    ["国务院关税税则委员会", "税委会", "关税税则委员会"]
                        .contains(&self.pat(m).term.as_str())
                })
                && clause().contains("加征")
                && !clause().contains("出口关税")
        };
        // China's export controls on rare earths (暂停实施…稀土出口管制措施) are the answers
        // of the trade war; its prices, quotas and mines are not, nor controls said to face
        // another country in short (对日, 对欧).
        let rare_earth_controls = || {
            s.ms.iter().filter(|m| m.clause == a.clause).any(|m| {
                self.instrument_at(m)
                    .is_some_and(|i| self.instruments[i as usize].id == "rare_earths")
            }) && [
                "出口管制",
                "出口限制",
                "管制措施",
                "出口禁令",
                "稀土管制",
                "管制范围",
            ]
            .iter()
            .any(|w| clause().contains(w))
                && !AGAINST_THIRD.iter().any(|w| clause().contains(w))
        };
        // Export controls eased in a post naming no third party (中方将暂停实施10月9日公布的
        // 相关出口管制等措施一年) ease them for the US, the other side of the conflict they
        // were part of.
        // (China must be named before it: 俄或取消粮食出口禁令 is no one's here.)
        let controls_eased = || {
            action.class == ActionClass::Ease
                && s.sides.named.iter().any(|n| n.2 == CHN && n.0 < a.start)
                && instrument.is_some_and(|i| {
                    self.instruments[i as usize].id == "export_control"
                        || action.id == "release_rare_earths"
                })
                && !AGAINST_THIRD.iter().any(|w| clause().contains(w))
        };
        // China's counter-tariffs (陆方将取消91%的反制关税) answer someone by their name:
        // with no third party in the post, the US, whose tariffs they answered. (China named
        // before the act: a capital the codebook does not know may be cutting its own.)
        let counter_tariffs = || {
            s.sides.named.iter().any(|n| n.2 == CHN && n.0 < a.start)
                && COUNTER_TARIFFS.iter().any(|w| clause().contains(w))
                && !AGAINST_THIRD.iter().any(|w| clause().contains(w))
        };
        // Names put on the unreliable-entity list, or the list set up, or the entity list
        // widened, in a post naming no third party: the lists of the US–China conflict (商务部
        // 宣布将建立不可靠实体清单制度). (Not a rule described or a way off a list: 可以申请将其
        // 移出.)
        // (Firms the codebook does not know, put on the entity list, may be anyone's: 美国
        // 商务部将NSO集团列入实体清单. Only widening that list is the conflict's.)
        let listing = || {
            action.class == ActionClass::Escalate
                && LISTING.contains(&term.as_str())
                && instrument.is_some_and(|i| match self.instruments[i as usize].id.as_str() {
                    "unreliable_entity_list" => true,
                    "entity_list" => term.as_str() == "扩大",
                    _ => false,
                })
        };
        // A US tariff act in a sentence about talks in a post naming no third party (川普以谈判
        // 取得实质进展为由，宣布延后原订3月1日的关税调升期限) is the talks' business: its
        // other side is the talks' other side.
        let tariffs_beside_talks = || {
            matches!(action.class, ActionClass::Ease | ActionClass::Escalate)
                && instrument.is_some_and(|i| self.instruments[i as usize].id == "tariff")
                && s.sides.named.iter().any(|n| n.2 == USA && n.0 < a.start)
                // (Talks with trading partners, 正在与主要贸易伙伴进行谈判, are theirs.)
                && !s.ms.iter().any(|m| {
                    WORLD_AT_LARGE.contains(&self.pat(m).term.as_str())
                        || self
                            .kinds(m)
                            .any(|k| matches!(k, Kind::Side(x) if *x != CHN && *x != USA))
                })
                && s.ms.iter().any(|m| {
                    self.action_at(m)
                        .is_some_and(|x| x.class == ActionClass::Talks)
                })
        };
        // Additional tariffs (加征关税) eased in a post that names no side at all (a sentence
        // cut from its article: 部分商品将被移出加征关税清单) are the US–China conflict's:
        // additional tariffs are how each side's measures against the other are called.
        let unnamed_additional_tariffs_eased =
            || action.class == ActionClass::Ease && s.post_sides == 0 && clause().contains("加征");
        // An instrument named in the act's clause, though another word is its object.
        let instrument_in_clause = |id: &str| {
            s.ms.iter().any(|m| {
                m.clause == a.clause
                    && self
                        .instrument_at(m)
                        .is_some_and(|i| self.instruments[i as usize].id == id)
            })
        };
        let implied_counterpart = action.id == "vow"
            || action.id == "extend_truce"
            || action.id == "truce" && (term.contains("关税") || term.contains("贸易"))
            || instrument.is_some_and(|i| {
                matches!(
                    self.instruments[i as usize].id.as_str(),
                    "tariff_list"
                        | "fentanyl_tariff"
                        | "section_301"
                        | "countermeasure"
                        | "affiliates_rule"
                        // The US screens outbound investment for China's sake alone.
                        | "investment_restrictions"
                )
            })
            || rare_earth_controls()
            || controls_eased()
            || flow_to_china()
            || tariff_commission_levy()
            || counter_tariffs()
            || listing()
            || tariffs_beside_talks()
            // One of the conflict's tariff lists (将2000亿美元清单税率上调推迟至…: the rate), or
            // the affiliates rule, a US rule aimed at China alone (暂停实施…出口管制“50%穿透性
            // 规则”一年).
            || instrument_in_clause("tariff_list")
            || instrument_in_clause("affiliates_rule")
            || unnamed_additional_tariffs_eased()
            // Supplies to China stopped or resumed (停止对华供货, 暂停向中国客户交付, 恢复对中国
            // 客户的供应) name China in the verb itself.
            || matches!(action.id.as_str(), "halt_exports" | "supply")
                && (term.contains('华') || term.contains("中国"))
            // US goods arriving at a Chinese port (see `us_goods_arrive_in_china`) arrive in
            // China, named or not.
            || action.id == "arrive";
        // Talks of the lead negotiators in a post that names no side (上一次牵头人通话是8月
        // 13日…现在再度确认下一轮磋商) are China's and the US's: 牵头人 is what Chinese trade
        // news calls the two heads of those talks.
        let lead_negotiators = action.class == ActionClass::Talks
            && s.post_sides == 0
            && s.chars.windows(3).any(|w| w == ['牵', '头', '人']);
        // An easing for a count of other countries (对超过75个未采取报复措施的国家和地区，暂停
        // 实施“对等关税”90天) is theirs, unless China is named between them and the act.
        if action.class == ActionClass::Ease && for_counted_countries(s.chars, a) {
            return;
        }
        // Seeking talks said of countries (主动寻求谈判的国家) describes them.
        if action.class == ActionClass::Talks
            // (A partner may stand between: 已接触美方寻求谈判的国家.)
            && after_has(s.chars, a.end, 12, &["的国家", "的经济体", "的贸易伙伴"])
        {
            return;
        }
        // A measure a third party faces (加拿大目前同时面临美国加征关税压力与对华贸易摩擦)
        // falls on that party, whatever else its clause names.
        if action.class == ActionClass::Escalate && self.faced_by_third(s, ai) {
            return;
        }
        let Some((actor, target)) = s.sides.resolve(
            a,
            action.class,
            s.last_actor,
            if lead_negotiators {
                1 << CHN | 1 << USA
            } else {
                s.post_sides
            },
            s.us_china_post,
            Hints {
                directed: matches!(
                    action.id.as_str(),
                    "seek" | "offer" | "willing" | "evaluate" | "visit"
                ),
                implied_counterpart,
                visit: action.id == "visit",
                door: action.id == "offer",
                faced: action.id == "face",
                continues: continues_clause(s.chars, a.start),
                opens_clause: a.start == clause_start(s.chars, a.start),
                us_implied: s.us_implied,
                wished: s.wish_clauses.binary_search(&a.clause).is_ok(),
                china_marked: s.chars[clause_start_within(s.chars, a.start, 5)..a.start]
                    .windows(2)
                    .any(|w| w == ['对', '华']),
                no_dui_in_clause: action.class == ActionClass::Ease && {
                    // (Within 30 characters either side: a run-on clause is read once.)
                    let near = clause_text_before(s.chars, a.start, 30)
                        + &clause_after(s.chars, a.end).take(30).collect::<String>();
                    !near.replace("对等", "").contains('对')
                },
            },
        ) else {
            return;
        };
        // An agreement is signed by both sides (特朗普表示，很快将与习近平签署贸易协议).
        // Goods let into China (恢复美国原木输华, 允许…美国禽肉输华) are let in by China,
        // whatever side their origin names. (So are US goods allowed to be imported,
        // 允许符合我国相关法律法规要求的美国禽肉进口.)
        let into_china = action.class == ActionClass::Ease
            && instrument.is_some_and(|i| self.instruments[i as usize].id == "import_restrictions")
            && (clause_text(s.chars, a.start).contains("输华")
                || ["允许", "准许", "放开"].contains(&term.as_str()) && {
                    let object = clause_text_after(s.chars, a.end);
                    object.ends_with("进口") && object.contains('美')
                });
        // The side whose request was granted (应中国副总理刘鹤的请求) sought the contact,
        // whoever granted it.
        let requester = (self.pat(a).term == "的请求")
            .then(|| {
                s.sides
                    .named
                    .iter()
                    .rfind(|n| n.1 == a.clause && n.0 < a.start && us_or_china(n.2))
                    .map(|n| n.2)
            })
            .flatten();
        let (actor, target) = if let Some(r) = requester {
            let o = if r == CHN { USA } else { CHN };
            (Participant::Side(r), Some(Participant::Side(o)))
        } else if action.id == "sign_deal" {
            (Participant::UsChina, None)
        } else if into_china || action.id == "ban_imports" && term.contains("输华") {
            // (So are goods kept out: 美国禽肉已被禁止输华.)
            (Participant::Side(CHN), Some(Participant::Side(USA)))
        } else if action.id == "ban_imports" && term.contains("输美") {
            (Participant::Side(USA), Some(Participant::Side(CHN)))
        } else {
            (actor, target)
        };
        // What faces a measure (中国商品将面临25%的关税) is its target: the side named before
        // 面临 is the one it falls on.
        let (actor, target) = match (actor, target) {
            (Participant::Side(s_), Some(t))
                if action.id == "face"
                    && s.sides
                        .named
                        .iter()
                        .rev()
                        .find(|n| n.0 < a.start)
                        .map(|n| n.2)
                        == Some(s_) =>
            {
                (t, Some(Participant::Side(s_)))
            }
            other => other,
        };
        // China cutting its tariffs with no one named and no additional tariff in sight
        // (中国已主动将进口汽车关税从25%降至15%) cuts them for every country: not an
        // easing towards the US. (Its counter-tariffs are no one's but the US's.)
        if action.class == ActionClass::Ease
            && actor == Participant::Side(CHN)
            && !counter_tariffs()
            && instrument.is_some_and(|i| self.instruments[i as usize].id == "tariff")
            && !s.sides.named.iter().any(|n| n.2 == USA)
            && s.sides.pairs.is_empty()
            && !s.ms.iter().filter(in_clause).any(|m| {
                self.action_at(m)
                    .is_some_and(|x| x.class == ActionClass::Escalate)
            })
            // (Nor the additional tariffs named in the clause before: 此前加征10%关税的，税率
            // 调整为5%.)
            && !s.ms.iter().any(|m| m.end <= a.start && self.pat(m).term.starts_with("加征"))
        {
            return;
        }
        // Restrictions on Chinese firms (华为被解禁, 恢复对华为供货) are the US's to impose or
        // ease: when no Chinese side but the firm is named before the act in its sentence, the
        // side that 华为 or a pair word lends the act is not the one taking it ("China eased
        // restrictions on Chinese firms"). (A Chinese actor carried from the sentence before
        // is swapped too; China's own curbs on its firms are rare in what windvane watches.)
        let (actor, target) = match (actor, target) {
            (Participant::Side(CHN), None | Some(Participant::Side(USA)))
                if matches!(action.class, ActionClass::Ease | ActionClass::Escalate)
                    && action.id != "vow"
                    && instrument
                        .is_some_and(|i| self.instruments[i as usize].id == "tech_firms")
                    && !s.sides.named.iter().any(|n| {
                        n.2 == CHN
                            && n.0 < a.start
                            && !s.ms.iter().any(|m| m.start == n.0 && self.names_firms(m))
                    }) =>
            {
                (Participant::Side(USA), Some(Participant::Side(CHN)))
            }
            other => other,
        };
        let coded_event = CodedEvent {
            action,
            actor,
            target,
            instrument,
            mode,
        };
        self.record(s, ai, &coded_event, norm, coded);
    }

    /// What the condition before the answer at `s.ms[ai]` says the other side does, in the
    /// third person ("imposes tariffs"): its nearest escalating act, with its instrument (its
    /// nearest easing, "lifts tariffs", when the answer is an easing).
    /// Whether the easing at `ai` is ruled out or withheld from China (see `code_action`).
    fn easing_withheld(&self, s: &Sentence, ai: usize) -> bool {
        let a = s.ms[ai];
        let chars = s.chars;
        let before = clause_text_before(chars, a.start, 24);
        let after: String = clause_after(chars, a.end).take(24).collect();
        // 排除 as "rule out": with 了 or 对 after it (排除对中国商品给予任何新的关税豁免,
        // 排除了…), or before "the possibility" (排除…的可能); not 排除清单 or 排除延期.
        let rules_out = |text: &str, possibility: bool| {
            text.match_indices("排除").any(|(i, _)| {
                !["不", "未", "无法", "难以"]
                    .iter()
                    .any(|n| text[..i].ends_with(n))
                    && (text[i..].starts_with("排除了")
                        || text[i..].starts_with("排除对")
                        || possibility)
            })
        };
        let possibility = after.contains("可能");
        let withheld_from = |text: &str| {
            text.starts_with('在')
                && text.contains("之外")
                && [
                    "豁免", "暂缓", "减免", "暂停", "延期", "优惠", "休战", "免税", "下调", "取消",
                ]
                .iter()
                .any(|w| text.contains(w))
        };
        let ruled_out = if self.pat(a).term.starts_with("排除") {
            let own = format!("排除{after}");
            rules_out(&own, possibility) || withheld_from(&after)
        } else {
            rules_out(&before, possibility)
        };
        // Left out: 排除在…(easing)…之外, or China said not to be in it after it.
        let sentence_after: String = chars[a.end..]
            .iter()
            .take_while(|c| !is_sentence_end(**c))
            .take(40)
            .collect();
        let left_out = before.contains("排除在") && after.contains("之外")
            || LEFT_OUT.iter().any(|w| sentence_after.contains(w))
            || sentence_after.find("不在").is_some_and(|i| {
                // (Some goods kept out of a relief China got, 但存储芯片不在豁免范围之列, leave
                // the relief standing: a side must be what is not in it.)
                let between = &sentence_after[..i];
                ["中国", "中方", "华", "美国", "美方"]
                    .iter()
                    .any(|w| between.contains(w))
            }) && ["之内", "之列", "范围内"]
                .iter()
                .any(|w| sentence_after.contains(w))
            || (before.contains("不在") && (after.contains("之内") || after.contains("范围")));
        ruled_out || left_out
    }

    fn premise(&self, s: &Sentence, ai: usize) -> Option<String> {
        let a = s.ms[ai];
        let answer_eases = self
            .action_at(a)
            .is_some_and(|x| x.class == ActionClass::Ease);
        let (i, m) = s.ms[..ai].iter().enumerate().rev().find(|(_, m)| {
            m.clause < a.clause
                && s.sides.conditional_clauses.contains(&m.clause)
                // (An easing answers an easing: 如果美方取消…加征关税，中方也将相应取消 is
                // conditioned on the lifting, not on the 加征 it lifts.)
                && self.action_at(m).is_some_and(|x| {
                    if answer_eases {
                        x.class == ActionClass::Ease
                    } else {
                        x.class == ActionClass::Escalate && x.id != "vow"
                    }
                })
        })?;
        let action = self.action_at(m)?;
        let instrument = self.object(s, i, action).flatten()?;
        let (verb, rest) = action.base.split_once(' ').unwrap_or((&action.base, ""));
        let verb = if verb.ends_with("ch") || verb.ends_with("sh") || verb.ends_with('s') {
            format!("{verb}es")
        } else {
            format!("{verb}s")
        };
        let instrument = &self.instruments[instrument as usize];
        let object = &instrument.en;
        if instrument.id.ends_with("entity_list") {
            return Some(format!("adds firms to {object}"));
        }
        Some(
            [verb.as_str(), rest, object.as_str()]
                .iter()
                .filter(|w| !w.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(" "),
        )
    }

    /// Whether the lifting verb at `s.ms[i]` withdraws relief (see `revokes_relief`), reading
    /// its object up to the next act that is not an easing.
    fn relief_revoked(&self, s: &Sentence, i: usize) -> Option<&'static str> {
        let a = s.ms[i];
        // (A measure that names the relief's tariff, 对等关税豁免, is part of the object.)
        let until = s.ms[i + 1..]
            .iter()
            .find(|m| {
                self.action_at(m)
                    .is_some_and(|x| x.class != ActionClass::Ease)
                    && !RELIEF.iter().any(|r| word_at(s.chars, m.end, r))
            })
            .map_or(usize::MAX, |m| m.start);
        revokes_relief(s.chars, &self.pat(a).term, a, until)
    }

    /// Whether the escalating act at `ai` is part of an easing: 相应 measures answering one
    /// in kind (中方采取相应措施), or the scope listed after one (暂停实施…301调查措施一年，
    /// 包括对中国船舶收取的港口费). The nearest act before it in its sentence eases (and
    /// withdraws no relief), its clause names no countermeasure, and no condition comes
    /// before it (如美方继续升级，将采取相应反制措施 stays a vow). Measures taken, then said
    /// as the easing in the next clause (采取必要措施，暂停或取消…反制措施), are the easing too.
    fn part_of_an_easing(&self, s: &Sentence, ai: usize) -> bool {
        let a = s.ms[ai];
        let clause = clause_text(s.chars, a.start);
        let opens = |w: &str| clause.starts_with(w);
        // (以及 continues the list of what the easing undoes: 暂停实施…的措施，以及对韩华海洋
        // 美国子公司的反制措施.)
        let scope = ["包括", "其中包括", "含", "以及"].iter().any(|w| opens(w));
        // The measure an easing undoes, told after it as what had been (…可以恢复对中国客户的
        // 供应，此前美方曾要求这些企业暂停对华供货): its background, not a new measure.
        let undone = ["此前", "之前", "先前", "早前"].iter().any(|w| opens(w))
            && clause.contains('曾')
            && s.ms[..ai].iter().any(|m| {
                m.sentence == a.sentence
                    && m.clause < a.clause
                    && self
                        .action_at(m)
                        .is_some_and(|x| x.class == ActionClass::Ease)
            });
        if undone {
            return true;
        }
        let in_kind =
            clause.contains("相应") && !["反制", "反击", "回击"].iter().any(|w| clause.contains(w));
        // (Or said as an adjustment anywhere in the next clause: 中方采取相应措施，对美方
        // 商品加征关税税率同步调整.)
        let taken_then_said = clause.contains("采取") && {
            let next_clause = s.ms[ai + 1..].iter().find(|m| m.clause != a.clause);
            next_clause.is_some_and(|m| {
                m.sentence == a.sentence
                    && (m.start <= clause_start(s.chars, m.start) + 2
                        && self
                            .action_at(m)
                            .is_some_and(|x| x.class == ActionClass::Ease)
                        || s.ms[ai + 1..].iter().any(|n| {
                            n.clause == m.clause
                                && self.action_at(n).is_some_and(|x| {
                                    matches!(x.id.as_str(), "scale_back" | "adjust")
                                })
                        }))
            })
        };
        if taken_then_said && !clause.contains("反制") {
            return true;
        }
        if !(in_kind || scope) {
            return false;
        }
        // (Measures in kind answering the sentence before, which eased: …保留剩余10%；中方
        // 采取相应措施.)
        if in_kind
            && s.eased_before
            && !s.ms[..ai].iter().any(|m| {
                m.sentence == a.sentence && m.clause != a.clause && self.action_at(m).is_some()
            })
        {
            return true;
        }
        if s.ms[..ai]
            .iter()
            .any(|m| m.sentence == a.sentence && self.cue(m, Cue::Conditional))
        {
            return false;
        }
        // (An act after an easing in its clause, 暂停实施24%的对等关税, is that easing's
        // object; not after 同时/但: 暂停加征关税的同时收紧对华芯片出口.)
        let carried = |j: usize| {
            s.ms[..j].iter().any(|m| {
                m.clause == s.ms[j].clause
                    && self
                        .action_at(m)
                        .is_some_and(|x| x.class == ActionClass::Ease)
                    && !between_has(s.chars, m.end, s.ms[j].start, CONTRASTS)
            })
        };
        let before = (0..ai).rev().find(|&j| {
            let m = s.ms[j];
            m.sentence == a.sentence
                && m.clause != a.clause
                && self.action_at(m).is_some()
                && !carried(j)
        });
        // (Nor with a measure named between them: 延长关税休战期但扩大实体清单范围，中方将
        // 采取相应措施 answers the wider list.)
        before.is_some_and(|j| {
            let eased_to = self.phrase_end(s, j);
            self.action_at(s.ms[j])
                .is_some_and(|x| x.class == ActionClass::Ease)
                && self.relief_revoked(s, j).is_none()
                && !s.ms[j + 1..ai].iter().any(|m| {
                    m.start >= eased_to
                        && self.instrument_at(m).is_some()
                        && (m.clause != s.ms[j].clause
                            || between_has(s.chars, eased_to, m.start, CONTRASTS))
                })
        })
    }

    /// Whether another act in the sentence governs this one, which then codes nothing.
    fn governed(&self, s: &Sentence, ai: usize, action: &Action) -> bool {
        let (ms, a) = (&s.ms, s.ms[ai]);
        let in_clause = |m: &&&Mention| m.clause == a.clause;
        // Direction: an easing in the clause governs an imposition there (暂停…加征关税,
        // 加征的关税由145%降至30%): the easing codes the event, the imposition only names its
        // object.
        // A neutral adjustment governs the measures it adjusts: the rate before it (加征关税从
        // 125%调整为10%) or the measures after it (调整对原产于美国的进口商品加征关税措施), not
        // an imposition reported beside it (调整对华策略后…加征关税).
        // A demand that the other side stop what it is doing (敦促美方停止对华为的无理打压)
        // reports the act going on: the demanded 停止 does not govern it. (撤销/取消 name a
        // measure to revoke, which the demand is about: 敦促美方…撤销所谓制裁.)
        let demanded = |m: &Mention| {
            m.start < a.start
                && self.pat(m).term == "停止"
                && ms.iter().any(|d| {
                    d.clause == m.clause
                        && d.end <= m.start
                        && m.start - d.end <= 8
                        && self.cue(d, Cue::Demand)
                })
        };
        // Tariffs named by their imposing (互征关税) and said to fall right after: the
        // imposing carries the tariff the fall has no other word for, and codes the cut (see
        // `mode`).
        if action.id == "impose" && self.mutual_tariffs_falling(s, a) {
            return false;
        }
        // A suspension of a reinstatement (暂缓原定12月15日起对美国汽车恢复加征关税) keeps
        // the tariff off: the suspension codes the event. So does one of relief withdrawn
        // (暂缓取消对华小额包裹免税待遇).
        if matches!(action.id.as_str(), "reinstate" | "revoke")
            && ms[..ai]
                .iter()
                .filter(in_clause)
                .any(|m| self.holds_off(s.chars, m, a))
        {
            return true;
        }
        // So does a suspension of the decision named after it (取消…免税待遇的决定暂缓执行).
        if matches!(action.id.as_str(), "reinstate" | "revoke")
            && ms[ai + 1..].iter().filter(in_clause).any(|m| {
                self.action_at(m)
                    .is_some_and(|x| matches!(x.id.as_str(), "suspend" | "postpone"))
                    && decision_held(s.chars, a.end, m.start)
            })
        {
            return true;
        }
        if action.class == ActionClass::Escalate
            && !matches!(action.id.as_str(), "revoke" | "reinstate" | "end_relief")
            && ms.iter().filter(in_clause).any(|m| {
                m.start != a.start
                    && !demanded(m)
                    && !attributive_past(s.chars, m)
                    && self.action_at(m).is_some_and(|x| {
                        x.class == ActionClass::Ease
                            // Signing or taking effect governs nothing: a tariff that takes
                            // effect (加征关税于9月1日正式生效) is imposed.
                            && x.id != "sign_deal"
                            // Nor does an approval (国会批准对华加征关税法案): it eases only
                            // as a licence granted (see `object`).
                            && !GRANTS.contains(&self.pat(m).term.as_str())
                            // An easing after the measure in sequence (加征关税后…下调了…预期)
                            // is about something else.
                            && !(m.start > a.start && sequenced(s.chars, a.end, m.start))
                            // A rate held (不提高加征关税税率) governs the imposition it names,
                            // not a raise beside it (维持…301关税并大幅上调…关税).
                            && (x.id != "hold" || action.id == "impose")
                            && (x.id != "adjust"
                                || m.start > a.start
                                || clause_text_after(s.chars, a.end).contains("措施")
                                // 修改…规定的34%对等关税: the measure it modifies, when
                                // nothing between starts another act (调整对华策略后…加征).
                                || s.chars[m.end..a.start]
                                    .iter()
                                    .all(|c| !"后并再又还".contains(*c)))
                    })
            })
        {
            return true;
        }
        // A measure named as the subject of a promise not to carry it out (原本威胁…加征的
        // 100%关税将不会实施): the promise, coded at its verb, is the event.
        if action.class == ActionClass::Escalate
            && ms[ai + 1..].iter().filter(in_clause).any(|m| {
                self.action_at(m).is_some_and(|x| x.id == "restrict")
                    && ["实施", "执行", "征收"].contains(&self.pat(m).term.as_str())
                    && ms.iter().filter(in_clause).any(|n| {
                        n.end <= m.start
                            && m.start - n.end <= 1
                            && n.start > a.end
                            && self.cue(n, Cue::Negation)
                            && FORWARD_NEGATIONS.contains(&self.pat(n).term.as_str())
                    })
            })
        {
            return true;
        }
        // An easing named before a reinstatement in its clause (把之前暂停的那批对华关税又
        // 恢复了) is what is undone.
        if action.class == ActionClass::Ease
            && ms[ai + 1..].iter().filter(in_clause).any(|m| {
                self.pat(m).term == "恢复"
                    && !restores_relief(s.chars, m)
                    && !self.holds_off(s.chars, a, m)
            })
        {
            return true;
        }
        // Room for a measure (存在调降空间) is a guess, not an act. (The chance of one, 不排除
        // 加税的可能, is a threat.)
        if matches!(action.class, ActionClass::Ease | ActionClass::Escalate) {
            let next: String = s.chars.iter().skip(a.end).take(3).collect();
            if next.starts_with("空间") || next.starts_with("的空间") {
                return true;
            }
            // A chance said to be small (再加税的可能性很低) is no threat.
            let chance: String = s.chars.iter().skip(a.end).take(9).collect();
            if chance.starts_with("的可能性")
                && ["低", "小", "不大", "不高"]
                    .iter()
                    .any(|w| chance.contains(w))
            {
                return true;
            }
            // Nor is a time before one (关税降下来之前，企业不敢接单).
            if action.class == ActionClass::Ease
                && (next.starts_with("之前") || next.starts_with("以前"))
            {
                return true;
            }
        }
        // Relief that runs out (301关税排除于5月31日到期后不再延长) is no easing: what follows
        // it is the news.
        // (A new end date, 延长至8月31日到期, 暂停90天至11月10日到期, is the easing's.)
        let after: String = clause_text_after(s.chars, a.end).chars().take(14).collect();
        if action.class == ActionClass::Ease
            && after
                .find("到期")
                .is_some_and(|at| !after[..at].chars().any(|c| "至到延续展停".contains(c)))
        {
            return true;
        }
        // Relief named after a verb that withdraws it (撤销…关税豁免) is that verb's object.
        // (Not a hold of its decision: 取消…免税待遇的决定暂缓执行.)
        // (The verb reads at most 40 characters of its object: verbs further back are not
        // asked, which keeps a run-on clause of many suspensions from going quadratic.)
        if action.class == ActionClass::Ease
            && (0..ai)
                .rev()
                .take_while(|&i| ms[i].clause == a.clause && ms[i].start + 80 >= a.start)
                .any(|i| {
                    a.start <= ms[i].end + 40
                        && !decision_held(s.chars, ms[i].end, a.start)
                        && self
                            .action_at(ms[i])
                            .is_some_and(|x| matches!(x.id.as_str(), "lift" | "suspend"))
                        && self.relief_revoked(s, i).is_some()
                })
        {
            return true;
        }
        // One measure written in two adjacent terms (加征 + 新关税) is one event. (Talks
        // words side by side, 多种渠道主动接触, stay separate: each is evidence.)
        if matches!(action.class, ActionClass::Escalate | ActionClass::Ease)
            && ai > 0
            && ms[ai - 1].end == a.start
            && self
                .action_at(ms[ai - 1])
                .is_some_and(|x| x.id == action.id)
        {
            return true;
        }
        // An imposition in a relative clause (为反制美国301措施所加征的关税) describes the
        // tariff the sentence's act is about.
        // So does one already levied (已加征的关税税款可申请退还).
        if action.class == ActionClass::Escalate
            && a.start > 0
            && (s.chars[a.start - 1] == '所'
                || s.chars[a.start - 1] == '已' && s.chars.get(a.end) == Some(&'的'))
        {
            return true;
        }
        // The measure a part of which the next clause eases (美方对中国商品加征的34%关税中，
        // 24%暂停实施) is named, not imposed.
        if action.class == ActionClass::Escalate {
            let rest = clause_text_after(s.chars, a.end);
            if rest.starts_with('的') && rest.trim_end().ends_with("关税中") {
                return true;
            }
        }
        // A measure named as what an act averts (避免对陆关税重新升至145%, 以免国内工厂因
        // 原料断供而停产) is not taken. (A levy averted is one in force that traders avoid
        // paying: 以避免中国对这种燃料征收关税.)
        if action.class == ActionClass::Escalate && action.id != "impose" && {
            let from = clause_start(s.chars, a.start);
            let before: String = s.chars[from..a.start].iter().collect();
            AVERTS.iter().any(|w| before.contains(w))
        } {
            return true;
        }
        // An imposition named as a noun in a sentence whose act is an easing (…停止执行…对
        // 大豆、猪肉加征10%的关税; 使整体加征幅度由…; 恢复加征的关税继续暂停) names the measure
        // eased or left in place, not a new one.
        if action.class == ActionClass::Escalate
            && action.id != "revoke"
            && self.named_in_an_easing(s, ai)
        {
            return true;
        }
        // An imposition said of the goods that bear it (对2018年9月起加征关税的自华进口商品,
        // 列入加税清单中的自美进口汽车) describes them; the sentence's news is elsewhere.
        if action.class == ActionClass::Escalate && self.describes_goods(s, ai) {
            return true;
        }
        // Extending a truce named later in the clause (延长对华关税休战期) is the truce's
        // extension: the truce codes it, not an exemption.
        if action.id == "exempt"
            && self.pat(a).term == "延长"
            && ms[ai + 1..]
                .iter()
                .any(|m| m.clause == a.clause && self.action_at(m).is_some_and(|x| x.id == "truce"))
        {
            return true;
        }
        // "At the invitation of" (应美方邀请，刘鹤将率团赴华盛顿举行磋商) accepted the
        // invitation: the news is the talks that follow, not an offer.
        if action.id == "willing" && at_invitation(s.chars, a) {
            return true;
        }
        // 谈 as the topic of an offer right after it (要谈，大门敞开) is what is offered.
        if action.id == "negotiate"
            && ms.get(ai + 1).is_some_and(|m| {
                self.action_at(m).is_some_and(|x| x.id == "offer")
                    && m.start.saturating_sub(a.end) <= 2
            })
        {
            return true;
        }
        // A wish for talks governs the talks it names (希望就关税问题举行会谈): one event, the
        // seeking.
        // (Not the other side's door: 如果美方真的想谈，…，中方的大门是敞开的 is China's offer.)
        let absorbs = |x: &Action| x.id == "seek" || x.id == "willing";
        if action.class == ActionClass::Talks
            && !absorbs(action)
            && action.id != "offer"
            && ms[..ai].iter().any(|m| {
                self.action_at(m).is_some_and(absorbs)
                    && !(self.action_at(m).is_some_and(|x| x.id == "willing")
                        && at_invitation(s.chars, m))
                    // (A welcome in a clause of its own, 中方对此表示欢迎，称双方…将举行…磋商,
                    // names no talks.)
                    && !(self.pat(m).term == "欢迎" && m.clause != a.clause)
            })
        {
            return true;
        }
        // General willingness (愿意, 欢迎) is an offer of talks only with talks after it.
        if action.id == "willing"
            && !ms[ai + 1..].iter().any(|m| {
                self.action_at(m)
                    .is_some_and(|x| x.class == ActionClass::Talks && !absorbs(x))
            })
        {
            return true;
        }
        // Goods named as the object of a tariff or trade remedy are not purchases
        // (对原产于美国的进口高粱进行反倾销调查). A sum alone (价值500亿美元的美国农产品)
        // is the purchase's size, not a tariff list.
        // A purchase word that names what a barrier stops (对华出口许可证, 进口禁令) is the
        // barrier's attribute, not a purchase.
        // An importer (进口商可向海关申请退税) is a firm, not a purchase.
        if action.class == ActionClass::Purchase
            && (barrier_at(s.chars, a.end)
                || self.pat(a).term == "进口"
                    && s.chars.get(a.end) == Some(&'商')
                    && s.chars
                        .get(a.end + 1)
                        .is_none_or(|c| !"品用务业".contains(*c)))
        {
            return true;
        }
        // Imports exempted right before them (免关税进口美国乙烷) are the exemption's object.
        if action.class == ActionClass::Purchase
            && ms.iter().filter(in_clause).any(|m| {
                self.action_at(m)
                    .is_some_and(|x| x.class == ActionClass::Escalate && x.id != "widen")
                    || self.action_at(m).is_some_and(|x| x.id == "exempt")
                        && m.end <= a.start
                        && a.start - m.end <= 2
                    || self
                        .instrument_at(m)
                        .is_some_and(|i| self.instruments[i as usize].id != "tariff_list")
            })
        {
            return true;
        }
        // Imports marked by 对 with a tariff after them (停止执行对部分美国进口农产品加征的关税)
        // are the goods the tariff falls on.
        let goods_under_a_tariff = |m: &&Mention| {
            between_has(s.chars, a.end, m.start, &["对"])
                && ms[ai + 1..].iter().filter(in_clause).any(|b| {
                    b.start > m.end
                        && (self.instrument_at(b).is_some()
                            || self.action_at(b).is_some_and(|x| x.id == "impose"))
                })
        };
        // An easing of talks or purchases is about them, not about barriers (推迟谈判,
        // 暂停…采购); lifting a ban on imports (解除美国牛肉进口禁令) is about the ban.
        // (An easing that names its own object, 延长休战, is not about the talks after it:
        // 就延长休战达成框架共识.)
        // (An exemption is not: 免关税进口 exempts the imports.)
        action.class == ActionClass::Ease
            && action.needs_object
            && action.id != "exempt"
            && ms[ai + 1..].iter().filter(in_clause).any(|m| {
                self.action_at(m)
                    .is_some_and(|x| matches!(x.class, ActionClass::Talks | ActionClass::Purchase))
                    && m.start.saturating_sub(a.end) <= 6
                    && !ms.iter().any(|b| {
                        b.start >= m.end && b.start <= m.end + 1 && self.instrument_at(b).is_some()
                    })
                    // A tariff between them is the easing's own object, and the talks agree on
                    // it (就取消加征关税达成一致), unless whether they will is open (能否就…).
                    && (["能否", "是否", "何时", "未知"]
                        .iter()
                        .any(|w| clause_text(s.chars, a.start).contains(w))
                        || !ms[ai + 1..].iter().any(|b| {
                            b.start >= a.end
                                && b.end <= m.start
                                && (self.instrument_at(b).is_some()
                                    || self.action_at(b).is_some_and(|x| x.id == "impose"))
                        }))
                    && !barrier_at(s.chars, m.end)
                    // (Nor when a barrier on the flow closes the phrase: 放宽对华出口芯片的
                    // 限制 eases the restriction.)
                    && !{
                        let after: String =
                            clause_text_after(s.chars, m.end).chars().take(20).collect();
                        // (…乙烷的许可证要求: the licence it needs is the barrier.)
                        // (…大豆的资质: the firms' right to ship is what is restored.)
                        ["的限制", "的管制", "禁令", "的相关限制", "的相关管制", "许可证要求", "许可要求",
                            "的资质", "的资格", "资质", "资格", "许可申请", "的许可",
                            "许可证的要求", "申领许可", "许可证的规定", "申请许可"]
                            .iter()
                            .any(|b| after.contains(b))
                            // (Complying with a restriction is no easing of it: 暂停对华出口
                            // 乙烷以遵守商务部的相关限制.)
                            && !["遵守", "根据", "按照"].iter().any(|w| after.contains(w))
                    }
                    // 进口商品 is imported goods, what the easing's tariff falls on (暂停对华
                    // 进口商品加征关税), not imports suspended.
                    && !goods_noun_at(s.chars, m.end)
                    && !goods_under_a_tariff(m)
            })
    }

    /// Talks "on the X issue" (就芬太尼等毒品问题进行了谈判) where X names nothing of trade
    /// are talks on something else, even in a post about tariffs.
    fn talks_on_another_issue(&self, s: &Sentence, ai: usize, action: &Action) -> bool {
        if action.class != ActionClass::Talks {
            return false;
        }
        let a = s.ms[ai];
        // Contact between people who are not governments (中美企业家…进行了深入交流, 中美学者在
        // 论坛上…交流) is no talks.
        if action.id == "contact"
            && [
                "企业家",
                "学者",
                "智库",
                "专家",
                "青年",
                "民间",
                "商会",
                "学生",
                "论坛",
                "研讨会",
                // (A firm's dealings: 经与供应商沟通确认, 与客户保持沟通.)
                "供应商",
                "客户",
                // (A firm as the subject: 公司将与美国政府有关部门积极沟通.)
                "公司将",
                "公司已",
                "公司正",
                "该公司",
            ]
            .iter()
            .any(|w| clause_text(s.chars, a.start).contains(w))
        {
            return true;
        }
        // A firm named as the sentence's first side, its subject (中芯国际…已就相关事项与美方
        // 有关部门进行沟通), is in business contact, not a government in talks.
        // (Looked for only among the 40 mentions before it: a run-on post stays linear.)
        let firm_before = || {
            s.ms[..ai]
                .iter()
                .rev()
                .take(40)
                .take_while(|m| m.sentence == a.sentence)
                .filter(|m| self.kinds(m).any(|k| matches!(k, Kind::Side(_))))
                .last()
                .is_some_and(|m| {
                    self.instrument_at(m)
                        .is_some_and(|i| self.instruments[i as usize].firms)
                        // (Speaking for itself: 发布公告称, 表示, 声明.)
                        && ["公告", "表示", "称", "声明"]
                            .iter()
                            .any(|w| clause_text(s.chars, m.start).contains(w))
                })
        };
        if matches!(action.id.as_str(), "contact" | "negotiate" | "meet") && firm_before() {
            return true;
        }
        // A dispute taken to the WTO (就美方措施在世贸组织争端解决机制下提起磋商请求) is a
        // lawsuit's first step, not talks between the sides.
        // (A consultation asked of the other side alone, 美方提出的磋商请求, is talks.)
        if action.id == "negotiate" && {
            let clause = clause_text(s.chars, a.start);
            (clause.contains("世贸") || clause.contains("wto"))
                && ["争端", "磋商请求", "诉讼"]
                    .iter()
                    .any(|w| clause.contains(w))
        } {
            return true;
        }
        // Climate talks (两国气候特使举行会谈，双方发表…应对气候危机的声明) are about the
        // climate: with the climate named in the sentence and no trade word in the clause.
        if near_has(s.chars, a, &["气候"])
            && !s.ms.iter().any(|m| {
                m.clause == a.clause
                    && (self.pat(m).trade
                        || self.instrument_at(m).is_some()
                        || self.kinds(m).any(|k| matches!(k, Kind::Goods)))
            })
        {
            return true;
        }
        // A firm's deal under negotiation (正与波音公司洽谈一笔大额订单, 更多订单正在洽谈之中)
        // is business, not talks between governments.
        // (Or a price agreed between firms: 已就2026年铜精矿长单加工费达成一致.)
        if matches!(action.id.as_str(), "negotiate" | "contact" | "agree")
            && [
                "订单",
                "合同",
                "大单",
                "收购",
                "并购",
                "加工费",
                "长单",
                "版权",
            ]
            .iter()
            .any(|w| clause_text(s.chars, a.start).contains(w))
        {
            return true;
        }
        let clause_start = s.ms[..ai]
            .iter()
            .filter(|m| m.clause == a.clause)
            .map(|m| m.start)
            .min()
            .unwrap_or(a.start)
            .saturating_sub(12);
        let before: String = s.chars[clause_start..a.start].iter().collect();
        let Some(jiu) = before.rfind('就') else {
            return false;
        };
        let span = &before[jiu..];
        // Relations as a whole include trade (就中美关系…问题交换意见).
        if !span.contains("问题") || span.contains("关系") {
            return false;
        }
        !s.ms.iter().any(|m| {
            m.clause == a.clause
                && (self.pat(m).trade
                    || self.instrument_at(m).is_some()
                    || self
                        .kinds(m)
                        .any(|k| matches!(k, Kind::Topic | Kind::Goods)))
        })
    }

    /// Whether the act at `ai` opens its clause with no one named before it and is followed
    /// by words of effect (给, 使, 只会, 导致…): the measure as the subject of an argument.
    /// An easing (`class`) is one only when judged in the next clause (有利于, 符合).
    fn subject_of_effect(&self, s: &Sentence, ai: usize, class: ActionClass) -> bool {
        let (ms, a) = (&s.ms, s.ms[ai]);
        // A side's tariffs weighed by their effect on an economy (美国加征关税对我国经济会带来
        // 一定影响), with no size or list named: an argument about them, whoever imposes them.
        if class == ActionClass::Escalate
            && ms[..ai]
                .iter()
                .filter(|m| m.clause == a.clause)
                .all(|m| self.kinds(m).all(|k| matches!(k, Kind::Side(_))))
        {
            let clause = clause_text(s.chars, a.start);
            let rest: String = clause_after(s.chars, a.end).take(16).collect();
            let weighed = rest.contains("经济")
                && (rest.contains("影响") || rest.contains("冲击"))
                && !["带来", "造成"].iter().any(|w| rest.starts_with(w));
            if weighed && !clause.contains(|c: char| c.is_ascii_digit() || c == '%') {
                return true;
            }
        }
        // A side's tariffs as the cause of what the next clause tells (美方单边加征关税，已导致
        // 美国国内物价上涨): an argument about them, when their clause names nothing else.
        if class == ActionClass::Escalate
            && ms[..ai]
                .iter()
                .filter(|m| m.clause == a.clause)
                .all(|m| self.kinds(m).all(|k| matches!(k, Kind::Side(_))))
        {
            let own: String = clause_after(s.chars, a.end).collect();
            let clause_end = a.end + own.chars().count();
            let next: String = s.chars.iter().skip(clause_end + 1).take(4).collect();
            // (Characterised as one-sided: a plain 美国对华加征关税，导致美股大跌 is news.)
            let one_sided = ["单边", "肆意", "任意", "滥施"]
                .iter()
                .any(|w| clause_text(s.chars, a.start).contains(w));
            let bare = one_sided
                && own.chars().count() <= 3
                && !own.contains(|c: char| c.is_ascii_digit());
            if bare
                && s.chars.get(clause_end).is_some_and(|&c| is_clause_end(c))
                && [
                    "已导致",
                    "导致",
                    "已经导致",
                    "造成",
                    "已造成",
                    "推高",
                    "使得",
                ]
                .iter()
                .any(|w| next.starts_with(w))
            {
                return true;
            }
        }
        if ms[..ai].iter().any(|m| m.clause == a.clause) {
            return false;
        }
        let mut end = a.end;
        for m in &ms[ai + 1..] {
            // (One 的 may join them: 加征的关税仿佛是….)
            let gap = usize::from(s.chars.get(end) == Some(&'的'));
            if m.clause != a.clause || m.start > end + gap {
                break;
            }
            if self.instrument_at(m).is_some() {
                end = end.max(m.end);
            }
        }
        if class != ActionClass::Ease {
            let rest: String = s.chars.iter().skip(end).take(4).collect();
            // (对美国 marks the target of a verb that levies on its goods, 恢复对美国大豆加征
            // 10%关税, or of a ban on the flow, 禁止两用物项对美国出口, not an effect on the US.)
            let levies_on = (rest.starts_with("对美国") || rest.starts_with("对美方")) && {
                let next: String = s.chars.iter().skip(end + 3).take(12).collect();
                ["加征", "征收", "关税", "出口"]
                    .iter()
                    .any(|w| next.contains(w))
            };
            return !levies_on && EFFECT_WORDS.iter().any(|w| rest.starts_with(w));
        }
        // An easing with no one doing it, judged in the next clause (停止贸易战升级，有利于
        // 中方、美方及整个世界): an argument for it.
        let clause_end = end + clause_after(s.chars, end).count();
        if !s.chars.get(clause_end).is_some_and(|&c| is_clause_end(c)) {
            return false;
        }
        // (Not goods that meet requirements: 符合要求的美国牛肉准予进口.)
        let judged: String = s.chars.iter().skip(clause_end + 1).take(5).collect();
        ["有利于", "符合"].iter().any(|w| judged.starts_with(w))
            && !["要求", "条件", "规定", "标准"]
                .iter()
                .any(|w| judged[judged.char_indices().nth(2).map_or(0, |x| x.0)..].starts_with(w))
    }

    /// Whether the act at `ai` is an attribute of goods: the act (with an instrument right
    /// after it), then 的 or 中的, then goods within a few characters in the clause.
    fn describes_goods(&self, s: &Sentence, ai: usize) -> bool {
        let (ms, a) = (&s.ms, s.ms[ai]);
        // A headless clause of the goods that bore it, then their new rate (此前加征10%关税的，
        // 税率调整为5%): the goods, described.
        let own_len = clause_after(s.chars, a.end).count();
        if own_len > 0
            && s.chars.get(a.end + own_len - 1) == Some(&'的')
            && ms[ai + 1..].iter().any(|m| {
                m.clause == a.clause + 1
                    && self
                        .action_at(m)
                        .is_some_and(|x| x.class == ActionClass::Ease || x.id == "adjust")
            })
        {
            return true;
        }
        // The measure's words, with up to four others between them (加征25%关税,
        // 列入出口管制管控名单).
        let mut end = a.end;
        for m in &ms[ai + 1..] {
            if m.clause != a.clause || m.start > end + 4 {
                break;
            }
            if self.instrument_at(m).is_some() || self.action_at(m).is_some() {
                end = end.max(m.end);
            }
        }
        // Goods right after the measure's words, named for their exclusion (对美加征关税商品
        // 排除清单, …商品的排除申请), are the goods that bear it, as with 的.
        if (word_at(s.chars, end, "商品") || word_at(s.chars, end, "产品"))
            && (end + 2..end + 5).any(|i| word_at(s.chars, i, "排除"))
        {
            return true;
        }
        let Some(de) = (end..end + 5).find(|&i| s.chars.get(i) == Some(&'的')) else {
            return false;
        };
        if s.chars[end..de]
            .iter()
            .any(|&c| is_clause_end(c) || is_sentence_end(c) || c == '的')
        {
            return false;
        }
        let de_end = de + 1;
        // A list of the goods published or proposed (公布了拟加征关税的中国商品建议清单): the
        // list is the measure, announced.
        // (公布依据301条款拟加征25%关税的中国进口商品清单: a legal basis between.)
        let listed: String = clause_after(s.chars, de_end).take(12).collect();
        let before = clause_text_before(s.chars, a.start, 14);
        if listed.contains("清单")
            && ["公布", "公开", "发布", "公示", "提出"]
                .iter()
                .any(|w| before.contains(w))
        {
            return false;
        }
        // (Bare goods right after 的 too, when an easing or a new rate follows: 原加征10%关税的
        // 商品，现加征税率调整为5%. Without one, 加征关税的商品规模累计达到3700亿美元 totals
        // the tariffs.)
        let goods = (word_at(s.chars, de_end, "商品") || word_at(s.chars, de_end, "产品"))
            && ms[ai + 1..].iter().any(|m| {
                m.start > de_end
                    && self
                        .action_at(m)
                        .is_some_and(|x| x.class == ActionClass::Ease || x.id == "adjust")
            })
            || ms[ai + 1..].iter().any(|m| {
                m.clause == a.clause
                    && m.start >= de_end
                    && m.start <= de_end + 8
                    && (self.kinds(m).any(|k| *k == Kind::Goods)
                        || ["商品", "产品", "进口", "税目", "税项"]
                            .iter()
                            .any(|g| self.pat(m).term.contains(g)))
            });
        // Or a listing said of the firms on the list (被列入出口管制管控名单的16家美国实体);
        // 打压…华为在内的中国企业 is done to firms, not said of them.
        let measure: String = s.chars[a.start..de].iter().collect();
        let window: String = s.chars.iter().skip(de_end).take(10).collect();
        goods
            || (measure.contains("名单") || measure.contains("清单"))
                && ["实体", "企业", "公司"].iter().any(|f| window.contains(f))
    }

    /// Whether a third party is the subject of 面临/面对/遭受/承受 right before the act in its
    /// clause: the act falls on it.
    fn faced_by_third(&self, s: &Sentence, ai: usize) -> bool {
        let a = s.ms[ai];
        let from = clause_start_within(s.chars, a.start, 30);
        let before: String = s.chars[from..a.start].iter().collect();
        let Some(verb) = ["面临", "面对", "遭受", "承受"]
            .iter()
            .filter_map(|w| before.rfind(w))
            .max()
        else {
            return false;
        };
        let verb = from + before[..verb].chars().count();
        s.ms[..ai]
            .iter()
            .rev()
            .take_while(|m| m.start >= from)
            .filter(|m| m.end <= verb)
            .find_map(|m| {
                self.kinds(m).find_map(|k| match *k {
                    Kind::Side(x) => Some(x),
                    _ => None,
                })
            })
            .is_some_and(|x| !us_or_china(x))
    }

    /// Whether the imposition at `ai` is named as a noun (加征的关税, 加征10%的关税, 加征关税
    /// 措施, 加征幅度) in a sentence with an easing and no contrast or new predicate between
    /// them (但, 同时, 并, 另…).
    fn named_in_an_easing(&self, s: &Sentence, ai: usize) -> bool {
        let (ms, a) = (&s.ms, s.ms[ai]);
        let mut end = a.end;
        for m in &ms[ai + 1..] {
            if m.clause != a.clause || m.start > end + 1 || s.chars.get(end) == Some(&'的') {
                break;
            }
            // (The imposition a reinstatement names is part of it: 恢复加征的关税.)
            if self.instrument_at(m).is_some()
                || self
                    .action_at(m)
                    .is_some_and(|x| x.class == ActionClass::Escalate)
            {
                end = end.max(m.end);
            }
        }
        let after: String = s.chars[end.min(s.chars.len())..].iter().take(12).collect();
        let bare =
            after.trim_start_matches(|c: char| c.is_ascii_digit() || "%％.．、和或及".contains(c));
        let nominal = bare.starts_with('的')
            || ["措施", "幅度", "税率", "水平"]
                .iter()
                .any(|w| bare.starts_with(w));
        if !nominal {
            return false;
        }
        // Beside the contrasts, words that start a predicate of their own.
        const NEW_PREDICATE: &[&str] = &["并", "另", "此外", "又", "还"];
        ms.iter().enumerate().any(|(j, m)| {
            j != ai
                && m.sentence == a.sentence
                && self.action_at(m).is_some_and(|x| {
                    x.class == ActionClass::Ease
                        && x.id != "sign_deal"
                        // (An adjustment only to a new level: …加征的10%和5%关税，分别调整为5%
                        // 和2.5%; a bare 调整 is as often the market's.)
                        && (x.id != "adjust"
                            || ["调整为", "调整至", "调整到", "调至", "改为"]
                                .contains(&self.pat(m).term.as_str()))
                        && !GRANTS.contains(&self.pat(m).term.as_str())
                        // (Or a levy held back: …加征的10%、5%关税暂不征收.)
                        || x.id == "impose"
                            && m.start > a.end
                            && ["暂不", "不再", "停止"].iter().any(|w| {
                                m.start >= 2 && word_at(s.chars, m.start - 2, w)
                            })
                })
                && {
                    let (lo, hi) = if m.start < a.start {
                        (m.end, a.start)
                    } else {
                        (a.end, m.start)
                    };
                    // (A side opening a clause between them is a new subject: …此前威胁对华
                    // 加征的100%关税已不在考虑之列，中方也同意将…推迟一年.)
                    !between_has(s.chars, lo, hi, CONTRASTS)
                        && !between_has(s.chars, lo, hi, NEW_PREDICATE)
                        && !ms.iter().any(|n| {
                            n.start >= lo
                                && n.end <= hi
                                && n.start == clause_start(s.chars, n.start)
                                && self.kinds(n).any(|k| matches!(k, Kind::Side(_)))
                        })
                }
        })
    }

    /// The index of the plain tariff instrument.
    fn tariff(&self) -> Option<u8> {
        self.instrument_named("tariff")
    }

    /// The index of the instrument with this id.
    /// The measure a restriction is, by the flow `text` names: exports (export controls)
    /// before imports or goods into China (import restrictions); none without a flow.
    fn restriction_by_flow(&self, text: &str) -> Option<u8> {
        // (Sales to China are exports too: 禁止英伟达向中国客户出售H20芯片.)
        let sales_to_china = SALES_TO_CHINA.iter().any(|w| text.contains(w))
            && ["出售", "销售", "供货", "供应"]
                .iter()
                .any(|w| text.contains(w));
        if text.contains("出口") || sales_to_china {
            self.instrument_named("export_control")
        } else if ["进口", "输华", "采购", "购买"]
            .iter()
            .any(|w| text.contains(w))
        {
            self.instrument_named("import_restrictions")
        } else {
            None
        }
    }

    fn instrument_named(&self, id: &str) -> Option<u8> {
        self.instruments
            .iter()
            .position(|i| i.id == id)
            .and_then(|i| u8::try_from(i).ok())
    }

    /// Whether the suspension or postponement at `easing` holds off the reinstatement at
    /// `reinstated` (暂缓…恢复加征关税): it comes first and is the verb, not an attribute or a
    /// step before it (之前暂停的那批关税又恢复了, 暂停后恢复).
    fn holds_off(&self, chars: &[char], easing: &Mention, reinstated: &Mention) -> bool {
        self.action_at(easing)
            .is_some_and(|x| matches!(x.id.as_str(), "suspend" | "postpone"))
            && easing.end <= reinstated.start
            && reinstated.start - easing.end <= 30
            && !chars[easing.end..reinstated.start]
                .iter()
                .any(|c| "的又后再已并".contains(*c))
    }

    /// The object of the action: `Some(instrument or none)` when the action has what it
    /// needs to be an event, `None` when it does not.
    fn object(&self, s: &Sentence, ai: usize, action: &Action) -> Option<Option<u8>> {
        let (ms, a) = (&s.ms, s.ms[ai]);
        let in_clause = |m: &&&Mention| m.clause == a.clause;
        // An instrument in the clause (nearest after the verb first), else one the verb or an
        // easing's governed imposition implies.
        // An instrument before an easing is its object unless the text between makes the
        // measure a cause or a background (美国对华加征关税后国际机构下调了…预期).
        let mut instrument = ms[ai..]
            .iter()
            .filter(in_clause)
            .find_map(|m| self.instrument_at(m))
            .or_else(|| {
                ms[..ai]
                    .iter()
                    .filter(in_clause)
                    .rev()
                    .filter(|m| {
                        action.class != ActionClass::Ease || !sequenced(s.chars, m.end, a.start)
                    })
                    // The Tariff Commission as the subject of a publication (税委会公布) acts;
                    // it names no tariff it imposes.
                    .filter(|m| {
                        action.class != ActionClass::Escalate
                            || !(self.kinds(m).any(|k| matches!(k, Kind::Side(_)))
                                && self
                                    .instrument_at(m)
                                    .is_some_and(|i| self.instruments[i as usize].id == "tariff"))
                    })
                    .find_map(|m| self.instrument_at(m))
            });
        // (After it first; else the imposition named before it: 将对中国的新关税推迟至12月15日.)
        if instrument.is_none() && action.class == ActionClass::Ease {
            let implied = |m: &&&Mention| self.action_at(m).and_then(|x| x.instrument);
            instrument = ms[ai + 1..]
                .iter()
                .filter(in_clause)
                .find_map(|m| implied(&m))
                .or_else(|| {
                    if !matches!(action.id.as_str(), "postpone" | "suspend" | "cut") {
                        return None;
                    }
                    ms[..ai].iter().filter(in_clause).rev().find_map(|m| {
                        let fronted = fronted_act(s.chars, m, a, action);
                        // A levy word (加税) names the tariff itself.
                        let levy = || {
                            self.pat(m)
                                .term
                                .contains('税')
                                .then(|| self.tariff())
                                .flatten()
                        };
                        self.action_at(m)
                            .filter(|x| x.class == ActionClass::Escalate && fronted)
                            .and(implied(&m).or_else(levy))
                    })
                })
                .or_else(|| {
                    // Relief withdrawn, whose decision is held (取消…免税待遇的决定暂缓执行):
                    // the tariff the relief spared.
                    if !matches!(action.id.as_str(), "postpone" | "suspend") {
                        return None;
                    }
                    (0..ai)
                        .rev()
                        .find(|&j| {
                            ms[j].clause == a.clause
                                && ms[j].end < a.start
                                && decision_held(s.chars, ms[j].end, a.start)
                                && self.relief_revoked(s, j).is_some()
                        })
                        .and_then(|_| self.tariff())
                });
        }
        // Limits on exports lifted, told as what they limit (撤销对华出口乙烷及芯片设计软件的
        // 限制): export controls. (Also when they are called measures: 取消了对华出口电子设计
        // 自动化（EDA）软件、乙烷和飞机发动机等的一系列限制措施.)
        let generic = instrument.is_none_or(|i| self.instruments[i as usize].id == "measures");
        if generic && matches!(action.id.as_str(), "lift" | "cut" | "suspend") && {
            let after: String = clause_after(s.chars, a.end).take(40).collect();
            after.find("出口").is_some_and(|i| {
                let rest = &after[i..];
                ["的限制", "的禁令", "的管制", "限制"]
                    .iter()
                    .any(|w| rest.contains(w))
            })
        } {
            instrument = self.instrument_named("export_control");
        }
        // An easing that opens its clause with only a modal (…加征的15%关税，将调降至7.5%;
        // 美方原定…提高至25%，将暂缓实施) eases what the clause before ends on: the tariff
        // named there, or the imposition it describes.
        if instrument.is_none()
            && action.class == ActionClass::Ease
            && a.clause > 0
            && bare_continuation(s.chars, a)
        {
            let before: Vec<&&Mention> = ms[..ai]
                .iter()
                .filter(|m| m.clause + 1 == a.clause)
                .collect();
            let comma = clause_start(s.chars, a.start).saturating_sub(1);
            // (Measures pointed back to, 相关措施, are the last named anywhere in it.)
            let pointed_back = anaphoric_measures(&clause_text_after(s.chars, a.end));
            instrument = before
                .iter()
                .rev()
                .take(if pointed_back { before.len() } else { 1 })
                .filter(|m| pointed_back || m.end + 1 >= comma)
                .find_map(|m| self.instrument_at(m))
                .or_else(|| {
                    before
                        .iter()
                        .rev()
                        .find_map(|m| self.action_at(m).map(|x| (m, x)))
                        .filter(|(_, x)| x.class == ActionClass::Escalate)
                        .and_then(|(m, x)| {
                            x.instrument.or_else(|| {
                                self.pat(m)
                                    .term
                                    .contains('税')
                                    .then(|| self.tariff())
                                    .flatten()
                            })
                        })
                });
        }
        // Relief after a turn from a measure (…提高关税至34%，但对药品的豁免延长至年底; 列入
        // 实体清单，同时将5家中国大学从清单中移除): the measure named in the clauses before.
        if instrument.is_none()
            && matches!(action.id.as_str(), "exempt" | "lift" | "extend_truce" | "suspend")
            // (Goods left out of a new list, 同时排除了来自中国的药品, are its scope.)
            && !self.pat(a).term.starts_with("排除")
            && a.clause > 0
            && {
                // (The clause's opening, read at most 40 characters back.)
                let start = clause_start_within(s.chars, a.start, 40);
                start > 0
                    && is_clause_end(s.chars[start - 1])
                    && ["但", "不过", "同时", "另", "而", "然而"]
                        .iter()
                        .any(|w| word_at(s.chars, start, w))
            }
        {
            instrument = ms[..ai]
                .iter()
                .rev()
                .take_while(|m| m.clause + 2 >= a.clause)
                .filter(|m| m.clause < a.clause)
                .find_map(|m| self.instrument_at(m));
        }
        // A restriction on buying or taking delivery lifted (解除对国内航空公司接收波音飞机的
        // 限制): import restrictions.
        if instrument.is_none() && action.id == "lift" {
            let object = clause_text_after(s.chars, a.end);
            let restricted = object
                .find("的限制")
                .is_some_and(|at| object[..at].chars().count() <= 24);
            if restricted
                && ms[ai + 1..].iter().filter(in_clause).any(|m| {
                    self.action_at(m)
                        .is_some_and(|x| x.class == ActionClass::Purchase)
                        || self.kinds(m).any(|k| *k == Kind::Goods)
                })
            {
                instrument = self.instrument_named("import_restrictions");
            }
        }
        // Goods allowed into China (允许符合要求的美国大麦、牛肉和禽肉输华) are market
        // access granted: import restrictions lifted.
        if instrument.is_none() && goods_let_into_china(s.chars, a, &self.pat(a).term) {
            instrument = self.instrument_named("import_restrictions");
        }
        // Case-by-case review of licences (see `code`) eases export controls.
        if instrument.is_none() && ["逐案审查", "逐案审批"].contains(&self.pat(a).term.as_str())
        {
            instrument = self.instrument_named("export_control");
        }
        // Export licences resumed (美国恢复C919发动机对华出口许可): export controls eased.
        if instrument.is_none() && action.class == ActionClass::Ease && self.pat(a).term == "恢复"
        {
            let after: String = clause_text_after(s.chars, a.end).chars().take(20).collect();
            // (Not a denial policy restored: 恢复对华出口许可申请的"推定拒绝"审查政策.)
            let clause = clause_text_after(s.chars, a.end);
            // (The goods may stand between: 恢复审批对华出口部分半导体设备的许可申请.)
            if (after.contains("出口许可") || after.contains("出口") && after.contains("许可"))
                && ["对华", "对中国", "向中国", "输华"]
                    .iter()
                    .any(|w| after.contains(w))
                && !["拒绝", "审查"].iter().any(|w| clause.contains(w))
            {
                instrument = self.instrument_named("export_control");
            }
        }
        // Sales to China allowed or resumed (允许英伟达向中国经批准的客户出售H200芯片, 获得
        // 许可，恢复向中国商飞供应发动机) ease export controls; so do licences granted for
        // them (批准…对华出口许可证, 核发…对中国出口许可证). 批准, 核发 and 颁发 ease nothing
        // else (国会批准对华加征关税 is no easing).
        let term = self.pat(a).term.as_str();
        let grants = GRANTS.contains(&term);
        if action.class == ActionClass::Ease
            && (grants || instrument.is_none() && ["允许", "准许", "恢复向"].contains(&term))
        {
            let after: String = clause_text_after(s.chars, a.end).chars().take(22).collect();
            let licence = after.contains("许可") && !after.contains("许可证要求");
            // A grant stopped, refused or revoked (暂停发放, 停止批准, 撤销已发放的…许可证) is
            // no grant, nor is one that qualifies a count (批准的对华出口许可证数量).
            let before: String = s.chars[a.start.saturating_sub(3)..a.start].iter().collect();
            let withheld = [
                "暂停", "停止", "拒绝", "拒", "延迟", "撤销", "不再", "未", "不予", "放缓", "减少",
                "中止", "取消", "收紧", "暂缓",
            ]
            .iter()
            .any(|w| before.contains(w))
                || s.chars.get(a.end) == Some(&'的');
            if withheld {
                return None;
            }
            // A grant of the sales themselves (批准英伟达向中国获批准客户出口H200芯片) needs no
            // licence word.
            // Licences to deal with a Chinese firm (向美国企业发放与华为交易的许可证), and
            // China's own export licences granted (北京已向美国车厂核发稀土出口许可), ease
            // export controls too.
            let licence_at = after.find("许可").map_or(0, |b| after[..b].chars().count());
            let chinese_firm_licensed = licence
                && ms[ai + 1..].iter().filter(in_clause).any(|m| {
                    m.start < a.end + licence_at && self.kinds(m).any(|k| *k == Kind::Side(CHN))
                });
            // China's licences may be named before a grant said in the passive (稀土出口许可
            // 申请已获批, …许可申请予以批准), and China may be the sentence's speaker in the
            // clause before (商务部表示，已依法批准部分对美稀土出口许可申请); the goods may
            // stand between 出口 and 许可 (出口镓、锗相关物项的部分许可申请).
            let before_verb = clause_text_before(s.chars, a.start, 16);
            let export_licence = |t: &str| {
                t.find("出口").is_some_and(|e| t[e..].contains("许可"))
                    && !t.contains("许可证要求")
                    && !t.contains("进口许可")
            };
            let china_licenses_exports = (export_licence(&after)
                || PASSIVE_GRANTS.contains(&term) && export_licence(&before_verb))
                && s.sides
                    .named
                    .iter()
                    .rev()
                    .find(|n| {
                        n.0 < a.start
                            && (n.1 == a.clause || s.sides.speakers.contains(&n.0))
                            && !n.3
                    })
                    .is_some_and(|n| n.2 == CHN);
            // (A bill restricting the sales approved is no grant: 参议院批准了限制向中国出售
            // 先进芯片的法案.)
            let restricts = !licence
                && ["限制", "禁止", "管制", "禁令", "法案"]
                    .iter()
                    .any(|w| clause_text_after(s.chars, a.end).contains(w));
            if (sale_to_china_after(s.chars, a, term) && !(grants && restricts))
                || (grants && (chinese_firm_licensed || china_licenses_exports))
            {
                instrument = self.instrument_named("export_control");
            } else if grants && !goods_let_into_china(s.chars, a, term) {
                return None;
            }
        }
        // A restriction of exports or imports (限制先进芯片对中国出口, 不予许可…对美国出口)
        // is an export control or an import restriction, by the flow its clause names.
        // (Only with a side named before it as the one restricting, and not as a description:
        // 产能不足限制了美国大豆的出口增长.)
        if instrument.is_none()
            && action.id == "restrict"
            && ["限制", "禁止", "管制", "不予许可"].contains(&self.pat(a).term.as_str())
            && s.chars.get(a.end) != Some(&'了')
            && s.sides.named.iter().any(|n| n.0 < a.start && !n.3)
        {
            instrument = self.restriction_by_flow(&clause_text_after(s.chars, a.end));
        }
        // Trade ties ended (终止与中国的…贸易往来): imports from the other side restricted.
        if instrument.is_none() && action.id == "restrict" && self.pat(a).term == "终止" {
            instrument = self.instrument_named("import_restrictions");
        }
        // A restriction named after the easing with its own object (放宽对华出口乙烷和芯片
        // 设计软件的限制): the easing's measure, by what it restricts.
        if instrument.is_none() && action.class == ActionClass::Ease {
            let restriction = ms[ai + 1..].iter().filter(in_clause).find(|m| {
                // (…的限制, …的相关限制)
                let owner = if m.start >= 3 && s.chars[m.start - 2..m.start] == ['相', '关'] {
                    m.start - 3
                } else {
                    m.start.wrapping_sub(1)
                };
                s.chars.get(owner) == Some(&'的')
                    && ["限制", "管制"].contains(&self.pat(m).term.as_str())
            });
            if let Some(r) = restriction {
                let between: String = s.chars[a.end..r.start].iter().collect();
                instrument = self.restriction_by_flow(&between);
            }
        }
        // Untying a flow (美方松绑对华EDA软件出口) eases the restriction on it: the verb says
        // there was one.
        if instrument.is_none() && ["松绑", "解禁"].contains(&self.pat(a).term.as_str()) {
            let after: String = clause_text_after(s.chars, a.end).chars().take(14).collect();
            instrument = self.restriction_by_flow(&after);
        }
        // A new rate alone (…加征关税措施，由34%调整为10%) adjusts the measure named earlier in
        // its sentence.
        if instrument.is_none() && action.id == "adjust" {
            instrument = ms[..ai].iter().rev().find_map(|m| self.instrument_at(m));
        }
        if instrument.is_none() {
            instrument = action.instrument;
        }
        // A term that names the tariff it eases (免关税) needs no other object.
        if instrument.is_none()
            && action.class == ActionClass::Ease
            && self.pat(a).term.contains("关税")
        {
            instrument = self.tariff();
        }
        // A trade flow (对美出口降至两成) is a figure, not a measure: an easing of one counts
        // only with a barrier named in its clause (放宽对美国农产品的进口限制).
        // Read only for an easing whose clause names a flow (the clause text is built then).
        let barrier_in_clause = || {
            let clause = clause_text(s.chars, a.start);
            BARRIERS.iter().any(|b| clause.contains(b))
        };
        let topic_in_clause = ms.iter().filter(in_clause).any(|m| {
            self.kinds(m).any(|k| *k == Kind::Topic)
                && !(action.class == ActionClass::Ease
                    && TRADE_FLOWS.contains(&self.pat(m).term.as_str())
                    && !barrier_in_clause())
        });
        let goods_in_sentence = ms.iter().any(|m| self.kinds(m).any(|k| *k == Kind::Goods));
        if action.needs_object && instrument.is_none() && !topic_in_clause {
            return None;
        }
        // Controls on fentanyl's precursor chemicals (加强管制制造芬太尼的前体化学品出口) are
        // the cooperation the sides trade for, not a measure against the other side.
        // (Only when the precursors are what is controlled: fentanyl as a pretext, 以芬太尼
        // 问题为由加强对华芯片出口管制, or beside other goods, …前体化学品和对美出口的两用
        // 物项, leaves a measure.)
        if action.class == ActionClass::Escalate
            && instrument.is_some()
            && instrument == self.instrument_named("export_control")
            && {
                let clause = clause_text(s.chars, a.start);
                clause.contains("前体")
                    && !["为由", "两用", "芯片", "实体", "对美", "对华"]
                        .iter()
                        .any(|w| clause.contains(w))
            }
        {
            return None;
        }
        // 加强 strengthens whatever its clause names (加强沟通, 加强经贸合作): only a named
        // instrument after it (加强对华出口管制) makes it a tightening.
        // Cooperation on a measure (加强出口管制领域的沟通) or a risk of one (面临新的关税
        //风险) is neither.
        if action.needs_instrument
            && (!ms[ai + 1..]
                .iter()
                .filter(in_clause)
                .any(|m| self.instrument_at(m).is_some())
                || NOT_A_MEASURE
                    .iter()
                    .any(|w| clause_text_after(s.chars, a.end).contains(w)))
        {
            return None;
        }
        // 延至/延到/顺延 put off only to a time (延至12月15日, 延到明年); to a scope (延至华为
        // 海外子公司) or a place (影响已延至消费端) they widen or spread.
        if ["延至", "延到", "顺延"].contains(&self.pat(a).term.as_str()) {
            let next: String = s.chars[a.end..]
                .iter()
                .skip_while(|&&c| c == '了' || c == '至' || c == '到')
                .take(2)
                .collect();
            let to_a_time = next.starts_with(|c: char| c.is_ascii_digit())
                || [
                    "明年", "下月", "下个", "年底", "年末", "月底", "今年", "本月", "后年",
                ]
                .iter()
                .any(|w| next.starts_with(w))
                || next.starts_with(|c: char| "一二三四五六七八九十".contains(c));
            if !to_a_time {
                return None;
            }
        }
        // A trade agreement that takes effect (第一阶段经贸协议正式生效, 协议于2月14日起生效)
        // is carried out, the easing its 生效 codes, not talks reported: unless signed or
        // reached in the same clause (中美签署第一阶段经贸协议，协议将于30天后生效).
        if action.id == "agree" && TRADE_DEALS.contains(&self.pat(a).term.as_str()) && {
            // (A date may stand between: 协议于美东时间2月14日0时01分正式生效.)
            let after: String = clause_after(s.chars, a.end).take(24).collect();
            let clause = clause_text(s.chars, a.start);
            after.contains("生效")
                && !after_effect_time(&after)
                && !["签署", "签订", "达成"].iter().any(|w| clause.contains(w))
        } {
            return None;
        }
        // Taking effect as a time (协议生效后，中方将…采购; 协议生效以来) dates what follows
        // and eases nothing itself; the agreement named stays.
        if action.id == "sign_deal"
            && self.pat(a).term.ends_with("生效")
            && after_effect_time(&clause_after(s.chars, a.start).take(16).collect::<String>())
        {
            return None;
        }
        // Signing (签署) or taking effect (生效) is an easing only right by the name of a
        // trade agreement (中美签署第一阶段经贸协议, 第一阶段协议于2月14日正式生效), and not
        // when put off or refused (推迟签署).
        if action.id == "sign_deal" {
            let deal = |m: &&&Mention| {
                self.action_at(m).is_some_and(|x| x.id == "agree")
                    && TRADE_DEALS.contains(&self.pat(m).term.as_str())
            };
            let after = ms[ai + 1..]
                .iter()
                .filter(in_clause)
                .find(|m| m.start >= a.end && m.start - a.end <= 12 && deal(m))
                .is_some()
                // (Or ending the agreement's full title in book marks: 签署《中华人民共和国
                // 政府和美利坚合众国政府经济贸易协议》.)
                || {
                    let open = a.end + usize::from(s.chars.get(a.end) == Some(&'了'));
                    let close = (s.chars.get(open) == Some(&'《'))
                        .then(|| s.chars[open..].iter().take(64).position(|&c| c == '》'))
                        .flatten()
                        .map(|i| open + i);
                    close.is_some_and(|close| {
                        ms[ai + 1..]
                            .iter()
                            .any(|m| m.start > open && m.end == close && deal(&m))
                    })
                };
            // (A place or a side may stand between: 第一阶段经贸协议15日在白宫签署; another act
            // may not.)
            let before = ms[..ai]
                .iter()
                .rev()
                .filter(|m| m.clause == a.clause)
                .find(|m| deal(m) || self.action_at(m).is_some())
                .is_some_and(|m| {
                    deal(&m)
                        && m.end <= a.start
                        // (A date before 生效 may run longer: 于美东时间2月14日0时01分正式生效.)
                        && a.start - m.end <= if self.pat(a).term.ends_with("生效") { 24 } else { 14 }
                });
            // Whether, when or if it is signed (何时签署仍不明朗, 能否签署仍存变数, 只有…才会
            // 签署, 签署前景不明, 在签署…问题上仍有分歧) is no signing.
            // (A clock's 时间, 美东时间2月14日, is a date, not the signing's timing.)
            let clause = ["美东时间", "北京时间", "当地时间", "华盛顿时间"]
                .iter()
                .fold(clause_text(s.chars, a.start), |c, w| c.replace(w, ""));
            let uncertain = [
                "何时",
                "能否",
                "是否",
                "才会",
                "才能",
                "前景",
                "变数",
                "分歧",
                "不明",
                "可能",
                "有望",
                "或将",
                "时间",
                "日期",
                "问题上",
                "之前",
                "签署前",
            ]
            .iter()
            .any(|w| clause.contains(w));
            let put_off = {
                let from = a.start.saturating_sub(4);
                let w: String = s.chars[from..a.start].iter().collect();
                ["推迟", "延迟", "拒绝", "暂停", "取消", "搁置", "暂缓"]
                    .iter()
                    .any(|x| w.contains(x))
            };
            if !(after || before) || put_off || uncertain {
                return None;
            }
        }
        // A restriction or escalation of a mere topic (不断升级的贸易战) is an event only when
        // someone named does it (美方单方面再次升级了贸易摩擦), or aims it at a side (…，威胁
        // 对华采取更强硬的贸易措施).
        if action.class == ActionClass::Escalate
            && action.needs_object
            && instrument.is_none()
            && !s
                .sides
                .named
                .iter()
                .any(|n| n.1 == a.clause && n.0 < a.start && !n.3)
            && !["对华", "对美"]
                .iter()
                .any(|w| clause_text_before(s.chars, a.start, 6).contains(w))
        {
            return None;
        }
        if action.class == ActionClass::Purchase
            && !goods_in_sentence
            && !action.trade
            && !commitment_tally(s.chars, a.start)
        {
            return None;
        }
        // Imported goods named as such (涉及约500亿美元美国进口商品) are goods, not a purchase.
        if action.class == ActionClass::Purchase
            && self.pat(a).term == "进口"
            && ["商品", "产品", "货物"]
                .iter()
                .any(|w| word_at(s.chars, a.end, w))
        {
            return None;
        }
        // Mail no longer taken (暂停接收寄往美国的邮件) is the post office's, not a purchase.
        if action.class == ActionClass::Purchase
            && self.pat(a).term.ends_with("接收")
            && ["邮件", "邮包", "包裹", "信件"]
                .iter()
                .any(|w| clause_text_after(s.chars, a.end).contains(w))
        {
            return None;
        }
        // A share or a total of imports (美国猪肉进口的占比越来越小) is a statistic, not a
        // purchase.
        // (Unless the total is the progress of a commitment: 中国自美采购第一阶段协议所涵盖
        // 产品的金额仅完成全年目标的约一半 reports on the purchase commitment.)
        if action.class == ActionClass::Purchase
            && (statistic_at(s.chars, a.end) || share_of(s.chars, a))
            && !commitment_tally(s.chars, a.start)
        {
            return None;
        }
        // A dated total of imports (2017年，中国自美国进口大豆约3285万吨) is a statistic too.
        if action.class == ActionClass::Purchase && self.pat(a).term == "进口" {
            let head = &s.chars[sentence_start(s.chars, a.start)..a.start];
            // (A bare year, 2017年，…: not a dateline, 2025年10月28日.)
            let dated = head.len() > 5
                && head[..4].iter().all(|c| c.is_ascii_digit())
                && head[4] == '年'
                && head[5] == '，';
            let rest: String = clause_after(s.chars, a.end).take(14).collect();
            let head_text: String = head.iter().collect();
            let promised = ["将", "承诺", "同意", "至少", "计划"]
                .iter()
                .any(|w| head_text.contains(w) || rest.contains(w));
            if dated
                && !promised
                && rest.contains(|c: char| c.is_ascii_digit())
                && ["万吨", "亿美元", "吨"].iter().any(|w| rest.contains(w))
            {
                return None;
            }
            // So is a total over a period, or one customs data show (去年我国自美进口大豆3285
            // 万吨, 海关数据显示，2024年我国自美进口农产品约290亿美元, 今年前10个月我国自美进口
            // 农产品同比大幅下降, 自美进口液化天然气占进口总量的比重约5%).
            let before = clause_text_before(s.chars, a.start, 20);
            let period = [
                "去年",
                "今年",
                "上半年",
                "下半年",
                "全年",
                "季度",
                "个月",
                "当月",
                "上月",
            ]
            .iter()
            .any(|w| before.contains(w))
                || before.char_indices().any(|(i, c)| {
                    c == '年' && i >= 4 && before[..i].ends_with(|d: char| d.is_ascii_digit())
                })
                || ["海关数据", "数据显示", "海关总署", "统计"]
                    .iter()
                    .any(|w| head_text.contains(w));
            let figure = rest.contains(|c: char| c.is_ascii_digit())
                && ["万吨", "亿美元", "美元", "吨"]
                    .iter()
                    .any(|w| rest.contains(w))
                || ["金额", "比重", "占进口", "占比"]
                    .iter()
                    .any(|w| rest.contains(w));
            // (A turn is news of purchases, not a statistic: 为今年3月以来单月最高水平, 首次,
            // 恢复; so is a rise or a fall, 同比大减, which train.tsv reads as purchases cut.)
            let sentence_rest: String = s.chars[a.end..]
                .iter()
                .take_while(|c| !is_sentence_end(**c))
                .take(40)
                .collect();
            let a_turn = [
                "以来", "最高", "最低", "首次", "恢复", "同比", "增长", "下降", "大减",
            ]
            .iter()
            .any(|w| sentence_rest.contains(w));
            if period && figure && !a_turn && !promised && !commitment_tally(s.chars, a.start) {
                return None;
            }
        }
        Some(instrument)
    }

    /// Whether the mention at `a` names tariffs by their mutual imposing (互征关税) and says
    /// they fall right after it (大降, 降至).
    fn mutual_tariffs_falling(&self, s: &Sentence, a: &Mention) -> bool {
        let term = &self.pat(a).term;
        term.starts_with('互') && term.ends_with("关税") && said_to_fall(s.chars, a.end)
    }

    /// The action's mode (denied, planned, …), and the action itself, which a promise not to
    /// impose turns into `forgo`.
    fn mode<'b>(&'b self, s: &Sentence, ai: usize, action: &'b Action) -> (&'b Action, Mode) {
        let (ms, a) = (&s.ms, s.ms[ai]);
        // Tariffs named by their imposing and said to fall (双方互征关税大降115个百分点,
        // 中美互征关税降至10%): the tariffs are cut.
        let action = match self.actions.iter().find(|x| x.id == "cut") {
            Some(cut) if action.id == "impose" && self.mutual_tariffs_falling(s, a) => cut,
            _ => action,
        };
        // A purchase volume raised (中方同意将美国农产品年采购规模提升至400亿至500亿美元) is
        // more buying, not a tariff raise.
        let action = match self.actions.iter().find(|x| x.id == "expand_imports") {
            Some(expand)
                if action.id == "raise"
                    && [
                        "采购规模",
                        "采购额",
                        "采购量",
                        "采购金额",
                        "进口规模",
                        "进口额",
                        "购买规模",
                    ]
                    .iter()
                    .any(|w| clause_text_before(s.chars, a.start, 6).ends_with(w)) =>
            {
                expand
            }
            _ => action,
        };
        // (Mentions are in text order: the clause's start is found, not scanned for.)
        let first =
            ms[..ai].partition_point(|m| m.clause < a.clause || m.start + CLAUSE_REACH < a.start);
        let last = ai
            + ms[ai..]
                .partition_point(|m| m.clause == a.clause && m.start <= a.start + CLAUSE_REACH);
        let in_clause = &ms[first..last];
        let before_in_clause = ms[first..ai].iter();
        let cue = |m: &Mention, c: Cue| self.cue(m, c);
        // A one-character negation (不, 未) must sit right before the verb; a word (没有, 并未)
        // negates the whole clause before it (没有与中方举行任何谈判).
        // An imposition carried by a verb just before it (不对中国商品实施新的加征关税措施)
        // is negated where that verb is.
        let carrier = if action.id == "impose" {
            before_in_clause
                .clone()
                .next_back()
                .filter(|m| {
                    self.action_at(m).is_some_and(|x| x.id == "restrict")
                        && a.start.saturating_sub(m.end) <= 3
                })
                .map_or(a.start, |m| m.start)
        } else {
            a.start
        };
        let negation = before_in_clause.clone().find(|m| {
            cue(m, Cue::Negation)
                && m.end <= carrier
                // (An extension refused is the lapse itself: 拒绝延长…关税豁免.)
                && !(action.id == "end_relief"
                    && ["延长", "续期", "延期"].iter().any(|w| word_at(s.chars, m.end, w)))
                && (carrier.saturating_sub(m.end) <= self.window || m.end - m.start >= 2)
                // Not knowing of it (未掌握“中方采购500架波音飞机”相关信息) negates the knowing:
                // a denial of the report, read by `debunked`, not a halt.
                && !["掌握", "听说", "发现", "获悉"]
                    .iter()
                    .any(|w| word_at(s.chars, m.end, w))
                // A negation inside a measure's description that closes with 的 before an
                // easing (一批不对美商品加征关税的排除清单) describes what is eased, not the
                // easing.
                && !(action.class == ActionClass::Ease
                    && before_in_clause.clone().any(|e| {
                        e.start >= m.end
                            && self
                                .action_at(e)
                                .is_some_and(|x| x.class == ActionClass::Escalate)
                            && s.chars[e.end..a.start].contains(&'的')
                    }))
        });
        // A promise not to impose (将不会对中国出口产品加征新关税) is a truce, an easing; a past
        // negation (没有加征) or a denial is not.
        // The negation must bear on the imposing, not on a verb it is the object of
        // (美方声称消费者不会为加征关税买单: 不会…买单).
        let negates_imposing = |n: &Mention| {
            let between: String = s.chars[n.end.min(a.start)..a.start].iter().collect();
            !between.contains('为') && !between.contains('因')
                // (Not acting first, 不会先于美方实施征税措施, promises nothing about acting
                // second: it is the stance before a conditional counter.)
                && !["先于", "率先", "抢先"].iter().any(|w| between.contains(w))
        };
        let promise_not_to_impose = matches!(action.id.as_str(), "impose" | "raise" | "reinstate")
            && negation.is_some_and(|m| {
                FORWARD_NEGATIONS.contains(&self.pat(m).term.as_str()) && negates_imposing(m)
            })
            && !ms
                .iter()
                .any(|m| cue(m, Cue::Denial) || cue(m, Cue::DenialAfter))
            // So is a raise said not to take effect (15日的关税调升将不会上路).
            || matches!(action.id.as_str(), "impose" | "raise")
                && negation.is_none()
                && {
                    let after: String = clause_after(s.chars, a.end).take(24).collect();
                    // (Or the tariff named with 的 before it: …加征的15%关税将不会生效.)
                    let after = match after.strip_prefix('的').and_then(|rest| {
                        ["关税", "措施", "税率"]
                            .iter()
                            .filter_map(|w| rest.find(w).map(|k| k + w.len()))
                            .filter(|&k| rest[..k].chars().count() <= 12)
                            .min()
                            .map(|k| rest[k..].to_string())
                    }) {
                        Some(rest) => rest,
                        None => after,
                    };
                    let after: String = after.chars().take(8).collect();
                    ["将不会", "不会", "将不", "暂时不会", "暂不会", "暂时不"]
                        .iter()
                        .any(|n| after.starts_with(n))
                        && ["上路", "生效", "实施", "落地", "开征", "启动"]
                            .iter()
                            .any(|w| after.contains(w))
                }
            // A measure no longer to be taken (中方决定不再将美国企业列入不可靠实体清单) is
            // a promise too; a bare 不 before 限制 or 采取 is too often something else.
            || action.id == "restrict"
                && negation.is_some_and(|m| {
                    ["不再", "将不", "不会", "暂不", "暂时不"].contains(&self.pat(m).term.as_str())
                        && negates_imposing(m)
                });
        // Not buying US goods (已连续40天没有从美国进口液化天然气) is a halt of purchases.
        // So are imports that fell to nothing (自美国进口大豆为零).
        let fell_to_zero = || {
            let after: String = clause_text_after(s.chars, a.end).chars().take(12).collect();
            ["为零", "归零", "降至零", "降为零", "为0", "降至0"]
                .iter()
                .any(|w| after.contains(w))
        };
        // (Or not buying by design or for long: 中国“故意”不购买美国大豆, 迟迟不采购.)
        let kept_from_buying = |m: &Mention| {
            self.pat(m).term == "不"
                && ["故意", "蓄意", "刻意", "迟迟", "一直", "始终", "拒绝"]
                    .iter()
                    .any(|w| {
                        s.chars[m.start.saturating_sub(4)..m.start]
                            .iter()
                            .collect::<String>()
                            .contains(w)
                    })
        };
        let stopped_buying = matches!(action.id.as_str(), "buy" | "expand_imports")
            && (negation.is_some_and(|m| {
                PAST_NEGATIONS.contains(&self.pat(m).term.as_str()) || kept_from_buying(m)
            }) || fell_to_zero())
            && in_clause
                .iter()
                .any(|m| self.kinds(m).any(|k| *k == Kind::Goods));
        // A purchase that is suspended or stopped (暂停对美国大豆的采购) is a halt of
        // purchases; the suspension itself is governed by it (see `governed`).
        // So is a cancelled one (取消了一批美国大豆订单).
        let suspended_buying = action.id == "buy"
            && !barrier_at(s.chars, a.end)
            && before_in_clause.clone().any(|m| {
                self.action_at(m)
                    .is_some_and(|x| matches!(x.id.as_str(), "suspend" | "postpone" | "lift"))
                    && a.start.saturating_sub(m.end) <= 10
                    // Permission is no halt (允许企业免关税进口美国乙烷).
                    && !PERMITS.iter().any(|p| self.pat(m).term.starts_with(p))
            });
        // A halt that is lifted (解除此前对2家美国企业相关产品暂停进口的措施) is a
        // resumption.
        let halt_lifted = action.id == "halt_buying"
            && before_in_clause.clone().any(|m| {
                self.action_at(m).is_some_and(|x| x.id == "lift")
                    && a.start.saturating_sub(m.end) <= 20
                    // Refused or only demanded (拒绝解除, 要求中方解除) is no resumption.
                    && !["拒绝", "不", "要求", "敦促", "未", "没"].iter().any(|w| {
                        s.chars[m.start.saturating_sub(4)..m.start]
                            .iter()
                            .collect::<String>()
                            .contains(w)
                    })
            });
        // (A report that the sentence denies, 中国将暂停从美国进口液化天然气的报道纯属捏造,
        // reports nothing.)
        let held = if ms[..ai].iter().any(|m| cue(m, Cue::Denial))
            || ms[ai + 1..].iter().any(|m| cue(m, Cue::DenialAfter))
        {
            Mode::Denied
        } else {
            Mode::Actual
        };
        // A suspension of imports named after them and lifted (解除对美国原木进口的暂停措施,
        // 取消对美国禽肉进口的暂停令) is a resumption too.
        let suspension_lifted = action.id == "buy"
            && {
                let after: String = s.chars[a.end..].iter().take(3).collect();
                after.starts_with("的暂停") || after.starts_with("暂停")
            }
            && before_in_clause.clone().any(|m| {
                ["解除", "取消", "撤销", "终止"].contains(&self.pat(m).term.as_str())
                    && a.start.saturating_sub(m.end) <= 14
            });
        if halt_lifted || suspension_lifted {
            if let Some(resume) = self.actions.iter().find(|x| x.id == "resume_buying") {
                return (resume, held);
            }
        }
        if stopped_buying || suspended_buying {
            if let Some(halt) = self.actions.iter().find(|x| x.id == "halt_buying") {
                return (halt, held);
            }
        }
        // A purchase resumed (恢复部分美国农产品进口) is a resumption, which also eases;
        // its mode is read as any purchase's.
        let action = match self.actions.iter().find(|x| x.id == "resume_buying") {
            Some(resume)
                if action.id == "buy"
                    && !barrier_at(s.chars, a.end)
                    && resumed_before(s.chars, a)
                    // 恢复 must bear on the purchase (恢复磋商后中方采购… resumes the talks).
                    // (The resuming word itself is no other act: 恢复向中国客户交付.)
                    && !before_in_clause.clone().any(|m| {
                        m.start + 12 >= a.start
                            && self.action_at(m).is_some()
                            && !RESUMERS.iter().any(|r| self.pat(m).term.starts_with(r))
                    }) =>
            {
                resume
            }
            _ => action,
        };
        // Relief no longer given (美国不再给予中国商品关税豁免) is withdrawn: an escalation,
        // as 停止给予 codes it.
        if action.class == ActionClass::Ease
            && !matches!(action.id.as_str(), "forgo" | "hold")
            && negation.is_some_and(|m| self.pat(m).term == "不再")
        {
            if let Some(revoke) = self.actions.iter().find(|x| x.id == "revoke") {
                return (revoke, Mode::Actual);
            }
        }
        // A promise not to raise (美方不再将…关税税率提高到25%) holds the rate.
        if promise_not_to_impose {
            let kept = match action.id.as_str() {
                "raise" => "hold",
                "reinstate" => "forgo_reinstating",
                _ => "forgo",
            };
            // (Goods an announcement spares in transit, 不加征本次公告所加征的关税, are part
            // of the announcement's own measure.)
            let after: String = clause_text_after(s.chars, a.end).chars().take(16).collect();
            // (The announcement's own tariff, 所加征; not one it lists to be spared, 不加征
            // 本公告所列的对美24%关税.)
            // (Nor goods shipped before the date: 3月10日前已启运…期间进口的货物不加征.)
            let mode = if ["本次公告", "本公告"].iter().any(|w| after.contains(w))
                && after.contains("所加征")
                || clause_text_before(s.chars, a.start, 40).contains("启运")
            {
                Mode::Mentioned
            } else {
                Mode::Actual
            };
            if let Some(kept) = self.actions.iter().find(|x| x.id == kept) {
                return (kept, mode);
            }
        }
        // Talks or purchases named after 关于/至于 in their clause are the subject of the
        // answer, not news of them (关于中美经贸磋商，我们的立场非常明确); talks after 违背
        // are what was breached (违背两国元首大阪会晤共识).
        // A topic marker counts only where it opens the clause, and not before a specific
        // round or a report of what happened (关于第九轮…磋商, 至于双方同意重启经贸磋商).
        let in_clause_all = || in_clause.iter();
        let opens_clause = |t: &Mention| !in_clause_all().any(|m| m.start < t.start);
        let specific = in_clause_all().any(|m| {
            cue(m, Cue::Concrete)
                || self
                    .action_at(m)
                    .is_some_and(|x| matches!(x.id.as_str(), "seek" | "willing" | "offer" | "call"))
        });
        // (What a speaker was asked about, 发言人被问及中美经贸磋商安排时表示, is the
        // question's subject wherever the speaker is named; the answer is read on its own.)
        let asked_about =
            |m: &Mention| matches!(self.pat(m).term.as_str(), "被问及" | "问及" | "被问到");
        let topic = matches!(action.class, ActionClass::Talks | ActionClass::Purchase)
            && !specific
            && before_in_clause
                .clone()
                .any(|m| cue(m, Cue::Topic) && (opens_clause(m) || asked_about(m)));
        let breached = action.class == ActionClass::Talks
            && before_in_clause.clone().any(|m| cue(m, Cue::Breach));
        // (A rhetorical 会不会/要不要 its author answers in the next clause, 去了会不会碰面，
        // 会, asks nothing.)
        let self_answered = |m: &Mention| {
            let asked = self.pat(m).term.as_str();
            matches!(asked, "会不会" | "要不要") && {
                let next: String = s.chars[a.end.min(s.chars.len())..]
                    .iter()
                    .skip_while(|c| !is_clause_end(**c))
                    .skip(1)
                    .take_while(|c| !is_clause_end(**c))
                    .collect();
                let yes = &asked[..3];
                next == yes
                    || next == format!("{yes}的")
                    || next.starts_with(&format!("{yes}（"))
                    || next.starts_with(&format!("{yes}("))
            }
        };
        let in_question = before_in_clause.clone().any(|m| {
            cue(m, Cue::Whether)
                && !self_answered(m)
                && (a.start.saturating_sub(m.end) <= 8
                        // (是否正在就关税问题进行谈判: the question runs to its verb.)
                        // (Not a concession, 无论是否达成协议都将进行谈判, nor talks about
                        // whether, 就是否取消关税举行谈判: those talks are real.)
                        || a.start.saturating_sub(m.end) <= 16
                            && between_has(
                                s.chars,
                                m.end,
                                a.start,
                                &["进行", "举行", "开展", "展开", "启动"],
                            )
                            && !m.start.checked_sub(1).is_some_and(|b| {
                                matches!(s.chars[b], '论' | '就')
                            }))
        });
        // A reinstatement asked about and answered "will not" (问：中方是否会恢复对美加征24%的
        // 关税？答：中方不会恢复) is a promise not to bring it back.
        if action.id == "reinstate"
            && (in_question || yes_no_question(s.chars, a))
            && answered_will_not(s.chars, a)
        {
            if let Some(kept) = self.actions.iter().find(|x| x.id == "forgo_reinstating") {
                return (kept, Mode::Actual);
            }
        }
        // A measure kept (保留10%对等关税) is where things stand, not a new imposition.
        // Retaining a right (保留采取反制措施的权利) is a vow, not the status quo.
        let retained = action.class == ActionClass::Escalate
            && before_in_clause.clone().any(|m| {
                cue(m, Cue::Retain)
                    && (a.start.saturating_sub(m.end) <= 4
                            // (A rate and 的 between: 保留10%的对美加征关税.)
                            || a.start.saturating_sub(m.end) <= 10
                                && s.chars[m.end..a.start]
                                    .iter()
                                    .collect::<String>()
                                    .trim_start_matches(|c: char| c.is_ascii_digit() || c == '.')
                                    .starts_with("%的")
                            // The measure kept, named by a relative clause (保留对2500亿美元
                            // 商品征收的25%关税).
                            || a.start.saturating_sub(m.end) <= 16
                                && s.chars.get(a.end) == Some(&'的')
                                && s.chars.get(a.end + 1).is_some_and(|c| {
                                    c.is_ascii_digit() || "关百一二三四五六七八九十".contains(*c)
                                })
                            // (…or by what is left of it: 保留按该行政令规定对这些商品加征剩余10%
                            // 的关税.)
                            || a.start.saturating_sub(m.end) <= 16
                                && clause_after(s.chars, a.end)
                                    .take(10)
                                    .collect::<String>()
                                    .contains("剩余"))
            })
            && !clause_text_after(s.chars, a.end).contains("权利")
            // (A raise offered beyond keeping, 维持甚至提高相关关税, is a raise.)
            && !(action.id == "raise"
                && ["甚至", "乃至", "或者", "或"]
                    .iter()
                    .any(|w| clause_text_before(s.chars, a.start, 4).contains(w)));
        // An imposition once planned (美国原计划对…加征25%的关税) is the plan a later
        // easing overtook, not news of a measure.
        let superseded = action.class == ActionClass::Escalate
            && before_in_clause.clone().any(|m| cue(m, Cue::Superseded));
        // The rate of a tariff already levied, changed later in the sentence (对…商品的加征
        // 关税税率，分别由10%调整为5%): the change is the news, the imposition its object.
        let rate_changed = action.id == "impose"
            && between_has(
                s.chars,
                a.end,
                (self.phrase_end(s, ai) + 2).min(s.chars.len()),
                &["税率"],
            )
            && ms[ai + 1..].iter().any(|m| {
                m.sentence == a.sentence
                    && self
                        .action_at(m)
                        .is_some_and(|x| matches!(x.id.as_str(), "adjust" | "cut" | "raise"))
            });
        // Goods that may again be sold to China once a restriction is lifted (解除…暂停进口的
        // 措施，相关产品可恢复对华出口; …输华限制，美国牛肉准予进口): what the lifting allows,
        // not a purchase.
        let permitted = action.class == ActionClass::Purchase && {
            let before: String = s.chars[a.start.saturating_sub(3)..a.start].iter().collect();
            ["准予", "可"].iter().any(|w| before.contains(w))
                && ms[..ai].iter().any(|m| {
                    m.sentence == a.sentence
                        && self
                            .action_at(m)
                            .is_some_and(|x| x.class == ActionClass::Ease)
                })
        };
        // The level of tariffs in force as the subject of a judgment (双方相互加征的关税水平都
        // 难以持续), or their cost (加征关税的成本最终将由美国进口商承担), names the status
        // quo, not a new measure.
        let level_named = action.class == ActionClass::Escalate && {
            let rest: String = clause_after(s.chars, a.end).take(12).collect();
            [
                "的关税水平",
                "关税水平",
                "的关税税率水平",
                "关税的成本",
                "关税的代价",
                "关税的负担",
                "的成本",
                // Or their legal basis (法官对总统援引紧急权力课征关税的依据表示怀疑).
                "关税的依据",
                "关税的法律依据",
                "关税的合法性",
                "的依据",
                "的法律依据",
                "的合法性",
            ]
            .iter()
            .any(|w| rest.starts_with(w))
        };
        // An act whose odds or risk are weighed (分析师认为延长休兵的机率仍然较高, 面临再被加征
        // 关税的风险) is spoken of, not done.
        // (Talks weighed by their odds too: 美中短期内重启谈判的机率偏低; the risk of talks,
        // 谈判破裂的风险, is of talks held.)
        let odds_named = {
            let rest = || -> String { clause_after(s.chars, a.end).take(10).collect() };
            match action.class {
                ActionClass::Ease | ActionClass::Escalate => {
                    let rest = rest();
                    ["的机率", "的几率", "的概率", "的可能性", "的风险"]
                        .iter()
                        .any(|w| rest.contains(w))
                }
                ActionClass::Talks => {
                    let rest = rest();
                    ["的机率", "的几率", "的概率", "的可能性"]
                        .iter()
                        .any(|w| rest.contains(w))
                        // (的机会 is odds only when weighed: 达成协议的机会不足三成, not
                        // 希望获得…谈判的机会.)
                        || rest.find("的机会").is_some_and(|i| {
                            rest[i + "的机会".len()..]
                                .starts_with(|c: char| "不偏渺很较低高大约仅".contains(c))
                        })
                }
                _ => false,
            }
        };
        // An act named as what talks discuss (与中方代表在欧洲会面，讨论关税暂停期限) is their
        // topic, not a step taken (not one agreed after it: 讨论并同意暂停…).
        let discussed = matches!(action.class, ActionClass::Ease | ActionClass::Escalate)
            && governing_verb_before(
                s.chars,
                a.start,
                8,
                &["讨论", "商讨", "探讨", "谈及"],
                &["同意", "决定", "宣布", "达成", "一致"],
            )
            .is_some();
        // A purchase that says which firms are meant (申请主体为在华进口美国商品的境内企业;
        // 采购美国大豆的企业可申请排除) describes buyers, it reports no purchase: the verb's
        // clause goes on, without another verb, to 的 and the firms.
        let buyers_described = action.class == ActionClass::Purchase && {
            let rest: String = clause_after(s.chars, a.end).take(24).collect();
            rest.char_indices().take(14).any(|(i, c)| {
                c == '的'
                    && BUYERS
                        .iter()
                        .any(|w| rest[i + c.len_utf8()..].starts_with(w))
            })
        };
        // A purchase argued for by what it would bring (增加自美购买农产品将有助于缓和紧张
        // 关系) is advice, not a commitment.
        let argued = action.class == ActionClass::Purchase
            && [
                "有助于",
                "将有助",
                "有利于",
                "可缓解",
                "能够缓解",
                "可以缓解",
            ]
            .iter()
            .any(|w| clause_text_after(s.chars, a.end).contains(w))
            // (An opinion must frame it: a commitment said with its benefit, 中方承诺增加采购
            // 美国农产品有利于双方, is still one.)
            && {
                let before: String = s.chars[..a.start].iter().collect();
                let framed = before.rsplit(is_sentence_end).next().unwrap_or("");
                ["认为", "看来", "建议", "分析称"].iter().any(|w| framed.contains(w))
                    && !["同意", "承诺", "宣布", "决定"].iter().any(|w| framed.contains(w))
            };
        // A measure named as the subject of representations or talks (中方就取消加征关税和制裁
        // 问题进行了交涉, 双方就取消关税问题进行磋商) is what was raised, not done.
        let raised = matches!(action.class, ActionClass::Ease | ActionClass::Escalate)
            && before_in_clause
                .clone()
                .next()
                .is_none_or(|m| m.start + 12 >= a.start)
            && {
                let from = clause_start(s.chars, a.start);
                let before: String = s.chars[from..a.start].iter().collect();
                let after: String = clause_text_after(s.chars, a.end).chars().take(14).collect();
                before.ends_with('就')
                    && ["问题", "事宜"].iter().any(|w| after.contains(w))
                    && ["交涉", "磋商", "谈判", "交换意见", "沟通", "讨论"]
                        .iter()
                        .any(|w| after.contains(w))
            }
            || matches!(action.class, ActionClass::Ease | ActionClass::Escalate)
                && discussed_or_concerned(s.chars, a)
            || action.class == ActionClass::Escalate && agreed_issue(s.chars, a);
        // A tariff named in a lawsuit (就…加征关税一案举行口头辩论) is the case's subject; one
        // still applied as usual (出口许可审查仍照常进行) is the status quo.
        let after_act: String = clause_text_after(s.chars, a.end).chars().take(16).collect();
        let in_a_case = action.class == ActionClass::Escalate
            && (["一案", "案件", "诉讼案"]
                .iter()
                .any(|w| after_act.contains(w))
                || {
                    let before: String = s.chars[clause_start(s.chars, a.start)..a.start]
                        .iter()
                        .collect();
                    // (Only a tariff is the subject so: 此案涉及的美国企业被列入… is a listing.)
                    action.id == "impose"
                        && ["案件涉及", "诉讼涉及", "此案涉及"]
                            .iter()
                            .any(|w| before.contains(w))
                });
        // (照常 alone may be a new tariff going ahead as planned: 9月1日起…将照常进行.)
        let as_usual = action.class == ActionClass::Escalate
            && ["仍照常", "仍然照常", "仍在照常"]
                .iter()
                .any(|w| after_act.contains(w));
        // Measures still in force beside the news (但对美加征的大部分关税仍然有效) are the
        // status quo, not an imposition. So are rates kept unchanged (…加征的25%关税将维持
        // 不变); a decision or plan kept (加征10%关税的决定维持不变，将如期实施) goes ahead,
        // unless an easing beside it is the news.
        let eased_beside = || {
            s.ms.iter().any(|m| {
                self.action_at(m)
                    .is_some_and(|x| x.class == ActionClass::Ease)
            })
        };
        let still_in_force = action.class == ActionClass::Escalate
            && ([
                "仍然有效",
                "仍有效",
                "依然有效",
                "仍然适用",
                "仍适用",
                "依然适用",
            ]
            .iter()
            .any(|w| after_act.contains(w))
                || [
                    "维持不变",
                    "保持不变",
                    "将维持在",
                    "维持原状",
                    "继续实施",
                    "继续执行",
                ]
                .iter()
                .any(|w| after_act.contains(w))
                    && (eased_beside()
                        || !["决定", "计划", "如期"]
                            .iter()
                            .any(|w| after_act.contains(w)))
                // (Or kept around the act: 美方将在2019年1月1日维持对2000亿美元中国商品加征
                // 10%的关税不变.)
                || ["维持", "保持"]
                    .iter()
                    .any(|w| clause_text_before(s.chars, a.start, 24).contains(w))
                    && after_has(s.chars, a.end, 16, &["不变"])
                // (Or what goods are still liable to: 美国高粱进口仍需加征10%关税, 鉴于美豆
                // 仍需加征关税.)
                || ["仍需", "仍须", "依然需要", "仍然需要"]
                    .iter()
                    .any(|w| clause_text_before(s.chars, a.start, 6).ends_with(w)));
        // An easing told by its end (美中关税休兵期限将届, 休战将于11月10日到期) is a date
        // coming, not an easing made.
        // (Not an extension of what was to expire: 延长原本将于8月31日到期的对华关税豁免.)
        let expiring =
            action.class == ActionClass::Ease && !self.pat(a).term.starts_with('延') && {
                let rest: String = clause_after(s.chars, a.end).take(14).collect();
                ["期限将届", "即将到期", "即将届满", "将届满", "期限届满"]
                    .iter()
                    .any(|w| rest.contains(w))
                    || rest.contains("将于") && rest.contains("到期") && !rest.contains("到期的")
            };
        // Restraint in countermeasures (中方在反制措施上保持了理性和克制) is a stance on
        // them, not a vow.
        let restrained = action.class == ActionClass::Escalate && {
            let after: String = clause_after(s.chars, a.end).take(10).collect();
            after.contains("克制") || after.contains("保持理性") || after.contains("保持了理性")
        };
        // A measure named as the issue spoken about (关于美方加征关税的问题，美方将履行…) is the
        // subject of the answer, not news of it.
        // (So is an easing named as the matter where a side stalls: 在取消对华关税问题上，
        // 美方一拖再拖.)
        let about_issue = matches!(action.class, ActionClass::Escalate | ActionClass::Ease) && {
            let after: String = clause_after(s.chars, a.end).take(6).collect();
            clause_text_before(s.chars, a.start, 8).contains("关于")
                && ["的问题", "问题", "关税的问题", "关税问题"]
                    .iter()
                    .any(|w| after.starts_with(w))
        } || action.class == ActionClass::Ease && {
            let after: String = clause_after(s.chars, a.end).take(14).collect();
            clause_text_before(s.chars, a.start, 4).ends_with('在') && after.ends_with("问题上")
        };
        let mentioned = topic
            // What an instrument is, or how a procedure goes in general (关税排除是指…予以免除
            // 加征; 一般来说，两国之间的经贸磋商由双方牵头人主持), is no act.
            || defined_in_general(s.chars, a)
            || restrained
            || about_issue
            || still_in_force
            || expiring
            || raised
            || in_a_case
            || as_usual
            || permitted
            || argued
            || buyers_described
            || level_named
            || odds_named
            || discussed
            || awaits_decision(s.chars, a, action.class)
            || superseded
            || rate_changed
            || breached
            || retained
            || (in_question || yes_no_question(s.chars, a))
                && !affirmed_in_answer(s.chars, a, action.class)
            || self.time_reference(s, ai)
            || self.cause_reference(s, ai);
        // Talks that a report claimed and an official then denies in the same sentence (有外媒
        // 报道称中美正在就关税问题进行接触，外交部发言人表示，中美没有进行任何磋商或谈判):
        // the denial answers the report.
        let report_denied = action.class == ActionClass::Talks
            && ms[..ai].iter().any(|m| cue(m, Cue::Hedge))
            && ms[ai + 1..].iter().enumerate().any(|(i, n)| {
                n.clause != a.clause
                    && (cue(n, Cue::Negation) || cue(n, Cue::Denial))
                    && ["没有", "并没有", "从未", "不存在"].contains(&self.pat(n).term.as_str())
                    && ms[ai + 1 + i + 1..].iter().any(|t| {
                        // The negation must deny holding talks (没有就关税问题进行任何磋商,
                        // 没有任何谈判), not a deadline, a breakdown or a pause of them
                        // (没有设定谈判的期限, 不存在所谓谈判破裂, 从未停止经贸沟通).
                        let between: String = s.chars[n.end..t.start.max(n.end)].iter().collect();
                        t.start <= n.end + 16
                            && (between.is_empty()
                                || ["进行", "举行", "开展", "展开", "任何"]
                                    .iter()
                                    .any(|w| between.contains(w))
                                    && !between.contains('的'))
                            && self
                                .action_at(t)
                                .is_some_and(|x| x.class == ActionClass::Talks)
                    })
            });
        // Imports allowed (允许符合要求的美国禽肉进口) are market access granted, which the
        // permission codes; no one has bought anything yet.
        let imports_allowed = action.id == "buy"
            && self.pat(a).term == "进口"
            && before_in_clause.clone().any(|m| {
                ["允许", "准许", "放开"].contains(&self.pat(m).term.as_str())
                    // (The goods may carry their conditions first: 允许符合我国相关法律法规
                    // 要求的美国禽肉进口.)
                    && m.end + 30 >= a.start
                    // The goods stand before 进口 (允许…美国禽肉进口); firms allowed to
                    // import, 允许企业进口美国大豆, or imports of goods named after it,
                    // 允许进口美国液化天然气, are purchases.
                    && {
                        let between: String =
                            s.chars[m.end..a.start.max(m.end)].iter().collect();
                        between.contains('美') && !between.contains("企业")
                    }
            });
        let mode = if mentioned || imports_allowed {
            Mode::Mentioned
        } else if report_denied
            || negation.is_some()
            // (Not across a turn: 美方否认已与中方达成协议，但表示双方谈判仍在继续 denies the
            // deal, not the talks.)
            || ms[..ai]
                .iter()
                .any(|m| cue(m, Cue::Denial) && !turn_between(s.chars, m.end, a.start))
            || ms[ai + 1..].iter().any(|m| cue(m, Cue::DenialAfter))
            // A rumour quoted and then called false (网传“美方宣布全面取消对华关税”？假的！) is
            // denied, not reported.
            || debunked(s.chars, a)
            // A denial closing the sentence (外媒称美方考虑放宽对华关税，白宫否认) denies
            // what was reported before it.
            || ms[ai + 1..].iter().enumerate().any(|(i, m)| {
                self.pat(m).term == "否认"
                    && !ms[ai + 1 + i + 1..].iter().any(|b| self.action_at(b).is_some())
            })
        {
            Mode::Denied
        } else if matches!(action.class, ActionClass::Talks | ActionClass::Ease)
            && self.wished_by_a_third_party(s, ai)
        {
            // Talks a third party hopes for or urges (日本首相表示，希望中美双方保持对话; 德国
            // 总理敦促中美重回谈判桌) are its wish, not a contact, offer or request of a side;
            // so is relief a firm pleads for.
            Mode::Forecast
        } else if action.class != ActionClass::Talks
            && (forecast_by_no_side(s.chars, a.start) || study_projection(s.chars, a))
            // A poster's own bet or guess (我赌年底前中美还得再谈一次) is no report, of talks
            // either.
            || own_guess(s.chars, a.start)
        {
            // (Talks expected by analysts, 分析人士预计中美下周将举行会谈, stay talks: a
            // round in prospect is what the label is for.)
            Mode::Forecast
        } else if matches!(action.class, ActionClass::Ease | ActionClass::Purchase)
            && ms[..ai].iter().any(|m| {
                cue(m, Cue::Demand)
                    && self.demand_on_another(s, m, action.class)
                    && (m.clause == a.clause
                        || !s
                            .sides
                            .named
                            .iter()
                            .any(|n| n.1 == a.clause && n.0 < a.start && !n.3))
            })
        {
            // A demand governs the easings and purchases listed after it in its sentence (敦促
            // 美方立即纠正错误，撤销所谓制裁; 呼吁中方恢复采购美国大豆), not one in a later clause
            // with its own subject (美方要求中方扩大采购，中方宣布停止…加征关税).
            Mode::Demanded
        } else if matches!(action.class, ActionClass::Ease | ActionClass::Purchase)
            && clause_after(s.chars, a.end)
                .take(24)
                .collect::<String>()
                .contains("的呼声")
        {
            // Calls for it (美国国内取消对华加征关税的呼声很高) are a demand, not the act.
            Mode::Demanded
        } else if action.class == ActionClass::Purchase && {
            let after: String = s.chars[a.end..].iter().take(4).collect();
            [
                "是根据",
                "是基于",
                "是企业",
                "是市场",
                "属于市场",
                "属于企业",
                "完全是",
            ]
            .iter()
            .any(|w| after.starts_with(w))
        } {
            // Purchases said to be a market matter (中国民航企业的飞机采购是根据自身经营需要作出
            // 的市场行为) are a statement about buying, not news of a purchase.
            Mode::Mentioned
        } else if action.class == ActionClass::Ease && attributive_past(s.chars, a) {
            // An easing said of what a measure was (重新加征此前暂停的24%关税, 此前移出实体清单
            // 的两家企业被重新列入) describes the measure undone, not an easing now.
            Mode::Mentioned
        } else if action.class == ActionClass::Ease
            && (only_if_premise(s.chars, a) || judged(s.chars, a))
        {
            // An easing named as the only way to something (只有美方取消全部关税，中美关系
            // 才能真正缓和), or judged as a precondition (取消全部加征关税是达成协议的前提), is
            // an argument, not an act or an offer.
            Mode::Principle
        } else if action.class == ActionClass::Escalate && self.part_of_an_easing(s, ai) {
            // Measures that answer an easing in kind (美方取消91%的加征关税…，中方采取相应措施),
            // or that are its scope (…一年，包括对中国船舶收取的港口费): the easing is the
            // news, not a countermeasure.
            Mode::Mentioned
        } else if action.class == ActionClass::Escalate
            && a.start >= 2
            && s.chars[a.start - 2..a.start] == ['反', '对']
        {
            // A measure opposed with no one named taking it (美企在场外上书，反对加征关税) is
            // what is opposed, not news of it; whose it is, the text says elsewhere if at all.
            Mode::Mentioned
        } else if repealed_title(s.chars, a.start) {
            // A notice named as repealed (《海关总署关于暂停…输华资格的通知》同时废止) is undone,
            // not news of its measure.
            Mode::Mentioned
        } else if so_called(s.chars, a.start) {
            // A so-called act (所谓“接触”不过是礼节性往来) is the other side's word for it, put in
            // doubt, not news of it.
            Mode::Mentioned
        } else if action.class == ActionClass::Escalate
            && s.chars[clause_start_within(s.chars, a.start, 10)..a.start].contains(&'反')
            && ["一贯反对", "始终反对", "一向反对", "历来反对"]
                .iter()
                .any(|w| clause_text_before(s.chars, a.start, 10).contains(w))
        {
            // A practice always opposed (中方一贯反对美方实施单边制裁和所谓的"长臂管辖") is a
            // stance on a policy, not news of a measure.
            Mode::Principle
        } else if action.id == "face" && {
            let near = clause_text_before(s.chars, a.start, 6);
            ["仍", "依然", "依旧", "继续"]
                .iter()
                .any(|w| near.contains(w))
        } {
            // What goods still face (芬太尼关税降至10%后，中国输美商品仍平均面对约47%的关税) is
            // the level left standing, not a new measure.
            Mode::Mentioned
        } else if action.class == ActionClass::Escalate && characterised(s.chars, a) {
            // A measure named as a way of acting (美方单边加征关税的做法损人不利己), with no
            // size, list or occasion, is a verdict on a policy, not news of a measure.
            Mode::Principle
        } else if action.class != ActionClass::Talks
            // (A vow is a stance by nature: 中方的态度是一贯的：打，奉陪到底.)
            && action.id != "vow"
            && s.principle
            && !s.concrete
            && !s
                .sides
                .named
                .iter()
                .any(|n| n.1 == a.clause && n.0 < a.start)
            // Nor by the pair, as a recap of what was done (经济学家认为，中美关税大幅下调后…);
            // advice or a forecast (中美应该相互取消…, 可能将关税下调) stays an opinion.
            && !(s
                .sides
                .pairs
                .iter()
                .any(|p| p.1 == a.clause && p.0 < a.start)
                && done_before(s.chars, a))
        {
            // A measure named with no one taking it, in a sentence of principles (加征关税解决
            // 不了任何问题), is an argument, not an event.
            Mode::Principle
        } else if matches!(action.class, ActionClass::Escalate | ActionClass::Ease)
            && self.subject_of_effect(s, ai, action.class)
        {
            // Tariffs as the subject of their effects (加征关税给美国带来的痛是显而易见的,
            // 加征关税只会削弱对手) are an argument about them, not news of one.
            Mode::Principle
        } else if action.class == ActionClass::Talks
            && s.principle
            && !s.concrete
            && self.principle_governs(s, a, action)
        {
            // Before the conditional: "如果美方有智慧，就应当…通过磋商解决问题" is advice.
            Mode::Principle
        } else if ms[..ai].iter().any(|m| cue(m, Cue::Conditional))
            && s.sides.conditional_clauses.contains(&a.clause)
            && forecast_after_condition(s.chars, a.end)
        {
            // A condition whose answer is a forecast (若美国对所有中国商品加征25%关税，中国
            // GDP增长或被拖低1.6个百分点; 若中美达成协议，采购规模有望大幅增加) is an analyst's
            // scenario: no threat, offer or deal.
            Mode::Principle
        } else if {
            // (The hedge first: ten characters, where the conditions are a scan of the acts
            // before, long in a run-on sentence.)
            let near = clause_text_before(s.chars, a.start, 10);
            // (Or right after it: 若政府败诉，芬太尼关税和对等关税或须退还.)
            let after: String = clause_after(s.chars, a.end).take(8).collect();
            ["可能", "或将", "恐将", "恐怕", "或会", "也许", "有望"]
                .iter()
                .any(|w| near.contains(w))
                || ["或须", "或需", "或将", "可能", "恐将"]
                    .iter()
                    .any(|w| after.contains(w))
        } && ms[..ai].iter().any(|m| {
            cue(m, Cue::Conditional) && {
                let before = sentence_text_before(s.chars, m.start, 2 * CLAUSE_REACH);
                FORECASTERS.iter().any(|f| before.contains(f))
            }
        }) {
            // A scenario an analyst draws, hedged (分析人士认为，若关税休战期限届满后未获延长，
            // 美国对华关税可能重新升至三位数), is no side's threat; a pundit's vow (胡锡进：美方
            // 如果再加关税，中方必定反击) is still one.
            Mode::Forecast
        } else if action.class == ActionClass::Escalate
            && ms[..ai].iter().any(|m| {
                cue(m, Cue::Conditional) && {
                    let condition = clause_text(s.chars, m.start);
                    [
                        "未延长",
                        "不延长",
                        "没有延长",
                        "未获延长",
                        "未能延长",
                        "不再延长",
                        "未被延长",
                    ]
                    .iter()
                    .any(|w| condition.contains(w))
                }
            })
        {
            // What a pause holds back, told as what follows if it lapses (暂停安排若未延长，对华
            // 关税将回升至三位数水平), is the stake of the extension, not a threat.
            Mode::Mentioned
        } else if ms[..ai].iter().any(|m| cue(m, Cue::Conditional)) {
            Mode::Conditional
        } else if ms[..ai].iter().any(|m| cue(m, Cue::Threat)) || cue(a, Cue::Threat) {
            Mode::Threatened
        } else if before_in_clause.clone().any(|m| self.plans(s, m)) {
            Mode::Planned
        } else if action.class == ActionClass::Talks && self.talks_planned(s, ai) {
            // The talks' subject (中美经贸团队将在伦敦举行会谈): planned with the verb.
            Mode::Planned
        } else if s.recap {
            Mode::Recap
        } else {
            Mode::Actual
        };
        (action, mode)
    }

    /// Whether `m` is a cue of a plan (将, 计划…), not the 将 of 将…列入 taking an object.
    fn plans(&self, s: &Sentence, m: &Mention) -> bool {
        self.cue(m, Cue::Planned) && !ba_object_follows(m, &s.sides, s.chars)
    }

    /// Whether the talks at `ai` are planned by a cue outside their own words: a planned cue
    /// and then talks after them in their clause (the first talks word is the subject of the
    /// planned ones: 经贸团队将…举行会谈), or a clause that goes on with 与/同/跟/并 from a
    /// planned one (何立峰将于5月9日访问瑞士，与美方举行会谈).
    fn talks_planned(&self, s: &Sentence, ai: usize) -> bool {
        let a = s.ms[ai];
        let planned = |m: &&Mention| self.plans(s, m);
        let mut after = s.ms[ai + 1..].iter().filter(|m| m.clause == a.clause);
        if after.any(planned)
            && after.any(|m| {
                self.action_at(m)
                    .is_some_and(|x| x.class == ActionClass::Talks)
            })
        {
            return true;
        }
        let start = clause_start(s.chars, a.start);
        let goes_on = matches!(s.chars.get(start), Some('与' | '同' | '跟' | '并'));
        goes_on
            && a.clause > 0
            && s.ms[..ai]
                .iter()
                .filter(|m| m.clause + 1 == a.clause)
                .any(planned)
    }

    /// An act named as a point in time (自贸易休战以来, 加征关税以来, 中美经贸磋商启动以来):
    /// the sentence dates something else by it.
    fn time_reference(&self, s: &Sentence, ai: usize) -> bool {
        let end = self.phrase_end(s, ai);
        // Up to two characters of a verb in between (开始, 启动, 爆发), not of a date (暂停
        // 实施今年以来对部分美国实体采取的…措施: the measures are since this year).
        (end..=end + 2).any(|i| {
            s.chars.get(i) == Some(&'以')
                && s.chars.get(i + 1) == Some(&'来')
                && !{
                    // (A date, not a duration: 今年, 去年, 5月, 2019年; 两年以来 still dates
                    // by the act.)
                    let between = &s.chars[end..i.min(s.chars.len())];
                    between
                        .iter()
                        .any(|c| matches!(c, '今' | '去' | '初' | '月' | '日' | '周'))
                        || between.iter().filter(|c| c.is_ascii_digit()).count() >= 4
                        || between
                            .iter()
                            .any(|c| is_clause_end(*c) || is_sentence_end(*c) || *c == '的')
                }
        }) && !s.chars[end..]
            .iter()
            .take(2)
            .any(|c| is_clause_end(*c) || is_sentence_end(*c))
    }

    /// Where the act at `ai` ends with the instruments and acts that run on from it
    /// (加征关税, 开始贸易战).
    fn phrase_end(&self, s: &Sentence, ai: usize) -> usize {
        let (ms, a) = (&s.ms, s.ms[ai]);
        let mut end = a.end;
        for m in &ms[ai + 1..] {
            if m.clause != a.clause || m.start > end {
                break;
            }
            if self.instrument_at(m).is_some() || self.action_at(m).is_some() {
                end = end.max(m.end);
            }
        }
        end
    }

    /// An act named as the cause of a figure's change (受美国加征关税影响，…出口下降12%):
    /// the sentence reports the statistic, not the act. (受特朗普再次升级…影响，板块走强
    /// reports the act through the market's answer to it, and stays an event.)
    fn cause_reference(&self, s: &Sentence, ai: usize) -> bool {
        let a = s.ms[ai];
        let start = clause_start(s.chars, a.start);
        let received = s.chars[start.max(a.start.saturating_sub(10))..a.start].contains(&'受');
        let end = self.phrase_end(s, ai);
        let after: String = clause_after(s.chars, end).take(7).collect();
        if !received || !EFFECTS.iter().any(|w| after.contains(w)) {
            return false;
        }
        let rest: String = s.chars[end..]
            .iter()
            .take_while(|&&c| !is_sentence_end(c))
            .collect();
        rest.contains('%') && TRENDS.iter().any(|w| rest.contains(w))
    }

    /// Adds the event (and its features and evidence) to `coded`.
    fn record(
        &self,
        s: &Sentence,
        ai: usize,
        e: &CodedEvent,
        norm: &Normalized,
        coded: &mut Coded,
    ) {
        let (ms, a) = (&s.ms, s.ms[ai]);
        let action_id = self
            .actions
            .iter()
            .position(|x| std::ptr::eq(x, e.action))
            .unwrap_or(0) as u8;
        // A duration is the size of an easing (暂停90天), never of an imposition or a purchase:
        // "十天后，美方撕毁协议，加征关税", "一连7天举行听证会" and "前十个月自美国进口" say
        // when or how long, not how much.
        let sizes = match e.action.class {
            ActionClass::Ease | ActionClass::Talks => Sizes::WithDurations,
            ActionClass::Escalate => Sizes::Measure,
            ActionClass::Purchase => Sizes::Quantity,
        };
        // A vow names no size: a rate near it is the measure it answers (美方…上调至25%，中方
        // …将不得不采取必要反制措施).
        // The 50% of the 50% affiliates rule is the rule's name, not a size.
        let named: Vec<(usize, usize)> = ms
            .iter()
            .filter(|m| {
                self.instrument_at(m)
                    .is_some_and(|i| self.instruments[i as usize].id == "affiliates_rule")
            })
            .map(|m| (m.start, m.end))
            .collect();
        let magnitude = (e.action.id != "vow")
            .then(|| magnitude(s.chars, ms, a, sizes, &named))
            .flatten();
        let goods = ms
            .iter()
            .find(|m| self.kinds(m).any(|k| *k == Kind::Goods))
            .map(|m| self.pat(m).gloss.trim_start_matches("US ").to_string());
        let label = (counts(e.action.class, e.mode) || offered_in_answer(s, a, e))
            .then(|| e.action.class.label());
        let (start, end) = norm.original_span(a.start, a.end);
        let mut sentence = self.render(
            action_id,
            e.actor,
            e.target,
            e.instrument,
            magnitude.as_deref(),
            e.mode,
            goods.as_deref(),
        );
        // A vow answering a condition says what the condition is (如果美方…加征关税，中方将
        // 坚决反制: "if the US imposes tariffs"), since the premise is no event of its own.
        if e.action.id == "vow" && e.mode == Mode::Conditional {
            if let Some(premise) = self.premise(s, ai) {
                sentence = sentence.replacen(" escalates", &format!(" {premise}"), 1);
            }
        }
        // An easing offered in answer to a condition says so, and what the condition is when
        // it is an act of the other side (如果美方取消…，中方也将相应取消: "if the US lifts
        // tariffs").
        if label.is_some() && e.action.class == ActionClass::Ease && e.mode == Mode::Conditional {
            let condition = match (self.premise(s, ai), e.target) {
                (Some(premise), Some(t)) => format!(" if {} {premise}", self.who(t)),
                _ => ", on conditions".to_string(),
            };
            sentence = sentence.replacen(" would ", " offered to ", 1).replacen(
                ", under conditions",
                &condition,
                1,
            );
        }
        let ev = Event {
            actor: e.actor.code(self),
            action: e.action.id.clone(),
            target: e.target.map(|t| t.code(self)),
            instrument: e
                .instrument
                .map(|i| self.instruments[i as usize].id.clone()),
            magnitude: magnitude.clone(),
            mode: e.mode,
            start,
            end,
            label,
            sentence,
        };
        coded
            .features
            .push(format!("{}:{}", e.action.id, e.mode.as_str()));
        if let Some(l) = label {
            coded.features.push(format!("label:{l}"));
            let ev_list = &mut coded.evidence[l.index()];
            let seen = &mut coded.evidence_at[l.index()];
            let mut push = |m: &Mention| {
                let (start, end) = norm.original_span(m.start, m.end);
                if seen.insert(start) {
                    ev_list.push(Evidence {
                        term: self.pat(m).term.clone(),
                        start,
                        end,
                        gloss: self.pat(m).gloss.clone(),
                    });
                }
            };
            push(a);
            for m in ms.iter().filter(|m| m.clause == a.clause) {
                if self
                    .kinds(m)
                    .any(|k| matches!(k, Kind::Side(_) | Kind::Pair(_) | Kind::Instrument(_)))
                {
                    push(m);
                }
            }
            // The same event under a second label (a resumption also eases).
            let also_counts_as = |coded: &mut Coded, l: Label| {
                coded.features.push(format!("label:{l}"));
                let mut e2 = ev.clone();
                e2.label = Some(l);
                coded.events.push(e2);
            };
            // Purchases halted as a response (作为回应，相关中国企业已暂停采购美国农产品) are
            // a countermeasure too.
            if e.action.id == "halt_buying" && counts(ActionClass::Escalate, e.mode) {
                let before: String = s.chars[sentence_start(s.chars, a.start)..a.start]
                    .iter()
                    .collect();
                // (Or said after it: …停止采购美国网通设备，以回应华府的芯片禁令.)
                let after: String = s.chars[a.end..]
                    .iter()
                    .take_while(|&&c| !is_sentence_end(c))
                    .collect();
                let answered = ["作为回应", "作为反制", "予以反制", "作为报复", "以示报复"]
                    .iter()
                    .any(|w| before.contains(w))
                    || before.contains("作为对") && before.contains("回应")
                    || [
                        "以回应",
                        "作为回应",
                        "作为反制",
                        "作为报复",
                        "以报复",
                        "以示报复",
                    ]
                    .iter()
                    .any(|w| after.contains(w))
                    || after.contains("作为对") && after.contains("回应");
                if answered {
                    also_counts_as(coded, Label::Escalation);
                }
            }
            if e.action.ease_too && counts(ActionClass::Ease, e.mode) {
                also_counts_as(coded, Label::DeEscalation);
            }
        }
        coded.events.push(ev);
    }
}

/// One sentence's mentions and what the coder read of it.
struct Sentence<'a> {
    ms: Vec<&'a Mention>,
    /// The sentence before reported an easing (what 相应 measures may answer).
    eased_before: bool,
    chars: &'a [char],
    sides: SentenceSides,
    /// A trade word in the sentence itself.
    trade: bool,
    concrete: bool,
    principle: bool,
    recap: bool,
    last_actor: Option<Participant>,
    post_sides: u64,
    us_china_post: bool,
    /// A word in the post points to the US as China's counterpart (see `US_IMPLIED`).
    us_implied: bool,
    /// Clauses with an escalation coded, once the acts outside conditions are coded.
    answered: Vec<usize>,
    /// Clauses with an offer of talks coded (大门是敞开的), likewise.
    offered: Vec<usize>,
    /// Clauses holding a wish or a demand (see `Hints::wished`), in order: found once per
    /// sentence, so each act asks in logarithmic time.
    wish_clauses: Vec<usize>,
}

/// What the action itself says about its sides, for `SentenceSides::resolve`.
#[derive(Debug, Clone, Copy)]
struct Hints {
    /// The action is directed at the other side (seeking or offering talks).
    directed: bool,
    /// The action is a visit: the visitor is the side named nearest before it (中国商务部宣布
    /// 美国商务部长雷蒙多将访华), the host the other side.
    visit: bool,
    /// The action is China's door said open (中方的大门是敞开的): in a post naming China
    /// alone, in trade, it is open to the US.
    door: bool,
    /// The action is a measure faced (将面临…关税): a side after the verb imposes it.
    faced: bool,
    /// The other side goes without saying when no third party is in the post (a vow, the
    /// conflict's own tariff lists).
    implied_counterpart: bool,
    /// The action's clause opens with "and" (并, 同时, 还…): its unnamed subject is the
    /// previous clause's, not the sentence's speaker.
    continues: bool,
    /// A word in the post points to the US as China's counterpart (对华, 输美: see
    /// `US_IMPLIED`), though the US is not named.
    us_implied: bool,
    /// A wish or a demand is in the action's clause (…表达了对中美贸易休战的渴望): a third
    /// party speaking of the pair's act only hopes for it.
    wished: bool,
    /// China is marked as the target by 对华 right before the act (…，对华加征关税).
    china_marked: bool,
    /// The act's clause marks no target with 对 (将…电子产品排除在对等关税之外): a
    /// beneficiary told later in the sentence may be its target.
    no_dui_in_clause: bool,
    /// The act's verb opens its clause (…，美方公布相关备忘录，豁免…): it goes on with the
    /// subject of the clause right before it.
    opens_clause: bool,
}

/// Limits on what may pass (a quota, a threshold, a duty-free allowance): lowering one
/// tightens the rule it belongs to.
const LIMITS: &[&str] = &[
    "阈值",
    "门槛",
    "配额",
    "上限",
    "额度",
    "限额",
    "最低限度",
    "起征点",
];

/// Whether the cut at `a` lowers a limit (see `LIMITS`): a limit is the last thing named
/// before the verb in its clause, or after the 的 of its object, with no tariff or rate named
/// after it (关税配额降至零, but not 配额内关税税率下调).
fn limit_lowered(chars: &[char], a: &Mention) -> bool {
    let before = clause_text_before(chars, a.start, 20);
    let no_rate_after = |rest: &str| !["关税", "税率", "费率"].iter().any(|w| rest.contains(w));
    let limit_end = |text: &str| {
        LIMITS
            .iter()
            .filter_map(|w| text.rfind(w).map(|i| i + w.len()))
            .max()
    };
    // (Or named as the verb's object: 下调对华出口管制的"最低限度"比例.)
    let object: String = clause_after(chars, a.end).take(16).collect();
    limit_end(&before).is_some_and(|end| no_rate_after(&before[end..]))
        || object.find('的').is_some_and(|of| {
            limit_end(&object[of..]).is_some_and(|end| no_rate_after(&object[of + end..]))
        })
}

/// Words after an easing that leave China out of it (豁免清单公布，中国产品未被列入).
const LEFT_OUT: &[&str] = &[
    "未被列入",
    "未列入其中",
    "未在其中",
    "不在其中",
    "不包括中国",
    "不包含中国",
    "中国除外",
    "不适用于中国",
    "未被纳入",
];

/// How China's statements name the US without naming it (see `code`).
const VEILED_US: &[&str] = &["任何国家"];

/// Counters with no measure or trade in their words, which may be anyone's (see `is_trade`).
const BARE_COUNTERS: &[&str] = &["反制", "反击", "回击", "坚决反制", "予以反制", "坚决回击"];

/// Words that make the US China's counterpart in a post that does not name it: China as the
/// target of 对华, goods sent to the US (输美), trips to it.
const US_IMPLIED: &[&str] = &[
    "对华",
    "输美",
    "赴美",
    "访美",
    "自美",
    "对美",
    "涉美",
    // The Phase One deal is the US–China agreement.
    "第一阶段经贸协议",
    "第一阶段协议",
    // So is the Phase Two deal that was to follow it.
    "第二阶段经贸协议",
    "第二阶段协议",
];

/// Whether the act at `at` is called "so-called" (所谓“接触”).
fn so_called(chars: &[char], at: usize) -> bool {
    // (Read in place: this is asked of every act.)
    let from = clause_start_within(chars, at, 3);
    let near = &chars[from..at];
    let bare = match near.last() {
        Some('“' | '"') => &near[..near.len() - 1],
        _ => near,
    };
    bare.ends_with(&['所', '谓'])
}

/// Words calling a report untrue: the talks it claimed are denied.
const DEBUNKED: &[&str] = &[
    "说法不属实",
    "报道不属实",
    "消息不属实",
    "不实报道",
    "纯属捕风捉影",
    "捕风捉影",
    "纯属谣言",
    "纯属虚构",
    "并无相关安排",
    "没有相关安排",
    "目前并无此安排",
];

/// Talks denied outright: after a rumour of them (市场传闻中美双方将就关税问题展开接触…外交部
/// 发言人表示，中美双方目前没有就关税问题进行任何磋商或谈判) they deny it. (Not after a claim
/// by a side, which counts whatever the other says: LABELS.md.)
const TALKS_DENIED: &[&str] = &[
    "进行任何磋商",
    "进行任何谈判",
    "没有任何磋商",
    "没有任何谈判",
];

/// An action resolved into an event, before it is written down.
struct CodedEvent<'a> {
    action: &'a Action,
    actor: Participant,
    target: Option<Participant>,
    instrument: Option<u8>,
    mode: Mode,
}

/// Whether a barrier word (进口限制, 进口禁令) starts at `at`, right after a purchase word:
/// then the purchase word names what the barrier stops, and lifting it is an easing.
fn barrier_at(chars: &[char], at: usize) -> bool {
    two_char_word_at(chars, at, BARRIERS)
}

/// Whether one of `words` (each two characters) starts at `at`.
fn two_char_word_at(chars: &[char], at: usize, words: &[&str]) -> bool {
    words.iter().any(|w| word_at(chars, at, w))
}

/// Whether a noun of goods (商品, 产品, 货物) starts at `at`, right after a purchase word: then
/// the purchase word is an attribute of goods (进口商品), not a purchase.
fn goods_noun_at(chars: &[char], at: usize) -> bool {
    two_char_word_at(chars, at, &["商品", "产品", "货物", "货品"])
        // An importer (进口商) is a firm, not a purchase.
        || chars.get(at) == Some(&'商') && chars.get(at + 1).is_none_or(|c| !"用务业".contains(*c))
}

/// Whether the clause around `at` opens with a word of "and" (并暂停…, 同时…): it goes on
/// with the previous clause's subject.
fn continues_clause(chars: &[char], at: usize) -> bool {
    let at = at.min(chars.len());
    let start = clause_start(chars, at);
    let Some(first) = chars[start..at].iter().position(|c| !c.is_whitespace()) else {
        return false;
    };
    ["并", "同时", "还", "也", "又", "随后", "随即", "进而"]
        .iter()
        .any(|w| word_at(chars, start + first, w))
}

/// Whether the words at `at` make what ends there a point in time (大选之后, 疫情前): the
/// election or the epidemic as a date, not the subject.
fn marks_time(chars: &[char], at: usize) -> bool {
    ["之前", "之后", "以前", "以后", "前夕"]
        .iter()
        .any(|w| word_at(chars, at, w))
}

/// Whether `word` starts at `at` (no allocation: called for many mentions).
/// Whether the side named at `m` is what something is compared with: 像/如同 right before it
/// and 那样/一样 right after it (像中国那样, 如同美国一样).
fn compared_side(chars: &[char], m: &Mention) -> bool {
    let like = (m.start > 0 && chars[m.start - 1] == '像')
        || (m.start > 1 && chars[m.start - 2..m.start] == ['如', '同']);
    let after: String = chars[m.end..].iter().take(2).collect();
    // (Or the supplier turned to instead: 暂停新的美国黄豆采购，转向巴西货源.)
    let instead = m.start > 1
        && ["转向", "转而", "改从", "转从", "改向"]
            .iter()
            .any(|w| word_at(chars, m.start - 2, w));
    like && ["那样", "一样", "那般", "一般"].contains(&after.as_str()) || instead
}

/// Whether what the verb at `m` raises or cuts is a forecast, a rating, a target or a trade
/// balance (上调中国今年GDP增长预测至4.6%, 下调评级, 将对美贸易顺差降至零): named after it in
/// its clause before any tariff word.
fn figure_raised_or_cut(chars: &[char], m: &Mention) -> bool {
    let after: String = clause_text_after(chars, m.end).chars().take(16).collect();
    let object = after.find("关税").map_or(after.as_str(), |i| &after[..i]);
    // (Or said right before it, as its topic: 贸易顺差降至零; also before the figure it starts
    // from: 将GDP增速预期由4.5%上调至5.0%.)
    let topic = clause_text_before(chars, m.start, 16);
    let topic = from_figure_stripped(&topic);
    let topic: String = {
        let n = topic.chars().count();
        topic.chars().skip(n.saturating_sub(4)).collect()
    };
    [
        "预测",
        "预期",
        "评级",
        "目标价",
        "增速",
        "预估",
        "展望",
        "顺差",
        "逆差",
        "赤字",
        "不平衡",
        "失衡",
    ]
    .iter()
    .any(|w| object.contains(w) || topic.ends_with(w))
        // (A price or a quantity after it: 升至每蒲式耳10.8美元, 回升至190万吨.)
        || quantity_or_price_follows(object)
        // (Prices, rates and stocks rise and fall: 大豆期货也升至每蒲式耳11美元, 11月合约一度
        // 升至, 汇率中间价调升, 大豆库存恐攀升至数年高点; no tariff named after them.)
        || {
            let subject = clause_text_before(chars, m.start, 10);
            [
                "价", "价格", "期货", "合约", "汇率", "指数", "利率", "收益率", "库存", "顺差",
                "逆差", "赤字", "比重", "占比", "份额", "压榨量", "产量", "开机率", "出口量",
                "进口量", "销量", "到港量", "人民币", "兑美元", "美元兑", "日元", "欧元", "澳元",
                "英镑", "黄金", "金价", "美债", "储备",
            ]
            .iter()
            .any(|w| {
                subject
                    .rfind(w)
                    .is_some_and(|at| !subject[at..].contains("关税") && !subject[at..].contains("税率"))
            })
        }
}

/// `before`, the words before a rise or a cut, without the figure it starts from at their end
/// (由4.5%, 从10%, 由1.2万亿美元): what is raised stands before that figure.
fn from_figure_stripped(before: &str) -> &str {
    before
        .rfind(['由', '从'])
        .filter(|&i| {
            let figure = &before[i + '由'.len_utf8()..];
            figure.starts_with(|c: char| c.is_ascii_digit())
                && figure
                    .chars()
                    .all(|c| c.is_ascii_digit() || ".%％个百分点万亿美元左右约".contains(c))
        })
        .map_or(before, |i| &before[..i])
}

/// Whether the contact at `a` is kept by a firm, named right before it with its partner
/// (航空公司与波音保持沟通, 企业及时与主管部门沟通, 买家与供应商保持联系).
fn firms_in_touch(chars: &[char], a: &Mention) -> bool {
    let before = clause_text_before(chars, a.start, 20);
    let Some(with) = before.rfind(['与', '同', '和']) else {
        return false;
    };
    let (subject, partner) = (&before[..with], &before[with + '与'.len_utf8()..]);
    const FIRMS: [&str; 9] = [
        "公司",
        "企业",
        "航司",
        "厂商",
        "买家",
        "卖家",
        "客户",
        "供应商",
        "进口商",
    ];
    FIRMS
        .iter()
        .any(|w| subject.ends_with(w) || subject.contains(w) && subject.chars().count() <= 12)
        || FIRMS.iter().any(|w| partner.contains(w))
        || [
            "主管部门",
            "海关",
            "监管部门",
            "代理",
            "货代",
            "船公司",
            "承运人",
        ]
        .iter()
        .any(|w| partner.contains(w))
}

/// Whether `at` is inside a title in 《》 that the text then repeals (《…的通知》同时废止).
fn repealed_title(chars: &[char], at: usize) -> bool {
    let Some(open) = chars[at.saturating_sub(60)..at]
        .iter()
        .rposition(|&c| c == '《' || c == '》')
        .map(|i| at.saturating_sub(60) + i)
    else {
        return false;
    };
    if chars[open] != '《' {
        return false;
    }
    let Some(close) = chars[at..].iter().take(60).position(|&c| c == '》') else {
        return false;
    };
    let after: String = chars[at + close + 1..].iter().take(8).collect();
    ["同时废止", "废止", "予以废止", "停止执行", "不再执行"]
        .iter()
        .any(|w| after.starts_with(w))
}

/// Where the exchanges of a briefing's transcript start: at each question (…记者：, 问：,
/// 追问：), when the text holds at least two; the text before the first is an exchange too.
/// Empty for any other text.
fn transcript_turns(chars: &[char]) -> Vec<usize> {
    let mut starts = Vec::new();
    for i in 1..chars.len() {
        if !matches!(chars[i], '：' | ':') {
            continue;
        }
        let asks = chars[..i].ends_with(&['记', '者'])
            || chars[..i].ends_with(&['问'])
                && !chars[..i].ends_with(&['顾', '问'])
                && !chars[..i].ends_with(&['访', '问'])
                && !chars[..i].ends_with(&['学', '问']);
        if asks {
            // (The exchange starts where the questioner's name does: after the end of the
            // answer before it.)
            let from = chars[..i]
                .iter()
                .rposition(|&c| is_sentence_end(c) || c == ' ' || c == '\u{3000}')
                .map_or(0, |k| k + 1);
            starts.push(from);
        }
    }
    if starts.len() < 2 {
        return Vec::new();
    }
    if starts[0] > 0 {
        starts.insert(0, 0);
    }
    starts
}

/// The length of a sum of money right at `at` (3000亿美元, 约600亿美元, 2,000億美元), or 0.
fn sum_after(chars: &[char], at: usize) -> usize {
    let mut i = at;
    if chars.get(i) == Some(&'约') {
        i += 1;
    }
    // (Written in digits: 三千亿 is rare in such a phrase.)
    let rest = &chars[i.min(chars.len())..];
    let Some((_, digits)) = rest
        .first()
        .is_some_and(char::is_ascii_digit)
        .then(|| number_at(rest))
        .flatten()
    else {
        return 0;
    };
    i += digits;
    for unit in ["亿美元", "万亿美元", "亿元", "亿"] {
        if unit
            .chars()
            .enumerate()
            .all(|(k, c)| chars.get(i + k) == Some(&c))
        {
            return i + unit.chars().count() - at;
        }
    }
    0
}

/// Whether the 生效 in `text` is a time that what follows is dated by (生效后, 生效之后,
/// 生效以来), not news of an agreement taking effect.
fn after_effect_time(text: &str) -> bool {
    text.find("生效").is_some_and(|i| {
        let rest = &text[i + "生效".len()..];
        ["后", "之后", "以后", "以来"]
            .iter()
            .any(|w| rest.starts_with(w))
    })
}

/// Whether `object`, the words after a rise or a cut, opens with a price per unit (每蒲式耳,
/// 每吨), an amount counted in goods' units (190万吨, 15万包, 63美分) or a quote (6.44,
/// 111附近, 3000点): a figure, since a tariff rises to a rate (25%, 3个百分点, 两成).
fn quantity_or_price_follows(object: &str) -> bool {
    let object = object.trim_start_matches(['约', '近', '逾', '超']);
    if object.starts_with('每') {
        return true;
    }
    let number: String = object
        .chars()
        .take_while(|&c| c.is_ascii_digit() || c == '.' || c == ',')
        .collect();
    let unit = &object[number.len()..];
    !number.is_empty()
        && !unit.starts_with(['%', '个', '成'])
        && (["吨", "万吨", "蒲式耳", "包", "万包", "美分", "元/吨", "桶", "点", "附近", "左右", "关口", "一线", "上方", "下方"]
            .iter()
            .any(|u| unit.starts_with(u))
            // (A quote with decimals and no percent sign: 离岸人民币兑美元升至6.44.)
            || number.contains('.'))
}

/// Where the adverbs right before `at` (已, 已经, 都, 均, 也, 一致, 原则上, 初步…) begin: a
/// subject stands before them.
fn before_adverbs(chars: &[char], mut at: usize) -> usize {
    const ADVERBS: [&str; 12] = [
        "已经",
        "已",
        "都",
        "均",
        "也",
        "一致",
        "原则上",
        "初步",
        "同样",
        "还",
        "业已",
        "正式",
    ];
    while let Some(w) = ADVERBS.iter().find(|w| {
        at.checked_sub(w.chars().count())
            .is_some_and(|from| word_at(chars, from, w))
    }) {
        at -= w.chars().count();
    }
    at
}

fn word_at(chars: &[char], at: usize, word: &str) -> bool {
    (at..)
        .zip(word.chars())
        .all(|(i, c)| chars.get(i) == Some(&c))
}

/// Whether the side named at `start..end` is one another party follows or bows to:
/// 追随/跟随/配合/效仿 right before it, or 在…压力下 around it (墨西哥在美国压力下对中国
/// 汽车加征关税 is Mexico's measure).
fn followed_side(chars: &[char], start: usize, end: usize) -> bool {
    if start >= 2 && FOLLOWING.iter().any(|w| word_at(chars, start - 2, w)) {
        return true;
    }
    // (Read only after 在, which few side mentions follow.)
    start >= 1
        && chars[start - 1] == '在'
        && (end..end + 4).any(|i| {
            ["压力下", "施压下", "要求下"]
                .iter()
                .any(|w| word_at(chars, i, w))
        })
}

/// Whether 前 and an official's title follow at `at` (美国前财长): a former official.
fn former_official_after(chars: &[char], at: usize) -> bool {
    chars.get(at) == Some(&'前') && FORMER_TITLES.iter().any(|t| word_at(chars, at + 1, t))
}

/// Titles that make 前 "former" (see `former_official_after`).
const FORMER_TITLES: &[&str] = &[
    "总统",
    "副总统",
    "财长",
    "财政部长",
    "国务卿",
    "贸易代表",
    "商务部长",
    "官员",
    "高官",
    "大使",
    "驻华大使",
    "国家安全顾问",
    "防长",
    "国防部长",
    "首席",
    "副国务卿",
    "农业部长",
];

/// Verbs of following another's lead (see `followed_side`).
const FOLLOWING: &[&str] = &["追随", "跟随", "配合", "效仿", "仿效", "紧跟", "迫于"];

/// How far (in characters, either way) an off-topic word reaches in its sentence.
const OFF_TOPIC_REACH: usize = 40;

/// Off-topic words of arms and the firms that make them: they void no trade list in their
/// sentence.
const ARMS: &[&str] = &["军工企业", "军售", "对台军售"];
/// A measure said in short to face another country (对日, 对欧): not one of the US–China
/// conflict.
const AGAINST_THIRD: &[&str] = &[
    "对日", "对欧", "对荷", "对韩", "对印", "对澳", "对英", "对德",
];
/// Who buys, named after a purchase verb and 的 (进口美国商品的境内企业): the verb describes
/// them.
const BUYERS: &[&str] = &[
    "企业",
    "境内企业",
    "国内企业",
    "相关企业",
    "公司",
    "厂商",
    "商家",
    "进口商",
    "买家",
    "申请主体",
];
/// Off-topic words of a political pretext (涉疆, 人权问题): they void sanctions on officials,
/// not a firm put on a trade or export-control list in their sentence.
const PRETEXTS: &[&str] = &["涉疆", "宗教自由", "人权问题"];
/// The door to talks said open (中方的大门始终敞开): half of China's formula.
const DOOR_OPEN: &[&str] = &[
    "大门敞开",
    "大门始终敞开",
    "大门一直敞开",
    "大门是敞开",
    "大门一直是敞开",
    "大门始终是敞开",
];
/// Off-topic words of the epidemic, which yield to a tariff exemption in their sentence.
const EPIDEMIC: &[&str] = &["疫情", "疫情防控", "新冠肺炎", "病毒"];
/// Off-topic words of elections: a tariff rate in their sentence is still trade.
const ELECTIONS: &[&str] = &["选举", "大选", "竞选"];

/// Whether a figure's noun (占比, 份额, 总额…) follows at `at`, with 的 or not: the word
/// before it names a statistic (进口的占比), not an act.
fn statistic_at(chars: &[char], at: usize) -> bool {
    let at = if chars.get(at) == Some(&'的') {
        at + 1
    } else {
        at
    };
    // 出口额, 进口额: the amount, written as one word.
    chars.get(at) == Some(&'额')
        || two_char_word_at(chars, at, STATISTICS)
        // A cost or price of imports (进口大豆到港成本, 进口肉类价格): a few goods words
        // between, in the clause.
        || {
            let soon: String = chars[at..]
                .iter()
                .take(7)
                .take_while(|&&c| !is_clause_end(c) && !is_sentence_end(c))
                .collect();
            PRICES.iter().any(|p| soon.contains(p))
        }
}

/// Whether the purchase word `a` names a statistic of imports: the whole a share is taken of
/// (美国液化天然气约占我国LNG进口的5%左右, 占我国进口总量的九成以上), where they come from,
/// or how much rests on them.
fn share_of(chars: &[char], a: &Mention) -> bool {
    let before = clause_text_before(chars, a.start, 12);
    let after: String = chars[a.end.min(chars.len())..].iter().take(8).collect();
    let whole = after.strip_prefix("总量").unwrap_or(&after);
    let whole = whole.strip_prefix('的').unwrap_or(whole);
    before.contains('占')
        && (after.starts_with('的') || after.starts_with("总量"))
        && ["%", "成", "以上", "一半", "半数"].iter().any(|w| whole.contains(w))
        // (Or where the imports come from, or how much rests on them: 乙烷进口几乎全部来自
        // 美国, 几乎全部依赖美国进口.)
        || ["几乎全部来自", "全部来自", "主要来自", "大部分来自", "大多来自", "多来自"]
            .iter()
            .any(|w| after.starts_with(w))
        || ["依赖", "依靠", "仰赖"]
            .iter()
            .any(|w| clause_text_before(chars, a.start, 8).contains(w))
}

/// Nouns of a price or cost after a purchase word (进口成本, 进口大豆到港成本).
const PRICES: &[&str] = &["成本", "价格", "均价", "单价", "到港价", "利润"];

/// Nouns of an effect after 受… (受美国加征关税影响): the act before them is its cause.
const EFFECTS: &[&str] = &["影响", "冲击", "拖累", "打击", "波及"];

/// Verbs of a figure's change, for `cause_reference`.
const TRENDS: &[&str] = &[
    "下降", "下滑", "减少", "增长", "上升", "回落", "萎缩", "降幅", "增幅", "同比",
];

/// Nouns of figures (see `statistic_at`).
const STATISTICS: &[&str] = &[
    "占比",
    "比重",
    "份额",
    "总额",
    "规模",
    "数据",
    "增速",
    "金额",
    "数额",
    "来源",
    "需求",
    "最大宗",
    "最大",
];

/// Where the sentence holding `at` begins (`at` ≤ the text's length).
fn sentence_start(chars: &[char], at: usize) -> usize {
    chars[..at]
        .iter()
        .rposition(|&c| is_sentence_end(c))
        .map_or(0, |i| i + 1)
}

/// Whether the act at `a` is a rumour that the text then calls false: a word of rumour
/// (网传, 传言, 流传…) within 60 characters before it or 30 after it, and a debunking word
/// (不实, 假的, 伪造, 未发现…) within 150 characters after it. (Old news, 旧闻, is still news
/// of what happened, and is not a debunking word.)
fn debunked(chars: &[char], a: &Mention) -> bool {
    const RUMOUR: [&str; 12] = [
        "网传",
        "传言",
        "传闻",
        "谣传",
        "谣言",
        "有账号称",
        "流传",
        "辟谣",
        "的说法",
        "外媒报道",
        "有报道",
        "报道称",
    ];
    const DEBUNK: [&str; 22] = [
        "已过时",
        "已经过时",
        "假的",
        "不实",
        "伪造",
        "编造",
        "谣言",
        "未发现",
        "没有听说",
        "未掌握",
        "没有掌握",
        "没有这方面",
        "子虚乌有",
        "不属实",
        "纯属虚构",
        "虚假",
        "假消息",
        "捏造",
        "从未印发",
        "从未发布",
        "未发布",
        "无关",
    ];
    // (Asked of every act: the wider window after it is read only for a rumour.)
    let before: String = chars[a.start.saturating_sub(60)..a.start].iter().collect();
    let near_after: String = chars[a.end..].iter().take(30).collect();
    if !RUMOUR
        .iter()
        .any(|w| before.contains(w) || near_after.contains(w))
    {
        return false;
    }
    let after: String = chars[a.end..].iter().take(150).collect();
    DEBUNK.iter().any(|w| after.contains(w))
}

/// Whether the sentence of the act at `a` defines an instrument or tells how things go in
/// general (是指, 一般来说, 是什么意思, 有哪几种…): an explainer's, not news.
fn defined_in_general(chars: &[char], a: &Mention) -> bool {
    // (Read at most 120 characters either side: this is asked of every act, and a run-on
    // sentence is not read whole for each.)
    // (A question and its list of answers, 一般有哪几种？归纳起来…；三是…, are one passage:
    // only 。, ！ and a line break end it.)
    let from = a.start.saturating_sub(120);
    let from = chars[from..a.start]
        .iter()
        .rposition(|&c| matches!(c, '。' | '！' | '\n'))
        .map_or(from, |i| from + i + 1);
    let sentence: String = chars[from..a.start].iter().collect::<String>()
        + &chars[a.start..]
            .iter()
            .take(120)
            .take_while(|&&c| !matches!(c, '。' | '！' | '\n'))
            .collect::<String>();
    // (是指 as "means", not 是 + 指数 or 指标.)
    sentence.match_indices("是指").any(|(i, w)| {
        !sentence[i + w.len()..]
            .chars()
            .next()
            .is_some_and(|c| "数标导挥定出责南令针望引".contains(c))
    }) || [
        "指的是",
        "是什么意思",
        "一般来说",
        "一般需",
        "一般有哪",
        "一般为",
        "通常是指",
        "简单来说",
        "简单地说",
        "有哪几种",
        "有好几种",
        "有几种",
        "归纳起来",
        "适用对象为",
    ]
    .iter()
    .any(|w| sentence.contains(w))
}

/// Whether `at` is in a list of links to other articles: after 相关阅读, 延伸阅读, 推荐阅读,
/// 相关链接 or 相关新闻 on the same line, with titles set apart by bars (a title's own ？
/// does not end the list).
fn links_list(chars: &[char], at: usize) -> bool {
    let from = at.saturating_sub(200);
    let before: String = chars[from..at].iter().collect();
    let Some(opener) = ["相关阅读", "延伸阅读", "推荐阅读", "相关链接", "相关新闻"]
        .iter()
        .filter_map(|w| before.rfind(w))
        .max()
    else {
        return false;
    };
    let list = &before[opener..];
    const BARS: [char; 3] = ['|', '｜', '丨'];
    !list.contains(['。', '\n'])
        && (list.contains(BARS)
            || chars[at..]
                .iter()
                .take_while(|&&c| c != '。' && c != '\n')
                .any(|c| BARS.contains(c)))
}

/// Where the clause holding `at` begins (`at` ≤ the text's length).
fn clause_start(chars: &[char], at: usize) -> usize {
    clause_start_within(chars, at, CLAUSE_REACH)
}

/// How far a clause is read either side of a point in it. No clause of the 13,419 texts we
/// hold runs longer than 211 characters; a post with no punctuation for thousands of them
/// (a hostile page) would otherwise have its whole length read once per act in it.
const CLAUSE_REACH: usize = 256;

/// Where the clause of `at` starts, looking back at most `reach` characters: the start of
/// what a scan of that reach may read.
fn clause_start_within(chars: &[char], at: usize, reach: usize) -> usize {
    let from = at.saturating_sub(reach);
    chars[from..at]
        .iter()
        .rposition(|&c| is_clause_end(c) || is_sentence_end(c))
        .map_or(from, |i| from + i + 1)
}

/// The characters from `from` to the end of its clause, read in place.
fn clause_after(chars: &[char], from: usize) -> impl Iterator<Item = &char> {
    chars[from.min(chars.len())..]
        .iter()
        .take(2 * CLAUSE_REACH)
        .take_while(|&&c| !is_clause_end(c) && !is_sentence_end(c))
}

/// The whole clause around `at`.
fn clause_text(chars: &[char], at: usize) -> String {
    clause_after(chars, clause_start(chars, at.min(chars.len()))).collect()
}

/// The rest of the clause after `from`.
/// Whether the imposing at `m` describes counted tariff lines (211个加征25%关税的税目): a
/// count right before it and 的税目 soon after, not a list being announced (税目清单).
fn counted_tariff_lines(chars: &[char], m: &Mention) -> bool {
    let counted = m.start > 0 && matches!(chars[m.start - 1], '个' | '项');
    let after: String = clause_text_after(chars, m.end).chars().take(14).collect();
    counted
        && ["的税目", "的税号"].iter().any(|w| {
            after
                .find(w)
                .is_some_and(|i| !after[i + w.len()..].starts_with("清单"))
        })
}

/// Whether the agreement named at `m` is cited for what it binds: 根据/按照/履行/落实 just
/// before it, or its targets, commitments or terms right after it (协议目标, 协议中的采购
/// 承诺, 协议承诺), or its expiry and record (协议期满时, 协议的履行情况).
/// Whether the sentence at `at` tallies purchases against a commitment (…仅完成承诺目标的约
/// 58%): the purchase commitment's progress, in which the deal is the frame.
fn commitment_tally(chars: &[char], at: usize) -> bool {
    let from = sentence_start(chars, at);
    let sentence = chars[from..]
        .iter()
        .take_while(|&&c| !is_sentence_end(c))
        .take(2 * CLAUSE_REACH);
    // (A target or a pledge must be in it: most sentences are ruled out without a copy.)
    if !sentence
        .clone()
        .any(|&c| c == '标' || c == '诺' || c == '度')
    {
        return false;
    }
    let text: String = sentence.collect();
    ["目标", "承诺", "完成度"].iter().any(|w| text.contains(w))
        && ["完成", "兑现", "实现", "仅达", "只达", "达到"]
            .iter()
            .any(|w| text.contains(w))
        && ["%", "一半", "成", "不到"].iter().any(|w| text.contains(w))
        && ["采购", "购买", "进口"].iter().any(|w| text.contains(w))
}

fn agreement_cited(chars: &[char], m: &Mention) -> bool {
    let before: String = chars
        [clause_start(chars, m.start).max(m.start.saturating_sub(6))..m.start]
        .iter()
        .collect();
    let after: String = clause_text_after(chars, m.end).chars().take(6).collect();
    // (Not one just reached, cited for what it brings: 根据美中最新达成的协议，中方承诺….)
    let just_reached = ["最新", "刚刚", "日前", "近日"]
        .iter()
        .any(|w| before.contains(w));
    [
        "根据", "按照", "依据", "依照", "履行", "落实", "执行", "兑现", "遵守",
    ]
    .iter()
    .any(|w| before.contains(w))
        && !just_reached
        || [
            "目标",
            "承诺",
            "规定",
            "中的",
            "要求",
            "框架下",
            "项下",
            "采购承诺",
            "采购目标",
            // Its life and record (协议期满时, 协议于去年底到期, 对协议的履行情况).
            "期满",
            "到期",
            // (协议实施半年之际: its life, not its making; 已达成协议的落实.)
            "实施",
            "落实",
            // (在…协议涵盖的两年期内: its span.)
            "涵盖",
            "履行情况",
            "执行情况",
            "落实情况",
            // (Its terms: 协议设定的年度采购目标, 协议的采购条款.)
            "设定",
            "所设定",
            "约定",
            "条款",
            "采购条款",
        ]
        .iter()
        .any(|w| after.starts_with(w) || after.starts_with(&format!("的{w}")))
        || after.starts_with('于') && after.contains("到期")
        || after.starts_with("中") && after.contains("承诺")
}

/// Whether the cited agreement at `m` is a consensus or framework of the two sides
/// (根据双方共识, 按照两国元首达成的共识, 按照两国经贸团队在伦敦达成的框架, 根据联合声明): cited,
/// it still tells that the two sides reached it, which is talks; an agreement cited for what it
/// binds (根据第一阶段协议) is not.
fn consensus_of_the_two(chars: &[char], m: &Mention, term: &str) -> bool {
    // A joint statement is the two sides' by its name (根据联合声明，美方将取消…); so are
    // the frameworks and consensus named for where the two sides met (落实伦敦框架).
    if term.contains("联合声明")
        || ["伦敦", "日内瓦", "吉隆坡", "釜山"]
            .iter()
            .any(|v| term.starts_with(v))
    {
        return true;
    }
    if !(term.contains("共识") || term.contains("框架") || term == "安排") {
        return false;
    }
    let before = clause_text_before(chars, m.start, 20);
    ["双方", "两国元首", "两国经贸团队", "中美", "两国"]
        .iter()
        .any(|w| before.contains(w))
}

/// Whether the imposition at `m` describes goods (已加征10%关税的商品): 已 right before it and
/// the goods it qualifies closing its phrase, in its clause.
fn goods_already_levied(chars: &[char], m: &Mention) -> bool {
    let before: String = chars[m.start.saturating_sub(2)..m.start].iter().collect();
    let after: String = clause_text_after(chars, m.end).chars().take(14).collect();
    before.ends_with('已')
        && [
            "的商品",
            "的产品",
            "的进口商品",
            "的美国商品",
            "的中国商品",
            "的货物",
            // (Or their origin: 已加征10%、5%关税的原产于美国约750亿美元商品.)
            "的原产于",
        ]
        .iter()
        .any(|w| after.contains(w))
        // Duties already collected, to be refunded (已加征税款予以退还, 已征税款可申请退还):
        // the refund's object.
        || before.ends_with('已') && {
            let rest: String = clause_text_after(chars, m.end).chars().take(24).collect();
            ["税款", "关税", "款"].iter().any(|w| after.starts_with(w))
                && ["退还", "退税", "退回"].iter().any(|w| rest.contains(w))
        }
}

/// Whether the purchase at `m` is the first in a while: 以来首次/以来首批 right before it, or
/// 时隔 + a span + 首次/再次/重新 (今年以来首次采购, 时隔8个月再次采购).
fn first_in_a_while(chars: &[char], m: &Mention) -> bool {
    let from = clause_start(chars, m.start).max(m.start.saturating_sub(14));
    let before: String = chars[from..m.start].iter().collect();
    let near: String = chars[m.start.saturating_sub(4)..m.start].iter().collect();
    // (首次 may stand a few words before: 首次大规模采购, 首笔大宗采购.)
    let first = ["首次", "首批", "第一次", "首度", "首笔"]
        .iter()
        .any(|w| before.contains(w));
    let again = ["再次", "重新", "再度", "又"]
        .iter()
        .any(|w| near.contains(w));
    let ever = ["有史以来", "历史上", "史上"]
        .iter()
        .any(|w| before.contains(w));
    // (A span before 来: 一年多来首次, 两个月来首次; or said anywhere in the sentence:
    // 这是贸易摩擦以来中国首次大规模采购, 今年首度采购.)
    let sentence_from = (0..m.start)
        .rev()
        .find(|&i| is_sentence_end(chars[i]))
        .map_or(0, |i| i + 1);
    // (Again after an event: 在日内瓦会谈之后再度购入; or after a gap named earlier in the
    // sentence: 时隔七个月，中国买家再度采购; 停摆近半年后，…又订购.)
    let sentence_before: String = chars[sentence_from..m.start].iter().collect();
    let after_gap = sentence_before.contains("时隔")
        || ["停摆", "中断", "停滞", "暂停", "沉寂"].iter().any(|w| {
            sentence_before
                .find(w)
                .is_some_and(|i| sentence_before[i..].contains('后'))
        });
    let after_event = ["时隔", "之后", "后再"].iter().any(|w| before.contains(w)) || after_gap;
    let sentence: String = chars[sentence_from..]
        .iter()
        .take_while(|&&c| !is_sentence_end(c))
        .collect();
    let since = SINCE
        .iter()
        .any(|w| before.contains(w) || sentence.replace("有史以来", "").contains(w));
    // (Or said in the clause right after it: …购买了33万吨美国大豆，为今年来首次; a first
    // purchase after an event: 釜山会晤后中方首次大规模采购.)
    let after: String = chars[m.end.min(chars.len())..]
        .iter()
        .take_while(|&&c| !is_sentence_end(c))
        .take(24)
        .collect();
    // (Not a purchase that did not happen, 仍未预订任何美国新季大豆，为多年来首次: the first
    // time in years of none.)
    let clause_before: String = chars[clause_start(chars, m.start)..m.start]
        .iter()
        .collect();
    // (Nor one said to be zero, 进口大豆为零，这是自2018年以来首次: the first halt.)
    let to_comma: String = after.chars().take_while(|&c| !is_clause_end(c)).collect();
    // (Nor zero imports, 首次出现单月零进口.)
    let negated = ["未", "没", "不", "无"]
        .iter()
        .any(|w| clause_before.contains(w))
        || near.contains('零')
        || ["零", "中断", "停"].iter().any(|w| to_comma.contains(w));
    let first_after = !negated
        && ["，为", "，是", "，这是"]
            .iter()
            .filter_map(|w| after.find(w).map(|i| &after[i..]))
            .any(|rest| {
                let rest: String = rest.chars().take(16).collect();
                ["首次", "首批", "首度"].iter().any(|w| rest.contains(w))
                    && SINCE.iter().any(|w| rest.contains(w))
            });
    !ever && !near.contains('零') && (first && since || again && after_event || first_after)
}

/// Whether the act at `m` is the topic of talks: 就 before it in its clause, and a verb of
/// discussing after it with no agreement (双方就取消加征关税等问题进行交流; not 双方就取消
/// 加征关税达成一致).
fn topic_of_talks(chars: &[char], m: &Mention, easing: bool) -> bool {
    const DISCUSS: [&str; 8] = [
        "交流",
        "交换意见",
        "交换了意见",
        "讨论",
        "磋商",
        "沟通",
        "商谈",
        "谈判",
    ];
    const AGREED: [&str; 6] = ["达成", "同意", "一致", "共识", "签署", "敲定"];
    // An agenda listed (议题包括对等关税暂停期延长、芬太尼关税…; 讨论了关税减让、出口管制
    // 放宽等问题; 围绕延长关税休战、下调芬太尼关税等议题展开; 提出了取消单边加征关税…等
    // 诉求): the act is an item of it, with the list's end after it in its clause.
    if listed_on_an_agenda(chars, m) {
        return true;
    }
    // How to do it, discussed (双方正在「讨论」如何延长…关税暂停期): a question of the talks.
    // (Characters first: this is asked of every act.)
    let from = clause_start_within(chars, m.start, 30);
    if chars[from..m.start].windows(2).any(|w| w == ['如', '何']) {
        let near = clause_text_before(chars, m.start, 30);
        if near.rfind("如何").is_some_and(|i| {
            ["讨论", "商讨", "磋商", "研究", "谈判", "探讨"]
                .iter()
                .any(|w| near[..i].contains(w))
        }) {
            return true;
        }
    }
    let from = clause_start(chars, m.start).max(m.start.saturating_sub(24));
    // (围绕…展开磋商 as well: talks around the issue.)
    let Some(j) = (from..m.start)
        .rev()
        .find(|&i| chars[i] == '就' || i > 0 && chars[i - 1] == '围' && chars[i] == '绕')
    else {
        return false;
    };
    // 就 as "then" or "just" (早就, 也就是, 就要) is no "about". (将就 is "will, about":
    // 双方将就…进行磋商.)
    let prev = j.checked_sub(1).map(|i| chars[i]);
    let next = chars.get(j + 1).copied();
    if prev.is_some_and(|c| "也早成迁这那".contains(c))
        || next.is_some_and(|c| "是要会能算此".contains(c))
    {
        return false;
    }
    // (A list of topics may run long: 就美方单边关税措施、滥用出口管制以及TikTok等经贸问题
    // 进行磋商.)
    // (Not past a topic of its own: 就取消了部分对华关税并同中方就农产品采购等问题进行沟通.)
    // (Longer still when it is listed: 就…301措施、延长对等关税暂停期、芬太尼关税和执法合作、
    // 农产品贸易、出口管制等进行了坦诚、深入、富有建设性的交流.)
    let listed = clause_text_after(chars, m.end)
        .chars()
        .take(12)
        .any(|c| c == '、');
    let after: String = clause_text_after(chars, m.end)
        .chars()
        .take(if listed { 72 } else { 36 })
        .take_while(|&c| c != '就')
        .collect();
    // A protest (就美方将中国企业列入实体清单…进行严正交涉) is about a fact; so is an act
    // with its actor named after 就, unless it is called an issue (就美方取消…关税问题).
    let actor_named: String = chars[j + 1..m.start].iter().collect();
    let named = ["美方", "中方", "美国", "中国", "北京", "华盛顿"]
        .iter()
        .any(|w| actor_named.contains(w));
    let issue = ["问题", "事宜", "议题"].iter().any(|w| after.contains(w));
    // An easing China raised as its concern in talks (中方就美方取消加征关税和制裁…表达了
    // 关切) is what it asks for, whoever is named: a demand, not news of the easing.
    let farther: String = clause_text_after(chars, m.end).chars().take(36).collect();
    // (Or it made representations on it: 中方就取消加征关税和制裁进行了交涉.)
    if easing && ["关切", "诉求", "交涉"].iter().any(|w| farther.contains(w)) {
        return true;
    }
    DISCUSS.iter().any(|w| after.contains(w))
        && !AGREED.iter().any(|w| after.contains(w))
        && !after.contains("交涉")
        && (!named || issue)
}

/// Whether the act at `m` is an item of an agenda: a word opening a list of topics before it
/// in its clause (within 40 characters) and a word closing the list after it (within 40).
fn listed_on_an_agenda(chars: &[char], m: &Mention) -> bool {
    // (Talks on an item's details, 美中正在「谈判稀土通用许可」的细节; a meeting's agenda,
    // 举行视像会议，涉及芬太尼执法合作、稀土通用许可及农产品贸易等事项.)
    const OPENS: [&str; 10] = [
        "涉及",
        "谈判",
        "议题包括",
        "议题预计包括",
        "议程包括",
        "讨论了",
        "讨论",
        "围绕",
        "提出了",
        "可能涉及的议题",
    ];
    const CLOSES: [&str; 7] = [
        "的细节",
        "等议题",
        "等问题",
        "等诉求",
        "等事项",
        "等共同关心",
        "等经贸问题",
    ];
    let before = clause_text_before(chars, m.start, 40);
    let after: String = clause_text_after(chars, m.end).chars().take(40).collect();
    // (Not an act agreed or done in the clause after the opener: 讨论后决定取消….)
    let opened = OPENS.iter().any(|w| {
        before.rfind(w).is_some_and(|i| {
            let gap = &before[i + w.len()..];
            !["决定", "同意", "宣布", "达成", "后"]
                .iter()
                .any(|x| gap.contains(x))
        })
    });
    // (An agenda said as one runs to its clause's end: 议题包括对等关税暂停期延长、….)
    let listed_to_end = ["议题包括", "议题预计包括", "议程包括", "可能涉及的议题"]
        .iter()
        .any(|w| before.contains(w));
    opened && (CLOSES.iter().any(|w| after.contains(w)) || listed_to_end)
}

/// Whether the act at `a` is named as a way of acting (加征关税的做法), not
/// as an occasion: no figure, list or time between the act and 做法, nor before it in its
/// clause (美方近日对2000亿美元中国商品加征关税的做法 stays a measure).
fn characterised(chars: &[char], a: &Mention) -> bool {
    // (的行为 and 的行径 name conduct, often the act itself: 美方升级贸易摩擦的行为.)
    // (So are its reasons and nature: 美国加征关税的一个借口是….)
    const WAYS: &[&str] = &[
        "的做法",
        "的错误做法",
        // (A quoted measure: 纠正单边“对等关税”错误做法.)
        "”错误做法",
        "的借口",
        "的一个借口",
        "的理由",
        "的逻辑",
        "的本质",
        "的实质",
        "的真实目的",
        // (What the measure is in itself: 稀土管制本身是…正当举措.)
        "本身是",
        "本身就是",
    ];
    // (Any day, week, month or year, 近期, 刚刚, a size in words: 百分之百.)
    const OCCASIONS: [&str; 19] = [
        "近",
        "日前",
        "此次",
        "这次",
        "再次",
        "又",
        "宣布",
        "决定",
        "亿",
        "%",
        "清单",
        "将",
        "天",
        "周",
        "月",
        "年",
        "刚",
        "百分之",
        "多次",
    ];
    let after: String = clause_after(chars, a.end).take(14).collect();
    // (A theory named after the measure: 美方"加征关税有利论"想象了这样一种情境.)
    let near: String = after.chars().take(6).collect();
    if ["论”", "论\"", "论」", "论』"]
        .iter()
        .any(|w| near.contains(w))
    {
        return true;
    }
    let Some(at) = WAYS.iter().filter_map(|w| after.find(w)).min() else {
        return false;
    };
    let phrase = format!(
        "{}{}",
        chars[clause_start(chars, a.start)..a.end]
            .iter()
            .collect::<String>(),
        &after[..at]
    );
    !OCCASIONS.iter().any(|w| phrase.contains(w)) && !phrase.contains(|c: char| c.is_ascii_digit())
}

fn clause_text_after(chars: &[char], from: usize) -> String {
    clause_after(chars, from).collect()
}

/// Whether the invitation at `a` is the one accepted in "应…邀请" / "应邀" (at the invitation
/// of): 应 opens the phrase a few characters before, not as "should" (应该, 应当, 应对).
fn at_invitation(chars: &[char], a: &Mention) -> bool {
    let from = a.start.saturating_sub(12);
    (from..a.start).rev().any(|i| {
        chars[i] == '应'
            && !matches!(
                chars.get(i + 1),
                Some('该' | '当' | '对' | '用' | '有' | '是' | '在')
            )
            && !chars[i + 1..a.start]
                .iter()
                .any(|&c| is_clause_end(c) || is_sentence_end(c))
    })
}

/// Whether the act at `a` is asked about in a yes-no question ending its sentence (抗美援朝
/// 能停战吗？, 中方会反制吗？): asked, not reported. A question's premise in an earlier clause
/// (美方宣布加征关税，中方会反制吗？) still reports its act.
fn yes_no_question(chars: &[char], a: &Mention) -> bool {
    const ASKED: &[&str] = &["是否属实", "是否准确", "是否确实", "是真是假", "是否如此"];
    // One pass to the sentence's end: a long run-on post must not be rescanned per clause.
    let Some(end) = (a.end..chars.len()).find(|&i| is_sentence_end(chars[i])) else {
        return false;
    };
    if !matches!(chars[end], '？' | '?') {
        return false;
    }
    let rest: String = chars[a.end..end].iter().collect();
    // A report asked about, over any clauses (…进行谈判，甚至即将达成协议，是否属实？), or
    // …吗？ in the act's own clause.
    ASKED.iter().any(|w| rest.contains(w))
        || !chars[a.end..end].iter().any(|&c| is_clause_end(c))
            && chars[a.end..end].iter().rev().take(3).any(|&c| c == '吗')
}

/// Words that open an answer saying yes to the question before it (问：…是否属实？答：是的).
const AFFIRMATIONS: &[&str] = &[
    "是的",
    "是。",
    "是，",
    "对。",
    "对，",
    "没错",
    "确实如此",
    "确有此事",
    "属实",
    "会的",
    "会。",
    "会，",
    "将会",
    "是这样",
];
/// Words in an answer's first clause that confirm the report asked about (答：我可以证实这一点,
/// 答：消息属实), unless negated (这一消息不属实).
const CONFIRMS: &[&str] = &["属实", "证实", "确认", "确有"];
/// Easing verbs an answer may say without their object, which the question named (问：中方是否
/// 会延长…排除清单？答：会继续暂停，为期一年).
const ANSWER_EASINGS: &[&str] = &[
    "暂停", "延长", "延期", "取消", "解除", "移出", "豁免", "下调", "降至", "排除",
];

/// The text of the answer to the question that holds the act at `a`, in a Q&A (问：…？答：…):
/// up to 80 characters after 答：, which must come within a few characters of the question's end.
fn answer_to(chars: &[char], a: &Mention) -> Option<String> {
    let end = (a.end..chars.len()).find(|&i| is_sentence_end(chars[i]))?;
    if !matches!(chars[end], '？' | '?') {
        return None;
    }
    let after: String = chars[end + 1..].iter().take(80).collect();
    let head: String = after.chars().take(12).collect();
    let at = head.find("答：").or_else(|| head.find("答:"))?;
    Some(
        after[at..]
            .trim_start_matches("答：")
            .trim_start_matches("答:")
            .trim_start()
            .to_string(),
    )
}

/// Whether the question that holds the act at `a` is answered "will not" (答：不会。, 答：中方
/// 不会恢复).
fn answered_will_not(chars: &[char], a: &Mention) -> bool {
    answer_to(chars, a).is_some_and(|answer| {
        let first_clause = answer
            .split(['，', '。', ',', '；', '！'])
            .next()
            .unwrap_or("")
            .to_string();
        answer.starts_with("不会")
            || first_clause.chars().count() <= 12 && first_clause.contains("不会")
    })
}

/// Whether the question that holds the act at `a` is answered yes in a Q&A (问：…？答：…):
/// the answer affirms or confirms it, or, for an easing, repeats an easing verb without a
/// negation or a condition before it (答：经研究，决定再延长90天). Then the act asked about is
/// news, not only a question.
fn affirmed_in_answer(chars: &[char], a: &Mention, class: ActionClass) -> bool {
    let Some(answer) = answer_to(chars, a) else {
        return false;
    };
    if AFFIRMATIONS.iter().any(|w| answer.starts_with(w)) {
        return true;
    }
    let first_clause = answer
        .split(['，', '。', ',', '；', '！', '：'])
        .next()
        .unwrap_or("");
    let negated = |t: &str| ["不", "没", "未", "无", "尚"].iter().any(|w| t.contains(w));
    if CONFIRMS.iter().any(|w| first_clause.contains(w)) && !negated(first_clause) {
        return true;
    }
    if class != ActionClass::Ease {
        return false;
    }
    let sentence = answer.split(['。', '？', '！', '?']).next().unwrap_or("");
    ANSWER_EASINGS.iter().any(|w| {
        sentence.find(w).is_some_and(|i| {
            let before = &sentence[..i];
            !negated(before)
                && !CONDITIONS.iter().any(|c| before.contains(c))
                && !before.contains('才')
        })
    })
}

/// Whether the 将 at `m` takes an object (美国商务部将华为列入…, 将28家中国实体列入…): the
/// 把-construction, not "will".
fn ba_object_follows(m: &Mention, sides: &SentenceSides, chars: &[char]) -> bool {
    // 将 alone or ending the cue (宣布将11家美国企业列入…: announced, not will).
    if m.end == 0 || chars.get(m.end - 1) != Some(&'将') {
        return false;
    }
    // 将对美…加征 is "will … on the US": a side word that itself marks a target (对美, 向中方)
    // is no object of 将.
    // So is a visit (将访美, 将赴华): the side word is where the visitor goes.
    // So is a purchase term that names its side (将扩大自美进口).
    let will = chars.get(m.end).copied().is_some_and(marks_target)
        || matches!(chars.get(m.end), Some('访' | '赴' | '来'))
        || word_at(chars, m.end, "扩大")
        || word_at(chars, m.end, "增加");
    !will
        && sides.named.iter().any(|n| {
            n.0 > m.end
                && (n.0 - m.end <= 6 || back_units(chars, n.0, 13) < m.end)
                && object_of_ba(chars, n.0)
                || n.0 == m.end
        })
}

/// Agreement terms that name a trade agreement, which 签署 or 生效 beside them implement.
const TRADE_DEALS: &[&str] = &["第一阶段协议", "第一阶段经贸协议", "经贸协议", "贸易协议"];

/// Negations that promise the future ("will not"), as opposed to reporting the past.
const FORWARD_NEGATIONS: &[&str] = &[
    "不会",
    "不",
    // 不对 + target (美国决定不对3000亿美元中国商品加征关税).
    "不对",
    "将不",
    "不再",
    "将不会",
    "暂不",
    "暂时不",
    "暂时不会",
];
/// Words after a side that make it the goods' origin (中国进口货品), not an actor.
const GOODS_AFTER_SIDE: &[&str] = &[
    // (Made in: 中国制产品, 中國製造的商品.)
    "制产品",
    "制商品",
    "制造产品",
    "制造商品",
    "制造的产品",
    "制造的商品",
    "进口商品",
    "进口货品",
    "进口产品",
    "进口货物",
    "商品",
    "产品",
    "货品",
    "货物",
    "输美",
    "输华",
    "小额包裹",
    "包裹",
];
/// Who meets, or on what, when a meeting at a trade round's venue is something else: foreign
/// or defence ministers, scientists, maritime or UN meetings, security questions.
const NOT_TRADE_MEETINGS: &[&str] = &[
    "外长",
    "防长",
    "国防部长",
    "国务卿",
    "科学家",
    "学者",
    "海事",
    "人权",
    "人工智能",
    "乌克兰",
    "台湾问题",
    "半岛",
    "量子",
    "军事",
    "不扩散",
    "联合国",
    "研讨会",
    "新疆",
];

/// Sanctioned people (官员, 议员, 蓬佩奥等28人) with no firm, entity or trade word beside
/// them: sanctions over Hong Kong, Xinjiang or hacking are visa bans and frozen assets, not
/// trade measures.
fn sanctions_on_people(chars: &[char], m: &Mention) -> bool {
    let clause = clause_text(chars, m.start);
    let people = [
        "官员",
        "人员",
        "个人",
        "议员",
        "国务卿",
        "负责人",
        "公民",
        "外交官",
        "法官",
        "本人",
        "家属",
        "非政府组织",
        "人士",
    ];
    let trade = [
        "企业", "公司", "实体", "集团", "贸易", "出口", "进口", "关税", "芯片", "商品", "银行",
    ];
    let counted_people = clause.char_indices().any(|(i, c)| {
        c == '人' && clause[..i].ends_with(|d: char| d.is_ascii_digit() || "十百".contains(d))
    });
    (people.iter().any(|w| clause.contains(w)) || counted_people)
        && !trade.iter().any(|w| clause.contains(w))
}

/// Bodies whose talks are their own business, not their states' trade (中美两国气象部门举行
/// 双边磋商, 中美两国交响乐团就联合巡演进行商谈).
const TALKING_BODIES: &[&str] = &[
    "部门",
    "协会",
    "足协",
    "学家",
    "大学",
    "校长",
    "市长",
    "乐团",
    "战队",
    "博物馆",
    "动物园",
    "律师",
    "青年",
    "记者",
    "学会",
    "医院",
    "球队",
];

/// Topics of talks too general to say what they are about (双方就共同关心的问题进行磋商).
const GENERAL_TOPICS: &[&str] = &[
    "此",
    "相关问题",
    "有关问题",
    "共同关心",
    "双边关系",
    "两国关系",
    "这一问题",
    "彼此关心",
    "有关事宜",
    "相关事宜",
    // (The text of the deal they are writing: 就协议文本进行最后阶段的磋商.)
    "协议文本",
];

/// Whether the talks at `at`, in a post with no trade word, are a body's (a word of
/// `TALKING_BODIES` before them in their clause) or on a topic of their own (就…进行磋商):
/// the topic named is then not trade, since no word of the post is.
fn talks_of_a_body_or_on_a_topic(chars: &[char], at: usize) -> bool {
    let before = clause_text_before(chars, at, 40);
    TALKING_BODIES.iter().any(|w| before.contains(w))
        || before.rfind('就').is_some_and(|i| {
            let topic = &before[i + '就'.len_utf8()..];
            topic.chars().count() >= 2 && !GENERAL_TOPICS.iter().any(|w| topic.contains(w))
        })
}

/// Whether the sentence around `at`, read at most `CLAUSE_REACH` characters either side,
/// contains one of `words`.
fn sentence_has(chars: &[char], at: usize, words: &[&str]) -> bool {
    let from = at.saturating_sub(CLAUSE_REACH);
    let start = chars[from..at]
        .iter()
        .rposition(|&c| is_sentence_end(c))
        .map_or(from, |i| from + i + 1);
    let sentence: String = chars[start..]
        .iter()
        .take(at - start + CLAUSE_REACH)
        .take_while(|&&c| !is_sentence_end(c))
        .collect();
    words.iter().any(|w| sentence.contains(w))
}

/// Third-party words that name the world at large rather than a party.
const WORLD_AT_LARGE: &[&str] = &[
    "全球",
    "各国",
    "其他国家",
    "贸易伙伴",
    "世贸组织",
    "联合国",
    "世卫组织",
    "非洲",
    "各方",
    "未报复的国家",
    "未采取报复行动的国家",
    "未采取报复措施的国家",
];
/// Names of Taiwan's government and market that mark a post written from Taiwan.
const TAIWAN_VOICE: &[&str] = &[
    "行政院",
    "立法院",
    "总统府",
    "赖清德",
    "蔡英文",
    "卓荣泰",
    "郑丽君",
    "国发会",
    "经贸办",
    "龚明鑫",
    "杨珍妮",
    "台美",
    "美台",
    "林佳龙",
    "陈骏季",
    "金管会",
    "主计总处",
    "外贸协会",
    // Taiwan's legislators, by the word its press uses.
    "立委",
    // Taiwan's customs and trade administrations (财政部关务署, 经济部国贸署).
    "关务署",
    "国贸署",
];
/// Whether the text names 经济部 on its own: Taiwan's Ministry of Economic Affairs (the
/// mainland has none since 2008). After a country (德国经济部, 瑞士经济部长) it is that
/// country's, so only a clause start, a preposition or 台湾 may stand before it; 经济部门
/// and 经济部署 are other words.
fn names_taiwans_economy_ministry(chars: &[char]) -> bool {
    chars.windows(3).enumerate().any(|(i, w)| {
        w == ['经', '济', '部']
            && !matches!(chars.get(i + 3), Some('门' | '署'))
            && (i == 0
                || !is_cjk(chars[i - 1])
                || matches!(chars[i - 1], '由' | '据' | '与' | '和' | '及' | '向' | '湾'))
    })
}
/// Whether the sentence after the condition holding the act that ends at `end` answers it
/// with a forecast (有望, 或将, 预计, …个百分点), the way an analyst's scenario does.
fn forecast_after_condition(chars: &[char], end: usize) -> bool {
    let rest: String = chars[end.min(chars.len())..]
        .iter()
        .take_while(|c| !matches!(c, '。' | '！' | '？' | '；' | '!' | '?' | ';'))
        .collect();
    // The answer is the clause after the condition's, not the rest of the sentence (若美方坚持
    // 加征关税，中方将暂停采购美国农产品，估计影响数百亿美元订单 answers with an act).
    let Some(comma) = rest.find('，') else {
        return false;
    };
    let answer = &rest[comma + '，'.len_utf8()..];
    let answer = answer.split('，').next().unwrap_or(answer);
    FORECAST.iter().any(|w| answer.contains(w))
}

/// Words of a forecast: what would follow, estimated.
const FORECAST: &[&str] = &[
    "有望",
    "或将",
    "或被",
    "或会",
    "可望",
    "料将",
    "预计",
    "估计",
    "个百分点",
    "gdp",
    "拖低",
    "拖累",
    "萎缩",
    "下滑",
    "增速",
    "经济增长",
    // Harm done (若限制对外稀土出口，将对美国国防和高科技产业造成冲击).
    "冲击",
    "造成",
];

/// Whether the mention ending at `end` speaks: a verb of saying follows it within `reach`
/// characters of its clause, or a colon right after it (a headline's speaker, 交通运输部：自10月
/// 14日起…).
fn speaks_after(chars: &[char], end: usize, reach: usize) -> bool {
    let said: String = clause_text_after(chars, end).chars().take(reach).collect();
    matches!(chars.get(end), Some('：' | ':')) || SPEECH.iter().any(|v| said.contains(v))
}

/// Words that date a first purchase as the first in a while (今年以来首次, 时隔8个月, 一年多来).
const SINCE: [&str; 7] = ["以来", "时隔", "多来", "年来", "月来", "今年", "年度"];

/// Who forecasts or proposes without being a side: analysts, banks, the market, scholars,
/// lawmakers' proposals, commentators, netizens.
const FORECASTERS: &[&str] = &[
    "分析师",
    "分析人士",
    "有分析",
    "经济学家",
    "投行",
    "券商",
    "市场",
    "学者",
    "专家",
    "网友",
    "评论员",
    "智库",
    "研究员",
    "研报",
    "高盛",
    "摩根士丹利",
    "摩根大通",
    "瑞银",
    "野村",
    "花旗",
    "凯投宏观",
    "外媒评论",
    "人大代表",
    "政协委员",
    "胡锡进",
    // Trade associations' warnings and letters (美国半导体行业协会警告，如果美方…).
    "协会",
    "联合会",
    // Investors' and firms' fears (投资者担心，中美可能互相加码出口管制).
    "投资者",
    "外界",
    "业界",
    "企业",
    "日企",
    "美企",
    "欧企",
    // People of a trade (业内人士预计，美国小麦…对华出口将因此受益).
    "业内人士",
    "行业人士",
    "交易商",
    "贸易商",
];
/// What they do: forecast, expect, fear, warn, propose.
/// (Not 认为 or 判断: an assessment of what happened, 分析人士认为，此举是…会晤后…的缓和信号,
/// still reports it.)
const FORECASTING: &[&str] = &[
    "预计", "预测", "预期", "估计", "警告", "建议", "担心", "担忧", "猜测", "推测", "料", "忧虑",
    "忧心", "赌", "猜",
];

/// Whether the act at `at` is what someone who is no side forecasts or proposes earlier in its
/// sentence (摩根士丹利分析师预计，美国对华…可能升至60%; 网友建议：中国应该对美国芯片也加税):
/// a forecaster named, then within a few characters a verb of forecasting.
fn forecast_by_no_side(chars: &[char], at: usize) -> bool {
    let before = sentence_text_before(chars, at, 80);
    // The forecaster opens its clause, as a subject does; a noun after a comparison
    // (超出市场预期, 符合市场预期) is no one speaking.
    let opens_clause = |i: usize| {
        let head: String = before[..i]
            .chars()
            .rev()
            .take_while(|&c| !is_clause_end(c))
            .collect();
        head.chars().count() <= 12
            && !["出", "合", "于", "及", "过", "乎", "的"]
                .iter()
                .any(|w| head.starts_with(w))
    };
    FORECASTERS.iter().any(|f| {
        before.match_indices(f).any(|(i, _)| {
            let after: String = before[i + f.len()..].chars().take(8).collect();
            opens_clause(i) && FORECASTING.iter().any(|v| after.contains(v))
        })
    })
}

/// Whether the act at `at` is what the writer guesses or bets earlier in its sentence (我赌
/// 年底前中美还得再谈一次, 我猜下周会谈, 我估计还要加到200%); not 我 compared (比我预期的好).
fn own_guess(chars: &[char], at: usize) -> bool {
    // (Most acts have no 我 before them: no text is built for those.)
    if !chars[at.saturating_sub(40)..at].contains(&'我') {
        return false;
    }
    let before: Vec<char> = sentence_text_before(chars, at, 40).chars().collect();
    before.iter().enumerate().any(|(i, &c)| {
        c == '我' && !(i > 0 && "比超于让给和与跟对".contains(before[i - 1])) && {
            // (Only the writer: not 我国, 我方 or 我们, whose forecasts are a side's; an adverb
            // may come between, 我也猜, 我就赌.)
            let next: String = before[i + 1..].iter().take(3).collect();
            let next = next
                .strip_prefix(['也', '就', '还', '都', '倒', '真', '是'])
                .unwrap_or(&next);
            ["赌", "猜", "估计", "觉得", "感觉", "预计", "预测"]
                .iter()
                .any(|w| next.starts_with(w))
        }
    })
}

/// Whether the act at `a` is a scenario a study projects (研究报告显示，对…中国输美商品征收25%
/// 的关税…，将导致美国每年减少93.4万个就业岗位): a study's finding before it in its sentence
/// and the effect it will have after it. An analysis, not news of a measure.
fn study_projection(chars: &[char], a: &Mention) -> bool {
    // (Most texts name no study or scenario: one scan of the characters before settles it,
    // with no text built.)
    if !chars[a.start.saturating_sub(80)..a.start]
        .iter()
        .any(|c| "研报测估模假情压".contains(*c))
    {
        return false;
    }
    let before = sentence_text_before(chars, a.start, 80);
    // (A scenario assumed, 在情景分析中假设中美平均关税各自再上调20个百分点, is one too,
    // whatever it is said to lead to.)
    if ["假设", "假定", "情景分析", "情景假设", "压力测试"]
        .iter()
        .any(|w| before.contains(w))
    {
        return true;
    }
    let found = ["研究", "报告", "测算", "估算", "模型"].iter().any(|w| {
        before.match_indices(w).any(|(i, _)| {
            let after: String = before[i + w.len()..].chars().take(6).collect();
            ["显示", "指出", "发现", "估计", "表明"]
                .iter()
                .any(|v| after.contains(v))
        })
    });
    let after: String = chars[a.end..]
        .iter()
        .take(80)
        .take_while(|&&c| !is_sentence_end(c))
        .collect();
    found
        && [
            "将导致",
            "会导致",
            "将使",
            "会使",
            "将造成",
            "会造成",
            "将减少",
            "将拖累",
        ]
        .iter()
        .any(|w| after.contains(w))
}

/// Whether the act at `a` opens a clause after a comma with at most a few modal words before
/// it (，将调降至; ，也将暂缓实施): a predicate whose subject is the clause before.
/// The verb must have no object of its own (，将降低美国企业竞争力 lowers something else):
/// only a rate, a time or 实施/执行 may follow it.
fn bare_continuation(chars: &[char], a: &Mention) -> bool {
    let start = clause_start(chars, a.start);
    let whole_lead: String = chars[start..a.start].iter().collect();
    let lead = whole_lead.as_str();
    // A date the easing takes effect may open the clause first (…加征的10%关税，自下周一起
    // 停止执行; 即日起暂停实施).
    let lead = ["即日起", "今起", "即起"]
        .iter()
        .find_map(|w| lead.strip_prefix(w))
        .or_else(|| {
            lead.starts_with(['自', '从'])
                .then(|| lead.find('起').map(|i| &lead[i + '起'.len_utf8()..]))
                .flatten()
        })
        .unwrap_or(lead);
    let lead = lead.strip_prefix("继续").unwrap_or(lead);
    let rest: String = clause_text_after(chars, a.end).chars().take(4).collect();
    let anaphora = anaphoric_measures(&rest);
    start > 0
        && matches!(chars[start - 1], '，' | ',')
        // (A bare verb opening its clause needs the object pointed back to.)
        && (!whole_lead.is_empty() || anaphora)
        && lead.chars().count() <= 3
        && lead.chars().all(|c| "将会均也都则亦再随即".contains(c))
        && (no_object_after(&rest) || rest.starts_with('为') || anaphora)
}

/// Whether what is named before `at` is said to fall right after it (大降, 降至, 大幅下调).
fn said_to_fall(chars: &[char], at: usize) -> bool {
    let after: String = clause_after(chars, at).take(6).collect();
    let after = after.trim_start_matches(['将', '已', '均', '再']);
    [
        "大降",
        "降至",
        "降为",
        "降到",
        "下降",
        "下调",
        "调降",
        "降低",
        "减半",
        "大幅下",
        "大幅降",
    ]
    .iter()
    .any(|w| after.starts_with(w))
}

/// Whether 讨论 (discuss) is done with someone: a partner after 与/同/跟, both sides as its
/// subject, or a trip to the other side just before (与习近平讨论贸易, 双方讨论了关税问题, 派团
/// 赴华讨论). Alone it is anyone's debate (国会讨论对华关税法案, 听证会讨论拟议关税).
fn discussed_with_a_partner(chars: &[char], m: &Mention) -> bool {
    const PARTNERS: &[&str] = &[
        "中方",
        "中国",
        "美方",
        "美国",
        "中美",
        "美中",
        "习近平",
        "特朗普",
        "川普",
        "拜登",
        "北京",
        "华盛顿",
        "华府",
        "何立峰",
        "刘鹤",
        "贝森特",
        "莱特希泽",
        "姆努钦",
        "格里尔",
    ];
    let from = clause_start(chars, m.start).max(m.start.saturating_sub(16));
    let before: String = chars[from..m.start].iter().collect();
    // The partner is China or the US right after 与/同/跟 (not 同样, 共同, 与会: 美国财政部
    // 与商务部讨论 is a government talking to itself).
    let partner = before.char_indices().any(|(i, c)| {
        matches!(c, '与' | '同' | '跟')
            && PARTNERS
                .iter()
                .any(|p| before[i + c.len_utf8()..].starts_with(p))
    });
    // (A hearing anywhere before it in the sentence is the public's say: 举行听证会，与业界
    // 讨论拟对华加征的关税.)
    // (Read back at most a clause's reach: a post with no sentence end must not be rescanned
    // per 讨论.)
    let hearing = sentence_text_before(chars, m.start, 2 * CLAUSE_REACH).contains("听证");
    (partner
        || ["双方", "两国", "赴华", "赴美", "来华", "访华", "访美"]
            .iter()
            .any(|w| before.contains(w)))
        && !hearing
}

/// Whether the object after an easing points back to the clause before (对…列入不可靠实体
/// 清单的美国企业，暂停实施相关措施; 相关管控措施): the measures named there.
fn anaphoric_measures(rest: &str) -> bool {
    ["相关措施", "相关处理", "相关管控", "上述措施", "相关限制"]
        .iter()
        .any(|w| rest.starts_with(w))
}

/// Acts that put names on a list, or set a list up or widen it.
const LISTING: &[&str] = &[
    "列入",
    "纳入",
    "增列",
    "新增至",
    "新增到",
    "加入",
    "列进",
    "加进",
    "拉入",
    "拉进",
    "添加至",
    "添加到",
    "列为",
    "建立",
    "扩大",
];
/// Tariffs named as an answer to another side's.
const COUNTER_TARIFFS: &[&str] = &["反制关税", "反制性关税", "报复性关税", "报复关税"];
/// Topics that are trade flows: figures that rise and fall, never a measure eased.
const TRADE_FLOWS: &[&str] = &["出口", "进出口", "贸易逆差", "大豆", "农产品"];

/// Words naming a barrier to a trade flow, which an easing can lift (进口限制, 市场准入).
const BARRIERS: &[&str] = &[
    "限制", "禁令", "壁垒", "门槛", "准入", "措施", "管制", "禁止", "许可",
];

/// Words that open a condition (如果, 若), for the subject of a condition; 如 alone is too
/// often 例如 or 如何.
const CONDITIONS: &[&str] = &["如果", "若", "一旦", "倘若", "假如", "只要"];
/// Verbs of saying after a side: it speaks the sentence.
// 宣布 too: the announcer is who acts in the clauses after it (特朗普宣布，应中方请求，将…推迟).
const SPEECH: &[&str] = &[
    "表示", "称", "说", "指出", "强调", "回应", "重申", "认为", "宣布", "扬言",
];
/// China's ministries named without 中国: after another country's name they are that
/// country's (印度商务部长).
const MINISTRIES: &[&str] = &[
    "商务部",
    "外交部",
    "财政部",
    "商务部新闻发言人",
    "外交部发言人",
    "国务院",
    "海关总署",
];
/// First-person names of one's own country, which are China only outside Taiwan's voice.
const FIRST_PERSON: &[&str] = &[
    "我国",
    "我方",
    "我国政府",
    // (Domestic buyers are the writer's: China's in mainland trade news, Taiwan's in Taiwan's.)
    "国内油厂",
    "国内压榨企业",
    "国内压榨厂",
    "国内买家",
    "国内进口商",
    "国内饲料企业",
];

/// Verbs of approval: they ease only as a licence granted for sales to China (see `object`).
const GRANTS: &[&str] = &["批准", "核发", "颁发", "发放", "予以批准", "获批"];
/// Grants said after what they grant (稀土出口许可申请已获批, …许可申请予以批准).
const PASSIVE_GRANTS: &[&str] = &["予以批准", "获批"];

/// The flow of goods to China that a sale or licence names (向中国…出售, 对华出口许可证).
const SALES_TO_CHINA: &[&str] = &[
    "向中国",
    "对华",
    "对中国",
    "向华为",
    "向中方",
    "向中企",
    "出口中国",
    "销往中国",
    "售往中国",
];

/// Whether the clause after the verb at `a` names a sale or supply to China (允许英伟达向
/// 中国客户出售, 恢复向中国商飞供应), within 22 characters, not counting a name in brackets
/// (允许辉达（NVIDIA）向中国及其他国家的“经批准客户”出售, within 36).
fn sale_to_china_after(chars: &[char], a: &Mention, term: &str) -> bool {
    let after: String = clause_text_after(chars, a.end).chars().take(36).collect();
    let unbracketed: String = {
        let mut depth = 0usize;
        after
            .chars()
            .filter(|&c| {
                match c {
                    '（' | '(' => depth += 1,
                    '）' | ')' => {
                        depth = depth.saturating_sub(1);
                        return false;
                    }
                    _ => {}
                }
                depth == 0
            })
            .collect()
    };
    let after: String = unbracketed
        .chars()
        .filter(|c| !"“”「」\"".contains(*c))
        .take(28)
        .collect();
    let to_china = SALES_TO_CHINA.iter().any(|w| after.contains(w))
        || term == "恢复向"
            && ["中国", "华为", "中方"]
                .iter()
                .any(|w| after.starts_with(w));
    let flow = ["出售", "出口", "销售", "供应", "供货", "销往", "售往"]
        .iter()
        .any(|w| after.contains(w));
    // An export licence granted, with the sales to China it opens in the next clause
    // (将核发H20芯片出口许可证，英伟达可望很快恢复对中国客户销售).
    let opens_sales = || {
        if !GRANTS.contains(&term) || !after.contains("出口许可") {
            return false;
        }
        let end = a.end + clause_after(chars, a.end).count();
        if chars.get(end).is_none_or(|&c| is_sentence_end(c)) {
            return false;
        }
        let next: String = clause_after(chars, end + 1).take(30).collect();
        SALES_TO_CHINA.iter().any(|w| next.contains(w))
            && ["出售", "销售", "供应", "供货", "出货"]
                .iter()
                .any(|w| next.contains(w))
    };
    to_china && flow || opens_sales()
}

/// Whether the verb at `a` lets goods into China (允许符合要求的美国牛肉输华, 恢复美国原木
/// 输华, 批准美国鲜食马铃薯输华): market access granted, import restrictions lifted.
fn goods_let_into_china(chars: &[char], a: &Mention, term: &str) -> bool {
    // (获准 only for US goods named before it: 纳米比亚牛肉获准输华 is not the US's.)
    let us_goods = || chars[clause_start(chars, a.start)..a.start].contains(&'美');
    let object = clause_text_after(chars, a.end);
    (["允许", "恢复", "批准", "放开"].contains(&term) || term == "获准" && us_goods())
        && object.contains("输华")
        // (Or US goods let in, said with 进口 closing the clause: 允许符合要求的美国禽肉进口;
        // not firms allowed to import, 允许企业进口美国大豆, a purchase.)
        || ["允许", "批准", "准许"].contains(&term)
            && object.ends_with("进口")
            && object.chars().count() <= 30
            && object.contains('美')
            && !object.contains("企业")
}

/// Whether the term allows a sale (允许, 恢复向) or grants a licence (see `GRANTS`).
fn allows_or_grants(term: &str) -> bool {
    GRANTS.contains(&term) || ["允许", "准许", "恢复向"].contains(&term)
}

/// Whether an easing verb allows sales to China, or grants licences for them: its object was
/// found to be export controls by `object`, which names no instrument in the text.
fn sale_to_china_allowed(term: &str, instrument: Option<u8>, book: &Codebook) -> bool {
    allows_or_grants(term)
        && instrument.is_some_and(|i| book.instruments[i as usize].id == "export_control")
}

/// Words that set what follows against what came before (美国暂停加征关税的同时收紧…).
const CONTRASTS: &[&str] = &["同时", "但", "却", "而"];

/// Words before a measure in its clause that name it as what is averted (避免, 以免).
const AVERTS: &[&str] = &[
    "避免", "以免", "防止", "以防", "免得", "避过", "避开", "躲过",
];

/// Verbs of lifting or stopping that withdraw relief when relief is their object (撤销…关税
/// 豁免, 取消…免税待遇, 停止向华为供货): then the act tightens, and is an escalation.
const REVOKERS: &[&str] = &[
    "取消", "撤销", "撤回", "收回", "废除", "撤除", "移除", "终止", "暂停", "中止", "停止",
];
/// Relief that a revoking verb withdraws: exemptions, licences, preferential treatment, supplies.
const RELIEF: &[&str] = &[
    "豁免",
    "免税",
    "优惠待遇",
    "最惠国待遇",
    "特殊待遇",
    "许可证",
    "出口许可",
    "供货许可",
    // (A licence said bare, 撤销了向长鑫存储出口设备的许可.)
    "许可",
    "宽限期",
    "临时许可",
    "通用许可",
    "执照",
    "牌照",
    "发展中国家地位",
    "正常贸易关系",
    "供货",
    "排除",
    // Market access of a firm's goods (暂停…大豆输华资格).
    "免税安排",
    "免税政策",
    "输华资格",
    "输美资格",
    "出口资格",
    "输华资质",
    "输美资质",
    "出口资质",
    "对华出口资质",
    "对华出口资格",
    "资质",
    "资格",
    "输华注册",
];
/// Words near a detention that make it one of people, luggage, contraband or fakes, not of
/// a side's goods.
const NOT_TRADE_DETENTIONS: &[&str] = &[
    "走私",
    "侵犯",
    "商标",
    "假冒",
    "冒牌",
    "侵权",
    "入境",
    "行李",
    "旅客",
    "网红",
    "遣返",
    "毒品",
    "船员",
    "人员",
    "护照",
    "车辆",
    "嫌疑人",
    "涉案",
];
/// Words in a clause that make a bare 禁令 a ban on people, films or flights, not on trade.
const NON_TRADE_BANS: &[&str] = &[
    "上映", "电影", "影片", "拍摄", "演出", "网红", "入境", "出境", "旅客", "旅行", "旅游", "签证",
    "航班", "禁赛", "参赛", "引渡",
];

/// Words after relief that make it a requirement lifted (取消出口许可证要求): an easing.
const RELIEF_REQUIREMENT: &[&str] = &["要求", "限制", "申请", "审批", "规定"];
/// Lifting words that permit rather than stop (允许, 批准…): before a purchase they allow it.
const PERMITS: &[&str] = &["允许", "批准", "发放", "恢复", "解禁"];
/// Words that resume something, right before a purchase word in its clause (恢复部分美国农产品
/// 进口, 重启对美国大豆的采购): the purchase resumed.
const RESUMERS: &[&str] = &["恢复", "重启", "重新"];

/// Whether the act at `a` is a revoking verb whose object, in the rest of its clause before
/// `until`, is relief (撤销华为的出口许可证), not a requirement for it (取消出口许可证要求).
fn revokes_relief(chars: &[char], term: &str, a: &Mention, until: usize) -> Option<&'static str> {
    if !REVOKERS.iter().any(|r| term.starts_with(r)) {
        return None;
    }
    // A suspension of a revocation (暂停取消对华为的临时许可) keeps the relief: the
    // revocation after it is held off (see `holds_off`).
    let next: String = chars.iter().skip(a.end).take(2).collect();
    if ["暂停", "中止", "停止"].contains(&term) && REVOKERS.iter().any(|r| next.starts_with(r))
    {
        return None;
    }
    // Approvals stopped (暂停对美国企业稀土出口许可申请的审批, 停止受理…许可申请) hold
    // licences back: the requirement stays and no licence is granted.
    if ["暂停", "停止", "中止"].contains(&term) {
        let object: String = clause_after(chars, a.end)
            .take(24.min(until.saturating_sub(a.end)))
            .collect();
        if object.contains("许可") && ["审批", "受理", "批准"].iter().any(|w| object.contains(w))
        {
            return Some("许可");
        }
        // (So are registrations to ship to China: 暂停受理美国两家企业的输华注册申请.)
        if object.contains("注册") && ["审批", "受理", "批准"].iter().any(|w| object.contains(w))
        {
            return Some("输华资格");
        }
        // A suspension said as an attribute (此前暂停的部分美国企业注册资格已恢复) describes
        // relief already withdrawn, not a new withdrawal.
        if chars.get(a.end) == Some(&'的') {
            return None;
        }
    }
    // The verb's own object: up to the next act that is not an easing, or 并/及 (暂停…加征
    // 关税并延长豁免期 revokes nothing).
    // (及 joining places is no second act: 取消中国及香港寄出小额包裹的免税待遇.)
    // (22 characters: the licence may be named after its holder and goods, 撤回了此前向中国
    // 企业发放的芯片出口许可.)
    let window: Vec<char> = clause_after(chars, a.end)
        .take(22.min(until.saturating_sub(a.end)))
        .copied()
        .collect();
    let rest: String = window
        .iter()
        .enumerate()
        .take_while(|&(i, &c)| {
            let place_follows = || {
                let next: String = window[i + 1..].iter().take(2).collect();
                ["香港", "澳门", "内地"].contains(&next.as_str())
            };
            c != '并' && (c != '及' || place_follows())
        })
        .map(|(_, &c)| c)
        .collect();
    // Treatment withdrawn (取消对原产于中国内地和香港的小额包裹的免税待遇) may close a
    // longer object: up to 40 characters of its clause for a relief said as 待遇 (撤销对
    // 原产于中国内地和香港的价值800美元以下小额包裹的免税待遇).
    let treatment = || {
        let wide: String = clause_after(chars, a.end)
            .take(40.min(until.saturating_sub(a.end)))
            .collect();
        let object = wide.split(['并', '但']).next().unwrap_or("");
        TREATMENTS
            .iter()
            .copied()
            .find(|r| object.contains(r))
            .and_then(|r| RELIEF.iter().copied().find(|x| r.contains(x)))
    };
    RELIEF
        .iter()
        .copied()
        .find(|r| {
            rest.match_indices(r).any(|(i, _)| {
                // 出口许可 is also the head of 出口许可证要求 (and of 须申请许可证的要求, 要求
                // …须申请许可证的规定: a licence one must apply for is a requirement).
                let after = rest[i + r.len()..]
                    .trim_start_matches('证')
                    .trim_start_matches('的');
                let before = &rest[..i];
                !RELIEF_REQUIREMENT.iter().any(|q| after.starts_with(q))
                    // (Nor one to apply for, 可依法申请出口许可, which nobody withdrew.)
                    && !before.ends_with("申请")
                    // (A bare 许可 inside a longer relief is that relief's, read as it.)
                    && (*r != "许可"
                        || !["出口", "供货", "临时", "通用"]
                            .iter()
                            .any(|w| before.ends_with(w)))
            })
        })
        .or_else(treatment)
        .or_else(|| treatment_before(chars, a))
        .or_else(|| {
            // A firm's right to ship, closing a long object (暂停CHS、路易达孚美国分公司、EGT
            // 等3家美国企业的大豆输华资质; …两家美国企业的高粱及禽肉产品输华资质): the goods'
            // list may hold 及.
            let wide: String = clause_after(chars, a.end)
                .take(40.min(until.saturating_sub(a.end)))
                .collect();
            let object = wide.split(['并', '但']).next().unwrap_or("");
            ["输华资质", "输华资格", "输美资质", "输美资格"]
                .iter()
                .copied()
                .find(|r| object.contains(r))
        })
        .or_else(|| {
            // So may an export licence, after the sales it covered (撤销其向华为供应用于笔记本
            // 电脑和手机的半导体产品的出口许可): the object closes with it.
            let wide: String = clause_after(chars, a.end)
                .take(36.min(until.saturating_sub(a.end)))
                .collect();
            let object = wide.split(['并', '但']).next().unwrap_or("");
            let closes = object.ends_with("出口许可") || object.ends_with("出口许可证");
            (closes && !object.contains("申请")).then_some("出口许可")
        })
}

/// Relief said as treatment, which a withdrawal may name at the end of a long object or
/// before its verb.
const TREATMENTS: &[&str] = &["免税待遇", "优惠待遇", "特殊待遇", "最惠国待遇"];

/// Treatment named as the topic before its withdrawal, with only a date or a modal word
/// between (美对华小额包裹免税待遇5月2日起取消, …的免税待遇将被取消): the relief withdrawn.
fn treatment_before(chars: &[char], a: &Mention) -> Option<&'static str> {
    // The treatment and its gap fit in 16 characters: reading no further keeps a run-on
    // clause of many withdrawals linear.
    let before = clause_text_before(chars, a.start, 16);
    TREATMENTS
        .iter()
        .copied()
        .find(|r| {
            before.rfind(r).is_some_and(|at| {
                let gap = &before[at + r.len()..];
                gap.chars().count() <= 10
                    && gap.chars().all(|c| {
                        c.is_ascii_digit() || "年月日号起将于自正式已被均也全面一律".contains(c)
                    })
            })
        })
        .and_then(|r| RELIEF.iter().copied().find(|x| r.contains(x)))
}

/// What an extension eases when its clause names it: relief, a pause, a truce or a deadline
/// to act by (延长…排除期限, 延长关税暂停期, 将临时许可证延长).
const EXTENDED_RELIEF: &[&str] = &[
    "暂停",
    "暂缓",
    "休战",
    "休兵",
    "停火",
    "宽限",
    "过渡期",
    "缓冲期",
    "免征",
    "免于",
];

/// Whether the clause of the bare 延长 at `a` names relief it extends (see `RELIEF` and
/// `EXTENDED_RELIEF`), before or after it.
fn extends_relief(chars: &[char], a: &Mention) -> bool {
    let clause = clause_text(chars, a.start);
    RELIEF
        .iter()
        .chain(EXTENDED_RELIEF)
        .any(|r| clause.contains(r))
}

/// Whether the words after a bare 恢复 restore a normal rate (按最惠国税率, 按原税率, 按14%税率
/// 征收): the additional tariff ends.
fn normal_rate_restored(rest: &str) -> bool {
    rest.starts_with('按')
        && [
            "最惠国",
            "原税率",
            "原有税率",
            "配额内税率",
            "税率征收",
            "正常税率",
        ]
        .iter()
        .any(|w| rest.contains(w))
}

/// Whether the bare 恢复 at `m` reinstates a tariff: 关税 within sixteen characters after it
/// in its clause, with no talks or trade flow there (恢复关税谈判, 恢复对美出口), or 恢复至/
/// 恢复到 after 关税 earlier in its clause (关税将恢复至34%), or a tariff fronted by 把 (把…
/// 对华关税又恢复了).
fn reinstates_tariff(chars: &[char], m: &Mention) -> bool {
    let rest: String = clause_text_after(chars, m.end).chars().take(16).collect();
    // A normal rate restored (恢复按最惠国税率征收关税, 恢复按14%税率征收) ends the additional
    // tariff: see `restores_relief`.
    if normal_rate_restored(&rest) {
        return false;
    }
    let named_after = rest.contains("关税")
        && !["谈", "磋商", "协商", "对话", "进口", "采购", "出口"]
            .iter()
            .any(|w| rest.contains(w));
    let before: String = chars[clause_start(chars, m.start)..m.start]
        .iter()
        .collect();
    let raised_to = (rest.starts_with('至') || rest.starts_with('到')) && before.contains("关税");
    // 把…关税又恢复了: the tariff fronted by 把.
    let fronted = before
        .find('把')
        .is_some_and(|i| before[i..].contains("关税"));
    // 恢复加征 with the tariff named before it (原本暂停的…关税，将自12月15日起恢复加征).
    let levied = ["加征", "征收", "加税"].iter().any(|w| rest.starts_with(w));
    named_after || raised_to || fronted || levied || reinstates_measure(&rest, &before)
}

/// Restrictions a bare 恢复 brings back (恢复对中国部分芯片设计软件的出口限制, 不会恢复对美国
/// 企业的不可靠实体清单措施), or a measure named before 恢复实施 in its clause (有关对美反制
/// 措施不再恢复实施).
const REINSTATED_MEASURES: &[&str] = &[
    "出口限制",
    "出口管制",
    "管制措施",
    "反制措施",
    "限制措施",
    "不可靠实体清单",
    "实体清单",
];

/// Whether the bare 恢复 with `rest` after it and `before` it in its clause brings back a
/// restriction (see `REINSTATED_MEASURES`), not talks, trade or relief.
fn reinstates_measure(rest: &str, before: &str) -> bool {
    let named_after = REINSTATED_MEASURES.iter().any(|w| rest.contains(w))
        && ![
            "谈", "磋商", "协商", "对话", "进口", "采购", "许可", "审批", "豁免",
        ]
        .iter()
        .any(|w| rest.contains(w));
    let put_back = ["实施", "执行"].iter().any(|w| rest.starts_with(w))
        && REINSTATED_MEASURES
            .iter()
            .chain(&["措施", "关税"])
            .any(|w| before.contains(w));
    named_after || put_back
}

/// Whether a refusal (拒绝, 不予, 不再, 不) comes right before `at`: an extension or renewal
/// refused (拒绝延长…出口许可, 不续期…临时通用许可证).
fn refused_right_before(chars: &[char], at: usize) -> bool {
    let before: String = chars[at.saturating_sub(2)..at].iter().collect();
    ["拒绝", "不予", "不再"].contains(&before.as_str()) || before.ends_with('不')
}

/// Words after relief that say it is left to lapse: an extension refused or not given
/// (到期后不予延长, 未予续期), or the relief void (将于下月31日失效, 期满后自动终止).
const LAPSES: &[&str] = &[
    "不予延长",
    "不再延长",
    "不予续期",
    "不再续期",
    "未予续期",
    "未予延续",
    "未予延长",
    "不再延期",
    "不再续签",
    "不延长",
    "不续期",
    "未宣布延期",
    "失效",
    "自动终止",
];
/// Words right after a truce that end it (休战破局, 关税休战结束).
const TRUCE_ENDS: &[&str] = &["破局", "结束", "破裂", "告吹", "终结", "期满", "到期"];
/// Words before a relief that refuse to extend it (拒绝延长对164项中国产品的关税豁免) or end a
/// truce (提前结束对华关税休战).
const LAPSES_BEFORE: &[&str] = &[
    "拒绝延长",
    "不再延长",
    "不予延长",
    "不延长",
    "不续期",
    "不再续期",
    "不予续期",
    "结束",
];

/// Whether the relief at `a` is said to lapse (see `LAPSES`) within 24 characters after it in
/// its sentence, or is refused an extension just before it; a truce (`truce`) also lapses when
/// an ending follows it directly or a reinstatement comes after it (休战到期，…关税回升至54%).
fn relief_lapses(chars: &[char], a: &Mention, truce: bool) -> bool {
    // (Read 60 characters ahead at most, so a run-on sentence of many easings stays linear.)
    let reach = chars.len().min(a.end + 60);
    let end = (a.end..reach)
        .find(|&i| is_sentence_end(chars[i]))
        .unwrap_or(reach);
    // (A question is no lapse: 豁免到期后是否不再延长？, 休兵期结束后会如何发展？)
    if chars.get(end).is_some_and(|&c| matches!(c, '？' | '?')) {
        return false;
    }
    let after: String = chars[a.end..end].iter().take(24).collect();
    let before = clause_text_before(chars, a.start, 24);
    let lapse_after = LAPSES.iter().any(|w| {
        after.find(w).is_some_and(|i| {
            // (即将失效 is a date coming, as 即将到期 is.)
            !after[..i].ends_with("即将")
        })
    });
    // (Not a time after the end, 休战结束后: what follows is a forecast or a date.)
    let ends_here = |w: &str| {
        ["", "期", "期已"].iter().any(|p| {
            let word = format!("{p}{w}");
            after.starts_with(&word) && !after[word.len()..].starts_with('后')
        })
    };
    // An ending followed by a tariff put back (排除清单有效期届满，即日起恢复加征关税, 停火协议
    // 到期，…关税回升至54%), unless the putting back is negated (届满后不会恢复加征).
    let ended_then_reinstated = TRUCE_ENDS.iter().chain(&["届满", "失效", "已满"]).any(|w| {
        after.find(w).is_some_and(|i| {
            let rest = &after[i..];
            ["恢复", "回升"].iter().any(|r| {
                rest.find(r).is_some_and(|j| {
                    // (Negated within four characters before: 不再恢复, 不会自动恢复.)
                    let near: String = rest[..j].chars().rev().take(4).collect();
                    !['不', '未', '没', '否'].iter().any(|&n| near.contains(n))
                })
            })
        })
    });
    let truce_ends = truce && TRUCE_ENDS.iter().any(|w| ends_here(w)) || ended_then_reinstated;
    let refused_before = LAPSES_BEFORE.iter().any(|w| {
        before.find(w).is_some_and(|i| {
            // 结束 ends a truce only: 结束对…的关税豁免 is a lift, coded as one.
            (*w != "结束" || truce) && before[i + w.len()..].chars().count() <= 16
        })
    });
    lapse_after || truce_ends || refused_before
}

/// Voices outside the two governments, whose wishes for talks are no offer of them: former
/// officials, business groups, scholars, think tanks.
const UNOFFICIAL_VOICES: &[&str] = &[
    "前财长",
    "前副国务卿",
    "前国务卿",
    "前总统",
    "前政要",
    "前官员",
    "前贸易代表",
    "商会",
    "企业家",
    "学者",
    "智库",
    "工商界",
    "商界",
    // Firms pleading for relief (苹果公司…希望美国政府免除对苹果19项产品的关税).
    "公司",
    "企业",
    "业界",
    // Trade groups and farmers appealing for a deal (美国大豆协会致函川普，呼吁盡快与北京达成
    // …协议).
    "协会",
    "联合会",
    "农民",
    "豆农",
];
/// Talks of people outside government (中美智库对话, 二轨对话, 两国企业家举行座谈, 会见美国
/// 商会会长一行): no contact between the two governments.
const UNOFFICIAL_TALKERS: &[&str] = &[
    "智库",
    "二轨",
    "前政要",
    "企业家",
    "商会",
    "工商界",
    "民间",
    "学者",
];

/// Whether the talks at `a` are held by people outside government: a word of
/// `UNOFFICIAL_TALKERS` in its clause (the talkers, or whom a meeting received), or in the clause
/// before a bare 双方 that opens its own (会见美国商会会长一行，双方就…交换意见).
fn unofficial_talks(chars: &[char], a: &Mention) -> bool {
    // (The clause is read 40 characters either side of the talks, and the clause before only
    // up to 40 back, so a run-on clause of many talks stays linear.)
    let start = clause_start_within(chars, a.start, 40);
    let before: String = chars[start..a.start].iter().collect();
    let after: String = clause_after(chars, a.start).take(40).collect();
    if UNOFFICIAL_TALKERS
        .iter()
        .any(|w| before.contains(w) || after.contains(w))
    {
        return true;
    }
    // (A bare 双方 opening the clause: 会见美国商会代表团，双方就…交换意见.)
    if !before.starts_with("双方") || start < 2 {
        return false;
    }
    let previous: String = chars[clause_start_within(chars, start - 1, 40)..start - 1]
        .iter()
        .collect();
    UNOFFICIAL_TALKERS.iter().any(|w| previous.contains(w))
}

/// One-character names of countries other than China and the US, as pairs are written
/// (俄乌, 泰柬, 黎以, 美伊, 印巴).
const COUNTRY_ABBREVIATIONS: &str = "俄乌泰柬黎以伊朝韩日欧英法德印巴越菲澳墨土沙叙缅";

/// Whether the two characters before `at` name a pair of countries by their one-character
/// names, at least one of them neither China nor the US.
fn abbreviated_third_pair_before(chars: &[char], at: usize) -> bool {
    if at < 2 {
        return false;
    }
    let (x, y) = (chars[at - 2], chars[at - 1]);
    let named = |c: char| COUNTRY_ABBREVIATIONS.contains(c) || c == '中' || c == '美';
    x != y
        && named(x)
        && named(y)
        && (COUNTRY_ABBREVIATIONS.contains(x) || COUNTRY_ABBREVIATIONS.contains(y))
}

/// Whether the unreliable-entity list follows 建立 at `m` closely in its clause (quotes
/// allowed): China setting the list up.
fn sets_up_a_list(chars: &[char], m: &Mention) -> bool {
    let rest: String = clause_text_after(chars, m.end).chars().take(10).collect();
    rest.contains("不可靠实体清单")
}

/// Whether 扩大 at `m` widens the entity list or controls: the list within twelve characters
/// before it or eight after it, or controls after it, in its clause (扩大实体清单适用范围,
/// 将实体清单管制扩大至…, 扩大稀土管制范围).
fn widens_a_list(chars: &[char], m: &Mention) -> bool {
    let start = clause_start(chars, m.start).max(m.start.saturating_sub(12));
    let before: String = chars[start..m.start].iter().collect();
    let after: String = clause_text_after(chars, m.end).chars().take(8).collect();
    // (Goods may stand between: 扩大对华半导体设备出口管制范围.)
    let wider: String = clause_text_after(chars, m.end).chars().take(16).collect();
    before.contains("实体清单")
        || after.contains("实体清单")
        || after.contains("管制")
        || wider.contains("出口管制")
        || wider.contains("出口禁令")
}

/// Whether the truce at `m` is what commentary is about: right after it in its clause (a
/// period word between allowed: 休兵期), a question (能否, 是否), a judgement (只是, 让, 背后),
/// its end (结束后, 到期后, 届满后) or the scene it sets (之下); or a failure to extend it
/// supposed before it (若未能延长…休兵期).
fn truce_as_topic(chars: &[char], m: &Mention) -> bool {
    let after: String = clause_after(chars, m.end).take(8).collect();
    let after = after
        .trim_start_matches(['期', '协', '议'])
        .trim_start_matches("协议");
    let topic = [
        "能否",
        "是否",
        "只是",
        "让",
        "背后",
        "结束后",
        "到期后",
        "届满后",
        "之下",
        "会如何",
        "若未能",
        "如未能",
    ]
    .iter()
    .any(|w| after.starts_with(w));
    let before: String = chars[clause_start(chars, m.start)..m.start]
        .iter()
        .collect();
    topic
        || ["若未能", "如未能", "一旦"]
            .iter()
            .any(|w| before.contains(w))
}

/// Whether a flow of goods to China (对华…出口, 向中国…销售) is named within 20 characters
/// before `m` in its clause, up to and including the flow word itself when `m` starts with it.
fn flow_to_china_before(chars: &[char], m: &Mention) -> bool {
    let end = (m.start + 2).min(chars.len());
    let before: String = chars[clause_start_within(chars, m.start, 20)..end]
        .iter()
        .collect();
    ["对华", "对中国", "向中国", "输华"].iter().any(|w| {
        before
            .find(w)
            .is_some_and(|i| ["出口", "销售"].iter().any(|f| before[i..].contains(f)))
    })
}

/// Whether a licence is named beside the refusal at `m` in its clause: within 24 characters
/// after it (驳回了…向长江存储出口设备的许可申请), or within 16 before it (对…稀土出口许可申请
/// 不予批准); not a licence requirement (驳回…许可证要求的豁免申请 refuses no licence).
fn licence_beside(chars: &[char], m: &Mention) -> bool {
    let after: String = clause_text_after(chars, m.end).chars().take(24).collect();
    let before = clause_text_before(chars, m.start, 16);
    [after, before]
        .iter()
        .any(|t| t.contains("许可") && !t.contains("许可证要求") && !t.contains("许可要求"))
}

/// Whether relief (see `RELIEF`) is named within sixteen characters after the bare 恢复 at
/// `m`, in its clause.
fn restores_relief(chars: &[char], m: &Mention) -> bool {
    // (Read far enough for a long object: 恢复此前已到期的549项对华加征关税排除中的352项.)
    // (Only up to a second predicate: 恢复25%铝关税并取消所有豁免 restores the tariff.)
    let rest: String = clause_text_after(chars, m.end)
        .chars()
        .take(24)
        .take_while(|&c| c != '并')
        .collect();
    if normal_rate_restored(&rest) {
        return true;
    }
    // (Goods let back into China, 恢复美国原木输华, are market access restored.)
    // (Not the tariff on them: 恢复对美国输华商品加征关税.)
    RELIEF.iter().any(|r| rest.contains(r))
        || rest.contains("输华") && !rest.contains("加征") && !rest.contains("关税")
}

/// Whether 出口 starts within eight characters after the suspending verb at `a`, in its clause
/// (暂停向美国出口, 停止对美出口) with no barrier word right after it (暂停出口管制 eases).
fn exports_halted(chars: &[char], a: &Mention) -> bool {
    // (暂停期内…出口 is the suspension's period, not a halt.)
    if chars.get(a.end) == Some(&'期') {
        return false;
    }
    // (Nor are exports named as what a ban covers: 暂停对美国出口镓、锗、锑等两用物项的禁令
    // suspends the ban.)
    // (Not a ban answered: 暂停向美国出口稀土以反制美方的出口管制 halts exports.)
    let phrase: String = clause_after(chars, a.end).take(32).collect();
    let ban = [
        "的禁令",
        "的出口禁令",
        "的管制措施",
        "的出口管制",
        "的限制措施",
        // (暂停实施镓锗锑对美出口相关措施: the measures on the exports.)
        "相关措施",
        "有关规定",
        "相关规定",
    ]
    .iter()
    .filter_map(|w| phrase.find(w))
    .min();
    if ban.is_some_and(|at| {
        !["以", "反制", "回应", "针对", "作为", "回击"]
            .iter()
            .any(|v| phrase[..at].contains(v))
    }) {
        return false;
    }
    let rest: Vec<char> = clause_text_after(chars, a.end).chars().take(10).collect();
    // (Or a flow to the other side closing a longer clause: 暂停镓、锗、锑等两用物项对美国出口.)
    let clause: String = clause_text_after(chars, a.end).chars().take(24).collect();
    rest.windows(2)
        .position(|w| w == ['出', '口'])
        .is_some_and(|i| {
            let after = a.end + i + 2;
            !barrier_at(chars, after) && !goods_noun_at(chars, after)
        })
        || [
            "对美国出口",
            "对美出口",
            "向美国出口",
            "对华出口",
            "向中国出口",
        ]
        .iter()
        .any(|w| clause.ends_with(w))
}

/// Whether a resuming word (恢复, 重启) stands before the purchase word at `a` in its clause,
/// at most twelve characters before it.
fn resumed_before(chars: &[char], a: &Mention) -> bool {
    let from = a.start.saturating_sub(12);
    let before: String = chars[from..a.start]
        .iter()
        .rev()
        .take_while(|&&c| !is_clause_end(c) && !is_sentence_end(c))
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    RESUMERS.iter().any(|r| before.contains(r))
}
/// Whether the text between two acts makes the first a cause or a background of the second
/// (加征关税后…, 在…的背景下, 因…, 导致): they are in sequence, not one measure.
fn sequenced(chars: &[char], from: usize, to: usize) -> bool {
    between_has(
        chars,
        from,
        to,
        &["后", "背景", "导致", "因", "使得", "以来"],
    )
}

/// Whether the act at `m` is what the easing `action` at `a` holds off, named before it:
/// fronted by 将/把 before a postponement (将…的加税推迟), or right before a postponing or
/// suspending verb (原定10月15日生效的加税暂缓).
fn fronted_act(chars: &[char], m: &Mention, a: &Mention, action: &Action) -> bool {
    action.id == "postpone" && fronted_object(chars, m.start, a.start)
        // A levy fronted by 将/把 right before a cut is what is cut (同意将互征关税大幅调降
        // 115个百分点): only degree words may stand between.
        || action.id == "cut"
            && m.end <= a.start
            && a.start - m.end <= 4
            && chars[m.end..a.start]
                .iter()
                .all(|c| "大幅分别均各逐步再次进一步".contains(*c))
            && fronted_object(chars, m.start, a.start)
        || matches!(action.id.as_str(), "postpone" | "suspend")
            && (m.end == a.start
                || m.end < a.start
                    && (decision_held(chars, m.end, a.start) || held_subject(chars, m.end, a)))
}

/// Whether the act ending at `act_end` is the subject of the holding verb `verb` with only
/// modal words between (原定10月15日的加税将暂不实施, 加征关税也将推迟至12月): the act is
/// what is held. Not when the verb has an object of its own (加征关税将暂停大量中国工厂的
/// 对美出货: the tariffs halt shipments): only an end, a time or 实施/执行 may follow it.
fn held_subject(chars: &[char], act_end: usize, verb: &Mention) -> bool {
    let between = &chars[act_end..verb.start];
    let rest: String = clause_text_after(chars, verb.end).chars().take(4).collect();
    !between.is_empty()
        && between.len() <= 3
        && between.iter().all(|c| "将会均也都则亦再被".contains(*c))
        && no_object_after(&rest)
}

/// Whether the words after a holding or easing verb leave it without an object of its own:
/// nothing, a rate or a time (至7.5%, 到12月, 一年, 半年), or 实施/执行/征收/加征.
fn no_object_after(rest: &str) -> bool {
    rest.is_empty()
        || rest.starts_with(|c: char| c.is_ascii_digit() || "至到一三六两半".contains(c))
        || ["实施", "执行", "征收", "加征"]
            .iter()
            .any(|w| rest.starts_with(w))
}

/// Whether the act at `a` is a topic the sides discussed or a concern one raised, not an act:
/// inside a 就…进行交流 frame (双方就…芬太尼关税及延长对等关税暂停期等问题进行了深入交流) or
/// a 表达了对…的关切 frame (中方表达了对美方取消对华加征关税和制裁等问题的关切), both the
/// formulas of official readouts.
fn discussed_or_concerned(chars: &[char], a: &Mention) -> bool {
    let (before, after) = frame_around(chars, a);
    let concern = [
        "表达了对",
        "表达对",
        "表明了对",
        "阐明了对",
        "阐述了对",
        "重申了对",
        "提出了对",
    ]
    .iter()
    // (The frame must hold the act: at most a side's name between 对 and it, and the concern
    // closing it; in 特朗普表达对中方的不满后宣布…引起各方的关注 the act is news.)
    .any(|w| {
        before
            .rfind(w)
            .is_some_and(|at| before[at + w.len()..].chars().count() <= 6)
    }) && ["的关切", "的关注", "的诉求"]
        .iter()
        .any(|w| after.contains(w));
    // (The 就 nearest before the act opens the frame when a party comes right before it, 双方
    // 就, 中方就, 同美方就; after an adverb it means "then", 美方随后就取消了…. 就是/就此 are
    // no frame, and a frame that closes in agreement, 就…达成共识, is not only discussed.)
    // (Or raised as concerns over a list: 王文涛就美301关税、对华半导体政策…等表达了关切;
    // or after 对: 中方对美方对华制裁打压措施表达了关切.)
    let concern = concern
        || (opened_by_jiu(&before) || before.contains("方对"))
            && [
                "表达了关切",
                "表达关切",
                "表示关切",
                "提出关切",
                "表达了严重关切",
            ]
            .iter()
            .any(|w| after.contains(w))
        // (Or a list a side says it is watching closely: 中方高度关注美方对华301关税、半导体
        // 政策、双向投资限制等问题.)
        || ["高度关注", "严重关切", "密切关注"].iter().any(|w| {
            before.rfind(w).is_some_and(|at| {
                // (A later item of the list: …301关税、半导体政策、双向投资限制.)
                let between = &before[at + w.len()..];
                let n = between.chars().count();
                n <= 8 || n <= 32 && between.contains('、')
            })
        }) && ["等问题", "等议题", "等领域"].iter().any(|w| after.contains(w));
    let discussed = opened_by_jiu(&before)
        && [
            "等问题",
            "等议题",
            "等事项",
            "问题进行",
            "议题进行",
            "安排进行",
            "事宜进行",
            "经贸问题",
        ]
        .iter()
        .any(|w| after.contains(w))
        && [
            "交流",
            "讨论",
            "交换意见",
            "交换了意见",
            "沟通",
            "磋商",
            "谈判",
            "交涉",
        ]
        .iter()
        .any(|w| {
            // (The verb may follow the list's comma: …等重要经贸问题，进行了坦诚、深入的交流.)
            after.contains(w) || {
                let wide: String = chars[a.end..]
                    .iter()
                    .take_while(|&&c| !is_sentence_end(c))
                    .take(60)
                    .collect();
                wide.find(['，', ',']).is_some_and(|cut| {
                    let next: String = wide[cut..].chars().skip(1).take(16).collect();
                    next.contains(w)
                })
            }
        })
        && !["达成", "同意", "一致"].iter().any(|w| after.contains(w));
    concern || discussed || listed_on_the_agenda(chars, a)
}

/// Whether an easing waits on someone's decision in its own clause (延长休战须由特朗普最终
/// 决定, 豁免有待国会批准): still to be made, not made.
fn awaits_decision(chars: &[char], a: &Mention, class: ActionClass) -> bool {
    if class != ActionClass::Ease {
        return false;
    }
    let after = clause_text_after(chars, a.end);
    ["须由", "需由", "有待", "尚待", "仍待"].iter().any(|w| {
        after.find(w).is_some_and(|at| {
            let rest = &after[at + w.len()..];
            ["决定", "批准", "拍板", "同意"]
                .iter()
                .any(|d| rest.chars().take(12).collect::<String>().contains(d))
        })
    })
}

/// Whether the act at `a` is an item of an agenda listed across commas (双方围绕美方对华301
/// 措施，延长对等关税暂停期，芬太尼关税…等双方共同关心的经贸问题，进行了…交流磋商): 围绕
/// opens the list earlier in the sentence, and 等…问题 closes it before a word of talking,
/// with no agreement between the act and the close.
fn listed_on_the_agenda(chars: &[char], a: &Mention) -> bool {
    let before = sentence_text_before(chars, a.start, 60);
    if !before.contains("围绕") {
        return false;
    }
    let after: String = chars[a.end..]
        .iter()
        .take_while(|&&c| !is_sentence_end(c))
        .take(100)
        .collect();
    // (The close: the first 等 with 问题 or 议题 a few words on, 等共同关心的经贸问题.)
    let Some(close) = after.match_indices('等').map(|(i, _)| i).find(|&i| {
        let next: String = after[i..].chars().take(16).collect();
        next.contains("问题") || next.contains("议题")
    }) else {
        return false;
    };
    let (list, rest) = after.split_at(close);
    !["达成", "同意", "一致", "决定", "宣布"]
        .iter()
        .any(|w| list.contains(w))
        && ["问题", "议题"].iter().any(|w| rest.contains(w))
        && ["交流", "讨论", "沟通", "磋商", "交换意见"]
            .iter()
            .any(|w| rest.contains(w))
}

/// Whether a count of countries (75个以上…的国家, 超过75个…国家和地区) is named before the act in
/// its sentence, within 60 characters, with no Chinese side between them and the act.
fn for_counted_countries(chars: &[char], a: &Mention) -> bool {
    let reach = a.start.saturating_sub(60);
    let from = (reach..a.start)
        .rev()
        .find(|&i| is_sentence_end(chars[i]))
        .map_or(reach, |i| i + 1);
    let window: Vec<char> = chars[from..a.start].to_vec();
    let text: String = window.iter().collect();
    let Some(at) = text.rfind("国家") else {
        return false;
    };
    let head: String = text[..at]
        .chars()
        .rev()
        .take(40)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let counted = head.char_indices().any(|(i, c)| {
        c == '个'
            && head[..i]
                .chars()
                .next_back()
                .is_some_and(|d| d.is_ascii_digit())
    });
    let rest = &text[at..];
    counted
        && !["中国", "对华", "中方", "华"]
            .iter()
            .any(|w| rest.contains(w) || head.contains(w))
}

/// Where (in characters) the first of `words` in `text` starts, if any does.
fn first_of(text: &str, words: &[&str]) -> Option<usize> {
    words
        .iter()
        .filter_map(|w| text.find(w))
        .min()
        .map(|byte| text[..byte].chars().count())
}

/// Whether any of `words` stands in the first `reach` characters after `end`, in its clause.
fn after_has(chars: &[char], end: usize, reach: usize, words: &[&str]) -> bool {
    let after: String = clause_after(chars, end).take(reach).collect();
    words.iter().any(|w| after.contains(w))
}

/// Whether any of `words` stands within 60 characters of the mention `a`, in its sentence
/// (bounded, so a run-on post is read once per act, not once per act and sentence).
fn near_has(chars: &[char], a: &Mention, words: &[&str]) -> bool {
    let from = a.start.saturating_sub(60);
    let to = (a.end + 60).min(chars.len());
    let start = (from..a.start)
        .rev()
        .find(|&i| is_sentence_end(chars[i]))
        .map_or(from, |i| i + 1);
    let end = (a.end..to)
        .find(|&i| is_sentence_end(chars[i]))
        .unwrap_or(to);
    let text: String = chars[start..end].iter().collect();
    words.iter().any(|w| text.contains(w))
}

/// Whether the clause right after a measure word is a levy (…采取必要措施，对…商品征收关税):
/// the measure is that levy.
fn spelled_out_as_levy(chars: &[char], m: &Mention) -> bool {
    let Some(&next) = chars.get(m.end) else {
        return false;
    };
    if next != '，' && next != ',' {
        return false;
    }
    let after: String = clause_text_after(chars, m.end + 1)
        .chars()
        .take(30)
        .collect();
    after.starts_with('对')
        && ["征收关税", "加征关税", "加征", "征税"]
            .iter()
            .any(|w| after.contains(w))
}

/// Whether a party's 就 opens a topic frame before the act (双方就, 中方就, 同美方就): after
/// an adverb it means "then" (美方随后就取消了…); 就是/就此 are no frame.
fn opened_by_jiu(before: &str) -> bool {
    // (围绕 opens the same frame: 双方围绕美方对华…301措施、…芬太尼关税…等问题，进行了交流.)
    before
        .rfind("围绕")
        .is_some_and(|at| before[at..].chars().count() <= 40)
        || before.rfind('就').is_some_and(|at| {
            let opened = &before[at..];
            let party = before[..at]
                .chars()
                .next_back()
                .is_some_and(|c| "方国队表们部美中首府".contains(c));
            // (A person's name may stand before it when a list follows: 王文涛就美方对华
            // 301关税、半导体政策…等问题表达了关切.)
            (party || opened.contains('、'))
                && !opened.starts_with("就是")
                && !opened.starts_with("就此")
                && opened.chars().count() <= 30
        })
}

/// The text of the act's clause before it, and up to 40 characters after it to the next comma:
/// where a topic frame (就…等问题, 表达了对…的关切) opens and closes.
fn frame_around(chars: &[char], a: &Mention) -> (String, String) {
    let from = clause_start(chars, a.start);
    let before: String = chars[from..a.start].iter().collect();
    let after: String = chars[a.end..]
        .iter()
        .take_while(|&&c| !is_sentence_end(c) && c != '，' && c != ',')
        .take(40)
        .collect();
    (before, after)
}

/// Whether a measure is one of the issues a consensus was reached on (双方就芬太尼关税、稀土
/// 出口管制等议题达成共识): the list names what was settled, not a new measure. (An easing
/// agreed so, 就取消加征关税达成共识, is what was agreed, and is read as such elsewhere.)
fn agreed_issue(chars: &[char], a: &Mention) -> bool {
    let (before, after) = frame_around(chars, a);
    opened_by_jiu(&before)
        && ["等议题", "等问题", "等领域"].iter().any(|w| {
            after.find(w).is_some_and(|at| {
                let rest = &after[at + w.len()..];
                ["达成", "取得", "形成"].iter().any(|v| rest.contains(v))
            })
        })
}

/// Whether the text between an act and a holding verb makes the act's decision the thing
/// held (取消…免税待遇的决定暂缓执行): the decision, measure or plan, right before the verb.
fn decision_held(chars: &[char], act_end: usize, verb: usize) -> bool {
    [
        "的决定",
        "的决定将",
        "的措施",
        "的措施将",
        "的计划",
        "的计划将",
    ]
    .iter()
    .any(|w| {
        let n = w.chars().count();
        verb >= act_end + n && chars[verb - n..verb].iter().copied().eq(w.chars())
    })
}

/// Whether the act at `start` is the object fronted by 将/把 before the verb at `verb`
/// (将原定于10月1日的加税推迟): 将/把 before it in its clause, and nothing between it and the
/// verb that makes it a cause or a background (…加征关税后…下调, 因…, 导致).
fn fronted_object(chars: &[char], start: usize, verb: usize) -> bool {
    let before: String = chars[start.saturating_sub(20)..start]
        .iter()
        .rev()
        .take_while(|&&c| !is_clause_end(c) && !is_sentence_end(c))
        .collect();
    (before.contains('将') || before.contains('把'))
        && !between_has(
            chars,
            start,
            verb,
            &["后", "导致", "因", "背景", "使", "让"],
        )
}

/// Whether the side ending at `end` is the subject of a passive in its clause (中国企业被列入
/// 实体清单, 大量中国企业的海外子公司被自动纳入…): 被 within a short noun phrase after it. 被迫
/// (forced to act), 被称为/被视为/被指 (called, seen, accused) and 被告 (a defendant) are no
/// passive of a measure.
fn passive_subject(chars: &[char], end: usize) -> bool {
    let phrase: Vec<char> = chars[end.min(chars.len())..]
        .iter()
        .take_while(|&&c| !is_clause_end(c) && !is_sentence_end(c))
        .take(20)
        .copied()
        .collect();
    // (Or 受到/遭到 a measure: 中国企业遭到美方制裁.)
    // (Not an effect undergone: 可能受到新一轮关税影响的产品.)
    let undergoes = phrase
        .windows(2)
        .position(|w| matches!(w, ['受' | '遭', '到']))
        .map(|i| i + 1)
        .filter(|&i| {
            let effect: String = clause_text_after(chars, end + i + 1)
                .chars()
                .take(12)
                .collect();
            !["影响", "冲击", "波及", "打击"]
                .iter()
                .any(|w| effect.contains(w))
        });
    let Some(at) = phrase.iter().position(|&c| c == '被').or(undergoes) else {
        return false;
    };
    let after: String = phrase[at + 1..].iter().take(2).collect();
    // (Adverbs on 被 itself are the passive's: 专为中国市场设计的芯片也将被禁止出口, 中国企业将
    // 被禁止进口.)
    let mut noun_end = at;
    while noun_end > 0 && "也将已还".contains(phrase[noun_end - 1]) {
        noun_end -= 1;
    }
    let noun_phrase = &phrase[..noun_end];
    ![
        "迫", "称", "视", "指", "告", "认", "评", "批", "质", "誉", "要", "曝", "爆", "传", "动",
    ]
        .iter()
        .any(|w| after.starts_with(w))
        // (Only a noun phrase between: no verb of its own, 中国表示被…, 美方将被….)
        && !noun_phrase
            .iter()
            .any(|c| "说称示将会已曾也还再要想应".contains(*c))
}

/// One of `verbs` before `at` in its clause, within `reach` characters, that governs the act
/// at `at`: none of `breakers` (a second verb, a conjunction) stands between them. Returns
/// the clause's words before that verb, for the caller's own checks.
fn governing_verb_before(
    chars: &[char],
    at: usize,
    reach: usize,
    verbs: &[&str],
    breakers: &[&str],
) -> Option<String> {
    let before = clause_text_before(chars, at, reach);
    verbs.iter().find_map(|w| {
        let i = before.rfind(w)?;
        let between = &before[i + w.len()..];
        (!breakers.iter().any(|b| between.contains(b))).then(|| before[..i].to_string())
    })
}

/// Whether the text from `from` to `to` holds any of `words`.
fn between_has(chars: &[char], from: usize, to: usize, words: &[&str]) -> bool {
    let between: String = chars[from.min(to)..to].iter().collect();
    words.iter().any(|w| between.contains(w))
}

/// Words after a tightening or a faced measure that make it cooperation or a risk, not a
/// measure (加强…领域的沟通, 面临…关税风险, 面临…国内压力).
const NOT_A_MEASURE: &[&str] = &[
    "合作",
    "沟通",
    "协调",
    "交流",
    "对话",
    "领域",
    "征管",
    "风险",
    "压力",
    "挑战",
    "不确定",
    "冲击",
    "影响",
];
/// Words after a measure that make it the subject of its effects (an argument).
const EFFECT_WORDS: &[&str] = &[
    "给",
    "使",
    "让",
    "只会",
    "只能",
    "导致",
    "将导致",
    "会导致",
    "带来",
    "的影响",
    "的后果",
    "的代价",
    "有利",
    "伤害",
    "损害",
    "推高",
    "对美国",
    "对美方",
    "并不能",
    "不能",
    "无法",
    // What they are likened to (加征关税就等于从中国口袋中白拿钱, 加征的关税仿佛是馅饼), or
    // whether they are (加征关税是灵丹妙药?), or what they cannot do (关税大棒打不垮中国经济).
    "是",
    "打不垮",
    "压不垮",
    "打不倒",
    "吓不倒",
    "挡不住",
    "就等于",
    "等于",
    "仿佛",
    "无异于",
    "好比",
    // What rules they break (单边加征关税严重违反世贸组织规则).
    "违反",
    "违背",
    "严重",
    // Who pays for them (加征关税最终由美国消费者买单).
    "最终",
    "由美国",
    "由消费者",
    "将由",
];
/// Negations of a purchase that say it stopped (没有进口, 未采购, 不再购买).
const PAST_NEGATIONS: &[&str] = &["没有", "未", "并未", "尚未", "不再", "并没有", "从未"];

/// `text` with every 日 that ends a date (after a digit) written as 号.
fn undate(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains('日') {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut prev = ' ';
    for c in text.chars() {
        // 6日, 二十日, and the time words 近日/今日/昨日/当日/每日…: a day, not Japan
        // ("近日美方宣布" is the US, not the pair 日美).
        let date_day = c == '日'
            && (prev.is_ascii_digit()
                || "一二三四五六七八九十近今昨明当每次翌同本连多前".contains(prev));
        out.push(if date_day { '号' } else { c });
        prev = c;
    }
    std::borrow::Cow::Owned(out)
}

/// Words that start with the second character of a China–third-country pair (中加, 中新, 中以…):
/// after 中 they make 中 "in", not China (清单中加征, 中新网, 谈判中以及, 心中希望, 中南海).
const AFTER_ZHONG: &[&str] = &[
    "加征",
    "加入",
    "加大",
    "加快",
    "加强",
    "加紧",
    "加速",
    "加剧",
    "加码",
    "加息",
    "加税",
    "加上",
    "加以",
    "新网",
    "新社",
    "新一",
    "新的",
    "新增",
    "新闻",
    "新兴",
    "新冠",
    "越来",
    "老年",
    "老百",
    "老师",
    "英文",
    "英雄",
    "巴士",
    "巴车",
    "泰证",
    "非常",
    "非法",
    "法律",
    "法规",
    "法院",
    "法治",
    "印象",
    "印发",
    "马上",
    "马克",
    "土地",
    "以及",
    "以上",
    "以下",
    "以后",
    "以前",
    "以为",
    "以来",
    "伊始",
    "希望",
    "波动",
    "阿里",
    "蒙受",
    "朝着",
    "朝向",
    "古代",
    "古老",
    "南海",
    "南部",
    "南方",
    "意见",
    "意味",
    "意义",
    "意外",
    "意向",
    "意识",
    "委员",
    "委托",
    "智能",
    "智慧",
    "秘书",
    "秘密",
    "拉动",
    "拉开",
    "奥运",
    "澳门",
    "欧元",
    "日报",
    "日前",
    "日内",
    "德国人",
];

/// `text` with every 中 that begins one of `AFTER_ZHONG`'s words written as 〇 (both are three
/// bytes and one char, so every offset stays). Allocates only when there is one.
fn unpair(text: &str) -> std::borrow::Cow<'_, str> {
    let traps: Vec<usize> = text
        .match_indices('中')
        .filter(|&(i, z)| {
            let rest = &text[i + z.len()..];
            // 日内瓦 is Geneva, not 日内 (within days): 美中日内瓦会谈 is the pair.
            AFTER_ZHONG.iter().any(|w| rest.starts_with(w)) && !rest.starts_with("日内瓦")
        })
        .map(|(i, _)| i)
        .collect();
    if traps.is_empty() {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = text.to_string();
    for i in traps {
        out.replace_range(i..i + '中'.len_utf8(), "〇");
    }
    std::borrow::Cow::Owned(out)
}

/// Whether the conditional easing at `a` is a side's offer: it answers a condition named
/// in an earlier clause (如果美方取消全部单边加征关税，中方也将相应取消; 只要北京同意…，
/// 我愿意把关税降至30%), so it is a commitment to an easing, which LABELS.md counts. The
/// easing in the condition itself is no offer, nor is one that only follows from it (只有
/// 美方取消关税，关系才能缓和).
fn offered_in_answer(s: &Sentence, a: &Mention, e: &CodedEvent) -> bool {
    e.action.class == ActionClass::Ease
        && e.mode == Mode::Conditional
        && matches!(e.actor, Participant::Side(side) if us_or_china(side))
        && !s.sides.conditional_clauses.contains(&a.clause)
        && s.sides.conditional_clauses.iter().any(|&c| c < a.clause)
        && !s.chars[clause_start_within(s.chars, a.start, 30)..a.start].contains(&'才')
}

/// Whether the act at `a` describes a noun after it as what was done before (此前暂停的
/// 24%关税, 之前移出实体清单的企业, 已暂停的反制措施): a past marker just before it and 的
/// soon after it in its clause.
fn attributive_past(chars: &[char], a: &Mention) -> bool {
    let from = clause_start(chars, a.start).max(a.start.saturating_sub(4));
    let before: String = chars[from..a.start].iter().collect();
    let after: String = clause_after(chars, a.end).take(12).collect();
    // (已 only right before 的: 已暂停对华加征的关税 is a suspension, 的 closing what it
    // suspends.)
    // (Not what was agreed or decided, 曾达成停止加征新关税的共识: the 的 closes the
    // agreement, whose content the easing is.)
    let agreed = ["的共识", "的协议", "的承诺", "的约定", "的决定", "的安排"]
        .iter()
        .any(|w| after.contains(w))
        && ["达成", "同意", "作出", "做出", "宣布"]
            .iter()
            .any(|w| before.contains(w));
    let reach = if agreed {
        return false;
    } else if ["此前", "之前", "先前", "早前", "曾", "原先"]
        .iter()
        .any(|w| before.contains(w))
    {
        12
    } else if before.ends_with('已') {
        1
    } else {
        return false;
    };
    after
        .chars()
        .take(reach)
        .position(|c| c == '的')
        .is_some_and(|i| after.chars().nth(i + 1).is_some())
}

/// Whether a turn to another statement (但, 不过, 同时, 并表示…) stands between `from` and
/// `to`: a denial on one side of it says nothing of an act on the other.
fn turn_between(chars: &[char], from: usize, to: usize) -> bool {
    // (A turn is read within 120 characters: further apart, the denial stands, and a run-on
    // sentence of many acts is not read once per pair.)
    if from >= to || to - from > 120 {
        return false;
    }
    let between: String = chars[from..to].iter().collect();
    between
        .match_indices('但')
        .any(|(i, _)| !between[..i].ends_with('不'))
        || ["不过", "然而", "同时", "并表示", "并称", "并证实", "却"]
            .iter()
            .any(|w| between.contains(w))
}

/// Whether the third party at `m` is where goods come from in a phrase naming Chinese or
/// US buyers after it: a word of buying just before it and 的中国/的美国 (or 的中资) soon
/// after it in its clause.
fn source_of_the_buyers(chars: &[char], m: &Mention) -> bool {
    let before: String = chars
        [clause_start(chars, m.start).max(m.start.saturating_sub(3))..m.start]
        .iter()
        .collect();
    let after: String = clause_after(chars, m.end).take(14).collect();
    let bought = ["进口", "购买", "采购", "买"];
    (bought.iter().any(|w| before.ends_with(w))
        || before.ends_with('从') && bought.iter().any(|w| after.starts_with(w)))
        && ["的中国", "的中资", "的美国", "的中方"]
            .iter()
            .any(|w| after.contains(w))
}

/// Whether the third party at `m` is the route of a side's goods: after 经, 经由, 借道, 途经,
/// 通过 or 在, with 转运, 转口, 中转 or 组装 after it and 中国 or 美国 within 16 characters
/// of it in its clause.
fn route_of_the_goods(chars: &[char], m: &Mention) -> bool {
    let before: String = chars[m.start.saturating_sub(2)..m.start].iter().collect();
    let via = ["经由", "借道", "途经", "通过"].contains(&before.as_str())
        || before.ends_with('经')
        || before.ends_with('在');
    if !via {
        return false;
    }
    let after: String = clause_after(chars, m.end).take(16).collect();
    ["转运", "转口", "中转", "组装"]
        .iter()
        .any(|w| after.contains(w))
        && ["中国", "美国"].iter().any(|w| after.contains(w))
}

/// Where US goods arrive in China: ports, terminals, and the port cities of the trade.
const ARRIVAL_PLACES: &[&str] = &[
    "港",
    "中国",
    "接收站",
    "码头",
    "口岸",
    "大连",
    "天津",
    "青岛",
    "上海",
    "宁波",
    "舟山",
    "连云港",
    "江门",
    "湛江",
    "广州",
    "深圳",
    "厦门",
    "日照",
    "南通",
    "如东",
    "北良",
    "我国",
    "国内",
];

/// The text of the sentence before `at`, read at most `reach` characters back (a post with no
/// sentence end is not rescanned per act).
fn sentence_text_before(chars: &[char], at: usize, reach: usize) -> String {
    let from = at.saturating_sub(reach);
    let start = chars[from..at]
        .iter()
        .rposition(|&c| is_sentence_end(c))
        .map_or(from, |i| from + i + 1);
    chars[start..at].iter().collect()
}

/// The text of the clause before `at`, read at most `reach` characters back.
fn clause_text_before(chars: &[char], at: usize, reach: usize) -> String {
    chars[clause_start_within(chars, at, reach)..at]
        .iter()
        .collect()
}

/// Whether the act at `a` is the premise of 只有…才 (只有美方取消全部关税，…才能…).
fn only_if_premise(chars: &[char], a: &Mention) -> bool {
    let before = clause_text_before(chars, a.start, 30);
    (before.contains("只有") || before.contains("唯有"))
        && chars[a.end..]
            .iter()
            .take(60)
            .take_while(|&&c| !is_sentence_end(c))
            .any(|&c| c == '才')
}

/// Whether the easing at `a` is the subject of a judgement on it (取消全部加征关税是达成任何
/// 协议的前提条件; 撤销关税本是纠错; 取消关税理应是美方首先要做的): an argument about the
/// easing, not news of one.
fn judged(chars: &[char], a: &Mention) -> bool {
    const JUDGEMENTS: [&str; 11] = [
        "前提",
        "先决",
        "条件",
        "关切",
        "纠错",
        "应有之义",
        "要做的",
        "诉求",
        "底线",
        "筹码",
        "第一步",
    ];
    let after: String = clause_after(chars, a.end).take(32).collect();
    let Some(k) = after.find('是') else {
        return false;
    };
    let between = &after[..k];
    between.chars().count() <= 14
        && !["将", "已", "的是", "就", "还", "不"]
            .iter()
            .any(|w| between.contains(w))
        && {
            let judgement: String = after[k..].chars().take(16).collect();
            JUDGEMENTS.iter().any(|w| judgement.contains(w))
        }
}

/// Whether an event of this class in this mode carries its label (LABELS.md).
fn counts(class: ActionClass, mode: Mode) -> bool {
    match mode {
        Mode::Denied | Mode::Principle | Mode::Demanded | Mode::Mentioned | Mode::Forecast => false,
        // "Only if a deal is reached" is not an easing; a conditional vow is an escalation;
        // a conditional offer of talks is an offer.
        Mode::Conditional => class != ActionClass::Ease,
        Mode::Actual | Mode::Planned | Mode::Threatened | Mode::Recap => true,
    }
}

/// One side of an event: a side, or China and the US together.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Participant {
    Side(SideId),
    UsChina,
}

impl Participant {
    fn code(self, book: &Codebook) -> String {
        match self {
            Participant::Side(s) => book.side(s).code.clone(),
            Participant::UsChina => "CHN+USA".into(),
        }
    }
}

/// The sides named in one sentence, with their places and roles.
struct SentenceSides {
    /// (char start, clause, side, is_target)
    named: Vec<(usize, usize, SideId, bool)>,
    /// Sides right after 针对, with the first 的 after them in their clause: what 针对
    /// answers runs to that 的.
    answered_after_zhendui: Vec<(usize, usize)>,
    /// (char start, clause, pair)
    pairs: Vec<(usize, usize, Participant)>,
    /// Third parties in the sentence (their clauses).
    third_clauses: Vec<usize>,
    /// Starts of China or US mentions joined to a third party by 与/和/同/跟 (美国与印度达成
    /// 贸易协议): that side acts with the third party, so it does not pair with the other.
    joined_to_third: Vec<usize>,
    /// Starts of China or US mentions marked by 与 as the partner of a third party named
    /// before them across a title or a clause break (莫迪…，并与国家主席习近平会晤).
    partner_of_third: Vec<usize>,
    /// Starts of side mentions that speak the sentence (商务部新闻发言人表示，…): a verb of
    /// saying follows them in their clause.
    speakers: Vec<usize>,
    /// Starts of 美方 mentions: "the US side" is China's word for its counterpart, so an act
    /// of 美方 with no target named (美方取消了91%的加征关税) falls on China.
    us_side_facing_china: Vec<usize>,
    /// Clauses that state a condition (如果美方执意加征关税，…): the side named there is the
    /// one the condition is about, not the one that acts in the clauses after it.
    conditional_clauses: Vec<usize>,
    /// Starts of side mentions marked as what an act falls on by 对 or 向 (对包括中国在内的…).
    marked_by_dui: Vec<usize>,
    /// Whether a sentence before this one names a third party.
    third_earlier: bool,
    /// The sides (bit per side) named in the sentences before this one.
    named_before: u64,
}

impl SentenceSides {
    fn read(
        book: &Codebook,
        ms: &[&Mention],
        chars: &[char],
        us_china_post: bool,
        third_pair_before: &[usize],
    ) -> Self {
        let mut s = SentenceSides {
            named: Vec::new(),
            answered_after_zhendui: Vec::new(),
            pairs: Vec::new(),
            third_clauses: Vec::new(),
            joined_to_third: Vec::new(),
            partner_of_third: Vec::new(),
            speakers: Vec::new(),
            us_side_facing_china: Vec::new(),
            conditional_clauses: ms
                .iter()
                .filter(|m| {
                    let p = &book.patterns[m.pattern];
                    p.kinds.contains(&Kind::Cue(Cue::Conditional))
                        && CONDITIONS.contains(&p.term.as_str())
                        // 若干 is "several".
                        && !(p.term == "若" && chars.get(m.end) == Some(&'干'))
                })
                .map(|m| m.clause)
                .collect(),
            marked_by_dui: Vec::new(),
            third_earlier: false,
            named_before: 0,
        };
        // (start, end, side) of each side mention, for the joins below.
        let mut spans: Vec<(usize, usize, SideId)> = Vec::new();
        let ours = us_or_china;
        let side_of = |x: &Mention| {
            book.patterns[x.pattern]
                .kinds
                .iter()
                .find_map(|k| match *k {
                    Kind::Side(id) => Some(id),
                    _ => None,
                })
        };
        // Whether the last pair named before the 双方/两国 at `both` in its sentence is a
        // third pair: a pair word naming a third party (中欧, 美日), or two sides joined by
        // 与/和/同/跟 that are not China and the US (日本与美国, 印尼与欧盟). A China–US pair, or
        // none, is not.
        // With no pair in the sentence, the two sides named last before it in the post
        // decide (加拿大…与美国重启贸易谈判。…加拿大总理表示，两国将力争…: Canada and the US).
        let last_pair_third = |both: &Mention| {
            for (i, x) in ms.iter().enumerate().rev() {
                if x.end > both.start {
                    continue;
                }
                for k in &book.patterns[x.pattern].kinds {
                    if let Kind::Pair(Pair::Sides(a, b)) = *k {
                        return !(ours(a) && ours(b));
                    }
                }
                let (Some(b), Some(y)) = (side_of(x), i.checked_sub(1).map(|j| ms[j])) else {
                    continue;
                };
                // (A place after 在 is where, not who: 在北京与中国国务院总理李强会谈.)
                let joined = y.end + 1 == x.start
                    && matches!(
                        chars.get(y.end),
                        Some('与' | '和' | '同' | '跟' | '及' | '—' | '-' | '－')
                    )
                    && !(y.start > 0 && chars[y.start - 1] == '在');
                if let (true, Some(a)) = (joined, side_of(y)) {
                    return !(ours(a) && ours(b));
                }
                // A partner after 与 and a title (印度总理莫迪…，并与国家主席习近平会晤，双方
                // 同意…) is joined to the subject named before it in the sentence.
                if partnered_across_title(chars, x.start) {
                    let earlier = ms[..i]
                        .iter()
                        .filter(|w| w.sentence == x.sentence && w.clause < x.clause)
                        .filter(|w| side_of(w).is_some());
                    let prev = earlier.clone().map(|w| w.clause).max();
                    if let Some(a) = earlier
                        .filter(|w| Some(w.clause) == prev)
                        .find_map(|w| side_of(w))
                    {
                        return !(ours(a) && ours(b));
                    }
                }
            }
            // Only third parties named before it in the sentence (辛鲍姆在社交媒体上表示，这次
            // 通话非常好，双方…): their pair. (Not a host named for the time, 日本G20峰会期间
            // 习特共进晚宴，双方…)
            let before: Vec<SideId> = ms
                .iter()
                .filter(|x| x.end <= both.start)
                .filter(|x| {
                    let rest: String = clause_text_after(chars, x.end).chars().take(12).collect();
                    !["期间", "峰会", "会议"].iter().any(|w| rest.contains(w))
                })
                .filter_map(|x| side_of(x))
                .collect();
            if !before.is_empty() && before.iter().all(|&x| !ours(x)) {
                return true;
            }
            third_pair_before.contains(&both.start)
        };
        for m in ms {
            let p = &book.patterns[m.pattern];
            for k in &p.kinds {
                match *k {
                    Kind::Side(id) => {
                        // A former official (美国前财长保尔森, 美国前总统卡特) no longer speaks
                        // or acts for the side; a named one still carries it (特朗普).
                        if former_official_after(chars, m.end) {
                            continue;
                        }
                        // A third country where the two sides meet (中美两国元首在阿根廷会晤)
                        // is the venue, not a party; an institution's rules (按照世贸组织规则)
                        // are a frame.
                        if id != CHN && id != USA && (venue_at(chars, m) || rules_of(chars, m, p)) {
                            continue;
                        }
                        // A side named for comparison (日本不会像中国那样对美国采取报复措施)
                        // is neither who acts nor whom the act falls on.
                        if compared_side(chars, m) {
                            continue;
                        }
                        // A side excepted (对除中国以外的国家暂停对等关税) is not who acts nor
                        // whom the act falls on: the others are, parties the codebook does not
                        // name. (免除特朗普的关税, 解除, 排除…: 除 ends a verb there.)
                        // (So does 除了 after such a verb: 美方解除了对华出口限制.)
                        let verb_chu =
                            |at: usize| "免排解删消废移清剔去拆革扣撤破根".contains(chars[at]);
                        let verb_ends_with_chu = m.start > 1 && verb_chu(m.start - 2);
                        if m.start > 0 && chars[m.start - 1] == '除' && !verb_ends_with_chu
                            || m.start > 1
                                && chars[m.start - 2..m.start] == ['除', '了']
                                && !(m.start > 2 && verb_chu(m.start - 3))
                        {
                            s.third_clauses.push(m.clause);
                            continue;
                        }
                        // A group that includes China or the US (对包括中国在内的六十多个贸易
                        // 伙伴): the side named inside 包括…在内 counts, the group is no third
                        // party.
                        if !ours(id)
                            && spans.last().is_some_and(|&(start, end, side)| {
                                ours(side)
                                    && m.start >= end
                                    && m.start - end <= 12
                                    && chars[end..m.start]
                                        .iter()
                                        .collect::<String>()
                                        .contains("在内")
                                    && chars[start.saturating_sub(3)..start]
                                        .iter()
                                        .collect::<String>()
                                        .contains("包括")
                            })
                        {
                            continue;
                        }
                        // A count that sums up a list (对中国、越南等50个国家, 对中国等75个以上的
                        // 国家和地区): the sides named in the list count, the count is no third
                        // party of its own.
                        if !ours(id) && sums_up_a_list(chars, m.start, &spans) {
                            continue;
                        }
                        // Where goods bought come from, inside the phrase that names the
                        // buyer (对继续进口俄罗斯石油的中国加征关税, 对购买伊朗石油的中国企业):
                        // a source, not a party.
                        if !ours(id) && source_of_the_buyers(chars, m) {
                            continue;
                        }
                        // So is the country goods are routed through (对经越南转运的中国产
                        // 胶合板征收…关税, 在泰国组装的中国光伏组件).
                        if !ours(id) && route_of_the_goods(chars, m) {
                            continue;
                        }
                        // A ministry right after a third party's name (印度商务部长, 日本外交部)
                        // is that party's, not China's; so are its exports (越南输美商品).
                        let id = match spans.last() {
                            Some(&(_, end, third))
                                if id == CHN
                                    && third != CHN
                                    && third != USA
                                    && (ministry_of_the_party_before(chars, end, m.start, &p.term)
                                        // (墨西哥所有输美商品: a word or two between.)
                                        || p.term.starts_with("输美")
                                            && end <= m.start
                                            && m.start - end <= 4
                                            && !chars[end..m.start].iter().any(|&c| {
                                                is_clause_end(c) || is_sentence_end(c)
                                            })) =>
                            {
                                third
                            }
                            // So is a congress right after a third party's name (墨西哥国会):
                            // 国会 alone is the US one.
                            Some(&(_, end, third))
                                if id == USA
                                    && p.term == "国会"
                                    && end == m.start
                                    && third != CHN
                                    && third != USA =>
                            {
                                third
                            }
                            // A minister named by title and name (商务部长霍华德·卢特尼克,
                            // 财政部长贝森特) is the named official's: the title alone is
                            // not China's.
                            _ if id == CHN
                                && MINISTRIES.contains(&p.term.as_str())
                                && chars.get(m.end) == Some(&'长') =>
                            {
                                ms.iter()
                                    .find(|x| {
                                        x.start > m.end
                                            && x.start - m.end <= 10
                                            && x.clause == m.clause
                                            && (x.start == m.end + 1
                                                || chars[m.end + 1..x.start].contains(&'·'))
                                    })
                                    .and_then(|x| {
                                        book.patterns[x.pattern].kinds.iter().find_map(|k| match *k
                                        {
                                            Kind::Side(s) if s != CHN => Some(s),
                                            _ => None,
                                        })
                                    })
                                    .unwrap_or(id)
                            }
                            _ => id,
                        };
                        let before = m.start.checked_sub(1).and_then(|i| chars.get(i)).copied();
                        // 对 ending a verb (反对美方将…, 应对美国加征, 针对美方加征关税) marks no
                        // target: the side is the subject of what is opposed or answered.
                        // (针对美国的措施 still names the target.)
                        let before = match m.start.checked_sub(2).and_then(|i| chars.get(i)) {
                            Some('反' | '应' | '面' | '绝' | '相') if before == Some('对') => {
                                None
                            }
                            Some('针')
                                if before == Some('对') && chars.get(m.end) != Some(&'的') =>
                            {
                                None
                            }
                            // 应 ending a verb (回应美国…, 响应, 答应) is no "at the request of".
                            Some(
                                '回' | '响' | '答' | '反' | '供' | '适' | '相' | '理' | '效' | '对',
                            ) if before == Some('应') => None,
                            // 于 ending a verb of belonging or lying (属于国会, 在于美方, 取决于
                            // 美方) marks no target either.
                            Some('属' | '在' | '决' | '等' | '归' | '利' | '由' | '处')
                                if before == Some('于') =>
                            {
                                None
                            }
                            // (Nor does 关于/至于, "as for", before a side named as 美方 or
                            // 中方: 关于美方宣布对中国…加征关税. 关于美国部分农产品 names
                            // goods.)
                            Some('关' | '至') if before == Some('于') && p.term.ends_with('方') => {
                                None
                            }
                            _ => before,
                        };
                        // 对美/输华… carry the target role in the word itself.
                        let first = p.term.chars().next().unwrap_or(' ');
                        // A side that modifies goods right after it (中国进口货品, 美国商品)
                        // names what a measure falls on.
                        // (Made in: 中国产医疗物资, not 中国产业 or 中国生产.)
                        let made_in = chars.get(m.end) == Some(&'产')
                            && chars
                                .get(m.end + 1)
                                .is_some_and(|c| !"业能量值生出区地".contains(*c));
                        // (A sum may stand between: 中国3000亿美元输美商品, 美国约600亿美元商品.)
                        let goods_at = m.end + sum_after(chars, m.end);
                        let goods_after = made_in
                            || GOODS_AFTER_SIDE.iter().any(|g| {
                                g.chars()
                                    .enumerate()
                                    .all(|(k, c)| chars.get(goods_at + k) == Some(&c))
                            });
                        let target = goods_after
                            || before.is_some_and(marks_target)
                            || object_of_ba(chars, m.start)
                            // 对包括中国在内的…: 包括 inside the marked phrase.
                            || (m.start >= 3
                                && chars[m.start - 2..m.start] == ['包', '括']
                                && marks_target(chars[m.start - 3]))
                            // 原产美国的煤炭: where goods come from.
                            || (m.start >= 2 && chars[m.start - 2..m.start] == ['原', '产'])
                            || (p.term.chars().count() == 2 && marks_target(first))
                            || p.term.starts_with('对')
                            || p.term.contains("向华为")
                            || p.term.contains("对华为")
                            || p.term.starts_with('输')
                            || p.term.starts_with('访')
                            || p.term.starts_with('赴')
                            || p.term.starts_with('抵')
                            // Goods are what a measure falls on, never who takes it.
                            || p.term.ends_with("商品")
                            || p.term.ends_with("产品")
                            || p.term.ends_with('货')
                            || p.term.ends_with("大豆")
                            || p.term.ends_with("农产品")
                            // A tariff named for its side (芬太尼关税) falls on it; imports
                            // from a side (自美进口) come from it.
                            || p.term.ends_with("关税")
                            || p.term.contains("自美")
                            // The side another follows or bows to (追随美国, 在美国压力下)
                            // does not take the measure.
                            || followed_side(chars, m.start, m.end)
                            // The subject of a passive (大量中国企业的海外子公司被纳入美方
                            // 出口管制范围) is what the act falls on.
                            || passive_subject(chars, m.end)
                            // A firm named after the US in its clause (美国决定给予华为临时
                            // 许可, 美国延长华为的许可) is what the US acts on.
                            || (p.kinds.iter().any(|k| {
                                matches!(k, Kind::Instrument(i) if book.instruments[*i as usize].firms)
                            }) && s.named.iter().any(|n| n.1 == m.clause && n.2 == USA));
                        let by_dui = |c: Option<&char>| matches!(c, Some('对' | '向'));
                        if by_dui(before.as_ref())
                            || (m.start >= 3
                                && chars[m.start - 2..m.start] == ['包', '括']
                                && by_dui(chars.get(m.start - 3)))
                        {
                            s.marked_by_dui.push(m.start);
                        }
                        // (It runs to its own act too: 中方针对美方加征关税采取反制措施.)
                        if m.start >= 2 && chars[m.start - 2..m.start] == ['针', '对'] {
                            let de = clause_after(chars, m.end)
                                .position(|&c| c == '的')
                                .map(|i| m.end + i);
                            let own_act = ms
                                .iter()
                                .find(|x| {
                                    x.clause == m.clause
                                        && x.start >= m.end
                                        && book.patterns[x.pattern]
                                            .kinds
                                            .iter()
                                            .any(|k| matches!(k, Kind::Action(_)))
                                })
                                .map(|x| x.end - 1);
                            if let Some(end) = de.into_iter().chain(own_act).min() {
                                s.answered_after_zhendui.push((m.start, end));
                            }
                        }
                        s.named.push((m.start, m.clause, id, target));
                        spans.push((m.start, m.end, id));
                        // Unless its act is marked as falling on someone the codebook does
                        // not know (美方应放弃对伊单边制裁, 美方对进口钢铁加征关税).
                        if id == USA
                            && p.term.starts_with("美方")
                            && !clause_after(chars, m.end).any(|c| matches!(c, '对' | '向'))
                        {
                            s.us_side_facing_china.push(m.start);
                        }
                        if !target && speaks_after(chars, m.end, 12) {
                            s.speakers.push(m.start);
                        }
                        if id != CHN && id != USA {
                            s.third_clauses.push(m.clause);
                        }
                    }
                    Kind::Pair(Pair::Sides(a, b)) => {
                        // (The pair's word right after a third party is that party's conflict:
                        // 日韩myz is Japan and Korea's.)
                        let after_third = ms.iter().any(|x| {
                            x.end == m.start
                                && book.patterns[x.pattern].kinds.iter().any(|k| {
                                    matches!(k, Kind::Side(id) if !ours(*id))
                                        || matches!(k, Kind::Pair(Pair::Sides(c, d)) if !ours(*c) || !ours(*d))
                                })
                        });
                        if after_third {
                            s.third_clauses.push(m.clause);
                        } else if (a == CHN && b == USA) || (a == USA && b == CHN) {
                            s.pairs.push((m.start, m.clause, Participant::UsChina));
                        } else {
                            let third = if a == CHN || a == USA { b } else { a };
                            s.third_clauses.push(m.clause);
                            s.named.push((m.start, m.clause, third, false));
                        }
                    }
                    // 双方 right after a pair or a third party (美俄双方, 朝美双方) is that
                    // pair, already read.
                    Kind::Pair(Pair::Both)
                        if ms.iter().any(|x| {
                            x.end == m.start
                                && book.patterns[x.pattern].kinds.iter().any(|k| {
                                    matches!(k, Kind::Pair(Pair::Sides(..)))
                                        || matches!(k, Kind::Side(id) if *id != CHN && *id != USA)
                                })
                        }) => {}
                    // 双方 right after two countries' one-character names (俄乌双方, 美伊双方,
                    // 泰柬双方同意停火) is that pair, which the codebook does not name.
                    Kind::Pair(Pair::Both) if abbreviated_third_pair_before(chars, m.start) => {
                        s.third_clauses.push(m.clause);
                    }
                    // 双方/两国 after a third pair named earlier in the sentence (中欧经贸关系，
                    // 双方…; 日本与美国的关税谈判是两国之间的事) is that pair, not China and the US.
                    Kind::Pair(Pair::Both) if us_china_post && last_pair_third(m) => {
                        s.third_clauses.push(m.clause);
                    }
                    Kind::Pair(Pair::Both) if us_china_post => {
                        s.pairs.push((m.start, m.clause, Participant::UsChina));
                    }
                    _ => {}
                }
            }
        }
        // A side named again inside the target's phrase (对美国芯片巨头美光展开…: 美光 is the
        // 美国 just marked) is the target too, not the actor: same side, same clause, no verb
        // between.
        // So is a side listed after a target (对原产于欧盟、美国、日本…, 对中国、越南等国):
        // the list is what the measure falls on.
        for i in 1..s.named.len() {
            let (prev, cur) = (s.named[i - 1], s.named[i]);
            let listed = cur.0 > 0 && chars.get(cur.0 - 1) == Some(&'、');
            // A government body or a speaker after the target (美对华芯片禁令 中国外交部回应)
            // begins a clause of its own; so does anything after a space or a colon.
            let own_clause = s.speakers.contains(&cur.0)
                || chars[prev.0.min(cur.0)..cur.0]
                    .iter()
                    .any(|c| c.is_whitespace() || matches!(c, '：' | ':' | '】' | '」'))
                || spans.iter().any(|&(st, en, _)| {
                    st == cur.0 && {
                        let t: String = chars[st..en].iter().collect();
                        MINISTRIES.iter().any(|m| t.ends_with(m)) || t.ends_with("部")
                    }
                });
            if prev.3
                && !cur.3
                && !own_clause
                && (prev.2 == cur.2 || listed)
                && prev.1 == cur.1
                && cur.0 - prev.0 <= 12
                && !ms.iter().any(|m| {
                    m.start > prev.0
                        && m.start < cur.0
                        && book.patterns[m.pattern]
                            .kinds
                            .iter()
                            .any(|k| matches!(k, Kind::Action(_)))
                })
            {
                s.named[i].3 = true;
            }
        }
        for w in spans.windows(2) {
            let ((s0, e0, a), (s1, _, b)) = (w[0], w[1]);
            let joined = e0 < s1
                && (s1 - e0 == 1
                    && matches!(chars.get(e0), Some('与' | '和' | '同' | '跟' | '及'))
                    // (Or with when between: 欧方近期与美方签署的贸易协议.)
                    || s1 - e0 <= 4 && matches!(chars.get(s1 - 1), Some('与' | '同' | '跟')) && {
                        let when: String = chars[e0..s1 - 1].iter().collect();
                        ["近期", "日前", "此前", "早前", "最近", "刚刚", "刚", "已", "曾", "也", "还"]
                            .contains(&when.as_str())
                    });

            // (Targets listed after 对 are not a party joined: 对中国和欧盟的钢铁征收关税
            // falls on each.)
            let listed_targets = s.named.iter().any(|n| n.0 == s0 && n.3);
            if joined && ours(a) != ours(b) && !listed_targets {
                s.joined_to_third.push(if ours(a) { s0 } else { s1 });
            }
        }
        s.drop_bystanders_in_lists(chars, &spans);
        s.drop_third_topics(chars);
        // A partner marked by 与 after a title or a clause break (印度总理莫迪赴天津…，并与
        // 国家主席习近平会晤; 郑丽君率团赴华府，与美国贸易代表署进行磋商): its counterpart
        // is the subject of the nearest clause before that names a side, the first side
        // there (not 华府, where it went).
        for n in &s.named {
            if n.3 || !partnered_across_title(chars, n.0) {
                continue;
            }
            let prev = s.named.iter().filter(|x| x.1 < n.1).map(|x| x.1).max();
            let subject = s.named.iter().find(|x| Some(x.1) == prev && !x.3);
            if subject.is_some_and(|x| ours(x.2) != ours(n.2)) {
                s.partner_of_third.push(n.0);
            }
        }
        s
    }

    /// Third parties listed beside China or the US (对原产于欧盟、美国和日本的…征收反倾销税;
    /// 中国和加拿大相继宣布对美国商品加征报复性关税) share the act with them: the event
    /// between China and the US stands, and the others are bystanders to it. A list is sides
    /// in one clause joined by 、/和/及/与/以及; it counts when it is the act's target (its first
    /// side is marked as one), or when it acts and the other of China and the US is named as
    /// a target in its clause.
    /// Third parties named as topics of talks (两人在电话中谈及乌克兰、台湾及双边贸易等议题,
    /// 就伊朗问题交换意见) are what was discussed, not parties to the talks.
    fn drop_third_topics(&mut self, chars: &[char]) {
        let topic = |at: usize, end: usize| {
            let before = clause_text_before(chars, at, 12);
            let after: String = clause_after(chars, end).take(16).collect();
            ["谈及", "谈到", "讨论", "涉及", "就", "围绕"]
                .iter()
                .any(|w| before.contains(w))
                && ["议题", "问题", "局势"].iter().any(|w| after.contains(w))
        };
        let dropped: Vec<usize> = self
            .named
            .iter()
            .filter(|n| n.2 != CHN && n.2 != USA && !n.3)
            .filter(|n| {
                let end = n.0
                    + clause_after(chars, n.0)
                        .take_while(|c| c.is_alphanumeric())
                        .count()
                        .min(8);
                topic(n.0, end)
            })
            .map(|n| n.0)
            .collect();
        for at in dropped {
            if let Some(k) = self.named.iter().position(|n| n.0 == at) {
                let clause = self.named[k].1;
                self.named.remove(k);
                if !self
                    .named
                    .iter()
                    .any(|n| n.1 == clause && n.2 != CHN && n.2 != USA)
                {
                    self.third_clauses.retain(|&c| c != clause);
                }
            }
        }
    }

    fn drop_bystanders_in_lists(&mut self, chars: &[char], spans: &[(usize, usize, SideId)]) {
        let ours = |x: SideId| x == CHN || x == USA;
        let mut i = 0;
        while i < spans.len() {
            let mut j = i;
            while j + 1 < spans.len() {
                let gap: String = chars[spans[j].1.min(spans[j + 1].0)..spans[j + 1].0]
                    .iter()
                    .collect();
                if !["、", "和", "及", "与", "以及", "地区、", "地区和"].contains(&gap.as_str())
                {
                    break;
                }
                j += 1;
            }
            let list = &spans[i..=j];
            i = j + 1;
            let ours_in: Vec<SideId> = list.iter().map(|l| l.2).filter(|&x| ours(x)).collect();
            if list.len() < 2 || ours_in.len() != 1 || list.iter().all(|l| ours(l.2)) {
                continue;
            }
            let Some(first) = self.named.iter().find(|n| n.0 == list[0].0).copied() else {
                continue;
            };
            let other = if ours_in[0] == CHN { USA } else { CHN };
            let list_end = list[list.len() - 1].1;
            let target_list = first.3;
            let acting_on_other = !target_list
                && self
                    .named
                    .iter()
                    .any(|n| n.1 == first.1 && n.0 >= list_end && n.2 == other && n.3);
            if !(target_list || acting_on_other) {
                continue;
            }
            for l in list.iter().filter(|l| !ours(l.2)) {
                if let Some(k) = self.named.iter().position(|n| n.0 == l.0) {
                    let clause = self.named[k].1;
                    self.named.remove(k);
                    if let Some(c) = self.third_clauses.iter().position(|&c| c == clause) {
                        self.third_clauses.remove(c);
                    }
                }
            }
        }
    }

    /// Whether the sale at `a` is the US selling to China: the US the nearest side before the
    /// verb (美国农业部报告，私人出口商向中国销售…), China the buyer (marked, after the verb, or
    /// in the verb itself: 运往中国).
    fn us_sells_to_china(&self, a: &Mention, china_in_verb: bool) -> bool {
        let seller = self
            .named
            .iter()
            .rev()
            // US goods shipped to China (美国大豆运往中国) are sold by the US too.
            .find(|n| n.0 < a.start && (!n.3 || china_in_verb))
            .map(|n| n.2);
        let buyer = china_in_verb
            || self
                .named
                .iter()
                .any(|n| n.2 == CHN && n.1 == a.clause && (n.3 || n.0 > a.start));
        seller == Some(USA) && buyer
    }

    fn first_actor(&self) -> Option<Participant> {
        let side = self
            .named
            .iter()
            .find(|n| !n.3 && (n.2 == CHN || n.2 == USA))
            .map(|n| (n.0, Participant::Side(n.2)));
        let pair = self.pairs.first().map(|p| (p.0, p.2));
        match (side, pair) {
            (Some(a), Some(b)) => Some(if a.0 <= b.0 { a.1 } else { b.1 }),
            (a, b) => a.or(b).map(|x| x.1),
        }
    }

    /// The actor and target of the action at `a`, or None when the event is not between
    /// China and the US.
    fn resolve(
        &self,
        a: &Mention,
        class: ActionClass,
        last_actor: Option<Participant>,
        post_sides: u64,
        us_china_post: bool,
        hints: Hints,
    ) -> Option<(Participant, Option<Participant>)> {
        let Hints {
            directed,
            implied_counterpart,
            visit,
            door,
            faced,
            continues,
            us_implied,
            wished,
            china_marked,
            no_dui_in_clause,
            opens_clause,
        } = hints;
        // A third party in the action's clause, or named as the action's actor or target
        // anywhere in the sentence, makes it someone else's event unless both China and the
        // US are named in that clause too.
        let in_clause: Vec<SideId> = self
            .named
            .iter()
            .filter(|n| n.1 == a.clause && !self.joined_to_third.contains(&n.0))
            .map(|n| n.2)
            .collect();
        let pair_in_clause = self.pairs.iter().any(|p| p.1 == a.clause);
        let third_here = self.third_clauses.contains(&a.clause);
        let both_named_here =
            pair_in_clause || (in_clause.contains(&CHN) && in_clause.contains(&USA));
        if third_here && !both_named_here {
            return None;
        }

        let other = |s: SideId| if s == CHN { USA } else { CHN };
        let names = |s: SideId| post_sides & (1 << s) != 0;

        // Talks are symmetric: the sides named in the sentence, else the post's pair.
        if class == ActionClass::Talks {
            return self.resolve_talks(
                a,
                both_named_here,
                post_sides,
                us_china_post,
                (directed, visit, door),
                last_actor,
            );
        }

        // Directed actions: the actor named before the verb (in its clause, then the
        // sentence), the target marked by 对/向… or named after it.
        let before: Vec<&(usize, usize, SideId, bool)> =
            self.named.iter().filter(|n| n.0 < a.start).collect();
        let pair_before = self.pairs.iter().rev().find(|p| p.0 < a.start);
        // The actor is the nearest side before the verb in its clause ("使馆回应特朗普妄言加税"
        // is Trump's); goods (中国商品) are never actors, see `read`.
        // With none there, the sentence's speaker (商务部新闻发言人表示，美方此举…，我们将
        // 被迫采取必要反制措施), else the subject of the nearest clause before it that names
        // one (美方…上调至25%，中方对此深表遗憾，将不得不采取必要反制措施: China vows).
        let conditional = |n: &&&(usize, usize, SideId, bool)| {
            n.1 != a.clause && self.conditional_clauses.contains(&n.1)
        };
        // (A side inside what 针对 answers, closed by 的 before the act, is not its actor:
        // 商务部发布针对美国…232措施的中止减让产品清单.)
        let answered_by = |n: &&&(usize, usize, SideId, bool)| {
            self.answered_after_zhendui
                .iter()
                .any(|&(at, de)| at == n.0 && de < a.start)
        };
        let actor_mention = before
            .iter()
            .rev()
            .find(|n| n.1 == a.clause && !n.3 && !answered_by(n))
            .or_else(|| {
                let first = before.iter().find(|n| !n.3 && !conditional(n))?;
                // A verb that opens its clause goes on with the subject of the clause right
                // before it, not with the speaker (商务部新闻发言人表示，美方公布相关备忘录，
                // 豁免…: the US exempts); a clause opened by 将 or another word is the
                // speaker's (…，将被迫采取必要反制措施).
                if opens_clause && a.clause > 0 {
                    if let Some(n) = before.iter().find(|n| {
                        n.1 + 1 == a.clause
                            && !n.3
                            && !conditional(n)
                            && !self.speakers.contains(&n.0)
                    }) {
                        return Some(n);
                    }
                }
                if self.speakers.contains(&first.0) && !continues {
                    return Some(first);
                }
                let nearest = before.iter().rev().find(|n| !n.3 && !conditional(n))?;
                before.iter().find(|n| n.1 == nearest.1 && !n.3)
            });
        // With only a condition's subject before the act (如果美方执意加征关税，将奉陪到底),
        // the act is the answer of the other side.
        let answers = before
            .iter()
            .rev()
            .find(|n| !n.3 && conditional(n) && (n.2 == CHN || n.2 == USA))
            .map(|n| other(n.2));
        // An act answering a condition on a third party, with no side in its own clause
        // (川普警告，加拿大若与中国达成贸易协议，将面临100%关税), is that party's business.
        // (Facing a measure, 将面临美国的高额关税, names its imposer after the verb: the one
        // who faces it is still the condition's subject.)
        let answers_a_third = before
            .iter()
            .rev()
            .find(|n| !n.3 && conditional(n))
            .is_some_and(|n| n.2 != CHN && n.2 != USA)
            && !self
                .named
                .iter()
                .any(|n| n.1 == a.clause && (n.0 < a.start || !faced));
        if answers_a_third {
            return None;
        }
        let actor_named = actor_mention.map(|n| n.2);
        let us_side_acts = actor_mention.is_some_and(|n| self.us_side_facing_china.contains(&n.0));
        // In a list of targets (对原产于欧盟、美国、日本…的…), China or the US is the one
        // that counts.
        let targets_here = || {
            self.named
                .iter()
                .filter(|n| n.1 == a.clause)
                .filter(|n| (n.3 || n.0 > a.start) && Some(n.2) != actor_named)
        };
        let target_named = targets_here()
            .find(|n| n.2 == CHN || n.2 == USA)
            .or_else(|| targets_here().next())
            .map(|n| n.2)
            .or_else(|| {
                self.named
                    .iter()
                    .find(|n| n.3 && Some(n.2) != actor_named)
                    .map(|n| n.2)
            })
            // An easing whose beneficiary is told later in its sentence (…排除在对等关税之外，
            // 并追溯自5日起生效，中国制产品亦适用): the other side named after it.
            .or_else(|| {
                (class == ActionClass::Ease
                    && no_dui_in_clause
                    && actor_named.is_some_and(us_or_china))
                .then(|| {
                    self.named
                        .iter()
                        .find(|n| n.0 > a.start && us_or_china(n.2) && Some(n.2) != actor_named)
                        .map(|n| n.2)
                })
                .flatten()
            });
        let third = |s: SideId| s != CHN && s != USA;
        // A pair in the verb's own clause, nearer than any side named there, acts (川普称…，
        // 双方关税战暂告一段落: both sides, not the speaker).
        let pair_acts = pair_before.is_some_and(|p| {
            p.1 == a.clause && actor_mention.is_none_or(|n| n.1 != a.clause || n.0 < p.0)
        });
        // (So does the pair after a third party who speaks of it: 新西兰总理欢迎中美取消部分
        // 加征关税的决定, 印尼财长称，中美两国关税休战延长90天.)
        let pair_spoken_of = pair_acts
            && !wished
            && pair_before.is_some_and(|p| matches!(p.2, Participant::UsChina))
            && !targets_here().any(|n| third(n.2));
        if !pair_spoken_of && (actor_named.is_some_and(third) || target_named.is_some_and(third)) {
            return None;
        }
        // An actor taken from outside the act's clause that is the very target marked in it is
        // the wrong one: the nearest clause's subject objected to the other side's act (中方
        // 坚决反对美方援引其国内法，对包括中国在内的其他国家实施单边制裁: the US sanctions).
        let target_in_clause = |s: SideId| {
            self.named
                .iter()
                .any(|n| n.1 == a.clause && n.2 == s && self.marked_by_dui.contains(&n.0))
        };
        // (So is China borrowed for an act on 对华: …在中方满怀诚意进行磋商之时，违背双方共识，
        // 对华加征关税.)
        let actor_outside_is_target = actor_mention.is_some_and(|n| {
            n.1 != a.clause
                && (n.2 == CHN || n.2 == USA)
                && (target_in_clause(n.2) || n.2 == CHN && china_marked)
        });
        // A pair that is the subject of a clause after the first side named, with no side
        // named between it and the easing (商务部新闻发言人高峰表示，双方经贸团队牵头人进行了
        // 建设性的讨论，同意…分阶段取消加征关税), eases: the speaker tells what both agreed.
        let pair_carries = class == ActionClass::Ease
            && !pair_acts
            && pair_before.is_some_and(|p| {
                matches!(p.2, Participant::UsChina)
                    && actor_mention.is_none_or(|n| n.1 != a.clause && n.0 < p.0)
                    && !self.named.iter().any(|n| n.0 > p.0 && n.0 < a.start)
            });
        let actor = match (actor_named, target_named, pair_before) {
            (_, _, Some(p)) if pair_acts || pair_carries => p.2,
            (Some(s), _, _) if actor_outside_is_target => Participant::Side(other(s)),
            (Some(s), _, _) => Participant::Side(s),
            (None, _, Some(p)) if p.1 == a.clause => p.2,
            // (Not a side the post never names when it names a third party: the firms that
            // reached price undertakings with China, 与中方达成价格承诺的企业将免于缴纳反倾销税,
            // in a post on the EU's brandy, are exempted by China, not by the US.)
            // (Unless a word points to the US as China's counterpart: 对华145%关税将下调至
            // 30%，欧盟官员对此表示关注.)
            (None, Some(t), _)
                if !names(other(t)) && post_sides & !(1 << CHN | 1 << USA) != 0 && !us_implied =>
            {
                return None;
            }
            (None, Some(t), _) => Participant::Side(other(t)),
            (None, None, _) => match (answers, last_actor) {
                (Some(s), _) => Participant::Side(s),
                (None, Some(p)) => p,
                // A vow in a post that names no one is the voice of the Chinese outlet
                // (如果有人打到家门口，我们必然会奉陪到底).
                (None, None) if implied_counterpart && !names(USA) => Participant::Side(CHN),
                (None, None) if us_china_post => {
                    Participant::Side(if names(CHN) { CHN } else { USA })
                }
                (None, None) => return None,
            },
        };
        let target = match (actor, target_named) {
            (Participant::Side(s), Some(t)) if t != s => Some(Participant::Side(t)),
            (Participant::Side(s), _) => {
                // The counterpart must be in the post somewhere (美国对进口钢铁加征关税 is
                // the world, not China), and no third party in the post.
                // With a third party in the post, an unnamed counterpart may be it (乐见各方
                // …反对任何一方…中方将坚决反制): no event between China and the US.
                // A third party named only after the act's sentence, which names China and the
                // US before the act, is a bystander (中美日内瓦会谈联合声明：美方将取消…关税。
                // …瑞士经济部长出席开幕式).
                let o = other(s);
                // A condition in the sentence that names the other side (中方表示，若美方执意
                // 加征关税，中方将坚决反制) is whom the act answers, whoever else the post names.
                if answers == Some(s) && class != ActionClass::Purchase {
                    return Some((actor, Some(Participant::Side(o))));
                }
                // (A third party named only after the act's sentence, when the counterpart is
                // named by then on its own, is a bystander too: 美国商务部宣布将实体清单管制范围
                // 扩大至…子公司。中国商务部…将采取必要措施…。新加坡和马来西亚的部分半导体企业
                // 也在评估合规影响. Not a pair's name in a frame: 中美关系紧张之际，美国宣布加征
                // 25%关税。受影响最大的是墨西哥和加拿大.)
                let bystander_after = !self.third_earlier
                    && self.third_clauses.is_empty()
                    && (self.named_before & (1 << o) != 0 || self.named.iter().any(|n| n.2 == o));
                let third_in_post = post_sides & !(1 << CHN | 1 << USA) != 0 && !bystander_after;
                if third_in_post && !(class == ActionClass::Ease && self.us_china_first(a.start)) {
                    return None;
                }
                if names(o)
                    || us_china_post && s == CHN
                    || implied_counterpart
                    || us_side_acts
                    || class == ActionClass::Purchase && s == CHN && us_implied
                {
                    Some(Participant::Side(o))
                } else {
                    return None;
                }
            }
            (Participant::UsChina, _) => None,
        };
        if class == ActionClass::Purchase {
            // China buying from the US: a US buyer is exports, not a purchase commitment.
            if actor == Participant::Side(USA) && target != Some(Participant::Side(CHN)) {
                return None;
            }
            // The goods must be US goods: the US named in the sentence, or in a post that
            // names no third party (中国大豆…进口大豆 is the world market).
            // (Or implied: purchases under the Phase One deal, 落实第一阶段经贸协议中的采购承诺,
            // are of US goods.)
            let us_here = self.named.iter().any(|n| n.2 == USA);
            if !(us_here || names(USA) && us_china_post || us_implied) {
                return None;
            }
            return Some((Participant::Side(CHN), Some(Participant::Side(USA))));
        }
        Some((actor, target))
    }

    /// Whether this sentence names the pair China–US (中美, 美中) before `at`, and no third
    /// party is named in it or in a sentence before it. Both sides named apart are not
    /// enough: 中方反对美方实施单边制裁。…同伊朗的合作… is about Iran.
    fn us_china_first(&self, at: usize) -> bool {
        !self.third_earlier
            && self.third_clauses.is_empty()
            && self.named.iter().all(|n| us_or_china(n.2))
            && self
                .pairs
                .iter()
                .any(|p| p.0 < at && p.2 == Participant::UsChina)
    }

    /// The participants of talks: symmetric, the sides named in the sentence, else the
    /// post's pair; a seeker or offerer is the side named first before the verb.
    fn resolve_talks(
        &self,
        a: &Mention,
        both_named_here: bool,
        post_sides: u64,
        us_china_post: bool,
        (directed, visit, door): (bool, bool, bool),
        last_actor: Option<Participant>,
    ) -> Option<(Participant, Option<Participant>)> {
        let other = |s: SideId| if s == CHN { USA } else { CHN };
        let names = |s: SideId| post_sides & (1 << s) != 0;
        // A third party right after the verb is the partner offered or sought (中方愿同日本保持
        // 沟通): its talks, whoever else the post names.
        if !both_named_here
            && self
                .named
                .iter()
                .any(|n| n.1 == a.clause && n.0 >= a.end && n.0 <= a.end + 1 && !us_or_china(n.2))
        {
            return None;
        }
        // Who sought or offered: the side named first in the nearest clause before the verb
        // that names one. A speaker's clause before it (中方表示，美方多次…联系中方，希望…谈判)
        // reports the seeking; it is not the seeker.
        if directed {
            // A third party as the subject right before the verb seeks or offers its own
            // talks (欧盟在与华盛顿谈判的同时，也在寻求稳定对华关系).
            // (Not a welcome of the pair's talks: 巴方欢迎中美双方在日内瓦举行的经贸会谈.)
            // (Nor when the sentence opens with a third party and no side of ours acts in the
            // verb's clause: 卡尼并指出，加拿大…，政府将…，并寻求与北京恢复对话.)
            let ours_acts_here = self
                .named
                .iter()
                .any(|n| n.1 == a.clause && n.0 < a.start && !n.3 && us_or_china(n.2));
            if !both_named_here
                && !self.pairs.iter().any(|p| p.2 == Participant::UsChina)
                && (self
                    .named
                    .iter()
                    .rev()
                    .find(|n| n.0 < a.start && !n.3)
                    .is_some_and(|n| n.2 != CHN && n.2 != USA && a.clause <= n.1 + 1)
                    || !ours_acts_here
                        && self
                            .named
                            .iter()
                            .find(|n| !n.3)
                            .is_some_and(|n| n.0 < a.start && !us_or_china(n.2)))
            {
                return None;
            }
            let before: Vec<&(usize, usize, SideId, bool)> = self
                .named
                .iter()
                .filter(|n| n.0 < a.start && !n.3 && (n.2 == CHN || n.2 == USA))
                .collect();
            let seeker = if visit {
                before.last()
            } else {
                before
                    .last()
                    .and_then(|last| before.iter().find(|n| n.1 == last.1))
            };
            if let Some(n) = seeker {
                // The door opened after a condition on one side (如果美方想谈，大门是敞开的) is
                // the other side's.
                if door && n.1 != a.clause && self.conditional_clauses.contains(&n.1) {
                    let o = other(n.2);
                    return Some((Participant::Side(o), Some(Participant::Side(n.2))));
                }
                let o = other(n.2);
                if names(o) || us_china_post || door && n.2 == CHN && post_sides == 1 << CHN {
                    return Some((Participant::Side(n.2), Some(Participant::Side(o))));
                }
            }
            // With no side named before it in its sentence, the actor of the sentence before
            // offers (中方态度明确：要打，奉陪到底；要谈，大门敞开).
            if before.is_empty() && !both_named_here {
                if let Some(Participant::Side(x)) = last_actor {
                    if (x == CHN || x == USA) && (names(other(x)) || us_china_post) {
                        return Some((Participant::Side(x), Some(Participant::Side(other(x)))));
                    }
                }
            }
        }
        // Talks of China or the US with a third party joined to it in the verb's clause
        // (…，并与国家主席习近平会晤) are theirs.
        if !both_named_here
            && self
                .named
                .iter()
                .any(|n| n.1 == a.clause && n.0 < a.start && self.partner_of_third.contains(&n.0))
        {
            return None;
        }
        // China and the US both only as partners of a third party's talks (欧盟执委会表示，将
        // 继续与中方、美方等主要贸易伙伴保持沟通) are no pair.
        let partners_only = |s: SideId| {
            self.named
                .iter()
                .filter(|n| n.1 == a.clause && n.2 == s)
                .all(|n| n.3)
        };
        let third_subject = self
            .named
            .iter()
            .rev()
            .find(|n| n.0 < a.start && !n.3)
            .is_some_and(|n| !us_or_china(n.2) && a.clause <= n.1 + 1);
        if both_named_here
            && third_subject
            && partners_only(CHN)
            && partners_only(USA)
            && !self.pairs.iter().any(|p| p.2 == Participant::UsChina)
        {
            return None;
        }
        if self.pairs.iter().any(|p| p.2 == Participant::UsChina) || both_named_here {
            return Some((Participant::UsChina, None));
        }
        // Talks with a partner and no subject in their clause (…，将继续与美国就关税进行谈判)
        // are held by the subject of the clause before: a third party there (瑞士政府表示,
        // 欧盟决定…) makes them its talks, whatever China is named for elsewhere.
        let partner_only = self
            .named
            .iter()
            .any(|n| n.1 == a.clause && n.0 < a.start && n.3)
            && !self
                .named
                .iter()
                .any(|n| n.1 == a.clause && n.0 < a.start && !n.3);
        if partner_only {
            let nearest = self
                .named
                .iter()
                .rev()
                .find(|n| n.0 < a.start && n.1 < a.clause && !n.3)
                .map(|n| n.1);
            let subject = self.named.iter().find(|n| Some(n.1) == nearest && !n.3);
            if subject.is_some_and(|n| n.2 != CHN && n.2 != USA) {
                return None;
            }
        }
        let sides: Vec<SideId> = self.named.iter().map(|n| n.2).collect();
        let has_third = sides.iter().any(|&s| s != CHN && s != USA);
        let has = |s| sides.contains(&s);
        if has(CHN) && has(USA) {
            return Some((Participant::UsChina, None));
        }
        if has_third {
            return None;
        }
        if (has(CHN) && names(USA)) || (has(USA) && (names(CHN) || us_china_post)) {
            return Some((Participant::UsChina, None));
        }
        // (Not after 双方 read as a third pair earlier in the sentence: 双方同意在年内再次举行
        // 部长级会议，继续磋商 continues that pair's talks.)
        if sides.is_empty() && us_china_post && names(USA) && self.third_clauses.is_empty() {
            return Some((Participant::UsChina, None));
        }
        None
    }
}

/// A magnitude written in the action's clause or right after it: 25%, 90天, 三个月,
/// 2000亿美元, 1200万吨.
/// What sizes an event: a suspension or truce lasts a time; an imposition is sized in rates,
/// money or tonnes; a purchase in money or tonnes only (a share, 占49%, is no size).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sizes {
    WithDurations,
    Measure,
    Quantity,
}

/// The size written near the act at `a`, reading past the spans in `names` (a number that
/// is part of a name).
fn magnitude(
    chars: &[char],
    ms: &[&Mention],
    a: &Mention,
    sizes: Sizes,
    names: &[(usize, usize)],
) -> Option<String> {
    // The clause's character span.
    let first_mention = ms
        .iter()
        .filter(|m| m.clause == a.clause)
        .map(|m| m.start)
        .min()
        .unwrap_or(a.start);
    // A purchase's size is said in its own clause (两年内2000亿美元的采购承诺): the sum of a
    // tariff in the clause before (对中国3000亿美元商品加征10%关税之前, 中国…采购) is not what
    // was bought.
    let window_start = if sizes == Sizes::Quantity {
        clause_start(chars, a.start)
    } else {
        first_mention.saturating_sub(24)
    };
    let mut from = window_start.max(
        (0..a.start)
            .rev()
            .find(|&i| chars.get(i).is_some_and(|&c| is_sentence_end(c)))
            .map_or(0, |i| i + 1),
    );
    // A window that starts inside a number (…的5|00亿美元) would read its tail ($0bn): the
    // number belongs to the clause before, so the window starts after it.
    let in_number = |i: usize| {
        let digit = |j: usize| chars.get(j).is_some_and(char::is_ascii_digit);
        i > 0
            && i < chars.len()
            && (digit(i - 1) && (digit(i) || matches!(chars[i], ',' | '.'))
                || matches!(chars[i - 1], ',' | '.') && i >= 2 && digit(i - 2) && digit(i))
    };
    while from < a.start && in_number(from) {
        from += 1;
    }
    let to = (a.end..chars.len())
        .find(|&i| is_sentence_end(chars[i]))
        .unwrap_or(chars.len())
        .min(a.end + 40);
    let span: String = (from.min(to)..to)
        .map(|i| {
            if names.iter().any(|&(s, e)| (s..e).contains(&i)) {
                ' '
            } else {
                chars[i]
            }
        })
        .collect();
    find_magnitude(&span, sizes)
}

/// Whether a rate written "从/由 X% … 调整为 Y%" around the verb at `a` goes down (Less) or
/// up (Greater); None when either number is missing.
fn rate_change(chars: &[char], a: &Mention, look_back: bool) -> Option<std::cmp::Ordering> {
    let percent_at = |from: usize, to: usize| -> Option<f64> {
        let mut i = from;
        while i < to.min(chars.len()) {
            if let Some((num, len)) = number_at(&chars[i..]) {
                if chars.get(i + len) == Some(&'%') {
                    return num.parse().ok();
                }
                i += len.max(1);
            } else {
                i += 1;
            }
        }
        None
    };
    // (Far back in a long clause, when the rates are listed for 分别: 将…加征10%、5%关税的约
    // 750亿美元美国商品的加征税率分别调整为5%和2.5%.)
    let reach = if a.start >= 2 && chars[a.start - 2..a.start] == ['分', '别'] {
        48
    } else {
        16
    };
    let back = a
        .start
        .saturating_sub(reach)
        .max(clause_start(chars, a.start));
    // The old rate after 从/由, else a rate of a tariff named before the verb without them
    // (加征的10%关税税率调整为5%, 加征10%关税的商品改为加征5%).
    let from = (back..a.start)
        .rev()
        .find(|&i| matches!(chars.get(i), Some('从' | '由')))
        .or_else(|| {
            let before: String = chars[back..a.start].iter().collect();
            // (Or the rate an imposition gave the goods: 对…加征10%关税的美国商品改为加征5%.)
            (before.contains("税率") || before.contains("加征")).then_some(back)
        })?;
    // (With 税率 and no rate in the clause, the rate of the goods named in the clause before:
    // 对…已加征10%关税的商品，加征税率调整为5%.)
    let old = percent_at(from + 1, a.start).or_else(|| {
        if !look_back || from != back || back == 0 {
            return None;
        }
        let previous = clause_start(chars, back - 1).max(back.saturating_sub(40));
        percent_at(previous, back)
    })?;
    let new = percent_at(a.end, a.end + 8)?;
    new.partial_cmp(&old)
}

fn cn_digit(c: char) -> Option<u32> {
    "零一二三四五六七八九"
        .chars()
        .position(|d| d == c)
        .map(|i| i as u32)
}

/// A number at the start of `s` (arabic, or Chinese up to 99), with its length in chars.
fn number_at(s: &[char]) -> Option<(String, usize)> {
    let mut n = 0;
    // (2,000亿美元: a comma between groups of three digits is part of the number.)
    let thousands = |i: usize| {
        s[i] == ','
            && s.get(i + 1..i + 4)
                .is_some_and(|d| d.iter().all(char::is_ascii_digit))
            && !s.get(i + 4).is_some_and(char::is_ascii_digit)
    };
    while n < s.len() && (s[n].is_ascii_digit() || (n > 0 && (s[n] == '.' || thousands(n)))) {
        n += 1;
    }
    if n > 0 {
        return Some((s[..n].iter().filter(|&&c| c != ',').collect(), n));
    }
    // 九十, 三, 十五
    let mut v = 0u32;
    let mut seen = false;
    let mut i = 0;
    while i < s.len() {
        if let Some(d) = cn_digit(s[i]) {
            v = v * 10 + d;
            seen = true;
        } else if s[i] == '十' {
            v = if seen { v * 10 } else { 10 };
            seen = true;
            if let Some(d) = s.get(i + 1).and_then(|&c| cn_digit(c)) {
                v += d;
                i += 1;
            }
        } else {
            break;
        }
        i += 1;
    }
    seen.then(|| (v.to_string(), i))
}

fn find_magnitude(span: &str, sizes: Sizes) -> Option<String> {
    // A change "从145%下调至30%" is reported by where it ends.
    if let Some(i) = span.find("调整为").or_else(|| span.find(['至', '到'])) {
        if let Some(m) = find_magnitude_from(&span[i..], sizes) {
            return Some(m);
        }
    }
    find_magnitude_from(span, sizes)
}

fn find_magnitude_from(span: &str, sizes: Sizes) -> Option<String> {
    let durations = sizes == Sizes::WithDurations;
    let cs: Vec<char> = span.chars().collect();
    let mut i = 0;
    while i < cs.len() {
        if let Some((num, len)) = number_at(&cs[i..]) {
            let rest: String = cs[i + len..].iter().take(4).collect();
            // A share (超过70%的在华美企, 对25%的商品) is no rate: after 的 a rate names its
            // duty within a few words (25%的关税, 20%的芬太尼关税, 145%的高额关税).
            let after: String = cs[i + len..].iter().skip(2).take(8).collect();
            let share = rest.starts_with("%的") && !after.contains('税');
            let found = if rest.starts_with('%') && sizes != Sizes::Quantity && !share {
                Some(format!("{num}%"))
            } else if rest.starts_with("万亿美元") {
                Some(format!("${num}tn"))
            } else if rest.starts_with("亿美元") {
                // 亿 is 10^8: 2000亿美元 is $200bn.
                num.parse::<f64>().ok().map(|n| format!("${}bn", n / 10.0))
            } else if rest.starts_with("万吨") {
                // 万 is 10^4: 1200万吨 is 12 million tonnes, 13.2万吨 132,000 tonnes.
                num.parse::<f64>().ok().map(|n| tonnes(n * 10_000.0))
            } else if durations && (rest.starts_with('天') || rest.starts_with("日内")) {
                Some(format!("{num} days"))
            } else if durations && rest.starts_with("个月") {
                Some(format!("{num} months"))
            } else {
                None
            };
            if found.is_some() {
                return found;
            }
            i += len.max(1);
        } else {
            i += 1;
        }
    }
    None
}

/// A tonnage as an English reader writes it: "12 million tonnes", "132,000 tonnes".
fn tonnes(t: f64) -> String {
    if t >= 1_000_000.0 {
        let m = (t / 100_000.0).round() / 10.0;
        format!("{m} million tonnes")
    } else {
        let whole = t.round() as u64;
        let (thousands, rest) = (whole / 1000, whole % 1000);
        if thousands > 0 {
            format!("{thousands},{rest:03} tonnes")
        } else {
            format!("{rest} tonnes")
        }
    }
}

impl Codebook {
    fn who(&self, p: Participant) -> String {
        match p {
            Participant::Side(s) => self.side(s).name.clone(),
            Participant::UsChina => "China and the US".into(),
        }
    }

    /// The event in one English sentence, built from the codebook's verb forms.
    #[allow(clippy::too_many_arguments)] // one call site; a struct would only rename them
    fn render(
        &self,
        action: u8,
        actor: Participant,
        target: Option<Participant>,
        instrument: Option<u8>,
        magnitude: Option<&str>,
        mode: Mode,
        goods: Option<&str>,
    ) -> String {
        let act = &self.actions[action as usize];
        let a = self.who(actor);
        let object = instrument
            .map(|i| self.instruments[i as usize].en.clone())
            .unwrap_or_else(|| "trade measures".into());
        let list = instrument.is_some_and(|i| self.instruments[i as usize].list);
        let firms = instrument.is_some_and(|i| self.instruments[i as usize].firms);
        // Controls and sanctions fall on a country (export controls on China), tariffs on its
        // goods.
        let on_country = instrument.is_some_and(|i| {
            matches!(
                self.instruments[i as usize].id.as_str(),
                "export_control"
                    | "rare_earths"
                    | "sanctions"
                    | "affiliates_rule"
                    | "investment_restrictions"
            )
        });
        let on = match target {
            Some(Participant::Side(t)) if on_country => format!(" on {}", self.side(t).name),
            Some(Participant::Side(t)) if !list && !firms => {
                format!(" on {} goods", self.side(t).adjective)
            }
            _ => String::new(),
        };
        let mag = magnitude.map(|m| format!(" ({m})")).unwrap_or_default();
        let s = match act.class {
            ActionClass::Talks => self.render_talks(act, actor, target, mode),
            ActionClass::Ease if firms && act.id != "supply" => by_mode(
                mode,
                &a,
                "ease",
                "eased",
                &format!("restrictions on {object}{mag}"),
            ),
            ActionClass::Escalate if firms && act.id == "extend_measure" => match mode {
                Mode::Planned => format!("{a} will extend restrictions on {object}{mag}"),
                _ => format!("{a} extended restrictions on {object}{mag}"),
            },
            ActionClass::Escalate if firms => match mode {
                Mode::Planned => format!("{a} will restrict {object}{mag}"),
                Mode::Threatened => format!("{a} threatened to restrict {object}{mag}"),
                Mode::Conditional => format!("{a} would restrict {object}{mag}, under conditions"),
                _ => format!("{a} restricted {object}{mag}"),
            },
            // Licences refused or withdrawn (驳回…许可申请, 撤销…出口许可, 暂停…许可审批) are
            // said as licences, not as relief withdrawn from a control.
            ActionClass::Escalate
                if matches!(act.id.as_str(), "refuse_licence" | "revoke")
                    && instrument.is_some_and(|i| {
                        matches!(
                            self.instruments[i as usize].id.as_str(),
                            "export_control" | "rare_earths"
                        )
                    }) =>
            {
                let licences = if instrument
                    .is_some_and(|i| self.instruments[i as usize].id == "rare_earths")
                {
                    "rare-earth export licences"
                } else {
                    "export licences"
                };
                let buyers = match target {
                    Some(Participant::Side(t)) => format!(" for {} buyers", self.side(t).adjective),
                    _ => String::new(),
                };
                let (will, did) = if act.id == "revoke" {
                    ("withdraw", "withdrew")
                } else {
                    ("refuse", "refused")
                };
                by_mode(mode, &a, will, did, &format!("{licences}{buyers}{mag}"))
            }
            // A truce is agreed or extended between the sides, not applied to goods.
            ActionClass::Ease
                if matches!(act.id.as_str(), "truce" | "extend_truce" | "sign_deal") =>
            {
                by_mode(mode, &a, &act.base, &act.past, &mag)
            }
            // Rare earths let through go to a buyer, not to a control (中方将依法审批符合条件的
            // 稀土出口申请: China will let rare earths through to the US).
            ActionClass::Ease if act.id == "release_rare_earths" => {
                let to = target
                    .map(|t| self.who(t))
                    .unwrap_or_else(|| "buyers".into());
                by_mode(mode, &a, &act.base, &act.past, &format!("{to}{mag}"))
            }
            // Access is given back to the other side's firms (恢复…大豆输华资格).
            ActionClass::Ease
                if instrument
                    .is_some_and(|i| self.instruments[i as usize].id == "market_access") =>
            {
                let (whose, what) = self.whose_access(target, goods);
                let rest = format!("{whose}{object}{what}{mag}");
                by_mode(mode, &a, "restore", "restored", &rest)
            }
            // Firms taken off a list (将9家中国实体从未经核实清单中移除) are said as such.
            ActionClass::Ease if list && act.id == "lift" => {
                let who_listed = self.listed_firms(target);
                let rest = format!("{who_listed} from {object}{mag}");
                by_mode(mode, &a, "remove", "removed", &rest)
            }
            ActionClass::Ease => {
                let what = if list {
                    format!("{} listings", object.trim_start_matches("the "))
                } else {
                    object
                };
                by_mode(mode, &a, &act.base, &act.past, &format!("{what}{on}{mag}"))
            }
            ActionClass::Escalate => {
                let t = target
                    .map(|t| self.who(t))
                    .unwrap_or_else(|| "the other side".into());
                // Goods stopped at the border are the target's goods.
                let whose = || match target {
                    Some(Participant::Side(t)) => format!("{} goods", self.side(t).adjective),
                    _ => "goods".to_string(),
                };
                if act.id == "halt_exports" {
                    by_mode(mode, &a, "halt", "halted", &format!("exports to {t}{mag}"))
                } else if act.id == "ban_imports" {
                    let rest = format!("imports of {}{mag}", whose());
                    by_mode(mode, &a, "ban", "banned", &rest)
                } else if act.id == "detain" {
                    let rest = format!("shipments of {} at the border{mag}", whose());
                    by_mode(mode, &a, "detain", "detained", &rest)
                } else if act.id == "intensify" && instrument.is_none() {
                    match mode {
                        Mode::Planned => format!("{a} will escalate the trade conflict with {t}"),
                        Mode::Threatened => {
                            format!("{a} threatened to escalate the trade conflict with {t}")
                        }
                        _ => format!("{a} escalated the trade conflict with {t}"),
                    }
                } else if instrument
                    .is_some_and(|i| self.instruments[i as usize].id == "investigation")
                    && act.id != "propose"
                {
                    // An investigation is launched into goods, not imposed on them.
                    let into = match target {
                        Some(Participant::Side(t)) => {
                            format!(" into {} goods", self.side(t).adjective)
                        }
                        _ => String::new(),
                    };
                    match mode {
                        Mode::Planned => format!("{a} will launch {object}{into}{mag}"),
                        Mode::Threatened => format!("{a} threatened {object}{into}{mag}"),
                        Mode::Conditional => {
                            format!("{a} would launch {object}{into}{mag}, under conditions")
                        }
                        _ => format!("{a} launched {object}{into}{mag}"),
                    }
                } else if instrument
                    .is_some_and(|i| self.instruments[i as usize].id == "market_access")
                {
                    // Access is taken from the other side's firms, not imposed on goods.
                    let (whose, what) = self.whose_access(target, goods);
                    match mode {
                        Mode::Planned => format!("{a} will suspend {whose}{object}{what}{mag}"),
                        Mode::Threatened => {
                            format!("{a} threatened to suspend {whose}{object}{what}{mag}")
                        }
                        Mode::Conditional => format!(
                            "{a} would suspend {whose}{object}{what}{mag}, under conditions"
                        ),
                        _ => format!("{a} suspended {whose}{object}{what}{mag}"),
                    }
                } else if act.id == "vow" {
                    match mode {
                        Mode::Conditional => {
                            format!("{a} vowed countermeasures if {t} escalates{mag}")
                        }
                        Mode::Actual | Mode::Recap => {
                            format!("{a} took or vowed countermeasures against {t}{mag}")
                        }
                        _ => format!("{a} vowed countermeasures against {t}{mag}"),
                    }
                } else if list {
                    let verb = match mode {
                        Mode::Planned => "will add",
                        Mode::Threatened => "threatened to add",
                        Mode::Conditional => "would add",
                        _ => "added",
                    };
                    let who_listed = self.listed_firms(target);
                    format!("{a} {verb} {who_listed} to {object}{mag}")
                } else {
                    match mode {
                        // A proposal is itself the step planned: 拟议清单 is proposed.
                        Mode::Planned if act.id == "propose" => {
                            format!("{a} {} {object}{on}{mag}", act.past)
                        }
                        Mode::Planned => format!("{a} will {} {object}{on}{mag}", act.base),
                        Mode::Threatened => format!("{a} threatened {object}{on}{mag}"),
                        Mode::Conditional => {
                            format!("{a} would {} {object}{on}{mag}, under conditions", act.base)
                        }
                        _ => format!("{a} {} {object}{on}{mag}", act.past),
                    }
                }
            }
            ActionClass::Purchase => {
                let goods = format!("US {}", goods.unwrap_or("goods"));
                match mode {
                    Mode::Planned => format!("China will {} {goods}{mag}", act.base),
                    Mode::Denied => format!("China did not {} {goods}", act.base),
                    _ => format!("China {} {goods}{mag}", act.past),
                }
            }
        };
        // A verb ending in "new" before an object with its article ("ruled out new a list of
        // tariffs") takes the article first.
        let s = s
            .replace(" new a ", " a new ")
            .replace(" new an ", " a new ");
        let mut out = capitalise(&s);
        out.push('.');
        out
    }

    /// The firms a list holds, named for the side they belong to ("Chinese entities").
    fn listed_firms(&self, target: Option<Participant>) -> String {
        match target {
            Some(Participant::Side(t)) => format!("{} entities", self.side(t).adjective),
            _ => "companies".into(),
        }
    }

    /// Whose access to the other market, and for which goods, a market-access act names
    /// ("US firms' ", " for soybeans").
    fn whose_access(&self, target: Option<Participant>, goods: Option<&str>) -> (String, String) {
        let whose = match target {
            Some(Participant::Side(t)) => format!("{} firms' ", self.side(t).adjective),
            _ => String::new(),
        };
        (
            whose,
            goods.map(|g| format!(" for {g}")).unwrap_or_default(),
        )
    }

    /// Talks in one English sentence: who talked, sought or offered talks.
    fn render_talks(
        &self,
        act: &Action,
        actor: Participant,
        target: Option<Participant>,
        mode: Mode,
    ) -> String {
        let a = self.who(actor);
        let who = match (actor, target) {
            (Participant::UsChina, _) | (_, None) => "China and the US".to_string(),
            (x, Some(t)) => format!("{} and {}", self.who(x), self.who(t)),
        };
        match (act.id.as_str(), mode) {
            ("offer" | "willing", _) => match target {
                Some(t) => {
                    format!("{a} said it is open to trade talks with {}", self.who(t))
                }
                None => format!("{who} said they are open to trade talks"),
            },
            ("seek", _) => match target {
                Some(t) => format!("{a} sought trade talks with {}", self.who(t)),
                None => format!("{who} sought trade talks"),
            },
            ("evaluate", _) => format!("{a} is evaluating an offer of trade talks"),
            // The visitor is the actor, the host the target (耶伦将访华).
            ("visit", mode) => {
                let visitor = match actor {
                    Participant::Side(s) => format!("{} officials", self.side(s).adjective),
                    Participant::UsChina => "Officials".to_string(),
                };
                let host = target.map_or_else(|| "the other side".to_string(), |t| self.who(t));
                match mode {
                    Mode::Planned => format!("{visitor} will visit {host} for trade talks"),
                    Mode::Conditional => {
                        format!("{visitor} would visit {host} for trade talks, under conditions")
                    }
                    Mode::Recap => format!("{visitor} visited {host} for trade talks (recap)"),
                    _ => format!("{visitor} visited {host} for trade talks"),
                }
            }
            (_, Mode::Planned) => format!("{who} will {} on trade", act.base),
            (_, Mode::Conditional) => {
                format!("{who} would {} on trade, under conditions", act.base)
            }
            (_, Mode::Recap) => format!("{who} {} on trade (recap)", act.past),
            _ => format!("{who} {} on trade", act.past),
        }
    }
}

/// "{actor} {did} {rest}" in the words of `mode`: will, threatened to, would … under
/// conditions, or done.
/// (`rest` may be empty or start with its own space, as a magnitude " (90 days)" does.)
fn by_mode(mode: Mode, actor: &str, will: &str, did: &str, rest: &str) -> String {
    let rest = rest.trim_start();
    let sep = if rest.is_empty() { "" } else { " " };
    match mode {
        Mode::Planned => format!("{actor} will {will}{sep}{rest}"),
        Mode::Threatened => format!("{actor} threatened to {will}{sep}{rest}"),
        Mode::Conditional => format!("{actor} would {will}{sep}{rest}, under conditions"),
        _ => format!("{actor} {did}{sep}{rest}"),
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}
