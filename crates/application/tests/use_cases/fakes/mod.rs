//! In-memory stand-ins for the application's ports. Each keeps the contract
//! written on its trait, so a use case that passes here relies on nothing a
//! real adapter would not also do. All of them share one [`Journal`], which
//! lets a test see in what order the use case called them.

mod checker;
mod clock;
mod ids;
mod repository;

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use application::{Ports, Services, Verification};
use domain::{InboxId, TokenHash, WebhookUrlTemplate};

pub use checker::{passed_before, FakeChecker, ProvisionAsked};
pub use clock::FakeClock;
pub use ids::SequentialIds;
pub use repository::{InMemoryRepository, Interference, Op};

pub struct Fakes;

impl Ports for Fakes {
    type Repository = InMemoryRepository;
    type Checker = FakeChecker;
    type Provisioner = FakeChecker;
    type Clock = FakeClock;
    type Ids = SequentialIds;
}

/// A call a use case made on a port.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    Repo(Op),
    /// A check, with the budget of its run as a whole if it has one.
    Check(Option<Duration>),
    Provision,
    /// The webhook of this inbox changed.
    PointWebhook(InboxId),
}

/// The calls made so far, in order.
#[derive(Clone, Default)]
pub struct Journal(Arc<Mutex<Vec<Event>>>);

impl Journal {
    fn record(&self, event: Event) {
        lock(&self.0).push(event);
    }

    pub fn events(&self) -> Vec<Event> {
        lock(&self.0).clone()
    }

    pub fn clear(&self) {
        lock(&self.0).clear();
    }
}

/// A panic inside a test holding a fake's lock must not hide the next
/// assertion behind a poisoned mutex.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

pub const ADMIN_TOKEN: &str = "the-admin-token";
/// The budget of a status run in every [`World`] that checks.
pub const STATUS_BUDGET: Duration = Duration::from_millis(2_500);

/// The service wired to fresh fakes, with handles on each fake so a test can
/// arrange their state and read it back.
pub struct World {
    pub services: Services<Fakes>,
    pub repo: InMemoryRepository,
    pub checker: FakeChecker,
    pub clock: FakeClock,
    pub journal: Journal,
}

impl World {
    pub fn new() -> Self {
        Self::with_webhook_template(None)
    }

    /// With `CHATWOOT_WEBHOOK_URL` set to `template`, when given.
    pub fn with_webhook_template(template: Option<&str>) -> Self {
        let checking = Verification::On {
            status_budget: STATUS_BUDGET,
        };
        Self::with(template, checking)
    }

    /// With `CHATWOOT_WEBHOOK_URL` set to `template`, when given, and
    /// `CHATWOOT_VERIFY=false`.
    pub fn with_checking_off(template: Option<&str>) -> Self {
        Self::with(template, Verification::Off)
    }

    fn with(template: Option<&str>, verification: Verification) -> Self {
        let template = template.map(|raw| {
            WebhookUrlTemplate::parse(raw).unwrap_or_else(|err| panic!("{raw}: {err:?}"))
        });
        let journal = Journal::default();
        let repo = InMemoryRepository::new(journal.clone());
        let checker = FakeChecker::new(journal.clone());
        let clock = FakeClock::default();
        let services = Services::new(
            repo.clone(),
            checker.clone(),
            checker.clone(),
            verification,
            clock.clone(),
            SequentialIds::default(),
            TokenHash::of(ADMIN_TOKEN),
        )
        .with_webhook_template(template);
        Self {
            services,
            repo,
            checker,
            clock,
            journal,
        }
    }
}
