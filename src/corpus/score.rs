//! Scoring corpus pages by the corpus kind: the shingle metric and field
//! matches (`publishers`), the snippet metric (`generic`), the word metric
//! with the snippet metric beside it (`wcxb`); and the totals of a set of
//! pages, as the columns `eval` prints.

use crate::metric::{self, ShingleScore, ShingleTotals, SnippetCounts, WordScore, WordTotals};
use crate::record::Record;

use super::{CorpusEntry, CorpusKind, Expected};

/// The scores of one page, by the corpus kind.
#[derive(Debug, Clone)]
pub enum PageScore {
    /// Shingle metric and field matches.
    Publishers(FieldScore),
    /// Snippet counts.
    Generic(SnippetCounts),
    /// Word metric, and snippet counts.
    Wcxb(WordScore, SnippetCounts),
}

impl PageScore {
    /// Scores a page's record (`None`: extraction gave none, an empty
    /// prediction) by what its corpus kind measures.
    pub fn of(kind: CorpusKind, entry: &CorpusEntry, record: Option<&Record>) -> Self {
        let body = record.map_or("", |r| r.body.as_str());
        let snippets = || SnippetCounts::score(body, &entry.with, &entry.without);
        let expected = entry.expected.as_ref();
        match (kind, expected) {
            (CorpusKind::Publishers, Some(e)) => Self::Publishers(score_expected(e, record)),
            (CorpusKind::Wcxb, Some(e)) => {
                Self::Wcxb(metric::word_score(&e.body, body), snippets())
            }
            // A page without `expected` is not in such a corpus (the index
            // is checked on loading); its snippets are all it can offer.
            _ => Self::Generic(snippets()),
        }
    }

    /// The page's own F1 by the corpus's main metric (to rank pages).
    pub fn f1(&self) -> f64 {
        match self {
            Self::Publishers(s) => s.body.f1(),
            Self::Generic(c) => c.f1(),
            Self::Wcxb(w, _) => w.f1,
        }
    }

    /// The page's figures, for the per-page lines.
    pub fn detail(&self) -> String {
        match self {
            Self::Publishers(s) => format!(
                "P {:.3} R {:.3} title {} authors {} published {}",
                s.body.precision().unwrap_or(0.0),
                s.body.recall().unwrap_or(0.0),
                mark(s.title),
                mark(s.authors),
                mark(s.published)
            ),
            Self::Generic(c) => snippet_detail(c),
            Self::Wcxb(w, c) => format!(
                "P {:.3} R {:.3} snippets {}",
                w.precision,
                w.recall,
                snippet_detail(c)
            ),
        }
    }
}

fn snippet_detail(c: &SnippetCounts) -> String {
    format!("tp {} fp {} fn {}", c.tp, c.fp, c.fn_)
}

/// `ok`, `MISS` or `-` (nothing expected).
pub fn mark(v: Option<bool>) -> &'static str {
    match v {
        Some(true) => "ok",
        Some(false) => "MISS",
        None => "-",
    }
}

/// The totals of a set of pages of one corpus kind.
#[derive(Debug, Clone)]
pub enum Totals {
    /// Shingle metric and field matches.
    Publishers(FieldTotals),
    /// Snippet metric.
    Generic(SnippetCounts),
    /// Word metric and snippet metric.
    Wcxb(WordTotals, SnippetCounts),
}

impl Totals {
    /// Empty totals for a corpus kind.
    pub fn new(kind: CorpusKind) -> Self {
        match kind {
            CorpusKind::Publishers => Self::Publishers(FieldTotals::default()),
            CorpusKind::Generic => Self::Generic(SnippetCounts::default()),
            CorpusKind::Wcxb => Self::Wcxb(WordTotals::default(), SnippetCounts::default()),
        }
    }

    /// Adds a page's scores (of the same kind; others are ignored).
    pub fn add(&mut self, s: &PageScore) {
        match (self, s) {
            (Self::Publishers(t), PageScore::Publishers(s)) => t.add(s),
            (Self::Generic(t), PageScore::Generic(c)) => t.add(c),
            (Self::Wcxb(w, c), PageScore::Wcxb(ws, cs)) => {
                w.add(ws);
                c.add(cs);
            }
            _ => {}
        }
    }

    /// The corpus F1 of the main metric (the one `--min-f1` gates).
    pub fn f1(&self) -> f64 {
        match self {
            Self::Publishers(t) => t.body.f1(),
            Self::Generic(c) => c.f1(),
            Self::Wcxb(w, _) => w.f1(),
        }
    }

    /// The main metric's name.
    pub fn metric_name(&self) -> &'static str {
        match self {
            Self::Publishers(_) => "body (shingle) F1",
            Self::Generic(_) => "snippet F1",
            Self::Wcxb(..) => "word F1",
        }
    }

    /// Column headers of [`Totals::columns`].
    pub fn headers(&self) -> &'static [&'static str] {
        match self {
            Self::Publishers(_) => &[
                "body F1",
                "P",
                "R",
                "exact",
                "title",
                "authors",
                "published",
            ],
            Self::Generic(_) => &["snippet F1", "P", "R", "accuracy"],
            Self::Wcxb(..) => &["word F1", "P", "R", "snippet F1", "snip P", "snip R"],
        }
    }

    /// The figures, one per header.
    pub fn columns(&self) -> Vec<f64> {
        match self {
            Self::Publishers(t) => vec![
                t.body.f1(),
                t.body.precision(),
                t.body.recall(),
                t.body.accuracy(),
                rate(t.title),
                rate(t.authors),
                rate(t.published),
            ],
            Self::Generic(c) => vec![c.f1(), c.precision(), c.recall(), c.accuracy()],
            Self::Wcxb(w, c) => vec![
                w.f1(),
                w.precision(),
                w.recall(),
                c.f1(),
                c.precision(),
                c.recall(),
            ],
        }
    }
}

/// Body and field scores of one page with expected values.
#[derive(Debug, Clone)]
pub struct FieldScore {
    /// Body shingle comparison.
    pub body: ShingleScore,
    /// Title matched (None when no title is expected).
    pub title: Option<bool>,
    /// Authors matched (None when none expected).
    pub authors: Option<bool>,
    /// Published matched (None when none expected).
    pub published: Option<bool>,
}

/// Scores a page against its expected values.
pub fn score_expected(expected: &Expected, record: Option<&Record>) -> FieldScore {
    let body = record.map_or("", |r| r.body.as_str());
    let nonempty = |s: &Option<String>| s.as_ref().is_some_and(|v| !v.trim().is_empty());
    FieldScore {
        body: metric::shingle_score(&expected.body, body),
        title: nonempty(&expected.title).then(|| {
            metric::title_matches(
                expected.title.as_deref().unwrap_or(""),
                record.and_then(|r| r.title.as_deref()),
            )
        }),
        authors: (!expected.authors.iter().all(|a| a.trim().is_empty())).then(|| {
            metric::authors_match(
                &expected.authors,
                record.map_or(&[][..], |r| &r.authors[..]),
            )
        }),
        published: nonempty(&expected.published).then(|| {
            metric::published_matches(
                expected.published.as_deref().unwrap_or(""),
                record.and_then(|r| r.published.as_deref()),
            )
        }),
    }
}

/// Field match rates over pages where a value is expected.
#[derive(Debug, Clone, Default)]
pub struct FieldTotals {
    /// Body metric.
    pub body: ShingleTotals,
    /// (matched, expected) titles.
    pub title: (usize, usize),
    /// (matched, expected) author sets.
    pub authors: (usize, usize),
    /// (matched, expected) publication times.
    pub published: (usize, usize),
}

impl FieldTotals {
    /// Adds one page's scores.
    pub fn add(&mut self, s: &FieldScore) {
        self.body.add(&s.body);
        let bump = |slot: &mut (usize, usize), v: Option<bool>| {
            if let Some(ok) = v {
                slot.1 += 1;
                if ok {
                    slot.0 += 1;
                }
            }
        };
        bump(&mut self.title, s.title);
        bump(&mut self.authors, s.authors);
        bump(&mut self.published, s.published);
    }
}

/// Ratio helper: matched / expected (1 when nothing was expected).
pub fn rate((ok, n): (usize, usize)) -> f64 {
    if n == 0 {
        1.0
    } else {
        ok as f64 / n as f64
    }
}
