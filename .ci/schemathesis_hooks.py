"""Hooks of the contract fuzzing in .ci/run.

Refusals that come from the fuzzed service's configuration, not from the
API: .ci/run starts it without CHATWOOT_WEBHOOK_URL, so it refuses every
`autoCreate: true` with a 400 naming the setting, however valid the body.
The API tests run autoCreate against a Chatwoot double.

With CHATWOOT_DOUBLE_URL set (the pass with the Chatwoot check on), a
Set or PUT body's valid Chatwoot URL, access token, account and inbox are
replaced by those of the Chatwoot double the service checks against, so
that fuzzed bodies pass the check and reach the database instead of all
being refused for an unknown server. Only values the document already
accepts are replaced, by values it also accepts, so a body keeps whatever
made it valid or invalid."""

import os
import re
from urllib.parse import urlsplit

import schemathesis

NO_WEBHOOK_TEMPLATE = "autoCreate needs CHATWOOT_WEBHOOK_URL"

DOUBLE_URL = os.environ.get("CHATWOOT_DOUBLE_URL")
DOUBLE_TOKEN = os.environ.get("CHATWOOT_DOUBLE_TOKEN")
DOUBLE_ACCOUNT = int(os.environ.get("CHATWOOT_DOUBLE_ACCOUNT", "0"))
DOUBLE_INBOX = int(os.environ.get("CHATWOOT_DOUBLE_INBOX", "0"))

MAX_ID = 2**53 - 1
URL_START = re.compile(r"^[Hh][Tt][Tt][Pp][Ss]?://")
TOKEN = re.compile(
    "^[^\u0000-\u0020\u007f-\u00a0\u00ad\u1680\u2000-\u200f\u2028-\u202f"
    "\u205f-\u2064\u3000\ufeff]{1,512}$"
)
DIGITS = re.compile(r"^[0-9]+$")


@schemathesis.hook
def filter_failure(context, failure, case, response):
    """Keeps every failure but a 400 whose only message is that refusal."""
    if response.status_code != 400:
        return True
    try:
        messages = response.json()["message"]
    except Exception:
        return True
    return not (
        isinstance(messages, list)
        and len(messages) == 1
        and str(messages[0]).startswith(NO_WEBHOOK_TEMPLATE)
    )


def valid_url(value):
    if not isinstance(value, str) or len(value) > 2048 or not URL_START.match(value):
        return False
    if any(c.isspace() for c in value):
        return False
    try:
        return bool(urlsplit(value).hostname)
    except ValueError:
        return False


def valid_id(value):
    if isinstance(value, bool):
        return False
    # JSON has one kind of number: 12.0 is the integer 12.
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        return 1 <= value <= MAX_ID
    return isinstance(value, str) and bool(DIGITS.match(value)) and 1 <= int(value) <= MAX_ID


def valid_token(value):
    return isinstance(value, str) and bool(TOKEN.match(value))


@schemathesis.hook
def before_call(context, case, **kwargs):
    """Points a Set or PUT body's valid Chatwoot settings at the double."""
    if not DOUBLE_URL or not isinstance(case.body, dict):
        return
    if not case.path.endswith("/chatwoot-integration"):
        return
    body = case.body
    if valid_url(body.get("chatwootURL")):
        body["chatwootURL"] = DOUBLE_URL
    if valid_token(body.get("chatwootAccessToken")):
        body["chatwootAccessToken"] = DOUBLE_TOKEN
    if valid_id(body.get("accountId")):
        body["accountId"] = DOUBLE_ACCOUNT
    for key in ("inbox", "inboxId"):
        if valid_id(body.get(key)):
            body[key] = DOUBLE_INBOX
