//! The contract of the repository ports (`InstanceRepository`,
//! `IntegrationRepository`) as one set of tests, so the in-memory fake of
//! the application's tests and the SeaORM repository on every database are
//! held to the same rules instead of comments saying they agree.
//!
//! Each case is an `async fn` taking a [`Harness`] around a new, empty
//! repository; [`for_each_case!`] hands their names to a macro of the
//! caller's, which makes one test per case with its own runtime and storage.

mod instances;
mod integrations;
mod values;

use std::future::Future;

use application::{InstanceRepository, IntegrationRepository};
use domain::InstanceId;

pub use instances::*;
pub use integrations::*;

/// A repository under test, with the one write no port makes.
pub trait Harness: Sync {
    type Repository: InstanceRepository + IntegrationRepository;

    /// A new, empty repository.
    fn repository(&self) -> &Self::Repository;

    /// Writes the `query` of the instance's integration, as the gateway
    /// does directly in the database; no use case writes it, and every
    /// write of ours must keep it.
    fn write_query(&self, instance: InstanceId, query: &str) -> impl Future<Output = ()> + Send;
}

/// Calls `$callback!(case, case, ...)` with the name of every case, so a
/// caller writes its test wrapper once and gets every case, new ones too.
#[macro_export]
macro_rules! for_each_case {
    ($callback:ident) => {
        $callback!(
            instances_are_listed_oldest_first,
            a_taken_name_is_a_duplicate,
            names_differing_only_in_case_are_different_instances,
            a_reachable_store_answers_ping,
            a_token_finds_its_instance_until_it_is_replaced,
            deleting_an_instance_removes_its_integration,
            a_set_on_a_missing_instance_reports_a_missing_reference,
            a_set_keeps_the_id_creation_time_and_query,
            another_instance_s_live_inbox_is_taken,
            a_stale_revision_conflicts,
            soft_delete_and_revive,
            timestamps_keep_their_milliseconds,
            a_hidden_secret_keeps_its_reason,
        );
    };
}
