//! Use cases of the service and the ports (traits) they need. The service is
//! generic over its ports, so the same code runs on SeaORM and a real
//! Chatwoot checker in production and on anything else that keeps the
//! contracts written on the traits.

pub mod auto_create;
pub mod chatwoot;
pub mod check_failure;
pub mod check_report;
pub mod error;
pub mod found;
pub mod instances;
pub mod integrations;
pub mod ports;
pub mod principal;
pub mod services;
pub mod setting;
mod shared_inbox;
pub mod signature;
pub mod status;
pub mod undetermined;

pub use chatwoot::{
    ChatwootChecker, CheckTarget, Deadline, InboxProvisioner, InboxRequest, ProvisionedInbox,
    SecretSeen, ADMINISTRATOR, SAFE_FETCH_SINCE, SIGNED_WEBHOOKS_SINCE,
};
pub use check_failure::{CheckFailure, Named, THROTTLE_RETRY_AFTER};
pub use check_report::{CheckName, CheckReport, StepOutcome};
pub use error::{AppError, RepoError};
pub use found::{
    AddressKind, BodyFound, NotChatwootAnswer, RedirectTo, RoleFound, UnreachableReason,
};
pub use ports::{
    Clock, IdGenerator, InstanceRecord, InstanceRepository, IntegrationRepository, Ports, Revision,
};
pub use principal::Principal;
pub use services::{Services, Verification};
pub use setting::Setting;
pub use shared_inbox::InboxInUse;
pub use status::IntegrationStatus;
pub use undetermined::Undetermined;
