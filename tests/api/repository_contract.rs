//! The SeaORM repository held to the repository ports' contract
//! (crates/repository-contract) on every database, as the application's
//! in-memory fake is.

use domain::InstanceId;
use infrastructure::db::{self, SeaOrmRepository};
use repository_contract::Harness;
use sea_orm::{ConnectionTrait, Statement};

use crate::repository::pool_settings;
use crate::support::databases::TestDatabase;
use crate::support::Backend;

struct SeaOrm {
    repo: SeaOrmRepository,
    _db: TestDatabase,
}

impl SeaOrm {
    async fn on(backend: Backend) -> Self {
        let test_db = TestDatabase::create(backend).await;
        let pool = pool_settings(2);
        let conn = db::connect(&test_db.url, &pool).await.expect("connect");
        db::migrate(&conn).await.expect("migrate");
        Self {
            repo: SeaOrmRepository::new(conn, pool.statement_timeout),
            _db: test_db,
        }
    }
}

impl Harness for SeaOrm {
    type Repository = SeaOrmRepository;

    fn repository(&self) -> &SeaOrmRepository {
        &self.repo
    }

    async fn write_query(&self, instance: InstanceId, query: &str) {
        let conn = self.repo.connection();
        let written = conn
            .execute_raw(Statement::from_sql_and_values(
                conn.get_database_backend(),
                match conn.get_database_backend() {
                    sea_orm::DbBackend::Postgres => {
                        "UPDATE chatwoot_integrations SET query = $1 WHERE instance_id = $2"
                    }
                    _ => "UPDATE chatwoot_integrations SET query = ? WHERE instance_id = ?",
                },
                [query.into(), instance.to_string().into()],
            ))
            .await
            .expect("query written");
        assert_eq!(written.rows_affected(), 1, "one integration");
    }
}

macro_rules! on_seaorm {
    ($($case:ident),* $(,)?) => {
        $(
            async fn $case(backend: Backend) {
                let seaorm = SeaOrm::on(backend).await;
                repository_contract::$case(&seaorm).await;
                let _ = seaorm.repo.close().await;
            }
        )*
        crate::on_every_backend!($($case),*);
    };
}

repository_contract::for_each_case!(on_seaorm);
