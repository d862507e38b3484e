//! The desk's cookies: the session (a random token, signed so that a forged value is
//! turned away before the database is asked), the CSRF secret of the browser, and the
//! language. All are `HttpOnly` and `SameSite=Strict`, and `Secure` when the page came
//! over TLS: a TLS listener, or a trusted proxy that says `X-Forwarded-Proto: https`.

use actix_web::HttpRequest;
use actix_web::cookie::{Cookie, SameSite, time::Duration as CookieDuration};
use actix_web::web;
use base64::Engine;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;

use crate::api::extract::TrustedProxies;
use crate::service::Ctx;
use crate::service::desk_sessions::SESSION_HOURS;

pub const SESSION: &str = "ws_sessie";
pub const CSRF: &str = "ws_csrf";
pub const LANGUAGE: &str = "ws_taal";

/// The keys the desk signs with, derived from the server secret.
pub struct DeskKeys {
    session: [u8; 32],
    csrf: [u8; 32],
}

impl DeskKeys {
    pub fn new(ctx: &Ctx) -> DeskKeys {
        DeskKeys {
            session: ctx.keys.derive("desk session cookie"),
            csrf: ctx.keys.derive("desk csrf token"),
        }
    }

    /// The cookie value of a session token: the token and its signature.
    pub fn sign_session(&self, token: &str) -> String {
        format!("{token}.{}", mac(&self.session, token))
    }

    /// The session token of a cookie value, when its signature holds.
    pub fn session_token<'a>(&self, value: &'a str) -> Option<&'a str> {
        let (token, signature) = value.rsplit_once('.')?;
        verify(&self.session, token, signature).then_some(token)
    }

    /// What a form must send back for the browser whose CSRF cookie is `secret`.
    pub fn csrf_token(&self, secret: &str) -> String {
        mac(&self.csrf, secret)
    }

    pub fn csrf_holds(&self, secret: &str, token: &str) -> bool {
        verify(&self.csrf, secret, token)
    }
}

fn mac(key: &[u8], data: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes a key of any length");
    mac.update(data.as_bytes());
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
}

fn verify(key: &[u8], data: &str, signature: &str) -> bool {
    let Ok(bytes) = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(signature) else {
        return false;
    };
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes a key of any length");
    mac.update(data.as_bytes());
    mac.verify_slice(&bytes).is_ok()
}

/// A new CSRF secret for a browser that has none.
pub fn new_secret() -> String {
    let mut bytes = [0u8; 18];
    rand::rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Whether the browser reached us over TLS.
pub fn over_tls(req: &HttpRequest) -> bool {
    if req.app_config().secure() {
        return true;
    }
    let trusted = req
        .app_data::<web::Data<TrustedProxies>>()
        .map(|t| t.0.as_slice())
        .unwrap_or_default();
    let from_proxy = req.peer_addr().is_some_and(|p| trusted.contains(&p.ip()));
    from_proxy
        && req
            .headers()
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("https"))
}

fn cookie(req: &HttpRequest, name: &'static str, value: String) -> Cookie<'static> {
    Cookie::build(name, value)
        .path("/")
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(over_tls(req))
        .finish()
}

pub fn session(req: &HttpRequest, signed: String) -> Cookie<'static> {
    let mut c = cookie(req, SESSION, signed);
    c.set_max_age(CookieDuration::hours(SESSION_HOURS));
    c
}

pub fn session_removed(req: &HttpRequest) -> Cookie<'static> {
    let mut c = cookie(req, SESSION, String::new());
    c.make_removal();
    c
}

pub fn csrf(req: &HttpRequest, secret: String) -> Cookie<'static> {
    cookie(req, CSRF, secret)
}

pub fn language(req: &HttpRequest, code: &str) -> Cookie<'static> {
    let mut c = cookie(req, LANGUAGE, code.to_owned());
    c.set_max_age(CookieDuration::days(400));
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(secret: u8) -> DeskKeys {
        let server = crate::service::keys::ServerKeys::new(&[secret; 32]);
        DeskKeys {
            session: server.derive("desk session cookie"),
            csrf: server.derive("desk csrf token"),
        }
    }

    #[test]
    fn a_session_cookie_holds_only_with_its_own_signature() {
        let signed = keys(1).sign_session("abc");
        assert_eq!(keys(1).session_token(&signed), Some("abc"));
        assert_eq!(keys(2).session_token(&signed), None);
        assert_eq!(keys(1).session_token("abc"), None);
        assert_eq!(keys(1).session_token(&signed.replace("abc", "abd")), None);
    }

    #[test]
    fn a_csrf_token_belongs_to_one_secret() {
        let k = keys(1);
        let token = k.csrf_token("secret-a");
        assert!(k.csrf_holds("secret-a", &token));
        assert!(!k.csrf_holds("secret-b", &token));
        assert!(!k.csrf_holds("secret-a", ""));
    }
}
