//! What utoipa's model of a document cannot say, written into the
//! serialized document: each pass is a rule of OpenAPI 3.1 applied to the
//! whole document, not an edit of one place.

use serde_json::{Map, Value};

/// Both passes, in order.
pub fn finish(document: &mut Value) {
    require_headers(document);
    unwrap_lone_refs(document);
}

/// Marks every response header of the serialized document `required`:
/// utoipa's header model has no such member, and the service sends each
/// of them on every answer that declares it.
fn require_headers(document: &mut serde_json::Value) {
    let Some(paths) = document["paths"].as_object_mut() else {
        return;
    };
    let headers = paths
        .values_mut()
        .filter_map(serde_json::Value::as_object_mut)
        .flat_map(|item| item.values_mut())
        .filter_map(|operation| operation["responses"].as_object_mut())
        .flat_map(|responses| responses.values_mut())
        .filter_map(|response| response.get_mut("headers")?.as_object_mut())
        .flat_map(|headers| headers.values_mut())
        .filter_map(serde_json::Value::as_object_mut);
    for header in headers {
        header.insert("required".to_owned(), serde_json::Value::Bool(true));
    }
}

/// A `$ref` that utoipa wraps alone in a `oneOf` to give it a sibling (a
/// `default`, a `description`) becomes a plain `$ref` with that sibling, as
/// OpenAPI 3.1 allows: a generator then sees the referenced type itself,
/// not a union of one.
fn unwrap_lone_refs(value: &mut Value) {
    match value {
        Value::Object(object) => {
            if let Some(reference) = lone_ref(object) {
                object.remove("oneOf");
                object.insert("$ref".to_owned(), reference);
            }
            object.values_mut().for_each(unwrap_lone_refs);
        }
        Value::Array(items) => items.iter_mut().for_each(unwrap_lone_refs),
        _ => {}
    }
}

fn lone_ref(object: &Map<String, Value>) -> Option<Value> {
    let [only] = object.get("oneOf")?.as_array()?.as_slice() else {
        return None;
    };
    let only = only.as_object()?;
    if only.len() != 1 || object.contains_key("$ref") {
        return None;
    }
    only.get("$ref").cloned()
}
