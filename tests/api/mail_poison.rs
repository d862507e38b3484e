//! One bad mail never stops the others: a name stored over two lines is sent on one,
//! a mail that cannot be built is dead with the reason, and an admin can cancel a
//! queued or dead mail.

use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};
use woonservice::domain::Role;
use woonservice::domain::client::Language;
use woonservice::domain::mail::{MailStatus, MailTemplate, NewMail, OutboxMail};
use woonservice::store::outbox;

use crate::helpers::{Options, TestApp, TestDb, assert_problem, eventually, spawn_app, spawn_with};
use crate::smtp::SmtpServer;

pub fn queue(app: &TestApp, recipient: &str, name: &str) -> i64 {
    app.with_db(|c| {
        let mail = NewMail {
            recipient: recipient.into(),
            recipient_name: Some(name.into()),
            language: Language::Nl,
            template: MailTemplate::VouchersLow,
            data: json!({"name": name, "available": 1}),
            once_key: None,
            request_id: None,
        };
        outbox::enqueue(c, &mail, app.now())?;
        Ok(outbox::list(
            c,
            None,
            &woonservice::domain::page::PageRequest {
                limit: 200,
                position: None,
            },
        )?
        .items
        .last()
        .expect("just queued")
        .id)
    })
}

fn mail(app: &TestApp, id: i64) -> OutboxMail {
    app.with_db(|c| outbox::find(c, id)).expect("the mail exists")
}

/// Waits until every mail has left the queue, or fails after `within`.
async fn until_none_queued(app: &TestApp, ids: &[i64], within: Duration) {
    eventually(within, "every mail leaves the queue", async || {
        ids.iter().all(|id| mail(app, *id).status != MailStatus::Queued)
    })
    .await;
}

#[tokio::test]
async fn a_name_stored_over_two_lines_is_sent_on_one_and_the_mails_after_it_go_out() {
    let smtp = SmtpServer::start(&[]);
    let app = spawn_with(
        Arc::new(TestDb::new()),
        Options {
            smtp_port: Some(smtp.port),
            ..Options::default()
        },
    )
    .await;
    let poisoned = queue(&app, "jan@example.nl", "Jan Jansen\nvan der Berg");
    let unbuildable = queue(&app, "geen adres", "Piet");
    let others: Vec<i64> = (0..5)
        .map(|i| queue(&app, &format!("client{i}@example.nl"), &format!("Cliënt {i}")))
        .collect();
    let all: Vec<i64> = [poisoned, unbuildable].into_iter().chain(others.clone()).collect();
    until_none_queued(&app, &all, Duration::from_secs(20)).await;

    assert_eq!(mail(&app, poisoned).status, MailStatus::Sent);
    let to_jan = smtp
        .received()
        .into_iter()
        .find(|m| m.to.iter().any(|t| t.contains("jan@example.nl")))
        .expect("the mail to Jan arrived");
    let to_header = to_jan.raw.lines().find(|l| l.starts_with("To:")).unwrap().to_owned();
    assert!(to_header.contains("Jan Jansen van der Berg"), "{to_header}");

    let dead = mail(&app, unbuildable);
    assert_eq!(dead.status, MailStatus::Dead);
    assert!(
        dead.last_error.as_deref().unwrap().contains("recipient"),
        "{:?}",
        dead.last_error
    );
    for id in others {
        assert_eq!(mail(&app, id).status, MailStatus::Sent);
    }
    assert_eq!(smtp.received().len(), 6, "every buildable mail once");
}

#[tokio::test]
async fn an_admin_cancels_a_queued_or_dead_mail_and_it_is_never_sent() {
    // No mail worker: the mails wait in the queue.
    let app = spawn_app().await;
    let admin = app.token_for(Role::Admin, &[]).await;
    let queued = queue(&app, "a@example.nl", "A");
    let dead = queue(&app, "b@example.nl", "B");
    app.with_db(|c| {
        let held = outbox::claim_due(c, app.now(), chrono::Duration::seconds(60), 10)?;
        let lease = outbox::lease_end(app.now(), chrono::Duration::seconds(60));
        assert_eq!(held.len(), 2);
        outbox::mark_failed(c, dead, lease, "rejected: 550", app.now(), true)?;
        outbox::mark_failed(c, queued, lease, "no answer", app.now(), false)
    });

    let answer = app
        .post(&format!("/api/v1/admin/outbox/{queued}/cancel"), &admin, &json!({}))
        .await;
    assert_eq!(answer.status(), 200);
    let body: Value = answer.json().await.unwrap();
    assert_eq!(body["status"], "cancelled");
    let answer = app
        .post(&format!("/api/v1/admin/outbox/{dead}/cancel"), &admin, &json!({}))
        .await;
    assert_eq!(answer.status(), 200);

    let claimable = app.with_db(|c| {
        outbox::claim_due(
            c,
            app.now() + chrono::Duration::hours(1),
            chrono::Duration::seconds(1),
            10,
        )
    });
    assert!(claimable.is_empty(), "a cancelled mail is never handed to a worker");
    assert_problem(
        app.post(&format!("/api/v1/admin/outbox/{queued}/cancel"), &admin, &json!({}))
            .await,
        409,
        "invalid_transition",
    )
    .await;
    assert_problem(
        app.post(&format!("/api/v1/admin/outbox/{queued}/retry"), &admin, &json!({}))
            .await,
        409,
        "invalid_transition",
    )
    .await;
    let listed: Value = app
        .get("/api/v1/admin/outbox?status=cancelled", &admin)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(listed["items"].as_array().unwrap().len(), 2);

    let coordinator = app.token_for(Role::Coordinator, &["Waalre"]).await;
    let other = queue(&app, "c@example.nl", "C");
    assert_problem(
        app.post(
            &format!("/api/v1/admin/outbox/{other}/cancel"),
            &coordinator,
            &json!({}),
        )
        .await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        app.post("/api/v1/admin/outbox/999999/cancel", &admin, &json!({})).await,
        404,
        "not_found",
    )
    .await;
    assert_eq!(mail(&app, other).status, MailStatus::Queued);
}

#[tokio::test]
async fn a_mail_a_worker_is_sending_cannot_be_cancelled() {
    let app = spawn_app().await;
    let admin = app.token_for(Role::Admin, &[]).await;
    let id = queue(&app, "a@example.nl", "A");
    app.with_db(|c| outbox::claim_due(c, app.now(), chrono::Duration::seconds(120), 10));
    let body = assert_problem(
        app.post(&format!("/api/v1/admin/outbox/{id}/cancel"), &admin, &json!({}))
            .await,
        409,
        "invalid_transition",
    )
    .await;
    assert!(body["detail"].as_str().unwrap().contains("being sent"), "{body}");
    assert_eq!(mail(&app, id).status, MailStatus::Queued);
}
