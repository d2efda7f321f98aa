//! The control-plane CLI: `paysandbox reset | state | load | clock | requests | faults |
//! pay`, each a call to a running sandbox's `/__sandbox` API at `--url` with the admin token.
//!
//! Answers go to stdout (JSON, pretty-printed), messages to stderr. Exit status: 0 done,
//! 1 the sandbox refused (its message is shown), 2 it could not be reached or the command
//! was wrong. The kernel names no provider: `pay` asks each provider for its command
//! ([`crate::providers::Provider::pay_command`]).

mod client;
mod clock;
mod faults;
mod load;
mod pay;
mod progress;
mod requests;
mod state;

pub use client::CliError;
pub mod pay_command;

use clap::{Args, Subcommand};
use std::process::ExitCode;

/// Where the sandbox is and its admin token; accepted after any subcommand.
#[derive(Debug, Clone, Args)]
pub struct Target {
    /// The sandbox's base URL (plain HTTP).
    #[arg(
        long,
        env = "PAYSANDBOX_URL",
        default_value = "http://localhost:8080",
        global = true
    )]
    pub url: String,
    /// The sandbox's admin token, when it has one (the variable the server reads too).
    #[arg(long, env = "ADMIN_TOKEN", hide_env_values = true, global = true)]
    pub token: Option<String>,
}

/// The control-plane subcommands (flattened into the binary's own).
#[derive(Debug, Subcommand)]
pub enum ControlCommand {
    /// Reset a running sandbox to its state right after start (`--empty`: to nothing); also
    /// clears the journal, the clock offset and the fault rules.
    Reset(state::ResetArgs),
    /// Print the whole state as a fixture document (`--out FILE` writes it to a file).
    State(state::StateArgs),
    /// Load fixture files (JSON or YAML) in the order given, each all or nothing; progress
    /// of large files on stderr.
    Load(load::LoadArgs),
    /// Read, set, advance or release the sandbox clock.
    Clock(clock::ClockArgs),
    /// List journaled requests, newest first.
    Requests(requests::RequestsArgs),
    /// Add, list, remove or clear fault rules.
    Faults(faults::FaultsArgs),
    /// Act as the customer and pay: `pay <provider> ...` (`pay --help` lists the providers).
    Pay(pay::PayArgs),
}

impl ControlCommand {
    fn name(&self) -> &'static str {
        match self {
            ControlCommand::Reset(_) => "reset",
            ControlCommand::State(_) => "state",
            ControlCommand::Load(_) => "load",
            ControlCommand::Clock(_) => "clock",
            ControlCommand::Requests(_) => "requests",
            ControlCommand::Faults(_) => "faults",
            ControlCommand::Pay(_) => "pay",
        }
    }
}

/// Runs one command to the end: its exit status, its error on stderr.
pub fn run(command: ControlCommand) -> ExitCode {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let name = command.name();
    let result = runtime.block_on(async move {
        match command {
            ControlCommand::Reset(args) => state::reset(args).await,
            ControlCommand::State(args) => state::export(args).await,
            ControlCommand::Load(args) => load::run(args).await,
            ControlCommand::Clock(args) => clock::run(args).await,
            ControlCommand::Requests(args) => requests::run(args).await,
            ControlCommand::Faults(args) => faults::run(args).await,
            ControlCommand::Pay(args) => pay::run(args).await,
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("paysandbox {name}: {error}");
            ExitCode::from(error.exit_code())
        }
    }
}
