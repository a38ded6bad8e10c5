use adl_diagnostics::{Diagnostic, Severity, declare_rule};
use adl_parser::model::Trigger;
use jiff::tz::TimeZone;

use crate::context::Context;

declare_rule! {
    /// ## What it does
    /// Reports a time trigger `timezone` that is not an IANA time zone name, with
    /// the closest name as a suggestion.
    ///
    /// ## Why it matters
    /// The schedule would be evaluated in a zone the author did not mean, or the
    /// agent would not load. Offsets like `+02:00` ignore daylight saving time.
    ///
    /// ## Example
    /// ```json
    /// { "trigger_type": "time", "expression": "0 9 * * *", "timezone": "Europe/Berln" }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// { "trigger_type": "time", "expression": "0 9 * * *", "timezone": "Europe/Berlin" }
    /// ```
    pub static UNKNOWN_TIME_ZONE = ("ADL502", "unknown-time-zone", Severity::Error, "a time zone is not an IANA time zone name");
}

pub(crate) fn check(cx: &mut Context<'_>) {
    for trigger in cx.all_triggers() {
        let Trigger::Time(time) = trigger else {
            continue;
        };
        let Some(zone) = &time.timezone else { continue };
        if TimeZone::get(&zone.value).is_ok() {
            continue;
        }
        let names: Vec<String> = jiff::tz::db().available().map(|n| n.to_string()).collect();
        let mut diagnostic = Diagnostic::new(
            &UNKNOWN_TIME_ZONE,
            format!("unknown time zone `{}`", zone.value),
            cx.span(zone.node),
            cx.pointer(zone.node),
        );
        if let Some(candidate) = adl_parser::suggest(&zone.value, names.iter().map(String::as_str))
        {
            diagnostic = diagnostic
                .with_primary_label(format!("did you mean `{candidate}`?"))
                .with_help(format!("did you mean `{candidate}`?"));
        } else {
            diagnostic = diagnostic
                .with_primary_label("not an IANA time zone")
                .with_help("use an IANA name such as `UTC`, `Europe/Berlin` or `America/New_York`");
        }
        cx.report(diagnostic);
    }
}
