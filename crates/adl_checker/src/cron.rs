//! Cron expressions (spec §4, §13.11): 5 fields (minute hour day-of-month month
//! day-of-week), or 6 with leading seconds, or a macro. Fields take `*`, values,
//! ranges, steps and lists; months `JAN`–`DEC`, weekdays `0`–`7` (7 = Sunday) or
//! `SUN`–`SAT`. Each field is validated here so that an error points at the exact
//! characters; croner then computes fire times. [`schedule`] is the one judge:
//! the checker reports what it refuses and the runtime schedules what it returns.

use std::ops::Range;

use jiff::Timestamp;
use jiff::tz::TimeZone;

pub const MACROS: &[&str] = &[
    "@hourly",
    "@daily",
    "@midnight",
    "@weekly",
    "@monthly",
    "@yearly",
    "@annually",
];

/// A problem inside an expression: what, where (byte range), and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CronProblem {
    pub message: String,
    pub range: Range<usize>,
    pub help: String,
    /// A corrected expression, when one is obvious (Quartz `?` → `*`, …)
    /// and valid.
    pub fix: Option<String>,
    /// Problems in the expression's other fields: every one is reported,
    /// not only the first.
    pub more: Vec<CronProblem>,
}

struct Field {
    name: &'static str,
    min: u32,
    max: u32,
    names: &'static [&'static str],
    /// Value of the first name (`JAN` = 1, `SUN` = 0).
    names_from: u32,
}

const SECOND: Field = Field {
    name: "second",
    min: 0,
    max: 59,
    names: &[],
    names_from: 0,
};
const MINUTE: Field = Field {
    name: "minute",
    min: 0,
    max: 59,
    names: &[],
    names_from: 0,
};
const HOUR: Field = Field {
    name: "hour",
    min: 0,
    max: 23,
    names: &[],
    names_from: 0,
};
const DAY_OF_MONTH: Field = Field {
    name: "day of month",
    min: 1,
    max: 31,
    names: &[],
    names_from: 0,
};
const MONTH: Field = Field {
    name: "month",
    min: 1,
    max: 12,
    names: &[
        "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
    ],
    names_from: 1,
};
const DAY_OF_WEEK: Field = Field {
    name: "day of week",
    min: 0,
    max: 7,
    names: &["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"],
    names_from: 0,
};

fn problem(
    message: impl Into<String>,
    range: Range<usize>,
    help: impl Into<String>,
) -> CronProblem {
    CronProblem {
        message: message.into(),
        range,
        help: help.into(),
        fix: None,
        more: Vec::new(),
    }
}

/// The fields of `expression` with their byte ranges.
fn split_fields(expression: &str) -> Vec<(Range<usize>, &str)> {
    let mut fields = Vec::new();
    let mut start = None;
    for (i, c) in expression
        .char_indices()
        .chain(std::iter::once((expression.len(), ' ')))
    {
        match (c.is_whitespace(), start) {
            (true, Some(s)) => {
                fields.push((s..i, &expression[s..i]));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    fields
}

/// Validates an expression; `Ok` holds the expression to give croner.
pub fn validate(expression: &str) -> Result<String, CronProblem> {
    let trimmed = expression.trim();
    if trimmed.is_empty() {
        return Err(problem(
            "the cron expression is empty",
            0..expression.len(),
            "write 5 fields (minute hour day-of-month month day-of-week), e.g. `0 * * * *`",
        ));
    }
    if trimmed.starts_with('@') {
        return validate_macro(expression);
    }
    let fields = split_fields(expression);
    let layout: &[&Field] = match fields.len() {
        5 => &[&MINUTE, &HOUR, &DAY_OF_MONTH, &MONTH, &DAY_OF_WEEK],
        6 => &[&SECOND, &MINUTE, &HOUR, &DAY_OF_MONTH, &MONTH, &DAY_OF_WEEK],
        7 => {
            let (range, _) = fields[6].clone();
            let mut found = problem(
                "7 fields: a year field is not supported",
                range,
                "cron expressions have 5 fields (or 6 with seconds); remove the year",
            );
            let fix: Vec<&str> = fields[..6].iter().map(|(_, f)| *f).collect();
            found.fix = Some(fix.join(" ").replace('?', "*"));
            return Err(found);
        }
        n => {
            let range = fields
                .last()
                .map_or(0..expression.len(), |(r, _)| r.clone());
            return Err(problem(
                format!("{n} fields, expected 5 (or 6 with seconds)"),
                if n < 5 { 0..expression.len() } else { range },
                "the fields are: [second] minute hour day-of-month month day-of-week",
            ));
        }
    };
    let mut problems: Vec<CronProblem> = fields
        .iter()
        .zip(layout)
        .filter_map(|((range, text), field)| validate_field(text, range.start, field).err())
        .collect();
    if problems.is_empty() {
        return Ok(expression.trim().to_owned());
    }
    if fields.len() == 6 {
        // Six fields are easily meant as five and a Quartz `?`: say how
        // they were read.
        for found in &mut problems {
            found.help = format!(
                "{}; six fields are read seconds first (second minute hour day-of-month month day-of-week)",
                found.help
            );
        }
    }
    let mut first = problems.remove(0);
    // A fix is offered only when the whole expression it gives is valid.
    let candidates = [
        // Five fields and a trailing `?`: the `?` dropped.
        (fields.len() == 6 && fields[5].1 == "?").then(|| {
            let five: Vec<&str> = fields[..5].iter().map(|(_, f)| *f).collect();
            five.join(" ")
        }),
        expression
            .contains('?')
            .then(|| expression.replace('?', "*")),
        first.fix.take(),
    ];
    first.fix = candidates
        .into_iter()
        .flatten()
        .find(|fix| !fix.contains('?') && validate(fix).is_ok());
    first.more = problems;
    Err(first)
}

fn validate_macro(expression: &str) -> Result<String, CronProblem> {
    let start = expression.len() - expression.trim_start().len();
    let word_end = expression[start..]
        .find(char::is_whitespace)
        .map_or(expression.len(), |i| start + i);
    let word = &expression[start..word_end];
    if MACROS.contains(&word) && expression[word_end..].trim().is_empty() {
        return Ok(word.to_owned());
    }
    let mut found = problem(
        format!("unknown macro `{word}`"),
        start..word_end,
        format!(
            "the macros are {}",
            adl_parser::quoted_list(MACROS.iter().copied())
        ),
    );
    if word == "@every" {
        let interval = expression[word_end..].trim();
        let count = |unit: char| interval.strip_suffix(unit)?.parse::<u32>().ok();
        let fix = match (count('m'), count('h')) {
            (Some(1), _) => Some("* * * * *".to_owned()),
            (Some(minutes @ 2..60), _) => Some(format!("*/{minutes} * * * *")),
            (_, Some(1)) => Some("0 * * * *".to_owned()),
            (_, Some(hours @ 2..24)) => Some(format!("0 */{hours} * * *")),
            _ => None,
        };
        found = CronProblem {
            more: Vec::new(),
            message: "`@every` is not supported".into(),
            range: start..expression.len(),
            // With a fix, the help goes on to name it (and when it fires).
            help: if fix.is_some() {
                "write the interval as a step".into()
            } else {
                "write the interval as a step, e.g. `*/5 * * * *` for every 5 minutes".into()
            },
            fix,
        };
    } else if word == "@reboot" {
        found = problem(
            "`@reboot` is not supported",
            start..word_end,
            "an agent reacts to its start through events, not a time trigger",
        );
    } else if let Some(candidate) = adl_parser::suggest(word, MACROS.iter().copied()) {
        found.help = format!("did you mean `{candidate}`?");
        found.fix = Some(candidate.to_owned());
    }
    Err(found)
}

/// One field: a comma list of `*`, `*/step`, `v`, `v-w`, `v-w/step` or `v/step`.
fn validate_field(text: &str, offset: usize, field: &Field) -> Result<(), CronProblem> {
    let mut item_start = 0;
    for item in text.split(',') {
        let at = offset + item_start;
        validate_item(item, at, field)?;
        item_start += item.len() + 1;
    }
    Ok(())
}

fn validate_item(item: &str, at: usize, field: &Field) -> Result<(), CronProblem> {
    if item.is_empty() {
        return Err(problem(
            format!("empty list item in the {} field", field.name),
            at..at + 1,
            "remove the extra `,`",
        ));
    }
    if let Some(quartz) = item.find(['?', 'L', 'W', '#']).filter(|_| {
        // `L`/`W` inside a name (`JUL`, `WED`) are letters, not Quartz markers.
        !field
            .names
            .iter()
            .any(|n| item.to_ascii_uppercase().contains(n))
    }) {
        let character = &item[quartz..=quartz];
        return Err(problem(
            format!(
                "`{character}` in the {} field is Quartz syntax, not cron",
                field.name
            ),
            at + quartz..at + quartz + 1,
            if character == "?" {
                "write `*` for \"any\"".to_owned()
            } else {
                "cron has no `L`, `W` or `#`: list the days explicitly".to_owned()
            },
        ));
    }
    let (range_part, step) = match item.split_once('/') {
        Some((range_part, step)) => (range_part, Some(step)),
        None => (item, None),
    };
    let (low, high) = if range_part == "*" {
        (field.min, field.max)
    } else if let Some((a, b)) = range_part.split_once('-') {
        let low = value(a, at, field)?;
        let high = value(b, at + a.len() + 1, field)?;
        if low > high {
            return Err(problem(
                format!(
                    "range `{range_part}` runs backwards in the {} field",
                    field.name
                ),
                at..at + range_part.len(),
                format!(
                    "write the smaller value first: `{b}-{a}` is not a wrap-around; use a list instead"
                ),
            ));
        }
        (low, high)
    } else {
        let single = value(range_part, at, field)?;
        (single, if step.is_some() { field.max } else { single })
    };
    if let Some(step) = step {
        let step_at = at + range_part.len() + 1;
        let span = step_at..step_at + step.len().max(1);
        let parsed = step.parse::<u32>().map_err(|_| {
            problem(
                format!("invalid step `{step}` in the {} field", field.name),
                span.clone(),
                "a step is a positive number: `*/15`",
            )
        })?;
        if parsed == 0 || parsed > high - low + u32::from(high == low) {
            return Err(problem(
                format!(
                    "step {parsed} does not fit the {} field ({}–{})",
                    field.name, low, high
                ),
                span,
                format!("use a step from 1 to {}", (high - low).max(1)),
            ));
        }
    }
    Ok(())
}

/// A number or a name within the field's bounds.
fn value(text: &str, at: usize, field: &Field) -> Result<u32, CronProblem> {
    let span = at..at + text.len().max(1);
    let upper = text.to_ascii_uppercase();
    if let Some(index) = field.names.iter().position(|n| *n == upper) {
        return Ok(field.names_from + index as u32);
    }
    let Ok(number) = text.parse::<u32>() else {
        let expected = if field.names.is_empty() {
            format!("a number from {} to {}", field.min, field.max)
        } else {
            format!(
                "a number from {} to {} or a name ({}–{})",
                field.min,
                field.max,
                field.names[0],
                field.names[field.names.len() - 1]
            )
        };
        let mut found = problem(
            format!("`{text}` is not a valid {}", field.name),
            span,
            format!("expected {expected}"),
        );
        if let Some(candidate) = adl_parser::suggest(&upper, field.names.iter().copied()) {
            found.help = format!("did you mean `{candidate}`?");
        }
        return Err(found);
    };
    if !(field.min..=field.max).contains(&number) {
        return Err(problem(
            format!("{number} is out of range for the {} field", field.name),
            span,
            format!("the {} is from {} to {}", field.name, field.min, field.max),
        ));
    }
    Ok(number)
}

/// A macro written out as fields (croner reads fields only).
fn expand_macro(expression: &str) -> &str {
    match expression {
        "@hourly" => "0 * * * *",
        "@daily" | "@midnight" => "0 0 * * *",
        "@weekly" => "0 0 * * 0",
        "@monthly" => "0 0 1 * *",
        "@yearly" | "@annually" => "0 0 1 1 *",
        fields => fields,
    }
}

/// Validates an expression and builds its schedule: what the runtime fires
/// from. An expression [`validate`] accepts but the scheduler cannot read is a
/// problem over the whole expression.
pub fn schedule(expression: &str) -> Result<croner::Cron, CronProblem> {
    let normalized = validate(expression)?;
    croner::parser::CronParser::builder()
        .seconds(croner::parser::Seconds::Optional)
        .build()
        .parse(expand_macro(&normalized))
        .map_err(|error| {
            problem(
                format!("the scheduler cannot read it: {error}"),
                0..expression.len(),
                "write 5 fields (minute hour day-of-month month day-of-week), e.g. `0 * * * *`",
            )
        })
}

/// The next `count` fire times of a valid expression after `after`, in `zone`.
pub fn next_fire_times(
    expression: &str,
    zone: &TimeZone,
    after: Timestamp,
    count: usize,
) -> Vec<String> {
    let Ok(cron) = schedule(expression) else {
        return Vec::new();
    };
    cron.iter_after(after.to_zoned(zone.clone()))
        .take(count)
        .map(|time| time.strftime("%Y-%m-%d %H:%M:%S %Z").to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fails_at(expression: &str) -> (String, String) {
        let found = validate(expression).expect_err("invalid");
        (expression[found.range.clone()].to_owned(), found.message)
    }

    #[test]
    fn valid_expressions() {
        for ok in [
            "0 * * * *",
            "*/15 9-17 * * MON-FRI",
            "0 0 1 JAN,JUL *",
            "30 0 0 * * 7",
            "@daily",
            "0 12 * * sun",
            "5/10 * * * *",
        ] {
            assert!(validate(ok).is_ok(), "{ok}");
        }
    }

    #[test]
    fn errors_point_at_the_offending_characters() {
        assert_eq!(fails_at("0 24 * * *").0, "24");
        assert_eq!(fails_at("0 9 * * MOM").0, "MOM");
        assert_eq!(fails_at("0 0 12 ? * *").0, "?");
        assert_eq!(fails_at("*/0 * * * *").0, "0");
        assert_eq!(fails_at("0 17-9 * * *").0, "17-9");
        assert_eq!(fails_at("0 0 12 * * * 2030").0, "2030");
        assert_eq!(fails_at("@every 5m").0, "@every 5m");
        assert!(fails_at("0 * * *").1.contains("4 fields"));
    }

    #[test]
    fn every_invalid_field_is_reported() {
        let found = validate("*/90 25 * * *").expect_err("two fields");
        assert_eq!(found.range, 2..4, "{found:?}");
        assert_eq!(found.more.len(), 1);
        assert!(found.more[0].message.contains("25"), "{found:?}");
        assert_eq!(found.fix, None);
    }

    #[test]
    fn six_fields_say_they_were_read_seconds_first() {
        let found = validate("0 2 * * MON-FRI ?").expect_err("month MON");
        assert!(found.help.contains("seconds first"), "{}", found.help);
        assert_eq!(found.fix.as_deref(), Some("0 2 * * MON-FRI"));
    }

    #[test]
    fn quartz_question_mark_gets_a_fix() {
        let found = validate("0 0 12 ? * MON").expect_err("quartz");
        assert_eq!(found.fix.as_deref(), Some("0 0 12 * * MON"));
    }

    #[test]
    fn fire_times_follow_the_time_zone() {
        let after: Timestamp = "2026-01-01T00:00:00Z".parse().expect("a timestamp");
        let zone = TimeZone::get("Europe/Berlin").expect("a zone");
        let times = next_fire_times("0 9 * * *", &zone, after, 3);
        assert_eq!(
            times,
            [
                "2026-01-01 09:00:00 CET",
                "2026-01-02 09:00:00 CET",
                "2026-01-03 09:00:00 CET"
            ]
        );
        let six = next_fire_times("30 0 0 * * *", &TimeZone::UTC, after, 1);
        assert_eq!(six, ["2026-01-01 00:00:30 UTC"]);
    }
}
