//! `paysandbox clock`: read, set (frozen), advance, or back to wall time.

use super::Target;
use super::client::{CliError, Sandbox, print_answer};
use clap::{Args, Subcommand};
use serde_json::json;

#[derive(Debug, Clone, Args)]
pub struct ClockArgs {
    #[command(subcommand)]
    pub change: Option<ClockChange>,
    #[command(flatten)]
    pub target: Target,
}

#[derive(Debug, Clone, Subcommand)]
pub enum ClockChange {
    /// Print the clock (the default).
    Show,
    /// Freeze the clock at an RFC 3339 instant, e.g. 2026-01-31T23:59:00+05:30.
    Set {
        #[arg(value_name = "TIME")]
        time: String,
    },
    /// Move the clock by an ISO-8601 duration, e.g. P1D or PT90M.
    Advance {
        #[arg(value_name = "DURATION")]
        duration: String,
    },
    /// Back to wall time with no offset.
    Real,
}

pub async fn run(args: ClockArgs) -> Result<(), CliError> {
    let sandbox = Sandbox::new(&args.target)?;
    let body = match args.change.unwrap_or(ClockChange::Show) {
        ClockChange::Show => {
            print_answer(&sandbox.get("/clock", &[]).await?);
            return Ok(());
        }
        ClockChange::Set { time } => json!({"set": time}),
        ClockChange::Advance { duration } => json!({"advance": duration}),
        ClockChange::Real => json!({"real": true}),
    };
    print_answer(&sandbox.post_json("/clock", Some(&body)).await?);
    Ok(())
}
