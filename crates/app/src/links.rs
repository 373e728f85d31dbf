//! Links (SPEC §9): make one or many, read one with its stats, list, and the lookup
//! behind following a link.

use trackly_domain::link::{
    Link, LinkBulkOutcome, LinkFilter, LinkId, LinkRoute, LinkStats, NewLink, MAX_BULK_LINKS,
};
use trackly_domain::query::Page;
use trackly_domain::{InputError, ObjectId};
use trackly_store::links::{create_links, find_link, find_link_routes, list_links};

use crate::{Answer, Answered, App, AppError, Once, Paged};

/// Makes one link for `account` and answers with `answer` of it, once per idempotency
/// key. Every call makes a new link (SPEC §9.1).
pub async fn shorten(
    app: &App,
    account: &ObjectId,
    link: NewLink,
    once: Option<Once>,
    answer: impl FnOnce(&Link) -> Answer + Send + 'static,
) -> Result<Answered, AppError> {
    let owner = account.clone();
    let now = app.now();
    let (answered, _) = app
        .answer_once(
            account,
            once,
            move |conn| {
                let made = create_links(conn, &owner, std::slice::from_ref(&link), now)?;
                match made.into_iter().next() {
                    Some(Ok(link)) => Ok(link),
                    Some(Err(refused)) => Err(AppError::LinkRefused(refused)),
                    None => Err(AppError::Internal(
                        "a link request got no outcome".to_owned(),
                    )),
                }
            },
            answer,
        )
        .await?;
    Ok(answered)
}

/// Makes a link for each valid record (SPEC §9.3); each record, valid or not (as the
/// edge read it), stands alone. Answers with `answer` of the outcome, once per
/// idempotency key.
pub async fn shorten_many(
    app: &App,
    account: &ObjectId,
    records: Vec<Result<NewLink, InputError>>,
    once: Option<Once>,
    answer: impl FnOnce(&LinkBulkOutcome) -> Answer + Send + 'static,
) -> Result<Answered, AppError> {
    if records.is_empty() {
        return Err(InputError::MissingLinks.into());
    }
    if records.len() > MAX_BULK_LINKS {
        return Err(AppError::TooManyRecords {
            max: MAX_BULK_LINKS,
        });
    }
    let count = records.len();
    let mut valid = Vec::with_capacity(count);
    let mut invalid = Vec::new();
    for (index, record) in records.into_iter().enumerate() {
        match record {
            Ok(link) => valid.push((index, link)),
            Err(error) => invalid.push((index, error)),
        }
    }
    let owner = account.clone();
    let now = app.now();
    let (answered, _) = app
        .answer_once(
            account,
            once,
            move |conn| {
                let (indexes, links): (Vec<usize>, Vec<NewLink>) = valid.into_iter().unzip();
                let made = create_links(conn, &owner, &links, now)?;
                Ok(LinkBulkOutcome::new(
                    count,
                    indexes.into_iter().zip(made),
                    invalid,
                ))
            },
            answer,
        )
        .await?;
    Ok(answered)
}

/// The account's link `link_id` with its stats (SPEC §9.5). Read on the replica when
/// there is one (SPEC §14); a link it does not have yet is looked for on the primary.
pub async fn get(
    app: &App,
    account: &ObjectId,
    link_id: LinkId,
) -> Result<(Link, LinkStats), AppError> {
    let account = account.clone();
    app.run_read(move |conn| find_link(conn, &account, &link_id)?.ok_or(AppError::NotFound))
        .await
}

/// One page of the account's links matching `filter`, newest first (SPEC §9.5). Read on
/// the replica when there is one (SPEC §14).
pub async fn list(
    app: &App,
    account: &ObjectId,
    filter: LinkFilter,
    page: Page,
) -> Result<Paged<Link>, AppError> {
    let account = account.clone();
    let (items, total) = app
        .run_read(move |conn| Ok(list_links(conn, &account, &filter, page)?))
        .await?;
    Ok(Paged::new(items, page, total))
}

/// What following the links `link_ids` needs, in one query (the redirect's cold lookups,
/// batched): the links that exist. For threads that may block. Read on the primary: a
/// link is followed as soon as it is made.
pub fn routes_blocking(app: &App, link_ids: &[LinkId]) -> Result<Vec<LinkRoute>, AppError> {
    app.run_blocking(|conn| Ok(find_link_routes(conn, link_ids)?))
}
