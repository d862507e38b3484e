//! Restarts under load (issue 15, point 7): PostgreSQL stopped for 10 s and started
//! again while writes run, and `serve` killed with SIGKILL mid-load and started again.
//! Nothing answered 2xx is lost, the outage answers 503 problem+json, and every queued
//! mail is sent. The figures are printed (run with `--nocapture` to see them) and kept
//! in docs/RESILIENCE.md.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use diesel::prelude::*;
use woonservice::config::DatabaseTarget;
use woonservice::store::Db;
use woonservice::store::schema::outbox;

use crate::cluster;
use crate::helpers::TestDb;
use crate::load::{self, Answer, Api, Fixture, Kind, Load, Tokens, Written, counts, each_kind_succeeded_since};
use crate::served::{Served, vouchers_verify};
use crate::smtp::SmtpServer;

const OUTAGE: Duration = Duration::from_secs(10);
/// The mail lease of these tests' `serve` (MAIL_LEASE_SECS): how long the mails a killed
/// instance held wait before the new instance may send them.
const LEASE_SECS: u64 = 10;
const ALL_KINDS: [Kind; 3] = [Kind::Intake, Kind::Sale, Kind::Accept];

/// `serve`'s mail settings; `short_lease` for a test that kills `serve` and cannot wait
/// out the default lease of 120 s.
fn settings(smtp: &SmtpServer, short_lease: bool) -> Vec<(&'static str, String)> {
    let mut settings = vec![
        ("SMTP_URL", format!("smtp://127.0.0.1:{}", smtp.port)),
        ("MAIL_RETRY_MAX_SECS", "1".into()),
    ];
    if short_lease {
        settings.push(("MAIL_LEASE_SECS", LEASE_SECS.to_string()));
    }
    settings
}

/// One `/readyz` call: when it was sent, when it was answered, and the answer.
type ReadyCall = (Instant, Instant, Result<(u16, String), String>);

/// `/readyz` polled until stopped.
struct Readiness {
    stop: tokio::sync::watch::Sender<bool>,
    task: tokio::task::JoinHandle<Vec<ReadyCall>>,
}

impl Readiness {
    fn watch(api: &Api) -> Readiness {
        let (stop, mut stopped) = tokio::sync::watch::channel(false);
        let api = api.clone();
        let task = tokio::spawn(async move {
            let mut seen = Vec::new();
            let started = Instant::now();
            while !*stopped.borrow() && started.elapsed() < Duration::from_secs(120) {
                let sent = Instant::now();
                let answer = api.ready_status().await;
                seen.push((sent, Instant::now(), answer));
                tokio::select! {
                    _ = tokio::time::sleep(Duration::from_millis(250)) => {}
                    _ = stopped.changed() => {}
                }
            }
            seen
        });
        Readiness { stop, task }
    }

    async fn stop(self) -> Vec<ReadyCall> {
        let _ = self.stop.send(true);
        self.task.await.unwrap()
    }
}

/// Sends every keyed call that got no 2xx again, with the same key and body, until it
/// gets one (at most 30 s): each must then be written exactly once.
async fn retry_unfinished(api: &Api, answers: &[Answer]) -> Vec<Answer> {
    let done: std::collections::HashSet<&str> = answers
        .iter()
        .filter(|a| a.succeeded())
        .filter_map(|a| a.call.key.as_deref())
        .collect();
    let mut retried = Vec::new();
    for answer in answers
        .iter()
        .filter(|a| !a.succeeded() && a.call.key.as_deref().is_some_and(|k| !done.contains(k)))
    {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let again = api.send(&answer.call).await;
            if again.succeeded() {
                retried.push(again);
                break;
            }
            assert!(
                Instant::now() < deadline,
                "a retry of {:?} kept failing: {:?}",
                answer.call,
                again.reply
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
    retried
}

/// Every write answered 2xx is in the database, and each key was written exactly once.
fn assert_all_written(target: &DatabaseTarget, fixture: &Fixture, written: &Written) -> load::Stored {
    let stored = load::stored(target, fixture);
    let missing_requests: Vec<_> = written.requests.difference(&stored.requests).collect();
    let missing_serials: Vec<_> = written.serials.difference(&stored.serials).collect();
    let missing_accepts: Vec<_> = written.accepted.difference(&stored.accepted).collect();
    assert!(
        missing_requests.is_empty() && missing_serials.is_empty() && missing_accepts.is_empty(),
        "answered 2xx but not in the database: requests {missing_requests:?}, vouchers {missing_serials:?}, accepts {missing_accepts:?}"
    );
    assert_eq!(
        stored.requests.len(),
        written.intake_keys.len(),
        "one request per Idempotency-Key"
    );
    assert_eq!(
        stored.serials.len(),
        2 * written.sale_keys.len(),
        "one sale of two vouchers per Idempotency-Key"
    );
    stored
}

fn outbox_rows(target: &DatabaseTarget) -> Vec<(String, String)> {
    Db::for_command(target)
        .run_blocking(|c| {
            Ok(outbox::table
                .order(outbox::id)
                .select((outbox::status, outbox::message_id))
                .load::<(String, String)>(c)?)
        })
        .expect("the outbox can be read")
}

/// Waits (at most `within`) until no mail is queued any more; returns the rows.
async fn wait_until_outbox_is_sent(target: &DatabaseTarget, within: Duration) -> Vec<(String, String)> {
    let deadline = Instant::now() + within;
    loop {
        let target = target.clone();
        let rows = tokio::task::spawn_blocking(move || outbox_rows(&target)).await.unwrap();
        if rows.iter().all(|(status, _)| status != "queued") {
            return rows;
        }
        assert!(
            Instant::now() < deadline,
            "mails still queued after {within:?}: {}",
            rows.iter().filter(|(s, _)| s == "queued").count()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Every outbox row is sent and arrived; returns how many arrived more than once.
fn assert_each_mail_arrived(rows: &[(String, String)], smtp: &SmtpServer) -> usize {
    assert!(
        rows.iter().all(|(status, _)| status == "sent"),
        "{:?}",
        rows.iter().filter(|(s, _)| s != "sent").collect::<Vec<_>>()
    );
    let mut arrived: HashMap<String, usize> = HashMap::new();
    for mail in smtp.received() {
        *arrived.entry(mail.message_id).or_default() += 1;
    }
    let never: Vec<&String> = rows
        .iter()
        .map(|(_, id)| id)
        .filter(|id| !arrived.contains_key(*id))
        .collect();
    assert!(never.is_empty(), "marked sent but never arrived: {never:?}");
    assert_eq!(arrived.len(), rows.len(), "no mail arrives that was not queued");
    arrived.values().filter(|&&n| n > 1).count()
}

fn successes(answers: &[Answer], kind: Kind) -> usize {
    answers.iter().filter(|a| a.call.kind == kind && a.succeeded()).count()
}

/// The figures of a run: per kind of write, what the calls got, what the retries with
/// the same key got, and what the database holds (accepts: of all assignments).
fn report(title: &str, answers: &[Answer], retried: &[Answer], stored: &load::Stored) -> String {
    let mut lines = vec![title.to_owned()];
    for (kind, found) in [
        (Kind::Intake, stored.requests.len()),
        (Kind::Sale, stored.serials.len() / 2),
        (Kind::Accept, stored.accepted.len()),
    ] {
        let (calls, ok, unavailable, other, unanswered) = counts(answers, kind);
        let (_, retried_ok, ..) = counts(retried, kind);
        lines.push(format!(
            "  {kind:?}: {calls} calls: {ok} answered 2xx, {unavailable} answered 503, {other} other, {unanswered} unanswered; \
             {retried_ok} retried with their key until 2xx; {} written in all, {found} in the database",
            ok + retried_ok
        ));
    }
    lines.join("\n")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_restart_under_load_answers_503_meanwhile_and_loses_no_write_answered_2xx() {
    let Some(cluster) = cluster::for_restart_test() else {
        return;
    };
    let url = cluster.create_database("restart_outage");
    let target = DatabaseTarget::Postgres(url.clone());
    let fixture = load::fixture(&target, 40);
    let smtp = SmtpServer::start(&[]);
    let served = Served::start(&url, &settings(&smtp, false));
    let api = Api::new(&served.address);
    let tokens = Tokens::of(&api, &fixture).await;
    let proposals = load::proposals(&api, &tokens, &fixture).await;

    let readiness = Readiness::watch(&api);
    let load = Load::start(&api, &tokens, &fixture, &proposals, Duration::from_millis(100));
    let started = Instant::now();
    load.wait_until(Duration::from_secs(30), "every kind written", |a| {
        each_kind_succeeded_since(a, started, &ALL_KINDS)
    })
    .await;

    let cluster = std::sync::Arc::new(cluster);
    let down = cluster.clone();
    tokio::task::spawn_blocking(move || down.stop_server()).await.unwrap();
    let down_at = Instant::now();
    tokio::time::sleep(OUTAGE).await;
    // The server may answer before `start_server` returns: "down" ends when the start
    // begins, not when it is confirmed.
    let starting_at = Instant::now();
    let up = cluster.clone();
    tokio::task::spawn_blocking(move || up.start_server()).await.unwrap();
    let up_at = Instant::now();
    load.wait_until(Duration::from_secs(30), "writes succeed again", |a| {
        a.iter().any(|a| a.at > up_at && a.succeeded())
    })
    .await;
    let recovered_after = up_at.elapsed();
    load.wait_until(Duration::from_secs(30), "a stretch of writes after the restart", |a| {
        [Kind::Intake, Kind::Sale].iter().all(|k| {
            a.iter()
                .filter(|a| a.call.kind == *k && a.at > up_at && a.succeeded())
                .count()
                >= 10
        })
    })
    .await;
    let answers = load.stop().await;
    let readiness = readiness.stop().await;

    // Nothing hung, nothing failed otherwise: every answer is a 2xx or a 503 problem.
    let unanswered: Vec<_> = answers.iter().filter(|a| a.reply.is_err()).collect();
    assert!(unanswered.is_empty(), "calls without an answer: {unanswered:#?}");
    for answer in answers.iter().filter(|a| !a.succeeded()) {
        let reply = answer.reply.as_ref().unwrap();
        assert!(
            reply.status == 503
                && reply.content_type == "application/problem+json"
                && reply.body["code"] == "unavailable"
                && reply.retry_after.is_some(),
            "{} answered {} {} {}",
            answer.call.path,
            reply.status,
            reply.content_type,
            reply.body
        );
    }
    let unavailable = answers.iter().filter(|a| a.status() == Some(503)).count();
    assert!(unavailable > 0, "the outage was not noticed by any write");

    let during: Vec<_> = readiness
        .iter()
        .filter(|(sent, answered, _)| *sent > down_at && *answered < starting_at)
        .map(|(_, _, r)| r.clone())
        .collect();
    assert!(
        during
            .iter()
            .all(|r| matches!(r, Ok((503, ct)) if ct == "application/problem+json")),
        "readyz while the database was down: {during:?}"
    );
    assert!(!during.is_empty(), "readyz was not asked during the outage");
    let ready_again = api.ready_status().await;
    assert!(
        matches!(ready_again, Ok((200, _))),
        "readyz after the restart: {ready_again:?}"
    );

    let retried = retry_unfinished(&api, &answers).await;
    let written = Written::of(&[answers.as_slice(), retried.as_slice()].concat());
    let stored = assert_all_written(&target, &fixture, &written);
    let (ok, said) = vouchers_verify(&url);
    assert!(ok, "vouchers verify after the restart: {said}");

    let rows = wait_until_outbox_is_sent(&target, Duration::from_secs(60)).await;
    let twice = assert_each_mail_arrived(&rows, &smtp);
    assert_eq!(twice, 0, "a database restart sends no mail twice");

    eprintln!(
        "{}\n  writes answered 503: {unavailable}; first write after the restart succeeded {:.1} s after it; readyz 503 answers during the outage: {}\n  mails queued and sent: {}, arrived twice: {twice}",
        report(
            &format!("PostgreSQL stopped for {} s under load:", OUTAGE.as_secs()),
            &answers,
            &retried,
            &stored
        ),
        recovered_after.as_secs_f64(),
        during.len(),
        rows.len()
    );
    drop(served);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_kill_9_of_serve_under_load_every_write_answered_2xx_is_kept_and_every_queued_mail_is_sent() {
    let db = TestDb::new();
    let url = db.url();
    let fixture = load::fixture(&db.target, 30);
    // A slow mail server, so that mails are queued, claimed and in flight at the kill.
    let smtp = SmtpServer::start_slow(Duration::from_millis(100));
    let first = Served::start(&url, &settings(&smtp, true));
    let api = Api::new(&first.address);
    let tokens = Tokens::of(&api, &fixture).await;
    let proposals = load::proposals(&api, &tokens, &fixture).await;

    let load = Load::start(&api, &tokens, &fixture, &proposals, Duration::from_millis(50));
    let started = Instant::now();
    let target = db.target.clone();
    load.wait_until(Duration::from_secs(60), "a stretch of writes", |a| {
        each_kind_succeeded_since(a, started, &ALL_KINDS) && successes(a, Kind::Intake) >= 40
    })
    .await;
    let deadline = Instant::now() + Duration::from_secs(30);
    while outbox_rows(&target).iter().filter(|(s, _)| s == "queued").count() < 10 {
        assert!(
            Instant::now() < deadline,
            "no mails queued up behind the slow mail server"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    first.kill_9();
    let queued_at_kill = outbox_rows(&target).iter().filter(|(s, _)| s == "queued").count();
    let arrived_before_kill = smtp.received().len();
    let mut answers = load.stop().await;

    let second = Served::start(&url, &settings(&smtp, true));
    let restarted_at = Instant::now();
    let api = Api::new(&second.address);
    let load = Load::start(&api, &tokens, &fixture, &proposals, Duration::from_millis(50));
    load.wait_until(Duration::from_secs(60), "a stretch of writes after the restart", |a| {
        successes(a, Kind::Intake) >= 20 && each_kind_succeeded_since(a, restarted_at, &[Kind::Sale])
    })
    .await;
    let after = load.stop().await;
    let failed: Vec<_> = after.iter().filter(|a| !a.succeeded()).collect();
    assert!(failed.is_empty(), "writes failed after the restart: {failed:#?}");
    answers.extend(after);

    let retried = retry_unfinished(&api, &answers).await;
    let written = Written::of(&[answers.as_slice(), retried.as_slice()].concat());
    let stored = assert_all_written(&db.target, &fixture, &written);
    let (ok, said) = vouchers_verify(&url);
    assert!(ok, "vouchers verify after the restart: {said}");

    let rows = wait_until_outbox_is_sent(&db.target, Duration::from_secs(LEASE_SECS + 60)).await;
    let all_sent_after = restarted_at.elapsed();
    let twice = assert_each_mail_arrived(&rows, &smtp);
    // The worker sends one mail at a time: only the mail it was sending when it was
    // killed can have arrived without being recorded as sent.
    assert!(twice <= 1, "{twice} mails arrived twice");

    eprintln!(
        "{}\n  mails queued at the kill: {queued_at_kill} (arrived before it: {arrived_before_kill}); all {} sent {:.1} s after the restart; arrived twice: {twice}",
        report(
            &format!(
                "serve killed with SIGKILL under load ({}):",
                if db.is_postgres() { "PostgreSQL" } else { "SQLite" }
            ),
            &answers,
            &retried,
            &stored
        ),
        rows.len(),
        all_sent_after.as_secs_f64()
    );
    drop(second);
}
