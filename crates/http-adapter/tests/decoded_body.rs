//! A body as decoded: the value serde_json reads, each repeated key noted;
//! and the ids read from it.

use domain::{AccountId, InboxId};
use http_adapter::repeated_keys::Decoded;
use http_adapter::request::SetIntegrationRequest;
use serde_json::{json, Value};

fn decoded(json: &str) -> Decoded {
    serde_json::from_str(json).expect("valid JSON")
}

#[test]
fn reads_what_serde_json_reads() {
    let json = r#"{"a":[1,-2,3.5,"x",true,null,{"b":{}}],"c":18446744073709551615}"#;
    let read = decoded(json);
    assert_eq!(
        read.value,
        serde_json::from_str::<Value>(json).expect("JSON")
    );
    assert!(read.repeated.is_empty());
}

#[test]
fn names_each_repeated_key_once_by_its_dot_path() {
    let read =
        decoded(r#"{"accountId":"x","o":{"g":1,"g":2,"g":3},"accountId":1,"l":[{"k":1,"k":2}]}"#);
    assert_eq!(read.repeated, ["o.g", "accountId", "l[0].k"]);
    // The value is the one serde_json would read: the last one given.
    assert_eq!(read.value["accountId"], 1);
}

#[test]
fn malformed_json_is_still_an_error() {
    for json in ["{", r#"{"a":1,}"#, "[1 2]", ""] {
        assert!(serde_json::from_str::<Decoded>(json).is_err(), "{json}");
    }
}

/// The account and inbox ids a Set reads from `id`, given as both.
fn ids(id: &Value) -> Result<(i64, i64), Vec<String>> {
    let body = json!({
        "accountId": id,
        "inbox": id,
        "chatwootURL": "https://chat.example.com",
        "chatwootAccessToken": "t",
    });
    SetIntegrationRequest::parse(body)
        .map(|set| {
            let inbox = set.settings.inbox_id.map_or(0, InboxId::get);
            (AccountId::get(set.settings.account_id), inbox)
        })
        .map_err(|errors| errors.into_messages())
}

#[test]
fn an_id_is_a_json_integer_a_whole_number_or_a_digit_string() {
    let exponent = serde_json::from_str::<Value>("1e3").unwrap_or(Value::Null);
    for (value, expected) in [
        (json!(12), 12),
        (json!(12.0), 12),
        (exponent, 1000),
        (json!("012"), 12),
    ] {
        assert_eq!(ids(&value), Ok((expected, expected)), "{value}");
    }
}

#[test]
fn other_json_values_are_no_id() {
    let huge = serde_json::from_str::<Value>("1e300").unwrap_or(Value::Null);
    for value in [
        json!(true),
        json!({}),
        json!([1]),
        json!(u64::MAX),
        json!(1.5),
        huge,
    ] {
        let predicate = "must be a positive integer or a string of digits";
        let expected = [
            format!("accountId {predicate}"),
            format!("inbox {predicate}"),
        ];
        assert_eq!(ids(&value), Err(expected.to_vec()), "{value}");
    }
}
