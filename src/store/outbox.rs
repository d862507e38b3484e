//! The mail outbox.

use chrono::{DateTime, Duration, NaiveDateTime, SubsecRound, Utc};
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};

use crate::domain::client::Language;
use crate::domain::mail::{MailStatus, MailTemplate, NewMail, OutboxMail};
use crate::domain::page::{Page, PageRequest};
use crate::error::{AppError, AppResult};
use crate::store::DbConnection;
use crate::store::paging::{self, page_by_id};
use crate::store::per_backend::locking;
use crate::store::schema::outbox;
use crate::store::time::{from_db, to_db};

/// How long the service keeps trying to deliver a mail.
pub const GIVE_UP_AFTER_HOURS: i64 = 24;

/// The worker sends from the row as stored: its language and template stay text, read
/// one mail at a time when it is built, so that one unreadable mail becomes dead on its
/// own instead of failing the claim of every mail due with it. Everyone else gets an
/// `OutboxMail` (loaded typed through `MailRow`).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = outbox)]
pub struct OutboxRow {
    pub id: i64,
    pub recipient: String,
    pub recipient_name: Option<String>,
    pub language: String,
    pub template: String,
    pub data: String,
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: NaiveDateTime,
    pub give_up_at: NaiveDateTime,
    pub last_error: Option<String>,
    pub message_id: String,
    pub request_id: Option<i64>,
    pub created_at: NaiveDateTime,
    pub sent_at: Option<NaiveDateTime>,
}

fn new_message_id() -> String {
    let bytes: [u8; 16] = rand::random();
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("<{hex}@woonservice>")
}

/// Queues a mail; a mail with a `once_key` that was queued before is skipped.
/// Returns whether it was queued.
pub fn enqueue(conn: &mut DbConnection, mail: &NewMail, now: DateTime<Utc>) -> AppResult<bool> {
    if let Some(key) = &mail.once_key {
        let seen: bool =
            diesel::select(diesel::dsl::exists(outbox::table.filter(outbox::once_key.eq(key)))).get_result(conn)?;
        if seen {
            return Ok(false);
        }
    }
    let data = serde_json::to_string(&mail.data).map_err(|e| AppError::internal_because("mail data", e))?;
    let insert = |c: &mut DbConnection| {
        diesel::insert_into(outbox::table)
            .values((
                outbox::recipient.eq(&mail.recipient),
                outbox::recipient_name.eq(&mail.recipient_name),
                outbox::language.eq(mail.language),
                outbox::template.eq(mail.template),
                outbox::data.eq(&data),
                outbox::status.eq(MailStatus::Queued),
                outbox::next_attempt_at.eq(to_db(now)),
                outbox::give_up_at.eq(to_db(now + Duration::hours(GIVE_UP_AFTER_HOURS))),
                outbox::message_id.eq(new_message_id()),
                outbox::once_key.eq(&mail.once_key),
                outbox::request_id.eq(mail.request_id),
                outbox::created_at.eq(to_db(now)),
            ))
            .execute(c)
    };
    if mail.once_key.is_none() {
        insert(conn)?;
        return Ok(true);
    }
    // A concurrent job may queue the same once-only mail; the savepoint keeps the
    // surrounding transaction usable when its insert loses.
    match conn.transaction(insert) {
        Ok(_) => Ok(true),
        Err(DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) if mail.once_key.is_some() => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// The end of a lease taken at `now`, in whole seconds. It doubles as the holder's
/// token: the same row can only be claimed again after this moment has passed, so no
/// two holders ever have the same value, and whole seconds compare exactly on both
/// backends.
pub fn lease_end(now: DateTime<Utc>, lease: Duration) -> DateTime<Utc> {
    (now + lease).trunc_subsecs(0)
}

/// Claims up to `limit` due mails until `lease_end(now, lease)`: they are not handed
/// out again before then. On PostgreSQL rows another worker is claiming are skipped
/// (`FOR UPDATE SKIP LOCKED`); on SQLite the write lock serialises claims.
pub fn claim_due(
    conn: &mut DbConnection,
    now: DateTime<Utc>,
    lease: Duration,
    limit: i64,
) -> AppResult<Vec<OutboxRow>> {
    let due = outbox::table
        .filter(outbox::status.eq(MailStatus::Queued))
        .filter(outbox::next_attempt_at.le(to_db(now)))
        .filter(outbox::locked_until.is_null().or(outbox::locked_until.lt(to_db(now))))
        .order(outbox::id)
        .limit(limit)
        .select(outbox::id);
    let ids: Vec<i64> = locking!(conn, due, skip_locked, |q, c| q.load(c))?;
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    diesel::update(outbox::table.filter(outbox::id.eq_any(&ids)))
        .set(outbox::locked_until.eq(to_db(lease_end(now, lease))))
        .execute(conn)?;
    Ok(outbox::table
        .filter(outbox::id.eq_any(&ids))
        .order(outbox::id)
        .select(OutboxRow::as_select())
        .load(conn)?)
}

/// Extends a lease that is still `held` (not lapsed, not taken over) to `until`; false
/// when the mail is no longer ours to send.
pub fn renew(
    conn: &mut DbConnection,
    id: i64,
    held: DateTime<Utc>,
    until: DateTime<Utc>,
    now: DateTime<Utc>,
) -> AppResult<bool> {
    let renewed = diesel::update(
        outbox::table
            .find(id)
            .filter(outbox::status.eq(MailStatus::Queued))
            .filter(outbox::locked_until.eq(to_db(held)))
            .filter(outbox::locked_until.gt(to_db(now))),
    )
    .set(outbox::locked_until.eq(to_db(until)))
    .execute(conn)?;
    Ok(renewed == 1)
}

/// Records a delivery by the holder of the lease ending at `held`; false (and nothing
/// changed) when the lease was no longer theirs.
pub fn mark_sent(conn: &mut DbConnection, id: i64, held: DateTime<Utc>, now: DateTime<Utc>) -> AppResult<bool> {
    let marked = diesel::update(outbox::table.find(id).filter(outbox::locked_until.eq(to_db(held))))
        .set((
            outbox::status.eq(MailStatus::Sent),
            outbox::sent_at.eq(Some(to_db(now))),
            outbox::attempts.eq(outbox::attempts + 1),
            outbox::locked_until.eq(None::<NaiveDateTime>),
            outbox::last_error.eq(None::<String>),
        ))
        .execute(conn)?;
    Ok(marked == 1)
}

/// Records a failed attempt by the holder of the lease ending at `held`: the mail
/// waits until `next_attempt`, or is dead. False when the lease was no longer theirs.
pub fn mark_failed(
    conn: &mut DbConnection,
    id: i64,
    held: DateTime<Utc>,
    error: &str,
    next_attempt: DateTime<Utc>,
    dead: bool,
) -> AppResult<bool> {
    let status = if dead { MailStatus::Dead } else { MailStatus::Queued };
    let marked = diesel::update(outbox::table.find(id).filter(outbox::locked_until.eq(to_db(held))))
        .set((
            outbox::status.eq(status),
            outbox::attempts.eq(outbox::attempts + 1),
            outbox::next_attempt_at.eq(to_db(next_attempt)),
            outbox::locked_until.eq(None::<NaiveDateTime>),
            outbox::last_error.eq(Some(error)),
        ))
        .execute(conn)?;
    Ok(marked == 1)
}

pub fn find(conn: &mut DbConnection, id: i64) -> AppResult<Option<OutboxMail>> {
    Ok(outbox::table
        .find(id)
        .select(MailRow::as_select())
        .first::<MailRow>(conn)
        .optional()?
        .map(MailRow::into_mail))
}

/// Puts a dead mail back in the queue, with another 24 hours to deliver it.
pub fn requeue(conn: &mut DbConnection, id: i64, now: DateTime<Utc>) -> AppResult<bool> {
    let changed = diesel::update(outbox::table.find(id).filter(outbox::status.eq(MailStatus::Dead)))
        .set((
            outbox::status.eq(MailStatus::Queued),
            outbox::attempts.eq(0),
            outbox::next_attempt_at.eq(to_db(now)),
            outbox::give_up_at.eq(to_db(now + Duration::hours(GIVE_UP_AFTER_HOURS))),
            outbox::locked_until.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)?;
    Ok(changed == 1)
}

/// Cancels a queued or dead mail that no worker is sending at this moment.
pub fn cancel(conn: &mut DbConnection, id: i64, now: DateTime<Utc>) -> AppResult<bool> {
    let changed = diesel::update(
        outbox::table
            .find(id)
            .filter(outbox::status.eq_any([MailStatus::Queued, MailStatus::Dead]))
            .filter(outbox::locked_until.is_null().or(outbox::locked_until.lt(to_db(now)))),
    )
    .set((
        outbox::status.eq(MailStatus::Cancelled),
        outbox::locked_until.eq(None::<NaiveDateTime>),
    ))
    .execute(conn)?;
    Ok(changed == 1)
}

pub fn list(
    conn: &mut DbConnection,
    status: Option<MailStatus>,
    page: &PageRequest<()>,
) -> AppResult<Page<OutboxMail, ()>> {
    let mut query = outbox::table.select(MailRow::as_select()).into_boxed();
    if let Some(status) = status {
        query = query.filter(outbox::status.eq(status));
    }
    let rows: Vec<MailRow> = page_by_id!(query, outbox::id, page).load(conn)?;
    paging::assemble(rows, page, |r| r.id, |r| Ok(r.into_mail()))
}

/// Whether any mail for this request went to `recipient`… (used to show an advisor
/// that a client without email got none).
pub fn of_request(conn: &mut DbConnection, request_id: i64) -> AppResult<Vec<OutboxRow>> {
    Ok(outbox::table
        .filter(outbox::request_id.eq(request_id))
        .order(outbox::id)
        .select(OutboxRow::as_select())
        .load(conn)?)
}

impl OutboxRow {
    pub fn created(&self) -> DateTime<Utc> {
        from_db(self.created_at)
    }
}

/// A mail as the admin sees it; a stored value that is no variant fails the load (a
/// fault, not bad input).
#[derive(Queryable, Selectable)]
#[diesel(table_name = outbox)]
struct MailRow {
    id: i64,
    recipient: String,
    recipient_name: Option<String>,
    language: Language,
    template: MailTemplate,
    data: String,
    status: MailStatus,
    attempts: i32,
    next_attempt_at: NaiveDateTime,
    give_up_at: NaiveDateTime,
    last_error: Option<String>,
    message_id: String,
    request_id: Option<i64>,
    created_at: NaiveDateTime,
    sent_at: Option<NaiveDateTime>,
}

impl MailRow {
    fn into_mail(self) -> OutboxMail {
        OutboxMail {
            id: self.id,
            recipient: self.recipient,
            recipient_name: self.recipient_name,
            language: self.language,
            template: self.template,
            data: self.data,
            status: self.status,
            attempts: self.attempts,
            next_attempt_at: from_db(self.next_attempt_at),
            give_up_at: from_db(self.give_up_at),
            last_error: self.last_error,
            message_id: self.message_id,
            request_id: self.request_id,
            created_at: from_db(self.created_at),
            sent_at: self.sent_at.map(from_db),
        }
    }
}
