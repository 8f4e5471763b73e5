//! The murmur command-line program.

fn main() -> std::process::ExitCode {
    murmur::cli::main()
}
