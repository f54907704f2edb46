//! The body that creates an instance.

use serde_json::{Map, Value};

use super::convert::{self, optional, required};
use super::fields::{Members, Nullable};
use super::messages::Sentence;
use crate::error::ValidationErrors;
use crate::instance::NewInstance;

const NAME: &str = "name";
const DESCRIPTION: &str = "description";

#[derive(Debug, garde::Validate)]
struct RawInstance<'a> {
    #[garde(required, inner(required, inner(custom(converts!(convert::instance_name)))))]
    name: Nullable<'a>,

    #[garde(inner(inner(custom(converts!(convert::instance_description)))))]
    description: Nullable<'a>,

    #[garde(skip)]
    unknown: Vec<Sentence>,
}

pub(super) fn parse(body: &Map<String, Value>) -> Result<NewInstance, ValidationErrors> {
    let mut members = Members::of(body);
    let raw = RawInstance {
        name: members.nullable(NAME),
        description: members.nullable(DESCRIPTION),
        unknown: members.unknown(""),
    };
    super::validate(&raw, &(), &raw.unknown, &[NAME, DESCRIPTION, "*"])?;

    Ok(NewInstance {
        name: required(NAME, raw.name.flatten(), convert::instance_name)?,
        description: optional(
            DESCRIPTION,
            raw.description.flatten(),
            convert::instance_description,
        )?,
    })
}
