//! SPEC §5.3: real user agents and the class they must get. People: browsers on iOS,
//! Android and desktops, and the in-app browsers SMS recipients open links in. Bots:
//! link-preview fetchers of chat apps and carriers, crawlers, HTTP libraries, monitors.

use trackly_tracking::BotDetector;

/// A person (false) or a bot (true).
const PERSON: bool = false;
const BOT: bool = true;

#[test]
fn real_user_agents_get_their_class() {
    let cases: [(&str, bool, &str); 42] = [
        // Browsers.
        ("Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1", PERSON, "Safari on iPhone"),
        ("Mozilla/5.0 (iPad; CPU OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1", PERSON, "Safari on iPad"),
        ("Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/131.0.6778.73 Mobile/15E148 Safari/604.1", PERSON, "Chrome on iPhone"),
        ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.81 Mobile Safari/537.36", PERSON, "Chrome on Android"),
        ("Mozilla/5.0 (Linux; Android 14; SAMSUNG SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36", PERSON, "Samsung Internet"),
        ("Mozilla/5.0 (Android 14; Mobile; rv:133.0) Gecko/133.0 Firefox/133.0", PERSON, "Firefox on Android"),
        ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36", PERSON, "Chrome on Windows"),
        ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.2903.70", PERSON, "Edge on Windows"),
        ("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0", PERSON, "Firefox on Windows"),
        ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15", PERSON, "Safari on macOS"),
        ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36", PERSON, "Chrome on Linux"),
        ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 OPR/115.0.0.0", PERSON, "Opera on Windows"),
        // In-app browsers.
        ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS;FBAV/470.0.0.40.99;FBBV/620000000;FBDV/iPhone14,5;FBMD/iPhone;FBSN/iOS;FBSV/17.5;FBSS/3;FBCR/;FBID/phone;FBLC/en_US;FBOP/80]", PERSON, "Facebook in-app on iPhone"),
        ("Mozilla/5.0 (Linux; Android 14; SM-A546B Build/UP1A.231005.007; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/131.0.6778.39 Mobile Safari/537.36 Instagram 356.0.0.41.101 Android (34/14; 450dpi; 1080x2340; samsung; SM-A546B; a54x; s5e8835; en_US; 656418467)", PERSON, "Instagram in-app on Android"),
        ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 musical_ly_34.1.0 JsSdk/2.0 NetType/WIFI Channel/App Store ByteLocale/en Region/US", PERSON, "TikTok in-app on iPhone"),
        ("Mozilla/5.0 (Linux; Android 13; Pixel 7 Build/TQ3A.230901.001; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/118.0.0.0 Mobile Safari/537.36 Line/13.18.1", PERSON, "LINE in-app on Android"),
        ("Mozilla/5.0 (iPhone; CPU iPhone OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.42(0x18002a2f) NetType/WIFI Language/zh_CN", PERSON, "WeChat in-app on iPhone"),
        ("Mozilla/5.0 (Linux; Android 14; Pixel 8 Build/AP2A.240805.005; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/127.0.6533.103 Mobile Safari/537.36", PERSON, "an Android WebView (SMS app's browser tab)"),
        // Link-preview fetchers of chat apps and carriers.
        ("WhatsApp/2.23.20.0 A", BOT, "WhatsApp preview (Android)"),
        ("WhatsApp/2.24.21.78 i", BOT, "WhatsApp preview (iOS)"),
        ("facebookexternalhit/1.1 Facebot Twitterbot/1.0", BOT, "iMessage preview"),
        ("facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)", BOT, "Facebook/Messenger preview"),
        ("TelegramBot (like TwitterBot)", BOT, "Telegram preview"),
        ("Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)", BOT, "Slack preview"),
        ("Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)", BOT, "Discord preview"),
        ("Mozilla/5.0 (Windows NT 6.1; WOW64) SkypeUriPreview Preview/0.5 skype-url-preview@microsoft.com", BOT, "Skype/Teams preview"),
        ("LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)", BOT, "LinkedIn preview"),
        ("Viber/21.7.0", BOT, "Viber preview, product tokens only"),
        ("Twitterbot/1.0", BOT, "X preview"),
        ("SmsLinkPreview/3.1 CarrierMessaging/2.0", BOT, "a carrier preview fetcher the list does not know"),
        // Crawlers.
        ("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", BOT, "Googlebot"),
        ("Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)", BOT, "bingbot"),
        ("Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)", BOT, "AhrefsBot"),
        // HTTP libraries.
        ("curl/8.5.0", BOT, "curl"),
        ("Wget/1.21.4", BOT, "wget"),
        ("python-requests/2.32.3", BOT, "python-requests"),
        ("Go-http-client/1.1", BOT, "Go"),
        ("okhttp/4.12.0", BOT, "OkHttp"),
        ("axios/1.7.7", BOT, "axios"),
        ("Mozilla/5.0", BOT, "a bare Mozilla token, no platform"),
        // Monitors.
        ("Mozilla/5.0+(compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)", BOT, "UptimeRobot"),
        ("Pingdom.com_bot_version_1.4_(http://www.pingdom.com/)", BOT, "Pingdom"),
    ];
    let detector = BotDetector::new();
    let wrong: Vec<String> = cases
        .iter()
        .filter(|(agent, bot, _)| detector.user_agent_is_bot(agent) != *bot)
        .map(|(agent, bot, description)| {
            let class = if *bot { "a bot" } else { "a person" };
            format!("{description} should be {class}: {agent}")
        })
        .collect();
    assert!(wrong.is_empty(), "misclassified:\n{}", wrong.join("\n"));
}
