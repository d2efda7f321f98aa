//! AggrePay's documented endpoints, every one `POST /api/v1/<name>`: the one list the router
//! and the endpoint names are derived from.

use super::diagnoses::SUCCESS;
use super::handlers;
use crate::diagnosis::DocumentedOutcome;
use crate::providers::endpoint::Endpoint as EndpointKind;
use crate::state::AppState;
use axum::routing::{MethodRouter, post};
use std::sync::LazyLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Endpoint {
    CheckCustomer,
    RegistrationOtp,
    RegisterCustomer,
    FetchBalance,
    CreditWallet,
    DebitWallet,
    WalletToWallet,
    DebitReversal,
    CheckCustomerCreditLimit,
    CheckCustomerDebitLimit,
    FetchTransactions,
    /// The document's misspelt name.
    FetchByMerchanTransactionId,
    /// The correct spelling of the misspelt endpoint, accepted too.
    FetchByMerchantTransactionId,
    FetchByTransactionId,
    FetchCustomerDetail,
    UpdateCustomer,
    CustomerStatus,
    CustomerOtp,
    ForgotMpin,
    ChangeMpin,
    AddSubMerchant,
    GetSubMerchants,
}

impl EndpointKind for Endpoint {
    const ALL: &'static [Self] = &[
        Endpoint::CheckCustomer,
        Endpoint::RegistrationOtp,
        Endpoint::RegisterCustomer,
        Endpoint::FetchBalance,
        Endpoint::CreditWallet,
        Endpoint::DebitWallet,
        Endpoint::WalletToWallet,
        Endpoint::DebitReversal,
        Endpoint::CheckCustomerCreditLimit,
        Endpoint::CheckCustomerDebitLimit,
        Endpoint::FetchTransactions,
        Endpoint::FetchByMerchanTransactionId,
        Endpoint::FetchByMerchantTransactionId,
        Endpoint::FetchByTransactionId,
        Endpoint::FetchCustomerDetail,
        Endpoint::UpdateCustomer,
        Endpoint::CustomerStatus,
        Endpoint::CustomerOtp,
        Endpoint::ForgotMpin,
        Endpoint::ChangeMpin,
        Endpoint::AddSubMerchant,
        Endpoint::GetSubMerchants,
    ];

    fn name(self) -> &'static str {
        match self {
            Endpoint::CheckCustomer => "checkcustomer",
            Endpoint::RegistrationOtp => "registrationotp",
            Endpoint::RegisterCustomer => "registercustomer",
            Endpoint::FetchBalance => "fetchbalance",
            Endpoint::CreditWallet => "creditwallet",
            Endpoint::DebitWallet => "debitwallet",
            Endpoint::WalletToWallet => "wallettowallet",
            Endpoint::DebitReversal => "debitreversal",
            Endpoint::CheckCustomerCreditLimit => "checkcustomercreditlimit",
            Endpoint::CheckCustomerDebitLimit => "checkcustomerdebitlimit",
            Endpoint::FetchTransactions => "fetchtransactions",
            Endpoint::FetchByMerchanTransactionId => "fetchbymerchantransactionid",
            Endpoint::FetchByMerchantTransactionId => "fetchbymerchanttransactionid",
            Endpoint::FetchByTransactionId => "fetchbytransactionid",
            Endpoint::FetchCustomerDetail => "fetchcustomerdetail",
            Endpoint::UpdateCustomer => "updatecustomer",
            Endpoint::CustomerStatus => "customerstatus",
            Endpoint::CustomerOtp => "customerotp",
            Endpoint::ForgotMpin => "forgotmpin",
            Endpoint::ChangeMpin => "changempin",
            Endpoint::AddSubMerchant => "addsubmerchant",
            Endpoint::GetSubMerchants => "getsubmerchants",
        }
    }

    /// The success, each code the endpoint's section lists, then `UNAUTHORIZED` and
    /// `HASH-MISMATCH`: Appendix 17.1 signs every request (sections 1 and 2 show them).
    fn outcomes(self) -> &'static [DocumentedOutcome] {
        match self {
            Endpoint::CheckCustomer => &[OK, PARAMS, UNAUTHORIZED, HASH],
            Endpoint::RegistrationOtp => &[OK, PARAMS, UNAUTHORIZED, HASH],
            Endpoint::RegisterCustomer => &[OK, OTP, REGISTERED, PARAMS, UNAUTHORIZED, HASH],
            Endpoint::FetchBalance => &[OK, PARAMS, UNAUTHORIZED, HASH],
            Endpoint::CreditWallet => &[OK, PARAMS, NO_PG, UNAUTHORIZED, HASH],
            Endpoint::DebitWallet => &[OK, NOT_ENOUGH, MPIN, PARAMS, UNAUTHORIZED, HASH],
            Endpoint::WalletToWallet => &[OK, MPIN, FUND, DAILY, UNAUTHORIZED, HASH],
            Endpoint::DebitReversal => &[OK, REVERSED, UNAUTHORIZED, HASH],
            Endpoint::CheckCustomerCreditLimit | Endpoint::CheckCustomerDebitLimit => {
                &[OK, MONTHLY, UNAUTHORIZED, HASH]
            }
            Endpoint::FetchTransactions
            | Endpoint::FetchByMerchanTransactionId
            | Endpoint::FetchByMerchantTransactionId
            | Endpoint::FetchByTransactionId
            | Endpoint::FetchCustomerDetail
            | Endpoint::UpdateCustomer
            | Endpoint::AddSubMerchant => &[OK, PARAMS, UNAUTHORIZED, HASH],
            Endpoint::CustomerStatus | Endpoint::CustomerOtp => &[OK, UNAUTHORIZED, HASH],
            Endpoint::ForgotMpin => &[OK, OTP, PARAMS, UNAUTHORIZED, HASH],
            Endpoint::ChangeMpin => &[OK, MPIN, UNAUTHORIZED, HASH],
            Endpoint::GetSubMerchants => &[OK, NO_SUB, UNAUTHORIZED, HASH],
        }
    }

    fn routes(self) -> Vec<(&'static str, MethodRouter<AppState>)> {
        let method = match self {
            Endpoint::CheckCustomer => post(handlers::checkcustomer),
            Endpoint::RegistrationOtp => post(handlers::registrationotp),
            Endpoint::RegisterCustomer => post(handlers::registercustomer),
            Endpoint::FetchBalance => post(handlers::fetchbalance),
            Endpoint::CreditWallet => post(handlers::creditwallet),
            Endpoint::DebitWallet => post(handlers::debitwallet),
            Endpoint::WalletToWallet => post(handlers::wallettowallet),
            Endpoint::DebitReversal => post(handlers::debitreversal),
            Endpoint::CheckCustomerCreditLimit => post(handlers::checkcustomercreditlimit),
            Endpoint::CheckCustomerDebitLimit => post(handlers::checkcustomerdebitlimit),
            Endpoint::FetchTransactions => post(handlers::fetchtransactions),
            Endpoint::FetchByMerchanTransactionId | Endpoint::FetchByMerchantTransactionId => {
                post(handlers::fetchbymerchantransactionid)
            }
            Endpoint::FetchByTransactionId => post(handlers::fetchbytransactionid),
            Endpoint::FetchCustomerDetail => post(handlers::fetchcustomerdetail),
            Endpoint::UpdateCustomer => post(handlers::updatecustomer),
            Endpoint::CustomerStatus => post(handlers::customerstatus),
            Endpoint::CustomerOtp => post(handlers::customerotp),
            Endpoint::ForgotMpin => post(handlers::forgotmpin),
            Endpoint::ChangeMpin => post(handlers::changempin),
            Endpoint::AddSubMerchant => post(handlers::addsubmerchant),
            Endpoint::GetSubMerchants => post(handlers::getsubmerchants),
        };
        vec![(path(self), method)]
    }
}

const fn outcome(code: &'static str, meaning: &'static str) -> DocumentedOutcome {
    DocumentedOutcome { code, meaning }
}

const OK: DocumentedOutcome = outcome(SUCCESS, "The answer's `error` is null (SUCCESS samples)");
const PARAMS: DocumentedOutcome = outcome(
    "INVALID-PARAMS",
    "A field is missing or invalid (Laravel's message)",
);
const UNAUTHORIZED: DocumentedOutcome = outcome("UNAUTHORIZED", "Invalid api key");
const HASH: DocumentedOutcome = outcome("HASH-MISMATCH", "Request hash mismatch");
const OTP: DocumentedOutcome = outcome("INVALID-OTP", "Invalid OTP");
const REGISTERED: DocumentedOutcome = outcome(
    "INVALID-INPUT-DATA",
    "Invalid input Data: the mobile number is registered already",
);
const NOT_ENOUGH: DocumentedOutcome =
    outcome("INVALID-INPUT-DATA", "Not enough balance in the account");
const NO_PG: DocumentedOutcome = outcome(
    "NO-PG-TRANSACTION-RECORD-FOUND",
    "Pg transaction record not found.",
);
const MPIN: DocumentedOutcome = outcome("INVALID-MPIN", "Invalid MPIN");
const FUND: DocumentedOutcome = outcome("INSUFFICIENT-FUND", "Insufficient Fund");
const DAILY: DocumentedOutcome = outcome("TRANSACTION-LIMIT", "Daily Transaction Limit Reached");
const REVERSED: DocumentedOutcome = outcome(
    "TRANSACTION-ALREADY-REVERSED",
    "This Transaction is already reversed",
);
const MONTHLY: DocumentedOutcome = outcome(
    "MONTHLY-TRANSACTION-LIMIT-EXCEEDED",
    "Monthly Transaction Limit exceeded",
);
const NO_SUB: DocumentedOutcome =
    outcome("NO-SUB-MERCHANT-RECORD", "Sub merchant details not found.");

/// `/api/v1/<name>` of every endpoint, made once (route paths are `&'static str`).
static PATHS: LazyLock<Vec<(Endpoint, String)>> = LazyLock::new(|| {
    Endpoint::ALL
        .iter()
        .map(|e| (*e, format!("/api/v1/{}", e.name())))
        .collect()
});

fn path(endpoint: Endpoint) -> &'static str {
    PATHS
        .iter()
        .find(|(e, _)| *e == endpoint)
        .map(|(_, path)| path.as_str())
        .expect("every endpoint has a path")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_endpoint_lists_its_success_first_and_each_code_once() {
        for endpoint in Endpoint::ALL {
            let codes: Vec<&str> = endpoint.outcomes().iter().map(|o| o.code).collect();
            assert_eq!(codes.first(), Some(&SUCCESS), "{}", endpoint.name());
            let distinct: HashSet<&str> = codes.iter().copied().collect();
            assert_eq!(distinct.len(), codes.len(), "{}", endpoint.name());
            assert!(codes.contains(&"HASH-MISMATCH"), "{}", endpoint.name());
        }
    }

    #[test]
    fn every_endpoint_has_its_own_name_and_one_path_ending_with_it() {
        let names: HashSet<&str> = Endpoint::ALL.iter().map(|e| e.name()).collect();
        assert_eq!(names.len(), Endpoint::ALL.len(), "a name is used twice");
        for endpoint in Endpoint::ALL {
            let paths: Vec<&str> = endpoint.routes().iter().map(|(p, _)| *p).collect();
            assert_eq!(paths, [format!("/api/v1/{}", endpoint.name())]);
        }
    }
}
