use chrono::{DateTime, NaiveDate, Utc};

/// Three months after a request was completed, an advisor asks the client whether
/// the help lasted.
#[derive(Debug, Clone, PartialEq)]
pub struct FollowUp {
    pub id: i64,
    pub request_id: i64,
    pub municipality_id: i64,
    pub client_id: i64,
    pub due_on: NaiveDate,
    pub done_at: Option<DateTime<Utc>>,
    pub done_by: Option<i64>,
    pub helped_lastingly: Option<bool>,
    pub note: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl FollowUp {
    pub fn done(&self) -> Option<DateTime<Utc>> {
        self.done_at
    }
}
