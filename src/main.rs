//! The `vigil` binary: everything is in the library; see `cli`.

fn main() -> std::process::ExitCode {
    vigil::cli::main()
}
