//! Sends the outbox over SMTP: claims due mails, sends them, marks them sent; a failed
//! send is retried with a backoff doubling from 1 s up to `MAIL_RETRY_MAX_SECS`, and
//! after 24 hours — or at once when the server rejects it for good (a 5xx reply) — the
//! mail is dead and an error is logged. Every mail keeps its `Message-ID` across
//! retries, so a retry after an unknown outcome is recognisable as the same mail.
//!
//! One mail never stops the others: a mail that cannot be built is dead at once, with
//! the reason in `last_error`, and so is one whose building or sending panics (each
//! delivery runs as a task of its own). Should the worker itself end by a panic all
//! the same, [`supervise`] starts it again and `readyz` says so meanwhile.

use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, Utc};
use lettre::message::header::{ContentType, Header, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use tokio::sync::watch;

use crate::domain::client::Language;
use crate::domain::contact::single_line;
use crate::domain::mail::MailTemplate;
use crate::error::{AppError, AppResult, Chain};
use crate::service::Ctx;
use crate::service::clock::Clock;
use crate::service::mail::render::render_stored;
use crate::store::outbox::{self, OutboxRow};
use crate::store::time::from_db;
use crate::store::{Db, DbConnection, tx};

/// A claimed mail is ours for `MAIL_LEASE_SECS`; a crashed instance's claims lapse
/// after that. Each mail's lease is renewed just before it is sent, and a send may take
/// at most half the lease: so no other instance can take a mail over while this one is
/// sending it, however slow the mail server or the batch.
const BATCH: i64 = 20;
/// How long the worker rests when nothing is due.
const IDLE: StdDuration = StdDuration::from_millis(500);

#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    retry_max: Duration,
    lease: Duration,
    /// The desk's address, before the paths mails link to.
    site: String,
}

impl Mailer {
    pub fn new(smtp_url: &str, from: &str, retry_max_secs: u64, lease_secs: u64, site: &str) -> Result<Mailer, String> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(smtp_url)
            .map_err(|e| format!("SMTP_URL: {e}"))?
            .timeout(Some(StdDuration::from_secs(20)))
            .build();
        Ok(Mailer {
            transport,
            from: from.parse().map_err(|e| format!("MAIL_FROM: {e}"))?,
            retry_max: Duration::seconds(retry_max_secs as i64),
            lease: Duration::seconds(lease_secs as i64),
            site: site.to_owned(),
        })
    }

    fn send_limit(&self) -> StdDuration {
        (self.lease / 2).to_std().unwrap_or(StdDuration::from_secs(1))
    }
}

#[derive(Clone)]
struct MessageIdHeader(String);

impl Header for MessageIdHeader {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("Message-ID")
    }

    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(MessageIdHeader(s.to_owned()))
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), self.0.clone())
    }
}

fn build(mailer: &Mailer, row: &OutboxRow) -> Result<Message, String> {
    let template: MailTemplate = row.template.parse()?;
    let language: Language = row.language.parse()?;
    let rendered = render_stored(template, language, &row.data, &mailer.site)?;
    let address = row
        .recipient
        .parse()
        .map_err(|e| format!("recipient {}: {e}", row.recipient))?;
    // A name or subject stored with a line break would break the header (lettre
    // panics on it); on one line it reads the same.
    let to = Mailbox::new(row.recipient_name.as_deref().map(single_line), address);
    Message::builder()
        .from(mailer.from.clone())
        .to(to)
        .subject(single_line(&rendered.subject))
        .header(MessageIdHeader(row.message_id.clone()))
        .multipart(
            MultiPart::alternative()
                .singlepart(
                    SinglePart::builder()
                        .header(ContentType::TEXT_PLAIN)
                        .body(rendered.text),
                )
                .singlepart(SinglePart::builder().header(ContentType::TEXT_HTML).body(rendered.html)),
        )
        .map_err(|e| format!("building the message: {e}"))
}

/// The wait before attempt `attempts + 1`: 1 s, 2 s, 4 s, … up to the cap.
pub fn backoff(attempts: i32, cap: Duration) -> Duration {
    let secs = 1i64.checked_shl(attempts.clamp(0, 30) as u32).unwrap_or(i64::MAX);
    Duration::seconds(secs).min(cap)
}

#[derive(Clone)]
enum Outcome {
    Sent,
    Retry(String),
    Dead(String),
}

async fn deliver(mailer: Mailer, row: OutboxRow) -> Outcome {
    let message = match build(&mailer, &row) {
        Ok(m) => m,
        Err(e) => return Outcome::Dead(e),
    };
    match mailer.transport.send(message).await {
        Ok(_) => Outcome::Sent,
        Err(e) if e.is_permanent() => Outcome::Dead(format!("rejected: {e}")),
        Err(e) => Outcome::Retry(e.to_string()),
    }
}

/// Runs one delivery as a task of its own, within `limit`: a panic in it makes that
/// mail dead instead of ending the worker.
async fn deliver_guarded(limit: StdDuration, delivery: impl Future<Output = Outcome> + 'static) -> Outcome {
    match tokio::time::timeout(limit, actix_web::rt::spawn(delivery)).await {
        Ok(Ok(outcome)) => outcome,
        Ok(Err(e)) if e.is_panic() => Outcome::Dead(format!(
            "the mail could not be built or sent: {}",
            panic_message(e.into_panic())
        )),
        Ok(Err(e)) => Outcome::Retry(format!("the delivery stopped: {e}")),
        Err(_) => Outcome::Retry(format!("no answer from the mail server in {} s", limit.as_secs())),
    }
}

fn panic_message(payload: Box<dyn std::any::Any + Send>) -> String {
    match payload.downcast::<String>() {
        Ok(text) => *text,
        Err(payload) => payload
            .downcast_ref::<&str>()
            .map_or_else(|| "a panic without a message".to_owned(), |text| (*text).to_owned()),
    }
}

/// Claims and sends one batch; returns how many mails it handled.
pub async fn send_due(db: &Db, clock: &Clock, mailer: &Mailer) -> AppResult<usize> {
    let lease = mailer.lease;
    let now = clock.now();
    let claimed = db
        .run(move |conn| tx::write(conn, |conn| outbox::claim_due(conn, now, lease, BATCH)))
        .await?;
    let claim_end = outbox::lease_end(now, lease);
    for row in &claimed {
        let id = row.id;
        let at = clock.clone();
        let (ours, renewed_until) = while_held(db, clock, claim_end, move |conn| {
            let now = at.now();
            let until = outbox::lease_end(now, lease);
            Ok((outbox::renew(conn, id, claim_end, until, now)?, until))
        })
        .await?;
        if !ours {
            tracing::warn!(
                mail = id,
                "the lease on a mail lapsed before it was sent; another instance has it"
            );
            continue;
        }
        let held = renewed_until;
        let outcome = deliver_guarded(mailer.send_limit(), deliver(mailer.clone(), row.clone())).await;
        let (attempts, give_up_at) = (row.attempts, from_db(row.give_up_at));
        let cap = mailer.retry_max;
        let message_id = row.message_id.clone();
        let at = clock.clone();
        let recorded = while_held(db, clock, held, move |conn| {
                let now = at.now();
                match outcome.clone() {
                    Outcome::Sent => outbox::mark_sent(conn, id, held, now),
                    Outcome::Retry(error) => {
                        let next = now + backoff(attempts, cap);
                        let dead = next > give_up_at;
                        if dead {
                            tracing::error!(mail = id, %message_id, %error, "mail undeliverable for 24 hours; it is dead");
                        } else {
                            tracing::warn!(mail = id, %message_id, %error, attempt = attempts + 1, "mail not sent; retrying");
                        }
                        outbox::mark_failed(conn, id, held, &error, next, dead)
                    }
                    Outcome::Dead(error) => {
                        tracing::error!(mail = id, %message_id, %error, "mail rejected for good; it is dead");
                        outbox::mark_failed(conn, id, held, &error, now, true)
                    }
                }
            })
            .await?;
        if !recorded {
            tracing::error!(
                mail = id,
                "a mail's outcome came after its lease ended; it was not recorded"
            );
        }
    }
    Ok(claimed.len())
}

/// How long the worker pauses between two tries to reach the database.
const DB_RETRY: StdDuration = StdDuration::from_millis(500);

/// Runs `work`, and again while the database is unreachable and our lease (ending at
/// `held`) lasts: a mail sent during a database outage is recorded as sent once the
/// database is back, instead of being sent a second time by whoever takes it over
/// after the lease; and a claimed batch is sent on instead of waiting out its lease.
async fn while_held<T, F>(db: &Db, clock: &Clock, held: DateTime<Utc>, work: F) -> AppResult<T>
where
    F: Fn(&mut DbConnection) -> AppResult<T> + Clone + Send + 'static,
    T: Send + 'static,
{
    loop {
        match db.run(work.clone()).await {
            Err(AppError::Unavailable(cause)) if clock.now() < held => {
                tracing::warn!(cause = %Chain(cause.as_ref()), "mail worker cannot reach the database while it holds mails; trying again");
                tokio::time::sleep(DB_RETRY).await;
            }
            result => return result,
        }
    }
}

/// Sends until told to stop; a mail being sent when the stop comes is finished first.
pub async fn run(db: Db, clock: Clock, mailer: Mailer, mut stop: watch::Receiver<bool>) {
    loop {
        if *stop.borrow() {
            break;
        }
        let handled = match send_due(&db, &clock, &mailer).await {
            Ok(n) => n,
            Err(e) => {
                tracing::warn!(error = %e, "mail worker could not reach the database; trying again");
                0
            }
        };
        if handled == 0 {
            tokio::select! {
                _ = tokio::time::sleep(IDLE) => {}
                _ = stop.changed() => {}
            }
        }
    }
    tracing::info!("mail worker stopped");
}

/// Whether the mail worker runs, for `readyz`.
#[derive(Debug, Default)]
pub struct WorkerHealth {
    /// True while a worker was meant to run but is being started again.
    restarting: AtomicBool,
    restarts: AtomicU64,
}

impl WorkerHealth {
    /// `None` when all is well, else what is wrong.
    pub fn problem(&self) -> Option<String> {
        self.restarting.load(Ordering::Acquire).then(|| {
            format!(
                "the mail worker stopped and is being started again ({} restart(s) so far)",
                self.restarts.load(Ordering::Acquire)
            )
        })
    }
}

/// How long a stopped worker rests before it is started again.
const RESTART_PAUSE: StdDuration = StdDuration::from_secs(1);

/// Runs the worker until `stop`; when it ends any other way (a panic), logs it, marks
/// `health`, and starts it again after a pause.
pub async fn supervise(ctx: Ctx, mailer: Mailer, stop: watch::Receiver<bool>) {
    let health = ctx.mail_health.clone();
    loop {
        let worker = actix_web::rt::spawn(run(ctx.db.clone(), ctx.clock.clone(), mailer.clone(), stop.clone()));
        let ended = worker.await;
        if *stop.borrow() {
            break;
        }
        health.restarting.store(true, Ordering::Release);
        health.restarts.fetch_add(1, Ordering::AcqRel);
        match ended {
            Err(e) => tracing::error!(error = %e, "the mail worker ended unexpectedly; starting it again"),
            Ok(()) => tracing::error!("the mail worker returned unexpectedly; starting it again"),
        }
        let mut stop = stop.clone();
        tokio::select! {
            _ = tokio::time::sleep(RESTART_PAUSE) => {}
            _ = stop.changed() => break,
        }
        health.restarting.store(false, Ordering::Release);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[actix_web::test]
    async fn a_delivery_that_panics_makes_its_mail_dead_and_leaves_the_worker_running() {
        let outcome = deliver_guarded(StdDuration::from_secs(5), async {
            panic!("Display implementation returned an error")
        })
        .await;
        assert!(
            matches!(&outcome, Outcome::Dead(e) if e.contains("Display implementation returned an error")),
            "{}",
            match outcome {
                Outcome::Sent => "sent".to_owned(),
                Outcome::Retry(e) | Outcome::Dead(e) => e,
            }
        );
        assert!(matches!(
            deliver_guarded(StdDuration::from_secs(5), async { Outcome::Sent }).await,
            Outcome::Sent
        ));
    }

    #[test]
    fn retries_wait_twice_as_long_each_time_up_to_the_cap() {
        let cap = Duration::seconds(300);
        let waits: Vec<i64> = (0..10).map(|a| backoff(a, cap).num_seconds()).collect();
        assert_eq!(waits, [1, 2, 4, 8, 16, 32, 64, 128, 256, 300]);
        assert_eq!(backoff(500, cap).num_seconds(), 300);
    }
}
