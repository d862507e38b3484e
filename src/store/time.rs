//! Time at the store's edge: UTC `DateTime` outside, naive UTC timestamps inside
//! (the one timestamp type both backends share).

use chrono::{DateTime, NaiveDateTime, SubsecRound, Utc};

pub fn to_db(t: DateTime<Utc>) -> NaiveDateTime {
    t.trunc_subsecs(6).naive_utc()
}

pub fn from_db(t: NaiveDateTime) -> DateTime<Utc> {
    t.and_utc()
}
