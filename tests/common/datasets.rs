//! Reading back what a crawl wrote for datasets: its WARC files (with
//! newscrawl's own reader, every digest checked) and its Parquet parts.

use std::path::Path;

use newscrawl::warc::writer::sha1_digest;

/// One record of a WARC file.
#[derive(Debug, Clone)]
pub struct Rec {
    /// `WARC-Type`.
    pub kind: String,
    /// `WARC-Target-URI` (empty for warcinfo).
    pub uri: String,
    /// `WARC-Record-ID`.
    pub id: String,
    /// `WARC-Concurrent-To`, if any.
    pub concurrent_to: Option<String>,
    /// HTTP status of a response (0 for other records).
    pub status: u16,
    /// The block.
    pub block: Vec<u8>,
    /// File name.
    pub file: String,
}

/// Every record of the WARC files in `dir`, file after file (in name
/// order), each file read to its end: a warcinfo first in each file, the
/// block digest of every record and the payload digest of every response
/// checked.
pub fn warc_records(dir: &Path) -> Vec<Rec> {
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".warc.gz"))
        .collect();
    names.sort();
    assert!(!names.is_empty(), "no WARC file in {}", dir.display());
    let mut out = Vec::new();
    for path in names {
        let file = path.file_name().unwrap().to_string_lossy().into_owned();
        let gz = flate2::read::MultiGzDecoder::new(std::fs::File::open(&path).unwrap());
        let mut reader = newscrawl::warc::WarcReader::new(std::io::BufReader::new(gz));
        let mut first = true;
        while let Some(h) = reader
            .next_record()
            .unwrap_or_else(|e| panic!("{file}: {e}"))
        {
            let kind = h.record_type().to_string();
            assert_eq!(first, kind == "warcinfo", "{file}: warcinfo first, once");
            first = false;
            let uri = h.get("WARC-Target-URI").unwrap_or_default().to_string();
            let block_digest = h.get("WARC-Block-Digest").map(str::to_string);
            let payload_digest = h.get("WARC-Payload-Digest").map(str::to_string);
            let id = h.get("WARC-Record-ID").unwrap().to_string();
            let concurrent_to = h.get("WARC-Concurrent-To").map(str::to_string);
            let block = reader.read_block(1 << 26).unwrap().unwrap();
            assert_eq!(block_digest, Some(sha1_digest(&block)), "{file}: {uri}");
            let mut status = 0;
            if kind == "response" {
                status = String::from_utf8_lossy(&block[9..12]).parse().unwrap();
                let at = head_end(&block);
                assert_eq!(payload_digest, Some(sha1_digest(&block[at..])), "{uri}");
            }
            out.push(Rec {
                kind,
                uri,
                id,
                concurrent_to,
                status,
                block,
                file: file.clone(),
            });
        }
    }
    out
}

/// Where an HTTP message's body starts (after the blank line).
pub fn head_end(block: &[u8]) -> usize {
    block
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map_or(block.len(), |i| i + 4)
}

/// Article URLs of every row of the complete Parquet parts in `dir`,
/// sorted.
pub fn part_urls(dir: &Path) -> Vec<String> {
    let mut urls = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        if name.starts_with("part-") && name.ends_with(".parquet") {
            for row in newscrawl::output::parquet::read_rows(&p).unwrap() {
                urls.push(row["url"].as_str().unwrap().to_string());
            }
        }
    }
    urls.sort();
    urls
}
