//! Body fingerprints the crawler compares across articles: an exact content
//! hash (the same body at two URLs is written once) and a near-duplicate key
//! (the same words with other case, punctuation or spacing are counted).
//!
//! Both are computed on the extraction threads, not on the scheduler, which
//! is one thread for the whole crawl.

use sha2::{Digest, Sha256};

/// Hex of the first 16 bytes of the SHA-256 of `body`.
pub fn content_hash(body: &str) -> String {
    use std::fmt::Write;
    let digest = Sha256::digest(body.as_bytes());
    let mut hex = String::with_capacity(32);
    for b in &digest[..16] {
        let _ = write!(hex, "{b:02x}");
    }
    hex
}

/// A key equal for bodies that differ only in case, punctuation and spacing:
/// lower-cased words joined by single spaces, hashed once.
pub fn near_key(body: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut normal = String::with_capacity(body.len());
    let mut in_word = false;
    for c in body.chars() {
        if c.is_ascii() {
            if c.is_ascii_alphanumeric() {
                if !in_word && !normal.is_empty() {
                    normal.push(' ');
                }
                normal.push(c.to_ascii_lowercase());
                in_word = true;
            } else {
                in_word = false;
            }
        } else if c.is_alphanumeric() {
            if !in_word && !normal.is_empty() {
                normal.push(' ');
            }
            normal.extend(c.to_lowercase());
            in_word = true;
        } else {
            in_word = false;
        }
    }
    let mut h = std::collections::hash_map::DefaultHasher::new();
    normal.hash(&mut h);
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_key_ignores_case_punctuation_and_spacing_only() {
        let a = near_key("Über den Fluss, sagte sie.\n\nDann ging sie.");
        assert_eq!(a, near_key("über den fluss sagte sie — dann   ging SIE!"));
        assert_ne!(a, near_key("Über den Fluss sagte er. Dann ging sie."));
        assert_ne!(near_key("ab c"), near_key("a bc"));
    }

    #[test]
    fn content_hash_is_exact() {
        assert_eq!(content_hash("a").len(), 32);
        assert_eq!(content_hash("a"), content_hash("a"));
        assert_ne!(content_hash("a"), content_hash("a "));
    }
}
