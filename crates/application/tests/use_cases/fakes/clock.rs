use std::sync::{Arc, Mutex};

use application::Clock;
use domain::Timestamp;

use super::lock;

/// 2025-06-12T13:21:06.572Z, moved only by [`FakeClock::advance`].
const START_MILLIS: i64 = 1_749_734_466_572;

#[derive(Clone)]
pub struct FakeClock(Arc<Mutex<i64>>);

impl Default for FakeClock {
    fn default() -> Self {
        Self(Arc::new(Mutex::new(START_MILLIS)))
    }
}

impl FakeClock {
    pub fn advance(&self, millis: i64) -> Timestamp {
        let mut now = lock(&self.0);
        *now += millis;
        at(*now)
    }
}

impl Clock for FakeClock {
    fn now(&self) -> Timestamp {
        at(*lock(&self.0))
    }
}

fn at(millis: i64) -> Timestamp {
    Timestamp::from_millis(millis).unwrap_or_else(|| panic!("{millis} ms is out of range"))
}
