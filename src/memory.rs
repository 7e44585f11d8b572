//! How the process allocates: settings of glibc's allocator for the tensor-heavy workload.

/// Keeps freed memory in the process for reuse; call it first thing in `main`, before any
/// thread starts. Training and inference allocate and free tensors of tens of megabytes at a
/// high rate; glibc gives those back to the kernel each time, and the fresh pages it faults in
/// again cost 40% of a training step (measured with perf on PolNeAR windows) and 8% of an
/// inference pass.
///
/// Only on Linux with glibc (`target_env = "gnu"`), whose `mallopt` this calls. Elsewhere
/// (macOS, musl, Windows) it does nothing: the crate builds and runs there with the system
/// allocator's defaults, and loses that speed-up (the 40% and 8% above were measured on glibc;
/// other allocators were not measured).
pub fn keep_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes allocator parameters; callers call this before any other
    // thread starts.
    unsafe {
        libc::mallopt(libc::M_MMAP_MAX, 0);
        libc::mallopt(libc::M_TRIM_THRESHOLD, -1);
        libc::mallopt(libc::M_TOP_PAD, 1 << 30);
        libc::mallopt(libc::M_ARENA_MAX, 1);
    }
}
