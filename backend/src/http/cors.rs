//! CORS for the origins in `CORS_ORIGINS`. None by default: the SPA is served from the same origin
//! as the API, which needs no CORS and keeps `SameSite=Strict` cookies working.

use actix_cors::Cors;

pub fn cors(origins: &[String]) -> Cors {
    origins
        .iter()
        .fold(Cors::default(), |cors, origin| cors.allowed_origin(origin))
        .allowed_methods(["GET", "POST", "PATCH", "DELETE"])
        .allowed_headers(["authorization", "content-type", "x-api-key", "x-request-id"])
        .expose_headers(["x-request-id", "retry-after"])
        .supports_credentials()
        .max_age(3600)
}
