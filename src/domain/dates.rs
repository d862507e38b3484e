//! Dates and times as people read them: Europe/Amsterdam, written out in their language
//! ("dinsdag 8 december 2026, 09:15").

use chrono::{DateTime, Datelike, NaiveDate, Timelike, Utc};
use chrono_tz::Europe::Amsterdam;

use crate::domain::client::Language;

const WEEKDAYS_NL: [&str; 7] = [
    "maandag",
    "dinsdag",
    "woensdag",
    "donderdag",
    "vrijdag",
    "zaterdag",
    "zondag",
];
const WEEKDAYS_EN: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];
const MONTHS_NL: [&str; 12] = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
];
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

pub fn date(day: NaiveDate, language: Language) -> String {
    let weekday = day.weekday().num_days_from_monday() as usize;
    let month = day.month0() as usize;
    match language {
        Language::Nl => format!(
            "{} {} {} {}",
            WEEKDAYS_NL[weekday],
            day.day(),
            MONTHS_NL[month],
            day.year()
        ),
        Language::En => format!(
            "{} {} {} {}",
            WEEKDAYS_EN[weekday],
            day.day(),
            MONTHS_EN[month],
            day.year()
        ),
    }
}

/// `maandag`: an ISO weekday (Monday 1 … Sunday 7) by name.
pub fn weekday_name(iso: u8, language: Language) -> &'static str {
    let names = match language {
        Language::Nl => WEEKDAYS_NL,
        Language::En => WEEKDAYS_EN,
    };
    names[usize::from(iso.clamp(1, 7) - 1)]
}

/// `december 2026`: a month as a person reads it.
pub fn month_and_year(year: i32, month: u32, language: Language) -> String {
    let names = match language {
        Language::Nl => MONTHS_NL,
        Language::En => MONTHS_EN,
    };
    format!("{} {year}", names[(month.clamp(1, 12) - 1) as usize])
}

/// `dinsdag 8 december 2026, 09:15` (Amsterdam time).
pub fn date_time(at: DateTime<Utc>, language: Language) -> String {
    let local = at.with_timezone(&Amsterdam);
    format!(
        "{}, {:02}:{:02}",
        date(local.date_naive(), language),
        local.hour(),
        local.minute()
    )
}

/// `09:15` (Amsterdam time).
pub fn time_of_day(at: DateTime<Utc>) -> String {
    let local = at.with_timezone(&Amsterdam);
    format!("{:02}:{:02}", local.hour(), local.minute())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_written_out_in_amsterdam_time_and_the_readers_language() {
        let at: DateTime<Utc> = "2026-12-08T08:15:00Z".parse().unwrap();
        assert_eq!(date_time(at, Language::Nl), "dinsdag 8 december 2026, 09:15");
        assert_eq!(date_time(at, Language::En), "Tuesday 8 December 2026, 09:15");
        let summer: DateTime<Utc> = "2026-07-01T07:00:00Z".parse().unwrap();
        assert_eq!(time_of_day(summer), "09:00");
        assert_eq!(month_and_year(2026, 3, Language::Nl), "maart 2026");
        assert_eq!(month_and_year(2026, 12, Language::En), "December 2026");
        assert_eq!(weekday_name(1, Language::Nl), "maandag");
        assert_eq!(weekday_name(7, Language::En), "Sunday");
    }
}
