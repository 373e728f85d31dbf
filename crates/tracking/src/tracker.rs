//! Following a tracking link (SPEC §5.1, §9.4): resolve the offer code or the link id,
//! build the destination with its macros, classify the click (§5.3) and spool it (§12),
//! all without waiting for the database while the link is cached.

use std::net::IpAddr;
use std::sync::Arc;

use chrono::Utc;
use rand::RngCore;
use trackly_app::App;
use trackly_domain::click::{
    classify, click_field, Click, ClickSignals, RedirectTarget, REFERER_MAX_CHARS, SUB_MAX_CHARS,
    USER_AGENT_MAX_CHARS,
};
use trackly_domain::destination::{destination, url_mode_destination, MacroValues};
use trackly_domain::link::LinkId;
use trackly_domain::offer::OfferStatus;
use trackly_domain::ObjectId;

use crate::bots::BotDetector;
use crate::error::TrackingError;
use crate::link_cache::LinkCache;
use crate::offer_cache::OfferCache;
use crate::sink::ClickSink;

/// What a visit followed: an offer's tracking code or a link id.
#[derive(Debug, Clone, Copy)]
pub enum Followed<'a> {
    /// `/{code}`: the offer's 6-character code (SPEC §5.1).
    Offer(&'a str),
    /// `/{linkId}`: a 7-character link id (SPEC §9.4).
    Link(&'a LinkId),
}

/// One visit of a tracking link, as the HTTP edge saw it.
#[derive(Debug, Clone, Copy)]
pub struct Visit<'a> {
    /// What was followed.
    pub followed: Followed<'a>,
    /// The request was `HEAD`.
    pub is_head: bool,
    /// The `User-Agent` header.
    pub user_agent: Option<&'a str>,
    /// The `Referer` header.
    pub referer: Option<&'a str>,
    /// The client's address.
    pub ip: Option<IpAddr>,
    /// `sub1`…`sub5` from the link's query string.
    pub subs: [Option<&'a str>; 5],
}

/// Where a followed link sends the browser.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirect {
    /// The destination, for the `Location` header.
    pub location: String,
}

/// Where a visit goes, once resolved.
enum Destination {
    /// An active offer.
    Offer(RedirectTarget),
    /// A URL-mode link's URL, for this account.
    Url { url: String, account_id: ObjectId },
}

/// Follows tracking links; cheap to clone.
#[derive(Clone)]
pub struct Tracker {
    offers: OfferCache,
    links: LinkCache,
    bots: Arc<BotDetector>,
    sink: ClickSink,
}

impl Tracker {
    /// A tracker resolving links through `app`, classifying with `bots` and spooling
    /// clicks into `sink`. Offers `app` changes are forgotten at once.
    pub fn new(app: App, bots: BotDetector, sink: ClickSink) -> Self {
        let offers = OfferCache::new(app.clone());
        let forget = offers.forgetter();
        app.on_offer_change(move |code| forget(code.as_str()));
        Self {
            offers,
            links: LinkCache::new(app),
            bots: Arc::new(bots),
            sink,
        }
    }

    /// Follows a link: the destination, once the click is spooled. Unknown codes and
    /// links, and offers that are not active, record nothing.
    pub async fn follow(&self, visit: &Visit<'_>) -> Result<Redirect, TrackingError> {
        let (resolved, route) = match visit.followed {
            Followed::Offer(code) => (Destination::Offer(self.active_offer(code).await?), None),
            Followed::Link(link_id) => {
                let route = self
                    .links
                    .lookup(link_id)
                    .await?
                    .ok_or(TrackingError::UnknownLink)?;
                let destination = match (route.offer_code(), route.url()) {
                    (Some(code), _) => Destination::Offer(self.active_offer(code).await?),
                    (None, url) => Destination::Url {
                        url: url.unwrap_or_default().to_owned(),
                        account_id: route.account_id().clone(),
                    },
                };
                (destination, Some((link_id, route)))
            }
        };
        let now = Utc::now();
        let click_id = new_click_id(now.timestamp());
        let values = MacroValues {
            click_id: click_id.as_str(),
            offer_id: match &resolved {
                Destination::Offer(target) => target.offer_id.as_str(),
                Destination::Url { .. } => "",
            },
            subs: visit.subs,
            message_id: route.as_ref().and_then(|(_, route)| route.message_id()),
        };
        let location = match &resolved {
            Destination::Offer(target) => destination(&target.tracking_url, &values),
            Destination::Url { url, .. } => url_mode_destination(url, &values),
        };
        let (account_id, offer_id) = match resolved {
            Destination::Offer(target) => (target.account_id, Some(target.offer_id)),
            Destination::Url { account_id, .. } => (account_id, None),
        };
        self.sink.record(&Click {
            id: click_id,
            account_id,
            offer_id,
            link: route
                .as_ref()
                .map(|(link_id, route)| route.click_link(link_id)),
            first_click: false,
            created_at: now,
            ip: visit.ip.map(|ip| ip.to_string()),
            user_agent: visit
                .user_agent
                .map(|agent| click_field(agent, USER_AGENT_MAX_CHARS)),
            referer: visit
                .referer
                .map(|referer| click_field(referer, REFERER_MAX_CHARS)),
            subs: visit
                .subs
                .map(|value| value.map(|value| click_field(value, SUB_MAX_CHARS))),
            bot_reason: self.classify(visit),
        });
        Ok(Redirect { location })
    }

    /// The active offer with tracking code `code`.
    async fn active_offer(&self, code: &str) -> Result<RedirectTarget, TrackingError> {
        let target = self
            .offers
            .lookup(code)
            .await?
            .ok_or(TrackingError::UnknownLink)?;
        if target.status == OfferStatus::Active {
            Ok(target)
        } else {
            Err(TrackingError::Gone)
        }
    }

    /// Why the visit is a bot, if it is one (SPEC §5.3).
    fn classify(&self, visit: &Visit<'_>) -> Option<trackly_domain::click::BotReason> {
        classify(ClickSignals {
            is_head: visit.is_head,
            user_agent: visit.user_agent,
            user_agent_is_bot: visit
                .user_agent
                .is_some_and(|agent| self.bots.user_agent_is_bot(agent)),
            in_bot_network: self.bots.in_bot_network(visit.ip),
        })
    }
}

/// A click id (SPEC §1.5) made in `unix_seconds`.
fn new_click_id(unix_seconds: i64) -> ObjectId {
    let mut random = [0u8; 8];
    rand::thread_rng().fill_bytes(&mut random);
    ObjectId::new(
        u32::try_from(unix_seconds.max(0)).unwrap_or(u32::MAX),
        random,
    )
}
