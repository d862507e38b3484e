//! Demo part "visits": Sanne de Vries (the demo member's login) takes on, through her
//! own account, a tier-2 visit the Waalre advisor proposed, so it waits for her coach
//! (coach@demo) to confirm or reject it. The advisor routed the request to the
//! woonservice tier by hand: Sanne is learning odd jobs. And Gerrit Janssen, on the
//! phone, disputes the hours of his past odd job, which waits for an advisor; Annie's
//! past garden visit waits for her sign-off.
//!
//! Claimed before it runs, like "activity" (`super::claim`); a step that cannot be
//! taken today (the tier not viable, the slot taken) is skipped with a warning.

use chrono::{Datelike, Duration, NaiveTime, Weekday};

use crate::domain::hours::QuarterHours;
use crate::domain::request::{NewTaskRequest, Tier};
use crate::domain::schedule::{Span, local_date, local_to_utc};
use crate::domain::window::DateWindow;
use crate::error::{AppError, AppResult};
use crate::service::{Ctx, assignments, routing, sign_offs};
use crate::store::{clients, demo_parts, requests, users};

const NAME: &str = "visits";

/// Loads the part once, after "hand-overs"; returns whether it ran now.
pub async fn load(ctx: &Ctx) -> AppResult<bool> {
    if !super::claim(ctx, NAME, "hand-overs").await? {
        return Ok(false);
    }
    let now = ctx.clock.now();
    // A Tuesday at least a week ahead, 10:00 to 13:00 in Waalre: inside Sanne's hours.
    let mut day = local_date(now) + Duration::days(7);
    while day.weekday() != Weekday::Tue {
        day = day.succ_opt().expect("a date far from the end of time");
    }
    let start = local_to_utc(day.and_time(NaiveTime::from_hms_opt(10, 0, 0).expect("valid")));
    let (advisor, sanne, sanne_member, request) = ctx
        .db
        .run(move |conn| {
            let advisor = super::activity::user(conn, "advisor@demo.woonservice.nl")?;
            let sanne = super::activity::user(conn, "member@demo.woonservice.nl")?;
            let member = users::find(conn, sanne.user_id)?
                .and_then(|u| u.member_id)
                .ok_or_else(|| AppError::internal("the demo member has no member record"))?;
            let client = demo_parts::client_id_by_name(conn, "Annie van den Berg")?;
            let municipality = clients::municipality_of(conn, client)?.expect("exists");
            let new = NewTaskRequest {
                client_id: client,
                category: "odd_jobs".into(),
                description: "Een kastje ophangen in de keuken.".into(),
                window: DateWindow::stored(start, start + Duration::hours(3)),
                estimated_hours: QuarterHours::from_hours(2),
            };
            let request = requests::insert(conn, &new, municipality, advisor.user_id, now)?;
            Ok((advisor, sanne, member, request))
        })
        .await?;
    let reason = "Sanne leert klussen; met haar coach afgesproken.".to_owned();
    if let Err(e) = routing::route_to(ctx, advisor, request, Tier::Woonservice, reason).await {
        tracing::warn!(error = %e, "demo: the odd job could not go to the woonservice tier; skipped");
        return Ok(true);
    }
    let slot = Span::new(start, start + Duration::hours(2));
    let proposal = assignments::propose(ctx, advisor, request, sanne_member, slot).await?;
    if let Err(e) = assignments::accept(ctx, sanne, proposal.id).await {
        tracing::warn!(error = %e, "demo: Sanne could not take on the odd job; left proposed");
    }
    let pending = ctx
        .db
        .run(|conn| {
            let gerrit = demo_parts::client_id_by_name(conn, "Gerrit Janssen")?;
            demo_parts::pending_sign_offs_of_client(conn, gerrit)
        })
        .await?;
    if let Some(visit) = pending.first() {
        let dispute = sign_offs::Answer::Dispute {
            reason: "Meneer zegt dat het anderhalf uur was, geen twee.".into(),
        };
        sign_offs::sign_off(ctx, advisor, *visit, dispute).await?;
    }
    Ok(true)
}
