use chrono::{DateTime, NaiveDate, Utc};

use crate::domain::availability::WeeklyAvailability;
use crate::domain::client::Coordinates;
use crate::domain::email::Email;
use crate::domain::hours::QuarterHours;
use crate::domain::text_enum::text_enum;
use crate::domain::validation::FieldError;

text_enum! {
    pub enum MemberKind {
        /// A jobseeker in a re-integration trajectory, member of the learning-work company.
        Jobseeker = "jobseeker",
        Volunteer = "volunteer",
    }

    pub enum MemberStatus {
        Active = "active",
        Paused = "paused",
        Left = "left",
    }

    /// Where a member went on leaving.
    pub enum Outflow {
        PaidWork = "paid_work",
        Education = "education",
        VolunteerWork = "volunteer_work",
        Other = "other",
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct MemberFields {
    pub municipality_id: i64,
    pub kind: MemberKind,
    pub name: String,
    pub email: Option<Email>,
    pub phone: Option<String>,
    /// Category codes.
    pub skills: Vec<String>,
    /// Category codes a jobseeker is to learn: the ranking favours work in them.
    pub learning_goals: Vec<String>,
    pub weekly_hour_cap: QuarterHours,
    pub availability: WeeklyAvailability,
    /// The coach user; required for a jobseeker.
    pub coach_id: Option<i64>,
    pub status: MemberStatus,
    pub outflow: Option<Outflow>,
    pub outflow_date: Option<NaiveDate>,
    pub coordinates: Option<Coordinates>,
}

impl MemberFields {
    /// The name a client is told: the first name only.
    pub fn first_name(&self) -> &str {
        self.name.split_whitespace().next().unwrap_or(&self.name)
    }

    pub const DEFAULT_WEEKLY_CAP_HOURS: i32 = 16;
    pub const MAX_WEEKLY_CAP_QUARTERS: i32 = 60 * 4;

    pub fn check(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        if self.kind == MemberKind::Jobseeker && self.coach_id.is_none() {
            errors.push(FieldError::new("coach_id", "a jobseeker needs a coach"));
        }
        if self.kind == MemberKind::Volunteer && !self.learning_goals.is_empty() {
            errors.push(FieldError::new("learning_goals", "only a jobseeker has learning goals"));
        }
        if self.status == MemberStatus::Left {
            if self.outflow_date.is_none() {
                errors.push(FieldError::new("outflow_date", "is required when status is left"));
            }
            if self.kind == MemberKind::Jobseeker && self.outflow.is_none() {
                errors.push(FieldError::new("outflow", "is required when a jobseeker leaves"));
            }
        } else {
            if self.outflow.is_some() {
                errors.push(FieldError::new("outflow", "is only set when status is left"));
            }
            if self.outflow_date.is_some() {
                errors.push(FieldError::new("outflow_date", "is only set when status is left"));
            }
        }
        if errors.is_empty() { Ok(()) } else { Err(errors) }
    }

    /// Whether work of this category is something the member is learning.
    pub fn learns(&self, category: &str) -> bool {
        self.learning_goals.iter().any(|g| g == category)
    }

    pub fn has_skill(&self, category: &str) -> bool {
        self.skills.iter().any(|s| s == category)
    }

    /// Why this member cannot take work of a category, or `None` when they can: only
    /// an active member with the skill can.
    pub fn unfit_for(&self, category: &str) -> Option<String> {
        if self.status != MemberStatus::Active {
            Some(format!("the member is {}", self.status))
        } else if !self.has_skill(category) {
            Some(format!("the member has no {category} skill"))
        } else {
            None
        }
    }

    pub fn can_take(&self, category: &str) -> bool {
        self.unfit_for(category).is_none()
    }

    /// Whether a coach looks after this member: their own jobseekers, and the
    /// volunteers of the municipalities the coach serves.
    pub fn is_coached_by(&self, coach_id: i64, serves: impl Fn(i64) -> bool) -> bool {
        self.coach_id == Some(coach_id) || (self.kind == MemberKind::Volunteer && serves(self.municipality_id))
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    pub id: i64,
    pub fields: MemberFields,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Default)]
pub struct MemberPatch {
    pub municipality_id: Option<i64>,
    pub kind: Option<MemberKind>,
    pub name: Option<String>,
    pub email: Option<Option<Email>>,
    pub phone: Option<Option<String>>,
    pub skills: Option<Vec<String>>,
    pub learning_goals: Option<Vec<String>>,
    pub weekly_hour_cap: Option<QuarterHours>,
    pub availability: Option<WeeklyAvailability>,
    pub coach_id: Option<Option<i64>>,
    pub status: Option<MemberStatus>,
    pub outflow: Option<Option<Outflow>>,
    pub outflow_date: Option<Option<NaiveDate>>,
    pub coordinates: Option<Option<Coordinates>>,
}

impl MemberFields {
    pub fn apply(mut self, patch: MemberPatch) -> Result<MemberFields, Vec<FieldError>> {
        // Coming back from `left` clears where the member went, unless the patch says otherwise.
        if let Some(status) = patch.status
            && status != MemberStatus::Left
        {
            if patch.outflow.is_none() {
                self.outflow = None;
            }
            if patch.outflow_date.is_none() {
                self.outflow_date = None;
            }
        }
        macro_rules! set {
            ($($field:ident),*) => { $( if let Some(v) = patch.$field { self.$field = v; } )* };
        }
        set!(
            municipality_id,
            kind,
            name,
            email,
            phone,
            skills,
            learning_goals,
            weekly_hour_cap,
            availability,
            coach_id,
            status,
            outflow,
            outflow_date,
            coordinates
        );
        self.check()?;
        Ok(self)
    }
}

#[derive(Default)]
pub struct MemberFilter {
    pub municipality_id: Option<i64>,
    pub kind: Option<MemberKind>,
    pub status: Option<MemberStatus>,
    pub coach_id: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jobseeker() -> MemberFields {
        MemberFields {
            municipality_id: 1,
            kind: MemberKind::Jobseeker,
            name: "Sanne de Vries".into(),
            email: None,
            phone: None,
            skills: vec!["gardening".into()],
            learning_goals: vec![],
            weekly_hour_cap: QuarterHours::from_hours(16),
            availability: WeeklyAvailability::default(),
            coach_id: Some(7),
            status: MemberStatus::Active,
            outflow: None,
            outflow_date: None,
            coordinates: None,
        }
    }

    #[test]
    fn a_jobseeker_needs_a_coach() {
        let mut m = jobseeker();
        m.coach_id = None;
        assert_eq!(m.check().unwrap_err()[0].field, "coach_id");
    }

    #[test]
    fn leaving_needs_an_outflow_and_a_date_and_returning_clears_them() {
        let left = jobseeker().apply(MemberPatch {
            status: Some(MemberStatus::Left),
            ..Default::default()
        });
        let fields: Vec<String> = left.unwrap_err().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["outflow_date", "outflow"]);
        let left = jobseeker()
            .apply(MemberPatch {
                status: Some(MemberStatus::Left),
                outflow: Some(Some(Outflow::PaidWork)),
                outflow_date: Some(Some(NaiveDate::from_ymd_opt(2026, 11, 1).unwrap())),
                ..Default::default()
            })
            .unwrap();
        let back = left
            .apply(MemberPatch {
                status: Some(MemberStatus::Active),
                ..Default::default()
            })
            .unwrap();
        assert_eq!((back.outflow, back.outflow_date), (None, None));
    }
}
