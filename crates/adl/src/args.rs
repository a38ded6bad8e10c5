use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// adl: lint, compile and run ADL v2 event-driven agent definitions.
#[derive(Debug, Parser)]
#[command(name = "adl", version, about, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check agent definitions and report every problem found.
    Check {
        /// Files, directories (searched for `*.json`, `*.adl.yaml`, `*.adl.yml`)
        /// or `-` for standard input.
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
        format: OutputFormat,
        /// The syntax of the input: by default from each file's extension
        /// (`*.yaml`, `*.yml` are YAML), JSON for standard input.
        #[arg(long, value_enum, value_name = "SYNTAX")]
        input_format: Option<InputFormat>,
        /// Colour in human output: `auto` colours only on a terminal without `NO_COLOR`.
        #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
        color: ColorChoice,
        /// Exit with 1 when there are warnings, even without errors.
        #[arg(long)]
        deny_warnings: bool,
        /// Print the findings and nothing else (no summary line).
        #[arg(short, long)]
        quiet: bool,
        /// Print how many findings each rule has instead of the findings
        /// (human format).
        #[arg(long)]
        statistics: bool,
        /// Add a note for every default value applied (v1.5 defaults and omitted fields).
        #[arg(long)]
        explain_defaults: bool,
        /// Report a rule (code or name) as a warning. Repeatable.
        #[arg(long = "warn", value_name = "RULE")]
        warn: Vec<String>,
        /// Report a rule as an error. Repeatable.
        #[arg(long = "deny", value_name = "RULE")]
        deny: Vec<String>,
        /// Do not report a rule. Repeatable.
        #[arg(long = "allow", value_name = "RULE")]
        allow: Vec<String>,
        /// Use this configuration file instead of the nearest `adl.toml`.
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
        /// Apply every certain fix (a single "did you mean", a valid cron
        /// rewrite) to the files, rewriting only the bytes of each mistake,
        /// then report what remains.
        #[arg(long)]
        fix: bool,
        /// With `--fix`: print the changes as a diff instead of writing them
        /// (exit 1 when there are some).
        #[arg(long, requires = "fix")]
        diff: bool,
    },
    /// Print the long-form documentation of a rule, or list all rules.
    Explain {
        /// A rule code (`ADL104`) or name (`duplicate-key`); omit it to list all rules.
        rule: Option<String>,
    },
    /// Compile an agent definition into its dispatch graph (JSON).
    Compile {
        /// The agent definition.
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// Write the graph here instead of to standard output.
        #[arg(short, long, value_name = "OUT")]
        output: Option<PathBuf>,
        /// Refuse a definition with warnings (they are printed on stderr either way).
        #[arg(long)]
        deny_warnings: bool,
    },
    /// Run an agent over events and print what it does, as JSON lines.
    Run {
        /// An agent definition, or a graph `adl compile` wrote.
        #[arg(value_name = "FILE|COMPILED")]
        agent: PathBuf,
        /// The events: one JSON object, an array, or NDJSON; `-` for standard
        /// input; or a NATS JetStream consumer,
        /// `nats://HOST:PORT/STREAM?subject=…&consumer=…` (docs/runtime.md,
        /// "Scaling out").
        #[arg(long, value_name = "FILE|nats://…")]
        events: PathBuf,
        /// Publish the records on a NATS subject (`nats://HOST:PORT/SUBJECT`),
        /// one message each, instead of printing them; the summary is printed too.
        #[arg(long, value_name = "nats://…")]
        outcomes: Option<String>,
        /// With a NATS source: stop once no message has come for this long
        /// (e.g. `5s`); without it the run ends on SIGINT or SIGTERM.
        #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
        until_idle: Option<std::time::Duration>,
        /// Run tool NAME as a shell command: it gets the resolved parameters as
        /// JSON on stdin and prints its result as JSON. Repeatable. Other tools
        /// are recorded, not run, and return `null`.
        #[arg(long = "tool-command", value_name = "NAME=CMD", value_parser = parse_named_command)]
        tool_commands: Vec<(String, String)>,
        /// Run custom handlers of `handler_name` NAME as a shell command: it
        /// gets the call (handler name, resolved parameters, the event) as JSON
        /// on stdin and prints its result as JSON. Repeatable. Custom handlers
        /// without a command fail, and are listed when the run starts.
        #[arg(long = "handler-command", value_name = "NAME=CMD", value_parser = parse_named_command)]
        handler_commands: Vec<(String, String)>,
        /// Keep running this long after the events (e.g. `90s`, `5m`, `1h`) so
        /// time triggers fire.
        #[arg(long = "for", value_name = "DURATION", value_parser = parse_duration)]
        run_for: Option<std::time::Duration>,
        /// Keep events in memory instead of the configured persistence (a dry run).
        #[arg(long)]
        memory: bool,
        /// Do not re-dispatch events an earlier run accepted but did not finish.
        #[arg(long)]
        no_resume: bool,
        /// The longest input line (or multi-line value) read; a longer one is
        /// rejected and skipped (e.g. `512KiB`, `16MiB`).
        #[arg(long, value_name = "SIZE", default_value = "16MiB", value_parser = parse_size)]
        max_input_bytes: usize,
        /// The most a `--tool-command` may print on stdout, and on stderr;
        /// past it the call fails.
        #[arg(long, value_name = "SIZE", default_value = "16MiB", value_parser = parse_size)]
        max_tool_output: usize,
        /// Refuse a definition with warnings (they are printed on stderr either way).
        #[arg(long)]
        deny_warnings: bool,
        /// Output: short lines for people, or JSON lines (default: human on a
        /// terminal, JSON when piped).
        #[arg(long, value_enum)]
        format: Option<RunFormat>,
        /// Colour in human output: `auto` colours only on a terminal without `NO_COLOR`.
        #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
        color: ColorChoice,
    },
    /// Draw the dispatch graph: events, triggers, handlers and what runs what.
    Graph {
        /// An agent definition, or a graph `adl compile` wrote.
        #[arg(value_name = "FILE|COMPILED")]
        file: PathBuf,
        /// Graphviz DOT (`dot -Tsvg`) or Mermaid (Markdown renderers).
        #[arg(long, value_enum, default_value_t = GraphFormat::Dot)]
        format: GraphFormat,
    },
    /// Print a shell completion script (`adl completions bash > /etc/bash_completion.d/adl`).
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page, in roff (`adl man > adl.1; man ./adl.1`).
    Man,
    /// Run the language server on standard input and output, for editors:
    /// diagnostics as you type, quick fixes, rule documentation on hover.
    Lsp,
    /// Print the JSON Schema of a whole agent file.
    Schema {
        /// Print the schema of the events block alone.
        #[arg(long)]
        events: bool,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InputFormat {
    Json,
    /// YAML 1.2 (core schema), read as the same data as JSON.
    Yaml,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Annotated source snippets for people.
    Human,
    /// One JSON object on stdout.
    Json,
    /// SARIF 2.1.0, for code-scanning tools.
    Sarif,
    /// GitHub Actions workflow annotations.
    Github,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GraphFormat {
    Dot,
    Mermaid,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RunFormat {
    /// One short line per record and a summary table.
    Human,
    /// One JSON object per line (the contract's records).
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

fn parse_named_command(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((name, command)) if !name.is_empty() && !command.trim().is_empty() => {
            Ok((name.to_owned(), command.to_owned()))
        }
        _ => Err(format!("expected NAME=COMMAND, found `{text}`")),
    }
}

/// A size in bytes: `4096`, `64KiB`, `16MiB`, `1GiB` (`K`, `M`, `G` alike).
fn parse_size(text: &str) -> Result<usize, String> {
    let digits = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(digits);
    let shift = match unit.trim() {
        "" | "B" => 0,
        "K" | "KiB" | "k" => 10,
        "M" | "MiB" => 20,
        "G" | "GiB" => 30,
        _ => {
            return Err(format!(
                "`{text}` is not a size (try `4096`, `512KiB` or `16MiB`)"
            ));
        }
    };
    number
        .parse::<usize>()
        .ok()
        .and_then(|n| n.checked_mul(1 << shift))
        .filter(|&n| n > 0)
        .ok_or_else(|| {
            format!("`{text}` must be a positive size (try `4096`, `512KiB` or `16MiB`)")
        })
}

fn parse_duration(text: &str) -> Result<std::time::Duration, String> {
    let parsed: jiff::SignedDuration = text
        .parse()
        .map_err(|_| format!("`{text}` is not a duration (try `90s`, `5m` or `1h30m`)"))?;
    std::time::Duration::try_from(parsed)
        .ok()
        .filter(|d| !d.is_zero())
        .ok_or_else(|| format!("`{text}` must be a positive duration"))
}
