//! The text rules' patterns are `domain::contact`'s constants, but utoipa's `pattern =`
//! takes only a string literal. So a field names the constant instead
//! (`pattern = "contact::LINE_PATTERN"`), and this puts in its value, in every schema of
//! the document, once: a rule changed in `domain::contact` is the document's rule too.

use utoipa::openapi::schema::{AdditionalProperties, ArrayItems, Schema};
use utoipa::openapi::{OpenApi, RefOr};

use crate::api::openapi::operations_mut;
use crate::domain::contact::{LINE_PATTERN, PHONE_PATTERN, TEXT_PATTERN};

/// Each name a field may give as its pattern, with the pattern it stands for.
pub const NAMED: [(&str, &str); 3] = [
    ("contact::LINE_PATTERN", LINE_PATTERN),
    ("contact::TEXT_PATTERN", TEXT_PATTERN),
    ("contact::PHONE_PATTERN", PHONE_PATTERN),
];

pub fn fill_in(doc: &mut OpenApi) {
    if let Some(components) = doc.components.as_mut() {
        components.schemas.values_mut().for_each(fill_schema);
    }
    for item in doc.paths.paths.values_mut() {
        for op in operations_mut(item) {
            for parameter in op.parameters.iter_mut().flatten() {
                parameter.schema.iter_mut().for_each(fill_schema);
            }
            if let Some(body) = op.request_body.as_mut() {
                for content in body.content.values_mut() {
                    content.schema.iter_mut().for_each(fill_schema);
                }
            }
        }
    }
}

fn fill_schema(schema: &mut RefOr<Schema>) {
    let RefOr::T(schema) = schema else {
        return;
    };
    match schema {
        Schema::Object(object) => {
            if let Some(pattern) = object.pattern.as_mut()
                && let Some((_, value)) = NAMED.iter().find(|(name, _)| name == pattern)
            {
                *pattern = (*value).to_owned();
            }
            object.properties.values_mut().for_each(fill_schema);
            if let Some(additional) = object.additional_properties.as_deref_mut()
                && let AdditionalProperties::RefOr(schema) = additional
            {
                fill_schema(schema);
            }
        }
        Schema::Array(array) => {
            if let ArrayItems::RefOrSchema(items) = &mut array.items {
                fill_schema(items);
            }
        }
        Schema::OneOf(one_of) => one_of.items.iter_mut().for_each(fill_schema),
        Schema::AllOf(all_of) => all_of.items.iter_mut().for_each(fill_schema),
        Schema::AnyOf(any_of) => any_of.items.iter_mut().for_each(fill_schema),
        _ => {}
    }
}
