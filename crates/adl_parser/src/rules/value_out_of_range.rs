use adl_diagnostics::{Severity, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports a number outside its allowed range: zero or negative sizes, counts
    /// and timeouts (`queue_size`, `worker_count`, `batch_size`, `batch_timeout_ms`,
    /// `timeout_ms`, `max_events`), and `max_cascade_depth` outside 1 to 64.
    ///
    /// ## Why it matters
    /// A zero-sized queue or a zero timeout cannot work; a huge cascade depth lets a
    /// self-feeding configuration run away.
    ///
    /// ## Example
    /// ```json
    /// { "processing_mode": "asynchronous", "worker_count": 0 }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// { "processing_mode": "asynchronous", "worker_count": 4 }
    /// ```
    pub static VALUE_OUT_OF_RANGE = ("ADL208", "value-out-of-range", Severity::Error, "a number is outside its allowed range");
}
