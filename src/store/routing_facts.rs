//! What the matching engine needs from the store, gathered in as few round trips as
//! possible: one statement for the request's preconditions, one for the skilled
//! members of both member tiers, one for the providers of both provider tiers.

use chrono::NaiveDate;
use diesel::dsl::exists;
use diesel::prelude::*;

use crate::domain::member::Member;
use crate::domain::municipality::MunicipalityFields;
use crate::domain::provider::ProviderKind;
use crate::error::AppResult;
use crate::store::schema::{
    categories, municipalities, municipality_categories, provider_municipalities, providers, vouchers,
};
use crate::store::vouchers::spendable_on;
use crate::store::{DbConnection, codes, members};

/// The woonservice and volunteer preconditions of one request.
pub struct Preconditions {
    pub category_allows_volunteers: bool,
    pub offered_by_project: bool,
    pub organisation_offers_it: bool,
    pub vouchers_available: i64,
    /// The municipality's hours for a provider to answer a referral.
    pub referral_response_hours: i32,
}

pub fn preconditions(
    conn: &mut DbConnection,
    category: &str,
    municipality_id: i64,
    client_id: i64,
    today: NaiveDate,
) -> AppResult<Preconditions> {
    type Row = (Option<bool>, bool, bool, Option<i64>, Option<i32>);
    let (volunteer_ok, offered, organisation, available, response_hours): Row = diesel::select((
        categories::table
            .filter(categories::code.eq(category))
            .select(categories::volunteer_ok)
            .single_value(),
        exists(
            municipality_categories::table
                .filter(municipality_categories::municipality_id.eq(municipality_id))
                .filter(municipality_categories::category_code.eq(category)),
        ),
        exists(
            providers::table
                .inner_join(provider_municipalities::table)
                .filter(provider_municipalities::municipality_id.eq(municipality_id))
                .filter(providers::kind.eq(ProviderKind::Organisation))
                .filter(providers::active.eq(true))
                .filter(
                    providers::categories
                        .like(codes::containing(category))
                        .escape(codes::LIKE_ESCAPE),
                ),
        ),
        vouchers::table
            .filter(vouchers::client_id.eq(client_id))
            .filter(spendable_on(today))
            .count()
            .single_value(),
        municipalities::table
            .find(municipality_id)
            .select(municipalities::referral_response_hours)
            .single_value(),
    ))
    .get_result(conn)?;
    Ok(Preconditions {
        category_allows_volunteers: volunteer_ok.unwrap_or(false),
        offered_by_project: offered,
        organisation_offers_it: organisation,
        vouchers_available: available.unwrap_or(0),
        referral_response_hours: response_hours.unwrap_or(MunicipalityFields::DEFAULT_REFERRAL_RESPONSE_HOURS),
    })
}

/// Active members of both kinds in a municipality with the skill.
pub fn skilled_members(conn: &mut DbConnection, municipality_id: i64, category: &str) -> AppResult<Vec<Member>> {
    let found = members::active_with_skill(conn, municipality_id, &codes::containing(category))?;
    Ok(found.into_iter().filter(|m| m.fields.can_take(category)).collect())
}

/// A provider (tier 3 or 4, or a local organisation) with its contact.
#[derive(Debug, Clone)]
pub struct ProviderContact {
    pub id: i64,
    pub kind: ProviderKind,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
}

/// id, kind, name, categories, email, phone.
type ProviderRow = (i64, ProviderKind, String, String, Option<String>, Option<String>);

/// Active providers of every kind serving a municipality that offer a category.
pub fn offering_providers(
    conn: &mut DbConnection,
    municipality_id: i64,
    category: &str,
) -> AppResult<Vec<ProviderContact>> {
    let rows: Vec<ProviderRow> = providers::table
        .inner_join(provider_municipalities::table)
        .filter(provider_municipalities::municipality_id.eq(municipality_id))
        .filter(providers::active.eq(true))
        .filter(
            providers::categories
                .like(codes::containing(category))
                .escape(codes::LIKE_ESCAPE),
        )
        .select((
            providers::id,
            providers::kind,
            providers::name,
            providers::categories,
            providers::email,
            providers::phone,
        ))
        .order(providers::id)
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter(|(_, _, _, categories, _, _)| codes::split(categories).iter().any(|c| c == category))
        .map(|(id, kind, name, _, email, phone)| ProviderContact {
            id,
            kind,
            name,
            email,
            phone,
        })
        .collect())
}
