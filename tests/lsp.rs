//! `adl lsp` end to end: a test client speaks JSON-RPC to the real binary
//! over standard input and output, as an editor does: it opens a document,
//! receives diagnostics, asks for the quick fix and applies it, sees the
//! diagnostics go, hovers over a rule, and shuts the server down.

#![allow(clippy::unwrap_used, reason = "a broken test setup should fail loudly")]

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::time::Duration;

use serde_json::{Value, json};

struct Client {
    child: Child,
    input: ChildStdin,
    output: BufReader<ChildStdout>,
    next_id: u64,
}

impl Client {
    fn start() -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_adl"))
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let input = child.stdin.take().unwrap();
        let output = BufReader::new(child.stdout.take().unwrap());
        // A hung server fails the test instead of hanging it.
        let pid = child.id();
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_secs(60));
            let _ = Command::new("kill").args(["-9", &pid.to_string()]).status();
        });
        Self {
            child,
            input,
            output,
            next_id: 1,
        }
    }

    fn send(&mut self, message: &Value) {
        let body = message.to_string();
        write!(self.input, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.input.flush().unwrap();
    }

    fn receive(&mut self) -> Value {
        let mut length = None;
        loop {
            let mut line = String::new();
            assert!(
                self.output.read_line(&mut line).unwrap() > 0,
                "the server closed its output"
            );
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some(value) = line.strip_prefix("Content-Length: ") {
                length = Some(value.parse::<usize>().unwrap());
            }
        }
        let mut body = vec![0; length.unwrap()];
        self.output.read_exact(&mut body).unwrap();
        #[allow(clippy::disallowed_methods, reason = "the server's JSON-RPC")]
        serde_json::from_slice(&body).unwrap()
    }

    #[allow(
        clippy::needless_pass_by_value,
        reason = "call sites build the parameters in place"
    )]
    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        loop {
            let message = self.receive();
            if message["id"] == id {
                assert!(message["error"].is_null(), "{message}");
                return message["result"].clone();
            }
        }
    }

    #[allow(
        clippy::needless_pass_by_value,
        reason = "call sites build the parameters in place"
    )]
    fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// The next diagnostics published for `uri`.
    fn diagnostics(&mut self, uri: &str) -> Vec<Value> {
        loop {
            let message = self.receive();
            if message["method"] == "textDocument/publishDiagnostics"
                && message["params"]["uri"] == uri
            {
                return message["params"]["diagnostics"].as_array().unwrap().clone();
            }
        }
    }
}

const AGENT: &str = r#"{
  "events": {
    "timeout_ms": 100,
    "subscriptions": [
      {
        "subscription_type": "direct",
        "event_name": "order.créé",
        "filtr": {"field": "amount", "operator": "equals", "value": 5},
        "handler": {"handler_type": "notification", "notification_type": "info", "message": "m"}
      }
    ]
  }
}
"#;

const NAMED: &str = r#"{
  "events": {
    "timeout_ms": 100,
    "handlers": [
      {
        "name": "notify_ops",
        "handler_type": "notification", "notification_type": "alert", "message": "m"
      }
    ],
    "subscriptions": [
      {"subscription_type": "direct", "event_name": "error",
       "handler": "notify_ops"},
      {"subscription_type": "direct", "event_name": "warning",
       "handler": "other"},
      {"subscription_type": "direct", "event_name": "alert",
       "handler": "notify_ops"}
    ]
  }
}
"#;

#[test]
fn an_editor_session_diagnoses_fixes_and_explains() {
    let dir = std::env::temp_dir().join(format!("adl-lsp-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let uri = format!("file://{}/agent.json", dir.display());
    let mut client = Client::start();
    let capabilities = client.request(
        "initialize",
        json!({"processId": null, "rootUri": null, "capabilities": {}}),
    );
    assert_eq!(capabilities["capabilities"]["hoverProvider"], true);
    client.notify("initialized", json!({}));
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "json", "version": 1, "text": AGENT}}),
    );
    let diagnostics = client.diagnostics(&uri);
    let typo = diagnostics
        .iter()
        .find(|d| d["code"] == "ADL203")
        .unwrap_or_else(|| panic!("{diagnostics:?}"));
    // Line 7 (from 0), after 8 spaces: `"filtr"`.
    assert_eq!(
        typo["range"],
        json!({"start": {"line": 7, "character": 8}, "end": {"line": 7, "character": 15}})
    );
    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": typo["range"],
               "context": {"diagnostics": [typo]}}),
    );
    let edit = &actions[0]["edit"]["changes"][&uri][0];
    assert_eq!(edit["newText"], "\"filter\"", "{actions}");
    assert_eq!(edit["range"], typo["range"]);
    // The client applies the edit, as an editor would.
    let fixed = AGENT.replacen("\"filtr\"", "\"filter\"", 1);
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2},
               "contentChanges": [{"text": fixed}]}),
    );
    let after = client.diagnostics(&uri);
    assert!(after.iter().all(|d| d["code"] != "ADL203"), "{after:?}");
    // Another mistake: hovering over it shows its rule's documentation.
    let broken = fixed.replace("\"message\": \"m\"", "\"message\": \"m\", \"extra\": 1");
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 3},
               "contentChanges": [{"text": broken}]}),
    );
    let extra = client.diagnostics(&uri);
    let unknown = extra.iter().find(|d| d["code"] == "ADL203").unwrap();
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": unknown["range"]["start"]}),
    );
    let text = hover["contents"]["value"].as_str().unwrap();
    assert!(
        text.contains("ADL203") && text.contains("unknown-key"),
        "{text}"
    );
    client.request("shutdown", Value::Null);
    client.notify("exit", Value::Null);
    let status = client.child.wait().unwrap();
    assert!(status.success(), "{status}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_editor_session_navigates_and_completes_names() {
    let dir = std::env::temp_dir().join(format!("adl-lsp-names-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut client = Client::start();
    client.request(
        "initialize",
        json!({"processId": null, "rootUri": null, "capabilities": {}}),
    );
    client.notify("initialized", json!({}));
    // Go to a handler's definition from a reference, and find its uses.
    let named_uri = format!("file://{}/named.json", dir.display());
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": named_uri, "languageId": "json", "version": 1, "text": NAMED}}),
    );
    client.diagnostics(&named_uri);
    // Line 11 is `"handler": "notify_ops"`; the name starts at character 18.
    let reference = json!({"line": 11, "character": 22});
    let definition = client.request(
        "textDocument/definition",
        json!({"textDocument": {"uri": named_uri}, "position": reference}),
    );
    assert_eq!(
        definition["range"]["start"],
        json!({"line": 5, "character": 16}),
        "{definition}"
    );
    let uses = client.request(
        "textDocument/references",
        json!({"textDocument": {"uri": named_uri}, "position": reference,
               "context": {"includeDeclaration": true}}),
    );
    let lines: Vec<&Value> = uses
        .as_array()
        .unwrap()
        .iter()
        .map(|l| &l["range"]["start"]["line"])
        .collect();
    assert_eq!(lines, [&json!(5), &json!(11), &json!(15)], "{uses}");
    // Hover over a key shows its description and default, from the schema.
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": named_uri}, "position": {"line": 2, "character": 7}}),
    );
    let text = hover["contents"]["value"].as_str().unwrap();
    assert!(
        text.starts_with("**`timeout_ms`**: Bounds every handler"),
        "{text}"
    );
    assert!(text.ends_with("Default: `5000`"), "{text}");
    // Completion in a handler reference offers the declared handlers.
    let completion = client.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": named_uri}, "position": {"line": 13, "character": 19}}),
    );
    let labels: Vec<&Value> = completion
        .as_array()
        .unwrap()
        .iter()
        .map(|i| &i["label"])
        .collect();
    assert_eq!(labels, [&json!("notify_ops")], "{completion}");
    assert_eq!(
        completion[0]["insertText"], "notify_ops",
        "inside the quotes"
    );
    client.request("shutdown", Value::Null);
    client.notify("exit", Value::Null);
    assert!(client.child.wait().unwrap().success());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn keys_complete_as_they_are_typed() {
    let mut client = Client::start();
    client.request(
        "initialize",
        json!({"processId": null, "rootUri": null, "capabilities": {}}),
    );
    client.notify("initialized", json!({}));
    let uri = "untitled:agent.json";
    // A key being typed in the events block, on line 3.
    let typing = NAMED.replacen(
        "\"timeout_ms\": 100,\n",
        "\"timeout_ms\": 100,\n    \"proc\n",
        1,
    );
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "json", "version": 1, "text": typing}}),
    );
    client.diagnostics(uri);
    let keys = client.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": {"line": 3, "character": 9}}),
    );
    let labels: Vec<&str> = keys
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|i| i["label"].as_str())
        .collect();
    assert!(labels.contains(&"processing_mode"), "{labels:?}");
    assert!(
        !labels.contains(&"timeout_ms"),
        "written already: {labels:?}"
    );
    let item = keys
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["label"] == "processing_mode")
        .unwrap();
    assert_eq!(
        item["insertText"], "processing_mode",
        "after the opening quote"
    );
    client.request("shutdown", Value::Null);
    client.notify("exit", Value::Null);
    assert!(client.child.wait().unwrap().success());
}
