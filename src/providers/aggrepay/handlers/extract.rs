//! The extractor every AggrePay endpoint takes: [`Authenticated`] reads the body (form,
//! multipart or JSON, [`Fields`]), finds the merchant by `api_key` (`UNAUTHORIZED`) and
//! checks the request hash with the merchant's salt (`HASH-MISMATCH`), in that order. The
//! merchant is read in a short read of the database; the SHA-512 is computed after it is let
//! go, so no hashing happens inside a hold of the database. The handler then runs its checks
//! and its SQL in one read or one write transaction ([`Authenticated::read`],
//! [`Authenticated::write`]).

use crate::db::Db;
use crate::providers::aggrepay::diagnoses;
use crate::providers::aggrepay::errors::AggrePayError;
use crate::providers::aggrepay::handlers::request::Fields;
use crate::providers::aggrepay::hash::near_miss::{self, Signing};
use crate::providers::aggrepay::hash::request_hash;
use crate::providers::aggrepay::rules::label;
use crate::providers::aggrepay::store::merchants::{self, Merchant};
use crate::providers::aggrepay::store::salts;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use rusqlite::Connection;
use std::sync::Arc;

/// Fields that take any text, so only the `string` rule stops an array or an object.
const FREE_TEXT: &[&str] = &[
    "first_name",
    "last_name",
    "address_line_1",
    "address_line_2",
    "city",
    "description",
    "Description",
    "name",
    "account_name",
    "bank_name",
    "bank_branch",
    "merchant_transaction_id",
    "pg_transaction_id",
];

/// A request whose api_key and hash are good (checked in that order).
pub struct Authenticated {
    pub merchant: Arc<Merchant>,
    pub fields: Fields,
}

impl FromRequest<AppState> for Authenticated {
    /// A body axum cannot read answers axum's own rejection (the front maps its status to
    /// AggrePay's envelope); every other failure is AggrePay's error.
    type Rejection = Response;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Response> {
        let content_type = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let body = Bytes::from_request(request, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let fields = Fields::read(content_type.as_deref(), &body);
        authenticate(&state.db, fields)
            .await
            .map_err(IntoResponse::into_response)
    }
}

async fn authenticate(db: &Db, fields: Fields) -> Result<Authenticated, AggrePayError> {
    // Before the credentials: a body too deep to read has none to check.
    if fields.too_deep() {
        return Err(AggrePayError::invalid(format!(
            "The request may not be nested more than {} levels deep.",
            crate::depth::MAX_DEPTH
        )));
    }
    let api_key = fields
        .get("api_key")
        .ok_or_else(|| AggrePayError::Unauthorized.with(diagnoses::api_key_missing()))?;
    let merchant = db
        .read_memo(merchants::TABLE, api_key, |conn| {
            merchants::by_api_key(conn, api_key)
        })
        .await?
        .ok_or(AggrePayError::Unauthorized)?;
    check_hash(db, &merchant, &fields).await?;
    // Free-text fields have Laravel's `string` rule; the others fail their own format
    // rule (`The mpin must be 4 digits.`) when a JSON array or object is posted.
    if let Some(name) = fields.first_not_text().filter(|n| FREE_TEXT.contains(n)) {
        return Err(AggrePayError::invalid(format!(
            "The {} must be a string.",
            label(name)
        )));
    }
    Ok(Authenticated { merchant, fields })
}

/// 17.1's request hash; a refusal says which string was hashed and which common mistake,
/// if any, the client's hash comes from (the other merchants' salts are read for that in a
/// read of its own, only when the hash is wrong).
async fn check_hash(db: &Db, merchant: &Merchant, fields: &Fields) -> Result<(), AggrePayError> {
    let given = fields.get("hash");
    if given.is_some_and(|given| {
        given.eq_ignore_ascii_case(&request_hash(&merchant.salt, fields.pairs()))
    }) {
        return Ok(());
    }
    let other_salts = match given {
        Some(_) => db.read(|conn| salts::of_others(conn, merchant.id)).await?,
        None => Vec::new(),
    };
    let as_posted = fields.as_posted();
    let signing = Signing {
        salt: &merchant.salt,
        fields: fields.pairs(),
        as_posted: &as_posted,
        other_salts: &other_salts,
    };
    let diagnosis = match given {
        Some(given) => near_miss::mismatch(given, &signing),
        None => near_miss::missing(&signing),
    };
    Err(AggrePayError::HashMismatch.with(diagnosis))
}

impl Authenticated {
    /// Runs `f` (checks and SQL only) under one read hold of the database.
    pub async fn read<T>(
        &self,
        db: &Db,
        f: impl FnOnce(&Connection, &Merchant, &Fields) -> Result<T, AggrePayError>,
    ) -> Result<T, AggrePayError> {
        db.read(|conn| f(conn, &self.merchant, &self.fields)).await
    }

    /// Runs `f` in one write transaction: all of it, or nothing when it fails.
    pub async fn write<T>(
        &self,
        db: &Db,
        f: impl FnOnce(&Connection, &Merchant, &Fields) -> Result<T, AggrePayError>,
    ) -> Result<T, AggrePayError> {
        db.write(|tx| f(tx, &self.merchant, &self.fields)).await
    }

    /// The merchant's salt, to sign the answer with.
    pub fn salt(&self) -> &str {
        &self.merchant.salt
    }
}
