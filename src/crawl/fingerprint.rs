//! Body fingerprints the crawler compares across articles: an exact content
//! hash (the same body at two URLs is written once) and a near-duplicate key
//! (the same words with other case, punctuation or spacing are counted).
//!
//! Both are computed on the extraction threads, not on the scheduler, which
//! is one thread for the whole crawl.

use sha2::{Digest, Sha256};

use std::cell::RefCell;

use crate::extract::generic::normalize::normalize_into;

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
/// the hash of their lower-cased letters and digits.
///
/// Keys live in memory for one run only, so a fast non-keyed hash (Fx, 8
/// bytes a step) does: SipHash over a whole body cost a tenth of the key.
/// The normalised body goes into a buffer each extraction thread keeps:
/// a fresh one per article cost an allocation of the body's size and the
/// page faults of its first use.
pub fn near_key(body: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    thread_local! {
        static NORMALISED: RefCell<String> = const { RefCell::new(String::new()) };
    }
    let mut h = rustc_hash::FxHasher::default();
    NORMALISED.with(|buf| match buf.try_borrow_mut() {
        Ok(mut buf) => {
            normalize_into(body, &mut buf);
            buf.as_str().hash(&mut h);
        }
        // Not reentrant, but a key must never fail.
        Err(_) => {
            let mut own = String::new();
            normalize_into(body, &mut own);
            own.as_str().hash(&mut h);
        }
    });
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
    }

    #[test]
    fn content_hash_is_exact() {
        assert_eq!(content_hash("a").len(), 32);
        assert_eq!(content_hash("a"), content_hash("a"));
        assert_ne!(content_hash("a"), content_hash("a "));
    }
}
