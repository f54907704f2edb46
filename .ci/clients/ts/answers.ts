// Every answer the flow gets, checked against the OpenAPI document: its
// status is declared (or the operation has `default`), its body matches
// the declared schema and each required header is there and matches.
import { readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import type { Middleware } from "openapi-fetch";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

function object(value: Json | undefined, what: string): JsonObject {
  if (value === null || value === undefined || typeof value !== "object" || Array.isArray(value)) {
    throw new Error(`${what} is not an object in the document`);
  }
  return value;
}

// A JSON pointer token (RFC 6901).
const token = (key: string): string => key.replaceAll("~", "~0").replaceAll("/", "~1");

export class Answers {
  private readonly ajv: Ajv2020;
  private readonly document: JsonObject;
  checked = 0;

  constructor(documentPath: string) {
    this.document = object(JSON.parse(readFileSync(documentPath, "utf8")) as Json, "the document");
    // `example` is an OpenAPI keyword, unknown to JSON Schema: not strict.
    this.ajv = new Ajv2020({ strict: false, allErrors: true });
    this.ajv.addFormat("int32", { type: "number", validate: (n: number) => n === (n | 0) });
    this.ajv.addFormat("int64", { type: "number", validate: Number.isSafeInteger });
    this.ajv.addFormat("uuid", /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
    this.ajv.addFormat("date-time", (s: string) =>
      /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i.test(s) && !Number.isNaN(Date.parse(s)),
    );
    this.ajv.addFormat("uri", (s: string) => URL.canParse(s));
    this.ajv.addSchema(this.document, "document");
  }

  async check(method: string, schemaPath: string, response: Response): Promise<void> {
    const where = `${method} ${schemaPath} ${response.status}`;
    const operation = object(object(object(this.document["paths"], "paths")[schemaPath], schemaPath)[method.toLowerCase()], where);
    const responses = object(operation["responses"], `${where} responses`);
    const status = String(response.status) in responses ? String(response.status) : "default";
    const declared = object(responses[status], `${where}: the status is not declared`);
    const pointer = `document#/paths/${token(schemaPath)}/${method.toLowerCase()}/responses/${status}`;

    const headers = object(declared["headers"] ?? {}, `${where} headers`);
    for (const [name, header] of Object.entries(headers)) {
      const value = response.headers.get(name);
      if (value === null) {
        if (object(header, name)["required"] === true) throw new Error(`${where}: no ${name} header`);
        continue;
      }
      const valid = this.ajv.validate({ $ref: `${pointer}/headers/${token(name)}/schema` }, value);
      if (!valid) throw new Error(`${where}: header ${name}: ${this.ajv.errorsText()}`);
    }

    const content = object(declared["content"] ?? {}, `${where} content`);
    if (Object.keys(content).length === 0) return;
    const type = response.headers.get("content-type") ?? "";
    if (!(type in content)) throw new Error(`${where}: content type ${type} is not declared`);
    const body = (await response.clone().json()) as Json;
    const valid = this.ajv.validate({ $ref: `${pointer}/content/${token(type)}/schema` }, body);
    if (!valid) throw new Error(`${where}: body ${JSON.stringify(body)}: ${this.ajv.errorsText()}`);
    this.checked += 1;
  }

  // An openapi-fetch middleware that checks every answer as it arrives.
  middleware(): Middleware {
    return {
      onResponse: async ({ request, schemaPath, response }) => {
        await this.check(request.method, schemaPath, response);
      },
    };
  }
}
