pub mod health;
pub mod instances;
pub mod integration;
pub mod signing_secret;
