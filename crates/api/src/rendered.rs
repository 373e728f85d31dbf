//! Answers rendered once per value: the app hands out the same `Arc` for as long as its
//! offer cache holds a read (a page of offers), and the JSON of that value is kept here,
//! beside a `Weak` to it, so the next request for it sends the same bytes. A `Weak` keeps
//! the value's allocation from being reused while it is here, so a value at the same
//! address that can still be upgraded is the very value the bytes were made from; once
//! the app lets it go, the entry is dead weight until it is pushed out. A value nobody
//! else holds (the app caches nothing) is rendered and not kept: it cannot come back.

use std::sync::{Arc, Weak};

use actix_web::web::Bytes;
use quick_cache::sync::Cache;
use quick_cache::Weighter;

/// How many answers are sized for, beside the capacity in bytes.
const ESTIMATED_ANSWERS: usize = 256;

/// One rendered answer and the value it was rendered from.
struct Entry<T> {
    from: Weak<T>,
    body: Bytes,
}

impl<T> Clone for Entry<T> {
    fn clone(&self) -> Self {
        Self {
            from: Weak::clone(&self.from),
            body: self.body.clone(),
        }
    }
}

/// Weighs an entry by its bytes.
#[derive(Clone)]
struct BodyWeighter;

impl<T> Weighter<usize, Entry<T>> for BodyWeighter {
    fn weight(&self, _: &usize, entry: &Entry<T>) -> u64 {
        u64::try_from(entry.body.len()).unwrap_or(u64::MAX)
    }
}

/// Rendered answers of shared values, up to a capacity in bytes.
pub struct Rendered<T> {
    entries: Cache<usize, Entry<T>, BodyWeighter>,
}

impl<T> Rendered<T> {
    /// Room for `capacity_bytes` of answers.
    pub fn new(capacity_bytes: u64) -> Self {
        Self {
            entries: Cache::with_weighter(ESTIMATED_ANSWERS, capacity_bytes, BodyWeighter),
        }
    }

    /// The answer for `value`: the bytes rendered before from this very value, or
    /// `render`'s, kept for the next time while another owner shares the value.
    pub fn answer(
        &self,
        value: &Arc<T>,
        render: impl FnOnce(&T) -> serde_json::Result<Vec<u8>>,
    ) -> serde_json::Result<Bytes> {
        let address = Arc::as_ptr(value) as usize;
        // Filed under this address, from a value still alive: this very value.
        if let Some(entry) = self.entries.get(&address) {
            if entry.from.strong_count() > 0 {
                return Ok(entry.body);
            }
        }
        let body = Bytes::from(render(value)?);
        if Arc::strong_count(value) < 2 {
            return Ok(body);
        }
        let entry = Entry {
            from: Arc::downgrade(value),
            body: body.clone(),
        };
        self.entries.insert(address, entry);
        Ok(body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shared_value_is_rendered_once_and_a_new_value_afresh() {
        let rendered = Rendered::new(1 << 20);
        let renders = std::cell::Cell::new(0);
        let render = |text: &String| {
            renders.set(renders.get() + 1);
            Ok(text.as_bytes().to_vec())
        };
        let first = Arc::new("first".to_owned());
        let cached = Arc::clone(&first);
        assert_eq!(rendered.answer(&first, render).expect("rendered"), "first");
        assert_eq!(rendered.answer(&first, render).expect("rendered"), "first");
        assert_eq!(renders.get(), 1, "the same value is rendered once");
        let equal = Arc::new("first".to_owned());
        rendered.answer(&equal, render).expect("rendered");
        assert_eq!(
            renders.get(),
            2,
            "another value, even an equal one, is rendered"
        );
        drop((first, cached));
        let after = Arc::new("after".to_owned());
        assert_eq!(rendered.answer(&after, render).expect("rendered"), "after");
    }

    #[test]
    fn a_value_nobody_else_holds_is_not_kept() {
        let rendered = Rendered::new(1 << 20);
        let alone = Arc::new("alone".to_owned());
        rendered
            .answer(&alone, |text| Ok(text.as_bytes().to_vec()))
            .expect("rendered");
        assert_eq!(rendered.entries.len(), 0);
    }
}
