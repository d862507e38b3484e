//! Demo part "activity": voucher sales, past work (so continuity and fairness have
//! history), and the registry's new requests (for the coming days) routed, proposed
//! and scheduled — done through the same use cases the API calls, as the demo's staff.
//!
//! The part is marked loaded before it runs: what happens depends on today's
//! weekday and candidates, and a step that finds nothing to do is skipped, but a
//! restart must never sell or schedule twice.

use chrono::{Datelike, Duration, NaiveTime, Utc, Weekday};

use crate::domain::Email;
use crate::domain::hours::QuarterHours;
use crate::domain::request::NewTaskRequest;
use crate::domain::routing::is_member_tier;
use crate::domain::schedule::{Span, local_date, local_to_utc};
use crate::domain::window::DateWindow;
use crate::error::{AppError, AppResult};
use crate::service::idempotency::IdempotencyKey;
use crate::service::tokens::Subject;
use crate::service::{Ctx, assignments, routing, vouchers};
use crate::store::{DbConnection, clients, demo_parts, requests, users};

const NAME: &str = "activity";

/// (client, vouchers to sell)
const SALES: [(&str, i64); 5] = [
    ("Annie van den Berg", 10),
    ("Gerrit Janssen", 8),
    ("Riet Smulders", 20),
    ("Jan de Wit", 5),
    ("Henk Verhoeven", 6),
];

pub(super) fn user(conn: &mut DbConnection, email: &str) -> AppResult<Subject> {
    let id = users::id_by_email(conn, &Email::parse(email).expect("valid"))?;
    let user = id.map(|id| users::find(conn, id)).transpose()?.flatten();
    let user = user.ok_or_else(|| AppError::internal(format!("demo user {email} is missing")))?;
    Ok(Subject::of(&user))
}

struct People {
    coordinator: Subject,
    advisor: Subject,
    advisor_valkenswaard: Subject,
}

/// Loads the part once; returns whether it ran now.
pub async fn load(ctx: &Ctx) -> AppResult<bool> {
    if !super::claim(ctx, NAME, "registry").await? {
        return Ok(false);
    }
    let people = ctx
        .db
        .run(|conn| {
            Ok(People {
                coordinator: user(conn, "coordinator@demo.woonservice.nl")?,
                advisor: user(conn, "advisor@demo.woonservice.nl")?,
                advisor_valkenswaard: user(conn, "advisor.valkenswaard@demo.woonservice.nl")?,
            })
        })
        .await?;
    sell(ctx, &people).await?;
    past_work(ctx, &people).await?;
    route_new_requests(ctx, &people).await?;
    Ok(true)
}

async fn sell(ctx: &Ctx, people: &People) -> AppResult<()> {
    for (name, count) in SALES {
        let client = ctx
            .db
            .run(move |conn| demo_parts::client_id_by_name(conn, name))
            .await?;
        let key = IdempotencyKey {
            key: format!("demo-sale-{client}"),
            operation: "sell_vouchers",
            body_hash: format!("demo-{count}"),
        };
        vouchers::sell(ctx, people.coordinator, client, count, key, |_| {
            Ok(crate::service::idempotency::Recorded {
                status: 201,
                body: String::new(),
                location: None,
            })
        })
        .await?;
    }
    Ok(())
}

/// The last `weekday` on or before the day `weeks` weeks ago, at a local (Amsterdam) hour.
fn past_day(today: chrono::NaiveDate, weeks: i64, weekday: Weekday, hour: u32) -> chrono::DateTime<Utc> {
    let mut day = today - Duration::weeks(weeks);
    while day.weekday() != weekday {
        day = day.pred_opt().expect("a date far from the start of time");
    }
    local_to_utc(day.and_time(NaiveTime::from_hms_opt(hour, 0, 0).expect("valid")))
}

/// Earlier completed work: a volunteer in Annie's garden three weeks ago and a
/// jobseeker's odd job at Gerrit's two weeks ago (tier 2, paid with vouchers).
async fn past_work(ctx: &Ctx, people: &People) -> AppResult<()> {
    let today = local_date(ctx.clock.now());
    let jobs = [
        (
            "Annie van den Berg",
            "gardening",
            "De heg snoeien.",
            past_day(today, 3, Weekday::Tue, 9),
            3,
            2,
        ),
        (
            "Gerrit Janssen",
            "odd_jobs",
            "Een lamp ophangen in de gang.",
            past_day(today, 2, Weekday::Mon, 10),
            3,
            2,
        ),
    ];
    for (name, category, description, start, window_hours, worked_hours) in jobs {
        let advisor = people.advisor;
        let request = ctx
            .db
            .run(move |conn| {
                let client = demo_parts::client_id_by_name(conn, name)?;
                let municipality = clients::municipality_of(conn, client)?.expect("exists");
                let new = NewTaskRequest {
                    client_id: client,
                    category: category.into(),
                    description: description.into(),
                    window: DateWindow::stored(start, start + Duration::hours(window_hours)),
                    estimated_hours: QuarterHours::from_hours(worked_hours),
                };
                requests::insert(conn, &new, municipality, advisor.user_id, start - Duration::days(7))
            })
            .await?;
        if let Some(assignment) = schedule(ctx, request, advisor).await? {
            assignments::complete(ctx, advisor, assignment, QuarterHours::from_hours(worked_hours)).await?;
        }
    }
    Ok(())
}

/// Routes every new request, as the advisor of its municipality, and proposes the best
/// candidate where a member tier matched. Each proposal is accepted (one refused, e.g.
/// for want of vouchers, stays proposed) but the first in the jobseeker tier, which is
/// left open for the member to answer.
async fn route_new_requests(ctx: &Ctx, people: &People) -> AppResult<()> {
    let open: Vec<(i64, i64)> = ctx.db.run(demo_parts::new_requests).await?;
    let waalre = ctx
        .db
        .run(|conn| crate::store::municipalities::find_id_by_name(conn, "Waalre"))
        .await?;
    let mut left_open = false;
    for (request, municipality) in open {
        let by = if Some(municipality) == waalre {
            people.advisor
        } else {
            people.advisor_valkenswaard
        };
        let result = routing::route(ctx, by, request).await?;
        if !result.tier.is_some_and(is_member_tier) || result.candidates.is_empty() {
            continue;
        }
        let member = result.candidates[0].id;
        let slot = proposal_slot(&result.detail.request.window, result.detail.request.estimated_hours);
        let proposal = assignments::propose(ctx, by, request, member, slot).await?;
        if !left_open && result.tier == Some(crate::domain::request::Tier::Woonservice) {
            left_open = true;
            continue;
        }
        let _ = assignments::accept(ctx, by, proposal.id).await;
    }
    Ok(())
}

/// Routes a past request and, when a member tier took it, proposes and accepts its
/// best candidate; returns the assignment.
async fn schedule(ctx: &Ctx, request: i64, by: Subject) -> AppResult<Option<i64>> {
    let result = routing::route(ctx, by, request).await?;
    if !result.tier.is_some_and(is_member_tier) || result.candidates.is_empty() {
        return Ok(None);
    }
    let slot = proposal_slot(&result.detail.request.window, result.detail.request.estimated_hours);
    let proposal = assignments::propose(ctx, by, request, result.candidates[0].id, slot).await?;
    Ok(assignments::accept(ctx, by, proposal.id).await.ok().map(|a| a.id))
}

/// The first slot of the estimated length in the window, on quarter hours.
fn proposal_slot(window: &DateWindow, estimated: QuarterHours) -> Span {
    let start = window.start();
    let end = (start + Duration::minutes(i64::from(estimated.quarters()) * 15)).min(window.end());
    Span::new(start, end)
}
