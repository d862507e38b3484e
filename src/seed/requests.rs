//! Step 5: two years of past requests, with what happened to each: a routing trail,
//! the assignments of the member who did the work (and of one who declined first),
//! a referral to a provider, or nothing at all for the unmatched and the cancelled —
//! and for a jobseeker's work, the vouchers sold to the client and redeemed for it.
//!
//! The outcome is drawn, not decided by the routing engine: about four in ten go to a
//! volunteer (when volunteers may do the task), three in ten to a jobseeker, then
//! private providers and businesses; one in twenty is cancelled. A tier without a
//! skilled member or a provider in the town leaves the request unmatched.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, Utc};
use rand::Rng;
use rand::rngs::StdRng;

use super::Run;
use super::clients::Clients;
use super::municipalities::Town;
use super::vouchers::{Serials, sell};
use super::words::{CATEGORIES, pick};
use crate::domain::client::Language;
use crate::domain::municipality::MunicipalityFields;
use crate::domain::referral::ReferralStatus;
use crate::domain::request::Tier;
use crate::domain::routing::{ORDER, tier_name};
use crate::error::AppResult;
use crate::store::bulk::{self, History};
use crate::store::time::to_db;
use crate::store::tx;

/// Requests (with everything hanging off them) per transaction.
const BATCH: i64 = 10_000;

/// How the seeded requests ended, for the report.
#[derive(Default)]
pub(super) struct Outcomes {
    completed: i64,
    paid_with_vouchers: i64,
    referred: i64,
    unmatched: i64,
    declined_first: i64,
}

impl Outcomes {
    pub fn describe(&self, requests: i64) -> String {
        format!(
            "{} past requests: {} completed by members ({} paid with vouchers; {} assignments in all, with the {} declined first), {} referred to providers who did the work, {} unmatched, the rest cancelled",
            requests,
            self.completed,
            self.paid_with_vouchers,
            self.completed + self.declined_first,
            self.declined_first,
            self.referred,
            self.unmatched
        )
    }
}

/// A past request as drawn, before what happened to it.
struct Drawn<'t> {
    id: i64,
    client: i64,
    town: &'t Town,
    category: &'static str,
    volunteer_ok: bool,
    start: DateTime<Utc>,
    estimated: i32,
    /// When it was taken in: a week before the visit.
    at: NaiveDateTime,
}

/// What the draw made of a request that was not cancelled.
enum Handled {
    /// Done by this member in the tier.
    ByMember(Tier, i64),
    /// Referred to this provider in the tier.
    Referred(Tier, i64),
    Unmatched,
}

pub(super) fn seed(
    run: &mut Run<'_>,
    towns: &[Town],
    clients: &Clients,
    serials: &mut Serials,
    count: i64,
) -> AppResult<Outcomes> {
    let mut outcomes = Outcomes::default();
    for batch in 0..(count + BATCH - 1) / BATCH {
        let mut history = History::default();
        for _ in 0..(count - batch * BATCH).min(BATCH) {
            past_request(run, towns, clients, serials, &mut history, &mut outcomes);
        }
        run.db
            .run_blocking(|conn| tx::write(conn, |conn| bulk::history(conn, &history)))?;
    }
    Ok(outcomes)
}

/// Draws one request with its outcome and adds it, with what hangs off it, to `history`.
fn past_request(
    run: &mut Run<'_>,
    towns: &[Town],
    clients: &Clients,
    serials: &mut Serials,
    history: &mut History,
    outcomes: &mut Outcomes,
) {
    run.ids.request += 1;
    let client_index = run.rng.random_range(0..clients.town_of.len());
    let (category, volunteer_ok) = *pick(&mut run.rng, &CATEGORIES);
    let start = past_start(&mut run.rng, run.now);
    let request = Drawn {
        id: run.ids.request,
        client: clients.id(client_index),
        town: &towns[clients.town_of[client_index]],
        category,
        volunteer_ok,
        start,
        estimated: run.rng.random_range(4..=24),
        at: to_db(start - Duration::days(7)),
    };
    let roll: f64 = run.rng.random();
    let cancelled = roll >= 0.95;
    let handled = handle(&mut run.rng, &request, roll);
    history.requests.push(request_row(&request, &handled, cancelled));
    if cancelled {
        return;
    }
    let tier = match handled {
        Handled::ByMember(tier, _) | Handled::Referred(tier, _) => Some(tier),
        Handled::Unmatched => None,
    };
    trail(history, request.id, tier, request.volunteer_ok, request.at);
    match handled {
        Handled::ByMember(tier, member) => {
            outcomes.completed += 1;
            done_by_member(run, &request, tier, member, serials, history, outcomes);
        }
        Handled::Referred(tier, provider) => {
            outcomes.referred += 1;
            history.referrals.push(bulk::Referral {
                request_id: request.id,
                provider_id: provider,
                municipality_id: request.town.id,
                tier: tier.as_str().into(),
                // Every past visit is days behind us, far past a referral's answer
                // date: an open one would only be expired by the service's first run.
                status: ReferralStatus::Completed.as_str().into(),
                respond_by: request.at
                    + Duration::hours(i64::from(MunicipalityFields::DEFAULT_REFERRAL_RESPONSE_HOURS)),
                created_at: request.at,
                updated_at: to_db(request.start),
            });
        }
        Handled::Unmatched => outcomes.unmatched += 1,
    }
}

/// Draws the tier from `roll`, then a skilled member or a provider of the town for it;
/// without one the request is unmatched. (A cancelled request draws too, so every
/// request takes the same draws.)
fn handle(rng: &mut StdRng, request: &Drawn<'_>, roll: f64) -> Handled {
    let tier = match roll {
        r if r < 0.40 && request.volunteer_ok => Some(Tier::Volunteer),
        r if r < 0.70 => Some(Tier::Woonservice),
        r if r < 0.82 => Some(Tier::PrivateProvider),
        r if r < 0.88 => Some(Tier::Business),
        _ => None,
    };
    let town = request.town;
    let member = match tier {
        Some(Tier::Volunteer) => choose_member(rng, &town.volunteers, request.category),
        Some(Tier::Woonservice) => choose_member(rng, &town.jobseekers, request.category),
        _ => None,
    };
    let provider = match tier {
        Some(Tier::PrivateProvider) if !town.private.is_empty() => Some(*pick(rng, &town.private)),
        Some(Tier::Business) if !town.business.is_empty() => Some(*pick(rng, &town.business)),
        _ => None,
    };
    match (tier, member, provider) {
        (Some(tier), Some(member), _) => Handled::ByMember(tier, member),
        (Some(tier), None, Some(provider)) => Handled::Referred(tier, provider),
        _ => Handled::Unmatched,
    }
}

fn request_row(request: &Drawn<'_>, handled: &Handled, cancelled: bool) -> bulk::Request {
    let (status, tier) = match (cancelled, handled) {
        (true, _) => ("cancelled", None),
        (false, Handled::ByMember(tier, _)) => ("completed", Some(*tier)),
        // The provider took it on and did the work, long ago (see `past_request`).
        (false, Handled::Referred(tier, _)) => ("completed", Some(*tier)),
        (false, Handled::Unmatched) => ("unmatched", None),
    };
    bulk::Request {
        id: request.id,
        client_id: request.client,
        municipality_id: request.town.id,
        category: request.category.into(),
        description: "Hulp in en om het huis".into(),
        window_start: to_db(request.start),
        window_end: to_db(request.start + Duration::hours(6)),
        estimated_quarters: request.estimated,
        status: status.into(),
        tier: tier.map(|t| t.as_str().into()),
        cancel_reason: cancelled.then(|| "Niet meer nodig".into()),
        created_by: request.town.advisor,
        created_at: request.at,
        updated_at: request.at,
    }
}

/// The completed assignment of `member`, sometimes after another's declined proposal;
/// a jobseeker's work is paid with vouchers sold a month before and redeemed for it.
fn done_by_member(
    run: &mut Run<'_>,
    request: &Drawn<'_>,
    tier: Tier,
    member: i64,
    serials: &mut Serials,
    history: &mut History,
    outcomes: &mut Outcomes,
) {
    let town = request.town;
    let slot_end = request.start + Duration::minutes(i64::from(request.estimated) * 15);
    let proposal = |id, member_id, status: &str| bulk::Assignment {
        id,
        request_id: request.id,
        member_id,
        client_id: request.client,
        municipality_id: town.id,
        tier: tier.as_str().into(),
        starts_at: to_db(request.start),
        ends_at: to_db(slot_end),
        slot_quarters: request.estimated,
        status: status.into(),
        hours_worked_quarters: None,
        proposed_by: town.advisor,
        decided_by: Some(town.advisor),
        created_at: request.at,
        updated_at: request.at + Duration::hours(1),
        accepted_at: None,
    };
    // With a chance of 45 in 100 the visit was first proposed to a skilled member of
    // the same kind who declined (drawn from all of them, so now and then the one who
    // later did it), so the assignments table holds more than one row per visit.
    let pool = if tier == Tier::Volunteer {
        &town.volunteers
    } else {
        &town.jobseekers
    };
    if run.rng.random_bool(0.45)
        && let Some(declined_by) = choose_member(&mut run.rng, pool, request.category)
    {
        outcomes.declined_first += 1;
        run.ids.assignment += 1;
        history
            .assignments
            .push(proposal(run.ids.assignment, declined_by, "declined"));
    }
    run.ids.assignment += 1;
    history.assignments.push(bulk::Assignment {
        hours_worked_quarters: Some(request.estimated),
        updated_at: to_db(slot_end),
        accepted_at: Some(request.at + Duration::hours(run.rng.random_range(2..72))),
        ..proposal(run.ids.assignment, member, "completed")
    });
    if tier == Tier::Woonservice {
        outcomes.paid_with_vouchers += 1;
        let vouchers = i64::from((request.estimated + 3) / 4);
        let buyer = (request.client, town.id, town.coordinator);
        let redeemed_by = Some((run.ids.assignment, slot_end));
        sell(
            history,
            &mut run.ids,
            buyer,
            vouchers,
            request.start - Duration::days(30),
            serials,
            redeemed_by,
        );
    }
}

/// A weekday morning in the last two years, 09:00 Amsterdam.
fn past_start(rng: &mut StdRng, now: DateTime<Utc>) -> DateTime<Utc> {
    let mut day: NaiveDate = (now - Duration::days(rng.random_range(2..730))).date_naive();
    while day.weekday().number_from_monday() > 5 {
        day = day.pred_opt().expect("far from the start of time");
    }
    crate::domain::schedule::local_to_utc(day.and_hms_opt(9, 0, 0).expect("valid"))
}

/// A member of `members` with the skill, at random; none when nobody has it.
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

/// A trail of the engine's shape — one row per tier in the escalation order up to the
/// matched one (all four when none matched), the earlier ones skipped — but not its
/// judgement: a skipped tier's reason is `volunteer_not_allowed` for a task volunteers
/// may not do and `no_candidate` otherwise (the seeder checks no offer, target group
/// or voucher balance), and the sentences are the tier's name and the reason code,
/// not the engine's wording.
fn trail(history: &mut History, request: i64, tier: Option<Tier>, volunteer_ok: bool, at: NaiveDateTime) {
    for t in ORDER {
        let matched = Some(t) == tier;
        let reason = match (t, matched) {
            (_, true) => "matched",
            (Tier::Volunteer, _) if !volunteer_ok => "volunteer_not_allowed",
            _ => "no_candidate",
        };
        history.trail.push(bulk::Trail {
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
