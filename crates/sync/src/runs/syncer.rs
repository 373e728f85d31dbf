//! Running syncs: on demand (the API answers at once with the run ids), on the schedule
//! inside `serve`, and from the CLI. One run of a kind per connection at a time, across
//! every node (the `app` layer's advisory lock).

use std::time::Duration;

use chrono::Duration as Span;
use trackly_app::integrations::{self, OpenedIntegration};
use trackly_app::sync_runs::{self, SyncLock};
use trackly_app::{App, AppError};
use trackly_domain::integration::{SyncKind, SyncRun};
use trackly_domain::offer::ExternalPlatform;
use trackly_domain::{InputError, ObjectId};

use super::connections::client_for;
use super::mapping;
use crate::error::PlatformError;
use crate::options::ClientOptions;

/// When syncs are due, and how far back conversions are read (SPEC §10.2, §10.3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    /// Between two offer syncs of a connection (15 minutes).
    pub offers_every: Duration,
    /// Between two conversion syncs (an hour).
    pub conversions_every: Duration,
    /// How far back a conversion sync reads (7 days).
    pub conversions_window: Duration,
}

impl Default for Schedule {
    fn default() -> Self {
        Self {
            offers_every: Duration::from_secs(15 * 60),
            conversions_every: Duration::from_secs(60 * 60),
            conversions_window: Duration::from_secs(7 * 24 * 60 * 60),
        }
    }
}

impl Schedule {
    fn every(&self, kind: SyncKind) -> Duration {
        match kind {
            SyncKind::Offers => self.offers_every,
            SyncKind::Conversions => self.conversions_every,
        }
    }
}

/// Runs syncs for the app. Cheap to clone.
#[derive(Clone)]
pub struct Syncer {
    app: App,
    options: ClientOptions,
    schedule: Schedule,
}

impl Syncer {
    /// A syncer calling platforms with `options` on `schedule`.
    pub fn new(app: App, options: ClientOptions, schedule: Schedule) -> Self {
        Self {
            app,
            options,
            schedule,
        }
    }

    /// Starts a sync of the account's connection `id` now (SPEC §10.2
    /// `POST /api/v2/integrations/{id}/sync`) and answers with the runs started, before
    /// they end. `kind` picks one; without it, every kind the connection syncs.
    /// `SyncRunning` when every run asked for is running already.
    pub async fn request(
        &self,
        account: &ObjectId,
        id: &ObjectId,
        kind: Option<SyncKind>,
    ) -> Result<Vec<SyncRun>, AppError> {
        let opened = integrations::opened(&self.app, account, id).await?;
        let kinds = match kind {
            Some(kind) => vec![kind],
            None => enabled(&opened),
        };
        if kinds.is_empty() {
            return Err(InputError::SyncDisabled.into());
        }
        let mut started = Vec::new();
        for kind in kinds {
            let Some(mut lock) = sync_runs::lock(&self.app, account, id, kind).await? else {
                continue;
            };
            let Some(run) = sync_runs::begin(&self.app, &mut lock, None).await? else {
                continue;
            };
            started.push(run.clone());
            let (syncer, opened) = (self.clone(), opened.clone());
            tokio::spawn(async move { syncer.execute(&opened, run, lock).await });
        }
        if started.is_empty() {
            return Err(AppError::SyncRunning);
        }
        Ok(started)
    }

    /// Runs every sync of the account's connections now (only `platform`'s, when given)
    /// and answers once they ended (`trackly sync`). A sync running elsewhere is left to
    /// it.
    pub async fn run_account(
        &self,
        account: &ObjectId,
        platform: Option<ExternalPlatform>,
    ) -> Result<Vec<SyncRun>, AppError> {
        let mut ended = Vec::new();
        for listed in integrations::list(&self.app, account).await? {
            if platform.is_some_and(|platform| platform != listed.settings.platform) {
                continue;
            }
            let opened = integrations::opened(&self.app, account, &listed.id).await?;
            for kind in enabled(&opened) {
                ended.extend(self.run_once(&opened, kind, None).await?);
            }
        }
        Ok(ended)
    }

    /// Runs every sync that is due, one after another (the schedule inside `serve`):
    /// each connection's offers every 15 minutes and conversions hourly. A sync another
    /// node runs, or ran within its period, is not run again. A connection that cannot
    /// be synced (its key does not open, the database failed) is logged and left for the
    /// next look; the others still run.
    pub async fn run_due(&self) -> Result<Vec<SyncRun>, AppError> {
        let mut ended = Vec::new();
        for opened in integrations::all_opened(&self.app).await? {
            let opened = match opened {
                Ok(opened) => opened,
                Err(error) => {
                    log::error!("a connection cannot be synced: {error}");
                    continue;
                }
            };
            for kind in enabled(&opened) {
                let every = self.schedule.every(kind);
                match self.run_once(&opened, kind, Some(every)).await {
                    Ok(run) => ended.extend(run),
                    Err(error) => log::warn!(
                        "the {kind} sync of integration {} could not run: {error}",
                        opened.integration.id
                    ),
                }
            }
        }
        Ok(ended)
    }

    async fn run_once(
        &self,
        opened: &OpenedIntegration,
        kind: SyncKind,
        due_every: Option<Duration>,
    ) -> Result<Option<SyncRun>, AppError> {
        let Some(mut lock) =
            sync_runs::lock(&self.app, &opened.account_id, &opened.integration.id, kind).await?
        else {
            return Ok(None);
        };
        match sync_runs::begin(&self.app, &mut lock, due_every).await {
            Ok(Some(run)) => Ok(Some(self.execute(opened, run, lock).await)),
            Ok(None) => {
                lock.release().await?;
                Ok(None)
            }
            Err(error) => {
                lock.release().await.ok();
                Err(error)
            }
        }
    }

    /// Reads the platform's sweep, writes it, ends the run and gives the lock back. A
    /// platform failure ends the run failed, with nothing written.
    async fn execute(
        &self,
        opened: &OpenedIntegration,
        run: SyncRun,
        mut lock: SyncLock,
    ) -> SyncRun {
        let ended = match self.sweep_and_write(opened, &run, &mut lock).await {
            Ok(ended) => Ok(ended),
            Err(reason) => {
                log::warn!(
                    "sync run {} ({} {} of integration {}) failed: {reason}",
                    run.id,
                    opened.integration.settings.platform,
                    run.kind,
                    opened.integration.id
                );
                sync_runs::fail(&self.app, &mut lock, &run, reason.clone())
                    .await
                    .map(|()| failed(&run, reason))
            }
        };
        if let Err(error) = lock.release().await {
            log::warn!("sync run {}: the lock was not released: {error}", run.id);
        }
        ended.unwrap_or_else(|error| {
            log::error!("sync run {} could not be recorded: {error}", run.id);
            failed(&run, error.to_string())
        })
    }

    async fn sweep_and_write(
        &self,
        opened: &OpenedIntegration,
        run: &SyncRun,
        lock: &mut SyncLock,
    ) -> Result<SyncRun, String> {
        let client = client_for(opened, &self.options).map_err(|error| error.to_string())?;
        let account = &opened.account_id;
        let written = match run.kind {
            SyncKind::Offers => {
                let sweep = client.offers().await.map_err(platform)?;
                let (offers, skipped) = mapping::offers(sweep);
                sync_runs::write_offers(&self.app, lock, account, run, offers, skipped).await
            }
            SyncKind::Conversions => {
                let to = self.app.now();
                let window =
                    Span::from_std(self.schedule.conversions_window).unwrap_or(Span::days(7));
                let sweep = client
                    .conversions(to - window, to)
                    .await
                    .map_err(platform)?;
                let (conversions, skipped) = mapping::conversions(sweep);
                let platform = opened.integration.settings.platform;
                sync_runs::write_conversions(
                    &self.app,
                    lock,
                    account,
                    platform,
                    run,
                    conversions,
                    skipped,
                )
                .await
            }
        };
        written.map_err(|error| match error {
            AppError::Unavailable(_) => {
                "the database was unavailable; the next run retries".to_owned()
            }
            other => other.to_string(),
        })
    }
}

/// The kinds a connection syncs.
fn enabled(opened: &OpenedIntegration) -> Vec<SyncKind> {
    let settings = &opened.integration.settings;
    [
        (settings.sync_offers, SyncKind::Offers),
        (settings.sync_conversions, SyncKind::Conversions),
    ]
    .into_iter()
    .filter_map(|(on, kind)| on.then_some(kind))
    .collect()
}

fn platform(error: PlatformError) -> String {
    format!("{error}; nothing was written, and the next run retries")
}

fn failed(run: &SyncRun, reason: String) -> SyncRun {
    SyncRun {
        status: trackly_domain::integration::RunStatus::Failed,
        errors: vec![reason],
        ..run.clone()
    }
}
