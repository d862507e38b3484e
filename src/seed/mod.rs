//! Data that is made rather than entered: the demo set of `serve --demo` ([`demo`])
//! and realistic data at scale for benchmarks and load tests (`woonservice demo
//! seed`, [`seed`]). A module of its own, beside `api` and not inside `service`: none
//! of it is a use case the API offers. It calls `service`, `store` (the bulk writes
//! are in `store::bulk`) and `domain`; only the command line calls it.
//!
//! The seeder at scale is deterministic for a given seed; written in batches so a
//! national set takes minutes. Every seeded voucher has a consistent ledger
//! (`vouchers verify` passes).

pub mod demo;

use std::time::Instant;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::domain::availability::{RawSlot, WeeklyAvailability};
use crate::domain::routing::{ORDER, tier_name};
use crate::domain::voucher::{Serial, expiry};
use crate::domain::{client::Language, request::Tier};
use crate::error::AppResult;
use crate::service::password;
use crate::store::bulk::{self as seed, History};
use crate::store::time::to_db;
use crate::store::{Db, time, tx};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Scale {
    /// 2 municipalities, 2,000 clients, 200 members, 50 providers, 10,000 past requests.
    Town,
    /// 340 municipalities, 200,000 clients, 20,000 members, 5,000 providers, 1,000,000 past requests.
    National,
}

pub struct Size {
    pub municipalities: i64,
    pub clients: i64,
    pub members: i64,
    pub providers: i64,
    pub requests: i64,
}

impl Scale {
    pub fn size(self) -> Size {
        match self {
            Scale::Town => Size {
                municipalities: 2,
                clients: 2_000,
                members: 200,
                providers: 50,
                requests: 10_000,
            },
            Scale::National => Size {
                municipalities: 340,
                clients: 200_000,
                members: 20_000,
                providers: 5_000,
                requests: 1_000_000,
            },
        }
    }
}

pub const SEED_PASSWORD: &str = "seed-wachtwoord";
const CATEGORIES: [(&str, bool); 6] = [
    ("gardening", true),
    ("errands", true),
    ("odd_jobs", false),
    ("moving", false),
    ("administration", false),
    ("meals", true),
];
const FIRST: [&str; 30] = [
    "Annie", "Gerrit", "Riet", "Jan", "Truus", "Henk", "Mien", "Kees", "Jo", "Wim", "Els", "Ton", "Sanne", "Lisa",
    "Bart", "Ria", "Piet", "Marie", "Johan", "Anna", "Cor", "Greet", "Joke", "Hans", "Ineke", "Theo", "Willem",
    "Fenna", "Noor", "Daan",
];
const LAST: [&str; 30] = [
    "de Jong",
    "Jansen",
    "de Vries",
    "van den Berg",
    "van Dijk",
    "Bakker",
    "Janssen",
    "Visser",
    "Smit",
    "Meijer",
    "de Boer",
    "Mulder",
    "de Groot",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "van Leeuwen",
    "Dekker",
    "Brouwer",
    "de Wit",
    "Dijkstra",
    "Smits",
    "de Graaf",
    "van der Meer",
    "Verhoeven",
    "Kuijpers",
    "Willems",
    "Claassen",
    "Smulders",
];
const STREETS: [&str; 12] = [
    "Dorpsstraat",
    "Kerkstraat",
    "Molenweg",
    "Schoolstraat",
    "Stationsstraat",
    "Nieuwstraat",
    "Julianalaan",
    "Beatrixlaan",
    "Eikenlaan",
    "Lindenlaan",
    "Markt",
    "Heuvelstraat",
];

fn pick<'a, T>(rng: &mut StdRng, items: &'a [T]) -> &'a T {
    &items[rng.random_range(0..items.len())]
}

fn name(rng: &mut StdRng) -> String {
    format!("{} {}", pick(rng, &FIRST), pick(rng, &LAST))
}

/// What was seeded, for the terminal.
pub struct Report {
    pub lines: Vec<String>,
}

struct Ids {
    municipality: i64,
    user: i64,
    client: i64,
    member: i64,
    provider: i64,
    request: i64,
    assignment: i64,
    sale: i64,
    voucher: i64,
}

struct Town {
    id: i64,
    advisor: i64,
    coordinator: i64,
    /// Member ids by kind: volunteers, jobseekers.
    volunteers: Vec<(i64, Vec<&'static str>)>,
    jobseekers: Vec<(i64, Vec<&'static str>)>,
    /// Provider ids by kind: private providers, businesses.
    private: Vec<i64>,
    business: Vec<i64>,
}

pub fn seed(db: &Db, scale: Scale, random_seed: u64) -> AppResult<Report> {
    let size = scale.size();
    let mut rng = StdRng::seed_from_u64(random_seed);
    let started = Instant::now();
    let now = time::now();
    let hash = password::hash(&crate::domain::user::Password::parse(SEED_PASSWORD).expect("valid"))?;
    let mut ids = db.run_blocking(|conn| {
        Ok(Ids {
            municipality: seed::max_id(conn, "municipalities")?,
            user: seed::max_id(conn, "users")?,
            client: seed::max_id(conn, "clients")?,
            member: seed::max_id(conn, "members")?,
            provider: seed::max_id(conn, "providers")?,
            request: seed::max_id(conn, "requests")?,
            assignment: seed::max_id(conn, "assignments")?,
            sale: seed::max_id(conn, "voucher_sales")?,
            voucher: seed::max_id(conn, "vouchers")?,
        })
    })?;
    let run = ids.municipality;
    let mut lines = Vec::new();

    // Municipalities with their staff.
    let mut towns: Vec<Town> = Vec::new();
    let mut municipality_rows = Vec::new();
    let mut offered = Vec::new();
    let mut user_rows = Vec::new();
    let mut scopes = Vec::new();
    for i in 0..size.municipalities {
        ids.municipality += 1;
        let id = ids.municipality;
        municipality_rows.push(seed::Municipality {
            id,
            name: format!("Gemeente {:03}-{}", i + 1, run),
            voucher_price_cents: if rng.random_bool(0.8) { 500 } else { 550 },
            voucher_validity_months: 12,
            yearly_voucher_cap: rng.random_bool(0.3).then_some(200),
            created_at: to_db(now),
            updated_at: to_db(now),
        });
        for (code, _) in CATEGORIES {
            if rng.random_bool(0.75) {
                offered.push(seed::MunicipalityCategory {
                    municipality_id: id,
                    category_code: code.into(),
                });
            }
        }
        let mut staff = [0; 3];
        for (slot, role) in ["advisor", "coordinator", "coach"].iter().enumerate() {
            ids.user += 1;
            staff[slot] = ids.user;
            user_rows.push(seed::User {
                id: ids.user,
                email: format!("{role}.{id}@seed.woonservice.nl"),
                password_hash: hash.clone(),
                role: (*role).into(),
                active: true,
                created_at: to_db(now),
                updated_at: to_db(now),
            });
            scopes.push(seed::UserMunicipality {
                user_id: ids.user,
                municipality_id: id,
            });
        }
        towns.push(Town {
            id,
            advisor: staff[0],
            coordinator: staff[1],
            volunteers: Vec::new(),
            jobseekers: Vec::new(),
            private: Vec::new(),
            business: Vec::new(),
        });
    }
    db.run_blocking(|conn| {
        tx::write(conn, |conn| {
            seed::municipalities(conn, &municipality_rows, &offered)?;
            seed::users(conn, &user_rows, &scopes)
        })
    })?;
    lines.push(format!(
        "{} municipalities with an advisor, coordinator and coach each",
        size.municipalities
    ));

    // Clients.
    let first_client = ids.client + 1;
    let mut client_town = Vec::with_capacity(size.clients as usize);
    for batch in 0..(size.clients + 9_999) / 10_000 {
        let mut rows = Vec::new();
        for _ in 0..(size.clients - batch * 10_000).min(10_000) {
            ids.client += 1;
            let town = rng.random_range(0..towns.len());
            client_town.push(town);
            let groups = match rng.random_range(0..20) {
                0..=13 => ",elderly,",
                14..=16 => ",disability,",
                17 => ",elderly,informal_carer,",
                _ => "",
            };
            rows.push(seed::Client {
                id: ids.client,
                municipality_id: towns[town].id,
                name: name(&mut rng),
                street: pick(&mut rng, &STREETS).to_string(),
                house_number: rng.random_range(1..200).to_string(),
                postcode: format!(
                    "{} {}{}",
                    rng.random_range(1000..9999),
                    (b'A' + rng.random_range(0..17)) as char,
                    (b'A' + rng.random_range(0..26)) as char
                ),
                city: format!("Plaats {}", towns[town].id),
                target_groups: groups.into(),
                email: rng.random_bool(0.7).then(|| format!("client{}@example.nl", ids.client)),
                phone: Some(format!(
                    "040 {:03} {:02} {:02}",
                    rng.random_range(100..999),
                    rng.random_range(10..99),
                    rng.random_range(10..99)
                )),
                preferred_language: if rng.random_bool(0.95) {
                    Language::Nl
                } else {
                    Language::En
                }
                .as_str()
                .into(),
                lat: Some(51.3 + rng.random_range(0.0..1.5)),
                lon: Some(4.5 + rng.random_range(0.0..2.0)),
                created_at: to_db(now - Duration::days(800)),
                updated_at: to_db(now - Duration::days(800)),
            });
        }
        db.run_blocking(|conn| tx::write(conn, |conn| seed::clients(conn, &rows)))?;
    }
    lines.push(format!("{} clients", size.clients));

    // Members.
    let mut rows = Vec::new();
    for i in 0..size.members {
        ids.member += 1;
        let town = (i as usize) % towns.len();
        let volunteer = rng.random_bool(0.5);
        let mut skills: Vec<&'static str> = Vec::new();
        for _ in 0..rng.random_range(1..=3) {
            let code = pick(&mut rng, &CATEGORIES).0;
            if !skills.contains(&code) {
                skills.push(code);
            }
        }
        let days: Vec<i64> = (1..=5).filter(|_| rng.random_bool(0.6)).collect();
        let raw: Vec<RawSlot<'_>> = days
            .iter()
            .map(|d| RawSlot {
                weekday: *d,
                start: "09:00",
                end: "16:00",
            })
            .collect();
        let availability = WeeklyAvailability::parse(&raw).expect("valid slots").encode();
        let coach = user_rows[town * 3 + 2].id;
        rows.push(seed::Member {
            id: ids.member,
            municipality_id: towns[town].id,
            kind: if volunteer { "volunteer" } else { "jobseeker" }.into(),
            name: name(&mut rng),
            email: Some(format!("lid{}@example.nl", ids.member)),
            skills: format!(",{},", skills.join(",")),
            weekly_cap_quarters: rng.random_range(8..=24) * 4,
            availability,
            coach_id: (!volunteer).then_some(coach),
            status: if rng.random_bool(0.95) { "active" } else { "paused" }.into(),
            lat: Some(51.3 + rng.random_range(0.0..1.5)),
            lon: Some(4.5 + rng.random_range(0.0..2.0)),
            created_at: to_db(now - Duration::days(900)),
            updated_at: to_db(now - Duration::days(900)),
        });
        let entry = (ids.member, skills);
        if volunteer {
            towns[town].volunteers.push(entry)
        } else {
            towns[town].jobseekers.push(entry)
        }
    }
    db.run_blocking(|conn| tx::write(conn, |conn| seed::members(conn, &rows)))?;
    lines.push(format!("{} members (half volunteers, half jobseekers)", size.members));

    // Providers.
    let mut rows = Vec::new();
    let mut served = Vec::new();
    for _ in 0..size.providers {
        ids.provider += 1;
        let kind = match rng.random_range(0..20) {
            0..=9 => "private_provider",
            10..=16 => "business",
            _ => "organisation",
        };
        let mut categories: Vec<&str> = Vec::new();
        for _ in 0..rng.random_range(1..=3) {
            let code = pick(&mut rng, &CATEGORIES).0;
            if !categories.contains(&code) {
                categories.push(code);
            }
        }
        rows.push(seed::Provider {
            id: ids.provider,
            kind: kind.into(),
            name: format!(
                "{} {}",
                pick(&mut rng, &LAST),
                ["Diensten", "Klussen B.V.", "Hulp", "& Zonen"][rng.random_range(0..4)]
            ),
            categories: format!(",{},", categories.join(",")),
            email: Some(format!("aanbieder{}@example.nl", ids.provider)),
            phone: Some("040 200 00 00".into()),
            created_at: to_db(now),
            updated_at: to_db(now),
        });
        let mut towns_served: Vec<usize> = Vec::new();
        for _ in 0..rng.random_range(1..=3) {
            let t = rng.random_range(0..towns.len());
            if !towns_served.contains(&t) {
                towns_served.push(t);
            }
        }
        for t in towns_served {
            served.push(seed::ProviderMunicipality {
                provider_id: ids.provider,
                municipality_id: towns[t].id,
            });
            match kind {
                "private_provider" => towns[t].private.push(ids.provider),
                "business" => towns[t].business.push(ids.provider),
                _ => {}
            }
        }
    }
    db.run_blocking(|conn| tx::write(conn, |conn| seed::providers(conn, &rows, &served)))?;
    lines.push(format!("{} providers", size.providers));

    // Past requests with trails, assignments, referrals and the vouchers that paid for tier-2 work.
    let year = now.year();
    let prefix = "SEE";
    let mut serial_next = db.run_blocking(|conn| seed::serial_next(conn, prefix, year))?;
    let mut counts = [0i64; 5];
    const BATCH: i64 = 10_000;
    for batch in 0..(size.requests + BATCH - 1) / BATCH {
        let mut history = History::default();
        for _ in 0..(size.requests - batch * BATCH).min(BATCH) {
            ids.request += 1;
            let client_index = rng.random_range(0..client_town.len());
            let client = first_client + client_index as i64;
            let town = &towns[client_town[client_index]];
            let (category, volunteer_ok) = *pick(&mut rng, &CATEGORIES);
            let start = past_start(&mut rng, now);
            let estimated = rng.random_range(4..=24);
            let roll: f64 = rng.random();
            let mut tier = match roll {
                r if r < 0.40 && volunteer_ok => Some(Tier::Volunteer),
                r if r < 0.70 => Some(Tier::Woonservice),
                r if r < 0.82 => Some(Tier::PrivateProvider),
                r if r < 0.88 => Some(Tier::Business),
                _ => None,
            };
            let cancelled = roll >= 0.95;
            let member = match tier {
                Some(Tier::Volunteer) => choose_member(&mut rng, &town.volunteers, category),
                Some(Tier::Woonservice) => choose_member(&mut rng, &town.jobseekers, category),
                _ => None,
            };
            let provider = match tier {
                Some(Tier::PrivateProvider) if !town.private.is_empty() => Some(*pick(&mut rng, &town.private)),
                Some(Tier::Business) if !town.business.is_empty() => Some(*pick(&mut rng, &town.business)),
                _ => None,
            };
            if member.is_none() && provider.is_none() {
                tier = None;
            }
            let status = match (cancelled, tier) {
                (true, _) => "cancelled",
                (false, Some(Tier::Volunteer | Tier::Woonservice)) => "completed",
                (false, Some(_)) => "referred",
                (false, None) => "unmatched",
            };
            let at = to_db(start - Duration::days(7));
            history.requests.push(seed::Request {
                id: ids.request,
                client_id: client,
                municipality_id: town.id,
                category: category.into(),
                description: "Hulp in en om het huis".into(),
                window_start: to_db(start),
                window_end: to_db(start + Duration::hours(6)),
                estimated_quarters: estimated,
                status: status.into(),
                tier: if cancelled {
                    None
                } else {
                    tier.map(|t| t.as_str().into())
                },
                cancel_reason: cancelled.then(|| "Niet meer nodig".into()),
                created_by: town.advisor,
                created_at: at,
                updated_at: at,
            });
            if cancelled {
                continue;
            }
            trail(&mut history, ids.request, tier, volunteer_ok, at);
            match (tier, member, provider) {
                (Some(t), Some(member), _) => {
                    counts[0] += 1;
                    let slot_end = start + Duration::minutes(i64::from(estimated) * 15);
                    // Nearly half of the visits were first proposed to someone who
                    // declined, as happens: it gives the assignments table its real size.
                    let pool = if t == Tier::Volunteer {
                        &town.volunteers
                    } else {
                        &town.jobseekers
                    };
                    let request = ids.request;
                    let proposal = |id, member_id, status: &str| seed::Assignment {
                        id,
                        request_id: request,
                        member_id,
                        client_id: client,
                        municipality_id: town.id,
                        tier: t.as_str().into(),
                        starts_at: to_db(start),
                        ends_at: to_db(slot_end),
                        slot_quarters: estimated,
                        status: status.into(),
                        hours_worked_quarters: None,
                        proposed_by: town.advisor,
                        decided_by: Some(town.advisor),
                        created_at: at,
                        updated_at: at + Duration::hours(1),
                        accepted_at: None,
                    };
                    if rng.random_bool(0.45)
                        && let Some(declined_by) = choose_member(&mut rng, pool, category)
                    {
                        counts[4] += 1;
                        ids.assignment += 1;
                        history
                            .assignments
                            .push(proposal(ids.assignment, declined_by, "declined"));
                    }
                    ids.assignment += 1;
                    history.assignments.push(seed::Assignment {
                        hours_worked_quarters: Some(estimated),
                        updated_at: to_db(slot_end),
                        accepted_at: Some(at + Duration::hours(rng.random_range(2..72))),
                        ..proposal(ids.assignment, member, "completed")
                    });
                    if t == Tier::Woonservice {
                        counts[1] += 1;
                        let vouchers = i64::from((estimated + 3) / 4);
                        let sold_on = start - Duration::days(30);
                        let assignment = ids.assignment;
                        serial_next = sell(
                            &mut history,
                            &mut ids,
                            (client, town.id, town.coordinator),
                            vouchers,
                            sold_on,
                            prefix,
                            serial_next,
                            Some((assignment, slot_end)),
                        );
                    }
                }
                (Some(t), None, Some(provider)) => {
                    counts[2] += 1;
                    history.referrals.push(seed::Referral {
                        request_id: ids.request,
                        provider_id: provider,
                        tier: t.as_str().into(),
                        status: "open".into(),
                        created_at: at,
                        updated_at: at,
                    });
                }
                _ => counts[3] += 1,
            }
        }
        db.run_blocking(|conn| tx::write(conn, |conn| seed::history(conn, &history)))?;
    }
    lines.push(format!(
        "{} past requests: {} completed by members ({} paid with vouchers; {} assignments in all, with the {} declined first), {} referred, {} unmatched, the rest cancelled",
        size.requests,
        counts[0],
        counts[1],
        counts[0] + counts[4],
        counts[4],
        counts[2],
        counts[3]
    ));

    // Current balances: a fifth of the clients hold ten vouchers bought last month.
    let mut history = History::default();
    let mut holders = 0;
    for (index, town) in client_town.iter().enumerate() {
        if index % 5 != 0 {
            continue;
        }
        holders += 1;
        let town = &towns[*town];
        serial_next = sell(
            &mut history,
            &mut ids,
            (first_client + index as i64, town.id, town.coordinator),
            10,
            now - Duration::days(30),
            prefix,
            serial_next,
            None,
        );
        if history.vouchers.len() > 50_000 {
            let full = std::mem::take(&mut history);
            db.run_blocking(|conn| tx::write(conn, |conn| seed::history(conn, &full)))?;
        }
    }
    db.run_blocking(|conn| {
        tx::write(conn, |conn| {
            seed::history(conn, &history)?;
            seed::serial_counter(conn, prefix, year, serial_next)?;
            seed::fix_sequences(
                conn,
                &[
                    "municipalities",
                    "users",
                    "clients",
                    "members",
                    "providers",
                    "requests",
                    "routing_trail",
                    "assignments",
                    "referrals",
                    "voucher_sales",
                    "vouchers",
                    "voucher_events",
                ],
            )
        })
    })?;
    lines.push(format!("{holders} clients hold 10 available vouchers each"));
    db.run_blocking(seed::analyze)?;
    lines.push(format!(
        "in {:.1} s; every seeded account has the password '{SEED_PASSWORD}' (e.g. advisor.{}@seed.woonservice.nl)",
        started.elapsed().as_secs_f64(),
        towns[0].id
    ));
    Ok(Report { lines })
}

/// A weekday morning in the last two years, 09:00 Amsterdam.
fn past_start(rng: &mut StdRng, now: DateTime<Utc>) -> DateTime<Utc> {
    let mut day: NaiveDate = (now - Duration::days(rng.random_range(2..730))).date_naive();
    while day.weekday().number_from_monday() > 5 {
        day = day.pred_opt().expect("far from the start of time");
    }
    crate::domain::schedule::local_to_utc(day.and_hms_opt(9, 0, 0).expect("valid"))
}

fn choose_member(rng: &mut StdRng, members: &[(i64, Vec<&'static str>)], category: &str) -> Option<i64> {
    let skilled: Vec<i64> = members
        .iter()
        .filter(|(_, skills)| skills.contains(&category))
        .map(|(id, _)| *id)
        .collect();
    if skilled.is_empty() {
        None
    } else {
        Some(*pick(rng, &skilled))
    }
}

/// The trail the engine would have left: every tier before the match skipped.
fn trail(history: &mut History, request: i64, tier: Option<Tier>, volunteer_ok: bool, at: chrono::NaiveDateTime) {
    for t in ORDER {
        let matched = Some(t) == tier;
        let reason = match (t, matched) {
            (_, true) => "matched",
            (Tier::Volunteer, _) if !volunteer_ok => "volunteer_not_allowed",
            _ => "no_candidate",
        };
        history.trail.push(seed::Trail {
            request_id: request,
            tier: t.as_str().into(),
            outcome: if matched { "matched" } else { "skipped" }.into(),
            reason_code: reason.into(),
            reason_nl: format!("{}: {reason}", tier_name(t, Language::Nl)),
            reason_en: format!("{}: {reason}", tier_name(t, Language::En)),
            at,
        });
        if matched {
            break;
        }
    }
}

/// A sale of `count` vouchers; with `redeemed_by`, redeemed for that assignment when
/// its work ended. Returns the next serial sequence number.
#[allow(clippy::too_many_arguments)]
fn sell(
    history: &mut History,
    ids: &mut Ids,
    (client, municipality, coordinator): (i64, i64, i64),
    count: i64,
    sold_at: DateTime<Utc>,
    prefix: &str,
    mut serial_next: i64,
    redeemed_by: Option<(i64, DateTime<Utc>)>,
) -> i64 {
    ids.sale += 1;
    let issued_on = crate::domain::schedule::local_date(sold_at);
    history.sales.push(seed::Sale {
        id: ids.sale,
        client_id: client,
        municipality_id: municipality,
        voucher_count: count as i32,
        unit_value_cents: 500,
        sold_by: coordinator,
        sold_at: to_db(sold_at),
    });
    for _ in 0..count {
        ids.voucher += 1;
        let serial = Serial::new(prefix, issued_on.year(), serial_next);
        serial_next += 1;
        history.vouchers.push(seed::Voucher {
            id: ids.voucher,
            serial: serial.as_str().into(),
            sale_id: ids.sale,
            client_id: client,
            municipality_id: municipality,
            value_cents: 500,
            issued_on,
            expires_on: expiry(issued_on, 12),
            status: if redeemed_by.is_some() { "redeemed" } else { "available" }.into(),
            assignment_id: redeemed_by.map(|r| r.0),
            updated_at: to_db(redeemed_by.map_or(sold_at, |r| r.1)),
        });
        history.events.push(seed::Event {
            voucher_id: ids.voucher,
            municipality_id: municipality,
            kind: "sold".into(),
            assignment_id: None,
            actor_id: Some(coordinator),
            at: to_db(sold_at),
            client_id: Some(client),
            value_cents: Some(500),
        });
        if let Some((assignment, at)) = redeemed_by {
            history.events.push(seed::Event {
                voucher_id: ids.voucher,
                municipality_id: municipality,
                kind: "redeemed".into(),
                assignment_id: Some(assignment),
                actor_id: None,
                at: to_db(at),
                client_id: None,
                value_cents: None,
            });
        }
    }
    serial_next
}
