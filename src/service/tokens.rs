//! Bearer tokens: HS256 JWTs that say who the user is and under which version of the
//! account they were issued. What the user may do is read from the database on every
//! request, and a token of an older version is refused there: a password, role, scope
//! or activity change ends every token issued before it.

use chrono::{DateTime, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

use crate::domain::Role;
use crate::error::{AppError, AppResult};

pub const TOKEN_TTL_SECS: i64 = 3600;

#[derive(Debug, Serialize, Deserialize)]
pub struct Claims {
    pub sub: String,
    pub role: Role,
    pub iat: i64,
    pub exp: i64,
    /// The account's token version at issue; tokens from before this claim count as 0.
    #[serde(default)]
    pub ver: i32,
}

/// The verified subject of a request's token.
#[derive(Debug, Clone, Copy)]
pub struct Subject {
    pub user_id: i64,
    pub token_version: i32,
}

impl Subject {
    /// The subject of a token issued to `user` now, for work the service does in a
    /// user's name without a request (demo data, benchmarks).
    pub fn of(user: &crate::domain::user::User) -> Subject {
        Subject {
            user_id: user.id,
            token_version: user.token_version,
        }
    }
}

pub struct Tokens {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
}

impl Tokens {
    pub fn new(secret: &[u8]) -> Tokens {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.leeway = 5;
        validation.set_required_spec_claims(&["exp", "iat", "sub"]);
        Tokens {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
        }
    }

    pub fn issue(&self, user_id: i64, role: Role, token_version: i32, now: DateTime<Utc>) -> AppResult<String> {
        let claims = Claims {
            sub: user_id.to_string(),
            role,
            iat: now.timestamp(),
            exp: now.timestamp() + TOKEN_TTL_SECS,
            ver: token_version,
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(|e| AppError::internal_because("token signing failed", e))
    }

    pub fn verify(&self, token: &str) -> AppResult<Subject> {
        let data =
            jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation).map_err(|e| match e.kind() {
                jsonwebtoken::errors::ErrorKind::ExpiredSignature => AppError::Unauthorized("the token has expired"),
                _ => AppError::Unauthorized("the token is not valid"),
            })?;
        let user_id = data
            .claims
            .sub
            .parse()
            .map_err(|_| AppError::Unauthorized("the token is not valid"))?;
        Ok(Subject {
            user_id,
            token_version: data.claims.ver,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_verifies_with_its_own_secret_only() {
        let tokens = Tokens::new(&[7; 32]);
        let token = tokens.issue(42, Role::Advisor, 3, Utc::now()).unwrap();
        let subject = tokens.verify(&token).unwrap();
        assert_eq!((subject.user_id, subject.token_version), (42, 3));
        assert!(Tokens::new(&[8; 32]).verify(&token).is_err());
        assert!(tokens.verify("not.a.token").is_err());
    }

    #[test]
    fn an_expired_token_is_refused() {
        let tokens = Tokens::new(&[7; 32]);
        let token = tokens
            .issue(42, Role::Admin, 0, Utc::now() - chrono::Duration::hours(2))
            .unwrap();
        assert!(matches!(
            tokens.verify(&token),
            Err(AppError::Unauthorized("the token has expired"))
        ));
    }
}
