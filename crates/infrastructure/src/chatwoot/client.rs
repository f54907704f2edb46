//! The HTTP client settings every Chatwoot request is sent with.

use std::net::SocketAddr;

use reqwest::{redirect, Client, ClientBuilder};

use super::config::ChatwootCheckConfig;

const USER_AGENT: &str = concat!(
    "chatwoot-integration/",
    env!("CARGO_PKG_VERSION"),
    " (settings check)"
);

fn builder(config: &ChatwootCheckConfig) -> ClientBuilder {
    Client::builder()
        // A redirect could carry the token to a host that never proved to be
        // Chatwoot; the user is told where it points instead.
        .redirect(redirect::Policy::none())
        .connect_timeout(config.connect_timeout)
        .timeout(config.timeout)
        .user_agent(USER_AGENT)
        // An HTTP(S)_PROXY meant for other traffic must not see the token or
        // answer in Chatwoot's place.
        .no_proxy()
}

/// The client shared by all checks.
pub(crate) fn shared(config: &ChatwootCheckConfig) -> reqwest::Result<Client> {
    builder(config).build()
}

/// A client for one check that connects to `host` only at `addrs`, the
/// addresses already vetted, whatever DNS answers later.
pub(crate) fn pinned(
    config: &ChatwootCheckConfig,
    host: &str,
    addrs: &[SocketAddr],
) -> reqwest::Result<Client> {
    builder(config).resolve_to_addrs(host, addrs).build()
}

#[cfg(test)]
mod tests {
    use super::*;
    use wiremock::matchers::path;
    use wiremock::{Mock, MockServer, ResponseTemplate};

    #[tokio::test]
    async fn a_pinned_client_connects_to_the_vetted_address_whatever_dns_says() {
        let server = MockServer::start().await;
        Mock::given(path("/api"))
            .respond_with(ResponseTemplate::new(200))
            .mount(&server)
            .await;
        let vetted = [*server.address()];
        let bound = std::time::Duration::from_secs(2);
        let config = ChatwootCheckConfig::new(bound, bound, true, false);
        let client = pinned(&config, "chatwoot.invalid", &vetted).unwrap();

        let url = format!("http://chatwoot.invalid:{}/api", server.address().port());
        let response = client.get(url).send().await.unwrap();

        assert_eq!(response.status(), 200);
    }
}
