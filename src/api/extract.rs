//! Extractors whose failures take the same problem+json path as every other error.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};
use futures_util::StreamExt;
use serde::de::DeserializeOwned;

use crate::domain::FieldError;
use crate::error::AppError;
use crate::service::Ctx;
use crate::service::tokens::Subject;

/// Largest JSON body accepted.
pub const BODY_LIMIT: usize = 1024 * 1024;

/// A JSON body. Unreadable JSON or a wrong JSON type is 400 `bad_request`; a missing
/// field, an unknown enum value or an out-of-range number is 422 `validation_failed`
/// naming the field by its dotted path.
pub struct Json<T>(pub T);

impl<T: DeserializeOwned + utoipa::PartialSchema + 'static> FromRequest for Json<T> {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Json<T>, AppError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let content_type_ok = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .map(|mime| {
                let mime = mime.trim().to_ascii_lowercase();
                mime == "application/json" || (mime.starts_with("application/") && mime.ends_with("+json"))
            })
            .unwrap_or(false);
        let declared_length = req
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok());
        let mut payload = payload.take();
        Box::pin(async move {
            if declared_length.is_some_and(|n| n > BODY_LIMIT) {
                return Err(AppError::PayloadTooLarge { limit: BODY_LIMIT });
            }
            if !content_type_ok {
                return Err(AppError::UnsupportedMediaType(
                    "the body must be JSON (Content-Type: application/json)".into(),
                ));
            }
            let mut body = web::BytesMut::new();
            while let Some(chunk) = payload.next().await {
                let chunk = chunk.map_err(|e| AppError::BadRequest(format!("the body could not be read: {e}")))?;
                if body.len() + chunk.len() > BODY_LIMIT {
                    return Err(AppError::PayloadTooLarge { limit: BODY_LIMIT });
                }
                body.extend_from_slice(&chunk);
            }
            parse_json(&body).map(Json)
        })
    }
}

pub fn parse_json<T: DeserializeOwned + utoipa::PartialSchema>(body: &[u8]) -> Result<T, AppError> {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|e| match json_error(&e) {
        // serde stops at the first missing field; the schema names all of them.
        AppError::Validation(first) if e.path().to_string() == "." => {
            AppError::Validation(missing_fields::<T>(body).unwrap_or(first))
        }
        other => other,
    })?;
    deserializer
        .end()
        .map_err(|e| AppError::BadRequest(format!("malformed JSON: {e}")))?;
    Ok(value)
}

/// Every required top-level field of `T` the body lacks, when the body is an object.
fn missing_fields<T: utoipa::PartialSchema>(body: &[u8]) -> Option<Vec<FieldError>> {
    let serde_json::Value::Object(sent) = serde_json::from_slice(body).ok()? else {
        return None;
    };
    let utoipa::openapi::RefOr::T(utoipa::openapi::schema::Schema::Object(schema)) = T::schema() else {
        return None;
    };
    let missing: Vec<FieldError> = schema
        .required
        .iter()
        .filter(|name| !sent.contains_key(name.as_str()))
        .map(|name| FieldError::new(name.clone(), "is required"))
        .collect();
    (!missing.is_empty()).then_some(missing)
}

fn json_error(e: &serde_path_to_error::Error<serde_json::Error>) -> AppError {
    let inner = e.inner();
    if !inner.is_data() {
        return AppError::BadRequest(format!("malformed JSON: {inner}"));
    }
    let path = e.path().to_string();
    let message = inner.to_string();
    // serde_json appends " at line L column C"; the field path says more to a caller.
    let message = message.split(" at line ").next().unwrap_or(&message).to_owned();
    if let Some(rest) = message.strip_prefix("missing field `") {
        let name = rest.trim_end_matches('`');
        let field = if path == "." {
            name.to_owned()
        } else {
            format!("{path}.{name}")
        };
        return AppError::Validation(vec![FieldError::new(field, "is required")]);
    }
    let field = if path == "." { String::new() } else { path };
    if message.starts_with("invalid type") || field.is_empty() {
        let at = if field.is_empty() {
            "the body".to_owned()
        } else {
            format!("field '{field}'")
        };
        return AppError::BadRequest(format!("{at}: {message}"));
    }
    AppError::Validation(vec![FieldError::new(field, message)])
}

/// A request with a valid bearer token. Taking it as a parameter is what makes a
/// handler require login; what the user may do is checked by the service.
pub struct AuthUser(pub Subject);

impl FromRequest for AuthUser {
    type Error = AppError;
    type Future = std::future::Ready<Result<AuthUser, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(authenticate(req))
    }
}

fn authenticate(req: &HttpRequest) -> Result<AuthUser, AppError> {
    let ctx = req
        .app_data::<web::Data<Ctx>>()
        .ok_or_else(|| AppError::internal("Ctx is not registered as app data"))?;
    let value = req
        .headers()
        .get(header::AUTHORIZATION)
        .ok_or(AppError::Unauthorized("an Authorization: Bearer token is required"))?;
    let token = value
        .to_str()
        .ok()
        .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or(AppError::Unauthorized(
            "the Authorization header must be 'Bearer <token>'",
        ))?;
    Ok(AuthUser(ctx.tokens.verify(token)?))
}

/// Path and query errors answer 400 problem+json instead of actix's plain text.
pub fn path_config() -> web::PathConfig {
    web::PathConfig::default().error_handler(|e, _| AppError::BadRequest(format!("path: {e}")).into())
}

pub fn query_config() -> web::QueryConfig {
    web::QueryConfig::default().error_handler(|e, _| AppError::BadRequest(format!("query: {e}")).into())
}

/// The reverse proxies whose `X-Forwarded-For` is believed (`TRUSTED_PROXIES`).
#[derive(Debug, Clone, Default)]
pub struct TrustedProxies(pub Vec<std::net::IpAddr>);

/// The address of the client a request comes from: the peer, or — when the peer is a
/// trusted proxy — the nearest address in `X-Forwarded-For` that is not one. Anything
/// else in that header is the client's own word and is not believed.
pub struct ClientAddress(pub String);

impl FromRequest for ClientAddress {
    type Error = AppError;
    type Future = std::future::Ready<Result<ClientAddress, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let trusted = req
            .app_data::<web::Data<TrustedProxies>>()
            .map(|t| t.0.as_slice())
            .unwrap_or_default();
        let peer = req.peer_addr().map(|a| a.ip());
        let forwarded: Vec<&str> = req
            .headers()
            .get_all("x-forwarded-for")
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .collect();
        std::future::ready(Ok(ClientAddress(client_address(peer, &forwarded, trusted))))
    }
}

fn client_address(peer: Option<std::net::IpAddr>, forwarded: &[&str], trusted: &[std::net::IpAddr]) -> String {
    let Some(peer) = peer else {
        return "unknown".into();
    };
    if !trusted.contains(&peer) {
        return peer.to_string();
    }
    let mut nearest = peer;
    for hop in forwarded.iter().rev() {
        match hop.trim().parse::<std::net::IpAddr>() {
            Ok(ip) if trusted.contains(&ip) => nearest = ip,
            Ok(ip) => return ip.to_string(),
            Err(_) => break,
        }
    }
    nearest.to_string()
}

#[cfg(test)]
mod tests {
    use super::client_address;

    #[test]
    fn only_a_trusted_proxy_may_name_the_client() {
        let proxy = "10.0.0.5".parse().unwrap();
        let client = "203.0.113.7".parse().unwrap();
        assert_eq!(client_address(Some(client), &["198.51.100.1"], &[proxy]), "203.0.113.7");
        assert_eq!(client_address(Some(proxy), &["198.51.100.1"], &[proxy]), "198.51.100.1");
        // A client that forges the header in front of the proxy's entry is not believed.
        assert_eq!(
            client_address(Some(proxy), &["192.0.2.9", " 198.51.100.1"], &[proxy]),
            "198.51.100.1"
        );
        assert_eq!(client_address(Some(proxy), &["garbage"], &[proxy]), "10.0.0.5");
        assert_eq!(client_address(Some(proxy), &[], &[proxy]), "10.0.0.5");
        assert_eq!(client_address(None, &[], &[]), "unknown");
    }
}
