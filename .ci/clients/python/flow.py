"""The gateway's flow through a client generated from the document by
openapi-python-client. It passes `mypy --strict` only if the document's
types are as exact as a caller needs: the annotated reads below fail to
type-check if a member the service always sends were optional (`Unset`),
or a value had another type. Every answer is checked against the document
as it arrives (`answers.py`).

usage: flow.py BASE_URL ADMIN_TOKEN OPENAPI_JSON
"""

import datetime
import sys
import time
from uuid import UUID

from answers import Answers
from chatwoot_integration_client import AuthenticatedClient
from chatwoot_integration_client.api.chatwoot_integration import (
    delete_integration,
    get_integration,
    integration_status,
    set_integration,
    update_integration,
)
from chatwoot_integration_client.api.instances import create_instance, delete_instance
from chatwoot_integration_client.models import (
    CreatedInstanceBody,
    CreateInstanceRequest,
    ErrorBody,
    InstanceBody,
    IntegrationBody,
    IntegrationOptionsRequest,
    IntegrationOptionsUpdateRequest,
    IntegrationStatusBody,
    SetIntegrationRequest,
    StartConversationAs,
    UpdateIntegrationRequest,
)


def expect(condition: bool, what: str) -> None:
    if not condition:
        raise SystemExit(f"unexpected: {what}")


def set_by_user(account_id: str, chatwoot_url: str) -> SetIntegrationRequest:
    """A Set of `accountId` as a string of digits, with a user's token."""
    return SetIntegrationRequest(
        account_id=account_id, chatwoot_url=chatwoot_url, chatwoot_access_token="user-token"
    )


def main(base_url: str, admin_token: str, document: str) -> None:
    answers = Answers(document)
    hooks = {"event_hooks": {"response": [answers.check]}}
    admin = AuthenticatedClient(base_url=base_url, token=admin_token, httpx_args=hooks)

    # An instance, and a client with its own token.
    created = create_instance.sync_detailed(
        client=admin,
        body=CreateInstanceRequest(name=f"py-client-{time.time_ns()}", description=None),
    )
    instance = created.parsed
    if not isinstance(instance, CreatedInstanceBody):
        raise SystemExit(f"create the instance: {created.status_code} {created.content!r}")
    description: str | None = instance.description
    expect(description is None, "no description")
    instance_id: UUID = instance.instance_id
    gateway = AuthenticatedClient(
        base_url=base_url,
        token=instance.token,
        prefix="",
        auth_header_name="apikey",
        httpx_args=hooks,
    )

    # Set, with `accountId` as a number, then as a string of digits.
    first = set_integration.sync(
        instance_id,
        client=gateway,
        body=SetIntegrationRequest(
            account_id=7,
            chatwoot_url="https://chat.example.com/",
            chatwoot_access_token="user-token",
            inbox_id=3,
            integration_options=IntegrationOptionsRequest(
                start_conversation_as=StartConversationAs.PENDING
            ),
        ),
    )
    if not isinstance(first, IntegrationBody):
        raise SystemExit(f"Set with a number: {first!r}")
    expect(first.account_id == 7 and first.inbox_id == 3, "Set stores accountId 7 and inbox 3")

    again = set_integration.sync(
        instance_id, client=gateway, body=set_by_user("12", "https://chat.example.com")
    )
    if not isinstance(again, IntegrationBody):
        raise SystemExit(f"Set with a string: {again!r}")
    account_id: int = again.account_id
    inbox_id: int | None = again.inbox_id
    n8n_webhook: str | None = again.n_8_n_webhook
    query: str | None = again.query
    expect(
        account_id == 12 and inbox_id is None and n8n_webhook is None and query is None,
        "a Set starts from the defaults",
    )

    # GET, then PUT of one option: the rest keeps its value.
    read = get_integration.sync(instance_id, client=gateway)
    if not isinstance(read, IntegrationBody):
        raise SystemExit(f"GET: {read!r}")
    deleted_at: datetime.datetime | None = read.deleted_at
    start: StartConversationAs = read.start_conversation_as
    expect(deleted_at is None and start == StartConversationAs.OPEN, "the defaults are stored")

    updated = update_integration.sync(
        instance_id,
        client=gateway,
        body=UpdateIntegrationRequest(
            integration_options=IntegrationOptionsUpdateRequest(
                start_conversation_as=StartConversationAs.PENDING
            )
        ),
    )
    if not isinstance(updated, IntegrationBody):
        raise SystemExit(f"PUT: {updated!r}")
    expect(
        updated.start_conversation_as == StartConversationAs.PENDING
        and updated.display_attendant
        and updated.account_id == 12,
        "PUT changes one option",
    )

    # The status: checking is off in CI (CHATWOOT_VERIFY=false), so every
    # `ok` and `healthy` is None, and every member is there.
    status = integration_status.sync(instance_id, client=gateway)
    if not isinstance(status, IntegrationStatusBody):
        raise SystemExit(f"status: {status!r}")
    healthy: bool | None = status.healthy
    version: str | None = status.chatwoot_version
    for check in status.checks:
        ok: bool | None = check.ok
        message: str | None = check.message
        expect(ok is None and message is None, f"check {check.name} not run")
    expect(healthy is None and version is None and len(status.checks) == 9, "nine checks, none run")

    # A 400 is the typed error body, every violation listed.
    refused = set_integration.sync_detailed(
        instance_id, client=gateway, body=set_by_user("0", "ftp://chat.example.com")
    )
    error = refused.parsed
    if not isinstance(error, ErrorBody):
        raise SystemExit(f"an invalid Set was accepted: {refused.status_code}")
    messages: list[str] = error.message
    status_code: int = error.status_code
    expect(
        refused.status_code == 400 and status_code == 400 and len(messages) == 2,
        f"two violations: {messages}",
    )

    # DELETE: the integration as it was, with deletedAt set; then the instance.
    deleted = delete_integration.sync(instance_id, client=gateway)
    if not isinstance(deleted, IntegrationBody):
        raise SystemExit(f"DELETE: {deleted!r}")
    expect(deleted.deleted_at is not None, "deletedAt is set")
    gone = delete_instance.sync(instance_id, client=admin)
    expect(isinstance(gone, InstanceBody), "the instance is deleted")

    print(f"Python client: the flow passed, {answers.checked} answers matched the document")


if __name__ == "__main__":
    if len(sys.argv) != 4:
        raise SystemExit(__doc__)
    main(sys.argv[1], sys.argv[2], sys.argv[3])
