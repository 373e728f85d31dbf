//! The HTTP server: the app with its middleware, bound to a listener.

use std::net::TcpListener;
use std::time::Duration;

use actix_web::dev::Server;
use actix_web::middleware::{from_fn, Logger};
use actix_web::{web, App, HttpServer};

use crate::body::payload_config;
use crate::openapi::document_json;
use crate::request_id::assign_request_id;
use crate::routes::document::ApiDocument;
use crate::routes::{configure, not_found};
use crate::state::AppState;

/// How long shutdown waits for in-flight requests. With the click flush after it, the
/// process exits within the SPEC's 10 seconds (§1.9).
pub const SHUTDOWN_TIMEOUT: Duration = Duration::from_secs(5);

/// The access-log line: request id, peer, method and path (never the query string,
/// which may carry secrets), status, bytes, milliseconds.
const ACCESS_LOG_FORMAT: &str =
    "request_id=%{x-request-id}o peer=%a \"%{method}xi %U\" %s %bB %Dms";

/// Serves the API on `listener` with `workers` worker threads (0: one per core).
/// The server stops gracefully on SIGTERM and on SIGINT (Ctrl-C) alike.
pub fn serve(listener: TcpListener, state: AppState, workers: usize) -> std::io::Result<Server> {
    serve_with(listener, state, workers, |_: &mut web::ServiceConfig| {})
}

/// Like `serve`, with `mount`'s routes (the dashboard's) registered ahead of the API's,
/// under the same middleware and access log.
pub fn serve_with(
    listener: TcpListener,
    state: AppState,
    workers: usize,
    mount: impl Fn(&mut web::ServiceConfig) + Clone + Send + 'static,
) -> std::io::Result<Server> {
    // Database work runs on each worker's blocking threads, the pool's connections
    // shared among the workers: with more threads than connections, threads sleep on
    // the pool and wake each other; with as many, a thread that finishes picks the next
    // queued task without sleeping (docs/PERFORMANCE.md, "Blocking threads").
    let worker_count = if workers > 0 {
        workers
    } else {
        std::thread::available_parallelism().map_or(1, usize::from)
    };
    let blocking_threads = usize::try_from(state.app.pool_size())
        .unwrap_or(16)
        .div_ceil(worker_count)
        .max(2);
    let state = web::Data::new(state);
    let document = web::Data::new(ApiDocument(document_json()));
    let mut server = HttpServer::new(move || {
        App::new()
            .app_data(state.clone())
            .app_data(document.clone())
            .app_data(payload_config())
            .configure(mount.clone())
            .configure(configure)
            .default_service(web::to(not_found))
            .wrap(from_fn(assign_request_id))
            .wrap(
                Logger::new(ACCESS_LOG_FORMAT)
                    .custom_request_replace("method", |request| request.method().to_string()),
            )
    })
    .shutdown_signal(termination())
    .shutdown_timeout(SHUTDOWN_TIMEOUT.as_secs())
    .worker_max_blocking_threads(blocking_threads);
    if workers > 0 {
        server = server.workers(workers);
    }
    Ok(server.listen(listener)?.run())
}

/// Resolves on the first SIGTERM or SIGINT. (actix-web's own handlers would treat
/// SIGINT as a forced stop that drops requests in flight.)
async fn termination() {
    use tokio::signal::unix::{signal, SignalKind};
    match (
        signal(SignalKind::terminate()),
        signal(SignalKind::interrupt()),
    ) {
        (Ok(mut terminate), Ok(mut interrupt)) => {
            tokio::select! {
                _ = terminate.recv() => log::info!("SIGTERM received; stopping gracefully"),
                _ = interrupt.recv() => log::info!("SIGINT received; stopping gracefully"),
            }
        }
        (Err(error), _) | (_, Err(error)) => {
            log::error!(
                "cannot listen for SIGTERM/SIGINT ({error}); stop the process with SIGKILL"
            );
            std::future::pending::<()>().await;
        }
    }
}
