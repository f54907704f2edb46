/// Every problem found in one request body, in the order found. Each message
/// names its field by its wire name and dot path
/// (`integrationOptions.startConversationAs must be one of ...`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", .0.join("; "))]
pub struct ValidationErrors(Vec<String>);

impl ValidationErrors {
    pub fn new(messages: Vec<String>) -> Self {
        Self(messages)
    }

    pub fn single(message: impl Into<String>) -> Self {
        Self(vec![message.into()])
    }

    pub fn messages(&self) -> &[String] {
        &self.0
    }

    pub fn into_messages(self) -> Vec<String> {
        self.0
    }
}
