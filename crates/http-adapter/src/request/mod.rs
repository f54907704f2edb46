//! The request bodies. Each is read once, from its decoded JSON object,
//! straight into domain values: [`Reader`] takes each member under its wire
//! name (nested ones by dot path, `integrationOptions.startConversationAs`),
//! notes every violation without stopping at the first, and names each
//! member nobody took as unknown. The types here are the bodies' schemas in
//! the OpenAPI document.

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

const EMPTY: &str = "should not be empty";

/// A JSON object's members.
pub type Object = Map<String, Value>;

/// From one JSON value to one domain value; the error completes a sentence
/// whose subject is the member's name.
pub type Convert<T> = fn(&Value) -> Result<T, String>;

pub trait RequestBody {
    /// The domain value the body asks for.
    type Valid;

    /// Takes the members it knows from `object`, in the contract's order
    /// (the order of the messages). `None` only when something was noted.
    fn read(found: &mut Reader, object: &mut Object) -> Option<Self::Valid>;

    /// The domain value of a decoded body, or every violation in it.
    fn parse(body: impl Into<Decoded>) -> Result<Self::Valid, ValidationErrors> {
        let (found, valid) = Reader::read_object(body, Self::read);
        found.finish(valid)
    }
}

/// Every violation of one body, in the order the members are read. A read
/// that finds one notes it and answers "nothing given", so the reading goes
/// on; the body is refused at the end if anything was noted.
#[derive(Debug, Default)]
pub struct Reader(Vec<String>);

impl Reader {
    /// Each key the body repeats first, then what `read` notes, then each
    /// member `read` left. A body that is no object is only that.
    pub fn read_object<T>(
        body: impl Into<Decoded>,
        read: impl FnOnce(&mut Self, &mut Object) -> Option<T>,
    ) -> (Self, Option<T>) {
        let Decoded { value, repeated } = body.into();
        let mut found = Self::default();
        let Value::Object(mut object) = value else {
            found.note("body must be a JSON object");
            return (found, None);
        };
        for path in repeated {
            found.note(format!("{path} is given more than once"));
        }
        let valid = read(&mut found, &mut object);
        found.unknown("", object);
        (found, valid)
    }

    /// A sentence that names its own subject.
    pub fn note(&mut self, sentence: impl Into<String>) {
        self.0.push(sentence.into());
    }

    fn converted<T>(&mut self, name: &str, value: &Value, convert: Convert<T>) -> Option<T> {
        convert(value)
            .map_err(|predicate| self.note(format!("{name} {predicate}")))
            .ok()
    }

    /// A member that may be left out, but whose `null` is just another
    /// wrong value (`enabled must be a boolean value`).
    pub fn optional<T>(
        &mut self,
        object: &mut Object,
        name: &str,
        convert: Convert<T>,
    ) -> Option<T> {
        let value = take(object, name)?;
        self.converted(name, &value, convert)
    }

    /// A member that is never `null`, and must be given when `required`.
    pub fn not_null<T>(
        &mut self,
        object: &mut Object,
        name: &str,
        required: bool,
        convert: Convert<T>,
    ) -> Option<T> {
        match take(object, name) {
            None if !required => None,
            None | Some(Value::Null) => {
                self.note(format!("{name} {EMPTY}"));
                None
            }
            Some(value) => self.converted(name, &value, convert),
        }
    }

    /// A member whose `null` means "none": `Some(None)`.
    pub fn nullable<T>(
        &mut self,
        object: &mut Object,
        name: &str,
        convert: Convert<T>,
    ) -> Option<Option<T>> {
        match take(object, name)? {
            Value::Null => Some(None),
            value => self.converted(name, &value, convert).map(Some),
        }
    }

    /// A member that is an object of members of its own, each read by
    /// `read` under `name.`; `null` is the same as absent.
    pub fn object<T>(
        &mut self,
        object: &mut Object,
        name: &str,
        read: impl FnOnce(&mut Self, &mut Object) -> T,
    ) -> T {
        let mut members = match take(object, name) {
            Some(Value::Object(members)) => members,
            None | Some(Value::Null) => Object::new(),
            Some(_) => {
                self.note(format!("{name} must be an object"));
                Object::new()
            }
        };
        let read = read(self, &mut members);
        self.unknown(name, members);
        read
    }

    /// `property <path>.<key> should not exist` for each member left in
    /// the object at `path` (empty at the top), in key order.
    fn unknown(&mut self, path: &str, object: Object) {
        let mut keys: Vec<String> = object.into_iter().map(|(key, _)| key).collect();
        keys.sort();
        for key in keys {
            match path {
                "" => self.note(format!("property {key} should not exist")),
                _ => self.note(format!("property {path}.{key} should not exist")),
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

/// The member a name (or the last step of a dot path) names, taken out.
fn take(object: &mut Object, name: &str) -> Option<Value> {
    object.remove(name.rsplit('.').next().unwrap_or(name))
}
