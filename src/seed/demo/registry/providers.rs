//! The demo's six providers: two private providers, two businesses and two local
//! organisations, over the two municipalities.

use chrono::{DateTime, Utc};

use super::{email, id_of};
use crate::domain::provider::{ProviderFields, ProviderKind};
use crate::error::AppResult;
use crate::store::{DbConnection, providers};

struct DemoProvider {
    kind: ProviderKind,
    name: &'static str,
    categories: &'static [&'static str],
    serves: &'static [&'static str],
    email: &'static str,
    phone: &'static str,
}

const PROVIDERS: [DemoProvider; 6] = [
    DemoProvider {
        kind: ProviderKind::PrivateProvider,
        name: "Hovenier Groen & Zo",
        categories: &["gardening"],
        serves: &["Waalre", "Valkenswaard"],
        email: "info@groenenzo.example.nl",
        phone: "06 55 44 33 22",
    },
    DemoProvider {
        kind: ProviderKind::PrivateProvider,
        name: "Klusbedrijf De Handige Buurman",
        categories: &["odd_jobs", "moving"],
        serves: &["Waalre"],
        email: "klussen@handigebuurman.example.nl",
        phone: "06 44 33 22 11",
    },
    DemoProvider {
        kind: ProviderKind::Business,
        name: "Verhuisbedrijf Van Gool B.V.",
        categories: &["moving"],
        serves: &["Waalre", "Valkenswaard"],
        email: "planning@vangool.example.nl",
        phone: "040 230 10 10",
    },
    DemoProvider {
        kind: ProviderKind::Business,
        name: "Klusservice Brabant B.V.",
        categories: &["odd_jobs", "gardening"],
        serves: &["Valkenswaard"],
        email: "info@klusservicebrabant.example.nl",
        phone: "040 230 20 20",
    },
    DemoProvider {
        kind: ProviderKind::Organisation,
        name: "Stichting Welzijn Waalre",
        categories: &["meals", "administration"],
        serves: &["Waalre"],
        email: "info@welzijnwaalre.example.nl",
        phone: "040 222 00 00",
    },
    DemoProvider {
        kind: ProviderKind::Organisation,
        name: "Zonnebloem afdeling Valkenswaard",
        categories: &["errands"],
        serves: &["Valkenswaard"],
        email: "valkenswaard@zonnebloem.example.nl",
        phone: "040 204 00 00",
    },
];

pub(super) fn load(conn: &mut DbConnection, now: DateTime<Utc>) -> AppResult<()> {
    for p in &PROVIDERS {
        let mut municipality_ids = Vec::new();
        for m in p.serves {
            municipality_ids.push(id_of(conn, m)?);
        }
        let fields = ProviderFields {
            kind: p.kind,
            name: p.name.into(),
            categories: p.categories.iter().map(|s| s.to_string()).collect(),
            municipality_ids,
            email: Some(email(p.email)),
            phone: Some(p.phone.into()),
            active: true,
        };
        providers::insert(conn, &fields, now)?;
    }
    Ok(())
}
