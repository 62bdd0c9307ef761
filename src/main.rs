//! The `img2yt` binary: parse, run, turn the outcome into an exit code.

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = img2yt::cli::Cli::parse();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start: {e}");
            return ExitCode::FAILURE;
        }
    };
    let out = img2yt::ui::Out::new(img2yt::ui::OutOptions {
        json: cli.client.json,
        color: false,
        quiet: cli.common.quiet,
        verbose: cli.common.verbose,
    });
    match runtime.block_on(img2yt::app::run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            out.report(&err);
            ExitCode::from(err.exit_code())
        }
    }
}
