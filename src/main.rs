//! windvane's binary: parse the command line, set up logging, run the command, map errors to
//! exit codes (0 ok, 1 runtime failure, 2 bad config or usage).

use clap::Parser;
use tracing_subscriber::EnvFilter;
use windvane::cli::{self, Cli, LogFormat};

fn main() {
    let cli = Cli::parse();
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("windvane=info,warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match cli.log_format {
        LogFormat::Json => builder.json().init(),
        LogFormat::Text => builder.init(),
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            std::process::exit(cli::EXIT_FAILURE);
        }
    };
    let code = match runtime.block_on(cli::dispatch(cli)) {
        Ok(code) => code,
        // A reader that stopped reading (`| head`) is not a failure of the command.
        Err(exit) if exit.error.as_ref().is_some_and(cli::is_broken_pipe) => cli::EXIT_OK,
        Err(exit) => {
            if let Some(e) = exit.error {
                eprintln!("error: {e:#}");
            }
            exit.code
        }
    };
    std::process::exit(code);
}
