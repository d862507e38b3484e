//! The client form of the desk (intake and edit), read into the API's own bodies so
//! that the API's parsing decides what is valid. Field names are the body's paths
//! (`address.postcode`), so the service's errors land beside their field.

use serde::Serialize;

use crate::api::clients::{AddressDto, CreateClient, RepresentativeDto, UpdateClient};
use crate::domain::client::{Client, Language, TargetGroup};

use super::page::Form;

fn address(form: &Form) -> AddressDto {
    AddressDto {
        street: form.get("address.street").trim().to_owned(),
        house_number: form.get("address.house_number").trim().to_owned(),
        postcode: form.get("address.postcode").trim().to_owned(),
        city: form.get("address.city").trim().to_owned(),
    }
}

/// A representative when any of their fields is filled in.
fn representative(form: &Form) -> Option<RepresentativeDto> {
    let name = form.get("representative.name").trim();
    let relation = form.get("representative.relation").trim();
    let email = form.optional("representative.email");
    let phone = form.optional("representative.phone");
    if name.is_empty() && relation.is_empty() && email.is_none() && phone.is_none() {
        return None;
    }
    Some(RepresentativeDto {
        name: name.to_owned(),
        relation: relation.to_owned(),
        email,
        phone,
    })
}

fn groups(form: &Form) -> Vec<TargetGroup> {
    form.all("target_groups")
        .into_iter()
        .filter_map(|g| g.parse::<TargetGroup>().ok())
        .collect()
}

fn language(form: &Form) -> Language {
    form.get("preferred_language").parse().unwrap_or(Language::Nl)
}

pub fn to_create(form: &Form, municipality_id: i64) -> CreateClient {
    CreateClient {
        municipality_id,
        name: form.get("name").trim().to_owned(),
        address: address(form),
        target_groups: groups(form),
        email: form.optional("email"),
        phone: form.optional("phone"),
        preferred_language: Some(language(form)),
        representative: representative(form),
        lat: None,
        lon: None,
    }
}

/// Every field of the form is sent, so every field is set (an empty email removes it).
pub fn to_update(form: &Form) -> UpdateClient {
    UpdateClient {
        municipality_id: None,
        name: Some(form.get("name").trim().to_owned()),
        address: Some(address(form)),
        target_groups: Some(groups(form)),
        email: Some(form.optional("email")),
        phone: Some(form.optional("phone")),
        preferred_language: Some(language(form)),
        representative: Some(representative(form)),
        lat: None,
        lon: None,
    }
}

/// A stored client as the form's values.
pub fn values_of(client: &Client) -> minijinja::Value {
    #[derive(Serialize)]
    struct Values<'a> {
        name: &'a str,
        #[serde(rename = "address.street")]
        street: &'a str,
        #[serde(rename = "address.house_number")]
        house_number: &'a str,
        #[serde(rename = "address.postcode")]
        postcode: String,
        #[serde(rename = "address.city")]
        city: &'a str,
        email: &'a str,
        phone: &'a str,
        preferred_language: &'a str,
        target_groups: Vec<&'a str>,
        #[serde(rename = "representative.name")]
        representative_name: &'a str,
        #[serde(rename = "representative.relation")]
        representative_relation: &'a str,
        #[serde(rename = "representative.email")]
        representative_email: &'a str,
        #[serde(rename = "representative.phone")]
        representative_phone: &'a str,
    }
    let f = &client.fields;
    let r = f.representative.as_ref();
    minijinja::Value::from_serialize(Values {
        name: &f.name,
        street: &f.address.street,
        house_number: &f.address.house_number,
        postcode: f.address.postcode.to_string(),
        city: &f.address.city,
        email: f.email.as_ref().map(|e| e.as_str()).unwrap_or(""),
        phone: f.phone.as_deref().unwrap_or(""),
        preferred_language: f.preferred_language.as_str(),
        target_groups: f.target_groups.iter().map(|g| g.as_str()).collect(),
        representative_name: r.map(|r| r.name.as_str()).unwrap_or(""),
        representative_relation: r.map(|r| r.relation.as_str()).unwrap_or(""),
        representative_email: r.and_then(|r| r.email.as_ref()).map(|e| e.as_str()).unwrap_or(""),
        representative_phone: r.and_then(|r| r.phone.as_deref()).unwrap_or(""),
    })
}
