//! What an `extract` run did, counted: inputs, archive records read, HTML
//! responses, records extracted and written, and what was skipped, by reason.

use std::collections::BTreeMap;
use std::fmt;

use crate::extract::ExtractError;

/// Why a page or archive record gave no record in the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SkipReason {
    /// A `warcinfo` record.
    Warcinfo,
    /// A `request` record.
    Request,
    /// A `metadata` record.
    Metadata,
    /// A `revisit` record (a capture that points at an earlier one).
    Revisit,
    /// A `resource` record.
    Resource,
    /// Any other record type (`conversion`, `continuation`, ...).
    OtherRecordType,
    /// A `response` record that holds no HTTP response (e.g. `dns:`).
    NotHttp,
    /// A response whose HTTP head does not parse.
    BadHttp,
    /// A response with a status other than 200.
    Status,
    /// A response whose payload is not HTML.
    NotHtml,
    /// A block or payload over the 10 MiB limit.
    TooLarge,
    /// A payload that does not decode (`Content-Encoding`).
    BadPayload,
    /// Outside `--site`.
    Site,
    /// Published before `--since`.
    Since,
    /// Published after `--until`.
    Until,
    /// Empty page.
    Empty,
    /// Binary data.
    Binary,
    /// Text without HTML markup.
    NoMarkup,
    /// No article text found.
    NoText,
}

impl SkipReason {
    /// The reason for passing over a record of type `kind` (not `response`).
    pub fn for_record_type(kind: &str) -> Self {
        match kind {
            "warcinfo" => Self::Warcinfo,
            "request" => Self::Request,
            "metadata" => Self::Metadata,
            "revisit" => Self::Revisit,
            "resource" => Self::Resource,
            _ => Self::OtherRecordType,
        }
    }

    /// The reason for a page that extraction rejected.
    pub fn for_extract_error(e: &ExtractError) -> Self {
        match e {
            ExtractError::Empty => Self::Empty,
            ExtractError::Binary => Self::Binary,
            ExtractError::NotHtml => Self::NoMarkup,
            ExtractError::NoText => Self::NoText,
        }
    }

    /// How the summary names it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Warcinfo => "warcinfo",
            Self::Request => "request",
            Self::Metadata => "metadata",
            Self::Revisit => "revisit",
            Self::Resource => "resource",
            Self::OtherRecordType => "other record type",
            Self::NotHttp => "not HTTP",
            Self::BadHttp => "bad HTTP head",
            Self::Status => "HTTP status not 200",
            Self::NotHtml => "not HTML",
            Self::TooLarge => "over 10 MiB",
            Self::BadPayload => "undecodable payload",
            Self::Site => "--site",
            Self::Since => "--since",
            Self::Until => "--until",
            Self::Empty => "empty",
            Self::Binary => "binary",
            Self::NoMarkup => "no HTML markup",
            Self::NoText => "no article text",
        }
    }
}

/// The counts of one run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExtractSummary {
    /// Inputs given.
    pub inputs: u64,
    /// Of them, WARC archives.
    pub archives: u64,
    /// Inputs (or archive remainders) that could not be read.
    pub failed: u64,
    /// WARC records read.
    pub records_read: u64,
    /// Of them, HTML responses handed to extraction.
    pub html: u64,
    /// Pages extraction made a record of.
    pub extracted: u64,
    /// Records written (after the filters).
    pub written: u64,
    /// Skipped, by reason.
    pub skipped: BTreeMap<SkipReason, u64>,
}

impl ExtractSummary {
    /// Counts one skip.
    pub fn skip(&mut self, reason: SkipReason) {
        *self.skipped.entry(reason).or_default() += 1;
    }
}

impl fmt::Display for ExtractSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let plural = if self.inputs == 1 { "" } else { "s" };
        write!(f, "{} input{plural}", self.inputs)?;
        if self.archives > 0 {
            write!(
                f,
                " ({} WARC): {} records read, {} HTML",
                self.archives, self.records_read, self.html
            )?;
        }
        write!(
            f,
            "; {} extracted, {} written",
            self.extracted, self.written
        )?;
        if self.failed > 0 {
            write!(f, "; {} failed", self.failed)?;
        }
        if !self.skipped.is_empty() {
            let parts: Vec<String> = self
                .skipped
                .iter()
                .map(|(r, n)| format!("{} {n}", r.label()))
                .collect();
            write!(f, "; skipped: {}", parts.join(", "))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_line_names_every_count() {
        let mut s = ExtractSummary {
            inputs: 2,
            archives: 1,
            records_read: 10,
            html: 4,
            extracted: 3,
            written: 2,
            ..Default::default()
        };
        s.skip(SkipReason::Request);
        s.skip(SkipReason::Request);
        s.skip(SkipReason::Since);
        assert_eq!(
            s.to_string(),
            "2 inputs (1 WARC): 10 records read, 4 HTML; 3 extracted, 2 written; skipped: request 2, --since 1"
        );
    }
}
