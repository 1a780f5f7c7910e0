//! WARC archives (ISO 28500, WARC/1.0 and 1.1): a streaming record
//! [`reader`], the HTTP responses stored in them ([`http`]), and a record
//! [`writer`].

pub mod http;
pub mod reader;
pub mod writer;

pub use reader::{WarcError, WarcHeaders, WarcReader};
pub use writer::WarcRecord;

/// The first value of the named field (case-insensitive) in header fields
/// kept in their order, as both WARC and HTTP heads are.
pub(crate) fn field<'a>(fields: &'a [(String, String)], name: &str) -> Option<&'a str> {
    fields
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}
