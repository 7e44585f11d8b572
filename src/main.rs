//! The `newsevents` command line: a thin shell over the library.

mod cli;

use clap::Parser;

/// Keeps freed memory in the process for reuse. Training allocates and frees tensors of tens of
/// megabytes at a high rate; glibc gives those back to the kernel each time, and the fresh pages
/// it faults in again cost 40% of a training step (measured with perf on PolNeAR windows).
fn keep_freed_memory() {
    // SAFETY: mallopt only changes allocator parameters; called before any other thread starts.
    unsafe {
        libc::mallopt(libc::M_MMAP_MAX, 0);
        libc::mallopt(libc::M_TRIM_THRESHOLD, -1);
        libc::mallopt(libc::M_TOP_PAD, 1 << 30);
        libc::mallopt(libc::M_ARENA_MAX, 1);
    }
}

fn main() -> std::process::ExitCode {
    keep_freed_memory();
    let args = cli::Cli::parse();
    if let Some(threads) = args.threads {
        cli::set_threads(threads);
    }
    match cli::run(args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::from(2)
        }
    }
}
