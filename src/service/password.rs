//! Password hashing with argon2id (the crate's defaults: 19 MiB, 2 passes).
//! Both functions are CPU-heavy: call them on the blocking pool.
//!
//! Every hash needs 19 MiB of working memory. It comes from a pool with one buffer per
//! core: a burst of logins waits for a buffer instead of allocating 19 MiB each (the
//! allocator kept that memory: 16 concurrent logins left the process at 3 GB), and
//! never runs more hashes at once than the cores can work on.

use std::sync::{Condvar, Mutex, OnceLock};

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{Output, ParamsString, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};

use crate::domain::user::Password;
use crate::error::{AppError, AppResult};

struct MemoryPool {
    free: Mutex<Vec<Vec<Block>>>,
    returned: Condvar,
}

fn pool() -> &'static MemoryPool {
    static POOL: OnceLock<MemoryPool> = OnceLock::new();
    POOL.get_or_init(|| {
        let buffers = std::thread::available_parallelism().map_or(2, |n| n.get());
        MemoryPool {
            // Buffers are sized on first use, by the parameters of the hash at hand.
            free: Mutex::new((0..buffers).map(|_| Vec::new()).collect()),
            returned: Condvar::new(),
        }
    })
}

/// Runs `work` with `blocks` blocks of pooled memory, waiting for a free buffer.
fn with_memory<R>(blocks: usize, work: impl FnOnce(&mut [Block]) -> R) -> R {
    let pool = pool();
    let mut buffer = {
        let mut free = pool.free.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            if let Some(buffer) = free.pop() {
                break buffer;
            }
            free = pool.returned.wait(free).unwrap_or_else(|e| e.into_inner());
        }
    };
    buffer.resize(blocks, Block::default());
    let result = work(&mut buffer);
    pool.free.lock().unwrap_or_else(|e| e.into_inner()).push(buffer);
    pool.returned.notify_one();
    result
}

/// The argon2 output of `password` with these settings, computed in pooled memory.
fn output(argon: &Argon2, password: &[u8], salt: &[u8], len: usize) -> Option<Output> {
    with_memory(argon.params().block_count(), |memory| {
        Output::init_with(len, |out| {
            argon
                .hash_password_into_with_memory(password, salt, out, &mut *memory)
                .map_err(|_| argon2::password_hash::Error::Crypto)
        })
        .ok()
    })
}

pub fn hash(password: &Password) -> AppResult<String> {
    let failed = |e: String| AppError::Internal(format!("password hashing failed: {e}"));
    let salt = SaltString::generate(&mut OsRng);
    let mut salt_bytes = [0u8; 64];
    let salt_bytes = salt.decode_b64(&mut salt_bytes).map_err(|e| failed(e.to_string()))?;
    let params = Params::default();
    let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
    let hash = output(
        &argon,
        password.expose().as_bytes(),
        salt_bytes,
        Params::DEFAULT_OUTPUT_LEN,
    )
    .ok_or_else(|| failed("argon2".into()))?;
    let stored = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params).map_err(|e| failed(e.to_string()))?,
        salt: Some(salt.as_salt()),
        hash: Some(hash),
    };
    Ok(stored.to_string())
}

/// Whether `candidate` is the password of `stored_hash` (a PHC string), compared in
/// constant time.
pub fn verify(candidate: &str, stored_hash: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(stored_hash) else {
        return false;
    };
    let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else {
        return false;
    };
    let Ok(algorithm) = Algorithm::try_from(parsed.algorithm) else {
        return false;
    };
    let version = match parsed.version.map(Version::try_from).transpose() {
        Ok(v) => v.unwrap_or_default(),
        Err(_) => return false,
    };
    let Ok(params) = Params::try_from(&parsed) else {
        return false;
    };
    let mut salt_bytes = [0u8; 64];
    let Ok(salt_bytes) = salt.decode_b64(&mut salt_bytes) else {
        return false;
    };
    let argon = Argon2::new(algorithm, version, params);
    output(&argon, candidate.as_bytes(), salt_bytes, expected.len()).is_some_and(|got| got == expected)
}

/// Verifies against a throw-away hash, so that a login for an unknown email costs as
/// much time as one with a wrong password and the two cannot be told apart.
pub fn verify_against_nothing(candidate: &str) {
    static DUMMY: OnceLock<String> = OnceLock::new();
    let dummy = DUMMY.get_or_init(|| {
        let random: [u8; 16] = rand::random();
        let filler = Password::parse(&format!("{random:?}")).expect("long enough");
        hash(&filler).expect("hashing a fixed-size password works")
    });
    let _ = verify(candidate, dummy);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_its_own_password_only() {
        let stored = hash(&Password::parse("correct horse").unwrap()).unwrap();
        assert!(stored.starts_with("$argon2id$"));
        assert!(verify("correct horse", &stored));
        assert!(!verify("correct horsf", &stored));
        assert!(!verify("correct horse", "not a hash"));
    }

    #[test]
    fn hashes_of_the_argon2_crate_itself_verify() {
        use argon2::password_hash::PasswordHasher;
        let salt = SaltString::generate(&mut OsRng);
        let theirs = Argon2::default()
            .hash_password(b"correct horse", &salt)
            .unwrap()
            .to_string();
        assert!(verify("correct horse", &theirs));
        assert!(!verify("correct horsf", &theirs));
        let ours = hash(&Password::parse("correct horse").unwrap()).unwrap();
        let parsed = PasswordHash::new(&ours).unwrap();
        assert!(
            argon2::password_hash::PasswordVerifier::verify_password(&Argon2::default(), b"correct horse", &parsed)
                .is_ok()
        );
    }

    #[test]
    fn more_concurrent_hashes_than_buffers_all_finish() {
        let stored = hash(&Password::parse("correct horse").unwrap()).unwrap();
        let threads: Vec<_> = (0..8)
            .map(|i| {
                let stored = stored.clone();
                std::thread::spawn(move || verify(if i % 2 == 0 { "correct horse" } else { "wrong" }, &stored))
            })
            .collect();
        let results: Vec<bool> = threads.into_iter().map(|t| t.join().unwrap()).collect();
        assert_eq!(results, [true, false, true, false, true, false, true, false]);
    }
}
