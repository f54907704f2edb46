//! One request of the check and its answer: what is sent, how much of the
//! answer is read, and what a transport error means.

use std::error::Error as StdError;
use std::io;

use application::{BodyFound, CheckFailure, RedirectTo, UnreachableReason};
use domain::ChatwootAccessToken;
use reqwest::header::{HeaderValue, ACCEPT, CONTENT_TYPE, LOCATION};
use reqwest::{Client, Method, Response, StatusCode};
use serde_json::Value;
use url::Url;

use super::address_policy::NotPublic;
use super::config::{millis, ChatwootCheckConfig};

/// The header Chatwoot reads a user's access token from.
const TOKEN_HEADER: &str = "api_access_token";

/// Longest server-provided text (a Location, an error) put into a message.
const MAX_ECHO_CHARS: usize = 300;

/// Sends the requests of one check with one client and one set of bounds.
pub(crate) struct Exchange<'a> {
    pub(crate) client: &'a Client,
    pub(crate) config: &'a ChatwootCheckConfig,
    /// The `chatwootURL` the requests go to, as messages name it.
    pub(crate) chatwoot_url: String,
}

/// A non-redirect answer whose body has not been read yet.
pub(crate) struct Answer<'a> {
    pub(crate) status: StatusCode,
    pub(crate) method: &'static str,
    /// The request path, as messages name it (`/api/v1/profile`).
    pub(crate) path: String,
    response: Response,
    config: &'a ChatwootCheckConfig,
}

impl<'a> Exchange<'a> {
    /// `method url`, with the token and a JSON body when given. A redirect
    /// is a failure: it is reported, never followed.
    pub(crate) async fn send(
        &self,
        method: Method,
        url: Url,
        token: Option<&ChatwootAccessToken>,
        body: Option<&Value>,
    ) -> Result<Answer<'a>, CheckFailure> {
        let method_name = method_name(&method);
        let path = url.path().to_owned();
        let mut request = self
            .client
            .request(method, url.clone())
            .header(ACCEPT, "application/json");
        if let Some(token) = token {
            let mut value = HeaderValue::from_bytes(token.expose().as_bytes())
                .map_err(|_| CheckFailure::TokenUnsendable)?;
            // Keeps the token out of any Debug output of the request.
            value.set_sensitive(true);
            request = request.header(TOKEN_HEADER, value);
        }
        if let Some(body) = body {
            request = request
                .header(CONTENT_TYPE, "application/json")
                .body(body.to_string());
        }

        let sent = request.send().await;
        let response = sent.map_err(|error| {
            transport_failure(&error, self.config, &format!("{method_name} {url}"))
        })?;
        let status = response.status();
        log::debug!("chatwoot check: {method_name} {url} -> {status}");

        // rack-attack answers before any route, whatever was asked: the
        // answer says nothing about the settings.
        if status == StatusCode::TOO_MANY_REQUESTS {
            return Err(CheckFailure::Throttled {
                url: self.chatwoot_url.clone(),
                method: method_name,
                path,
            });
        }
        if status.is_redirection() {
            let location = location_of(&response, &url, token);
            return Err(CheckFailure::Redirected {
                method: method_name,
                path,
                location,
            });
        }
        Ok(Answer {
            status,
            method: method_name,
            path,
            response,
            config: self.config,
        })
    }
}

/// The methods the checker sends, as messages name them.
fn method_name(method: &Method) -> &'static str {
    let sent = ["POST", "PATCH", "PUT"];
    sent.into_iter()
        .find(|name| *name == method.as_str())
        .unwrap_or("GET")
}

impl Answer<'_> {
    /// The most bytes of the body read.
    pub(crate) fn limit(&self) -> usize {
        self.config.max_body_bytes
    }

    /// The body of a successful answer, as `parse` reads it.
    pub(crate) async fn json<T>(
        self,
        parse: fn(&[u8]) -> Result<T, BodyFound>,
    ) -> Result<T, CheckFailure> {
        let (method, path, limit_bytes) = (self.method, self.path.clone(), self.limit());
        let found = match self.body().await? {
            None => BodyFound::TooLarge { limit_bytes },
            Some(body) => match parse(&body) {
                Ok(read) => return Ok(read),
                Err(found) => found,
            },
        };
        Err(CheckFailure::UnexpectedBody {
            method,
            path,
            found,
        })
    }

    pub(crate) fn content_type(&self) -> Option<String> {
        self.response
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .map(str::to_ascii_lowercase)
    }

    /// Reads the body chunk by chunk and stops past the limit (`None`, the
    /// rest never read), so an endless or huge answer costs at most the
    /// limit in memory; the client's total timeout bounds the time.
    pub(crate) async fn body(mut self) -> Result<Option<Vec<u8>>, CheckFailure> {
        let limit = self.config.max_body_bytes;
        if self
            .response
            .content_length()
            .is_some_and(|length| length > limit as u64)
        {
            return Ok(None);
        }
        let mut body = Vec::new();
        loop {
            match self.response.chunk().await {
                Ok(Some(chunk)) => {
                    if body.len() + chunk.len() > limit {
                        return Ok(None);
                    }
                    body.extend_from_slice(&chunk);
                }
                Ok(None) => return Ok(Some(body)),
                Err(error) => {
                    let read = format!("reading the answer to {} {}", self.method, self.path);
                    return Err(transport_failure(&error, self.config, &read));
                }
            }
        }
    }
}

/// Where a redirect points, absolute, for the user to set instead.
fn location_of(response: &Response, url: &Url, token: Option<&ChatwootAccessToken>) -> RedirectTo {
    let Some(raw) = response.headers().get(LOCATION) else {
        return RedirectTo::NoLocation;
    };
    let Ok(raw) = raw.to_str() else {
        return RedirectTo::UnreadableLocation;
    };
    let absolute = url
        .join(raw)
        .map(String::from)
        .unwrap_or_else(|_| raw.to_owned());
    // A server that got the token could echo it back; messages are shown and
    // logged, so it must not reach them.
    let shown = match token {
        Some(token) => absolute.replace(token.expose(), "[token]"),
        None => absolute,
    };
    RedirectTo::Url(truncate(&shown))
}

/// What a transport error of `what` means to the user.
fn transport_failure(
    error: &reqwest::Error,
    config: &ChatwootCheckConfig,
    what: &str,
) -> CheckFailure {
    log::debug!("chatwoot check: {what} failed: {}", error_chain(error));
    if let Some(NotPublic(ip)) = causes(error).find_map(|cause| cause.downcast_ref()) {
        return CheckFailure::AddressNotAllowed {
            address: ip.to_string(),
        };
    }
    if error.is_timeout() {
        let timeout_ms = millis(if error.is_connect() {
            config.connect_timeout
        } else {
            config.timeout
        });
        return CheckFailure::TimedOut { timeout_ms };
    }
    let cause = innermost(error);
    let reason = if error.is_connect() {
        connect_reason(error, cause)
    } else if error.is_body() || error.is_decode() {
        UnreachableReason::BrokeOff { cause }
    } else {
        UnreachableReason::NoHttpAnswer { cause }
    };
    CheckFailure::Unreachable { reason }
}

/// Why a connection could not be made: the I/O error's kind where it is one
/// an operator would search for, else what the chain of causes shows.
fn connect_reason(error: &reqwest::Error, cause: String) -> UnreachableReason {
    use io::ErrorKind::*;
    use UnreachableReason as Reason;
    let known = causes(error)
        .filter_map(|cause| cause.downcast_ref::<io::Error>())
        .find_map(|io| match io.kind() {
            ConnectionRefused => Some(Reason::ConnectionRefused),
            ConnectionReset => Some(Reason::ConnectionReset),
            ConnectionAborted => Some(Reason::ConnectionAborted),
            NetworkUnreachable => Some(Reason::NetworkUnreachable),
            HostUnreachable => Some(Reason::HostUnreachable),
            AddrNotAvailable => Some(Reason::AddressNotAvailable),
            _ => None,
        });
    if let Some(known) = known {
        return known;
    }

    let chain = error_chain(error).to_ascii_lowercase();
    if chain.contains("dns error") {
        Reason::HostNotFound
    } else if chain.contains("invalidcontenttype") || chain.contains("corrupt message") {
        Reason::TlsNotSpoken
    } else if chain.contains("certificate") {
        Reason::Certificate { cause }
    } else {
        Reason::Other { cause }
    }
}

/// The error and its sources, outermost first.
fn causes(error: &reqwest::Error) -> impl Iterator<Item = &(dyn StdError + 'static)> {
    std::iter::successors(Some(error as &(dyn StdError + 'static)), |&cause| {
        cause.source()
    })
}

/// The deepest cause: reqwest and hyper wrap it in messages that name their
/// own layers, which mean nothing to a user.
fn innermost(error: &reqwest::Error) -> String {
    causes(error)
        .last()
        .map_or_else(String::new, |cause| truncate(&cause.to_string()))
}

fn error_chain(error: &reqwest::Error) -> String {
    let parts: Vec<String> = causes(error).map(ToString::to_string).collect();
    parts.join(": ")
}

pub(crate) fn truncate(text: &str) -> String {
    let clean: String = text.chars().filter(|c| !c.is_control()).collect();
    match clean.char_indices().nth(MAX_ECHO_CHARS) {
        Some((cut, _)) => format!("{}...", &clean[..cut]),
        None => clean,
    }
}
