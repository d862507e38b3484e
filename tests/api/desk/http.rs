//! The desk over plain HTTP: what a browser test cannot see well — the cookies'
//! flags, sessions that end with the account's password or activity, a form posted
//! twice under one key, the shared login throttle.

use std::collections::BTreeMap;

use serde_json::json;
use woonservice::domain::Role;

use crate::helpers::{Options, PASSWORD, TestApp, spawn_app, spawn_with};

/// A browser without a browser: the cookies it was given, and the CSRF token of the
/// last page it read.
struct Visitor<'a> {
    app: &'a TestApp,
    cookies: BTreeMap<String, String>,
    csrf: String,
}

impl<'a> Visitor<'a> {
    fn new(app: &'a TestApp) -> Visitor<'a> {
        Visitor {
            app,
            cookies: BTreeMap::new(),
            csrf: String::new(),
        }
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    fn keep(&mut self, response: &reqwest::Response) {
        for value in response.headers().get_all("set-cookie") {
            let text = value.to_str().unwrap();
            let pair = text.split(';').next().unwrap();
            let (name, value) = pair.split_once('=').unwrap();
            if value.is_empty() {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.to_owned(), value.to_owned());
            }
        }
    }

    async fn get(&mut self, path: &str) -> (u16, String) {
        let response = get_with(self.app, path, self.cookie_header()).await;
        self.keep(&response);
        let status = response.status().as_u16();
        let body = response.text().await.unwrap();
        if body.contains("name=\"csrf\"") {
            self.csrf = hidden(&body, "csrf");
        }
        (status, body)
    }

    async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        let mut form: Vec<(&str, &str)> = vec![("csrf", &self.csrf)];
        form.extend_from_slice(fields);
        let response = self
            .app
            .client
            .post(self.app.url(path))
            .header("cookie", self.cookie_header())
            .form(&form)
            .send()
            .await
            .unwrap();
        self.keep(&response);
        response
    }

    async fn sign_in(&mut self, email: &str, password: &str) -> reqwest::Response {
        self.get("/inloggen").await;
        self.post("/inloggen", &[("email", email), ("password", password)])
            .await
    }
}

/// The value of a form's hidden field in a page.
fn hidden(page: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let at = page.find(&marker).unwrap_or_else(|| panic!("no field {name}")) + marker.len();
    page[at..at + page[at..].find('"').unwrap()].to_owned()
}

/// A page asked for with these cookies, outside any visitor's own.
async fn get_with(app: &TestApp, path: &str, cookie: impl Into<String>) -> reqwest::Response {
    app.client
        .get(app.url(path))
        .header("cookie", cookie.into())
        .send()
        .await
        .unwrap()
}

fn location(response: &reqwest::Response) -> &str {
    response
        .headers()
        .get("location")
        .map(|v| v.to_str().unwrap())
        .unwrap_or("")
}

#[tokio::test]
async fn the_session_cookie_is_httponly_strict_and_secure_behind_tls() {
    let app = spawn_app().await;
    let email = app.staff(Role::Advisor, &["Waalre"]);
    let mut visitor = Visitor::new(&app);
    let response = visitor.sign_in(&email, PASSWORD).await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), "/");
    let cookie = response
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert!(cookie.starts_with("ws_sessie="), "{cookie}");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    assert!(
        !cookie.contains("Secure"),
        "plain HTTP cannot keep a Secure cookie: {cookie}"
    );

    // Behind a trusted proxy that terminates TLS, the cookies are Secure.
    let proxied = spawn_with(
        app.db.clone(),
        Options {
            trusted_proxies: vec!["127.0.0.1".parse().unwrap()],
            ..Options::default()
        },
    )
    .await;
    let page = proxied
        .client
        .get(proxied.url("/inloggen"))
        .header("x-forwarded-proto", "https")
        .send()
        .await
        .unwrap();
    let csrf_cookie = page.headers().get("set-cookie").unwrap().to_str().unwrap().to_owned();
    assert!(
        csrf_cookie.contains("Secure") && csrf_cookie.contains("HttpOnly"),
        "{csrf_cookie}"
    );
}

#[tokio::test]
async fn a_forged_or_ended_session_opens_nothing() {
    let app = spawn_app().await;
    let email = app.staff(Role::Advisor, &["Waalre"]);
    let mut visitor = Visitor::new(&app);
    visitor.sign_in(&email, PASSWORD).await;
    assert_eq!(visitor.get("/").await.0, 200);

    // A session cookie with another signature is not asked about at all.
    let real = visitor.cookies["ws_sessie"].clone();
    let (token, _) = real.rsplit_once('.').unwrap();
    visitor.cookies.insert("ws_sessie".into(), format!("{token}.AAAA"));
    let response = get_with(&app, "/", visitor.cookie_header()).await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), "/inloggen");

    // Log-out ends the session for a copy of the cookie too.
    visitor.cookies.insert("ws_sessie".into(), real.clone());
    let copy = visitor.cookie_header();
    let out = visitor.post("/uitloggen", &[]).await;
    assert_eq!(location(&out), "/inloggen?uitgelogd=1");
    let replay = get_with(&app, "/", copy).await;
    assert_eq!(replay.status(), 303, "a logged-out session stays out");
}

#[tokio::test]
async fn a_new_password_or_deactivation_ends_the_desk_session() {
    let app = spawn_app().await;
    app.hearing_account_changes().await;
    let admin = app.token_for(Role::Admin, &[]).await;
    for change in [json!({"password": "een-nieuw-wachtwoord"}), json!({"active": false})] {
        let email = app.staff(Role::Advisor, &["Waalre"]);
        let mut visitor = Visitor::new(&app);
        visitor.sign_in(&email, PASSWORD).await;
        assert_eq!(visitor.get("/").await.0, 200);
        let id = app.with_db(|c| {
            Ok(
                woonservice::store::users::id_by_email(c, &woonservice::domain::Email::parse(&email).unwrap())?
                    .unwrap(),
            )
        });
        let changed = app.patch(&format!("/api/v1/users/{id}"), &admin, &change).await;
        assert_eq!(changed.status(), 200);
        let response = get_with(&app, "/", visitor.cookie_header()).await;
        assert_eq!(response.status(), 303, "after {change}");
        assert_eq!(location(&response), "/inloggen");
    }
}

#[tokio::test]
async fn the_intake_form_posted_twice_makes_one_request() {
    let app = spawn_app().await;
    let world = app.world().await;
    let email = app.staff(Role::Advisor, &["Waalre"]);
    let mut visitor = Visitor::new(&app);
    visitor.sign_in(&email, PASSWORD).await;
    let client = world.waalre.client.to_string();
    let (status, page) = visitor.get(&format!("/hulpvragen/nieuw?client={client}")).await;
    assert_eq!(status, 200);
    let key = hidden(&page, "key");
    let start = (app.now() + chrono::Duration::days(4))
        .format("%Y-%m-%dT10:00")
        .to_string();
    let end = (app.now() + chrono::Duration::days(4))
        .format("%Y-%m-%dT14:00")
        .to_string();
    let form = [
        ("client_id", client.as_str()),
        ("key", key.as_str()),
        ("category", "gardening"),
        ("description", "Bladeren harken."),
        ("window_start", start.as_str()),
        ("window_end", end.as_str()),
        ("estimated_hours", "1,5"),
    ];
    let first = visitor.post("/hulpvragen", &form).await;
    assert_eq!(first.status(), 303);
    let id: i64 = location(&first)
        .trim_start_matches("/hulpvragen/")
        .trim_end_matches("?gerouteerd=1")
        .parse()
        .unwrap();
    let routed = app.with_db(|c| woonservice::store::trail::of_request(c, id));
    assert!(!routed.is_empty(), "the intake routed the request");
    let second = visitor.post("/hulpvragen", &form).await;
    assert_eq!(location(&first), location(&second), "the repeat shows the same request");
    let after = app.with_db(|c| woonservice::store::trail::of_request(c, id));
    assert_eq!(routed.len(), after.len(), "the repeat did not route again");
    let (_, page) = visitor.get(&format!("/hulpvragen/{id}")).await;
    assert!(page.contains("Bladeren harken."));
    let asked = super::requests_of(&app, world.waalre.client);
    let made = asked.iter().filter(|r| r.description == "Bladeren harken.").count();
    assert_eq!(made, 1);
}

#[tokio::test]
async fn the_desk_counts_wrong_passwords_with_the_api() {
    let app = spawn_app().await;
    let email = app.staff(Role::Advisor, &["Waalre"]);
    for _ in 0..woonservice::service::auth::MAX_ATTEMPTS_PER_ACCOUNT {
        let wrong = app.login(&email, "niet-goed-wachtwoord").await;
        assert_eq!(wrong.status(), 401);
    }
    let mut visitor = Visitor::new(&app);
    let response = visitor.sign_in(&email, PASSWORD).await;
    assert_eq!(response.status(), 429);
    assert!(response.headers().contains_key("retry-after"));
    assert!(response.text().await.unwrap().contains("Te veel pogingen"));
}

#[tokio::test]
async fn a_sign_in_without_the_forms_token_is_refused() {
    let app = spawn_app().await;
    let email = app.staff(Role::Advisor, &["Waalre"]);
    let response = app
        .client
        .post(app.url("/inloggen"))
        .form(&[("email", email.as_str()), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
    assert!(
        response
            .headers()
            .get("set-cookie")
            .is_none_or(|c| !c.to_str().unwrap().starts_with("ws_sessie"))
    );
}

#[tokio::test]
async fn a_voucher_sale_posted_twice_sells_once_and_the_report_downloads_as_csv() {
    let app = spawn_app().await;
    let world = app.world().await;
    let email = app.staff(Role::Coordinator, &["Waalre"]);
    let mut visitor = Visitor::new(&app);
    visitor.sign_in(&email, PASSWORD).await;
    let client = world.waalre.client;
    let (status, page) = visitor.get(&format!("/cheques/{client}")).await;
    assert_eq!(status, 200);
    let key = hidden(&page, "key");
    let path = format!("/cheques/{client}/verkopen");
    let first = visitor.post(&path, &[("key", &key), ("count", "4")]).await;
    assert_eq!(first.status(), 200);
    let first = first.text().await.unwrap();
    let second = visitor
        .post(&path, &[("key", &key), ("count", "4")])
        .await
        .text()
        .await
        .unwrap();
    let serials = |page: &str| -> Vec<String> {
        page.split("<li>")
            .skip(1)
            .filter_map(|s| s.split("</li>").next())
            .filter(|s| s.contains('-'))
            .map(str::to_owned)
            .collect()
    };
    assert_eq!(serials(&first).len(), 4);
    assert_eq!(serials(&first), serials(&second), "the repeat shows the same receipt");
    let held = app.with_db(|c| {
        woonservice::store::vouchers::of_client(
            c,
            client,
            &woonservice::domain::page::PageRequest {
                limit: 50,
                position: None,
            },
        )
    });
    assert_eq!(held.items.len(), 4, "sold once");

    let month = woonservice::domain::report::Month::of(woonservice::domain::schedule::local_date(app.now()));
    let csv = get_with(
        &app,
        &format!("/rapportage/csv?gemeente={}&maand={month}", world.waalre.municipality),
        visitor.cookie_header(),
    )
    .await;
    assert_eq!(csv.status(), 200);
    assert!(csv.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    let body = csv.text().await.unwrap();
    assert!(body.contains("vouchers.sold"), "{body}");
}

#[tokio::test]
async fn the_language_chosen_goes_with_the_user_to_another_browser() {
    let app = spawn_app().await;
    let email = app.staff(Role::Advisor, &["Waalre"]);
    let mut laptop = Visitor::new(&app);
    laptop.sign_in(&email, PASSWORD).await;
    let (_, page) = laptop.get("/").await;
    assert!(page.contains("<html lang=\"nl\""));
    let switched = laptop.post("/taal", &[("taal", "en"), ("terug", "/")]).await;
    assert_eq!(switched.status(), 303);

    // Another browser, which never saw the switch: English once signed in.
    let mut phone = Visitor::new(&app);
    let (_, before) = phone.get("/inloggen").await;
    assert!(
        before.contains("<html lang=\"nl\""),
        "before sign-in, the browser's own choice"
    );
    phone.sign_in(&email, PASSWORD).await;
    let (_, page) = phone.get("/").await;
    assert!(page.contains("<html lang=\"en\"") && page.contains(">Queue<"), "{page}");
}

#[tokio::test]
async fn a_link_from_a_mail_asks_for_sign_in_and_then_opens_its_page() {
    let app = spawn_app().await;
    let email = app.staff(Role::Advisor, &["Waalre"]);
    let mut visitor = Visitor::new(&app);
    let asked = get_with(&app, "/clienten?zoek=jan", visitor.cookie_header()).await;
    assert_eq!(asked.status(), 303);
    assert_eq!(location(&asked), "/inloggen?terug=%2Fclienten%3Fzoek%3Djan");
    let (_, page) = visitor.get(location(&asked)).await;
    let form = &page[page.find("action=\"/inloggen\"").unwrap()..];
    assert_eq!(hidden(form, "terug").replace("&#x2f;", "/"), "/clienten?zoek=jan");
    let signed_in = visitor
        .post(
            "/inloggen",
            &[
                ("email", &email),
                ("password", PASSWORD),
                ("terug", "/clienten?zoek=jan"),
            ],
        )
        .await;
    assert_eq!(location(&signed_in), "/clienten?zoek=jan");

    // Another site is never where sign-in leads.
    let mut other = Visitor::new(&app);
    other.get("/inloggen?terug=//evil.example").await;
    let signed_in = other
        .post(
            "/inloggen",
            &[("email", &email), ("password", PASSWORD), ("terug", "//evil.example")],
        )
        .await;
    assert_eq!(location(&signed_in), "/");
}

#[tokio::test]
async fn a_jobseekers_progress_is_their_coachs_and_staffs_to_read_and_only_theirs_to_change() {
    let app = spawn_app().await;
    let s = app.scenario().await;
    let jobseeker = app.worker(
        &s,
        woonservice::domain::member::MemberKind::Jobseeker,
        &["gardening"],
        16,
    );
    let page = format!("/werkzoekenden/{jobseeker}");

    // Another coach of the same town: not theirs, so not there; the caseload is their own.
    let (_, other_coach) = app.user(Role::Coach, &[s.municipality], None, None);
    let mut visitor = Visitor::new(&app);
    visitor.sign_in(&other_coach, PASSWORD).await;
    assert_eq!(visitor.get(&page).await.0, 404);
    let (status, caseload) = visitor.get("/werkzoekenden").await;
    assert_eq!(status, 200);
    assert!(caseload.contains("U hebt nog geen werkzoekenden."));
    let changed = visitor
        .post(&format!("{page}/leerdoelen"), &[("learning_goals", "gardening")])
        .await;
    assert_eq!(changed.status(), 404);

    // An advisor reads the progress and has nothing to change there.
    let advisor = app.staff(Role::Advisor, &["Waalre"]);
    let mut visitor = Visitor::new(&app);
    visitor.sign_in(&advisor, PASSWORD).await;
    let (status, body) = visitor.get(&page).await;
    assert_eq!(status, 200);
    assert!(!body.contains("/leerdoelen\""), "no form for an advisor");
    assert_eq!(visitor.get("/werkzoekenden").await.0, 403);

    // The jobseeker's own account does not read what clients said of them here.
    let (_, member) = app.user(Role::Member, &[s.municipality], None, Some(jobseeker));
    let mut visitor = Visitor::new(&app);
    visitor.sign_in(&member, PASSWORD).await;
    assert_eq!(visitor.get(&page).await.0, 403);

    // An unknown form is no page; the learning goals stay as they were.
    let coach = &s.coach_email;
    let mut visitor = Visitor::new(&app);
    visitor.sign_in(coach, PASSWORD).await;
    visitor.get(&page).await;
    assert_eq!(visitor.post(&format!("{page}/salaris"), &[]).await.status(), 404);
    let goals = app.with_db(|c| {
        Ok(woonservice::store::members::find(c, jobseeker)?
            .unwrap()
            .fields
            .learning_goals)
    });
    assert!(goals.is_empty());
}
