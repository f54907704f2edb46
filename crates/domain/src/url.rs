//! Absolute http(s) URLs in canonical form.

use url::{ParseError, Url};

pub const MAX_URL_CHARS: usize = 2048;

/// Why a string is not an [`HttpUrl`]. Each message completes a sentence that
/// starts with the field's name: "<field> must not contain a fragment".
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UrlError {
    #[error("must be an absolute http or https URL")]
    NotHttp,
    #[error("must be a valid URL")]
    Malformed,
    #[error("must have a host")]
    NoHost,
    #[error("must not contain user information")]
    UserInfo,
    #[error("must not contain a fragment")]
    Fragment,
    #[error("must be shorter than or equal to 2048 characters")]
    TooLong,
    #[error("must not have leading or trailing whitespace")]
    SurroundingWhitespace,
    #[error("must not contain control characters")]
    ControlCharacter,
}

/// An absolute `http`/`https` URL with a host, no user-info, no fragment, at
/// most 2048 characters, kept in canonical form: scheme and host lower-cased,
/// default port dropped, trailing `/` removed
/// (`HTTPS://Chat.Example.com:443/` -> `https://chat.example.com`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct HttpUrl {
    canonical: String,
    /// The canonical form, parsed once so that [`HttpUrl::endpoint`] cannot fail.
    parsed: Url,
}

impl HttpUrl {
    pub fn parse(raw: &str) -> Result<Self, UrlError> {
        if raw.chars().count() > MAX_URL_CHARS {
            return Err(UrlError::TooLong);
        }
        // The url crate silently strips surrounding whitespace and drops tabs
        // and newlines anywhere; the client would then get back a URL other
        // than the one it sent, so both are refused instead.
        if raw.starts_with(char::is_whitespace) || raw.ends_with(char::is_whitespace) {
            return Err(UrlError::SurroundingWhitespace);
        }
        if raw.contains(char::is_control) {
            return Err(UrlError::ControlCharacter);
        }
        let url = Url::parse(raw).map_err(|error| match error {
            ParseError::RelativeUrlWithoutBase => UrlError::NotHttp,
            ParseError::EmptyHost => UrlError::NoHost,
            _ => UrlError::Malformed,
        })?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(UrlError::NotHttp);
        }
        let host = match url.host_str() {
            Some(host) if !host.is_empty() => host,
            _ => return Err(UrlError::NoHost),
        };
        if !url.username().is_empty() || url.password().is_some() {
            return Err(UrlError::UserInfo);
        }
        if url.fragment().is_some() {
            return Err(UrlError::Fragment);
        }

        let mut canonical = format!("{}://{host}", url.scheme());
        if let Some(port) = url.port() {
            canonical.push_str(&format!(":{port}"));
        }
        canonical.push_str(url.path().trim_end_matches('/'));
        if let Some(query) = url.query() {
            canonical.push('?');
            canonical.push_str(query);
        }
        // Percent-encoding and punycode can make the canonical form longer
        // than the input; the limit holds for what is stored.
        if canonical.chars().count() > MAX_URL_CHARS {
            return Err(UrlError::TooLong);
        }
        let parsed = Url::parse(&canonical).map_err(|_| UrlError::Malformed)?;
        Ok(Self { canonical, parsed })
    }

    /// The canonical form.
    pub fn as_str(&self) -> &str {
        &self.canonical
    }

    /// This URL with path segments appended, query kept:
    /// `https://x.com/chat` + `["api", "v1", "profile"]` -> `https://x.com/chat/api/v1/profile`.
    /// Never produces `//`: empty segments are skipped, and a `/` inside a
    /// segment is percent-encoded.
    pub fn endpoint(&self, segments: &[&str]) -> Url {
        let mut url = self.parsed.clone();
        // An http(s) URL always has a path to extend; the `Err` case is only
        // for URLs such as `mailto:`, which `parse` refuses.
        if let Ok(mut path) = url.path_segments_mut() {
            path.pop_if_empty()
                .extend(segments.iter().filter(|segment| !segment.is_empty()));
        }
        url
    }
}

impl std::fmt::Display for HttpUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.canonical)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canonical(raw: &str) -> Result<String, UrlError> {
        HttpUrl::parse(raw).map(|url| url.as_str().to_owned())
    }

    #[test]
    fn urls_are_stored_in_canonical_form() {
        let cases = [
            ("HTTPS://Chat.Example.com:443/", "https://chat.example.com"),
            ("https://chat.example.com", "https://chat.example.com"),
            ("http://x.com:80", "http://x.com"),
            ("http://x.com:8080/", "http://x.com:8080"),
            ("https://x.com:80/", "https://x.com:80"),
            ("http://x.com:443", "http://x.com:443"),
            ("https://x.com/chat/", "https://x.com/chat"),
            ("https://x.com/chat//", "https://x.com/chat"),
            ("https://x.com///", "https://x.com"),
            ("https://x.com/Chat/App", "https://x.com/Chat/App"),
            ("https://x.com/?a=1", "https://x.com?a=1"),
            ("https://x.com/chat/?a=1&b=2", "https://x.com/chat?a=1&b=2"),
            ("https://x.com/a b", "https://x.com/a%20b"),
            ("https://x.com/a/./b/../c/", "https://x.com/a/c"),
            ("http://127.0.0.1:3000/", "http://127.0.0.1:3000"),
            ("http://[::1]:3000/", "http://[::1]:3000"),
            ("https://bücher.example/", "https://xn--bcher-kva.example"),
        ];
        for (raw, expected) in cases {
            assert_eq!(canonical(raw).as_deref(), Ok(expected), "{raw}");
        }
    }

    #[test]
    fn display_shows_the_canonical_form() {
        let url = HttpUrl::parse("HTTPS://Chat.Example.com:443/chat/").expect("a URL");
        assert_eq!(url.to_string(), "https://chat.example.com/chat");
    }

    #[test]
    fn the_canonical_form_parses_to_itself() {
        for raw in [
            "HTTPS://Chat.Example.com:443/",
            "https://x.com/chat//?q=a%20b",
            "http://[::1]:80/",
        ] {
            let first = canonical(raw);
            let second = first.clone().and_then(|c| canonical(&c));
            assert_eq!(first, second, "{raw}");
        }
    }

    #[test]
    fn urls_that_break_a_rule_are_refused_with_their_own_reason() {
        let too_long = format!("https://x.com/{}", "a".repeat(MAX_URL_CHARS - 14 + 1));
        let cases = [
            ("", UrlError::NotHttp),
            ("chat.example.com", UrlError::NotHttp),
            ("/api", UrlError::NotHttp),
            ("ftp://x.com", UrlError::NotHttp),
            ("mailto:a@x.com", UrlError::NotHttp),
            ("javascript:alert(1)", UrlError::NotHttp),
            ("file:///etc/passwd", UrlError::NotHttp),
            ("https://", UrlError::NoHost),
            ("http://:80", UrlError::NoHost),
            ("https://exa mple.com", UrlError::Malformed),
            ("https://x.com:99999", UrlError::Malformed),
            ("https://user@x.com", UrlError::UserInfo),
            ("https://user:pw@x.com", UrlError::UserInfo),
            ("https://:pw@x.com", UrlError::UserInfo),
            ("https://x.com/#", UrlError::Fragment),
            ("https://x.com#top", UrlError::Fragment),
            (" https://x.com", UrlError::SurroundingWhitespace),
            ("https://x.com ", UrlError::SurroundingWhitespace),
            ("https://x.com\n", UrlError::SurroundingWhitespace),
            ("\thttps://x.com", UrlError::SurroundingWhitespace),
            ("https://x.com\u{a0}", UrlError::SurroundingWhitespace),
            ("https://x.co\nm", UrlError::ControlCharacter),
            ("https://x.com/\u{0}", UrlError::ControlCharacter),
            (too_long.as_str(), UrlError::TooLong),
        ];
        for (raw, expected) in cases {
            assert_eq!(canonical(raw), Err(expected), "{raw:?}");
        }
    }

    #[test]
    fn the_length_limit_is_2048_characters_not_bytes() {
        let prefix = "https://x.com/";
        let fits = format!("{prefix}{}", "a".repeat(MAX_URL_CHARS - prefix.len()));
        assert_eq!(fits.chars().count(), MAX_URL_CHARS);
        assert!(HttpUrl::parse(&fits).is_ok());
        let over = format!("{fits}a");
        assert_eq!(HttpUrl::parse(&over), Err(UrlError::TooLong));
        // Characters, not bytes, count toward the input limit (the canonical
        // form percent-encodes them, so keep the path short).
        let wide = format!("https://x.com/?{}", "é".repeat(MAX_URL_CHARS));
        assert_eq!(HttpUrl::parse(&wide), Err(UrlError::TooLong));
    }

    #[test]
    fn every_error_completes_a_sentence_about_the_field() {
        let messages = [
            (UrlError::NotHttp, "must be an absolute http or https URL"),
            (UrlError::Malformed, "must be a valid URL"),
            (UrlError::NoHost, "must have a host"),
            (UrlError::UserInfo, "must not contain user information"),
            (UrlError::Fragment, "must not contain a fragment"),
            (
                UrlError::TooLong,
                "must be shorter than or equal to 2048 characters",
            ),
            (
                UrlError::SurroundingWhitespace,
                "must not have leading or trailing whitespace",
            ),
            (
                UrlError::ControlCharacter,
                "must not contain control characters",
            ),
        ];
        for (error, message) in messages {
            assert_eq!(error.to_string(), message);
        }
    }

    #[test]
    fn endpoints_append_segments_without_double_slashes() {
        let cases = [
            ("https://x.com/", &["api"][..], "https://x.com/api"),
            (
                "https://x.com",
                &["api", "v1", "profile"][..],
                "https://x.com/api/v1/profile",
            ),
            (
                "https://x.com/chat/",
                &["api", "v1", "profile"][..],
                "https://x.com/chat/api/v1/profile",
            ),
            (
                "https://x.com/chat//",
                &["api"][..],
                "https://x.com/chat/api",
            ),
            (
                "https://x.com/chat?a=1",
                &["api"][..],
                "https://x.com/chat/api?a=1",
            ),
            (
                "https://x.com",
                &["api", "", "v1"][..],
                "https://x.com/api/v1",
            ),
            ("https://x.com", &["a/b"][..], "https://x.com/a%2Fb"),
            ("https://x.com", &[][..], "https://x.com/"),
            (
                "http://x.com:8080",
                &["api", "v1", "accounts", "12", "inboxes", "3"][..],
                "http://x.com:8080/api/v1/accounts/12/inboxes/3",
            ),
        ];
        for (base, segments, expected) in cases {
            let url = HttpUrl::parse(base).map(|url| url.endpoint(segments).to_string());
            assert_eq!(url.as_deref(), Ok(expected), "{base} + {segments:?}");
        }
    }
}
