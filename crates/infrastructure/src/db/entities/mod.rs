//! Table rows as SeaORM sees them. These never leave the `db` module: the
//! repository turns them into domain values and back.

pub mod instance;
pub mod integration;
