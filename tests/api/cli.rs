//! The real binary: `migrate`, `user create`, `serve`, and its configuration errors.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

use serde_json::Value;
use woonservice::service::clock::Clock;
use woonservice::store::municipalities;

use crate::helpers::{TestDb, eventually};

const SECRET: &str = "cli-test-secret-that-is-long-enough-for-hs256";

fn woonservice(db: &TestDb) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_woonservice"));
    command
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("DATABASE_URL", db.url())
        .env("JWT_SECRET", SECRET)
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null());
    command
}

fn run(command: &mut Command) -> (bool, String, String) {
    let Output { status, stdout, stderr } = command.output().expect("the binary runs");
    (
        status.success(),
        String::from_utf8_lossy(&stdout).into_owned(),
        String::from_utf8_lossy(&stderr).into_owned(),
    )
}

/// A `serve` child process, killed when the test ends.
struct Served {
    child: Child,
    address: String,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(db: &TestDb, args: &[&str]) -> Served {
    let mut child = woonservice(db)
        .arg("serve")
        .args(args)
        .env("BIND", "127.0.0.1:0")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("serve starts");
    let stdout = child.stdout.take().unwrap();
    let mut lines = BufReader::new(stdout).lines();
    let first = lines.next().expect("serve prints its address").unwrap();
    let address = first
        .split("http://")
        .nth(1)
        .expect("the banner names the URL")
        .trim()
        .to_owned();
    // Keep draining the banner so the child never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    Served {
        child,
        address: format!("http://{address}"),
    }
}

async fn login(address: &str, email: &str, password: &str) -> reqwest::Response {
    reqwest::Client::new()
        .post(format!("{address}/api/v1/auth/login"))
        .json(&serde_json::json!({"email": email, "password": password}))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn migrate_and_user_create_prepare_a_database_that_serve_logs_the_user_into() {
    let db = TestDb::new();
    let (ok, out, err) = run(woonservice(&db).arg("migrate"));
    assert!(ok, "migrate failed: {err}");
    assert!(out.contains("applied"), "{out}");
    let (ok, out, _) = run(woonservice(&db).arg("migrate"));
    assert!(ok && out.contains("up to date"), "{out}");

    let store = woonservice::store::Db::new(&db.target, 1);
    store
        .run_blocking(|c| municipalities::insert_named(c, "Waalre", Clock::system().now()))
        .unwrap();
    let create = |email: &str, municipality: &str| {
        run(woonservice(&db)
            .args([
                "user",
                "create",
                "--email",
                email,
                "--role",
                "advisor",
                "--municipality",
                municipality,
            ])
            .env("WOONSERVICE_PASSWORD", "cli-wachtwoord"))
    };
    let (ok, out, err) = create("Nieuwe.Adviseur@Waalre.nl", "waalre");
    assert!(ok, "user create failed: {err}");
    assert!(out.contains("created advisor user nieuwe.adviseur@waalre.nl"), "{out}");
    let (ok, _, err) = create("ander@waalre.nl", "Atlantis");
    assert!(!ok && err.contains("unknown municipality 'Atlantis'"), "{err}");
    let (ok, _, err) = create("nieuwe.adviseur@waalre.nl", "Waalre");
    assert!(!ok && err.contains("already exists"), "{err}");
    drop(store);

    let served = serve(&db, &[]);
    let response = login(&served.address, "nieuwe.adviseur@waalre.nl", "cli-wachtwoord").await;
    assert_eq!(response.status(), 200);
    let token = response.json::<Value>().await.unwrap()["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let me: Value = reqwest::Client::new()
        .get(format!("{}/api/v1/me", served.address))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["role"], "advisor");
}

#[tokio::test]
async fn serve_with_demo_loads_the_demo_once_and_its_logins_work() {
    let db = TestDb::new();
    let count_users = || {
        let store = woonservice::store::Db::new(&db.target, 1);
        store
            .run_blocking(|c| {
                use diesel::prelude::*;
                use woonservice::store::schema::{requests, users, voucher_events};
                Ok((
                    users::table.count().get_result::<i64>(c)?,
                    requests::table.count().get_result::<i64>(c)?,
                    voucher_events::table.count().get_result::<i64>(c)?,
                ))
            })
            .unwrap()
    };
    let first = serve(&db, &["--demo"]);
    let response = login(&first.address, "coordinator@demo.woonservice.nl", "demo-wachtwoord").await;
    assert_eq!(response.status(), 200);
    let get = |token: String, path: &str| {
        let url = format!("{}{path}", first.address);
        async move {
            reqwest::Client::new()
                .get(url)
                .bearer_auth(token)
                .send()
                .await
                .unwrap()
                .json::<Value>()
                .await
                .unwrap()
        }
    };
    let token_of = |body: Value| body["access_token"].as_str().unwrap().to_owned();
    let coordinator = token_of(response.json().await.unwrap());
    let count = |body: &Value| body["items"].as_array().unwrap().len();
    assert_eq!(count(&get(coordinator.clone(), "/api/v1/clients").await), 12);
    assert_eq!(count(&get(coordinator.clone(), "/api/v1/municipalities").await), 2);
    assert!(count(&get(coordinator.clone(), "/api/v1/members").await) >= 7);
    assert!(count(&get(coordinator.clone(), "/api/v1/providers").await) >= 6);
    let requests = get(coordinator.clone(), "/api/v1/requests?limit=200").await;
    assert!(count(&requests) >= 6);
    // The engine has been at work: requests routed, scheduled and completed, with trails.
    let items = requests["items"].as_array().unwrap();
    let status_of = |status: &str| items.iter().find(|r| r["status"] == status);
    for status in ["routed", "scheduled", "completed"] {
        assert!(
            status_of(status).is_some(),
            "no {status} request in the demo: {requests}"
        );
    }
    let completed = status_of("completed").unwrap()["id"].as_i64().unwrap();
    let detail = get(coordinator.clone(), &format!("/api/v1/requests/{completed}")).await;
    assert!(!detail["trail"].as_array().unwrap().is_empty(), "{detail}");
    // Hand-overs: a referral waits for the local organisation; another passed its
    // deadline, and the job `serve` runs at start expired it and routed the request on.
    let waiting = get(coordinator.clone(), "/api/v1/referrals?status=open&limit=200").await;
    assert!(
        waiting["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["tier"] == "organisation"),
        "{waiting}"
    );
    eventually(
        Duration::from_secs(20),
        "the overdue demo referral expires",
        async || {
            let expired = get(coordinator.clone(), "/api/v1/referrals?status=expired").await;
            count(&expired) == 1
        },
    )
    .await;
    // Visits: Sanne took on a visit the advisor proposed; it waits for her coach.
    let member = token_of(
        login(&first.address, "member@demo.woonservice.nl", "demo-wachtwoord")
            .await
            .json()
            .await
            .unwrap(),
    );
    let me = get(member.clone(), "/api/v1/me").await;
    let schedule = get(
        member,
        &format!("/api/v1/members/{}/assignments?limit=200", me["member_id"]),
    )
    .await;
    assert!(
        schedule["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["status"] == "awaiting_confirmation"),
        "{schedule}"
    );
    // Gerrit disputed the hours of his past odd job; Annie's garden visit waits for her word.
    let client_token = token_of(
        login(&first.address, "client@demo.woonservice.nl", "demo-wachtwoord")
            .await
            .json()
            .await
            .unwrap(),
    );
    let annie = get(client_token.clone(), "/api/v1/me").await["client_id"].clone();
    let history = get(client_token, &format!("/api/v1/clients/{annie}/voucher-events")).await;
    assert!(
        history["items"].as_array().unwrap().iter().any(|e| e["kind"] == "sold"),
        "{history}"
    );
    let sign_offs = {
        let store = woonservice::store::Db::new(&db.target, 1);
        store
            .run_blocking(|c| {
                use diesel::prelude::*;
                use woonservice::store::schema::assignments;
                let count = |state: &str, c: &mut woonservice::store::DbConnection| {
                    assignments::table
                        .filter(assignments::sign_off.eq(state.to_owned()))
                        .count()
                        .get_result::<i64>(c)
                };
                Ok((count("pending", c)?, count("disputed", c)?))
            })
            .unwrap()
    };
    assert!(sign_offs.0 >= 1 && sign_offs.1 == 1, "{sign_offs:?}");
    let advisor = token_of(
        login(&first.address, "advisor@demo.woonservice.nl", "demo-wachtwoord")
            .await
            .json()
            .await
            .unwrap(),
    );
    assert_eq!(
        count(&get(advisor, "/api/v1/clients").await),
        7,
        "the Waalre advisor sees Waalre's clients only"
    );
    let client = token_of(
        login(&first.address, "client@demo.woonservice.nl", "demo-wachtwoord")
            .await
            .json()
            .await
            .unwrap(),
    );
    assert_eq!(
        count(&get(client, "/api/v1/requests").await),
        3,
        "her request of today, her completed one and the odd job Sanne took on"
    );
    drop(first);
    let after_first = count_users();
    assert!(
        after_first.0 >= 7 && after_first.1 >= 7 && after_first.2 > 0,
        "{after_first:?}"
    );
    let second = serve(&db, &["--demo"]);
    assert_eq!(
        login(&second.address, "admin@demo.woonservice.nl", "demo-wachtwoord")
            .await
            .status(),
        200
    );
    drop(second);
    assert_eq!(count_users(), after_first, "a second --demo start added records");
}

#[test]
fn configuration_errors_stop_the_binary_with_a_message_naming_the_variable() {
    let db = TestDb::new();
    let (ok, _, err) = run(woonservice(&db)
        .arg("migrate")
        .env("DATABASE_URL", "mysql://root:geheim@localhost/w"));
    assert!(!ok && err.contains("DATABASE_URL") && !err.contains("geheim"), "{err}");

    let (ok, _, err) = run(woonservice(&db)
        .arg("serve")
        .env("DATABASE_URL", "postgres://localhost/w")
        .env_remove("JWT_SECRET"));
    assert!(!ok && err.contains("JWT_SECRET"), "{err}");

    let (ok, _, err) = run(woonservice(&db).arg("serve").env("JWT_SECRET", "too-short"));
    assert!(!ok && err.contains("JWT_SECRET"), "{err}");

    let (ok, _, err) = run(woonservice(&db).arg("migrate").env("LOG_FORMAT", "xml"));
    assert!(!ok && err.contains("LOG_FORMAT"), "{err}");

    let (ok, _, err) = run(woonservice(&db).arg("serve").env("BIND", "nowhere"));
    assert!(!ok && err.contains("BIND"), "{err}");
}

#[test]
fn an_unreachable_postgres_server_is_reported_at_start() {
    let db = TestDb::new();
    let (ok, _, err) = run(woonservice(&db)
        .arg("migrate")
        .env("DATABASE_URL", "postgres://nobody:pw@127.0.0.1:9/none"));
    assert!(!ok, "migrate against nothing succeeded");
    assert!(err.contains("unreachable") || err.contains("database"), "{err}");
    assert!(!err.contains(":pw@"), "{err}");
}

#[test]
fn four_instances_migrating_one_database_at_once_apply_each_migration_once() {
    let db = TestDb::new();
    let children: Vec<_> = (0..4)
        .map(|_| {
            woonservice(&db)
                .arg("migrate")
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("the binary starts")
        })
        .collect();
    for child in children {
        let output = child.wait_with_output().unwrap();
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    }
    let (applied, pending) = woonservice::store::Db::new(&db.target, 1)
        .run_blocking(|c| {
            let applied: i64 = diesel::RunQueryDsl::get_result(
                diesel::sql_query("SELECT COUNT(*) AS n FROM __diesel_schema_migrations"),
                c,
            )
            .map(|row: Count| row.n)?;
            Ok((applied, woonservice::store::migrations::pending(c)?))
        })
        .unwrap();
    assert!(pending.is_empty(), "{pending:?}");
    let backend = if db.is_postgres() { "postgres" } else { "sqlite" };
    let shipped = std::fs::read_dir(format!("{}/migrations/{backend}", env!("CARGO_MANIFEST_DIR")))
        .unwrap()
        .count() as i64;
    assert_eq!(applied, shipped, "each migration recorded once");
}

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

#[test]
fn demo_seed_at_town_scale_fills_a_database_whose_voucher_ledger_holds() {
    let db = TestDb::new();
    let (ok, out, err) = run(woonservice(&db).args(["demo", "seed", "--scale", "town", "--seed", "3"]));
    assert!(ok, "{out}{err}");
    assert!(
        out.contains("2000 clients") && out.contains("10000 past requests"),
        "{out}"
    );
    let (ok, out, err) = run(woonservice(&db).args(["vouchers", "verify"]));
    assert!(ok, "{out}{err}");
    assert!(out.contains("ledger and stored state agree"), "{out}");
    let (assignments, requests): (i64, i64) = woonservice::store::Db::new(&db.target, 1)
        .run_blocking(|c| {
            use diesel::prelude::*;
            use woonservice::store::schema::{assignments, requests};
            Ok((
                assignments::table.count().get_result(c)?,
                requests::table.count().get_result(c)?,
            ))
        })
        .unwrap();
    assert_eq!(requests, 10_000);
    assert!(
        assignments >= requests,
        "{assignments} assignments: as many as past requests, like the national scale"
    );
}

#[test]
fn jobs_run_once_from_the_command_line_and_an_unknown_job_is_refused() {
    let db = TestDb::new();
    for job in [
        "expire-vouchers",
        "send-reminders",
        "warn-expiring-vouchers",
        "create-follow-ups",
        "purge-login-attempts",
        "expire-referrals",
        "approve-sign-offs",
    ] {
        let (ok, out, err) = run(woonservice(&db).args(["jobs", "run", job]));
        assert!(ok, "{job}: {out}{err}");
    }
    let (ok, _, err) = run(woonservice(&db).args(["jobs", "run", "make-coffee"]));
    assert!(!ok && err.contains("make-coffee"), "{err}");
}

#[test]
fn openapi_prints_the_committed_document() {
    let db = TestDb::new();
    let (ok, out, _) = run(woonservice(&db).arg("openapi"));
    assert!(ok);
    let printed: Value = serde_json::from_str(&out).unwrap();
    let committed: Value = serde_json::from_str(include_str!("../../openapi/woonservice.json")).unwrap();
    assert_eq!(printed, committed);
}

#[tokio::test]
async fn sigterm_stops_serve_cleanly_after_answering_what_it_was_asked() {
    let db = TestDb::new();
    let mut served = serve(&db, &[]);
    let health = reqwest::Client::new()
        .get(format!("{}/healthz", served.address))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), 200);
    let status = Command::new("kill")
        .args(["-TERM", &served.child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let exit = served.child.wait().unwrap();
    assert!(exit.success(), "serve exited with {exit:?} on SIGTERM");
}
