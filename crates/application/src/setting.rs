//! The settings of an integration a check can find wrong, by what they are:
//! adapters spell them as their wire has them.

/// The setting to change, for a check failure or a check that cannot be
/// judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Setting {
    /// Where Chatwoot is served.
    ChatwootUrl,
    /// The Chatwoot user's access token.
    AccessToken,
    /// The Chatwoot account.
    AccountId,
    /// The Chatwoot inbox, and the webhook its replies go to.
    Inbox,
    /// The name of the inbox `autoCreate` finds or creates.
    NameInbox,
    /// Whether the gateway opens conversations as `open` or `pending`.
    StartConversationAs,
    /// Whether Set finds or creates the inbox.
    AutoCreate,
}
