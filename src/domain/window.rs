use chrono::{DateTime, Duration, Utc};

/// When a task may be done: in the future, ending after it starts, at most 14 days long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateWindow {
    start: DateTime<Utc>,
    end: DateTime<Utc>,
}

impl DateWindow {
    pub const MAX_DAYS: i64 = 14;

    /// Checks a new window against `now`; errors name `window_start` or `window_end`.
    pub fn parse(
        start: DateTime<Utc>,
        end: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<DateWindow, (&'static str, String)> {
        if start <= now {
            return Err(("window_start", "must be in the future".into()));
        }
        if end <= start {
            return Err(("window_end", "must be after window_start".into()));
        }
        if end - start > Duration::days(Self::MAX_DAYS) {
            return Err((
                "window_end",
                format!("must be at most {} days after window_start", Self::MAX_DAYS),
            ));
        }
        Ok(DateWindow { start, end })
    }

    /// A window as stored; it was checked when it was made.
    pub fn stored(start: DateTime<Utc>, end: DateTime<Utc>) -> DateWindow {
        DateWindow { start, end }
    }

    pub fn start(&self) -> DateTime<Utc> {
        self.start
    }

    pub fn end(&self) -> DateTime<Utc> {
        self.end
    }

    pub fn contains(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> bool {
        self.start <= from && to <= self.end
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn a_window_must_be_future_ordered_and_at_most_two_weeks() {
        let now = at("2026-12-01T08:00:00Z");
        assert!(DateWindow::parse(at("2026-12-02T09:00:00Z"), at("2026-12-02T12:00:00Z"), now).is_ok());
        assert_eq!(
            DateWindow::parse(at("2026-11-30T09:00:00Z"), at("2026-12-02T12:00:00Z"), now)
                .unwrap_err()
                .0,
            "window_start"
        );
        assert_eq!(
            DateWindow::parse(at("2026-12-02T09:00:00Z"), at("2026-12-02T09:00:00Z"), now)
                .unwrap_err()
                .0,
            "window_end"
        );
        assert!(DateWindow::parse(at("2026-12-02T09:00:00Z"), at("2026-12-16T09:00:00Z"), now).is_ok());
        assert_eq!(
            DateWindow::parse(at("2026-12-02T09:00:00Z"), at("2026-12-16T09:00:01Z"), now)
                .unwrap_err()
                .0,
            "window_end"
        );
    }
}
