//! What a check found where Chatwoot's answer was expected, worded to fit
//! into the message of its failure.

use application::{
    AddressKind, BodyFound, NotChatwootAnswer, RedirectTo, RoleFound, UnreachableReason,
};

/// Why Chatwoot is unreachable, in the words an operator would search for.
pub fn unreachable(reason: &UnreachableReason) -> String {
    use UnreachableReason as Reason;
    let known = match reason {
        Reason::ConnectionRefused => "connection refused",
        Reason::ConnectionReset => "connection reset",
        Reason::ConnectionAborted => "connection aborted",
        Reason::NetworkUnreachable => "network unreachable",
        Reason::HostUnreachable => "host unreachable",
        Reason::AddressNotAvailable => "address not available",
        Reason::HostNotFound => "host not found",
        Reason::TlsNotSpoken => {
            "TLS handshake failed: the server does not speak https on this port (http:// may be meant)"
        }
        Reason::Certificate { cause } => return format!("TLS certificate not accepted: {cause}"),
        Reason::BrokeOff { cause } => return format!("the answer broke off: {cause}"),
        Reason::NoHttpAnswer { cause } => return format!("no valid HTTP answer: {cause}"),
        Reason::Other { cause } => return cause.clone(),
    };
    known.to_owned()
}

/// What `GET /api` answered, to follow "GET /api ".
pub fn not_chatwoot(found: &NotChatwootAnswer) -> String {
    let what = match found {
        NotChatwootAnswer::Status { code, reason } => match reason {
            Some(reason) => format!("HTTP {code} {reason}"),
            None => format!("HTTP {code}"),
        },
        NotChatwootAnswer::TooLarge { limit_bytes } => format!("more than {}", size(*limit_bytes)),
        NotChatwootAnswer::Html => "an HTML page".to_owned(),
        NotChatwootAnswer::Empty => "an empty body".to_owned(),
        NotChatwootAnswer::NotJson => "something that is not JSON".to_owned(),
        NotChatwootAnswer::NoVersion => "JSON without a version".to_owned(),
        NotChatwootAnswer::NotAnObject => "JSON that is not an object".to_owned(),
    };
    format!("answered {what}")
}

/// A body Chatwoot does not send, to follow "answered GET /path with ".
pub fn body(found: &BodyFound) -> String {
    let shape = match found {
        BodyFound::TooLarge { limit_bytes } => return format!("more than {}", size(*limit_bytes)),
        BodyFound::InboxIdNotPositive { id } => {
            return format!("an inbox id {id}, which is not positive")
        }
        BodyFound::NotJson => "a body that is not JSON",
        BodyFound::ProfileWithoutAccounts => "a profile without a list of accounts",
        BodyFound::InboxNotAnObject => "an inbox that is not an object",
        BodyFound::InboxListWithoutPayload => "a list of inboxes without a payload",
        BodyFound::AgentBotWithoutId => "an agent_bot that is not an object with a numeric id",
        BodyFound::InboxWithoutId => "an inbox without an id",
        BodyFound::InboxWithoutChannelType => "an inbox without a channel_type",
    };
    shape.to_owned()
}

/// Where a redirect pointed, to follow "a redirect to ".
pub fn redirect_to(to: &RedirectTo) -> &str {
    match to {
        RedirectTo::Url(url) => url,
        RedirectTo::NoLocation => "nowhere (the answer has no Location header)",
        RedirectTo::UnreadableLocation => "an unreadable Location",
    }
}

/// The role that is not an administrator's, to follow "has the role ".
pub fn role(role: &RoleFound) -> &str {
    match role {
        RoleFound::Named(role) => role,
        RoleFound::NotGiven => NO_ROLE,
        RoleFound::RefusedInboxChange => "not allowed to change inboxes",
    }
}

/// The kind of a non-public address, to follow "a " and precede
/// " address".
pub fn address_kind(kind: AddressKind) -> &'static str {
    match kind {
        AddressKind::Unspecified => "unspecified",
        AddressKind::Private => "private",
        AddressKind::CarrierGradeNat => "carrier-grade NAT",
        AddressKind::Loopback => "loopback",
        AddressKind::LinkLocal => "link-local",
        AddressKind::Reserved => "reserved",
        AddressKind::Documentation => "documentation",
        AddressKind::Multicast => "multicast",
        AddressKind::Broadcast => "broadcast",
        AddressKind::Nat64 => "NAT64",
        AddressKind::Teredo => "Teredo",
        AddressKind::SixToFour => "6to4",
    }
}

/// What stands for a role Chatwoot did not name.
pub const NO_ROLE: &str = "(none given)";

/// `1 MiB`, `64 KiB` or `1000 bytes`: a size as a user would write it.
pub fn size(bytes: usize) -> String {
    match bytes {
        mib if mib >= 1 << 20 && mib.is_multiple_of(1 << 20) => format!("{} MiB", mib >> 20),
        kib if kib >= 1 << 10 && kib.is_multiple_of(1 << 10) => format!("{} KiB", kib >> 10),
        bytes => format!("{bytes} bytes"),
    }
}
