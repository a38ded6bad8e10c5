use std::process::ExitCode;

// `adl run` allocates small, short-lived values per event (envelopes, JSON
// values, outcome records); mimalloc serves them faster than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    adl::run(std::env::args_os())
}
