use super::Reader;
use crate::json::NodeId;
use crate::model::{ToolDecl, ToolParameter};

/// Tools live outside the events block: only the keys adl uses are checked, and
/// any other key is allowed.
impl Reader<'_> {
    pub fn tool(&mut self, node: NodeId) -> Option<ToolDecl> {
        let fields = self.object(node, "a tool")?;
        let name = self.required(&fields, "name").and_then(|n| self.string(n));
        let parameters = fields
            .get("parameters")
            .and_then(|n| self.array(n, Self::tool_parameter));
        Some(ToolDecl {
            name: name?,
            parameters,
            node,
        })
    }

    fn tool_parameter(&mut self, node: NodeId) -> Option<ToolParameter> {
        let fields = self.object(node, "a tool parameter")?;
        let name = self.required(&fields, "name").and_then(|n| self.string(n));
        let parameter_type = fields.get("type").and_then(|n| self.string(n));
        let required = fields.get("required").and_then(|n| self.boolean(n));
        Some(ToolParameter {
            name: name?,
            parameter_type,
            required,
            node,
        })
    }
}
