use adl_diagnostics::{Severity, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports an object that lacks a required field, such as a time trigger with no
    /// `expression` or a notification handler with no `message`. The diagnostic
    /// points at the object that lacks the field.
    ///
    /// ## Why it matters
    /// Without it the runtime cannot do what the object describes.
    ///
    /// ## Example
    /// ```json
    /// { "handler_type": "notification", "notification_type": "alert" }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// { "handler_type": "notification", "notification_type": "alert", "message": "Tool failed: ${event.data.tool_name}" }
    /// ```
    pub static MISSING_FIELD = ("ADL204", "missing-field", Severity::Error, "a required field is missing");
}
