//! The evaluation metrics of the corpus README, the one place they live:
//! the shingle metric for bodies (`publishers`), the snippet metric
//! (`generic`, and secondary on `wcxb-dev`), the word metric (`wcxb-dev`)
//! and field matches.

use std::collections::HashMap;
use std::sync::LazyLock;

use chrono::{DateTime, NaiveDateTime, Utc};
use regex::Regex;

/// Python's `\w` on text: letters, numbers and the underscore (Rust's `\w`
/// also takes combining marks and other connector punctuation, which
/// Python's does not).
static WORD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[\p{L}\p{N}_]+").expect("static regex"));

/// Tokens of a text as the Python regex `\w+` finds them: runs of Unicode
/// letters, numbers and underscores.
pub fn tokens(text: &str) -> Vec<&str> {
    WORD.find_iter(text).map(|m| m.as_str()).collect()
}

/// The multiset of 4-token shingles (one shingle of all tokens for 1-3).
fn shingles<'a>(toks: &[&'a str]) -> HashMap<Vec<&'a str>, usize> {
    let mut out = HashMap::new();
    if toks.is_empty() {
        return out;
    }
    if toks.len() < 4 {
        out.insert(toks.to_vec(), 1);
        return out;
    }
    for w in toks.windows(4) {
        *out.entry(w.to_vec()).or_insert(0) += 1;
    }
    out
}

/// The shingle comparison of one page, normalised so tp + fp + fn = 1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ShingleScore {
    /// True positives (share).
    pub tp: f64,
    /// False positives (share).
    pub fp: f64,
    /// False negatives (share).
    pub fn_: f64,
    /// Whether the token lists are identical.
    pub exact: bool,
}

impl ShingleScore {
    /// Per-page precision (None when tp + fp = 0: not counted).
    pub fn precision(&self) -> Option<f64> {
        if self.fp == 0.0 && self.fn_ == 0.0 {
            return Some(1.0);
        }
        if self.tp + self.fp == 0.0 {
            return None;
        }
        Some(self.tp / (self.tp + self.fp))
    }

    /// Per-page recall (None when tp + fn = 0: not counted).
    pub fn recall(&self) -> Option<f64> {
        if self.fp == 0.0 && self.fn_ == 0.0 {
            return Some(1.0);
        }
        if self.tp + self.fn_ == 0.0 {
            return None;
        }
        Some(self.tp / (self.tp + self.fn_))
    }

    /// The page's own F1 (for ranking pages).
    pub fn f1(&self) -> f64 {
        let p = self.precision().unwrap_or(0.0);
        let r = self.recall().unwrap_or(0.0);
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

/// Compares a predicted body with the expected one.
pub fn shingle_score(expected: &str, predicted: &str) -> ShingleScore {
    let et = tokens(expected);
    let pt = tokens(predicted);
    let exact = et == pt;
    let es = shingles(&et);
    let ps = shingles(&pt);
    let (mut tp, mut fp, mut fn_) = (0usize, 0usize, 0usize);
    for (s, &pc) in &ps {
        let ec = es.get(s).copied().unwrap_or(0);
        tp += pc.min(ec);
        fp += pc.saturating_sub(ec);
    }
    for (s, &ec) in &es {
        let pc = ps.get(s).copied().unwrap_or(0);
        fn_ += ec.saturating_sub(pc);
    }
    let total = (tp + fp + fn_) as f64;
    if total == 0.0 {
        return ShingleScore {
            tp: 0.0,
            fp: 0.0,
            fn_: 0.0,
            exact,
        };
    }
    ShingleScore {
        tp: tp as f64 / total,
        fp: fp as f64 / total,
        fn_: fn_ as f64 / total,
        exact,
    }
}

/// Corpus-level shingle metric: means of per-page precision and recall.
#[derive(Debug, Clone, Default)]
pub struct ShingleTotals {
    precision_sum: f64,
    precision_pages: usize,
    recall_sum: f64,
    recall_pages: usize,
    exact: usize,
    pages: usize,
}

impl ShingleTotals {
    /// Adds one page.
    pub fn add(&mut self, s: &ShingleScore) {
        self.pages += 1;
        if s.exact {
            self.exact += 1;
        }
        if let Some(p) = s.precision() {
            self.precision_sum += p;
            self.precision_pages += 1;
        }
        if let Some(r) = s.recall() {
            self.recall_sum += r;
            self.recall_pages += 1;
        }
    }

    /// Mean precision over pages with a non-empty prediction.
    pub fn precision(&self) -> f64 {
        mean(self.precision_sum, self.precision_pages)
    }

    /// Mean recall over pages with a non-empty expectation.
    pub fn recall(&self) -> f64 {
        mean(self.recall_sum, self.recall_pages)
    }

    /// F1 of the two means.
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }

    /// Share of pages whose token lists match exactly.
    pub fn accuracy(&self) -> f64 {
        mean(self.exact as f64, self.pages)
    }

    /// Pages added.
    pub fn pages(&self) -> usize {
        self.pages
    }
}

/// The word metric of one page: bag-of-words overlap of the lower-cased
/// tokens.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WordScore {
    /// Overlap / predicted tokens.
    pub precision: f64,
    /// Overlap / expected tokens.
    pub recall: f64,
    /// Harmonic mean of the two (0 when there is no overlap).
    pub f1: f64,
}

impl WordScore {
    const PERFECT: Self = Self {
        precision: 1.0,
        recall: 1.0,
        f1: 1.0,
    };
    const ZERO: Self = Self {
        precision: 0.0,
        recall: 0.0,
        f1: 0.0,
    };
}

/// Compares a predicted body with the expected one by the word metric: both
/// lower-cased and tokenized ([`tokens`]); overlap = the size of the
/// multiset intersection. An empty reference scores 1 for an empty
/// prediction and 0 otherwise; an empty prediction scores 0.
pub fn word_score(expected: &str, predicted: &str) -> WordScore {
    let expected = expected.to_lowercase();
    let predicted = predicted.to_lowercase();
    let (et, pt) = (tokens(&expected), tokens(&predicted));
    match (et.is_empty(), pt.is_empty()) {
        (true, true) => return WordScore::PERFECT,
        (true, false) | (false, true) => return WordScore::ZERO,
        (false, false) => {}
    }
    let mut bag: HashMap<&str, usize> = HashMap::with_capacity(et.len());
    for t in &et {
        *bag.entry(t).or_insert(0) += 1;
    }
    let mut overlap = 0usize;
    for t in &pt {
        if let Some(n) = bag.get_mut(t).filter(|n| **n > 0) {
            *n -= 1;
            overlap += 1;
        }
    }
    if overlap == 0 {
        return WordScore::ZERO;
    }
    let precision = overlap as f64 / pt.len() as f64;
    let recall = overlap as f64 / et.len() as f64;
    WordScore {
        precision,
        recall,
        f1: 2.0 * precision * recall / (precision + recall),
    }
}

/// Corpus-level word metric: the means of the per-page precision, recall
/// and F1 over all pages.
#[derive(Debug, Clone, Default)]
pub struct WordTotals {
    precision: f64,
    recall: f64,
    f1: f64,
    pages: usize,
}

impl WordTotals {
    /// Adds one page.
    pub fn add(&mut self, s: &WordScore) {
        self.precision += s.precision;
        self.recall += s.recall;
        self.f1 += s.f1;
        self.pages += 1;
    }

    /// Mean precision.
    pub fn precision(&self) -> f64 {
        mean(self.precision, self.pages)
    }

    /// Mean recall.
    pub fn recall(&self) -> f64 {
        mean(self.recall, self.pages)
    }

    /// Mean F1 (not the F1 of the means).
    pub fn f1(&self) -> f64 {
        mean(self.f1, self.pages)
    }

    /// Pages added.
    pub fn pages(&self) -> usize {
        self.pages
    }
}

fn mean(sum: f64, n: usize) -> f64 {
    if n == 0 {
        0.0
    } else {
        sum / n as f64
    }
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Snippet counts, summed over pages.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct SnippetCounts {
    /// `with` snippets found.
    pub tp: usize,
    /// `without` snippets found.
    pub fp: usize,
    /// `with` snippets missing.
    pub fn_: usize,
    /// `without` snippets absent.
    pub tn: usize,
}

impl SnippetCounts {
    /// Scores one page's predicted body against its snippets.
    pub fn score(body: &str, with: &[String], without: &[String]) -> Self {
        let body = collapse(body);
        let mut c = Self::default();
        for s in with {
            if body.contains(&collapse(s)) {
                c.tp += 1;
            } else {
                c.fn_ += 1;
            }
        }
        for s in without {
            if body.contains(&collapse(s)) {
                c.fp += 1;
            } else {
                c.tn += 1;
            }
        }
        c
    }

    /// Adds another page's counts.
    pub fn add(&mut self, o: &Self) {
        self.tp += o.tp;
        self.fp += o.fp;
        self.fn_ += o.fn_;
        self.tn += o.tn;
    }

    /// TP / (TP + FP).
    pub fn precision(&self) -> f64 {
        mean(self.tp as f64, self.tp + self.fp)
    }

    /// TP / (TP + FN).
    pub fn recall(&self) -> f64 {
        mean(self.tp as f64, self.tp + self.fn_)
    }

    /// Harmonic mean of precision and recall.
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }

    /// (TP + TN) / all.
    pub fn accuracy(&self) -> f64 {
        mean(
            (self.tp + self.tn) as f64,
            self.tp + self.fp + self.fn_ + self.tn,
        )
    }
}

/// Titles match after collapsing whitespace.
pub fn title_matches(expected: &str, predicted: Option<&str>) -> bool {
    predicted.is_some_and(|p| collapse(p) == collapse(expected))
}

/// Author sets match after collapsing whitespace and case-folding.
pub fn authors_match(expected: &[String], predicted: &[String]) -> bool {
    let norm = |v: &[String]| -> std::collections::BTreeSet<String> {
        v.iter()
            .map(|a| collapse(a).to_lowercase())
            .filter(|a| !a.is_empty())
            .collect()
    };
    norm(expected) == norm(predicted)
}

/// Parses an ISO-8601 time; no offset means UTC.
fn to_utc(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Some(d.with_timezone(&Utc));
    }
    for f in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S",
    ] {
        if let Ok(d) = NaiveDateTime::parse_from_str(s, f) {
            return Some(d.and_utc());
        }
    }
    None
}

/// Times match to the minute, in UTC.
pub fn published_matches(expected: &str, predicted: Option<&str>) -> bool {
    let Some(p) = predicted.and_then(to_utc) else {
        return false;
    };
    let Some(e) = to_utc(expected) else {
        return false;
    };
    e.timestamp().div_euclid(60) == p.timestamp().div_euclid(60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_texts_score_one() {
        let s = shingle_score("a b c d e", "a  b\nc, d. e");
        assert_eq!(
            (s.precision(), s.recall(), s.exact),
            (Some(1.0), Some(1.0), true)
        );
    }

    #[test]
    fn hand_made_counts() {
        // expected shingles: [a b c d], [b c d e]; predicted: [a b c d], [b c d x]
        let s = shingle_score("a b c d e", "a b c d x");
        assert!((s.tp - 1.0 / 3.0).abs() < 1e-9);
        assert!((s.fp - 1.0 / 3.0).abs() < 1e-9);
        assert!((s.fn_ - 1.0 / 3.0).abs() < 1e-9);
        assert_eq!(s.precision(), Some(0.5));
        assert_eq!(s.recall(), Some(0.5));
        // Short texts are one shingle.
        let s = shingle_score("a b", "a b c");
        assert_eq!((s.tp, s.precision()), (0.0, Some(0.0)));
    }

    #[test]
    fn empty_prediction_is_not_counted_in_precision() {
        let mut t = ShingleTotals::default();
        t.add(&shingle_score("a b c d", ""));
        t.add(&shingle_score("a b c d", "a b c d"));
        assert_eq!(t.precision(), 1.0);
        assert_eq!(t.recall(), 0.5);
        assert!((t.f1() - 2.0 / 3.0).abs() < 1e-9);
        assert_eq!(t.accuracy(), 0.5);
    }

    #[test]
    fn repeated_shingles_count_as_multisets() {
        let s = shingle_score("a b c d a b c d", "a b c d");
        // expected: abcd x2, bcda, cdab, dabc; predicted: abcd
        assert!((s.tp - 1.0 / 5.0).abs() < 1e-9);
        assert_eq!(s.precision(), Some(1.0));
    }

    #[test]
    fn tokens_follow_python_word_characters() {
        // Combining marks split a token (as in Python), numbers of every
        // kind and the underscore join it, other punctuation splits it.
        assert_eq!(
            tokens("Mu\u{308}ller snake_case ½x ä"),
            ["Mu", "ller", "snake_case", "½x", "ä"]
        );
        assert_eq!(tokens("l'été—2024…ok‿go"), ["l", "été", "2024", "ok", "go"]);
        assert_eq!(tokens("東京 हिन्दी"), ["東京", "ह", "न", "द"]);
        // Lower-casing as Python does it: final sigma, dotted capital I.
        // ("İ" lower-cases to "i" and a combining dot, which splits.)
        let s = word_score("İSTANBUL ΟΔΟΣ", "i stanbul \u{3bf}\u{3b4}\u{3bf}\u{3c2}");
        assert_eq!(s.f1, 1.0);
    }

    #[test]
    fn word_metric_by_hand() {
        // expected 5 tokens, predicted 4; bags share the, cat, sat (the
        // second "the" of the prediction has no partner): overlap 3.
        let s = word_score("The cat sat on mats", "the THE cat, sat!");
        assert!((s.precision - 3.0 / 4.0).abs() < 1e-12);
        assert!((s.recall - 3.0 / 5.0).abs() < 1e-12);
        assert!((s.f1 - 2.0 * 0.75 * 0.6 / 1.35).abs() < 1e-12);
        // Case and punctuation do not matter; order does not either.
        assert_eq!(word_score("A b. C", "c a B").f1, 1.0);
        // No overlap.
        assert_eq!(word_score("a b", "c d"), WordScore::ZERO);
    }

    #[test]
    fn word_metric_empty_rules() {
        assert_eq!(word_score("", ""), WordScore::PERFECT);
        assert_eq!(word_score(" ... ", "—"), WordScore::PERFECT);
        assert_eq!(word_score("", "something"), WordScore::ZERO);
        assert_eq!(word_score("something", ""), WordScore::ZERO);
    }

    #[test]
    fn word_totals_are_means_of_pages() {
        let mut t = WordTotals::default();
        t.add(&word_score("a b c d", "a b")); // P 1, R 0.5, F1 2/3
        t.add(&word_score("a", "")); // 0, 0, 0
        t.add(&word_score("", "")); // 1, 1, 1
        assert_eq!(t.pages(), 3);
        assert!((t.precision() - 2.0 / 3.0).abs() < 1e-12);
        assert!((t.recall() - 1.5 / 3.0).abs() < 1e-12);
        assert!((t.f1() - (2.0 / 3.0 + 1.0) / 3.0).abs() < 1e-12);
        assert_eq!(WordTotals::default().f1(), 0.0);
    }

    #[test]
    fn snippets() {
        let c = SnippetCounts::score(
            "Hello   big\nworld",
            &["big world".into(), "nope".into()],
            &["Hello".into(), "zzz".into()],
        );
        assert_eq!(
            c,
            SnippetCounts {
                tp: 1,
                fp: 1,
                fn_: 1,
                tn: 1
            }
        );
        assert_eq!(c.f1(), 0.5);
    }

    #[test]
    fn fields() {
        assert!(title_matches(" A  title ", Some("A title")));
        assert!(authors_match(
            &["Jane  Doe".into(), "X".into()],
            &["x".into(), "jane doe".into()]
        ));
        assert!(published_matches(
            "2024-04-22T15:26:46.86+00:00",
            Some("2024-04-22T17:26:05+02:00")
        ));
        assert!(published_matches(
            "2024-04-22T15:26:46",
            Some("2024-04-22T15:26:00Z")
        ));
        assert!(!published_matches(
            "2024-04-22T15:26:46",
            Some("2024-04-22T15:27:00Z")
        ));
    }
}
