//! Every time format Weibo and Chinese government pages use, read as Beijing time and
//! returned in UTC. One pure function; `now` is a parameter so tests need no clock.

use chrono::{
    DateTime, Datelike, Duration, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc,
};

/// Beijing time (UTC+8, no daylight saving since 1991), the zone every Chinese source means.
pub fn beijing_offset() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset")
}

/// Parses `raw` (e.g. "Tue Apr 22 10:00:00 +0800 2025", "昨天 12:30", "3分钟前", "05-13",
/// "2019年5月13日") relative to `now`. Year-less dates take the year that puts them at or
/// before `now` (a "12-31" read on 1 January is last year's).
pub fn parse_time(raw: &str, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let s = raw.trim();
    // weibo.cn appends the client: "今天 12:30 来自iPhone客户端"
    let s = s.split("来自").next().unwrap_or(s).trim();
    if s.is_empty() {
        return None;
    }
    if let Ok(t) = DateTime::parse_from_str(s, "%a %b %d %H:%M:%S %z %Y") {
        return Some(t.with_timezone(&Utc));
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    let bj = beijing_offset();
    let local_now = now.with_timezone(&bj);
    let to_utc = |n: NaiveDateTime| {
        bj.from_local_datetime(&n)
            .single()
            .map(|t| t.with_timezone(&Utc))
    };

    if s == "刚刚" {
        return Some(now);
    }
    for (suffix, unit) in [("秒前", 1i64), ("分钟前", 60), ("小时前", 3600)] {
        if let Some(n) = s.strip_suffix(suffix) {
            // Checked: "99999999999小时前" from a broken page must not overflow (found by the
            // garbage test, tests/it/garbage.rs).
            let n: i64 = n.trim().parse().ok().filter(|n| *n >= 0)?;
            return now.checked_sub_signed(Duration::try_seconds(n.checked_mul(unit)?)?);
        }
    }
    if let Some(n) = s.strip_suffix("天前") {
        let n: i64 = n.trim().parse().ok().filter(|n| *n >= 0)?;
        return now.checked_sub_signed(Duration::try_days(n)?);
    }
    for (prefix, days_back) in [("今天", 0i64), ("昨天", 1), ("前天", 2)] {
        if let Some(rest) = s.strip_prefix(prefix) {
            let date = local_now.date_naive() - Duration::days(days_back);
            let time = if rest.trim().is_empty() {
                NaiveTime::MIN
            } else {
                parse_hm(rest.trim())?
            };
            return to_utc(date.and_time(time));
        }
    }
    // ISO-like without zone: 2024-11-29T18:56:41 (weibo-crawler)
    for fmt in [
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y/%m/%d %H:%M:%S",
        "%Y/%m/%d %H:%M",
    ] {
        if let Ok(n) = NaiveDateTime::parse_from_str(s, fmt) {
            return to_utc(n);
        }
    }
    for fmt in ["%Y-%m-%d", "%Y/%m/%d"] {
        if let Ok(d) = NaiveDate::parse_from_str(s, fmt) {
            return to_utc(d.and_time(NaiveTime::MIN));
        }
    }
    // 2019年5月13日 [HH:MM[:SS]]
    if let Some((y, rest)) = s.split_once('年') {
        let y: i32 = y.trim().parse().ok()?;
        let (m, d, time) = month_day(rest)?;
        let date = NaiveDate::from_ymd_opt(y, m, d)?;
        return to_utc(date.and_time(time));
    }
    // 05月13日 HH:MM (year omitted)
    if s.contains('月') {
        let (m, d, time) = month_day(s)?;
        return infer_year(m, d, time, local_now).and_then(to_utc);
    }
    // MM-DD [HH:MM]
    let (date_part, time_part) = match s.split_once(' ') {
        Some((a, b)) => (a, Some(b)),
        None => (s, None),
    };
    if let Some((m, d)) = date_part.split_once('-') {
        let m: u32 = m.parse().ok()?;
        let d: u32 = d.parse().ok()?;
        let time = match time_part {
            Some(t) => parse_hm(t.trim())?,
            None => NaiveTime::MIN,
        };
        return infer_year(m, d, time, local_now).and_then(to_utc);
    }
    None
}

fn parse_hm(s: &str) -> Option<NaiveTime> {
    NaiveTime::parse_from_str(s, "%H:%M:%S")
        .or_else(|_| NaiveTime::parse_from_str(s, "%H:%M"))
        .ok()
}

/// "5月13日 12:30" → (5, 13, 12:30)
fn month_day(s: &str) -> Option<(u32, u32, NaiveTime)> {
    let (m, rest) = s.split_once('月')?;
    let (d, rest) = rest.split_once('日')?;
    let time = if rest.trim().is_empty() {
        NaiveTime::MIN
    } else {
        parse_hm(rest.trim())?
    };
    Some((m.trim().parse().ok()?, d.trim().parse().ok()?, time))
}

/// The latest date with this month and day that is not after `now` (plus a day of slack for
/// clock skew), so a year-less date never jumps into the future across New Year.
fn infer_year(
    m: u32,
    d: u32,
    time: NaiveTime,
    now: DateTime<FixedOffset>,
) -> Option<NaiveDateTime> {
    let this_year = NaiveDate::from_ymd_opt(now.year(), m, d).map(|x| x.and_time(time));
    match this_year {
        Some(t) if t <= now.naive_local() + Duration::days(1) => Some(t),
        _ => NaiveDate::from_ymd_opt(now.year() - 1, m, d).map(|x| x.and_time(time)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn huge_relative_times_do_not_overflow() {
        // Regression: found by tests/it/garbage.rs; it panicked in chrono's subtraction.
        let now = utc("2024-12-31T17:30:00Z");
        for s in [
            "99999999999小时前",
            "9223372036854775807秒前",
            "99999999999999天前",
            "-5分钟前",
        ] {
            assert_eq!(parse_time(s, now), None, "{s}");
        }
    }

    #[test]
    fn table() {
        // now = 2025-01-01 01:30 Beijing = 2024-12-31 17:30 UTC: a year boundary on purpose.
        let now = utc("2024-12-31T17:30:00Z");
        let cases: &[(&str, Option<&str>)] = &[
            (
                "Tue Apr 22 10:00:00 +0800 2025",
                Some("2025-04-22T02:00:00Z"),
            ),
            (
                "Sat Aug 20 18:29:52 +0800 2022",
                Some("2022-08-20T10:29:52Z"),
            ),
            ("刚刚", Some("2024-12-31T17:30:00Z")),
            ("30秒前", Some("2024-12-31T17:29:30Z")),
            ("5分钟前", Some("2024-12-31T17:25:00Z")),
            ("3小时前", Some("2024-12-31T14:30:00Z")),
            ("今天 00:15", Some("2024-12-31T16:15:00Z")),
            ("今天00:15", Some("2024-12-31T16:15:00Z")),
            ("昨天 12:30", Some("2024-12-31T04:30:00Z")),
            ("12-31", Some("2024-12-30T16:00:00Z")),
            ("01-01", Some("2024-12-31T16:00:00Z")),
            ("12月31日 23:59", Some("2024-12-31T15:59:00Z")),
            ("05-13", Some("2024-05-12T16:00:00Z")),
            ("2019-05-13", Some("2019-05-12T16:00:00Z")),
            ("2019-05-13 20:15", Some("2019-05-13T12:15:00Z")),
            ("2019-05-13 20:15:09", Some("2019-05-13T12:15:09Z")),
            ("2019年5月13日", Some("2019-05-12T16:00:00Z")),
            ("2019年05月13日 08:00", Some("2019-05-13T00:00:00Z")),
            ("2024-11-29T18:56:41", Some("2024-11-29T10:56:41Z")),
            ("今天 01:00 来自iPhone客户端", Some("2024-12-31T17:00:00Z")),
            ("", None),
            ("yesterday", None),
            ("13-45", None),
        ];
        for (raw, want) in cases {
            let got = parse_time(raw, now);
            assert_eq!(got, want.map(utc), "{raw}");
        }
    }
}
