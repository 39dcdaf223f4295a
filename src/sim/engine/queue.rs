//! The queue of pending visits, taken earliest (time, sequence) first. Most visits are queued in
//! that order (each at the clock, after the others), so they wait in a line, which costs nothing
//! to keep in order; one queued out of order (before the last one in the line: a visit back from
//! a pause, one due before a Wait's) waits in a heap. The next visit is the earlier of the two
//! heads.

use jiff::Timestamp;
use std::collections::{BinaryHeap, VecDeque};

/// Something queued for a time: ordered so that a max-heap pops the earliest [`Due::due`].
pub(super) trait Due: Ord {
    /// When it is due, and its place among those due at that time.
    fn due(&self) -> (Timestamp, u64);
}

/// The pending items.
#[derive(Debug)]
pub(super) struct Pending<T> {
    /// Items in [`Due::due`] order.
    line: VecDeque<T>,
    /// The others, the earliest on top.
    heap: BinaryHeap<T>,
}

impl<T: Due> Default for Pending<T> {
    fn default() -> Self {
        Pending {
            line: VecDeque::new(),
            heap: BinaryHeap::new(),
        }
    }
}

impl<T: Due> Pending<T> {
    /// Queues an item.
    pub(super) fn push(&mut self, item: T) {
        match self.line.back() {
            Some(last) if last.due() > item.due() => self.heap.push(item),
            _ => self.line.push_back(item),
        }
    }

    /// Whether the line's head comes before the heap's.
    fn line_first(&self) -> bool {
        match (self.line.front(), self.heap.peek()) {
            (Some(l), Some(h)) => l.due() < h.due(),
            (l, _) => l.is_some(),
        }
    }

    /// Takes the earliest item.
    pub(super) fn pop(&mut self) -> Option<T> {
        if self.line_first() {
            self.line.pop_front()
        } else {
            self.heap.pop()
        }
    }

    /// The earliest item.
    pub(super) fn peek(&self) -> Option<&T> {
        if self.line_first() {
            self.line.front()
        } else {
            self.heap.peek()
        }
    }

    /// Every pending item, in no particular order.
    pub(super) fn iter(&self) -> impl Iterator<Item = &T> {
        self.line.iter().chain(self.heap.iter())
    }

    /// Whether nothing is pending.
    pub(super) fn is_empty(&self) -> bool {
        self.line.is_empty() && self.heap.is_empty()
    }

    /// Drops every pending item.
    pub(super) fn clear(&mut self) {
        self.line.clear();
        self.heap.clear();
    }

    /// Keeps only the items `keep` holds for.
    pub(super) fn retain(&mut self, mut keep: impl FnMut(&T) -> bool) {
        self.line.retain(|q| keep(q));
        self.heap.retain(|q| keep(q));
    }

    /// Queues items in any order.
    pub(super) fn extend(&mut self, items: impl IntoIterator<Item = T>) {
        self.heap.extend(items);
    }

    /// Takes every pending item, in no particular order.
    pub(super) fn take_all(&mut self) -> Vec<T> {
        let mut all: Vec<T> = self.line.drain(..).collect();
        all.extend(self.heap.drain());
        all
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::cmp::Ordering;

    /// An item as the engine's queued visits order: reversed, so the heap pops the earliest.
    #[derive(Debug, PartialEq, Eq)]
    struct Item(Timestamp, u64);

    impl Due for Item {
        fn due(&self) -> (Timestamp, u64) {
            (self.0, self.1)
        }
    }

    impl PartialOrd for Item {
        fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
            Some(self.cmp(other))
        }
    }

    impl Ord for Item {
        fn cmp(&self, other: &Self) -> Ordering {
            other.due().cmp(&self.due())
        }
    }

    fn item(at: i64, seq: u64) -> Item {
        Item(
            Timestamp::from_second(at).unwrap_or(Timestamp::UNIX_EPOCH),
            seq,
        )
    }

    proptest! {
        /// Whatever the times of the items queued and the pops between them, the items come
        /// out in the order of a heap over (time, sequence), the order before the line.
        #[test]
        fn pending_items_come_out_earliest_time_then_sequence_first(
            ops in proptest::collection::vec((0i64..5, any::<bool>()), 0..60)
        ) {
            let (mut pending, mut heap): (Pending<Item>, BinaryHeap<Item>) = (Pending::default(), BinaryHeap::new());
            for (seq, (at, pop)) in (1u64..).zip(ops) {
                if pop {
                    prop_assert_eq!(pending.pop().map(|q| q.due()), heap.pop().map(|q| q.due()));
                } else {
                    pending.push(item(at, seq));
                    heap.push(item(at, seq));
                }
                prop_assert_eq!(pending.peek().map(Due::due), heap.peek().map(Due::due));
            }
            pending.extend([item(2, 0)]);
            heap.push(item(2, 0));
            prop_assert_eq!(pending.iter().count(), heap.len());
            while let Some(q) = heap.pop() {
                prop_assert_eq!(pending.pop().map(|p| p.due()), Some(q.due()));
            }
            prop_assert!(pending.is_empty());
        }
    }
}
