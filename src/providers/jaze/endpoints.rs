//! The document's eight endpoints (S1–S8), the one list the router and `endpoints()` derive
//! from. Each is served bare and with each leading run of its path parameters
//! (`get_payment_details`, `get_payment_details/{userId}`), `GET` and `POST` alike: the
//! parameters may come from the query instead.

use super::handlers::{logs, payments, receipt};
use crate::diagnosis::DocumentedOutcome;
use crate::providers::endpoint;
use crate::state::AppState;
use axum::handler::Handler;
use axum::routing::{MethodRouter, get};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Endpoint {
    /// S1
    PaymentIds,
    /// S2
    Details,
    /// S3
    DetailsByDate,
    /// S4
    DetailsByUserAndDate,
    /// S5
    Logs,
    /// S6
    LogsByDate,
    /// S7
    LogsByUserAndDate,
    /// S8
    Receipt,
}

impl Endpoint {
    /// The endpoint a request path names: its first segment that is an endpoint's name.
    pub fn of_path(path: &str) -> Option<Endpoint> {
        path.split('/').find_map(|segment| {
            <Endpoint as endpoint::Endpoint>::ALL
                .iter()
                .copied()
                .find(|e| endpoint::Endpoint::name(*e) == segment)
        })
    }

    /// Its paths: bare, then with each leading run of its path parameters.
    pub fn paths(self) -> &'static [&'static str] {
        match self {
            Endpoint::PaymentIds => &[
                "/api/v1/get_all_payment_ids",
                "/api/v1/get_all_payment_ids/{fromDate}",
                "/api/v1/get_all_payment_ids/{fromDate}/{toDate}",
            ],
            Endpoint::Details => &[
                "/api/v1/get_payment_details",
                "/api/v1/get_payment_details/{userId}",
            ],
            Endpoint::DetailsByDate => &[
                "/api/v1/get_payment_details_by_date",
                "/api/v1/get_payment_details_by_date/{fromDate}",
                "/api/v1/get_payment_details_by_date/{fromDate}/{toDate}",
            ],
            Endpoint::DetailsByUserAndDate => &[
                "/api/v1/get_payment_details_by_userid_and_date",
                "/api/v1/get_payment_details_by_userid_and_date/{userId}",
                "/api/v1/get_payment_details_by_userid_and_date/{userId}/{fromDate}",
                "/api/v1/get_payment_details_by_userid_and_date/{userId}/{fromDate}/{toDate}",
            ],
            Endpoint::Logs => &[
                "/api/v1/get_payment_logs",
                "/api/v1/get_payment_logs/{userId}",
            ],
            Endpoint::LogsByDate => &[
                "/api/v1/get_payment_logs_by_date",
                "/api/v1/get_payment_logs_by_date/{fromDate}",
                "/api/v1/get_payment_logs_by_date/{fromDate}/{toDate}",
            ],
            Endpoint::LogsByUserAndDate => &[
                "/api/v1/get_payment_logs_by_userid_and_date",
                "/api/v1/get_payment_logs_by_userid_and_date/{userId}",
                "/api/v1/get_payment_logs_by_userid_and_date/{userId}/{fromDate}",
                "/api/v1/get_payment_logs_by_userid_and_date/{userId}/{fromDate}/{toDate}",
            ],
            Endpoint::Receipt => &[
                "/api/v1/get_payment_receipt",
                "/api/v1/get_payment_receipt/{userId}",
                "/api/v1/get_payment_receipt/{userId}/{paymentId}",
            ],
        }
    }

    /// The path parameters, in path order (those of its longest path).
    pub fn parameters(self) -> impl Iterator<Item = &'static str> {
        let longest = self.paths().last().copied().unwrap_or_default();
        longest
            .split('/')
            .filter_map(|s| s.strip_prefix('{')?.strip_suffix('}'))
    }
}

/// The document lists no error codes: the success is HTTP 200 (S8's `errorCode` 200), the
/// failures are the project spec's (`jaze.md`, "Requests"), by `errorCode`.
const OK: DocumentedOutcome = DocumentedOutcome {
    code: "200",
    meaning: "Success (HTTP 200; S8's errorCode 200)",
};
const UNAUTHORIZED: DocumentedOutcome = DocumentedOutcome {
    code: "401",
    meaning: "Unauthorized: API Token / API Key missing or wrong (HTTP 401)",
};
const BAD_DATE: DocumentedOutcome = DocumentedOutcome {
    code: "400",
    meaning: "Bad request: a date not yyyy-mm-dd, a missing date, fromDate after toDate",
};
const BAD_USER_OR_DATE: DocumentedOutcome = DocumentedOutcome {
    code: "400",
    meaning: "Bad request: userId missing or not numeric, a bad or missing date",
};
const BAD_USER: DocumentedOutcome = DocumentedOutcome {
    code: "400",
    meaning: "Bad request: userId missing or not numeric",
};
const BAD_IDS: DocumentedOutcome = DocumentedOutcome {
    code: "400",
    meaning: "Bad request: userId or paymentId missing or not numeric",
};
const NO_USER: DocumentedOutcome = DocumentedOutcome {
    code: "404",
    meaning: "User not found",
};
const NO_USER_OR_PAYMENT: DocumentedOutcome = DocumentedOutcome {
    code: "404",
    meaning: "User not found / Payment not found",
};
const INTERNAL: DocumentedOutcome = DocumentedOutcome {
    code: "500",
    meaning: "Internal Server Error (userId 500 always)",
};

impl endpoint::Endpoint for Endpoint {
    const ALL: &'static [Self] = &[
        Endpoint::PaymentIds,
        Endpoint::Details,
        Endpoint::DetailsByDate,
        Endpoint::DetailsByUserAndDate,
        Endpoint::Logs,
        Endpoint::LogsByDate,
        Endpoint::LogsByUserAndDate,
        Endpoint::Receipt,
    ];

    fn name(self) -> &'static str {
        match self {
            Endpoint::PaymentIds => "get_all_payment_ids",
            Endpoint::Details => "get_payment_details",
            Endpoint::DetailsByDate => "get_payment_details_by_date",
            Endpoint::DetailsByUserAndDate => "get_payment_details_by_userid_and_date",
            Endpoint::Logs => "get_payment_logs",
            Endpoint::LogsByDate => "get_payment_logs_by_date",
            Endpoint::LogsByUserAndDate => "get_payment_logs_by_userid_and_date",
            Endpoint::Receipt => "get_payment_receipt",
        }
    }

    fn outcomes(self) -> &'static [DocumentedOutcome] {
        match self {
            Endpoint::PaymentIds | Endpoint::DetailsByDate | Endpoint::LogsByDate => {
                &[OK, UNAUTHORIZED, BAD_DATE, INTERNAL]
            }
            Endpoint::Details | Endpoint::Logs => &[OK, UNAUTHORIZED, BAD_USER, NO_USER, INTERNAL],
            Endpoint::DetailsByUserAndDate | Endpoint::LogsByUserAndDate => {
                &[OK, UNAUTHORIZED, BAD_USER_OR_DATE, NO_USER, INTERNAL]
            }
            Endpoint::Receipt => &[OK, UNAUTHORIZED, BAD_IDS, NO_USER_OR_PAYMENT, INTERNAL],
        }
    }

    fn routes(self) -> Vec<(&'static str, MethodRouter<AppState>)> {
        match self {
            Endpoint::PaymentIds => each_run(self, payments::payment_ids),
            Endpoint::Details => each_run(self, payments::details),
            Endpoint::DetailsByDate => each_run(self, payments::details_by_date),
            Endpoint::DetailsByUserAndDate => each_run(self, payments::details_by_user_and_date),
            Endpoint::Logs => each_run(self, logs::logs),
            Endpoint::LogsByDate => each_run(self, logs::logs_by_date),
            Endpoint::LogsByUserAndDate => each_run(self, logs::logs_by_user_and_date),
            // S8 needs both ids: without them it names what is missing.
            Endpoint::Receipt => self
                .paths()
                .iter()
                .copied()
                .zip([
                    get_or_post(receipt::missing_both),
                    get_or_post(receipt::missing_payment),
                    get_or_post(receipt::receipt_url),
                ])
                .collect(),
        }
    }
}

fn get_or_post<H, T>(handler: H) -> MethodRouter<AppState>
where
    H: Handler<T, AppState>,
    T: 'static,
{
    get(handler.clone()).post(handler)
}

/// Every path of the endpoint, served by one handler.
fn each_run<H, T>(endpoint: Endpoint, handler: H) -> Vec<(&'static str, MethodRouter<AppState>)>
where
    H: Handler<T, AppState>,
    T: 'static,
{
    endpoint
        .paths()
        .iter()
        .map(|path| (*path, get_or_post(handler.clone())))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::providers::endpoint::Endpoint as _;

    #[test]
    fn every_path_is_the_endpoint_then_its_parameters() {
        for endpoint in Endpoint::ALL.iter().copied() {
            let bare = format!("/api/v1/{}", endpoint.name());
            let mut expected = vec![bare.clone()];
            let mut path = bare;
            for parameter in endpoint.parameters() {
                path.push_str(&format!("/{{{parameter}}}"));
                expected.push(path.clone());
            }
            assert_eq!(endpoint.paths(), expected.as_slice(), "{endpoint:?}");
            assert_eq!(endpoint.routes().len(), expected.len(), "{endpoint:?}");
            assert_eq!(Endpoint::of_path(&path), Some(endpoint));
        }
    }
}
