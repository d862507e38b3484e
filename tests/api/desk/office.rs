//! The coordinator's counter and the admin's outbox in a real browser: a voucher sale
//! with its receipt, the monthly report, a dead mail sent again.

use woonservice::domain::Role;
use woonservice::domain::mail::MailStatus;
use woonservice::store::outbox;

use super::{Browser, sign_in};
use crate::helpers::{PASSWORD, spawn_app};

#[tokio::test]
async fn a_coordinator_sells_vouchers_prints_the_receipt_and_opens_the_report() {
    let app = spawn_app().await;
    let world = app.world().await;
    let client = world.waalre.client;
    let name = app.with_db(|c| Ok(woonservice::store::clients::find(c, client)?.unwrap().fields.name));
    let Some(mut browser) = Browser::open("vouchers").await else {
        return;
    };
    let email = app.staff(Role::Coordinator, &["Waalre"]);
    sign_in(&mut browser, &app.address, &email, PASSWORD).await;
    browser.click("nav a[href='/cheques']").await;
    browser
        .find("#veld-zoek")
        .await
        .send_keys(&format!("{name}\u{E007}"))
        .await
        .unwrap();
    browser.settle().await;
    browser.check_page("cheques-zoeken").await;
    browser.click(&format!("a[href='/cheques/{client}']")).await;
    assert!(browser.text("h1").await.contains(&name));
    browser.check_page("cheques-client").await;

    // Not a number: the error stands beside the field, the sale did not happen.
    browser.fill("#veld-count", "drie").await;
    browser.click("form[action$='/verkopen'] button[type=submit]").await;
    assert_eq!(browser.text("#veld-count-fout").await, "Vul een heel getal in.");
    browser.check_page("cheques-fout").await;

    browser.fill("#veld-count", "3").await;
    browser.click("form[action$='/verkopen'] button[type=submit]").await;
    assert!(browser.text("h1").await.starts_with("Bon"));
    let serials = browser
        .client
        .find_all(fantoccini::Locator::Css(".ws-serials li"))
        .await
        .unwrap();
    assert_eq!(serials.len(), 3);
    assert!(browser.text(".ws-facts").await.contains("€"));
    browser.check_page("bon").await;

    // Back at the client: three available.
    browser.click("main a[href^='/cheques/']").await;
    assert!(
        browser
            .text("#kop-saldo + .ws-table-scroll")
            .await
            .contains("beschikbaar 3")
    );

    // The report of last month, by session: the form, then the printable page.
    browser.click("nav a[href='/rapportage']").await;
    browser.check_page("rapportage-kiezen").await;
    browser
        .click("form[action='/rapportage/maand'] button[type=submit]")
        .await;
    assert!(browser.path().await.starts_with("/rapportage/maand?gemeente="));
    assert!(browser.text("body").await.contains("Waalre"));
    browser.check_page("rapportage").await;
    browser.close().await;
}

#[tokio::test]
async fn an_admin_sends_a_dead_mail_again() {
    let app = spawn_app().await;
    let dead = crate::mail_poison::queue(&app, "b@example.nl", "Bep");
    app.with_db(|c| {
        outbox::claim_due(c, app.now(), chrono::Duration::seconds(60), 10)?;
        let lease = outbox::lease_end(app.now(), chrono::Duration::seconds(60));
        outbox::mark_failed(c, dead, lease, "rejected: 550 no such user", app.now(), true)
    });
    let Some(mut browser) = Browser::open("outbox").await else {
        return;
    };
    let email = app.staff(Role::Admin, &[]);
    sign_in(&mut browser, &app.address, &email, PASSWORD).await;
    // The admin's first page says a mail did not go out, and leads to it.
    assert!(browser.text("main").await.contains("Mail die niet bezorgd is: 1"));
    browser.check_page("wachtrij-beheerder").await;
    browser.click("main a[href='/uitgaande-mail?status=dead']").await;
    assert_eq!(
        browser
            .find("#veld-status")
            .await
            .prop("value")
            .await
            .unwrap()
            .as_deref(),
        Some("dead")
    );
    let row = browser.text(&format!("#mail-{dead}")).await;
    assert!(row.contains("niet bezorgd") && row.contains("550"), "{row}");
    browser.check_page("uitgaande-mail").await;
    browser
        .click(&format!("form[action='/uitgaande-mail/{dead}/opnieuw'] button"))
        .await;
    assert!(browser.text("main").await.contains("Bewaard."));
    let status = app.with_db(|c| Ok(outbox::find(c, dead)?.unwrap().status));
    assert_eq!(status, MailStatus::Queued);
    browser.check_page("uitgaande-mail-opnieuw").await;
    browser.close().await;
}
