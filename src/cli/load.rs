//! `paysandbox load FILE...`: posts fixture files to `/__sandbox/fixtures` one after another,
//! each loaded all or nothing under its own name (errors name the file; `.yaml`/`.yml` are
//! read as YAML). The first refusal stops: files before it stay loaded. A file is streamed
//! from disk, with its progress on stderr when it is large.

use super::Target;
use super::client::{Body, CliError, Sandbox, print_answer};
use super::progress::{self, Upload};
use bytes::Bytes;
use clap::Args;
use http_body_util::{BodyExt, StreamBody};
use hyper::Method;
use hyper::body::Frame;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

/// The size of each piece of a file handed to the connection.
const CHUNK: usize = 64 * 1024;

#[derive(Debug, Clone, Args)]
pub struct LoadArgs {
    /// Fixture files (JSON, or YAML when named *.yaml / *.yml), loaded in this order.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    #[command(flatten)]
    pub target: Target,
}

pub async fn run(args: LoadArgs) -> Result<(), CliError> {
    let sandbox = Sandbox::new(&args.target)?;
    // Every file opened first: a missing one is named before anything is loaded.
    let files = args
        .files
        .iter()
        .map(|path| open(path))
        .collect::<Result<Vec<_>, _>>()?;
    let count = files.len();
    for (index, (name, file, size)) in files.into_iter().enumerate() {
        let yaml = name.ends_with(".yaml") || name.ends_with(".yml");
        let content_type = if yaml {
            "application/yaml"
        } else {
            "application/json"
        };
        let headers = [
            ("content-type", content_type.to_string()),
            ("content-length", size.to_string()),
        ];
        let chunks = Chunks {
            file,
            upload: Upload::new(&name, size),
            done: false,
        };
        let body: Body = StreamBody::new(futures_util::stream::iter(chunks)).boxed_unsync();
        let query = [("name", name.clone())];
        let answer = sandbox
            .call(Method::POST, "/fixtures", &query, body, &headers)
            .await
            .map_err(|e| match e {
                CliError::Refused { status, message } if index > 0 => CliError::Refused {
                    status,
                    message: format!("{message} (the {index} file(s) before it stay loaded)"),
                },
                other => other,
            })?;
        print_answer(&answer);
        progress::file_done(&name, index + 1, count);
    }
    Ok(())
}

/// A file's name (what the sandbox's errors call it), the file, and its size.
fn open(path: &Path) -> Result<(String, File, u64), CliError> {
    let unreadable =
        |e: std::io::Error| CliError::Local(format!("cannot read {}: {e}", path.display()));
    let file = File::open(path).map_err(unreadable)?;
    let metadata = file.metadata().map_err(unreadable)?;
    if metadata.is_dir() {
        return Err(CliError::Local(format!(
            "{} is a folder; name the files in it",
            path.display()
        )));
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    Ok((name, file, metadata.len()))
}

/// A file read piece by piece, counting what was handed over. The reads block: the one
/// connection this process has waits for each piece anyway.
struct Chunks {
    file: File,
    upload: Upload,
    done: bool,
}

impl Iterator for Chunks {
    type Item = Result<Frame<Bytes>, std::io::Error>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let mut buffer = vec![0; CHUNK];
        match self.file.read(&mut buffer) {
            Ok(0) => {
                self.done = true;
                self.upload.finish();
                None
            }
            Ok(n) => {
                buffer.truncate(n);
                self.upload.sent(n as u64);
                Some(Ok(Frame::data(Bytes::from(buffer))))
            }
            Err(e) => {
                self.done = true;
                Some(Err(e))
            }
        }
    }
}
