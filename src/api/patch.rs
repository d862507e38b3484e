//! PATCH bodies: a field left out changes nothing; `null` clears an optional field.

use serde::{Deserialize, Deserializer};

/// For `Option<Option<T>>` fields with `#[serde(default)]`: absent → `None`,
/// `null` → `Some(None)`, a value → `Some(Some(v))`.
pub fn some_or_null<'de, T, D>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    T: Deserialize<'de>,
    D: Deserializer<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}
