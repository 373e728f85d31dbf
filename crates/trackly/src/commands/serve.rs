//! `trackly serve`: prepare the database, bootstrap the first account, serve HTTP.

use std::io::Write;
use std::net::TcpListener;
use std::time::Duration;

use trackly_api::db::run_db;
use trackly_api::{serve, AppState};
use trackly_domain::api_key::is_well_formed_api_key;
use trackly_store::accounts::bootstrap;
use trackly_store::build_pool;
use trackly_store::idempotency::purge_expired;

use crate::commands::connect_migrated;
use crate::config::ServeConfig;
use crate::failure::Failure;

/// How often expired idempotency records are deleted.
const PURGE_INTERVAL: Duration = Duration::from_secs(3600);

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
    let mut conn = connect_migrated(database_url)?;
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
    let state = AppState::new(
        build_pool(database_url, config.db_pool_size),
        &config.public_url(),
    );

    actix_web::rt::System::new().block_on(async move {
        let server = serve(listener, state.clone(), config.workers)
            .map_err(|error| Failure(format!("cannot start the HTTP server: {error}")))?;
        actix_web::rt::spawn(purge_idempotency_records(state));
        log::info!("listening on http://{address}");
        server
            .await
            .map_err(|error| Failure(format!("the HTTP server failed: {error}")))
    })?;
    log::info!("stopped");
    Ok(())
}

/// Prints a line for the operator. A closed stdout must not stop the service, so a
/// failed write is ignored.
fn announce(line: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = writeln!(stdout, "{line}").and_then(|()| stdout.flush());
}

/// Deletes expired idempotency records every hour.
async fn purge_idempotency_records(state: AppState) {
    let mut ticks = actix_web::rt::time::interval(PURGE_INTERVAL);
    loop {
        ticks.tick().await;
        match run_db(&state, |conn| Ok(purge_expired(conn, chrono::Utc::now())?)).await {
            Ok(0) => {}
            Ok(purged) => log::info!("purged {purged} expired idempotency record(s)"),
            Err(error) => log::warn!("idempotency purge failed: {error}"),
        }
    }
}
