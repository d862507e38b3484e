//! The hand-overs of a visit in a real browser, each person in their own session: a
//! coach proposes their jobseeker; the jobseeker, on a phone, accepts it, and accepts
//! another visit an advisor proposed, which waits for the coach, who confirms it; after
//! the first visit the jobseeker registers 2.5 hours; the client disputes them; an
//! advisor resolves for 2 hours; the client sees two vouchers redeemed.

use chrono_tz::Europe::Amsterdam;
use woonservice::domain::Role;
use woonservice::domain::assignment::{AssignmentStatus, SignOff};
use woonservice::domain::member::MemberKind;
use woonservice::store::assignments;

use super::{Browser, sign_in};
use crate::helpers::{PASSWORD, spawn_app};
use crate::scenario::weekday_morning;

fn local(at: chrono::DateTime<chrono::Utc>) -> String {
    at.with_timezone(&Amsterdam).format("%Y-%m-%dT%H:%M").to_string()
}

async fn sign_out(browser: &mut Browser) {
    browser.click("form[action='/uitloggen'] button").await;
    assert!(browser.path().await.starts_with("/inloggen"));
}

#[tokio::test]
async fn a_visit_goes_from_the_coachs_proposal_to_the_clients_redeemed_vouchers() {
    let app = spawn_app().await;
    let s = app.scenario().await;
    // The client has a week to answer for the hours (the scenario agrees at once).
    app.sign_off_days(&s, 7);
    let client = app.client_in(s.municipality, "Jans Heg");
    app.sell(&s, client, 5).await;
    let jobseeker = app.worker(&s, MemberKind::Jobseeker, &["gardening"], 16);
    let start = weekday_morning(3);
    let request = app.request(&s, client, "gardening", start, 4, 2.0).await;
    app.route(&s.advisor, request).await;
    // A second request, which an advisor proposes to the same jobseeker.
    let later = weekday_morning(10);
    let other = app.request(&s, client, "gardening", later, 4, 2.0).await;
    app.route(&s.advisor, other).await;
    let second = app.propose(&s, other, jobseeker, later, 2).await;
    let coach = s.coach_email.clone();
    let (_, member) = app.user(Role::Member, &[s.municipality], None, Some(jobseeker));
    let (_, resident) = app.user(Role::Client, &[s.municipality], Some(client), None);
    let advisor = app.staff(Role::Advisor, &["Waalre"]);
    let Some(mut browser) = Browser::open("journey").await else {
        return;
    };

    // The coach: the request waits for a proposal; they propose their jobseeker.
    sign_in(&mut browser, &app.address, &coach, PASSWORD).await;
    assert!(browser.text("#kop-voorstellen").await.ends_with("(1)"));
    browser.check_page("coach-wachtrij").await;
    browser.click(&format!("a[href='/hulpvragen/{request}']")).await;
    assert!(
        browser
            .client
            .find(fantoccini::Locator::Css("form[action$='/routeren']"))
            .await
            .is_err(),
        "a coach proposes; routing is the advice centre's"
    );
    browser.check_page("coach-hulpvraag").await;
    browser
        .select("#veld-voorstellen-member_id", &jobseeker.to_string())
        .await;
    browser.set_value("#veld-voorstellen-starts_at", &local(start)).await;
    let end = start + chrono::Duration::minutes(150);
    browser.set_value("#veld-voorstellen-ends_at", &local(end)).await;
    browser.click("form[action$='/voorstellen'] button[type=submit]").await;
    let visit = app.with_db(|c| Ok(assignments::latest_of_request(c, request)?.unwrap()));
    assert_eq!(visit.status, AssignmentStatus::Proposed);
    sign_out(&mut browser).await;

    // The jobseeker, on a phone: two visits ask for an answer; they accept both.
    browser.phone().await;
    sign_in(&mut browser, &app.address, &member, PASSWORD).await;
    assert_eq!(browser.text("h1").await, "Bezoeken");
    assert!(browser.text("#kop-vraag").await.ends_with("(2)"));
    browser.check_page("lid-bezoeken").await;
    browser.click(&format!("a[href='/bezoeken/{}']", visit.id)).await;
    let facts = browser.text(".ws-facts").await;
    assert!(facts.contains("Jans Heg") && facts.contains("Dreef"), "{facts}");
    assert!(
        browser
            .find("a[href^='tel:']")
            .await
            .attr("href")
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        browser
            .find("a[href^='geo:']")
            .await
            .attr("href")
            .await
            .unwrap()
            .is_some()
    );
    browser.check_page("lid-bezoek").await;
    browser.click("form[action$='/accepteren'] button").await;
    assert!(
        browser.text(".ws-facts").await.contains("Afgesproken"),
        "the coach proposed it"
    );
    browser.click("nav a[href='/']").await;
    browser
        .click(&format!("#kop-vraag + ul a[href='/bezoeken/{second}']"))
        .await;
    browser.click("form[action$='/accepteren'] button").await;
    assert!(browser.text(".ws-facts").await.contains("wacht op de coach"));
    browser.click("nav a[href='/']").await;
    assert!(browser.text("#kop-coach").await.ends_with("(1)"));
    sign_out(&mut browser).await;

    // The coach confirms the jobseeker's own accept of the advisor's proposal.
    browser.client.set_window_size(1280, 900).await.unwrap();
    sign_in(&mut browser, &app.address, &coach, PASSWORD).await;
    assert!(browser.text("#kop-bevestigen").await.ends_with("(1)"));
    browser.click(&format!("a[href='/bezoeken/{second}']")).await;
    browser.check_page("coach-bevestigen").await;
    browser.click("form[action$='/bevestigen'] button").await;
    assert!(browser.text("main").await.contains("Bevestigd."));
    let confirmed = app.with_db(|c| Ok(assignments::find(c, second)?.unwrap().status));
    assert_eq!(confirmed, AssignmentStatus::Accepted);
    sign_out(&mut browser).await;
    browser.phone().await;

    // After the visit: the jobseeker registers 2.5 hours.
    let after = end + chrono::Duration::hours(1) - app.now();
    app.advance(after);
    sign_in(&mut browser, &app.address, &member, PASSWORD).await;
    assert!(browser.text("#kop-uren").await.ends_with("(1)"));
    browser
        .click(&format!("#kop-uren + ul a[href='/bezoeken/{}']", visit.id))
        .await;
    browser.fill("#veld-hours_worked", "2,6").await;
    browser.click("form[action$='/afronden'] button").await;
    assert_eq!(
        browser.text("#veld-hours_worked-fout").await,
        "Gebruik hele kwartieren (zoals 1,5 of 2,25 uur)."
    );
    browser.check_page("lid-uren-fout").await;
    browser.fill("#veld-hours_worked", "2,5").await;
    browser.click("form[action$='/afronden'] button").await;
    assert!(browser.text(".ws-facts").await.contains("2,5"));
    browser.check_page("lid-uren").await;
    sign_out(&mut browser).await;

    // The client, on a phone: the hours wait for their word; they do not agree.
    sign_in(&mut browser, &app.address, &resident, PASSWORD).await;
    assert_eq!(browser.text("h1").await, "Mijn hulpvragen");
    browser.check_page("client-hulpvragen").await;
    browser
        .click(&format!(".utrecht-alert a[href='/bezoeken/{}']", visit.id))
        .await;
    browser.check_page("client-uren").await;
    browser.click("form[action$='/niet-akkoord'] button").await;
    assert_eq!(browser.text("#veld-reason-fout").await, "Vul dit veld in.");
    browser.fill("#veld-reason", "Hij was maar twee uur hier").await;
    browser.click("form[action$='/niet-akkoord'] button").await;
    assert!(browser.text("main").await.contains("Een adviseur belt u"));
    let disputed = app.with_db(|c| Ok(assignments::find(c, visit.id)?.unwrap()));
    assert_eq!(disputed.sign_off, Some(SignOff::Disputed));
    sign_out(&mut browser).await;

    // An advisor resolves: two hours count.
    browser.client.set_window_size(1280, 900).await.unwrap();
    sign_in(&mut browser, &app.address, &advisor, PASSWORD).await;
    assert!(browser.text("#kop-bezwaren").await.contains("(1)"));
    browser
        .click(&format!("#wachtrij a[href='/hulpvragen/{request}']"))
        .await;
    browser.click(&format!("a[href='/bezoeken/{}']", visit.id)).await;
    assert!(browser.text(".ws-facts").await.contains("maar twee uur"));
    browser.fill("#veld-hours_worked", "2").await;
    browser.fill("#veld-note", "Met cliënt en lid gebeld: twee uur").await;
    browser.check_page("adviseur-bezwaar").await;
    browser.click("form[action$='/oplossen'] button").await;
    assert!(browser.text("main").await.contains("Het bezwaar is afgehandeld."));
    sign_out(&mut browser).await;

    // The client sees two vouchers redeemed.
    browser.phone().await;
    sign_in(&mut browser, &app.address, &resident, PASSWORD).await;
    browser.click("nav a[href='/mijn-cheques']").await;
    let history = browser.text("#kop-geschiedenis + ol").await;
    assert_eq!(history.matches("ingewisseld").count(), 2, "{history}");
    browser.check_page("client-cheques").await;
    browser.close().await;
}

#[tokio::test]
async fn a_client_asks_for_help_on_a_phone_in_one_short_form() {
    let app = spawn_app().await;
    let s = app.scenario().await;
    let client = app.client_in(s.municipality, "Riet Vraagt");
    let (_, resident) = app.user(Role::Client, &[s.municipality], Some(client), None);
    let Some(mut browser) = Browser::open("ask").await else {
        return;
    };
    browser.phone().await;
    sign_in(&mut browser, &app.address, &resident, PASSWORD).await;
    assert!(browser.text("main").await.contains("U hebt nog geen hulp gevraagd."));
    browser.click("main a[href='/hulp-vragen']").await;
    browser.check_page("client-hulp-vragen").await;

    // Nothing chosen, nothing said: both named, at their place and on top.
    browser.click("form[action='/hulp-vragen'] button[type=submit]").await;
    assert_eq!(browser.text("#veld-category-fout").await, "Kies er een uit de lijst.");
    assert_eq!(browser.text("#veld-description-fout").await, "Vul dit veld in.");
    browser.check_page("client-hulp-vragen-fout").await;

    browser.tick("#veld-category-gardening").await;
    browser.fill("#veld-description", "De heg is te hoog geworden.").await;
    browser.tick("#veld-part-ochtend").await;
    browser.tick("#veld-estimated_hours-3").await;
    browser.click("form[action='/hulp-vragen'] button[type=submit]").await;
    assert!(browser.text("main").await.contains("Uw hulpvraag is ontvangen."));
    assert!(browser.text(".ws-cards").await.contains("We zoeken iemand voor u."));
    browser.check_page("client-gevraagd").await;

    let asked = super::requests_of(&app, client);
    assert_eq!(asked.len(), 1);
    let window = asked[0].window;
    let from = window.start().with_timezone(&Amsterdam);
    let day = (app.now() + chrono::Duration::days(1))
        .with_timezone(&Amsterdam)
        .date_naive();
    assert_eq!(
        (from.date_naive(), from.format("%H:%M").to_string()),
        (day, "09:00".to_owned())
    );
    assert_eq!(
        window.end().with_timezone(&Amsterdam).format("%H:%M").to_string(),
        "12:00"
    );
    assert_eq!(asked[0].estimated_hours.to_string(), "2");
    browser.close().await;
}
