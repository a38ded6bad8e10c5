use adl_diagnostics::Diagnostic;

use super::{Reader, other_kinds};
use crate::json::{NodeId, NodeKind};
use crate::model::{
    CompositeOperator, CompositeTrigger, ConditionTrigger, EventTrigger, TimeTrigger, Trigger,
    TriggerType,
};
use crate::rules::{CRON_IN_SCHEDULE, UNKNOWN_VARIANT};

const EVENT_KEYS: &[&str] = &["trigger_type", "event_name", "condition"];
const TIME_KEYS: &[&str] = &["trigger_type", "schedule", "expression", "timezone"];
const CONDITION_KEYS: &[&str] = &["trigger_type", "condition"];
const COMPOSITE_KEYS: &[&str] = &["trigger_type", "operator", "triggers"];
const KINDS: &[(&str, &[&str])] = &[
    ("`event` triggers", EVENT_KEYS),
    ("`time` triggers", TIME_KEYS),
    ("`condition` triggers", CONDITION_KEYS),
    ("`composite` triggers", COMPOSITE_KEYS),
];
const ALL_KEYS: &[&str] = &[
    "trigger_type",
    "event_name",
    "condition",
    "schedule",
    "expression",
    "timezone",
    "operator",
    "triggers",
];

/// The only `schedule` kind.
const CRON: &str = "cron";

impl Reader<'_> {
    pub fn trigger(&mut self, node: NodeId) -> Option<Trigger> {
        let (mut fields, allow, kind) =
            self.tagged::<TriggerType>(node, "a trigger", "trigger_type", ALL_KEYS)?;
        let others = |own| other_kinds(KINDS, own);
        match kind {
            TriggerType::Event => {
                fields.what = "an event trigger";
                self.unknown_keys(&mut fields, EVENT_KEYS, &others(EVENT_KEYS));
                let event_name = self
                    .required(&fields, "event_name")
                    .and_then(|n| self.string(n));
                let condition = fields.get("condition").and_then(|n| self.condition(n));
                Some(Trigger::Event(EventTrigger {
                    event_name: event_name?,
                    condition,
                    allow,
                    node,
                }))
            }
            TriggerType::Time => {
                fields.what = "a time trigger";
                self.unknown_keys(&mut fields, TIME_KEYS, &others(TIME_KEYS));
                let schedule = fields.get("schedule").and_then(|n| self.string(n));
                let mut expression = fields.get("expression").and_then(|n| self.string(n));
                let timezone = fields.get("timezone").and_then(|n| self.string(n));
                match (&schedule, fields.get("expression")) {
                    (Some(schedule), None) if schedule.value != CRON => {
                        self.cron_in_schedule(schedule.node, &schedule.value);
                        expression = Some(schedule.clone());
                    }
                    (Some(schedule), Some(_)) if schedule.value != CRON => {
                        self.schedule_not_cron(schedule.node, &schedule.value);
                    }
                    (_, None) if fields.get("schedule").is_none() || schedule.is_some() => {
                        self.missing(
                            &fields,
                            "expression",
                            Some("add `\"expression\": \"0 * * * *\"` (a cron expression) beside `\"schedule\": \"cron\"`".to_owned()),
                        );
                    }
                    _ => {}
                }
                Some(Trigger::Time(TimeTrigger {
                    schedule,
                    expression: Some(expression?),
                    timezone,
                    allow,
                    node,
                }))
            }
            TriggerType::Condition => {
                fields.what = "a condition trigger";
                self.unknown_keys(&mut fields, CONDITION_KEYS, &others(CONDITION_KEYS));
                let condition = self
                    .required(&fields, "condition")
                    .and_then(|n| self.condition(n));
                Some(Trigger::Condition(ConditionTrigger {
                    condition: condition?,
                    allow,
                    node,
                }))
            }
            TriggerType::Composite => {
                fields.what = "a composite trigger";
                self.unknown_keys(&mut fields, COMPOSITE_KEYS, &others(COMPOSITE_KEYS));
                let operator = self
                    .required(&fields, "operator")
                    .and_then(|n| self.keyword::<CompositeOperator>(n));
                let triggers = self
                    .required(&fields, "triggers")
                    .and_then(|n| self.array(n, Self::trigger));
                Some(Trigger::Composite(CompositeTrigger {
                    operator: operator?,
                    triggers: triggers?,
                    allow,
                    node,
                }))
            }
        }
    }

    fn cron_in_schedule(&mut self, node: NodeId, expression: &str) {
        let diagnostic = Diagnostic::new(
            &CRON_IN_SCHEDULE,
            "the cron expression is written in `schedule`",
            self.doc.span(node),
            self.doc.pointer(node),
        )
        .with_primary_label("read as the cron expression")
        .with_help(format!(
            "write `\"schedule\": \"cron\", \"expression\": \"{}\"`",
            expression.replace('"', "\\\"")
        ));
        self.diagnostics.push(diagnostic);
    }

    fn schedule_not_cron(&mut self, node: NodeId, schedule: &str) {
        let pointer = self.doc.pointer(node);
        let span = self.doc.span(node);
        let mut diagnostic = Diagnostic::new(
            &UNKNOWN_VARIANT,
            format!("unknown schedule `{schedule}`"),
            span,
            pointer,
        )
        .with_note("expected `cron`, the only schedule kind");
        if matches!(self.doc.kind(node), NodeKind::String(_)) {
            diagnostic = diagnostic
                .with_help("write `\"schedule\": \"cron\"`; the expression goes in `expression`");
        }
        self.diagnostics.push(diagnostic);
    }
}
