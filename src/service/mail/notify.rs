//! The mails of each event, queued in the caller's transaction: if the change rolls
//! back, so does its mail. Who gets what, in which language:
//! - a client: its `preferred_language`, at its representative's address when the
//!   representative has one, else its own; a client without either gets none;
//! - a member: Dutch, at the member record's email;
//! - staff (coaches, advisors): Dutch, at their account's email.

use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};

use crate::domain::Role;
use crate::domain::assignment::{Assignment, AssignmentStatus};
use crate::domain::category::Category;
use crate::domain::client::{Client, Language};
use crate::domain::dates::{date, date_time, time_of_day};
use crate::domain::hours::QuarterHours;
use crate::domain::mail::{LOW_VOUCHERS, MailTemplate, NewMail};
use crate::domain::member::Member;
use crate::domain::referral::Referral;
use crate::domain::request::{TaskRequest, Tier};
use crate::domain::schedule::local_date;
use crate::error::AppResult;
use crate::store::{DbConnection, categories, clients, members, outbox, requests, users, vouchers};

struct Recipient {
    address: String,
    name: String,
    language: Language,
}

fn client_recipient(client: &Client) -> Option<Recipient> {
    let f = &client.fields;
    let address = f.mail_address()?.as_str().to_owned();
    let name = match &f.representative {
        Some(r) if r.email.is_some() => r.name.clone(),
        _ => f.name.clone(),
    };
    Some(Recipient {
        address,
        name,
        language: f.preferred_language,
    })
}

fn member_recipient(member: &Member) -> Option<Recipient> {
    Some(Recipient {
        address: member.fields.email.as_ref()?.as_str().to_owned(),
        name: member.fields.name.clone(),
        language: Language::Nl,
    })
}

fn staff_recipient(email: &str) -> Recipient {
    Recipient {
        address: email.to_owned(),
        name: email.split('@').next().unwrap_or(email).to_owned(),
        language: Language::Nl,
    }
}

fn queue(
    conn: &mut DbConnection,
    now: DateTime<Utc>,
    to: Option<Recipient>,
    template: MailTemplate,
    request_id: Option<i64>,
    once_key: Option<String>,
    data: impl Fn(Language) -> Value,
) -> AppResult<bool> {
    let Some(to) = to else { return Ok(false) };
    let mut data = data(to.language);
    data["name"] = Value::String(to.name.clone());
    let mail = NewMail {
        recipient: to.address,
        recipient_name: Some(to.name),
        language: to.language,
        template,
        data,
        once_key,
        request_id,
    };
    outbox::enqueue(conn, &mail, now)
}

/// The name of a category the caller read already, in a language (its code when the
/// category is gone).
fn named(category: Option<&Category>, code: &str) -> impl Fn(Language) -> String + use<> {
    let found = category.cloned();
    let code = code.to_owned();
    move |language: Language| match &found {
        Some(c) => c.name(language).to_owned(),
        None => code.clone(),
    }
}

/// The category's name in a language (its code when the category is gone).
fn category(conn: &mut DbConnection, code: &str) -> AppResult<impl Fn(Language) -> String + use<>> {
    Ok(named(categories::find(conn, code)?.as_ref(), code))
}

fn address(client: &Client) -> String {
    client.fields.address_line()
}

fn first_name(member: &Member) -> String {
    member.fields.first_name().to_owned()
}

/// The desk's page of a visit, where the one mailed acts (it asks for sign-in first).
fn visit_link(assignment: &Assignment) -> String {
    format!("/bezoeken/{}", assignment.id)
}

fn load(conn: &mut DbConnection, assignment: &Assignment) -> AppResult<Option<(TaskRequest, Client, Member)>> {
    let request = requests::find(conn, assignment.request_id)?;
    let client = clients::find(conn, assignment.client_id)?;
    let member = members::find(conn, assignment.member_id)?;
    Ok(request.zip(client).zip(member).map(|((r, c), m)| (r, c, m)))
}

/// Client: the request was received.
pub fn request_received(
    conn: &mut DbConnection,
    now: DateTime<Utc>,
    request: &TaskRequest,
    client: &Client,
    category: &Category,
) -> AppResult<()> {
    let name = |lang: Language| category.name(lang).to_owned();
    queue(
        conn,
        now,
        client_recipient(client),
        MailTemplate::RequestReceived,
        Some(request.id),
        None,
        |lang| {
            json!({
                "category": name(lang),
                "description": request.description,
                "window_from": date_time(request.window.start(), lang),
                "window_until": date_time(request.window.end(), lang),
            })
        },
    )?;
    Ok(())
}

/// Client: referred to a provider.
pub fn request_referred(
    conn: &mut DbConnection,
    now: DateTime<Utc>,
    request: &TaskRequest,
    client: &Client,
    category: Option<&Category>,
    referral: &Referral,
) -> AppResult<()> {
    let name = named(category, &request.category);
    queue(
        conn,
        now,
        client_recipient(client),
        MailTemplate::RequestReferred,
        Some(request.id),
        None,
        |lang| {
            json!({
                "category": name(lang),
                "provider": referral.provider_name,
                "phone": referral.provider_phone,
                "email": referral.provider_email,
            })
        },
    )?;
    Ok(())
}

/// Provider: a request referred to them, with the client's contact and the date to
/// answer by (once per referral). A provider without email is phoned instead.
pub fn provider_referral(
    conn: &mut DbConnection,
    now: DateTime<Utc>,
    request: &TaskRequest,
    client: &Client,
    category: Option<&Category>,
    referral: &Referral,
) -> AppResult<()> {
    let Some(provider_address) = referral.provider_email.clone() else {
        return Ok(());
    };
    let to = Recipient {
        address: provider_address,
        name: referral.provider_name.clone(),
        language: Language::Nl,
    };
    let name = named(category, &request.category);
    let phone = client.fields.phone_to_call();
    queue(
        conn,
        now,
        Some(to),
        MailTemplate::ProviderReferral,
        Some(request.id),
        Some(format!("referral:{}", referral.id)),
        |lang| {
            json!({
                "referral_id": referral.id,
                "category": name(lang),
                "description": request.description,
                "window_from": date_time(request.window.start(), lang),
                "window_until": date_time(request.window.end(), lang),
                "client": client.fields.name,
                "address": address(client),
                "phone": phone,
                "respond_by": date_time(referral.respond_by, lang),
            })
        },
    )?;
    Ok(())
}

/// Client: the request went to a member tier; we look for someone.
pub fn request_routed(
    conn: &mut DbConnection,
    now: DateTime<Utc>,
    request: &TaskRequest,
    client: &Client,
    category: Option<&Category>,
    tier: Tier,
) -> AppResult<()> {
    let name = named(category, &request.category);
    queue(
        conn,
        now,
        client_recipient(client),
        MailTemplate::RequestRouted,
        Some(request.id),
        None,
        |lang| {
            json!({
                "category": name(lang),
                "helper": helper(tier, lang),
                "window_from": date_time(request.window.start(), lang),
                "window_until": date_time(request.window.end(), lang),
            })
        },
    )?;
    Ok(())
}

/// Who a member tier sends, in words a client knows.
fn helper(tier: Tier, language: Language) -> &'static str {
    match (tier, language) {
        (Tier::Volunteer, Language::Nl) => "vrijwilliger",
        (_, Language::Nl) => "medewerker van het leerwerkbedrijf",
        (Tier::Volunteer, Language::En) => "volunteer",
        (_, Language::En) => "worker of the learning-work company",
    }
}

/// Client: nobody was found yet; an advisor will contact them.
pub fn request_on_hold(
    conn: &mut DbConnection,
    now: DateTime<Utc>,
    request: &TaskRequest,
    client: &Client,
    category: Option<&Category>,
) -> AppResult<()> {
    let name = named(category, &request.category);
    queue(
        conn,
        now,
        client_recipient(client),
        MailTemplate::RequestOnHold,
        Some(request.id),
        None,
        |lang| json!({ "category": name(lang) }),
    )?;
    Ok(())
}

/// Advisors of the municipality: no tier took the request; `cause` says what left it
/// so (a provider's no, a deadline passed), in Dutch.
pub fn request_unmatched(
    conn: &mut DbConnection,
    now: DateTime<Utc>,
    request: &TaskRequest,
    client: &Client,
    category: Option<&Category>,
    cause: Option<&str>,
) -> AppResult<()> {
    let name = named(category, &request.category);
    let gets_mail = client.fields.mail_address().is_some();
    for (_, email) in users::staff_of(conn, Role::Advisor, request.municipality_id)? {
        queue(
            conn,
            now,
            Some(staff_recipient(&email)),
            MailTemplate::RequestUnmatched,
            Some(request.id),
            None,
            |lang| {
                json!({
                    "request_id": request.id,
                    "client": client.fields.name,
                    "category": name(lang),
                    "window_from": date_time(request.window.start(), lang),
                    "client_gets_mail": gets_mail,
                    "phone": client.fields.phone,
                    "cause": cause,
                })
            },
        )?;
    }
    Ok(())
}

/// Member: a new proposal.
pub fn assignment_proposed(conn: &mut DbConnection, now: DateTime<Utc>, assignment: &Assignment) -> AppResult<()> {
    let Some((request, client, member)) = load(conn, assignment)? else {
        return Ok(());
    };
    let name = category(conn, &request.category)?;
    queue(
        conn,
        now,
        member_recipient(&member),
        MailTemplate::AssignmentProposed,
        Some(request.id),
        None,
        |lang| {
            json!({
                "category": name(lang),
                "description": request.description,
                "address": address(&client),
                "when": date_time(assignment.slot.start, lang),
                "until": time_of_day(assignment.slot.end),
                "client": client.fields.name,
                "link": visit_link(assignment),
            })
        },
    )?;
    Ok(())
}

/// Client: the visit is scheduled; and, after a tier-2 reservation, few vouchers left.
pub fn assignment_accepted(conn: &mut DbConnection, now: DateTime<Utc>, assignment: &Assignment) -> AppResult<()> {
    let Some((request, client, member)) = load(conn, assignment)? else {
        return Ok(());
    };
    let name = category(conn, &request.category)?;
    queue(
        conn,
        now,
        client_recipient(&client),
        MailTemplate::VisitScheduled,
        Some(request.id),
        None,
        |lang| {
            json!({
                "member": first_name(&member),
                "category": name(lang),
                "when": date_time(assignment.slot.start, lang),
            })
        },
    )?;
    if assignment.tier == crate::domain::request::Tier::Woonservice {
        let available = vouchers::available_count(conn, client.id, local_date(now))?;
        if available <= LOW_VOUCHERS {
            queue(
                conn,
                now,
                client_recipient(&client),
                MailTemplate::VouchersLow,
                Some(request.id),
                None,
                |_| json!({ "available": available }),
            )?;
        }
    }
    Ok(())
}

/// The coach of a jobseeker, when the account is active.
fn coach_of(conn: &mut DbConnection, member: &Member) -> AppResult<Option<Recipient>> {
    Ok(match member.fields.coach_id {
        Some(id) => users::find(conn, id)?
            .filter(|u| u.active)
            .map(|coach| staff_recipient(coach.email.as_str())),
        None => None,
    })
}

/// Coach: their jobseeker took on a visit the coach did not propose; it waits for them.
pub fn confirmation_requested(conn: &mut DbConnection, now: DateTime<Utc>, assignment: &Assignment) -> AppResult<()> {
    let Some((request, client, member)) = load(conn, assignment)? else {
        return Ok(());
    };
    let name = category(conn, &request.category)?;
    let to = coach_of(conn, &member)?;
    queue(
        conn,
        now,
        to,
        MailTemplate::ConfirmationRequested,
        Some(request.id),
        None,
        |lang| {
            json!({
                "member": member.fields.name,
                "category": name(lang),
                "client": client.fields.name,
                "when": date_time(assignment.slot.start, lang),
                "assignment_id": assignment.id,
                "link": visit_link(assignment),
            })
        },
    )?;
    Ok(())
}

/// Member: their coach confirmed the visit they took on, or rejected it (with why).
pub fn confirmation_answered(
    conn: &mut DbConnection,
    now: DateTime<Utc>,
    assignment: &Assignment,
    confirmed: bool,
    reason: Option<&str>,
) -> AppResult<()> {
    let Some((request, client, member)) = load(conn, assignment)? else {
        return Ok(());
    };
    let name = category(conn, &request.category)?;
    queue(
        conn,
        now,
        member_recipient(&member),
        MailTemplate::ConfirmationAnswered,
        Some(request.id),
        None,
        |lang| {
            json!({
                "confirmed": confirmed,
                "category": name(lang),
                "client": client.fields.name,
                "address": address(&client),
                "when": date_time(assignment.slot.start, lang),
                "reason": reason,
            })
        },
    )?;
    Ok(())
}

/// An assignment ended without work: the coach hears of a decline or no-show of
/// their jobseeker; the member hears that an assignment was cancelled.
pub fn assignment_ended(
    conn: &mut DbConnection,
    now: DateTime<Utc>,
    assignment: &Assignment,
    status: AssignmentStatus,
    reason: Option<&str>,
) -> AppResult<()> {
    let Some((request, client, member)) = load(conn, assignment)? else {
        return Ok(());
    };
    let name = category(conn, &request.category)?;
    let data = |lang: Language| {
        json!({
            "member": member.fields.name,
            "category": name(lang),
            "client": client.fields.name,
            "when": date_time(assignment.slot.start, lang),
            "reason": reason,
        })
    };
    match status {
        AssignmentStatus::Declined | AssignmentStatus::NoShow => {
            let template = if status == AssignmentStatus::Declined {
                MailTemplate::JobseekerDeclined
            } else {
                MailTemplate::JobseekerNoShow
            };
            let coach = coach_of(conn, &member)?;
            queue(conn, now, coach, template, Some(request.id), None, data)?;
        }
        AssignmentStatus::Cancelled => {
            queue(
                conn,
                now,
                member_recipient(&member),
                MailTemplate::AssignmentCancelled,
                Some(request.id),
                None,
                data,
            )?;
        }
        _ => {}
    }
    Ok(())
}

/// Client: the work was completed.
pub fn work_completed(
    conn: &mut DbConnection,
    now: DateTime<Utc>,
    assignment: &Assignment,
    hours: String,
    vouchers_used: i64,
    shortfall: i64,
) -> AppResult<()> {
    let Some((request, client, member)) = load(conn, assignment)? else {
        return Ok(());
    };
    let name = category(conn, &request.category)?;
    queue(
        conn,
        now,
        client_recipient(&client),
        MailTemplate::WorkCompleted,
        Some(request.id),
        None,
        |lang| {
            json!({
                "member": first_name(&member),
                "category": name(lang),
                "hours": hours,
                "vouchers": vouchers_used,
                "shortfall": shortfall,
            })
        },
    )?;
    Ok(())
}

/// Client: the hours of a completed visit, to agree to or dispute before `until`.
pub fn sign_off_requested(
    conn: &mut DbConnection,
    now: DateTime<Utc>,
    assignment: &Assignment,
    hours: QuarterHours,
    until: DateTime<Utc>,
) -> AppResult<()> {
    let Some((request, client, member)) = load(conn, assignment)? else {
        return Ok(());
    };
    let name = category(conn, &request.category)?;
    let vouchers = if assignment.tier == crate::domain::request::Tier::Woonservice {
        crate::domain::voucher::vouchers_for(hours)
    } else {
        0
    };
    queue(
        conn,
        now,
        client_recipient(&client),
        MailTemplate::SignOffRequested,
        Some(request.id),
        None,
        |lang| {
            json!({
                "member": first_name(&member),
                "category": name(lang),
                "when": date_time(assignment.slot.start, lang),
                "hours": hours.written_in(lang),
                "vouchers": vouchers,
                "until": date_time(until, lang),
                "link": visit_link(assignment),
            })
        },
    )?;
    Ok(())
}

/// Advisors of the municipality: a client disputed the hours of a visit.
pub fn sign_off_disputed(
    conn: &mut DbConnection,
    now: DateTime<Utc>,
    assignment: &Assignment,
    reason: &str,
) -> AppResult<()> {
    let Some((request, client, member)) = load(conn, assignment)? else {
        return Ok(());
    };
    let name = category(conn, &request.category)?;
    let hours = assignment
        .hours_worked
        .unwrap_or_else(|| assignment.slot_hours())
        .to_string();
    for (_, email) in users::staff_of(conn, Role::Advisor, request.municipality_id)? {
        queue(
            conn,
            now,
            Some(staff_recipient(&email)),
            MailTemplate::SignOffDisputed,
            Some(request.id),
            None,
            |lang| {
                json!({
                    "client": client.fields.name,
                    "member": member.fields.name,
                    "category": name(lang),
                    "when": date_time(assignment.slot.start, lang),
                    "hours": hours,
                    "reason": reason,
                    "assignment_id": assignment.id,
                })
            },
        )?;
    }
    Ok(())
}

/// Member and client: the visit is tomorrow (Amsterdam). Once per assignment and
/// person, however often the job runs. Returns how many mails were queued.
pub fn reminders(conn: &mut DbConnection, now: DateTime<Utc>) -> AppResult<usize> {
    let tomorrow = local_date(now) + Duration::days(1);
    let mut queued = 0;
    for assignment in crate::store::assignments::accepted_on(conn, tomorrow)? {
        let Some((request, client, member)) = load(conn, &assignment)? else {
            continue;
        };
        let name = category(conn, &request.category)?;
        let when = |lang| date_time(assignment.slot.start, lang);
        let member_data = |lang| json!({"when": when(lang), "for_member": true, "category": name(lang), "other": client.fields.name, "address": address(&client)});
        let key = |who: &str| Some(format!("reminder:{}:{who}", assignment.id));
        queued += usize::from(queue(
            conn,
            now,
            member_recipient(&member),
            MailTemplate::VisitReminder,
            Some(request.id),
            key("member"),
            member_data,
        )?);
        let client_data = |lang| json!({"when": when(lang), "for_member": false, "category": name(lang), "other": first_name(&member), "address": address(&client)});
        queued += usize::from(queue(
            conn,
            now,
            client_recipient(&client),
            MailTemplate::VisitReminder,
            Some(request.id),
            key("client"),
            client_data,
        )?);
    }
    Ok(queued)
}

/// Client: vouchers of a sale expire within 30 days. Once per sale.
pub fn expiry_warnings(conn: &mut DbConnection, now: DateTime<Utc>) -> AppResult<usize> {
    let today = local_date(now);
    let until = today + Duration::days(crate::domain::mail::EXPIRY_WARNING_DAYS);
    let mut queued = 0;
    for (sale, client_id, count, expires_on) in vouchers::expiring_sales(conn, today, until)? {
        let Some(client) = clients::find(conn, client_id)? else {
            continue;
        };
        let data = |lang| json!({"count": count, "expires_on": date(expires_on, lang)});
        queued += usize::from(queue(
            conn,
            now,
            client_recipient(&client),
            MailTemplate::VouchersExpiring,
            None,
            Some(format!("expiring:{sale}")),
            data,
        )?);
    }
    Ok(queued)
}

/// Whether mail for this client can reach anyone.
pub fn client_gets_mail(client: &Client) -> bool {
    client.fields.mail_address().is_some()
}
