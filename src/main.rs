//! The `vigil` binary: everything is in the library; see `cli`.

/// The analysis allocates and frees many small values (AST nodes, taint
/// sets, summaries); mimalloc takes about a fifth off the CPU time of a
/// review of Nova against the system allocator (`bench/speed.py`).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    vigil::cli::main()
}
