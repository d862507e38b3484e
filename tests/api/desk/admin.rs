//! The admin's accounts, municipalities and categories in a real browser.

use woonservice::domain::{Email, Role};
use woonservice::store::{municipalities, users};

use super::{Browser, sign_in};
use crate::helpers::{PASSWORD, spawn_app};

fn id_of(app: &crate::helpers::TestApp, email: &str) -> i64 {
    let email = Email::parse(email).unwrap();
    app.with_db(|c| Ok(users::id_by_email(c, &email)?.expect("the account exists")))
}

#[tokio::test]
async fn an_admin_makes_an_account_deactivates_it_and_gives_another_a_new_password() {
    let app = spawn_app().await;
    let waalre = app.municipality("Waalre");
    let colleague = app.staff(Role::Advisor, &["Waalre"]);
    let Some(mut browser) = Browser::open("accounts").await else {
        return;
    };
    let admin = app.staff(Role::Admin, &[]);
    sign_in(&mut browser, &app.address, &admin, PASSWORD).await;
    browser.click("nav a[href='/gebruikers']").await;
    assert!(browser.text("main").await.contains(&colleague));
    browser.check_page("gebruikers").await;

    // Too short a password and no municipality for an advisor: both named.
    browser.click("a[href='/gebruikers/nieuw']").await;
    browser.fill("#veld-email", "nieuwe.adviseur@waalre.nl").await;
    browser.fill("#veld-password", "kort").await;
    browser.click("main form button[type=submit]").await;
    assert_eq!(browser.text("#veld-password-fout").await, "Gebruik minstens 8 tekens.");
    browser.check_page("gebruiker-fout").await;
    browser.fill("#veld-password", "een-goed-wachtwoord").await;
    browser.click("main form button[type=submit]").await;
    assert_eq!(
        browser.text("#veld-municipality_ids-fout").await,
        "Kies minstens één gemeente."
    );
    assert_eq!(
        browser
            .find("#veld-email")
            .await
            .prop("value")
            .await
            .unwrap()
            .as_deref(),
        Some("nieuwe.adviseur@waalre.nl")
    );
    browser.fill("#veld-password", "een-goed-wachtwoord").await;
    browser.tick(&format!("#veld-municipality_ids-{waalre}")).await;
    browser.click("main form button[type=submit]").await;
    assert!(browser.text("main").await.contains("Het account is gemaakt."));
    browser.check_page("gebruiker").await;
    let made = id_of(&app, "nieuwe.adviseur@waalre.nl");
    let made = app.with_db(|c| Ok(users::find(c, made)?.unwrap()));
    assert_eq!(
        (made.role, made.municipality_ids.clone(), made.active),
        (Role::Advisor, vec![waalre], true)
    );

    browser
        .click(&format!("form[action='/gebruikers/{}/deactiveren'] button", made.id))
        .await;
    assert!(browser.text("main").await.contains("Het account is gedeactiveerd."));
    assert!(!app.with_db(|c| Ok(users::find(c, made.id)?.unwrap().active)));

    // A colleague forgot their password: the old one stops working, the new one works.
    let colleague_id = id_of(&app, &colleague);
    browser
        .goto(&format!("{}/gebruikers/{colleague_id}", app.address))
        .await;
    browser.fill("#veld-password", "het-nieuwe-wachtwoord").await;
    browser
        .click(&format!("form[action='/gebruikers/{colleague_id}/wachtwoord'] button"))
        .await;
    assert!(browser.text("main").await.contains("Het nieuwe wachtwoord is bewaard."));
    assert_eq!(app.login(&colleague, PASSWORD).await.status(), 401);
    assert_eq!(app.login(&colleague, "het-nieuwe-wachtwoord").await.status(), 200);
    browser.close().await;
}

#[tokio::test]
async fn an_admin_sets_a_municipalitys_price_and_times_and_adds_a_category() {
    let app = spawn_app().await;
    let waalre = app.municipality("Waalre");
    let Some(mut browser) = Browser::open("municipalities").await else {
        return;
    };
    let admin = app.staff(Role::Admin, &[]);
    sign_in(&mut browser, &app.address, &admin, PASSWORD).await;
    browser.click("nav a[href='/gemeenten']").await;
    browser.check_page("gemeenten").await;
    browser.click(&format!("a[href='/gemeenten/{waalre}']")).await;
    browser.fill("#veld-voucher_price", "6,50").await;
    browser.fill("#veld-sign_off_days", "een week").await;
    browser.fill("#veld-referral_response_hours", "999").await;
    browser.click("main form button[type=submit]").await;
    assert_eq!(browser.text("#veld-sign_off_days-fout").await, "Vul een heel getal in.");
    browser.check_page("gemeente-fout").await;
    browser.fill("#veld-sign_off_days", "10").await;
    browser.click("main form button[type=submit]").await;
    assert_eq!(
        browser.text("#veld-referral_response_hours-fout").await,
        "Kies tussen 0 en 720 uur."
    );
    browser.fill("#veld-referral_response_hours", "72").await;
    browser.fill("#veld-yearly_voucher_cap", "").await;
    browser.click("main form button[type=submit]").await;
    assert!(browser.text("main").await.contains("Bewaard."));
    browser.check_page("gemeente").await;
    let f = app.with_db(|c| Ok(municipalities::find(c, waalre)?.unwrap().fields));
    assert_eq!(f.voucher_price.to_string(), "6.50");
    assert_eq!(
        (f.sign_off_days, f.referral_response_hours, f.yearly_voucher_cap),
        (10, 72, None)
    );

    browser.click("nav a[href='/gemeenten']").await;
    browser.click("a[href='/gemeenten/nieuw']").await;
    browser.fill("#veld-name", "Veldhoven").await;
    browser.tick("#veld-woonservice_categories-gardening").await;
    browser.click("main form button[type=submit]").await;
    assert!(browser.text("main").await.contains("Bewaard."));
    browser.click("nav a[href='/gemeenten']").await;
    assert!(browser.text(".ws-results").await.contains("Veldhoven"));

    browser.click("nav a[href='/categorieen']").await;
    browser.check_page("categorieen").await;
    // A code that is taken is named at its field.
    browser.fill("#veld-code", "gardening").await;
    browser.fill("#veld-name_nl", "Tuin").await;
    browser.fill("#veld-name_en", "Garden").await;
    browser.click("main form button[type=submit]").await;
    assert_eq!(browser.text("#veld-code-fout").await, "Dit is al in gebruik.");
    browser.check_page("categorie-fout").await;
    browser.fill("#veld-code", "huisdieren").await;
    browser.fill("#veld-name_nl", "Huisdieren verzorgen").await;
    browser.fill("#veld-name_en", "Pet care").await;
    browser.click("main form button[type=submit]").await;
    assert!(
        browser
            .text("#categorie-huisdieren")
            .await
            .contains("Huisdieren verzorgen")
    );
    browser.close().await;
}
