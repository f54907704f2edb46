use actix_web::{web, HttpRequest, HttpResponse};
use application::{Ports, Services};
use domain::input::parse_new_instance;

use crate::auth::{Admin, Caller};
use crate::body::read_json;
use crate::dto::{CreatedInstanceBody, InstanceBody, TokenBody};
use crate::error::ApiError;

/// `POST /api/v2/instance`: 201 with the token, shown only here.
pub async fn create<P: Ports>(
    _admin: Admin<P>,
    services: web::Data<Services<P>>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let body = read_json(req.headers(), payload).await?;
    let new = parse_new_instance(&body).map_err(application::AppError::Invalid)?;
    let (instance, token) = services.create_instance(new).await?;
    Ok(HttpResponse::Created().json(CreatedInstanceBody::new(&instance, &token)))
}

/// `GET /api/v2/instance`
pub async fn list<P: Ports>(
    _admin: Admin<P>,
    services: web::Data<Services<P>>,
) -> Result<HttpResponse, ApiError> {
    let instances = services.list_instances().await?;
    let body: Vec<InstanceBody> = instances.iter().map(InstanceBody::from).collect();
    Ok(HttpResponse::Ok().json(body))
}

/// `GET /api/v2/instance/{instanceId}`: the admin or the instance's own token.
pub async fn get(caller: Caller) -> HttpResponse {
    HttpResponse::Ok().json(InstanceBody::from(&caller.instance))
}

/// `DELETE /api/v2/instance/{instanceId}`: its integration goes with it.
pub async fn delete<P: Ports>(
    caller: Caller,
    services: web::Data<Services<P>>,
) -> Result<HttpResponse, ApiError> {
    caller.require_admin("delete instances")?;
    services.delete_instance(caller.instance.id).await?;
    Ok(HttpResponse::Ok().json(InstanceBody::from(&caller.instance)))
}

/// `POST /api/v2/instance/{instanceId}/token`: the old token stops working now.
pub async fn rotate_token<P: Ports>(
    caller: Caller,
    services: web::Data<Services<P>>,
) -> Result<HttpResponse, ApiError> {
    caller.require_admin("rotate tokens")?;
    let token = services.rotate_token(caller.instance.id).await?;
    Ok(HttpResponse::Ok().json(TokenBody {
        instance_id: caller.instance.id.to_string(),
        token: token.expose().to_owned(),
    }))
}
