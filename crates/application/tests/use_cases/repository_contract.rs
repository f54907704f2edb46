//! The in-memory repository held to the contract the SeaORM repository is
//! held to on every database (tests/api/repository_contract.rs), so the
//! use case tests above rely on nothing the real one does differently.

use domain::InstanceId;
use repository_contract::Harness;

use crate::fakes::{InMemoryRepository, Journal};

struct Fake(InMemoryRepository);

impl Harness for Fake {
    type Repository = InMemoryRepository;

    fn repository(&self) -> &InMemoryRepository {
        &self.0
    }

    async fn write_query(&self, instance: InstanceId, query: &str) {
        self.0.set_query(instance, query);
    }
}

macro_rules! on_the_fake {
    ($($case:ident),* $(,)?) => {
        $(
            #[tokio::test]
            async fn $case() {
                let fake = Fake(InMemoryRepository::new(Journal::default()));
                repository_contract::$case(&fake).await;
            }
        )*
    };
}

repository_contract::for_each_case!(on_the_fake);
