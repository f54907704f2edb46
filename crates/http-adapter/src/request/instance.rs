//! The body that creates an instance.

use domain::NewInstance;
use utoipa::ToSchema;

use super::{values, Object, Reader, RequestBody};
use crate::openapi::schemas;

/// `POST /api/v2/instance`
#[derive(ToSchema)]
#[schema(example = json!({"name": "sales-line", "description": "Sales"}))]
#[allow(dead_code)] // a schema, never built: read by `RequestBody::read`
pub struct CreateInstanceRequest {
    #[serde(default)]
    #[schema(schema_with = schemas::instance_name, required = true)]
    name: (),
    #[serde(default)]
    #[schema(schema_with = schemas::description)]
    description: (),
}

impl RequestBody for CreateInstanceRequest {
    type Valid = NewInstance;

    fn read(found: &mut Reader, object: &mut Object) -> Option<NewInstance> {
        let name = found.not_null(object, "name", true, values::instance_name);
        let description = found.nullable(object, "description", values::instance_description);
        Some(NewInstance {
            name: name?,
            description: description.flatten(),
        })
    }
}
