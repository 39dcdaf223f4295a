//! The `flowcall` binary: the command line, and the designer when built with `gui`.

/// mimalloc: batches allocate many small, short-lived values on every core; it measured about
/// a third faster than the system allocator on `flowcall batch` (see benches/batch.rs).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    flowcall::cli::main()
}
