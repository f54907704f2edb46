//! Id types: Chatwoot's account and inbox ids, and the macro that declares
//! this service's own UUID ids (`InstanceId`, `IntegrationId`).
//!
//! A Chatwoot id may be given as a whole number or as a string of ASCII
//! digits (`12` or `"12"`); it is stored and returned as an integer.

/// The largest id accepted: JavaScript's `Number.MAX_SAFE_INTEGER`, so a
/// gateway written in JavaScript reads back exactly what it sent.
pub const MAX_ID: i64 = 9_007_199_254_740_991;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("must be a positive integer or a string of digits")]
pub struct IdError;

/// An id as a client may give it, before the rules are applied.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum IdInput<'a> {
    Integer(i64),
    /// A number written with a fraction or an exponent (`12.0`, `1e3`).
    Number(f64),
    Digits(&'a str),
}

/// Declares a Chatwoot id type: an `i64` in 1..=MAX_ID, built by `new` or
/// `parse` and read by `get`.
macro_rules! chatwoot_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(i64);

        impl $name {
            pub fn new(value: i64) -> Result<Self, IdError> {
                in_range(value).map(Self)
            }
            /// Accepts a whole number or a string of ASCII digits; rejects 0,
            /// negatives, fractions, `"12a"`, `" 12"`, `""`, `"+1"`, values above MAX_ID.
            pub fn parse(input: IdInput<'_>) -> Result<Self, IdError> {
                from_input(input).map(Self)
            }
            pub fn get(self) -> i64 {
                self.0
            }
        }
    };
}

chatwoot_id! {
    /// A Chatwoot account id: 1..=MAX_ID.
    AccountId
}

chatwoot_id! {
    /// A Chatwoot inbox id: 1..=MAX_ID.
    InboxId
}

/// Declares a UUID id type: built by `new` or `parse` (`None` for anything
/// that is not a UUID), read by `as_uuid`, displayed hyphenated and
/// lower-case. Attributes given before the name are added to the type.
macro_rules! uuid_id {
    ($(#[$attr:meta])* $name:ident) => {
        $(#[$attr])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub struct $name(uuid::Uuid);

        impl $name {
            pub fn new(id: uuid::Uuid) -> Self {
                Self(id)
            }

            /// `None` for anything that is not a UUID: such an id names nothing.
            pub fn parse(raw: &str) -> Option<Self> {
                uuid::Uuid::parse_str(raw).ok().map(Self)
            }

            pub fn as_uuid(&self) -> uuid::Uuid {
                self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.hyphenated().fmt(f)
            }
        }
    };
}

pub(crate) use uuid_id;

fn in_range(value: i64) -> Result<i64, IdError> {
    if (1..=MAX_ID).contains(&value) {
        Ok(value)
    } else {
        Err(IdError)
    }
}

fn from_input(input: IdInput<'_>) -> Result<i64, IdError> {
    match input {
        IdInput::Integer(value) => in_range(value),
        // JSON does not tell `12` from `12.0` or `1.2e1`, nor do JSON Schema's
        // `integer` and JavaScript, so a whole number is an id however it is
        // written. Fractions are refused; so is anything past MAX_ID, below
        // 2^53, where every whole f64 is still exactly one integer.
        IdInput::Number(number) => Some(number)
            .filter(|f| f.fract() == 0.0 && f.abs() <= MAX_ID as f64)
            .map(|f| f as i64)
            .ok_or(IdError)
            .and_then(in_range),
        IdInput::Digits(digits) => from_digits(digits).and_then(in_range),
    }
}

/// Stops as soon as the value passes MAX_ID, so a string of a thousand digits
/// is refused without overflowing.
fn from_digits(digits: &str) -> Result<i64, IdError> {
    if digits.is_empty() {
        return Err(IdError);
    }
    digits.bytes().try_fold(0_i64, |value, byte| {
        if !byte.is_ascii_digit() {
            return Err(IdError);
        }
        let next = value * 10 + i64::from(byte - b'0');
        if next > MAX_ID {
            Err(IdError)
        } else {
            Ok(next)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_accepts_one_to_max_id_and_nothing_else() {
        for good in [1, 2, 12, MAX_ID] {
            assert_eq!(AccountId::new(good).map(AccountId::get), Ok(good));
            assert_eq!(InboxId::new(good).map(InboxId::get), Ok(good));
        }
        for bad in [0, -1, MAX_ID + 1, i64::MIN, i64::MAX] {
            assert_eq!(AccountId::new(bad), Err(IdError), "{bad}");
            assert_eq!(InboxId::new(bad), Err(IdError), "{bad}");
        }
    }

    #[test]
    fn parse_accepts_whole_numbers_and_digit_strings_in_range() {
        let cases = [
            (IdInput::Integer(1), 1),
            (IdInput::Integer(12), 12),
            (IdInput::Integer(MAX_ID), MAX_ID),
            (IdInput::Number(12.0), 12),
            (IdInput::Number(1e3), 1000),
            (IdInput::Digits("1"), 1),
            (IdInput::Digits("12"), 12),
            (IdInput::Digits("012"), 12),
            (IdInput::Digits("0000000000000000000000000000000012"), 12),
            (IdInput::Digits("9007199254740991"), MAX_ID),
        ];
        for (input, expected) in cases {
            assert_eq!(
                AccountId::parse(input).map(AccountId::get),
                Ok(expected),
                "{input:?}"
            );
            assert_eq!(
                InboxId::parse(input).map(InboxId::get),
                Ok(expected),
                "{input:?}"
            );
        }
    }

    #[test]
    fn parse_rejects_everything_that_is_not_a_positive_id() {
        let huge = "9".repeat(400);
        let cases = [
            IdInput::Integer(0),
            IdInput::Integer(-1),
            IdInput::Integer(MAX_ID + 1),
            IdInput::Number(u64::MAX as f64),
            IdInput::Number(1.5),
            IdInput::Number(-12.0),
            IdInput::Number(9_007_199_254_740_992.0),
            IdInput::Number(1e300),
            IdInput::Number(f64::NAN),
            IdInput::Digits(""),
            IdInput::Digits("0"),
            IdInput::Digits("000"),
            IdInput::Digits("12a"),
            IdInput::Digits(" 12"),
            IdInput::Digits("12 "),
            IdInput::Digits("+1"),
            IdInput::Digits("-1"),
            IdInput::Digits("1.5"),
            IdInput::Digits("１２"),
            IdInput::Digits("9007199254740992"),
            IdInput::Digits(&huge),
        ];
        for input in cases {
            assert_eq!(AccountId::parse(input), Err(IdError), "{input:?}");
            assert_eq!(InboxId::parse(input), Err(IdError), "{input:?}");
        }
    }

    #[test]
    fn the_error_completes_a_sentence_about_the_field() {
        assert_eq!(
            IdError.to_string(),
            "must be a positive integer or a string of digits"
        );
    }
}
