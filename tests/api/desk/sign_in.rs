//! Signing in and out in a real browser, a wrong password, the language switch, and a
//! post without the form's CSRF token.

use woonservice::domain::Role;

use super::{Browser, sign_in};
use crate::helpers::{PASSWORD, spawn_app};

#[tokio::test]
async fn an_advisor_signs_in_switches_language_and_signs_out() {
    let app = spawn_app().await;
    let Some(mut browser) = Browser::open("sign-in").await else {
        return;
    };
    let email = app.staff(Role::Advisor, &["Waalre"]);

    // A page of the desk without a session leads to the sign-in form.
    browser.goto(&app.url("/")).await;
    assert_eq!(browser.path().await, "/inloggen");
    assert_eq!(browser.text("h1").await, "Inloggen");
    browser.check_page("inloggen").await;

    // A wrong password: the form says so, keeps the email, not the password.
    sign_in(&mut browser, &app.address, &email, "niet-het-wachtwoord").await;
    assert!(
        browser
            .text("#fouten")
            .await
            .contains("E-mailadres of wachtwoord klopt niet.")
    );
    let kept = browser.find("#veld-email").await.prop("value").await.unwrap();
    assert_eq!(kept.as_deref(), Some(email.as_str()));
    let password = browser.find("#veld-password").await.prop("value").await.unwrap();
    assert_eq!(password.as_deref(), Some(""));
    browser.check_page("inloggen-fout").await;

    sign_in(&mut browser, &app.address, &email, PASSWORD).await;
    assert_eq!(browser.path().await, "/");
    assert_eq!(browser.text("h1").await, "Wachtrij");
    assert!(browser.text("header").await.contains("Waalre"));
    browser.check_page("wachtrij").await;

    // English by the switch, and back; the page stays where it was.
    browser.click("button[name=taal][value=en]").await;
    assert_eq!(browser.text("h1").await, "Queue");
    assert_eq!(
        browser.find("html").await.attr("lang").await.unwrap().as_deref(),
        Some("en")
    );
    browser.check_page("queue-en").await;
    browser.click("button[name=taal][value=nl]").await;
    assert_eq!(browser.text("h1").await, "Wachtrij");

    // The skip link is the first stop of the keyboard and leads to the content.
    browser.find("body").await.send_keys("\u{E004}").await.unwrap();
    let focused = browser
        .client
        .execute("return document.activeElement.getAttribute('href')", vec![])
        .await
        .unwrap();
    assert_eq!(focused, serde_json::json!("#inhoud"));

    browser.click("form[action='/uitloggen'] button").await;
    assert_eq!(browser.path().await, "/inloggen?uitgelogd=1");
    assert!(browser.text("main").await.contains("U bent uitgelogd."));
    browser.goto(&app.url("/")).await;
    assert_eq!(browser.path().await, "/inloggen", "the session ended at log-out");
    browser.close().await;
}

#[tokio::test]
async fn a_post_without_the_forms_token_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    let Some(mut browser) = Browser::open("csrf").await else {
        return;
    };
    let email = app.staff(Role::Advisor, &["Waalre"]);
    sign_in(&mut browser, &app.address, &email, PASSWORD).await;
    assert_eq!(browser.path().await, "/");
    // The signed-in browser posts a client form from a script without the token.
    let status = browser
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             const body = new URLSearchParams({'name': 'Zonder Token', 'address.street': 'Dreef',
               'address.house_number': '1', 'address.postcode': '5581 AB', 'address.city': 'Waalre',
               'phone': '040 123 45 67'});
             fetch('/hulpvragen/nieuw/client', {method: 'POST', body, credentials: 'same-origin', redirect: 'manual'})
               .then(r => done(r.status));",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(status, serde_json::json!(403));
    let found = app.with_db(|c| woonservice::store::clients::search(c, None, "Zonder Token", 10));
    assert!(found.is_empty(), "the refused post created a client");
    browser.close().await;
}
