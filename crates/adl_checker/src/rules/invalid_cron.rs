use std::fmt::Write as _;

use adl_diagnostics::{Diagnostic, Severity, declare_rule};
use adl_parser::model::Trigger;
use jiff::tz::TimeZone;

use crate::context::Context;
use crate::cron::{next_fire_times, schedule};

declare_rule! {
    /// ## What it does
    /// Reports a time trigger's cron `expression` that is not valid, pointing at
    /// the characters at fault: a value out of range (`24` hours), a misspelt name
    /// (`MOM`), a backwards range, a zero step, the wrong number of fields, an
    /// unknown macro, or Quartz-only syntax (`?`, `L`, `W`, `#`, a year field,
    /// `@every`). When the fix is obvious, the help shows it with its next three
    /// fire times.
    ///
    /// ## Why it matters
    /// The trigger would never fire, or the runtime would refuse the agent.
    ///
    /// ## Example
    /// ```json
    /// { "trigger_type": "time", "schedule": "cron", "expression": "0 0 12 ? * MON" }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// { "trigger_type": "time", "schedule": "cron", "expression": "0 0 12 * * MON" }
    /// ```
    pub static INVALID_CRON = ("ADL501", "invalid-cron", Severity::Error, "a cron expression is not valid");
}

pub(crate) fn check(cx: &mut Context<'_>) {
    for trigger in cx.all_triggers() {
        let Trigger::Time(time) = trigger else {
            continue;
        };
        let Some(expression) = &time.expression else {
            continue;
        };
        let Err(problem) = schedule(&expression.value) else {
            continue;
        };
        let zone = time
            .timezone
            .as_ref()
            .and_then(|z| TimeZone::get(&z.value).ok())
            .unwrap_or(TimeZone::UTC);
        let mut help = problem.help.clone();
        if let Some(fix) = &problem.fix {
            let times = next_fire_times(fix, &zone, cx.now, 3);
            let _ = write!(help, "; `{fix}` would work");
            if !times.is_empty() {
                let _ = write!(help, ", next firing {}", times.join(", "));
            }
        }
        let mut diagnostics = Vec::with_capacity(1 + problem.more.len());
        for (number, (found, help)) in std::iter::once((&problem, help))
            .chain(problem.more.iter().map(|more| (more, more.help.clone())))
            .enumerate()
        {
            let span = cx
                .doc
                .string_subspan(expression.node, found.range.start, found.range.end);
            diagnostics.push(
                Diagnostic::new(
                    &INVALID_CRON,
                    format!("invalid cron expression: {}", found.message),
                    span,
                    cx.pointer(expression.node),
                )
                .with_help(help),
            );
            // The fix rewrites the whole expression: on the first finding.
            if number == 0
                && let Some(fix) = &problem.fix
                && let Some(last) = diagnostics.pop()
            {
                diagnostics.push(cx.fix_string(last, expression.node, fix));
            }
        }
        for diagnostic in diagnostics {
            cx.report(diagnostic);
        }
    }
}
