//! One-call decompression of a whole gzip page held in memory.
//!
//! A `.html.gz` page is usually one gzip member whose trailer gives its
//! decompressed size: libdeflate then inflates it straight into a buffer
//! of exactly that size, in one call, with no window copies and no buffer
//! growth. Anything else (several members, trailing bytes, a corrupt
//! stream, a trailer that lies, a size over the limit) is left to the
//! streaming decoder, which reports it as before.

use std::cell::RefCell;
use std::ptr::NonNull;

use super::bytes::SendableBuffer;
use libdeflate_sys::{
    libdeflate_alloc_decompressor, libdeflate_decompressor, libdeflate_free_decompressor,
    libdeflate_gzip_decompress_ex, libdeflate_result_LIBDEFLATE_SUCCESS,
};

/// A libdeflate decompressor, freed on drop. Allocating one costs about as
/// much as inflating a few kilobytes, so each thread keeps one.
struct Decompressor(NonNull<libdeflate_decompressor>);

impl Decompressor {
    fn new() -> Option<Self> {
        // SAFETY: a plain allocation; null is checked.
        NonNull::new(unsafe { libdeflate_alloc_decompressor() }).map(Self)
    }
}

impl Drop for Decompressor {
    fn drop(&mut self) {
        // SAFETY: allocated by `libdeflate_alloc_decompressor`, freed once.
        unsafe { libdeflate_free_decompressor(self.0.as_ptr()) }
    }
}

thread_local! {
    /// This thread's decompressor, made on first use.
    static DECOMPRESSOR: RefCell<Option<Decompressor>> = const { RefCell::new(None) };
}

/// The smallest gzip file: a 10-byte header, an empty deflate block and
/// the 8-byte trailer.
const MIN_GZIP_LEN: usize = 18;

/// Decompresses `data` when it is exactly one gzip member of at most
/// `limit` decompressed bytes; `None` when it is not (not gzip, several
/// members, trailing bytes, corrupt, or larger than its trailer or the
/// limit say), for the streaming decoder to handle and report.
///
/// The page is inflated into the buffer type the HTML parser reads, so that
/// the parser need not copy it. Never allocates more than `limit` bytes,
/// whatever the input claims.
pub fn gunzip_single_member(data: &[u8], limit: usize) -> Option<SendableBuffer> {
    if data.len() < MIN_GZIP_LEN || !data.starts_with(&[0x1f, 0x8b]) {
        return None;
    }
    let trailer: [u8; 4] = data[data.len() - 4..].try_into().ok()?;
    let size = usize::try_from(u32::from_le_bytes(trailer)).ok()?;
    if size > limit {
        return None;
    }
    let size32 = u32::try_from(size).ok()?;
    let mut out = SendableBuffer::with_capacity(size32);
    // SAFETY: the buffer grows to `size` bytes without writing them; they
    // are only written (by libdeflate) before the buffer is read, and cut
    // to what was written below.
    unsafe { out.push_uninitialized(size32) };
    let target = out.as_mut_ptr();
    let (mut read, mut written) = (0usize, 0usize);
    let result = DECOMPRESSOR.with_borrow_mut(|slot| {
        if slot.is_none() {
            *slot = Decompressor::new();
        }
        let decompressor = slot.as_ref()?;
        // SAFETY: libdeflate reads `data.len()` bytes of `data` and writes at
        // most `size` bytes at `target` (`out`'s `size` bytes, allocated
        // above), reporting how many in `written`; the rest is cut off
        // below. The decompressor is this thread's alone.
        Some(unsafe {
            libdeflate_gzip_decompress_ex(
                decompressor.0.as_ptr(),
                data.as_ptr().cast(),
                data.len(),
                target.cast(),
                size,
                &mut read,
                &mut written,
            )
        })
    })?;
    // A member that ends before the data does is followed by more members
    // (or garbage): the streaming decoder reads them all.
    if result != libdeflate_result_LIBDEFLATE_SUCCESS || read != data.len() || written > size {
        return None;
    }
    // libdeflate checks the trailer's size: `written == size` on success.
    out.pop_back(size32 - u32::try_from(written).ok()?);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn gzip(data: &[u8]) -> Vec<u8> {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(data).unwrap();
        gz.finish().unwrap()
    }

    #[test]
    fn one_member_is_inflated_in_one_call() {
        let page = "<html><p>Zürich, one page</p></html>"
            .repeat(500)
            .into_bytes();
        let inflate = |gz: &[u8], limit| gunzip_single_member(gz, limit).map(|b| b.to_vec());
        assert_eq!(inflate(&gzip(&page), 1 << 20), Some(page));
        assert_eq!(inflate(&gzip(b""), 10), Some(Vec::new()));
        assert_eq!(inflate(&gzip(b"<p>"), 10), Some(b"<p>".to_vec()));
    }

    #[test]
    fn everything_else_is_left_to_the_streaming_decoder() {
        let page = b"<html><p>one page</p></html>".repeat(100);
        let gz = gzip(&page);
        // Not gzip, cut short, or too small to be gzip.
        assert_eq!(gunzip_single_member(&page, 1 << 20), None);
        assert_eq!(gunzip_single_member(&gz[..gz.len() - 9], 1 << 20), None);
        assert_eq!(gunzip_single_member(&gz[..10], 1 << 20), None);
        // Two members, or trailing bytes: never only the first member.
        let two = [gzip(&page), gzip(&page)].concat();
        assert_eq!(gunzip_single_member(&two, 1 << 20), None);
        let trailing = [gz.clone(), b"junk".to_vec()].concat();
        assert_eq!(gunzip_single_member(&trailing, 1 << 20), None);
        // Over the limit, by its trailer or by a trailer that lies.
        assert_eq!(gunzip_single_member(&gz, page.len() - 1), None);
        for lie in [1u32, page.len() as u32 + 1, u32::MAX] {
            let mut bytes = gz.clone();
            let n = bytes.len();
            bytes[n - 4..].copy_from_slice(&lie.to_le_bytes());
            assert_eq!(gunzip_single_member(&bytes, 1 << 20), None, "{lie}");
        }
        // A corrupt checksum.
        let mut bad = gz.clone();
        let n = bad.len();
        bad[n - 8] ^= 1;
        assert_eq!(gunzip_single_member(&bad, 1 << 20), None);
    }
}
