//! `paysandbox report`: prints a running sandbox's integration report, for a CI step, and
//! exits non-zero on lint findings when asked (`--fail-on lint`).

use anyhow::{Context, bail};
use http_body_util::{BodyExt, Empty};
use hyper::Request;
use hyper::body::Bytes;
use hyper_util::rt::TokioIo;

/// The header the report's answer counts its lint findings in.
pub const LINT_HEADER: &str = "x-sandbox-lint-findings";

#[derive(Debug, Clone, clap::Args)]
pub struct ReportArgs {
    /// The sandbox's base URL (plain HTTP), as the control-plane commands take it.
    #[arg(long, env = "PAYSANDBOX_URL", default_value = "http://localhost:8080")]
    pub url: String,
    /// json, junit or markdown.
    #[arg(long, default_value = "markdown")]
    pub format: String,
    /// Only this provider.
    #[arg(long)]
    pub provider: Option<String>,
    /// Only traffic at or after this instant (RFC 3339).
    #[arg(long)]
    pub since: Option<String>,
    /// `lint`: exit with status 1 when the report has lint findings.
    #[arg(long, value_parser = ["lint"])]
    pub fail_on: Option<String>,
    /// The sandbox's admin token, when it has one (`--token`, as the other commands spell it).
    #[arg(long, alias = "token", env = "ADMIN_TOKEN", hide_env_values = true)]
    pub admin_token: Option<String>,
}

/// Prints the report; Ok(false) when `--fail-on lint` and there were findings.
pub async fn run(args: &ReportArgs) -> anyhow::Result<bool> {
    let base: hyper::Uri = args.url.parse().context("--url is not a URL")?;
    if base.scheme_str().is_some_and(|s| s != "http") {
        bail!("--url must be plain http://");
    }
    let host = base.host().context("--url has no host")?.to_string();
    let port = base.port_u16().unwrap_or(80);
    let mut query = form_urlencoded::Serializer::new(String::new());
    query.append_pair("format", &args.format);
    if let Some(provider) = &args.provider {
        query.append_pair("provider", provider);
    }
    if let Some(since) = &args.since {
        query.append_pair("since", since);
    }
    let prefix = base.path().trim_end_matches('/');
    let target = format!("{prefix}/__sandbox/report?{}", query.finish());

    let stream = tokio::net::TcpStream::connect((host.as_str(), port))
        .await
        .with_context(|| format!("cannot reach {}", args.url))?;
    let (mut sender, connection) =
        hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
    tokio::spawn(connection);
    let mut request = Request::get(target).header("host", format!("{host}:{port}"));
    if let Some(token) = &args.admin_token {
        request = request.header("authorization", format!("Bearer {token}"));
    }
    let response = sender
        .send_request(request.body(Empty::<Bytes>::new())?)
        .await?;
    let status = response.status();
    let findings: usize = response
        .headers()
        .get(LINT_HEADER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let body = response.into_body().collect().await?.to_bytes();
    let text = String::from_utf8_lossy(&body);
    if !status.is_success() {
        bail!("the sandbox answered {status}: {text}");
    }
    print!("{text}");
    if !text.ends_with('\n') {
        println!();
    }
    Ok(!(args.fail_on.is_some() && findings > 0))
}
