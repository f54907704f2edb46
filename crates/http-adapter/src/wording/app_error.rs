//! What application errors add to the check failures, or say alone.

/// What a `WebhookNotPointed` adds to the Chatwoot failure: the inbox is
/// saved, its webhook is not.
pub fn webhook_not_pointed(inbox_id: i64) -> String {
    format!("the integration is saved with inbox {inbox_id}, which is this instance's now, but the inbox's webhook still points elsewhere: send the same Set again, or set its Webhook URL in Chatwoot (Settings, then Inboxes, then the inbox, then its Settings tab)")
}

/// What a stored token that no configured key decrypts answers: the
/// operator's to fix.
pub const TOKEN_KEY: &str = "a stored Chatwoot access token does not decrypt with APP_SECURITY__TOKEN_ENCRYPTION_KEY nor with any key of APP_SECURITY__PREVIOUS_TOKEN_ENCRYPTION_KEYS: the operator must configure the key it was written with (as APP_SECURITY__TOKEN_ENCRYPTION_KEY, or in APP_SECURITY__PREVIOUS_TOKEN_ENCRYPTION_KEYS beside the current key) and restart, or the integration must be set again";
