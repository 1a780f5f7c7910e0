//! A page's bytes as read, possibly already in the buffer type the HTML
//! parser reads.
//!
//! html5ever reads its input from a tendril: a page held in a `Vec<u8>` is
//! copied into one whole before parsing (about 1% of an `extract` run's
//! instructions on news pages). A `.html.gz` page inflated in one call is
//! inflated straight into a tendril instead, which the parser then reads in
//! place when the page is UTF-8 ([`crate::extract::PageInput::buffer`]).

use std::ops::Deref;

use html5ever::tendril::{fmt, Atomic, ByteTendril, Tendril};

/// A byte tendril that may move between threads (its reference count is
/// atomic); it becomes a [`ByteTendril`] on the thread that extracts it.
pub type SendableBuffer = Tendril<fmt::Bytes, Atomic>;

/// A page's raw bytes (any charset), decompressed and dechunked.
#[derive(Debug, Clone)]
pub enum PageBytes {
    /// Bytes in a vector.
    Vec(Vec<u8>),
    /// Bytes in a buffer the parser can read in place.
    Buffer(SendableBuffer),
}

impl PageBytes {
    /// The bytes on the thread that extracts them.
    pub fn into_local(self) -> LocalBytes {
        match self {
            Self::Vec(bytes) => LocalBytes::Vec(bytes),
            // Free for the unshared buffer a reader made (a copy only if it
            // were shared or inline).
            Self::Buffer(buffer) => LocalBytes::Buffer(ByteTendril::from(buffer.into_send())),
        }
    }
}

impl Deref for PageBytes {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        match self {
            Self::Vec(bytes) => bytes,
            Self::Buffer(buffer) => buffer,
        }
    }
}

impl From<Vec<u8>> for PageBytes {
    fn from(bytes: Vec<u8>) -> Self {
        Self::Vec(bytes)
    }
}

/// [`PageBytes`] on the thread that extracts them.
pub enum LocalBytes {
    /// Bytes in a vector.
    Vec(Vec<u8>),
    /// Bytes in a buffer the parser can read in place.
    Buffer(ByteTendril),
}

impl LocalBytes {
    /// The buffer the parser can read in place, if the bytes are in one.
    pub fn buffer(&self) -> Option<&ByteTendril> {
        match self {
            Self::Vec(_) => None,
            Self::Buffer(buffer) => Some(buffer),
        }
    }
}

impl Deref for LocalBytes {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        match self {
            Self::Vec(bytes) => bytes,
            Self::Buffer(buffer) => buffer,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_buffer_reaches_the_extracting_thread_without_a_copy() {
        let page = b"<html><p>one page</p></html>".repeat(10);
        let buffer = SendableBuffer::from_slice(&page);
        let address = buffer.as_ptr();
        let bytes = std::thread::spawn(move || PageBytes::Buffer(buffer))
            .join()
            .unwrap();
        assert_eq!(&*bytes, &page[..]);
        let local = bytes.into_local();
        assert_eq!(&*local, &page[..]);
        assert_eq!(local.buffer().map(|b| b.as_ptr()), Some(address));
        let plain = PageBytes::from(page.clone()).into_local();
        assert!(plain.buffer().is_none());
        assert_eq!(&*plain, &page[..]);
    }
}
