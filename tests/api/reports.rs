//! The monthly report against a month of activity built through the API, every
//! figure checked against what was done; and follow-ups.

use chrono::{Duration, Utc};
use serde_json::{Value, json};
use woonservice::domain::Role;
use woonservice::domain::member::MemberKind;
use woonservice::domain::provider::ProviderKind;
use woonservice::domain::report::Month;
use woonservice::domain::schedule::{local_date, local_to_utc};
use woonservice::service::jobs::Job;
use woonservice::store::time;

use crate::helpers::{TestApp, assert_problem, spawn_app};
use crate::scenario::{Scenario, weekday_morning};

async fn report(app: &TestApp, token: &str, municipality: i64, month: Month) -> Value {
    let response = app
        .get(
            &format!("/api/v1/reports/monthly?municipality_id={municipality}&month={month}"),
            token,
        )
        .await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

fn set_created(app: &TestApp, table: &str, id: i64, at: chrono::DateTime<Utc>) {
    app.with_db(|c| {
        use diesel::RunQueryDsl;
        diesel::sql_query(format!("UPDATE {table} SET created_at = $1 WHERE id = $2"))
            .bind::<diesel::sql_types::Timestamp, _>(time::to_db(at))
            .bind::<diesel::sql_types::BigInt, _>(id)
            .execute(c)?;
        Ok(())
    });
}

#[tokio::test]
async fn every_figure_of_the_monthly_report_matches_a_month_of_activity() {
    let app = spawn_app().await;
    let s: Scenario = app.scenario().await;
    let this_month = Month::of(local_date(Utc::now()));
    // What existed before this month does not count as new.
    let old_client = app.client_in(s.municipality, "Oude Cliënt");
    set_created(&app, "clients", old_client, Utc::now() - Duration::days(80));
    let annie = app.client_in(s.municipality, "Annie");
    let gerrit = app.client_in(s.municipality, "Gerrit");
    let volunteer = app.worker(&s, MemberKind::Volunteer, &["gardening"], 20);
    let jobseeker = app.worker(&s, MemberKind::Jobseeker, &["odd_jobs"], 20);
    app.provider_in(s.municipality, ProviderKind::Business, &["moving"]);
    let start = weekday_morning(3);
    let work_month = Month::of(local_date(start));

    // r1: a volunteer, 2.25 hours.
    let r1 = app.request(&s, annie, "gardening", start, 4, 2.0).await;
    app.route(&s.advisor, r1).await;
    let a1 = app.propose(&s, r1, volunteer, start, 3).await;
    app.act(&s.advisor, a1, "accept", json!({})).await;
    app.act(&s.advisor, a1, "complete", json!({"hours_worked": 2.25})).await;
    // r2: a jobseeker paid with vouchers, 1.5 hours: two vouchers redeemed.
    app.sell(&s, gerrit, 5).await;
    let r2 = app.request(&s, gerrit, "odd_jobs", start, 6, 1.5).await;
    app.route(&s.advisor, r2).await;
    let a2 = app.propose(&s, r2, jobseeker, start, 2).await;
    app.act(&s.advisor, a2, "accept", json!({})).await;
    app.act(&s.advisor, a2, "complete", json!({"hours_worked": 1.5})).await;
    // r3 referred to a business, r4 unmatched, r5 cancelled, r6 never routed.
    let r3 = app.request(&s, annie, "moving", start, 4, 2.0).await;
    app.route(&s.advisor, r3).await;
    let r4 = app.request(&s, annie, "errands", start, 4, 1.0).await;
    app.route(&s.advisor, r4).await;
    let r5 = app.request(&s, gerrit, "gardening", start, 4, 1.0).await;
    app.post(
        &format!("/api/v1/requests/{r5}/cancel"),
        &s.advisor,
        &json!({"reason": "niet meer nodig"}),
    )
    .await;
    app.request(&s, gerrit, "meals", start, 4, 1.0).await;
    // One voucher cancelled, one expired.
    let balance = app.balance(&s, gerrit).await;
    let available: Vec<&Value> = balance["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| v["status"] == "available")
        .collect();
    let serial = available[0]["serial"].as_str().unwrap().to_owned();
    app.post(
        &format!("/api/v1/vouchers/{serial}/cancel"),
        &s.coordinator,
        &json!({"reason": "terug"}),
    )
    .await;
    let to_expire = available[1]["serial"].as_str().unwrap().to_owned();
    app.with_db(|c| {
        use diesel::prelude::*;
        use woonservice::store::schema::vouchers as v;
        diesel::update(v::table.filter(v::serial.eq(&to_expire)))
            .set(v::expires_on.eq(local_date(Utc::now()) - Duration::days(1)))
            .execute(c)?;
        Ok(())
    });
    Job::ExpireVouchers.run(&app.ctx).unwrap();
    // The jobseeker leaves for paid work today.
    let response = app
        .client
        .patch(app.url(&format!("/api/v1/members/{jobseeker}")))
        .bearer_auth(&s.coach)
        .json(&json!({"status": "left", "outflow": "paid_work", "outflow_date": local_date(Utc::now())}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    // A follow-up of r1, as if it was completed four months ago.
    app.with_db(|c| {
        use diesel::prelude::*;
        use woonservice::store::schema::requests as r;
        diesel::update(r::table.find(r1))
            .set(r::updated_at.eq(time::to_db(Utc::now() - Duration::days(125))))
            .execute(c)?;
        Ok(())
    });
    assert_eq!(Job::CreateFollowUps.run(&app.ctx).unwrap(), "1 follow-up(s) created");
    assert_eq!(Job::CreateFollowUps.run(&app.ctx).unwrap(), "0 follow-up(s) created");
    let due: Value = app
        .get("/api/v1/follow-ups?due=true", &s.advisor)
        .await
        .json()
        .await
        .unwrap();
    let follow_up = due["items"][0]["id"].as_i64().unwrap();
    assert_eq!(due["items"][0]["request_id"], r1);
    let recorded: Value = app
        .post(
            &format!("/api/v1/follow-ups/{follow_up}"),
            &s.advisor,
            &json!({"helped_lastingly": true, "note": "Tuin blijft bij"}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(recorded["helped_lastingly"], true);
    assert_problem(
        app.post(
            &format!("/api/v1/follow-ups/{follow_up}"),
            &s.advisor,
            &json!({"helped_lastingly": false, "note": "x"}),
        )
        .await,
        409,
        "invalid_transition",
    )
    .await;
    let due: Value = app
        .get("/api/v1/follow-ups?due=true", &s.advisor)
        .await
        .json()
        .await
        .unwrap();
    assert!(due["items"].as_array().unwrap().is_empty());

    let r = report(&app, &s.coordinator, s.municipality, this_month).await;
    assert_eq!(r["month"], this_month.to_string());
    assert_eq!(r["requests"]["received"], 6);
    assert_eq!(
        r["requests"]["by_category"],
        json!({"gardening": 2, "odd_jobs": 1, "moving": 1, "errands": 1, "meals": 1})
    );
    assert_eq!(
        r["requests"]["by_outcome"],
        json!({"volunteer": 1, "woonservice": 1, "private_provider": 0, "business": 1, "organisation": 0, "unmatched": 1, "cancelled": 1})
    );
    assert_eq!(r["scheduling"]["scheduled"], 2);
    assert!(r["scheduling"]["median_hours_to_scheduled"].as_f64().unwrap() < 0.1);
    assert_eq!(
        r["vouchers"],
        json!({"sold": 5, "redeemed": 2, "expired": 1, "cancelled": 1, "sold_value": "25.00", "redeemed_value": "10.00", "expired_value": "5.00", "cancelled_value": "5.00", "shortfall": 0})
    );
    assert_eq!(
        r["clients"],
        json!({"new": 2, "active": 2}),
        "Annie and Gerrit; the old client is neither"
    );
    assert_eq!(
        r["jobseekers"]["active"], 1,
        "she left this month, so she was active in it"
    );
    assert_eq!(r["jobseekers"]["outflow"], json!({"paid_work": 1}));
    assert_eq!(
        r["follow_ups"],
        json!({"done": 1, "helped_lastingly": 1, "helped_lastingly_share": 1.0})
    );
    let hours = report(&app, &s.coordinator, s.municipality, work_month).await;
    assert_eq!(
        hours["hours"],
        json!({"volunteer": 2.25, "jobseeker": 1.5}),
        "counted in the month the work's slot starts"
    );
    assert_eq!(hours["jobseekers"]["hours"], 1.5);

    // A request at 23:30 on the last evening of the previous month belongs to that month.
    let first_of_month = local_to_utc(this_month.first_day().and_hms_opt(0, 0, 0).unwrap());
    let late = app.request_for(annie, s.municipality, s.coach_id);
    set_created(&app, "requests", late, first_of_month - Duration::minutes(30));
    let before = report(&app, &s.coordinator, s.municipality, this_month.previous()).await;
    assert_eq!(before["requests"]["received"], 1);
    let now = report(&app, &s.coordinator, s.municipality, this_month).await;
    assert_eq!(now["requests"]["received"], 6);
}

#[tokio::test]
async fn the_report_comes_as_csv_for_dutch_excel_and_as_a_printable_page() {
    let app = spawn_app().await;
    let s = app.scenario().await;
    let client = app.client_in(s.municipality, "Annie");
    app.sell(&s, client, 3).await;
    // A category an admin added names itself on the page.
    let admin = app.token_for(Role::Admin, &[]).await;
    let pets = json!({"code": "pets", "name_nl": "Huisdieren verzorgen", "name_en": "Pet care", "volunteer_ok": true});
    assert_eq!(app.post("/api/v1/categories", &admin, &pets).await.status(), 201);
    app.request(&s, client, "pets", Utc::now() + Duration::days(3), 4, 1.0)
        .await;
    app.request(&s, client, "gardening", Utc::now() + Duration::days(3), 4, 1.0)
        .await;
    let month = Month::of(local_date(Utc::now()));
    let path = format!(
        "/api/v1/reports/monthly?municipality_id={}&month={month}",
        s.municipality
    );
    let csv = app
        .client
        .get(app.url(&path))
        .bearer_auth(&s.coordinator)
        .header("Accept", "text/csv")
        .send()
        .await
        .unwrap();
    assert_eq!(csv.headers()["content-type"], "text/csv; charset=utf-8");
    let text = csv.text().await.unwrap();
    assert!(text.starts_with("\u{feff}gemeente;maand;cijfer;uitsplitsing;waarde\r\n"));
    assert!(
        text.contains(&format!("{};{month};vouchers.sold_value;;15,00\r\n", s.municipality)),
        "{text}"
    );
    assert!(text.contains(";requests.by_outcome;volunteer;0\r\n"));
    let page = app
        .client
        .get(app.url(&path))
        .bearer_auth(&s.coordinator)
        .header("Accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(page.headers()["content-type"], "text/html; charset=utf-8");
    let html = page.text().await.unwrap();
    assert_eq!(html.matches("<svg").count(), 3, "three charts");
    assert!(html.contains("@page { size: A4"));
    assert!(
        html.contains("Huisdieren verzorgen") && html.contains("Tuinonderhoud"),
        "{html}"
    );
    assert!(
        !html.contains("<script") && !html.contains("src=\"http"),
        "nothing from another host"
    );
    let refused = app
        .client
        .get(app.url(&path))
        .bearer_auth(&s.coordinator)
        .header("Accept", "application/xml")
        .send()
        .await
        .unwrap();
    assert_problem(refused, 406, "not_acceptable").await;
}

#[tokio::test]
async fn reports_are_for_coordinators_and_admins_of_the_municipality() {
    let app = spawn_app().await;
    let s = app.scenario().await;
    let other = app.municipality("Valkenswaard");
    let month = Month::of(local_date(Utc::now()));
    let path = |m: i64, month: &str| format!("/api/v1/reports/monthly?municipality_id={m}&month={month}");
    assert_problem(
        app.get(&path(other, &month.to_string()), &s.coordinator).await,
        404,
        "not_found",
    )
    .await;
    assert_problem(
        app.get(&path(s.municipality, &month.to_string()), &s.advisor).await,
        403,
        "forbidden",
    )
    .await;
    let admin = app.token_for(Role::Admin, &[]).await;
    assert_eq!(app.get(&path(other, &month.to_string()), &admin).await.status(), 200);
    let bad = assert_problem(
        app.get(&path(s.municipality, "2026-13"), &s.coordinator).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(bad["errors"][0]["field"], "month");
}

/// Renders the page in Debian's headless Chromium (skipped without it, except in CI)
/// and checks it prints on at most two A4 pages.
#[tokio::test]
async fn the_printable_page_renders_in_a_headless_browser_on_at_most_two_a4_pages() {
    let Some(chromium) = crate::browser::chromium() else {
        return;
    };
    let app = spawn_app().await;
    let s = app.scenario().await;
    let month = Month::of(local_date(Utc::now()));
    let path = format!(
        "/api/v1/reports/monthly?municipality_id={}&month={month}",
        s.municipality
    );
    let html = app
        .client
        .get(app.url(&path))
        .bearer_auth(&s.coordinator)
        .header("Accept", "text/html")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("rapport.html");
    let pdf = dir.path().join("rapport.pdf");
    std::fs::write(&page, html).unwrap();
    let status = crate::browser::headless(chromium, dir.path())
        .arg("--no-pdf-header-footer")
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", page.display()))
        .stderr(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    let bytes = std::fs::read(&pdf).unwrap();
    let text = String::from_utf8_lossy(&bytes);
    // Page objects are `/Type /Page`; the page tree is `/Type /Pages`.
    let pages = text
        .match_indices("/Type /Page")
        .filter(|(i, _)| !text[i + 11..].starts_with('s'))
        .count();
    assert!((1..=2).contains(&pages), "{pages} pages");
}
