//! Keys for what the service signs besides bearer tokens, derived from the one server
//! secret (`JWT_SECRET`): an operator manages a single secret, and what is signed for
//! one purpose never passes for another (or for a token).

use hmac::{Hmac, Mac};
use sha2::Sha256;

pub struct ServerKeys {
    secret: Vec<u8>,
}

impl ServerKeys {
    pub fn new(secret: &[u8]) -> ServerKeys {
        ServerKeys {
            secret: secret.to_vec(),
        }
    }

    /// HMAC-SHA256 of the purpose under the server secret.
    pub fn derive(&self, purpose: &str) -> [u8; 32] {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.secret).expect("HMAC takes a key of any length");
        mac.update(b"woonservice key for ");
        mac.update(purpose.as_bytes());
        mac.finalize().into_bytes().into()
    }
}

// No Debug: the secret must not end up in a log line.

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_purpose_and_each_secret_gives_its_own_key() {
        let keys = ServerKeys::new(&[7; 32]);
        assert_eq!(keys.derive("cursors"), keys.derive("cursors"));
        assert_ne!(keys.derive("cursors"), keys.derive("other"));
        assert_ne!(keys.derive("cursors"), ServerKeys::new(&[8; 32]).derive("cursors"));
    }
}
