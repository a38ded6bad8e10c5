//! `adl compile` and `adl run`.

mod human;
mod output;
mod tools;

use std::collections::HashMap;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use adl_checker::connection::Database;
use adl_runtime::exec::{IdScheme, InFlightLimit, TextSource};
use adl_runtime::graph::{HandlerAction, PersistenceConfig};
use adl_runtime::{Graph, LoadError, Program, Runtime, RuntimeBuilder};

use crate::exit;
use crate::input::io_reason;
use crate::render::{self, FileReport, HumanOptions};
use tools::{CommandHandler, CommandTools};

/// Reads, checks and compiles a definition; diagnostics go to stderr.
fn compile_file(path: &Path, deny_warnings: bool) -> Result<Program, u8> {
    compile_bytes(path, &read(path)?, deny_warnings)
}

/// Checks, compiles and loads an agent definition read from `path`. The
/// checker's findings go to stderr (rule levels from `adl.toml`): errors
/// refuse the file, and so do warnings with `deny_warnings`.
fn compile_bytes(path: &Path, bytes: &[u8], deny_warnings: bool) -> Result<Program, u8> {
    let options = crate::commands::options_for_file(path)?;
    let report = adl_checker::check(bytes, &options);
    let refused = report.has_errors()
        || (deny_warnings
            && report
                .diagnostics
                .iter()
                .any(|d| d.severity == adl_diagnostics::Severity::Warning));
    let findings = report
        .diagnostics
        .iter()
        .any(|d| d.severity != adl_diagnostics::Severity::Note);
    if findings {
        let file = FileReport {
            name: path.to_string_lossy().replace('\\', "/"),
            text: report.redacted_text(),
            diagnostics: report
                .diagnostics
                .iter()
                .filter(|d| d.severity != adl_diagnostics::Severity::Note)
                .cloned()
                .collect(),
        };
        let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
        eprint!(
            "{}",
            render::human(&[file], HumanOptions { color, width: 100 })
        );
        if refused && !report.has_errors() {
            eprintln!("adl: warnings are denied (--deny-warnings)");
        }
    }
    if refused {
        return Err(exit::FINDINGS);
    }
    let graph = adl_runtime::compile(&report).map_err(|error| match error {
        adl_runtime::CompileError::Unresolved { pointer, message } => {
            refused_after_check(path, &pointer, &message)
        }
        other => refused_after_check(path, "", &other.to_string()),
    })?;
    // Loading is part of compiling a source file: a graph is only used if it loads.
    Program::new(graph).map_err(|error| match error {
        LoadError::Invalid { pointer, message } => refused_after_check(path, &pointer, &message),
        other => refused_after_check(path, "", &other.to_string()),
    })
}

/// A definition the checker accepted and the compiler refused. The checker is
/// meant to find everything first (one judge), so this is a bug in adl: say
/// where, in the source's terms, and exit as an internal failure.
fn refused_after_check(path: &Path, pointer: &str, message: &str) -> u8 {
    let at = if pointer.is_empty() {
        String::new()
    } else {
        format!(" at {pointer}")
    };
    eprintln!("adl: {}{at}: {message}", path.display());
    eprintln!(
        "adl: `adl check` accepts this file but it cannot be compiled: this is a bug in adl, please report it"
    );
    exit::INTERNAL
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
fn load(path: &Path, deny_warnings: bool) -> Result<Program, u8> {
    let bytes = read(path)?;
    // Text that is not UTF-8 is no graph: the checker says where it breaks.
    let sniffed = std::str::from_utf8(&bytes).map_or(Err(LoadError::NotAGraph), Graph::from_json);
    let graph = match sniffed {
        Ok(graph) => graph,
        Err(LoadError::NotAGraph) => return compile_bytes(path, &bytes, deny_warnings),
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
    match load(file, false) {
        Ok(program) => crate::commands::write_stdout(&match format {
            crate::args::GraphFormat::Dot => crate::graph_view::dot(program.graph()),
            crate::args::GraphFormat::Mermaid => crate::graph_view::mermaid(program.graph()),
        }),
        Err(code) => code,
    }
}

pub fn compile(file: &Path, output: Option<&Path>, deny_warnings: bool) -> u8 {
    let program = match compile_file(file, deny_warnings) {
        Ok(program) => program,
        Err(code) => return code,
    };
    let mut text = program.graph().to_json();
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
    /// Where records are published instead of stdout (`nats://…/SUBJECT`).
    pub outcomes: Option<String>,
    /// With a NATS source: stop once no message has come for this long.
    pub until_idle: Option<Duration>,
    pub tool_commands: Vec<(String, String)>,
    /// `handler_name` → the shell command that runs it.
    pub handler_commands: Vec<(String, String)>,
    pub run_for: Option<Duration>,
    pub memory: bool,
    /// Re-dispatch what an earlier run accepted but did not finish.
    pub resume: bool,
    /// The longest input line or multi-line value.
    pub max_input_bytes: usize,
    /// The most a tool command may print on stdout, and on stderr.
    pub max_tool_output: usize,
    /// Refuse a definition with warnings, as with errors.
    pub deny_warnings: bool,
    /// Short lines for people, or JSON lines.
    pub output: RunOutput,
}

/// How `adl run` writes its records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunOutput {
    /// JSON lines (spec §12).
    Json,
    /// Short lines and a summary table, coloured or not.
    Human { color: bool },
}

pub fn run(options: RunOptions) -> u8 {
    let program = match load(&options.agent, options.deny_warnings) {
        Ok(program) => program,
        Err(code) => return code,
    };
    // `ADL_NOW` makes a run reproducible: that start time, simulated time
    // (tokio's paused clock: `--for` and timeouts take no real time) and ids
    // `input-N` for events without one.
    let now = match crate::config::fixed_now() {
        Ok(now) => now,
        Err(reason) => {
            eprintln!("adl: {reason}");
            return exit::USAGE;
        }
    };
    let events = match Events::of(&options.events, now.is_some()) {
        Ok(events) => events,
        Err(code) => return code,
    };
    // A file ends by itself: waiting for it to be idle means nothing.
    if options.until_idle.is_some() && matches!(events, Events::Text(_)) {
        eprintln!(
            "adl: --until-idle applies to a NATS source (`--events nats://…`); a file or standard input ends by itself"
        );
        return exit::USAGE;
    }
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
    runtime.block_on(run_agent(program, options, events, now))
}

/// Where `adl run` reads its events.
enum Events {
    /// A file, or standard input (`-`).
    Text(PathBuf),
    /// A JetStream consumer.
    Nats(adl_nats::SourceAddress),
}

impl Events {
    fn of(events: &Path, fixed_now: bool) -> Result<Self, u8> {
        let text = events.to_string_lossy();
        if !adl_nats::is_nats_address(&text) {
            return Ok(Self::Text(events.to_path_buf()));
        }
        let address = text.parse().map_err(|error| {
            eprintln!("adl: --events {error}");
            exit::USAGE
        })?;
        if fixed_now {
            // A paused clock would run ahead while the runtime waits on the network.
            eprintln!("adl: `ADL_NOW` cannot be used with a NATS source");
            return Err(exit::USAGE);
        }
        Ok(Self::Nats(address))
    }
}

/// Where the records go: standard output, or a NATS subject.
enum Records {
    Stdout(output::OutcomeWriter),
    Nats(adl_nats::OutcomePublisher),
}

async fn run_agent(
    program: Program,
    options: RunOptions,
    events: Events,
    now: Option<jiff::Timestamp>,
) -> u8 {
    let max_events = match &program.graph().persistence {
        PersistenceConfig::Memory { max_events } => *max_events,
        _ => adl_parser::model::defaults::MAX_EVENTS,
    };
    let custom_names = match command_names_called(&program, &options) {
        Ok(custom_names) => custom_names,
        Err(code) => return code,
    };
    // Relative store paths belong to the agent, as a compose file's do: they
    // resolve against its directory, whatever the current one.
    let agent_dir = options
        .agent
        .parent()
        .filter(|dir| !dir.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let (summary_lines, format) = match options.output {
        RunOutput::Human { color } => (
            Some(human::HumanLines::new(&program, color)),
            output::LineFormat::Human(human::HumanLines::new(&program, color)),
        ),
        RunOutput::Json => (None, output::LineFormat::Json),
    };
    let store = describe_store(program.graph(), options.memory, agent_dir);
    let mut builder = Runtime::builder(program).relative_to(agent_dir);
    if options.memory {
        builder = builder.store(Arc::new(adl_runtime::exec::MemoryStore::new(max_events)));
    }
    if let Some(now) = now {
        builder = builder.start_time(now).id_scheme(IdScheme::InputIndex);
    }
    let records;
    (records, builder) = match Records::open(options.outcomes.as_deref(), format, builder).await {
        Ok(opened) => opened,
        Err(code) => return code,
    };
    let commands: HashMap<String, String> = options.tool_commands.into_iter().collect();
    builder = builder.tool_invoker(CommandTools {
        commands: Arc::new(commands),
        max_output: options.max_tool_output,
    });
    builder = with_handler_commands(
        builder,
        &custom_names,
        options.handler_commands,
        options.max_tool_output,
    );
    let runtime = match builder.open_store().await.and_then(RuntimeBuilder::start) {
        Ok(runtime) => Arc::new(runtime),
        Err(error) => {
            eprintln!("adl: {error}");
            return exit::USAGE;
        }
    };
    let (read_failure, broker) = match &events {
        Events::Text(path) => {
            let inputs = match open_events(path, now.is_some(), options.max_input_bytes) {
                Ok(inputs) => inputs,
                Err(code) => return code,
            };
            if let Err(code) = recover(&runtime, options.resume, &store).await {
                return code;
            }
            // Read, dispatched a read's worth at a time, and stored as such.
            let failure = runtime
                .run_source(inputs, InFlightLimit::default())
                .await
                .err()
                .map(|failure| {
                    let reason = failure
                        .io_error()
                        .map_or_else(|| failure.to_string(), io_reason);
                    format!("cannot read `{}`: {reason}", path.display())
                });
            (failure, None)
        }
        Events::Nats(address) => {
            match consume(
                &runtime,
                address,
                options.until_idle,
                options.resume,
                &store,
            )
            .await
            {
                Ok((failure, control)) => (failure, Some(control)),
                Err(code) => return code,
            }
        }
    };
    if let Some(duration) = options.run_for {
        tokio::time::sleep(duration).await;
    }
    end_run(
        runtime,
        records,
        broker,
        read_failure,
        summary_lines.as_ref(),
    )
    .await
}

/// Shuts the runtime down, settles what the source delivered, and writes
/// the summary; the exit code says how the run went.
async fn end_run(
    runtime: Arc<Runtime>,
    records: Records,
    broker: Option<adl_nats::JetStreamControl>,
    read_failure: Option<String>,
    summary_lines: Option<&human::HumanLines>,
) -> u8 {
    // A store that fails at the end (flushing `done` marks) still gets the
    // summary of what was done written first: the marks only say what a
    // restart need not replay.
    let (summary, store_failure) = match runtime.shutdown().await {
        Ok(summary) => (summary, None),
        Err(error) => (runtime.summary(), Some(error)),
    };
    drop(runtime);
    // Every message was settled by the shutdown: its acknowledgement is sent.
    let settled = match broker {
        Some(control) => control.finish().await.err(),
        None => None,
    };
    let (written, published) = match records {
        Records::Stdout(writer) => (writer.finish(), None),
        Records::Nats(publisher) => (Ok(()), publisher.finish(&summary).await.err()),
    };
    let tail = write_summary(summary_lines, &summary);
    if let Some(error) = store_failure {
        eprintln!("adl: {error}");
        return exit::USAGE;
    }
    if let Some(failure) = read_failure {
        eprintln!("adl: {failure}");
        return exit::USAGE;
    }
    if let Some(failure) = settled.or(published) {
        eprintln!("adl: {failure}");
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

impl Records {
    /// Standard output, or the NATS subject of `--outcomes`: the runtime
    /// records into it.
    async fn open(
        outcomes: Option<&str>,
        format: output::LineFormat,
        builder: RuntimeBuilder,
    ) -> Result<(Self, RuntimeBuilder), u8> {
        let Some(address) = outcomes else {
            let (writer, sink) = output::OutcomeWriter::start(format);
            return Ok((Records::Stdout(writer), builder.outcome_sink(sink)));
        };
        let address: adl_nats::OutcomeAddress = address.parse().map_err(|error| {
            eprintln!("adl: --outcomes {error}");
            exit::USAGE
        })?;
        match adl_nats::OutcomePublisher::connect(&address).await {
            Ok((publisher, sink)) => Ok((Records::Nats(publisher), builder.outcome_sink(sink))),
            Err(error) => {
                eprintln!("adl: --outcomes: {error}");
                Err(exit::USAGE)
            }
        }
    }
}

/// Consumes a JetStream consumer until it is idle (`until_idle`) or a
/// signal comes; returns the source's failure and what settles its messages.
async fn consume(
    runtime: &Runtime,
    address: &adl_nats::SourceAddress,
    until_idle: Option<Duration>,
    resume: bool,
    store: &str,
) -> Result<(Option<String>, adl_nats::JetStreamControl), u8> {
    let (source, control) = adl_nats::connect(address, until_idle)
        .await
        .map_err(|error| {
            eprintln!("adl: --events {error}");
            exit::USAGE
        })?;
    recover(runtime, resume, store).await?;
    let until = until_idle.map_or_else(
        || "until SIGINT or SIGTERM".to_owned(),
        |idle| format!("until no message comes for {idle:?}"),
    );
    eprintln!(
        "adl: consuming `{address}` as `{}` {until}",
        address.consumer
    );
    let stopper = control.stop_handle();
    let signals = tokio::spawn(async move {
        stop_signal().await;
        stopper.stop();
    });
    let failure = runtime
        .run_source(source, InFlightLimit::default())
        .await
        .err()
        .map(|failure| failure.to_string());
    signals.abort();
    Ok((failure, control))
}

/// SIGINT or SIGTERM (Ctrl-C elsewhere): the end of a run on a broker.
async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match (
            signal(SignalKind::interrupt()),
            signal(SignalKind::terminate()),
        ) {
            (Ok(mut interrupt), Ok(mut terminate)) => {
                tokio::select! {
                    _ = interrupt.recv() => {}
                    _ = terminate.recv() => {}
                }
            }
            _ => std::future::pending().await,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// Re-dispatches what an earlier run left unfinished (unless `resume` is
/// off), then says on stderr which store the run uses and what it replayed.
async fn recover(runtime: &Runtime, resume: bool, store: &str) -> Result<(), u8> {
    let recovered = if resume {
        runtime.resume().await
    } else {
        runtime.skip_resume().await
    };
    let resumed = recovered.map_err(|error| {
        eprintln!("adl: {error}");
        exit::USAGE
    })?;
    for warning in resumed.warnings {
        eprintln!("adl: warning: {warning}");
    }
    let replayed = match (resume, resumed.replayed) {
        (false, _) => "not resuming (--no-resume)".to_owned(),
        (true, 0) => "nothing unfinished to replay".to_owned(),
        (true, 1) => "1 unfinished event replayed".to_owned(),
        (true, n) => format!("{n} unfinished events replayed"),
    };
    eprintln!("adl: store: {store}; {replayed}");
    Ok(())
}

/// The events to read: standard input (`-`) or a file, read on a thread of
/// its own; with a paused clock (`ADL_NOW`) a file is read inline, so that
/// the run is reproducible to the line.
fn open_events(path: &Path, inline: bool, max_bytes: usize) -> Result<TextSource, u8> {
    if path.as_os_str() == "-" {
        return Ok(TextSource::spawn(std::io::stdin(), max_bytes));
    }
    match std::fs::File::open(path) {
        Ok(file) if inline => Ok(TextSource::inline(file, max_bytes)),
        Ok(file) => Ok(TextSource::spawn(file, max_bytes)),
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

/// The last record: the summary, as a table for people or a JSON line.
fn write_summary(
    lines: Option<&human::HumanLines>,
    summary: &adl_runtime::exec::Summary,
) -> std::io::Result<()> {
    let mut stdout = std::io::stdout().lock();
    if let Some(lines) = lines {
        write!(stdout, "{}", lines.summary(summary))?;
    } else {
        let mut line = Vec::new();
        summary.write_json_line(&mut line);
        stdout.write_all(&line)?;
    }
    stdout.flush()
}

/// The store a run uses, for the start-up line: its kind and where it is
/// (paths resolved, connection strings redacted).
fn describe_store(graph: &Graph, memory: bool, agent_dir: &Path) -> String {
    // Resolved as the store resolves it, `..` folded away for reading.
    let resolve = |path: &str| {
        let path = Path::new(path);
        let path = if path.is_relative() {
            agent_dir.join(path)
        } else {
            path.to_path_buf()
        };
        let mut folded = PathBuf::new();
        for component in path.components() {
            match component {
                std::path::Component::CurDir => {}
                std::path::Component::ParentDir
                    if matches!(
                        folded.components().next_back(),
                        Some(std::path::Component::Normal(_))
                    ) =>
                {
                    folded.pop();
                }
                other => folded.push(other),
            }
        }
        folded.display().to_string()
    };
    match &graph.persistence {
        _ if memory => "memory (--memory: nothing is kept after the run)".to_owned(),
        PersistenceConfig::Memory { max_events } => {
            format!("memory (the latest {max_events} events; nothing is kept after the run)")
        }
        PersistenceConfig::File { file_path, .. } => {
            format!("JSON Lines file `{}`", resolve(file_path))
        }
        PersistenceConfig::Database {
            connection_string,
            table_name,
        } => {
            let url = connection_string.redacted();
            match Database::of(&url) {
                Some(Database::SqliteFile(path)) => {
                    format!("SQLite database `{}`, table `{table_name}`", resolve(path))
                }
                Some(Database::SqliteInMemory) => {
                    format!(
                        "SQLite in memory, table `{table_name}` (nothing is kept after the run)"
                    )
                }
                _ => format!("PostgreSQL `{url}`, table `{table_name}`"),
            }
        }
    }
}

/// Registers a [`CommandHandler`] per `--handler-command`, and lists the
/// custom handlers left without one (their calls will fail).
fn with_handler_commands(
    mut builder: RuntimeBuilder,
    custom_names: &[String],
    handler_commands: Vec<(String, String)>,
    max_output: usize,
) -> RuntimeBuilder {
    let without: Vec<&str> = custom_names
        .iter()
        .map(String::as_str)
        .filter(|name| !handler_commands.iter().any(|(n, _)| n == name))
        .collect();
    if !without.is_empty() {
        eprintln!(
            "adl: warning: custom handlers without a command fail when called: {}; give each one with --handler-command NAME=CMD",
            adl_parser::quoted_list(without)
        );
    }
    for (name, command) in handler_commands {
        builder = builder.custom_handler(
            name.clone(),
            CommandHandler {
                name,
                command,
                max_output,
            },
        );
    }
    builder
}

/// Checks that every `--tool-command` and `--handler-command` names something
/// a handler calls: a command for a name nothing calls is a typo until shown
/// otherwise (running on would answer the real tool with `null`, silently).
/// Returns the agent's custom `handler_name`s.
fn command_names_called(program: &Program, options: &RunOptions) -> Result<Vec<String>, u8> {
    let custom_names = handler_names(program, |action| match action {
        HandlerAction::Custom { handler_name, .. } => Some(handler_name),
        _ => None,
    });
    let tool_names = handler_names(program, |action| match action {
        HandlerAction::ToolInvocation { tool_name, .. } => Some(tool_name),
        _ => None,
    });
    for (flag, given, names, what) in [
        (
            "--tool-command",
            &options.tool_commands,
            &tool_names,
            "no tool_invocation handler calls a tool of this name",
        ),
        (
            "--handler-command",
            &options.handler_commands,
            &custom_names,
            "no custom handler of the agent has this `handler_name`",
        ),
    ] {
        for (name, _) in given {
            if !names.contains(name) {
                let hint = adl_parser::suggest(name, names.iter().map(String::as_str))
                    .map(|s| format!("; did you mean `{s}`?"))
                    .unwrap_or_default();
                eprintln!("adl: {flag} `{name}`: {what}{hint}");
                return Err(exit::USAGE);
            }
        }
    }
    Ok(custom_names)
}

/// The names `name_of` picks from the agent's handlers (tools called, custom
/// `handler_name`s), sorted, once each.
fn handler_names(
    program: &Program,
    name_of: impl Fn(&HandlerAction) -> Option<&String>,
) -> Vec<String> {
    let mut names: Vec<String> = program
        .graph()
        .handlers
        .iter()
        .filter_map(|h| name_of(&h.action).cloned())
        .collect();
    names.sort_unstable();
    names.dedup();
    names
}
