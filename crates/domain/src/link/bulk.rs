//! What a bulk link request did (SPEC §9.3): a link or nothing for each record, in input
//! order, and why each refused record was refused.

use super::model::{Link, LinkRefused};
use crate::error::InputError;
use crate::revenue::RecordFailure;

/// The outcome of `POST /api/v2/links/bulk`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LinkBulkOutcome {
    /// One entry per record, in input order: the link made, or `None` where refused.
    pub links: Vec<Option<Link>>,
    /// Every refused record, in input order.
    pub failures: Vec<RecordFailure>,
}

impl LinkBulkOutcome {
    /// Sums up `count` records: the outcome of each valid record and the error of each
    /// invalid one, by position.
    pub fn new(
        count: usize,
        created: impl IntoIterator<Item = (usize, Result<Link, LinkRefused>)>,
        invalid: impl IntoIterator<Item = (usize, InputError)>,
    ) -> Self {
        let mut links = vec![None; count];
        let mut failures: Vec<RecordFailure> = invalid
            .into_iter()
            .map(|(index, error)| RecordFailure {
                index,
                code: error.code(),
                message: error.to_string(),
            })
            .collect();
        for (index, outcome) in created {
            match outcome {
                Ok(link) => {
                    if let Some(slot) = links.get_mut(index) {
                        *slot = Some(link);
                    }
                }
                Err(refused) => failures.push(RecordFailure {
                    index,
                    code: refused.code(),
                    message: refused.message().to_owned(),
                }),
            }
        }
        failures.sort_by_key(|failure| failure.index);
        Self { links, failures }
    }

    /// How many links were made.
    pub fn success_count(&self) -> usize {
        self.links.iter().flatten().count()
    }
}
