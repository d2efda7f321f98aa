//! The command line: `paysandbox` with no subcommand serves, and every serve flag is accepted
//! with or without the `serve` subcommand; beside it the health check, the report and the
//! control-plane commands.

use crate::config::{HealthcheckArgs, ServeArgs};
use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "paysandbox",
    version,
    about = "A self-hosted sandbox emulating payment providers' HTTP APIs (see the README for which)",
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub serve: ServeArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the sandbox (the default when no subcommand is given).
    Serve(ServeArgs),
    /// Exit 0 when http://127.0.0.1:<port>/__sandbox/health answers 200 within 2 s, else 1.
    Healthcheck(HealthcheckArgs),
    /// Print a running sandbox's integration report (`--fail-on lint` exits 1 on findings).
    Report(crate::report::ReportArgs),
    #[command(flatten)]
    Control(crate::cli::ControlCommand),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serve_flags_work_with_and_without_the_subcommand() {
        let bare = Cli::try_parse_from(["paysandbox", "--port", "9000"]).unwrap();
        assert!(bare.command.is_none());
        assert_eq!(bare.serve.port, 9000);

        let sub = Cli::try_parse_from(["paysandbox", "serve", "--port", "9001"]).unwrap();
        match sub.command {
            Some(Command::Serve(args)) => assert_eq!(args.port, 9001),
            other => panic!("expected serve, got {other:?}"),
        }
    }

    #[test]
    fn healthcheck_takes_a_port() {
        let cli = Cli::try_parse_from(["paysandbox", "healthcheck", "--port", "7000"]).unwrap();
        match cli.command {
            Some(Command::Healthcheck(args)) => assert_eq!(args.port, 7000),
            other => panic!("expected healthcheck, got {other:?}"),
        }
    }
}
