//! Referrals: a request handed to a provider, which waits for the provider's answer
//! until `respond_by`, and the status machine of that answer.

use chrono::{DateTime, Duration, Utc};

use crate::domain::client::Language;
use crate::domain::dates::date_time;
use crate::domain::request::Tier;
use crate::domain::routing::tier_name;
use crate::domain::text_enum::text_enum;

text_enum! {
    pub enum ReferralStatus {
        /// Waiting for the provider's answer until `respond_by`.
        Open = "open",
        /// The provider took the job.
        Accepted = "accepted",
        /// The provider turned it down; the request was routed on.
        Declined = "declined",
        /// No answer before `respond_by`; the request was routed on.
        Expired = "expired",
        /// The provider did the work; the request is completed.
        Completed = "completed",
        /// The request moved elsewhere or was cancelled before an answer.
        Withdrawn = "withdrawn",
    }
}

/// What happens to a referral.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReferralAction {
    Accept,
    Decline,
    Expire,
    Complete,
    /// The request was routed elsewhere or cancelled.
    Withdraw,
}

impl ReferralStatus {
    /// The status after `action`, or why it is not allowed.
    pub fn apply(self, action: ReferralAction) -> Result<ReferralStatus, String> {
        use ReferralStatus::*;
        match (self, action) {
            (Open, ReferralAction::Accept) => Ok(Accepted),
            (Open, ReferralAction::Decline) => Ok(Declined),
            (Open, ReferralAction::Expire) => Ok(Expired),
            (Open, ReferralAction::Withdraw) => Ok(Withdrawn),
            // A request cancelled after the provider said yes ends its referral too.
            (Accepted, ReferralAction::Withdraw) => Ok(Withdrawn),
            (Accepted, ReferralAction::Complete) => Ok(Completed),
            (status, action) => Err(format!("a {status} referral cannot be {}", past(action))),
        }
    }

    /// Open or accepted: the request is with this provider. A request has at most one.
    pub fn is_live(self) -> bool {
        matches!(self, ReferralStatus::Open | ReferralStatus::Accepted)
    }
}

fn past(action: ReferralAction) -> &'static str {
    match action {
        ReferralAction::Accept => "accepted",
        ReferralAction::Decline => "declined",
        ReferralAction::Expire => "expired",
        ReferralAction::Complete => "completed",
        ReferralAction::Withdraw => "withdrawn",
    }
}

/// When the provider must have answered: `hours` after the referral was made.
pub fn respond_by(created_at: DateTime<Utc>, hours: i32) -> DateTime<Utc> {
    created_at + Duration::hours(i64::from(hours))
}

/// A request handed to a provider (tiers 3 and 4, or a local organisation by hand).
#[derive(Debug, Clone, PartialEq)]
pub struct Referral {
    pub id: i64,
    pub request_id: i64,
    pub municipality_id: i64,
    pub provider_id: i64,
    pub provider_name: String,
    pub provider_email: Option<String>,
    pub provider_phone: Option<String>,
    pub tier: Tier,
    pub status: ReferralStatus,
    pub respond_by: DateTime<Utc>,
    /// `None`: the engine made it.
    pub created_by: Option<i64>,
    /// `None` while unanswered, or when the expiry job ended it.
    pub answered_by: Option<i64>,
    /// Why the provider declined.
    pub reason: Option<String>,
    /// What was noted when the work was done.
    pub note: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A referral about to be made.
#[derive(Debug, Clone)]
pub struct NewReferral {
    pub request_id: i64,
    pub municipality_id: i64,
    pub provider_id: i64,
    pub tier: Tier,
    pub respond_by: DateTime<Utc>,
    pub created_by: Option<i64>,
}

/// The name and ways to reach a provider, as a referral shows them.
#[derive(Debug, Clone)]
pub struct ProviderContactDetails {
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
}

impl NewReferral {
    /// The referral as it was stored under `id` at `at`: open, unanswered.
    pub fn stored(&self, id: i64, provider: ProviderContactDetails, at: DateTime<Utc>) -> Referral {
        Referral {
            id,
            request_id: self.request_id,
            municipality_id: self.municipality_id,
            provider_id: self.provider_id,
            provider_name: provider.name,
            provider_email: provider.email,
            provider_phone: provider.phone,
            tier: self.tier,
            status: ReferralStatus::Open,
            respond_by: self.respond_by,
            created_by: self.created_by,
            answered_by: None,
            reason: None,
            note: None,
            created_at: at,
            updated_at: at,
        }
    }
}

/// Why a referral ended without the provider's yes, in the trail and in the advisors' mail.
#[derive(Debug, Clone, Copy)]
pub enum NoAnswer<'a> {
    /// The provider said no, for this reason.
    Declined(&'a str),
    /// The provider did not answer by `respond_by`.
    Expired,
}

impl Referral {
    /// The trail line's words (Dutch, English) when the provider said no or stayed
    /// silent: the request goes on to the next provider or tier.
    pub fn no_answer_sentences(&self, why: NoAnswer<'_>) -> (String, String) {
        let (nl, en) = (
            self.no_answer_cause(why, Language::Nl),
            self.no_answer_cause(why, Language::En),
        );
        (
            format!("{}: {nl} Verder gezocht.", tier_name(self.tier, Language::Nl)),
            format!("{}: {en} Routed on.", tier_name(self.tier, Language::En)),
        )
    }

    /// What happened, in one sentence for people.
    pub fn no_answer_cause(&self, why: NoAnswer<'_>, language: Language) -> String {
        let provider = &self.provider_name;
        let by = date_time(self.respond_by, language);
        match (why, language) {
            (NoAnswer::Declined(reason), Language::Nl) => format!("{provider} heeft de vraag afgewezen ({reason})."),
            (NoAnswer::Declined(reason), Language::En) => format!("{provider} declined the referral ({reason})."),
            (NoAnswer::Expired, Language::Nl) => format!("{provider} heeft niet op tijd geantwoord (uiterlijk {by})."),
            (NoAnswer::Expired, Language::En) => format!("{provider} did not answer in time (by {by})."),
        }
    }
}

#[derive(Debug, Default)]
pub struct ReferralFilter {
    pub status: Option<ReferralStatus>,
    pub municipality_id: Option<i64>,
    pub request_id: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_referral_status_machine_allows_only_its_transitions() {
        use ReferralAction::*;
        use ReferralStatus::*;
        let allowed = [
            (Open, Accept, Accepted),
            (Open, Decline, Declined),
            (Open, Expire, Expired),
            (Open, Withdraw, Withdrawn),
            (Accepted, Complete, Completed),
            (Accepted, Withdraw, Withdrawn),
        ];
        for status in ReferralStatus::ALL.iter().copied() {
            for action in [Accept, Decline, Expire, Complete, Withdraw] {
                let expected = allowed
                    .iter()
                    .find(|(s, a, _)| *s == status && *a == action)
                    .map(|(_, _, to)| *to);
                match (status.apply(action), expected) {
                    (Ok(to), Some(want)) => assert_eq!(to, want),
                    (Err(why), None) => assert!(why.starts_with(&format!("a {status} referral cannot be"))),
                    (got, want) => panic!("{status} + {action:?}: got {got:?}, want {want:?}"),
                }
            }
        }
    }

    #[test]
    fn only_open_and_accepted_referrals_are_live() {
        let live: Vec<ReferralStatus> = ReferralStatus::ALL.iter().copied().filter(|s| s.is_live()).collect();
        assert_eq!(live, [ReferralStatus::Open, ReferralStatus::Accepted]);
    }

    #[test]
    fn respond_by_is_created_at_plus_the_hours_and_zero_is_created_at() {
        let at = DateTime::parse_from_rfc3339("2026-12-01T10:00:00Z").unwrap().to_utc();
        assert_eq!(respond_by(at, 48), at + Duration::days(2));
        assert_eq!(respond_by(at, 0), at);
    }
}
