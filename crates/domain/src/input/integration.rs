//! The members of a Set or update body, as given, and the rules they must
//! follow. Set and update share one raw struct: they differ only in whether
//! the required fields must be present.

use serde_json::{Map, Value};

use super::convert;
use super::fields::{Entry, Members, Nullable};
use super::messages::Sentence;

pub(super) const ACCOUNT_ID: &str = "accountId";
pub(super) const ENABLED: &str = "enabled";
pub(super) const CHATWOOT_URL: &str = "chatwootURL";
pub(super) const CHATWOOT_ACCESS_TOKEN: &str = "chatwootAccessToken";
pub(super) const N8N_WEBHOOK: &str = "n8nWebhook";
pub(super) const INBOX: &str = "inbox";
pub(super) const INBOX_ID: &str = "inboxId";
pub(super) const INTEGRATION_OPTIONS: &str = "integrationOptions";
pub(super) const ENABLED_GROUP: &str = "integrationOptions.enabledGroup";
pub(super) const DISPLAY_ATTENDANT: &str = "integrationOptions.displayAttendant";
pub(super) const START_CONVERSATION_AS: &str = "integrationOptions.startConversationAs";

/// The contract's field table, the order in which messages are listed.
pub(super) const ORDER: &[&str] = &[
    ACCOUNT_ID,
    ENABLED,
    CHATWOOT_URL,
    CHATWOOT_ACCESS_TOKEN,
    N8N_WEBHOOK,
    INBOX,
    INBOX_ID,
    INTEGRATION_OPTIONS,
    ENABLED_GROUP,
    DISPLAY_ATTENDANT,
    START_CONVERSATION_AS,
    "integrationOptions.*",
    "*",
];

const INBOX_GIVEN_TWICE: &str = "inbox and inboxId must not both be given";

/// Which body is being read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Mode {
    /// The whole configuration: required fields must be there.
    Set,
    /// A partial update: any field may be left out.
    Patch,
}

// The fields carry the wire names, so garde's paths are already the
// messages' subjects (`integrationOptions.startConversationAs`): garde 0.23
// parses `rename` but does not apply it.
#[allow(non_snake_case)]
#[derive(Debug, garde::Validate)]
#[garde(context(Mode as mode))]
pub(super) struct RawIntegration<'a> {
    #[garde(
        if(cond = *mode == Mode::Set, required),
        inner(required, inner(custom(converts!(convert::account_id))))
    )]
    pub(super) accountId: Nullable<'a>,

    #[garde(inner(custom(converts!(convert::boolean))))]
    pub(super) enabled: Entry<'a>,

    #[garde(
        if(cond = *mode == Mode::Set, required),
        inner(required, inner(custom(converts!(convert::url))))
    )]
    pub(super) chatwootURL: Nullable<'a>,

    #[garde(
        if(cond = *mode == Mode::Set, required),
        inner(required, inner(custom(converts!(convert::access_token))))
    )]
    pub(super) chatwootAccessToken: Nullable<'a>,

    #[garde(inner(inner(custom(converts!(convert::url)))))]
    pub(super) n8nWebhook: Nullable<'a>,

    #[garde(inner(inner(custom(converts!(convert::inbox_id)))))]
    pub(super) inbox: Nullable<'a>,

    #[garde(inner(inner(custom(converts!(convert::inbox_id)))))]
    pub(super) inboxId: Nullable<'a>,

    #[garde(dive(()))]
    pub(super) integrationOptions: RawOptions<'a>,

    #[garde(skip)]
    pub(super) sentences: Vec<Sentence>,
}

/// The members of `integrationOptions`; all optional, none nullable. The
/// struct-level rule reports a value that is not an object under the path
/// of `integrationOptions` itself.
#[allow(non_snake_case)]
#[derive(Debug, Default, garde::Validate)]
#[garde(custom(|options: &Self, _: &()| options.given.map_or(Ok(()), |given| convert::object(given).map(drop))))]
pub(super) struct RawOptions<'a> {
    /// `null` counts as absent: the defaults in a Set, no change in an update.
    #[garde(skip)]
    given: Option<&'a Value>,

    #[garde(inner(custom(converts!(convert::boolean))))]
    pub(super) enabledGroup: Entry<'a>,

    #[garde(inner(custom(converts!(convert::boolean))))]
    pub(super) displayAttendant: Entry<'a>,

    #[garde(inner(custom(converts!(convert::start_conversation_as))))]
    pub(super) startConversationAs: Entry<'a>,

    #[garde(skip)]
    unknown: Vec<Sentence>,
}

impl<'a> RawIntegration<'a> {
    pub(super) fn read(object: &'a Map<String, Value>) -> Self {
        let mut members = Members::of(object);
        let inbox = members.nullable(INBOX);
        let inbox_id = members.nullable(INBOX_ID);
        let mut raw = Self {
            accountId: members.nullable(ACCOUNT_ID),
            enabled: members.entry(ENABLED),
            chatwootURL: members.nullable(CHATWOOT_URL),
            chatwootAccessToken: members.nullable(CHATWOOT_ACCESS_TOKEN),
            n8nWebhook: members.nullable(N8N_WEBHOOK),
            inbox,
            inboxId: inbox_id,
            integrationOptions: RawOptions::read(members.nullable(INTEGRATION_OPTIONS).flatten()),
            sentences: members.unknown(""),
        };
        // Even `"inbox": null` next to `"inboxId": 3` is two answers to one
        // question.
        if inbox.is_some() && inbox_id.is_some() {
            raw.sentences.push(Sentence {
                position: INBOX_ID.to_owned(),
                text: INBOX_GIVEN_TWICE.to_owned(),
            });
        }
        raw.sentences
            .append(&mut std::mem::take(&mut raw.integrationOptions.unknown));
        raw
    }

    /// The inbox under whichever name the client used, with that name.
    pub(super) fn inbox(&self) -> Option<(&'static str, Option<&'a Value>)> {
        match (self.inbox, self.inboxId) {
            (Some(inbox), _) => Some((INBOX, inbox)),
            (None, Some(inbox)) => Some((INBOX_ID, inbox)),
            (None, None) => None,
        }
    }
}

impl<'a> RawOptions<'a> {
    fn read(given: Option<&'a Value>) -> Self {
        let Some(object) = given.and_then(Value::as_object) else {
            return Self {
                given,
                ..Self::default()
            };
        };
        let mut members = Members::of(object);
        Self {
            given,
            enabledGroup: members.entry("enabledGroup"),
            displayAttendant: members.entry("displayAttendant"),
            startConversationAs: members.entry("startConversationAs"),
            unknown: members.unknown("integrationOptions."),
        }
    }
}
