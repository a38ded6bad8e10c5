//! Trigger evaluation (spec §4).
//!
//! Every trigger is evaluated for one *occurrence*: an event, or a tick of one
//! time trigger (which carries its synthetic `time_trigger` event). An event or
//! time member is true only in the evaluation its own occurrence causes; a
//! condition member is true while it holds. Triggers made only of conditions are
//! edge-triggered: the runtime evaluates them after state changes and fires on a
//! false (or unknown) → true transition.

use jiff::Timestamp;
use jiff::tz::TimeZone;

use super::condition::Condition;
use super::path::Scope;
use crate::Event;

/// What caused an evaluation.
#[derive(Debug, Clone, Copy)]
pub enum Occurrence<'a> {
    Event(&'a Event),
    /// The tick of time trigger `time` (an index into [`super::Program::schedules`]).
    Tick {
        time: usize,
        event: &'a Event,
    },
}

impl<'a> Occurrence<'a> {
    pub fn event(self) -> &'a Event {
        match self {
            Occurrence::Event(event) | Occurrence::Tick { event, .. } => event,
        }
    }
}

/// A trigger expression.
#[derive(Debug, Clone)]
pub enum TriggerExpr {
    Event {
        name: String,
        condition: Option<Condition>,
    },
    Time {
        time: usize,
    },
    State {
        condition: Condition,
    },
    And(Vec<TriggerExpr>),
    Or(Vec<TriggerExpr>),
    Not(Box<TriggerExpr>),
}

impl TriggerExpr {
    /// Whether the trigger holds in the evaluation caused by `occurrence`.
    pub fn holds(
        &self,
        occurrence: Occurrence<'_>,
        state: &serde_json::Map<String, serde_json::Value>,
    ) -> bool {
        match self {
            TriggerExpr::Event { name, condition } => {
                let event = occurrence.event();
                event.event_type == *name
                    && condition.as_ref().is_none_or(|c| {
                        c.holds(Scope {
                            event: Some(event),
                            state,
                        })
                    })
            }
            TriggerExpr::Time { time } => {
                matches!(occurrence, Occurrence::Tick { time: ticked, .. } if ticked == *time)
            }
            TriggerExpr::State { condition } => condition.holds(Scope { event: None, state }),
            TriggerExpr::And(members) => members.iter().all(|m| m.holds(occurrence, state)),
            TriggerExpr::Or(members) => members.iter().any(|m| m.holds(occurrence, state)),
            TriggerExpr::Not(member) => !member.holds(occurrence, state),
        }
    }

    /// Whether the trigger reads only state (and is therefore edge-triggered).
    pub fn is_state_only(&self) -> bool {
        match self {
            TriggerExpr::State { .. } => true,
            TriggerExpr::Event { .. } | TriggerExpr::Time { .. } => false,
            TriggerExpr::And(members) | TriggerExpr::Or(members) => {
                members.iter().all(TriggerExpr::is_state_only)
            }
            TriggerExpr::Not(member) => member.is_state_only(),
        }
    }
}

/// A cron schedule of one time trigger (members of composites included).
#[derive(Debug, Clone)]
pub struct Schedule {
    /// Pointer of the time trigger object.
    pub pointer: String,
    pub expression: String,
    cron: croner::Cron,
    zone: TimeZone,
}

impl Schedule {
    pub(crate) fn new(pointer: String, expression: &str, zone: &str) -> Result<Self, String> {
        let cron = adl_checker::cron::schedule(expression)
            .map_err(|e| format!("invalid cron expression `{expression}`: {}", e.message))?;
        let zone = TimeZone::get(zone).map_err(|_| format!("unknown time zone `{zone}`"))?;
        Ok(Self {
            pointer,
            expression: expression.to_owned(),
            cron,
            zone,
        })
    }

    /// The first fire time strictly after `after`.
    pub fn next_after(&self, after: Timestamp) -> Option<Timestamp> {
        self.cron
            .find_next_occurrence(&after.to_zoned(self.zone.clone()), false)
            .ok()
            .map(|zoned| zoned.timestamp())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schedules_are_time_zone_aware() {
        let schedule = Schedule::new("/t".into(), "0 9 * * *", "Europe/Paris").expect("valid");
        let after: Timestamp = "2026-01-01T00:00:00Z".parse().expect("timestamp");
        let next = schedule.next_after(after).expect("a fire time");
        assert_eq!(next.to_string(), "2026-01-01T08:00:00Z");
        let seconds = Schedule::new("/t".into(), "*/10 * * * * *", "UTC").expect("valid");
        assert_eq!(
            seconds.next_after(after).expect("next").to_string(),
            "2026-01-01T00:00:10Z"
        );
    }

    #[test]
    fn every_macro_the_checker_accepts_schedules() {
        let after: Timestamp = "2026-01-01T12:00:00Z".parse().expect("timestamp");
        for (expression, next) in [
            ("@hourly", "2026-01-01T13:00:00Z"),
            ("@daily", "2026-01-02T00:00:00Z"),
            ("@midnight", "2026-01-02T00:00:00Z"),
            ("@weekly", "2026-01-04T00:00:00Z"),
            ("@monthly", "2026-02-01T00:00:00Z"),
            ("@yearly", "2027-01-01T00:00:00Z"),
            ("@annually", "2027-01-01T00:00:00Z"),
        ] {
            let schedule = Schedule::new("/t".into(), expression, "UTC").expect(expression);
            let fired = schedule.next_after(after).expect("a fire time");
            assert_eq!(fired.to_string(), next, "{expression}");
        }
        assert_eq!(
            adl_checker::cron::MACROS.len(),
            7,
            "a new macro needs a case above"
        );
    }
}
