//! The coordinator's provider register and the overrule of the organisation check, in
//! a real browser.

use woonservice::domain::Role;
use woonservice::domain::member::MemberKind;
use woonservice::domain::provider::ProviderKind;
use woonservice::store::providers;

use super::{Browser, sign_in};
use crate::helpers::{PASSWORD, spawn_app};
use crate::scenario::weekday_morning;

#[tokio::test]
async fn a_coordinator_registers_a_provider_retires_it_and_overrules_the_organisation_check() {
    let app = spawn_app().await;
    let s = app.scenario().await;
    let client = app.client_in(s.municipality, "Jan");
    app.sell(&s, client, 5).await;
    app.worker(&s, MemberKind::Jobseeker, &["administration"], 16);
    app.provider_in(s.municipality, ProviderKind::Organisation, &["administration"]);
    let request = app
        .request(&s, client, "administration", weekday_morning(3), 4, 2.0)
        .await;
    app.route(&s.advisor, request).await;
    let Some(mut browser) = Browser::open("register").await else {
        return;
    };
    let email = app.staff(Role::Coordinator, &["Waalre"]);
    sign_in(&mut browser, &app.address, &email, PASSWORD).await;

    browser.click("nav a[href='/aanbieders']").await;
    assert!(browser.text("main").await.contains("Test Aanbieder"));
    browser.check_page("aanbieders").await;

    // A phone number too short, then no category: each named at its field and on top,
    // the input kept.
    browser.click("a[href='/aanbieders/nieuw']").await;
    browser.fill("#veld-name", "Hovenier Groen & Zo").await;
    browser.fill("#veld-phone", "12").await;
    browser.click("main form button[type=submit]").await;
    assert!(
        browser
            .text("#veld-phone-fout")
            .await
            .starts_with("Vul een telefoonnummer in")
    );
    assert_eq!(
        browser.find("#veld-name").await.prop("value").await.unwrap().as_deref(),
        Some("Hovenier Groen & Zo"),
        "the input is kept"
    );
    browser.check_page("aanbieder-fout").await;
    browser.fill("#veld-phone", "06 55 44 33 22").await;
    browser.click("main form button[type=submit]").await;
    assert_eq!(
        browser.text("#veld-categories-fout").await,
        "Kies minstens één categorie."
    );
    assert!(browser.text("#fouten").await.contains("Categorieën"));

    browser.tick("#veld-categories-gardening").await;
    browser.click("main form button[type=submit]").await;
    let path = browser.path().await;
    assert!(path.ends_with("?bewaard=1"), "{path}");
    let id: i64 = path
        .trim_start_matches("/aanbieders/")
        .trim_end_matches("?bewaard=1")
        .parse()
        .unwrap();
    assert!(browser.text("main").await.contains("Bewaard."));
    browser.check_page("aanbieder").await;
    let stored = app.with_db(|c| Ok(providers::find(c, id)?.unwrap().fields));
    assert_eq!(stored.kind, ProviderKind::PrivateProvider);
    assert_eq!(stored.categories, ["gardening"]);
    assert_eq!(stored.municipality_ids, [s.municipality]);

    // Retired: kept in the register, never routed to again.
    browser.click(&format!("a[href='/aanbieders/{id}/bewerken']")).await;
    browser.check_page("aanbieder-bewerken").await;
    browser.tick("#veld-active").await;
    browser.click("main form button[type=submit]").await;
    assert!(browser.text(".ws-facts").await.contains("niet actief"));
    assert!(!app.with_db(|c| Ok(providers::find(c, id)?.unwrap().fields.active)));

    // Found by part of its name, in any case.
    browser.click("nav a[href='/aanbieders']").await;
    browser.fill("#veld-zoek", "GROEN").await;
    browser.click("form.ws-filter button[type=submit]").await;
    let found = browser.text(".ws-results").await;
    assert!(
        found.contains("Hovenier Groen") && !found.contains("Test Aanbieder"),
        "{found}"
    );

    // The request the organisation's offer kept from the learning-work company waits
    // in the coordinator's queue.
    browser.click("nav a[href='/']").await;
    assert!(browser.text("#kop-overlap").await.ends_with("(1)"));
    browser.check_page("wachtrij-coordinator").await;
    browser
        .click(&format!(
            "section[aria-labelledby='kop-overlap'] a[href='/hulpvragen/{request}']"
        ))
        .await;
    browser
        .fill(
            "#veld-overrulen-reason",
            "De stichting heeft een wachtlijst van drie maanden",
        )
        .await;
    browser.click("form[action$='/overrulen'] button[type=submit]").await;
    let main = browser.text("main").await;
    assert!(
        main.contains("wachtlijst van drie maanden") && main.contains("Routeer de hulpvraag opnieuw"),
        "{main}"
    );
    assert!(
        browser
            .client
            .find(fantoccini::Locator::Css("form[action$='/overrulen']"))
            .await
            .is_err(),
        "overruled once"
    );
    browser.check_page("hulpvraag-overruled").await;
    // Routed again, the learning-work company's jobseeker gets it.
    browser.click("form[action$='/routeren'] button[type=submit]").await;
    let result = browser.text("#resultaat").await;
    assert!(result.contains("Leerwerkbedrijf"), "{result}");
    browser.click("nav a[href='/']").await;
    assert!(browser.text("#kop-overlap").await.ends_with("(0)"));
    browser.close().await;
}
