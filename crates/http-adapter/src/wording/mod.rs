//! The one place that words what the application reports as data (check
//! failures, checks that cannot be judged, a refused `autoCreate`, hidden signing secrets, an inbox
//! another instance uses) for
//! people: the HTTP error answers, the status route and the binary's
//! `check` command all show these texts. Each message starts with the wire
//! name of the setting to change and says how to fix it.

mod app_error;
mod auto_create;
mod check_failure;
mod found;
mod inbox_in_use;
mod secret_hidden;
mod setting;
mod undetermined;

pub use app_error::{webhook_not_pointed, TOKEN_KEY};
pub use auto_create::auto_create_refused;
pub use check_failure::check_failure;
pub use found::{address_kind, body, not_chatwoot, role};
pub use inbox_in_use::inbox_in_use;
pub use secret_hidden::{no_signing_secret, secret_hidden};
pub use setting::setting;
pub use undetermined::{outcome, undetermined};
