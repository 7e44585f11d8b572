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
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::from(2)
        }
    }
}
