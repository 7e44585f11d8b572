//! The `newsevents` command line: a thin shell over the library.

mod cli;

use clap::Parser;

fn main() -> std::process::ExitCode {
    newsevents::memory::keep_freed_memory();
    let args = cli::Cli::parse();
    if let Some(threads) = args.threads {
        cli::set_threads(threads);
    }
    match cli::run(args) {
        Ok(code) => code,
        // The reader went away (`newsevents extract ... | head`): a normal end, as in ripgrep.
        Err(e) if is_broken_pipe(&e) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            // `{:#}` prints each cause of the chain once: no error interpolates its source.
            eprintln!("error: {e:#}");
            std::process::ExitCode::from(2)
        }
    }
}

/// Whether any cause in the chain is a closed pipe.
fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
