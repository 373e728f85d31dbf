//! An actix-web server on its own thread and runtime, on a free port of 127.0.0.1, that
//! stops when its handle is dropped. Its own thread makes it usable from sync and async
//! tests alike.

use std::net::SocketAddr;
use std::sync::mpsc;
use std::thread::JoinHandle;

use actix_web::dev::ServerHandle;
use actix_web::{web, App, HttpServer};

/// A running fake server.
pub(crate) struct FakeServer {
    address: SocketAddr,
    handle: ServerHandle,
    thread: Option<JoinHandle<()>>,
}

impl FakeServer {
    /// Starts a server whose routes `configure` sets up, and waits until it listens.
    pub(crate) fn start<F>(name: &str, configure: F) -> Self
    where
        F: Fn(&mut web::ServiceConfig) + Send + Clone + 'static,
    {
        let (started, listening) = mpsc::channel();
        let thread = std::thread::Builder::new()
            .name(format!("fake-{name}"))
            .spawn(move || {
                actix_web::rt::System::new().block_on(async move {
                    let server = HttpServer::new(move || App::new().configure(configure.clone()))
                        .workers(1)
                        .disable_signals()
                        .bind(("127.0.0.1", 0))
                        .unwrap_or_else(|error| panic!("the fake server cannot bind: {error}"));
                    let Some(address) = server.addrs().first().copied() else {
                        panic!("the fake server has no address after binding");
                    };
                    let running = server.run();
                    if started.send((address, running.handle())).is_ok() {
                        let _ = running.await;
                    }
                });
            })
            .unwrap_or_else(|error| panic!("cannot start the fake {name} thread: {error}"));
        let (address, handle) = listening
            .recv()
            .unwrap_or_else(|_| panic!("the fake {name} server did not start"));
        Self {
            address,
            handle,
            thread: Some(thread),
        }
    }

    /// `http://127.0.0.1:<port>`.
    pub(crate) fn origin(&self) -> String {
        format!("http://{}", self.address)
    }
}

impl Drop for FakeServer {
    fn drop(&mut self) {
        // `stop` sends its command at once; the future only reports completion, and the
        // join below waits for that.
        drop(self.handle.stop(false));
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
