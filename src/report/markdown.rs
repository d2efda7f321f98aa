//! The report as Markdown: a summary line and one table per provider, then the lint findings.

use super::Report;
use std::fmt::Write;

pub fn write(report: &Report) -> String {
    let mut out = String::from("# paysandbox integration report\n\n");
    if let Some(since) = report.since {
        let _ = writeln!(out, "Traffic since {}.\n", since.to_rfc3339());
    }
    for provider in &report.providers {
        let _ = writeln!(
            out,
            "## {}: {} of {} documented outcomes exercised\n",
            provider.provider, provider.exercised, provider.documented
        );
        out.push_str("| endpoint | outcome | meaning | count | first request |\n");
        out.push_str("|---|---|---|---:|---:|\n");
        for endpoint in &provider.endpoints {
            for outcome in endpoint.outcomes.iter().chain(&endpoint.undocumented) {
                let first = outcome
                    .first_request
                    .map_or_else(|| "not exercised".to_string(), |id| id.to_string());
                let _ = writeln!(
                    out,
                    "| {} | `{}` | {} | {} | {} |",
                    endpoint.endpoint,
                    cell(&outcome.code),
                    cell(outcome.meaning),
                    outcome.count,
                    first
                );
            }
        }
        out.push('\n');
    }
    out.push_str("## Lint findings\n\n");
    if report.lint.is_empty() {
        out.push_str("None.\n");
    }
    for finding in &report.lint {
        let requests: Vec<String> = finding.requests.iter().map(u64::to_string).collect();
        let _ = writeln!(
            out,
            "- `{}` ({}): {} Requests: {}.",
            finding.rule,
            finding.provider,
            finding.hint,
            requests.join(", ")
        );
    }
    out
}

/// A table cell: a pipe or a line break would end the cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}
