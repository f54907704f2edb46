//! Parsing of request bodies (already decoded to JSON values) into domain
//! values. Every violation is collected in one pass; none stops the others.
//!
//! Each body is first read into a raw struct that keeps the JSON values as
//! given, `garde` checks it, and only then are the domain values built. The
//! checks call the value types' own `parse`, so every rule lives in one place.

#[macro_use]
mod fields;
mod convert;
mod instance;
mod integration;
mod messages;
mod patch;
mod set;

use serde_json::{Map, Value};

use crate::error::ValidationErrors;
use crate::instance::NewInstance;
use crate::integration::{IntegrationPatch, IntegrationSettings};

/// The body of Set: the whole desired configuration; absent optional fields take defaults.
pub fn parse_set_body(body: &Value) -> Result<IntegrationSettings, ValidationErrors> {
    set::parse(as_object(body)?)
}

/// The body of a partial update: every field optional, same rules.
pub fn parse_patch_body(body: &Value) -> Result<IntegrationPatch, ValidationErrors> {
    patch::parse(as_object(body)?)
}

/// `{"name": "...", "description"?: "..." | null}`
pub fn parse_new_instance(body: &Value) -> Result<NewInstance, ValidationErrors> {
    instance::parse(as_object(body)?)
}

fn as_object(body: &Value) -> Result<&Map<String, Value>, ValidationErrors> {
    body.as_object()
        .ok_or_else(|| ValidationErrors::single(messages::NOT_AN_OBJECT))
}

/// Runs garde with the contract's wording and lists its findings and the
/// body's sentences in the contract's field order.
fn validate<'s, V: garde::Validate>(
    raw: &V,
    context: &V::Context,
    sentences: impl IntoIterator<Item = &'s messages::Sentence>,
    order: &[&str],
) -> Result<(), ValidationErrors> {
    let report = garde::with_i18n(messages::Wording, || raw.validate_with(context)).err();
    messages::in_order(report, sentences, order)
}
