//! Enums stored as text and sent as snake_case strings.

/// Declares enums whose variants have a fixed text form, used in JSON, in the OpenAPI
/// document and in the database alike. The literal after each variant is the only
/// place that text is written: `as_str`, `FromStr`, `Display`, serde's `Serialize` and
/// `Deserialize`, and utoipa's schema (type string, the texts in order as its `enum`,
/// the enum's doc comment as its description) are all made from it. The store gives
/// the same enums their diesel conversions (`store::text_columns`).
///
/// One invocation declares every text enum of a module: it also emits a test module,
/// `text_enum_round_trip`, that runs each enum through all those forms, and a second
/// invocation in the same module would not compile (two modules of that name), so no
/// enum escapes the test.
macro_rules! text_enum {
    ($(
        $(#[doc = $doc:literal])*
        pub enum $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal),+ $(,)? }
    )+) => {
        $(
            $crate::domain::text_enum::text_enum!(@one
                $(#[doc = $doc])* pub enum $name { $($(#[$vmeta])* $variant = $text),+ }
            );
        )+

        #[cfg(test)]
        mod text_enum_round_trip {
            #[test]
            fn every_variant_has_one_text_form_in_rust_json_the_schema_and_errors() {
                $($crate::domain::text_enum::round_trip(super::$name::ALL, super::$name::as_str);)+
            }
        }
    };

    (@one
        $(#[doc = $doc:literal])*
        pub enum $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal),+ }
    ) => {
        $(#[doc = $doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// Every text form, in the order of `ALL`.
            const TEXTS: &'static [&'static str] = &[$($text),+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }
        }

        impl std::str::FromStr for $name {
            type Err = String;

            fn from_str(s: &str) -> Result<$name, String> {
                match s {
                    $($text => Ok($name::$variant),)+
                    _ => Err(format!("must be one of {}, got {s:?}", $name::TEXTS.join(", "))),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        // What `#[derive(Serialize)]` writes for a unit variant, with the text form as its name.
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_unit_variant(stringify!($name), *self as u32, self.as_str())
            }
        }

        // What `#[derive(Deserialize)]` reads for unit variants, so an unknown value is
        // still "unknown variant `x`, expected one of `a`, `b`".
        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<$name, D::Error> {
                deserializer.deserialize_enum(
                    stringify!($name),
                    $name::TEXTS,
                    $crate::domain::text_enum::EnumVisitor::<$name>::new(
                        concat!("enum ", stringify!($name)),
                        $name::ALL,
                        $name::TEXTS,
                    ),
                )
            }
        }

        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                $crate::domain::text_enum::schema($name::TEXTS, &[$($doc),*])
            }
        }

        impl utoipa::ToSchema for $name {
            fn name() -> std::borrow::Cow<'static, str> {
                std::borrow::Cow::Borrowed(stringify!($name))
            }
        }
    };
}

pub(crate) use text_enum;

use std::fmt;

use serde::de::{self, Deserializer, EnumAccess, VariantAccess, Visitor};

/// The schema `#[derive(ToSchema)]` gives a unit-only enum: a string, its values in
/// order, and the doc comment — lines joined, common leading spaces and trailing
/// whitespace removed, as utoipa does — as description when there is one.
pub fn schema(texts: &[&'static str], doc: &[&str]) -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
    use utoipa::openapi::schema::{ObjectBuilder, SchemaType, Type};
    let lines: Vec<&str> = doc.iter().map(|line| line.trim_end()).collect();
    let indent = lines
        .iter()
        .filter(|line| !line.is_empty())
        .map(|line| line.len() - line.trim_start_matches(' ').len())
        .min()
        .unwrap_or(0);
    let description = lines
        .iter()
        .map(|line| if line.is_empty() { *line } else { &line[indent..] })
        .collect::<Vec<_>>()
        .join("\n");
    ObjectBuilder::new()
        .schema_type(SchemaType::new(Type::String))
        .description((!doc.is_empty()).then_some(description))
        .enum_values(Some(texts.iter().copied()))
        .into()
}

/// Reads a unit variant by its text form; made by `text_enum!`'s `Deserialize`.
pub struct EnumVisitor<T: 'static> {
    expecting: &'static str,
    all: &'static [T],
    texts: &'static [&'static str],
}

impl<T: 'static> EnumVisitor<T> {
    pub fn new(expecting: &'static str, all: &'static [T], texts: &'static [&'static str]) -> EnumVisitor<T> {
        EnumVisitor { expecting, all, texts }
    }
}

impl<'de, T: Copy + 'static> Visitor<'de> for EnumVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.expecting)
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<T, A::Error> {
        let (index, variant) = data.variant_seed(VariantIndex { texts: self.texts })?;
        variant.unit_variant()?;
        Ok(self.all[index])
    }
}

/// The position of a variant, from its text form (or its index, as serde's derive allows).
struct VariantIndex {
    texts: &'static [&'static str],
}

impl<'de> de::DeserializeSeed<'de> for VariantIndex {
    type Value = usize;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<usize, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl<'de> Visitor<'de> for VariantIndex {
    type Value = usize;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("variant identifier")
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<usize, E> {
        usize::try_from(v)
            .ok()
            .filter(|i| *i < self.texts.len())
            .ok_or_else(|| {
                let expected = format!("variant index 0 <= i < {}", self.texts.len());
                E::invalid_value(de::Unexpected::Unsigned(v), &expected.as_str())
            })
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<usize, E> {
        self.texts
            .iter()
            .position(|text| *text == v)
            .ok_or_else(|| E::unknown_variant(v, self.texts))
    }

    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<usize, E> {
        match std::str::from_utf8(v) {
            Ok(v) => self.visit_str(v),
            Err(_) => Err(E::unknown_variant(&String::from_utf8_lossy(v), self.texts)),
        }
    }
}

/// Holds one `text_enum!` enum to its text forms; run by the test each invocation emits.
#[cfg(test)]
pub fn round_trip<T>(all: &[T], text: fn(T) -> &'static str)
where
    T: Copy
        + fmt::Debug
        + fmt::Display
        + PartialEq
        + std::str::FromStr<Err = String>
        + serde::Serialize
        + serde::de::DeserializeOwned
        + utoipa::ToSchema,
{
    use serde_json::{Value, json};

    let texts: Vec<&str> = all.iter().map(|v| text(*v)).collect();
    let mut unique = texts.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(
        unique.len(),
        texts.len(),
        "{}: two variants share a text form",
        T::name()
    );

    for (v, text) in all.iter().zip(&texts) {
        assert_eq!(v.to_string(), *text);
        assert_eq!(text.parse::<T>().as_ref(), Ok(v));
        assert_eq!(serde_json::to_value(v).unwrap(), Value::String((*text).into()));
        assert_eq!(serde_json::from_value::<T>(json!(text)).unwrap(), *v);
    }

    let schema = serde_json::to_value(T::schema()).unwrap();
    assert_eq!(schema["type"], "string");
    assert_eq!(schema["enum"], json!(texts));

    let listed: Vec<String> = texts.iter().map(|t| format!("`{t}`")).collect();
    let unknown = serde_json::from_value::<T>(json!("no_such_value")).unwrap_err();
    let expected = match listed.as_slice() {
        [one] => format!("unknown variant `no_such_value`, expected {one}"),
        [first, second] => format!("unknown variant `no_such_value`, expected {first} or {second}"),
        _ => format!("unknown variant `no_such_value`, expected one of {}", listed.join(", ")),
    };
    assert_eq!(unknown.to_string(), expected);
    assert_eq!(
        "no_such_value".parse::<T>(),
        Err(format!("must be one of {}, got \"no_such_value\"", texts.join(", ")))
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The schema made by hand is the one the derive made before: same keys, same order.
    #[test]
    fn the_description_is_the_doc_comment_as_utoipa_reads_it() {
        let described = serde_json::to_string(&schema(&["a", "b"], &[" First line.", " Second  "])).unwrap();
        assert_eq!(
            described,
            r#"{"type":"string","description":"First line.\nSecond","enum":["a","b"]}"#
        );
        let bare = serde_json::to_string(&schema(&["a"], &[])).unwrap();
        assert_eq!(bare, r#"{"type":"string","enum":["a"]}"#);
    }
}
