//! The 409 of a second live integration on one Chatwoot inbox.

use application::InboxInUse;

/// The refusal; the holder is named only when `name_holder` (the caller is
/// the admin, who may see every instance).
pub fn inbox_in_use(in_use: &InboxInUse, name_holder: bool) -> String {
    let holder = match in_use.holder {
        Some(id) if name_holder => format!(" ({id})"),
        _ => String::new(),
    };
    let (inbox, way_out) = match &in_use.found_by_name {
        Some(name) => (
            format!("inbox {} (named \"{name}\")", in_use.inbox_id),
            "choose another nameInbox",
        ),
        None => (
            format!("inbox {}", in_use.inbox_id),
            "give this one an inbox of its own (or autoCreate)",
        ),
    };
    format!(
        "{inbox} of Chatwoot account {} at {} is used by the integration of another instance{holder}: an inbox serves one instance, so {way_out}, or delete the other integration first",
        in_use.account_id, in_use.chatwoot_url
    )
}
