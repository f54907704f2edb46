//! The wire names of the settings a check judges.

use application::Setting;

/// The setting's name as the request bodies spell it.
pub fn setting(setting: Setting) -> &'static str {
    match setting {
        Setting::ChatwootUrl => "chatwootURL",
        Setting::AccessToken => "chatwootAccessToken",
        Setting::AccountId => "accountId",
        Setting::Inbox => "inbox",
        Setting::NameInbox => "nameInbox",
        Setting::StartConversationAs => "integrationOptions.startConversationAs",
        Setting::AutoCreate => "autoCreate",
    }
}
