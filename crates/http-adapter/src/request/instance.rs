//! The body that creates an instance.

use domain::NewInstance;

use super::{values, Reader, RequestBody};
use crate::openapi::bodies::CreateInstanceRequest;

impl RequestBody for CreateInstanceRequest {
    type Valid = NewInstance;

    fn read(members: &mut Reader) -> Option<NewInstance> {
        let name = members.not_null("name", true, values::instance_name);
        let description = members.nullable("description", values::instance_description);
        Some(NewInstance {
            name: name?,
            description: description.flatten(),
        })
    }
}
