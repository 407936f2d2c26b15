//! The `vigil` binary: everything is in the library; see `cli`.

/// The analysis allocates and frees many small values (AST nodes, taint
/// sets, summaries); mimalloc takes about a fifth off the CPU time of a
/// review of Nova against the system allocator (`bench/speed.py`).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

// mimalloc's C API (`mimalloc.h`), linked in by the `mimalloc` crate.
unsafe extern "C" {
    fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
}

/// `mi_option_purge_delay` in mimalloc's `mi_option_t`.
const PURGE_DELAY: std::ffi::c_int = 15;

fn main() -> std::process::ExitCode {
    // By default mimalloc hands freed pages back to the OS soon after, and
    // the kernel zeroes them again when the next phase of the review (the
    // project pass's rounds, the reviews) asks for memory: that cost a
    // fifth of Nova's review in system time. Ten seconds idle still returns
    // memory in a long-lived process.
    // SAFETY: sets an integer option; mimalloc reads options atomically.
    unsafe { mi_option_set(PURGE_DELAY, 10_000) };
    vigil::cli::main()
}
