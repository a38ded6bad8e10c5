//! Recursive descent over bytes. Depth is bounded by [`MAX_DEPTH`], so recursion
//! never overflows the stack; every error is a diagnostic, never a panic.

use adl_diagnostics::{Diagnostic, Span};

use super::{Document, Member, Node, NodeId, NodeKind, Number, Slot};
use crate::rules::{
    DUPLICATE_KEY, EMPTY_DOCUMENT, FILE_TOO_LARGE, INVALID_JSON, INVALID_UTF8, NESTING_TOO_DEEP,
};

/// Nesting deeper than this many arrays/objects is refused (`nesting-too-deep`).
pub const MAX_DEPTH: u32 = 256;

/// Files larger than this many bytes are refused (`file-too-large`): 16 MiB.
pub const MAX_FILE_SIZE: usize = 16 * 1024 * 1024;

/// Parses `bytes` into a [`Document`], returning every syntax diagnostic.
///
/// Never fails and never panics: on an unrecoverable syntax error the document has
/// no root and the diagnostics say why. A leading UTF-8 byte order mark is skipped.
pub fn parse_json(bytes: &[u8]) -> (Document, Vec<Diagnostic>) {
    if bytes.len() > MAX_FILE_SIZE {
        let diagnostic = Diagnostic::new(
            &FILE_TOO_LARGE,
            format!(
                "file is larger than the {} MiB limit",
                MAX_FILE_SIZE / (1024 * 1024)
            ),
            Span::empty(0),
            "",
        )
        .with_note(
            "agent definitions are configuration: a file this large is almost certainly not one",
        )
        .with_help("split the definition, or check that the right file was passed");
        return (Document::default(), vec![diagnostic]);
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(error) => {
            let offset = error.valid_up_to();
            let bad = bytes[offset];
            let diagnostic = Diagnostic::new(
                &INVALID_UTF8,
                format!("invalid UTF-8: byte 0x{bad:02X} at offset {offset}"),
                Span::empty(offset as u32),
                "",
            )
            .with_primary_label("the text stops being UTF-8 here")
            .with_help("save the file as UTF-8 (JSON text must be UTF-8, RFC 8259 §8.1)");
            let document = Document {
                text: String::from_utf8_lossy(bytes).into_owned(),
                ..Document::default()
            };
            return (document, vec![diagnostic]);
        }
    };
    let mut parser = Parser {
        text,
        bytes,
        pos: 0,
        nodes: Vec::new(),
        diagnostics: Vec::new(),
    };
    let root = parser.parse_document();
    let mut diagnostics = parser.diagnostics;
    let document = Document {
        text: text.to_owned(),
        nodes: parser.nodes,
        root,
    };
    if document.root.is_some() {
        report_duplicate_keys(&document, &mut diagnostics);
    }
    (document, diagnostics)
}

/// Every repeated key is an error at its second (and later) occurrence, with a
/// label on the first.
pub(crate) fn report_duplicate_keys(document: &Document, diagnostics: &mut Vec<Diagnostic>) {
    for index in 0..document.node_count() {
        let object = NodeId(index as u32);
        let Some(members) = document.members(object) else {
            continue;
        };
        if members.len() < 2 {
            continue;
        }
        // Sorting keeps this O(n log n) for objects with many members.
        let mut order: Vec<usize> = (0..members.len()).collect();
        order.sort_by(|&a, &b| members[a].key.cmp(&members[b].key).then(a.cmp(&b)));
        let mut first_of_run = order[0];
        for &current in &order[1..] {
            if members[current].key != members[first_of_run].key {
                first_of_run = current;
                continue;
            }
            let member = &members[current];
            let diagnostic = Diagnostic::new(
                &DUPLICATE_KEY,
                format!("duplicate key `{}`", member.key),
                member.key_span,
                document.pointer(member.value),
            )
            .with_primary_label("defined again here")
            .with_label(members[first_of_run].key_span, "first defined here")
            .with_note("JSON parsers silently keep one of the two values, so one of them is lost")
            .with_help(format!(
                "remove one of the two `{}` members, or merge them",
                member.key
            ));
            diagnostics.push(diagnostic);
        }
    }
}

/// An unrecoverable syntax error; its diagnostic has been recorded.
struct Fatal;

type Parsed<T> = Result<T, Fatal>;

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    nodes: Vec<Node>,
    diagnostics: Vec<Diagnostic>,
}

impl Parser<'_> {
    fn parse_document(&mut self) -> Option<NodeId> {
        if self.bytes.starts_with(b"\xEF\xBB\xBF") {
            self.pos = 3;
        }
        self.skip_whitespace();
        if self.pos >= self.bytes.len() {
            let diagnostic = Diagnostic::new(
                &EMPTY_DOCUMENT,
                "the file is empty",
                Span::empty(self.pos as u32),
                "",
            )
            .with_help("an agent definition is a JSON object: start with `{}`");
            self.diagnostics.push(diagnostic);
            return None;
        }
        let root = self.parse_value(None, Slot::Root, 0).ok()?;
        self.skip_whitespace();
        if self.pos < self.bytes.len() {
            let span = self.rest_of_line(self.pos);
            let diagnostic = self
                .syntax(
                    "unexpected content after the end of the JSON document",
                    span,
                )
                .with_primary_label("the document already ended")
                .with_help("a file holds exactly one JSON value: remove this, or wrap the values in an array");
            self.diagnostics.push(diagnostic);
        }
        Some(root)
    }

    #[allow(
        clippy::unused_self,
        reason = "a method, so that every error site reads `self.syntax(…)`"
    )]
    fn syntax(&self, message: impl Into<String>, span: Span) -> Diagnostic {
        Diagnostic::new(&INVALID_JSON, message, span, "")
    }

    fn fatal(&mut self, diagnostic: Diagnostic) -> Fatal {
        self.diagnostics.push(diagnostic);
        Fatal
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_whitespace(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.pos += 1;
        }
    }

    /// From `start` to the end of its line (at least one character when there is one).
    fn rest_of_line(&self, start: usize) -> Span {
        let end = self.text[start..]
            .find(['\n', '\r'])
            .map_or(self.text.len(), |i| start + i);
        Span::new(start as u32, end.max(start) as u32)
    }

    /// The span of the character at `pos` (empty at the end of the input).
    fn char_span(&self, pos: usize) -> Span {
        let len = self.text[pos..].chars().next().map_or(0, char::len_utf8);
        Span::new(pos as u32, (pos + len) as u32)
    }

    /// A word-like run starting at `pos`, for messages such as "found `True`".
    fn token_at(&self, pos: usize) -> Span {
        let rest = &self.text[pos..];
        let len = rest
            .char_indices()
            .find(|&(_, c)| !(c.is_alphanumeric() || c == '_' || c == '.' || c == '-' || c == '+'))
            .map_or(rest.len(), |(i, _)| i);
        if len == 0 {
            self.char_span(pos)
        } else {
            Span::new(pos as u32, (pos + len) as u32)
        }
    }

    fn describe_found(&self, pos: usize) -> String {
        if pos >= self.bytes.len() {
            return "the end of the file".to_owned();
        }
        format!("`{}`", &self.text[self.token_at(pos).range()])
    }

    fn push_node(
        &mut self,
        kind: NodeKind,
        span: Span,
        parent: Option<NodeId>,
        slot: Slot,
    ) -> NodeId {
        let id = NodeId(self.nodes.len() as u32);
        self.nodes.push(Node {
            kind,
            span,
            parent,
            slot,
        });
        id
    }

    fn parse_value(&mut self, parent: Option<NodeId>, slot: Slot, depth: u32) -> Parsed<NodeId> {
        let start = self.pos;
        match self.peek() {
            Some(b'{') => self.parse_object(parent, slot, depth + 1),
            Some(b'[') => self.parse_array(parent, slot, depth + 1),
            Some(b'"') => {
                let (value, span) = self.parse_string()?;
                Ok(self.push_node(NodeKind::String(value), span, parent, slot))
            }
            Some(b'-' | b'0'..=b'9' | b'+' | b'.') => {
                let (number, span) = self.parse_number()?;
                Ok(self.push_node(NodeKind::Number(number), span, parent, slot))
            }
            Some(b'/') if self.comment_at(start) => Err(self.comment_error(start)),
            Some(b'\'') => Err(self.single_quote_error(start)),
            None => {
                let diagnostic = self
                    .syntax(
                        "unexpected end of file: expected a value",
                        Span::empty(start as u32),
                    )
                    .with_help("the file looks truncated: complete the value");
                Err(self.fatal(diagnostic))
            }
            Some(_) => self.parse_literal(parent, slot),
        }
    }

    /// Whether a `//` or `/*` comment starts at `at`.
    fn comment_at(&self, at: usize) -> bool {
        self.bytes.get(at) == Some(&b'/') && matches!(self.bytes.get(at + 1), Some(b'/' | b'*'))
    }

    fn comment_error(&mut self, start: usize) -> Fatal {
        let span = self.rest_of_line(start);
        let diagnostic = self
            .syntax("comments are not allowed in JSON", span)
            .with_help("remove the comment; to explain a choice, use a `\"description\"` key, or `\"x-adl-allow\": {\"RULE\": \"reason\"}` to silence a rule");
        self.fatal(diagnostic)
    }

    fn single_quote_error(&mut self, start: usize) -> Fatal {
        let span = self.char_span(start);
        let diagnostic = self
            .syntax("strings must use double quotes", span)
            .with_primary_label("single quote")
            .with_help("replace the single quotes with `\"`");
        self.fatal(diagnostic)
    }

    fn parse_literal(&mut self, parent: Option<NodeId>, slot: Slot) -> Parsed<NodeId> {
        let span = self.token_at(self.pos);
        let word = &self.text[span.range()];
        let kind = match word {
            "true" => Some(NodeKind::Bool(true)),
            "false" => Some(NodeKind::Bool(false)),
            "null" => Some(NodeKind::Null),
            _ => None,
        };
        if let Some(kind) = kind {
            self.pos = span.end as usize;
            return Ok(self.push_node(kind, span, parent, slot));
        }
        let lower = word.to_ascii_lowercase();
        let help = if ["true", "false", "null"].contains(&lower.as_str()) {
            format!("JSON literals are lower case: write `{lower}`")
        } else if ["nan", "infinity", "-infinity", "undefined", "none"].contains(&lower.as_str()) {
            "JSON has no such value: use `null`, a number or a string".to_owned()
        } else if ["tru", "tr", "t", "fals", "fal", "fa", "f", "nul", "nu", "n"].contains(&word) {
            "the literal looks cut short: write `true`, `false` or `null`".to_owned()
        } else if word.chars().next().is_some_and(char::is_alphabetic) {
            format!("text must be a string in double quotes: `\"{word}\"`")
        } else {
            "expected an object, array, string, number, `true`, `false` or `null`".to_owned()
        };
        let diagnostic = self
            .syntax(format!("expected a value, found `{word}`"), span)
            .with_help(help);
        Err(self.fatal(diagnostic))
    }

    fn parse_number(&mut self) -> Parsed<(Number, Span)> {
        let start = self.pos;
        let span = self.token_at(start);
        let raw = &self.text[span.range()];
        self.pos = span.end as usize;
        if let Some(problem) = number_syntax_problem(raw) {
            let diagnostic = self
                .syntax(format!("invalid number `{raw}`"), span)
                .with_help(problem);
            return Err(self.fatal(diagnostic));
        }
        let is_integer = !raw.contains(['.', 'e', 'E']);
        if is_integer && let Ok(i) = raw.parse::<i64>() {
            return Ok((Number::Integer(i), span));
        }
        match raw.parse::<f64>() {
            Ok(f) if f.is_finite() => Ok((Number::Float(f), span)),
            _ => {
                let diagnostic = self
                    .syntax(format!("number `{raw}` is out of range"), span)
                    .with_help("numbers must fit a 64-bit float: write large values as strings");
                Err(self.fatal(diagnostic))
            }
        }
    }

    /// Parses a string at `"`, returning its decoded value and its span (quotes included).
    fn parse_string(&mut self) -> Parsed<(Box<str>, Span)> {
        let start = self.pos;
        self.pos += 1;
        let mut decoded = String::new();
        let mut chunk_start = self.pos;
        loop {
            let Some(byte) = self.peek() else {
                let span = self.rest_of_line(start);
                let diagnostic = self
                    .syntax("unterminated string", span)
                    .with_primary_label("this string is never closed")
                    .with_help("add the closing `\"`; the file may be truncated");
                return Err(self.fatal(diagnostic));
            };
            match byte {
                b'"' => {
                    decoded.push_str(&self.text[chunk_start..self.pos]);
                    self.pos += 1;
                    return Ok((
                        decoded.into_boxed_str(),
                        Span::new(start as u32, self.pos as u32),
                    ));
                }
                b'\\' => {
                    decoded.push_str(&self.text[chunk_start..self.pos]);
                    self.parse_escape(&mut decoded)?;
                    chunk_start = self.pos;
                }
                b'\n' | b'\r' => {
                    let span = Span::new(start as u32, self.pos as u32);
                    let diagnostic = self
                        .syntax("unterminated string", span)
                        .with_primary_label("this string is not closed before the end of the line")
                        .with_help(
                            "add the closing `\"`; a line break inside a string is written `\\n`",
                        );
                    return Err(self.fatal(diagnostic));
                }
                0x00..=0x1F => {
                    let span = Span::new(self.pos as u32, self.pos as u32 + 1);
                    let escape = if byte == b'\t' {
                        "\\t".to_owned()
                    } else {
                        format!("\\u{byte:04x}")
                    };
                    let diagnostic = self
                        .syntax(
                            format!("control character U+{byte:04X} inside a string"),
                            span,
                        )
                        .with_help(format!("write it as the escape `{escape}`"));
                    return Err(self.fatal(diagnostic));
                }
                _ => self.pos += 1,
            }
        }
    }

    /// Parses one escape at `\`, appending the character it stands for.
    fn parse_escape(&mut self, decoded: &mut String) -> Parsed<()> {
        let start = self.pos;
        let Some(&letter) = self.bytes.get(start + 1) else {
            let diagnostic = self
                .syntax(
                    "unterminated string",
                    Span::new(start as u32, self.bytes.len() as u32),
                )
                .with_help("the file ends inside an escape sequence; it may be truncated");
            return Err(self.fatal(diagnostic));
        };
        let simple = match letter {
            b'"' => Some('"'),
            b'\\' => Some('\\'),
            b'/' => Some('/'),
            b'b' => Some('\u{8}'),
            b'f' => Some('\u{c}'),
            b'n' => Some('\n'),
            b'r' => Some('\r'),
            b't' => Some('\t'),
            _ => None,
        };
        if let Some(c) = simple {
            decoded.push(c);
            self.pos += 2;
            return Ok(());
        }
        if letter != b'u' {
            let span = Span::new(start as u32, self.char_span(start + 1).end);
            let escape = &self.text[span.range()];
            let diagnostic = self
                .syntax(format!("invalid escape `{escape}` in a string"), span)
                .with_help("JSON escapes are `\\\"` `\\\\` `\\/` `\\b` `\\f` `\\n` `\\r` `\\t` and `\\uXXXX`; write a literal backslash as `\\\\`");
            return Err(self.fatal(diagnostic));
        }
        let first = self.parse_hex4(start)?;
        let code = if (0xD800..0xDC00).contains(&first) {
            let low_start = self.pos;
            let has_low = self.bytes.get(low_start) == Some(&b'\\')
                && self.bytes.get(low_start + 1) == Some(&b'u');
            let low = if has_low {
                Some(self.parse_hex4(low_start)?)
            } else {
                None
            };
            match low {
                Some(low) if (0xDC00..0xE000).contains(&low) => {
                    0x10000 + ((first - 0xD800) << 10) + (low - 0xDC00)
                }
                _ => return Err(self.unpaired_surrogate(start, first)),
            }
        } else if (0xDC00..0xE000).contains(&first) {
            return Err(self.unpaired_surrogate(start, first));
        } else {
            first
        };
        // The ranges above exclude surrogates, so this always holds.
        decoded.push(char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER));
        Ok(())
    }

    /// Parses `\uXXXX` at `start`, leaving `pos` after it.
    fn parse_hex4(&mut self, start: usize) -> Parsed<u32> {
        let digits = self.bytes.get(start + 2..start + 6);
        let value = digits
            .filter(|d| d.iter().all(u8::is_ascii_hexdigit))
            .and_then(|d| std::str::from_utf8(d).ok())
            .and_then(|d| u32::from_str_radix(d, 16).ok());
        if let Some(value) = value {
            self.pos = start + 6;
            return Ok(value);
        }
        let end = self.bytes[start + 2..]
            .iter()
            .take(4)
            .position(|b| !b.is_ascii_hexdigit())
            .map_or((start + 6).min(self.bytes.len()), |i| start + 2 + i);
        let span = Span::new(start as u32, end as u32);
        let diagnostic = self
            .syntax(
                "invalid unicode escape: `\\u` must be followed by four hex digits",
                span,
            )
            .with_help("write the character as `\\u00e9`, with exactly four hexadecimal digits");
        Err(self.fatal(diagnostic))
    }

    fn unpaired_surrogate(&mut self, start: usize, code: u32) -> Fatal {
        let span = Span::new(start as u32, start as u32 + 6);
        let diagnostic = self
            .syntax(format!("unpaired surrogate `\\u{code:04x}` in a string"), span)
            .with_help("a character above U+FFFF is written as a pair: a high surrogate `\\ud800`–`\\udbff` followed by a low one `\\udc00`–`\\udfff`");
        self.fatal(diagnostic)
    }

    fn nesting_too_deep(&mut self, start: usize) -> Fatal {
        let diagnostic = Diagnostic::new(
            &NESTING_TOO_DEEP,
            format!("nesting deeper than {MAX_DEPTH} levels"),
            Span::new(start as u32, start as u32 + 1),
            "",
        )
        .with_primary_label("this array or object is too deep")
        .with_note("deep nesting is refused so that no input can exhaust the stack")
        .with_help("flatten the structure");
        self.fatal(diagnostic)
    }

    /// Unexpected end of file inside a container opened at `open`.
    fn unclosed(&mut self, open: usize, what: &str, closer: char) -> Fatal {
        let diagnostic = self
            .syntax(
                format!("unexpected end of file: the {what} is never closed"),
                Span::empty(self.bytes.len() as u32),
            )
            .with_label(
                Span::new(open as u32, open as u32 + 1),
                format!("{what} opened here"),
            )
            .with_help(format!(
                "add the missing `{closer}`; the file may be truncated"
            ));
        self.fatal(diagnostic)
    }

    fn parse_object(&mut self, parent: Option<NodeId>, slot: Slot, depth: u32) -> Parsed<NodeId> {
        let open = self.pos;
        if depth > MAX_DEPTH {
            return Err(self.nesting_too_deep(open));
        }
        let id = self.push_node(
            NodeKind::Object(Vec::new()),
            Span::empty(open as u32),
            parent,
            slot,
        );
        self.pos += 1;
        let mut members: Vec<Member> = Vec::new();
        self.skip_whitespace();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(self.finish_container(id, open, NodeKind::Object(members)));
        }
        loop {
            self.skip_whitespace();
            let key_start = self.pos;
            match self.peek() {
                Some(b'"') => {}
                Some(b'}') if !members.is_empty() => {
                    self.trailing_comma_before(key_start, '}');
                    self.pos += 1;
                    break;
                }
                None => return Err(self.unclosed(open, "object", '}')),
                Some(b'\'') => return Err(self.single_quote_error(key_start)),
                Some(b'/') if matches!(self.bytes.get(key_start + 1), Some(b'/' | b'*')) => {
                    return Err(self.comment_error(key_start));
                }
                Some(_) => return Err(self.bad_key_start(key_start)),
            }
            let (key, key_span) = self.parse_string()?;
            self.skip_whitespace();
            if self.peek() != Some(b':') {
                return Err(self.missing_colon(open, &key, key_span));
            }
            self.pos += 1;
            self.skip_whitespace();
            let slot = Slot::Member(members.len() as u32);
            let value = self.parse_value(Some(id), slot, depth)?;
            members.push(Member {
                key,
                key_span,
                value,
            });
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    break;
                }
                Some(b'"') => self.missing_comma(),
                None => return Err(self.unclosed(open, "object", '}')),
                Some(b'/') if self.comment_at(self.pos) => return Err(self.comment_error(self.pos)),
                Some(_) => {
                    let at = self.pos;
                    let diagnostic = self
                        .syntax(
                            format!(
                                "expected `,` or `}}` after an object member, found {}",
                                self.describe_found(at)
                            ),
                            self.token_at(at),
                        )
                        .with_label(
                            Span::new(open as u32, open as u32 + 1),
                            "object opened here",
                        )
                        .with_help("separate members with `,` and close the object with `}`");
                    return Err(self.fatal(diagnostic));
                }
            }
        }
        Ok(self.finish_container(id, open, NodeKind::Object(members)))
    }

    fn bad_key_start(&mut self, key_start: usize) -> Fatal {
        if self.comment_at(key_start) {
            return self.comment_error(key_start);
        }
        let span = self.token_at(key_start);
        let word = &self.text[span.range()];
        let help = if word
            .chars()
            .next()
            .is_some_and(|c| c.is_alphabetic() || c == '_')
        {
            format!("object keys must be strings in double quotes: `\"{word}\"`")
        } else {
            "object keys must be strings in double quotes".to_owned()
        };
        let diagnostic = self
            .syntax(
                format!(
                    "expected a key in double quotes, found {}",
                    self.describe_found(key_start)
                ),
                span,
            )
            .with_help(help);
        self.fatal(diagnostic)
    }

    fn missing_colon(&mut self, open: usize, key: &str, key_span: Span) -> Fatal {
        let at = self.pos;
        let diagnostic = if at >= self.bytes.len() {
            self.syntax(
                "unexpected end of file: expected `:` after the key",
                Span::empty(at as u32),
            )
            .with_label(
                Span::new(open as u32, open as u32 + 1),
                "object opened here",
            )
            .with_help("the file looks truncated")
        } else {
            self.syntax(
                format!(
                    "expected `:` after the key `{key}`, found {}",
                    self.describe_found(at)
                ),
                self.char_span(at),
            )
            .with_label(key_span, "this key")
            .with_help(format!("write `\"{key}\": value`"))
        };
        self.fatal(diagnostic)
    }

    fn parse_array(&mut self, parent: Option<NodeId>, slot: Slot, depth: u32) -> Parsed<NodeId> {
        let open = self.pos;
        if depth > MAX_DEPTH {
            return Err(self.nesting_too_deep(open));
        }
        let id = self.push_node(
            NodeKind::Array(Vec::new()),
            Span::empty(open as u32),
            parent,
            slot,
        );
        self.pos += 1;
        let mut items = Vec::new();
        self.skip_whitespace();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(self.finish_container(id, open, NodeKind::Array(items)));
        }
        loop {
            self.skip_whitespace();
            match self.peek() {
                Some(b']') if !items.is_empty() => {
                    self.trailing_comma_before(self.pos, ']');
                    self.pos += 1;
                    break;
                }
                None => return Err(self.unclosed(open, "array", ']')),
                _ => {}
            }
            let value = self.parse_value(Some(id), Slot::Index(items.len() as u32), depth)?;
            items.push(value);
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    break;
                }
                Some(b'{' | b'[' | b'"' | b'0'..=b'9' | b'-' | b't' | b'f' | b'n') => {
                    self.missing_comma();
                }
                None => return Err(self.unclosed(open, "array", ']')),
                Some(b'/') if self.comment_at(self.pos) => return Err(self.comment_error(self.pos)),
                Some(_) => {
                    let at = self.pos;
                    let diagnostic = self
                        .syntax(
                            format!(
                                "expected `,` or `]` after an array element, found {}",
                                self.describe_found(at)
                            ),
                            self.token_at(at),
                        )
                        .with_label(Span::new(open as u32, open as u32 + 1), "array opened here")
                        .with_help("separate elements with `,` and close the array with `]`");
                    return Err(self.fatal(diagnostic));
                }
            }
        }
        Ok(self.finish_container(id, open, NodeKind::Array(items)))
    }

    fn finish_container(&mut self, id: NodeId, open: usize, kind: NodeKind) -> NodeId {
        let node = &mut self.nodes[id.index()];
        node.kind = kind;
        node.span = Span::new(open as u32, self.pos as u32);
        id
    }

    /// Reports the comma before `closer` at `at` (recoverable: parsing goes on).
    fn trailing_comma_before(&mut self, at: usize, closer: char) {
        let comma = self.text[..at].rfind(',').unwrap_or(at);
        let diagnostic = self
            .syntax(
                format!("trailing comma before `{closer}`"),
                Span::new(comma as u32, comma as u32 + 1),
            )
            .with_primary_label("remove this comma")
            .with_help("JSON does not allow a comma after the last element");
        self.diagnostics.push(diagnostic);
    }

    /// Reports a missing `,` between two values (recoverable: parsing goes on).
    fn missing_comma(&mut self) {
        let before = self.text[..self.pos].trim_end().len();
        let diagnostic = self
            .syntax("missing `,` between two values", Span::empty(before as u32))
            .with_primary_label("expected `,` here")
            .with_help("add a `,` after this value");
        self.diagnostics.push(diagnostic);
    }
}

/// Why `raw` is not a JSON number, or `None` when it is one.
fn number_syntax_problem(raw: &str) -> Option<&'static str> {
    let bytes = raw.as_bytes();
    let mut i = 0;
    if bytes.first() == Some(&b'+') {
        return Some("JSON numbers have no leading `+`: remove it");
    }
    if bytes.first() == Some(&b'-') {
        i += 1;
    }
    let digits = |from: usize| {
        bytes[from..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count()
    };
    let int_digits = digits(i);
    if int_digits == 0 {
        if bytes.get(i) == Some(&b'.') {
            return Some("a number needs a digit before the decimal point: write `0.5`");
        }
        return Some("expected digits");
    }
    if bytes[i] == b'0' && int_digits > 1 {
        return Some("JSON numbers cannot have leading zeros");
    }
    i += int_digits;
    if bytes.get(i) == Some(&b'.') {
        let frac = digits(i + 1);
        if frac == 0 {
            return Some("a decimal point must be followed by digits: write `1.0`");
        }
        i += 1 + frac;
    }
    if matches!(bytes.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(bytes.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let exp = digits(i);
        if exp == 0 {
            return Some("an exponent must have digits: write `1e5`");
        }
        i += exp;
    }
    if i != bytes.len() {
        return Some("a number may hold only digits, one `.`, and an exponent");
    }
    None
}
