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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_is_kept_in_order_and_the_text_joins_them() {
        let errors = ValidationErrors::new(vec!["a is bad".into(), "b is bad".into()]);
        assert_eq!(errors.messages(), ["a is bad", "b is bad"]);
        assert_eq!(errors.to_string(), "a is bad; b is bad");
        assert_eq!(errors.into_messages(), ["a is bad", "b is bad"]);
    }

    #[test]
    fn a_single_problem_is_one_message() {
        let errors = ValidationErrors::single("name is bad");
        assert_eq!(errors.into_messages(), ["name is bad"]);
    }
}
