//! Date parsing and normalisation to RFC 3339.

use chrono::{
    DateTime, FixedOffset, NaiveDate, NaiveDateTime, SecondsFormat, TimeZone, Timelike, Utc,
};

/// Parses a date or date-time as pages and feeds write them and returns it
/// in RFC 3339. Times without an offset are taken as UTC; bare dates as
/// midnight UTC.
pub fn normalize_date(raw: &str) -> Option<String> {
    parse_date(raw).map(rfc3339)
}

/// Month names and abbreviations in the languages of the news we read,
/// mapped to their number.
const MONTHS: &[(&str, u32)] = &[
    ("january", 1),
    ("january", 1),
    ("januar", 1),
    ("jänner", 1),
    ("gennaio", 1),
    ("janvier", 1),
    ("enero", 1),
    ("janeiro", 1),
    ("januari", 1),
    ("stycznia", 1),
    ("ocak", 1),
    ("february", 2),
    ("februar", 2),
    ("feber", 2),
    ("febbraio", 2),
    ("février", 2),
    ("febrero", 2),
    ("fevereiro", 2),
    ("februari", 2),
    ("lutego", 2),
    ("şubat", 2),
    ("march", 3),
    ("märz", 3),
    ("marzo", 3),
    ("mars", 3),
    ("março", 3),
    ("maart", 3),
    ("marts", 3),
    ("mart", 3),
    ("marca", 3),
    ("april", 4),
    ("aprile", 4),
    ("avril", 4),
    ("abril", 4),
    ("kwietnia", 4),
    ("nisan", 4),
    ("may", 5),
    ("mai", 5),
    ("maggio", 5),
    ("mayo", 5),
    ("maio", 5),
    ("mei", 5),
    ("maj", 5),
    ("maja", 5),
    ("mayıs", 5),
    ("june", 6),
    ("juni", 6),
    ("giugno", 6),
    ("juin", 6),
    ("junio", 6),
    ("junho", 6),
    ("czerwca", 6),
    ("haziran", 6),
    ("july", 7),
    ("juli", 7),
    ("luglio", 7),
    ("juillet", 7),
    ("julio", 7),
    ("julho", 7),
    ("lipca", 7),
    ("temmuz", 7),
    ("august", 8),
    ("agosto", 8),
    ("août", 8),
    ("augustus", 8),
    ("sierpnia", 8),
    ("ağustos", 8),
    ("september", 9),
    ("settembre", 9),
    ("septembre", 9),
    ("septiembre", 9),
    ("setembro", 9),
    ("września", 9),
    ("eylül", 9),
    ("october", 10),
    ("oktober", 10),
    ("ottobre", 10),
    ("octobre", 10),
    ("octubre", 10),
    ("outubro", 10),
    ("października", 10),
    ("ekim", 10),
    ("november", 11),
    ("novembre", 11),
    ("noviembre", 11),
    ("novembro", 11),
    ("listopada", 11),
    ("kasım", 11),
    ("december", 12),
    ("dezember", 12),
    ("dicembre", 12),
    ("décembre", 12),
    ("diciembre", 12),
    ("dezembro", 12),
    ("grudnia", 12),
    ("aralık", 12),
];

// Digits are ASCII (`[0-9]`, not `\d`): only those parse as numbers, and
// the Unicode digit class, repeated in every `\d{n}` and `[^\d]{1,12}`,
// made these two patterns cost 27 M instructions to compile at start-up
// (5 M now). Letters, spaces and `\b` stay Unicode.
static TEXT_DATE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(
        r"(?i)(?P<d>[0-9]{1,2})\.?\s*(?:de\s+)?(?P<mon>[[:alpha:]]{3,12})\.?\s*(?:de\s+)?(?P<y>[0-9]{4})(?:[^0-9]{1,12}?(?P<h>[0-9]{1,2})[:.h](?P<mi>[0-9]{2}))?|(?P<mon2>[[:alpha:]]{3,12})\.?\s+(?P<d2>[0-9]{1,2}),?\s+(?P<y2>[0-9]{4})(?:[^0-9]{1,12}?(?P<h2>[0-9]{1,2}):(?P<mi2>[0-9]{2})\s*(?P<ampm>[ap]\.?m\.?)?)?",
    )
    .expect("static regex")
});

static NUMERIC_DATE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(
        r"(?P<d>[0-9]{1,2})[./](?P<m>[0-9]{1,2})[./](?P<y>[0-9]{4}|[0-9]{2})\b(?:[^0-9]{1,12}?(?P<h>[0-9]{1,2})[:.](?P<mi>[0-9]{2}))?|(?P<y2>[0-9]{4})-(?P<m2>[0-9]{2})-(?P<d2>[0-9]{2})(?:[ T](?P<h2>[0-9]{2}):(?P<mi2>[0-9]{2}))?",
    )
    .expect("static regex")
});

fn month_number(name: &str) -> Option<u32> {
    let lower = name.to_lowercase();
    MONTHS
        .iter()
        .find(|(m, _)| *m == lower || (lower.chars().count() >= 3 && m.starts_with(&lower)))
        .map(|&(_, n)| n)
}

fn build(y: i32, m: u32, d: u32, h: u32, mi: u32) -> Option<DateTime<FixedOffset>> {
    let date = NaiveDate::from_ymd_opt(y, m, d)?;
    let dt = date.and_hms_opt(h, mi, 0)?;
    Some(Utc.from_utc_datetime(&dt).fixed_offset())
}

/// Dates written in text: "25. April 2024, 14:07 Uhr", "April 25, 2024
/// 2:07 pm", "Do 25.04.24 | 14:07", "05.04.2025 - Güncelleme".
fn parse_text_date(s: &str) -> Option<DateTime<FixedOffset>> {
    let num = |c: Option<regex::Match<'_>>| c.and_then(|m| m.as_str().parse::<u32>().ok());
    if let Some(c) = TEXT_DATE.captures(s) {
        if let Some(mon) = c.name("mon").and_then(|m| month_number(m.as_str())) {
            let y = num(c.name("y"))? as i32;
            return build(
                y,
                mon,
                num(c.name("d"))?,
                num(c.name("h")).unwrap_or(0),
                num(c.name("mi")).unwrap_or(0),
            );
        }
        if let Some(mon) = c.name("mon2").and_then(|m| month_number(m.as_str())) {
            let y = num(c.name("y2"))? as i32;
            let mut h = num(c.name("h2")).unwrap_or(0);
            if let Some(ampm) = c.name("ampm") {
                let pm = ampm.as_str().to_ascii_lowercase().starts_with('p');
                h = match (pm, h) {
                    (true, h) if h < 12 => h + 12,
                    (false, 12) => 0,
                    (_, h) => h,
                };
            }
            return build(
                y,
                mon,
                num(c.name("d2"))?,
                h,
                num(c.name("mi2")).unwrap_or(0),
            );
        }
    }
    let c = NUMERIC_DATE.captures(s)?;
    if let Some(y) = num(c.name("y2")) {
        return build(
            y as i32,
            num(c.name("m2"))?,
            num(c.name("d2"))?,
            num(c.name("h2")).unwrap_or(0),
            num(c.name("mi2")).unwrap_or(0),
        );
    }
    let mut y = num(c.name("y"))? as i32;
    if y < 100 {
        y += 2000;
    }
    build(
        y,
        num(c.name("m"))?,
        num(c.name("d"))?,
        num(c.name("h")).unwrap_or(0),
        num(c.name("mi")).unwrap_or(0),
    )
}

/// True when a raw date string carries a time of day, not just a date.
pub fn has_time(raw: &str) -> bool {
    raw.contains(':') || (raw.len() >= 9 && raw.bytes().all(|b| b.is_ascii_digit()))
}

/// Picks the best of several raw dates: the first that parses and carries
/// a time of day, else the first that parses (a bare date is midnight).
/// A time written without an offset gives way to a later candidate that
/// states the same wall-clock time with its offset (the same instant, said
/// completely).
pub fn best_date<I, S>(candidates: I) -> Option<String>
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let mut date_only = None;
    let mut naive: Option<DateTime<FixedOffset>> = None;
    for raw in candidates {
        let raw = raw.as_ref();
        let Some((d, stated)) = parse_date_stating_offset(raw) else {
            continue;
        };
        if !has_time(raw) {
            date_only.get_or_insert(d);
            continue;
        }
        match naive {
            None if stated => return Some(rfc3339(d)),
            None => naive = Some(d),
            Some(n) if stated && same_minute(d.naive_local(), n.naive_local()) => {
                return Some(rfc3339(d));
            }
            Some(_) => {}
        }
    }
    naive.or(date_only).map(rfc3339)
}

fn rfc3339(d: DateTime<FixedOffset>) -> String {
    d.to_rfc3339_opts(SecondsFormat::AutoSi, false)
}

fn same_minute(a: NaiveDateTime, b: NaiveDateTime) -> bool {
    a.date() == b.date() && a.hour() == b.hour() && a.minute() == b.minute()
}

/// Parses a date in any of the common page and feed formats.
pub fn parse_date(raw: &str) -> Option<DateTime<FixedOffset>> {
    parse_date_stating_offset(raw).map(|(d, _)| d)
}

/// [`parse_date`], and whether the text stated the offset (a time without
/// one is taken as UTC, which may not be what the page meant).
fn parse_date_stating_offset(raw: &str) -> Option<(DateTime<FixedOffset>, bool)> {
    let s = raw.trim();
    if s.len() > 200 {
        return None;
    }
    if s.is_empty() {
        return None;
    }
    // Unix epoch seconds or milliseconds (data-timestamp attributes).
    if s.len() >= 9 && s.len() <= 13 && s.bytes().all(|b| b.is_ascii_digit()) {
        let n: i64 = s.parse().ok()?;
        let secs = if s.len() == 13 { n / 1000 } else { n };
        return DateTime::from_timestamp(secs, 0).map(|d| (d.fixed_offset(), true));
    }
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Some((d, true));
    }
    if let Ok(d) = DateTime::parse_from_rfc2822(s) {
        return Some((d, true));
    }
    let with_offset = [
        "%Y-%m-%dT%H:%M:%S%.f%z",
        "%Y-%m-%dT%H:%M:%S%z",
        "%Y-%m-%dT%H:%M%z",
        "%Y-%m-%dT%H:%M%:z",
        "%Y-%m-%d %H:%M:%S%.f%:z",
        "%Y-%m-%d %H:%M:%S%:z",
        "%Y-%m-%d %H:%M:%S%.f%z",
        "%Y-%m-%d %H:%M:%S%z",
        "%Y-%m-%d %H:%M:%S %z",
        "%Y-%m-%dT%H:%M:%S%.f %z",
        "%a, %d %b %Y %H:%M:%S %z",
        "%a, %d %b %Y %H:%M %z",
        "%d %b %Y %H:%M:%S %z",
    ];
    for f in with_offset {
        if let Ok(d) = DateTime::parse_from_str(s, f) {
            return Some((d, true));
        }
    }
    let s_utc = s
        .trim_end_matches(" UTC")
        .trim_end_matches(" GMT")
        .trim_end_matches('Z');
    let utc_said = s_utc.len() < s.len();
    let naive = [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y/%m/%d %H:%M:%S",
        "%Y/%m/%d %H:%M",
        "%d.%m.%Y %H:%M:%S",
        "%d.%m.%Y %H:%M",
        "%d.%m.%Y, %H:%M",
        "%d/%m/%Y %H:%M:%S",
        "%d/%m/%Y %H:%M",
        "%Y%m%dT%H%M%S",
        "%Y%m%d%H%M%S",
        "%a, %d %b %Y %H:%M:%S",
    ];
    for f in naive {
        if let Ok(d) = NaiveDateTime::parse_from_str(s_utc, f) {
            return Some((Utc.from_utc_datetime(&d).fixed_offset(), utc_said));
        }
    }
    let dates = [
        "%Y-%m-%d",
        "%Y/%m/%d",
        "%d.%m.%Y",
        "%d/%m/%Y",
        "%Y%m%d",
        "%B %d, %Y",
        "%b %d, %Y",
        "%d %B %Y",
    ];
    for f in dates {
        if let Ok(d) = NaiveDate::parse_from_str(s_utc, f) {
            let dt = d.and_hms_opt(0, 0, 0)?;
            return Some((Utc.from_utc_datetime(&dt).fixed_offset(), false));
        }
    }
    // A longer string that starts with an ISO date-time (e.g. with a zone name after it).
    if s.len() > 19 && s.as_bytes()[4] == b'-' && s.is_char_boundary(19) {
        let head = &s[..19];
        if let Ok(d) = NaiveDateTime::parse_from_str(head, "%Y-%m-%dT%H:%M:%S")
            .or_else(|_| NaiveDateTime::parse_from_str(head, "%Y-%m-%d %H:%M:%S"))
        {
            return Some((Utc.from_utc_datetime(&d).fixed_offset(), false));
        }
    }
    parse_text_date(s).map(|d| (d, false))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_time_without_offset_yields_to_the_same_time_with_one() {
        let got = best_date(["2023-04-28 18:11:01.0", "2023-04-28T18:11:01+02:00"]);
        assert_eq!(got.as_deref(), Some("2023-04-28T18:11:01+02:00"));
        // Another time of day is another claim: the first stands.
        let got = best_date(["2023-04-28 18:11", "2023-04-28T20:00:00+02:00"]);
        assert_eq!(got.as_deref(), Some("2023-04-28T18:11:00+00:00"));
        // A stated UTC is an offset too.
        let got = best_date(["2023-04-28T18:11:00Z", "2023-04-28T18:11:00+02:00"]);
        assert_eq!(got.as_deref(), Some("2023-04-28T18:11:00+00:00"));
    }

    #[test]
    fn full_timestamps_beat_bare_dates() {
        let got = best_date(["2024-08-22", "nonsense", "2024-08-22T12:00:00+02:00"]);
        assert_eq!(got.as_deref(), Some("2024-08-22T12:00:00+02:00"));
        assert_eq!(
            best_date(["2024-08-22"]).as_deref(),
            Some("2024-08-22T00:00:00+00:00")
        );
    }

    #[test]
    fn common_formats() {
        let cases = [
            (
                "2024-04-22T15:26:46.863186+00:00",
                "2024-04-22T15:26:46.863186+00:00",
            ),
            ("2024-04-22T15:26:46Z", "2024-04-22T15:26:46+00:00"),
            ("2024-04-22T17:26:46+0200", "2024-04-22T17:26:46+02:00"),
            ("2024-04-22 15:26:46", "2024-04-22T15:26:46+00:00"),
            ("2024-04-22", "2024-04-22T00:00:00+00:00"),
            ("Mon, 22 Apr 2024 15:26:46 GMT", "2024-04-22T15:26:46+00:00"),
            (
                "Mon, 22 Apr 2024 17:26:46 +0200",
                "2024-04-22T17:26:46+02:00",
            ),
            ("22.04.2024 15:26", "2024-04-22T15:26:00+00:00"),
        ];
        for (raw, want) in cases {
            assert_eq!(normalize_date(raw).as_deref(), Some(want), "{raw}");
        }
        assert_eq!(normalize_date("yesterday"), None);
        let text = [
            (
                "erstellt: 01. April 2025, 15:25",
                "2025-04-01T15:25:00+00:00",
            ),
            ("Do 25.04.24 | 14:07 Uhr", "2024-04-25T14:07:00+00:00"),
            (
                "05.04.2025 - Güncelleme : 05.04.2025",
                "2025-04-05T00:00:00+00:00",
            ),
            ("torsdag 09. mai 2024 - 13:26", "2024-05-09T13:26:00+00:00"),
            ("April 25, 2024 2:07 pm", "2024-04-25T14:07:00+00:00"),
            ("12 de marzo de 2024", "2024-03-12T00:00:00+00:00"),
            ("1714000000", "2024-04-24T23:06:40+00:00"),
        ];
        for (raw, want) in text {
            assert_eq!(normalize_date(raw).as_deref(), Some(want), "{raw}");
        }
        assert_eq!(normalize_date(""), None);
    }

    #[test]
    fn only_ascii_digits_make_a_date() {
        // Other scripts' digits do not parse as numbers: they neither make a
        // date nor hide the ASCII date after them.
        assert_eq!(
            normalize_date("١٢ April ٢٠٢٤ | 25. April 2024").as_deref(),
            Some("2024-04-25T00:00:00+00:00")
        );
        assert_eq!(normalize_date("٢٥.٠٤.٢٠٢٤"), None);
    }
}
