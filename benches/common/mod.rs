//! What the benches that run the binary share: the machine's load and the runs' CPU time.

/// The 1, 5 and 15 minute load averages, as /proc/loadavg gives them.
pub fn load_average() -> String {
    let line = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    line.split_whitespace().take(3).collect::<Vec<_>>().join(" ")
}

/// CPU seconds (user and system) of the waited-for children so far: the binary and its readers.
pub fn children_cpu_s() -> f64 {
    // SAFETY: getrusage only writes the struct it is given.
    let mut u: libc::rusage = unsafe { std::mem::zeroed() };
    if unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut u) } != 0 {
        return 0.0;
    }
    let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    secs(u.ru_utime) + secs(u.ru_stime)
}
