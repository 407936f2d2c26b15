//! The `vigil` binary: everything is in the library; see `cli`.

/// The analysis allocates and frees many small values (AST nodes, taint
/// sets, summaries); mimalloc takes about a fifth off the CPU time of a
/// review of Nova against the system allocator (`bench/speed.py`). It is
/// built without transparent huge pages (`no_thp` in Cargo.toml): with
/// them a review of Nova peaked at 143 MB instead of 98 MB for the same
/// CPU time, each fault zeroing 2 MB of which the review used a part.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    vigil::cli::main()
}
