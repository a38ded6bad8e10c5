//! YAML text → the same spanned tree JSON text gives: YAML 1.2's core schema,
//! one document, no tags, merge keys or non-string keys (`yaml-unsupported`),
//! aliases expanded within the size and depth limits. Ranges point into the
//! YAML text; everything downstream (pointers, rules, suppressions) is unchanged.

use std::collections::HashMap;

use adl_diagnostics::{Diagnostic, Span};
use saphyr_parser::{Event, Parser, ScalarStyle};

use crate::json::{
    Document, MAX_DEPTH, MAX_FILE_SIZE, Member, Node, NodeId, NodeKind, Number, Slot,
};
use crate::rules::{
    EMPTY_DOCUMENT, INVALID_YAML, NESTING_TOO_DEEP, YAML_AMBIGUOUS_SCALAR, YAML_MULTIPLE_DOCUMENTS,
    YAML_UNSUPPORTED,
};

/// Most nodes aliases may expand a document to: bounds "billion laughs".
const MAX_NODES: usize = 1_000_000;

/// Parses YAML `bytes` into a [`Document`], with every diagnostic. Never panics.
pub fn parse_yaml(bytes: &[u8]) -> (Document, Vec<Diagnostic>) {
    // Size and encoding are judged as for JSON, with the same diagnostics.
    if bytes.len() > MAX_FILE_SIZE || std::str::from_utf8(bytes).is_err() {
        return crate::json::parse_json(bytes);
    }
    let text = std::str::from_utf8(bytes).unwrap_or_default();
    let mut reader = Reader {
        text,
        offsets: CharOffsets::new(text),
        nodes: Vec::new(),
        stack: Vec::new(),
        anchors: HashMap::new(),
        diagnostics: Vec::new(),
        root: None,
    };
    reader.read();
    let Reader {
        nodes,
        root,
        mut diagnostics,
        ..
    } = reader;
    let document = Document::from_parts(text.to_owned(), nodes, root);
    if document.root().is_some() {
        crate::json::report_duplicate_keys(&document, &mut diagnostics);
    } else if diagnostics.is_empty() {
        diagnostics.push(
            Diagnostic::new(
                &EMPTY_DOCUMENT,
                "the file holds no YAML document",
                Span::empty(0),
                "",
            )
            .with_help("write the agent definition as a YAML mapping"),
        );
    }
    (document, diagnostics)
}

/// Character index → byte offset (the parser counts characters), never past
/// the end of the text.
struct CharOffsets {
    /// Each character's byte offset, then the text's length; `None` for ASCII.
    offsets: Option<Vec<u32>>,
    len: u32,
}

impl CharOffsets {
    fn new(text: &str) -> CharOffsets {
        let len = text.len() as u32;
        if text.is_ascii() {
            return CharOffsets { offsets: None, len };
        }
        let mut offsets: Vec<u32> = text.char_indices().map(|(i, _)| i as u32).collect();
        offsets.push(len);
        CharOffsets {
            offsets: Some(offsets),
            len,
        }
    }

    fn byte(&self, char_index: usize) -> u32 {
        match &self.offsets {
            None => u32::try_from(char_index).map_or(self.len, |i| i.min(self.len)),
            Some(offsets) => offsets.get(char_index).copied().unwrap_or(self.len),
        }
    }
}

/// An open collection.
enum Frame {
    Sequence {
        id: NodeId,
        items: Vec<NodeId>,
    },
    Mapping {
        id: NodeId,
        members: Vec<Member>,
        /// The key read, waiting for its value.
        key: Option<(Box<str>, Span)>,
    },
}

/// Where the next value goes.
enum Place {
    Root,
    Item(NodeId, u32),
    Value(NodeId, u32),
    Key,
}

struct Reader<'t> {
    text: &'t str,
    offsets: CharOffsets,
    nodes: Vec<Node>,
    stack: Vec<(Frame, u32)>,
    anchors: HashMap<usize, NodeId>,
    diagnostics: Vec<Diagnostic>,
    root: Option<NodeId>,
}

/// Stops reading: the diagnostic says why.
struct Stop;

impl Reader<'_> {
    fn span(&self, span: saphyr_parser::Span) -> Span {
        let start = self.offsets.byte(span.start.index());
        let end = self.offsets.byte(span.end.index()).max(start);
        Span::new(start, end)
    }

    fn read(&mut self) {
        let mut parser = Parser::new_from_str(self.text);
        let mut documents = 0;
        while let Some(next) = parser.next_event() {
            let (event, span) = match next {
                Ok(event) => event,
                Err(error) => {
                    let at = self.offsets.byte(error.marker().index());
                    let end = self.text[at as usize..]
                        .chars()
                        .next()
                        .map_or(at, |c| at + c.len_utf8() as u32);
                    // The YAML scanner counts flow levels (`[`, `{`) in a byte.
                    let diagnostic = if error.info() == "recursion limit exceeded" {
                        Diagnostic::new(
                            &NESTING_TOO_DEEP,
                            "`[` and `{` nested deeper than 255 levels",
                            Span::new(at, end),
                            "",
                        )
                        .with_help("flatten the structure")
                    } else {
                        Diagnostic::new(
                            &INVALID_YAML,
                            format!("invalid YAML: {}", error.info()),
                            Span::new(at, end),
                            "",
                        )
                        .with_primary_label("the YAML parser stopped here")
                        .with_help("fix the syntax here; quote values that hold `:` or `#`")
                    };
                    self.diagnostics.push(diagnostic);
                    self.root = None;
                    return;
                }
            };
            let span = self.span(span);
            let step = match event {
                Event::DocumentStart(_) => {
                    documents += 1;
                    if documents > 1 {
                        self.diagnostics.push(
                            Diagnostic::new(
                                &YAML_MULTIPLE_DOCUMENTS,
                                "the file holds a second YAML document",
                                span,
                                "",
                            )
                            .with_primary_label("a second document starts here")
                            .with_note("only the first document is read")
                            .with_help("keep one agent definition per file"),
                        );
                        return;
                    }
                    Ok(())
                }
                Event::Scalar(_, _, _, Some(tag))
                | Event::SequenceStart(_, Some(tag))
                | Event::MappingStart(_, Some(tag)) => {
                    let (tag, span) = self.tag_as_written(span, &tag);
                    Err(self.unsupported(
                        span,
                        format!("the tag `{tag}` has no JSON equivalent"),
                        "remove the tag: values are plain JSON strings, numbers, booleans, null, arrays and objects",
                    ))
                }
                Event::Scalar(value, style, anchor, None) => {
                    self.scalar(&value, style, anchor, span)
                }
                Event::SequenceStart(anchor, _) => self.open(false, anchor, span),
                Event::MappingStart(anchor, _) => self.open(true, anchor, span),
                Event::SequenceEnd | Event::MappingEnd => {
                    self.close(span);
                    Ok(())
                }
                Event::Alias(anchor) => self.alias(anchor, span),
                _ => Ok(()),
            };
            if step.is_err() {
                self.root = None;
                return;
            }
        }
    }

    /// The tag as the author wrote it (`!!binary`, not its resolved URI), and
    /// its span, when the node's text starts with it.
    fn tag_as_written(&self, span: Span, tag: &saphyr_parser::Tag) -> (String, Span) {
        let text = self
            .text
            .get(span.start as usize..span.end as usize)
            .unwrap_or_default();
        match text.split_whitespace().next() {
            Some(written) if written.starts_with('!') => (
                written.to_owned(),
                Span::new(span.start, span.start + written.len() as u32),
            ),
            _ => (format!("{}{}", tag.handle, tag.suffix), span),
        }
    }

    fn unsupported(&mut self, span: Span, message: String, help: &str) -> Stop {
        self.diagnostics.push(
            Diagnostic::new(&YAML_UNSUPPORTED, message, span, "")
                .with_primary_label("not in JSON's data model")
                .with_help(help.to_owned()),
        );
        Stop
    }

    /// Where the next value goes, reading a mapping's key first.
    fn place(&self) -> Place {
        match self.stack.last() {
            None => Place::Root,
            Some((Frame::Sequence { id, items }, _)) => Place::Item(*id, items.len() as u32),
            Some((Frame::Mapping { id, members, key }, _)) => match key {
                None => Place::Key,
                Some(_) => Place::Value(*id, members.len() as u32),
            },
        }
    }

    fn push(&mut self, kind: NodeKind, span: Span) -> Result<NodeId, Stop> {
        if self.nodes.len() >= MAX_NODES {
            return Err(self.unsupported(
                span,
                format!("the document expands to more than {MAX_NODES} values"),
                "write the values out instead of repeating large aliases",
            ));
        }
        let (parent, slot) = match self.place() {
            Place::Root | Place::Key => (None, Slot::Root),
            Place::Item(parent, index) => (Some(parent), Slot::Index(index)),
            Place::Value(parent, index) => (Some(parent), Slot::Member(index)),
        };
        let id = NodeId::new(self.nodes.len());
        self.nodes.push(Node {
            kind,
            span,
            parent,
            slot,
        });
        Ok(id)
    }

    /// Records a finished value in its parent.
    fn attach(&mut self, id: NodeId) {
        match self.stack.last_mut() {
            None => self.root = Some(id),
            Some((Frame::Sequence { items, .. }, _)) => items.push(id),
            Some((Frame::Mapping { members, key, .. }, _)) => {
                if let Some((key, key_span)) = key.take() {
                    members.push(Member {
                        key,
                        key_span,
                        value: id,
                    });
                }
            }
        }
    }

    fn scalar(
        &mut self,
        value: &str,
        style: ScalarStyle,
        anchor: usize,
        span: Span,
    ) -> Result<(), Stop> {
        if matches!(self.place(), Place::Key) {
            return self.key(value, style, span);
        }
        let kind = if style == ScalarStyle::Plain {
            self.ambiguous(value, span);
            match resolve(value) {
                Ok(kind) => kind,
                Err(what) => {
                    return Err(self.unsupported(
                        span,
                        format!("`{value}` is {what}, which JSON cannot hold"),
                        "quote it to keep it as a string, or use a finite number",
                    ));
                }
            }
        } else {
            NodeKind::String(value.into())
        };
        let id = self.push(kind, span)?;
        if anchor > 0 {
            self.anchors.insert(anchor, id);
        }
        self.attach(id);
        Ok(())
    }

    fn key(&mut self, key: &str, style: ScalarStyle, span: Span) -> Result<(), Stop> {
        if style == ScalarStyle::Plain {
            if key == "<<" {
                return Err(self.unsupported(
                    span,
                    "merge keys (`<<`) are not part of YAML 1.2".to_owned(),
                    "write the merged keys out in this mapping",
                ));
            }
            self.ambiguous(key, span);
            if !matches!(resolve(key), Ok(NodeKind::String(_))) {
                return Err(self.unsupported(
                    span,
                    format!("the key `{key}` is not a string"),
                    &format!("quote it: `\"{key}\"`"),
                ));
            }
        }
        if let Some((Frame::Mapping { key: slot, .. }, _)) = self.stack.last_mut() {
            *slot = Some((key.into(), span));
        }
        Ok(())
    }

    /// Warns about a plain scalar YAML 1.1 reads otherwise.
    fn ambiguous(&mut self, value: &str, span: Span) {
        let other = match value {
            "y" | "Y" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" => Some("true"),
            "n" | "N" | "no" | "No" | "NO" | "off" | "Off" | "OFF" => Some("false"),
            _ if is_leading_zero_integer(value) => Some("an octal number"),
            _ if is_sexagesimal(value) => Some("a base-60 number"),
            _ => None,
        };
        let Some(other) = other else { return };
        let here = match resolve(value) {
            Ok(NodeKind::Number(n)) => format!("the number {}", n.as_f64()),
            _ => format!("the string \"{value}\""),
        };
        self.diagnostics.push(
            Diagnostic::new(
                &YAML_AMBIGUOUS_SCALAR,
                format!("`{value}` is {here} in YAML 1.2, but {other} in YAML 1.1"),
                span,
                "",
            )
            .with_primary_label("read as YAML 1.2")
            .with_help(format!("quote it (`\"{value}\"`) or write the value you mean (`true`, `false`, a plain number)")),
        );
    }

    fn open(&mut self, mapping: bool, anchor: usize, span: Span) -> Result<(), Stop> {
        if matches!(self.place(), Place::Key) {
            return Err(self.unsupported(
                span,
                "a key that is a collection".to_owned(),
                "keys are strings",
            ));
        }
        let depth = self.stack.len() as u32 + 1;
        if depth > MAX_DEPTH {
            self.diagnostics.push(
                Diagnostic::new(
                    &NESTING_TOO_DEEP,
                    format!("nesting deeper than {MAX_DEPTH} levels"),
                    span,
                    "",
                )
                .with_help("flatten the structure"),
            );
            return Err(Stop);
        }
        let kind = if mapping {
            NodeKind::Object(Vec::new())
        } else {
            NodeKind::Array(Vec::new())
        };
        let id = self.push(kind, span)?;
        if anchor > 0 {
            self.anchors.insert(anchor, id);
        }
        let frame = if mapping {
            Frame::Mapping {
                id,
                members: Vec::new(),
                key: None,
            }
        } else {
            Frame::Sequence {
                id,
                items: Vec::new(),
            }
        };
        self.stack.push((frame, span.start));
        Ok(())
    }

    fn close(&mut self, span: Span) {
        let Some((frame, start)) = self.stack.pop() else {
            return;
        };
        let (id, kind) = match frame {
            Frame::Sequence { id, items } => (id, NodeKind::Array(items)),
            Frame::Mapping { id, members, .. } => (id, NodeKind::Object(members)),
        };
        let node = &mut self.nodes[id.index()];
        node.kind = kind;
        node.span = Span::new(start, span.end.max(start));
        self.attach(id);
    }

    /// Expands an alias: a copy of the anchored value, spanned at the alias.
    fn alias(&mut self, anchor: usize, span: Span) -> Result<(), Stop> {
        let Some(&original) = self.anchors.get(&anchor) else {
            return Err(self.unsupported(
                span,
                "an alias to an anchor not defined before it".to_owned(),
                "define the anchor (`&name`) before using it",
            ));
        };
        if matches!(self.place(), Place::Key) {
            return Err(self.unsupported(span, "an alias as a key".to_owned(), "keys are strings"));
        }
        let id = self.copy(original, span, self.stack.len() as u32)?;
        self.attach(id);
        Ok(())
    }

    /// Copies the subtree at `original` into the current place.
    fn copy(&mut self, original: NodeId, span: Span, depth: u32) -> Result<NodeId, Stop> {
        if depth > MAX_DEPTH {
            self.diagnostics.push(
                Diagnostic::new(
                    &NESTING_TOO_DEEP,
                    format!("the alias expands deeper than {MAX_DEPTH} levels"),
                    span,
                    "",
                )
                .with_help("flatten the structure"),
            );
            return Err(Stop);
        }
        match self.nodes[original.index()].kind.clone() {
            NodeKind::Array(items) => {
                let id = self.push(NodeKind::Array(Vec::new()), span)?;
                self.stack.push((
                    Frame::Sequence {
                        id,
                        items: Vec::new(),
                    },
                    span.start,
                ));
                for item in items {
                    let copy = self.copy(item, span, depth + 1)?;
                    self.attach(copy);
                }
                self.finish_copy(span);
                Ok(id)
            }
            NodeKind::Object(members) => {
                let id = self.push(NodeKind::Object(Vec::new()), span)?;
                self.stack.push((
                    Frame::Mapping {
                        id,
                        members: Vec::new(),
                        key: None,
                    },
                    span.start,
                ));
                for member in members {
                    if let Some((Frame::Mapping { key, .. }, _)) = self.stack.last_mut() {
                        *key = Some((member.key.clone(), span));
                    }
                    let copy = self.copy(member.value, span, depth + 1)?;
                    self.attach(copy);
                }
                self.finish_copy(span);
                Ok(id)
            }
            scalar => self.push(scalar, span),
        }
    }

    /// Closes the collection a copy opened, without attaching it (the caller does).
    fn finish_copy(&mut self, span: Span) {
        if let Some((frame, _)) = self.stack.pop() {
            let (id, kind) = match frame {
                Frame::Sequence { id, items } => (id, NodeKind::Array(items)),
                Frame::Mapping { id, members, .. } => (id, NodeKind::Object(members)),
            };
            let node = &mut self.nodes[id.index()];
            node.kind = kind;
            node.span = span;
        }
    }
}

/// A plain scalar under YAML 1.2's core schema; `Err` for what JSON cannot hold.
fn resolve(value: &str) -> Result<NodeKind, &'static str> {
    match value {
        "" | "~" | "null" | "Null" | "NULL" => return Ok(NodeKind::Null),
        "true" | "True" | "TRUE" => return Ok(NodeKind::Bool(true)),
        "false" | "False" | "FALSE" => return Ok(NodeKind::Bool(false)),
        ".nan" | ".NaN" | ".NAN" => return Err("not a number (`.nan`)"),
        _ => {}
    }
    let unsigned = value.strip_prefix(['-', '+']).unwrap_or(value);
    if matches!(unsigned, ".inf" | ".Inf" | ".INF") {
        return Err("infinite (`.inf`)");
    }
    if !unsigned.is_empty() && unsigned.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(NodeKind::Number(match value.parse::<i64>() {
            Ok(i) => Number::Integer(i),
            Err(_) => Number::Float(value.parse::<f64>().unwrap_or(f64::MAX)),
        }));
    }
    // `0o17`, `0x1F`: digits only (`from_str_radix` alone would take a sign).
    for (prefix, radix) in [("0o", 8), ("0x", 16)] {
        if let Some(digits) = value.strip_prefix(prefix)
            && !digits.is_empty()
            && digits.chars().all(|c| c.is_digit(radix))
            && let Ok(i) = i64::from_str_radix(digits, radix)
        {
            return Ok(NodeKind::Number(Number::Integer(i)));
        }
    }
    if is_core_float(unsigned)
        && let Ok(f) = value.parse::<f64>()
        && f.is_finite()
    {
        return Ok(NodeKind::Number(Number::Float(f)));
    }
    Ok(NodeKind::String(value.into()))
}

/// `(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`
fn is_core_float(text: &str) -> bool {
    let (mantissa, exponent) = match text.find(['e', 'E']) {
        Some(at) => (&text[..at], Some(&text[at + 1..])),
        None => (text, None),
    };
    let mantissa_ok = match mantissa.split_once('.') {
        Some((whole, fraction)) => {
            (!whole.is_empty() || !fraction.is_empty())
                && whole.bytes().all(|b| b.is_ascii_digit())
                && fraction.bytes().all(|b| b.is_ascii_digit())
                && !(whole.is_empty() && fraction.is_empty())
        }
        None => !mantissa.is_empty() && mantissa.bytes().all(|b| b.is_ascii_digit()),
    };
    let exponent_ok = exponent.is_none_or(|e| {
        let digits = e.strip_prefix(['-', '+']).unwrap_or(e);
        !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
    });
    mantissa_ok && exponent_ok
}

/// `0123`: an integer in YAML 1.2, an octal one in 1.1.
fn is_leading_zero_integer(value: &str) -> bool {
    let digits = value.strip_prefix(['-', '+']).unwrap_or(value);
    digits.len() > 1 && digits.starts_with('0') && digits.bytes().all(|b| b.is_ascii_digit())
}

/// `1:30`: a string in YAML 1.2, base 60 in 1.1.
fn is_sexagesimal(value: &str) -> bool {
    let digits = value.strip_prefix(['-', '+']).unwrap_or(value);
    let mut parts = digits.split(':');
    let first = parts.next().unwrap_or_default();
    let rest: Vec<&str> = parts.collect();
    !first.is_empty()
        && !rest.is_empty()
        && first.bytes().all(|b| b.is_ascii_digit())
        && rest
            .iter()
            .all(|p| !p.is_empty() && p.len() <= 2 && p.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(yaml: &str) -> serde_json::Value {
        let (doc, diagnostics) = parse_yaml(yaml.as_bytes());
        let errors: Vec<_> = diagnostics.iter().filter(|d| d.is_error()).collect();
        assert!(errors.is_empty(), "{errors:?}");
        doc.to_value(doc.root().expect("a root"))
    }

    fn codes(yaml: &str) -> Vec<&'static str> {
        parse_yaml(yaml.as_bytes())
            .1
            .iter()
            .map(|d| d.rule.code)
            .collect()
    }

    #[test]
    fn core_schema_scalars() {
        assert_eq!(
            value("a: 1\nb: -2.5\nc: true\nd: ~\ne: text\nf: '1'\ng: 0x1F\nh: 1e3\ni: .5\n"),
            serde_json::json!({"a": 1, "b": -2.5, "c": true, "d": null, "e": "text", "f": "1", "g": 31, "h": 1000.0, "i": 0.5})
        );
        assert_eq!(
            value("- yes\n- 1.2.3\n- \"x\"\n"),
            serde_json::json!(["yes", "1.2.3", "x"])
        );
        assert_eq!(
            value("- 0x-1\n- 0o+7\n- 0o17\n"),
            serde_json::json!(["0x-1", "0o+7", 15])
        );
    }

    #[test]
    fn spans_point_into_the_yaml_text() {
        let text = "name: Süpport\ntools:\n  - name: search\n";
        let (doc, _) = parse_yaml(text.as_bytes());
        let root = doc.root().expect("root");
        let tools = doc.member(root, "tools").expect("tools").value;
        let NodeKind::Array(items) = doc.kind(tools) else {
            panic!("an array")
        };
        let name = doc.member(items[0], "name").expect("name");
        assert_eq!(&text[name.key_span.range()], "name");
        assert_eq!(&text[doc.span(name.value).range()], "search");
        assert_eq!(doc.pointer(name.value), "/tools/0/name");
        let first = doc.member(root, "name").expect("name").value;
        assert_eq!(&text[doc.span(first).range()], "Süpport");
    }

    #[test]
    fn aliases_expand_and_bombs_are_refused() {
        assert_eq!(
            value("base: &b {t: 1}\ncopy: *b\n"),
            serde_json::json!({"base": {"t": 1}, "copy": {"t": 1}})
        );
        let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..9 {
            let prev = format!("*a{}", i - 1);
            let items = [prev.as_str(); 10].join(", ");
            bomb.extend([format!("a{i}: &a{i} [{items}]"), "\n".to_owned()]);
        }
        assert!(codes(&bomb).contains(&"ADL110"));
    }

    #[test]
    fn unsupported_features_and_ambiguity() {
        assert_eq!(codes("a: !!binary aGk=\n"), ["ADL110"]);
        assert_eq!(codes("a: &x {b: 1}\nc:\n  <<: *x\n"), ["ADL110"]);
        assert_eq!(codes("1: a\n"), ["ADL110"]);
        assert_eq!(codes("a: .nan\n"), ["ADL110"]);
        assert_eq!(codes("a: -.inf\n"), ["ADL110"]);
        assert_eq!(codes("a: 1\n---\nb: 2\n"), ["ADL109"]);
        assert_eq!(codes("a: [1\n"), ["ADL108"]);
        assert_eq!(codes(""), ["ADL103"]);
        assert_eq!(
            codes("a: yes\nb: 0123\nc: 1:30\nd: 'no'\n"),
            ["ADL111", "ADL111", "ADL111"]
        );
        assert_eq!(codes("a: 1\na: 2\n"), ["ADL104"]);
    }

    #[test]
    fn every_truncation_parses_without_panic_and_points_inside_the_text() {
        let text = "a: &x {b: [1, \"é\", 'c']}\nd: *x\ne:\n  - f: |\n      text\n  - yes\n";
        for (end, _) in text.char_indices().chain([(text.len(), ' ')]) {
            let prefix = &text[..end];
            let (doc, diagnostics) = parse_yaml(prefix.as_bytes());
            for diagnostic in &diagnostics {
                assert!(
                    diagnostic.primary.span.end as usize <= prefix.len(),
                    "{prefix:?}"
                );
            }
            for id in doc.node_ids() {
                assert!(doc.span(id).end as usize <= prefix.len(), "{prefix:?}");
            }
        }
    }
}
