//! The `adl` command line: the only crate that prints, exits, or renders
//! diagnostics for people (miette) and machines (JSON, SARIF, GitHub annotations).

#![allow(clippy::print_stdout, clippy::print_stderr)]

mod args;
mod commands;
mod config;
pub mod docs;
mod fix;
mod graph_view;
pub mod input;
mod lsp;
pub mod render;
mod run;

use std::ffi::OsString;
use std::process::ExitCode;

use clap::Parser;

pub use args::{Cli, ColorChoice, Command, GraphFormat, OutputFormat};

/// Exit codes (spec §12).
pub mod exit {
    /// No errors.
    pub const OK: u8 = 0;
    /// At least one error (or a warning with `--deny-warnings`).
    pub const FINDINGS: u8 = 1;
    /// Usage or I/O problem.
    pub const USAGE: u8 = 2;
    /// A bug in adl.
    pub const INTERNAL: u8 = 3;
}

/// Runs the command line and returns its exit code. A panic anywhere below is an
/// internal failure (exit 3) with a message asking for a report, never a crash
/// with a stack trace.
pub fn run(args: impl IntoIterator<Item = OsString>) -> ExitCode {
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            let code = if error.use_stderr() {
                exit::USAGE
            } else {
                exit::OK
            };
            return ExitCode::from(code);
        }
    };
    std::panic::set_hook(Box::new(|info| {
        eprintln!("adl: internal error: {info}");
        eprintln!("this is a bug in adl; please report it with the input that caused it");
    }));
    match std::panic::catch_unwind(|| commands::run(cli)) {
        Ok(code) => ExitCode::from(code),
        Err(_) => ExitCode::from(exit::INTERNAL),
    }
}
