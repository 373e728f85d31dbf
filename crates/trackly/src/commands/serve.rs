//! `trackly serve`: prepare the database, bootstrap the first account, serve HTTP, and on
//! SIGTERM/SIGINT finish in-flight requests and write the buffered clicks.

use std::io::Write;
use std::net::TcpListener;
use std::time::Duration;

use trackly_api::clicks::{BotDetector, ClickWriter};
use trackly_api::db::run_db;
use trackly_api::{serve, AppSettings, AppState};
use trackly_domain::api_key::is_well_formed_api_key;
use trackly_store::accounts::bootstrap;
use trackly_store::build_pool;
use trackly_store::clicks::ensure_click_partitions;
use trackly_store::idempotency::purge_expired;

use crate::commands::connect_migrated;
use crate::config::ServeConfig;
use crate::failure::Failure;

/// How often expired idempotency records are deleted.
const PURGE_INTERVAL: Duration = Duration::from_secs(3600);
/// How often click partitions are created ahead.
const PARTITION_INTERVAL: Duration = Duration::from_secs(6 * 3600);
/// How long shutdown tries to write the buffered clicks (after the server's own
/// shutdown timeout, within the SPEC's 10 seconds).
const CLICK_FLUSH_TIMEOUT: Duration = Duration::from_secs(4);

/// Runs the service until SIGTERM/SIGINT.
pub fn run(database_url: &str, config: &ServeConfig) -> Result<(), Failure> {
    if let Some(key) = config.bootstrap_api_key() {
        if !is_well_formed_api_key(key) {
            return Err(Failure(
                "TRACKLY_BOOTSTRAP_API_KEY must be trk_ followed by 32 letters or digits"
                    .to_owned(),
            ));
        }
    }
    let bots = match &config.bot_cidrs_file {
        Some(path) => {
            BotDetector::from_cidrs_file(path).map_err(|error| Failure(error.to_string()))?
        }
        None => BotDetector::new(),
    };
    let mut conn = connect_migrated(database_url)?;
    ensure_click_partitions(&mut conn, chrono::Utc::now())
        .map_err(|error| Failure::database(database_url, &error))?;
    let created = bootstrap(&mut conn, config.bootstrap_api_key(), chrono::Utc::now())
        .map_err(|error| Failure::database(database_url, &error))?;
    drop(conn);
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
    let pool = build_pool(database_url, config.db_pool_size);
    let capacity = usize::try_from(config.click_buffer).unwrap_or(usize::MAX);
    let (writer, sink) = ClickWriter::start(pool.clone(), capacity);
    let settings = AppSettings {
        public_url: config.public_url(),
        trust_proxy: config.trust_proxy,
        bots,
    };
    let state = AppState::new(pool, sink, settings);

    let served = actix_web::rt::System::new().block_on(async move {
        let server = serve(listener, state.clone(), config.workers)
            .map_err(|error| Failure(format!("cannot start the HTTP server: {error}")))?;
        actix_web::rt::spawn(every(
            PURGE_INTERVAL,
            state.clone(),
            purge_idempotency_records,
        ));
        actix_web::rt::spawn(every(
            PARTITION_INTERVAL,
            state.clone(),
            create_click_partitions,
        ));
        log::info!("listening on http://{address}");
        server
            .await
            .map_err(|error| Failure(format!("the HTTP server failed: {error}")))
    });
    writer.shutdown(CLICK_FLUSH_TIMEOUT);
    served?;
    log::info!("stopped");
    Ok(())
}

/// Prints a line for the operator. A closed stdout must not stop the service, so a
/// failed write is ignored.
fn announce(line: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = writeln!(stdout, "{line}").and_then(|()| stdout.flush());
}

/// Runs `task` now and then every `interval`, for the life of the server.
async fn every<F, Fut>(interval: Duration, state: AppState, task: F)
where
    F: Fn(AppState) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let mut ticks = actix_web::rt::time::interval(interval);
    loop {
        ticks.tick().await;
        task(state.clone()).await;
    }
}

/// Deletes expired idempotency records.
async fn purge_idempotency_records(state: AppState) {
    match run_db(&state.pool, |conn| {
        Ok(purge_expired(conn, chrono::Utc::now())?)
    })
    .await
    {
        Ok(0) => {}
        Ok(purged) => log::info!("purged {purged} expired idempotency record(s)"),
        Err(error) => log::warn!("idempotency purge failed: {error}"),
    }
}

/// Creates the coming months' click partitions.
async fn create_click_partitions(state: AppState) {
    match run_db(&state.pool, |conn| {
        Ok(ensure_click_partitions(conn, chrono::Utc::now())?)
    })
    .await
    {
        Ok(0) => {}
        Ok(created) => log::info!("created {created} click partition(s)"),
        Err(error) => log::warn!("click partition upkeep failed: {error}"),
    }
}
