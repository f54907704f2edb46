/// Every problem found in one input, in the order found, each a sentence
/// worded by the adapter that read the input (it alone knows what the
/// client called each value).
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
