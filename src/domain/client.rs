use chrono::{DateTime, Utc};

use crate::domain::email::Email;
use crate::domain::postcode::Postcode;
use crate::domain::text_enum::text_enum;
use crate::domain::validation::FieldError;

text_enum! {
    /// Who the woonservice project is for ("we are not a cheap handyman service").
    pub enum TargetGroup {
        Elderly = "elderly",
        Disability = "disability",
        InformalCarer = "informal_carer",
    }

    pub enum Language {
        Nl = "nl",
        En = "en",
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Address {
    pub street: String,
    pub house_number: String,
    pub postcode: Postcode,
    pub city: String,
}

/// An informal carer (mantelzorger) who acts for the client; mail goes to them.
#[derive(Debug, Clone, PartialEq)]
pub struct Representative {
    pub name: String,
    pub relation: String,
    pub email: Option<Email>,
    pub phone: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Coordinates {
    pub lat: f64,
    pub lon: f64,
}

impl Coordinates {
    pub fn parse(lat: Option<f64>, lon: Option<f64>) -> Result<Option<Coordinates>, FieldError> {
        match (lat, lon) {
            (None, None) => Ok(None),
            (Some(lat), Some(lon)) => {
                if !(-90.0..=90.0).contains(&lat) {
                    return Err(FieldError::new("lat", "must be between -90 and 90"));
                }
                if !(-180.0..=180.0).contains(&lon) {
                    return Err(FieldError::new("lon", "must be between -180 and 180"));
                }
                Ok(Some(Coordinates { lat, lon }))
            }
            (Some(_), None) => Err(FieldError::new("lon", "is required when lat is given")),
            (None, Some(_)) => Err(FieldError::new("lat", "is required when lon is given")),
        }
    }
}

/// A client must be reachable: by email, by phone or both.
pub fn reachable(has_email: bool, has_phone: bool) -> Result<(), FieldError> {
    if has_email || has_phone {
        Ok(())
    } else {
        Err(FieldError::new(
            "email",
            "a client needs an email address or a phone number (or both)",
        ))
    }
}

/// A resident asking for help.
#[derive(Debug, Clone, PartialEq)]
pub struct ClientFields {
    pub municipality_id: i64,
    pub name: String,
    pub address: Address,
    /// May be empty: such a client can ask, but the woonservice tier skips them.
    pub target_groups: Vec<TargetGroup>,
    pub email: Option<Email>,
    pub phone: Option<String>,
    pub preferred_language: Language,
    pub representative: Option<Representative>,
    pub coordinates: Option<Coordinates>,
}

impl ClientFields {
    /// Rules across fields; the fields themselves were parsed already.
    pub fn check(&self) -> Result<(), Vec<FieldError>> {
        reachable(self.email.is_some(), self.phone.is_some()).map_err(|e| vec![e])
    }

    /// Whether the woonservice tier is for this client at all.
    pub fn in_target_group(&self) -> bool {
        !self.target_groups.is_empty()
    }

    /// The street address on one line, as a visitor reads it.
    pub fn address_line(&self) -> String {
        let a = &self.address;
        format!("{} {}, {} {}", a.street, a.house_number, a.postcode, a.city)
    }

    /// The number to ring about a visit: the client's own, else their representative's.
    pub fn phone_to_call(&self) -> Option<String> {
        self.phone
            .clone()
            .or_else(|| self.representative.as_ref().and_then(|r| r.phone.clone()))
    }

    /// Where mail for this client goes: the representative's address when they have
    /// one, else the client's own; `None` means the client gets no mail.
    pub fn mail_address(&self) -> Option<&Email> {
        match &self.representative {
            Some(Representative { email: Some(email), .. }) => Some(email),
            _ => self.email.as_ref(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Client {
    pub id: i64,
    pub fields: ClientFields,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Changes to a client; `Some(None)` clears an optional field.
#[derive(Debug, Default)]
pub struct ClientPatch {
    pub municipality_id: Option<i64>,
    pub name: Option<String>,
    pub address: Option<Address>,
    pub target_groups: Option<Vec<TargetGroup>>,
    pub email: Option<Option<Email>>,
    pub phone: Option<Option<String>>,
    pub preferred_language: Option<Language>,
    pub representative: Option<Option<Representative>>,
    pub coordinates: Option<Option<Coordinates>>,
}

impl ClientFields {
    pub fn apply(mut self, patch: ClientPatch) -> Result<ClientFields, Vec<FieldError>> {
        if let Some(v) = patch.municipality_id {
            self.municipality_id = v;
        }
        if let Some(v) = patch.name {
            self.name = v;
        }
        if let Some(v) = patch.address {
            self.address = v;
        }
        if let Some(v) = patch.target_groups {
            self.target_groups = v;
        }
        if let Some(v) = patch.email {
            self.email = v;
        }
        if let Some(v) = patch.phone {
            self.phone = v;
        }
        if let Some(v) = patch.preferred_language {
            self.preferred_language = v;
        }
        if let Some(v) = patch.representative {
            self.representative = v;
        }
        if let Some(v) = patch.coordinates {
            self.coordinates = v;
        }
        self.check()?;
        Ok(self)
    }
}
