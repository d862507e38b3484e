//! Routing a request through the escalation order, escalating it by hand, and
//! overruling the existing-organisation check.
//!
//! A route is on the hot path: the request is locked, then its client, preconditions
//! and trail come in one statement; the skilled members with their bookings and who
//! served the client before in one more, the first time a member tier needs them, and
//! the providers in one when a provider tier does — none per candidate. The answer is
//! built from what the run already knows instead of reading the request back.

use chrono::{DateTime, Duration, Utc};

use crate::domain::Role;
use crate::domain::category::Category;
use crate::domain::client::Client;
use crate::domain::hours::QuarterHours;
use crate::domain::member::MemberKind;
use crate::domain::provider::ProviderKind;
use crate::domain::ranking::{self, Candidate, MemberFacts, ProviderFacts, Task};
use crate::domain::referral::{self, NewReferral, ProviderContactDetails, Referral, ReferralStatus};
use crate::domain::request::{RequestStatus, TaskRequest, Tier};
use crate::domain::routing::{self, Outcome, ReasonCode, TierFacts, TrailEntry, WoonserviceChecks};
use crate::domain::schedule::{Span, iso_week_of, local_date};
use crate::domain::voucher;
use crate::error::{AppError, AppResult, ConflictCode};
use crate::service::Ctx;
use crate::service::actor::{Actor, By, found, require_role};
use crate::service::assignment_endings::close_open_assignments;
use crate::service::mail::notify;
use crate::service::requests::{self as request_service, RequestDetail};
use crate::service::tokens::Subject;
use crate::store::routing_facts::{self, Preconditions, ProviderContact, RequestFacts};
use crate::store::{DbConnection, assignments, clients, providers, referrals, requests, trail, tx};

/// What a routing run answers.
pub struct RouteResult {
    pub detail: RequestDetail,
    pub tier: Option<Tier>,
    /// The matched tier's candidates, best first (at most ten).
    pub candidates: Vec<Candidate>,
}

const ROUTERS: [Role; 2] = [Role::Advisor, Role::Coordinator];

/// A request can be routed, by the engine or by hand, until it is scheduled with a
/// member, taken by a provider, or ended.
fn routable(conn: &mut DbConnection, request: &TaskRequest) -> AppResult<()> {
    if request.status.is_final() || request.status == RequestStatus::Scheduled {
        return Err(AppError::conflict(
            ConflictCode::InvalidTransition,
            format!("a {} request cannot be routed", request.status),
        ));
    }
    if request.status == RequestStatus::Referred
        && referrals::current_of_request(conn, request.id)?.is_some_and(|r| r.status == ReferralStatus::Accepted)
    {
        return Err(AppError::conflict(
            ConflictCode::InvalidTransition,
            "the provider accepted this request; record the work done, or cancel the request",
        ));
    }
    Ok(())
}

/// The request locked for routing by an advisor or coordinator in scope, with its
/// client, preconditions and trail.
fn locked_for_routing(conn: &mut DbConnection, actor: &Actor, id: i64) -> AppResult<(TaskRequest, RequestFacts)> {
    let request = request_service::locked(conn, actor, id)?;
    routable(conn, &request)?;
    let known = routing_facts::of_request(conn, &request, local_date(actor.now()))?;
    Ok((request, known))
}

pub async fn route(ctx: &Ctx, subject: Subject, id: i64) -> AppResult<RouteResult> {
    ctx.as_actor(subject, move |conn, actor| {
        require_role(actor, &ROUTERS)?;
        tx::write(conn, |conn| {
            let (request, known) = locked_for_routing(conn, actor, id)?;
            let from = routing::first_tier_not_passed(&known.trail);
            run(conn, &Walk::by_engine(actor.now()), request, known, from)
        })
    })
    .await
}

/// Intake's routing: the engine runs once for a request that is still new. A repeat
/// (a second click, a retry of the same form) finds it routed and answers what the
/// first run decided, with no second run.
pub async fn route_if_new(ctx: &Ctx, subject: Subject, id: i64) -> AppResult<RouteResult> {
    ctx.as_actor(subject, move |conn, actor| {
        require_role(actor, &ROUTERS)?;
        tx::write(conn, |conn| {
            let request = request_service::locked(conn, actor, id)?;
            if request.status != RequestStatus::New {
                return Ok(RouteResult {
                    detail: request_service::detail_of(conn, id)?,
                    tier: request.tier,
                    candidates: Vec::new(),
                });
            }
            let known = routing_facts::of_request(conn, &request, local_date(actor.now()))?;
            let from = routing::first_tier_not_passed(&known.trail);
            run(conn, &Walk::by_engine(actor.now()), request, known, from)
        })
    })
    .await
}

fn manual_entry(actor: &Actor, tier: Tier, outcome: Outcome, reason: &str) -> TrailEntry {
    let code = if outcome == Outcome::Overridden {
        ReasonCode::Overridden
    } else {
        ReasonCode::Escalated
    };
    let sentences = routing::manual_sentences(tier, outcome, reason);
    trail_line(&actor.by(), tier, outcome, code, sentences)
}

/// A trail line decided by `by`: a person, or the service itself (`decided_by` `None`).
pub(crate) fn trail_line(
    by: &By,
    tier: Tier,
    outcome: Outcome,
    reason: ReasonCode,
    (sentence_nl, sentence_en): (String, String),
) -> TrailEntry {
    TrailEntry {
        tier,
        outcome,
        reason,
        sentence_nl,
        sentence_en,
        decided_by: by.user_id,
        at: by.now,
    }
}

pub async fn escalate(ctx: &Ctx, subject: Subject, id: i64, reason: String) -> AppResult<RouteResult> {
    ctx.as_actor(subject, move |conn, actor| {
        require_role(actor, &ROUTERS)?;
        tx::write(conn, |conn| {
            let (request, mut known) = locked_for_routing(conn, actor, id)?;
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
            let entry = manual_entry(actor, tier, Outcome::Escalated, &reason);
            trail::append(conn, id, std::slice::from_ref(&entry))?;
            known.trail.push(entry);
            let from = routing::first_tier_not_passed(&known.trail);
            run(conn, &Walk::by_engine(actor.now()), request, known, from)
        })
    })
    .await
}

/// Goes straight to a tier of the escalation order: the tiers before it that were not
/// passed yet are passed by hand, and the tier is checked as the engine checks it. No
/// viable match: 409 `tier_not_viable`, and nothing is written.
pub async fn route_to(ctx: &Ctx, subject: Subject, id: i64, tier: Tier, reason: String) -> AppResult<RouteResult> {
    ctx.as_actor(subject, move |conn, actor| {
        require_role(actor, &ROUTERS)?;
        if !routing::ORDER.contains(&tier) {
            return Err(AppError::invalid(
                "tier",
                "the local organisation is not a tier of the escalation order; refer the request to it",
            ));
        }
        tx::write(conn, |conn| {
            let (request, known) = locked_for_routing(conn, actor, id)?;
            let (client, past, mut gathered) = Gathered::start(known, actor.now());
            let start = routing::first_tier_not_passed(&past).unwrap_or(tier);
            let mut entries: Vec<TrailEntry> = routing::between(start, tier)
                .iter()
                .map(|t| {
                    trail_line(
                        &actor.by(),
                        *t,
                        Outcome::Escalated,
                        ReasonCode::ByHand,
                        routing::passed_by_hand_sentences(*t, tier, &reason),
                    )
                })
                .collect();
            let mut seen = past.clone();
            seen.extend(entries.iter().cloned());
            let tier_facts = facts(conn, &request, &client, &seen, &mut gathered, tier)?;
            let decision = routing::decide(tier, &tier_facts);
            if decision.outcome != Outcome::Matched {
                return Err(AppError::conflict(
                    ConflictCode::TierNotViable,
                    format!("{}: {}", decision.reason, decision.sentence_en),
                ));
            }
            entries.push(trail_line(
                &actor.by(),
                tier,
                Outcome::Matched,
                ReasonCode::ByHand,
                routing::chosen_by_hand_sentences(&decision, &reason),
            ));
            let matched = Some((tier, tier_facts.candidates().to_vec()));
            settle(
                conn,
                &Walk::by_hand(actor),
                Found {
                    request,
                    client,
                    past,
                    entries,
                    matched,
                    gathered,
                },
            )
        })
    })
    .await
}

/// Refers the request to a provider named by hand, of any kind: the request becomes
/// `referred` with the provider's tier, and the provider and client are told.
pub async fn refer(ctx: &Ctx, subject: Subject, id: i64, provider_id: i64, reason: String) -> AppResult<RouteResult> {
    ctx.as_actor(subject, move |conn, actor| {
        require_role(actor, &ROUTERS)?;
        tx::write(conn, |conn| {
            let (request, known) = locked_for_routing(conn, actor, id)?;
            let provider = match providers::find(conn, provider_id)? {
                Some(p) => p,
                None => return Err(AppError::invalid("provider_id", "no such provider")),
            };
            if let Some(why) = provider
                .fields
                .unreferable_for(request.municipality_id, &request.category)
            {
                return Err(AppError::invalid("provider_id", why));
            }
            if request.status == RequestStatus::Referred
                && referrals::open_of_request(conn, id)?.is_some_and(|r| r.provider_id == provider_id)
            {
                return Err(AppError::conflict(
                    ConflictCode::InvalidTransition,
                    "the request already waits for this provider's answer",
                ));
            }
            let tier = routing::tier_of_provider(provider.fields.kind);
            let entry = trail_line(
                &actor.by(),
                tier,
                Outcome::Matched,
                ReasonCode::ByHand,
                routing::referred_by_hand_sentences(tier, &provider.fields.name, &reason),
            );
            let (client, past, mut gathered) = Gathered::start(known, actor.now());
            let open_referrals = referrals::open_counts(conn, &[provider.id])?
                .first()
                .map_or(0, |(_, n)| *n);
            gathered.providers = Some(vec![ProviderContact {
                id: provider.id,
                kind: provider.fields.kind,
                name: provider.fields.name.clone(),
                email: provider.fields.email.as_ref().map(|e| e.as_str().to_owned()),
                phone: provider.fields.phone.clone(),
                open_referrals,
            }]);
            let chosen = ranking::rank_providers(&[ProviderFacts {
                id: provider.id,
                name: provider.fields.name.clone(),
                open_referrals,
            }]);
            settle(
                conn,
                &Walk::by_hand(actor),
                Found {
                    request,
                    client,
                    past,
                    entries: vec![entry],
                    matched: Some((tier, chosen)),
                    gathered,
                },
            )
        })
    })
    .await
}

/// Routes a request on after its provider said no or did not answer in time: from the
/// referral's tier, without the providers that were tried, then the tiers after it.
/// `line` is the trail line saying why; `cause` says it to the advisors in Dutch when
/// nobody is left. Runs inside the caller's transaction, with the request locked.
pub(crate) fn route_on(
    conn: &mut DbConnection,
    by: By,
    request: TaskRequest,
    line: TrailEntry,
    cause: String,
) -> AppResult<RouteResult> {
    let from = Some(line.tier);
    let mut known = routing_facts::of_request(conn, &request, local_date(by.now))?;
    trail::append(conn, request.id, std::slice::from_ref(&line))?;
    known.trail.push(line);
    let walk = Walk {
        by: By { user_id: None, ..by },
        cause: Some(cause),
    };
    run(conn, &walk, request, known, from)
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
            let request = request_service::locked(conn, actor, id)?;
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
            trail::append(
                conn,
                id,
                &[manual_entry(actor, Tier::Woonservice, Outcome::Overridden, &reason)],
            )?;
            request_service::detail_of(conn, request.id)
        })
    })
    .await
}

/// Who a walk acts for. The engine's choices (`by.user_id` `None`) make referrals
/// nobody made by hand; `cause` is why a walk started without a person asking.
struct Walk {
    by: By,
    cause: Option<String>,
}

impl Walk {
    fn by_hand(actor: &Actor) -> Walk {
        Walk {
            by: actor.by(),
            cause: None,
        }
    }

    fn by_engine(now: DateTime<Utc>) -> Walk {
        Walk {
            by: By::engine(now),
            cause: None,
        }
    }
}

/// Facts of one run as of `now`: the preconditions read with the request, the rest
/// fetched once, the first time a tier needs them.
struct Gathered {
    now: DateTime<Utc>,
    /// The request's category, for the mails.
    category: Option<Category>,
    preconditions: Preconditions,
    /// The ranked volunteers and jobseekers.
    members: Option<(Vec<Candidate>, Vec<Candidate>)>,
    providers: Option<Vec<ProviderContact>>,
    /// Providers that declined the request or let it wait.
    tried: Option<Vec<i64>>,
}

impl Gathered {
    /// A run's start from what was read with the request: its client, its trail so far
    /// and the facts gathered.
    fn start(known: RequestFacts, now: DateTime<Utc>) -> (Client, Vec<TrailEntry>, Gathered) {
        let RequestFacts {
            client,
            category,
            preconditions,
            trail,
        } = known;
        (client, trail, Gathered::new(now, category, preconditions))
    }

    fn new(now: DateTime<Utc>, category: Option<Category>, preconditions: Preconditions) -> Gathered {
        Gathered {
            now,
            category,
            preconditions,
            members: None,
            providers: None,
            tried: None,
        }
    }
}

/// What a walk found: the request, its trail so far, the new lines and the match.
struct Found {
    request: TaskRequest,
    client: Client,
    past: Vec<TrailEntry>,
    entries: Vec<TrailEntry>,
    matched: Option<(Tier, Vec<Candidate>)>,
    gathered: Gathered,
}

/// Walks the tiers from `from` (none left: unmatched), records every decision and
/// moves the request to the result.
fn run(
    conn: &mut DbConnection,
    walk: &Walk,
    request: TaskRequest,
    known: RequestFacts,
    from: Option<Tier>,
) -> AppResult<RouteResult> {
    let now = walk.by.now;
    let (client, past, mut gathered) = Gathered::start(known, now);
    let outcome = match from {
        Some(start) => routing::route(start, |tier| facts(conn, &request, &client, &past, &mut gathered, tier))?,
        None => routing::Routing {
            decisions: Vec::new(),
            matched: None,
        },
    };
    let entries = engine_entries(&outcome.decisions, now);
    settle(
        conn,
        walk,
        Found {
            request,
            client,
            past,
            entries,
            matched: outcome.matched,
            gathered,
        },
    )
}

/// The engine's decisions of this run as trail lines.
fn engine_entries(decisions: &[routing::Decision], now: DateTime<Utc>) -> Vec<TrailEntry> {
    decisions
        .iter()
        .map(|d| {
            let sentences = (d.sentence_nl.clone(), d.sentence_en.clone());
            trail_line(&By::engine(now), d.tier, d.outcome, d.reason, sentences)
        })
        .collect()
}

/// Writes what a walk found: the new trail lines, the referral or the end of the
/// old one and of assignments, the mails, and the request's new status and tier.
fn settle(conn: &mut DbConnection, walk: &Walk, found_: Found) -> AppResult<RouteResult> {
    let Found {
        request,
        client,
        past,
        entries,
        matched,
        gathered,
    } = found_;
    let now = walk.by.now;
    trail::append(conn, request.id, &entries)?;
    // A new request has neither a referral nor assignments yet.
    let fresh = request.status == RequestStatus::New;
    let before = Before {
        walk,
        request: &request,
        client: &client,
        fresh,
        open_referral: if fresh {
            None
        } else {
            referrals::open_of_request(conn, request.id)?
        },
        response_hours: gathered.preconditions.referral_response_hours,
        category: gathered.category.as_ref(),
    };
    let mut referral = None;
    let (status, tier, candidates) = match matched {
        Some((tier, mut candidates)) => {
            candidates.truncate(ranking::TOP);
            if routing::is_member_tier(tier) {
                before.to_member_tier(conn, tier)?;
                (RequestStatus::Routed, Some(tier), candidates)
            } else {
                let providers = gathered.providers.as_deref().unwrap_or_default();
                referral = Some(before.to_provider(conn, tier, candidates[0].id, providers)?);
                (RequestStatus::Referred, Some(tier), candidates)
            }
        }
        None => {
            before.to_nobody(conn)?;
            (RequestStatus::Unmatched, None, Vec::new())
        }
    };
    requests::set_routing(conn, request.id, status, tier, now)?;
    let assignment = if fresh {
        None
    } else {
        assignments::latest_of_request(conn, request.id)?
    };
    let mut trail = past;
    trail.extend(entries);
    let detail = RequestDetail {
        request: TaskRequest {
            status,
            tier,
            updated_at: now,
            ..request
        },
        trail,
        assignment,
        referral,
        client_gets_mail: notify::client_gets_mail(&client),
    };
    Ok(RouteResult {
        detail,
        tier,
        candidates,
    })
}

/// The request as the walk found it, for the changes its new tier brings.
struct Before<'a> {
    walk: &'a Walk,
    request: &'a TaskRequest,
    client: &'a Client,
    /// New: no referral or assignment to end.
    fresh: bool,
    open_referral: Option<Referral>,
    /// The municipality's hours for a provider to answer a referral.
    response_hours: i32,
    category: Option<&'a Category>,
}

impl Before<'_> {
    fn now(&self) -> DateTime<Utc> {
        self.walk.by.now
    }

    fn withdraw_open_referral(&self, conn: &mut DbConnection) -> AppResult<()> {
        if let Some(r) = &self.open_referral {
            referrals::withdraw(conn, r.id, self.now())?;
        }
        Ok(())
    }

    fn close_assignments(&self, conn: &mut DbConnection, reason: &str) -> AppResult<()> {
        if !self.fresh {
            close_open_assignments(conn, &self.walk.by, self.request.id, reason)?;
        }
        Ok(())
    }

    /// A member tier: an open referral is withdrawn, and the assignments of another
    /// tier end. The client hears that we look for someone when the tier is new.
    fn to_member_tier(&self, conn: &mut DbConnection, tier: Tier) -> AppResult<()> {
        self.withdraw_open_referral(conn)?;
        if self.request.tier != Some(tier) {
            self.close_assignments(conn, "the request was routed to another tier")?;
            notify::request_routed(conn, self.now(), self.request, self.client, self.category, tier)?;
        }
        Ok(())
    }

    /// A provider tier: the best provider's open referral stays; otherwise the open
    /// one is withdrawn and a new one made (and mailed). Open assignments end.
    fn to_provider(
        &self,
        conn: &mut DbConnection,
        tier: Tier,
        best: i64,
        providers: &[ProviderContact],
    ) -> AppResult<Referral> {
        let keep = self
            .open_referral
            .as_ref()
            .filter(|r| r.provider_id == best && r.tier == tier);
        let referral = match keep {
            Some(kept) => kept.clone(),
            None => {
                self.withdraw_open_referral(conn)?;
                let contact = providers
                    .iter()
                    .find(|p| p.id == best)
                    .expect("the candidate came from these providers");
                self.refer(conn, tier, contact)?
            }
        };
        self.close_assignments(conn, "the request was referred to a provider")?;
        Ok(referral)
    }

    fn refer(&self, conn: &mut DbConnection, tier: Tier, contact: &ProviderContact) -> AppResult<Referral> {
        let now = self.now();
        let hours = self.response_hours;
        let new = NewReferral {
            request_id: self.request.id,
            municipality_id: self.request.municipality_id,
            provider_id: contact.id,
            tier,
            respond_by: referral::respond_by(now, hours),
            created_by: self.walk.by.user_id,
        };
        let id = referrals::insert(conn, &new, now)?;
        let contact = ProviderContactDetails {
            name: contact.name.clone(),
            email: contact.email.clone(),
            phone: contact.phone.clone(),
        };
        let new = new.stored(id, contact, now);
        notify::request_referred(conn, now, self.request, self.client, self.category, &new)?;
        notify::provider_referral(conn, now, self.request, self.client, self.category, &new)?;
        Ok(new)
    }

    /// No tier: the referral and assignments end; the advisors and the client hear it
    /// (once).
    fn to_nobody(&self, conn: &mut DbConnection) -> AppResult<()> {
        self.withdraw_open_referral(conn)?;
        self.close_assignments(conn, "no tier matched the request")?;
        if self.request.status != RequestStatus::Unmatched {
            let now = self.now();
            let category = self.category;
            notify::request_unmatched(
                conn,
                now,
                self.request,
                self.client,
                category,
                self.walk.cause.as_deref(),
            )?;
            notify::request_on_hold(conn, now, self.request, self.client, category)?;
        }
        Ok(())
    }
}

/// What the engine needs to know of one tier for this request.
fn facts(
    conn: &mut DbConnection,
    request: &TaskRequest,
    client: &Client,
    past: &[TrailEntry],
    gathered: &mut Gathered,
    tier: Tier,
) -> AppResult<TierFacts> {
    match tier {
        Tier::Volunteer => volunteer_facts(conn, request, client, gathered),
        Tier::Woonservice => woonservice_facts(conn, request, client, past, gathered),
        Tier::PrivateProvider | Tier::Business | Tier::Organisation => provider_facts(conn, request, gathered, tier),
    }
}

fn volunteer_facts(
    conn: &mut DbConnection,
    request: &TaskRequest,
    client: &Client,
    gathered: &mut Gathered,
) -> AppResult<TierFacts> {
    let allows = gathered.preconditions.category_allows_volunteers;
    let candidates = if allows {
        member_candidates(conn, request, client, gathered.now, &mut gathered.members)?.0
    } else {
        Vec::new()
    };
    Ok(TierFacts::Volunteer {
        category_allows_volunteers: allows,
        candidates,
    })
}

fn woonservice_facts(
    conn: &mut DbConnection,
    request: &TaskRequest,
    client: &Client,
    past: &[TrailEntry],
    gathered: &mut Gathered,
) -> AppResult<TierFacts> {
    let pre = &gathered.preconditions;
    let mut checks = WoonserviceChecks {
        offered_by_project: pre.offered_by_project,
        client_in_target_group: client.fields.in_target_group(),
        organisation_offers_it: pre.organisation_offers_it,
        organisation_check_overridden: routing::organisation_check_overridden(past),
        vouchers_available: pre.vouchers_available,
        vouchers_needed: voucher::vouchers_for(request.estimated_hours),
        organisations: Vec::new(),
    };
    // The trail names the organisations, so that the advisor can refer the client to one.
    if checks.unmet() == Some(ReasonCode::ExistingOrganisation) {
        checks.organisations = offering(conn, request, gathered)?
            .iter()
            .filter(|p| p.kind == ProviderKind::Organisation)
            .map(|p| p.name.clone())
            .collect();
    }
    // When a precondition fails the candidates cannot change the decision, so they
    // are not looked up.
    let candidates = if checks.unmet().is_none() {
        member_candidates(conn, request, client, gathered.now, &mut gathered.members)?.1
    } else {
        Vec::new()
    };
    Ok(TierFacts::Woonservice { checks, candidates })
}

/// The providers of the tier's kind that offer the category here and were not tried
/// for this request, ranked by how few open referrals they hold.
fn provider_facts(
    conn: &mut DbConnection,
    request: &TaskRequest,
    gathered: &mut Gathered,
    tier: Tier,
) -> AppResult<TierFacts> {
    offering(conn, request, gathered)?;
    if gathered.tried.is_none() {
        gathered.tried = Some(if request.status == RequestStatus::New {
            Vec::new()
        } else {
            referrals::tried_providers(conn, request.id)?
        });
    }
    let tried = gathered.tried.as_deref().unwrap_or_default();
    let kind = routing::provider_kind(tier).expect("a provider tier");
    let found: Vec<&ProviderContact> = gathered
        .providers
        .iter()
        .flatten()
        .filter(|p| p.kind == kind && !tried.contains(&p.id))
        .collect();
    let facts: Vec<ProviderFacts> = found
        .into_iter()
        .map(|p| ProviderFacts {
            id: p.id,
            name: p.name.clone(),
            open_referrals: p.open_referrals,
        })
        .collect();
    Ok(TierFacts::Provider {
        candidates: ranking::rank_providers(&facts),
    })
}

/// The members the engine would rank for a member tier of this request now, best
/// first, without routing it.
pub(crate) fn ranked_members(
    conn: &mut DbConnection,
    request: &TaskRequest,
    tier: Tier,
    now: DateTime<Utc>,
) -> AppResult<Vec<Candidate>> {
    let client = found(clients::find(conn, request.client_id)?)?;
    let (volunteers, jobseekers) = member_candidates(conn, request, &client, now, &mut None)?;
    Ok(if tier == Tier::Volunteer {
        volunteers
    } else {
        jobseekers
    })
}

/// The active providers of every kind that offer the task here, read once per run.
fn offering<'g>(
    conn: &mut DbConnection,
    request: &TaskRequest,
    gathered: &'g mut Gathered,
) -> AppResult<&'g [ProviderContact]> {
    if gathered.providers.is_none() {
        gathered.providers = Some(routing_facts::offering_providers(
            conn,
            request.municipality_id,
            &request.category,
        )?);
    }
    Ok(gathered.providers.as_deref().unwrap_or_default())
}

/// The ranked volunteers and jobseekers for the task: the skilled active members of
/// the municipality with their bookings around the window and whether they served this
/// client before, in one statement, fetched once (`cache`) for both member tiers.
fn member_candidates(
    conn: &mut DbConnection,
    request: &TaskRequest,
    client: &Client,
    now: DateTime<Utc>,
    cache: &mut Option<(Vec<Candidate>, Vec<Candidate>)>,
) -> AppResult<(Vec<Candidate>, Vec<Candidate>)> {
    if let Some(ranked) = cache {
        return Ok(ranked.clone());
    }
    let task = Task {
        category: &request.category,
        window: Span::new(request.window.start(), request.window.end()),
        estimated: request.estimated_hours,
        client_at: client.fields.coordinates,
    };
    // Bookings count for the fairness days before now and for the weeks of the window.
    let recent_from = now - Duration::days(ranking::FAIRNESS_DAYS);
    let span = (
        recent_from.min(iso_week_of(task.window.start).start),
        iso_week_of(task.window.end).end,
    );
    let found = routing_facts::member_candidates(
        conn,
        request.municipality_id,
        &request.category,
        request.client_id,
        span,
    )?;
    let recent: Vec<QuarterHours> = found
        .iter()
        .map(|c| {
            c.bookings
                .iter()
                .filter(|b| b.slot.start >= recent_from && b.slot.start <= now)
                .map(|b| b.hours)
                .sum()
        })
        .collect();
    let facts: Vec<MemberFacts<'_>> = found
        .iter()
        .zip(&recent)
        .map(|(c, recent)| MemberFacts {
            member: &c.member,
            bookings: &c.bookings,
            served_client_before: c.served_client,
            recent: *recent,
        })
        .collect();
    let (volunteers, jobseekers): (Vec<Candidate>, Vec<Candidate>) =
        ranking::rank_members(&task, &facts).into_iter().partition(|c| {
            found
                .iter()
                .find(|m| m.member.id == c.id)
                .is_some_and(|m| m.member.fields.kind == MemberKind::Volunteer)
        });
    *cache = Some((volunteers.clone(), jobseekers.clone()));
    Ok((volunteers, jobseekers))
}
