//! `<dashboard>/aggrepay`: the merchants with their default limits and customer counts.

use super::nav;
use crate::dashboard::kit::{Ui, database_failed};
use crate::providers::aggrepay::amount::shown;
use crate::providers::aggrepay::store::pages;
use crate::state::AppState;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use maud::html;

pub async fn list(State(state): State<AppState>, ui: Ui) -> Response {
    let merchants = match state.db.read(pages::merchants).await {
        Ok(merchants) => merchants,
        Err(e) => return database_failed(&ui, e),
    };
    let body = html! {
        (nav(&ui))
        @if merchants.is_empty() { p #no-merchants { "No merchants." } } @else {
            table #merchants {
                tr {
                    th { "api_key" } th { "Fixed OTP" } th { "Max balance" } th { "Monthly credit" }
                    th { "Monthly debit" } th { "Daily debits" } th { "Daily debit amount" }
                    th { "Customers" }
                }
                @for row in &merchants {
                    @let limits = row.merchant.limits;
                    tr {
                        td.api-key { (row.api_key) }
                        td { @if row.merchant.fixed_otp.is_some() { "yes" } @else { "no" } }
                        td { (shown(limits.max_balance)) }
                        td { (shown(limits.monthly_credit)) }
                        td { (shown(limits.monthly_debit)) }
                        td { (limits.daily_debit_count) }
                        td { (shown(limits.daily_debit_amount)) }
                        td {
                            @let query = form_urlencoded::Serializer::new(String::new())
                                .append_pair("merchant", &row.api_key).finish();
                            a href={ (ui.href("/aggrepay/customers")) "?" (query) } { (row.customers) }
                        }
                    }
                }
            }
        }
    };
    ui.page("AggrePay merchants", body).into_response()
}
