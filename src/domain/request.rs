use chrono::{DateTime, Utc};

use crate::domain::hours::QuarterHours;
use crate::domain::text_enum::text_enum;
use crate::domain::window::DateWindow;

text_enum! {
    pub enum RequestStatus {
        New = "new",
        /// A member tier was chosen; waiting for an assignment.
        Routed = "routed",
        /// An assignment was accepted.
        Scheduled = "scheduled",
        Completed = "completed",
        /// A provider tier was chosen.
        Referred = "referred",
        /// No tier matched; in the advisors' queue.
        Unmatched = "unmatched",
        Cancelled = "cancelled",
    }

    /// The escalation order, first to last; then a local organisation, outside the
    /// order: only an advisor refers to one, by hand.
    pub enum Tier {
        Volunteer = "volunteer",
        Woonservice = "woonservice",
        PrivateProvider = "private_provider",
        Business = "business",
        Organisation = "organisation",
    }
}

impl RequestStatus {
    /// Whether the request is finished and no longer changes.
    pub fn is_final(self) -> bool {
        matches!(self, RequestStatus::Completed | RequestStatus::Cancelled)
    }
}

/// A task for one client.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskRequest {
    pub id: i64,
    pub client_id: i64,
    pub municipality_id: i64,
    pub category: String,
    pub description: String,
    pub window: DateWindow,
    pub estimated_hours: QuarterHours,
    pub status: RequestStatus,
    pub tier: Option<Tier>,
    pub cancel_reason: Option<String>,
    pub created_by: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// What intake provides.
#[derive(Debug, Clone)]
pub struct NewTaskRequest {
    pub client_id: i64,
    pub category: String,
    pub description: String,
    pub window: DateWindow,
    pub estimated_hours: QuarterHours,
}

impl NewTaskRequest {
    pub const MIN_QUARTERS: i32 = 1;
    pub const MAX_QUARTERS: i32 = 8 * 4;
    pub const MAX_DESCRIPTION: usize = 2000;
}

#[derive(Default)]
pub struct RequestFilter {
    pub status: Option<RequestStatus>,
    pub municipality_id: Option<i64>,
    pub tier: Option<Tier>,
    pub client_id: Option<i64>,
}
