//! `adl compile` and `adl run`.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use adl_runtime::exec::{HandlerError, IdScheme, Outcome, ToolCall};
use adl_runtime::graph::PersistenceConfig;
use adl_runtime::{Graph, LoadError, Program, Runtime, RuntimeBuilder};
use serde_json::Value;
use tokio::io::AsyncWriteExt;
use tokio::sync::mpsc;

use crate::exit;
use crate::input::io_reason;
use crate::render::{self, FileReport, HumanOptions};

/// Events dispatched at once before the reader waits: bounds memory on
/// endless streams while keeping batch mode's batches full.
const MAX_IN_FLIGHT: usize = 1024;

/// Reads, checks and compiles a definition; diagnostics go to stderr.
fn compile_file(path: &Path) -> Result<Graph, u8> {
    let bytes = read(path)?;
    let options = crate::commands::options_for_file(path)?;
    let report = adl_checker::check(&bytes, &options);
    if report.has_errors() {
        let file = FileReport {
            name: path.to_string_lossy().replace('\\', "/"),
            text: report.redacted_text(),
            diagnostics: report.diagnostics,
        };
        eprint!(
            "{}",
            render::human(
                &[file],
                HumanOptions {
                    color: false,
                    width: 100
                }
            )
        );
        return Err(exit::FINDINGS);
    }
    adl_runtime::compile(&report).map_err(|error| {
        eprintln!("adl: {}: {error}", path.display());
        exit::FINDINGS
    })
}

fn read(path: &Path) -> Result<Vec<u8>, u8> {
    std::fs::read(path).map_err(|error| {
        eprintln!(
            "adl: cannot read `{}`: {}",
            path.display(),
            io_reason(&error)
        );
        exit::USAGE
    })
}

/// Loads a graph: a compiled file as is, an agent definition through the checker.
fn load(path: &Path) -> Result<Program, u8> {
    let bytes = read(path)?;
    let text = String::from_utf8_lossy(&bytes);
    let graph = match Graph::from_json(&text) {
        Ok(graph) => graph,
        Err(LoadError::NotAGraph) => compile_file(path)?,
        Err(error) => {
            eprintln!("adl: {}: {error}", path.display());
            return Err(exit::FINDINGS);
        }
    };
    Program::new(graph).map_err(|error| {
        eprintln!("adl: {}: {error}", path.display());
        exit::FINDINGS
    })
}

pub fn graph(file: &Path, format: crate::args::GraphFormat) -> u8 {
    match load(file) {
        Ok(program) => crate::commands::write_stdout(&match format {
            crate::args::GraphFormat::Dot => crate::graph_view::dot(program.graph()),
            crate::args::GraphFormat::Mermaid => crate::graph_view::mermaid(program.graph()),
        }),
        Err(code) => code,
    }
}

pub fn compile(file: &Path, output: Option<&Path>) -> u8 {
    let graph = match compile_file(file).and_then(|g| {
        // Only a graph that loads is written.
        Program::new(g.clone()).map(|_| g).map_err(|error| {
            eprintln!("adl: {}: {error}", file.display());
            exit::FINDINGS
        })
    }) {
        Ok(graph) => graph,
        Err(code) => return code,
    };
    let mut text = graph.to_json();
    text.push('\n');
    match output {
        None => crate::commands::write_stdout(&text),
        Some(out) => match std::fs::write(out, text) {
            Ok(()) => exit::OK,
            Err(error) => {
                eprintln!(
                    "adl: cannot write `{}`: {}",
                    out.display(),
                    io_reason(&error)
                );
                exit::USAGE
            }
        },
    }
}

/// Options of `adl run`.
#[derive(Debug)]
pub struct RunOptions {
    pub agent: PathBuf,
    pub events: PathBuf,
    pub tool_commands: Vec<(String, String)>,
    pub run_for: Option<Duration>,
    pub memory: bool,
    /// Re-dispatch what an earlier run accepted but did not finish.
    pub resume: bool,
}

pub fn run(options: RunOptions) -> u8 {
    let program = match load(&options.agent) {
        Ok(program) => program,
        Err(code) => return code,
    };
    // `ADL_NOW` makes a run reproducible: that start time, simulated time
    // (tokio's paused clock: `--for` and timeouts take no real time) and ids
    // `input-N` for events without one.
    let now = match std::env::var("ADL_NOW") {
        Ok(text) => match text.parse::<jiff::Timestamp>() {
            Ok(now) => Some(now),
            Err(error) => {
                eprintln!("adl: ADL_NOW: `{text}` is not an RFC 3339 time: {error}");
                return exit::USAGE;
            }
        },
        Err(_) => None,
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .start_paused(now.is_some())
        .build();
    let runtime = match runtime {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("adl: cannot start the runtime: {error}");
            return exit::USAGE;
        }
    };
    runtime.block_on(run_agent(program, options, now))
}

async fn run_agent(program: Program, options: RunOptions, now: Option<jiff::Timestamp>) -> u8 {
    let max_events = match &program.graph().persistence {
        PersistenceConfig::Memory { max_events } => *max_events,
        _ => adl_parser::model::defaults::MAX_EVENTS,
    };
    let mut builder = Runtime::builder(program);
    if options.memory {
        builder = builder.store(Arc::new(adl_runtime::exec::MemoryStore::new(max_events)));
    }
    if let Some(now) = now {
        builder = builder.start_time(now).id_scheme(IdScheme::InputIndex);
    }
    let outcomes = builder.subscribe();
    let commands: HashMap<String, String> = options.tool_commands.into_iter().collect();
    let builder = builder.tool_invoker(CommandTools(Arc::new(commands)));
    let runtime = match builder.open_store().await.and_then(RuntimeBuilder::start) {
        Ok(runtime) => Arc::new(runtime),
        Err(error) => {
            eprintln!("adl: {error}");
            return exit::USAGE;
        }
    };
    let inputs = match Inputs::open(&options.events) {
        Ok(inputs) => inputs,
        Err(code) => return code,
    };
    let writer = std::thread::spawn(move || write_outcomes(outcomes));
    {
        let recovered = if options.resume {
            runtime.resume().await
        } else {
            runtime.skip_resume().await
        };
        match recovered {
            Ok(resumed) => {
                for warning in resumed.warnings {
                    eprintln!("adl: warning: {warning}");
                }
            }
            Err(error) => {
                eprintln!("adl: {error}");
                return exit::USAGE;
            }
        }
    }
    let read_failure = dispatch_inputs(&runtime, inputs).await;
    if let Some(duration) = options.run_for {
        tokio::time::sleep(duration).await;
    }
    let summary = match runtime.shutdown().await {
        Ok(summary) => summary,
        Err(error) => {
            eprintln!("adl: {error}");
            return exit::USAGE;
        }
    };
    drop(runtime);
    let written = writer
        .join()
        .unwrap_or(Err(std::io::ErrorKind::Other.into()));
    let mut line = serde_json::to_value(summary).unwrap_or_default();
    if let Some(object) = line.as_object_mut() {
        object.insert("kind".to_owned(), Value::from("summary"));
        object.sort_keys();
    }
    let tail = {
        let mut stdout = std::io::stdout().lock();
        writeln!(stdout, "{line}").and_then(|()| stdout.flush())
    };
    if let Some(reason) = read_failure {
        eprintln!("adl: cannot read `{}`: {reason}", options.events.display());
        return exit::USAGE;
    }
    match written.and(tail) {
        Ok(()) => exit::OK,
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => exit::OK,
        Err(error) => {
            eprintln!("adl: cannot write output: {}", io_reason(&error));
            exit::USAGE
        }
    }
}

/// Dispatches every input, at most [`MAX_IN_FLIGHT`] at a time. Returns the
/// reason reading stopped early, if it did.
async fn dispatch_inputs(runtime: &Arc<Runtime>, mut inputs: Inputs) -> Option<String> {
    let mut in_flight = tokio::task::JoinSet::new();
    let mut failure = None;
    while let Some(input) = inputs.next().await {
        match input {
            Input::Event(index, value) => {
                while in_flight.len() >= MAX_IN_FLIGHT {
                    in_flight.join_next().await;
                }
                let runtime = Arc::clone(runtime);
                in_flight.spawn(async move { runtime.dispatch_at(index, value).await });
            }
            Input::Unreadable(index, reason) => runtime.reject_input(index, reason),
            Input::Failed(reason) => failure = Some(reason),
        }
    }
    while in_flight.join_next().await.is_some() {}
    failure
}

/// One item of the event input.
enum Input {
    Event(usize, Value),
    /// Input number `index` is not JSON.
    Unreadable(usize, String),
    /// The input could not be read any further.
    Failed(String),
}

/// The event input. A file is read on the runtime's thread, so a run over a
/// file is reproducible to the line; standard input is read on its own thread
/// so that time triggers keep firing while it waits.
enum Inputs {
    File(InputReader<BufReader<std::fs::File>>),
    Stdin(mpsc::Receiver<Input>),
}

impl Inputs {
    fn open(path: &Path) -> Result<Self, u8> {
        if path.as_os_str() == "-" {
            let (sender, receiver) = mpsc::channel(MAX_IN_FLIGHT);
            std::thread::spawn(move || {
                for input in InputReader::new(std::io::stdin().lock()) {
                    if sender.blocking_send(input).is_err() {
                        return;
                    }
                }
            });
            return Ok(Inputs::Stdin(receiver));
        }
        match std::fs::File::open(path) {
            Ok(file) => Ok(Inputs::File(InputReader::new(BufReader::new(file)))),
            Err(error) => {
                eprintln!(
                    "adl: cannot read `{}`: {}",
                    path.display(),
                    io_reason(&error)
                );
                Err(exit::USAGE)
            }
        }
    }

    async fn next(&mut self) -> Option<Input> {
        match self {
            Inputs::File(reader) => reader.next(),
            Inputs::Stdin(receiver) => receiver.recv().await,
        }
    }
}

/// Events from NDJSON, a JSON array (its elements are the events), one object,
/// or pretty-printed objects one after another. A value that is not JSON is
/// reported and reading resumes at the next line.
struct InputReader<R> {
    lines: std::io::Lines<R>,
    line: usize,
    splitter: ValueSplitter,
    index: usize,
    pending: std::collections::VecDeque<Input>,
    done: bool,
}

impl<R: BufRead> InputReader<R> {
    fn new(reader: R) -> Self {
        Self {
            lines: reader.lines(),
            line: 0,
            splitter: ValueSplitter::default(),
            index: 0,
            pending: std::collections::VecDeque::new(),
            done: false,
        }
    }

    fn take_index(&mut self) -> usize {
        self.index += 1;
        self.index - 1
    }

    fn parse(&mut self, text: &str, line: usize) {
        match parse_value(text) {
            Ok(value) => self.push_value(value),
            Err(error) => self.push_unreadable(line, &error),
        }
    }

    fn push_value(&mut self, value: Value) {
        match value {
            Value::Array(items) => {
                for item in items {
                    let index = self.take_index();
                    self.pending.push_back(Input::Event(index, item));
                }
            }
            value => {
                let index = self.take_index();
                self.pending.push_back(Input::Event(index, value));
            }
        }
    }

    fn push_unreadable(&mut self, line: usize, error: &serde_json::Error) {
        let index = self.take_index();
        self.pending.push_back(Input::Unreadable(
            index,
            format!("not JSON (line {line}): {error}"),
        ));
    }
}

fn parse_value(text: &str) -> serde_json::Result<Value> {
    #[allow(
        clippy::disallowed_methods,
        reason = "event input: no spans needed; a duplicate key keeps the last value as JSON consumers do"
    )]
    serde_json::from_str::<Value>(text)
}

impl<R: BufRead> Iterator for InputReader<R> {
    type Item = Input;

    fn next(&mut self) -> Option<Input> {
        loop {
            if let Some(input) = self.pending.pop_front() {
                return Some(input);
            }
            if self.done {
                return None;
            }
            match self.lines.next() {
                Some(Ok(line)) => {
                    self.line += 1;
                    // NDJSON fast path: a line that is a whole value needs no scanning.
                    if self.splitter.is_empty() && !line.trim().is_empty() {
                        match parse_value(&line) {
                            Ok(value) => {
                                self.push_value(value);
                                continue;
                            }
                            // A value that goes on over the next lines.
                            Err(error) if error.is_eof() => {}
                            Err(error) => {
                                self.push_unreadable(self.line, &error);
                                continue;
                            }
                        }
                    }
                    if let Some((text, first)) = self.splitter.push(&line, self.line) {
                        self.parse(&text, first);
                    }
                }
                Some(Err(error)) => {
                    self.done = true;
                    return Some(Input::Failed(io_reason(&error)));
                }
                None => {
                    self.done = true;
                    if let Some((text, first)) = self.splitter.finish() {
                        self.parse(&text, first);
                    }
                }
            }
        }
    }
}

/// Groups lines into JSON values by bracket depth (strings and escapes
/// respected), so a value may span lines and several may follow each other.
#[derive(Debug, Default)]
struct ValueSplitter {
    buffer: String,
    first_line: usize,
    depth: i64,
    in_string: bool,
    escaped: bool,
}

impl ValueSplitter {
    fn is_empty(&self) -> bool {
        self.buffer.is_empty()
    }

    /// Adds a line; returns a complete value's text and first line number.
    fn push(&mut self, line: &str, number: usize) -> Option<(String, usize)> {
        if self.buffer.is_empty() {
            if line.trim().is_empty() {
                return None;
            }
            self.first_line = number;
        } else {
            self.buffer.push('\n');
        }
        self.buffer.push_str(line);
        for c in line.chars() {
            if self.in_string {
                match (self.escaped, c) {
                    (true, _) => self.escaped = false,
                    (false, '\\') => self.escaped = true,
                    (false, '"') => self.in_string = false,
                    _ => {}
                }
                continue;
            }
            match c {
                '"' => self.in_string = true,
                '{' | '[' => self.depth += 1,
                '}' | ']' => self.depth -= 1,
                _ => {}
            }
        }
        // A string cannot span lines in JSON: a line ending inside one is broken.
        if self.depth <= 0 || self.in_string {
            return Some(self.take());
        }
        None
    }

    fn finish(&mut self) -> Option<(String, usize)> {
        if self.buffer.trim().is_empty() {
            None
        } else {
            Some(self.take())
        }
    }

    fn take(&mut self) -> (String, usize) {
        let text = std::mem::take(&mut self.buffer);
        self.depth = 0;
        self.in_string = false;
        self.escaped = false;
        (text, self.first_line)
    }
}

/// Writes outcome records as JSON lines until the runtime is gone.
fn write_outcomes(mut outcomes: mpsc::UnboundedReceiver<Outcome>) -> std::io::Result<()> {
    let mut out = BufWriter::new(std::io::stdout().lock());
    while let Some(outcome) = outcomes.blocking_recv() {
        serde_json::to_writer(&mut out, &outcome)?;
        out.write_all(b"\n")?;
        if outcomes.is_empty() {
            out.flush()?;
        }
    }
    out.flush()
}

/// Tools named with `--tool-command` run as processes; others are recorded.
struct CommandTools(Arc<HashMap<String, String>>);

impl adl_runtime::exec::ToolInvoker for CommandTools {
    fn invoke(
        &self,
        call: ToolCall,
    ) -> adl_runtime::exec::BoxFuture<'static, Result<Value, HandlerError>> {
        let command = self.0.get(&call.tool_name).cloned();
        Box::pin(async move {
            match command {
                None => Ok(Value::Null),
                Some(command) => run_tool_command(&command, &call).await,
            }
        })
    }
}

/// Runs `sh -c CMD` with the parameters as JSON on stdin; its stdout (JSON,
/// or nothing for `null`) is the result; a non-zero exit is a failure.
async fn run_tool_command(command: &str, call: &ToolCall) -> Result<Value, HandlerError> {
    use std::process::Stdio;
    let mut child = tokio::process::Command::new("sh")
        .arg("-c")
        .arg(command)
        .env("ADL_TOOL_NAME", &call.tool_name)
        .env("ADL_EVENT_ID", &call.event.id)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        // A timed-out call drops this future: the process must not outlive it.
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| HandlerError(format!("cannot start `{command}`: {e}")))?;
    if let Some(mut stdin) = child.stdin.take() {
        let input = serde_json::to_vec(&call.parameters).unwrap_or_default();
        // A command that does not read its input closes the pipe early: fine.
        let _ = stdin.write_all(&input).await;
    }
    let output = child
        .wait_with_output()
        .await
        .map_err(|e| HandlerError(format!("`{command}` failed: {e}")))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let stderr = stderr.trim();
        let status = output
            .status
            .code()
            .map_or_else(|| "a signal".to_owned(), |c| format!("status {c}"));
        return Err(HandlerError(if stderr.is_empty() {
            format!("`{}` exited with {status}", call.tool_name)
        } else {
            format!("`{}` exited with {status}: {stderr}", call.tool_name)
        }));
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    if stdout.trim().is_empty() {
        return Ok(Value::Null);
    }
    #[allow(
        clippy::disallowed_methods,
        reason = "a tool's result: no spans needed"
    )]
    serde_json::from_str(stdout.trim()).map_err(|e| {
        HandlerError(format!(
            "`{}` printed output that is not JSON: {e}",
            call.tool_name
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::ValueSplitter;

    fn split(text: &str) -> Vec<String> {
        let mut splitter = ValueSplitter::default();
        let mut out: Vec<String> = text
            .lines()
            .enumerate()
            .filter_map(|(i, line)| splitter.push(line, i + 1).map(|(t, _)| t))
            .collect();
        out.extend(splitter.finish().map(|(t, _)| t));
        out
    }

    #[test]
    fn ndjson_pretty_objects_and_arrays() {
        assert_eq!(
            split("{\"a\":1}\n\n{\"b\":\"}\"}\n"),
            ["{\"a\":1}", "{\"b\":\"}\"}"]
        );
        assert_eq!(
            split("{\n  \"a\": [1,\n 2]\n}\n[\n{}]"),
            ["{\n  \"a\": [1,\n 2]\n}", "[\n{}]"]
        );
        assert_eq!(
            split("{\"s\": \"\\\"{\"}\nnot json\n{}"),
            ["{\"s\": \"\\\"{\"}", "not json", "{}"]
        );
    }
}
