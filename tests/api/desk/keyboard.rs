//! The desk without a mouse: Tab to each control, type, Enter or Space; the focus
//! shows wherever it is.

use woonservice::domain::Role;
use woonservice::domain::request::RequestStatus;
use woonservice::store::requests;

use super::Browser;
use crate::helpers::{PASSWORD, spawn_app};
use crate::scenario::weekday_morning;

const ENTER: &str = "\u{E007}";

#[tokio::test]
async fn an_advisor_finds_a_client_and_cancels_a_request_by_keyboard_alone() {
    let app = spawn_app().await;
    let s = app.scenario().await;
    let client = app.client_in(s.municipality, "Jans Keurig");
    let request = app.request(&s, client, "gardening", weekday_morning(3), 4, 2.0).await;
    let Some(browser) = Browser::open("keyboard").await else {
        return;
    };
    let email = app.staff(Role::Advisor, &["Waalre"]);

    browser.goto(&format!("{}/inloggen", app.address)).await;
    browser.tab_to("#veld-email").await;
    browser.keys(&email).await;
    browser.tab_to("#veld-password").await;
    browser.keys(PASSWORD).await;
    browser.enter_to("/").await;
    assert!(browser.text("h1").await.contains("Wachtrij"));

    // The skip link comes first and leads past the menu.
    browser.tab_to(".utrecht-skip-link").await;
    browser.tab_to("nav a[href='/clienten']").await;
    browser.enter_to("/clienten").await;
    browser.tab_to("#veld-zoek").await;
    browser.keys("keurig").await;
    browser.enter_to("/clienten?zoek=").await;
    browser.tab_to(&format!("a[href='/clienten/{client}']")).await;
    browser.enter_to(&format!("/clienten/{client}")).await;
    browser.tab_to(&format!("a[href='/hulpvragen/{request}']")).await;
    browser.enter_to(&format!("/hulpvragen/{request}")).await;

    // Cancel with a reason: Tab to the field, type, Tab to the button, Space.
    browser.tab_to("#veld-annuleren-reason").await;
    browser.keys("Cliënt heeft het zelf geregeld").await;
    browser.tab_to("form[action$='/annuleren'] button").await;
    browser.keys(" ").await;
    for _ in 0..100 {
        if browser.path().await.contains("gedaan=annuleren") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    browser.settle().await;
    assert!(browser.text(".ws-facts").await.contains("Geannuleerd"));
    let status = app.with_db(|c| Ok(requests::find(c, request)?.unwrap().status));
    assert_eq!(status, RequestStatus::Cancelled);

    // The language switch and the log-out are buttons in reach of the keyboard too.
    browser.tab_to("button[name='taal'][value='en']").await;
    browser.keys(ENTER).await;
    browser.settle().await;
    browser.find("html[lang='en']").await;
    browser.tab_to("form[action='/uitloggen'] button").await;
    browser.enter_to("/inloggen").await;
    browser.close().await;
}
