//! The OpenAPI 3 document of every route, generated from the handlers'
//! `#[utoipa::path]` attributes and the wire types, so that it cannot drift
//! from the code. The API tests check it against the router (every
//! documented route answers, every resource's `Allow` lists exactly its
//! documented methods), and CI fuzzes the running service against it.

mod answers;
pub mod bodies;
mod finish;
pub mod responses;
pub(crate) mod schemas;

use std::sync::LazyLock;

use actix_web::HttpResponse;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};

use answers::EveryRoute;

use crate::dto::{
    CheckBody, CreatedInstanceBody, InstanceBody, IntegrationBody, IntegrationStatusBody,
    StartConversationAsBody, StatusBody, TokenBody, WebhookSecretBody,
};
use crate::error::ErrorBody;
use crate::request::{
    CreateInstanceRequest, IntegrationOptionsRequest, IntegrationOptionsUpdateRequest,
    SetIntegrationRequest, UpdateIntegrationRequest,
};
use crate::routes::{health, instances, integration, signing_secret};

/// Where the document is served.
pub const PATH: &str = "/api/v2/openapi.json";

/// The names of the two security schemes, as the operations refer to them.
pub const BEARER: &str = "bearer";
pub const APIKEY: &str = "apikey";

#[derive(OpenApi)]
#[openapi(
    info(
        title = "chatwoot-integration",
        description = "Stores, for each instance of a WhatsApp gateway, the settings of its \
            Chatwoot integration, checked with the Chatwoot server before they are saved. \
            Every non-2xx answer has the shape of `ErrorBody`, and every answer carries \
            `X-Request-Id`."
    ),
    // Relative: the service that serves this document, wherever it runs.
    servers((url = "/", description = "The service that serves this document")),
    paths(
        instances::create,
        instances::list,
        instances::get,
        instances::delete,
        instances::rotate_token,
        integration::set,
        integration::get,
        integration::update,
        integration::delete,
        integration::status,
        signing_secret::get,
        health::live,
        health::ready,
        serve,
    ),
    components(schemas(
        ErrorBody,
        IntegrationBody,
        StartConversationAsBody,
        InstanceBody,
        CreatedInstanceBody,
        TokenBody,
        StatusBody,
        IntegrationStatusBody,
        CheckBody,
        WebhookSecretBody,
        SetIntegrationRequest,
        UpdateIntegrationRequest,
        IntegrationOptionsRequest,
        IntegrationOptionsUpdateRequest,
        CreateInstanceRequest,
        OpenApiDocument,
    )),
    modifiers(&Tokens, &RequestRules, &EveryRoute),
    tags(
        (name = "instances", description = "Gateway instances and their tokens (admin)"),
        (name = "chatwoot-integration", description = "Set Integration and the read, update and delete around it"),
        (name = "operations", description = "Health and this document"),
    )
)]
pub struct ApiDoc;

/// The two ways to present a token, declared once and required on every
/// operation that can answer 401 (each lists
/// [`responses::AuthenticatedRoute`]), so no route states it again. Every
/// other operation is public, and says so with an empty `security`.
struct Tokens;

impl Modify for Tokens {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::SecurityRequirement;

        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            BEARER,
            SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
        );
        components.add_security_scheme(
            APIKEY,
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "apikey",
                "The same token as in `Authorization: Bearer`, common among WhatsApp gateways",
            ))),
        );
        for operation in operations(openapi) {
            operation.security = Some(if operation.responses.responses.contains_key("401") {
                vec![
                    SecurityRequirement::new::<_, _, &str>(BEARER, []),
                    SecurityRequirement::new::<_, _, &str>(APIKEY, []),
                ]
            } else {
                Vec::new()
            });
        }
    }
}

/// Every operation of the document, for the modifiers that apply to all.
fn operations(
    openapi: &mut utoipa::openapi::OpenApi,
) -> impl Iterator<Item = &mut utoipa::openapi::path::Operation> {
    openapi.paths.paths.values_mut().flat_map(|item| {
        [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.options,
            &mut item.head,
            &mut item.patch,
            &mut item.trace,
        ]
        .into_iter()
        .flatten()
    })
}

/// What the request types' attributes cannot say:
/// - no member beyond the listed ones (`additionalProperties: false`): the
///   types take every other member in, to name each one in a 400 (serde's
///   `deny_unknown_fields` would stop at the first), so utoipa cannot see
///   that they refuse them;
/// - `inbox` and `inboxId` name one field, and giving both is refused. The
///   rule is `not: {required: [inbox, inboxId]}`; utoipa's schema model has
///   no `not`, but JSON Schema 2020-12 (OpenAPI 3.1) does, so it is added
///   as a raw member. Without it a generator of valid bodies would send
///   both;
/// - `autoCreate: true` goes with neither an inbox nor `enabled: false`
///   (`if`/`then`, raw members too). Whether the service can `autoCreate`
///   at all (`CHATWOOT_WEBHOOK_URL`) is its configuration, which no
///   schema of a body can say.
struct RequestRules;

impl Modify for RequestRules {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::schema::AdditionalProperties;
        use utoipa::openapi::{RefOr, Schema};
        use utoipa::ToSchema;

        let Some(components) = openapi.components.as_mut() else {
            return;
        };
        let integration = [
            SetIntegrationRequest::name(),
            UpdateIntegrationRequest::name(),
        ];
        let others = [
            IntegrationOptionsRequest::name(),
            IntegrationOptionsUpdateRequest::name(),
            CreateInstanceRequest::name(),
        ];
        for name in integration.iter().chain(&others) {
            let Some(RefOr::T(Schema::Object(object))) = components.schemas.get_mut(&**name) else {
                continue;
            };
            object.additional_properties = Some(Box::new(AdditionalProperties::FreeForm(false)));
            if integration.contains(name) {
                object
                    .extensions
                    .get_or_insert_with(Default::default)
                    .insert(
                        "not".to_owned(),
                        serde_json::json!({ "required": ["inbox", "inboxId"] }),
                    );
            }
            if **name == *SetIntegrationRequest::name() {
                let extensions = object.extensions.get_or_insert_with(Default::default);
                extensions.insert(
                    "if".to_owned(),
                    serde_json::json!({
                        "properties": { "autoCreate": { "const": true } },
                        "required": ["autoCreate"]
                    }),
                );
                extensions.insert(
                    "then".to_owned(),
                    serde_json::json!({
                        "properties": {
                            "inbox": { "type": "null" },
                            "inboxId": { "type": "null" },
                            "enabled": { "const": true }
                        }
                    }),
                );
            }
        }
    }
}

/// Built once: the document never changes while the process runs.
static DOCUMENT: LazyLock<serde_json::Value> = LazyLock::new(|| {
    let mut document =
        serde_json::to_value(ApiDoc::openapi()).expect("the OpenAPI document serializes");
    finish::finish(&mut document);
    document
});

/// The document, as served.
pub fn document() -> &'static serde_json::Value {
    &DOCUMENT
}

/// The schema of this document as served: an OpenAPI 3.1 document, of
/// which only the members every one has are named.
pub struct OpenApiDocument;

impl utoipa::PartialSchema for OpenApiDocument {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::Schema> {
        schemas::openapi_document().into()
    }
}

impl utoipa::ToSchema for OpenApiDocument {}

/// This document.
#[utoipa::path(
    get,
    path = "/api/v2/openapi.json",
    tag = "operations",
    operation_id = "openapi",
    summary = "This OpenAPI document",
    responses(
        (status = 200, description = "The OpenAPI 3 document of every route", content_type = "application/json", body = OpenApiDocument),
    )
)]
pub async fn serve() -> HttpResponse {
    HttpResponse::Ok().json(document())
}
