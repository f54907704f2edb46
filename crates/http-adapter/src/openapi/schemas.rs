//! Schemas of the values request bodies carry, written out where utoipa
//! cannot derive them from a Rust type: the request types carry no values
//! (each body is read member by member), and these state what the checks
//! accept.
//! The limits come from the domain's own constants, and the patterns are
//! exact, because a fuzzer generates valid and invalid bodies from them and
//! expects the service to agree.

use domain::ids::MAX_ID;
use domain::instance::{MAX_DESCRIPTION_CHARS, MAX_NAME_CHARS};
use domain::token::MAX_TOKEN_CHARS;
use domain::url::MAX_URL_CHARS;
use utoipa::openapi::schema::{
    AdditionalProperties, KnownFormat, ObjectBuilder, OneOfBuilder, SchemaFormat, SchemaType, Type,
};
use utoipa::openapi::{RefOr, Schema};
use utoipa::ToSchema;

use crate::request::{IntegrationOptionsRequest, IntegrationOptionsUpdateRequest};

/// An id as the domain accepts it: a JSON integer, or a string of ASCII
/// digits (leading zeros allowed) with such a value.
pub(crate) fn id() -> Schema {
    OneOfBuilder::new()
        .item(
            ObjectBuilder::new()
                .schema_type(Type::Integer)
                .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64)))
                .minimum(Some(1))
                .maximum(Some(MAX_ID)),
        )
        .item(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .pattern(Some(digits_pattern(MAX_ID))),
        )
        .description(Some(
            "A positive integer, or a string of ASCII digits with such a value (\"12\")",
        ))
        .build()
        .into()
}

pub(crate) fn nullable_id() -> Schema {
    or_null(id())
}

/// `schema`, or `null`: one more branch of a union, one more type of a
/// single-typed object.
fn or_null(schema: Schema) -> Schema {
    match schema {
        Schema::OneOf(mut one_of) => {
            one_of.items.push(null().into());
            Schema::OneOf(one_of)
        }
        Schema::Object(mut object) => {
            if let SchemaType::Type(own) = &object.schema_type {
                object.schema_type = SchemaType::from_iter([own.clone(), Type::Null]);
            }
            Schema::Object(object)
        }
        other => other,
    }
}

fn null() -> Schema {
    ObjectBuilder::new().schema_type(Type::Null).build().into()
}

/// A regular expression matching exactly the strings of ASCII digits whose
/// value is in `1..=max`, leading zeros allowed. A looser `^[0-9]+$` would
/// let a generator of valid bodies pick `"0"` or a value over `max`, which
/// the service rightly refuses.
pub(crate) fn digits_pattern(max: i64) -> String {
    let max = max.to_string();
    let digits = max.len();
    let mut branches = Vec::new();
    // Fewer significant digits than `max`: any value.
    match digits {
        0 | 1 => {}
        2 => branches.push("[1-9]".to_owned()),
        n => branches.push(format!("[1-9][0-9]{{0,{}}}", n - 2)),
    }
    // As many digits as `max`: the usual prefix decomposition, one branch
    // per position where the value first goes below `max`.
    let bytes = max.as_bytes();
    for (i, &d) in bytes.iter().enumerate() {
        let low = if i == 0 { b'1' } else { b'0' };
        if d > low {
            let rest = digits - i - 1;
            let tail = match rest {
                0 => String::new(),
                1 => "[0-9]".to_owned(),
                n => format!("[0-9]{{{n}}}"),
            };
            let class = if d - 1 == low {
                (low as char).to_string()
            } else {
                format!("[{}-{}]", low as char, (d - 1) as char)
            };
            branches.push(format!("{}{class}{tail}", &max[..i]));
        }
    }
    branches.push(max.clone());
    format!("^0*(?:{})$", branches.join("|"))
}

/// An absolute `http` or `https` URL with a host, no user information and
/// no fragment. The pattern states only the scheme; the rest is in the
/// description, as a regular expression for "what the `url` crate accepts"
/// would be neither exact nor readable.
pub(crate) fn url() -> Schema {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .format(Some(SchemaFormat::Custom("uri".to_owned())))
        .max_length(Some(MAX_URL_CHARS))
        .pattern(Some("^[Hh][Tt][Tt][Pp][Ss]?://"))
        .description(Some(
            "An absolute http or https URL with a host, without user information or fragment",
        ))
        .build()
        .into()
}

pub(crate) fn nullable_url() -> Schema {
    or_null(url())
}

/// 1-512 printable characters: no whitespace, no control characters, none
/// of the invisible format characters a pasted token may carry. The class
/// lists exactly what `ChatwootAccessToken::parse` refuses.
pub(crate) fn access_token() -> Schema {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .min_length(Some(1))
        .max_length(Some(MAX_TOKEN_CHARS))
        .pattern(Some(
            r"^[^\u0000-\u0020\u007f-\u00a0\u00ad\u1680\u2000-\u200f\u2028-\u202f\u205f-\u2064\u3000\ufeff]+$",
        ))
        .build()
        .into()
}

pub(crate) fn nullable_options() -> Schema {
    nullable_ref(IntegrationOptionsRequest::name())
}

pub(crate) fn nullable_options_update() -> Schema {
    nullable_ref(IntegrationOptionsUpdateRequest::name())
}

fn nullable_ref(name: impl Into<String>) -> Schema {
    OneOfBuilder::new()
        .item(RefOr::Ref(utoipa::openapi::Ref::from_schema_name(name)))
        .item(null())
        .build()
        .into()
}

/// `[A-Za-z0-9_.-]`, but not `.` nor `..`, without look-ahead (which not
/// every JSON Schema tool reads); the length is `minLength`/`maxLength`.
pub(crate) const INSTANCE_NAME_PATTERN: &str =
    r"^(?:[A-Za-z0-9_.-]*[A-Za-z0-9_-][A-Za-z0-9_.-]*|\.{3,})$";

pub(crate) fn instance_name() -> Schema {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .min_length(Some(1))
        .max_length(Some(MAX_NAME_CHARS))
        // Not `.` nor `..`: some character is not a dot, or there are three.
        .pattern(Some(INSTANCE_NAME_PATTERN))
        .build()
        .into()
}

pub(crate) fn description() -> Schema {
    ObjectBuilder::new()
        .schema_type(SchemaType::from_iter([Type::String, Type::Null]))
        .max_length(Some(MAX_DESCRIPTION_CHARS))
        .build()
        .into()
}

/// An OpenAPI 3.1 document: the members every one has, each an object of
/// members of its own, and any others.
pub(crate) fn openapi_document() -> Schema {
    let open_object = || {
        ObjectBuilder::new()
            .schema_type(Type::Object)
            .additional_properties(Some(AdditionalProperties::FreeForm(true)))
    };
    open_object()
        .property(
            "openapi",
            ObjectBuilder::new()
                .schema_type(Type::String)
                .pattern(Some(r"^3\.1\.[0-9]+$")),
        )
        .property("info", open_object())
        .property("paths", open_object())
        .required("openapi")
        .required("info")
        .required("paths")
        .build()
        .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_pattern_decomposes_the_maximum() {
        assert_eq!(
            digits_pattern(9_007),
            "^0*(?:[1-9][0-9]{0,2}|[1-8][0-9]{3}|900[0-6]|9007)$"
        );
        assert_eq!(digits_pattern(5), "^0*(?:[1-4]|5)$");
        assert_eq!(digits_pattern(21), "^0*(?:[1-9]|1[0-9]|20|21)$");
    }
}
