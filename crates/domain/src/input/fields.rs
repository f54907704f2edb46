//! How the raw structs hold a JSON object's members before they are checked.

use serde_json::{Map, Value};

use super::messages::{self, Sentence};

/// A member whose `null` is just another wrong value: `None` when absent.
pub(super) type Entry<'a> = Option<&'a Value>;

/// A member for which `null` means something of its own (clear, or "not
/// given"): `None` when absent, `Some(None)` when `null`.
pub(super) type Nullable<'a> = Option<Option<&'a Value>>;

/// Reads the members of one JSON object and remembers which keys were asked
/// for, so that every other key can be reported as unknown.
pub(super) struct Members<'a> {
    object: &'a Map<String, Value>,
    known: Vec<&'static str>,
}

impl<'a> Members<'a> {
    pub(super) fn of(object: &'a Map<String, Value>) -> Self {
        Self {
            object,
            known: Vec::new(),
        }
    }

    pub(super) fn entry(&mut self, key: &'static str) -> Entry<'a> {
        self.known.push(key);
        self.object.get(key)
    }

    pub(super) fn nullable(&mut self, key: &'static str) -> Nullable<'a> {
        self.entry(key)
            .map(|value| Some(value).filter(|value| !value.is_null()))
    }

    /// One sentence for each key not asked for, sorted so that the order
    /// never depends on how serde_json keeps maps.
    pub(super) fn unknown(&self, prefix: &str) -> Vec<Sentence> {
        let mut unknown: Vec<&String> = self
            .object
            .keys()
            .filter(|key| !self.known.contains(&key.as_str()))
            .collect();
        unknown.sort();
        unknown
            .into_iter()
            .map(|key| messages::unknown_property(prefix, key))
            .collect()
    }
}

/// A garde `custom` rule made from a conversion: the value is valid when it
/// converts, and the conversion's error is the message.
macro_rules! converts {
    ($convert:path) => {
        |value: &&::serde_json::Value, _: &_| $convert(value).map(drop)
    };
}
