//! Reading one assignment with its visit: the one who goes sees where and whom to
//! ring; the client sees who comes.

use crate::domain::Role;
use crate::domain::assignment::Assignment;
use crate::domain::client::Language;
use crate::domain::visit::{Task, Visit};
use crate::error::{AppError, AppResult};
use crate::service::Ctx;
use crate::service::actor::found;
use crate::service::members;
use crate::service::tokens::Subject;
use crate::store::{assignments, categories, clients, members as member_store, requests};

pub struct AssignmentView {
    pub assignment: Assignment,
    pub visit: Visit,
}

/// The member, their coach, staff in scope (an admin anywhere), and the client of the
/// visit read it; anyone else gets 404 (or 403 by role).
pub async fn get(ctx: &Ctx, subject: Subject, id: i64) -> AppResult<AssignmentView> {
    ctx.as_actor(subject, move |conn, actor| {
        let assignment = found(assignments::find(conn, id)?)?;
        let for_client = actor.is(Role::Client);
        if for_client {
            if actor.user.client_id != Some(assignment.client_id) {
                return Err(AppError::NotFound);
            }
        } else if !actor.is(Role::Admin) {
            members::readable(conn, actor, assignment.member_id)?;
        }
        let request = found(requests::find(conn, assignment.request_id)?)?;
        let category_name = categories::find(conn, &request.category)?
            .map_or_else(|| request.category.clone(), |c| c.name(Language::Nl).to_owned());
        let task = Task {
            category: request.category,
            category_name,
            description: request.description,
        };
        let visit = if for_client {
            let member = found(member_store::find(conn, assignment.member_id)?)?;
            Visit::ForClient {
                task,
                member_name: member.fields.first_name().to_owned(),
            }
        } else {
            let client = found(clients::find(conn, assignment.client_id)?)?;
            Visit::ForWorker {
                task,
                address: client.fields.address_line(),
                client_phone: client.fields.phone_to_call(),
                client_name: client.fields.name,
            }
        };
        Ok(AssignmentView { assignment, visit })
    })
    .await
}
