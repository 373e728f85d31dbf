//! Bot detection inputs (SPEC §5.3): which user agents are bots, and the bot networks of
//! `TRACKLY_BOT_CIDRS_FILE`.
//!
//! A user agent is a bot when either layer says so:
//! 1. the maintained pattern list of the `isbot` crate (crawlers, monitors, HTTP
//!    libraries, the link-preview fetchers of chat apps and carriers it knows);
//! 2. the product-token rule: a user agent made only of product tokens (`name/version`,
//!    RFC 9110 §10.1.5) with no parenthesised comment is no browser. Every browser and
//!    in-app browser names its platform in a comment (`Mozilla/5.0 (iPhone; …)`), while
//!    preview fetchers and HTTP clients the list does not know yet often send bare
//!    tokens (`SomeMessenger/4.2`, `okhttp/4.12.0`). This catches them before the list
//!    is updated.

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

    /// True when the user agent matches the bot pattern list or is made only of product
    /// tokens.
    pub fn user_agent_is_bot(&self, user_agent: &str) -> bool {
        only_product_tokens(user_agent) || self.user_agents.is_bot(user_agent)
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

/// True when `user_agent` is one or more product tokens (`name` or `name/version`,
/// separated by spaces) and nothing else: no comment, so no platform.
fn only_product_tokens(user_agent: &str) -> bool {
    let is_token_char = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
    let mut products = user_agent.split_ascii_whitespace().peekable();
    products.peek().is_some()
        && products.all(|product| {
            let (name, version) = product.split_once('/').unwrap_or((product, "x"));
            !name.is_empty()
                && name.chars().all(is_token_char)
                && !version.is_empty()
                && version.chars().all(is_token_char)
        })
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
    fn only_product_tokens_is_no_browser() {
        let cases = [
            ("SmsLinkPreview/3.1", true, "one product"),
            (
                "SmsLinkPreview/3.1 CarrierMessaging/2.0",
                true,
                "two products",
            ),
            ("WhatsApp/2.23.20.0 A", true, "a product and a bare token"),
            ("Mozilla/5.0", true, "a bare Mozilla token"),
            (
                "Mozilla/5.0 (Linux; Android 14) Chrome/131.0",
                false,
                "a platform comment",
            ),
            ("Mozilla/5.0 (", false, "an opened comment"),
            (
                "Safari/605.1.15 Version/18.1",
                true,
                "products without a comment",
            ),
            ("", false, "empty: a rule of its own (empty_user_agent)"),
            ("name/", false, "a slash without a version"),
            ("/1.0", false, "a version without a name"),
        ];
        for (agent, expected, description) in cases {
            assert_eq!(only_product_tokens(agent), expected, "{description}");
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
