//! What clients said of a member's visits, for their coach and staff: how many rated,
//! the average, and the newest comments.

use chrono::{DateTime, Utc};

/// How many of the newest comments a member's feedback shows.
pub const LATEST_COMMENTS: usize = 5;

/// One visit a client rated.
#[derive(Debug, Clone, PartialEq)]
pub struct Rated {
    pub assignment_id: i64,
    pub rating: i32,
    pub comment: Option<String>,
    /// When the visit was completed.
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Feedback {
    pub ratings: i64,
    /// Rounded to one decimal; `None` before the first rating.
    pub average: Option<f64>,
    /// The newest rated visits with a comment, newest first.
    pub latest_comments: Vec<Rated>,
}

impl Feedback {
    /// From a member's rated visits, newest first.
    pub fn of(rated: Vec<Rated>) -> Feedback {
        let ratings = rated.len() as i64;
        let average = (ratings > 0).then(|| {
            let sum: i64 = rated.iter().map(|r| i64::from(r.rating)).sum();
            (sum as f64 / ratings as f64 * 10.0).round() / 10.0
        });
        let latest_comments = rated
            .into_iter()
            .filter(|r| r.comment.is_some())
            .take(LATEST_COMMENTS)
            .collect();
        Feedback {
            ratings,
            average,
            latest_comments,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rated(id: i64, rating: i32, comment: Option<&str>) -> Rated {
        Rated {
            assignment_id: id,
            rating,
            comment: comment.map(str::to_owned),
            at: Utc::now(),
        }
    }

    #[test]
    fn feedback_averages_every_rating_and_keeps_the_newest_five_comments() {
        let mut all: Vec<Rated> = (0..7).map(|i| rated(10 - i, 5, Some("fijn"))).collect();
        all.push(rated(1, 2, None));
        let feedback = Feedback::of(all);
        assert_eq!(feedback.ratings, 8);
        assert_eq!(feedback.average, Some(4.6));
        let ids: Vec<i64> = feedback.latest_comments.iter().map(|r| r.assignment_id).collect();
        assert_eq!(ids, [10, 9, 8, 7, 6]);
        assert_eq!(Feedback::of(Vec::new()).average, None);
    }
}
