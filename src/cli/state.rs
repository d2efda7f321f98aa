//! `paysandbox reset` and `paysandbox state`: the sandbox's whole state.

use super::Target;
use super::client::{CliError, Sandbox, pretty, print_answer};
use clap::Args;
use std::path::PathBuf;

#[derive(Debug, Clone, Args)]
pub struct ResetArgs {
    /// Reset to nothing at all instead of the state right after start.
    #[arg(long)]
    pub empty: bool,
    #[command(flatten)]
    pub target: Target,
}

#[derive(Debug, Clone, Args)]
pub struct StateArgs {
    /// Write the document to this file instead of stdout.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub target: Target,
}

pub async fn reset(args: ResetArgs) -> Result<(), CliError> {
    let sandbox = Sandbox::new(&args.target)?;
    let path = if args.empty {
        "/reset?empty=true"
    } else {
        "/reset"
    };
    print_answer(&sandbox.post_json(path, None).await?);
    Ok(())
}

pub async fn export(args: StateArgs) -> Result<(), CliError> {
    let sandbox = Sandbox::new(&args.target)?;
    let answer = sandbox.get("/state", &[]).await?;
    let Some(out) = args.out else {
        print_answer(&answer);
        return Ok(());
    };
    let document = pretty(&answer.body) + "\n";
    std::fs::write(&out, &document)
        .map_err(|e| CliError::Local(format!("cannot write {}: {e}", out.display())))?;
    eprintln!("wrote {} ({} bytes)", out.display(), document.len());
    Ok(())
}
