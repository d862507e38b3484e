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

#[tokio::test]
async fn a_member_accepts_and_a_client_agrees_by_keyboard_alone_on_a_phone() {
    use woonservice::domain::assignment::{AssignmentStatus, SignOff};
    use woonservice::domain::member::MemberKind;
    use woonservice::store::assignments;

    let app = spawn_app().await;
    let s = app.scenario().await;
    // A week for the client's word (the scenario agrees at once).
    app.sign_off_days(&s, 7);
    let client = app.client_in(s.municipality, "Toos Toets");
    app.sell(&s, client, 5).await;
    let jobseeker = app.worker(&s, MemberKind::Jobseeker, &["gardening"], 16);
    let start = weekday_morning(3);
    let request = app.request(&s, client, "gardening", start, 4, 2.0).await;
    app.route(&s.advisor, request).await;
    let visit = app.propose(&s, request, jobseeker, start, 2).await;
    let (_, member) = app.user(Role::Member, &[s.municipality], None, Some(jobseeker));
    let (_, resident) = app.user(Role::Client, &[s.municipality], Some(client), None);
    let Some(browser) = Browser::open("keyboard-phone").await else {
        return;
    };
    browser.phone().await;
    let sign_in_by_keys = async |email: &str| {
        browser.goto(&format!("{}/inloggen", app.address)).await;
        browser.tab_to("#veld-email").await;
        browser.keys(email).await;
        browser.tab_to("#veld-password").await;
        browser.keys(PASSWORD).await;
        browser.enter_to("/").await;
    };

    // The member: Tab to the visit, Enter; Tab to Accepteren, Enter.
    sign_in_by_keys(&member).await;
    browser.tab_to(&format!("a[href='/bezoeken/{visit}']")).await;
    browser.enter_to(&format!("/bezoeken/{visit}")).await;
    browser.tab_to("form[action$='/accepteren'] button").await;
    browser.enter_to(&format!("/bezoeken/{visit}?gedaan=accepteren")).await;
    // The coach's jobseeker accepted an advisor's proposal: it waits for the coach.
    let status = app.with_db(|c| Ok(assignments::find(c, visit)?.unwrap().status));
    assert_eq!(status, AssignmentStatus::AwaitingConfirmation);
    let (confirmed, _) = app.act(&s.coach, visit, "confirm", serde_json::json!({})).await;
    assert_eq!(confirmed, 200);
    let (code, _) = app
        .act(&s.coach, visit, "complete", serde_json::json!({"hours_worked": 2.0}))
        .await;
    assert_eq!(code, 200);
    browser.tab_to("form[action='/uitloggen'] button").await;
    browser.enter_to("/inloggen").await;

    // The client: Tab to the hours, Enter; a rating by arrow keys; Akkoord.
    sign_in_by_keys(&resident).await;
    browser
        .tab_to(&format!(".utrecht-alert a[href='/bezoeken/{visit}']"))
        .await;
    browser.enter_to(&format!("/bezoeken/{visit}")).await;
    browser.tab_to("input[name='rating']").await;
    browser.keys(" ").await;
    browser.tab_to("#veld-comment").await;
    browser.keys("Heel netjes gedaan").await;
    browser.tab_to("form[action$='/akkoord'] button").await;
    browser.enter_to(&format!("/bezoeken/{visit}?gedaan=akkoord")).await;
    let done = app.with_db(|c| Ok(assignments::find(c, visit)?.unwrap()));
    assert_eq!(done.sign_off, Some(SignOff::Agreed));
    assert_eq!(done.rating, Some(5));
    assert_eq!(done.sign_off_comment.as_deref(), Some("Heel netjes gedaan"));
    browser.close().await;
}
