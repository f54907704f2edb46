use secrecy::{ExposeSecret, SecretString};

pub const MAX_TOKEN_CHARS: usize = 512;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("must be 1 to 512 printable characters without whitespace")]
pub struct AccessTokenError;

/// A Chatwoot user access token: 1-512 printable characters, no whitespace.
/// Its `Debug` never shows it.
#[derive(Clone)]
pub struct ChatwootAccessToken(SecretString);

impl ChatwootAccessToken {
    pub fn parse(raw: &str) -> Result<Self, AccessTokenError> {
        let count = raw.chars().count();
        if (1..=MAX_TOKEN_CHARS).contains(&count) && raw.chars().all(is_printable) {
            Ok(Self(SecretString::from(raw)))
        } else {
            Err(AccessTokenError)
        }
    }

    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }
}

/// Whitespace and control characters, plus the invisible format characters
/// that are neither but would still make a pasted token differ from what
/// the user sees.
fn is_printable(c: char) -> bool {
    const INVISIBLE: [std::ops::RangeInclusive<char>; 5] = [
        '\u{ad}'..='\u{ad}',
        '\u{200b}'..='\u{200f}',
        '\u{202a}'..='\u{202e}',
        '\u{2060}'..='\u{2064}',
        '\u{feff}'..='\u{feff}',
    ];
    !c.is_whitespace() && !c.is_control() && !INVISIBLE.iter().any(|range| range.contains(&c))
}

crate::secret_text::secret_text!(ChatwootAccessToken);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_of_1_to_512_printable_characters_are_accepted() {
        let longest = "a".repeat(MAX_TOKEN_CHARS);
        let longest_wide = "é".repeat(MAX_TOKEN_CHARS);
        for good in [
            "a",
            "x7HqvSUJ9rM2Lk1cP3bN",
            "tök€n-ñ_日本",
            "!#$%&'()*+,-./:;<=>?@[]^`{|}~",
            &longest,
            &longest_wide,
        ] {
            let token = ChatwootAccessToken::parse(good);
            assert_eq!(
                token.as_ref().map(ChatwootAccessToken::expose),
                Ok(good),
                "{good:?}"
            );
        }
    }

    #[test]
    fn tokens_that_are_empty_too_long_or_hold_invisible_characters_are_refused() {
        let too_long = "a".repeat(MAX_TOKEN_CHARS + 1);
        let cases = [
            "",
            &too_long,
            " ",
            "ab cd",
            " abc",
            "abc ",
            "ab\tcd",
            "ab\ncd",
            "abc\r\n",
            "ab\u{0}cd",
            "ab\u{7f}cd",
            "ab\u{1b}cd",
            "ab\u{a0}cd",
            "ab\u{3000}cd",
            "ab\u{2028}cd",
            "ab\u{200b}cd",
            "\u{feff}abc",
        ];
        for bad in cases {
            assert_eq!(
                ChatwootAccessToken::parse(bad),
                Err(AccessTokenError),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn the_error_completes_a_sentence_about_the_field() {
        assert_eq!(
            AccessTokenError.to_string(),
            "must be 1 to 512 printable characters without whitespace"
        );
    }

    #[test]
    fn tokens_are_equal_when_their_text_is() {
        let token = |raw| ChatwootAccessToken::parse(raw).expect("a token");
        assert_eq!(token("abc"), token("abc"));
        assert_ne!(token("abc"), token("abd"));
        assert_ne!(token("abc"), token("ABC"));
    }

    #[test]
    fn debug_output_never_shows_the_token() {
        let token = ChatwootAccessToken::parse("s3cr3t-value");
        assert_eq!(format!("{token:?}"), "Ok(ChatwootAccessToken([REDACTED]))");
    }
}
