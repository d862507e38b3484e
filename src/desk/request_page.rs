//! The page of one request: what was asked, its trail as a timeline, the candidates
//! of its member tier with their score parts, and the actions its state allows.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use minijinja::context;
use serde::{Deserialize, Serialize};

use crate::api::routing::{ReasonBody, reason};
use crate::domain::page::PageRequest;
use crate::domain::provider::ProviderFilter;
use crate::domain::referral::ReferralStatus;
use crate::domain::request::{RequestStatus, Tier};
use crate::domain::routing::{self as routing_rules, ReasonCode};
use crate::domain::schedule::Span;
use crate::domain::{Role, dates};
use crate::error::{AppError, ConflictCode};
use crate::service::{assignments, candidates, clients, providers, referrals, requests, routing};

use super::intake::see_other;
use super::lookups::Categories;
use super::page::{ActionFailure, Desk, DeskError, FieldErrors, Form};
use super::words::{self, Language};

#[derive(Deserialize)]
pub struct RequestQuery {
    gerouteerd: Option<String>,
    /// The action just done.
    gedaan: Option<String>,
}

#[derive(Serialize)]
struct Line {
    at: String,
    tier: String,
    sentence: String,
    by: String,
}

#[derive(Serialize)]
struct Ranked {
    id: i64,
    name: String,
    score: String,
    parts: Vec<(String, String)>,
}

#[derive(Serialize)]
struct Choice {
    value: String,
    label: String,
}

/// The words of a tier.
pub fn tier_name(tier: Tier) -> &'static str {
    match tier {
        Tier::Volunteer => "Vrijwilliger",
        Tier::Woonservice => "Leerwerkbedrijf",
        Tier::PrivateProvider => "Particuliere aanbieder",
        Tier::Business => "Bedrijf",
        Tier::Organisation => "Lokale organisatie",
    }
}

pub fn status_name(status: RequestStatus) -> &'static str {
    match status {
        RequestStatus::New => "Nieuw",
        RequestStatus::Routed => "Gerouteerd naar een lid",
        RequestStatus::Scheduled => "Ingepland",
        RequestStatus::Completed => "Afgerond",
        RequestStatus::Referred => "Doorverwezen",
        RequestStatus::Unmatched => "Niet gematcht",
        RequestStatus::Cancelled => "Geannuleerd",
    }
}

fn referral_status_name(status: ReferralStatus) -> &'static str {
    match status {
        ReferralStatus::Open => "wacht op antwoord",
        ReferralStatus::Accepted => "geaccepteerd",
        ReferralStatus::Declined => "geweigerd",
        ReferralStatus::Expired => "geen antwoord op tijd",
        ReferralStatus::Completed => "afgerond",
        ReferralStatus::Withdrawn => "ingetrokken",
    }
}

fn part_name(part: &str) -> &'static str {
    match part {
        "skill" => "Vaardigheid",
        "availability" => "Beschikbaar",
        "capacity" => "Ruimte in de week",
        "continuity" => "Kent de cliënt",
        "fairness" => "Eerlijke verdeling",
        "distance" => "Afstand",
        "learning" => "Leerdoel",
        _ => "Anders",
    }
}

/// A conflict of the service in plain words; the service's own sentence follows.
pub fn conflict_words(code: ConflictCode) -> &'static str {
    match code {
        ConflictCode::InvalidTransition => "Dit kan niet in de huidige stand van de hulpvraag.",
        ConflictCode::Overlap => "Het lid heeft op dat moment al een bezoek.",
        ConflictCode::WeeklyCap => "Het lid heeft deze week geen uren meer over.",
        ConflictCode::InsufficientVouchers => "De cliënt heeft niet genoeg cheques.",
        ConflictCode::YearlyCapExceeded => "De cliënt heeft het maximum aantal cheques voor dit jaar bereikt.",
        ConflictCode::TierNotViable => "Deze trede heeft nu geen passende kandidaat.",
        ConflictCode::VoucherNotCancellable | ConflictCode::AlreadyExists => "Dit kan nu niet.",
    }
}

const OVERRULED: &str = "De controle is overruled. Routeer de hulpvraag opnieuw: nu doet het leerwerkbedrijf mee.";

/// Why the page is shown: to look, after a routing run or another action, or after an
/// action failed.
enum Occasion {
    /// `done`: what to say about the action just done.
    Look {
        just_routed: bool,
        done: Option<&'static str>,
    },
    Failed(ActionFailure),
}

pub async fn page(desk: Desk, id: web::Path<i64>, query: web::Query<RequestQuery>) -> Result<HttpResponse, DeskError> {
    let just_routed = query.gerouteerd.is_some() || query.gedaan.as_deref() == Some("routeren");
    let done = match query.gedaan.as_deref() {
        _ if just_routed => None,
        Some("overrulen") => Some(OVERRULED),
        Some(_) => Some("Bewaard."),
        None => None,
    };
    show(
        &desk,
        id.into_inner(),
        StatusCode::OK,
        Occasion::Look { just_routed, done },
    )
    .await
}

async fn show(desk: &Desk, id: i64, status: StatusCode, occasion: Occasion) -> Result<HttpResponse, DeskError> {
    let me = desk.me().await?;
    let detail = requests::get(&desk.ctx, desk.subject, id).await?;
    let r = &detail.request;
    // A coach proposes their jobseekers without reading the client's record.
    let staff = matches!(me.actor.role(), Role::Advisor | Role::Coordinator);
    let client = if staff {
        Some(clients::get(&desk.ctx, desk.subject, r.client_id).await?)
    } else {
        None
    };
    let categories = Categories::load(desk).await?;
    let lang = desk.lang();
    let when = |at| dates::date_time(at, lang);
    let trail: Vec<Line> = detail
        .trail
        .iter()
        .map(|e| Line {
            at: when(e.at),
            tier: words::t(lang, tier_name(e.tier)),
            sentence: match lang {
                Language::Nl => e.sentence_nl.clone(),
                Language::En => e.sentence_en.clone(),
            },
            by: match e.decided_by {
                None => words::t(lang, "het systeem"),
                Some(user) => format!("{} #{user}", words::t(lang, "medewerker")),
            },
        })
        .collect();
    let member_tier = r.tier.filter(|t| routing_rules::is_member_tier(*t));
    let ranked: Vec<Ranked> = if member_tier.is_some() && r.status == RequestStatus::Routed {
        match candidates::of_request(&desk.ctx, desk.subject, id).await {
            Ok(ranking) => ranking
                .candidates
                .into_iter()
                .map(|c| Ranked {
                    id: c.id,
                    name: c.name,
                    score: format!("{:.2}", c.score),
                    parts: c
                        .parts
                        .iter()
                        .map(|(name, value)| (words::t(lang, part_name(name)), format!("{value:.2}")))
                        .collect(),
                })
                .collect(),
            Err(AppError::Conflict { .. }) => Vec::new(),
            Err(e) => return Err(e.into()),
        }
    } else {
        Vec::new()
    };
    let routable = !r.status.is_final() && r.status != RequestStatus::Scheduled;
    let providers_offering: Vec<Choice> = if routable {
        let filter = ProviderFilter {
            kind: None,
            municipality_id: Some(r.municipality_id),
            name: None,
        };
        let page = PageRequest {
            limit: PageRequest::<()>::MAX_LIMIT,
            position: None,
        };
        providers::list(&desk.ctx, desk.subject, filter, page)
            .await?
            .items
            .into_iter()
            .filter(|p| p.fields.active && p.fields.categories.contains(&r.category))
            .map(|p| Choice {
                value: p.id.to_string(),
                label: format!(
                    "{} ({})",
                    p.fields.name,
                    words::t(lang, tier_name(routing_rules::tier_of_provider(p.fields.kind)))
                ),
            })
            .collect()
    } else {
        Vec::new()
    };
    let tiers: Vec<Choice> = [
        Tier::Volunteer,
        Tier::Woonservice,
        Tier::PrivateProvider,
        Tier::Business,
    ]
    .into_iter()
    .map(|t| Choice {
        value: t.as_str().to_owned(),
        label: words::t(lang, tier_name(t)),
    })
    .collect();
    let members: Vec<Choice> = ranked
        .iter()
        .map(|c| Choice {
            value: c.id.to_string(),
            label: c.name.clone(),
        })
        .collect();
    let referral = detail.referral.as_ref().map(|rf| {
        context! {
            provider => rf.provider_name,
            status => words::t(lang, referral_status_name(rf.status)),
            open => rf.status == ReferralStatus::Open,
            accepted => rf.status == ReferralStatus::Accepted,
            respond_by => when(rf.respond_by),
            phone => rf.provider_phone,
        }
    });
    let assignment = detail.assignment.as_ref().map(|a| {
        context! {
            id => a.id,
            status => words::t(lang, super::visit_page::status_words(a.status)),
            from => when(a.slot.start),
            until => dates::time_of_day(a.slot.end),
        }
    });
    let (just_routed, done, failure) = match occasion {
        Occasion::Look { just_routed, done } => (just_routed, done, None),
        Occasion::Failed(f) => (false, None, Some(f)),
    };
    desk.page_for(
        &me,
        status,
        "request.html",
        context! {
            id,
            status => words::t(lang, status_name(r.status)),
            status_code => r.status.as_str(),
            tier => r.tier.map(|t| words::t(lang, tier_name(t))),
            category => categories.name(&r.category),
            description => r.description,
            window_from => when(r.window.start()),
            window_until => when(r.window.end()),
            hours => r.estimated_hours.written_in(lang),
            client => client.as_ref().map(|client| {
                let f = &client.fields;
                context! {
                    id => client.id,
                    name => f.name,
                    address => f.address_line(),
                    phone => f.phone,
                    representative => f.representative.as_ref().map(|rep| format!("{} ({}){}", rep.name, rep.relation,
                        rep.phone.as_ref().map(|p| format!(", {p}")).unwrap_or_default())),
                }
            }),
            gets_mail => detail.client_gets_mail,
            trail,
            ranked,
            referral,
            assignment,
            just_routed,
            routable,
            can_propose => matches!(me.actor.role(), Role::Advisor | Role::Coach)
                && r.status == RequestStatus::Routed
                && !members.is_empty(),
            can_cancel => me.actor.role() == Role::Advisor && !r.status.is_final(),
            can_overrule => me.actor.role() == Role::Coordinator
                && !r.status.is_final()
                && detail.trail.iter().any(|e| e.reason == ReasonCode::ExistingOrganisation)
                && !routing_rules::organisation_check_overridden(&detail.trail),
            referral_actions => staff,
            routable_actions => staff && routable && detail.referral.as_ref().is_none_or(|rf| rf.status != ReferralStatus::Accepted),
            providers => providers_offering,
            tiers,
            members,
            done => done.map(|d| words::t(lang, d)),
            ..ActionFailure::context(failure)
        },
    )
}

/// The provider's answer to the request's current referral, as the advisor heard it
/// (often by phone): accepted, declined with a reason, or the work done.
async fn answer_referral(desk: &Desk, request_id: i64, action: &str, form: &Form) -> Result<(), AppError> {
    let detail = requests::get(&desk.ctx, desk.subject, request_id).await?;
    let referral = detail
        .referral
        .ok_or_else(|| AppError::conflict(ConflictCode::InvalidTransition, "the request has no referral to answer"))?;
    match action {
        "verwijzing-geaccepteerd" => referrals::accept(&desk.ctx, desk.subject, referral.id).await.map(drop),
        "verwijzing-geweigerd" => {
            let reason = reason(ReasonBody {
                reason: form.get("reason").to_owned(),
            })?;
            referrals::decline(&desk.ctx, desk.subject, referral.id, reason)
                .await
                .map(drop)
        }
        _ => {
            let note = form.optional("note");
            referrals::complete(&desk.ctx, desk.subject, referral.id, note)
                .await
                .map(drop)
        }
    }
}

/// One of the actions of the page; back to the page, with the outcome or the errors.
pub async fn act(desk: Desk, path: web::Path<(i64, String)>, form: Form) -> Result<HttpResponse, DeskError> {
    desk.check_csrf(&form)?;
    let (id, action) = path.into_inner();
    let why = || {
        reason(ReasonBody {
            reason: form.get("reason").to_owned(),
        })
    };
    let outcome: Result<(), AppError> = match action.as_str() {
        "routeren" => routing::route(&desk.ctx, desk.subject, id).await.map(drop),
        "escaleren" => match why() {
            Ok(reason) => routing::escalate(&desk.ctx, desk.subject, id, reason).await.map(drop),
            Err(e) => Err(e),
        },
        "naar-trede" => {
            let tier = form
                .get("tier")
                .parse::<Tier>()
                .map_err(|m| AppError::invalid("tier", m));
            match (tier, why()) {
                (Ok(tier), Ok(reason)) => routing::route_to(&desk.ctx, desk.subject, id, tier, reason)
                    .await
                    .map(drop),
                (Err(e), _) | (_, Err(e)) => Err(e),
            }
        }
        "doorverwijzen" => {
            let provider = form
                .get("provider_id")
                .parse::<i64>()
                .map_err(|_| AppError::invalid("provider_id", "must be one of the providers"));
            match (provider, why()) {
                (Ok(provider), Ok(reason)) => routing::refer(&desk.ctx, desk.subject, id, provider, reason)
                    .await
                    .map(drop),
                (Err(e), _) | (_, Err(e)) => Err(e),
            }
        }
        "voorstellen" => {
            let member = form
                .get("member_id")
                .parse::<i64>()
                .map_err(|_| AppError::invalid("member_id", "must be one of the candidates"));
            let start = super::intake::local_moment(form.get("starts_at"));
            let end = super::intake::local_moment(form.get("ends_at"));
            match (member, start, end) {
                (Ok(member), Some(start), Some(end)) => {
                    assignments::propose(&desk.ctx, desk.subject, id, member, Span::new(start, end))
                        .await
                        .map(drop)
                }
                (Err(e), _, _) => Err(e),
                (_, None, _) => Err(AppError::invalid("starts_at", "must be a date and time")),
                (_, _, None) => Err(AppError::invalid("ends_at", "must be a date and time")),
            }
        }
        "verwijzing-geaccepteerd" | "verwijzing-geweigerd" | "verwijzing-afgerond" => {
            answer_referral(&desk, id, &action, &form).await
        }
        "annuleren" => match why() {
            Ok(reason) => requests::cancel(&desk.ctx, desk.subject, id, reason).await.map(drop),
            Err(e) => Err(e),
        },
        "overrulen" => match why() {
            Ok(reason) => routing::override_organisation_check(&desk.ctx, desk.subject, id, reason)
                .await
                .map(drop),
            Err(e) => Err(e),
        },
        _ => return Err(DeskError::App(AppError::NotFound)),
    };
    match outcome {
        Ok(()) => Ok(see_other(&format!("/hulpvragen/{id}?gedaan={action}#resultaat"))),
        Err(e @ AppError::Validation(_)) => {
            let failure = ActionFailure {
                action,
                errors: FieldErrors::from_app(desk.lang(), &e).unwrap_or_default(),
                message: None,
                values: form.values(),
            };
            show(&desk, id, StatusCode::UNPROCESSABLE_ENTITY, Occasion::Failed(failure)).await
        }
        Err(AppError::Conflict { code, detail }) => {
            let failure = ActionFailure {
                action,
                errors: FieldErrors::default(),
                message: Some(format!("{} ({detail})", desk.t(conflict_words(code)))),
                values: form.values(),
            };
            show(&desk, id, StatusCode::CONFLICT, Occasion::Failed(failure)).await
        }
        Err(e) => Err(e.into()),
    }
}
