//! 8.0 Add Consumer (`cc`), 9.0 Add Multiple Consumer (`cmc`), 10.0 Update Consumer (`uc`),
//! 11.0 Update Multiple Consumers (`umc`) and 12.0 Get Consumer Data (`gcd`).
//!
//! A consumer belongs to the merchant that created it; its `FullConsumerCode` is the
//! merchant's company code + its `ConsumerID`. Another merchant's consumer answers exactly
//! like an unknown one.
//!
//! Decisions where the document and `paypro.md` are silent:
//! - Checks run in this order, the first failure answering: the payload (`oJson` wherever the
//!   client put it) must be a JSON array (read leniently) whose element 0 is an object, else
//!   `01` `Invalid Format`; element 0 with neither `MerchantId` nor `MerchantPassword` is
//!   `01` `Invalid Format` too (one of them present but empty gets the credential failures);
//!   then the credentials and the service; then the shape: `cc`/`uc` take exactly one
//!   consumer element, `cmc`/`umc` one to [`MAX_CONSUMERS`], every one an object (else
//!   `01` `Invalid Format`; more than the maximum:
//!   `01` `Invalid Data. Maximum 1000 consumers are allowed in one request`).
//! - Field checks, each `01`: `Invalid Data. ConsumerID is not provided`,
//!   `Invalid Data. ConsumerID is invalid` (`cc`/`cmc`: not 1–16 ASCII digits; `uc`/`umc`:
//!   not 1–20 digits, a company code and a ConsumerID at most), `Invalid Data. Name is not
//!   provided` (create only), `Invalid Data. <Field> length is invalid` (over 1000
//!   characters), `Invalid Data. <Field> is invalid` (an array or object). A number is read
//!   as its text (`"ConsumerID": 123456780`); strings are trimmed. `Mobile` and `Email` are
//!   not checked for format: the document gives them only as String(1000).
//! - `cmc` and `umc` are all or nothing (one transaction). When any element fails, nothing
//!   changes and the answer lists every failing element as `cmo` does:
//!   `[{"Status":"<first failure's code>"},{"ConsumerID":"<as sent>","Description":"..."},...]`.
//!   In `cmc` a ConsumerID that exists already, or that appears twice in the request, is
//!   `Consumer Already Exist`; in `umc` a consumer named twice is updated twice, in order.
//! - `uc`/`umc` read `ConsumerID` as the full code first (it starts with the merchant's company
//!   code and the rest is a consumer of the merchant), then as a bare ConsumerID. A field that is
//!   absent, null or empty after trimming is left as it is (so a field cannot be cleared); an
//!   element with nothing to change still succeeds.
//! - A ConsumerID keeps its leading zeros (`0007` is not `7`); `cc`'s `ConsumerNumber` is its
//!   value as a JSON number (`7`), exact for all 16 digits.
//! - `gcd` reads `userName`, `password`, `fullConsumerCode` (query or form, names in any case);
//!   credentials are checked first; a missing or empty `fullConsumerCode` is `01`
//!   `Invalid Format`; a code that is not the merchant's company code + an existing
//!   ConsumerID is `03` `No data available` — a bare ConsumerID included, since the parameter
//!   is documented as the full code and a client that forgets the company code should fail
//!   here rather than in production. `CreatedOn` is the creation time in the merchant's time
//!   zone, .NET style (`2020-06-10T10:17:45.247`, no fraction on a whole second).

use crate::db::{self, DbError};
use crate::diagnosis::Outcome;
use crate::providers::paypro::errors::{Code, Failure};
use crate::providers::paypro::handlers::extract::{Authenticated, Consumers};
use crate::providers::paypro::rules::{ConsumerElement, consumer_code, dotnet};
use crate::providers::paypro::store::consumers::{self as store, Consumer};
use crate::providers::paypro::store::merchants::Merchant;
use crate::providers::paypro::wire::{ConsumerData, ConsumerFailure, ConsumerQuery, answer};
use crate::providers::paypro::wire::{CreatedConsumer, FetchedStatus, UpdatedConsumer};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use rusqlite::Connection;
use std::collections::HashSet;

/// `POST|GET /cpay/cc?oJson=[{credentials},{consumer}]`.
pub async fn cc(
    State(state): State<AppState>,
    request: Authenticated<Consumers>,
) -> Result<Response, Failure> {
    let company = request.merchant.company_code.clone();
    let created = create(&state, request).await?.map_err(first)?;
    let created = created.into_iter().map(|id| CreatedConsumer {
        full_consumer_code: format!("{company}{id}"),
        description: "Consumer number created successfully".to_string(),
        // A JSON number, as documented; 16 digits fit a u64 exactly.
        consumer_number: id.parse::<u64>().expect("1 to 16 digits"),
    });
    Ok(answer(Code::Success, created))
}

/// `POST /cpay/cmc` with a JSON file of `[{credentials},{consumer},...]`.
pub async fn cmc(
    State(state): State<AppState>,
    request: Authenticated<Consumers>,
) -> Result<Response, Failure> {
    let company = request.merchant.company_code.clone();
    let created = match create(&state, request).await? {
        Ok(created) => created,
        Err(failures) => return Ok(failed(failures)),
    };
    let created = created.into_iter().map(|id| CreatedConsumer {
        full_consumer_code: format!("{company}{id}"),
        description: format!("Consumer number {id} created successfully"),
        consumer_number: id,
    });
    Ok(answer(Code::Success, created))
}

/// `POST|GET /cpay/uc?oJson=[{credentials},{consumer}]`.
pub async fn uc(
    State(state): State<AppState>,
    request: Authenticated<Consumers>,
) -> Result<Response, Failure> {
    let company = request.merchant.company_code.clone();
    let updated = update(&state, request).await?.map_err(first)?;
    Ok(updated_answer(&company, updated))
}

/// `POST /cpay/umc` with a JSON file of `[{credentials},{consumer},...]`.
pub async fn umc(
    State(state): State<AppState>,
    request: Authenticated<Consumers>,
) -> Result<Response, Failure> {
    let company = request.merchant.company_code.clone();
    match update(&state, request).await? {
        Ok(updated) => Ok(updated_answer(&company, updated)),
        Err(failures) => Ok(failed(failures)),
    }
}

/// `GET /cpay/gcd?userName=...&password=...&fullConsumerCode=...`.
pub async fn gcd(
    State(state): State<AppState>,
    request: Authenticated<ConsumerQuery>,
) -> Result<Response, Failure> {
    let (merchant, code) = (request.merchant, request.input.full_consumer_code);
    let code = code.ok_or_else(Failure::invalid_format)?;
    let consumer_id = consumer_code(&code, &merchant.company_code).ok_or_else(Failure::no_data)?;
    let consumer = state
        .db
        .read(|conn| store::find(conn, merchant.id, consumer_id))
        .await?
        .ok_or_else(Failure::no_data)?;
    let company = merchant.company_code.clone();
    let created_on = consumer.created()?.with_timezone(&merchant.offset());
    let fetched = FetchedStatus {
        description: "Record fetched successfully",
        status: Code::Success.as_str(),
    };
    let data = ConsumerData {
        full_consumer_code: format!("{company}{}", consumer.consumer_id),
        created_on: dotnet(created_on.naive_local()),
        email: consumer.email,
        consumer_code: consumer.consumer_id,
        address: consumer.address,
        mobile: consumer.mobile,
        company_code: company,
        name: consumer.name,
    };
    Ok(Json((fetched, data)).into_response())
}

fn already_exists() -> Failure {
    Failure::new(Code::Rejected, "Consumer Already Exist")
}

/// Every failing element's ConsumerID as sent and its failure, in the request's order.
type Failures = Vec<(String, Failure)>;

/// The first failure: `cc` and `uc` answer only it.
fn first(failures: Failures) -> Failure {
    failures.into_iter().next().expect("one failure").1
}

/// `cmc`'s and `umc`'s failure list, under the first failure's code (and diagnosed as it).
fn failed(failures: Failures) -> Response {
    let status = failures[0].1.code;
    let outcome = Outcome::refused(failures[0].1.diagnosis());
    let items = failures.into_iter().map(|(id, f)| ConsumerFailure {
        consumer_id: id,
        description: f.description,
    });
    outcome.on(answer(status, items))
}

/// `00` and every updated consumer's full code.
fn updated_answer(company: &str, updated: Vec<String>) -> Response {
    let updated = updated.into_iter().map(|consumer_id| {
        let full = format!("{company}{consumer_id}");
        UpdatedConsumer {
            description: format!("ConsumerID {full} updated successfully"),
            consumer_id: full,
        }
    });
    answer(Code::Success, updated)
}

/// `cc` and `cmc`: all created or none, in one write.
async fn create(
    state: &AppState,
    request: Authenticated<Consumers>,
) -> Result<Result<Vec<String>, Failures>, Failure> {
    let (merchant, Consumers(elements)) = (request.merchant, request.input);
    let elements = elements?;
    state
        .db
        .write(|conn| {
            // Read inside the transaction, so that creation times follow commit order.
            let now = state.clock.now();
            create_in(conn, &merchant, elements, now)
        })
        .await
}

/// Creates every element unless one failed its checks or exists already: then nothing is
/// created and every failure is returned.
fn create_in(
    conn: &Connection,
    merchant: &Merchant,
    elements: Vec<ConsumerElement>,
    now: DateTime<Utc>,
) -> Result<Result<Vec<String>, Failures>, Failure> {
    let mut seen = HashSet::new();
    let (mut checked, mut failures) = (Vec::new(), Failures::new());
    for (sent, read) in elements {
        match read {
            Ok((id, _)) if !seen.insert(id.clone()) => failures.push((sent, already_exists())),
            Ok((id, _)) if store::find(conn, merchant.id, &id)?.is_some() => {
                failures.push((sent, already_exists()))
            }
            Ok(consumer) => checked.push(consumer),
            Err(failure) => failures.push((sent, failure)),
        }
    }
    if !failures.is_empty() {
        return Ok(Err(failures));
    }
    for (id, fields) in &checked {
        store::insert(conn, merchant.id, id, fields, now).map_err(insert_failure)?;
    }
    Ok(Ok(checked.into_iter().map(|(id, _)| id).collect()))
}

/// A consumer created meanwhile is `Consumer Already Exist` too.
fn insert_failure(error: DbError) -> Failure {
    if db::is_unique_violation(&error) {
        already_exists()
    } else {
        error.into()
    }
}

/// `uc` and `umc`: all updated or none, in one write.
async fn update(
    state: &AppState,
    request: Authenticated<Consumers>,
) -> Result<Result<Vec<String>, Failures>, Failure> {
    let (merchant, Consumers(elements)) = (request.merchant, request.input);
    let elements = elements?;
    state
        .db
        .write(|conn| update_in(conn, &merchant, elements))
        .await
}

/// Updates every element unless one failed its checks or names no consumer of the
/// merchant: then nothing changes and every failure is returned.
fn update_in(
    conn: &Connection,
    merchant: &Merchant,
    elements: Vec<ConsumerElement>,
) -> Result<Result<Vec<String>, Failures>, Failure> {
    let (mut checked, mut failures) = (Vec::new(), Failures::new());
    for (sent, read) in elements {
        match read {
            Ok((code, fields)) => match resolve(conn, merchant, &code)? {
                Some(consumer) => checked.push((consumer, fields)),
                None => failures.push((sent, Failure::no_data())),
            },
            Err(failure) => failures.push((sent, failure)),
        }
    }
    if !failures.is_empty() {
        return Ok(Err(failures));
    }
    for (consumer, fields) in &checked {
        store::update(conn, consumer.id, fields)?;
    }
    Ok(Ok(checked
        .into_iter()
        .map(|(c, _)| c.consumer_id)
        .collect()))
}

/// The merchant's consumer named by a full code or, failing that, a bare ConsumerID.
fn resolve(
    conn: &Connection,
    merchant: &Merchant,
    code: &str,
) -> Result<Option<Consumer>, DbError> {
    let company = merchant.company_code.as_str();
    if let Some(rest) = code.strip_prefix(company).filter(|rest| !rest.is_empty())
        && let Some(consumer) = store::find(conn, merchant.id, rest)?
    {
        return Ok(Some(consumer));
    }
    if code.len() <= 16 {
        return store::find(conn, merchant.id, code);
    }
    Ok(None)
}
