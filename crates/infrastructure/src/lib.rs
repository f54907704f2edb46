//! Adapters on the outside of the application: the SeaORM repository, the
//! Chatwoot HTTP checker, the system clock and id source, and configuration.

pub mod chatwoot;
pub mod crypto;
pub mod db;
pub mod settings;
pub mod system;
