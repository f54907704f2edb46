// The gateway's flow through a client generated from the document by
// openapi-typescript and openapi-fetch. It compiles under `tsc --strict`
// only if the document's types are as exact as a caller needs: the
// annotated reads below fail to compile if a member the service always
// sends were optional, or a value had another type.
import createClient from "openapi-fetch";
import type { components, paths } from "./schema.js";
import { Answers } from "./answers.js";

type Integration = components["schemas"]["IntegrationBody"];
type ErrorBody = components["schemas"]["ErrorBody"];
type StartConversationAs = components["schemas"]["StartConversationAs"];

const [baseUrl, adminToken, documentPath] = process.argv.slice(2);
if (baseUrl === undefined || adminToken === undefined || documentPath === undefined) {
  throw new Error("usage: flow.js BASE_URL ADMIN_TOKEN OPENAPI_JSON");
}

const answers = new Answers(documentPath);
const admin = createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${adminToken}` } });
admin.use(answers.middleware());

function fail(what: string, status: number, error: ErrorBody | undefined): never {
  throw new Error(`${what}: ${status} ${JSON.stringify(error)}`);
}

function expect(condition: boolean, what: string): void {
  if (!condition) throw new Error(`unexpected: ${what}`);
}

// An instance, and a client with its own token.
const created = await admin.POST("/api/v2/instance", {
  body: { name: `ts-client-${Date.now()}`, description: null },
});
if (created.data === undefined) fail("create the instance", created.response.status, created.error);
const instanceId: string = created.data.instanceId;
const description: string | null = created.data.description;
expect(description === null, "no description");
const gateway = createClient<paths>({ baseUrl, headers: { apikey: created.data.token } });
gateway.use(answers.middleware());
const path = { params: { path: { instanceId } } };

// Set, with `accountId` as a number, then as a string of digits.
const set = await gateway.POST("/api/v2/instance/{instanceId}/chatwoot-integration", {
  ...path,
  body: {
    accountId: 7,
    chatwootURL: "https://chat.example.com/",
    chatwootAccessToken: "user-token",
    inboxId: 3,
    integrationOptions: { startConversationAs: "pending" },
  },
});
if (set.data === undefined) fail("Set with a number", set.response.status, set.error);
expect(set.response.status === 201 && set.data.accountId === 7, "Set answers 201 and accountId 7");

const again = await gateway.POST("/api/v2/instance/{instanceId}/chatwoot-integration", {
  ...path,
  body: { accountId: "12", chatwootURL: "https://chat.example.com", chatwootAccessToken: "user-token" },
});
if (again.data === undefined) fail("Set with a string", again.response.status, again.error);
const accountId: number = again.data.accountId;
const inboxId: number | null = again.data.inboxId;
const n8nWebhook: string | null = again.data.n8nWebhook;
const query: string | null = again.data.query;
expect(accountId === 12 && inboxId === null && n8nWebhook === null && query === null, "a Set starts from the defaults");

// GET, then PUT of one option: the rest keeps its value.
const got = await gateway.GET("/api/v2/instance/{instanceId}/chatwoot-integration", path);
if (got.data === undefined) fail("GET", got.response.status, got.error);
const read: Integration = got.data;
const deletedAt: string | null = read.deletedAt;
expect(deletedAt === null && read.startConversationAs === "open", "the defaults are stored");

const pending: StartConversationAs = "pending";
const updated = await gateway.PUT("/api/v2/instance/{instanceId}/chatwoot-integration", {
  ...path,
  body: { integrationOptions: { startConversationAs: pending } },
});
if (updated.data === undefined) fail("PUT", updated.response.status, updated.error);
expect(updated.data.startConversationAs === pending && updated.data.accountId === 12, "PUT changes one option");

// The status: checking is off in CI (CHATWOOT_VERIFY=false), so every
// `ok` and `healthy` is null, and every member is there.
const status = await gateway.GET("/api/v2/instance/{instanceId}/chatwoot-integration/status", path);
if (status.data === undefined) fail("status", status.response.status, status.error);
const healthy: boolean | null = status.data.healthy;
const version: string | null = status.data.chatwootVersion;
for (const check of status.data.checks) {
  const ok: boolean | null = check.ok;
  const message: string | null = check.message;
  expect(ok === null && message === null, `check ${check.name} not run`);
}
expect(healthy === null && version === null && status.data.checks.length === 9, "nine checks, none run");

// A 400 is the typed error body, every violation listed.
const refused = await gateway.POST("/api/v2/instance/{instanceId}/chatwoot-integration", {
  ...path,
  body: { accountId: "0", chatwootURL: "ftp://chat.example.com", chatwootAccessToken: "user-token" },
});
if (refused.error === undefined) throw new Error("an invalid Set was accepted");
const messages: string[] = refused.error.message;
const statusCode: number = refused.error.statusCode;
expect(refused.response.status === 400 && statusCode === 400 && messages.length === 2, `two violations: ${messages.join("; ")}`);

// DELETE: the integration as it was, with deletedAt set; then the instance.
const deleted = await gateway.DELETE("/api/v2/instance/{instanceId}/chatwoot-integration", path);
if (deleted.data === undefined) fail("DELETE", deleted.response.status, deleted.error);
expect(typeof deleted.data.deletedAt === "string", "deletedAt is set");
const gone = await admin.DELETE("/api/v2/instance/{instanceId}", path);
if (gone.data === undefined) fail("delete the instance", gone.response.status, gone.error);

console.log(`TypeScript client: the flow passed, ${answers.checked} answers matched the document`);
