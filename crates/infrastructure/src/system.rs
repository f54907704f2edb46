//! The clock and the id source of a running service.

use application::{Clock, IdGenerator};
use domain::{InstanceId, InstanceToken, IntegrationId, Timestamp};
use rand::RngCore;
use uuid::Uuid;

#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        Timestamp::from_datetime(chrono::Utc::now())
    }
}

#[derive(Debug, Clone, Copy, Default)]
pub struct RandomIds;

impl IdGenerator for RandomIds {
    fn instance_id(&self) -> InstanceId {
        InstanceId::new(Uuid::new_v4())
    }

    /// Time-ordered, so new rows land at the end of the primary key index.
    fn integration_id(&self) -> IntegrationId {
        IntegrationId::new(Uuid::now_v7())
    }

    /// `rand::rng()` is a CSPRNG seeded and periodically reseeded from the OS.
    fn instance_token(&self) -> InstanceToken {
        let mut bytes = [0u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        InstanceToken::from_random_bytes(bytes)
    }
}
