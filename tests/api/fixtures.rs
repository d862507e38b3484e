//! Fresh records in a given state, written straight to the database, for tests that
//! need one per call (an assignment can be accepted once, a voucher cancelled once).

use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, Datelike, Duration, Utc};
use diesel::prelude::*;
use woonservice::domain::assignment::{AssignmentStatus, SignOff};
use woonservice::domain::client::Language;
use woonservice::domain::hours::QuarterHours;
use woonservice::domain::mail::{MailTemplate, NewMail};
use woonservice::domain::referral::{self, NewReferral, ReferralStatus};
use woonservice::domain::request::{NewTaskRequest, RequestStatus, Tier};
use woonservice::domain::schedule::{Span, local_date};
use woonservice::domain::voucher::{Serial, expiry};
use woonservice::domain::window::DateWindow;
use woonservice::service::voucher_use;
use woonservice::store::assignments::{NewAssignment, StatusChange};
use woonservice::store::vouchers::{Change, NewSale};
use woonservice::store::{assignments, municipalities, outbox, referrals, requests, time, vouchers};

use crate::helpers::TestApp;

/// Each fixture's visit gets a day of its own, so a member never holds two
/// overlapping slots nor reaches their weekly cap (one hour a day).
static NEXT_DAY: AtomicI64 = AtomicI64::new(3);

fn next_visit() -> Span {
    let day = NEXT_DAY.fetch_add(1, Ordering::Relaxed);
    let midnight = Utc::now().date_naive().and_hms_opt(0, 0, 0).unwrap().and_utc();
    let start = midnight + Duration::days(day) + Duration::hours(9);
    Span::new(start, start + Duration::hours(1))
}

/// A new request and the hour of its own day a visit can take.
pub struct Fresh {
    pub request: i64,
    pub visit: Span,
}

impl TestApp {
    /// A new request of `client`, waiting for a routing run, with a window of its own day.
    pub fn fresh_request(&self, client: i64, municipality: i64, created_by: i64) -> Fresh {
        let visit = next_visit();
        let new = NewTaskRequest {
            client_id: client,
            category: "gardening".into(),
            description: "De heg snoeien".into(),
            window: DateWindow::parse(visit.start, visit.start + Duration::hours(4), Utc::now()).unwrap(),
            estimated_hours: QuarterHours::from_hours(1),
        };
        let request = self.with_db(|c| requests::insert(c, &new, municipality, created_by, self.now()));
        Fresh { request, visit }
    }

    /// A new request routed to `tier`, as a routing run leaves it.
    pub fn routed_request(&self, client: i64, municipality: i64, created_by: i64, tier: Tier) -> Fresh {
        let fresh = self.fresh_request(client, municipality, created_by);
        self.with_db(|c| requests::set_routing(c, fresh.request, RequestStatus::Routed, Some(tier), self.now()));
        fresh
    }

    /// A new request referred to `provider` (a private provider), its referral open
    /// for 48 hours; returns the referral's id.
    pub fn open_referral(&self, client: i64, municipality: i64, provider: i64, created_by: i64) -> i64 {
        let fresh = self.fresh_request(client, municipality, created_by);
        self.with_db(|c| {
            let now = self.now();
            requests::set_routing(
                c,
                fresh.request,
                RequestStatus::Referred,
                Some(Tier::PrivateProvider),
                now,
            )?;
            let new = NewReferral {
                request_id: fresh.request,
                municipality_id: municipality,
                provider_id: provider,
                tier: Tier::PrivateProvider,
                respond_by: referral::respond_by(now, 48),
                created_by: None,
            };
            referrals::insert(c, &new, now)
        })
    }

    /// As `open_referral`, the provider's yes recorded.
    pub fn accepted_referral(&self, client: i64, municipality: i64, provider: i64, created_by: i64) -> i64 {
        let id = self.open_referral(client, municipality, provider, created_by);
        self.with_db(|c| {
            let answer = referrals::Answer {
                answered_by: Some(created_by),
                ..referrals::Answer::default()
            };
            referrals::set_status(
                c,
                id,
                ReferralStatus::Open,
                ReferralStatus::Accepted,
                answer,
                self.now(),
            )
        });
        id
    }

    /// A proposed tier-2 assignment of `jobseeker` on a new request of `client`, whose
    /// client holds a voucher for it.
    pub fn proposed_assignment(&self, client: i64, municipality: i64, jobseeker: i64, proposed_by: i64) -> i64 {
        let fresh = self.routed_request(client, municipality, proposed_by, Tier::Woonservice);
        self.voucher_of(client, municipality, proposed_by);
        let new = NewAssignment {
            request_id: fresh.request,
            member_id: jobseeker,
            client_id: client,
            municipality_id: municipality,
            tier: Tier::Woonservice,
            slot: fresh.visit,
            proposed_by,
        };
        self.with_db(|c| assignments::insert(c, &new, self.now()))
    }

    /// The same, accepted: the voucher reserved, the request scheduled.
    pub fn accepted_assignment(&self, client: i64, municipality: i64, jobseeker: i64, decided_by: i64) -> i64 {
        let id = self.proposed_assignment(client, municipality, jobseeker, decided_by);
        let request = self.hold(id, client, decided_by, AssignmentStatus::Accepted);
        self.with_db(|c| {
            assignments::mark_accepted(c, id, self.now())?;
            requests::set_status(c, request, RequestStatus::Scheduled, self.now())
        });
        id
    }

    /// The same, taken on by the jobseeker and waiting for their coach: the voucher held,
    /// the request still routed.
    pub fn awaiting_assignment(&self, client: i64, municipality: i64, jobseeker: i64, proposed_by: i64) -> i64 {
        let id = self.proposed_assignment(client, municipality, jobseeker, proposed_by);
        self.hold(id, client, proposed_by, AssignmentStatus::AwaitingConfirmation);
        id
    }

    /// The same, accepted and completed with its hours waiting for the client's sign-off.
    pub fn pending_sign_off(&self, client: i64, municipality: i64, jobseeker: i64, decided_by: i64) -> i64 {
        let id = self.accepted_assignment(client, municipality, jobseeker, decided_by);
        self.with_db(|c| {
            let completed = StatusChange {
                status: AssignmentStatus::Completed,
                decided_by: Some(decided_by),
                reason: None,
                hours_worked: Some(QuarterHours::from_hours(1)),
                voucher_shortfall: 0,
            };
            assignments::set_status(c, id, &completed, self.now())?;
            assignments::begin_sign_off(c, id, SignOff::Pending, self.now())
        });
        id
    }

    /// The same, its hours disputed by the client.
    pub fn disputed_sign_off(&self, client: i64, municipality: i64, jobseeker: i64, decided_by: i64) -> i64 {
        let id = self.pending_sign_off(client, municipality, jobseeker, decided_by);
        let answer = assignments::SignOffAnswer {
            dispute_reason: Some("Het was korter"),
            ..Default::default()
        };
        self.with_db(|c| assignments::answer_sign_off(c, id, SignOff::Pending, SignOff::Disputed, &answer, self.now()));
        id
    }

    /// Reserves the client's voucher for a proposed assignment and moves it to `status`;
    /// returns its request.
    fn hold(&self, id: i64, client: i64, decided_by: i64, status: AssignmentStatus) -> i64 {
        self.with_db(|c| {
            let now = self.now();
            let assignment = assignments::find(c, id)?.unwrap();
            let change = Change {
                assignment_id: Some(id),
                actor_id: Some(decided_by),
                reason: None,
                at: now,
            };
            assert!(voucher_use::reserve(
                c,
                client,
                assignment.slot_hours(),
                local_date(now),
                &change
            )?);
            let held = StatusChange {
                status,
                decided_by: Some(decided_by),
                reason: None,
                hours_worked: None,
                voucher_shortfall: 0,
            };
            assignments::set_status(c, id, &held, now)?;
            Ok(assignment.request_id)
        })
    }

    /// Sells one voucher to `client`; returns its serial.
    pub fn voucher_of(&self, client: i64, municipality: i64, sold_by: i64) -> String {
        self.with_db(|c| {
            let now = self.now();
            let today = local_date(now);
            let town = municipalities::find(c, municipality)?.unwrap();
            let prefix = Serial::prefix_of(&town.fields.name);
            let sequence = vouchers::claim_sequence(c, &prefix, today.year(), 1)?;
            let serials = [Serial::new(&prefix, today.year(), sequence).as_str().to_owned()];
            let sale = NewSale {
                client_id: client,
                municipality_id: municipality,
                unit_value: town.fields.voucher_price,
                serials: &serials,
                issued_on: today,
                expires_on: expiry(today, town.fields.voucher_validity_months),
                sold_by,
                at: now,
            };
            vouchers::insert_sale(c, &sale)?;
            Ok(serials[0].clone())
        })
    }

    /// A follow-up, due today, of a new request of `client` completed long ago.
    pub fn follow_up_of(&self, client: i64, municipality: i64, created_by: i64) -> i64 {
        use woonservice::store::schema::follow_ups as f;
        let fresh = self.fresh_request(client, municipality, created_by);
        self.with_db(|c| {
            let now = self.now();
            requests::set_status(c, fresh.request, RequestStatus::Completed, now)?;
            diesel::insert_into(f::table)
                .values((
                    f::request_id.eq(fresh.request),
                    f::municipality_id.eq(municipality),
                    f::client_id.eq(client),
                    f::due_on.eq(local_date(now)),
                    f::created_at.eq(time::to_db(now)),
                ))
                .execute(c)?;
            Ok(f::table
                .filter(f::request_id.eq(fresh.request))
                .select(f::id)
                .first(c)?)
        })
    }

    /// A queued mail, or a dead one (delivery given up).
    pub fn mail(&self, dead: bool) -> i64 {
        use woonservice::store::schema::outbox as o;
        self.with_db(|c| {
            let mail = NewMail {
                recipient: "iemand@test.nl".into(),
                recipient_name: None,
                language: Language::Nl,
                template: MailTemplate::RequestReceived,
                data: serde_json::json!({}),
                once_key: None,
                request_id: None,
            };
            let at: DateTime<Utc> = self.now();
            outbox::enqueue(c, &mail, at)?;
            let id: i64 = o::table
                .select(diesel::dsl::max(o::id))
                .first::<Option<i64>>(c)?
                .unwrap();
            if dead {
                diesel::update(o::table.find(id))
                    .set((o::status.eq("dead"), o::last_error.eq(Some("550 no such user"))))
                    .execute(c)?;
            }
            Ok(id)
        })
    }
}
