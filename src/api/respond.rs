//! Small helpers for answers every resource gives.

use actix_web::HttpResponse;
use actix_web::http::header;
use serde::Serialize;

/// 201 with the new resource and its `Location`.
pub fn created(location: String, body: &impl Serialize) -> HttpResponse {
    HttpResponse::Created()
        .insert_header((header::LOCATION, location))
        .json(body)
}
