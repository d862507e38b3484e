//! When a member can work each week, in local (Europe/Amsterdam) wall-clock time.

use std::fmt;

use chrono::NaiveTime;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Slot {
    /// ISO weekday: Monday 1 … Sunday 7.
    pub weekday: u8,
    pub start: NaiveTime,
    pub end: NaiveTime,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WeeklyAvailability(Vec<Slot>);

/// One slot as a body gives it.
pub struct RawSlot<'a> {
    pub weekday: i64,
    pub start: &'a str,
    pub end: &'a str,
}

fn parse_time(s: &str) -> Option<NaiveTime> {
    if s.len() != 5 {
        return None;
    }
    NaiveTime::parse_from_str(s, "%H:%M").ok()
}

impl WeeklyAvailability {
    /// Parses slots; errors are `(index, field, message)` so the caller can name
    /// `availability[2].end`.
    pub fn parse(raw: &[RawSlot<'_>]) -> Result<WeeklyAvailability, Vec<(usize, &'static str, String)>> {
        let mut errors = Vec::new();
        let mut slots: Vec<(usize, Slot)> = Vec::new();
        if raw.len() > 50 {
            errors.push((0, "", "at most 50 slots".to_owned()));
        }
        for (i, r) in raw.iter().enumerate() {
            let weekday = (1..=7).contains(&r.weekday).then_some(r.weekday as u8);
            if weekday.is_none() {
                errors.push((i, "weekday", "must be 1 (Monday) to 7 (Sunday)".to_owned()));
            }
            let start = parse_time(r.start);
            if start.is_none() {
                errors.push((i, "start", format!("must be a time like 09:00, got {:?}", r.start)));
            }
            let end = parse_time(r.end);
            if end.is_none() {
                errors.push((i, "end", format!("must be a time like 17:00, got {:?}", r.end)));
            }
            if let (Some(weekday), Some(start), Some(end)) = (weekday, start, end) {
                if end <= start {
                    errors.push((i, "end", "must be after start".to_owned()));
                } else {
                    slots.push((i, Slot { weekday, start, end }));
                }
            }
        }
        for (a, (i, x)) in slots.iter().enumerate() {
            if slots[..a]
                .iter()
                .any(|(_, y)| x.weekday == y.weekday && x.start < y.end && y.start < x.end)
            {
                errors.push((*i, "start", "overlaps another slot on the same day".to_owned()));
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let mut slots: Vec<Slot> = slots.into_iter().map(|(_, s)| s).collect();
        slots.sort();
        Ok(WeeklyAvailability(slots))
    }

    pub fn slots(&self) -> &[Slot] {
        &self.0
    }

    /// Storage form: `1 09:00-17:00;3 13:00-17:00`.
    pub fn encode(&self) -> String {
        self.0
            .iter()
            .map(|s| format!("{} {}-{}", s.weekday, s.start.format("%H:%M"), s.end.format("%H:%M")))
            .collect::<Vec<_>>()
            .join(";")
    }

    pub fn decode(stored: &str) -> Result<WeeklyAvailability, String> {
        let mut slots = Vec::new();
        for part in stored.split(';').filter(|p| !p.is_empty()) {
            let bad = || format!("stored availability {stored:?} is malformed");
            let (day, times) = part.split_once(' ').ok_or_else(bad)?;
            let (start, end) = times.split_once('-').ok_or_else(bad)?;
            slots.push(Slot {
                weekday: day.parse().map_err(|_| bad())?,
                start: parse_time(start).ok_or_else(bad)?,
                end: parse_time(end).ok_or_else(bad)?,
            });
        }
        Ok(WeeklyAvailability(slots))
    }
}

#[derive(Serialize)]
struct SlotJson {
    weekday: u8,
    start: String,
    end: String,
}

impl Serialize for WeeklyAvailability {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(|slot| SlotJson {
            weekday: slot.weekday,
            start: slot.start.format("%H:%M").to_string(),
            end: slot.end.format("%H:%M").to_string(),
        }))
    }
}

impl fmt::Display for WeeklyAvailability {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.encode())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(weekday: i64, start: &'static str, end: &'static str) -> RawSlot<'static> {
        RawSlot { weekday, start, end }
    }

    #[test]
    fn several_slots_a_day_are_allowed_and_stored_sorted() {
        let a = WeeklyAvailability::parse(&[
            raw(3, "13:00", "17:00"),
            raw(1, "09:00", "12:00"),
            raw(1, "13:00", "17:00"),
        ])
        .unwrap();
        assert_eq!(a.encode(), "1 09:00-12:00;1 13:00-17:00;3 13:00-17:00");
        assert_eq!(WeeklyAvailability::decode(&a.encode()).unwrap(), a);
    }

    #[test]
    fn overlapping_reversed_and_malformed_slots_are_refused_by_index() {
        let errors = WeeklyAvailability::parse(&[
            raw(1, "09:00", "12:00"),
            raw(1, "11:00", "13:00"),
            raw(8, "9:00", "08:00"),
            raw(2, "10:00", "09:00"),
        ])
        .unwrap_err();
        assert!(errors.contains(&(1, "start", "overlaps another slot on the same day".into())));
        assert!(errors.iter().any(|e| e.0 == 2 && e.1 == "weekday"));
        assert!(errors.iter().any(|e| e.0 == 2 && e.1 == "start"));
        assert!(errors.iter().any(|e| e.0 == 3 && e.1 == "end"));
    }
}
