//! Bot detection inputs (SPEC §5.3): the maintained user-agent pattern list of the
//! `isbot` crate, and the bot networks of `TRACKLY_BOT_CIDRS_FILE`.

use std::net::IpAddr;
use std::path::Path;

use ipnet::IpNet;

/// Knows which user agents and networks are bots.
pub struct BotDetector {
    user_agents: isbot::Bots,
    networks: Vec<IpNet>,
}

/// A bot-networks file that cannot be used.
#[derive(Debug)]
pub struct BotNetworksError(pub String);

impl std::fmt::Display for BotNetworksError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl BotDetector {
    /// The pattern list alone, with no bot networks.
    pub fn new() -> Self {
        Self::with_networks(Vec::new())
    }

    /// The pattern list and these networks.
    pub fn with_networks(networks: Vec<IpNet>) -> Self {
        Self {
            user_agents: isbot::Bots::default(),
            networks,
        }
    }

    /// Reads a file of CIDR ranges, one a line (blank lines and `#` comments allowed;
    /// a bare address is a single-host range).
    pub fn from_cidrs_file(path: &Path) -> Result<Self, BotNetworksError> {
        let text = std::fs::read_to_string(path).map_err(|error| {
            BotNetworksError(format!("cannot read {}: {error}", path.display()))
        })?;
        Self::from_cidrs(&text).map_err(|(line, entry)| {
            BotNetworksError(format!(
                "{} line {line}: {entry:?} is not a CIDR range",
                path.display()
            ))
        })
    }

    /// Parses CIDR ranges from text; the error names the first bad line.
    pub fn from_cidrs(text: &str) -> Result<Self, (usize, String)> {
        let mut networks = Vec::new();
        for (index, line) in text.lines().enumerate() {
            let entry = line.split('#').next().unwrap_or_default().trim();
            if entry.is_empty() {
                continue;
            }
            let network = entry
                .parse::<IpNet>()
                .or_else(|_| entry.parse::<IpAddr>().map(IpNet::from))
                .map_err(|_| (index + 1, entry.to_owned()))?;
            networks.push(network);
        }
        Ok(Self::with_networks(networks))
    }

    /// True when the user agent matches the bot pattern list.
    pub fn user_agent_is_bot(&self, user_agent: &str) -> bool {
        self.user_agents.is_bot(user_agent)
    }

    /// True when the address lies in a configured bot network.
    pub fn in_bot_network(&self, ip: Option<IpAddr>) -> bool {
        ip.is_some_and(|ip| self.networks.iter().any(|network| network.contains(&ip)))
    }

    /// How many networks are configured.
    pub fn network_count(&self) -> usize {
        self.networks.len()
    }
}

impl Default for BotDetector {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_user_agents_are_classified() {
        let detector = BotDetector::new();
        let people = [
            ("Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1", "iPhone Safari"),
            ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.81 Mobile Safari/537.36", "Android Chrome"),
            ("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0", "desktop Firefox"),
            ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.2903.70", "desktop Edge"),
            ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15", "macOS Safari"),
        ];
        for (agent, description) in people {
            assert!(
                !detector.user_agent_is_bot(agent),
                "{description} is a person"
            );
        }
        let bots = [
            (
                "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
                "Googlebot",
            ),
            (
                "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
                "bingbot",
            ),
            (
                "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
                "facebookexternalhit",
            ),
            ("WhatsApp/2.23.20.0 A", "WhatsApp link preview"),
            (
                "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
                "Slackbot link expander",
            ),
            ("Twitterbot/1.0", "Twitterbot"),
            ("TelegramBot (like TwitterBot)", "TelegramBot"),
            ("curl/8.5.0", "curl"),
            ("python-requests/2.32.3", "python-requests"),
            ("Go-http-client/1.1", "Go-http-client"),
            (
                "Mozilla/5.0+(compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)",
                "UptimeRobot monitor",
            ),
        ];
        for (agent, description) in bots {
            assert!(detector.user_agent_is_bot(agent), "{description} is a bot");
        }
    }

    #[test]
    fn networks_are_read_from_cidr_lines() {
        let detector = BotDetector::from_cidrs(
            "# crawlers\n66.249.64.0/19\n\n2001:db8::/32 # docs\n10.1.2.3\n",
        )
        .expect("valid");
        assert_eq!(detector.network_count(), 3);
        let cases = [
            ("66.249.66.1", true, "inside an IPv4 range"),
            ("66.249.96.1", false, "outside it"),
            ("2001:db8::1", true, "inside an IPv6 range"),
            ("10.1.2.3", true, "a single host"),
            ("10.1.2.4", false, "next to the single host"),
        ];
        for (ip, expected, description) in cases {
            assert_eq!(
                detector.in_bot_network(ip.parse().ok()),
                expected,
                "{description}"
            );
        }
        assert!(!detector.in_bot_network(None));
        assert_eq!(
            BotDetector::from_cidrs("1.2.3.4/40").err(),
            Some((1, "1.2.3.4/40".to_owned()))
        );
    }
}
