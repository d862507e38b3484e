//! Routing a request through the escalation order, escalating it by hand, and
//! overruling the existing-organisation check.

use chrono::Duration;

use crate::domain::Role;
use crate::domain::client::Client;
use crate::domain::hours::QuarterHours;
use crate::domain::member::MemberKind;
use crate::domain::provider::ProviderKind;
use crate::domain::ranking::{self, Booking, Candidate, MemberFacts, ProviderFacts, Task};
use crate::domain::request::{RequestStatus, TaskRequest, Tier};
use crate::domain::routing::{self, Outcome, ReasonCode, TierFacts, TrailEntry};
use crate::domain::schedule::{Span, iso_week_of, local_date};
use crate::error::{AppError, AppResult, ConflictCode};
use crate::service::Ctx;
use crate::service::actor::{Actor, require_role};
use crate::service::assignments::close_open_assignments;
use crate::service::municipalities::found;
use crate::service::requests::{self as request_service, RequestDetail};
use crate::service::tokens::Subject;
use crate::store::{
    DbConnection, assignments, categories, clients, locks, members, municipalities, providers, referrals, requests,
    time, trail, tx, vouchers,
};

/// What a routing run answers.
pub struct RouteResult {
    pub detail: RequestDetail,
    pub tier: Option<Tier>,
    /// The matched tier's candidates, best first (at most ten).
    pub candidates: Vec<Candidate>,
}

const ROUTERS: [Role; 2] = [Role::Advisor, Role::Coordinator];

/// How far back work counts for the fairness part of the ranking.
const FAIRNESS_DAYS: i64 = 28;

fn routable(request: &TaskRequest) -> AppResult<()> {
    if request.status.is_final() || request.status == RequestStatus::Scheduled {
        return Err(AppError::conflict(
            ConflictCode::InvalidTransition,
            format!("a {} request cannot be routed", request.status),
        ));
    }
    Ok(())
}

pub async fn route(ctx: &Ctx, subject: Subject, id: i64) -> AppResult<RouteResult> {
    ctx.as_actor(subject, move |conn, actor| {
        require_role(actor, &ROUTERS)?;
        tx::write(conn, |conn| {
            let request = locked(conn, actor, id)?;
            routable(&request)?;
            run(conn, actor, request)
        })
    })
    .await
}

pub async fn escalate(ctx: &Ctx, subject: Subject, id: i64, reason: String) -> AppResult<RouteResult> {
    ctx.as_actor(subject, move |conn, actor| {
        require_role(actor, &ROUTERS)?;
        tx::write(conn, |conn| {
            let request = locked(conn, actor, id)?;
            routable(&request)?;
            let Some(tier) = request
                .tier
                .filter(|_| matches!(request.status, RequestStatus::Routed | RequestStatus::Referred))
            else {
                return Err(AppError::conflict(
                    ConflictCode::InvalidTransition,
                    format!(
                        "a {} request has no tier to escalate from; route it first",
                        request.status
                    ),
                ));
            };
            let (nl, en) = routing::manual_sentences(tier, Outcome::Escalated, &reason);
            let entry = TrailEntry {
                tier,
                outcome: Outcome::Escalated,
                reason: ReasonCode::Escalated,
                sentence_nl: nl,
                sentence_en: en,
                decided_by: Some(actor.id()),
                at: time::now(),
            };
            trail::append(conn, id, &[entry])?;
            run(conn, actor, request)
        })
    })
    .await
}

pub async fn override_organisation_check(
    ctx: &Ctx,
    subject: Subject,
    id: i64,
    reason: String,
) -> AppResult<RequestDetail> {
    ctx.as_actor(subject, move |conn, actor| {
        require_role(actor, &[Role::Coordinator])?;
        tx::write(conn, |conn| {
            let request = locked(conn, actor, id)?;
            if request.status.is_final() {
                return Err(AppError::conflict(
                    ConflictCode::InvalidTransition,
                    format!("a {} request cannot change", request.status),
                ));
            }
            if routing::organisation_check_overridden(&trail::of_request(conn, id)?) {
                return Err(AppError::conflict(
                    ConflictCode::InvalidTransition,
                    "the check was overruled for this request already",
                ));
            }
            let (nl, en) = routing::manual_sentences(Tier::Woonservice, Outcome::Overridden, &reason);
            let entry = TrailEntry {
                tier: Tier::Woonservice,
                outcome: Outcome::Overridden,
                reason: ReasonCode::Overridden,
                sentence_nl: nl,
                sentence_en: en,
                decided_by: Some(actor.id()),
                at: time::now(),
            };
            trail::append(conn, id, &[entry])?;
            request_service::detail_of(conn, id)
        })
    })
    .await
}

fn locked(conn: &mut DbConnection, actor: &Actor, id: i64) -> AppResult<TaskRequest> {
    locks::request(conn, id)?;
    request_service::readable(conn, actor, id)
}

/// Walks the tiers from the first one not yet passed, records every decision and
/// moves the request to the result.
fn run(conn: &mut DbConnection, actor: &Actor, request: TaskRequest) -> AppResult<RouteResult> {
    let now = time::now();
    let past = trail::of_request(conn, request.id)?;
    let client = found(clients::find(conn, request.client_id)?)?;
    let outcome = match routing::first_tier_not_passed(&past) {
        Some(start) => routing::route(start, |tier| facts(conn, &request, &client, &past, tier))?,
        None => routing::Routing {
            decisions: Vec::new(),
            matched: None,
        },
    };
    let entries: Vec<TrailEntry> = outcome
        .decisions
        .iter()
        .map(|d| TrailEntry {
            tier: d.tier,
            outcome: d.outcome,
            reason: d.reason,
            sentence_nl: d.sentence_nl.clone(),
            sentence_en: d.sentence_en.clone(),
            decided_by: None,
            at: now,
        })
        .collect();
    trail::append(conn, request.id, &entries)?;

    let open_referral = referrals::open_of_request(conn, request.id)?;
    let (status, tier, candidates) = match outcome.matched {
        Some((tier, mut candidates)) => {
            candidates.truncate(ranking::TOP);
            if routing::is_member_tier(tier) {
                if let Some(r) = &open_referral {
                    referrals::withdraw(conn, r.id, now)?;
                }
                if request.tier != Some(tier) {
                    close_open_assignments(conn, actor, request.id, "the request was routed to another tier")?;
                }
                (RequestStatus::Routed, Some(tier), candidates)
            } else {
                let best = candidates[0].id;
                let keep = open_referral
                    .as_ref()
                    .is_some_and(|r| r.provider_id == best && r.tier == tier);
                if !keep {
                    if let Some(r) = &open_referral {
                        referrals::withdraw(conn, r.id, now)?;
                    }
                    referrals::insert(conn, request.id, best, tier, now)?;
                }
                close_open_assignments(conn, actor, request.id, "the request was referred to a provider")?;
                (RequestStatus::Referred, Some(tier), candidates)
            }
        }
        None => {
            if let Some(r) = &open_referral {
                referrals::withdraw(conn, r.id, now)?;
            }
            close_open_assignments(conn, actor, request.id, "no tier matched the request")?;
            (RequestStatus::Unmatched, None, Vec::new())
        }
    };
    requests::set_routing(conn, request.id, status, tier, now)?;
    let detail = request_service::detail_of(conn, request.id)?;
    Ok(RouteResult {
        detail,
        tier,
        candidates,
    })
}

/// What the store knows of one tier for this request: one gathering per tier.
fn facts(
    conn: &mut DbConnection,
    request: &TaskRequest,
    client: &Client,
    past: &[TrailEntry],
    tier: Tier,
) -> AppResult<TierFacts> {
    let task = Task {
        category: &request.category,
        window: Span::new(request.window.start(), request.window.end()),
        estimated: request.estimated_hours,
        client_at: client.fields.coordinates,
    };
    Ok(match tier {
        Tier::Volunteer => {
            let allows = categories::find(conn, &request.category)?.is_some_and(|c| c.volunteer_ok);
            let candidates = if allows {
                member_candidates(conn, request, &task, MemberKind::Volunteer)?
            } else {
                Vec::new()
            };
            TierFacts::Volunteer {
                category_allows_volunteers: allows,
                candidates,
            }
        }
        Tier::Woonservice => {
            let today = local_date(time::now());
            let offered = municipalities::offers(conn, request.municipality_id, &request.category)?;
            let in_target_group = !client.fields.target_groups.is_empty();
            let organisation = !providers::serving(
                conn,
                request.municipality_id,
                ProviderKind::Organisation,
                &request.category,
            )?
            .is_empty();
            let overridden = routing::organisation_check_overridden(past);
            let available = vouchers::available_count(conn, client.id, today)?;
            let needed = i64::from(request.estimated_hours.started_hours());
            // The engine checks the preconditions before the candidates, so when one
            // fails the candidates cannot change the decision and are not looked up.
            let preconditions = offered && in_target_group && (!organisation || overridden) && available >= needed;
            let candidates = if preconditions {
                member_candidates(conn, request, &task, MemberKind::Jobseeker)?
            } else {
                Vec::new()
            };
            TierFacts::Woonservice {
                offered_by_project: offered,
                client_in_target_group: in_target_group,
                organisation_offers_it: organisation,
                organisation_check_overridden: overridden,
                vouchers_available: available,
                vouchers_needed: needed,
                candidates,
            }
        }
        Tier::PrivateProvider | Tier::Business => {
            let kind = if tier == Tier::PrivateProvider {
                ProviderKind::PrivateProvider
            } else {
                ProviderKind::Business
            };
            let found = providers::serving(conn, request.municipality_id, kind, &request.category)?;
            let ids: Vec<i64> = found.iter().map(|p| p.0).collect();
            let open = referrals::open_counts(conn, &ids)?;
            let facts: Vec<ProviderFacts> = found
                .into_iter()
                .map(|(id, name)| ProviderFacts {
                    id,
                    name,
                    open_referrals: open.iter().find(|(p, _)| *p == id).map_or(0, |(_, n)| *n),
                })
                .collect();
            TierFacts::Provider {
                candidates: ranking::rank_providers(&facts),
            }
        }
    })
}

/// Ranks the active members of a kind for the task, with their bookings around the
/// window, recent work and history with this client.
fn member_candidates(
    conn: &mut DbConnection,
    request: &TaskRequest,
    task: &Task<'_>,
    kind: MemberKind,
) -> AppResult<Vec<Candidate>> {
    let members: Vec<_> = members::active_of_kind(conn, request.municipality_id, kind)?
        .into_iter()
        .filter(|m| m.fields.has_skill(&request.category))
        .collect();
    if members.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<i64> = members.iter().map(|m| m.id).collect();
    let now = time::now();
    let recent_from = now - Duration::days(FAIRNESS_DAYS);
    let from = recent_from.min(iso_week_of(task.window.start).start);
    let to = iso_week_of(task.window.end).end;
    let bookings = assignments::bookings(conn, &ids, from, to)?;
    let served = assignments::served_client(conn, request.client_id, &ids)?;
    let per_member: Vec<(Vec<Booking>, QuarterHours)> = members
        .iter()
        .map(|m| {
            let own: Vec<Booking> = bookings.iter().filter(|(id, _)| *id == m.id).map(|(_, b)| *b).collect();
            let recent = own
                .iter()
                .filter(|b| b.slot.start >= recent_from && b.slot.start <= now)
                .map(|b| b.hours)
                .sum();
            (own, recent)
        })
        .collect();
    let facts: Vec<MemberFacts<'_>> = members
        .iter()
        .zip(&per_member)
        .map(|(m, (own, recent))| MemberFacts {
            member: m,
            bookings: own,
            served_client_before: served.contains(&m.id),
            recent: *recent,
        })
        .collect();
    Ok(ranking::rank_members(task, &facts))
}
