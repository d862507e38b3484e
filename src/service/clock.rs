//! The service's one source of "now". Every use case, job and the mail worker read
//! the time from the `Clock` in `Ctx`, so a test can move the service forward a day
//! (a key that ages, a referral past its deadline) through the same code that runs
//! in production, instead of rewriting rows behind its back.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, Duration, SubsecRound, Utc};

#[derive(Clone, Debug, Default)]
pub struct Clock {
    /// Microseconds added to the system time; only a test moves it.
    shift_micros: Arc<AtomicI64>,
}

impl Clock {
    /// The system clock: what `serve` and the commands use.
    pub fn system() -> Clock {
        Clock::default()
    }

    /// Now, at the microsecond precision PostgreSQL keeps, so a value reads back
    /// equal on both backends. Time keeps running after `advance`, so rows written
    /// one after the other still carry increasing times.
    pub fn now(&self) -> DateTime<Utc> {
        let shift = Duration::microseconds(self.shift_micros.load(Ordering::SeqCst));
        (Utc::now() + shift).trunc_subsecs(6)
    }

    /// Moves this clock (and every clone of it) forward by `by`.
    pub fn advance(&self, by: Duration) {
        let micros = by.num_microseconds().expect("an advance fits in i64 microseconds");
        assert!(micros >= 0, "a clock only moves forward");
        self.shift_micros.fetch_add(micros, Ordering::SeqCst);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_advance_moves_every_clone_and_time_keeps_running() {
        let clock = Clock::system();
        let other = clock.clone();
        let before = clock.now();
        other.advance(Duration::hours(25));
        let after = clock.now();
        assert!(after - before >= Duration::hours(25));
        assert!(after - before < Duration::hours(26));
        assert!(clock.now() >= after);
    }

    #[test]
    fn now_keeps_microseconds_only() {
        assert_eq!(Clock::system().now().timestamp_subsec_nanos() % 1000, 0);
    }
}
