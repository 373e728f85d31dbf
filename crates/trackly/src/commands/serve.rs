//! `trackly serve`: prepare the database, open the click spool (replaying what an earlier
//! run left), bootstrap the first account, serve HTTP, and on SIGTERM/SIGINT finish
//! in-flight requests and drain the spool into the database.

use std::io::Write;
use std::net::TcpListener;
use std::num::NonZeroU32;
use std::time::Duration;

use trackly_api::{serve_with, AppSettings, AppState};
use trackly_app::{accounts, integrations, maintenance, App, AppError, SecretKey};
use trackly_domain::api_key::is_well_formed_api_key;
use trackly_sync::{ClientOptions, Schedule, Syncer};
use trackly_tracking::{BotDetector, ClickPipeline, SpoolConfig, Tracker, SEGMENT_BYTES};

use crate::config::ServeConfig;
use crate::failure::{without_password, Failure};

/// How often expired idempotency records and ended dashboard sessions are deleted.
const PURGE_INTERVAL: Duration = Duration::from_secs(3600);
/// How often click partitions are created ahead and dropped past the retention.
const PARTITION_INTERVAL: Duration = Duration::from_secs(6 * 3600);
/// How long shutdown stores spooled clicks (after the server's own shutdown timeout,
/// within the SPEC's 10 seconds); the rest waits in the spool for the next start.
const CLICK_DRAIN_TIMEOUT: Duration = Duration::from_secs(4);

/// Runs the service until SIGTERM/SIGINT.
pub fn run(
    database_url: &str,
    config: &ServeConfig,
    secret_key: Option<SecretKey>,
) -> Result<(), Failure> {
    if let Some(key) = config.bootstrap_api_key() {
        if !is_well_formed_api_key(key) {
            return Err(Failure(
                "TRACKLY_BOOTSTRAP_API_KEY must be trk_ followed by 32 letters or digits"
                    .to_owned(),
            ));
        }
    }
    let public_url = config.public_url().map_err(Failure)?;
    let bots = match &config.bot_cidrs_file {
        Some(path) => {
            BotDetector::from_cidrs_file(path).map_err(|error| Failure(error.to_string()))?
        }
        None => BotDetector::new(),
    };
    let database = |error: AppError| Failure::database(database_url, &error);
    let prepared = maintenance::prepare_database(database_url).map_err(database)?;
    if prepared.created {
        log::info!("created database {}", without_password(database_url));
    }
    if prepared.migrations_applied > 0 {
        log::info!("applied {} migration(s)", prepared.migrations_applied);
    }
    let mut app = match config.read_replica() {
        Some(replica) => {
            log::info!(
                "read replica {}, with a lag bound of {} ms",
                without_password(&replica.url),
                replica.max_lag.as_millis()
            );
            App::connect_with_replica(database_url, config.db_pool_size, &replica)
        }
        None => App::connect(database_url, config.db_pool_size),
    }
    .with_offer_cache(database_url, config.offer_cache_mb << 20);
    let syncs = secret_key.is_some();
    if let Some(key) = secret_key {
        app = app.with_secret_key(key);
    }
    check_platform_keys(&app, database_url)?;
    // The spool is opened once the schema is current, so replayed clicks find their
    // table, and before anything is announced, so a node refused its data directory
    // stops without side effects.
    let spool = SpoolConfig {
        data_dir: config.data_dir.clone(),
        max_bytes: config.spool_max_bytes,
        fsync_interval: Duration::from_millis(config.spool_fsync_ms),
        segment_bytes: SEGMENT_BYTES,
    };
    let (clicks, sink) =
        ClickPipeline::start(app.clone(), &spool).map_err(|error| Failure(error.to_string()))?;
    let platform_options = ClientOptions {
        timeout: Duration::from_secs(config.platform_timeout_seconds),
        ..ClientOptions::default()
    };
    let syncer = Syncer::new(app.clone(), platform_options.clone(), Schedule::default());
    let dashboard = trackly_web::configure(trackly_web::WebState::new(app.clone(), &public_url));
    let settings = AppSettings {
        public_url,
        trust_proxy: config.trust_proxy,
        platform_options,
    };
    let tracker = Tracker::new(app.clone(), bots, sink);
    let state = AppState::new(app.clone(), tracker, settings);

    let served = actix_web::rt::System::new().block_on(async move {
        let created = accounts::bootstrap(&app, config.bootstrap_api_key())
            .await
            .map_err(database)?;
        if let Some(account) = created {
            let key_line = if config.bootstrap_api_key().is_some() {
                "Bootstrap account created with the key from TRACKLY_BOOTSTRAP_API_KEY.".to_owned()
            } else {
                format!("Bootstrap API key: {}", account.api_key)
            };
            announce(&key_line);
            announce(&format!(
                "Bootstrap postback secret: {}",
                account.postback_secret
            ));
        }
        let listener = TcpListener::bind(&config.bind)
            .map_err(|error| Failure(format!("cannot listen on {}: {error}", config.bind)))?;
        let address = listener
            .local_addr()
            .map_err(|error| Failure(format!("cannot read the listening address: {error}")))?;
        let server = serve_with(listener, state, config.workers, dashboard)
            .map_err(|error| Failure(format!("cannot start the HTTP server: {error}")))?;
        actix_web::rt::spawn(every(PURGE_INTERVAL, app.clone(), purge_expired_records));
        let retention = config.click_retention_days;
        actix_web::rt::spawn(every(PARTITION_INTERVAL, app, move |app| {
            upkeep_click_partitions(app, retention)
        }));
        if syncs {
            actix_web::rt::spawn(sync_schedule(
                Duration::from_secs(config.sync_tick_seconds),
                syncer,
            ));
        }
        log::info!("listening on http://{address}");
        server
            .await
            .map_err(|error| Failure(format!("the HTTP server failed: {error}")))
    });
    clicks.shutdown(CLICK_DRAIN_TIMEOUT);
    served?;
    log::info!("stopped");
    Ok(())
}

/// Refuses to start when stored platform keys cannot be opened: without
/// `TRACKLY_SECRET_KEY` (SPEC §10.1), or with another key than they were sealed with.
fn check_platform_keys(app: &App, database_url: &str) -> Result<(), Failure> {
    let stored = super::block_on(integrations::count_all(app))?
        .map_err(|error| Failure::database(database_url, &error))?;
    if stored == 0 {
        return Ok(());
    }
    let opened = super::block_on(integrations::all_opened(app))?
        .and_then(|opened| opened.into_iter().find_map(Result::err).map_or(Ok(()), Err));
    match opened {
        Ok(()) => Ok(()),
        Err(AppError::SecretKeyMissing) => Err(Failure(format!(
            "{stored} connection(s) to TUNE or Everflow are stored and TRACKLY_SECRET_KEY is not \
             set: set it to the key they were stored with"
        ))),
        Err(AppError::Internal(cause)) => Err(Failure(cause)),
        Err(error) => Err(Failure::database(database_url, &error)),
    }
}

/// Every `tick`, runs the platform syncs that are due (SPEC §10.2, §10.3), one after
/// another; another node's run, or a recent one, is skipped.
async fn sync_schedule(tick: Duration, syncer: Syncer) {
    let mut ticks = actix_web::rt::time::interval(tick);
    loop {
        ticks.tick().await;
        match syncer.run_due().await {
            Ok(runs) => {
                for run in runs {
                    log::info!(
                        "sync run {} ({}) ended {}: {} created, {} updated, {} skipped, {} imported, {} duplicates, {} unmatched",
                        run.id,
                        run.kind,
                        run.status,
                        run.counts.offers_created,
                        run.counts.offers_updated,
                        run.counts.offers_skipped,
                        run.counts.conversions_imported,
                        run.counts.duplicates,
                        run.counts.unmatched
                    );
                }
            }
            Err(error) => log::warn!("the sync schedule could not run: {error}"),
        }
    }
}

/// Prints a line for the operator. A closed stdout must not stop the service, so a
/// failed write is ignored.
fn announce(line: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = writeln!(stdout, "{line}").and_then(|()| stdout.flush());
}

/// Runs `task` now and then every `interval`, for the life of the server.
async fn every<F, Fut>(interval: Duration, app: App, task: F)
where
    F: Fn(App) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let mut ticks = actix_web::rt::time::interval(interval);
    loop {
        ticks.tick().await;
        task(app.clone()).await;
    }
}

/// Deletes expired idempotency records and ended dashboard sessions.
async fn purge_expired_records(app: App) {
    match maintenance::purge_idempotency_records(&app).await {
        Ok(0) => {}
        Ok(purged) => log::info!("purged {purged} expired idempotency record(s)"),
        Err(error) => log::warn!("idempotency purge failed: {error}"),
    }
    match maintenance::purge_ended_sessions(&app).await {
        Ok(0) => {}
        Ok(purged) => log::info!("purged {purged} ended dashboard session(s)"),
        Err(error) => log::warn!("dashboard session purge failed: {error}"),
    }
}

/// Creates the coming months' click partitions and drops those past `retention`.
async fn upkeep_click_partitions(app: App, retention: Option<NonZeroU32>) {
    match maintenance::upkeep_click_partitions(&app, retention).await {
        Ok(upkeep) => {
            if upkeep.created > 0 {
                log::info!("created {} click partition(s)", upkeep.created);
            }
            if !upkeep.dropped.is_empty() {
                log::info!(
                    "dropped click partition(s) past the retention: {}",
                    upkeep.dropped.join(", ")
                );
            }
        }
        Err(error) => log::warn!("click partition upkeep failed: {error}"),
    }
}
