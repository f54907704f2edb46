//! What a check found where Chatwoot's answer was expected, as data: the
//! adapters word it. Texts that come from outside (a transport's cause,
//! Chatwoot's own words, a Location) are kept as they were read.

/// Why no connection to Chatwoot was made, or no HTTP answer read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UnreachableReason {
    ConnectionRefused,
    ConnectionReset,
    ConnectionAborted,
    NetworkUnreachable,
    HostUnreachable,
    AddressNotAvailable,
    /// The name did not resolve.
    HostNotFound,
    /// The TLS handshake got an answer that is not TLS: plain HTTP on the
    /// port an `https://` URL names.
    TlsNotSpoken,
    /// The TLS library refused the server's certificate, for `cause`.
    Certificate {
        cause: String,
    },
    /// The connection closed while the answer was read.
    BrokeOff {
        cause: String,
    },
    /// What came back is not HTTP.
    NoHttpAnswer {
        cause: String,
    },
    /// Another reason the connection failed, as the transport gave it.
    Other {
        cause: String,
    },
}

/// What `GET /api` answered instead of JSON with a version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotChatwootAnswer {
    /// A status other than success; `reason` is its standard phrase, when
    /// it has one.
    Status {
        code: u16,
        reason: Option<&'static str>,
    },
    /// More than the checker reads of an answer.
    TooLarge {
        limit_bytes: usize,
    },
    Html,
    Empty,
    NotJson,
    NoVersion,
    NotAnObject,
}

/// A body Chatwoot does not send, where a successful answer was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyFound {
    /// More than the checker reads of an answer.
    TooLarge {
        limit_bytes: usize,
    },
    NotJson,
    ProfileWithoutAccounts,
    InboxNotAnObject,
    InboxListWithoutPayload,
    AgentBotWithoutId,
    InboxWithoutId,
    InboxIdNotPositive {
        id: i64,
    },
    InboxWithoutChannelType,
}

/// Where a redirect pointed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RedirectTo {
    /// The Location, made absolute, with any echoed token masked.
    Url(String),
    NoLocation,
    /// A Location that is not text.
    UnreadableLocation,
}

/// The role that is not an administrator's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RoleFound {
    /// As the profile named it in the account.
    Named(String),
    /// The profile named no role.
    NotGiven,
    /// The profile said administrator, then Chatwoot refused a change to an
    /// inbox: the role changed in between.
    RefusedInboxChange,
}

/// The kind of a non-public address, as the range it falls in names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddressKind {
    Unspecified,
    Private,
    CarrierGradeNat,
    Loopback,
    LinkLocal,
    Reserved,
    Documentation,
    Multicast,
    Broadcast,
    Nat64,
    Teredo,
    SixToFour,
}
