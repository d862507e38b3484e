use chrono::{DateTime, Utc};

use crate::domain::email::Email;
use crate::domain::text_enum::text_enum;

text_enum! {
    pub enum ProviderKind {
        /// A self-employed provider (zzp'er): tier 3.
        PrivateProvider = "private_provider",
        /// A company: tier 4, the last resort.
        Business = "business",
        /// An existing local organisation (welfare foundation, church group, …). The
        /// engine never routes to it: its presence means the woonservice project must
        /// not compete. An advisor may refer a client to it by hand.
        Organisation = "organisation",
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ProviderFields {
    pub kind: ProviderKind,
    pub name: String,
    pub categories: Vec<String>,
    pub municipality_ids: Vec<i64>,
    pub email: Option<Email>,
    pub phone: Option<String>,
    /// False: kept for history, never routed or referred to.
    pub active: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Provider {
    pub id: i64,
    pub fields: ProviderFields,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Default)]
pub struct ProviderPatch {
    pub kind: Option<ProviderKind>,
    pub name: Option<String>,
    pub categories: Option<Vec<String>>,
    pub municipality_ids: Option<Vec<i64>>,
    pub email: Option<Option<Email>>,
    pub phone: Option<Option<String>>,
    pub active: Option<bool>,
}

impl ProviderFields {
    pub fn apply(mut self, patch: ProviderPatch) -> ProviderFields {
        macro_rules! set {
            ($($field:ident),*) => { $( if let Some(v) = patch.$field { self.$field = v; } )* };
        }
        set!(kind, name, categories, municipality_ids, email, phone, active);
        self
    }
}

#[derive(Default)]
pub struct ProviderFilter {
    pub kind: Option<ProviderKind>,
    pub municipality_id: Option<i64>,
}
