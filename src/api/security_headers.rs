//! Security headers on every answer — JSON, problem+json, the report page, `/docs`,
//! the fallback 404 — so that no browser sniffs a type, leaks a URL in `Referer`, or
//! shows one of our answers inside a frame.
//!
//! HTML pages get a Content-Security-Policy without `unsafe-inline`: Swagger UI's
//! index loads its scripts and styles from files under `/docs/`, and the report's one
//! inline style block is allowed by its hash. Everything else may load nothing at all.

use std::sync::OnceLock;

use actix_web::Error;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::Next;

use crate::api::reports;

/// For answers that are not pages: a JSON body opened in a browser runs nothing.
const RESOURCE_POLICY: &str = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/// For HTML pages. Images may be `data:` URLs: Swagger UI's stylesheet draws its
/// icons with them.
fn page_policy() -> &'static HeaderValue {
    static POLICY: OnceLock<HeaderValue> = OnceLock::new();
    POLICY.get_or_init(|| {
        let policy = format!(
            "default-src 'self'; script-src 'self'; style-src 'self' {}; img-src 'self' data:; \
             object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
            reports::style_source()
        );
        HeaderValue::from_str(&policy).expect("the policy is ASCII")
    })
}

/// Outermost middleware. Handler and extractor errors are answers by the time they get
/// here (actix turns them into responses at the route), so they get the headers too.
pub async fn add(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let mut response = next.call(req).await?;
    let is_page = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim_start().to_ascii_lowercase().starts_with("text/html"));
    let headers = response.headers_mut();
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    let policy = if is_page {
        page_policy().clone()
    } else {
        HeaderValue::from_static(RESOURCE_POLICY)
    };
    headers.insert(header::CONTENT_SECURITY_POLICY, policy);
    Ok(response)
}
