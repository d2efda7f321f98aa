//! The rules the front applies before any endpoint sees a request: paths, methods, sizes,
//! malformed HTTP and fault rules. Their codes are HTTP statuses (the provider's envelope
//! carries its own message).

use super::Rule;

pub const PATH_UNKNOWN: Rule = Rule {
    id: "sandbox.path.unknown",
    code: "404",
    doc: "sandbox.md: Where each provider lives",
    summary: "The path is no documented endpoint of the provider whose prefix it is under.",
    hint: "Check the path against the document; the closest endpoints are in `expected`.",
};

pub const PATH_OTHER_PROVIDER: Rule = Rule {
    id: "sandbox.path.other_provider",
    code: "404",
    doc: "sandbox.md: Where each provider lives",
    summary: "The endpoint exists, but under another provider's prefix.",
    hint: "Send it under the prefix of the provider named in `expected`.",
};

pub const METHOD_NOT_ALLOWED: Rule = Rule {
    id: "sandbox.method.not_allowed",
    code: "405",
    doc: "sandbox.md: Responses: HTTP status",
    summary: "The endpoint exists but does not take this HTTP method.",
    hint: "Use one of the methods in `expected` (the `Allow` header says the same).",
};

pub const BODY_TOO_LARGE: Rule = Rule {
    id: "sandbox.body.too_large",
    code: "413",
    doc: "sandbox.md: Bad input",
    summary: "The request body is over the sandbox's `--max-body` limit.",
    hint: "Send a smaller body, or start the sandbox with a larger `--max-body`.",
};

pub const HTTP_MALFORMED: Rule = Rule {
    id: "sandbox.http.malformed",
    code: "400",
    doc: "sandbox.md: Bad input",
    summary: "The request is not well-formed HTTP/1.1 (head, framing or target).",
    hint: "Check the request line and headers your HTTP client sends; `got` names the problem.",
};

pub const FAULT_ERROR: Rule = Rule {
    id: "sandbox.fault.error",
    code: "fault",
    doc: "sandbox.md: Faults",
    summary: "A fault rule answered in the provider's place with its outage answer.",
    hint: "A fault rule you (or a teammate) added fired; list them at /__sandbox/faults.",
};

pub const FAULT_DROP: Rule = Rule {
    id: "sandbox.fault.drop",
    code: "dropped",
    doc: "sandbox.md: Faults",
    summary: "A fault rule closed the connection without an answer.",
    hint: "A fault rule you (or a teammate) added fired; list them at /__sandbox/faults.",
};

pub const FAULT_TIMEOUT: Rule = Rule {
    id: "sandbox.fault.timeout",
    code: "timeout",
    doc: "sandbox.md: Faults",
    summary: "A fault rule held the request, then closed the connection without an answer.",
    hint: "A fault rule you (or a teammate) added fired; list them at /__sandbox/faults.",
};

pub const HANDLER_PANIC: Rule = Rule {
    id: "sandbox.internal.panic",
    code: "outage",
    doc: "sandbox.md: Bad input",
    summary: "The sandbox failed inside a handler and answered with the provider's outage body.",
    hint: "This is a sandbox bug: please report it with this request's journal entry.",
};

/// Every rule the front applies, for `GET /__sandbox/rules`.
pub const KERNEL_RULES: &[Rule] = &[
    PATH_UNKNOWN,
    PATH_OTHER_PROVIDER,
    METHOD_NOT_ALLOWED,
    BODY_TOO_LARGE,
    HTTP_MALFORMED,
    FAULT_ERROR,
    FAULT_DROP,
    FAULT_TIMEOUT,
    HANDLER_PANIC,
];
