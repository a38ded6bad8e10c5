//! `adl lsp`: a language server over standard input and output, sharing the
//! checker with `adl check`. It publishes diagnostics when a document is
//! opened or changed (a burst of changes is checked once, at its last),
//! offers each certain fix as a quick fix, shows a rule's documentation on
//! hover over its diagnostic, and honours the nearest `adl.toml`. Positions
//! are in UTF-16 code units, as the protocol requires.

use std::collections::HashMap;
use std::path::PathBuf;

use adl_checker::symbols::Symbol;
use adl_diagnostics::{Diagnostic, Severity, Span};
use adl_parser::model::{
    CompositeOperator, HandlerType, Keyword, NotificationType, Operator, Overflow, PersistenceType,
    ProcessingMode, Rotation, RoutingStrategy, SubscriptionType, TriggerType,
};
use lsp_server::{Connection, ExtractError, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument, Notification as _,
    PublishDiagnostics,
};
use lsp_types::request::{
    CodeActionRequest, Completion, GotoDefinition, HoverRequest, References, Request as _,
};
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams,
    CodeActionProviderCapability, Hover, HoverContents, HoverParams, HoverProviderCapability,
    InitializeParams, MarkupContent, MarkupKind, Position, PublishDiagnosticsParams, Range,
    ServerCapabilities, TextDocumentSyncCapability, TextDocumentSyncKind, TextEdit, Uri,
    WorkspaceEdit,
};

use crate::exit;

/// Runs the server until the client says `exit`.
pub fn run() -> u8 {
    let (connection, io_threads) = Connection::stdio();
    let capabilities = ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Kind(TextDocumentSyncKind::FULL)),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        code_action_provider: Some(CodeActionProviderCapability::Simple(true)),
        definition_provider: Some(lsp_types::OneOf::Left(true)),
        completion_provider: Some(lsp_types::CompletionOptions {
            trigger_characters: Some(vec!["\"".to_owned(), ":".to_owned()]),
            ..lsp_types::CompletionOptions::default()
        }),
        references_provider: Some(lsp_types::OneOf::Left(true)),
        ..ServerCapabilities::default()
    };
    let Ok(capabilities) = serde_json::to_value(capabilities) else {
        return exit::INTERNAL;
    };
    let initialized = connection
        .initialize(capabilities)
        .map_err(|e| e.to_string())
        .and_then(|params| {
            serde_json::from_value::<InitializeParams>(params).map_err(|e| e.to_string())
        });
    if let Err(error) = initialized {
        eprintln!("adl lsp: the client did not initialize: {error}");
        return exit::USAGE;
    }
    let mut server = Server {
        connection: &connection,
        documents: HashMap::new(),
        shut_down: false,
    };
    let outcome = server.serve();
    drop(connection);
    let joined = io_threads.join();
    match (outcome, joined) {
        (Ok(()), Ok(())) => exit::OK,
        (Err(error), _) => {
            eprintln!("adl lsp: {error}");
            exit::USAGE
        }
        (_, Err(error)) => {
            eprintln!("adl lsp: {error}");
            exit::USAGE
        }
    }
}

/// An open document: its text, what the checker found in it, and the
/// handler and tool names it declares and uses.
struct Document {
    text: String,
    diagnostics: Vec<Diagnostic>,
    symbols: Vec<Symbol>,
}

struct Server<'c> {
    connection: &'c Connection,
    documents: HashMap<Uri, Document>,
    /// The client asked to shut down (and was answered).
    shut_down: bool,
}

impl Server<'_> {
    fn serve(&mut self) -> Result<(), String> {
        while !self.shut_down {
            let Ok(message) = self.connection.receiver.recv() else {
                break;
            };
            self.handle(message)?;
        }
        Ok(())
    }

    fn handle(&mut self, message: Message) -> Result<(), String> {
        match message {
            Message::Request(request) => {
                self.shut_down = self
                    .connection
                    .handle_shutdown(&request)
                    .map_err(|e| e.to_string())?;
                if self.shut_down {
                    return Ok(());
                }
                self.request(request)
            }
            Message::Notification(notification) => self.notification(notification),
            Message::Response(_) => Ok(()),
        }
    }

    fn request(&mut self, request: Request) -> Result<(), String> {
        let id = request.id.clone();
        let result = match request.method.as_str() {
            CodeActionRequest::METHOD => params::<CodeActionParams>(request)
                .map(|params| serde_json::to_value(self.code_actions(&params))),
            HoverRequest::METHOD => params::<HoverParams>(request)
                .map(|params| serde_json::to_value(self.hover(&params))),
            Completion::METHOD => params::<lsp_types::CompletionParams>(request)
                .map(|params| serde_json::to_value(self.completion(&params))),
            GotoDefinition::METHOD => {
                params::<lsp_types::GotoDefinitionParams>(request).map(|params| {
                    let at = &params.text_document_position_params;
                    let found = self.occurrences(&at.text_document.uri, at.position, false);
                    serde_json::to_value(found.into_iter().next())
                })
            }
            References::METHOD => params::<lsp_types::ReferenceParams>(request).map(|params| {
                let at = &params.text_document_position;
                serde_json::to_value(self.occurrences(
                    &at.text_document.uri,
                    at.position,
                    params.context.include_declaration,
                ))
            }),
            _ => {
                return self.respond(Response::new_err(
                    id,
                    lsp_server::ErrorCode::MethodNotFound as i32,
                    format!("`{}` is not supported", request.method),
                ));
            }
        };
        match result {
            Ok(Ok(value)) => self.respond(Response::new_ok(id, value)),
            Ok(Err(error)) => self.respond(invalid_params(id, &error.to_string())),
            Err(error) => self.respond(invalid_params(id, &error)),
        }
    }

    fn notification(&mut self, notification: Notification) -> Result<(), String> {
        match notification.method.as_str() {
            DidOpenTextDocument::METHOD => {
                let Ok(params) = notification
                    .extract::<lsp_types::DidOpenTextDocumentParams>(DidOpenTextDocument::METHOD)
                else {
                    return Ok(());
                };
                self.update(params.text_document.uri, params.text_document.text)
            }
            DidChangeTextDocument::METHOD => {
                let Ok(mut params) = notification
                    .extract::<lsp_types::DidChangeTextDocumentParams>(
                        DidChangeTextDocument::METHOD,
                    )
                else {
                    return Ok(());
                };
                // Full sync: the last change holds the whole text. Changes
                // already waiting replace it: a burst is checked once.
                let mut text = params.content_changes.pop().map(|c| c.text);
                let uri = params.text_document.uri;
                while let Ok(next) = self.connection.receiver.try_recv() {
                    match next {
                        Message::Notification(n) if n.method == DidChangeTextDocument::METHOD => {
                            match n.extract::<lsp_types::DidChangeTextDocumentParams>(
                                DidChangeTextDocument::METHOD,
                            ) {
                                Ok(mut later) if later.text_document.uri == uri => {
                                    text = later.content_changes.pop().map(|c| c.text).or(text);
                                }
                                Ok(later) => {
                                    if let Some(change) = later.content_changes.into_iter().last() {
                                        self.update(later.text_document.uri, change.text)?;
                                    }
                                }
                                Err(_) => {}
                            }
                        }
                        other => {
                            if let Some(text) = text.take() {
                                self.update(uri.clone(), text)?;
                            }
                            return self.handle(other);
                        }
                    }
                }
                match text {
                    Some(text) => self.update(uri, text),
                    None => Ok(()),
                }
            }
            DidCloseTextDocument::METHOD => {
                if let Ok(params) = notification
                    .extract::<lsp_types::DidCloseTextDocumentParams>(DidCloseTextDocument::METHOD)
                {
                    self.documents.remove(&params.text_document.uri);
                    self.publish(params.text_document.uri, Vec::new())?;
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }

    /// Checks a document's new text and publishes what it finds.
    fn update(&mut self, uri: Uri, text: String) -> Result<(), String> {
        let options = options_for(&uri);
        let report = adl_checker::check(text.as_bytes(), &options);
        let symbols = adl_checker::symbols::symbols(&report);
        let published = report
            .diagnostics
            .iter()
            .map(|d| to_lsp(&text, d))
            .collect();
        self.documents.insert(
            uri.clone(),
            Document {
                text,
                diagnostics: report.diagnostics,
                symbols,
            },
        );
        self.publish(uri, published)
    }

    fn publish(&self, uri: Uri, diagnostics: Vec<lsp_types::Diagnostic>) -> Result<(), String> {
        let params = PublishDiagnosticsParams {
            uri,
            diagnostics,
            version: None,
        };
        let notification = Notification::new(PublishDiagnostics::METHOD.to_owned(), params);
        self.connection
            .sender
            .send(Message::Notification(notification))
            .map_err(|e| e.to_string())
    }

    fn respond(&self, response: Response) -> Result<(), String> {
        self.connection
            .sender
            .send(Message::Response(response))
            .map_err(|e| e.to_string())
    }

    /// A quick fix for every certain fix in the range asked about.
    fn code_actions(&self, params: &CodeActionParams) -> Vec<CodeActionOrCommand> {
        let Some(document) = self.documents.get(&params.text_document.uri) else {
            return Vec::new();
        };
        document
            .diagnostics
            .iter()
            .filter(|d| overlaps(&range(&document.text, d.primary.span), &params.range))
            .filter_map(|d| {
                let fix = d.fix.as_ref()?;
                let edit = TextEdit {
                    range: range(&document.text, fix.span),
                    new_text: fix.replacement.clone(),
                };
                let title = d
                    .help
                    .clone()
                    .unwrap_or_else(|| format!("replace with {}", fix.replacement));
                Some(CodeActionOrCommand::CodeAction(CodeAction {
                    title,
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![to_lsp(&document.text, d)]),
                    edit: Some(WorkspaceEdit {
                        changes: Some(HashMap::from([(
                            params.text_document.uri.clone(),
                            vec![edit],
                        )])),
                        ..WorkspaceEdit::default()
                    }),
                    is_preferred: Some(true),
                    ..CodeAction::default()
                }))
            })
            .collect()
    }

    /// Values for the key at the cursor: its keywords (`processing_mode`,
    /// `operator`…), or the names the document declares (handlers, tools,
    /// events).
    fn completion(&self, params: &lsp_types::CompletionParams) -> Vec<lsp_types::CompletionItem> {
        let at = &params.text_document_position;
        let Some(document) = self.documents.get(&at.text_document.uri) else {
            return Vec::new();
        };
        let cursor = offset(&document.text, at.position);
        let line_start = document.text[..cursor].rfind('\n').map_or(0, |n| n + 1);
        let before = &document.text[line_start..cursor];
        let typed = before.trim_start();
        if typed
            .trim_start_matches('"')
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_')
        {
            // The key being typed is left out: the rest of the document
            // then parses as it did before the typing began.
            let mut text = document.text.clone();
            text.replace_range(cursor - typed.len()..cursor, "");
            return key_completion(
                &at.text_document.uri,
                &text,
                cursor - typed.len(),
                typed.starts_with('"'),
            );
        }
        let Some(key) = key_before(before) else {
            return Vec::new();
        };
        let quoted = before
            .trim_end_matches(|c: char| c.is_alphanumeric() || c == '_' || c == '.' || c == '*')
            .ends_with('"');
        let names = |kind| -> Vec<String> {
            let mut names: Vec<String> = document
                .symbols
                .iter()
                .filter(|s| s.kind == kind && s.definition)
                .map(|s| s.name.clone())
                .collect();
            names.sort_unstable();
            names.dedup();
            names
        };
        let values: Vec<String> = match key {
            "processing_mode" => keywords::<ProcessingMode>(),
            "routing_strategy" => keywords::<RoutingStrategy>(),
            "overflow" => keywords::<Overflow>(),
            "handler_type" => keywords::<HandlerType>(),
            "notification_type" => keywords::<NotificationType>(),
            "subscription_type" => keywords::<SubscriptionType>(),
            "trigger_type" => keywords::<TriggerType>(),
            "rotation" => keywords::<Rotation>(),
            "type" => keywords::<PersistenceType>(),
            "operator" => [keywords::<Operator>(), keywords::<CompositeOperator>()].concat(),
            "handler" | "target_handler" | "target_handlers" | "default_handler" => {
                names(adl_checker::symbols::SymbolKind::Handler)
            }
            "tool_name" => names(adl_checker::symbols::SymbolKind::Tool),
            "event_name" | "event_pattern" => event_names(&document.text),
            _ => Vec::new(),
        };
        values
            .into_iter()
            .map(|value| lsp_types::CompletionItem {
                insert_text: Some(if quoted {
                    value.clone()
                } else {
                    format!("\"{value}\"")
                }),
                label: value,
                kind: Some(lsp_types::CompletionItemKind::VALUE),
                ..lsp_types::CompletionItem::default()
            })
            .collect()
    }

    /// The handler or tool name at `position`: with `uses` its declaration
    /// and every use (find-references), else its declaration alone
    /// (go-to-definition).
    fn occurrences(&self, uri: &Uri, position: Position, uses: bool) -> Vec<lsp_types::Location> {
        let Some(document) = self.documents.get(uri) else {
            return Vec::new();
        };
        let at = offset(&document.text, position);
        let Some(named) = document
            .symbols
            .iter()
            .find(|s| (s.span.start as usize) <= at && at <= s.span.end as usize)
        else {
            return Vec::new();
        };
        let mut found: Vec<&Symbol> = document
            .symbols
            .iter()
            .filter(|s| s.kind == named.kind && s.name == named.name)
            .filter(|s| uses || s.definition)
            .collect();
        found.sort_by_key(|s| s.span.start);
        found
            .into_iter()
            .map(|s| lsp_types::Location {
                uri: uri.clone(),
                range: range(&document.text, s.span),
            })
            .collect()
    }

    /// On a diagnostic: its rule's documentation (what `adl explain` prints);
    /// on a key: its description and default, from the JSON Schema.
    fn hover(&self, params: &HoverParams) -> Option<Hover> {
        let at = &params.text_document_position_params;
        let document = self.documents.get(&at.text_document.uri)?;
        let diagnostic = document.diagnostics.iter().find(|d| {
            let span = range(&document.text, d.primary.span);
            span.start <= at.position && at.position <= span.end
        });
        let Some(diagnostic) = diagnostic else {
            return key_hover(&at.text_document.uri, &document.text, at.position);
        };
        let rule = diagnostic.rule;
        Some(Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value: format!(
                    "**{}** `{}`: {}\n\n{}",
                    rule.code,
                    rule.name,
                    rule.summary,
                    rule.long_docs()
                ),
            }),
            range: Some(range(&document.text, diagnostic.primary.span)),
        })
    }
}

fn params<T: serde::de::DeserializeOwned>(request: Request) -> Result<T, String> {
    let method = request.method.clone();
    request
        .extract::<T>(&method)
        .map(|(_, params)| params)
        .map_err(|error| match error {
            ExtractError::JsonError { error, .. } => error.to_string(),
            ExtractError::MethodMismatch(request) => format!("unexpected `{}`", request.method),
        })
}

fn invalid_params(id: RequestId, message: &str) -> Response {
    Response::new_err(
        id,
        lsp_server::ErrorCode::InvalidParams as i32,
        message.to_owned(),
    )
}

/// The options of a document: its directory's `adl.toml`, its syntax from
/// its name; the defaults for a document that is not a file.
fn options_for(uri: &Uri) -> adl_checker::CheckOptions {
    let path = file_path(uri);
    path.as_deref()
        .and_then(|path| crate::commands::options_for_file(path).ok())
        .unwrap_or_default()
}

/// The file a `file://` URI names.
fn file_path(uri: &Uri) -> Option<PathBuf> {
    let text = uri.as_str().strip_prefix("file://")?;
    let decoded: String = url_decode(text)?;
    Some(PathBuf::from(decoded))
}

/// `%XX` escapes decoded (a path's bytes as UTF-8).
fn url_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn to_lsp(text: &str, diagnostic: &Diagnostic) -> lsp_types::Diagnostic {
    let mut message = diagnostic.message.clone();
    if let Some(help) = &diagnostic.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    lsp_types::Diagnostic {
        range: range(text, diagnostic.primary.span),
        severity: Some(match diagnostic.severity {
            Severity::Error => lsp_types::DiagnosticSeverity::ERROR,
            Severity::Warning => lsp_types::DiagnosticSeverity::WARNING,
            Severity::Note => lsp_types::DiagnosticSeverity::INFORMATION,
        }),
        code: Some(lsp_types::NumberOrString::String(
            diagnostic.rule.code.to_owned(),
        )),
        source: Some("adl".to_owned()),
        message,
        ..lsp_types::Diagnostic::default()
    }
}

/// A span as an LSP range: lines from 0, characters in UTF-16 code units.
fn range(text: &str, span: Span) -> Range {
    Range {
        start: position(text, span.start as usize),
        end: position(text, span.end as usize),
    }
}

fn position(text: &str, offset: usize) -> Position {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line_start = before.rfind('\n').map_or(0, |newline| newline + 1);
    let line = before.matches('\n').count();
    let character = before[line_start..].encode_utf16().count();
    Position {
        line: u32::try_from(line).unwrap_or(u32::MAX),
        character: u32::try_from(character).unwrap_or(u32::MAX),
    }
}

/// A key's description and default, when the cursor is on a key the
/// schemas describe (the events block's, and the agent document's own).
fn key_hover(uri: &Uri, text: &str, position: Position) -> Option<Hover> {
    let syntax = file_path(uri).map_or(adl_parser::Syntax::Json, |p| {
        adl_parser::Syntax::of_path(&p)
    });
    let parsed = adl_parser::parse_as(text.as_bytes(), syntax);
    let document = &parsed.document;
    let (path, span) = key_at(document, offset(text, position))?;
    let (key, parent_path) = path.split_last()?;
    let (_, parent) = object_at(document, span.start as usize)?;
    let property = object_variants(document, parent_path, parent)
        .into_iter()
        .map(|variant| &variant["properties"][key])
        .find(|property| !property.is_null())?;
    let key = path.last()?;
    let mut value = format!("**`{key}`**");
    // A key without words of its own borrows its type's (`filter`: a condition).
    let (events, _) = schemas();
    let described = property["description"]
        .as_str()
        .or_else(|| resolve(property, &events["$defs"])["description"].as_str());
    if let Some(description) = described {
        value.push_str(": ");
        value.push_str(&description.replace('\n', " "));
    }
    if !property["default"].is_null() {
        value.push_str("\n\nDefault: `");
        value.push_str(&property["default"].to_string());
        value.push('`');
    }
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value,
        }),
        range: Some(range(text, span)),
    })
}

/// The keys an object may have at byte `at` that it does not have yet: from
/// the agent's and the events block's schemas, the variant its kind names
/// (`subscription_type`, `handler_type`, …) when it has one.
fn key_completion(
    uri: &Uri,
    text: &str,
    at: usize,
    quoted: bool,
) -> Vec<lsp_types::CompletionItem> {
    let syntax = file_path(uri).map_or(adl_parser::Syntax::Json, |p| {
        adl_parser::Syntax::of_path(&p)
    });
    let parsed = adl_parser::parse_as(text.as_bytes(), syntax);
    let document = &parsed.document;
    let Some((path, object)) = object_at(document, at) else {
        return Vec::new();
    };
    let variants = object_variants(document, &path, object);
    let members = document.members(object).unwrap_or_default();
    let written = |key: &str| members.iter().any(|m| &*m.key == key);
    let mut keys: Vec<&str> = variants
        .iter()
        .filter_map(|variant| variant["properties"].as_object())
        .flat_map(|properties| properties.keys().map(String::as_str))
        .filter(|key| *key != "x-adl-allow" && !written(key))
        .collect();
    keys.sort_unstable();
    keys.dedup();
    keys.into_iter()
        .map(|key| lsp_types::CompletionItem {
            label: key.to_owned(),
            kind: Some(lsp_types::CompletionItemKind::PROPERTY),
            insert_text: Some(if quoted {
                key.to_owned()
            } else {
                format!("\"{key}\"")
            }),
            ..lsp_types::CompletionItem::default()
        })
        .collect()
}

/// The schemas generated from the model, made once.
fn schemas() -> &'static (serde_json::Value, serde_json::Value) {
    static SCHEMAS: std::sync::OnceLock<(serde_json::Value, serde_json::Value)> =
        std::sync::OnceLock::new();
    SCHEMAS.get_or_init(|| {
        (
            adl_parser::schema::events_schema(),
            adl_parser::schema::agent_schema(),
        )
    })
}

/// The object schemas that may describe `object` (at `path`, keys from the
/// root): the agent document's, or one under the events block, narrowed to
/// the variant its kind names (`subscription_type`, `handler_type`, …) when
/// it names one.
fn object_variants<'s>(
    document: &adl_parser::json::Document,
    path: &[String],
    object: adl_parser::json::NodeId,
) -> Vec<&'s serde_json::Value> {
    let (events, agent) = schemas();
    let (mut schema, defs, rest) = match path {
        [first, rest @ ..] if first == "events" => (events, &events["$defs"], rest),
        [first, second, rest @ ..] if first == "capabilities" && second == "events" => {
            (events, &events["$defs"], rest)
        }
        _ => (&agent["$defs"]["AgentDocument"], &agent["$defs"], path),
    };
    for key in rest {
        let parent = resolve(schema, defs);
        schema = match &parent["properties"][key] {
            // A map's entries (`workflow.nodes`) share one schema.
            serde_json::Value::Null => &parent["additionalProperties"],
            property => property,
        };
    }
    let schema = resolve(schema, defs);
    let members = document.members(object).unwrap_or_default();
    let written = |key: &str| {
        members
            .iter()
            .find(|m| &*m.key == key)
            .map(|m| document.kind(m.value))
    };
    match schema["oneOf"].as_array() {
        Some(variants) => variants
            .iter()
            .filter(|variant| {
                // A variant whose kind the object already names otherwise is out.
                variant["properties"].as_object().is_none_or(|properties| {
                    properties.iter().all(|(key, property)| {
                        match (property["const"].as_str(), written(key)) {
                            (Some(kind), Some(adl_parser::json::NodeKind::String(value))) => {
                                &**value == kind
                            }
                            _ => true,
                        }
                    })
                })
            })
            .collect(),
        None => vec![schema],
    }
}

/// A schema with its `$ref`, array `items` and string-or-object `anyOf`
/// followed to the object schema (or the `oneOf` of object variants). An
/// object's own `anyOf` (the agent's: which keys make it one) is not a choice
/// of shapes.
fn resolve<'s>(
    mut schema: &'s serde_json::Value,
    defs: &'s serde_json::Value,
) -> &'s serde_json::Value {
    for _ in 0..8 {
        if let Some(name) = schema["$ref"]
            .as_str()
            .and_then(|r| r.strip_prefix("#/$defs/"))
        {
            schema = &defs[name];
        } else if !schema["items"].is_null() {
            schema = &schema["items"];
        } else if let Some(object) = schema["anyOf"]
            .as_array()
            .filter(|_| schema["properties"].is_null())
            .and_then(|alternatives| alternatives.iter().find(|a| a["type"] != "string"))
        {
            schema = object;
        } else {
            break;
        }
    }
    schema
}

/// The keys from the root to the innermost object around byte `at`, and
/// that object (array positions are passed through).
fn object_at(
    document: &adl_parser::json::Document,
    at: usize,
) -> Option<(Vec<String>, adl_parser::json::NodeId)> {
    let mut node = document.root()?;
    let mut path = Vec::new();
    let inside = |span: Span| (span.start as usize) < at && at < span.end as usize;
    let mut object = None;
    loop {
        match document.kind(node) {
            adl_parser::json::NodeKind::Object(members) => {
                object = Some((path.clone(), node));
                let Some(member) = members.iter().find(|m| inside(document.span(m.value))) else {
                    return object;
                };
                path.push(member.key.to_string());
                node = member.value;
            }
            adl_parser::json::NodeKind::Array(items) => {
                let Some(&item) = items.iter().find(|&&item| inside(document.span(item))) else {
                    return object;
                };
                node = item;
            }
            _ => return object,
        }
    }
}

/// The keys from the root to the key whose name holds byte `at`, and that
/// name's span; array positions are passed through.
fn key_at(document: &adl_parser::json::Document, at: usize) -> Option<(Vec<String>, Span)> {
    let mut node = document.root()?;
    let mut path = Vec::new();
    let within = |span: Span| (span.start as usize) <= at && at <= span.end as usize;
    loop {
        match document.kind(node) {
            adl_parser::json::NodeKind::Object(members) => {
                if let Some(member) = members.iter().find(|m| within(m.key_span)) {
                    path.push(member.key.to_string());
                    return Some((path, member.key_span));
                }
                let member = members.iter().find(|m| within(document.span(m.value)))?;
                path.push(member.key.to_string());
                node = member.value;
            }
            adl_parser::json::NodeKind::Array(items) => {
                node = *items.iter().find(|&&item| within(document.span(item)))?;
            }
            _ => return None,
        }
    }
}

/// Every spelling of a keyword.
fn keywords<K: Keyword>() -> Vec<String> {
    K::ALL.iter().map(|(k, _)| (*k).to_owned()).collect()
}

/// The key whose value the cursor is in: the last `"key":` (JSON) or
/// `key:` (YAML) on the line before it.
fn key_before(before: &str) -> Option<&str> {
    let colon = before.rfind(':')?;
    let key = before[..colon].trim_end().trim_end_matches('"');
    let start = key
        .rfind(|c: char| !(c.is_alphanumeric() || c == '_'))
        .map_or(0, |i| i + 1);
    let key = &key[start..];
    (!key.is_empty()).then_some(key)
}

/// The event names the document uses, and the runtime's own.
fn event_names(text: &str) -> Vec<String> {
    let mut names: Vec<String> = ["tool_invocation", "state_change", "error", "time_trigger"]
        .into_iter()
        .map(str::to_owned)
        .collect();
    for (at, _) in text.match_indices("\"event_name\"") {
        let rest = text[at + "\"event_name\"".len()..].trim_start();
        let Some(value) = rest.strip_prefix(':').map(str::trim_start) else {
            continue;
        };
        if let Some(value) = value.strip_prefix('"')
            && let Some(end) = value.find('"')
        {
            names.push(value[..end].to_owned());
        }
    }
    names.sort_unstable();
    names.dedup();
    names
}

/// The byte offset of an LSP position (UTF-16 characters), clamped to its line.
fn offset(text: &str, position: Position) -> usize {
    let mut line_start = 0;
    for _ in 0..position.line {
        match text[line_start..].find('\n') {
            Some(newline) => line_start += newline + 1,
            None => return text.len(),
        }
    }
    let line = text[line_start..].split('\n').next().unwrap_or_default();
    let mut units = 0;
    for (index, c) in line.char_indices() {
        if units >= position.character as usize {
            return line_start + index;
        }
        units += c.len_utf16();
    }
    line_start + line.len()
}

fn overlaps(a: &Range, b: &Range) -> bool {
    a.start <= b.end && b.start <= a.end
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_utf16_code_units() {
        let text = "{\n  \"é😀\": 1\n}";
        let colon = text.find(':').unwrap_or_default();
        // `  "é😀"`: 2 spaces, a quote, é (1 unit), 😀 (2 units), a quote.
        assert_eq!(
            position(text, colon),
            Position {
                line: 1,
                character: 7
            }
        );
        assert_eq!(position(text, 0), Position::default());
    }

    #[test]
    fn offsets_and_positions_agree() {
        let text = "{\n  \"é😀\": 1\n}";
        for at in [0, 2, 4, text.find(':').unwrap_or_default(), text.len()] {
            assert_eq!(offset(text, position(text, at)), at, "{at}");
        }
    }

    #[test]
    fn keys_complete_from_the_schema_of_the_object_and_its_kind() {
        let uri: Uri = "file:///agent.json"
            .parse()
            .unwrap_or_else(|_| unreachable!());
        let text = "{\"events\": {\"timeout_ms\": 5,\n  \n  \"subscriptions\": [{\"subscription_type\": \"filtered\", \n }]}}";
        let labels = |at: usize| -> Vec<String> {
            key_completion(&uri, text, at, true)
                .into_iter()
                .map(|item| item.label)
                .collect()
        };
        let block = labels(text.find("\n  \n").unwrap_or_default() + 3);
        assert!(block.contains(&"processing_mode".to_owned()), "{block:?}");
        assert!(
            !block.contains(&"timeout_ms".to_owned()),
            "written already: {block:?}"
        );
        let subscription = labels(text.find(", \n }").unwrap_or_default() + 3);
        assert_eq!(
            subscription,
            ["event_name", "filter", "handler"],
            "the filtered kind's"
        );
    }

    /// The hover text on the first `key` of `text` (its second character).
    fn hover_on(uri: &Uri, text: &str, key: &str) -> String {
        let at = text.find(key).unwrap_or_default() + 2;
        match key_hover(uri, text, position(text, at)).map(|h| h.contents) {
            Some(HoverContents::Markup(markup)) => markup.value,
            _ => String::new(),
        }
    }

    #[test]
    fn keys_at_any_depth_show_their_description() {
        let uri: Uri = "file:///agent.json"
            .parse()
            .unwrap_or_else(|_| unreachable!());
        let text = "{\"events\": {\"persistence\": {\"type\": \"memory\", \"max_events\": 5},\n \"subscriptions\": [{\"subscription_type\": \"filtered\", \"filter\": {}}]}}";
        let hover = |key: &str| hover_on(&uri, text, key);
        assert!(
            hover("\"max_events\"").contains("default 100"),
            "{}",
            hover("\"max_events\"")
        );
        assert!(
            hover("\"filter\"").starts_with("**`filter`**: `{ \"field\""),
            "{}",
            hover("\"filter\"")
        );
        assert!(
            hover("\"persistence\"").contains("Default: `{"),
            "{}",
            hover("\"persistence\"")
        );
        // Outside the events block too: grouped sections, arrays, maps.
        let text = "{\"llm\": {\"extensions\": {\"routing\": {\"strategy\": \"direct\"}}},\n \"orchestration\": {\"workflow\": {\"nodes\": {\"n1\": {\"label\": \"x\"}}}},\n \"tools\": [{\"permissions\": {\"network\": true}}]}";
        let hover = |key: &str| hover_on(&uri, text, key);
        assert_eq!(
            hover("\"strategy\""),
            "**`strategy`**: How a model is picked: `direct`, `task_based`, `cost_based`, `performance_based` or `adaptive`."
        );
        assert_eq!(
            hover("\"label\""),
            "**`label`**: The node's label as people read it."
        );
        assert_eq!(
            hover("\"network\""),
            "**`network`**: Whether the tool may use the network."
        );
    }

    #[test]
    fn the_key_before_the_cursor() {
        assert_eq!(
            key_before("    \"processing_mode\": \"asy"),
            Some("processing_mode")
        );
        assert_eq!(key_before("  handler: noti"), Some("handler"));
        assert_eq!(key_before("  \"event_name\""), None);
    }

    #[test]
    fn file_uris_become_paths() {
        let uri: Uri = "file:///tmp/my%20agents/agent.json"
            .parse()
            .unwrap_or_else(|_| unreachable!("a valid URI"));
        assert_eq!(
            file_path(&uri),
            Some(PathBuf::from("/tmp/my agents/agent.json"))
        );
    }
}
