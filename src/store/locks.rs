//! Row locks that make check-then-write safe under concurrent requests.
//!
//! The rule, in one place: every write that checks an invariant across rows (a
//! member's overlapping assignments and weekly hours, a client's vouchers) first locks
//! the row that owns those rows, inside its write transaction.
//! - PostgreSQL: `SELECT … FOR UPDATE` on the owner row; a second transaction waits
//!   there until the first commits, then sees its writes.
//! - SQLite: the transaction took the database write lock at `BEGIN IMMEDIATE`
//!   (`store::tx::write`), so writers are already one at a time; nothing more to do.

use diesel::prelude::*;

use crate::error::AppResult;
use crate::store::DbConnection;
use crate::store::per_backend::postgres_only;
use crate::store::schema::{clients, members};

pub fn member(conn: &mut DbConnection, id: i64) -> AppResult<()> {
    postgres_only!(conn, |pg| members::table
        .find(id)
        .select(members::id)
        .for_update()
        .first::<i64>(pg)
        .optional())
    .transpose()?;
    Ok(())
}

pub fn client(conn: &mut DbConnection, id: i64) -> AppResult<()> {
    postgres_only!(conn, |pg| clients::table
        .find(id)
        .select(clients::id)
        .for_update()
        .first::<i64>(pg)
        .optional())
    .transpose()?;
    Ok(())
}

/// A request's lock is the one `requests::find_locked` takes, so that a use case that
/// needs the row and one that needs only the lock cannot lock it two ways.
pub fn request(conn: &mut DbConnection, id: i64) -> AppResult<()> {
    crate::store::requests::find_locked(conn, id).map(|_| ())
}

/// Serialises login attempts that share an account or a client address, so that
/// counting them and recording a new one is one step: PostgreSQL takes a
/// transaction-scoped advisory lock per key (in a fixed order, so two attempts never
/// wait on each other crosswise); SQLite's write lock already does it.
pub fn login_keys(conn: &mut DbConnection, keys: &[&str]) -> AppResult<()> {
    let mut hashes: Vec<i64> = keys.iter().map(|k| advisory_key(k)).collect();
    hashes.sort_unstable();
    hashes.dedup();
    for hash in hashes {
        postgres_only!(conn, |pg| diesel::sql_query("SELECT pg_advisory_xact_lock($1)")
            .bind::<diesel::sql_types::BigInt, _>(hash)
            .execute(pg))
        .transpose()?;
    }
    Ok(())
}

/// A stable 64-bit key for a text (the first eight bytes of its SHA-256).
fn advisory_key(text: &str) -> i64 {
    use sha2::{Digest, Sha256};
    let digest = Sha256::new()
        .chain_update(b"woonservice login ")
        .chain_update(text)
        .finalize();
    let mut bytes = [0u8; 8];
    bytes.copy_from_slice(&digest[..8]);
    i64::from_be_bytes(bytes)
}
