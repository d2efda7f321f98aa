//! AggrePay's documented endpoints, every one `POST /api/v1/<name>`: the one list the router
//! and the endpoint names are derived from.

use super::handlers;
use crate::app::AppState;
use crate::providers::endpoint::Endpoint as EndpointKind;
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
    fn every_endpoint_has_its_own_name_and_one_path_ending_with_it() {
        let names: HashSet<&str> = Endpoint::ALL.iter().map(|e| e.name()).collect();
        assert_eq!(names.len(), Endpoint::ALL.len(), "a name is used twice");
        for endpoint in Endpoint::ALL {
            let paths: Vec<&str> = endpoint.routes().iter().map(|(p, _)| *p).collect();
            assert_eq!(paths, [format!("/api/v1/{}", endpoint.name())]);
        }
    }
}
