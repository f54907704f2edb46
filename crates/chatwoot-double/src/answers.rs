//! The bodies Chatwoot sends, field for field where the gateway reads them.

use serde_json::{json, Value};
use wiremock::ResponseTemplate;

use crate::state::{AgentBot, Inbox, Role, State, User};

/// `GET /api` (`ApiController#index`).
pub(crate) fn api(version: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "version": version,
        "timestamp": "2026-11-25 12:00:00",
        "queue_services": "ok",
        "data_services": "ok"
    }))
}

/// `GET /api/v1/profile` (`api/v1/models/_user.json.jbuilder`).
pub(crate) fn profile(state: &State, user: &User) -> ResponseTemplate {
    let accounts: Vec<Value> = user
        .memberships
        .iter()
        .map(|(id, role)| {
            json!({
                "id": id,
                "name": state.account_name(*id),
                "status": state.account_status(*id),
                "active_at": null,
                "role": role.as_str(),
                "permissions": [role.as_str()],
                "availability": "online",
                "availability_status": "online",
                "auto_offline": true
            })
        })
        .collect();
    let first = user.memberships.first();
    ResponseTemplate::new(200).set_body_json(json!({
        "id": 1,
        "name": "Jane Agent",
        "display_name": "Jane",
        "email": "jane@example.com",
        "account_id": first.map(|(id, _)| *id),
        "role": first.map(|(_, role)| role.as_str()),
        "confirmed": true,
        "type": "User",
        "accounts": accounts
    }))
}

/// One inbox (`api/v1/models/_inbox.json.jbuilder`): the API channel's
/// block, `webhook_url` included, only for API inboxes; `hmac_token` only
/// for administrators, and from Chatwoot 4.13 (`signs`) `secret` too
/// (`json.secret resource.channel.try(:secret) if Current.account_user&.administrator?`).
pub(crate) fn inbox(inbox: &Inbox, role: Role, signs: bool) -> Value {
    let mut body = json!({
        "id": inbox.id,
        "avatar_url": "",
        "channel_id": inbox.id,
        "name": inbox.name,
        "channel_type": inbox.channel_type,
        "greeting_enabled": false,
        "greeting_message": null,
        "working_hours_enabled": false,
        "enable_email_collect": true,
        "csat_survey_enabled": false,
        "enable_auto_assignment": true,
        "out_of_office_message": null,
        "working_hours": [],
        "timezone": "UTC",
        "callback_webhook_url": null,
        "allow_messages_after_resolved": true,
        "lock_to_single_conversation": false,
        "sender_name_type": "friendly",
        "business_name": null,
        "widget_color": null,
        "website_url": null,
        "phone_number": null,
        "provider": null
    });
    if inbox.channel_type == crate::CHANNEL_API {
        if role == Role::Administrator {
            body["hmac_token"] = json!("hmac-token-of-the-inbox");
            if signs {
                body["secret"] = json!(inbox.secret);
            }
        }
        body["webhook_url"] = json!(inbox.webhook_url);
        body["inbox_identifier"] = json!(format!("identifier-{}", inbox.id));
        body["additional_attributes"] = json!({});
    }
    body
}

/// `GET /api/v1/accounts/{a}/inboxes/{i}/agent_bot`
/// (`app/views/api/v1/accounts/inboxes/agent_bot.json.jbuilder`): the bot
/// as `api/v1/models/_agent_bot.json.jbuilder` renders it for an agent, or
/// an empty `agent_bot` block without one.
pub(crate) fn agent_bot(bot: Option<&AgentBot>, account_id: i64) -> ResponseTemplate {
    let bot = match bot {
        Some(bot) => json!({
            "id": bot.id,
            "name": bot.name,
            "description": "Answers first",
            "thumbnail": "",
            "outgoing_url": "https://bot.example.com/chatwoot",
            "bot_type": "webhook",
            "bot_config": {},
            "account_id": account_id,
            "system_bot": false
        }),
        None => json!({}),
    };
    ResponseTemplate::new(200).set_body_json(json!({ "agent_bot": bot }))
}

/// rack-attack's throttled responder (`Rack::Attack::Configuration`'s
/// `DEFAULT_THROTTLED_RESPONDER`, `throttled_response_retry_after_header`
/// off by default), behind Chatwoot's `throttle('req/ip', ...)` in
/// `config/initializers/rack_attack.rb`: no `Retry-After`.
pub(crate) fn throttled() -> ResponseTemplate {
    ResponseTemplate::new(429).set_body_raw("Retry later\n", "text/plain")
}

/// `401` with Chatwoot's `{"error": ...}`.
pub(crate) fn unauthorized(message: &str) -> ResponseTemplate {
    ResponseTemplate::new(401).set_body_json(json!({ "error": message }))
}

/// Devise's answer when no token came at all.
pub(crate) fn sign_in() -> ResponseTemplate {
    ResponseTemplate::new(401).set_body_json(json!({
        "errors": ["You need to sign in or sign up before continuing."]
    }))
}

/// `ActiveRecord::RecordNotFound`.
pub(crate) fn not_found() -> ResponseTemplate {
    ResponseTemplate::new(404).set_body_json(json!({ "error": "Resource could not be found" }))
}

/// A path Rails has no route for: its static error page.
pub(crate) fn no_route() -> ResponseTemplate {
    ResponseTemplate::new(404).set_body_raw(
        "<!DOCTYPE html><html><body>The page you were looking for doesn't exist.</body></html>",
        "text/html",
    )
}

/// `ActiveRecord::RecordInvalid`.
pub(crate) fn record_invalid(messages: &[&str], attributes: &[&str]) -> ResponseTemplate {
    ResponseTemplate::new(422).set_body_json(json!({
        "message": messages.join(", "),
        "attributes": attributes
    }))
}
