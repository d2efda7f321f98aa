//! The `paysandbox` binary: parse the command line, set up logging, serve or check health.

use clap::Parser;
use paysandbox::command_line::{Cli, Command};
use paysandbox::config::{LogFormat, ServeArgs};
use paysandbox::log_output::{BufferedStdout, FlushGuard};
use paysandbox::{Application, StartError};
use std::io::IsTerminal;
use std::process::ExitCode;
use tracing_subscriber::EnvFilter;

// glibc's malloc spent a tenth of a request's CPU in its own bookkeeping (the profiles in
// bench/RESULTS.md: malloc_consolidate, unlink_chunk); mimalloc's thread-local pages do not.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Healthcheck(args)) => {
            if runtime().block_on(paysandbox::healthcheck::check(args.port)) {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        Some(Command::Report(args)) => match runtime().block_on(paysandbox::report::run_cli(&args))
        {
            Ok(true) => ExitCode::SUCCESS,
            Ok(false) => ExitCode::FAILURE,
            Err(error) => {
                eprintln!("paysandbox report: {error:#}");
                ExitCode::from(2)
            }
        },
        Some(Command::Control(command)) => paysandbox::cli::run(command),
        Some(Command::Serve(args)) => serve(args),
        None => serve(cli.serve),
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

fn serve(args: ServeArgs) -> ExitCode {
    let log_writer = init_tracing(args.log_format);
    raise_open_file_limit();
    let runtime = runtime();
    let code = runtime.block_on(run(args));
    // The runtime goes first, so what its tasks log while they stop is still written; then
    // the writer's guard, which writes every line still buffered before the process exits.
    drop(runtime);
    drop(log_writer);
    code
}

async fn run(args: ServeArgs) -> ExitCode {
    let app = match Application::build(args).await {
        Ok(app) => app,
        Err(e) => {
            match &e {
                StartError::Fixtures(_) => tracing::error!("{e}"),
                StartError::Other(cause) => tracing::error!("cannot start: {cause:#}"),
            }
            eprintln!("paysandbox: {e}");
            return ExitCode::FAILURE;
        }
    };
    tracing::info!(
        fixtures = %app.start_fixtures().summary(),
        address = %app.local_addr(),
        "paysandbox listening"
    );
    match app.run_until(shutdown_signal()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!(error = %e, "server failed");
            ExitCode::FAILURE
        }
    }
}

/// Raises the soft open-file limit to the hard one (many servers do), since every connection
/// takes a file descriptor; the connection cap is then derived from the raised limit.
fn raise_open_file_limit() {
    match rlimit::increase_nofile_limit(u64::MAX) {
        Ok(limit) => tracing::debug!(limit, "open-file limit"),
        Err(e) => tracing::warn!(error = %e, "cannot raise the open-file limit"),
    }
}

/// Logs to stdout through a buffer ([`paysandbox::log_output`]). The returned guard must
/// live until the end: dropping it writes what is still buffered.
fn init_tracing(format: LogFormat) -> FlushGuard {
    let (writer, guard) = BufferedStdout::start();
    if !colours() {
        paysandbox::log_output::write_request_lines_to(writer.clone(), format == LogFormat::Json);
    }
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer)
        .with_ansi(colours());
    match format {
        LogFormat::Json => builder.json().flatten_event(true).init(),
        LogFormat::Text => builder.init(),
    }
    guard
}

/// Colours only on a terminal, and not there either when `NO_COLOR` is set (non-empty).
fn colours() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Ctrl-C or SIGTERM (what `docker stop` sends).
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
