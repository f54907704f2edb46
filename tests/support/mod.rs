// Each test binary uses only part of this code and of its re-exports.
#![allow(dead_code, unused_imports)]

pub mod app;
pub mod chatwoot_double;
pub mod client;
pub mod databases;
pub mod mariadb_server;
pub mod postgres_server;
pub mod process;
pub mod prometheus;
pub mod server_folder;
pub mod servers;

pub use app::*;
pub use client::*;
pub use databases::{statement, Backend};
pub use servers::skipped;

/// Generates, for each named `async fn name(backend: Backend)`, one test per
/// backend: `sqlite::name`, `postgres::name`, `mariadb::name`; those of a
/// backend without a server here pass at once (see `servers`).
#[macro_export]
macro_rules! on_every_backend {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $( #[actix_web::test] async fn $name() { super::$name($crate::support::Backend::Sqlite).await } )*
        }
        mod postgres {
            $( #[actix_web::test] async fn $name() {
                if $crate::support::skipped($crate::support::Backend::Postgres) { return; }
                super::$name($crate::support::Backend::Postgres).await
            } )*
        }
        mod mariadb {
            $( #[actix_web::test] async fn $name() {
                if $crate::support::skipped($crate::support::Backend::Mariadb) { return; }
                super::$name($crate::support::Backend::Mariadb).await
            } )*
        }
    };
}

/// Generates, for each named `async fn name(backend: Backend)`, one test on
/// SQLite: `sqlite::name`. For the cases whose outcome the database does
/// not decide; those it decides go through [`on_every_backend!`].
#[macro_export]
macro_rules! on_sqlite {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $( #[actix_web::test] async fn $name() { super::$name($crate::support::Backend::Sqlite).await } )*
        }
    };
}
