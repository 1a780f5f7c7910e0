//! newscrawl: a polite news crawler and boilerplate remover.
//!
//! The library exposes the page pipeline used by the `newscrawl` binary:
//! [`decode`] bytes to text, [`parse`] the DOM once (with bounded nesting),
//! pick a per-site config from [`selectors`], [`extract`] the article into a
//! [`record::Record`]. [`fetch`] fetches pages politely (robots.txt,
//! spacing, redirects, content rules), for `extract` and the crawler alike;
//! [`metric`] and [`corpus`] score extraction against an evaluation corpus.
//!
//! ```
//! use newscrawl::extract::{extract_page, ExtractOptions, PageInput};
//! use newscrawl::selectors::SiteRegistry;
//!
//! let html = b"<html lang=en><head><title>Hello</title></head>
//!   <body><article><h1>Hello</h1><p>First paragraph of the story, long enough to count.</p>
//!   <p>Second paragraph of the story with a few more words in it.</p></article></body></html>";
//! let sites = SiteRegistry::empty();
//! let input = PageInput::new(html).with_url("https://example.com/2024/01/01/hello".parse().unwrap());
//! let page = extract_page(&input, &sites, &ExtractOptions::default()).unwrap();
//! assert!(page.record.body.contains("First paragraph of the story"));
//! ```

pub mod cli;
pub mod commands;
pub mod corpus;
pub mod crawl;
pub mod decode;
pub mod extract;
pub mod fetch;
pub mod input;
pub mod limits;
pub mod metric;
pub mod output;
pub mod parse;
pub mod paths;
pub mod record;
pub mod selectors;
pub mod state;
pub mod vocabulary;
pub mod warc;
