"""Every answer a client gets, checked against the OpenAPI document: its
status is declared (or the operation has `default`), its body matches the
declared schema (JSON Schema 2020-12) and each required header is there
and matches."""

import json
import re
from typing import Any

import httpx
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

DOCUMENT = "urn:openapi"


def _token(key: str) -> str:
    """A JSON pointer token (RFC 6901)."""
    return key.replace("~", "~0").replace("/", "~1")


class Answers:
    def __init__(self, path: str) -> None:
        with open(path, encoding="utf-8") as file:
            self.document: dict[str, Any] = json.load(file)
        resource = Resource.from_contents(self.document, default_specification=DRAFT202012)
        self.registry: Registry[Any] = Registry().with_resource(DOCUMENT, resource)
        self.templates = [
            (re.compile("^" + re.sub(r"\{[^/]+\}", "[^/]+", template) + "$"), template)
            for template in self.document["paths"]
        ]
        self.checked = 0

    def validate(self, pointer: str, instance: object, where: str) -> None:
        validator = Draft202012Validator({"$ref": f"{DOCUMENT}#{pointer}"}, registry=self.registry)
        errors = [error.message for error in validator.iter_errors(instance)]
        if errors:
            raise SystemExit(f"{where}: {instance!r}: {'; '.join(errors)}")

    def check(self, response: httpx.Response) -> None:
        method = response.request.method.lower()
        path = response.request.url.path
        template = next((t for pattern, t in self.templates if pattern.match(path)), None)
        where = f"{method.upper()} {path} {response.status_code}"
        if template is None:
            raise SystemExit(f"{where}: the path is not in the document")
        responses = self.document["paths"][template][method]["responses"]
        status = str(response.status_code)
        if status not in responses:
            status = "default"
        if status not in responses:
            raise SystemExit(f"{where}: the status is not declared")
        declared = responses[status]
        pointer = f"/paths/{_token(template)}/{method}/responses/{status}"
        for name, header in declared.get("headers", {}).items():
            value = response.headers.get(name)
            if value is None:
                if header.get("required"):
                    raise SystemExit(f"{where}: no {name} header")
                continue
            self.validate(f"{pointer}/headers/{_token(name)}/schema", value, f"{where} {name}")
        content = declared.get("content", {})
        if not content:
            return
        kind = response.headers.get("content-type", "")
        if kind not in content:
            raise SystemExit(f"{where}: content type {kind} is not declared")
        response.read()
        self.validate(f"{pointer}/content/{_token(kind)}/schema", response.json(), where)
        self.checked += 1
