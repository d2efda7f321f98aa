//! `paysandbox pay <provider> ARGS...`: act as the customer and pay. Each provider that can
//! describes its own subcommand ([`super::pay_command::PayCommand`]): its arguments and the
//! control-plane action they call, so this module names no provider.

use super::Target;
use super::client::{CliError, Sandbox, print_answer};
use super::pay_command::PayCommand;
use clap::{ArgMatches, Args, FromArgMatches, Subcommand};

#[derive(Debug, Clone, Args)]
pub struct PayArgs {
    #[command(subcommand)]
    pub provider: ChosenProvider,
    #[command(flatten)]
    pub target: Target,
}

/// The provider chosen and the values given to its subcommand.
#[derive(Debug, Clone)]
pub struct ChosenProvider {
    name: String,
    values: Vec<String>,
}

/// The providers with a `pay` subcommand, in their usual order.
fn commands() -> Vec<(&'static str, PayCommand)> {
    crate::catalogue::providers()
        .iter()
        .filter_map(|p| p.pay_command().map(|c| (p.name(), c)))
        .collect()
}

impl FromArgMatches for ChosenProvider {
    fn from_arg_matches(matches: &ArgMatches) -> Result<Self, clap::Error> {
        let missing = || clap::Error::new(clap::error::ErrorKind::MissingSubcommand);
        let (name, given) = matches.subcommand().ok_or_else(missing)?;
        let (_, command) = commands()
            .into_iter()
            .find(|(n, _)| *n == name)
            .ok_or_else(|| clap::Error::new(clap::error::ErrorKind::InvalidSubcommand))?;
        let values = command
            .args
            .iter()
            .map(|(arg, _)| given.get_one::<String>(arg).cloned().unwrap_or_default())
            .collect();
        Ok(ChosenProvider {
            name: name.to_string(),
            values,
        })
    }

    fn update_from_arg_matches(&mut self, matches: &ArgMatches) -> Result<(), clap::Error> {
        *self = Self::from_arg_matches(matches)?;
        Ok(())
    }
}

impl Subcommand for ChosenProvider {
    fn augment_subcommands(command: clap::Command) -> clap::Command {
        let mut command = command.subcommand_required(true);
        for (name, pay) in commands() {
            let mut sub = clap::Command::new(name).about(pay.about);
            for (arg, help) in pay.args {
                sub = sub.arg(clap::Arg::new(*arg).required(true).help(*help));
            }
            command = command.subcommand(sub);
        }
        command
    }

    fn augment_subcommands_for_update(command: clap::Command) -> clap::Command {
        Self::augment_subcommands(command)
    }

    fn has_subcommand(name: &str) -> bool {
        commands().iter().any(|(n, _)| *n == name)
    }
}

pub async fn run(args: PayArgs) -> Result<(), CliError> {
    let sandbox = Sandbox::new(&args.target)?;
    let commands = commands();
    let (name, command) = commands
        .iter()
        .find(|(n, _)| *n == args.provider.name)
        .ok_or_else(|| CliError::Local(format!("no pay command for {}", args.provider.name)))?;
    let (path, body) = (command.call)(&args.provider.values);
    let answer = sandbox
        .post_json(&format!("/{name}{path}"), body.as_ref())
        .await?;
    print_answer(&answer);
    Ok(())
}
