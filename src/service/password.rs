//! Password hashing with argon2id (the crate's defaults: 19 MiB, 2 passes).
//! Both functions are CPU-heavy: call them on the blocking pool.
//!
//! Every hash needs 19 MiB of working memory. It comes from a pool with one buffer per
//! core: a burst of logins waits for a buffer instead of allocating 19 MiB each (the
//! allocator kept that memory: 16 concurrent logins left the process at 3 GB), and
//! never runs more hashes at once than the cores can work on.
//!
//! Requests reach hashing through [`Gate`]: it runs a hash on the blocking pool only
//! when a core is free for it, lets a bounded number wait (without holding a thread
//! or a database connection), and turns the rest away with 503 and `Retry-After`, so a
//! flood of logins never stalls the requests that need no hash.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, OnceLock};
use std::time::Duration;

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
    let failed = |e: String| AppError::internal(format!("password hashing failed: {e}"));
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

/// How many hashes may wait for a core, per core, before more are turned away.
const WAITING_PER_CORE: usize = 64;
/// The longest a hash waits for a core before it is turned away.
const LONGEST_WAIT: Duration = Duration::from_secs(5);
/// What a turned-away caller is told to wait.
const RETRY_AFTER_SECS: u64 = 2;

/// Bounded concurrency for password hashing; one per process.
pub struct Gate {
    running: tokio::sync::Semaphore,
    waiting: AtomicUsize,
    max_waiting: usize,
}

impl Gate {
    fn new(cores: usize) -> Gate {
        Gate {
            running: tokio::sync::Semaphore::new(cores),
            waiting: AtomicUsize::new(0),
            max_waiting: cores * WAITING_PER_CORE,
        }
    }

    /// The process's gate, sized by its cores.
    pub fn shared() -> &'static Gate {
        static GATE: OnceLock<Gate> = OnceLock::new();
        GATE.get_or_init(|| Gate::new(std::thread::available_parallelism().map_or(2, |n| n.get())))
    }

    /// Runs `work` (a hash) on the blocking pool once a core is free for it.
    pub async fn run<T: Send + 'static>(&self, work: impl FnOnce() -> T + Send + 'static) -> AppResult<T> {
        let busy = || AppError::Busy {
            retry_after_secs: RETRY_AFTER_SECS,
        };
        if self.waiting.fetch_add(1, Ordering::AcqRel) >= self.max_waiting {
            self.waiting.fetch_sub(1, Ordering::AcqRel);
            return Err(busy());
        }
        let permit = tokio::time::timeout(LONGEST_WAIT, self.running.acquire()).await;
        self.waiting.fetch_sub(1, Ordering::AcqRel);
        let _permit = match permit {
            Ok(Ok(permit)) => permit,
            Ok(Err(_)) | Err(_) => return Err(busy()),
        };
        tokio::task::spawn_blocking(work)
            .await
            .map_err(|e| AppError::internal_because("password hashing stopped", e))
    }
}

/// [`hash`] through the gate.
pub async fn hash_gated(password: Password) -> AppResult<String> {
    Gate::shared().run(move || hash(&password)).await?
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

    #[tokio::test]
    async fn a_gate_runs_as_many_as_it_has_cores_and_turns_away_past_its_queue() {
        let gate = std::sync::Arc::new(Gate::new(1));
        let (release, hold) = std::sync::mpsc::channel::<()>();
        let hold = std::sync::Arc::new(Mutex::new(hold));
        let deadline = std::time::Instant::now() + Duration::from_secs(5);
        let until = |done: &dyn Fn() -> bool| {
            let done = done();
            assert!(std::time::Instant::now() < deadline, "the callers never got there");
            done
        };
        let spawn = |gate: std::sync::Arc<Gate>, hold: std::sync::Arc<Mutex<std::sync::mpsc::Receiver<()>>>| {
            tokio::spawn(async move { gate.run(move || hold.lock().unwrap().recv().unwrap()).await })
        };
        // One runs and WAITING_PER_CORE wait; the next is turned away at once.
        let mut running = vec![spawn(gate.clone(), hold.clone())];
        while !until(&|| gate.running.available_permits() == 0) {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        for _ in 0..WAITING_PER_CORE {
            running.push(spawn(gate.clone(), hold.clone()));
        }
        while !until(&|| gate.waiting.load(Ordering::Acquire) == WAITING_PER_CORE) {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        assert!(matches!(gate.run(|| ()).await, Err(AppError::Busy { .. })));
        for _ in 0..=WAITING_PER_CORE {
            release.send(()).unwrap();
        }
        for task in running {
            assert!(task.await.unwrap().is_ok());
        }
    }
}
