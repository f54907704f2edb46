use crate::instance::InstanceName;

pub const MAX_INBOX_NAME_CHARS: usize = 255;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("must be 1 to 255 characters")]
pub struct InboxNameError;

/// The name of a Chatwoot inbox the service may create: 1-255 characters.
/// Chatwoot has rules of its own for names and says so when it refuses one.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct InboxName(String);

impl InboxName {
    pub fn parse(raw: &str) -> Result<Self, InboxNameError> {
        if (1..=MAX_INBOX_NAME_CHARS).contains(&raw.chars().count()) {
            Ok(Self(raw.to_owned()))
        } else {
            Err(InboxNameError)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<&InstanceName> for InboxName {
    /// The default inbox name: the instance's, always 1-64 characters.
    fn from(name: &InstanceName) -> Self {
        Self(name.as_str().to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_of_1_to_255_characters_are_accepted() {
        for raw in ["a", "WhatsApp sales", &"é".repeat(255)] {
            assert_eq!(
                InboxName::parse(raw).map(|n| n.as_str().to_owned()),
                Ok(raw.to_owned())
            );
        }
        for raw in ["", &"a".repeat(256)] {
            assert_eq!(InboxName::parse(raw), Err(InboxNameError), "{raw:?}");
        }
    }

    #[test]
    fn an_instance_name_is_a_valid_inbox_name() {
        let instance = InstanceName::parse("gw-1").unwrap();
        assert_eq!(InboxName::from(&instance).as_str(), "gw-1");
    }
}
