//! The two lookups every request runs, rendered to SQL once per backend.
//!
//! SeaORM renders a query to SQL text on every call; for the token lookup
//! and the integration read that was 7 % of the service's CPU under load
//! (perf, GET at 64 connections on SQLite). These statements differ from
//! call to call only in their key, so the text is rendered once, by the same
//! query builder, and each call swaps its key into the first bound value.

use sea_orm::{
    ColumnTrait, DbBackend, EntityTrait, QueryFilter, QuerySelect, QueryTrait, Statement, Value,
};

use super::entities::{instance, integration};

/// Stands for the key while rendering; never sent.
const KEY: &str = "\u{0}key";

/// A statement rendered once whose first bound value is its key.
#[derive(Debug, Clone)]
pub(super) struct Keyed(Statement);

impl Keyed {
    fn render(statement: Statement) -> Self {
        let first = statement.values.as_ref().and_then(|v| v.0.first());
        assert_eq!(
            first,
            Some(&Value::from(KEY)),
            "a keyed statement binds its key first"
        );
        Self(statement)
    }

    /// The statement with `key` bound in place of the placeholder.
    pub(super) fn with_key(&self, key: String) -> Statement {
        let mut statement = self.0.clone();
        if let Some(values) = statement.values.as_mut() {
            values.0[0] = Value::from(key);
        }
        statement
    }
}

/// The hot statements of one backend, as `Select::one` renders them.
#[derive(Debug)]
pub(super) struct Rendered {
    /// The instance holding a token hash.
    pub instance_by_token: Keyed,
    /// The integration row of an instance id.
    pub integration_of_instance: Keyed,
}

impl Rendered {
    pub(super) fn for_backend(backend: DbBackend) -> Self {
        Self {
            instance_by_token: Keyed::render(
                instance::Entity::find()
                    .filter(instance::Column::TokenHash.eq(KEY))
                    .limit(1)
                    .build(backend),
            ),
            integration_of_instance: Keyed::render(
                integration::Entity::find()
                    .filter(integration::Column::InstanceId.eq(KEY))
                    .limit(1)
                    .build(backend),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_keyed_statement_equals_the_one_rendered_for_its_key() {
        for backend in [DbBackend::Postgres, DbBackend::MySql, DbBackend::Sqlite] {
            let rendered = Rendered::for_backend(backend);
            let fresh = instance::Entity::find()
                .filter(instance::Column::TokenHash.eq("abc"))
                .limit(1)
                .build(backend);
            assert_eq!(rendered.instance_by_token.with_key("abc".to_owned()), fresh);
            let fresh = integration::Entity::find()
                .filter(integration::Column::InstanceId.eq("id-1"))
                .limit(1)
                .build(backend);
            assert_eq!(
                rendered.integration_of_instance.with_key("id-1".to_owned()),
                fresh
            );
        }
    }
}
