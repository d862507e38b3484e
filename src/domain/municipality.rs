use chrono::{DateTime, Utc};

use crate::domain::money::Money;

/// A municipality running the concept; every record belongs to one.
#[derive(Debug, Clone, PartialEq)]
pub struct Municipality {
    pub id: i64,
    pub fields: MunicipalityFields,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct MunicipalityFields {
    pub name: String,
    /// What one voucher (one hour of work) costs a client here.
    pub voucher_price: Money,
    pub voucher_validity_months: i32,
    /// Vouchers one client may buy per calendar year; `None` is no cap.
    pub yearly_voucher_cap: Option<i32>,
    /// Category codes the woonservice project offers here (tier 2).
    pub woonservice_categories: Vec<String>,
    /// How long a provider has to answer a referral before it expires and the
    /// request routes on (0: the next run of the job).
    pub referral_response_hours: i32,
    /// Days a client has to agree to or dispute the hours of a visit before they are
    /// agreed for them (0: agreed at completion).
    pub sign_off_days: i32,
}

/// Changes to a municipality; `None` leaves a field as it is.
#[derive(Debug, Default)]
pub struct MunicipalityPatch {
    pub name: Option<String>,
    pub voucher_price: Option<Money>,
    pub voucher_validity_months: Option<i32>,
    pub yearly_voucher_cap: Option<Option<i32>>,
    pub woonservice_categories: Option<Vec<String>>,
    pub referral_response_hours: Option<i32>,
    pub sign_off_days: Option<i32>,
}

impl MunicipalityFields {
    pub const DEFAULT_VALIDITY_MONTHS: i32 = 12;
    pub const MAX_VALIDITY_MONTHS: i32 = 120;
    pub const MAX_YEARLY_CAP: i32 = 10_000;
    pub const MAX_PRICE_EUROS: i64 = 1000;
    pub const DEFAULT_REFERRAL_RESPONSE_HOURS: i32 = 48;
    pub const MAX_REFERRAL_RESPONSE_HOURS: i32 = 720;
    pub const DEFAULT_SIGN_OFF_DAYS: i32 = 7;
    pub const MAX_SIGN_OFF_DAYS: i32 = 60;

    pub fn default_price() -> Money {
        Money::from_cents(500)
    }

    pub fn apply(mut self, patch: MunicipalityPatch) -> MunicipalityFields {
        if let Some(name) = patch.name {
            self.name = name;
        }
        if let Some(price) = patch.voucher_price {
            self.voucher_price = price;
        }
        if let Some(months) = patch.voucher_validity_months {
            self.voucher_validity_months = months;
        }
        if let Some(cap) = patch.yearly_voucher_cap {
            self.yearly_voucher_cap = cap;
        }
        if let Some(hours) = patch.referral_response_hours {
            self.referral_response_hours = hours;
        }
        if let Some(days) = patch.sign_off_days {
            self.sign_off_days = days;
        }
        if let Some(categories) = patch.woonservice_categories {
            self.woonservice_categories = categories;
        }
        self
    }
}

pub fn parse_validity_months(months: i64) -> Result<i32, String> {
    if (1..=i64::from(MunicipalityFields::MAX_VALIDITY_MONTHS)).contains(&months) {
        Ok(months as i32)
    } else {
        Err(format!(
            "must be between 1 and {} months",
            MunicipalityFields::MAX_VALIDITY_MONTHS
        ))
    }
}

pub fn parse_referral_response_hours(hours: i64) -> Result<i32, String> {
    if (0..=i64::from(MunicipalityFields::MAX_REFERRAL_RESPONSE_HOURS)).contains(&hours) {
        Ok(hours as i32)
    } else {
        Err(format!(
            "must be between 0 and {} hours",
            MunicipalityFields::MAX_REFERRAL_RESPONSE_HOURS
        ))
    }
}

pub fn parse_sign_off_days(days: i64) -> Result<i32, String> {
    if (0..=i64::from(MunicipalityFields::MAX_SIGN_OFF_DAYS)).contains(&days) {
        Ok(days as i32)
    } else {
        Err(format!(
            "must be between 0 and {} days",
            MunicipalityFields::MAX_SIGN_OFF_DAYS
        ))
    }
}

pub fn parse_yearly_cap(cap: i64) -> Result<i32, String> {
    if (0..=i64::from(MunicipalityFields::MAX_YEARLY_CAP)).contains(&cap) {
        Ok(cap as i32)
    } else {
        Err(format!(
            "must be between 0 and {} vouchers",
            MunicipalityFields::MAX_YEARLY_CAP
        ))
    }
}
