//! Serving a list a page at a time.

/// The rows of 1-based `page` of `size` rows (none past the end).
pub(crate) fn page_of<T: Clone>(rows: &[T], page: usize, size: usize) -> Vec<T> {
    let start = page.saturating_sub(1).saturating_mul(size);
    rows.iter().skip(start).take(size).cloned().collect()
}

/// How many pages of `size` rows `total` rows fill.
pub(crate) fn page_count(total: usize, size: usize) -> usize {
    total.div_ceil(size.max(1))
}

/// A positive whole number from a request parameter.
pub(crate) fn positive(text: Option<&str>) -> Option<usize> {
    text?.parse().ok().filter(|number| *number > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_cover_the_rows() {
        let rows = [1, 2, 3, 4, 5];
        let cases = [
            (1, 2, vec![1, 2], "first page"),
            (3, 2, vec![5], "short last page"),
            (4, 2, vec![], "past the end"),
            (1, 10, vec![1, 2, 3, 4, 5], "one page holds all"),
        ];
        for (page, size, expected, description) in cases {
            assert_eq!(page_of(&rows, page, size), expected, "{description}");
        }
        assert_eq!(page_count(5, 2), 3);
        assert_eq!(page_count(0, 2), 0);
        assert_eq!(positive(Some("3")), Some(3));
        assert_eq!(positive(Some("0")), None);
        assert_eq!(positive(Some("x")), None);
        assert_eq!(positive(None), None);
    }
}
