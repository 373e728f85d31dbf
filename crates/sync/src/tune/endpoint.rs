//! Where a TUNE connection sends its calls (INTEGRATIONS.md §1.1):
//! `https://{network_id}.api.hasoffers.com/Apiv3/json` unless a base URL is configured.

use url::Url;

use crate::error::PlatformError;

/// TUNE's JSON endpoint path.
const ENDPOINT_PATH: &str = "/Apiv3/json";

/// The endpoint from the configured URL (a URL with no path gets `/Apiv3/json`) or,
/// without one, from the network id.
pub(crate) fn tune_endpoint(
    base_url: Option<&str>,
    network_id: Option<&str>,
) -> Result<Url, PlatformError> {
    match (base_url, network_id) {
        (Some(base_url), _) => {
            let mut url = Url::parse(base_url).map_err(|error| {
                PlatformError::Setup(format!("the TUNE base_url is not a URL ({error})"))
            })?;
            if !matches!(url.scheme(), "http" | "https") {
                return Err(PlatformError::Setup(
                    "the TUNE base_url must be http or https".to_owned(),
                ));
            }
            if url.path() == "/" {
                url.set_path(ENDPOINT_PATH);
            }
            Ok(url)
        }
        (None, Some(network_id)) => {
            let is_host_label = !network_id.is_empty()
                && network_id.len() <= 63
                && network_id
                    .bytes()
                    .all(|byte| byte.is_ascii_alphanumeric() || byte == b'-');
            if !is_host_label {
                return Err(PlatformError::Setup(
                    "the TUNE network_id may hold only letters, digits and hyphens".to_owned(),
                ));
            }
            let text = format!("https://{network_id}.api.hasoffers.com{ENDPOINT_PATH}");
            Url::parse(&text).map_err(|error| {
                PlatformError::Setup(format!("the TUNE network_id makes no URL ({error})"))
            })
        }
        (None, None) => Err(PlatformError::Setup(
            "a TUNE connection needs a base_url or a network_id".to_owned(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_come_from_the_url_or_the_network_id() {
        let cases = [
            (
                None,
                Some("demo"),
                "https://demo.api.hasoffers.com/Apiv3/json",
                "the network's default host",
            ),
            (
                Some("http://127.0.0.1:8080/Apiv3/json"),
                Some("ignored"),
                "http://127.0.0.1:8080/Apiv3/json",
                "a configured endpoint wins",
            ),
            (
                Some("https://demo.api.hasoffers.com"),
                None,
                "https://demo.api.hasoffers.com/Apiv3/json",
                "a host alone gets the endpoint path",
            ),
            (
                Some("https://proxy.example/tune/json"),
                None,
                "https://proxy.example/tune/json",
                "another path is kept",
            ),
        ];
        for (base_url, network_id, expected, description) in cases {
            let endpoint = tune_endpoint(base_url, network_id)
                .unwrap_or_else(|error| panic!("{description}: {error}"));
            assert_eq!(endpoint.as_str(), expected, "{description}");
        }
    }

    #[test]
    fn unusable_settings_are_refused() {
        let cases = [
            (None, None, "neither a URL nor a network id"),
            (
                None,
                Some("demo.evil.example/x"),
                "a network id that is not a host label",
            ),
            (None, Some(""), "an empty network id"),
            (Some("not a url"), None, "a base_url that is not a URL"),
            (Some("ftp://tune.example/Apiv3/json"), None, "not http(s)"),
        ];
        for (base_url, network_id, description) in cases {
            assert!(
                matches!(
                    tune_endpoint(base_url, network_id),
                    Err(PlatformError::Setup(_))
                ),
                "{description}"
            );
        }
    }
}
