pub mod health;
pub mod instances;
pub mod integration;
