//! The dashboard in a real browser: headless Chromium driven over WebDriver
//! (`chromium` and `chromium-driver`, which `.ci/run` installs). Screenshots go to
//! `target/browser-screenshots/`; with `TRACKLY_UPDATE_SCREENSHOT=1` the offer page's
//! also replaces `docs/dashboard-offer.png`.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::key::Key;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{json, Value};

use crate::helpers::TestWeb;

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const PERSON: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1";

/// A chromedriver process, stopped when dropped.
struct Driver {
    process: Child,
    url: String,
}

impl Driver {
    /// Starts chromedriver on a free port and waits until it listens.
    fn start() -> Self {
        for program in [CHROMIUM, CHROMEDRIVER] {
            assert!(
                Path::new(program).exists(),
                "{program} is missing: install Debian's chromium and chromium-driver \
                 (apt-get install chromium chromium-driver; .ci/run does it)"
            );
        }
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .expect("a free port")
            .port();
        let process = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "chromedriver did not listen within 20 s"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Self {
            process,
            url: format!("http://127.0.0.1:{port}"),
        }
    }

    /// A headless desktop browser, 1280 pixels wide.
    async fn desktop(&self) -> Client {
        self.browser(json!({})).await
    }

    /// A headless browser emulating a phone with a 375 px wide screen (a desktop
    /// window cannot be made that narrow).
    async fn phone(&self) -> Client {
        self.browser(json!({"mobileEmulation": {
            "deviceMetrics": {"width": 375, "height": 812, "pixelRatio": 2.0, "touch": true},
            "userAgent": PERSON,
        }}))
        .await
    }

    /// A headless browser with `options` added to the common Chrome options.
    async fn browser(&self, options: Value) -> Client {
        let mut chrome = json!({
            "binary": CHROMIUM,
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--hide-scrollbars", "--window-size=1280,900"],
        });
        if let (Some(chrome), Value::Object(extra)) = (chrome.as_object_mut(), options) {
            chrome.extend(extra);
        }
        let mut capabilities = serde_json::Map::new();
        capabilities.insert("goog:chromeOptions".to_owned(), chrome);
        // chromedriver is spoken to over plain HTTP on this machine: no TLS needed.
        ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities)
            .connect(&self.url)
            .await
            .expect("a browser session")
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

/// Where screenshots go.
fn screenshot_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/browser-screenshots");
    std::fs::create_dir_all(&dir).expect("a screenshot directory");
    dir
}

/// Saves a screenshot of the page as `name`.png and returns it.
async fn screenshot(browser: &Client, name: &str) -> Vec<u8> {
    let png = browser.screenshot().await.expect("a screenshot");
    std::fs::write(screenshot_dir().join(format!("{name}.png")), &png)
        .expect("write the screenshot");
    png
}

/// The text of the element `css`.
async fn text(browser: &Client, css: &str) -> String {
    browser
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|error| panic!("no {css}: {error}"))
        .text()
        .await
        .expect("text")
}

/// Fills the field `id` with `value`.
async fn fill(browser: &Client, id: &str, value: &str) {
    let field = browser
        .find(Locator::Id(id))
        .await
        .unwrap_or_else(|error| panic!("no #{id}: {error}"));
    field.clear().await.expect("clear");
    field.send_keys(value).await.expect("type");
}

/// Clicks the submit button of the form holding `id` and waits for the next page.
async fn submit(browser: &Client, id: &str) {
    let button = browser
        .find(Locator::XPath(&format!(
            "//*[@id='{id}']/ancestor::form//button[@type='submit']"
        )))
        .await
        .expect("a submit button");
    next_page(browser, || async { button.click().await.expect("click") }).await;
}

/// Clicks the link reading `text` and waits for the next page.
async fn follow(browser: &Client, text: &str) {
    let link = browser
        .find(Locator::LinkText(text))
        .await
        .unwrap_or_else(|error| panic!("no link {text:?}: {error}"));
    next_page(browser, || async { link.click().await.expect("click") }).await;
}

/// Does `action` and waits until the browser shows a new document (also when its
/// address is the same, as after a refused form).
async fn next_page<F, Fut>(browser: &Client, action: F)
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    browser
        .execute("document.documentElement.dataset.old = 'yes';", vec![])
        .await
        .expect("mark the page");
    action().await;
    let started = Instant::now();
    loop {
        let old = browser
            .execute("return document.readyState === 'complete' ? (document.documentElement.dataset.old || 'no') : 'yes';", vec![])
            .await
            .unwrap_or(json!("yes"));
        if old == json!("no") {
            return;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "no new page within 10 s"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// True when the page is no wider than the window.
async fn fits(browser: &Client) -> bool {
    let widths = browser
        .execute(
            "return [document.documentElement.scrollWidth, window.innerWidth];",
            vec![],
        )
        .await
        .expect("widths");
    matches!(widths, Value::Array(ref pair) if pair[0].as_u64() <= pair[1].as_u64())
}

/// Clicks on each of the last six days (a tenth of them bots) and a few conversions.
async fn past_week(web: &TestWeb, offer_id: &str) {
    use trackly_domain::click::{BotReason, Click};
    let offer = trackly_domain::ObjectId::parse(offer_id).expect("an offer id");
    let now = chrono::Utc::now();
    let mut clicks = Vec::new();
    for day in 1..=6_i64 {
        for n in 0..(20 + day * 7 % 23) {
            let at = now - chrono::Duration::days(day) - chrono::Duration::minutes(n);
            clicks.push(Click {
                id: trackly_store::secrets::new_id(at),
                account_id: web.account.account_id.clone(),
                offer_id: Some(offer.clone()),
                link: None,
                first_click: false,
                created_at: at,
                ip: Some(format!("10.0.{day}.{}", n % 9)),
                user_agent: Some(PERSON.to_owned()),
                referer: None,
                subs: Default::default(),
                bot_reason: (n % 10 == 0).then_some(BotReason::BotUserAgent),
            });
        }
    }
    trackly_store::clicks::insert_clicks(&mut web.conn(), &clicks)
        .expect("store the week's clicks");
    for (n, amount) in ["4.20", "4.20", "12.60"].into_iter().enumerate() {
        let answer = web
            .api(reqwest::Method::POST, "/api/v2/revenue")
            .json(&json!({"offer_id": offer_id, "revenue": amount, "txn_id": format!("week-{n}")}))
            .send()
            .await
            .expect("request");
        assert_eq!(answer.status(), 201, "revenue {n}");
    }
}

#[tokio::test]
async fn a_marketer_signs_in_creates_an_offer_and_sees_its_click_in_a_real_browser() {
    let web = TestWeb::spawn_at("{address}").await;
    let driver = Driver::start();
    let browser = driver.desktop().await;

    // Signing in by keyboard: the first Tab reaches the skip link; Enter sends the form.
    browser
        .goto(&format!("{}/app", web.address))
        .await
        .expect("open /app");
    assert_eq!(
        browser.current_url().await.expect("url").path(),
        "/app/sign-in"
    );
    browser
        .find(Locator::Css("body"))
        .await
        .expect("body")
        .send_keys(&Key::Tab.to_string())
        .await
        .expect("tab");
    assert_eq!(
        browser
            .active_element()
            .await
            .expect("focus")
            .text()
            .await
            .expect("text"),
        "Skip to content"
    );
    fill(&browser, "api_key", &web.account.api_key).await;
    let field = browser.find(Locator::Id("api_key")).await.expect("field");
    next_page(&browser, || async {
        field
            .send_keys(&Key::Enter.to_string())
            .await
            .expect("enter")
    })
    .await;
    assert_eq!(text(&browser, "h1").await, "Overview");

    // A bad URL is refused beside its field, the name kept; then the offer is made.
    follow(&browser, "Offers").await;
    follow(&browser, "New offer").await;
    fill(&browser, "name", "Browser Offer").await;
    fill(&browser, "tracking_url", "adv.example/no-scheme").await;
    submit(&browser, "name").await;
    assert!(text(&browser, "#tracking_url-error")
        .await
        .contains("absolute http or https URL"));
    let kept = browser
        .find(Locator::Id("name"))
        .await
        .expect("name")
        .prop("value")
        .await
        .expect("value");
    assert_eq!(kept.as_deref(), Some("Browser Offer"));
    fill(
        &browser,
        "tracking_url",
        "https://adv.example/t?c={click_id}",
    )
    .await;
    fill(&browser, "payout", "4.20").await;
    submit(&browser, "name").await;
    assert!(text(&browser, "h1").await.starts_with("Browser Offer"));

    // Found in the list and opened from it.
    browser
        .goto(&format!("{}/app/offers", web.address))
        .await
        .expect("list");
    fill(&browser, "q", "Browser").await;
    submit(&browser, "q").await;
    follow(&browser, "Browser Offer").await;

    // Its link, followed once, shows up as a click and as points on the chart.
    let link = browser
        .find(Locator::Id("tracking-link"))
        .await
        .expect("link")
        .prop("value")
        .await
        .expect("value")
        .expect("a link");
    let followed = web
        .client
        .get(&link)
        .header("User-Agent", PERSON)
        .send()
        .await
        .expect("follow");
    assert_eq!(followed.status(), 302);
    web.flush_clicks().await;
    next_page(&browser, || async {
        browser.refresh().await.expect("reload")
    })
    .await;
    let points = browser
        .find_all(Locator::Css(".series-clicks circle"))
        .await
        .expect("points");
    assert_eq!(points.len(), 7, "one point per day of the last 7 days");
    let clicks = text(&browser, "#recent-clicks tbody").await;
    assert!(
        clicks.contains("Person"),
        "the click is in the recent clicks: {clicks}"
    );
    let today_clicks = browser
        .execute(
            "return document.querySelector('.figures .figure dd').textContent;",
            vec![],
        )
        .await
        .expect("figure");
    assert_eq!(today_clicks, json!("1"), "one click counted");
    let offer_url = browser.current_url().await.expect("url").to_string();

    // A week of traffic: the chart, the table and the figures take it in.
    let offer_id = offer_url
        .rsplit('/')
        .next()
        .expect("the offer's id")
        .to_owned();
    past_week(&web, &offer_id).await;
    next_page(&browser, || async {
        browser.refresh().await.expect("reload")
    })
    .await;
    let points = browser
        .find_all(Locator::Css(".series-clicks circle"))
        .await
        .expect("points");
    assert_eq!(points.len(), 7, "still one point per day");
    let figures = text(&browser, ".figures").await;
    assert!(
        figures.contains("21.00"),
        "the week's revenue is counted: {figures}"
    );
    browser
        .set_window_size(1280, 2000)
        .await
        .expect("a tall window");
    let png = screenshot(&browser, "offer-desktop").await;
    if std::env::var_os("TRACKLY_UPDATE_SCREENSHOT").is_some() {
        let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/dashboard-offer.png");
        std::fs::write(docs, &png).expect("write docs/dashboard-offer.png");
    }
    browser.close().await.expect("close");

    // The same pages on a 375 px phone screen: nothing wider than the screen.
    let phone = driver.phone().await;
    phone
        .goto(&format!("{}/app/sign-in", web.address))
        .await
        .expect("sign-in");
    fill(&phone, "api_key", &web.account.api_key).await;
    submit(&phone, "api_key").await;
    let pages = [
        ("overview", format!("{}/app", web.address)),
        ("offers", format!("{}/app/offers", web.address)),
        ("new-offer", format!("{}/app/offers/new", web.address)),
        ("offer", offer_url),
        ("links", format!("{}/app/links", web.address)),
        ("integrations", format!("{}/app/integrations", web.address)),
    ];
    for (name, url) in pages {
        phone.goto(&url).await.expect("open");
        let width: Value = phone
            .execute("return window.innerWidth;", vec![])
            .await
            .expect("width");
        assert_eq!(width, json!(375), "a phone-sized window");
        screenshot(&phone, &format!("{name}-375px")).await;
        assert!(fits(&phone).await, "{name} scrolls sideways at 375 px");
    }
    phone.close().await.expect("close");
}
