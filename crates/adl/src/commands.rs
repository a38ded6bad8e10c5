//! The subcommands. Each returns its exit code; only this module and `lib.rs` print.

use std::fmt::Write as _;
use std::io::{IsTerminal, Write};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use adl_checker::{CheckOptions, Level, RULES, SeverityOverrides, find_rule, suggest_rule};

use clap::CommandFactory as _;

use crate::args::{Cli, ColorChoice, Command, OutputFormat};
use crate::input::{Source, collect_sources, io_reason};
use crate::render::{self, FileReport, HumanOptions, Summary};
use crate::{config, exit};

#[allow(clippy::too_many_lines, reason = "one flat arm per command")]
pub fn run(cli: Cli) -> u8 {
    match cli.command {
        Command::Check {
            paths,
            format,
            input_format,
            color,
            deny_warnings,
            quiet,
            statistics,
            explain_defaults,
            warn,
            deny,
            allow,
            config,
            fix,
            diff,
        } => {
            let levels = RuleLevels {
                warn,
                deny,
                allow,
                config,
            };
            if statistics && format != OutputFormat::Human {
                eprintln!(
                    "adl: --statistics prints a table for people: use it with --format human"
                );
                return exit::USAGE;
            }
            let output = Output {
                format,
                color,
                deny_warnings,
                quiet,
                statistics,
                fix: match (fix, diff) {
                    (false, _) => FixMode::Off,
                    (true, false) => FixMode::Write,
                    (true, true) => FixMode::Diff,
                },
            };
            let syntax = input_format.map(|f| match f {
                crate::args::InputFormat::Json => adl_parser::Syntax::Json,
                crate::args::InputFormat::Yaml => adl_parser::Syntax::Yaml,
            });
            check(&paths, &output, &levels, explain_defaults, syntax)
        }
        Command::Explain { rule } => explain(rule.as_deref()),
        Command::Graph { file, format } => crate::run::graph(&file, format),
        Command::Compile {
            file,
            output,
            deny_warnings,
        } => crate::run::compile(&file, output.as_deref(), deny_warnings),
        Command::Run {
            agent,
            events,
            outcomes,
            until_idle,
            tool_commands,
            handler_commands,
            run_for,
            memory,
            no_resume,
            max_input_bytes,
            max_tool_output,
            deny_warnings,
            format,
            color,
        } => crate::run::run(crate::run::RunOptions {
            agent,
            events,
            outcomes,
            until_idle,
            tool_commands,
            handler_commands,
            run_for,
            memory,
            resume: !no_resume,
            max_input_bytes,
            max_tool_output,
            deny_warnings,
            output: run_output(format, color),
        }),
        Command::Completions { shell } => {
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "adl", &mut script);
            write_stdout(&String::from_utf8_lossy(&script))
        }
        Command::Lsp => crate::lsp::run(),
        Command::Man => {
            let mut page = Vec::new();
            match clap_mangen::Man::new(Cli::command()).render(&mut page) {
                Ok(()) => write_stdout(&String::from_utf8_lossy(&page)),
                Err(error) => {
                    eprintln!("adl: cannot render the manual page: {error}");
                    exit::INTERNAL
                }
            }
        }
        Command::Schema { events } => {
            let schema = if events {
                adl_parser::schema::events_schema()
            } else {
                adl_parser::schema::agent_schema()
            };
            write_stdout(&adl_parser::schema::to_pretty(&schema))
        }
    }
}

/// How to print the findings.
struct Output {
    format: OutputFormat,
    color: ColorChoice,
    deny_warnings: bool,
    /// No summary line.
    quiet: bool,
    /// Counts per rule instead of the findings.
    statistics: bool,
    fix: FixMode,
}

/// What `adl check` does with the fixes diagnostics carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FixMode {
    Off,
    /// Apply them to the files, then report what remains.
    Write,
    /// Print them as a diff; change nothing.
    Diff,
}

/// Rule levels from the command line, and an explicit configuration file.
struct RuleLevels {
    warn: Vec<String>,
    deny: Vec<String>,
    allow: Vec<String>,
    config: Option<PathBuf>,
}

impl RuleLevels {
    /// The options for a file in `dir`: the configuration (explicit, else the
    /// nearest `adl.toml`), then the command line on top.
    fn options_for(&self, dir: &Path, explain_defaults: bool) -> Result<CheckOptions, String> {
        let mut overrides = SeverityOverrides::default();
        let config = self.config.clone().or_else(|| config::discover(dir));
        if let Some(path) = config {
            config::load(&path, &mut overrides).map_err(|e| format!("{}: {e}", path.display()))?;
        }
        for (ids, level) in [
            (&self.allow, Level::Allow),
            (&self.warn, Level::Warn),
            (&self.deny, Level::Deny),
        ] {
            for id in ids {
                overrides.set(id, level).map_err(|e| e.to_string())?;
            }
        }
        // Without `ADL_NOW`, fire times in help count from the current time.
        let now = crate::config::fixed_now()?;
        Ok(CheckOptions {
            explain_defaults,
            overrides,
            now,
            syntax: adl_parser::Syntax::Json,
        })
    }
}

/// `syntax`: the input syntax given on the command line (else each file's own).
fn check(
    paths: &[PathBuf],
    output: &Output,
    levels: &RuleLevels,
    explain_defaults: bool,
    syntax: Option<adl_parser::Syntax>,
) -> u8 {
    let (sources, mut input_errors) = collect_sources(paths);
    let options = match source_options(&sources, levels, explain_defaults, syntax) {
        Ok(options) => options,
        Err(code) => return code,
    };
    if output.fix != FixMode::Off && sources.iter().any(|s| matches!(s, Source::Stdin)) {
        eprintln!("adl: --fix rewrites files: it cannot fix standard input");
        return exit::USAGE;
    }
    let mut outcomes = check_all(&sources, &options);
    match output.fix {
        FixMode::Off => {}
        FixMode::Diff => return print_fixes(&sources, &outcomes),
        FixMode::Write => {
            // A fix can uncover another (a kind read right shows what is
            // inside): a few rounds, until nothing more is fixed.
            for _ in 0..MAX_FIX_ROUNDS {
                match write_fixes(&sources, &outcomes) {
                    Ok(0) => break,
                    Ok(_) => outcomes = check_all(&sources, &options),
                    Err(code) => return code,
                }
            }
        }
    }
    let (format, color, deny_warnings) = (output.format, output.color, output.deny_warnings);
    let mut reports = Vec::with_capacity(outcomes.len());
    for (source, outcome) in sources.iter().zip(outcomes) {
        match outcome {
            Ok(report) => reports.push(report),
            Err(reason) => input_errors.push(crate::input::InputError {
                path: source.display_name(),
                reason,
            }),
        }
    }
    for error in &input_errors {
        eprintln!("adl: cannot read `{}`: {}", error.path, error.reason);
    }
    let text = match format {
        OutputFormat::Human => {
            let mut text = if output.statistics {
                render::statistics(&reports)
            } else {
                render::human_diagnostics(
                    &reports,
                    HumanOptions {
                        color: use_color(color),
                        width: terminal_width(),
                    },
                )
            };
            if !output.quiet {
                text.push_str(&render::summary_line(
                    Summary::of(&reports),
                    input_errors.len(),
                ));
            }
            text
        }
        OutputFormat::Json => render::json(&reports),
        OutputFormat::Sarif => render::sarif(&reports),
        OutputFormat::Github => render::github(&reports),
    };
    let written = write_stdout(&text);
    let summary = Summary::of(&reports);
    if written != exit::OK || !input_errors.is_empty() {
        exit::USAGE
    } else if summary.errors > 0 || (deny_warnings && summary.warnings > 0) {
        exit::FINDINGS
    } else {
        exit::OK
    }
}

/// The options each source is checked with: its directory's `adl.toml`
/// (one read per directory), the levels given, and its syntax.
fn source_options(
    sources: &[Source],
    levels: &RuleLevels,
    explain_defaults: bool,
    syntax: Option<adl_parser::Syntax>,
) -> Result<Vec<CheckOptions>, u8> {
    // One set of options per directory: each file uses its nearest `adl.toml`.
    let mut options_by_dir: HashMap<PathBuf, CheckOptions> = HashMap::new();
    let mut options = Vec::with_capacity(sources.len());
    for source in sources {
        let dir = match source {
            Source::File(path) => path
                .parent()
                .map_or_else(|| PathBuf::from("."), Path::to_path_buf),
            Source::Stdin => PathBuf::from("."),
        };
        let dir = if dir.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            dir
        };
        if !options_by_dir.contains_key(&dir) {
            match levels.options_for(&dir, explain_defaults) {
                Ok(found) => {
                    options_by_dir.insert(dir.clone(), found);
                }
                Err(message) => {
                    eprintln!("adl: {message}");
                    return Err(exit::USAGE);
                }
            }
        }
        options.push(options_by_dir[&dir].clone());
    }
    Ok(sources
        .iter()
        .zip(options)
        .map(|(source, options)| CheckOptions {
            syntax: syntax.unwrap_or(match source {
                Source::File(path) => adl_parser::Syntax::of_path(path),
                Source::Stdin => adl_parser::Syntax::Json,
            }),
            ..options
        })
        .collect())
}

/// Rounds of fixing at most: each round re-checks what it fixed.
const MAX_FIX_ROUNDS: usize = 4;

/// The file's text, when the fixes' spans can be applied to it: its bytes
/// are UTF-8 (the report's text may be redacted or have replacement
/// characters; the fixes point into the bytes the checker read).
fn fixable_text(source: &Source) -> Option<(std::path::PathBuf, String)> {
    let Source::File(path) = source else {
        return None;
    };
    let bytes = source.read().ok()?;
    Some((path.clone(), String::from_utf8(bytes).ok()?))
}

/// Applies the fixes of every report to its file; says on stderr what was
/// fixed. Returns how many fixes were applied.
fn write_fixes(sources: &[Source], outcomes: &[Result<FileReport, String>]) -> Result<usize, u8> {
    let mut count = 0;
    for (source, outcome) in sources.iter().zip(outcomes) {
        let Ok(report) = outcome else { continue };
        if report.diagnostics.iter().all(|d| d.fix.is_none()) {
            continue;
        }
        let Some((path, text)) = fixable_text(source) else {
            continue;
        };
        let (fixed, applied) = crate::fix::apply(&text, &report.diagnostics);
        if applied.is_empty() {
            continue;
        }
        if let Err(error) = std::fs::write(&path, &fixed) {
            eprintln!(
                "adl: cannot write `{}`: {}",
                path.display(),
                io_reason(&error)
            );
            return Err(exit::USAGE);
        }
        let index = adl_diagnostics::LineIndex::new(&text);
        for diagnostic in &applied {
            let position = index.position(&text, diagnostic.primary.span.start);
            eprintln!(
                "adl: fixed {}:{}:{}: {} ({})",
                report.name,
                position.line,
                position.column,
                diagnostic.message,
                diagnostic.rule.code
            );
        }
        count += applied.len();
    }
    Ok(count)
}

/// `--fix --diff`: the changes the fixes would make, as a diff on stdout.
fn print_fixes(sources: &[Source], outcomes: &[Result<FileReport, String>]) -> u8 {
    let mut diff = String::new();
    for (source, outcome) in sources.iter().zip(outcomes) {
        match outcome {
            Ok(report) => {
                if let Some((_, text)) = fixable_text(source) {
                    let (fixed, _) = crate::fix::apply(&text, &report.diagnostics);
                    diff.push_str(&crate::fix::diff(&report.name, &text, &fixed));
                }
            }
            Err(reason) => eprintln!("adl: cannot read `{}`: {reason}", source.display_name()),
        }
    }
    if diff.is_empty() {
        return exit::OK;
    }
    match write_stdout(&diff) {
        exit::OK => exit::FINDINGS,
        code => code,
    }
}

/// Checks every source on all cores, keeping the input order.
fn check_all(sources: &[Source], options: &[CheckOptions]) -> Vec<Result<FileReport, String>> {
    let slots: Vec<Mutex<Option<Result<FileReport, String>>>> =
        sources.iter().map(|_| Mutex::new(None)).collect();
    let next = AtomicUsize::new(0);
    let workers = std::thread::available_parallelism()
        .map_or(1, std::num::NonZero::get)
        .min(sources.len().max(1));
    let work = || {
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(source) = sources.get(i) else { break };
            let outcome = check_one(source, &options[i]);
            if let Ok(mut slot) = slots[i].lock() {
                *slot = Some(outcome);
            }
        }
    };
    if workers <= 1 {
        work();
    } else {
        std::thread::scope(|scope| {
            for _ in 0..workers {
                scope.spawn(work);
            }
        });
    }
    slots
        .into_iter()
        .map(|slot| {
            slot.into_inner()
                .ok()
                .flatten()
                .unwrap_or_else(|| Err("internal error: the file was not checked".to_owned()))
        })
        .collect()
}

fn check_one(source: &Source, options: &CheckOptions) -> Result<FileReport, String> {
    let bytes = source.read().map_err(|e| io_reason(&e))?;
    let report = adl_checker::check(&bytes, options);
    Ok(FileReport {
        name: source.display_name(),
        text: report.redacted_text(),
        diagnostics: report.diagnostics,
    })
}

/// `adl run`'s output: as asked, else short lines on a terminal and JSON
/// lines for a pipe or file.
fn run_output(format: Option<crate::args::RunFormat>, color: ColorChoice) -> crate::run::RunOutput {
    let human = format.map_or_else(
        || std::io::stdout().is_terminal(),
        |f| f == crate::args::RunFormat::Human,
    );
    if human {
        crate::run::RunOutput::Human {
            color: use_color(color),
        }
    } else {
        crate::run::RunOutput::Json
    }
}

fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stdout().is_terminal()
        }
    }
}

/// The terminal's width when `COLUMNS` says so, else 100.
fn terminal_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .filter(|&w: &usize| w >= 40)
        .unwrap_or(100)
}

fn explain(rule: Option<&str>) -> u8 {
    let Some(id) = rule else {
        let mut out = String::new();
        for rule in RULES.iter() {
            let _ = writeln!(
                out,
                "{}  {:<24} {:<8} {}{}",
                rule.code,
                rule.name,
                rule.default_severity.as_str(),
                rule.summary,
                if rule.enabled_by_default {
                    ""
                } else {
                    " (opt-in)"
                }
            );
        }
        return write_stdout(&out);
    };
    if let Some(rule) = find_rule(id) {
        let enabling = if rule.enabled_by_default {
            String::new()
        } else {
            format!(
                " Opt-in: reported only when enabled (`--warn {}`, or `{} = \"warn\"` under `[rules]` in `adl.toml`).",
                rule.name, rule.name
            )
        };
        let text = format!(
            "# {} {}\n\nDefault severity: {}.{enabling} {}.\n\n{}",
            rule.code,
            rule.name,
            rule.default_severity,
            capitalize(rule.summary),
            rule.long_docs()
        );
        return write_stdout(&text);
    }
    eprintln!("adl: unknown rule `{id}`");
    if let Some(suggestion) = suggest_rule(id) {
        eprintln!("help: did you mean `{suggestion}`?");
    } else {
        eprintln!("help: `adl explain` lists every rule");
    }
    exit::USAGE
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Check options for one file (its nearest `adl.toml`); a broken configuration
/// is reported and becomes exit 2.
pub(crate) fn options_for_file(path: &Path) -> Result<CheckOptions, u8> {
    let levels = RuleLevels {
        warn: Vec::new(),
        deny: Vec::new(),
        allow: Vec::new(),
        config: None,
    };
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    let options = levels.options_for(&dir, false).map_err(|message| {
        eprintln!("adl: {message}");
        exit::USAGE
    })?;
    Ok(CheckOptions {
        syntax: adl_parser::Syntax::of_path(path),
        ..options
    })
}

/// Writes to stdout; a closed pipe (`adl check … | head`) is not an error worth a panic.
pub(crate) fn write_stdout(text: &str) -> u8 {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => exit::OK,
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => exit::OK,
        Err(error) => {
            eprintln!("adl: cannot write output: {}", io_reason(&error));
            exit::USAGE
        }
    }
}
