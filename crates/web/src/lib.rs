//! Trackly's dashboard (SPEC §11): a marketer's view of the same data as the API, served
//! by the same binary at `/app`. Pages are rendered on the server (maud: checked at
//! compile time, every value escaped), sessions are kept in PostgreSQL, every form
//! carries an anti-forgery token, and every asset is embedded in the binary. Handlers
//! parse, make one `trackly_app` call and render; nothing here knows the store.

mod assets;
mod chart;
mod csrf;
mod error;
mod form;
mod format;
mod layout;
mod pages;
mod qr;
mod security;
mod session;

use actix_web::{guard, web};
use trackly_app::App;

pub use security::CONTENT_SECURITY_POLICY;
pub use session::SESSION_COOKIE;

/// What the dashboard needs from the configuration.
#[derive(Clone)]
pub struct WebState {
    /// The use cases.
    pub app: App,
    /// Base of tracking links (`TRACKLY_PUBLIC_URL`), without a trailing slash.
    pub public_url: String,
    /// Whether cookies are `Secure` (the public URL is https).
    pub secure_cookies: bool,
}

impl WebState {
    /// The dashboard of `app`, whose links start with `public_url`.
    pub fn new(app: App, public_url: &str) -> Self {
        Self {
            app,
            public_url: public_url.trim_end_matches('/').to_owned(),
            secure_cookies: public_url.starts_with("https://"),
        }
    }
}

/// Registers the dashboard: `/app` and its pages, and `/` sending browsers there (API
/// clients, which do not ask for HTML, still get the API's JSON `404`). Register it
/// before the API's routes.
pub fn configure(state: WebState) -> impl Fn(&mut web::ServiceConfig) + Clone + Send + 'static {
    let state = web::Data::new(state);
    move |config: &mut web::ServiceConfig| {
        config
            .service(
                web::resource("/")
                    .guard(guard::Get())
                    .guard(guard::fn_guard(security::wants_html))
                    .to(pages::home::to_dashboard),
            )
            .service(pages::scope(state.clone()));
    }
}
