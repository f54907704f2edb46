//! A JSON body read into a `Value` as serde_json reads one, noting each key
//! an object gives more than once. serde_json keeps the last value of a
//! repeated key, where a proxy or validator in front may read the first:
//! two readers would see two different requests, so such a body is refused.

use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::{Map, Value};

/// A decoded body and the dot path of each key given more than once
/// (`integrationOptions.enabledGroup`), in the order of their second
/// appearance.
#[derive(Debug, Default)]
pub struct Decoded {
    pub value: Value,
    pub repeated: Vec<String>,
}

/// A value decoded some other way, with no key repeated.
impl From<Value> for Decoded {
    fn from(value: Value) -> Self {
        Self {
            value,
            ..Self::default()
        }
    }
}

impl<'de> Deserialize<'de> for Decoded {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let mut repeated = Vec::new();
        let value = Noting {
            path: String::new(),
            repeated: &mut repeated,
        }
        .deserialize(deserializer)?;
        Ok(Self { value, repeated })
    }
}

/// Reads the value at `path`, adding the repeated keys it meets.
struct Noting<'a> {
    path: String,
    repeated: &'a mut Vec<String>,
}

impl Noting<'_> {
    fn at(&mut self, path: String) -> Noting<'_> {
        Noting {
            path,
            repeated: self.repeated,
        }
    }
}

impl<'de> DeserializeSeed<'de> for Noting<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Noting<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, value: bool) -> Result<Value, E> {
        Ok(Value::Bool(value))
    }

    fn visit_i64<E>(self, value: i64) -> Result<Value, E> {
        Ok(Value::from(value))
    }

    fn visit_u64<E>(self, value: u64) -> Result<Value, E> {
        Ok(Value::from(value))
    }

    /// As serde_json does: a number no `f64` holds is `null`.
    fn visit_f64<E>(self, value: f64) -> Result<Value, E> {
        Ok(Value::from(value))
    }

    fn visit_str<E>(self, value: &str) -> Result<Value, E> {
        Ok(Value::String(value.to_owned()))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        loop {
            let path = format!("{}[{}]", self.path, items.len());
            match seq.next_element_seed(self.at(path))? {
                Some(item) => items.push(item),
                None => return Ok(Value::Array(items)),
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<Value, A::Error> {
        let mut members = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let path = match self.path.as_str() {
                "" => key.clone(),
                parent => format!("{parent}.{key}"),
            };
            let value = map.next_value_seed(self.at(path.clone()))?;
            if members.insert(key, value).is_some() && !self.repeated.contains(&path) {
                self.repeated.push(path);
            }
        }
        Ok(Value::Object(members))
    }
}
