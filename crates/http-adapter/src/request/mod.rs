//! The request bodies, each read once, from its decoded JSON object,
//! straight into domain values, every violation listed at once. Their types
//! are the bodies' schemas (`crate::openapi::bodies`).

mod instance;
mod integration;
mod values;

use domain::ValidationErrors;
use serde_json::{Map, Value};

use crate::repeated_keys::Decoded;

pub use crate::openapi::bodies::{
    CreateInstanceRequest, IntegrationOptionsRequest, IntegrationOptionsUpdateRequest,
    SetIntegrationRequest, UpdateIntegrationRequest,
};
pub use integration::SetIntegration;

/// From one JSON value to one domain value; the error completes a sentence
/// whose subject is the member's name.
pub type Convert<T> = fn(&Value) -> Result<T, String>;

pub trait RequestBody {
    /// The domain value the body asks for.
    type Valid;

    /// Takes the members it knows, in the contract's order (the order of
    /// the messages). `None` only when something was noted.
    fn read(members: &mut Reader) -> Option<Self::Valid>;

    /// The domain value of a decoded body, or every violation in it.
    fn parse(body: impl Into<Decoded>) -> Result<Self::Valid, ValidationErrors> {
        let (found, valid) = read_body(body, Self::read);
        finish(found, valid)
    }
}

/// Every violation of a body: each key it repeats, what `read` notes, each
/// member `read` left. A body that is no object is only that.
pub fn read_body<T>(
    body: impl Into<Decoded>,
    read: impl FnOnce(&mut Reader) -> Option<T>,
) -> (Vec<String>, Option<T>) {
    let Decoded { value, repeated } = body.into();
    let Value::Object(object) = value else {
        return (vec!["body must be a JSON object".to_owned()], None);
    };
    let mut found: Vec<String> = repeated
        .iter()
        .map(|path| format!("{path} is given more than once"))
        .collect();
    let mut members = Reader {
        object,
        path: String::new(),
        found: &mut found,
    };
    let valid = read(&mut members);
    members.unknown();
    (found, valid)
}

/// The value read, unless something was noted.
pub fn finish<T>(found: Vec<String>, read: Option<T>) -> Result<T, ValidationErrors> {
    match read {
        Some(value) if found.is_empty() => Ok(value),
        // Nothing is left unread without a note: a refusal is never empty.
        None if found.is_empty() => Err(ValidationErrors::single("body is invalid")),
        _ => Err(ValidationErrors::new(found)),
    }
}

/// The members of one JSON object, each taken by its key and named by its
/// dot path (`integrationOptions.startConversationAs`). A violation is noted
/// and read as "nothing given", so the reading goes on.
pub struct Reader<'a> {
    object: Map<String, Value>,
    path: String,
    found: &'a mut Vec<String>,
}

impl Reader<'_> {
    /// A sentence that names its own subject.
    pub fn note(&mut self, sentence: impl Into<String>) {
        self.found.push(sentence.into());
    }

    /// A member as given, left in place.
    pub fn given(&self, key: &str) -> Option<&Value> {
        self.object.get(key)
    }

    fn name(&self, key: &str) -> String {
        match self.path.as_str() {
            "" => key.to_owned(),
            path => format!("{path}.{key}"),
        }
    }

    fn converted<T>(&mut self, key: &str, value: &Value, convert: Convert<T>) -> Option<T> {
        convert(value)
            .map_err(|predicate| self.note(format!("{} {predicate}", self.name(key))))
            .ok()
    }

    /// A member that may be left out, but whose `null` is just another
    /// wrong value (`enabled must be a boolean value`).
    pub fn optional<T>(&mut self, key: &str, convert: Convert<T>) -> Option<T> {
        let value = self.object.remove(key)?;
        self.converted(key, &value, convert)
    }

    /// A member that is never `null`, and must be given when `required`.
    pub fn not_null<T>(&mut self, key: &str, required: bool, convert: Convert<T>) -> Option<T> {
        match self.object.remove(key) {
            None if !required => None,
            None | Some(Value::Null) => {
                self.note(format!("{} should not be empty", self.name(key)));
                None
            }
            Some(value) => self.converted(key, &value, convert),
        }
    }

    /// A member whose `null` means "none": `Some(None)`.
    pub fn nullable<T>(&mut self, key: &str, convert: Convert<T>) -> Option<Option<T>> {
        match self.object.remove(key)? {
            Value::Null => Some(None),
            value => self.converted(key, &value, convert).map(Some),
        }
    }

    /// A member that is an object of members of its own, read by `read`;
    /// `null` is the same as absent.
    pub fn object<T>(&mut self, key: &str, read: impl FnOnce(&mut Reader) -> T) -> T {
        let path = self.name(key);
        let object = match self.object.remove(key) {
            Some(Value::Object(members)) => members,
            None | Some(Value::Null) => Map::new(),
            Some(_) => {
                self.note(format!("{path} must be an object"));
                Map::new()
            }
        };
        let found = &mut *self.found;
        let mut members = Reader {
            object,
            path,
            found,
        };
        let read = read(&mut members);
        members.unknown();
        read
    }

    /// `property <path> should not exist` for each member left, in key
    /// order.
    fn unknown(self) {
        let mut keys: Vec<&String> = self.object.keys().collect();
        keys.sort();
        for key in keys {
            let sentence = format!("property {} should not exist", self.name(key));
            self.found.push(sentence);
        }
    }
}
