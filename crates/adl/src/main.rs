use std::process::ExitCode;

// `adl run` allocates small, short-lived values per event (envelopes, JSON
// values, outcome records); mimalloc serves them faster than the system
// allocator. Version 2: since `adl run` frees memory on the thread that
// allocated it, version 3 is no faster there (it was 13% faster while events
// were freed across threads), and `adl compile` of a large agent takes 38%
// longer with it.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    adl::run(std::env::args_os())
}
