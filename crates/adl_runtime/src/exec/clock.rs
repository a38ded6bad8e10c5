//! The runtime's clock.

/// The runtime's notion of now: a wall-clock start plus tokio's monotonic
/// elapsed time, so that tokio's paused clock makes every timestamp and every
/// cron tick deterministic in tests.
#[derive(Debug, Clone, Copy)]
pub(super) struct Clock {
    pub(super) wall_start: jiff::Timestamp,
    pub(super) start: tokio::time::Instant,
}

impl Clock {
    pub(super) fn now(&self) -> jiff::Timestamp {
        let elapsed = jiff::SignedDuration::try_from(self.start.elapsed())
            .unwrap_or(jiff::SignedDuration::MAX);
        self.wall_start
            .saturating_add(elapsed)
            .unwrap_or(self.wall_start)
    }

    /// [`Clock::now`] in whole milliseconds since the Unix epoch, without
    /// calendar arithmetic (it is read for every event).
    pub(super) fn now_millisecond(&self) -> i64 {
        let elapsed = i64::try_from(self.start.elapsed().as_millis()).unwrap_or(i64::MAX);
        self.wall_start.as_millisecond().saturating_add(elapsed)
    }

    pub(super) fn instant_at(&self, at: jiff::Timestamp) -> tokio::time::Instant {
        let offset = at.duration_since(self.wall_start);
        match std::time::Duration::try_from(offset) {
            Ok(ahead) => deadline(self.start, ahead),
            Err(_) => self.start,
        }
    }
}

/// `after` past `from`; a year (that is "never" for a handler, a batch or a
/// tick) when the sum overflows: a hand-edited graph's huge timeout is no panic.
pub(super) fn deadline(
    from: tokio::time::Instant,
    after: std::time::Duration,
) -> tokio::time::Instant {
    const A_YEAR: std::time::Duration = std::time::Duration::from_secs(86_400 * 365);
    from.checked_add(after).unwrap_or(from + A_YEAR)
}
