//! The body that creates an instance.

use http_adapter::request::{CreateInstanceRequest, RequestBody};
use serde_json::{json, Value};

fn refused(body: Value) -> Vec<String> {
    match CreateInstanceRequest::parse(body.clone()) {
        Ok(instance) => panic!("{body} was accepted: {instance:?}"),
        Err(errors) => errors.into_messages(),
    }
}

#[test]
fn a_name_alone_creates_an_instance_without_description() {
    let instance = CreateInstanceRequest::parse(json!({"name": "gateway-01"})).unwrap();
    assert_eq!(instance.name.as_str(), "gateway-01");
    assert_eq!(instance.description, None);

    let instance = CreateInstanceRequest::parse(json!({"name": "a", "description": null})).unwrap();
    assert_eq!(instance.description, None);
}

#[test]
fn a_description_of_up_to_255_characters_is_kept() {
    let longest = "é".repeat(255);
    let instance =
        CreateInstanceRequest::parse(json!({"name": "a", "description": longest})).unwrap();
    assert_eq!(
        instance.description.map(|d| d.as_str().to_owned()),
        Some(longest)
    );
    let instance = CreateInstanceRequest::parse(json!({"name": "a", "description": ""})).unwrap();
    assert_eq!(
        instance.description.map(|d| d.as_str().to_owned()),
        Some(String::new())
    );
}

#[test]
fn names_follow_the_instance_name_rule() {
    let name = "A_b.c-9".repeat(9) + "x";
    assert_eq!(name.len(), 64);
    assert!(CreateInstanceRequest::parse(json!({ "name": name })).is_ok());

    let message = "name must be 1 to 64 characters of letters, digits, '_', '.' or '-'";
    for bad in ["", &"a".repeat(65), "has space", "ação", "a/b"] {
        assert_eq!(refused(json!({ "name": bad })), [message], "{bad:?}");
    }
    for dots in [".", ".."] {
        assert_eq!(
            refused(json!({ "name": dots })),
            ["name must not be '.' or '..', which URLs drop as path segments"],
            "{dots:?}"
        );
    }
}

#[test]
fn every_problem_of_an_instance_body_is_named() {
    let cases = [
        (json!({}), vec!["name should not be empty"]),
        (json!({"name": null}), vec!["name should not be empty"]),
        (json!({"name": 5}), vec!["name must be a string"]),
        (
            json!({"name": "a", "description": 5}),
            vec!["description must be a string"],
        ),
        (
            json!({"name": "a", "description": "x".repeat(256)}),
            vec!["description must be shorter than or equal to 255 characters"],
        ),
        (
            json!({"name": "a", "token": "x"}),
            vec!["property token should not exist"],
        ),
        (
            json!({"token": "x", "description": [], "name": "no way"}),
            vec![
                "name must be 1 to 64 characters of letters, digits, '_', '.' or '-'",
                "description must be a string",
                "property token should not exist",
            ],
        ),
        (json!([]), vec!["body must be a JSON object"]),
        (json!("gateway"), vec!["body must be a JSON object"]),
    ];
    for (body, messages) in cases {
        assert_eq!(refused(body.clone()), messages, "{body}");
    }
}
