//! `paysandbox requests`: the request journal, newest first, filtered as the control plane
//! filters it.

use super::Target;
use super::client::{CliError, Sandbox, print_answer};
use clap::Args;

#[derive(Debug, Clone, Args)]
pub struct RequestsArgs {
    /// Only this provider's requests.
    #[arg(long)]
    pub provider: Option<String>,
    /// Only requests whose path contains this text.
    #[arg(long)]
    pub path: Option<String>,
    /// Only requests answered with this provider result code (`00`, `HASH-MISMATCH`) or HTTP
    /// status (`401`).
    #[arg(long)]
    pub code: Option<String>,
    /// Only requests at or after this instant (RFC 3339).
    #[arg(long)]
    pub since: Option<String>,
    /// At most this many entries (the sandbox's default is 100).
    #[arg(long)]
    pub limit: Option<usize>,
    #[command(flatten)]
    pub target: Target,
}

pub async fn run(args: RequestsArgs) -> Result<(), CliError> {
    let sandbox = Sandbox::new(&args.target)?;
    let query: Vec<(&str, String)> = [
        ("provider", args.provider),
        ("path", args.path),
        ("code", args.code),
        ("since", args.since),
        ("limit", args.limit.map(|l| l.to_string())),
    ]
    .into_iter()
    .filter_map(|(name, value)| value.map(|v| (name, v)))
    .collect();
    print_answer(&sandbox.get("/requests", &query).await?);
    Ok(())
}
