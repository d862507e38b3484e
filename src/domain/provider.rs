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

    /// Why a request of `category` in `municipality_id` cannot be referred to this
    /// provider, if it cannot.
    pub fn unreferable_for(&self, municipality_id: i64, category: &str) -> Option<&'static str> {
        if !self.active {
            Some("the provider is inactive")
        } else if !self.municipality_ids.contains(&municipality_id) {
            Some("the provider does not serve the request's municipality")
        } else if !self.categories.iter().any(|c| c == category) {
            Some("the provider does not offer the request's category")
        } else {
            None
        }
    }
}

#[derive(Default)]
pub struct ProviderFilter {
    pub kind: Option<ProviderKind>,
    pub municipality_id: Option<i64>,
    /// Part of the name, in any case.
    pub name: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn provider() -> ProviderFields {
        ProviderFields {
            kind: ProviderKind::Organisation,
            name: "Stichting Welzijn".into(),
            categories: vec!["garden".into(), "errands".into()],
            municipality_ids: vec![1, 2],
            email: None,
            phone: None,
            active: true,
        }
    }

    #[test]
    fn a_provider_takes_referrals_only_when_active_serving_and_offering() {
        assert_eq!(provider().unreferable_for(2, "errands"), None);
        assert_eq!(
            provider().unreferable_for(3, "errands"),
            Some("the provider does not serve the request's municipality")
        );
        assert_eq!(
            provider().unreferable_for(1, "attic"),
            Some("the provider does not offer the request's category")
        );
        let inactive = ProviderFields {
            active: false,
            ..provider()
        };
        assert_eq!(inactive.unreferable_for(1, "garden"), Some("the provider is inactive"));
    }
}
