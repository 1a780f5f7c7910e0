//! One host's results in the order its requests were issued. A host is
//! free once a page's response is read, so two of its pages may be
//! extracted at once and finish in either order; what their results decide
//! (which of two pages with the same text is written, the other skipped as
//! duplicate content; the links queued; the state committed) must not
//! depend on that. Each request gets a sequence number and its result waits
//! here until the results of the host's earlier requests were handled.
//!
//! Nothing waits forever: every request's task sends a result, a failure
//! when it ended without one (see [`super::super::item::ItemReply`]); a host
//! whose lease is lost abandons its waiting results, and those of requests
//! still in flight are stale when they arrive. Results waiting here are not
//! committed: a crash loses them and their claims are fetched again.

use std::collections::BTreeMap;

/// A reorder buffer keyed by request sequence number.
#[derive(Debug)]
pub(super) struct InOrder<T> {
    /// The number the next request gets.
    next: u64,
    /// The number whose result is handled next.
    expected: u64,
    /// Results that came before those of earlier requests.
    waiting: BTreeMap<u64, T>,
}

impl<T> Default for InOrder<T> {
    fn default() -> Self {
        Self {
            next: 0,
            expected: 0,
            waiting: BTreeMap::new(),
        }
    }
}

impl<T> InOrder<T> {
    /// Numbers a new request.
    pub(super) fn issue(&mut self) -> u64 {
        let seq = self.next;
        self.next += 1;
        seq
    }

    /// Takes the result of request `seq`; gives it back (`Err`) when it is
    /// stale (its request was abandoned), else [`InOrder::pop_due`] hands it
    /// out in its turn.
    pub(super) fn accept(&mut self, seq: u64, result: T) -> Result<(), T> {
        if seq < self.expected || seq >= self.next {
            return Err(result);
        }
        self.waiting.insert(seq, result);
        Ok(())
    }

    /// The next result in request order, when it came.
    pub(super) fn pop_due(&mut self) -> Option<T> {
        let entry = self.waiting.first_entry()?;
        if *entry.key() != self.expected {
            return None;
        }
        self.expected += 1;
        Some(entry.remove())
    }

    /// Abandons every request issued so far: gives back the results that
    /// wait (in request order); those still to come will be stale.
    pub(super) fn abandon(&mut self) -> Vec<T> {
        self.expected = self.next;
        std::mem::take(&mut self.waiting).into_values().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn drain(o: &mut InOrder<&'static str>) -> Vec<&'static str> {
        std::iter::from_fn(|| o.pop_due()).collect()
    }

    #[test]
    fn results_are_handed_out_in_request_order() {
        let mut o = InOrder::default();
        let (a, b, c) = (o.issue(), o.issue(), o.issue());
        assert_eq!((a, b, c), (0, 1, 2));
        o.accept(c, "c").unwrap();
        assert_eq!(drain(&mut o), Vec::<&str>::new());
        o.accept(b, "b").unwrap();
        assert_eq!(drain(&mut o), Vec::<&str>::new());
        o.accept(a, "a").unwrap();
        assert_eq!(drain(&mut o), ["a", "b", "c"]);
        let d = o.issue();
        o.accept(d, "d").unwrap();
        assert_eq!(drain(&mut o), ["d"]);
    }

    #[test]
    fn abandoned_requests_release_the_waiting_and_come_back_stale() {
        let mut o = InOrder::default();
        let (a, b, c) = (o.issue(), o.issue(), o.issue());
        o.accept(c, "c").unwrap();
        o.accept(b, "b").unwrap();
        assert_eq!(o.abandon(), ["b", "c"]);
        assert_eq!(o.accept(a, "a"), Err("a"));
        let d = o.issue();
        o.accept(d, "d").unwrap();
        assert_eq!(drain(&mut o), ["d"]);
        // A number never issued is refused too.
        assert_eq!(o.accept(99, "x"), Err("x"));
    }
}
