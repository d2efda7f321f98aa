//! The client examples (`examples/*.py`, `examples/*.php`) against a real sandbox, with each
//! interpreter that is installed (`.ci/examples-check` installs PHP and always runs all eight).

use crate::helpers::spawn_app;
use std::path::Path;
use std::process::Command;

fn installed(interpreter: &str) -> bool {
    Command::new(interpreter)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

#[tokio::test]
async fn every_client_example_passes_against_the_sandbox() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut examples: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| {
            matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("py" | "php")
            )
        })
        .collect();
    examples.sort();
    assert_eq!(
        examples.len(),
        8,
        "one PHP and one Python client per provider"
    );

    let app = spawn_app().await;
    for example in examples {
        let interpreter = match example.extension().and_then(|e| e.to_str()) {
            Some("py") => "python3",
            _ => "php",
        };
        if !installed(interpreter) {
            eprintln!(
                "{interpreter} is not installed: {} not run",
                example.display()
            );
            continue;
        }
        let base = app.base.clone();
        let output = tokio::task::spawn_blocking(move || {
            Command::new(interpreter)
                .arg(&example)
                .arg(&base)
                .output()
                .map(|output| (example, output))
        })
        .await
        .unwrap()
        .unwrap();
        let (example, output) = output;
        assert!(
            output.status.success(),
            "{}: {}{}",
            example.display(),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
}
