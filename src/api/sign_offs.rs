//! The client's sign-off of a visit's hours, and an advisor's resolution of a dispute.

use actix_web::{post, web};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::api::assignments::AssignmentDto;
use crate::api::extract::{AuthUser, Json};
use crate::api::problem::Problem;
use crate::domain::contact::parse_text;
use crate::domain::hours::QuarterHours;
use crate::domain::validation::Violations;
use crate::error::AppError;
use crate::service::Ctx;
use crate::service::sign_offs::{self, Answer};

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"agree": true, "rating": 5, "comment": "Heel vriendelijk en netjes gewerkt."}))]
pub struct SignOffBody {
    /// `true`: the hours are right; `false`: they are not (a `reason` is needed).
    pub agree: bool,
    /// How it went, 1 (bad) to 5 (very good); only with `agree: true`.
    #[schema(minimum = 1, maximum = 5)]
    pub rating: Option<i64>,
    #[schema(min_length = 1, max_length = 1000, pattern = "contact::TEXT_PATTERN")]
    pub comment: Option<String>,
    /// Why the hours are not right; needed with `agree: false`.
    #[schema(min_length = 1, max_length = 500, pattern = "contact::TEXT_PATTERN")]
    pub reason: Option<String>,
}

impl SignOffBody {
    pub(crate) fn parse(self) -> Result<Answer, AppError> {
        let mut problems = Violations::new();
        let answer = if self.agree {
            if self.reason.is_some() {
                problems.add("reason", "is only given when the hours are disputed");
            }
            let rating = self.rating.and_then(|r| {
                problems.take(
                    "rating",
                    if (1..=5).contains(&r) {
                        Ok(r as i32)
                    } else {
                        Err("must be between 1 and 5".to_owned())
                    },
                )
            });
            let comment = self
                .comment
                .and_then(|c| problems.take("comment", parse_text(&c, 1000)));
            Answer::Agree { rating, comment }
        } else {
            if self.rating.is_some() || self.comment.is_some() {
                problems.add("rating", "a rating and comment come with agreeing to the hours");
            }
            let reason = match self.reason {
                Some(r) => problems.take("reason", parse_text(&r, 500)),
                None => {
                    problems.add("reason", "is required when the hours are disputed");
                    None
                }
            };
            Answer::Dispute {
                reason: reason.unwrap_or_default(),
            }
        };
        problems.into_result()?;
        Ok(answer)
    }
}

/// Sign off the hours of a completed visit.
///
/// The client of the visit (own account), or an advisor in scope on the phone for it, agrees to the
/// hours the member wrote down, with an optional rating 1–5 and comment: `sign_off` becomes
/// `agreed` and a tier-2 visit redeems one voucher per started hour (extra ones are taken when
/// more was worked than reserved; a shortfall is recorded when the client has too few). Or
/// disputes them with a reason: `disputed`, nothing redeemed, the advisors are mailed. Another
/// client's visit answers 404. 409 `invalid_transition` unless the sign-off is `pending`.
#[utoipa::path(
    tag = "assignments",
    params(("id" = i64, Path, description = "Assignment id")),
    request_body = SignOffBody,
    responses(
        (status = 200, description = "Agreed (vouchers redeemed) or disputed", body = AssignmentDto),
        (status = 403, description = "Only the client and advisors sign off", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such visit of this client, or in the advisor's municipalities", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`invalid_transition`: nothing waits for a sign-off", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: a rating outside 1–5, a dispute without a reason", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/assignments/{id}/sign-off")]
pub async fn sign_off_assignment(
    ctx: web::Data<Ctx>,
    auth: AuthUser,
    id: web::Path<i64>,
    body: Json<SignOffBody>,
) -> Result<web::Json<AssignmentDto>, AppError> {
    let answer = body.0.parse()?;
    Ok(web::Json(
        sign_offs::sign_off(&ctx, auth.0, id.into_inner(), answer).await?.into(),
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"hours_worked": 2, "note": "Met mevrouw en Sanne gebeld: de pauze telt niet mee."}))]
pub struct ResolveBody {
    /// The hours to redeem, in quarter hours, 0 to 12.
    #[schema(minimum = 0, maximum = 12, multiple_of = 0.25)]
    pub hours_worked: f64,
    #[schema(min_length = 1, max_length = 1000, pattern = "contact::TEXT_PATTERN")]
    pub note: String,
}

impl ResolveBody {
    pub(crate) fn parse(self) -> Result<(QuarterHours, String), AppError> {
        let mut problems = Violations::new();
        let hours = problems.take("hours_worked", QuarterHours::parse(self.hours_worked, 0, 48));
        let note = problems.take("note", parse_text(&self.note, 1000));
        problems.into_result()?;
        Ok((hours.expect("checked"), note.expect("checked")))
    }
}

/// Resolve a disputed sign-off (advisor).
///
/// An advisor in scope records the hours that count after talking it over, with a note: `sign_off`
/// becomes `resolved`, `hours_worked` those hours, and a tier-2 visit redeems one voucher per
/// started hour of them (0 redeems none and gives the reserved ones back). 409
/// `invalid_transition` unless the sign-off is `disputed`.
#[utoipa::path(
    tag = "assignments",
    params(("id" = i64, Path, description = "Assignment id")),
    request_body = ResolveBody,
    responses(
        (status = 200, description = "Resolved; the vouchers of those hours redeemed", body = AssignmentDto),
        (status = 403, description = "Only advisors resolve", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such visit in the advisor's municipalities", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`invalid_transition`: the sign-off is not disputed", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: hours negative, over 12 or not whole quarter hours; an empty note", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/assignments/{id}/resolve")]
pub async fn resolve_assignment(
    ctx: web::Data<Ctx>,
    auth: AuthUser,
    id: web::Path<i64>,
    body: Json<ResolveBody>,
) -> Result<web::Json<AssignmentDto>, AppError> {
    let (hours, note) = body.0.parse()?;
    Ok(web::Json(
        sign_offs::resolve(&ctx, auth.0, id.into_inner(), hours, note)
            .await?
            .into(),
    ))
}
