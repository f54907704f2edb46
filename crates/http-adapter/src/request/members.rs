//! How the members of a body are held and read: as the client gave them,
//! each read under its wire name, every violation noted and none stopping
//! the others.

use std::collections::BTreeMap;
use std::fmt::Display;

use domain::ValidationErrors;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};
use serde_json::Value;

const EMPTY: &str = "should not be empty";
const NOT_AN_OBJECT: &str = "must be an object";

/// One member of a JSON object, as given: the request types hold every
/// member so, and a value of the wrong type is then one more violation to
/// list, not the end of reading, as it would be for serde.
#[derive(Debug, Default)]
pub enum Member {
    #[default]
    Absent,
    Null,
    Given(Value),
}

impl Member {
    pub fn is_absent(&self) -> bool {
        matches!(self, Self::Absent)
    }
}

impl<'de> Deserialize<'de> for Member {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(match Value::deserialize(deserializer)? {
            Value::Null => Self::Null,
            value => Self::Given(value),
        })
    }
}

/// From one JSON value to one domain value; the error completes a sentence
/// whose subject is the member's name.
pub type Convert<T> = fn(&Value) -> Result<T, String>;

/// Every violation of one body, in the order the members are read. A read
/// that finds one notes it and answers "nothing given", so the reading goes
/// on; the body is refused at the end if anything was noted.
#[derive(Debug, Default)]
pub struct Violations(Vec<String>);

impl Violations {
    /// A sentence that names its own subject.
    pub fn note(&mut self, sentence: impl Into<String>) {
        self.0.push(sentence.into());
    }

    fn about(&mut self, name: &str, predicate: impl Display) {
        self.note(format!("{name} {predicate}"));
    }

    fn converted<T>(&mut self, name: &str, value: &Value, convert: Convert<T>) -> Option<T> {
        convert(value)
            .map_err(|predicate| self.about(name, predicate))
            .ok()
    }

    /// A member that may be left out, but whose `null` is just another
    /// wrong value (`enabled must be a boolean value`).
    pub fn optional<T>(&mut self, name: &str, member: &Member, convert: Convert<T>) -> Option<T> {
        match member {
            Member::Absent => None,
            Member::Null => self.converted(name, &Value::Null, convert),
            Member::Given(value) => self.converted(name, value, convert),
        }
    }

    /// A member that is never `null`, and must be given when `required`.
    pub fn not_null<T>(
        &mut self,
        name: &str,
        member: &Member,
        required: bool,
        convert: Convert<T>,
    ) -> Option<T> {
        match member {
            Member::Absent if !required => None,
            Member::Absent | Member::Null => {
                self.about(name, EMPTY);
                None
            }
            Member::Given(value) => self.converted(name, value, convert),
        }
    }

    /// A member whose `null` means "none": `Some(None)`.
    pub fn nullable<T>(
        &mut self,
        name: &str,
        member: &Member,
        convert: Convert<T>,
    ) -> Option<Option<T>> {
        match member {
            Member::Absent => None,
            Member::Null => Some(None),
            Member::Given(value) => self.converted(name, value, convert).map(Some),
        }
    }

    /// A member that is an object of members of its own, read as `R`;
    /// `null` is the same as absent.
    pub fn object<R: DeserializeOwned + Default>(&mut self, name: &str, member: Member) -> R {
        match member {
            Member::Absent | Member::Null => R::default(),
            Member::Given(value @ Value::Object(_)) => serde_json::from_value(value)
                .unwrap_or_else(|error| {
                    self.about(name, error);
                    R::default()
                }),
            Member::Given(_) => {
                self.about(name, NOT_AN_OBJECT);
                R::default()
            }
        }
    }

    /// `property <path>.<key> should not exist` for each member the
    /// object at `path` (empty at the top) does not know, in key order.
    pub fn unknown(&mut self, path: &str, members: &BTreeMap<String, Value>) {
        for key in members.keys() {
            if path.is_empty() {
                self.note(format!("property {key} should not exist"));
            } else {
                self.note(format!("property {path}.{key} should not exist"));
            }
        }
    }

    /// The value read, unless something was noted.
    pub fn finish<T>(self, read: Option<T>) -> Result<T, ValidationErrors> {
        match read {
            Some(value) if self.0.is_empty() => Ok(value),
            // Nothing is left unread without a note; this keeps a refusal
            // from ever being an empty list.
            None if self.0.is_empty() => Err(ValidationErrors::single("body is invalid")),
            _ => Err(ValidationErrors::new(self.0)),
        }
    }
}
