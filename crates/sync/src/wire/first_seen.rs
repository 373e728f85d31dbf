//! Paging through a list that changes while it is read can serve a row twice (it moves
//! to the next page). A sweep keeps each id once, as first seen.

use std::collections::HashSet;

/// The mapped and the skipped items, each id kept once. Items without an id are all kept.
pub(crate) fn split_first_seen<T, S>(
    results: impl IntoIterator<Item = Result<T, S>>,
    id_of: impl Fn(&Result<T, S>) -> Option<String>,
) -> (Vec<T>, Vec<S>) {
    let mut seen = HashSet::new();
    let mut mapped = Vec::new();
    let mut skipped = Vec::new();
    for result in results {
        if id_of(&result).is_some_and(|id| !seen.insert(id)) {
            continue;
        }
        match result {
            Ok(item) => mapped.push(item),
            Err(item) => skipped.push(item),
        }
    }
    (mapped, skipped)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A mapped item: its id and which copy it is.
    type Mapped = (&'static str, u8);
    /// A skipped item: its id, when it has one, and which copy it is.
    type Skipped = (Option<&'static str>, u8);

    #[test]
    fn each_id_is_kept_once_as_first_seen() {
        let results: Vec<Result<Mapped, Skipped>> = vec![
            Ok(("a", 1)),
            Err((Some("b"), 1)),
            Ok(("a", 2)),
            Ok(("b", 2)),
            Err((None, 1)),
            Err((None, 2)),
            Ok(("c", 1)),
        ];
        let (mapped, skipped) = split_first_seen(results, |result| match result {
            Ok((id, _)) => Some((*id).to_owned()),
            Err((id, _)) => id.map(str::to_owned),
        });
        assert_eq!(mapped, [("a", 1), ("c", 1)], "a repeated id is dropped");
        assert_eq!(
            skipped,
            [(Some("b"), 1), (None, 1), (None, 2)],
            "a skip counts as seen; rows without an id all stay"
        );
    }
}
