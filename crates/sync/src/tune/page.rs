//! One page of a TUNE list (INTEGRATIONS.md §1.2). With `limit`, `data` holds `page`,
//! `pageCount` and the rows in `data.data`; without it (or when empty) `data` is the row
//! set itself. Rows are a list or an object keyed by id.

use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::value::RawValue;

use crate::wire::rows::Rows;
use crate::wire::scalar::Scalar;

/// The rows of one page and how many pages there are.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Page<T> {
    /// The rows, in the order sent.
    pub(crate) rows: Vec<T>,
    /// TUNE's `pageCount`; 1 when the answer is not paged.
    pub(crate) page_count: u32,
}

/// The paging fields, read before the rows.
#[derive(Deserialize)]
struct PageFields {
    #[serde(default, rename = "pageCount")]
    page_count: Scalar,
    #[serde(default)]
    data: Option<Box<RawValue>>,
}

/// Reads `response.data` (absent data is an empty page).
pub(crate) fn read_page<T: DeserializeOwned>(data: Option<&RawValue>) -> Result<Page<T>, String> {
    let Some(data) = data else {
        return Ok(Page {
            rows: Vec::new(),
            page_count: 1,
        });
    };
    let text = data.get();
    if text.trim_start().starts_with('{') {
        let fields: PageFields = serde_json::from_str(text).map_err(|error| error.to_string())?;
        if fields.data.is_some() || fields.page_count.text().is_some() {
            let rows = match fields.data {
                Some(rows) => read_rows(rows.get())?,
                None => Vec::new(),
            };
            let page_count = match fields.page_count.text() {
                Some(count) => count
                    .parse()
                    .map_err(|_| format!("pageCount {count:?} is not a page count"))?,
                None => 1,
            };
            return Ok(Page { rows, page_count });
        }
    }
    Ok(Page {
        rows: read_rows(text)?,
        page_count: 1,
    })
}

fn read_rows<T: DeserializeOwned>(text: &str) -> Result<Vec<T>, String> {
    serde_json::from_str::<Rows<T>>(text)
        .map(|rows| rows.0)
        .map_err(|error| format!("the rows are unreadable ({error})"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, Eq, Deserialize)]
    struct Row {
        id: Scalar,
    }

    fn row(id: &str) -> Row {
        Row {
            id: serde_json::from_str(&format!("{id:?}")).unwrap_or_default(),
        }
    }

    #[test]
    fn every_page_shape_reads() {
        let cases = [
            (
                r#"{"page": "1", "current": 100, "count": 234, "pageCount": 3, "data": {"532": {"id": "532"}}}"#,
                vec![row("532")],
                3,
                "paged, rows keyed by id, page as a string",
            ),
            (
                r#"{"page": 2, "pageCount": "2", "data": [{"id": 7}]}"#,
                vec![row("7")],
                2,
                "paged, rows as a list, numbers as strings and numbers",
            ),
            (
                r#"{"page": 1, "pageCount": 0, "count": 0, "data": []}"#,
                vec![],
                0,
                "paged and empty",
            ),
            (
                r#"{"page": 1, "pageCount": 1, "data": null}"#,
                vec![],
                1,
                "paged with null rows",
            ),
            ("[]", vec![], 1, "the whole data an empty list"),
            (
                r#"{"532": {"id": "532"}, "533": {"id": "533"}}"#,
                vec![row("532"), row("533")],
                1,
                "unpaged rows keyed by id",
            ),
            (
                r#"[{"id": "1"}]"#,
                vec![row("1")],
                1,
                "unpaged rows as a list",
            ),
        ];
        for (json, rows, page_count, description) in cases {
            let data: Box<RawValue> =
                serde_json::from_str(json).unwrap_or_else(|error| panic!("{description}: {error}"));
            let page = read_page::<Row>(Some(&data))
                .unwrap_or_else(|error| panic!("{description}: {error}"));
            assert_eq!(page, Page { rows, page_count }, "{description}");
        }
        let absent = read_page::<Row>(None);
        assert_eq!(
            absent,
            Ok(Page {
                rows: vec![],
                page_count: 1
            }),
            "no data at all"
        );
    }

    #[test]
    fn unreadable_pages_are_reported() {
        let cases = [
            (
                r#"{"pageCount": "many", "data": []}"#,
                "a page count that is not a number",
            ),
            (r#"{"pageCount": 1, "data": "rows"}"#, "rows that are text"),
            ("42", "a number"),
        ];
        for (json, description) in cases {
            let data: Box<RawValue> =
                serde_json::from_str(json).unwrap_or_else(|error| panic!("{description}: {error}"));
            assert!(read_page::<Row>(Some(&data)).is_err(), "{description}");
        }
    }
}
