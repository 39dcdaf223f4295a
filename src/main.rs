//! The `flowcall` binary: the command line, and the designer when built with `gui`.

fn main() -> std::process::ExitCode {
    flowcall::cli::main()
}
