//! Why the sandbox answered as it did: the catalogue of rules a refusal can come from, the
//! diagnosis a handler attaches to its answer, and the documented outcomes of each endpoint
//! that the integration report counts.
//!
//! The provider's answer never changes: a handler (or the front, for refusals no endpoint
//! saw) puts an [`Outcome`] into the response's extensions; the front takes it out before the
//! answer is sent and keeps it in the journal entry, the log line and the report's counters.

pub mod kernel_rules;
pub mod near_miss;

pub use kernel_rules::KERNEL_RULES;

use axum::response::Response;
use serde::Serialize;
use std::borrow::Cow;

/// `rule!(NAME, "id", "code", doc, "summary", "hint")`: a slice's rule as a `pub const`,
/// one line a field, as its catalogue lists them.
macro_rules! rule {
    ($name:ident, $id:literal, $code:literal, $doc:expr, $summary:literal, $hint:literal) => {
        pub const $name: $crate::diagnosis::Rule = $crate::diagnosis::Rule {
            id: $id,
            code: $code,
            doc: $doc,
            summary: $summary,
            hint: $hint,
        };
    };
}
pub(crate) use rule;

/// One reason a request can be refused, with a stable id integrators can search for.
#[derive(Debug, Clone, Copy, Serialize, utoipa::ToSchema)]
pub struct Rule {
    /// Stable, dotted: `<provider>.<area>.<what>` (`sandbox.path.unknown`).
    pub id: &'static str,
    /// The code (or message) the provider answers with when this rule refuses.
    pub code: &'static str,
    /// The section of the provider's document that states the rule.
    pub doc: &'static str,
    /// What the rule checks, in one sentence.
    pub summary: &'static str,
    /// What to do about it, in one sentence (a diagnosis may give a more precise one).
    pub hint: &'static str,
}

impl Rule {
    /// A diagnosis of this rule with its own code and hint; add what applies.
    pub fn diagnose(&'static self) -> Diagnosis {
        Diagnosis {
            rule: self.id,
            code: Cow::Borrowed(self.code),
            field: None,
            expected: None,
            got: None,
            hint: Cow::Borrowed(self.hint),
            doc: self.doc,
        }
    }
}

/// Why one request was refused. Secrets are masked by whoever builds it (the values it shows
/// are the ones a provider reads as secrets only as `***`).
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Diagnosis {
    pub rule: &'static str,
    /// The code the provider answered with (`HASH-MISMATCH`, `03`, `58`, `401`).
    #[schema(value_type = String)]
    pub code: Cow<'static, str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub got: Option<String>,
    #[schema(value_type = String)]
    pub hint: Cow<'static, str>,
    pub doc: &'static str,
}

impl Diagnosis {
    pub fn code(mut self, code: impl Into<Cow<'static, str>>) -> Self {
        self.code = code.into();
        self
    }

    pub fn field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    pub fn expected(mut self, expected: impl Into<String>) -> Self {
        self.expected = Some(expected.into());
        self
    }

    pub fn got(mut self, got: impl Into<String>) -> Self {
        self.got = Some(got.into());
        self
    }

    pub fn hint(mut self, hint: impl Into<Cow<'static, str>>) -> Self {
        self.hint = hint.into();
        self
    }
}

/// A fact a handler noted about a request for the report's lint rules (the order number, the
/// batch id), by name.
pub type Fact = (&'static str, String);

/// How one request ended, as the provider's code says, and why when it was refused.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// The provider's result code or message (`00`, `SUCCESS`, `HASH-MISMATCH`, `58`).
    pub code: Cow<'static, str>,
    pub diagnosis: Option<Box<Diagnosis>>,
    pub facts: Vec<Fact>,
}

impl Outcome {
    pub fn success(code: impl Into<Cow<'static, str>>) -> Self {
        Outcome {
            code: code.into(),
            diagnosis: None,
            facts: Vec::new(),
        }
    }

    pub fn refused(diagnosis: Diagnosis) -> Self {
        Outcome {
            code: diagnosis.code.clone(),
            diagnosis: Some(Box::new(diagnosis)),
            facts: Vec::new(),
        }
    }

    /// Facts only: the front fills in the endpoint's documented success as the code.
    pub fn noting(name: &'static str, value: impl Into<String>) -> Self {
        Outcome::default().fact(name, value)
    }

    pub fn fact(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.facts.push((name, value.into()));
        self
    }

    /// Puts the outcome on an answer, adding to the facts one already there (a handler may
    /// note facts before the error type sets the code).
    pub fn attach(mut self, response: &mut Response) {
        if let Some(earlier) = response.extensions_mut().remove::<Outcome>() {
            let mut facts = earlier.facts;
            facts.append(&mut self.facts);
            self.facts = facts;
        }
        response.extensions_mut().insert(self);
    }

    /// Puts the outcome on an answer and gives the answer back.
    pub fn on(self, mut response: Response) -> Response {
        self.attach(&mut response);
        response
    }
}

/// An outcome the provider's document defines for one endpoint: its success, or one of the
/// error codes (or messages) it lists.
#[derive(Debug, Clone, Copy, Serialize, utoipa::ToSchema)]
pub struct DocumentedOutcome {
    pub code: &'static str,
    /// What it means, as the document says.
    pub meaning: &'static str,
}

/// A lint finding over the recorded traffic: a habit that works against the sandbox but
/// would hurt against the real provider.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Finding {
    pub rule: &'static str,
    pub provider: &'static str,
    /// The requests that show it, oldest first.
    pub requests: Vec<u64>,
    pub hint: String,
}

pub use crate::journal::Traffic;
