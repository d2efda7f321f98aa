//! PayPro's response codes (the document's table "Response codes with description") and the
//! failure envelope: `[{"Status":"NN"},{"Description":"..."}]`. Each failure carries its
//! diagnosis (the `Status` as the outcome's code) beside the answer, never in it.

use super::diagnoses;
use crate::db::DbError;
use crate::diagnosis::{Diagnosis, Outcome};
use axum::Json;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

/// A `Status` code as the document's table lists it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Code {
    /// `00` Success.
    Success,
    /// `01` "Order Already Exist"; the later sections use it for any refused request
    /// (`Invalid Format`, credential failures outside `co`/`cmo`, a refused change).
    Rejected,
    /// `02` Service Fail.
    ServiceFail,
    /// `03` Invalid Data (and "No data available").
    InvalidData,
    /// `04` User not Authorized (credential failures on `co`/`cmo`).
    NotAuthorized,
}

impl Code {
    /// The code as it is sent: `"00"` ... `"04"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::Success => "00",
            Code::Rejected => "01",
            Code::ServiceFail => "02",
            Code::InvalidData => "03",
            Code::NotAuthorized => "04",
        }
    }
}

/// A failure that is not a per-item list: `[{"Status":"NN"},{"Description":"..."}]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    pub code: Code,
    pub description: String,
    /// A diagnosis more precise than the description tells (set by whoever knows the
    /// field and value); without it, the rule the description names.
    pub diagnosis: Option<Box<Diagnosis>>,
}

impl Failure {
    pub fn new(code: Code, description: impl Into<String>) -> Self {
        Failure {
            code,
            description: description.into(),
            diagnosis: None,
        }
    }

    /// The same answer, diagnosed as `diagnosis` says.
    pub fn with(mut self, diagnosis: Diagnosis) -> Self {
        self.diagnosis = Some(Box::new(diagnosis));
        self
    }

    /// Its diagnosis, with the code it answers.
    pub fn diagnosis(&self) -> Diagnosis {
        self.diagnosis
            .as_deref()
            .cloned()
            .unwrap_or_else(|| diagnoses::of_description(&self.description))
            .code(self.code.as_str())
    }

    /// `03`, for invalid data.
    pub fn invalid(description: impl Into<String>) -> Self {
        Failure::new(Code::InvalidData, description)
    }

    pub fn no_data() -> Self {
        Failure::new(Code::InvalidData, "No data available")
    }

    pub fn service_fail() -> Self {
        Failure::new(Code::ServiceFail, "Service Fail")
    }

    /// `01` `Invalid Format`: the payload or a parameter cannot be read.
    pub fn invalid_format() -> Self {
        Failure::new(Code::Rejected, "Invalid Format")
    }

    pub fn body(&self) -> Value {
        json!([{"Status": self.code.as_str()}, {"Description": self.description}])
    }
}

impl From<DbError> for Failure {
    fn from(error: DbError) -> Self {
        tracing::error!(%error, "paypro: database error");
        Failure::service_fail()
    }
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        Outcome::refused(self.diagnosis()).on(Json(self.body()).into_response())
    }
}
