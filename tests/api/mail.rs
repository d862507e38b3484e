//! Mail through a real SMTP server: every event queues its mail for the right person
//! in the right language, in the transaction of its change, and the worker delivers
//! each exactly once — through an SMTP outage, a restart and two workers at once.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use serde_json::{Value, json};
use woonservice::domain::client::{Language, Representative};
use woonservice::domain::mail::{MailStatus, MailTemplate, NewMail, OutboxMail};
use woonservice::domain::member::MemberKind;
use woonservice::domain::page::PageRequest;
use woonservice::domain::provider::ProviderKind;
use woonservice::domain::request::{RequestStatus, Tier};
use woonservice::domain::{Email, Role};
use woonservice::service::jobs::Job;
use woonservice::service::mail::render::{render, render_stored};
use woonservice::store::{clients, members, outbox, requests, time};

use crate::helpers::{Options, TestApp, TestDb, assert_problem, eventually, spawn_with};
use crate::scenario::{Scenario, weekday_morning};
use crate::smtp::{SmtpServer, free_port};

fn outbox_rows(app: &TestApp) -> Vec<OutboxMail> {
    app.with_db(|c| {
        Ok(outbox::list(
            c,
            None,
            &PageRequest {
                limit: 200,
                position: None,
            },
        )?
        .items)
    })
}

/// The mails queued from `after` on, as (template, recipient, language).
fn mails_since(app: &TestApp, after: usize) -> Vec<(String, String, String)> {
    outbox_rows(app)
        .into_iter()
        .skip(after)
        .map(|r| {
            (
                r.template.as_str().to_owned(),
                r.recipient,
                r.language.as_str().to_owned(),
            )
        })
        .collect()
}

/// Where the test's desk would be, for the links in mails.
const SITE: &str = "http://127.0.0.1:8080";

/// The Dutch text of the newest queued mail of `template`.
fn first_text(app: &TestApp, template: MailTemplate) -> String {
    let row = outbox_rows(app).into_iter().find(|r| r.template == template).unwrap();
    render_stored(template, Language::Nl, &row.data, SITE).unwrap().text
}

fn mail(template: MailTemplate, to: &str, language: &str) -> (String, String, String) {
    (template.as_str().to_owned(), to.to_owned(), language.to_owned())
}

/// A client whose mail goes to a representative who reads English.
fn represented_client(app: &TestApp, s: &Scenario) -> i64 {
    let id = app.client_in(s.municipality, "Riet Smulders");
    app.with_db(|c| {
        let mut client = clients::find(c, id)?.unwrap();
        client.fields.email = Some(Email::parse("riet@example.nl").unwrap());
        client.fields.preferred_language = Language::En;
        client.fields.representative = Some(Representative {
            name: "Karin Smulders".into(),
            relation: "dochter".into(),
            email: Some(Email::parse("karin@example.nl").unwrap()),
            phone: None,
        });
        clients::update(c, id, &client.fields, app.now())
    });
    id
}

fn with_email(app: &TestApp, member: i64, email: &str) {
    app.with_db(|c| {
        let mut m = members::find(c, member)?.unwrap();
        m.fields.email = Some(Email::parse(email).unwrap());
        members::update(c, member, &m.fields, app.now())
    });
}

/// A real SMTP server and a service that sends to it.
async fn app_with_mail() -> (SmtpServer, TestApp) {
    let smtp = SmtpServer::start(&[]);
    let app = spawn_with(
        Arc::new(TestDb::new()),
        Options {
            smtp_port: Some(smtp.port),
            ..Options::default()
        },
    )
    .await;
    (smtp, app)
}

/// The address of the scenario's advisor.
fn advisor_email(app: &TestApp, s: &Scenario) -> String {
    app.with_db(|c| {
        Ok(
            woonservice::store::users::staff_of(c, Role::Advisor, s.municipality)?[0]
                .1
                .clone(),
        )
    })
}

#[tokio::test]
async fn every_event_queues_its_mail_for_the_right_person_and_each_is_delivered_once() {
    let (smtp, app) = app_with_mail().await;
    let s = app.scenario().await;
    let advisor_email = advisor_email(&app, &s);
    let coach_email = s.coach_email.clone();
    let client = represented_client(&app, &s);
    let volunteer = app.worker(&s, MemberKind::Volunteer, &["gardening"], 20);
    with_email(&app, volunteer, "els@example.nl");
    let jobseeker = app.worker(&s, MemberKind::Jobseeker, &["odd_jobs"], 20);
    with_email(&app, jobseeker, "sanne@example.nl");
    let start = weekday_morning(3);

    // Intake, routing to a volunteer, proposal, acceptance, completion.
    let before = outbox_rows(&app).len();
    let r1 = app.request(&s, client, "gardening", start, 4, 2.0).await;
    app.route(&s.advisor, r1).await;
    let a1 = app.propose(&s, r1, volunteer, start, 2).await;
    app.act(&s.advisor, a1, "accept", json!({})).await;
    app.act(&s.advisor, a1, "complete", json!({"hours_worked": 2.0})).await;
    assert_eq!(
        mails_since(&app, before),
        [
            mail(MailTemplate::RequestReceived, "karin@example.nl", "en"),
            mail(MailTemplate::RequestRouted, "karin@example.nl", "en"),
            mail(MailTemplate::AssignmentProposed, "els@example.nl", "nl"),
            mail(MailTemplate::VisitScheduled, "karin@example.nl", "en"),
            mail(MailTemplate::WorkCompleted, "karin@example.nl", "en"),
        ]
    );

    // Tier 2: a reservation that leaves two vouchers, a no-show, a decline.
    app.sell(&s, client, 3).await;
    let before = outbox_rows(&app).len();
    let r2 = app.request(&s, client, "odd_jobs", start, 6, 1.0).await;
    let (_, routed) = app.route(&s.advisor, r2).await;
    assert_eq!(routed["tier"], "woonservice");
    let a2 = app.propose(&s, r2, jobseeker, start, 1).await;
    app.act(&s.advisor, a2, "accept", json!({})).await;
    app.act(&s.advisor, a2, "no-show", json!({"reason": "Niet gekomen"}))
        .await;
    let a3 = app.propose(&s, r2, jobseeker, start, 1).await;
    app.act(&s.coach, a3, "decline", json!({})).await;
    assert_eq!(
        mails_since(&app, before)[1..],
        [
            mail(MailTemplate::RequestRouted, "karin@example.nl", "en"),
            mail(MailTemplate::AssignmentProposed, "sanne@example.nl", "nl"),
            mail(MailTemplate::VisitScheduled, "karin@example.nl", "en"),
            mail(MailTemplate::VouchersLow, "karin@example.nl", "en"),
            mail(MailTemplate::JobseekerNoShow, &coach_email, "nl"),
            mail(MailTemplate::AssignmentProposed, "sanne@example.nl", "nl"),
            mail(MailTemplate::JobseekerDeclined, &coach_email, "nl"),
        ]
    );

    // A referral; an unmatched request of a client without email; a cancellation.
    app.provider_in(s.municipality, ProviderKind::Business, &["moving"]);
    let phone_only = app.client_in(s.municipality, "Truus Hendriks");
    let before = outbox_rows(&app).len();
    let r3 = app.request(&s, client, "moving", start, 4, 2.0).await;
    app.route(&s.advisor, r3).await;
    let r4 = app.request(&s, phone_only, "errands", start, 4, 1.0).await;
    app.route(&s.advisor, r4).await;
    let r5 = app.request(&s, client, "gardening", start, 4, 1.0).await;
    app.route(&s.advisor, r5).await;
    let a5 = app.propose(&s, r5, volunteer, start, 1).await;
    app.act(&s.coach, a5, "cancel", json!({"reason": "Tuin is al gedaan"}))
        .await;
    assert_eq!(
        mails_since(&app, before),
        [
            mail(MailTemplate::RequestReceived, "karin@example.nl", "en"),
            mail(MailTemplate::RequestReferred, "karin@example.nl", "en"),
            mail(MailTemplate::RequestUnmatched, &advisor_email, "nl"),
            mail(MailTemplate::RequestReceived, "karin@example.nl", "en"),
            mail(MailTemplate::RequestRouted, "karin@example.nl", "en"),
            mail(MailTemplate::AssignmentProposed, "els@example.nl", "nl"),
            mail(MailTemplate::AssignmentCancelled, "els@example.nl", "nl"),
        ],
        "the client without email gets none"
    );
    let unmatched: Value = app
        .get(&format!("/api/v1/requests/{r4}"), &s.advisor)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        unmatched["client_gets_mail"], false,
        "the advisor sees that the client gets no mail"
    );

    // The day-before reminder and the expiry warning, once each however often their jobs run.
    let tomorrow = Utc::now() + chrono::Duration::days(1);
    let tomorrow = woonservice::domain::schedule::local_to_utc(
        woonservice::domain::schedule::local_date(tomorrow)
            .and_hms_opt(10, 0, 0)
            .unwrap(),
    );
    let r6 = app.request_for(client, s.municipality, s.coach_id);
    app.with_db(|c| {
        use diesel::prelude::*;
        use woonservice::store::schema::requests as r;
        diesel::update(r::table.find(r6))
            .set((
                r::window_start.eq(time::to_db(tomorrow)),
                r::window_end.eq(time::to_db(tomorrow + chrono::Duration::hours(3))),
            ))
            .execute(c)?;
        requests::set_routing(c, r6, RequestStatus::Routed, Some(Tier::Volunteer), app.now())
    });
    let a6 = app.propose(&s, r6, volunteer, tomorrow, 1).await;
    app.act(&s.advisor, a6, "accept", json!({})).await;
    app.with_db(|c| {
        use diesel::prelude::*;
        use woonservice::store::schema::vouchers as v;
        let soon = woonservice::domain::schedule::local_date(Utc::now()) + chrono::Duration::days(10);
        diesel::update(
            v::table
                .filter(v::client_id.eq(client))
                .filter(v::status.eq("available")),
        )
        .set(v::expires_on.eq(soon))
        .execute(c)?;
        Ok(())
    });
    let before = outbox_rows(&app).len();
    for _ in 0..2 {
        Job::SendReminders.run(&app.ctx).unwrap();
        Job::WarnExpiringVouchers.run(&app.ctx).unwrap();
    }
    assert_eq!(
        mails_since(&app, before),
        [
            mail(MailTemplate::VisitReminder, "els@example.nl", "nl"),
            mail(MailTemplate::VisitReminder, "karin@example.nl", "en"),
            mail(MailTemplate::VouchersExpiring, "karin@example.nl", "en"),
        ]
    );

    // What the mails say: Dutch dates for the member, the member's first name for the client.
    let rows = outbox_rows(&app);
    let text = first_text(&app, MailTemplate::AssignmentProposed);
    assert!(
        text.contains("maandag") && text.contains("Dreef 1, 5581 AB Waalre"),
        "{text}"
    );
    assert!(
        text.contains(&format!("{SITE}/bezoeken/")),
        "the member's mail links to the visit: {text}"
    );
    let scheduled = rows
        .iter()
        .find(|r| r.template == MailTemplate::VisitScheduled)
        .unwrap();
    let rendered = render(
        MailTemplate::VisitScheduled,
        Language::En,
        &serde_json::from_str(&scheduled.data).unwrap(),
    )
    .unwrap();
    assert!(
        rendered.subject.starts_with("Appointment: Test comes on Monday"),
        "{}",
        rendered.subject
    );

    // Delivery: every queued mail exactly once, under its own Message-ID.
    smtp.wait_for(rows.len(), Duration::from_secs(20)).await;
    eventually(Duration::from_secs(15), "every mail is marked sent", async || {
        outbox_rows(&app).iter().all(|r| r.status == MailStatus::Sent)
    })
    .await;
    let received = smtp.received();
    assert_eq!(received.len(), rows.len(), "every mail delivered once");
    let ids: HashSet<String> = received.iter().map(|m| m.message_id.clone()).collect();
    let expected: HashSet<String> = rows.iter().map(|r| r.message_id.clone()).collect();
    assert_eq!(ids, expected);
    assert!(outbox_rows(&app).iter().all(|r| r.status == MailStatus::Sent));
    assert!(
        received.iter().all(|m| m.raw.contains("multipart/alternative")
            && m.raw.contains("text/plain")
            && m.raw.contains("text/html")),
        "every mail has a text and an HTML part"
    );
    let to_karin = received
        .iter()
        .filter(|m| m.to.iter().any(|t| t.contains("karin@example.nl")))
        .count();
    assert_eq!(
        to_karin,
        rows.iter().filter(|r| r.recipient == "karin@example.nl").count()
    );
}

fn enqueue(app: &TestApp, n: usize, to: impl Fn(usize) -> String) {
    app.with_db(|c| {
        for i in 0..n {
            let mail = NewMail {
                recipient: to(i),
                recipient_name: Some(format!("Ontvanger {i}")),
                language: Language::Nl,
                template: MailTemplate::VouchersLow,
                data: json!({"name": format!("Ontvanger {i}"), "available": 1}),
                once_key: None,
                request_id: None,
            };
            outbox::enqueue(c, &mail, app.now())?;
        }
        Ok(())
    });
}

fn assert_once(app: &TestApp, smtp: &SmtpServer, n: usize) {
    let received = smtp.received();
    assert_eq!(received.len(), n, "delivered {} of {n}", received.len());
    let ids: HashSet<&str> = received.iter().map(|m| m.message_id.as_str()).collect();
    assert_eq!(ids.len(), n, "a mail was delivered twice");
    assert!(outbox_rows(app).iter().all(|r| r.status == MailStatus::Sent));
}

#[tokio::test]
async fn mails_caused_while_smtp_is_down_are_all_delivered_once_when_it_returns() {
    let port = free_port();
    let app = spawn_with(
        Arc::new(TestDb::new()),
        Options {
            smtp_port: Some(port),
            ..Options::default()
        },
    )
    .await;
    enqueue(&app, 5, |i| format!("client{i}@example.nl"));
    eventually(
        Duration::from_secs(15),
        "every mail is tried, fails and stays queued",
        async || {
            outbox_rows(&app)
                .iter()
                .all(|r| r.status == MailStatus::Queued && r.attempts >= 1 && r.last_error.is_some())
        },
    )
    .await;
    let smtp = SmtpServer::start_on(port, &[]);
    smtp.wait_for(5, Duration::from_secs(15)).await;
    eventually(Duration::from_secs(15), "every mail is marked sent", async || {
        outbox_rows(&app).iter().all(|r| r.status == MailStatus::Sent)
    })
    .await;
    assert_once(&app, &smtp, 5);
}

#[tokio::test]
async fn mails_pending_when_the_service_restarts_are_delivered_once_after_it() {
    let db = Arc::new(TestDb::new());
    let first = spawn_with(db.clone(), Options::default()).await;
    enqueue(&first, 4, |i| format!("client{i}@example.nl"));
    drop(first);
    let smtp = SmtpServer::start(&[]);
    let second = spawn_with(
        db,
        Options {
            smtp_port: Some(smtp.port),
            ..Options::default()
        },
    )
    .await;
    smtp.wait_for(4, Duration::from_secs(15)).await;
    eventually(Duration::from_secs(15), "every mail is marked sent", async || {
        outbox_rows(&second).iter().all(|r| r.status == MailStatus::Sent)
    })
    .await;
    assert_once(&second, &smtp, 4);
}

#[tokio::test]
async fn two_workers_on_one_database_deliver_a_hundred_mails_exactly_once() {
    let db = Arc::new(TestDb::new());
    let smtp = SmtpServer::start(&[]);
    let port = smtp.port;
    let first = spawn_with(db.clone(), Options::default()).await;
    enqueue(&first, 100, |i| format!("ontvanger{i}@example.nl"));
    let a = spawn_with(
        db.clone(),
        Options {
            smtp_port: Some(port),
            ..Options::default()
        },
    )
    .await;
    let b = spawn_with(
        db,
        Options {
            smtp_port: Some(port),
            ..Options::default()
        },
    )
    .await;
    smtp.wait_for(100, Duration::from_secs(60)).await;
    eventually(Duration::from_secs(15), "every mail is marked sent", async || {
        outbox_rows(&first).iter().all(|r| r.status == MailStatus::Sent)
    })
    .await;
    assert_once(&first, &smtp, 100);
    drop((a, b));
}

#[tokio::test]
async fn a_worker_whose_lease_lapsed_can_neither_send_nor_record_a_mail_another_took_over() {
    let app = spawn_with(Arc::new(TestDb::new()), Options::default()).await;
    enqueue(&app, 2, |i| format!("ontvanger{i}@example.nl"));
    let lease = chrono::Duration::seconds(120);
    let t0 = app.now();
    let (first, held_by_first) = (
        app.with_db(|c| outbox::claim_due(c, t0, lease, 10)),
        outbox::lease_end(t0, lease),
    );
    assert_eq!(first.len(), 2);
    let early = t0 + chrono::Duration::seconds(60);
    assert!(
        app.with_db(|c| outbox::claim_due(c, early, lease, 10)).is_empty(),
        "still leased"
    );

    // The first worker stalls past its lease; the second takes the mails over.
    let t1 = t0 + chrono::Duration::seconds(121);
    let second = app.with_db(|c| outbox::claim_due(c, t1, lease, 10));
    assert_eq!(second.len(), 2);
    let held_by_second = outbox::lease_end(t1, lease);
    let id = first[0].id;
    let t2 = t1 + chrono::Duration::seconds(1);
    let later = outbox::lease_end(t2, lease);
    assert!(
        !app.with_db(|c| outbox::renew(c, id, held_by_first, later, t2)),
        "the first may not send it"
    );
    assert!(!app.with_db(|c| outbox::mark_sent(c, id, held_by_first, t2)));
    assert!(app.with_db(|c| outbox::renew(c, id, held_by_second, later, t2)));
    assert!(app.with_db(|c| outbox::mark_sent(c, id, later, t2)));
    let row = app.with_db(|c| outbox::find(c, id)).unwrap();
    assert_eq!((row.status, row.attempts), (MailStatus::Sent, 1));
}

#[tokio::test]
async fn a_permanently_rejected_mail_is_dead_at_once_and_the_others_go_through() {
    let smtp = SmtpServer::start(&["weiger@example.nl"]);
    let app = spawn_with(
        Arc::new(TestDb::new()),
        Options {
            smtp_port: Some(smtp.port),
            ..Options::default()
        },
    )
    .await;
    enqueue(&app, 4, |i| {
        if i == 1 {
            "weiger@example.nl".into()
        } else {
            format!("client{i}@example.nl")
        }
    });
    smtp.wait_for(3, Duration::from_secs(15)).await;
    eventually(Duration::from_secs(15), "no mail is left queued", async || {
        outbox_rows(&app).iter().all(|r| r.status != MailStatus::Queued)
    })
    .await;
    let rows = outbox_rows(&app);
    let dead: Vec<&OutboxMail> = rows.iter().filter(|r| r.status == MailStatus::Dead).collect();
    assert_eq!(dead.len(), 1);
    assert_eq!((dead[0].recipient.as_str(), dead[0].attempts), ("weiger@example.nl", 1));
    assert!(dead[0].last_error.as_deref().unwrap().contains("rejected"));
    assert_eq!(rows.iter().filter(|r| r.status == MailStatus::Sent).count(), 3);
    assert_eq!(smtp.received().len(), 3);

    let admin = app.token_for(Role::Admin, &[]).await;
    let list: Value = app
        .get("/api/v1/admin/outbox?status=dead", &admin)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
    assert_eq!(list["items"][0]["template"], "vouchers_low");
    let id = list["items"][0]["id"].as_i64().unwrap();
    let retried: Value = app
        .post(&format!("/api/v1/admin/outbox/{id}/retry"), &admin, &json!({}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(retried["status"], "queued");
    let sent_id = rows.iter().find(|r| r.status == MailStatus::Sent).unwrap().id;
    assert_problem(
        app.post(&format!("/api/v1/admin/outbox/{sent_id}/retry"), &admin, &json!({}))
            .await,
        409,
        "invalid_transition",
    )
    .await;
    let advisor = app.token_for(Role::Advisor, &["Waalre"]).await;
    assert_problem(app.get("/api/v1/admin/outbox", &advisor).await, 403, "forbidden").await;
}

#[tokio::test]
async fn a_change_that_rolls_back_leaves_no_mail_behind() {
    let app = spawn_with(Arc::new(TestDb::new()), Options::default()).await;
    let s = app.scenario().await;
    let client = represented_client(&app, &s);
    let jobseeker = app.worker(&s, MemberKind::Jobseeker, &["odd_jobs"], 20);
    with_email(&app, jobseeker, "sanne@example.nl");
    app.sell(&s, client, 1).await;
    let start = weekday_morning(3);
    let request = app.request(&s, client, "odd_jobs", start, 6, 1.0).await;
    app.route(&s.advisor, request).await;
    let assignment = app.propose(&s, request, jobseeker, start, 2).await;
    let before = outbox_rows(&app).len();
    let (status, body) = app.act(&s.advisor, assignment, "accept", json!({})).await;
    assert_eq!((status, body["code"].as_str()), (409, Some("insufficient_vouchers")));
    assert_eq!(outbox_rows(&app).len(), before, "the refused accept queued a mail");
}

#[tokio::test]
async fn a_referral_mails_the_provider_what_where_and_by_when_and_an_unmatched_request_tells_the_client() {
    let (smtp, app) = app_with_mail().await;
    let s = app.scenario().await;
    let advisor_email = advisor_email(&app, &s);
    let provider = json!({"kind": "business", "name": "Verhuisbedrijf Van Gool", "categories": ["moving"],
        "municipality_ids": [s.municipality], "email": "planning@vangool.example.nl", "phone": "040 222 33 44"});
    assert_eq!(
        app.post("/api/v1/providers", &s.coordinator, &provider).await.status(),
        201
    );
    let client = represented_client(&app, &s);
    let start = weekday_morning(3);
    let before = outbox_rows(&app).len();
    let moving = app.request(&s, client, "moving", start, 4, 2.0).await;
    app.route(&s.advisor, moving).await;
    let errands = app.request(&s, client, "errands", start, 4, 1.0).await;
    app.route(&s.advisor, errands).await;
    assert_eq!(
        mails_since(&app, before),
        [
            mail(MailTemplate::RequestReceived, "karin@example.nl", "en"),
            mail(MailTemplate::RequestReferred, "karin@example.nl", "en"),
            mail(MailTemplate::ProviderReferral, "planning@vangool.example.nl", "nl"),
            mail(MailTemplate::RequestReceived, "karin@example.nl", "en"),
            mail(MailTemplate::RequestUnmatched, &advisor_email, "nl"),
            mail(MailTemplate::RequestOnHold, "karin@example.nl", "en"),
        ]
    );
    let rows = outbox_rows(&app);
    let referral = rows
        .iter()
        .find(|r| r.template == MailTemplate::ProviderReferral)
        .unwrap();
    let text = render_stored(MailTemplate::ProviderReferral, Language::Nl, &referral.data, SITE)
        .unwrap()
        .text;
    let detail: Value = app
        .get(&format!("/api/v1/requests/{moving}"), &s.advisor)
        .await
        .json()
        .await
        .unwrap();
    let respond_by: chrono::DateTime<Utc> = serde_json::from_value(detail["referral"]["respond_by"].clone()).unwrap();
    let deadline = woonservice::domain::dates::date_time(respond_by, Language::Nl);
    for expected in [
        "Riet Smulders",
        "Dreef 1, 5581 AB Waalre",
        "maandag",
        &format!("vóór {deadline}"),
        &format!("nummer {}", detail["referral"]["id"]),
    ] {
        assert!(text.contains(expected), "{expected:?} in {text}");
    }

    smtp.wait_for(rows.len(), Duration::from_secs(20)).await;
    eventually(Duration::from_secs(15), "every mail is marked sent", async || {
        outbox_rows(&app).iter().all(|r| r.status == MailStatus::Sent)
    })
    .await;
    let to_provider = smtp
        .received()
        .iter()
        .filter(|m| m.to.iter().any(|t| t.contains("planning@vangool.example.nl")))
        .count();
    assert_eq!(to_provider, 1, "the provider gets the referral once");
}

#[tokio::test]
async fn a_decline_that_leaves_nobody_tells_the_advisors_why_and_the_client_that_an_advisor_will_call() {
    let (smtp, app) = app_with_mail().await;
    let s = app.scenario().await;
    let advisor_email = advisor_email(&app, &s);
    let provider = json!({"kind": "business", "name": "Verhuisbedrijf Van Gool", "categories": ["moving"],
        "municipality_ids": [s.municipality], "email": "planning@vangool.example.nl"});
    assert_eq!(
        app.post("/api/v1/providers", &s.coordinator, &provider).await.status(),
        201
    );
    let client = represented_client(&app, &s);
    let moving = app.request(&s, client, "moving", weekday_morning(3), 4, 2.0).await;
    app.route(&s.advisor, moving).await;
    let detail: Value = app
        .get(&format!("/api/v1/requests/{moving}"), &s.advisor)
        .await
        .json()
        .await
        .unwrap();
    let referral = detail["referral"]["id"].as_i64().unwrap();
    let before = outbox_rows(&app).len();
    let declined = app
        .post(
            &format!("/api/v1/referrals/{referral}/decline"),
            &s.advisor,
            &json!({"reason": "Geen bus vrij"}),
        )
        .await;
    assert_eq!(declined.status(), 200);
    assert_eq!(
        mails_since(&app, before),
        [
            mail(MailTemplate::RequestUnmatched, &advisor_email, "nl"),
            mail(MailTemplate::RequestOnHold, "karin@example.nl", "en"),
        ]
    );
    let rows = outbox_rows(&app);
    let text = first_text(&app, MailTemplate::RequestUnmatched);
    assert!(
        text.contains("Waarom: Verhuisbedrijf Van Gool heeft de vraag afgewezen (Geen bus vrij)."),
        "{text}"
    );
    smtp.wait_for(rows.len(), Duration::from_secs(20)).await;
    let to_advisor = smtp
        .received()
        .iter()
        .filter(|m| m.to.iter().any(|t| t.contains(&advisor_email)))
        .count();
    assert_eq!(to_advisor, 1);
}

#[tokio::test]
async fn a_held_accept_and_a_disputed_sign_off_reach_the_coach_the_member_the_client_and_the_advisors() {
    let (smtp, app) = app_with_mail().await;
    let s = app.scenario().await;
    let admin = app.token_for(Role::Admin, &[]).await;
    let days = app
        .patch(
            &format!("/api/v1/municipalities/{}", s.municipality),
            &admin,
            &json!({"sign_off_days": 7}),
        )
        .await;
    assert_eq!(days.status(), 200);
    let advisor = advisor_email(&app, &s);
    let coach = s.coach_email.clone();
    let jobseeker = app.worker(&s, MemberKind::Jobseeker, &["odd_jobs"], 16);
    with_email(&app, jobseeker, "sanne@example.nl");
    let (_, login) = app.user(Role::Member, &[], None, Some(jobseeker));
    let member = app.token(&login).await;
    let client = represented_client(&app, &s);
    app.sell(&s, client, 8).await;
    let start = weekday_morning(3);
    let request = app.request(&s, client, "odd_jobs", start, 6, 2.0).await;
    app.route(&s.advisor, request).await;
    let assignment = app.propose(&s, request, jobseeker, start, 2).await;
    let before = outbox_rows(&app).len();

    app.act(&member, assignment, "accept", json!({})).await;
    let confirm = app
        .post(
            &format!("/api/v1/assignments/{assignment}/confirm"),
            &s.coach,
            &json!({}),
        )
        .await;
    assert_eq!(confirm.status(), 200);
    app.act(&member, assignment, "complete", json!({"hours_worked": 2.5}))
        .await;
    let disputed = app
        .post(
            &format!("/api/v1/assignments/{assignment}/sign-off"),
            &s.advisor,
            &json!({"agree": false, "reason": "Mevrouw zegt twee uur"}),
        )
        .await;
    assert_eq!(disputed.status(), 200);
    assert_eq!(
        mails_since(&app, before),
        [
            mail(MailTemplate::ConfirmationRequested, &coach, "nl"),
            mail(MailTemplate::VisitScheduled, "karin@example.nl", "en"),
            mail(MailTemplate::ConfirmationAnswered, "sanne@example.nl", "nl"),
            mail(MailTemplate::SignOffRequested, "karin@example.nl", "en"),
            mail(MailTemplate::SignOffDisputed, &advisor, "nl"),
        ]
    );
    let text = first_text(&app, MailTemplate::SignOffRequested);
    assert!(
        text.contains("2.5 uur") || text.contains("2,5 uur") || text.contains("2:30"),
        "{text}"
    );
    assert!(
        text.contains(&format!("{SITE}/bezoeken/")),
        "the client's mail links to the sign-off: {text}"
    );
    let rows = outbox_rows(&app);
    smtp.wait_for(rows.len(), Duration::from_secs(20)).await;
    for to in [coach.as_str(), "sanne@example.nl", "karin@example.nl", advisor.as_str()] {
        assert!(
            smtp.received().iter().any(|m| m.to.iter().any(|t| t.contains(to))),
            "no mail reached {to}"
        );
    }
}
