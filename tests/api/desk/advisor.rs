//! The advisor's day in a real browser: phone intake of a new client through to a
//! routed request, and a referral answered on the request's page.

use chrono::{Duration, Timelike};
use chrono_tz::Europe::Amsterdam;
use woonservice::domain::Role;
use woonservice::domain::request::RequestStatus;
use woonservice::store::{referrals, requests};

use super::{Browser, sign_in};
use crate::helpers::{PASSWORD, spawn_app};

/// A `datetime-local` value `days` ahead at `hour`, Amsterdam time.
fn local_input(app: &crate::helpers::TestApp, days: i64, hour: u32) -> String {
    let day = (app.now() + Duration::days(days)).with_timezone(&Amsterdam);
    let at = day.with_hour(hour).unwrap().with_minute(0).unwrap();
    at.format("%Y-%m-%dT%H:%M").to_string()
}

#[tokio::test]
async fn phone_intake_of_a_new_client_ends_in_one_routed_request() {
    let app = spawn_app().await;
    let _world = app.world().await;
    let Some(mut browser) = Browser::open("intake").await else {
        return;
    };
    let email = app.staff(Role::Advisor, &["Waalre"]);
    sign_in(&mut browser, &app.address, &email, PASSWORD).await;
    browser.click("nav a[href='/hulpvragen/nieuw']").await;
    assert_eq!(browser.text("h1").await, "Nieuwe hulpvraag");

    // The search field has the focus: the advisor types the name and presses Enter.
    let focused = browser
        .client
        .execute("return document.activeElement.id", vec![])
        .await
        .unwrap();
    assert_eq!(focused, serde_json::json!("veld-zoek"));
    browser
        .find("#veld-zoek")
        .await
        .send_keys("Bep Nieuwkomer\u{E007}")
        .await
        .unwrap();
    browser.settle().await;
    assert!(browser.text("main").await.contains("Geen cliënt gevonden."));
    browser.check_page("intake-zoeken").await;

    // A new client with her daughter as representative; the postcode is mistyped.
    browser.fill("#veld-name", "Bep Nieuwkomer").await;
    browser.fill("#veld-address-street", "Dreef").await;
    browser.fill("#veld-address-house_number", "3").await;
    browser.fill("#veld-address-postcode", "55").await;
    browser.fill("#veld-address-city", "Waalre").await;
    browser.fill("#veld-phone", "040 222 33 44").await;
    browser.fill("#veld-representative-name", "Karin Nieuwkomer").await;
    browser.fill("#veld-representative-relation", "dochter").await;
    browser.fill("#veld-representative-phone", "06 1234 5678").await;
    browser
        .click("form[action='/hulpvragen/nieuw/client'] button[type=submit]")
        .await;
    assert_eq!(
        browser.text("#veld-address-postcode-fout").await,
        "Vul een postcode in zoals 5582 AB."
    );
    assert!(
        browser
            .text("#fouten")
            .await
            .contains("Vul een postcode in zoals 5582 AB.")
    );
    let kept = browser.find("#veld-name").await.prop("value").await.unwrap();
    assert_eq!(kept.as_deref(), Some("Bep Nieuwkomer"), "the input is kept");
    browser.check_page("intake-client-fout").await;

    browser.fill("#veld-address-postcode", "5581 AB").await;
    browser
        .click("form[action='/hulpvragen/nieuw/client'] button[type=submit]")
        .await;
    assert!(browser.path().await.starts_with("/hulpvragen/nieuw?client="));
    assert!(browser.text(".ws-card").await.contains("Karin Nieuwkomer (dochter)"));

    // The task; the button pressed twice makes one request.
    browser.select("#veld-category", "gardening").await;
    browser
        .fill("#veld-description", "De heg langs de voortuin knippen.")
        .await;
    browser.set_value("#veld-window_start", &local_input(&app, 3, 9)).await;
    browser.set_value("#veld-window_end", &local_input(&app, 3, 13)).await;
    browser.fill("#veld-estimated_hours", "2,5").await;
    browser.check_page("intake-taak").await;
    browser
        .client
        .execute(
            "const b = document.querySelector(\"form[action='/hulpvragen'] button[type=submit]\"); b.click(); b.click();",
            vec![],
        )
        .await
        .unwrap();
    browser.find("#resultaat .utrecht-alert").await;
    assert!(browser.path().await.ends_with("?gerouteerd=1"));
    assert!(browser.text("#resultaat").await.contains("Resultaat van het routeren"));
    browser.check_page("hulpvraag-gerouteerd").await;

    let found = app.with_db(|c| woonservice::store::clients::search(c, None, "Bep Nieuwkomer", 10));
    assert_eq!(found.len(), 1);
    let asked = super::requests_of(&app, found[0].id);
    assert_eq!(asked.len(), 1, "one request, however often the button was pressed");
    assert_ne!(asked[0].status, RequestStatus::New, "the request was routed at once");
    browser.close().await;
}

#[tokio::test]
async fn an_advisor_records_the_providers_answer_to_a_referral() {
    let app = spawn_app().await;
    let world = app.world().await;
    let town = &world.waalre;
    let referral = app.open_referral(town.client, town.municipality, town.provider, world.admin_id);
    let request = app.with_db(|c| Ok(referrals::find(c, referral)?.unwrap().request_id));
    let Some(mut browser) = Browser::open("referral").await else {
        return;
    };
    let email = app.staff(Role::Advisor, &["Waalre"]);
    sign_in(&mut browser, &app.address, &email, PASSWORD).await;

    // The queue lists the referral; its page tells whom it waits for.
    assert!(browser.text("#kop-verwijzingen").await.contains("(1)"));
    browser
        .click(&format!("#wachtrij a[href='/hulpvragen/{request}']"))
        .await;
    assert!(browser.text(".ws-facts").await.contains("wacht op antwoord"));
    browser.check_page("hulpvraag-verwijzing").await;

    // A decline needs its reason: the error stands beside the field.
    browser.click("form[action$='/verwijzing-geweigerd'] button").await;
    assert_eq!(
        browser.text("#veld-verwijzing-geweigerd-reason-fout").await,
        "Vul dit veld in."
    );
    browser.check_page("verwijzing-fout").await;

    // The provider said yes on the phone, and later did the work.
    browser.click("form[action$='/verwijzing-geaccepteerd'] button").await;
    assert!(browser.text(".ws-facts").await.contains("geaccepteerd"));
    browser.fill("#veld-verwijzing-afgerond-note", "Heg is geknipt.").await;
    browser.click("form[action$='/verwijzing-afgerond'] button").await;
    assert!(browser.text(".ws-facts").await.contains("Afgerond"));
    browser.check_page("hulpvraag-afgerond").await;
    let status = app.with_db(|c| Ok(requests::find(c, request)?.unwrap().status));
    assert_eq!(status, RequestStatus::Completed);
    browser.close().await;
}
