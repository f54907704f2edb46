//! The Chatwoot integration domain: what an integration is and which values it
//! may hold. Every value type here can only be built through a `parse`
//! constructor that checks it, so code that holds one never checks again.
//! No I/O and no framework types live here.

pub mod error;
pub mod ids;
pub mod inbox_name;
pub mod instance;
pub mod integration;
mod secret_text;
pub mod signing_secret;
pub mod time;
pub mod token;
pub mod url;
pub mod webhook;

pub use error::ValidationErrors;
pub use ids::{AccountId, InboxId};
pub use inbox_name::InboxName;
pub use instance::{
    Instance, InstanceDescription, InstanceId, InstanceName, InstanceToken, NewInstance, TokenHash,
};
pub use integration::{
    Integration, IntegrationId, IntegrationOptions, IntegrationOptionsPatch, IntegrationPatch,
    IntegrationSettings, StartConversationAs,
};
pub use signing_secret::{
    ChatwootVersion, SecretHidden, SecretRecord, SigningSecret, SigningSecretError,
};
pub use time::Timestamp;
pub use token::ChatwootAccessToken;
pub use url::HttpUrl;
pub use webhook::WebhookUrlTemplate;
