//! Members: jobseekers, kept by their coach, and volunteers.

use crate::domain::feedback::Feedback;
use crate::domain::member::{Member, MemberFields, MemberFilter, MemberKind, MemberPatch};
use crate::domain::page::{Page, PageRequest};
use crate::domain::{Role, Violations};
use crate::error::{AppError, AppResult};
use crate::service::Ctx;
use crate::service::actor::found;
use crate::service::actor::{Actor, require_role, unusable_municipality};
use crate::service::tokens::Subject;
use crate::store::members::Visibility;
use crate::store::{DbConnection, assignments, categories, members, tx, users};

const READERS: [Role; 3] = [Role::Coach, Role::Advisor, Role::Coordinator];
const WRITERS: [Role; 2] = [Role::Coach, Role::Coordinator];

fn visibility(actor: &Actor) -> Visibility<'_> {
    match actor.role() {
        Role::Coach => Visibility::Coach {
            coach_id: actor.id(),
            municipalities: &actor.user.municipality_ids,
        },
        _ => match actor.scope() {
            Some(scope) => Visibility::Municipalities(scope),
            None => Visibility::All,
        },
    }
}

/// Whether the actor may see this member: a coach their own jobseekers and the
/// volunteers of their municipalities; advisors and coordinators all in scope.
fn may_see(actor: &Actor, member: &Member) -> bool {
    let f = &member.fields;
    match actor.role() {
        Role::Member => actor.user.member_id == Some(member.id),
        Role::Coach => actor.coaches(f),
        Role::Advisor | Role::Coordinator => actor.in_scope(f.municipality_id),
        _ => false,
    }
}

pub fn readable(conn: &mut DbConnection, actor: &Actor, id: i64) -> AppResult<Member> {
    require_role(actor, &[Role::Member, Role::Coach, Role::Advisor, Role::Coordinator])?;
    let member = found(members::find(conn, id)?)?;
    if may_see(actor, &member) {
        Ok(member)
    } else {
        Err(AppError::NotFound)
    }
}

/// Checks a member's fields against the store and the actor's rights.
/// The rules between fields and against stored data, all of them: a caller learns of
/// every bad field at once.
fn check(conn: &mut DbConnection, actor: &Actor, fields: &MemberFields) -> AppResult<()> {
    let mut problems = Violations::new();
    if let Err(errors) = fields.check() {
        errors.into_iter().for_each(|e| problems.add(e.field, e.message));
    }
    if let Some(why) = unusable_municipality(conn, actor, fields.municipality_id)? {
        problems.add("municipality_id", why);
    }
    for (field, codes) in [("skills", &fields.skills), ("learning_goals", &fields.learning_goals)] {
        let unknown = categories::unknown(conn, codes)?;
        if !unknown.is_empty() {
            problems.add(field, format!("unknown categories: {}", unknown.join(", ")));
        }
    }
    if actor.is(Role::Coach) && fields.kind == MemberKind::Jobseeker && fields.coach_id != Some(actor.id()) {
        problems.add(
            "coach_id",
            "a coach keeps only their own jobseekers: set coach_id to yourself",
        );
    } else if let Some(coach_id) = fields.coach_id {
        let coach = users::find(conn, coach_id)?;
        let valid = coach
            .is_some_and(|c| c.role == Role::Coach && c.active && c.municipality_ids.contains(&fields.municipality_id));
        if !valid {
            problems.add("coach_id", "must be an active coach serving the member's municipality");
        }
    }
    problems.into_result().map_err(AppError::Validation)
}

pub async fn create(ctx: &Ctx, subject: Subject, mut fields: MemberFields) -> AppResult<Member> {
    ctx.as_actor(subject, move |conn, actor| {
        require_role(actor, &WRITERS)?;
        if actor.is(Role::Coach) && fields.kind == MemberKind::Jobseeker && fields.coach_id.is_none() {
            fields.coach_id = Some(actor.id());
        }
        let id = tx::write(conn, |conn| {
            check(conn, actor, &fields)?;
            members::insert(conn, &fields, actor.now())
        })?;
        found(members::find(conn, id)?)
    })
    .await
}

pub async fn list(
    ctx: &Ctx,
    subject: Subject,
    filter: MemberFilter,
    page: PageRequest<()>,
) -> AppResult<Page<Member, ()>> {
    ctx.as_actor(subject, move |conn, actor| {
        require_role(actor, &READERS)?;
        members::list(conn, &visibility(actor), &filter, &page)
    })
    .await
}

/// A member, with what clients said of their visits for their coach and staff (not
/// for the member themselves).
pub async fn get(ctx: &Ctx, subject: Subject, id: i64) -> AppResult<(Member, Option<Feedback>)> {
    ctx.as_actor(subject, move |conn, actor| {
        let member = readable(conn, actor, id)?;
        let feedback = if actor.is(Role::Member) {
            None
        } else {
            Some(Feedback::of(assignments::rated_of_member(conn, id)?))
        };
        Ok((member, feedback))
    })
    .await
}

pub async fn update(ctx: &Ctx, subject: Subject, id: i64, patch: MemberPatch) -> AppResult<Member> {
    let updated = ctx
        .as_actor(subject, move |conn, actor| {
            require_role(actor, &WRITERS)?;
            tx::write(conn, |conn| {
                let current = readable(conn, actor, id)?;
                let moved_from = current.fields.municipality_id;
                let fields = current.fields.apply(patch)?;
                check(conn, actor, &fields)?;
                members::update(conn, id, &fields, actor.now())?;
                // A member who moves takes their own account along to the new municipality.
                if fields.municipality_id != moved_from {
                    users::move_linked(conn, None, Some(id), fields.municipality_id)?;
                }
                Ok::<(), AppError>(())
            })?;
            found(members::find(conn, id)?)
        })
        .await;
    // An update may move the linked account to another municipality: this instance
    // forgets the accounts it knew before its caller hears the answer (the others hear
    // of it from the database).
    ctx.callers.forget_all();
    updated
}
