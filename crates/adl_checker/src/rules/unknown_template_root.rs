use adl_diagnostics::{Diagnostic, Severity, declare_rule};

use crate::context::Context;
use crate::templates::ROOTS;

declare_rule! {
    /// ## What it does
    /// Reports a template whose path starts with something other than `event` or
    /// `state`, with the closest root as a suggestion. `${env.NAME}` is allowed
    /// only in a database `connection_string`: elsewhere it would copy the
    /// environment (secrets included) into tool calls and notifications.
    ///
    /// ## Why it matters
    /// The value would be missing at run time: the template would resolve to its
    /// fallback, `null` or `""`.
    ///
    /// ## Example
    /// ```json
    /// { "message": "Tool ${evnt.data.tool_name} failed" }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// { "message": "Tool ${event.data.tool_name} failed" }
    /// ```
    pub static UNKNOWN_TEMPLATE_ROOT = ("ADL402", "unknown-template-root", Severity::Error, "a template starts with an unknown root");
}

pub(crate) fn check(cx: &mut Context<'_>) {
    let mut found = Vec::new();
    for template in cx.template_uses() {
        let path = template.path;
        if ROOTS.contains(&path.root.as_str()) {
            continue;
        }
        let root_end = path.range.start + path.root.len();
        let span = cx
            .doc
            .string_subspan(template.node, path.range.start, root_end);
        let mut diagnostic = Diagnostic::new(
            &UNKNOWN_TEMPLATE_ROOT,
            format!("unknown template root `{}`", path.root),
            span,
            cx.pointer(template.node),
        );
        diagnostic = if path.root == "env" {
            diagnostic
                .with_primary_label("environment values are not allowed here")
                .with_note("`${env.NAME}` is allowed only in a database `connection_string`: elsewhere it would copy the environment, secrets included, into tool calls and messages")
                .with_help("pass the value through the agent's state or the event instead")
        } else if let Some(candidate) = adl_parser::suggest(&path.root, ROOTS.iter().copied()) {
            diagnostic
                .with_primary_label(format!("did you mean `{candidate}`?"))
                .with_help(format!("did you mean `{candidate}`?"))
        } else {
            diagnostic
                .with_primary_label("not `event` or `state`")
                .with_help("a template starts with `event` (the event being handled) or `state` (the agent's state)")
        };
        found.push(diagnostic);
    }
    cx.diagnostics.extend(found);
}
