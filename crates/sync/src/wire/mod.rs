//! Reading the platforms' loose JSON and turning their values into ours: lenient
//! scalars and row sets, exact amounts, the click-id parameter, metadata.

pub(crate) mod amount;
pub(crate) mod click_param;
pub(crate) mod first_seen;
pub(crate) mod metadata;
pub(crate) mod rows;
pub(crate) mod scalar;

/// The most pages one sweep reads: a platform whose paging never ends fails the sweep
/// instead of looping (10,000 pages is a million offers at 100 a page).
pub(crate) const MAX_PAGES: u32 = 10_000;
