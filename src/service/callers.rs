//! The accounts behind recent calls, kept a few seconds so that a call does not read its
//! caller again: on PostgreSQL each statement is a network round trip, and the caller is
//! one of the few a read needs.
//!
//! An entry must never outlive a change to the account. Every change to `users`,
//! `user_municipalities` or `user_links` — by this instance, another one, the command
//! line or by hand — makes PostgreSQL notify the instances (a trigger), and each
//! instance's listener empties the entry at once (`store::user_changes`). Without a
//! listening connection the cache is not used at all, and when the listener connects
//! again it starts empty: a change it could have missed is never served from memory.
//! This instance also empties an entry itself right after its own change, before the
//! caller of that change hears the answer. A read that loaded the account before a
//! change and finishes after it does not store what it read (`generation`).
//!
//! On SQLite the cache is off: a statement is a call into a library there, not a round
//! trip, and the command line can change the file without telling the server.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::domain::user::User;
use crate::store::user_changes::Listener;

/// How long an entry is used, even without a change: a bound on what a lost
/// notification could cost.
const FRESH_FOR: Duration = Duration::from_secs(10);
/// Entries kept at most; the cache is emptied when it would grow past this.
const MOST: usize = 10_000;

#[derive(Default)]
pub struct Callers {
    enabled: bool,
    /// Whether a listener hears the changes now.
    listening: AtomicBool,
    /// Raised by every forgetting; an account read before a raise is not stored.
    generation: AtomicU64,
    entries: Mutex<HashMap<i64, (User, Instant)>>,
}

impl Callers {
    /// A cache that is used while a listener reports changes (PostgreSQL).
    pub fn listened() -> Callers {
        Callers {
            enabled: true,
            ..Callers::default()
        }
    }

    /// No cache: every call reads its caller (SQLite, commands).
    pub fn off() -> Callers {
        Callers::default()
    }

    pub fn enabled(&self) -> bool {
        self.enabled
    }

    /// The account of a token of this user and version, if a fresh entry holds it.
    pub fn get(&self, user_id: i64, token_version: i32) -> Option<User> {
        if !self.in_use() {
            return None;
        }
        let entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        entries
            .get(&user_id)
            .filter(|(user, at)| at.elapsed() < FRESH_FOR && user.token_version == token_version)
            .map(|(user, _)| user.clone())
    }

    /// The generation to pass to `keep` for an account about to be read.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    /// Stores an active account read at `generation`, unless something was forgotten
    /// since (the read may predate that change).
    pub fn keep(&self, user: &User, generation: u64) {
        if !self.in_use() || !user.active {
            return;
        }
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        if self.generation.load(Ordering::SeqCst) != generation {
            return;
        }
        if entries.len() >= MOST {
            entries.clear();
        }
        entries.insert(user.id, (user.clone(), Instant::now()));
    }

    /// The account changed: its entry goes.
    pub fn forget(&self, user_id: i64) {
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        self.generation.fetch_add(1, Ordering::SeqCst);
        entries.remove(&user_id);
    }

    /// Accounts changed that are not named: every entry goes.
    pub fn forget_all(&self) {
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        self.generation.fetch_add(1, Ordering::SeqCst);
        entries.clear();
    }

    /// The listener hears changes from now on (`true`), or lost its connection.
    /// Either way the cache starts empty, and a read begun before is not stored: it may
    /// predate a change no listener heard.
    pub fn set_listening(&self, listening: bool) {
        self.listening.store(listening, Ordering::SeqCst);
        self.forget_all();
    }

    /// Whether entries are kept and used now.
    pub fn in_use(&self) -> bool {
        self.enabled && self.listening.load(Ordering::SeqCst)
    }
}

/// How often the listener reads what PostgreSQL sent: the longest an entry outlives a
/// change made by another instance.
const POLL: Duration = Duration::from_millis(10);
/// How long the listener waits before connecting again.
const RECONNECT: Duration = Duration::from_secs(1);

/// Hears account changes on PostgreSQL at `url` and empties their entries, on a thread
/// of its own, until `stopping` says the service is shutting down.
pub fn listen(callers: Arc<Callers>, url: String, stopping: impl Fn() -> bool + Send + 'static) {
    let spawned = std::thread::Builder::new()
        .name("account-changes".into())
        .spawn(move || {
            while !stopping() {
                let mut listener = match Listener::connect(&url) {
                    Ok(listener) => listener,
                    Err(e) => {
                        tracing::warn!(error = %e, "account changes cannot be heard; every call reads its caller");
                        std::thread::sleep(RECONNECT);
                        continue;
                    }
                };
                callers.set_listening(true);
                while !stopping() {
                    match listener.changed() {
                        Ok(ids) => ids.into_iter().for_each(|id| callers.forget(id)),
                        Err(e) => {
                            tracing::warn!(error = %e, "the account-change listener lost its connection");
                            break;
                        }
                    }
                    std::thread::sleep(POLL);
                }
                callers.set_listening(false);
            }
        });
    if let Err(e) = spawned {
        tracing::error!(error = %e, "the account-change listener could not start; every call reads its caller");
    }
}

#[cfg(test)]
mod tests {
    use chrono::Utc;

    use super::Callers;
    use crate::domain::Role;
    use crate::domain::user::User;

    fn user(id: i64, token_version: i32) -> User {
        User {
            id,
            email: crate::domain::Email::parse("a@b.nl").unwrap(),
            role: Role::Advisor,
            active: true,
            municipality_ids: vec![1],
            client_id: None,
            member_id: None,
            created_at: Utc::now(),
            updated_at: Utc::now(),
            token_version,
        }
    }

    #[test]
    fn an_entry_is_used_only_while_a_listener_hears_changes_and_for_its_token_version() {
        let callers = Callers::listened();
        callers.keep(&user(1, 0), callers.generation());
        assert!(callers.get(1, 0).is_none(), "not listening: not kept");
        callers.set_listening(true);
        callers.keep(&user(1, 0), callers.generation());
        assert!(callers.get(1, 0).is_some());
        assert!(callers.get(1, 1).is_none(), "another token version reads the account");
        callers.set_listening(false);
        assert!(callers.get(1, 0).is_none(), "the listener is gone");
        callers.set_listening(true);
        assert!(callers.get(1, 0).is_none(), "it starts empty");
        assert!(Callers::off().get(1, 0).is_none());
    }

    #[test]
    fn a_read_from_before_a_change_is_not_stored() {
        let callers = Callers::listened();
        callers.set_listening(true);
        let before = callers.generation();
        callers.forget(2);
        callers.keep(&user(1, 0), before);
        assert!(callers.get(1, 0).is_none());
        callers.keep(&user(1, 0), callers.generation());
        callers.forget(1);
        assert!(callers.get(1, 0).is_none());
    }
}
