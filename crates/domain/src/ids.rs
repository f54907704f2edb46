//! Id types: Chatwoot's account and inbox ids, and the macro that declares
//! this service's own UUID ids (`InstanceId`, `IntegrationId`).
//!
//! On the wire a Chatwoot id is a JSON integer or a string of ASCII digits
//! (`12` or `"12"`); it is stored and returned as an integer.

use serde_json::Value;

/// The largest id accepted: JavaScript's `Number.MAX_SAFE_INTEGER`, so a
/// gateway written in JavaScript reads back exactly what it sent.
pub const MAX_ID: i64 = 9_007_199_254_740_991;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("must be a positive integer or a string of digits")]
pub struct IdError;

/// Declares a Chatwoot id type: an `i64` in 1..=MAX_ID, built by `new` or
/// `parse_json` and read by `get`.
macro_rules! chatwoot_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(i64);

        impl $name {
            pub fn new(value: i64) -> Result<Self, IdError> {
                in_range(value).map(Self)
            }
            /// Accepts a JSON integer or a string of ASCII digits; rejects 0, negatives,
            /// fractions, `"12a"`, `" 12"`, `""`, `"+1"`, booleans, null, values above MAX_ID.
            pub fn parse_json(value: &Value) -> Result<Self, IdError> {
                from_json(value).map(Self)
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

fn from_json(value: &Value) -> Result<i64, IdError> {
    match value {
        // JSON does not tell `12` from `12.0` or `1.2e1`, nor do JSON Schema's
        // `integer` and JavaScript, so a whole number is an id however it is
        // written. Fractions are refused; so is anything past MAX_ID, below
        // 2^53, where every whole f64 is still exactly one integer.
        Value::Number(number) => number
            .as_i64()
            .or_else(|| {
                number
                    .as_f64()
                    .filter(|f| f.fract() == 0.0 && f.abs() <= MAX_ID as f64)
                    .map(|f| f as i64)
            })
            .ok_or(IdError)
            .and_then(in_range),
        Value::String(digits) => from_digits(digits).and_then(in_range),
        _ => Err(IdError),
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
    use serde_json::json;

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
    fn parse_json_accepts_integers_and_digit_strings_in_range() {
        let cases = [
            (json!(1), 1),
            (json!(12), 12),
            (json!(MAX_ID), MAX_ID),
            (json!(12.0), 12),
            (
                serde_json::from_str::<Value>("1e3").unwrap_or(Value::Null),
                1000,
            ),
            (json!("1"), 1),
            (json!("12"), 12),
            (json!("012"), 12),
            (json!("0000000000000000000000000000000012"), 12),
            (json!("9007199254740991"), MAX_ID),
        ];
        for (value, expected) in cases {
            assert_eq!(
                AccountId::parse_json(&value).map(AccountId::get),
                Ok(expected),
                "{value}"
            );
            assert_eq!(
                InboxId::parse_json(&value).map(InboxId::get),
                Ok(expected),
                "{value}"
            );
        }
    }

    #[test]
    fn parse_json_rejects_everything_that_is_not_a_positive_id() {
        let huge = "9".repeat(400);
        let cases = [
            json!(0),
            json!(-1),
            json!(MAX_ID + 1),
            json!(u64::MAX),
            json!(1.5),
            json!(-12.0),
            json!(9_007_199_254_740_992.0),
            serde_json::from_str::<Value>("1e300").unwrap_or(Value::Null),
            json!(""),
            json!("0"),
            json!("000"),
            json!("12a"),
            json!(" 12"),
            json!("12 "),
            json!("+1"),
            json!("-1"),
            json!("1.5"),
            json!("１２"),
            json!("9007199254740992"),
            json!(huge),
            json!(true),
            json!(null),
            json!({}),
            json!([1]),
        ];
        for value in cases {
            assert_eq!(AccountId::parse_json(&value), Err(IdError), "{value}");
            assert_eq!(InboxId::parse_json(&value), Err(IdError), "{value}");
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
