//! PayPro's twelve documented endpoints, in the document's order: the one list the router,
//! the endpoint names and the merchants' `services` derive from. Every one answers GET and
//! POST under `/cpay/`.

use super::handlers::{changes, consumers, orders, queries};
use crate::diagnosis::DocumentedOutcome;
use crate::providers::endpoint;
use crate::state::AppState;
use axum::Extension;
use axum::handler::Handler;
use axum::routing::{MethodRouter, get};
use std::sync::LazyLock;

/// The endpoint names (`co`, `cmo`, ...), which are also the service names a merchant may
/// be enabled for.
pub static NAMES: LazyLock<Vec<&'static str>> = LazyLock::new(endpoint::names::<Endpoint>);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Endpoint {
    /// 1.0 Single Order Creation.
    Co,
    /// 2.0 Multiple Order Creation.
    Cmo,
    /// 3.0 Get Paid Orders.
    Gpojson,
    /// 4.0 Mark Order As Paid.
    Moap,
    /// 5.0 Mark Order As Blocked.
    Moab,
    /// 6.0 Mark Order For Refund.
    Mofr,
    /// 7.0 Get Order Status.
    Gos,
    /// 8.0 Add Consumer.
    Cc,
    /// 9.0 Add Multiple Consumer.
    Cmc,
    /// 10.0 Update Consumer.
    Uc,
    /// 11.0 Update Multiple Consumers.
    Umc,
    /// 12.0 Get Consumer Data.
    Gcd,
}

const fn outcome(code: &'static str, meaning: &'static str) -> DocumentedOutcome {
    DocumentedOutcome { code, meaning }
}

// Per section, the `Status` codes of its "Response codes" table, each meaning followed by the
// descriptions its "All Possible error description" table gives that code.
const ORDERS: &[DocumentedOutcome] = &[
    outcome("00", "Success"),
    outcome(
        "01",
        "Order Already Exist: when order number already exists",
    ),
    outcome("02", "Service Fail: if error occurs in order creation"),
    outcome(
        "03",
        "Invalid Data: object sent from client has error; column name/count doesn't match; \
         order amount out of limits; mobile no. and email not in valid format; order number \
         not provided; main table details not provided",
    ),
    outcome(
        "04",
        "User not Authorized: when user is not authorized for service",
    ),
];

const GPOJSON: &[DocumentedOutcome] = &[
    outcome("00", "Success"),
    outcome(
        "01",
        "Invalid Data: Username cannot be empty; Username length is invalid; Password cannot \
         be empty; Password length is invalid; Username or password is invalid; Start Date \
         should be less then to End Date; Date format is invalid",
    ),
    outcome(
        "02",
        "User not Authorized: Service Failed. User is not Authorized for this service",
    ),
    outcome("03", "No Records Found: No data available"),
];

const fn change(refused: &'static str) -> [DocumentedOutcome; 4] {
    [
        outcome("00", "Success"),
        outcome("01", refused),
        outcome(
            "02",
            "User not Authorized: Service Failed. User is not Authorized for this service",
        ),
        outcome("03", "No Records Found: No data available"),
    ]
}

const MOAP: &[DocumentedOutcome] = &change(
    "Invalid Data: Invalid Format; Username cannot be empty; Username length is invalid; \
     Password cannot be empty; Password length is invalid; Username or password is invalid; \
     Error in updating record; You can update only unpaid orders to mark Paid",
);
const MOAB: &[DocumentedOutcome] = &change(
    "Invalid Data: Invalid Format; Username cannot be empty; Username length is invalid; \
     Password cannot be empty; Password length is invalid; Username or password is invalid; \
     Error in updating record; You can update only unpaid orders to mark Blocked",
);
const MOFR: &[DocumentedOutcome] = &change(
    "Invalid Data: Invalid Format; Username cannot be empty; Username length is invalid; \
     Password cannot be empty; Password length is invalid; Username or password is invalid; \
     Error in updating record; You can update only unpaid orders to mark Refund",
);
const GOS: &[DocumentedOutcome] = &change(
    "Invalid Data: Invalid Format; Username cannot be empty; Username length is invalid; \
     Password cannot be empty; Password length is invalid; Username or password is invalid",
);
const CONSUMERS: &[DocumentedOutcome] = &change(
    "Consumer Already Exist; Invalid Format; Username cannot be empty; Username length is \
     invalid; Password cannot be empty; Password length is invalid; Username or password is \
     invalid",
);
const GCD: &[DocumentedOutcome] = &[
    outcome("00", "Success: Record fetched successfully"),
    outcome(
        "01",
        "Invalid Info: Invalid Format; Username cannot be empty; Username length is invalid; \
         Password cannot be empty; Password length is invalid; Username or password is invalid",
    ),
    outcome(
        "02",
        "User not Authorized: Service Failed. User is not Authorized for this service",
    ),
    outcome("03", "No Data Found: No data available"),
];

/// GET and POST, both to `handler`.
fn get_and_post<H, T>(handler: H) -> MethodRouter<AppState>
where
    H: Handler<T, AppState>,
    T: 'static,
{
    get(handler.clone()).post(handler)
}

impl endpoint::Endpoint for Endpoint {
    const ALL: &'static [Self] = &[
        Endpoint::Co,
        Endpoint::Cmo,
        Endpoint::Gpojson,
        Endpoint::Moap,
        Endpoint::Moab,
        Endpoint::Mofr,
        Endpoint::Gos,
        Endpoint::Cc,
        Endpoint::Cmc,
        Endpoint::Uc,
        Endpoint::Umc,
        Endpoint::Gcd,
    ];

    fn name(self) -> &'static str {
        match self {
            Endpoint::Co => "co",
            Endpoint::Cmo => "cmo",
            Endpoint::Gpojson => "gpojson",
            Endpoint::Moap => "moap",
            Endpoint::Moab => "moab",
            Endpoint::Mofr => "mofr",
            Endpoint::Gos => "gos",
            Endpoint::Cc => "cc",
            Endpoint::Cmc => "cmc",
            Endpoint::Uc => "uc",
            Endpoint::Umc => "umc",
            Endpoint::Gcd => "gcd",
        }
    }

    fn outcomes(self) -> &'static [DocumentedOutcome] {
        match self {
            Endpoint::Co | Endpoint::Cmo => ORDERS,
            Endpoint::Gpojson => GPOJSON,
            Endpoint::Moap => MOAP,
            Endpoint::Moab => MOAB,
            Endpoint::Mofr => MOFR,
            Endpoint::Gos => GOS,
            Endpoint::Cc | Endpoint::Cmc | Endpoint::Uc | Endpoint::Umc => CONSUMERS,
            Endpoint::Gcd => GCD,
        }
    }

    fn routes(self) -> Vec<(&'static str, MethodRouter<AppState>)> {
        let (path, method) = match self {
            Endpoint::Co => ("/cpay/co", get_and_post(orders::co)),
            Endpoint::Cmo => ("/cpay/cmo", get_and_post(orders::cmo)),
            Endpoint::Gpojson => ("/cpay/gpojson", get_and_post(queries::gpojson)),
            Endpoint::Moap => ("/cpay/moap", get_and_post(changes::moap)),
            Endpoint::Moab => ("/cpay/moab", get_and_post(changes::moab)),
            Endpoint::Mofr => ("/cpay/mofr", get_and_post(changes::mofr)),
            Endpoint::Gos => ("/cpay/gos", get_and_post(queries::gos)),
            Endpoint::Cc => ("/cpay/cc", get_and_post(consumers::cc)),
            Endpoint::Cmc => ("/cpay/cmc", get_and_post(consumers::cmc)),
            Endpoint::Uc => ("/cpay/uc", get_and_post(consumers::uc)),
            Endpoint::Umc => ("/cpay/umc", get_and_post(consumers::umc)),
            Endpoint::Gcd => ("/cpay/gcd", get_and_post(consumers::gcd)),
        };
        // The extractors read the endpoint (its service name) from the request.
        vec![(path, method.layer(Extension(self)))]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_route_is_under_cpay_and_named_by_its_last_segment() {
        for e in <Endpoint as endpoint::Endpoint>::ALL {
            for (path, _) in endpoint::Endpoint::routes(*e) {
                assert_eq!(path, format!("/cpay/{}", endpoint::Endpoint::name(*e)));
            }
        }
    }
}
