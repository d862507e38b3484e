//! The write load of the restart tests: a small world, and writers that take requests
//! in (with an Idempotency-Key), sell vouchers (with a key) and accept assignments at
//! the same time. Every call has a client-side deadline and every answer is kept, so a
//! test can hold each answer against what the database holds afterwards.

use std::collections::{BTreeSet, VecDeque};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::Duration as Span;
use diesel::prelude::*;
use reqwest::header::{CONTENT_TYPE, RETRY_AFTER};
use serde_json::{Value, json};
use woonservice::config::DatabaseTarget;
use woonservice::domain::Email;
use woonservice::domain::Role;
use woonservice::domain::availability::{RawSlot, WeeklyAvailability};
use woonservice::domain::hours::QuarterHours;
use woonservice::domain::member::MemberKind;
use woonservice::service::clock::Clock;
use woonservice::service::users::{self, StaffAccount};
use woonservice::store::schema::{assignments, requests, vouchers};
use woonservice::store::{Db, clients, members, municipalities};

use crate::helpers::{PASSWORD, test_config};
use crate::scenario::weekday_morning;
use crate::world::{client_fields, member_fields};

/// The pool waits 3 s for a connection; a call that takes longer than this hangs.
pub const CALL_TIMEOUT: Duration = Duration::from_secs(6);
/// How long a call that sets a test up may take.
const SETUP_TIMEOUT: Duration = Duration::from_secs(60);
/// No load runs longer than this, whatever happens to the test.
const LOAD_LIMIT: Duration = Duration::from_secs(90);

/// The records the load works on, made directly in the database before `serve` starts.
pub struct Fixture {
    pub advisor: String,
    pub coordinator: String,
    /// The client every request of the intake writers is for (it has an email address,
    /// so each intake queues a mail).
    pub intake_client: i64,
    pub sale_clients: Vec<i64>,
    pub visit_client: i64,
    pub volunteers: Vec<i64>,
}

/// Migrates the database and builds the fixture with `volunteers` volunteers.
pub fn fixture(target: &DatabaseTarget, volunteers: usize) -> Fixture {
    let ctx = woonservice::startup::prepare_command(&test_config(target.clone())).expect("the database migrates");
    build(&ctx.db, volunteers)
}

fn build(db: &Db, volunteers: usize) -> Fixture {
    db.run_blocking(|c| {
        let now = Clock::system().now();
        let municipality = municipalities::insert_named(c, "Waalre", now)?;
        let mut m = municipalities::find(c, municipality)?.unwrap();
        m.fields.woonservice_categories = vec!["gardening".into()];
        municipalities::update(c, municipality, &m.fields, now)?;
        let staff = |c: &mut _, role: Role, name: &str| {
            let email = format!("{name}@restart.woonservice.nl");
            users::create_staff(
                c,
                StaffAccount {
                    email: email.clone(),
                    password: PASSWORD.into(),
                    role,
                    municipality_names: vec!["Waalre".into()],
                },
                now,
            )
            .map(|_| email)
        };
        let advisor = staff(c, Role::Advisor, "adviseur")?;
        let coordinator = staff(c, Role::Coordinator, "coordinator")?;
        let client = |c: &mut _, name: &str, email: Option<&str>| {
            let mut fields = client_fields(municipality, name);
            fields.email = email.map(|e| Email::parse(e).unwrap());
            clients::insert(c, &fields, now)
        };
        let intake_client = client(c, "Aanvrager", Some("aanvrager@example.nl"))?;
        let visit_client = client(c, "Bezochte", Some("bezochte@example.nl"))?;
        let sale_clients = (0..4)
            .map(|i| client(c, &format!("Koper {i}"), None))
            .collect::<Result<_, _>>()?;
        let weekdays: Vec<RawSlot<'_>> = (1..=5)
            .map(|d| RawSlot {
                weekday: d,
                start: "08:00",
                end: "18:00",
            })
            .collect();
        let volunteers = (0..volunteers)
            .map(|i| {
                let mut fields = member_fields(municipality, MemberKind::Volunteer, None);
                fields.name = format!("Vrijwilliger {i}");
                fields.email = Some(Email::parse(&format!("vrijwilliger{i}@example.nl")).unwrap());
                fields.availability = WeeklyAvailability::parse(&weekdays).unwrap();
                fields.weekly_hour_cap = QuarterHours::from_hours(40);
                members::insert(c, &fields, now)
            })
            .collect::<Result<_, _>>()?;
        Ok(Fixture {
            advisor,
            coordinator,
            intake_client,
            sale_clients,
            visit_client,
            volunteers,
        })
    })
    .expect("the fixture is written")
}

/// One call as sent, so that it can be sent again with the same key and body.
#[derive(Clone, Debug)]
pub struct Call {
    pub kind: Kind,
    pub path: String,
    pub token: String,
    pub body: Value,
    pub key: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Intake,
    Sale,
    Accept,
}

#[derive(Clone, Debug)]
pub struct Reply {
    pub status: u16,
    pub content_type: String,
    pub retry_after: Option<String>,
    pub body: Value,
}

impl Reply {
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

/// A call and what came back: a reply, or why none came (deadline, connection).
#[derive(Clone, Debug)]
pub struct Answer {
    pub call: Call,
    pub at: Instant,
    pub reply: Result<Reply, String>,
}

impl Answer {
    pub fn succeeded(&self) -> bool {
        self.reply.as_ref().is_ok_and(Reply::is_success)
    }

    pub fn status(&self) -> Option<u16> {
        self.reply.as_ref().ok().map(|r| r.status)
    }
}

#[derive(Clone)]
pub struct Api {
    pub address: String,
    client: reqwest::Client,
}

impl Api {
    pub fn new(address: &str) -> Api {
        Api {
            address: address.to_owned(),
            client: reqwest::Client::builder().timeout(CALL_TIMEOUT).build().unwrap(),
        }
    }

    pub async fn login(&self, email: &str) -> String {
        // Setting up is not what is measured: on a busy machine a login may wait
        // behind the password hashes longer than a measured call may take.
        let response = self
            .client
            .post(format!("{}/api/v1/auth/login", self.address))
            .timeout(SETUP_TIMEOUT)
            .json(&json!({"email": email, "password": PASSWORD}))
            .send()
            .await
            .expect("login answers");
        assert_eq!(response.status(), 200, "login of {email}");
        response.json::<Value>().await.unwrap()["access_token"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    pub async fn send(&self, call: &Call) -> Answer {
        let mut request = self
            .client
            .post(format!("{}{}", self.address, call.path))
            .bearer_auth(&call.token)
            .json(&call.body);
        if let Some(key) = &call.key {
            request = request.header("Idempotency-Key", key);
        }
        let reply = match request.send().await {
            Ok(response) => {
                let header = |name| {
                    response
                        .headers()
                        .get(name)
                        .and_then(|v: &reqwest::header::HeaderValue| v.to_str().ok())
                        .map(str::to_owned)
                };
                let (content_type, retry_after) = (header(CONTENT_TYPE).unwrap_or_default(), header(RETRY_AFTER));
                let status = response.status().as_u16();
                match response.bytes().await {
                    Ok(bytes) => Ok(Reply {
                        status,
                        content_type,
                        retry_after,
                        body: serde_json::from_slice(&bytes).unwrap_or(Value::Null),
                    }),
                    Err(e) => Err(format!("status {status} but no body: {e}")),
                }
            }
            Err(e) if e.is_timeout() => Err(format!("no answer within {CALL_TIMEOUT:?}")),
            Err(e) => Err(format!("no answer: {e}")),
        };
        Answer {
            call: call.clone(),
            at: Instant::now(),
            reply,
        }
    }

    pub async fn ready_status(&self) -> Result<(u16, String), String> {
        let response = self
            .client
            .get(format!("{}/readyz", self.address))
            .send()
            .await
            .map_err(|e| e.to_string())?;
        let content_type = response
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
        Ok((response.status().as_u16(), content_type))
    }
}

pub struct Tokens {
    pub advisor: String,
    pub coordinator: String,
}

impl Tokens {
    pub async fn of(api: &Api, fixture: &Fixture) -> Tokens {
        Tokens {
            advisor: api.login(&fixture.advisor).await,
            coordinator: api.login(&fixture.coordinator).await,
        }
    }
}

/// Assignments proposed to a volunteer each, waiting to be accepted by the load.
pub type Proposals = Arc<Mutex<VecDeque<i64>>>;

/// Takes a request in, routes it to the volunteer tier and proposes the next volunteer,
/// once per volunteer, through the API.
pub async fn proposals(api: &Api, tokens: &Tokens, fixture: &Fixture) -> Proposals {
    let start = weekday_morning(3);
    let mut ids = VecDeque::new();
    for &volunteer in &fixture.volunteers {
        let call = |path: String, body: Value| Call {
            kind: Kind::Accept,
            path,
            token: tokens.advisor.clone(),
            body,
            key: None,
        };
        let created = api
            .send(&call(
                "/api/v1/requests".into(),
                json!({"client_id": fixture.visit_client, "category": "gardening", "description": "De heg snoeien",
                    "window_start": start, "window_end": start + Span::hours(4), "estimated_hours": 2.0}),
            ))
            .await;
        let request = success(&created)["id"].as_i64().unwrap();
        let routed = api
            .send(&call(format!("/api/v1/requests/{request}/route"), json!({})))
            .await;
        assert_eq!(success(&routed)["status"], "routed", "{routed:?}");
        let proposed = api
            .send(&call(
                format!("/api/v1/requests/{request}/assignments"),
                json!({"member_id": volunteer, "starts_at": start, "ends_at": start + Span::hours(2)}),
            ))
            .await;
        ids.push_back(success(&proposed)["id"].as_i64().unwrap());
    }
    Arc::new(Mutex::new(ids))
}

fn success(answer: &Answer) -> &Value {
    match &answer.reply {
        Ok(reply) if reply.is_success() => &reply.body,
        _ => panic!("{} did not succeed: {:?}", answer.call.path, answer.reply),
    }
}

/// Writers running against one `serve`, until stopped.
pub struct Load {
    stop: Arc<AtomicBool>,
    answers: Arc<Mutex<Vec<Answer>>>,
    writers: Vec<tokio::task::JoinHandle<()>>,
}

fn new_key(kind: &str) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    format!(
        "{kind}-{:08x}-{}",
        rand::random::<u32>(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

impl Load {
    /// Two intake writers, one sales writer and one accepting writer, each pausing
    /// `pace` between calls.
    pub fn start(api: &Api, tokens: &Tokens, fixture: &Fixture, proposals: &Proposals, pace: Duration) -> Load {
        let stop = Arc::new(AtomicBool::new(false));
        let answers = Arc::new(Mutex::new(Vec::new()));
        let intake = {
            let (token, client) = (tokens.advisor.clone(), fixture.intake_client);
            move |_: usize| {
                let start = weekday_morning(10);
                Some(Call {
                    kind: Kind::Intake,
                    path: "/api/v1/requests".into(),
                    token: token.clone(),
                    body: json!({"client_id": client, "category": "gardening", "description": "Boodschappen",
                        "window_start": start, "window_end": start + Span::hours(4), "estimated_hours": 1.5}),
                    key: Some(new_key("intake")),
                })
            }
        };
        let sale = {
            let (token, clients) = (tokens.coordinator.clone(), fixture.sale_clients.clone());
            move |n: usize| {
                Some(Call {
                    kind: Kind::Sale,
                    path: format!("/api/v1/clients/{}/vouchers", clients[n % clients.len()]),
                    token: token.clone(),
                    body: json!({"count": 2}),
                    key: Some(new_key("sale")),
                })
            }
        };
        let accept = {
            let (token, proposals) = (tokens.advisor.clone(), proposals.clone());
            move |_: usize| {
                let id = proposals.lock().unwrap().pop_front()?;
                Some(Call {
                    kind: Kind::Accept,
                    path: format!("/api/v1/assignments/{id}/accept"),
                    token: token.clone(),
                    body: json!({}),
                    key: None,
                })
            }
        };
        let writers = vec![
            spawn_writer(api, &stop, &answers, pace, intake.clone()),
            spawn_writer(api, &stop, &answers, pace, intake),
            spawn_writer(api, &stop, &answers, pace, sale),
            spawn_writer(api, &stop, &answers, pace, accept),
        ];
        Load { stop, answers, writers }
    }

    /// Waits (at most `within`) until `condition` holds for the answers so far.
    pub async fn wait_until(&self, within: Duration, what: &str, condition: impl Fn(&[Answer]) -> bool) {
        let deadline = Instant::now() + within;
        while !condition(&self.answers.lock().unwrap()) {
            assert!(
                Instant::now() < deadline,
                "the load did not reach '{what}' within {within:?}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Stops the writers after their current call; returns every answer.
    pub async fn stop(self) -> Vec<Answer> {
        self.stop.store(true, Ordering::SeqCst);
        for writer in self.writers {
            writer.await.expect("a writer does not panic");
        }
        Arc::try_unwrap(self.answers)
            .map(|m| m.into_inner().unwrap())
            .unwrap_or_else(|shared| shared.lock().unwrap().clone())
    }
}

fn spawn_writer(
    api: &Api,
    stop: &Arc<AtomicBool>,
    answers: &Arc<Mutex<Vec<Answer>>>,
    pace: Duration,
    mut next: impl FnMut(usize) -> Option<Call> + Send + 'static,
) -> tokio::task::JoinHandle<()> {
    let (api, stop, answers) = (api.clone(), stop.clone(), answers.clone());
    tokio::spawn(async move {
        let started = Instant::now();
        let mut n = 0;
        while !stop.load(Ordering::SeqCst) && started.elapsed() < LOAD_LIMIT {
            let Some(call) = next(n) else { break };
            let answer = api.send(&call).await;
            answers.lock().unwrap().push(answer);
            n += 1;
            tokio::time::sleep(pace).await;
        }
    })
}

/// Whether every kind of write has succeeded at least once after `since`.
pub fn each_kind_succeeded_since(answers: &[Answer], since: Instant, kinds: &[Kind]) -> bool {
    kinds.iter().all(|k| {
        answers
            .iter()
            .any(|a| a.call.kind == *k && a.at > since && a.succeeded())
    })
}

/// What the answers say was written: request ids, voucher serials, accepted assignments,
/// and the keys of intakes and sales that succeeded.
#[derive(Default, Debug)]
pub struct Written {
    pub requests: BTreeSet<i64>,
    pub serials: BTreeSet<String>,
    pub accepted: BTreeSet<i64>,
    pub intake_keys: BTreeSet<String>,
    pub sale_keys: BTreeSet<String>,
}

impl Written {
    pub fn of(answers: &[Answer]) -> Written {
        let mut w = Written::default();
        for a in answers.iter().filter(|a| a.succeeded()) {
            let body = &a.reply.as_ref().unwrap().body;
            let key = a.call.key.clone().unwrap_or_default();
            match a.call.kind {
                Kind::Intake => {
                    w.requests
                        .insert(body["id"].as_i64().expect("a created request has an id"));
                    w.intake_keys.insert(key);
                }
                Kind::Sale => {
                    for v in body["vouchers"].as_array().expect("a sale lists its vouchers") {
                        w.serials.insert(v["serial"].as_str().unwrap().to_owned());
                    }
                    w.sale_keys.insert(key);
                }
                Kind::Accept => {
                    w.accepted
                        .insert(body["id"].as_i64().expect("an accepted assignment has an id"));
                }
            }
        }
        w
    }
}

/// What the database holds of the load's writes.
#[derive(Debug)]
pub struct Stored {
    pub requests: BTreeSet<i64>,
    pub serials: BTreeSet<String>,
    pub accepted: BTreeSet<i64>,
}

pub fn stored(target: &DatabaseTarget, fixture: &Fixture) -> Stored {
    let db = Db::for_command(target);
    db.run_blocking(|c| {
        let requests: Vec<i64> = requests::table
            .filter(requests::client_id.eq(fixture.intake_client))
            .select(requests::id)
            .load(c)?;
        let serials: Vec<String> = vouchers::table
            .filter(vouchers::client_id.eq_any(&fixture.sale_clients))
            .select(vouchers::serial)
            .load(c)?;
        let accepted: Vec<i64> = assignments::table
            .filter(assignments::status.eq("accepted"))
            .select(assignments::id)
            .load(c)?;
        Ok(Stored {
            requests: requests.into_iter().collect(),
            serials: serials.into_iter().collect(),
            accepted: accepted.into_iter().collect(),
        })
    })
    .expect("the database answers after the test")
}

/// Counts of one kind of write: calls, 2xx, 503, anything else, and no answer.
pub fn counts(answers: &[Answer], kind: Kind) -> (usize, usize, usize, usize, usize) {
    let of_kind: Vec<&Answer> = answers.iter().filter(|a| a.call.kind == kind).collect();
    let succeeded = of_kind.iter().filter(|a| a.succeeded()).count();
    let unavailable = of_kind.iter().filter(|a| a.status() == Some(503)).count();
    let unanswered = of_kind.iter().filter(|a| a.reply.is_err()).count();
    (
        of_kind.len(),
        succeeded,
        unavailable,
        of_kind.len() - succeeded - unavailable - unanswered,
        unanswered,
    )
}
