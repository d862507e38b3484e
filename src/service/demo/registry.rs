//! Demo part "registry": the projects' categories, clients, members, providers, a
//! handful of requests, and a client and a member account.

use chrono::{Datelike, Duration, NaiveTime, TimeZone, Utc, Weekday};
use chrono_tz::Europe::Amsterdam;

use crate::domain::availability::{RawSlot, WeeklyAvailability};
use crate::domain::client::{Address, ClientFields, Coordinates, Language, Representative, TargetGroup};
use crate::domain::hours::QuarterHours;
use crate::domain::member::{MemberFields, MemberKind, MemberStatus};
use crate::domain::money::Money;
use crate::domain::postcode::Postcode;
use crate::domain::provider::{ProviderFields, ProviderKind};
use crate::domain::request::NewTaskRequest;
use crate::domain::window::DateWindow;
use crate::domain::{Email, Role};
use crate::error::{AppError, AppResult};
use crate::store::users::UserRecord;
use crate::store::{DbConnection, clients, members, municipalities, providers, requests, time, users};

use TargetGroup::{Disability, Elderly, InformalCarer};

struct DemoClient {
    municipality: &'static str,
    name: &'static str,
    street: &'static str,
    number: &'static str,
    postcode: &'static str,
    city: &'static str,
    groups: &'static [TargetGroup],
    email: Option<&'static str>,
    phone: Option<&'static str>,
    language: Language,
    representative: Option<(&'static str, &'static str, Option<&'static str>, Option<&'static str>)>,
    at: Option<(f64, f64)>,
}

const CLIENTS: [DemoClient; 12] = [
    DemoClient {
        municipality: "Waalre",
        name: "Annie van den Berg",
        street: "Dreef",
        number: "12",
        postcode: "5581 AB",
        city: "Waalre",
        groups: &[Elderly],
        email: Some("annie.vandenberg@example.nl"),
        phone: Some("040 221 45 87"),
        language: Language::Nl,
        representative: None,
        at: Some((51.3921, 5.4452)),
    },
    DemoClient {
        municipality: "Waalre",
        name: "Gerrit Janssen",
        street: "Eindhovenseweg",
        number: "45",
        postcode: "5582 HN",
        city: "Waalre",
        groups: &[Elderly, Disability],
        email: None,
        phone: Some("040 221 98 12"),
        language: Language::Nl,
        representative: None,
        at: Some((51.3975, 5.4581)),
    },
    DemoClient {
        municipality: "Waalre",
        name: "Riet Smulders",
        street: "Heuvelstraat",
        number: "7",
        postcode: "5581 XK",
        city: "Waalre",
        groups: &[Elderly],
        email: None,
        phone: Some("040 221 33 09"),
        language: Language::Nl,
        representative: Some((
            "Karin Smulders",
            "dochter",
            Some("karin.smulders@example.nl"),
            Some("06 12 34 56 78"),
        )),
        at: Some((51.3868, 5.4431)),
    },
    DemoClient {
        municipality: "Waalre",
        name: "John Peters",
        street: "Burgemeester Mollaan",
        number: "88",
        postcode: "5582 CK",
        city: "Waalre",
        groups: &[Disability],
        email: Some("john.peters@example.com"),
        phone: None,
        language: Language::En,
        representative: None,
        at: None,
    },
    DemoClient {
        municipality: "Waalre",
        name: "Truus Hendriks",
        street: "Willibrorduslaan",
        number: "3",
        postcode: "5581 HJ",
        city: "Waalre",
        groups: &[Elderly],
        email: None,
        phone: Some("040 221 76 54"),
        language: Language::Nl,
        representative: None,
        at: Some((51.3889, 5.4467)),
    },
    DemoClient {
        municipality: "Waalre",
        name: "Jan de Wit",
        street: "Molenstraat",
        number: "21",
        postcode: "5581 BA",
        city: "Waalre",
        groups: &[InformalCarer],
        email: Some("jan.dewit@example.nl"),
        phone: Some("06 98 76 54 32"),
        language: Language::Nl,
        representative: None,
        at: None,
    },
    DemoClient {
        municipality: "Waalre",
        name: "Fatima el Amrani",
        street: "Traverse",
        number: "15",
        postcode: "5582 GB",
        city: "Waalre",
        groups: &[],
        email: Some("f.elamrani@example.nl"),
        phone: None,
        language: Language::Nl,
        representative: None,
        at: None,
    },
    DemoClient {
        municipality: "Valkenswaard",
        name: "Henk Verhoeven",
        street: "Markt",
        number: "5",
        postcode: "5554 CA",
        city: "Valkenswaard",
        groups: &[Elderly],
        email: Some("henk.verhoeven@example.nl"),
        phone: Some("040 201 11 22"),
        language: Language::Nl,
        representative: None,
        at: Some((51.3503, 5.4602)),
    },
    DemoClient {
        municipality: "Valkenswaard",
        name: "Mien Bakker",
        street: "Eindhovenseweg",
        number: "102",
        postcode: "5552 AC",
        city: "Valkenswaard",
        groups: &[Elderly],
        email: None,
        phone: Some("040 201 44 55"),
        language: Language::Nl,
        representative: Some(("Peter Bakker", "zoon", None, Some("06 11 22 33 44"))),
        at: None,
    },
    DemoClient {
        municipality: "Valkenswaard",
        name: "Kees Vermeulen",
        street: "Kerkstraat",
        number: "30",
        postcode: "5554 CG",
        city: "Valkenswaard",
        groups: &[Disability],
        email: Some("kees.vermeulen@example.nl"),
        phone: None,
        language: Language::Nl,
        representative: None,
        at: None,
    },
    DemoClient {
        municipality: "Valkenswaard",
        name: "Jo van Leeuwen",
        street: "Dommelseweg",
        number: "8",
        postcode: "5554 NP",
        city: "Valkenswaard",
        groups: &[Elderly],
        email: Some("jo.vanleeuwen@example.nl"),
        phone: None,
        language: Language::Nl,
        representative: None,
        at: None,
    },
    DemoClient {
        municipality: "Valkenswaard",
        name: "Wim de Groot",
        street: "Leenderweg",
        number: "77",
        postcode: "5555 CG",
        city: "Valkenswaard",
        groups: &[Elderly, InformalCarer],
        email: None,
        phone: Some("040 201 87 65"),
        language: Language::Nl,
        representative: None,
        at: None,
    },
];

struct DemoMember {
    municipality: &'static str,
    kind: MemberKind,
    name: &'static str,
    email: &'static str,
    skills: &'static [&'static str],
    cap_hours: i32,
    /// (weekdays, start, end)
    slots: &'static [(&'static [i64], &'static str, &'static str)],
    at: Option<(f64, f64)>,
}

const MEMBERS: [DemoMember; 7] = [
    DemoMember {
        municipality: "Waalre",
        kind: MemberKind::Volunteer,
        name: "Els Peeters",
        email: "els.peeters@example.nl",
        skills: &["gardening", "errands"],
        cap_hours: 8,
        slots: &[(&[2, 4], "09:00", "12:00")],
        at: Some((51.3902, 5.4470)),
    },
    DemoMember {
        municipality: "Waalre",
        kind: MemberKind::Volunteer,
        name: "Ton Mertens",
        email: "ton.mertens@example.nl",
        skills: &["errands", "meals"],
        cap_hours: 10,
        slots: &[(&[1, 2, 3, 4, 5], "11:00", "13:00")],
        at: None,
    },
    DemoMember {
        municipality: "Waalre",
        kind: MemberKind::Jobseeker,
        name: "Sanne de Vries",
        email: "sanne.devries@example.nl",
        skills: &["gardening", "odd_jobs", "moving"],
        cap_hours: 16,
        slots: &[(&[1, 2, 3, 4], "09:00", "16:00")],
        at: Some((51.3950, 5.4520)),
    },
    DemoMember {
        municipality: "Waalre",
        kind: MemberKind::Jobseeker,
        name: "Mohammed Yilmaz",
        email: "m.yilmaz@example.nl",
        skills: &["odd_jobs", "moving", "gardening"],
        cap_hours: 24,
        slots: &[(&[1, 3, 5], "08:30", "16:30")],
        at: None,
    },
    DemoMember {
        municipality: "Waalre",
        kind: MemberKind::Jobseeker,
        name: "Lisa Jacobs",
        email: "lisa.jacobs@example.nl",
        skills: &["administration", "errands"],
        cap_hours: 12,
        slots: &[(&[2, 3, 4], "10:00", "15:00")],
        at: None,
    },
    DemoMember {
        municipality: "Valkenswaard",
        kind: MemberKind::Volunteer,
        name: "Bart Claassen",
        email: "bart.claassen@example.nl",
        skills: &["gardening"],
        cap_hours: 6,
        slots: &[(&[6], "10:00", "14:00")],
        at: None,
    },
    DemoMember {
        municipality: "Valkenswaard",
        kind: MemberKind::Volunteer,
        name: "Ria Kuijpers",
        email: "ria.kuijpers@example.nl",
        skills: &["errands", "meals"],
        cap_hours: 8,
        slots: &[(&[1, 3], "10:00", "12:00")],
        at: None,
    },
];

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

struct DemoRequest {
    client: &'static str,
    category: &'static str,
    description: &'static str,
    /// The next such weekday at least two days from now.
    weekday: Weekday,
    /// Local (Amsterdam) hour the window opens.
    local_hour: u32,
    window_hours: i64,
    estimated_quarters: i32,
    taken_in_by: &'static str,
}

const REQUESTS: [DemoRequest; 7] = [
    DemoRequest {
        client: "Annie van den Berg",
        category: "gardening",
        description: "De heg aan de voorkant snoeien en het snoeiafval afvoeren.",
        weekday: Weekday::Tue,
        local_hour: 9,
        window_hours: 3,
        estimated_quarters: 10,
        taken_in_by: "advisor@demo.woonservice.nl",
    },
    DemoRequest {
        client: "Gerrit Janssen",
        category: "odd_jobs",
        description: "Gordijnrails ophangen in de woonkamer (twee ramen).",
        weekday: Weekday::Wed,
        local_hour: 10,
        window_hours: 4,
        estimated_quarters: 6,
        taken_in_by: "advisor@demo.woonservice.nl",
    },
    DemoRequest {
        client: "Riet Smulders",
        category: "moving",
        description: "Zolder leeghalen: dozen naar de kringloop brengen.",
        weekday: Weekday::Thu,
        local_hour: 9,
        window_hours: 7,
        estimated_quarters: 16,
        taken_in_by: "advisor@demo.woonservice.nl",
    },
    DemoRequest {
        client: "Truus Hendriks",
        category: "errands",
        description: "Wekelijkse boodschappen bij de supermarkt in het centrum.",
        weekday: Weekday::Mon,
        local_hour: 11,
        window_hours: 2,
        estimated_quarters: 4,
        taken_in_by: "advisor@demo.woonservice.nl",
    },
    DemoRequest {
        client: "Henk Verhoeven",
        category: "gardening",
        description: "Bladeren ruimen en de border winterklaar maken.",
        weekday: Weekday::Sat,
        local_hour: 10,
        window_hours: 4,
        estimated_quarters: 8,
        taken_in_by: "advisor.valkenswaard@demo.woonservice.nl",
    },
    DemoRequest {
        client: "Kees Vermeulen",
        category: "odd_jobs",
        description: "Een wankele trapleuning vastzetten.",
        weekday: Weekday::Wed,
        local_hour: 13,
        window_hours: 3,
        estimated_quarters: 4,
        taken_in_by: "advisor.valkenswaard@demo.woonservice.nl",
    },
    DemoRequest {
        client: "Fatima el Amrani",
        category: "administration",
        description: "Hulp bij het ordenen van de post en het invullen van een aanvraag.",
        weekday: Weekday::Fri,
        local_hour: 10,
        window_hours: 2,
        estimated_quarters: 6,
        taken_in_by: "advisor@demo.woonservice.nl",
    },
];

fn id_of(conn: &mut DbConnection, municipality: &str) -> AppResult<i64> {
    municipalities::find_id_by_name(conn, municipality)?
        .ok_or_else(|| AppError::internal(format!("demo municipality {municipality} is missing")))
}

fn user_id(conn: &mut DbConnection, email: &str) -> AppResult<i64> {
    users::id_by_email(conn, &Email::parse(email).expect("valid"))?
        .ok_or_else(|| AppError::internal(format!("demo user {email} is missing")))
}

fn email(s: &str) -> Email {
    Email::parse(s).expect("demo emails are valid")
}

pub fn load(conn: &mut DbConnection, password_hash: &str) -> AppResult<()> {
    let now = time::now();
    configure_municipalities(conn, now)?;
    let mut client_ids = Vec::new();
    for c in &CLIENTS {
        let fields = ClientFields {
            municipality_id: id_of(conn, c.municipality)?,
            name: c.name.into(),
            address: Address {
                street: c.street.into(),
                house_number: c.number.into(),
                postcode: Postcode::parse(c.postcode).expect("valid"),
                city: c.city.into(),
            },
            target_groups: c.groups.to_vec(),
            email: c.email.map(email),
            phone: c.phone.map(str::to_owned),
            preferred_language: c.language,
            representative: c.representative.map(|(name, relation, mail, phone)| Representative {
                name: name.into(),
                relation: relation.into(),
                email: mail.map(email),
                phone: phone.map(str::to_owned),
            }),
            coordinates: c.at.map(|(lat, lon)| Coordinates { lat, lon }),
        };
        client_ids.push((c.name, clients::insert(conn, &fields, now)?));
    }
    let coach = user_id(conn, "coach@demo.woonservice.nl")?;
    let mut member_ids = Vec::new();
    for m in &MEMBERS {
        let raw: Vec<RawSlot<'_>> = m
            .slots
            .iter()
            .flat_map(|(days, start, end)| {
                days.iter().map(move |d| RawSlot {
                    weekday: *d,
                    start,
                    end,
                })
            })
            .collect();
        let fields = MemberFields {
            municipality_id: id_of(conn, m.municipality)?,
            kind: m.kind,
            name: m.name.into(),
            email: Some(email(m.email)),
            phone: None,
            skills: m.skills.iter().map(|s| s.to_string()).collect(),
            weekly_hour_cap: QuarterHours::from_hours(m.cap_hours),
            availability: WeeklyAvailability::parse(&raw)
                .map_err(|e| AppError::internal(format!("demo availability: {e:?}")))?,
            coach_id: (m.kind == MemberKind::Jobseeker).then_some(coach),
            status: MemberStatus::Active,
            outflow: None,
            outflow_date: None,
            coordinates: m.at.map(|(lat, lon)| Coordinates { lat, lon }),
        };
        member_ids.push((m.name, members::insert(conn, &fields, now)?));
    }
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
        };
        providers::insert(conn, &fields, now)?;
    }
    let find = |list: &[(&str, i64)], name: &str| {
        list.iter()
            .find(|(n, _)| *n == name)
            .map(|(_, id)| *id)
            .expect("demo name")
    };
    let today = now.with_timezone(&Amsterdam).date_naive();
    for r in &REQUESTS {
        let client_id = find(&client_ids, r.client);
        let municipality = clients::municipality_of(conn, client_id)?.expect("just inserted");
        let mut day = today + Duration::days(2);
        while day.weekday() != r.weekday {
            day = day.succ_opt().expect("a date far from the end of time");
        }
        let local = Amsterdam
            .from_local_datetime(&day.and_time(NaiveTime::from_hms_opt(r.local_hour, 0, 0).expect("valid")))
            .earliest()
            .expect("no gap at this hour");
        let start = local.with_timezone(&Utc);
        let new = NewTaskRequest {
            client_id,
            category: r.category.into(),
            description: r.description.into(),
            window: DateWindow::stored(start, start + Duration::hours(r.window_hours)),
            estimated_hours: QuarterHours::from_quarters(r.estimated_quarters),
        };
        let creator = user_id(conn, r.taken_in_by)?;
        requests::insert(conn, &new, municipality, creator, now)?;
    }
    let links = [
        (
            "client@demo.woonservice.nl",
            Role::Client,
            Some(find(&client_ids, "Annie van den Berg")),
            None,
            "Waalre",
        ),
        (
            "member@demo.woonservice.nl",
            Role::Member,
            None,
            Some(find(&member_ids, "Sanne de Vries")),
            "Waalre",
        ),
    ];
    for (mail, role, client_id, member_id, municipality) in links {
        let address = email(mail);
        if users::email_exists(conn, &address)? {
            continue;
        }
        let scope = [id_of(conn, municipality)?];
        let record = UserRecord {
            email: &address,
            role,
            active: true,
            municipality_ids: &scope,
            client_id,
            member_id,
            now,
        };
        users::insert(conn, &record, password_hash)?;
    }
    Ok(())
}

/// Waalre offers every category but has a welfare foundation for meals and
/// administration; Valkenswaard charges a little more and caps yearly purchases.
fn configure_municipalities(conn: &mut DbConnection, now: chrono::DateTime<Utc>) -> AppResult<()> {
    let settings: [(&str, &[&str], i64, Option<i32>); 2] = [
        (
            "Waalre",
            &["gardening", "errands", "odd_jobs", "moving", "administration", "meals"],
            500,
            None,
        ),
        ("Valkenswaard", &["gardening", "odd_jobs", "moving"], 550, Some(150)),
    ];
    for (name, categories, price_cents, cap) in settings {
        let id = id_of(conn, name)?;
        let mut current = municipalities::find(conn, id)?.expect("exists").fields;
        current.woonservice_categories = categories.iter().map(|s| s.to_string()).collect();
        current.voucher_price = Money::from_cents(price_cents);
        current.yearly_voucher_cap = cap;
        municipalities::update(conn, id, &current, now)?;
    }
    Ok(())
}
