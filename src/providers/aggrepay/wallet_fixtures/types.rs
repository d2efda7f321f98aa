//! The shapes of the `aggrepay` records in a fixture document.

use crate::money::Amount;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Default, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LimitOverrides {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_balance: Option<Amount>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub monthly_credit: Option<Amount>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub monthly_debit: Option<Amount>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub daily_debit_count: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub daily_debit_amount: Option<Amount>,
}

impl LimitOverrides {
    fn is_empty(&self) -> bool {
        self.max_balance.is_none()
            && self.monthly_credit.is_none()
            && self.monthly_debit.is_none()
            && self.daily_debit_count.is_none()
            && self.daily_debit_amount.is_none()
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CustomerFixture {
    /// The merchant (its `api_key`).
    pub api_key: String,
    /// 9 digits; generated when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_id: Option<String>,
    pub mobile_number: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_of_birth: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address_line_1: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address_line_2: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pincode: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// 4 digits.
    #[serde(default = "default_mpin")]
    pub mpin: String,
    #[serde(default = "active")]
    pub active: bool,
    /// An opening balance, loaded as one credit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub balance: Option<Amount>,
    #[serde(default, skip_serializing_if = "LimitOverrides::is_empty")]
    pub limits: LimitOverrides,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<DateTime<Utc>>,
}

fn default_mpin() -> String {
    "1234".into()
}

fn active() -> bool {
    true
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PgTransactionFixture {
    pub api_key: String,
    pub pg_transaction_id: String,
    pub amount: Amount,
    #[serde(default)]
    pub used: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubMerchantFixture {
    pub api_key: String,
    /// 1, 2, 3... per merchant; the next free number when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub_merchant_id: Option<i64>,
    pub name: String,
    #[serde(default)]
    pub mobile_number: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub account_number: String,
    #[serde(default)]
    pub account_name: String,
    #[serde(default)]
    pub ifsc_code: String,
    #[serde(default)]
    pub bank_name: String,
    #[serde(default)]
    pub bank_branch: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransactionFixture {
    pub api_key: String,
    /// 9 digits; drawn at random when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transaction_id: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merchant_transaction_id: Option<String>,
    /// `M2C` (credit), `C2M` (debit), `C2C` (transfer), `REVERSAL`.
    #[serde(rename = "type")]
    pub kind: String,
    pub amount: Amount,
    /// The paying customer (`C2M`, `C2C`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_customer_id: Option<String>,
    /// The receiving customer (`M2C`, `C2C`, `REVERSAL`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to_customer_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pg_transaction_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to_sub_merchant_id: Option<i64>,
    /// For `REVERSAL`: the transaction_id of the debit it gives back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reverses: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<DateTime<Utc>>,
}
