//! `paysandbox faults`: add, list, remove and clear fault rules.

use super::Target;
use super::client::{CliError, Sandbox, print_answer};
use clap::{Args, Subcommand};
use serde_json::{Map, Value, json};

#[derive(Debug, Clone, Args)]
pub struct FaultsArgs {
    #[command(subcommand)]
    pub action: FaultsAction,
    #[command(flatten)]
    pub target: Target,
}

#[derive(Debug, Clone, Subcommand)]
pub enum FaultsAction {
    /// Add a rule; it prints the rule as stored (with its id and seed).
    Add(AddArgs),
    /// List the rules with how often each fired.
    List,
    /// Remove one rule by its id.
    Remove {
        #[arg(value_name = "ID")]
        id: u64,
    },
    /// Remove every rule.
    Clear,
}

#[derive(Debug, Clone, Args)]
pub struct AddArgs {
    /// The provider whose requests the rule acts on.
    #[arg(long)]
    pub provider: String,
    /// Only this endpoint (its name as fault rules and the journal spell it).
    #[arg(long)]
    pub endpoint: Option<String>,
    /// latency, error, drop or timeout.
    #[arg(long, value_parser = ["latency", "error", "drop", "timeout"])]
    pub kind: String,
    /// For latency: milliseconds, or MIN,MAX for a uniform draw between them.
    #[arg(long, value_name = "MS|MIN,MAX")]
    pub latency_ms: Option<String>,
    /// For error: answer with this HTTP status instead of the provider's 200.
    #[arg(long)]
    pub status: Option<u16>,
    /// Fire on the next N matching requests only.
    #[arg(long)]
    pub count: Option<u32>,
    /// Fire on each matching request with this probability (0 to 1).
    #[arg(long)]
    pub probability: Option<f64>,
    /// Seed of the rule's generator, for a repeatable pattern.
    #[arg(long)]
    pub seed: Option<u64>,
    /// For timeout: how long to hold the request before closing the connection.
    #[arg(long)]
    pub hold_ms: Option<u64>,
}

pub async fn run(args: FaultsArgs) -> Result<(), CliError> {
    let sandbox = Sandbox::new(&args.target)?;
    let answer = match args.action {
        FaultsAction::Add(rule) => {
            let body = rule_body(rule)?;
            sandbox.post_json("/faults", Some(&body)).await?
        }
        FaultsAction::List => sandbox.get("/faults", &[]).await?,
        FaultsAction::Remove { id } => sandbox.delete(&format!("/faults/{id}")).await?,
        FaultsAction::Clear => sandbox.delete("/faults").await?,
    };
    print_answer(&answer);
    Ok(())
}

/// The rule as the control plane takes it: only the fields given.
fn rule_body(rule: AddArgs) -> Result<Value, CliError> {
    let mut body = Map::new();
    body.insert("provider".into(), json!(rule.provider));
    body.insert("kind".into(), json!(rule.kind));
    let latency = rule.latency_ms.as_deref().map(latency).transpose()?;
    let optional = [
        ("endpoint", rule.endpoint.map(Value::from)),
        ("latency_ms", latency),
        ("status", rule.status.map(Value::from)),
        ("count", rule.count.map(Value::from)),
        ("probability", rule.probability.map(Value::from)),
        ("seed", rule.seed.map(Value::from)),
        ("hold_ms", rule.hold_ms.map(Value::from)),
    ];
    for (name, value) in optional {
        if let Some(value) = value {
            body.insert(name.into(), value);
        }
    }
    Ok(Value::Object(body))
}

/// `250` or `100,500`.
fn latency(text: &str) -> Result<Value, CliError> {
    let number = |part: &str| {
        part.trim().parse::<u64>().map_err(|_| {
            CliError::Local(format!(
                "--latency-ms `{text}` is not milliseconds (250) or MIN,MAX (100,500)"
            ))
        })
    };
    match text.split_once(',') {
        Some((min, max)) => Ok(json!([number(min)?, number(max)?])),
        None => Ok(json!(number(text)?)),
    }
}
