//! What a visit is, for the one who goes and for the one who is visited: a member
//! without mail reads here where to go and whom to ring.

/// The visit of an assignment as its reader needs it.
#[derive(Debug, Clone, PartialEq)]
pub enum Visit {
    /// For the member, their coach and staff: what, where, and whom to ring.
    ForWorker {
        task: Task,
        address: String,
        client_name: String,
        client_phone: Option<String>,
    },
    /// For the client: what, and who comes.
    ForClient { task: Task, member_name: String },
}

/// The task of a visit.
#[derive(Debug, Clone, PartialEq)]
pub struct Task {
    pub category: String,
    /// The category's Dutch name.
    pub category_name: String,
    pub description: String,
}
