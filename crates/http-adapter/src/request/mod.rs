//! The request bodies: one type per body. serde fills it from the decoded
//! JSON, utoipa writes its schema into the OpenAPI document, and its
//! [`RequestBody::check`] turns it into a domain value, listing every
//! violation at once, each member named by its wire name and dot path
//! (`integrationOptions.startConversationAs must be one of ...`).

mod instance;
mod integration;
mod members;
mod values;

use domain::ValidationErrors;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::Value;

use crate::repeated_keys::Decoded;

pub use instance::CreateInstanceRequest;
pub use integration::{
    IntegrationOptionsRequest, IntegrationOptionsUpdateRequest, SetIntegration,
    SetIntegrationRequest, UpdateIntegrationRequest,
};
pub use members::{Member, Violations};

pub trait RequestBody: DeserializeOwned {
    /// The domain value the body asks for.
    type Valid;

    /// Reads every member in the contract's order, so that the violations
    /// are listed in it, and notes each in `found`. `None` only when
    /// something was noted.
    fn check(self, found: &mut Violations) -> Option<Self::Valid>;

    /// The domain value of a decoded body, or every violation in it: each
    /// key the body repeats first, then what [`Self::check`] finds. A body
    /// that is no object is only that.
    fn parse(body: impl Into<Decoded>) -> Result<Self::Valid, ValidationErrors> {
        let Decoded {
            value: body,
            repeated,
        } = body.into();
        if !body.is_object() {
            return Err(ValidationErrors::single("body must be a JSON object"));
        }
        // Every member is held as given, so an object always deserializes.
        let request: Self = serde_json::from_value(body)
            .map_err(|error| ValidationErrors::single(format!("body is invalid: {error}")))?;
        let mut found = Violations::default();
        for path in &repeated {
            found.note(format!("{path} is given more than once"));
        }
        let valid = request.check(&mut found);
        found.finish(valid)
    }
}

/// A body as decoded, not yet judged, for a handler that judges it with
/// rules of the running service: the Set body
/// ([`SetIntegrationRequest::parse_on`]).
#[derive(Debug, Deserialize)]
#[serde(transparent)]
pub struct Unjudged(Value);

impl RequestBody for Unjudged {
    type Valid = Decoded;

    fn check(self, _: &mut Violations) -> Option<Decoded> {
        Some(self.0.into())
    }

    fn parse(body: impl Into<Decoded>) -> Result<Decoded, ValidationErrors> {
        Ok(body.into())
    }
}
