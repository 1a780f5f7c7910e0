//! The record's language: a page's (or its site's) declaration, checked
//! against the text with whatlang; detected from the text when nothing is
//! declared.
//!
//! The check costs about as much as parsing a small page, so a crawl keeps a
//! [`LanguageMemo`]: once a host's declared language has been confirmed by
//! the text on several pages in a row, later pages of that host are trusted.

use std::collections::HashMap;
use std::sync::Mutex;

use crate::limits::MAX_LANGUAGE_HOSTS;

/// Languages whatlang tells apart poorly: a declaration inside the same
/// group is never overruled.
const CLOSE_LANGUAGES: &[&[&str]] = &[
    &["no", "nb", "nn", "da", "sv"],
    &["hr", "sr", "bs", "sl", "mk", "me"],
    &["id", "ms"],
    &["cs", "sk"],
    &["es", "gl", "ca", "pt"],
    &["hi", "mr", "ne"],
    &["ru", "uk", "be", "bg"],
    &["zh", "ja"],
];

/// Confirmations in a row after which a host's declaration is trusted.
const TRUST_AFTER: u32 = 8;

/// What the text said about a declaration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verdict {
    /// The text is confidently in the declared language.
    Confirmed,
    /// The text is confidently in another, clearly different language.
    Overruled,
    /// Too short, unreliable, or a close language: the declaration stands.
    Undecided,
}

/// Per-host memory of declared languages the text has confirmed, shared by
/// the extraction threads of a crawl.
#[derive(Debug, Default)]
pub struct LanguageMemo {
    /// host → (declared language, confirmations in a row).
    hosts: Mutex<HashMap<String, (String, u32)>>,
}

impl LanguageMemo {
    /// Whether `host`'s declaration of `lang` has been confirmed often enough.
    fn trusts(&self, host: &str, lang: &str) -> bool {
        let hosts = self.hosts.lock().unwrap_or_else(|e| e.into_inner());
        hosts
            .get(host)
            .is_some_and(|(l, n)| l == lang && *n >= TRUST_AFTER)
    }

    /// Notes the verdict on one page of `host` that declared `lang`.
    fn note(&self, host: &str, lang: &str, verdict: Verdict) {
        let mut hosts = self.hosts.lock().unwrap_or_else(|e| e.into_inner());
        if hosts.len() >= MAX_LANGUAGE_HOSTS && !hosts.contains_key(host) {
            hosts.clear();
        }
        let entry = hosts
            .entry(host.to_string())
            .or_insert_with(|| (lang.to_string(), 0));
        if entry.0 != lang {
            *entry = (lang.to_string(), 0);
        }
        match verdict {
            Verdict::Confirmed => entry.1 += 1,
            Verdict::Overruled => entry.1 = 0,
            Verdict::Undecided => {}
        }
    }
}

/// The record's language: the markup's (or the site's) declaration, unless
/// the text is confidently in another, clearly different language (a
/// template's stale `<html lang>`); detected from the text when nothing is
/// declared.
pub fn choose_language(declared: Option<String>, body: &str) -> Option<String> {
    match declared {
        None => detect_language(body),
        Some(declared) => Some(check_declared(declared, body).0),
    }
}

/// [`choose_language`] for a page of `host`, skipping the check when the
/// memo already trusts the host's declaration, and teaching the memo.
pub fn choose_language_on_host(
    declared: Option<String>,
    body: &str,
    host: &str,
    memo: &LanguageMemo,
) -> Option<String> {
    let Some(declared) = declared else {
        return detect_language(body);
    };
    if memo.trusts(host, &declared) {
        return Some(declared);
    }
    let (chosen, verdict) = check_declared(declared.clone(), body);
    memo.note(host, &declared, verdict);
    Some(chosen)
}

/// Checks a declaration against a short sample of the text.
fn check_declared(declared: String, body: &str) -> (String, Verdict) {
    let sample: String = body.chars().take(800).collect();
    if sample.chars().count() < 200 {
        return (declared, Verdict::Undecided);
    }
    let Some(info) = whatlang::detect(&sample) else {
        return (declared, Verdict::Undecided);
    };
    let confident = info.is_reliable() && info.confidence() >= 0.9;
    let detected = isolang::Language::from_639_3(info.lang().code()).and_then(|l| l.to_639_1());
    match detected {
        Some(d) if confident && d == declared => (declared, Verdict::Confirmed),
        Some(d) if confident => {
            let close = CLOSE_LANGUAGES
                .iter()
                .any(|g| g.contains(&d) && g.contains(&declared.as_str()));
            if close {
                (declared, Verdict::Undecided)
            } else {
                (d.to_string(), Verdict::Overruled)
            }
        }
        _ => (declared, Verdict::Undecided),
    }
}

/// Detects the language of a text (ISO 639-1), when reliable.
pub fn detect_language(text: &str) -> Option<String> {
    let sample: String = text.chars().take(2000).collect();
    let info = whatlang::detect(&sample)?;
    if !info.is_reliable() && sample.chars().count() > 200 {
        return None;
    }
    isolang::Language::from_639_3(info.lang().code())
        .and_then(|l| l.to_639_1())
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    const IT: &str = "Il consiglio comunale ha approvato martedì il prolungamento della linea del tram, una decisione che arriva dopo anni di discussioni, due consultazioni pubbliche e una lunga campagna dei residenti del quartiere, che chiedevano collegamenti migliori con il centro della città.";
    const EN: &str = "The city council approved the extension of the tram line on Tuesday, a decision that comes after years of discussion, two public consultations and a long campaign by residents of the district, who had asked for better connections to the centre of the city.";

    #[test]
    fn missing_or_wrong_declaration_is_corrected_by_the_text() {
        assert_eq!(choose_language(None, IT).as_deref(), Some("it"));
        assert_eq!(
            choose_language(Some("en".into()), IT).as_deref(),
            Some("it")
        );
        assert_eq!(
            choose_language(Some("it".into()), IT).as_deref(),
            Some("it")
        );
        // Short texts and close languages keep the declaration.
        assert_eq!(
            choose_language(Some("en".into()), "Ciao a tutti").as_deref(),
            Some("en")
        );
        assert_eq!(
            choose_language(Some("ca".into()), IT).as_deref(),
            Some("it")
        );
    }

    #[test]
    fn memo_trusts_a_host_only_after_confirmations_in_a_row() {
        let memo = LanguageMemo::default();
        let on = |declared: &str, body: &str, host: &str| {
            choose_language_on_host(Some(declared.into()), body, host, &memo)
        };
        // A stale declaration is corrected every time: it never earns trust.
        for _ in 0..TRUST_AFTER + 2 {
            assert_eq!(on("en", IT, "stale.example").as_deref(), Some("it"));
        }
        assert!(!memo.trusts("stale.example", "en"));
        // A confirmed one is trusted after TRUST_AFTER pages, for that host
        // and that language only.
        for _ in 0..TRUST_AFTER {
            assert!(!memo.trusts("good.example", "en"));
            assert_eq!(on("en", EN, "good.example").as_deref(), Some("en"));
        }
        assert!(memo.trusts("good.example", "en"));
        assert!(!memo.trusts("good.example", "de"));
        assert!(!memo.trusts("other.example", "en"));
        // An overruled page starts the count again.
        memo.note("good.example", "en", Verdict::Overruled);
        assert!(!memo.trusts("good.example", "en"));
    }
}
