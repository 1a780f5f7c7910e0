//! WARC archives (ISO 28500, WARC/1.0 and 1.1): a streaming record
//! [`reader`], the HTTP responses stored in them ([`http`]), and a record
//! [`writer`].

pub mod http;
pub mod reader;
pub mod writer;

pub use reader::{WarcError, WarcHeaders, WarcReader};
pub use writer::WarcRecord;
