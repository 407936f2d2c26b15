//! The `vigil` binary: everything is in the library; see `cli`.

/// The analysis allocates and frees many small values (AST nodes, taint
/// sets, summaries); mimalloc takes about a fifth off the CPU time of a
/// review of Nova against the system allocator (`bench/speed.py`). It is
/// built without transparent huge pages (`no_thp` in Cargo.toml): with
/// them a review of Nova peaks at 147 MB instead of 105 MB, each fault
/// zeroing 2 MB of which the review used a part, for 5% less CPU
/// (`bench/ab_speed.py`); the memory target is the tighter one.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    vigil::cli::main()
}
