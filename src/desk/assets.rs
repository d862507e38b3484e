//! The desk's static files, compiled into the binary: the vendored CSS and htmx (see
//! `static/vendor/README.md`), our stylesheet and script, the icon.

use actix_web::http::header;
use actix_web::{HttpResponse, web};

use super::page::DeskError;
use crate::error::AppError;

const FILES: [(&str, &str, &[u8]); 6] = [
    (
        "vendor/utrecht/index.css",
        "text/css; charset=utf-8",
        include_bytes!("../../static/vendor/utrecht/index.css"),
    ),
    (
        "vendor/voorbeeld-theme/theme.css",
        "text/css; charset=utf-8",
        include_bytes!("../../static/vendor/voorbeeld-theme/theme.css"),
    ),
    (
        "vendor/htmx/htmx.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../static/vendor/htmx/htmx.min.js"),
    ),
    (
        "desk.css",
        "text/css; charset=utf-8",
        include_bytes!("../../static/desk.css"),
    ),
    (
        "desk.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../static/desk.js"),
    ),
    (
        "favicon.svg",
        "image/svg+xml",
        include_bytes!("../../static/favicon.svg"),
    ),
];

pub async fn file(path: web::Path<String>) -> Result<HttpResponse, DeskError> {
    let name = path.into_inner();
    let (_, content_type, body) = FILES
        .iter()
        .find(|(n, _, _)| *n == name)
        .ok_or(DeskError::App(AppError::NotFound))?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, *content_type))
        // The files change only with a new binary; an hour keeps a day's pages quick.
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(*body))
}

/// Browsers ask for `/favicon.ico` whatever the page says.
pub async fn favicon() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "image/svg+xml"))
        .insert_header((header::CACHE_CONTROL, "public, max-age=86400"))
        .body(&include_bytes!("../../static/favicon.svg")[..])
}
