//! Demo part "hand-overs": two referrals made by hand, as the Waalre advisor would.
//! One waits for the local organisation's answer; the other was made three days ago
//! and its deadline passed unanswered, so the job `expire-referrals` (which `serve`
//! runs at start) expires it and routes the request on to the next provider.
//!
//! Claimed before it runs, like "activity" (`super::claim`).

use chrono::Duration;

use crate::domain::hours::QuarterHours;
use crate::domain::request::NewTaskRequest;
use crate::domain::window::DateWindow;
use crate::error::AppResult;
use crate::service::{Ctx, routing};
use crate::store::{clients, demo_parts, requests};

const NAME: &str = "hand-overs";

/// (client, category, description, provider, the advisor's reason, days ago)
type HandOver = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    i64,
);

const HAND_OVERS: [HandOver; 2] = [
    (
        "Jan de Wit",
        "administration",
        "Hulp bij het aanvragen van huurtoeslag.",
        "Stichting Welzijn Waalre",
        "Meneer kent de stichting; die helpt hier al met formulieren.",
        0,
    ),
    (
        "John Peters",
        "moving",
        "Een kast naar de kringloopwinkel brengen.",
        "Klusbedrijf De Handige Buurman",
        "De buurman heeft een bus en woont om de hoek.",
        3,
    ),
];

/// Loads the part once, after "activity"; returns whether it ran now.
pub async fn load(ctx: &Ctx) -> AppResult<bool> {
    if !super::claim(ctx, NAME, "activity").await? {
        return Ok(false);
    }
    let now = ctx.clock.now();
    let advisor = ctx
        .db
        .run(|conn| super::activity::user(conn, "advisor@demo.woonservice.nl"))
        .await?;
    for (client, category, description, provider, reason, days_ago) in HAND_OVERS {
        let made = now - Duration::days(days_ago);
        let (request, provider) = ctx
            .db
            .run(move |conn| {
                let client = demo_parts::client_id_by_name(conn, client)?;
                let municipality = clients::municipality_of(conn, client)?.expect("exists");
                let start = made + Duration::days(4);
                let new = NewTaskRequest {
                    client_id: client,
                    category: category.into(),
                    description: description.into(),
                    window: DateWindow::stored(start, start + Duration::hours(4)),
                    estimated_hours: QuarterHours::from_hours(2),
                };
                let request = requests::insert(conn, &new, municipality, advisor.user_id, made)?;
                Ok((request, demo_parts::provider_id_by_name(conn, provider)?))
            })
            .await?;
        let result = routing::refer(ctx, advisor, request, provider, reason.into()).await?;
        if days_ago > 0
            && let Some(referral) = result.detail.referral
        {
            ctx.db
                .run(move |conn| demo_parts::age_referral(conn, referral.id, Duration::days(days_ago)))
                .await?;
        }
    }
    Ok(true)
}
