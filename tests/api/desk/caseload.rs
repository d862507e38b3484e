//! The coach's caseload and a jobseeker's progress in a real browser: this week's
//! hours against the cap, the next visits, who left and where to; hours and visits per
//! month, a no-show, the client's rating and comment; learning goals changed by
//! keyboard alone and availability (a wrong block is named beside it), both stored.

use chrono::Duration;
use serde_json::json;
use woonservice::domain::Role;
use woonservice::domain::member::{MemberKind, MemberStatus, Outflow};
use woonservice::store::members;

use super::{Browser, sign_in};
use crate::helpers::{PASSWORD, TestApp, spawn_app};
use crate::scenario::{Scenario, weekday_morning};

fn rename(app: &TestApp, member: i64, name: &str) {
    app.with_db(|c| {
        let mut m = members::find(c, member)?.unwrap();
        m.fields.name = name.to_owned();
        members::update(c, member, &m.fields, app.now())
    });
}

/// A routed request with a visit the advisor proposed for `hours` from `start`.
async fn visit(
    app: &TestApp,
    s: &Scenario,
    client: i64,
    member: i64,
    start: chrono::DateTime<chrono::Utc>,
    hours: i64,
) -> i64 {
    let request = app
        .request(s, client, "gardening", start, hours + 2, hours as f64)
        .await;
    app.route(&s.advisor, request).await;
    app.propose(s, request, member, start, hours).await
}

#[tokio::test]
async fn a_coach_follows_their_jobseekers_and_changes_availability_and_learning_goals() {
    let app = spawn_app().await;
    let s = app.scenario().await;
    app.sign_off_days(&s, 7);
    let client = app.client_in(s.municipality, "Jans Heg");
    app.sell(&s, client, 5).await;
    let jobseeker = app.worker(&s, MemberKind::Jobseeker, &["gardening"], 16);
    rename(&app, jobseeker, "Sanne de Vries");
    let gone = app.worker(&s, MemberKind::Jobseeker, &["errands"], 8);
    app.with_db(|c| {
        let mut m = members::find(c, gone)?.unwrap();
        m.fields.name = "Kees Bakker".into();
        m.fields.status = MemberStatus::Left;
        m.fields.outflow = Some(Outflow::PaidWork);
        m.fields.outflow_date = Some(chrono::NaiveDate::from_ymd_opt(2026, 11, 2).unwrap());
        members::update(c, gone, &m.fields, app.now())
    });

    // Monday: a visit done (2.5 hours, rated 4 with a comment) and one missed; next
    // Monday a visit proposed.
    let monday = weekday_morning(3);
    let done = visit(&app, &s, client, jobseeker, monday, 2).await;
    let missed = visit(&app, &s, client, jobseeker, monday + Duration::hours(5), 1).await;
    for a in [done, missed] {
        assert_eq!(app.act(&s.advisor, a, "accept", json!({})).await.0, 200);
    }
    let ahead = visit(&app, &s, client, jobseeker, monday + Duration::days(7), 2).await;
    app.advance(monday + Duration::hours(9) - app.now());
    let (status, body) = app
        .act(&s.advisor, done, "complete", json!({"hours_worked": 2.5}))
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = app
        .act(
            &s.advisor,
            missed,
            "no-show",
            json!({"reason": "Niemand thuis gevonden"}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (_, resident) = app.user(Role::Client, &[s.municipality], Some(client), None);
    let resident = app.token(&resident).await;
    let (status, body) = app
        .act(
            &resident,
            done,
            "sign-off",
            json!({"agree": true, "rating": 4, "comment": "Heel fijn geholpen"}),
        )
        .await;
    assert_eq!(status, 200, "{body}");

    let coach = s.coach_email.clone();
    let Some(mut browser) = Browser::open("caseload").await else {
        return;
    };
    sign_in(&mut browser, &app.address, &coach, PASSWORD).await;
    // By keyboard alone: to the caseload, to the jobseeker, a learning goal ticked with
    // Space and saved with Enter.
    browser.tab_to("nav a[href='/werkzoekenden']").await;
    browser.enter_to("/werkzoekenden").await;
    assert_eq!(browser.text("h1").await, "Werkzoekenden");
    let card = browser.text(".ws-card:first-child").await;
    assert!(card.contains("Sanne de Vries"), "{card}");
    assert!(card.contains("2,5 van 16"), "this week's hours against the cap: {card}");
    assert!(card.contains("Tuinonderhoud"), "{card}");
    let next = browser
        .find(&format!(".ws-card:first-child a[href='/bezoeken/{ahead}']"))
        .await;
    assert!(next.text().await.unwrap().contains("Tuinonderhoud"));
    let left = browser.text(".ws-card:last-child").await;
    assert!(left.contains("Kees Bakker"), "{left}");
    assert!(
        left.contains("Uitgestroomd naar betaald werk op maandag 2 november 2026"),
        "{left}"
    );
    browser.check_page("werkzoekenden").await;

    browser.tab_to(&format!("a[href='/werkzoekenden/{jobseeker}']")).await;
    browser.enter_to(&format!("/werkzoekenden/{jobseeker}")).await;
    assert_eq!(browser.text("h1").await, "Sanne de Vries");
    let month = browser.text("tbody tr:first-child").await;
    assert!(
        month.contains("2,5 1 1"),
        "hours, visits, no-shows of this month: {month}"
    );
    let totals = browser.text(".ws-totals").await;
    assert!(
        totals.contains("Niet gekomen\n1") || totals.contains("Niet gekomen 1"),
        "{totals}"
    );
    let said = browser.text("section[aria-labelledby='kop-clienten']").await;
    assert!(said.contains("Gemiddeld 4,0 van de 5 (1 beoordelingen)"), "{said}");
    assert!(said.contains("Heel fijn geholpen"), "{said}");
    browser.check_page("voortgang").await;
    browser.tab_to("#veld-learning_goals-gardening").await;
    browser.keys(" ").await;
    browser.tab_to("form[action$='/leerdoelen'] button[type=submit]").await;
    browser
        .enter_to(&format!("/werkzoekenden/{jobseeker}?bewaard=leerdoelen"))
        .await;
    assert_eq!(browser.text("[role=status]").await, "Leerdoelen bewaard.");
    let goals = app.with_db(|c| Ok(members::find(c, jobseeker)?.unwrap().fields.learning_goals));
    assert_eq!(goals, ["gardening"]);

    // Five weekday blocks and two empty ones: Saturday from 10:00 to 09:00 is refused
    // beside its block, and nothing changes.
    browser.select("#blok-6-dag", "6").await;
    browser.set_value("#blok-6-van", "10:00").await;
    browser.set_value("#blok-6-tot", "09:00").await;
    browser
        .click("form[action$='/beschikbaarheid'] button[type=submit]")
        .await;
    assert_eq!(browser.text("#blok-6-fout").await, "Moet na het begin liggen.");
    assert!(browser.text("#fouten").await.contains("Beschikbaarheid"));
    let stored = app.with_db(|c| Ok(members::find(c, jobseeker)?.unwrap().fields.availability));
    assert_eq!(stored.slots().len(), 5);
    // The summary's link leads to the blocks.
    browser.tick("#fouten a[href='#veld-availability']").await;
    browser.check_page("beschikbaarheid-fout").await;

    // Corrected, and Friday emptied: Monday to Thursday and Saturday morning.
    browser.set_value("#blok-6-tot", "12:00").await;
    browser.select("#blok-5-dag", "").await;
    browser.set_value("#blok-5-van", "").await;
    browser.set_value("#blok-5-tot", "").await;
    browser
        .click("form[action$='/beschikbaarheid'] button[type=submit]")
        .await;
    assert_eq!(browser.text("[role=status]").await, "Beschikbaarheid bewaard.");
    let stored = app.with_db(|c| Ok(members::find(c, jobseeker)?.unwrap().fields.availability.encode()));
    assert_eq!(
        stored,
        "1 08:00-18:00;2 08:00-18:00;3 08:00-18:00;4 08:00-18:00;6 10:00-12:00"
    );

    assert!(browser.text(".ws-facts").await.contains("zaterdag 10:00 tot 12:00"));
    browser.check_page("voortgang-bewaard").await;
    browser.close().await;
}
