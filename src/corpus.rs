//! Evaluation corpora (format: `shared/corpus/README.md`): loading the index,
//! extracting every page, and scoring with [`crate::metric`].

use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result};
use rayon::prelude::*;
use serde::Deserialize;
use url::Url;

use crate::extract::{extract_page, ExtractError, ExtractOptions, PageInput};
use crate::limits::MAX_BODY_BYTES;
use crate::metric::{self, ShingleScore, ShingleTotals, SnippetCounts};
use crate::record::Record;
use crate::selectors::SiteRegistry;

/// Expected extraction of a `publishers` page.
#[derive(Debug, Clone, Deserialize)]
pub struct Expected {
    /// Headline.
    pub title: Option<String>,
    /// Authors.
    #[serde(default)]
    pub authors: Vec<String>,
    /// Publication time (ISO-8601).
    pub published: Option<String>,
    /// Body text.
    #[serde(default)]
    pub body: String,
}

/// One line of a corpus `index.jsonl`.
#[derive(Debug, Clone, Deserialize)]
pub struct CorpusEntry {
    /// Page id.
    pub id: String,
    /// The page's address.
    pub url: String,
    /// Path of the `.html.gz`, relative to the corpus folder.
    pub html: String,
    /// Expected values (`publishers`).
    pub expected: Option<Expected>,
    /// Snippets that must be in the body (`generic`).
    #[serde(default)]
    pub with: Vec<String>,
    /// Snippets that must not be in the body (`generic`).
    #[serde(default)]
    pub without: Vec<String>,
}

/// A loaded corpus.
#[derive(Debug, Clone)]
pub struct Corpus {
    /// The folder.
    pub dir: PathBuf,
    /// Its entries, in index order.
    pub entries: Vec<CorpusEntry>,
}

impl Corpus {
    /// Reads `DIR/index.jsonl`.
    pub fn load(dir: &Path) -> Result<Self> {
        let index = dir.join("index.jsonl");
        let text = std::fs::read_to_string(&index)
            .with_context(|| format!("{}: cannot read the corpus index", index.display()))?;
        let mut entries = Vec::new();
        for (i, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let e: CorpusEntry = serde_json::from_str(line)
                .with_context(|| format!("{}:{}: invalid corpus entry", index.display(), i + 1))?;
            entries.push(e);
        }
        Ok(Self {
            dir: dir.to_path_buf(),
            entries,
        })
    }

    /// True when the corpus has expected bodies (`publishers` kind).
    pub fn has_expected_bodies(&self) -> bool {
        self.entries.iter().any(|e| e.expected.is_some())
    }

    /// Reads (and gunzips) one page's bytes.
    pub fn read_page(&self, entry: &CorpusEntry) -> Result<Vec<u8>> {
        read_html_file(&self.dir.join(&entry.html))
    }
}

/// Reads an HTML file, gunzipping `.gz` files, at most [`MAX_BODY_BYTES`].
pub fn read_html_file(path: &Path) -> Result<Vec<u8>> {
    let file =
        std::fs::File::open(path).with_context(|| format!("{}: cannot open", path.display()))?;
    let limit = MAX_BODY_BYTES as u64 + 1;
    let mut bytes = Vec::new();
    if path.extension().is_some_and(|e| e == "gz") {
        flate2::read::MultiGzDecoder::new(file)
            .take(limit)
            .read_to_end(&mut bytes)
            .with_context(|| format!("{}: cannot decompress", path.display()))?;
    } else {
        file.take(limit)
            .read_to_end(&mut bytes)
            .with_context(|| format!("{}: cannot read", path.display()))?;
    }
    if bytes.len() > MAX_BODY_BYTES {
        anyhow::bail!("{}: larger than {} bytes", path.display(), MAX_BODY_BYTES);
    }
    Ok(bytes)
}

/// The outcome of extracting one corpus page.
#[derive(Debug, Clone)]
pub struct PageOutcome {
    /// Index into the corpus entries.
    pub index: usize,
    /// The record, when extraction succeeded.
    pub record: Option<Record>,
    /// The error, when it failed.
    pub error: Option<String>,
    /// The fallback reason, when a config's body was unusable.
    pub fallback: Option<String>,
    /// Whether the article detector judged the page an article.
    pub is_article: bool,
    /// Seconds spent in extraction (decode + parse + extract + serialise).
    pub seconds: f64,
    /// Size of the page in bytes.
    pub bytes: usize,
}

/// Extracts the selected entries in parallel; file reading is not timed.
pub fn run(
    corpus: &Corpus,
    indices: &[usize],
    sites: &SiteRegistry,
    opts: &ExtractOptions,
) -> Vec<PageOutcome> {
    let pages: Vec<(usize, Result<Vec<u8>>)> = indices
        .par_iter()
        .map(|&i| (i, corpus.read_page(&corpus.entries[i])))
        .collect();
    pages
        .into_par_iter()
        .map(|(index, bytes)| {
            let entry = &corpus.entries[index];
            let bytes = match bytes {
                Ok(b) => b,
                Err(e) => {
                    return PageOutcome {
                        index,
                        record: None,
                        error: Some(format!("{e:#}")),
                        fallback: None,
                        is_article: false,
                        seconds: 0.0,
                        bytes: 0,
                    }
                }
            };
            let url = Url::parse(entry.url.trim()).ok();
            let mut input = PageInput::new(&bytes);
            input.url = url;
            let start = Instant::now();
            let result = extract_page(&input, sites, opts);
            let (record, error, fallback, is_article) = match result {
                Ok(page) if !page.has_text() => {
                    (None, Some(ExtractError::NoText.to_string()), None, false)
                }
                Ok(page) => {
                    // Serialising is part of the measured work.
                    std::hint::black_box(page.record.to_json_line());
                    let is_article = page.is_article();
                    (Some(page.record), None, page.fallback, is_article)
                }
                Err(e) => (None, Some(e.to_string()), None, false),
            };
            PageOutcome {
                index,
                record,
                error,
                fallback,
                is_article,
                seconds: start.elapsed().as_secs_f64(),
                bytes: bytes.len(),
            }
        })
        .collect()
}

/// Scores of one `publishers` page.
#[derive(Debug, Clone)]
pub struct PageScore {
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
pub fn score_expected(expected: &Expected, record: Option<&Record>) -> PageScore {
    let body = record.map_or("", |r| r.body.as_str());
    let nonempty = |s: &Option<String>| s.as_ref().is_some_and(|v| !v.trim().is_empty());
    PageScore {
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
    pub fn add(&mut self, s: &PageScore) {
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

/// Snippet counts of one `generic` page.
pub fn score_snippets(entry: &CorpusEntry, record: Option<&Record>) -> SnippetCounts {
    SnippetCounts::score(
        record.map_or("", |r| r.body.as_str()),
        &entry.with,
        &entry.without,
    )
}
