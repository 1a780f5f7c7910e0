//! Evaluation corpora (format: `shared/corpus/README.md`): loading the
//! index and telling its kind, the tuning/validation split ([`split`]),
//! extracting every page, and scoring ([`score`], with [`crate::metric`]).

pub mod classification;
pub mod score;
pub mod split;

use std::collections::BTreeSet;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result};
use rayon::prelude::*;
use serde::Deserialize;
use url::Url;

use crate::extract::{extract_page, ExtractError, ExtractOptions, PageInput, PageType};
use crate::limits::MAX_BODY_BYTES;
use crate::record::Record;
use crate::selectors::SiteRegistry;
pub use score::{rate, score_expected, FieldScore, FieldTotals, PageScore, Totals};
pub use split::Part;

/// Expected extraction of a page (`publishers` and `wcxb` kinds).
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
    /// Expected values (`publishers`, `wcxb`).
    pub expected: Option<Expected>,
    /// The page's type (`wcxb`: article, forum, listing, ...).
    pub page_type: Option<String>,
    /// Snippets that must be in the body (`generic`, `wcxb`).
    #[serde(default)]
    pub with: Vec<String>,
    /// Snippets that must not be in the body (`generic`, `wcxb`).
    #[serde(default)]
    pub without: Vec<String>,
}

/// What a corpus's pages carry, and so how it is scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CorpusKind {
    /// Expected title, authors, time and body, no page type: the shingle
    /// metric and field matches.
    Publishers,
    /// `with`/`without` snippets only: the snippet metric.
    Generic,
    /// Expected body and a page type: the word metric, overall and per
    /// type, and the snippet metric beside it.
    Wcxb,
}

impl CorpusKind {
    /// The kind of one index line.
    pub fn of(entry: &CorpusEntry) -> Self {
        match (&entry.expected, &entry.page_type) {
            (Some(_), Some(_)) => Self::Wcxb,
            (Some(_), None) => Self::Publishers,
            (None, _) => Self::Generic,
        }
    }

    /// The kind's name.
    pub fn name(self) -> &'static str {
        match self {
            Self::Publishers => "publishers",
            Self::Generic => "generic",
            Self::Wcxb => "wcxb",
        }
    }

    /// What a line of this kind carries, for messages.
    fn carries(self) -> &'static str {
        match self {
            Self::Publishers => "`expected` and no `page_type`",
            Self::Generic => "no `expected`",
            Self::Wcxb => "`expected` and a `page_type`",
        }
    }

    /// Whether pages of this kind have an expected body.
    pub fn has_expected(self) -> bool {
        !matches!(self, Self::Generic)
    }
}

/// A loaded corpus.
#[derive(Debug, Clone)]
pub struct Corpus {
    /// The folder.
    pub dir: PathBuf,
    /// Its kind (every line of its index is of this kind).
    pub kind: CorpusKind,
    /// Its entries, in index order.
    pub entries: Vec<CorpusEntry>,
    /// The part of each entry (same order).
    pub parts: Vec<Part>,
}

impl Corpus {
    /// Reads `DIR/index.jsonl`; an index mixing kinds of pages is an error
    /// naming the first line that differs from the first page.
    pub fn load(dir: &Path) -> Result<Self> {
        let index = dir.join("index.jsonl");
        let text = std::fs::read_to_string(&index)
            .with_context(|| format!("{}: cannot read the corpus index", index.display()))?;
        let mut entries = Vec::new();
        let mut first: Option<(CorpusKind, usize)> = None;
        for (i, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let e: CorpusEntry = serde_json::from_str(line)
                .with_context(|| format!("{}:{}: invalid corpus entry", index.display(), i + 1))?;
            let kind = CorpusKind::of(&e);
            match first {
                None => first = Some((kind, i + 1)),
                Some((corpus_kind, first_line)) if kind != corpus_kind => anyhow::bail!(
                    "{}:{}: page `{}` has {}, but line {first_line} has {} (a {} page): every page of an index must be of one kind (publishers: `expected` without `page_type`; generic: `with`/`without` only; wcxb: `expected` and `page_type`)",
                    index.display(),
                    i + 1,
                    e.id,
                    kind.carries(),
                    corpus_kind.carries(),
                    corpus_kind.name(),
                ),
                Some(_) => {}
            }
            entries.push(e);
        }
        let Some((kind, _)) = first else {
            anyhow::bail!("{}: the corpus index lists no page", index.display());
        };
        let parts = entries.iter().map(|e| split::part_of_url(&e.url)).collect();
        Ok(Self {
            dir: dir.to_path_buf(),
            kind,
            entries,
            parts,
        })
    }

    /// Indices of the entries in `part` (all of them for `None`).
    pub fn indices(&self, part: Option<Part>) -> Vec<usize> {
        (0..self.entries.len())
            .filter(|&i| part.is_none_or(|p| self.parts[i] == p))
            .collect()
    }

    /// Pages and distinct registrable domains of a part.
    pub fn part_size(&self, part: Part) -> (usize, usize) {
        let mut domains = BTreeSet::new();
        let mut pages = 0;
        for (e, _) in self
            .entries
            .iter()
            .zip(&self.parts)
            .filter(|(_, &p)| p == part)
        {
            pages += 1;
            domains.insert(split::registrable_domain(&e.url));
        }
        (pages, domains.len())
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
    /// The page type the page was extracted as (None when extraction failed
    /// before classifying it).
    pub page_type: Option<PageType>,
    /// Seconds spent in extraction (decode + parse + extract + serialise).
    pub seconds: f64,
    /// Size of the page in bytes.
    pub bytes: usize,
}

/// Extracts the selected entries in parallel, each page read just before
/// it is extracted (a corpus is never all in memory); file reading is not
/// timed. With `oracle_page_type`, each page is extracted as the page type
/// its entry gives (an unknown type name is classified as usual).
pub fn run(
    corpus: &Corpus,
    indices: &[usize],
    sites: &SiteRegistry,
    opts: &ExtractOptions,
    oracle_page_type: bool,
) -> Vec<PageOutcome> {
    indices
        .par_iter()
        .map(|&index| {
            let entry = &corpus.entries[index];
            let bytes = match corpus.read_page(entry) {
                Ok(b) => b,
                Err(e) => {
                    return PageOutcome {
                        index,
                        record: None,
                        error: Some(format!("{e:#}")),
                        fallback: None,
                        is_article: false,
                        page_type: None,
                        seconds: 0.0,
                        bytes: 0,
                    }
                }
            };
            let url = Url::parse(entry.url.trim()).ok();
            let mut input = PageInput::new(&bytes);
            input.url = url;
            let oracle = oracle_page_type
                .then(|| entry.page_type.as_deref()?.parse::<PageType>().ok())
                .flatten();
            let page_opts;
            let opts = match oracle {
                Some(t) => {
                    page_opts = ExtractOptions {
                        page_type: Some(t),
                        ..opts.clone()
                    };
                    &page_opts
                }
                None => opts,
            };
            let start = Instant::now();
            let result = extract_page(&input, sites, opts);
            let mut page_type = None;
            let (record, error, fallback, is_article) = match result {
                Ok(page) if !page.has_text() => {
                    page_type = Some(page.record.page_type);
                    (None, Some(ExtractError::NoText.to_string()), None, false)
                }
                Ok(page) => {
                    // Serialising is part of the measured work.
                    std::hint::black_box(page.record.to_json_line());
                    let is_article = page.is_article();
                    page_type = Some(page.record.page_type);
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
                page_type,
                seconds: start.elapsed().as_secs_f64(),
                bytes: bytes.len(),
            }
        })
        .collect()
}
