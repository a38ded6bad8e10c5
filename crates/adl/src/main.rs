use std::process::ExitCode;

fn main() -> ExitCode {
    adl::run(std::env::args_os())
}
