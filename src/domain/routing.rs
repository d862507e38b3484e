//! The escalation engine: volunteer → woonservice → private provider → business. It
//! decides per tier from facts the store gathered, stops at the first match, and says
//! why for every tier it passed.

use crate::domain::client::Language;
use crate::domain::member::MemberKind;
use crate::domain::provider::ProviderKind;
use crate::domain::ranking::Candidate;
use crate::domain::request::Tier;
use crate::domain::text_enum::text_enum;

text_enum! {
    pub enum Outcome {
        Matched = "matched",
        Skipped = "skipped",
        /// An advisor passed the tier by hand.
        Escalated = "escalated",
        /// A coordinator overruled the existing-organisation check.
        Overridden = "overridden",
    }

    pub enum ReasonCode {
        Matched = "matched",
        NoCandidate = "no_candidate",
        VolunteerNotAllowed = "volunteer_not_allowed",
        NotOffered = "not_offered",
        NotTargetGroup = "not_target_group",
        ExistingOrganisation = "existing_organisation",
        InsufficientVouchers = "insufficient_vouchers",
        Escalated = "escalated",
        Overridden = "overridden",
        /// An advisor or coordinator chose the tier or provider by hand.
        ByHand = "by_hand",
        /// The provider turned the referral down.
        Declined = "declined",
        /// The provider did not answer the referral before `respond_by`.
        NoResponse = "no_response",
    }
}

pub const ORDER: [Tier; 4] = [
    Tier::Volunteer,
    Tier::Woonservice,
    Tier::PrivateProvider,
    Tier::Business,
];

/// The tiers a walk from `from` passes: the rest of the escalation order, or only the
/// local organisation, which is outside the order (it is reached by hand).
pub fn tiers_from(from: Tier) -> &'static [Tier] {
    match ORDER.iter().position(|t| *t == from) {
        Some(start) => &ORDER[start..],
        None => &[Tier::Organisation],
    }
}

/// The tiers of the order from `from` up to, not including, `to`; none when `to` does
/// not come after `from`.
pub fn between(from: Tier, to: Tier) -> &'static [Tier] {
    let position = |tier: Tier| ORDER.iter().position(|t| *t == tier);
    match (position(from), position(to)) {
        (Some(a), Some(b)) if a < b => &ORDER[a..b],
        _ => &[],
    }
}

pub fn next(tier: Tier) -> Option<Tier> {
    ORDER
        .iter()
        .position(|t| *t == tier)
        .and_then(|i| ORDER.get(i + 1))
        .copied()
}

/// The kind of member a tier assigns, or `None` for the provider tiers, which end
/// in a referral.
pub fn member_kind(tier: Tier) -> Option<MemberKind> {
    match tier {
        Tier::Volunteer => Some(MemberKind::Volunteer),
        Tier::Woonservice => Some(MemberKind::Jobseeker),
        Tier::PrivateProvider | Tier::Business | Tier::Organisation => None,
    }
}

/// The kind of provider a tier refers to, or `None` for the member tiers.
pub fn provider_kind(tier: Tier) -> Option<ProviderKind> {
    match tier {
        Tier::Volunteer | Tier::Woonservice => None,
        Tier::PrivateProvider => Some(ProviderKind::PrivateProvider),
        Tier::Business => Some(ProviderKind::Business),
        Tier::Organisation => Some(ProviderKind::Organisation),
    }
}

/// The tier of a referral to a provider of this kind.
pub fn tier_of_provider(kind: ProviderKind) -> Tier {
    match kind {
        ProviderKind::PrivateProvider => Tier::PrivateProvider,
        ProviderKind::Business => Tier::Business,
        ProviderKind::Organisation => Tier::Organisation,
    }
}

/// Whether a tier ends in an assignment of a member (else in a referral).
pub fn is_member_tier(tier: Tier) -> bool {
    member_kind(tier).is_some()
}

/// The woonservice tier's preconditions for one request, in the order DESIGN.md
/// gives them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WoonserviceChecks {
    pub offered_by_project: bool,
    pub client_in_target_group: bool,
    pub organisation_offers_it: bool,
    pub organisation_check_overridden: bool,
    pub vouchers_available: i64,
    pub vouchers_needed: i64,
    /// The local organisations that offer the task, named when that skips the tier.
    pub organisations: Vec<String>,
}

impl WoonserviceChecks {
    /// The first precondition that fails, or `None` when they all hold (then only the
    /// candidates decide).
    pub fn unmet(&self) -> Option<ReasonCode> {
        if !self.offered_by_project {
            Some(ReasonCode::NotOffered)
        } else if !self.client_in_target_group {
            Some(ReasonCode::NotTargetGroup)
        } else if self.organisation_offers_it && !self.organisation_check_overridden {
            Some(ReasonCode::ExistingOrganisation)
        } else if self.vouchers_available < self.vouchers_needed {
            Some(ReasonCode::InsufficientVouchers)
        } else {
            None
        }
    }
}

/// What the engine needs to know of one tier for one request.
#[derive(Debug, Clone)]
pub enum TierFacts {
    Volunteer {
        category_allows_volunteers: bool,
        candidates: Vec<Candidate>,
    },
    Woonservice {
        checks: WoonserviceChecks,
        candidates: Vec<Candidate>,
    },
    Provider {
        candidates: Vec<Candidate>,
    },
}

impl TierFacts {
    pub fn candidates(&self) -> &[Candidate] {
        match self {
            TierFacts::Volunteer { candidates, .. }
            | TierFacts::Woonservice { candidates, .. }
            | TierFacts::Provider { candidates } => candidates,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    pub tier: Tier,
    pub outcome: Outcome,
    pub reason: ReasonCode,
    /// Dutch and English sentences for people.
    pub sentence_nl: String,
    pub sentence_en: String,
}

/// The decision for one tier: its preconditions in the order DESIGN.md gives them.
pub fn decide(tier: Tier, facts: &TierFacts) -> Decision {
    use ReasonCode::*;
    let unmet = match facts {
        TierFacts::Volunteer {
            category_allows_volunteers: false,
            ..
        } => Some(VolunteerNotAllowed),
        TierFacts::Woonservice { checks, .. } => checks.unmet(),
        _ => None,
    };
    let reason = match unmet {
        Some(reason) => reason,
        None if facts.candidates().is_empty() => NoCandidate,
        None => Matched,
    };
    let outcome = if reason == Matched {
        Outcome::Matched
    } else {
        Outcome::Skipped
    };
    let (sentence_nl, sentence_en) = sentences(tier, reason, facts);
    Decision {
        tier,
        outcome,
        reason,
        sentence_nl,
        sentence_en,
    }
}

/// The result of walking the tiers.
#[derive(Debug, Clone)]
pub struct Routing {
    /// One decision per tier passed, the last one the match if there was one.
    pub decisions: Vec<Decision>,
    /// The matched tier and its ranked candidates.
    pub matched: Option<(Tier, Vec<Candidate>)>,
}

/// Walks the tiers from `from`, asking `facts` for each in turn, and stops at the first match.
pub fn route<E>(from: Tier, mut facts: impl FnMut(Tier) -> Result<TierFacts, E>) -> Result<Routing, E> {
    let mut decisions = Vec::new();
    for tier in tiers_from(from) {
        let tier_facts = facts(*tier)?;
        let decision = decide(*tier, &tier_facts);
        let matched = decision.outcome == Outcome::Matched;
        decisions.push(decision);
        if matched {
            return Ok(Routing {
                decisions,
                matched: Some((*tier, tier_facts.candidates().to_vec())),
            });
        }
    }
    Ok(Routing {
        decisions,
        matched: None,
    })
}

pub fn tier_name(tier: Tier, language: Language) -> &'static str {
    match (tier, language) {
        (Tier::Volunteer, Language::Nl) => "Vrijwilliger",
        (Tier::Woonservice, Language::Nl) => "Woonservice (leerwerkbedrijf)",
        (Tier::PrivateProvider, Language::Nl) => "Particuliere aanbieder",
        (Tier::Business, Language::Nl) => "Bedrijf",
        (Tier::Organisation, Language::Nl) => "Lokale organisatie",
        (Tier::Volunteer, Language::En) => "Volunteer",
        (Tier::Woonservice, Language::En) => "Woonservice (learning-work company)",
        (Tier::PrivateProvider, Language::En) => "Private provider",
        (Tier::Business, Language::En) => "Business",
        (Tier::Organisation, Language::En) => "Local organisation",
    }
}

fn sentences(tier: Tier, reason: ReasonCode, facts: &TierFacts) -> (String, String) {
    use ReasonCode::*;
    let (nl, en) = match reason {
        Matched => {
            let n = facts.candidates().len();
            if n == 1 {
                (
                    "1 geschikte kandidaat gevonden.".into(),
                    "1 suitable candidate found.".into(),
                )
            } else {
                (
                    format!("{n} geschikte kandidaten gevonden."),
                    format!("{n} suitable candidates found."),
                )
            }
        }
        NoCandidate => (
            "geen beschikbare kandidaat met de juiste vaardigheid in deze periode.".into(),
            "no available candidate with the skill in this period.".into(),
        ),
        VolunteerNotAllowed => (
            "deze soort taak wordt niet door vrijwilligers gedaan.".into(),
            "this kind of task is not done by volunteers.".into(),
        ),
        NotOffered => (
            "het woonserviceproject van de gemeente biedt deze soort taak niet aan.".into(),
            "the municipality's woonservice project does not offer this kind of task.".into(),
        ),
        NotTargetGroup => (
            "de cliënt hoort niet bij de doelgroep (ouderen, mensen met een beperking, mantelzorgers).".into(),
            "the client is not in the target group (elderly, disabled, informal carers).".into(),
        ),
        ExistingOrganisation => match facts {
            TierFacts::Woonservice { checks, .. } if !checks.organisations.is_empty() => {
                let names = checks.organisations.join(", ");
                (
                    format!("een bestaande lokale organisatie biedt deze dienst hier al aan: {names}."),
                    format!("an existing local organisation already offers this service here: {names}."),
                )
            }
            _ => (
                "een bestaande lokale organisatie biedt deze dienst hier al aan.".into(),
                "an existing local organisation already offers this service here.".into(),
            ),
        },
        InsufficientVouchers => {
            let (available, needed) = match facts {
                TierFacts::Woonservice { checks, .. } => (checks.vouchers_available, checks.vouchers_needed),
                _ => (0, 0),
            };
            (
                format!("de cliënt heeft {available} dienstencheque(s), er zijn er {needed} nodig."),
                format!("the client holds {available} service voucher(s); {needed} are needed."),
            )
        }
        Escalated | Overridden | ByHand | Declined | NoResponse => (String::new(), String::new()),
    };
    (
        format!("{}: {nl}", tier_name(tier, Language::Nl)),
        format!("{}: {en}", tier_name(tier, Language::En)),
    )
}

/// The line of a tier passed on the way to a tier chosen by hand.
pub fn passed_by_hand_sentences(tier: Tier, to: Tier, reason: &str) -> (String, String) {
    (
        format!(
            "{}: overgeslagen, met de hand doorgestuurd naar {}: {reason}",
            tier_name(tier, Language::Nl),
            tier_name(to, Language::Nl).to_lowercase()
        ),
        format!(
            "{}: passed, sent by hand to {}: {reason}",
            tier_name(tier, Language::En),
            tier_name(to, Language::En).to_lowercase()
        ),
    )
}

/// The line of a tier chosen by hand: the engine's finding, and the person's reason.
pub fn chosen_by_hand_sentences(decision: &Decision, reason: &str) -> (String, String) {
    (
        format!("{} Met de hand gekozen: {reason}", decision.sentence_nl),
        format!("{} Chosen by hand: {reason}", decision.sentence_en),
    )
}

/// The line of a referral to a provider named by hand.
pub fn referred_by_hand_sentences(tier: Tier, provider: &str, reason: &str) -> (String, String) {
    (
        format!(
            "{}: met de hand doorverwezen naar {provider}: {reason}",
            tier_name(tier, Language::Nl)
        ),
        format!(
            "{}: referred by hand to {provider}: {reason}",
            tier_name(tier, Language::En)
        ),
    )
}

/// The sentences of a decision taken by a person, with their reason.
pub fn manual_sentences(tier: Tier, outcome: Outcome, reason: &str) -> (String, String) {
    match outcome {
        Outcome::Overridden => (
            format!(
                "{}: bestaande-organisatiecontrole opgeheven door de coördinator: {reason}",
                tier_name(tier, Language::Nl)
            ),
            format!(
                "{}: existing-organisation check overruled by the coordinator: {reason}",
                tier_name(tier, Language::En)
            ),
        ),
        _ => (
            format!(
                "{}: doorgezet naar de volgende trede: {reason}",
                tier_name(tier, Language::Nl)
            ),
            format!(
                "{}: escalated to the next tier: {reason}",
                tier_name(tier, Language::En)
            ),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ranking::CandidateKind;
    use proptest::prelude::*;

    fn candidate(id: i64) -> Candidate {
        Candidate {
            kind: CandidateKind::Member,
            id,
            name: "x".into(),
            score: 1.0,
            parts: vec![],
        }
    }

    fn candidates(n: usize) -> Vec<Candidate> {
        (0..n as i64).map(candidate).collect()
    }

    fn facts_strategy(tier: Tier) -> BoxedStrategy<TierFacts> {
        match tier {
            Tier::Volunteer => (any::<bool>(), 0usize..3)
                .prop_map(|(allows, n)| TierFacts::Volunteer {
                    category_allows_volunteers: allows,
                    candidates: candidates(n),
                })
                .boxed(),
            Tier::Woonservice => (
                any::<bool>(),
                any::<bool>(),
                any::<bool>(),
                any::<bool>(),
                0i64..5,
                0i64..5,
                0usize..3,
            )
                .prop_map(
                    |(offered, target, org, overridden, available, needed, n)| TierFacts::Woonservice {
                        checks: WoonserviceChecks {
                            offered_by_project: offered,
                            client_in_target_group: target,
                            organisation_offers_it: org,
                            organisation_check_overridden: overridden,
                            vouchers_available: available,
                            vouchers_needed: needed,
                            organisations: vec![],
                        },
                        candidates: candidates(n),
                    },
                )
                .boxed(),
            _ => (0usize..3)
                .prop_map(|n| TierFacts::Provider {
                    candidates: candidates(n),
                })
                .boxed(),
        }
    }

    /// Whether a tier's preconditions hold, written out independently of `decide`.
    fn holds(facts: &TierFacts) -> bool {
        match facts {
            TierFacts::Volunteer {
                category_allows_volunteers,
                candidates,
            } => *category_allows_volunteers && !candidates.is_empty(),
            TierFacts::Woonservice { checks, candidates } => {
                checks.offered_by_project
                    && checks.client_in_target_group
                    && (!checks.organisation_offers_it || checks.organisation_check_overridden)
                    && checks.vouchers_available >= checks.vouchers_needed
                    && !candidates.is_empty()
            }
            TierFacts::Provider { candidates } => !candidates.is_empty(),
        }
    }

    proptest! {
        #[test]
        fn the_chosen_tier_is_the_first_whose_preconditions_hold_and_the_trail_has_a_row_per_tier_passed(
            volunteer in facts_strategy(Tier::Volunteer),
            woonservice in facts_strategy(Tier::Woonservice),
            private in facts_strategy(Tier::PrivateProvider),
            business in facts_strategy(Tier::Business),
            start in 0usize..4,
        ) {
            let all = [volunteer, woonservice, private, business];
            let routing = route::<()>(ORDER[start], |t| Ok(all[ORDER.iter().position(|x| *x == t).unwrap()].clone())).unwrap();
            let first = (start..4).find(|i| holds(&all[*i]));
            prop_assert_eq!(routing.matched.as_ref().map(|m| m.0), first.map(|i| ORDER[i]));
            let passed = first.map_or(4 - start, |i| i - start + 1);
            prop_assert_eq!(routing.decisions.len(), passed);
            for (d, tier) in routing.decisions.iter().zip(&ORDER[start..]) {
                prop_assert_eq!(d.tier, *tier);
            }
            let skipped = routing.decisions.iter().filter(|d| d.outcome == Outcome::Skipped).count();
            prop_assert_eq!(skipped, passed - usize::from(first.is_some()));
        }
    }

    #[test]
    fn woonservice_checks_its_preconditions_in_order() {
        let facts = TierFacts::Woonservice {
            checks: WoonserviceChecks {
                offered_by_project: true,
                client_in_target_group: false,
                organisation_offers_it: true,
                organisation_check_overridden: false,
                vouchers_available: 0,
                vouchers_needed: 2,
                organisations: vec![],
            },
            candidates: vec![],
        };
        assert_eq!(decide(Tier::Woonservice, &facts).reason, ReasonCode::NotTargetGroup);
        let d = decide(
            Tier::Woonservice,
            &TierFacts::Woonservice {
                checks: WoonserviceChecks {
                    offered_by_project: true,
                    client_in_target_group: true,
                    organisation_offers_it: false,
                    organisation_check_overridden: false,
                    vouchers_available: 1,
                    vouchers_needed: 3,
                    organisations: vec![],
                },
                candidates: candidates(1),
            },
        );
        assert_eq!(d.reason, ReasonCode::InsufficientVouchers);
        assert!(
            d.sentence_nl.contains("1 dienstencheque(s), er zijn er 3 nodig"),
            "{}",
            d.sentence_nl
        );
    }

    #[test]
    fn a_walk_from_the_organisation_asks_only_the_organisation() {
        assert_eq!(
            tiers_from(Tier::PrivateProvider),
            [Tier::PrivateProvider, Tier::Business]
        );
        assert_eq!(tiers_from(Tier::Organisation), [Tier::Organisation]);
        assert_eq!(
            between(Tier::Volunteer, Tier::PrivateProvider),
            [Tier::Volunteer, Tier::Woonservice]
        );
        assert!(between(Tier::PrivateProvider, Tier::Volunteer).is_empty());
        assert!(between(Tier::Business, Tier::Business).is_empty());
    }

    fn line(tier: Tier, outcome: Outcome, reason: ReasonCode) -> TrailEntry {
        TrailEntry {
            tier,
            outcome,
            reason,
            sentence_nl: String::new(),
            sentence_en: String::new(),
            decided_by: None,
            at: chrono::Utc::now(),
        }
    }

    #[test]
    fn a_providers_no_rules_out_the_provider_not_the_tier() {
        let trail = [
            line(Tier::Volunteer, Outcome::Escalated, ReasonCode::Escalated),
            line(Tier::PrivateProvider, Outcome::Matched, ReasonCode::Matched),
            line(Tier::PrivateProvider, Outcome::Escalated, ReasonCode::Declined),
            line(Tier::Business, Outcome::Escalated, ReasonCode::NoResponse),
        ];
        assert_eq!(first_tier_not_passed(&trail), Some(Tier::Woonservice));
        assert_eq!(first_tier_not_passed(&trail[..1]), Some(Tier::Woonservice));
        assert_eq!(first_tier_not_passed(&[]), Some(Tier::Volunteer));
    }

    #[test]
    fn the_existing_organisation_line_names_the_organisations() {
        let facts = TierFacts::Woonservice {
            checks: WoonserviceChecks {
                offered_by_project: true,
                client_in_target_group: true,
                organisation_offers_it: true,
                organisation_check_overridden: false,
                vouchers_available: 4,
                vouchers_needed: 1,
                organisations: vec!["Stichting Welzijn".into(), "De Zonnebloem".into()],
            },
            candidates: vec![],
        };
        let d = decide(Tier::Woonservice, &facts);
        assert_eq!(d.reason, ReasonCode::ExistingOrganisation);
        assert!(
            d.sentence_nl.ends_with("al aan: Stichting Welzijn, De Zonnebloem."),
            "{}",
            d.sentence_nl
        );
    }

    #[test]
    fn tiers_follow_each_other_in_the_escalation_order() {
        assert_eq!(next(Tier::Volunteer), Some(Tier::Woonservice));
        assert_eq!(next(Tier::PrivateProvider), Some(Tier::Business));
        assert_eq!(next(Tier::Business), None);
    }
}

/// A stored decision: the engine's (`decided_by` is `None`) or a named user's.
#[derive(Debug, Clone, PartialEq)]
pub struct TrailEntry {
    pub tier: Tier,
    pub outcome: Outcome,
    pub reason: ReasonCode,
    pub sentence_nl: String,
    pub sentence_en: String,
    pub decided_by: Option<i64>,
    pub at: chrono::DateTime<chrono::Utc>,
}

/// Where routing starts: after the last tier an advisor escalated past. A provider's
/// decline or silence is not such a step: it rules out that provider, not its tier.
pub fn first_tier_not_passed(trail: &[TrailEntry]) -> Option<Tier> {
    let passed_by_hand = |e: &&TrailEntry| {
        e.outcome == Outcome::Escalated && !matches!(e.reason, ReasonCode::Declined | ReasonCode::NoResponse)
    };
    match trail.iter().rev().find(passed_by_hand) {
        Some(escalated) => next(escalated.tier),
        None => Some(Tier::Volunteer),
    }
}

/// Whether a coordinator overruled the existing-organisation check for this request.
pub fn organisation_check_overridden(trail: &[TrailEntry]) -> bool {
    trail.iter().any(|e| e.outcome == Outcome::Overridden)
}
