use std::sync::atomic::{AtomicU64, Ordering};

use application::IdGenerator;
use domain::{InstanceId, InstanceToken, IntegrationId};
use uuid::Uuid;

/// Distinct ids and tokens from one counter. The tokens are predictable,
/// which the contract forbids in production; no use case reads their
/// randomness, only that each one is new.
#[derive(Default)]
pub struct SequentialIds(AtomicU64);

impl SequentialIds {
    fn next(&self) -> u64 {
        self.0.fetch_add(1, Ordering::Relaxed) + 1
    }
}

impl IdGenerator for SequentialIds {
    fn instance_id(&self) -> InstanceId {
        InstanceId::new(Uuid::from_u128(u128::from(self.next())))
    }

    fn integration_id(&self) -> IntegrationId {
        IntegrationId::new(Uuid::from_u128(u128::from(self.next())))
    }

    fn instance_token(&self) -> InstanceToken {
        let mut bytes = [0u8; 32];
        bytes[..8].copy_from_slice(&self.next().to_be_bytes());
        InstanceToken::from_random_bytes(bytes)
    }
}
