//! Wall-clock time of the people involved (Europe/Amsterdam) against UTC instants:
//! weekly availability laid over a window, ISO weeks, overlaps.

use chrono::{DateTime, Datelike, Duration, LocalResult, NaiveDate, NaiveDateTime, TimeZone, Utc, Weekday};
use chrono_tz::Europe::Amsterdam;

use crate::domain::availability::WeeklyAvailability;

/// A half-open span of time `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

impl Span {
    pub fn new(start: DateTime<Utc>, end: DateTime<Utc>) -> Span {
        Span { start, end }
    }

    pub fn overlaps(&self, other: &Span) -> bool {
        self.start < other.end && other.start < self.end
    }

    pub fn minutes(&self) -> i64 {
        (self.end - self.start).num_minutes().max(0)
    }

    fn intersect(&self, other: &Span) -> Option<Span> {
        let start = self.start.max(other.start);
        let end = self.end.min(other.end);
        (start < end).then_some(Span { start, end })
    }
}

/// The UTC instant of a local wall-clock time. In the autumn hour that occurs twice
/// the earlier is taken; a time in the spring gap moves to after it.
pub fn local_to_utc(local: NaiveDateTime) -> DateTime<Utc> {
    match Amsterdam.from_local_datetime(&local) {
        LocalResult::Single(t) => t.with_timezone(&Utc),
        LocalResult::Ambiguous(earlier, _) => earlier.with_timezone(&Utc),
        LocalResult::None => local_to_utc(local + Duration::hours(1)),
    }
}

pub fn local_date(t: DateTime<Utc>) -> NaiveDate {
    t.with_timezone(&Amsterdam).date_naive()
}

/// The member's weekly slots as concrete spans within `window`.
pub fn available_spans(availability: &WeeklyAvailability, window: Span) -> Vec<Span> {
    let mut spans = Vec::new();
    let mut day = local_date(window.start);
    let last = local_date(window.end);
    while day <= last {
        let weekday = day.weekday().number_from_monday() as u8;
        for slot in availability.slots().iter().filter(|s| s.weekday == weekday) {
            let span = Span::new(
                local_to_utc(day.and_time(slot.start)),
                local_to_utc(day.and_time(slot.end)),
            );
            if let Some(inside) = span.intersect(&window) {
                spans.push(inside);
            }
        }
        day = day.succ_opt().expect("dates stay far from the end of time");
    }
    spans
}

/// The longest stretch, in minutes, of `spans` not covered by any of `busy`: a task is
/// done in one visit, so an hour free on Monday and one on Tuesday do not make two.
/// Spans that touch (back-to-back slots) count as one stretch; busy spans may overlap.
pub fn longest_free_minutes(spans: &[Span], busy: &[Span]) -> i64 {
    let mut merged: Vec<Span> = Vec::with_capacity(spans.len());
    let mut sorted = spans.to_vec();
    sorted.sort_by_key(|s| s.start);
    for span in sorted {
        match merged.last_mut() {
            Some(last) if span.start <= last.end => last.end = last.end.max(span.end),
            _ => merged.push(span),
        }
    }
    merged
        .iter()
        .map(|span| {
            let mut cuts: Vec<Span> = busy.iter().filter_map(|b| b.intersect(span)).collect();
            cuts.sort_by_key(|c| c.start);
            let mut longest = 0;
            let mut reach = span.start;
            for cut in cuts {
                longest = longest.max((cut.start - reach).num_minutes());
                reach = reach.max(cut.end);
            }
            longest.max((span.end - reach).num_minutes())
        })
        .max()
        .unwrap_or(0)
}

/// The local ISO week an instant falls in, as the UTC span from Monday 00:00 to the
/// next Monday 00:00 in Amsterdam.
pub fn iso_week_of(t: DateTime<Utc>) -> Span {
    let date = local_date(t);
    let monday = NaiveDate::from_isoywd_opt(date.iso_week().year(), date.iso_week().week(), Weekday::Mon)
        .expect("an ISO week has a Monday");
    let start = local_to_utc(monday.and_hms_opt(0, 0, 0).expect("midnight"));
    let end = local_to_utc((monday + Duration::days(7)).and_hms_opt(0, 0, 0).expect("midnight"));
    Span::new(start, end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::availability::RawSlot;

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn weekly_slots_become_utc_spans_across_a_daylight_saving_change() {
        // Monday 9-12 local; 26 Oct 2026 is the Monday after the clocks went back.
        let availability = WeeklyAvailability::parse(&[RawSlot {
            weekday: 1,
            start: "09:00",
            end: "12:00",
        }])
        .unwrap();
        let window = Span::new(at("2026-10-19T00:00:00Z"), at("2026-10-27T00:00:00Z"));
        let spans = available_spans(&availability, window);
        assert_eq!(
            spans,
            vec![
                Span::new(at("2026-10-19T07:00:00Z"), at("2026-10-19T10:00:00Z")),
                Span::new(at("2026-10-26T08:00:00Z"), at("2026-10-26T11:00:00Z")),
            ]
        );
    }

    #[test]
    fn the_longest_free_stretch_skips_overlapping_bookings() {
        let span = [Span::new(at("2026-12-07T08:00:00Z"), at("2026-12-07T12:00:00Z"))];
        let busy = [
            Span::new(at("2026-12-07T09:00:00Z"), at("2026-12-07T10:00:00Z")),
            Span::new(at("2026-12-07T09:30:00Z"), at("2026-12-07T10:30:00Z")),
            Span::new(at("2026-12-07T13:00:00Z"), at("2026-12-07T14:00:00Z")),
        ];
        assert_eq!(longest_free_minutes(&span, &busy), 90, "10:30-12:00");
        assert_eq!(longest_free_minutes(&span, &[]), 240);
        assert_eq!(longest_free_minutes(&[], &busy), 0);
    }

    #[test]
    fn back_to_back_slots_make_one_stretch_and_separate_days_do_not() {
        let touching = [
            Span::new(at("2026-12-07T12:00:00Z"), at("2026-12-07T14:00:00Z")),
            Span::new(at("2026-12-07T08:00:00Z"), at("2026-12-07T12:00:00Z")),
        ];
        assert_eq!(longest_free_minutes(&touching, &[]), 360);
        let two_days = [
            Span::new(at("2026-12-07T08:00:00Z"), at("2026-12-07T09:00:00Z")),
            Span::new(at("2026-12-08T08:00:00Z"), at("2026-12-08T09:00:00Z")),
        ];
        assert_eq!(longest_free_minutes(&two_days, &[]), 60, "one hour, not two");
    }

    #[test]
    fn the_iso_week_runs_monday_to_monday_in_amsterdam() {
        let week = iso_week_of(at("2026-12-06T22:30:00Z")); // Sunday 23:30 local
        assert_eq!(week, Span::new(at("2026-11-29T23:00:00Z"), at("2026-12-06T23:00:00Z")));
        let next = iso_week_of(at("2026-12-06T23:30:00Z")); // Monday 00:30 local
        assert_eq!(next.start, at("2026-12-06T23:00:00Z"));
    }
}
