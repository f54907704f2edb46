use std::sync::{Arc, Mutex};

use application::{ChatwootChecker, CheckFailure};
use domain::IntegrationSettings;

use super::{lock, Event, Journal};

/// Answers what the test told it to, and keeps every settings it was asked
/// about. It accepts by default.
#[derive(Clone)]
pub struct FakeChecker {
    answer: Arc<Mutex<Result<(), CheckFailure>>>,
    asked: Arc<Mutex<Vec<IntegrationSettings>>>,
    journal: Journal,
}

impl FakeChecker {
    pub fn new(journal: Journal) -> Self {
        Self {
            answer: Arc::new(Mutex::new(Ok(()))),
            asked: Arc::default(),
            journal,
        }
    }

    pub fn refuse_with(&self, failure: CheckFailure) {
        *lock(&self.answer) = Err(failure);
    }

    /// Forgets what it was asked so far.
    pub fn forget(&self) {
        lock(&self.asked).clear();
    }

    pub fn asked(&self) -> Vec<IntegrationSettings> {
        lock(&self.asked).clone()
    }
}

impl ChatwootChecker for FakeChecker {
    async fn check(&self, settings: &IntegrationSettings) -> Result<(), CheckFailure> {
        self.journal.record(Event::Check);
        lock(&self.asked).push(settings.clone());
        lock(&self.answer).clone()
    }
}
