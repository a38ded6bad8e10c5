use adl_diagnostics::{Diagnostic, Severity, declare_rule};
use adl_parser::model::{Handler, Persistence, Spanned, Subscription, Trigger};
use adl_parser::template::has_template;

use crate::context::Context;

declare_rule! {
    /// ## What it does
    /// Reports a `${…}` template in a field that names something rather than
    /// carrying a value: `tool_name`, `state_field`, `handler_name`, `event_name`,
    /// `event_pattern` and `file_path`.
    ///
    /// ## Why it matters
    /// These names are fixed when the agent is compiled (to index handlers, match
    /// events, open files). A template there would let event data choose which
    /// tool runs or which file is written.
    ///
    /// ## Example
    /// ```json
    /// { "handler_type": "tool_invocation", "tool_name": "${event.data.tool}" }
    /// ```
    ///
    /// ## Use instead
    /// Name the tool, and pass the varying part as a parameter:
    /// ```json
    /// { "handler_type": "tool_invocation", "tool_name": "dispatch", "parameters": { "tool": "${event.data.tool}" } }
    /// ```
    pub static TEMPLATE_NOT_ALLOWED = ("ADL405", "template-not-allowed", Severity::Error, "a template is used in a field that names something");
}

pub(crate) fn check(cx: &mut Context<'_>) {
    let mut fields: Vec<(&Spanned<String>, &str)> = Vec::new();
    for handler in &cx.handlers {
        match handler {
            Handler::ToolInvocation(h) => fields.push((&h.tool_name, "tool_name")),
            Handler::StateUpdate(h) => fields.push((&h.state_field, "state_field")),
            Handler::Custom(h) => fields.push((&h.handler_name, "handler_name")),
            Handler::Notification(_) => {}
        }
    }
    for subscription in cx.agent.events.subscriptions() {
        match subscription {
            Subscription::Direct(s) => fields.push((&s.event_name, "event_name")),
            Subscription::Filtered(s) => fields.push((&s.event_name, "event_name")),
            Subscription::Pattern(s) => fields.push((&s.event_pattern, "event_pattern")),
        }
    }
    for trigger in cx.all_triggers() {
        if let Trigger::Event(t) = trigger {
            fields.push((&t.event_name, "event_name"));
        }
    }
    if let Some(Persistence::File(file)) = &cx.agent.events.persistence {
        fields.push((&file.file_path, "file_path"));
    }
    for (field, key) in fields {
        if !has_template(&field.value) {
            continue;
        }
        let start = field.value.find("${").unwrap_or(0);
        let end = field.value[start..]
            .find('}')
            .map_or(field.value.len(), |i| start + i + 1);
        let diagnostic = Diagnostic::new(
            &TEMPLATE_NOT_ALLOWED,
            format!("templates are not allowed in `{key}`"),
            cx.doc.string_subspan(field.node, start, end),
            cx.pointer(field.node),
        )
        .with_primary_label(
            "resolved at run time, but this name is fixed when the agent is compiled",
        )
        .with_help(format!(
            "write a fixed `{key}`; pass varying values through parameters or state"
        ));
        cx.report(diagnostic);
    }
}
