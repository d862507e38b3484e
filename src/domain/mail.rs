//! Mails the service sends: which event, to whom, in which language.

use chrono::{DateTime, Utc};

use crate::domain::client::Language;
use crate::domain::text_enum::text_enum;

text_enum! {
    /// One template per event; each has a Dutch and an English text and HTML part.
    pub enum MailTemplate {
        /// Member: a new proposed assignment (what, where, when).
        AssignmentProposed = "assignment_proposed",
        /// Member: their assignment was cancelled.
        AssignmentCancelled = "assignment_cancelled",
        /// Client: the request was received.
        RequestReceived = "request_received",
        /// Client: a visit is scheduled.
        VisitScheduled = "visit_scheduled",
        /// Client: referred to a provider.
        RequestReferred = "request_referred",
        /// Client: the work was completed.
        WorkCompleted = "work_completed",
        /// Coach: their jobseeker declined.
        JobseekerDeclined = "jobseeker_declined",
        /// Coach: their jobseeker did not show up.
        JobseekerNoShow = "jobseeker_no_show",
        /// Advisors: a request became unmatched.
        RequestUnmatched = "request_unmatched",
        /// Client: few vouchers left.
        VouchersLow = "vouchers_low",
        /// Client: vouchers expire within 30 days.
        VouchersExpiring = "vouchers_expiring",
        /// Member and client: the visit is tomorrow.
        VisitReminder = "visit_reminder",
        /// Provider: a request referred to them, to answer by a date.
        ProviderReferral = "provider_referral",
        /// Client: we look for a volunteer or jobseeker.
        RequestRouted = "request_routed",
        /// Client: nobody found yet; an advisor will contact them.
        RequestOnHold = "request_on_hold",
        /// Coach: their jobseeker took on a visit that waits for their confirmation.
        ConfirmationRequested = "confirmation_requested",
        /// Member: the coach confirmed or rejected the visit they took on.
        ConfirmationAnswered = "confirmation_answered",
        /// Client: the hours of a visit, to agree to or dispute by a date.
        SignOffRequested = "sign_off_requested",
        /// Advisors: a client disputed the hours of a visit.
        SignOffDisputed = "sign_off_disputed",
    }

    pub enum MailStatus {
        Queued = "queued",
        Sent = "sent",
        /// Given up on: rejected for good, unbuildable, or undeliverable for 24 hours.
        Dead = "dead",
        /// Ended by an admin before it was sent; never sent.
        Cancelled = "cancelled",
    }
}

/// A mail to queue.
#[derive(Debug, Clone)]
pub struct NewMail {
    pub recipient: String,
    pub recipient_name: Option<String>,
    pub language: Language,
    pub template: MailTemplate,
    /// What the template fills in.
    pub data: serde_json::Value,
    /// For events that happen once: a second mail with the same key is not queued.
    pub once_key: Option<String>,
    pub request_id: Option<i64>,
}

/// A mail in the outbox.
#[derive(Debug, Clone)]
pub struct OutboxMail {
    pub id: i64,
    pub recipient: String,
    pub recipient_name: Option<String>,
    pub language: Language,
    pub template: MailTemplate,
    /// The template's data as JSON.
    pub data: String,
    pub status: MailStatus,
    pub attempts: i32,
    pub next_attempt_at: DateTime<Utc>,
    pub give_up_at: DateTime<Utc>,
    pub last_error: Option<String>,
    pub message_id: String,
    pub request_id: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

/// Available vouchers at or below this after a reservation: tell the client.
pub const LOW_VOUCHERS: i64 = 2;
/// Warn about vouchers that expire within this many days.
pub const EXPIRY_WARNING_DAYS: i64 = 30;
