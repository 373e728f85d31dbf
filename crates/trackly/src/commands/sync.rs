//! `trackly sync --account <id> [--platform tune|everflow]`: runs an account's platform
//! syncs now (SPEC §10.2) and prints how each run ended.

use std::time::Duration;

use serde_json::json;
use trackly_app::SecretKey;
use trackly_domain::integration::{RunStatus, SyncRun};
use trackly_domain::offer::ExternalPlatform;
use trackly_domain::time::format_timestamp;
use trackly_domain::ObjectId;
use trackly_sync::{ClientOptions, Schedule, Syncer};

use crate::commands::{block_on, existing_app};
use crate::failure::Failure;

/// Runs the syncs and prints the runs; fails when any run failed.
pub fn run(
    database_url: Option<&str>,
    secret_key: Option<SecretKey>,
    account: &str,
    platform: Option<&str>,
    timeout_seconds: u64,
    as_json: bool,
) -> Result<(), Failure> {
    let account = ObjectId::parse(account)
        .ok_or_else(|| Failure(format!("{account:?} is not an account id")))?;
    let secret_key = secret_key.ok_or_else(|| {
        Failure("TRACKLY_SECRET_KEY is not set: it opens the stored platform keys".to_owned())
    })?;
    let platform = platform.and_then(ExternalPlatform::parse);
    let app = existing_app(database_url)?.with_secret_key(secret_key);
    let options = ClientOptions {
        timeout: Duration::from_secs(timeout_seconds),
        ..ClientOptions::default()
    };
    let syncer = Syncer::new(app, options, Schedule::default());
    let runs = block_on(syncer.run_account(&account, platform))?.map_err(Failure::app)?;
    if as_json {
        let rows: Vec<_> = runs.iter().map(run_json).collect();
        println!("{}", serde_json::Value::Array(rows));
    } else if runs.is_empty() {
        println!("Nothing ran: the account has no such connection, or its syncs run elsewhere.");
    } else {
        runs.iter().for_each(print_run);
    }
    if runs.iter().any(|run| run.status == RunStatus::Failed) {
        return Err(Failure(
            "a sync run failed; its error is printed above".to_owned(),
        ));
    }
    Ok(())
}

fn run_json(run: &SyncRun) -> serde_json::Value {
    let counts = &run.counts;
    json!({
        "id": run.id.as_str(),
        "integration_id": run.integration_id.as_str(),
        "kind": run.kind.as_str(),
        "status": run.status.as_str(),
        "started_at": format_timestamp(run.started_at),
        "finished_at": run.finished_at.map(format_timestamp),
        "offers_created": counts.offers_created,
        "offers_updated": counts.offers_updated,
        "offers_skipped": counts.offers_skipped,
        "conversions_imported": counts.conversions_imported,
        "duplicates": counts.duplicates,
        "unmatched": counts.unmatched,
        "errors": run.errors,
    })
}

fn print_run(run: &SyncRun) {
    let counts = &run.counts;
    println!(
        "{} run {} of integration {}: {} — offers {} created, {} updated, {} skipped; conversions {} imported, {} duplicates, {} unmatched",
        run.kind,
        run.id,
        run.integration_id,
        run.status,
        counts.offers_created,
        counts.offers_updated,
        counts.offers_skipped,
        counts.conversions_imported,
        counts.duplicates,
        counts.unmatched
    );
    for error in &run.errors {
        println!("  - {error}");
    }
}
