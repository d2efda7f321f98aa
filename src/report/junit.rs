//! The report as JUnit XML, for a CI job's test view: one `testsuite` per provider, one
//! `testcase` per documented outcome (not exercised: `skipped`), and each lint finding as a
//! failing `testcase` of the suite `<provider>.lint`.

use super::{ProviderReport, Report};
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};
use std::io;

pub fn write(report: &Report) -> String {
    let mut writer = Writer::new_with_indent(Vec::new(), b' ', 2);
    // Writing into a Vec cannot fail.
    let _ = write_all(&mut writer, report);
    String::from_utf8(writer.into_inner()).unwrap_or_default()
}

fn write_all(writer: &mut Writer<Vec<u8>>, report: &Report) -> io::Result<()> {
    writer.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    let tests: usize = report.providers.iter().map(|p| p.documented).sum();
    writer
        .create_element("testsuites")
        .with_attribute(("name", "paysandbox integration report"))
        .with_attribute(("tests", (tests + report.lint.len()).to_string().as_str()))
        .with_attribute(("failures", report.lint.len().to_string().as_str()))
        .write_inner_content(|writer| {
            for provider in &report.providers {
                suite(writer, provider)?;
                lint_suite(writer, report, provider.provider)?;
            }
            Ok::<(), io::Error>(())
        })?;
    Ok(())
}

fn suite(writer: &mut Writer<Vec<u8>>, provider: &ProviderReport) -> io::Result<()> {
    let skipped = provider.documented - provider.exercised;
    writer
        .create_element("testsuite")
        .with_attribute(("name", provider.provider))
        .with_attribute(("tests", provider.documented.to_string().as_str()))
        .with_attribute(("skipped", skipped.to_string().as_str()))
        .with_attribute(("failures", "0"))
        .write_inner_content(|writer| {
            for endpoint in &provider.endpoints {
                for outcome in &endpoint.outcomes {
                    let name = format!(
                        "{} → {}: {}",
                        endpoint.endpoint, outcome.code, outcome.meaning
                    );
                    let case = writer
                        .create_element("testcase")
                        .with_attribute((
                            "classname",
                            format!("{}.{}", provider.provider, endpoint.endpoint).as_str(),
                        ))
                        .with_attribute(("name", name.as_str()));
                    match outcome.first_request {
                        Some(first) => {
                            let note = format!(
                                "exercised {} time(s), first by request {first}",
                                outcome.count
                            );
                            case.write_inner_content(|writer| {
                                writer
                                    .create_element("system-out")
                                    .write_text_content(BytesText::new(&note))?;
                                Ok::<(), io::Error>(())
                            })?;
                        }
                        None => {
                            case.write_inner_content(|writer| {
                                writer
                                    .create_element("skipped")
                                    .with_attribute(("message", "not exercised"))
                                    .write_empty()?;
                                Ok::<(), io::Error>(())
                            })?;
                        }
                    }
                }
            }
            Ok::<(), io::Error>(())
        })?;
    Ok(())
}

fn lint_suite(writer: &mut Writer<Vec<u8>>, report: &Report, provider: &str) -> io::Result<()> {
    let findings: Vec<_> = report
        .lint
        .iter()
        .filter(|f| f.provider == provider)
        .collect();
    if findings.is_empty() {
        return Ok(());
    }
    writer
        .create_element("testsuite")
        .with_attribute(("name", format!("{provider}.lint").as_str()))
        .with_attribute(("tests", findings.len().to_string().as_str()))
        .with_attribute(("failures", findings.len().to_string().as_str()))
        .write_inner_content(|writer| {
            for finding in &findings {
                let requests: Vec<String> = finding.requests.iter().map(u64::to_string).collect();
                let message = format!("{} (requests {})", finding.hint, requests.join(", "));
                writer
                    .create_element("testcase")
                    .with_attribute(("classname", format!("{provider}.lint").as_str()))
                    .with_attribute(("name", finding.rule))
                    .write_inner_content(|writer| {
                        writer
                            .create_element("failure")
                            .with_attribute(("type", finding.rule))
                            .with_attribute(("message", message.as_str()))
                            .write_text_content(BytesText::new(&message))?;
                        Ok::<(), io::Error>(())
                    })?;
            }
            Ok::<(), io::Error>(())
        })?;
    Ok(())
}
