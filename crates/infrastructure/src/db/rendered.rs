//! The statements of the request path, rendered to SQL once per backend.
//!
//! SeaORM renders a query to SQL text on every call; for the token lookup
//! and the integration read that was 7 % of the service's CPU under load
//! (perf, GET at 64 connections on SQLite), and for the set's upsert 12 %
//! (perf, set at 16 connections on PostgreSQL). These statements differ
//! from call to call only in their bound values, so the text is rendered
//! once, by the same query builder, and each call brings its values.

use application::RepoError;
use sea_orm::{
    ActiveModelTrait, ActiveValue, ColumnTrait, ColumnType, DbBackend, EntityTrait, IdenStatic,
    Iterable, QueryFilter, QuerySelect, QueryTrait, Statement, Value,
};

use super::entities::{instance, integration};
use super::integrations::{upsert_statement, REVISION_STEP};

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

/// The set's upsert rendered once: its SQL text, whose values are the
/// row's columns in declaration order (as `Insert::one` binds them), then
/// the revision step.
#[derive(Debug, Clone)]
pub(super) struct Upsert {
    sql: String,
    backend: DbBackend,
}

impl Upsert {
    fn render(backend: DbBackend) -> Self {
        // The text does not depend on the values, only on which columns
        // are set: all of them.
        let mut row = <integration::ActiveModel as ActiveModelTrait>::default();
        for column in integration::Column::iter() {
            let placeholder = match column.def().get_column_type() {
                ColumnType::String(_) | ColumnType::Text => Value::from(""),
                ColumnType::Boolean => Value::from(false),
                _ => Value::from(0_i64),
            };
            row.set(column, placeholder);
        }
        Self {
            sql: upsert_statement(row, backend).sql,
            backend,
        }
    }

    /// The upsert of `row`, every column of which must be set.
    pub(super) fn of(&self, mut row: integration::ActiveModel) -> Result<Statement, RepoError> {
        let mut values = Vec::with_capacity(integration::Column::iter().len() + 1);
        for column in integration::Column::iter() {
            match row.take(column) {
                ActiveValue::Set(value) | ActiveValue::Unchanged(value) => values.push(value),
                ActiveValue::NotSet => {
                    return Err(RepoError::Other(format!(
                        "the upsert of an integration needs column {} set",
                        column.as_str()
                    )))
                }
            }
        }
        values.push(Value::from(REVISION_STEP));
        Ok(Statement::from_sql_and_values(
            self.backend,
            self.sql.clone(),
            values,
        ))
    }
}

/// The hot statements of one backend, as SeaORM renders them.
#[derive(Debug)]
pub(super) struct Rendered {
    /// The instance holding a token hash.
    pub instance_by_token: Keyed,
    /// The integration row of an instance id.
    pub integration_of_instance: Keyed,
    /// The set's insert-or-replace.
    pub upsert: Upsert,
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
            upsert: Upsert::render(backend),
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

    fn a_set_row(n8n_webhook: Option<&str>) -> integration::ActiveModel {
        use sea_orm::Set;
        integration::ActiveModel {
            id: Set("0b1d7a52-5a5e-4d3c-9a2b-6f1e2d3c4b5a".to_owned()),
            instance_id: Set("7c9e6679-7425-40de-944b-e07fc1f90ae7".to_owned()),
            enabled: Set(true),
            account_id: Set(12),
            inbox_id: Set(None),
            chatwoot_url: Set("https://chat.example.com/".to_owned()),
            chatwoot_access_token: Set("user-token".to_owned()),
            n8n_webhook: Set(n8n_webhook.map(str::to_owned)),
            enabled_group: Set(false),
            display_attendant: Set(true),
            start_conversation_as: Set("pending".to_owned()),
            query: Set(None),
            revision: Set(1),
            created_at: Set(1_764_000_000_000),
            updated_at: Set(1_764_000_000_001),
            deleted_at: Set(None),
        }
    }

    #[test]
    fn the_rendered_upsert_equals_the_one_rendered_for_its_row() {
        for backend in [DbBackend::Postgres, DbBackend::MySql, DbBackend::Sqlite] {
            let rendered = Rendered::for_backend(backend);
            for webhook in [None, Some("https://n8n.example.com/hook")] {
                let fresh = upsert_statement(a_set_row(webhook), backend);
                let reused = rendered.upsert.of(a_set_row(webhook));
                assert_eq!(reused.ok(), Some(fresh), "{backend:?}");
            }
        }
    }

    #[test]
    fn an_upsert_row_missing_a_column_is_refused() {
        let rendered = Rendered::for_backend(DbBackend::Sqlite);
        let mut row = a_set_row(None);
        row.not_set(integration::Column::CreatedAt);
        let err = rendered.upsert.of(row).expect_err("created_at is not set");
        assert!(err.to_string().contains("created_at"), "{err}");
    }
}
