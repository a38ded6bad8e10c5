//! The subcommands. Each returns its exit code; only this module and `lib.rs` print.

use std::fmt::Write as _;
use std::io::{IsTerminal, Write};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use adl_checker::{CheckOptions, RULES, find_rule, suggest_rule};

use crate::args::{Cli, ColorChoice, Command, OutputFormat};
use crate::exit;
use crate::input::{Source, collect_sources, io_reason};
use crate::render::{self, FileReport, HumanOptions, Summary};

pub fn run(cli: Cli) -> u8 {
    match cli.command {
        Command::Check {
            paths,
            format,
            color,
            deny_warnings,
            explain_defaults,
        } => {
            let options = CheckOptions { explain_defaults };
            check(&paths, format, color, deny_warnings, &options)
        }
        Command::Explain { rule } => explain(rule.as_deref()),
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

fn check(
    paths: &[std::path::PathBuf],
    format: OutputFormat,
    color: ColorChoice,
    deny_warnings: bool,
    options: &CheckOptions,
) -> u8 {
    let (sources, mut input_errors) = collect_sources(paths);
    let outcomes = check_all(&sources, options);
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
    let output = match format {
        OutputFormat::Human => render::human(
            &reports,
            HumanOptions {
                color: use_color(color),
                width: terminal_width(),
            },
        ),
        OutputFormat::Json => render::json(&reports),
        OutputFormat::Sarif => render::sarif(&reports),
        OutputFormat::Github => render::github(&reports),
    };
    let written = write_stdout(&output);
    let summary = Summary::of(&reports);
    if written != exit::OK || !input_errors.is_empty() {
        exit::USAGE
    } else if summary.errors > 0 || (deny_warnings && summary.warnings > 0) {
        exit::FINDINGS
    } else {
        exit::OK
    }
}

/// Checks every source on all cores, keeping the input order.
fn check_all(sources: &[Source], options: &CheckOptions) -> Vec<Result<FileReport, String>> {
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
            let outcome = check_one(source, options);
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
        text: report.parsed.document.text().to_owned(),
        diagnostics: report.diagnostics,
    })
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
                "{}  {:<24} {:<8} {}",
                rule.code,
                rule.name,
                rule.default_severity.as_str(),
                rule.summary
            );
        }
        return write_stdout(&out);
    };
    if let Some(rule) = find_rule(id) {
        let text = format!(
            "# {} {}\n\nDefault severity: {}. {}.\n\n{}",
            rule.code,
            rule.name,
            rule.default_severity,
            capitalize(rule.summary),
            rule.docs
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

/// Writes to stdout; a closed pipe (`adl check … | head`) is not an error worth a panic.
fn write_stdout(text: &str) -> u8 {
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
