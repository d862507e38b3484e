//! `?limit=&cursor=` and the `{items, next_cursor, prev_cursor}` answer of every list.
//!
//! A cursor is opaque to callers: a position in the list plus an HMAC tag under a key
//! derived from the server secret, in base64url. The source is public, so a plain hash
//! would let anyone make cursors; with the key, only this service can. A cursor that
//! was altered or made elsewhere answers 400, never 500 — and so does a signed one whose
//! key lies outside what both databases store (see [`STORED_YEARS`]).

use std::ops::RangeInclusive;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::domain::page::{Direction, PageRequest, Position};
use crate::error::AppError;

/// Tag bytes kept from the HMAC: 128 bits, beyond guessing through the API.
const TAG_LEN: usize = 16;

/// Years a date or timestamp in a cursor may have. PostgreSQL refuses dates before
/// 4713 BC; SQLite keeps dates as text, which sorts right for four-digit years only.
/// Every row's dates are inside this range, so a cursor outside it was not ours.
pub const STORED_YEARS: RangeInclusive<i32> = 1..=9999;

/// What a list's sort key looks like inside a cursor.
pub trait CursorKey: Sized {
    fn encode(&self) -> String;
    /// `None` for text that is not a key, or a key no stored row can have.
    fn decode(text: &str) -> Option<Self>;
}

impl CursorKey for () {
    fn encode(&self) -> String {
        String::new()
    }

    fn decode(text: &str) -> Option<()> {
        text.is_empty().then_some(())
    }
}

/// Makes and reads the cursors of every list; one per server, shared by its workers.
pub struct Cursors {
    key: [u8; 32],
}

/// What `ServerKeys::derive` is asked for: a new purpose gives a new key.
pub const KEY_PURPOSE: &str = "list cursors v2";

impl Cursors {
    pub fn new(key: [u8; 32]) -> Cursors {
        Cursors { key }
    }

    fn mac(&self, payload: &[u8]) -> Hmac<Sha256> {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.key).expect("HMAC takes a key of any length");
        mac.update(payload);
        mac
    }

    pub fn encode<K: CursorKey>(&self, position: &Position<K>) -> String {
        let direction = match position.direction {
            Direction::After => 'a',
            Direction::Before => 'b',
        };
        let mut bytes = format!("{direction}|{}|{}", position.id, position.key.encode()).into_bytes();
        let tag = self.mac(&bytes).finalize().into_bytes();
        bytes.extend_from_slice(&tag[..TAG_LEN]);
        URL_SAFE_NO_PAD.encode(bytes)
    }

    pub fn decode<K: CursorKey>(&self, cursor: &str) -> Result<Position<K>, AppError> {
        let invalid = || AppError::BadRequest("cursor: not a cursor this service gave out".into());
        let bytes = URL_SAFE_NO_PAD.decode(cursor.trim()).map_err(|_| invalid())?;
        if bytes.len() <= TAG_LEN {
            return Err(invalid());
        }
        let (payload, given) = bytes.split_at(bytes.len() - TAG_LEN);
        self.mac(payload).verify_truncated_left(given).map_err(|_| invalid())?;
        let text = std::str::from_utf8(payload).map_err(|_| invalid())?;
        let mut parts = text.splitn(3, '|');
        let direction = match parts.next() {
            Some("a") => Direction::After,
            Some("b") => Direction::Before,
            _ => return Err(invalid()),
        };
        // Row ids start at 1 in both databases.
        let id = parts
            .next()
            .and_then(|s| s.parse::<i64>().ok())
            .filter(|id| *id >= 1)
            .ok_or_else(invalid)?;
        let key = parts.next().and_then(K::decode).ok_or_else(invalid)?;
        Ok(Position { direction, key, id })
    }

    /// Reads `limit` (1–200, default 50; out of range is 422) and `cursor` (tampered is 400).
    pub fn page_request<K: CursorKey>(
        &self,
        limit: Option<i64>,
        cursor: Option<&str>,
    ) -> Result<PageRequest<K>, AppError> {
        let limit = PageRequest::<K>::parse_limit(limit).map_err(|m| AppError::invalid("limit", m))?;
        let position = cursor
            .filter(|c| !c.is_empty())
            .map(|c| self.decode::<K>(c))
            .transpose()?;
        Ok(PageRequest { limit, position })
    }
}

/// Declares the list answer of one resource: `{items, next_cursor, prev_cursor}`.
macro_rules! list_type {
    ($name:ident, $item:ty) => {
        #[derive(serde::Serialize, utoipa::ToSchema)]
        pub struct $name {
            pub items: Vec<$item>,
            /// Pass as `cursor` for the page after this one; `null` on the last page.
            #[schema(required = true)]
            pub next_cursor: Option<String>,
            /// Pass as `cursor` for the page before this one; `null` on the first page.
            #[schema(required = true)]
            pub prev_cursor: Option<String>,
        }

        impl $name {
            pub fn from_page<T, K: $crate::api::paging::CursorKey>(
                cursors: &$crate::api::paging::Cursors,
                page: $crate::domain::page::Page<T, K>,
                item: impl FnMut(T) -> $item,
            ) -> $name {
                $name {
                    next_cursor: page.next.as_ref().map(|p| cursors.encode(p)),
                    prev_cursor: page.prev.as_ref().map(|p| cursors.encode(p)),
                    items: page.items.into_iter().map(item).collect(),
                }
            }
        }
    };
}

pub(crate) use list_type;

#[cfg(test)]
mod tests {
    use super::*;

    fn cursors() -> Cursors {
        Cursors::new([7; 32])
    }

    #[test]
    fn a_cursor_reads_back_and_an_altered_one_is_refused() {
        let position = Position {
            direction: Direction::Before,
            key: (),
            id: 42,
        };
        let cursor = cursors().encode(&position);
        assert_eq!(cursors().decode::<()>(&cursor).unwrap(), position);
        let mut altered = cursor.into_bytes();
        altered[1] = if altered[1] == b'A' { b'B' } else { b'A' };
        let altered = String::from_utf8(altered).unwrap();
        assert!(matches!(cursors().decode::<()>(&altered), Err(AppError::BadRequest(_))));
        assert!(matches!(cursors().decode::<()>("!!!"), Err(AppError::BadRequest(_))));
        assert!(matches!(cursors().decode::<()>(""), Err(AppError::BadRequest(_))));
    }

    #[test]
    fn a_cursor_made_with_another_key_is_refused() {
        let position = Position {
            direction: Direction::After,
            key: (),
            id: 42,
        };
        let foreign = Cursors::new([8; 32]).encode(&position);
        assert!(matches!(cursors().decode::<()>(&foreign), Err(AppError::BadRequest(_))));
    }

    #[test]
    fn a_signed_cursor_with_an_id_no_row_has_is_refused() {
        for id in [0, -1, i64::MIN] {
            let cursor = cursors().encode(&Position {
                direction: Direction::After,
                key: (),
                id,
            });
            assert!(
                matches!(cursors().decode::<()>(&cursor), Err(AppError::BadRequest(_))),
                "{id}"
            );
        }
    }

    #[test]
    fn limits_outside_one_to_two_hundred_are_422() {
        assert!(matches!(
            cursors().page_request::<()>(Some(0), None),
            Err(AppError::Validation(_))
        ));
        assert!(matches!(
            cursors().page_request::<()>(Some(201), None),
            Err(AppError::Validation(_))
        ));
        assert_eq!(cursors().page_request::<()>(None, None).unwrap().limit, 50);
    }
}
