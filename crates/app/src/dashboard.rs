//! What the dashboard's pages show (SPEC §11): the overview, an offer, the messages and
//! the platform connections, each page's figures read in one call on one connection. They
//! tolerate lag, so they are read on the replica when there is one (SPEC §14); but the
//! offer of an offer's page is read on the primary, as the offer form opens that page
//! right after it saves.

use std::sync::Arc;

use trackly_domain::click::Click;
use trackly_domain::integration::{Integration, SyncRun};
use trackly_domain::link::MessageTotals;
use trackly_domain::offer::OfferRef;
use trackly_domain::query::Page;
use trackly_domain::revenue::{RevenueEvent, RevenueFilter};
use trackly_domain::stats::{AccountStats, DateRange, OfferStats, OfferTotals};
use trackly_domain::{ObjectId, Offer};
use trackly_store::clicks::latest_clicks;
use trackly_store::integrations::list_integrations;
use trackly_store::link_messages::message_totals;
use trackly_store::revenue::list_revenue;
use trackly_store::stats::{account_days, account_offer_totals, days_of_offer};
use trackly_store::sync_runs::list_runs;

use crate::{offers, App, AppError};

/// How many offers the overview ranks.
const TOP_OFFERS: u32 = 5;
/// How many recent clicks and revenue events an offer's page lists.
const RECENT: u32 = 20;
/// How many runs of each connection the integrations page lists.
const RECENT_RUNS: u32 = 10;

/// The overview: the account's days and its best offers over a range.
#[derive(Debug, Clone, PartialEq)]
pub struct Overview {
    /// Every day of the range and the totals.
    pub stats: AccountStats,
    /// The offers that earned most over the range, best first.
    pub top_offers: Vec<OfferTotals>,
    /// How many offers are not archived.
    pub live_offers: u64,
}

/// An offer's page: the offer, its days over a range, and what happened last.
#[derive(Debug, Clone, PartialEq)]
pub struct OfferView {
    /// The offer.
    pub offer: Arc<Offer>,
    /// Every day of the range and the totals.
    pub stats: OfferStats,
    /// Its newest clicks, bots included.
    pub recent_clicks: Vec<Click>,
    /// Its newest revenue events.
    pub revenue: Vec<RevenueEvent>,
}

/// A page of messages, and whether more follow.
#[derive(Debug, Clone, PartialEq)]
pub struct MessagesPage {
    /// The messages, newest first.
    pub items: Vec<MessageTotals>,
    /// The page.
    pub page: Page,
    /// True when a next page has messages.
    pub more: bool,
}

/// A platform connection and its newest runs.
#[derive(Debug, Clone, PartialEq)]
pub struct IntegrationView {
    /// The connection.
    pub integration: Integration,
    /// Its newest runs, newest first.
    pub runs: Vec<SyncRun>,
}

/// The account's overview over `range`.
pub async fn overview(
    app: &App,
    account: &ObjectId,
    range: DateRange,
) -> Result<Overview, AppError> {
    let account = account.clone();
    app.run_read(move |conn| {
        let daily = account_days(conn, &account, range)?;
        let top = Page {
            page: 1,
            per_page: TOP_OFFERS,
        };
        let (top_offers, live_offers) = account_offer_totals(conn, &account, range, top)?;
        Ok(Overview {
            stats: AccountStats::from_days(range, daily),
            top_offers,
            live_offers,
        })
    })
    .await
}

/// The account's offer named by `offer`, with its days over `range`.
pub async fn offer(
    app: &App,
    account: &ObjectId,
    offer: OfferRef,
    range: DateRange,
) -> Result<OfferView, AppError> {
    let offer = offers::get(app, account, offer).await?;
    let (account, offer_id) = (account.clone(), offer.id.clone());
    let (daily, recent_clicks, revenue) = app
        .run_read(move |conn| {
            let daily = days_of_offer(conn, &account, offer_id.as_str(), range)?;
            let recent_clicks = latest_clicks(conn, &account, &offer_id, RECENT)?;
            let events = RevenueFilter {
                offer: Some(offer_id.to_string()),
                ..RevenueFilter::default()
            };
            let first = Page {
                page: 1,
                per_page: RECENT,
            };
            let (revenue, _) = list_revenue(conn, &account, &events, first)?;
            Ok((daily, recent_clicks, revenue))
        })
        .await?;
    Ok(OfferView {
        stats: OfferStats::from_days(offer.id.clone(), range, daily),
        offer,
        recent_clicks,
        revenue,
    })
}

/// One page of the account's messages, newest first; only `message_id` when given.
pub async fn messages(
    app: &App,
    account: &ObjectId,
    message_id: Option<String>,
    page: Page,
) -> Result<MessagesPage, AppError> {
    let account = account.clone();
    let (items, more) = app
        .run_read(move |conn| Ok(message_totals(conn, &account, message_id.as_deref(), page)?))
        .await?;
    Ok(MessagesPage { items, page, more })
}

/// The account's platform connections, each with its newest runs.
pub async fn integrations(app: &App, account: &ObjectId) -> Result<Vec<IntegrationView>, AppError> {
    let account = account.clone();
    app.run_read(move |conn| {
        let newest = Page {
            page: 1,
            per_page: RECENT_RUNS,
        };
        list_integrations(conn, &account)?
            .into_iter()
            .map(|integration| {
                let (runs, _) = list_runs(conn, &account, &integration.id, newest)?;
                Ok(IntegrationView { integration, runs })
            })
            .collect()
    })
    .await
}
