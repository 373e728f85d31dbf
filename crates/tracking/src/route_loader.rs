//! Cold link lookups, batched (SPEC §9.4, §8.1): the redirects that miss the link cache
//! at the same moment share one query. A thread of its own takes every waiting id, asks
//! the database for all of them at once (up to `MAX_BATCH`), and answers each waiter; the
//! more misses arrive together, the bigger and cheaper per link the next batch. Links
//! are answered in their cached form, their owners shared (`Owners`).

use std::collections::HashMap;
use std::sync::mpsc;
use std::thread;

use tokio::sync::oneshot;
use trackly_app::{links, App};
use trackly_domain::link::LinkId;

use crate::cached_route::{CachedRoute, Owners};

/// The most ids one query asks for.
const MAX_BATCH: usize = 256;

/// What a waiter gets: the link, `None` for an unknown id, or why the database failed.
type Answer = Result<Option<CachedRoute>, String>;

struct Waiting {
    link_id: LinkId,
    reply: oneshot::Sender<Answer>,
}

/// Sends ids to the loader thread, which lives as long as a sender does.
#[derive(Clone)]
pub(crate) struct RouteLoader {
    waiting: mpsc::Sender<Waiting>,
}

impl RouteLoader {
    /// Starts the loader thread on `app`'s database.
    pub(crate) fn start(app: App) -> Self {
        let (waiting, arrivals) = mpsc::channel();
        thread::Builder::new()
            .name("trackly-link-lookups".to_owned())
            .spawn(move || load_batches(&app, &arrivals))
            .unwrap_or_else(|error| panic!("cannot start the link lookup thread: {error}"));
        Self { waiting }
    }

    /// The link `link_id` from the database, with whatever other ids wait beside it.
    pub(crate) async fn load(&self, link_id: LinkId) -> Answer {
        let (reply, answer) = oneshot::channel();
        self.waiting
            .send(Waiting { link_id, reply })
            .map_err(|_| "the link lookup thread stopped".to_owned())?;
        answer
            .await
            .map_err(|_| "the link lookup thread stopped".to_owned())?
    }
}

/// Until every sender is gone: take all that waits, look it up in one query, answer.
fn load_batches(app: &App, arrivals: &mpsc::Receiver<Waiting>) {
    let mut owners = Owners::default();
    while let Ok(first) = arrivals.recv() {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match arrivals.try_recv() {
                Ok(next) => batch.push(next),
                Err(_) => break,
            }
        }
        let ids: Vec<LinkId> = batch
            .iter()
            .map(|waiting| waiting.link_id.clone())
            .collect();
        match links::routes_blocking(app, &ids) {
            Ok(routes) => {
                let found: HashMap<LinkId, CachedRoute> = routes
                    .into_iter()
                    .map(|route| (route.link_id.clone(), owners.compact(&route)))
                    .collect();
                for waiting in batch {
                    let route = found.get(&waiting.link_id).cloned();
                    // A waiter that gave up (its request ended) needs no answer.
                    let _ = waiting.reply.send(Ok(route));
                }
            }
            Err(error) => {
                let reason = error.to_string();
                for waiting in batch {
                    let _ = waiting.reply.send(Err(reason.clone()));
                }
            }
        }
    }
}
