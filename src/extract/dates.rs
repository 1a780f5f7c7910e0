//! Date parsing and normalisation to RFC 3339.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, SecondsFormat, TimeZone, Utc};

/// Parses a date or date-time as pages and feeds write them and returns it
/// in RFC 3339. Times without an offset are taken as UTC; bare dates as
/// midnight UTC.
pub fn normalize_date(raw: &str) -> Option<String> {
    parse_date(raw).map(|d| d.to_rfc3339_opts(SecondsFormat::AutoSi, false))
}

/// Parses a date in any of the common page and feed formats.
pub fn parse_date(raw: &str) -> Option<DateTime<FixedOffset>> {
    let s = raw.trim();
    if s.is_empty() || s.len() > 64 {
        return None;
    }
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Some(d);
    }
    if let Ok(d) = DateTime::parse_from_rfc2822(s) {
        return Some(d);
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
            return Some(d);
        }
    }
    let s_utc = s.trim_end_matches(" UTC").trim_end_matches(" GMT").trim_end_matches('Z');
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
            return Some(Utc.from_utc_datetime(&d).fixed_offset());
        }
    }
    let dates = ["%Y-%m-%d", "%Y/%m/%d", "%d.%m.%Y", "%d/%m/%Y", "%Y%m%d", "%B %d, %Y", "%b %d, %Y", "%d %B %Y"];
    for f in dates {
        if let Ok(d) = NaiveDate::parse_from_str(s_utc, f) {
            let dt = d.and_hms_opt(0, 0, 0)?;
            return Some(Utc.from_utc_datetime(&dt).fixed_offset());
        }
    }
    // A longer string that starts with an ISO date-time (e.g. with a zone name after it).
    if s.len() > 19 && s.as_bytes()[4] == b'-' && s.is_char_boundary(19) {
        let head = &s[..19];
        if let Ok(d) = NaiveDateTime::parse_from_str(head, "%Y-%m-%dT%H:%M:%S")
            .or_else(|_| NaiveDateTime::parse_from_str(head, "%Y-%m-%d %H:%M:%S"))
        {
            return Some(Utc.from_utc_datetime(&d).fixed_offset());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_formats() {
        let cases = [
            ("2024-04-22T15:26:46.863186+00:00", "2024-04-22T15:26:46.863186+00:00"),
            ("2024-04-22T15:26:46Z", "2024-04-22T15:26:46+00:00"),
            ("2024-04-22T17:26:46+0200", "2024-04-22T17:26:46+02:00"),
            ("2024-04-22 15:26:46", "2024-04-22T15:26:46+00:00"),
            ("2024-04-22", "2024-04-22T00:00:00+00:00"),
            ("Mon, 22 Apr 2024 15:26:46 GMT", "2024-04-22T15:26:46+00:00"),
            ("Mon, 22 Apr 2024 17:26:46 +0200", "2024-04-22T17:26:46+02:00"),
            ("22.04.2024 15:26", "2024-04-22T15:26:00+00:00"),
        ];
        for (raw, want) in cases {
            assert_eq!(normalize_date(raw).as_deref(), Some(want), "{raw}");
        }
        assert_eq!(normalize_date("yesterday"), None);
        assert_eq!(normalize_date(""), None);
    }
}
