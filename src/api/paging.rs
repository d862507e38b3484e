//! `?limit=&cursor=` and the `{items, next_cursor, prev_cursor}` answer of every list.
//!
//! A cursor is opaque to callers: a position in the list plus a check tag, in base64url.
//! A cursor that was altered fails its tag and answers 400, never 500.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};

use crate::domain::page::{Direction, PageRequest, Position};
use crate::error::AppError;

const TAG_SALT: &[u8] = b"woonservice cursor v1";

/// What a list's sort key looks like inside a cursor.
pub trait CursorKey: Sized {
    fn encode(&self) -> String;
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

fn tag(payload: &[u8]) -> [u8; 6] {
    let digest = Sha256::new().chain_update(TAG_SALT).chain_update(payload).finalize();
    let mut tag = [0; 6];
    tag.copy_from_slice(&digest[..6]);
    tag
}

pub fn encode<K: CursorKey>(position: &Position<K>) -> String {
    let direction = match position.direction {
        Direction::After => 'a',
        Direction::Before => 'b',
    };
    let mut bytes = format!("{direction}|{}|{}", position.id, position.key.encode()).into_bytes();
    let tag = tag(&bytes);
    bytes.extend_from_slice(&tag);
    URL_SAFE_NO_PAD.encode(bytes)
}

pub fn decode<K: CursorKey>(cursor: &str) -> Result<Position<K>, AppError> {
    let invalid = || AppError::BadRequest("cursor: not a cursor this service gave out".into());
    let bytes = URL_SAFE_NO_PAD.decode(cursor.trim()).map_err(|_| invalid())?;
    if bytes.len() < 7 {
        return Err(invalid());
    }
    let (payload, given) = bytes.split_at(bytes.len() - 6);
    if tag(payload) != given {
        return Err(invalid());
    }
    let text = std::str::from_utf8(payload).map_err(|_| invalid())?;
    let mut parts = text.splitn(3, '|');
    let direction = match parts.next() {
        Some("a") => Direction::After,
        Some("b") => Direction::Before,
        _ => return Err(invalid()),
    };
    let id = parts.next().and_then(|s| s.parse().ok()).ok_or_else(invalid)?;
    let key = parts.next().and_then(K::decode).ok_or_else(invalid)?;
    Ok(Position { direction, key, id })
}

/// Reads `limit` (1–200, default 50; out of range is 422) and `cursor` (tampered is 400).
pub fn page_request<K: CursorKey>(limit: Option<i64>, cursor: Option<&str>) -> Result<PageRequest<K>, AppError> {
    let limit = PageRequest::<K>::parse_limit(limit).map_err(|m| AppError::invalid("limit", m))?;
    let position = cursor.filter(|c| !c.is_empty()).map(decode::<K>).transpose()?;
    Ok(PageRequest { limit, position })
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
                page: $crate::domain::page::Page<T, K>,
                item: impl FnMut(T) -> $item,
            ) -> $name {
                $name {
                    next_cursor: page.next.as_ref().map($crate::api::paging::encode),
                    prev_cursor: page.prev.as_ref().map($crate::api::paging::encode),
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

    #[test]
    fn a_cursor_reads_back_and_an_altered_one_is_refused() {
        let position = Position {
            direction: Direction::Before,
            key: (),
            id: 42,
        };
        let cursor = encode(&position);
        assert_eq!(decode::<()>(&cursor).unwrap(), position);
        let mut altered = cursor.into_bytes();
        altered[1] = if altered[1] == b'A' { b'B' } else { b'A' };
        let altered = String::from_utf8(altered).unwrap();
        assert!(matches!(decode::<()>(&altered), Err(AppError::BadRequest(_))));
        assert!(matches!(decode::<()>("!!!"), Err(AppError::BadRequest(_))));
        assert!(matches!(decode::<()>(""), Err(AppError::BadRequest(_))));
    }

    #[test]
    fn limits_outside_one_to_two_hundred_are_422() {
        assert!(matches!(
            page_request::<()>(Some(0), None),
            Err(AppError::Validation(_))
        ));
        assert!(matches!(
            page_request::<()>(Some(201), None),
            Err(AppError::Validation(_))
        ));
        assert_eq!(page_request::<()>(None, None).unwrap().limit, 50);
    }
}
