//! The routes the gateway calls, with Chatwoot's order of checks:
//! authentication, the account, the record, then the policy.

use std::sync::{Arc, Mutex};

use serde_json::{json, Value};
use wiremock::{Request, Respond, ResponseTemplate};

use crate::answers;
use crate::state::{Inbox, Role, State, User};

const TOKEN_HEADER: &str = "api_access_token";
const NOT_AUTHORIZED: &str = "You are not authorized to do this action";
/// `errors.inboxes.validations.name`, for API and web widget inboxes.
const NAME_RULE: &str =
    "Name should not start or end with symbols, and it should not have < > / \\\\ @ characters.";

pub(crate) struct Chatwoot(pub(crate) Arc<Mutex<State>>);

impl Respond for Chatwoot {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let mut state = crate::lock(&self.0);
        // Rack middleware, ahead of every route.
        if state.take_throttled() {
            return answers::throttled();
        }
        let Some(rest) = request.url.path().strip_prefix(state.prefix.as_str()) else {
            return answers::no_route();
        };
        let segments: Vec<&str> = rest.split('/').skip(1).collect();
        let method = request.method.as_str();
        match (method, segments.as_slice()) {
            ("GET", ["api"]) => answers::api(&state.version),
            (_, ["api", "v1", route @ ..]) => {
                let user = match authenticate(&state, request) {
                    Ok(user) => user,
                    Err(refusal) => return refusal.answer(),
                };
                match (method, route) {
                    ("GET", ["profile"]) => answers::profile(&state, &user),
                    (_, ["accounts", account, inboxes @ ..]) => {
                        let Ok(account_id) = account.parse::<i64>() else {
                            return answers::not_found();
                        };
                        // EnsureCurrentAccountHelper#ensure_current_account:
                        // a suspended account first, whoever asks.
                        if state.account_status(account_id) == "suspended" {
                            return answers::unauthorized("Account is suspended");
                        }
                        let Some(role) = user.role_in(account_id) else {
                            return answers::unauthorized(
                                "You are not authorized to access this account",
                            );
                        };
                        let caller = Caller {
                            token: &user.token,
                            role,
                            account_id,
                            signs: state.signs(),
                        };
                        caller.inboxes(&mut state, method, inboxes, request)
                    }
                    _ => answers::no_route(),
                }
            }
            _ => answers::no_route(),
        }
    }
}

/// Why Chatwoot refuses a caller before any route runs.
enum Unauthenticated {
    /// Devise found no token at all.
    NoToken,
    InvalidToken,
    Bot,
}

impl Unauthenticated {
    fn answer(self) -> ResponseTemplate {
        match self {
            Self::NoToken => answers::sign_in(),
            Self::InvalidToken => answers::unauthorized("Invalid Access Token"),
            Self::Bot => {
                answers::unauthorized("Access to this endpoint is not authorized for bots")
            }
        }
    }
}

fn authenticate(state: &State, request: &Request) -> Result<User, Unauthenticated> {
    let Some(token) = request.headers.get(TOKEN_HEADER) else {
        return Err(Unauthenticated::NoToken);
    };
    let token = token.to_str().unwrap_or_default();
    match state.users.iter().find(|user| user.token == token) {
        None => Err(Unauthenticated::InvalidToken),
        Some(user) if user.bot => Err(Unauthenticated::Bot),
        Some(user) => Ok(user.clone()),
    }
}

/// A user acting in one of their accounts.
struct Caller<'a> {
    token: &'a str,
    role: Role,
    account_id: i64,
    /// Chatwoot 4.13 or later: API inboxes have a signing secret.
    signs: bool,
}

impl Caller<'_> {
    fn inboxes(
        &self,
        state: &mut State,
        method: &str,
        route: &[&str],
        request: &Request,
    ) -> ResponseTemplate {
        match (method, route) {
            ("GET", ["inboxes"]) => self.list(state),
            ("POST", ["inboxes"]) => self.create(state, request),
            // InboxPolicy#agent_bot?: any user of the account, assigned or not.
            ("GET", ["inboxes", id, "agent_bot"]) => {
                match id.parse::<i64>().ok().and_then(|id| state.inbox_mut(id)) {
                    Some(inbox) if inbox.account_id == self.account_id => {
                        let inbox_id = inbox.id;
                        answers::agent_bot(state.agent_bot(inbox_id), self.account_id)
                    }
                    _ => answers::not_found(),
                }
            }
            (_, ["inboxes", id]) => {
                let Some(inbox) = id
                    .parse::<i64>()
                    .ok()
                    .and_then(|id| state.inbox_mut(id))
                    .filter(|inbox| inbox.account_id == self.account_id)
                else {
                    return answers::not_found();
                };
                // InboxPolicy#show?: administrators see every inbox of the
                // account, agents the ones they are assigned to.
                if !self.sees(inbox) {
                    return answers::unauthorized(NOT_AUTHORIZED);
                }
                match method {
                    "GET" => ResponseTemplate::new(200)
                        .set_body_json(answers::inbox(inbox, self.role, self.signs)),
                    "PATCH" | "PUT" => self.update(inbox, request),
                    _ => answers::no_route(),
                }
            }
            _ => answers::no_route(),
        }
    }

    fn sees(&self, inbox: &Inbox) -> bool {
        self.role == Role::Administrator || inbox.members.iter().any(|m| m == self.token)
    }

    /// `index`: `policy_scope`, ordered by name, under `payload`.
    fn list(&self, state: &State) -> ResponseTemplate {
        let mut inboxes: Vec<&Inbox> = state
            .inboxes
            .iter()
            .filter(|inbox| inbox.account_id == self.account_id && self.sees(inbox))
            .collect();
        inboxes.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
        let payload: Vec<Value> = inboxes
            .into_iter()
            .map(|inbox| answers::inbox(inbox, self.role, self.signs))
            .collect();
        ResponseTemplate::new(200).set_body_json(json!({ "payload": payload }))
    }

    /// `create`: administrators only; the channel from `channel.type`.
    fn create(&self, state: &mut State, request: &Request) -> ResponseTemplate {
        if self.role != Role::Administrator {
            return answers::unauthorized(NOT_AUTHORIZED);
        }
        let body: Value = request.body_json().unwrap_or(Value::Null);
        let name = body["name"].as_str().unwrap_or_default().to_owned();
        let channel = &body["channel"];
        let channel_type = match channel["type"].as_str() {
            Some("api") => crate::CHANNEL_API,
            Some("web_widget") => crate::CHANNEL_WEB_WIDGET,
            _ => return answers::record_invalid(&["Channel must exist"], &["channel"]),
        };
        if name.trim().is_empty() {
            return answers::record_invalid(&["Name can't be blank"], &["name"]);
        }
        if !follows_name_rule(&name) {
            return answers::record_invalid(&[NAME_RULE], &["name"]);
        }
        let inbox = Inbox {
            webhook_url: channel["webhook_url"].as_str().map(str::to_owned),
            ..Inbox::of_type(state.next_inbox_id(), self.account_id, &name, channel_type)
        };
        let answer = answers::inbox(&inbox, self.role, self.signs);
        state.inboxes.push(inbox);
        ResponseTemplate::new(200).set_body_json(answer)
    }

    /// `update`: administrators only; an API channel takes `webhook_url`.
    fn update(&self, inbox: &mut Inbox, request: &Request) -> ResponseTemplate {
        if self.role != Role::Administrator {
            return answers::unauthorized(NOT_AUTHORIZED);
        }
        let body: Value = request.body_json().unwrap_or(Value::Null);
        if let Some(name) = body["name"].as_str() {
            inbox.name = name.to_owned();
        }
        if inbox.channel_type == crate::CHANNEL_API {
            match &body["channel"]["webhook_url"] {
                Value::String(url) => inbox.webhook_url = Some(url.clone()),
                Value::Null if body["channel"].get("webhook_url").is_some() => {
                    inbox.webhook_url = None
                }
                _ => {}
            }
        }
        ResponseTemplate::new(200).set_body_json(answers::inbox(inbox, self.role, self.signs))
    }
}

/// `^\b[^/\\<>@]*\b$`: starts and ends with a word character, none of
/// `/ \ < > @` inside.
fn follows_name_rule(name: &str) -> bool {
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    name.chars().next().is_some_and(word)
        && name.chars().last().is_some_and(word)
        && !name.contains(['/', '\\', '<', '>', '@'])
}
