//! The body that creates an instance.

use domain::NewInstance;

use super::{values, Object, Reader, RequestBody};
use crate::openapi::bodies::CreateInstanceRequest;

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
