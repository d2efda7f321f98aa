//! What a provider tells `paysandbox pay` of its own subcommand (a type the provider slices
//! fill in, kept apart from the command line that reads it).

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde_json::Value;

/// A provider's `pay` subcommand.
pub struct PayCommand {
    /// One line for `--help`.
    pub about: &'static str,
    /// Its positional arguments, in order: (value name, help).
    pub args: &'static [(&'static str, &'static str)],
    /// From the argument values (as many as `args`): the action's path under
    /// `/__sandbox/<provider>` and its JSON body, if any. Values in the path go through
    /// [`path_segment`].
    pub call: fn(&[String]) -> (String, Option<Value>),
}

/// A value percent-encoded for one path segment.
pub fn path_segment(value: &str) -> String {
    const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.');
    utf8_percent_encode(value, SEGMENT).to_string()
}
