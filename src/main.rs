//! The `gongkai` command line: wires the library's stages together, nothing more.

fn main() {
    limit_malloc_arenas();
    let status = gongkai::cmd::main(std::env::args_os());
    if status != 0 {
        std::process::exit(status);
    }
}

/// Heap arenas of the process. glibc gives threads that allocate at the same time arenas of
/// their own (up to 8 per core) and never lends one arena's free memory to another, while the
/// write stage frees on one thread what another built: at 10,000 documents (--jobs 2) the
/// peak RSS was 172 MiB for ~100 MiB of heap; two arenas: 154 MiB. One arena gave 138 MiB,
/// but its two workers share one lock (that run's process stage took 141 s against 96 s on a
/// busy machine, not confirmed on a quiet one).
const MALLOC_ARENAS: i32 = 2;

/// Set before any thread starts (the binary only: the Python package's host process keeps its own).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn limit_malloc_arenas() {
    // SAFETY: mallopt sets one allocator parameter; no allocation is in flight on another thread.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, MALLOC_ARENAS);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn limit_malloc_arenas() {}
