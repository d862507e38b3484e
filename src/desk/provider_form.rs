//! The provider form of the desk (register and edit), read into the API's own bodies
//! so that the API's parsing decides what is valid.

use serde::Serialize;

use crate::api::providers::{CreateProvider, UpdateProvider};
use crate::domain::provider::{Provider, ProviderKind};
use crate::error::AppError;

use super::page::Form;

/// The kinds in the order an advisor thinks of them, with their Dutch names.
pub const KINDS: [(ProviderKind, &str); 3] = [
    (ProviderKind::PrivateProvider, "Particuliere aanbieder (zzp)"),
    (ProviderKind::Business, "Bedrijf"),
    (ProviderKind::Organisation, "Lokale organisatie"),
];

pub fn kind_name(kind: ProviderKind) -> &'static str {
    KINDS
        .iter()
        .find(|(k, _)| *k == kind)
        .map(|(_, name)| *name)
        .unwrap_or("Aanbieder")
}

fn kind(form: &Form) -> Result<ProviderKind, AppError> {
    form.get("kind")
        .parse()
        .map_err(|_| AppError::invalid("kind", "must be one of the kinds"))
}

/// Ids a select or checkbox list sent; the form offers only numbers, so another
/// value was not sent by it and is dropped.
pub fn ids(form: &Form, name: &str) -> Vec<i64> {
    form.all(name).into_iter().filter_map(|v| v.parse().ok()).collect()
}

fn codes(form: &Form, name: &str) -> Vec<String> {
    form.all(name).into_iter().map(str::to_owned).collect()
}

pub fn to_create(form: &Form) -> Result<CreateProvider, AppError> {
    Ok(CreateProvider {
        kind: kind(form)?,
        name: form.get("name").trim().to_owned(),
        categories: codes(form, "categories"),
        municipality_ids: ids(form, "municipality_ids"),
        email: form.optional("email"),
        phone: form.optional("phone"),
        active: Some(true),
    })
}

/// Every field of the form is sent, so every field is set (an empty email removes it).
/// Municipalities the user does not serve are not on the form: the service keeps them.
pub fn to_update(form: &Form, kept: &[i64]) -> Result<UpdateProvider, AppError> {
    let mut municipality_ids = ids(form, "municipality_ids");
    municipality_ids.extend(
        kept.iter()
            .filter(|m| !municipality_ids.contains(m))
            .collect::<Vec<_>>(),
    );
    Ok(UpdateProvider {
        kind: Some(kind(form)?),
        name: Some(form.get("name").trim().to_owned()),
        categories: Some(codes(form, "categories")),
        municipality_ids: Some(municipality_ids),
        email: Some(form.optional("email")),
        phone: Some(form.optional("phone")),
        active: Some(form.get("active") == "ja"),
    })
}

/// A stored provider as the form's values.
pub fn values_of(provider: &Provider) -> minijinja::Value {
    #[derive(Serialize)]
    struct Values<'a> {
        kind: &'a str,
        name: &'a str,
        categories: &'a [String],
        municipality_ids: Vec<String>,
        email: &'a str,
        phone: &'a str,
        active: &'a str,
    }
    let f = &provider.fields;
    minijinja::Value::from_serialize(Values {
        kind: f.kind.as_str(),
        name: &f.name,
        categories: &f.categories,
        municipality_ids: f.municipality_ids.iter().map(i64::to_string).collect(),
        email: f.email.as_ref().map(|e| e.as_str()).unwrap_or(""),
        phone: f.phone.as_deref().unwrap_or(""),
        active: if f.active { "ja" } else { "" },
    })
}
