//! Authentication and the order of checks (401, 403, 404) for every route
//! under `/api/v2/instance/{instanceId}`, enforced by one middleware on
//! that scope, so a route added there cannot forget it; and the admin
//! check of the instance routes, by one middleware on each.

use std::future::{ready, Ready};

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderMap, AUTHORIZATION};
use actix_web::middleware::Next;
use actix_web::{web, FromRequest, HttpMessage, HttpRequest};
use application::{InstanceRecord, Ports, Principal, Services};
use domain::Instance;

use crate::error::ApiError;

/// The token of a request: `Authorization: Bearer <token>` or `apikey: <token>`.
/// A malformed or empty header is the same as none.
pub fn presented_token(headers: &HeaderMap) -> Option<&str> {
    if let Some(value) = headers.get(AUTHORIZATION) {
        let value = value.to_str().ok()?;
        let (scheme, token) = value.split_once(' ')?;
        let token = token.trim();
        return (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token);
    }
    let token = headers.get("apikey")?.to_str().ok()?.trim();
    (!token.is_empty()).then_some(token)
}

fn services<P: Ports>(req: &HttpRequest) -> Result<web::Data<Services<P>>, ApiError> {
    req.app_data::<web::Data<Services<P>>>()
        .cloned()
        .ok_or_else(|| {
            log::error!("services are not registered as app data");
            ApiError::internal()
        })
}

async fn authenticate<P: Ports>(req: &HttpRequest) -> Result<Principal, ApiError> {
    let services = services::<P>(req)?;
    let token = presented_token(req.headers()).ok_or_else(ApiError::unauthorized)?;
    Ok(services.authenticate(token).await?)
}

/// The caller of a route under `/api/v2/instance/{instanceId}`, and that
/// instance as read with its integration, as established by
/// [`instance_guard`].
#[derive(Debug, Clone)]
pub struct Caller {
    pub principal: Principal,
    pub target: InstanceRecord,
}

impl Caller {
    pub fn instance(&self) -> &Instance {
        &self.target.instance
    }

    /// 403 unless the admin token was used.
    pub fn require_admin(&self, action: &str) -> Result<(), ApiError> {
        if self.principal.is_admin() {
            Ok(())
        } else {
            Err(ApiError::forbidden(format!(
                "only the admin token may {action}"
            )))
        }
    }
}

/// Middleware for the instance scope: 401 (no or unknown token), then 403
/// (an instance token on another instance), then 404 (no such instance).
/// Handlers then take [`Caller`].
pub async fn instance_guard<P: Ports, B: MessageBody>(
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<EitherBody<B>>, actix_web::Error> {
    let caller = caller::<P>(&req).await;
    admit(req, next, caller).await
}

/// Middleware for the routes only the admin token may call: 401 without a
/// valid token, 403 with an instance token. Handlers then take [`Admin`].
pub async fn admin_guard<P: Ports, B: MessageBody>(
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<EitherBody<B>>, actix_web::Error> {
    let admin = match authenticate::<P>(req.request()).await {
        Ok(Principal::Admin) => Ok(Admin),
        Ok(Principal::Instance(_)) => Err(ApiError::forbidden(
            "only the admin token may manage instances",
        )),
        Err(refusal) => Err(refusal),
    };
    admit(req, next, admin).await
}

/// Passes the request on with what a guard established, for the handler's
/// extractors, or answers the refusal here, as a response, so outer
/// middleware (request id, access log) still see it. Being middleware, a
/// guard runs before any extractor: no body is read for a refused caller.
async fn admit<T: 'static, B: MessageBody>(
    req: ServiceRequest,
    next: Next<B>,
    established: Result<T, ApiError>,
) -> Result<ServiceResponse<EitherBody<B>>, actix_web::Error> {
    match established {
        Ok(established) => {
            req.extensions_mut().insert(established);
            Ok(next.call(req).await?.map_into_left_body())
        }
        Err(refusal) => Ok(req.error_response(refusal).map_into_right_body()),
    }
}

async fn caller<P: Ports>(req: &ServiceRequest) -> Result<Caller, ApiError> {
    let services = services::<P>(req.request())?;
    let token = presented_token(req.headers()).ok_or_else(ApiError::unauthorized)?;
    let raw_id = req.match_info().get("instanceId").unwrap_or_default();
    let (principal, target) = services.authorize(token, raw_id).await?;
    Ok(Caller { principal, target })
}

/// What a guard established, for a handler; a 500 (and a log line naming
/// the route) if the route lacks the guard.
fn established<T: Clone + 'static>(req: &HttpRequest) -> Ready<Result<T, ApiError>> {
    ready(req.extensions().get::<T>().cloned().ok_or_else(|| {
        log::error!(
            "route {} takes {} without its guard",
            req.path(),
            std::any::type_name::<T>()
        );
        ApiError::internal()
    }))
}

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        established(req)
    }
}

/// The admin token was presented, as established by [`admin_guard`].
#[derive(Debug, Clone, Copy)]
pub struct Admin;

impl FromRequest for Admin {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        established(req)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::http::header::{HeaderName, HeaderValue};

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(
                HeaderName::from_bytes(name.as_bytes()).unwrap(),
                HeaderValue::from_str(value).unwrap(),
            );
        }
        map
    }

    #[test]
    fn bearer_scheme_is_case_insensitive() {
        assert_eq!(
            presented_token(&headers(&[("authorization", "bearer abc")])),
            Some("abc")
        );
        assert_eq!(
            presented_token(&headers(&[("authorization", "Bearer abc")])),
            Some("abc")
        );
    }

    #[test]
    fn apikey_header_is_accepted() {
        assert_eq!(presented_token(&headers(&[("apikey", "abc")])), Some("abc"));
    }

    #[test]
    fn malformed_or_empty_headers_present_no_token() {
        for pairs in [
            vec![("authorization", "Basic abc")],
            vec![("authorization", "Bearer")],
            vec![("authorization", "Bearer   ")],
            vec![("authorization", "abc")],
            vec![("apikey", "")],
            vec![],
        ] {
            assert_eq!(presented_token(&headers(&pairs)), None, "{pairs:?}");
        }
    }
}
