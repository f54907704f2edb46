//! The body that creates an instance.

use std::collections::BTreeMap;

use domain::NewInstance;
use serde::Deserialize;
use serde_json::Value;
use utoipa::ToSchema;

use super::members::{Member, Violations};
use super::{values, RequestBody};
use crate::openapi::schemas;

/// `POST /api/v2/instance`
#[derive(Debug, Default, Deserialize, ToSchema)]
#[schema(example = json!({"name": "sales-line", "description": "Sales"}))]
pub struct CreateInstanceRequest {
    #[serde(default)]
    #[schema(schema_with = schemas::instance_name, required = true)]
    name: Member,
    #[serde(default)]
    #[schema(schema_with = schemas::description)]
    description: Member,
    /// Every other member, each a violation.
    #[serde(flatten)]
    #[schema(ignore)]
    unknown: BTreeMap<String, Value>,
}

impl RequestBody for CreateInstanceRequest {
    type Valid = NewInstance;

    fn check(self, found: &mut Violations) -> Option<NewInstance> {
        let name = found.not_null("name", &self.name, true, values::instance_name);
        let description = found.nullable(
            "description",
            &self.description,
            values::instance_description,
        );
        found.unknown("", &self.unknown);
        Some(NewInstance {
            name: name?,
            description: description.flatten(),
        })
    }
}
